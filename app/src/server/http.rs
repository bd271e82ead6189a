//! How a server function answers a plain HTML form post (no JavaScript) as well as a script.
//!
//! A browser without JavaScript posts the form and follows a redirect: to a thank-you page
//! when the post worked, back to the form (with the error in the query, where the page's
//! `ServerAction` finds it) when it did not. A script gets the status code instead.

use axum::http::{
    header::{ACCEPT, HOST, LOCATION, REFERER, RETRY_AFTER},
    request::Parts,
    HeaderValue, StatusCode,
};
use leptos::{
    prelude::*,
    server_fn::error::{FromServerFnError, ServerFnUrlError},
};
use leptos_axum::ResponseOptions;

/// Whether the request is a browser's own form post, as opposed to a script's call.
pub fn is_plain_form_post() -> bool {
    use_context::<Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
}

/// How soon a client may try again after a 503: a locked or full database is usually free
/// again within seconds.
const RETRY_AFTER_SECONDS: &str = "5";

/// Sets the HTTP status of the response being made (a page or a server function's answer).
/// A 503 also says when to retry.
pub fn set_status(code: u16) {
    if let (Some(response), Ok(status)) =
        (use_context::<ResponseOptions>(), StatusCode::from_u16(code))
    {
        response.set_status(status);
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.insert_header(RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS));
        }
    }
}

/// Sets the status of a failed call, except for a plain form post, which must stay a redirect
/// back to the form.
pub fn set_error_status(code: u16) {
    if !is_plain_form_post() {
        set_status(code);
    }
}

/// After a plain form post that worked, sends the browser to `path` (post/redirect/get).
pub fn redirect_plain_form_post(path: &str) {
    if is_plain_form_post() {
        leptos_axum::redirect(path);
    }
}

/// After a plain form post that failed, sends the browser back to the page of this site it
/// came from (`fallback_page` if it did not say, or named another site) with `error` in the
/// query.
///
/// server_fn would do this too, but it appends the new error after any left in the address
/// by an earlier attempt, and the page shows the first: here old ones are removed first.
pub fn send_back_with_error<E>(server_fn_path: &str, fallback_page: &str, error: &E)
where
    E: FromServerFnError + Clone,
{
    if !is_plain_form_post() {
        return;
    }
    // Only a page of this site: the form cannot be made to send anyone elsewhere.
    let referer = use_context::<Parts>().and_then(|parts| {
        let host = parts.headers.get(HOST)?.to_str().ok()?;
        let referer = parts.headers.get(REFERER)?.to_str().ok()?;
        let rest = referer
            .strip_prefix("https://")
            .or_else(|| referer.strip_prefix("http://"))?;
        let authority = rest.split(['/', '?', '#']).next()?;
        (authority == host).then(|| referer.to_owned())
    });
    let mut base = referer.unwrap_or_else(|| {
        let public_url = use_context::<super::state::AppState>()
            .map(|state| state.site.public_url.clone())
            .unwrap_or_default();
        format!("{public_url}{fallback_page}")
    });
    ServerFnUrlError::<E>::strip_error_info(&mut base);
    let Ok(url) = ServerFnUrlError::new(server_fn_path, error.clone()).to_url(&base) else {
        return;
    };
    if let (Some(response), Ok(location)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(url.as_str()),
    ) {
        response.insert_header(LOCATION, location);
        response.set_status(StatusCode::SEE_OTHER);
    }
}

/// The id the server gave this request (the `x-request-id` it logs under), so a reader who
/// reports an error can be matched to its cause.
pub fn request_id() -> Option<String> {
    use_context::<Parts>().and_then(|parts| {
        parts
            .headers
            .get("x-request-id")
            .and_then(|id| id.to_str().ok())
            // Anyone can send their own id: only a plain token is repeated to them.
            .filter(|id| is_plain_token(id))
            .map(str::to_owned)
    })
}

/// Letters, digits and `-`/`_`, at most 64 of them: a request id safe to put on a page.
pub fn is_plain_token(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
