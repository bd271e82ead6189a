//! Turns away requests no page could make sense of, before they reach Leptos, and marks the
//! pages as the visitor's own.

use axum::{
    extract::Request,
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// A query string with a broken percent-escape (`%zz`, a lone `%`) or bytes that do not decode
/// to UTF-8 is answered 400: parsers downstream would otherwise guess at it or fail as a 500.
pub async fn reject_malformed_query(request: Request, next: Next) -> Response {
    match request.uri().query() {
        Some(query) if !is_well_formed_query(query) => bad_request(),
        _ => next.run(request).await,
    }
}

fn bad_request() -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        concat!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>Bad request · Shared Societies</title></head><body><main>",
            "<h1>This address could not be understood</h1>",
            "<p>The request could not be understood: part of the address after the ",
            "question mark is malformed. Check the link, or go to ",
            "<a href=\"/\">the home page</a>.</p></main></body></html>"
        ),
    )
        .into_response()
}

/// Whether every `%` starts a two-hex-digit escape and the decoded bytes are UTF-8.
fn is_well_formed_query(query: &str) -> bool {
    decodes_to_text(query.as_bytes())
}

/// Whether percent-encoded `encoded` (a query string, or a form's body) decodes to text: every
/// `%` starts a two-hex-digit escape and the bytes it stands for, with those sent as they are,
/// are UTF-8. What is not would reach a parser that guesses (U+FFFD in a stored address).
/// The separators (`&`, `=`) are ASCII and cannot split a character, so checking the whole
/// is checking every field.
pub fn decodes_to_text(encoded: &[u8]) -> bool {
    let mut decoded = Vec::with_capacity(encoded.len());
    let mut i = 0;
    while i < encoded.len() {
        if encoded[i] == b'%' {
            // Checked digit by digit: `from_str_radix` would also take a sign ("%+1").
            let hex = encoded
                .get(i + 1..i + 3)
                .filter(|pair| pair.iter().all(u8::is_ascii_hexdigit))
                .and_then(|pair| std::str::from_utf8(pair).ok());
            match hex.and_then(|pair| u8::from_str_radix(pair, 16).ok()) {
                Some(byte) => decoded.push(byte),
                None => return false,
            }
            i += 3;
        } else {
            decoded.push(encoded[i]);
            i += 1;
        }
    }
    std::str::from_utf8(&decoded).is_ok()
}

/// Whether a response with `headers` is an HTML page.
pub fn is_html(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"))
}

/// HTML that did not say otherwise is for one visitor: a search, a form sent back with what
/// was typed, a thanks page. It may be kept by the visitor's own browser (the back button) but
/// never by a proxy or CDN. Kept public pages say `public` themselves (`page_cache`).
pub async fn private_html(mut response: Response) -> Response {
    if is_html(response.headers()) && !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    response
}

/// The site's own files under `/pkg/`: with hashed names (a release build) a name never
/// changes content, so browsers and CDNs may keep them for a year without asking; without
/// hashes they must ask each time.
pub async fn cache_assets(
    axum::extract::State(hashed): axum::extract::State<bool>,
    request: Request,
    next: Next,
) -> Response {
    let is_asset = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    if is_asset && response.status().is_success() {
        let policy = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::{decodes_to_text, is_well_formed_query};

    #[test]
    fn ordinary_queries_are_well_formed() {
        for query in [
            "",
            "a=b",
            "utm_source=x&b",
            "q=a+b%20c",
            "name=%C3%A9",
            "x=%2F%3f",
        ] {
            assert!(is_well_formed_query(query), "{query:?}");
        }
    }

    #[test]
    fn broken_escapes_and_invalid_utf8_are_not() {
        for (query, why) in [
            ("%", "lone percent"),
            ("a=%f", "one hex digit"),
            ("a=%zz", "not hex"),
            ("a=%+1", "sign is not a digit"),
            ("q=%FF", "not UTF-8"),
            ("%C0%AF", "overlong encoding"),
            ("a=%C3", "truncated sequence"),
        ] {
            assert!(!is_well_formed_query(query), "{why}: {query:?}");
        }
    }

    #[test]
    fn raw_bytes_count_as_much_as_escaped_ones() {
        assert!(decodes_to_text("name=Zoë".as_bytes()), "raw UTF-8 is text");
        assert!(
            !decodes_to_text(b"name=\xff\xfe"),
            "raw bytes that are not UTF-8"
        );
        assert!(!decodes_to_text(b"form%5Bemail%5D=%FF%FE%40example.org"));
    }
}
