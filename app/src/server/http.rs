//! How a server function answers a plain HTML form post (no JavaScript) as well as a script.
//!
//! A browser without JavaScript posts the form and follows a redirect: to a thank-you page
//! when the post worked, back to the form when it did not, with the error's codes in the
//! query (where the page's `ServerAction` finds them) and what was typed in a cookie for
//! that page alone. A script gets the status code instead.

use crate::domain::language::{localized, split_path, LOCALES};
use axum::http::{
    header::{ACCEPT, COOKIE, HOST, LOCATION, REFERER, RETRY_AFTER, SET_COOKIE},
    request::Parts,
    HeaderValue, StatusCode,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use leptos::{
    prelude::*,
    server_fn::error::{FromServerFnError, ServerFnUrlError},
};
use leptos_axum::ResponseOptions;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

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

/// What was typed into a form sent back with errors, and which form it was.
#[derive(Serialize, Deserialize)]
struct Echo<F, V> {
    form: F,
    values: V,
}

const ECHO_COOKIE: &str = "form_echo";
/// Long enough to follow the redirect on a slow phone; short enough that a shared computer
/// does not keep what someone typed.
const ECHO_SECONDS: u32 = 120;
/// Browsers keep cookies of about 4 KB; a larger echo (a long message in many scripts) is
/// not sent, and the form comes back empty but with its errors.
const LONGEST_ECHO: usize = 3_500;

/// After a plain form post that failed, sends the browser back to the page of this site it
/// came from (`fallback_page` if it did not say, or named another site) with `error` in the
/// query and `values` in a cookie only that page receives.
///
/// server_fn would do this too, but it appends the new error after any left in the address
/// by an earlier attempt, and the page shows the first: here old ones are removed first.
pub fn send_back_with_error<E, V>(
    server_fn_path: &str,
    fallback_page: &str,
    error: &E,
    values: Option<&V>,
) where
    E: FromServerFnError + Clone,
    V: Serialize,
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
        public_url.join(fallback_page)
    });
    ServerFnUrlError::<E>::strip_error_info(&mut base);
    let Ok(url) = ServerFnUrlError::new(server_fn_path, error.clone()).to_url(&base) else {
        return;
    };
    let Some(response) = use_context::<ResponseOptions>() else {
        return;
    };
    if let Ok(location) = HeaderValue::from_str(url.as_str()) {
        response.insert_header(LOCATION, location);
        response.set_status(StatusCode::SEE_OTHER);
    }
    let secure = use_context::<super::state::AppState>()
        .is_some_and(|state| state.site.public_url.is_https());
    // The form's page in each language: the reader may switch language to fix the errors
    // (the switch keeps the query, so the errors come along too).
    let (_, page) = split_path(url.path());
    for locale in LOCALES {
        if let Some(cookie) = values.and_then(|values| {
            echo_cookie(server_fn_path, &localized(locale, page), values, secure)
        }) {
            response.append_header(SET_COOKIE, cookie);
        }
    }
}

/// The `Set-Cookie` carrying `values` back to the form on `page`: only that page receives it
/// (`Path`), no script reads it (`HttpOnly`), another site's request does not carry it
/// (`SameSite=Lax`), and it is gone within minutes.
fn echo_cookie<V: Serialize>(
    server_fn_path: &str,
    page: &str,
    values: &V,
    secure: bool,
) -> Option<HeaderValue> {
    let echo = Echo {
        form: server_fn_path,
        values,
    };
    let value = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&echo).ok()?);
    // A path that would end the attribute early is left to the default, this page's folder.
    let plain_path = page
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b';' && b != b',');
    if value.len() > LONGEST_ECHO || !plain_path {
        return None;
    }
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{ECHO_COOKIE}={value}; Path={page}; Max-Age={ECHO_SECONDS}; HttpOnly; SameSite=Lax{secure}"
    ))
    .ok()
}

/// What was typed into the form of `server_fn_path` before it was sent back here with
/// errors, if this request carries it.
pub fn sent_back_values<V: DeserializeOwned>(server_fn_path: &str) -> Option<V> {
    let parts = use_context::<Parts>()?;
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(name, _)| *name == ECHO_COOKIE)
        .filter_map(|(_, value)| URL_SAFE_NO_PAD.decode(value).ok())
        .filter_map(|bytes| serde_json::from_slice::<Echo<String, V>>(&bytes).ok())
        .find(|echo| echo.form == server_fn_path)
        .map(|echo| echo.values)
}

/// The client a request came from (its address, or its network for IPv6), as the server's
/// rate limits know it: put in the request's extensions by them.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress(pub std::net::IpAddr);

/// The client of this request, as text, where the rate limits have named it.
pub fn client_address() -> Option<String> {
    use_context::<Parts>().and_then(|parts| {
        parts
            .extensions
            .get::<ClientAddress>()
            .map(|client| client.0.to_string())
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn cookie(page: &str, message: &str) -> Option<String> {
        echo_cookie("/api/pledge", page, &[("message", message)], true)
            .map(|value| value.to_str().unwrap_or_default().to_owned())
    }

    #[test]
    fn what_was_typed_goes_back_to_its_page_only_and_not_for_long() {
        let set = cookie("/donate", "Keep going!").expect("a cookie");
        assert!(set.starts_with("form_echo="));
        for attribute in [
            "; Path=/donate;",
            "; Max-Age=120;",
            "; HttpOnly",
            "; SameSite=Lax",
            "; Secure",
        ] {
            assert!(set.contains(attribute), "{attribute} in {set}");
        }
        let value = set["form_echo=".len()..]
            .split(';')
            .next()
            .unwrap_or_default();
        let echo: Echo<String, Vec<(String, String)>> =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(value).expect("base64")).expect("JSON");
        assert_eq!(echo.form, "/api/pledge");
        assert_eq!(
            echo.values,
            [("message".to_owned(), "Keep going!".to_owned())]
        );
    }

    #[test]
    fn an_echo_too_large_to_keep_or_a_path_that_would_break_the_cookie_is_not_sent() {
        assert!(cookie("/donate", &"ñ".repeat(2_000)).is_none());
        assert!(cookie("/news/a;b", "hi").is_none());
        assert!(cookie("/news/a b", "hi").is_none());
    }
}
