//! What a page tells the server's cache of rendered pages (`server/src/page_cache.rs`), in
//! response headers the cache removes before anything leaves the server.
//!
//! Rendering a post costs several times as much as sending the same bytes from a file, yet a
//! public page only changes when the content (or a figure it shows) does. A page that is the
//! same for every visitor says so; the server then keeps its bytes, compressed, until what it
//! shows changes, and lets browsers and CDNs keep them too.

/// Present on a page that depends only on the published content and its path.
pub const CONTENT_ONLY_HEADER: &str = "x-page-cache-content-only";
/// Present on a kept page that also shows live figures (signatures, gifts received).
pub const FIGURES_HEADER: &str = "x-page-cache-figures";

/// Marks the page being rendered as the same for every visitor: it depends only on the
/// published content and its path.
pub fn content_only() {
    note(CONTENT_ONLY_HEADER);
}

/// Marks the page being rendered as the same for every visitor until a figure changes (a
/// signature confirmed, a gift received) or the content does.
pub fn content_and_figures() {
    note(CONTENT_ONLY_HEADER);
    note(FIGURES_HEADER);
}

fn note(name: &'static str) {
    #[cfg(feature = "ssr")]
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::HeaderName::from_static(name),
            axum::http::HeaderValue::from_static("1"),
        );
    }
    #[cfg(not(feature = "ssr"))]
    let _ = name;
}
