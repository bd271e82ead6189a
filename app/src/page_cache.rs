//! What a page tells the server's cache of rendered pages (`server/src/page_cache.rs`), in two
//! response headers the cache removes before anything leaves the server.
//!
//! Rendering a post costs about three times as much as sending the same bytes from a file, yet
//! a post only changes when the content does. A page that depends on nothing but the published
//! content and its address says so; the server then keeps its HTML until the content changes.
//! The few values that must differ in every response (the script nonce, a form's idempotency
//! key) are listed, and the cache replaces them in each copy it sends.

/// Present on a page that depends only on the published content and its path.
pub const CONTENT_ONLY_HEADER: &str = "x-page-cache-content-only";
/// One per value that must be new in every response: `nonce <value>` or `uuid <value>`.
pub const FRESH_VALUE_HEADER: &str = "x-page-cache-fresh";

/// Marks the page being rendered as depending only on the published content and its path.
pub fn content_only() {
    #[cfg(feature = "ssr")]
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::HeaderName::from_static(CONTENT_ONLY_HEADER),
            axum::http::HeaderValue::from_static("1"),
        );
    }
}

/// What kind of value must be made anew for each copy of a kept page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fresh {
    Nonce,
    Uuid,
}

impl Fresh {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nonce => "nonce",
            Self::Uuid => "uuid",
        }
    }

    pub fn parse(kind: &str) -> Option<Self> {
        match kind {
            "nonce" => Some(Self::Nonce),
            "uuid" => Some(Self::Uuid),
            _ => None,
        }
    }
}

/// Lists `value`, drawn for this response only, for the cache to replace in its copies.
pub fn fresh(kind: Fresh, value: &str) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(header)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        axum::http::HeaderValue::from_str(&format!("{} {value}", kind.as_str())),
    ) {
        response.append_header(
            axum::http::HeaderName::from_static(FRESH_VALUE_HEADER),
            header,
        );
    }
    #[cfg(not(feature = "ssr"))]
    let _ = (kind, value);
}
