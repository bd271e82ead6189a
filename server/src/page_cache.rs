//! Rendered pages kept in memory until the published content changes (see `app::page_cache`
//! for how a page asks for it).
//!
//! Only a GET without a query string is looked up: a query carries what a visitor typed (a
//! search, a form sent back without JavaScript), which must neither be kept nor be shown to
//! someone else. Only a 200 is kept: an error page names its request. A page is kept only if
//! no content change happened while it was rendered.

use app::{
    page_cache::{Fresh, CONTENT_ONLY_HEADER, FRESH_VALUE_HEADER},
    server::content::ContentCache,
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::{
    collections::HashMap,
    sync::{Arc, PoisonError, RwLock},
};

/// Enough for every page of the site many times over; past it, pages are rendered as before.
const MOST_PAGES: usize = 1_000;
/// Far above any page of the site (a post is ~16 KB).
const LARGEST_PAGE: usize = 8 << 20;

pub struct PageCache {
    content: Arc<ContentCache>,
    pages: RwLock<HashMap<String, Arc<KeptPage>>>,
}

struct KeptPage {
    /// The content generation the page was rendered at.
    generation: u64,
    headers: HeaderMap,
    body: String,
    /// The values drawn for the render that was kept, to replace in every copy.
    fresh: Vec<(Fresh, String)>,
}

impl PageCache {
    pub fn new(content: Arc<ContentCache>) -> Self {
        Self {
            content,
            pages: RwLock::default(),
        }
    }

    fn kept(&self, path: &str, generation: u64) -> Option<Arc<KeptPage>> {
        let pages = self.pages.read().unwrap_or_else(PoisonError::into_inner);
        pages
            .get(path)
            .filter(|page| page.generation == generation)
            .cloned()
    }

    fn keep(&self, path: String, page: KeptPage) {
        let mut pages = self.pages.write().unwrap_or_else(PoisonError::into_inner);
        // Checked under the lock: a change that came in during the render makes it stale.
        if page.generation != self.content.generation() {
            return;
        }
        pages.retain(|_, kept| kept.generation == page.generation);
        if pages.len() < MOST_PAGES {
            pages.insert(path, Arc::new(page));
        }
    }
}

impl KeptPage {
    /// A copy for one response, with values of its own.
    fn copy(&self) -> Response {
        let mut body = self.body.clone();
        let mut headers = self.headers.clone();
        for (kind, old) in &self.fresh {
            let new = match kind {
                Fresh::Nonce => leptos::nonce::Nonce::new().to_string(),
                Fresh::Uuid => uuid::Uuid::new_v4().to_string(),
            };
            body = body.replace(old.as_str(), &new);
            // The policy names the nonce.
            for value in headers.values_mut() {
                let replaced = value
                    .to_str()
                    .ok()
                    .filter(|text| text.contains(old.as_str()))
                    .and_then(|text| text.replace(old.as_str(), &new).parse().ok());
                if let Some(replaced) = replaced {
                    *value = replaced;
                }
            }
        }
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = headers;
        response
    }
}

/// Answers from a kept page when there is one, and keeps what a page allows.
pub async fn serve(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    let path = (request.method() == Method::GET
        && request.uri().query().is_none()
        && !cache.content.is_disabled())
    .then(|| request.uri().path().to_owned());
    let Some(path) = path else {
        return without_notes(next.run(request).await);
    };
    let generation = cache.content.generation();
    if let Some(page) = cache.kept(&path, generation) {
        return page.copy();
    }

    let (response, notes) = take_notes(next.run(request).await);
    if response.status() != StatusCode::OK || !notes.content_only {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, LARGEST_PAGE).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(path, %error, "the page could not be read whole");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let body = match String::from_utf8(Vec::from(bytes)) {
        Ok(body) => body,
        Err(not_text) => return Response::from_parts(parts, Body::from(not_text.into_bytes())),
    };
    let page = KeptPage {
        generation,
        headers: parts.headers.clone(),
        body,
        fresh: notes.fresh,
    };
    let response = Response::from_parts(parts, Body::from(page.body.clone()));
    cache.keep(path, page);
    response
}

/// What a page told the cache.
struct Notes {
    content_only: bool,
    fresh: Vec<(Fresh, String)>,
}

/// Takes the page's notes off the response: they are for this server only.
fn take_notes(mut response: Response) -> (Response, Notes) {
    let headers = response.headers_mut();
    let content_only = headers.remove(CONTENT_ONLY_HEADER).is_some();
    let fresh = headers
        .get_all(FRESH_VALUE_HEADER)
        .iter()
        .filter_map(|value| {
            let (kind, value) = value.to_str().ok()?.split_once(' ')?;
            Some((Fresh::parse(kind)?, value.to_owned()))
        })
        .filter(|(_, value)| !value.is_empty())
        .collect();
    headers.remove(FRESH_VALUE_HEADER);
    (
        response,
        Notes {
            content_only,
            fresh,
        },
    )
}

fn without_notes(response: Response) -> Response {
    take_notes(response).0
}
