use super::error::{AppError, FormError};
use crate::{
    domain::signup::{CallToAction, Confirmation, SignatureCount, SignupError, SignupForm},
    locale::Locale,
};
use leptos::prelude::*;

/// The call to action's page content in `locale` (its own words where it has no
/// translation), with its live count.
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server]
pub async fn get_call_to_action(locale: Locale) -> Result<CallToAction, AppError> {
    use crate::{domain::signup::CALL_TO_ACTION, server::signups};
    let state = super::error::app_state()?;
    signups::call_to_action(&state.pool, CALL_TO_ACTION, locale)
        .await
        .map_err(super::error::unavailable("loading the call to action"))?
        .ok_or_else(|| {
            tracing::error!("the call to action is missing from the database");
            AppError::Unavailable
        })
}

/// The number of confirmed signatures (for the home page).
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server]
pub async fn get_signature_count() -> Result<SignatureCount, AppError> {
    use crate::{domain::signup::CALL_TO_ACTION, server::signups};
    let state = super::error::app_state()?;
    signups::signature_count(&state.pool, CALL_TO_ACTION)
        .await
        .map_err(super::error::unavailable("counting signatures"))?
        .ok_or_else(|| {
            tracing::error!("the call to action is missing from the database");
            AppError::Unavailable
        })
}

/// Signs the call to action.
///
/// The answer is the same whether the address is new, already signed, or the post came from
/// a bot (honeypot): the site never tells anyone whether an address has signed. A plain form
/// post is redirected to `/take-action/thanks`, or back to the form with the errors.
///
/// # Errors
/// [`FormError::Invalid`] with a message per wrong field (status 422 to a script);
/// [`FormError::Unavailable`] when the signature could not be stored (503).
#[server(endpoint = "sign-the-call")]
pub async fn sign_call(form: SignupForm) -> Result<(), FormError<SignupError>> {
    use crate::{
        domain::{
            language::{from_code, localized},
            signup::{SignupSubmission, CALL_TO_ACTION},
        },
        server::signups,
    };
    use leptos::server_fn::ServerFn;

    let locale = from_code(form.lang.trim()).unwrap_or(Locale::en_GB);
    let result = async {
        let signature = match form.parse() {
            Ok(SignupSubmission::Signature(signature)) => signature,
            Ok(SignupSubmission::Bot) => {
                tracing::info!("sign form: honeypot filled, nothing stored");
                return Ok(());
            }
            Err(errors) => return Err(FormError::Invalid { errors }),
        };
        let state = super::error::app_state().map_err(|_| FormError::Unavailable)?;
        // Committed with whatever other signatures arrive meanwhile: one disk flush for all.
        let recorded = state
            .writes
            .write(move |conn| {
                Box::pin(async move {
                    signups::record_signature_in(conn, CALL_TO_ACTION, &signature).await
                })
            })
            .await
            .map_err(|error| {
                tracing::error!(%error, "storing a signature");
                FormError::Unavailable
            })?;
        tracing::info!(?recorded, "sign form answered");
        if recorded.queued_mail() {
            state.mail_queued.notify_one();
        }
        Ok(())
    }
    .await;

    super::form::answer(
        &result,
        <SignCall as ServerFn>::PATH,
        &localized(locale, "/take-action"),
        || form.for_echo(),
        |()| localized(locale, "/take-action/thanks"),
    );
    result
}

/// Where a confirmation link stands, for the page it opens (which changes nothing).
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server]
pub async fn get_confirmation(token: String) -> Result<Confirmation, AppError> {
    use crate::{domain::signup::ConfirmationToken, server::signups};
    let Some(token) = ConfirmationToken::parse(&token) else {
        return Ok(Confirmation::Unknown);
    };
    let state = super::error::app_state()?;
    signups::confirmation(&state.pool, &token)
        .await
        .map_err(super::error::unavailable("reading a confirmation"))
}

/// Confirms the signature a confirmation link belongs to: the button on its page posts here,
/// with the page's language (`en`, `es`). A plain form post comes back to the same page,
/// which then shows the outcome.
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server(endpoint = "confirm-signature")]
pub async fn confirm_signature(
    token: String,
    lang: Option<String>,
) -> Result<Confirmation, AppError> {
    use crate::{
        domain::{
            language::{from_code, localized},
            signup::ConfirmationToken,
        },
        server::{http, signups},
    };
    let Some(token) = ConfirmationToken::parse(&token) else {
        return Ok(Confirmation::Unknown);
    };
    let state = super::error::app_state()?;
    let outcome = signups::confirm(&state.pool, &token)
        .await
        .map_err(super::error::unavailable("confirming a signature"))?;
    tracing::info!(?outcome, "confirmation answered");
    if outcome == Confirmation::Confirmed {
        // The count on this server's pages at once; other servers see the stored version.
        state.figures.changed();
    }
    let locale = lang
        .as_deref()
        .and_then(|lang| from_code(lang.trim()))
        .unwrap_or(Locale::en_GB);
    http::redirect_plain_form_post(&localized(
        locale,
        &format!("/take-action/confirm/{}", token.as_ref()),
    ));
    Ok(outcome)
}
