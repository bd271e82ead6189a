//! What every request passes before it reaches the site: cross-site writes are refused, bodies
//! are capped and must be text, a handler that panics answers a plain 500 page (the process keeps serving), and
//! every response carries the site's security headers.

use crate::request_guard::decodes_to_text;
use app::{
    locale::{localized, split_path, Locale},
    server::http::is_plain_token,
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri},
    middleware::Next,
    response::{IntoResponse, Response},
};
use futures_util::FutureExt;
use leptos::server_fn::ServerFn;
use leptos_i18n::td_string;
use std::{panic::AssertUnwindSafe, sync::Arc, time::Duration};
use tower_http::request_id::RequestId;

/// The largest request body taken: the longest form is a few KiB.
pub const MAX_BODY: usize = 16 * 1024;
/// The most a staff member's post may send: a text of 1 MB (the import's limit) encoded.
pub const MAX_POST_REQUEST: usize = 3 * 1024 * 1024 + 16 * 1024;
/// How long a client may take to send a body that size.
const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// A small HTML page in `locale` for answers the site makes before (or instead of)
/// rendering: it has no script and no style, so it needs nothing the strict fallback policy
/// would refuse. `title` and `message` are text of the site's own, in `locale`.
pub fn plain_page(
    status: StatusCode,
    locale: Locale,
    title: &str,
    message: &str,
    request_id: Option<&str>,
) -> Response {
    let reference = request_id
        .map(|id| {
            format!(
                "<p>{} <code>{id}</code>.</p>",
                td_string!(locale, common.plain.reference)
            )
        })
        .unwrap_or_default();
    let body = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Shared Societies</title></head><body><main>\
         <h1>{title}</h1><p>{message}</p>{reference}\
         <p><a href=\"{home}\">{go_home}</a></p></main></body></html>",
        lang = app::locale::code(locale),
        home = localized(locale, "/"),
        go_home = td_string!(locale, common.plain.home),
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// The language to answer a request in before any page is rendered: its page's, or for a
/// post (to `/api/…`), that of the page it was sent from, if the browser says.
pub fn request_locale(uri: &Uri, headers: &HeaderMap) -> Locale {
    if !uri.path().starts_with("/api/") {
        return split_path(uri.path()).0;
    }
    headers
        .get(header::REFERER)
        .and_then(|referer| referer.to_str().ok())
        .and_then(|referer| referer.parse::<Uri>().ok())
        .map_or(Locale::en_GB, |referer| split_path(referer.path()).0)
}

/// The request's id, if it is one we can show: a proxy may hand one in (and so may anyone),
/// so only a plain token goes onto a page.
fn request_id(request: &Request) -> Option<String> {
    request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .filter(|id| is_plain_token(id))
        .map(str::to_owned)
}

/// Whether the client wants a page back (a browser's own form post or navigation) rather than
/// the JSON a page's script reads.
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The origins this site is reached at: its public URL, and whatever Host the request names
/// (the same site reached by another name, e.g. `localhost` for `127.0.0.1`).
#[derive(Clone, Debug)]
pub struct SiteOrigin(pub Arc<str>);

/// Refuses a write a page of another site made the browser send (CSRF): 403, before any
/// handler runs, so nothing is stored. Browsers say where a request comes from in
/// `Sec-Fetch-Site` and `Origin`; a client that sends neither is not a browser acting for
/// someone else, so it passes (and meets the same validation as everyone).
pub async fn refuse_cross_site_writes(
    State(site): State<SiteOrigin>,
    request: Request,
    next: Next,
) -> Response {
    if is_write(request.method()) && is_cross_site(request.headers(), &site.0) {
        tracing::info!(
            origin = ?request.headers().get(header::ORIGIN),
            fetch_site = ?request.headers().get("sec-fetch-site"),
            "cross-site write refused"
        );
        let locale = request_locale(request.uri(), request.headers());
        return plain_page(
            StatusCode::FORBIDDEN,
            locale,
            td_string!(locale, common.plain.cross_site_title),
            td_string!(locale, common.plain.cross_site),
            request_id(&request).as_deref(),
        );
    }
    next.run(request).await
}

fn is_cross_site(headers: &HeaderMap, public_origin: &str) -> bool {
    let fetch_site = headers.get("sec-fetch-site").map(|value| value.as_bytes());
    if fetch_site.is_some_and(|site| site != b"same-origin" && site != b"none") {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let Ok(origin) = origin.to_str() else {
        return true;
    };
    if origin == public_origin {
        return false;
    }
    // `null` (sandboxed frames, data: pages) has no host and never matches.
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok());
    !matches!((origin_host, host), (Some(origin_host), Some(host)) if origin_host.eq_ignore_ascii_case(host))
}

/// Reads a write's body up to [`MAX_BODY`], with or without a `Content-Length`, so no handler
/// ever reads more: 413 beyond it, 408 when the client is too slow to send it, 415 when it is
/// neither a form nor JSON, 400 when what it says is not UTF-8 text.
pub async fn cap_body(request: Request, next: Next) -> Response {
    if !is_write(request.method()) {
        return next.run(request).await;
    }
    // A post's text may be up to 1 MB, and URL-encoding can triple it; every other form is
    // a few fields.
    let max_body = if request.uri().path() == app::api::staff::SaveStaffPost::PATH {
        MAX_POST_REQUEST
    } else {
        MAX_BODY
    };
    let id = request_id(&request);
    let locale = request_locale(request.uri(), request.headers());
    let too_large = || {
        plain_page(
            StatusCode::PAYLOAD_TOO_LARGE,
            locale,
            td_string!(locale, common.plain.too_large_title),
            td_string!(locale, common.plain.too_large),
            id.as_deref(),
        )
    };
    // Forms come URL-encoded, the consent proof as JSON; anything else (text/plain, XML,
    // multipart) is not something a page of this site sends, and server_fn would otherwise
    // parse it regardless of its type.
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase());
    if !matches!(
        content_type.as_deref(),
        Some("application/x-www-form-urlencoded" | "application/json")
    ) {
        return plain_page(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            locale,
            td_string!(locale, common.plain.unreadable_title),
            td_string!(locale, common.plain.wrong_format),
            id.as_deref(),
        );
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok())
        .and_then(|length| length.parse::<u64>().ok());
    if declared.is_some_and(|length| length > max_body as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, max_body)).await;
    match read {
        Ok(Ok(bytes)) => {
            // serde_urlencoded turns bytes that are not UTF-8 into U+FFFD, which then passes
            // for a character someone typed (an address `��@example.org` was stored and mailed);
            // JSON is checked too, so no body reaches a handler as anything but text.
            let is_text = match content_type.as_deref() {
                Some("application/json") => std::str::from_utf8(&bytes).is_ok(),
                _ => decodes_to_text(&bytes),
            };
            if !is_text {
                return not_text(&parts.headers, locale, id.as_deref());
            }
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Err(error)) if is_length_limit(&error) => too_large(),
        Ok(Err(_)) => plain_page(
            StatusCode::BAD_REQUEST,
            locale,
            td_string!(locale, common.plain.broken_title),
            td_string!(locale, common.plain.broken),
            id.as_deref(),
        ),
        Err(_) => plain_page(
            StatusCode::REQUEST_TIMEOUT,
            locale,
            td_string!(locale, common.plain.slow_title),
            td_string!(locale, common.plain.slow),
            id.as_deref(),
        ),
    }
}

