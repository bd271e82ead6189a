use super::error::AppError;
use crate::consent::ConsentRecord;
use leptos::{prelude::*, server_fn::codec::Json};

/// Keeps a copy of a cookie choice the visitor just made, as proof of what they agreed to.
/// Only records the site itself could have made are kept: the current policy version, the
/// two known categories, a random UUID and a browser timestamp (see
/// [`ConsentRecord::check`]); the request's IP address and user agent are not looked at.
/// `lang` (`en`, `es`) is the language of the banner or page the choice was made on, since
/// what was agreed to is that text; anything else is kept as English.
///
/// # Errors
/// [`AppError::BadRequest`] (400) for any other record, including an id already used for a
/// different choice; [`AppError::Unavailable`] when the database cannot answer.
#[server(input = Json, endpoint = "consent")]
pub async fn record_consent(record: ConsentRecord, lang: Option<String>) -> Result<(), AppError> {
    use crate::{
        domain::language::{from_code, Locale},
        server::{consent, http},
    };

    if let Err(why) = record.check() {
        tracing::info!(%why, "consent record refused");
        http::set_error_status(AppError::BadRequest.status());
        return Err(AppError::BadRequest);
    }
    let state = super::error::app_state()?;
    let locale = lang.as_deref().and_then(from_code).unwrap_or(Locale::en_GB);
    match consent::record_consent(&state.pool, &record, locale)
        .await
        .map_err(super::error::unavailable("recording a consent choice"))?
    {
        consent::Proof::Recorded | consent::Proof::AlreadyRecorded => Ok(()),
        consent::Proof::IdTaken => {
            tracing::info!(id = %record.id, "consent record refused: id already used for another choice");
            http::set_error_status(AppError::BadRequest.status());
            Err(AppError::BadRequest)
        }
    }
}

/// Counts one view of the page at `path` for today. The browser calls it only while the
/// visitor allows analytics; nothing about the visitor is stored or looked at.
///
/// # Errors
/// [`AppError::BadRequest`] (400) for an address that is not a page of the site;
/// [`AppError::Unavailable`] when the database cannot answer.
#[server(endpoint = "page-view")]
pub async fn count_page_view(path: String) -> Result<(), AppError> {
    use crate::{
        domain::analytics::counted_path,
        server::{consent, http},
    };

    let Some(path) = counted_path(&path) else {
        http::set_error_status(AppError::BadRequest.status());
        return Err(AppError::BadRequest);
    };
    let state = super::error::app_state()?;
    consent::count_page_view(&state.pool, &path)
        .await
        .map_err(super::error::unavailable("counting a page view"))
}
