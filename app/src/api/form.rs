//! How a form's server function answers, the same for every form: a script gets the value or
//! the error as JSON with its status; a browser without JavaScript, which posted the form
//! itself, is sent on to the page that follows (post/redirect/get) or back to the form.
//!
//! Sent back, the form finds its errors as codes in the address and what was typed in a
//! short-lived cookie for that page only (see `server::http`), so no name or address ever
//! lands in an address bar, a history, a bookmark or a log.

#[cfg(feature = "ssr")]
use {super::error::FormError, crate::domain::FieldCode, serde::Serialize};

/// Answers a form post with `result`: on success a browser's own post is redirected to
/// `next(value)`; on failure the status is set and a browser's own post goes back to the
/// page it came from (`form_page` if it does not say) with the errors, and `values()` (what
/// was typed, cut to its fields: made only then) for the form to show again.
#[cfg(feature = "ssr")]
pub fn answer<T, C, V>(
    result: &Result<T, FormError<C>>,
    server_fn_path: &str,
    form_page: &str,
    values: impl FnOnce() -> V,
    next: impl FnOnce(&T) -> String,
) where
    C: FieldCode,
    V: Serialize,
{
    use crate::server::http;
    match result {
        Ok(value) => http::redirect_plain_form_post(&next(value)),
        Err(error) => {
            http::set_error_status(error.status());
            let values = matches!(error, FormError::Invalid { .. }).then(values);
            http::send_back_with_error(server_fn_path, form_page, error, values.as_ref());
        }
    }
}