/// A body that is not text: a page for a browser's own form post, otherwise the error every
/// form's script shows as "the form could not be read" (`BadRequest` of `FormError` and
/// `AppError` alike).
fn not_text(headers: &HeaderMap, locale: Locale, request_id: Option<&str>) -> Response {
    if wants_html(headers) {
        plain_page(
            StatusCode::BAD_REQUEST,
            locale,
            td_string!(locale, common.plain.unreadable_title),
            td_string!(locale, common.plain.not_text),
            request_id,
        )
    } else {
        (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "application/json")],
            "\"BadRequest\"",
        )
            .into_response()
    }
}

fn is_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = source {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = error.source();
    }
    false
}

/// A handler that panics gets a plain 500 page with the request's id (the log has the
/// panic); the connection and the process go on.
pub async fn catch_panics(request: Request, next: Next) -> Response {
    let id = request_id(&request);
    let locale = request_locale(request.uri(), request.headers());
    match AssertUnwindSafe(next.run(request)).catch_unwind().await {
        Ok(response) => response,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(panic = %message, "a handler panicked");
            plain_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                locale,
                td_string!(locale, common.plain.failed_title),
                td_string!(locale, common.plain.failed),
                id.as_deref(),
            )
        }
    }
}

/// Security headers for every response, and for pages the strictest policy unless the page
/// set its own (a rendered page carries one with its scripts' hashes, see `script_policy`).
#[derive(Clone, Copy, Debug)]
pub struct SecurityHeaders {
    /// Whether to send HSTS: only when the site is served over TLS.
    pub hsts: bool,
}

pub async fn add_security_headers(
    State(settings): State<SecurityHeaders>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    insert_security_headers(response.headers_mut(), settings);
    response
}

/// The headers [`add_security_headers`] adds, for an answer made before it (a kept page); a
/// header already set stays as it is.
pub fn insert_security_headers(headers: &mut HeaderMap, settings: SecurityHeaders) {
    let is_html = crate::request_guard::is_html(headers);
    let mut set = |name: header::HeaderName, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    // The full origin-and-path would leak form data in query strings to other sites; the
    // origin alone is all they get, while this site's own redirects keep the Referer.
    set(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    );
    set(header::X_FRAME_OPTIONS, "DENY");
    set(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if settings.hsts {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    if is_html {
        set(header::CONTENT_SECURITY_POLICY, FALLBACK_CSP);
    }
}

/// For HTML the app did not render (error pages of the middleware, static files).
const FALLBACK_CSP: &str = "default-src 'none'; img-src 'self'; style-src 'self'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    const SITE: &str = "https://shared-societies.example";

    #[test]
    fn same_origin_and_plain_clients_pass() {
        for pairs in [
            vec![("sec-fetch-site", "same-origin"), ("origin", SITE)],
            vec![("origin", SITE)],
            vec![
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000"),
            ],
            vec![("sec-fetch-site", "none")],
            vec![],
        ] {
            assert!(!is_cross_site(&headers(&pairs), SITE), "{pairs:?}");
        }
    }

    #[test]
    fn other_sites_are_refused() {
        for pairs in [
            vec![
                ("sec-fetch-site", "cross-site"),
                ("origin", "https://evil.example"),
            ],
            vec![
                ("sec-fetch-site", "same-site"),
                ("origin", "https://sub.shared-societies.example"),
            ],
            vec![
                ("origin", "https://evil.example"),
                ("host", "shared-societies.example"),
            ],
            vec![("origin", "null"), ("host", "shared-societies.example")],
            vec![
                ("sec-fetch-site", "same-origin"),
                ("origin", "https://evil.example"),
                ("host", "x"),
            ],
        ] {
            assert!(is_cross_site(&headers(&pairs), SITE), "{pairs:?}");
        }
    }
}
