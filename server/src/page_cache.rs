//! Public pages as immutable bytes: a page that is the same for every visitor (see
//! `app::page_cache` for how a page says so) is rendered once, compressed once in both
//! encodings browsers ask for, and kept in memory until the published content, or a figure
//! it shows, changes. Every copy is then the same bytes, with a strong `ETag` (`304` when the
//! browser or a CDN already has them) and a `Cache-Control` that lets a shared cache keep them
//! briefly and revalidate.
//!
//! Only a GET without a query string is looked up: a query carries what a visitor typed (a
//! search, a form sent back without JavaScript), which must neither be kept nor be shown to
//! someone else. Only a 200 is kept: an error page names its request. A page is kept only if
//! nothing it shows changed while it was rendered. One request at a time renders a page to be
//! kept; the others that ask for it meanwhile wait for its bytes.

use crate::{
    protect::{insert_security_headers, SecurityHeaders},
    script_policy::LARGEST_PAGE,
};
use app::{
    page_cache::{CONTENT_ONLY_HEADER, FIGURES_HEADER},
    server::{content::ContentCache, figures::Figures},
};
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    io::Write,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, PoisonError, RwLock,
    },
};
use tokio::sync::watch;

/// Enough for every page of the site many times over; past it, pages are rendered as before.
const MOST_PAGES: usize = 1_000;

/// Browsers and CDNs may keep a public page, asking again (cheaply, with its `ETag`) before
/// each use by a browser; a CDN may serve its copy for a minute, and a stale one for ten while
/// it revalidates, so a peak of readers reaches the server once a minute per page.
pub const PUBLIC_PAGE: &str = "public, max-age=0, s-maxage=60, stale-while-revalidate=600";

/// The first brotli level a page is sent at: fast enough to compress during the request that
/// rendered it (about a millisecond for a post).
const FIRST_BROTLI: u32 = 5;
/// The level it is compressed at again in the background, for every later copy.
const BEST_BROTLI: u32 = 11;

pub struct PageCache {
    content: Arc<ContentCache>,
    figures: Arc<Figures>,
    /// Added to a kept page once, since its copies are answered before the layer that adds
    /// them to everything else.
    security: SecurityHeaders,
    pages: RwLock<HashMap<String, Arc<KeptPage>>>,
    /// The pages being rendered to be kept, each told when its render ends (its sender
    /// dropped): the requests that come meanwhile wait for its bytes instead of each
    /// rendering the page again (at every confirmed signature, `/` and `/take-action` are
    /// rendered again while readers keep asking for them).
    rendering: Mutex<HashMap<String, watch::Receiver<()>>>,
    /// Renders of pages that could be kept, since the start.
    renders: AtomicU64,
}

/// A request's part in a page's render: it renders the page, or waits for the render under
/// way.
enum Turn {
    Render(Rendering),
    Wait(watch::Receiver<()>),
}

/// Held while a page is rendered to be kept; dropped (rendered, failed, or the request
/// gone), it lets the requests waiting for the page go on.
struct Rendering {
    cache: Arc<PageCache>,
    path: String,
    _done: watch::Sender<()>,
}

impl Drop for Rendering {
    fn drop(&mut self) {
        self.cache
            .rendering
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.path);
    }
}

struct KeptPage {
    /// The content generation the page was rendered at.
    generation: u64,
    /// The figures generation, for a page that shows figures.
    figures: Option<u64>,
    /// The headers of every copy: the render's (type, script policy), the security headers,
    /// `Cache-Control` and `Vary`; the `ETag` and encoding are added per copy.
    headers: HeaderMap,
    /// Names the page's bytes: each encoding's `ETag` is made from it.
    tag: String,
    /// Each encoding's bytes with its `ETag`, made once; brotli's names its level too, since
    /// the better compression replaces the first once.
    plain: (Bytes, HeaderValue),
    gzip: (Bytes, HeaderValue),
    brotli: RwLock<(Bytes, HeaderValue)>,
}

/// How a copy is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl PageCache {
    pub fn new(
        content: Arc<ContentCache>,
        figures: Arc<Figures>,
        security: SecurityHeaders,
    ) -> Self {
        Self {
            content,
            figures,
            security,
            pages: RwLock::default(),
            rendering: Mutex::default(),
            renders: AtomicU64::new(0),
        }
    }

    /// How many times a page that could be kept was rendered since the start.
    pub fn renders(&self) -> u64 {
        self.renders.load(Ordering::Relaxed)
    }

    /// Whether this request renders `path` or waits for the render under way.
    fn turn(self: &Arc<Self>, path: &str) -> Turn {
        let mut rendering = self
            .rendering
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(done) = rendering.get(path) {
            return Turn::Wait(done.clone());
        }
        let (done, waiting) = watch::channel(());
        rendering.insert(path.to_owned(), waiting);
        Turn::Render(Rendering {
            cache: self.clone(),
            path: path.to_owned(),
            _done: done,
        })
    }

    /// The path a request's page is kept under once rendered: a GET without a query, while
    /// pages are kept at all.
    fn keepable_path<'r>(&self, request: &'r Request) -> Option<&'r str> {
        (request.method() == Method::GET)
            .then(|| self.answerable_path(request))
            .flatten()
    }

    /// The path a request could be answered from: a GET or a HEAD (link checkers, uptime
    /// monitors and caches revalidating ask with it; hyper sends the headers alone) without
    /// a query. A HEAD's render has no body, so only a GET's is ever kept.
    fn answerable_path<'r>(&self, request: &'r Request) -> Option<&'r str> {
        (matches!(*request.method(), Method::GET | Method::HEAD)
            && request.uri().query().is_none()
            && !self.content.is_disabled())
        .then(|| request.uri().path())
    }

    /// The kept page a request asks for, if it may be answered with one.
    fn for_request(&self, request: &Request) -> Option<Arc<KeptPage>> {
        self.answerable_path(request)
            .and_then(|path| self.kept(path))
    }

    fn is_current(&self, page: &KeptPage) -> bool {
        page.generation == self.content.generation()
            && page
                .figures
                .is_none_or(|figures| figures == self.figures.generation())
    }

    fn kept(&self, path: &str) -> Option<Arc<KeptPage>> {
        let pages = self.pages.read().unwrap_or_else(PoisonError::into_inner);
        pages
            .get(path)
            .filter(|page| self.is_current(page))
            .cloned()
    }

    fn keep(&self, path: String, page: Arc<KeptPage>) -> bool {
        let mut pages = self.pages.write().unwrap_or_else(PoisonError::into_inner);
        // Checked under the lock: a change that came in during the render makes it stale.
        if !self.is_current(&page) {
            return false;
        }
        pages.retain(|_, kept| self.is_current(kept));
        if pages.len() >= MOST_PAGES {
            return false;
        }
        pages.insert(path, page);
        true
    }
}

impl KeptPage {
    fn new(
        generation: u64,
        figures: Option<u64>,
        mut headers: HeaderMap,
        security: SecurityHeaders,
        plain: Bytes,
    ) -> std::io::Result<Self> {
        insert_security_headers(&mut headers, security);
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(PUBLIC_PAGE));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.remove(header::CONTENT_LENGTH);
        let tag = URL_SAFE_NO_PAD.encode(&Sha256::digest(&plain)[..16]);
        let gzip = gzip(&plain)?;
        let brotli = brotli(&plain, FIRST_BROTLI)?;
        Ok(Self {
            generation,
            figures,
            headers,
            plain: (plain, etag(&tag, "")),
            gzip: (gzip, etag(&tag, "-gz")),
            brotli: RwLock::new((brotli, etag(&tag, &format!("-br{FIRST_BROTLI}")))),
            tag,
        })
    }

    /// Replaces the first brotli copy by the smaller one, with a tag of its own.
    fn better_brotli(&self) {
        match brotli(&self.plain.0, BEST_BROTLI) {
            Ok(better) => {
                let etag = etag(&self.tag, &format!("-br{BEST_BROTLI}"));
                *self.brotli.write().unwrap_or_else(PoisonError::into_inner) = (better, etag);
            }
            Err(error) => tracing::warn!(%error, "a kept page stays at its first compression"),
        }
    }

    /// The copy for a request with `request` headers: the encoding it accepts best, or `304`
    /// when it already holds these bytes.
    fn answer(&self, request: &HeaderMap) -> Response {
        let encoding = preferred_encoding(request);
        let (body, etag) = match encoding {
            Encoding::Brotli => self
                .brotli
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
            Encoding::Gzip => self.gzip.clone(),
            Encoding::Identity => self.plain.clone(),
        };
        let not_modified = matches_etag(request, &etag);
        let mut headers = self.headers.clone();
        headers.insert(header::ETAG, etag);
        if not_modified {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
                if let Some(value) = headers.get(&name) {
                    response.headers_mut().insert(name, value.clone());
                }
            }
            return response;
        }
        match encoding {
            Encoding::Brotli => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
            }
            Encoding::Gzip => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            Encoding::Identity => {}
        }
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = headers;
        response
    }
}

/// Answers from a kept page when there is one, before anything else: a kept page is static
/// bytes, and the layers a render needs (request id, trace span, compression, timeouts) cost
/// more than sending it. Placed outermost.
pub async fn answer_kept(
    State(cache): State<Arc<PageCache>>,
    request: Request,
    next: Next,
) -> Response {
    match cache.for_request(&request) {
        Some(page) => {
            let mut answer = page.answer(request.headers());
            // Every answer names its request, as the layer this one goes before does: the
            // caller's own id when it is a plain token, else a new one.
            let id = request
                .headers()
                .get(crate::startup::REQUEST_ID)
                .filter(|id| id.to_str().is_ok_and(app::server::http::is_plain_token))
                .cloned()
                .or_else(|| HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()).ok());
            if let Some(id) = id {
                answer.headers_mut().insert(crate::startup::REQUEST_ID, id);
            }
            answer
        }
        None => next.run(request).await,
    }
}

/// Keeps what a page allows, as it was rendered. Placed innermost.
pub async fn serve(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    if let Some(page) = cache.for_request(&request) {
        return page.answer(request.headers());
    }
    let Some(path) = cache.keepable_path(&request).map(str::to_owned) else {
        return without_notes(next.run(request).await);
    };
    let rendering = match cache.turn(&path) {
        Turn::Render(rendering) => Some(rendering),
        Turn::Wait(mut done) => {
            // Err once the render ends: its sender is dropped, never used.
            let _ = done.changed().await;
            if let Some(page) = cache.for_request(&request) {
                return page.answer(request.headers());
            }
            // Not kept (a page made for one visitor, an error, a change meanwhile): this
            // request's own render, as before there was any keeping.
            None
        }
    };
    // Read before rendering: a change during the render leaves the page stale at once.
    let generation = cache.content.generation();
    let figures = cache.figures.generation();
    let request_headers = request.headers().clone();

    cache.renders.fetch_add(1, Ordering::Relaxed);
    let (response, notes) = take_notes(next.run(request).await);
    if response.status() != StatusCode::OK || !notes.content_only {
        return response;
    }
    let (parts, body) = response.into_parts();
    let plain = match axum::body::to_bytes(body, LARGEST_PAGE).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(path, %error, "the page could not be read whole");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let headers = parts.headers.clone();
    let figures = notes.figures.then_some(figures);
    let page = match KeptPage::new(generation, figures, headers, cache.security, plain.clone()) {
        Ok(page) => Arc::new(page),
        Err(error) => {
            tracing::error!(path, %error, "the page could not be compressed");
            return Response::from_parts(parts, Body::from(plain));
        }
    };
    let answer = page.answer(&request_headers);
    if cache.keep(path, page.clone()) {
        // Every later copy gets the smaller bytes; the first ones go at once.
        tokio::task::spawn_blocking(move || page.better_brotli());
    }
    // Only now, with the page kept, are the requests waiting for it let go.
    drop(rendering);
    answer
}

/// The strong `ETag` of the page named `tag` in the encoding `suffix` names. The tag is
/// base64url, so the value is always a valid header.
fn etag(tag: &str, suffix: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{tag}{suffix}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("\"\""))
}

fn gzip(plain: &[u8]) -> std::io::Result<Bytes> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(plain)?;
    encoder.finish().map(Bytes::from)
}

fn brotli(plain: &[u8], level: u32) -> std::io::Result<Bytes> {
    // A window no larger than the page: at level 11 the encoder's tables grow with it, and a
    // 4 MiB window for a 20 KB page only cost memory the process then kept.
    let window = (usize::BITS - plain.len().leading_zeros()).clamp(16, 22);
    let mut out = Vec::new();
    {
        let mut encoder = brotli::CompressorWriter::new(&mut out, 4096, level, window);
        encoder.write_all(plain)?;
        encoder.flush()?;
    }
    Ok(Bytes::from(out))
}

/// The encoding `Accept-Encoding` prefers among those kept: the highest `q` (brotli on a tie),
/// `*` standing for any not named. A value that cannot be read names nothing, and a request
/// that accepts neither gets the page as it is (the one answer that is always possible).
fn preferred_encoding(request: &HeaderMap) -> Encoding {
    let mut brotli = None;
    let mut gzip = None;
    let mut any = None;
    for value in request.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim();
            let mut quality = Some(1.0_f32);
            for parameter in parts {
                if let Some((name, value)) = parameter.split_once('=') {
                    if name.trim().eq_ignore_ascii_case("q") {
                        quality = value
                            .trim()
                            .parse::<f32>()
                            .ok()
                            .filter(|q| (0.0..=1.0).contains(q));
                    }
                }
            }
            let Some(quality) = quality else { continue };
            if coding.eq_ignore_ascii_case("br") {
                brotli = Some(quality);
            } else if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
                gzip = Some(quality);
            } else if coding == "*" {
                any = Some(quality);
            }
        }
    }
    let brotli = brotli.or(any).unwrap_or(0.0);
    let gzip = gzip.or(any).unwrap_or(0.0);
    if brotli > 0.0 && brotli >= gzip {
        Encoding::Brotli
    } else if gzip > 0.0 {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// Whether `If-None-Match` names `etag` (compared weakly, as RFC 9110 asks for this header),
/// or is `*`. Anything malformed or foreign simply does not match.
fn matches_etag(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let Ok(etag) = etag.to_str() else {
        return false;
    };
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == etag)
}

/// What a page told the cache.
struct Notes {
    content_only: bool,
    figures: bool,
}

/// Takes the page's notes off the response: they are for this server only.
fn take_notes(mut response: Response) -> (Response, Notes) {
    let headers = response.headers_mut();
    let content_only = headers.remove(CONTENT_ONLY_HEADER).is_some();
    let figures = headers.remove(FIGURES_HEADER).is_some();
    (
        response,
        Notes {
            content_only,
            figures,
        },
    )
}

fn without_notes(response: Response) -> Response {
    take_notes(response).0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    fn encoding(accept: &'static str) -> Encoding {
        preferred_encoding(&request(&[("accept-encoding", accept)]))
    }

    #[test]
    fn the_encoding_follows_what_the_browser_accepts() {
        assert_eq!(preferred_encoding(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(encoding("br, gzip"), Encoding::Brotli);
        assert_eq!(encoding("gzip, deflate, br, zstd"), Encoding::Brotli);
        assert_eq!(encoding("gzip"), Encoding::Gzip);
        assert_eq!(encoding("br;q=0, gzip"), Encoding::Gzip);
        assert_eq!(encoding("br;q=0.5, gzip;q=0.8"), Encoding::Gzip);
        assert_eq!(encoding("*"), Encoding::Brotli);
        assert_eq!(encoding("*;q=0, gzip"), Encoding::Gzip);
        assert_eq!(encoding("identity;q=0"), Encoding::Identity);
        assert_eq!(encoding("br;q=banana, gzip;q=2"), Encoding::Identity);
        assert_eq!(encoding("deflate"), Encoding::Identity);
    }

    #[test]
    fn only_the_same_tag_or_a_star_is_not_modified() {
        let etag = HeaderValue::from_static("\"abc-br11\"");
        for (value, matches) in [
            ("\"abc-br11\"", true),
            ("W/\"abc-br11\"", true),
            ("\"x\", \"abc-br11\"", true),
            ("*", true),
            ("\"abc-br5\"", false),
            ("abc-br11", false),
            ("\"", false),
            ("", false),
        ] {
            let map = request(&[("if-none-match", value)]);
            assert_eq!(matches_etag(&map, &etag), matches, "{value}");
        }
    }

    #[test]
    fn both_encodings_give_back_the_page() {
        let plain = "<p>Shared societies</p>".repeat(100);
        let gz = gzip(plain.as_bytes()).expect("gzip");
        let mut unzipped = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut unzipped)
            .expect("gunzip");
        assert_eq!(unzipped, plain);
        for level in [FIRST_BROTLI, BEST_BROTLI] {
            let br = brotli(plain.as_bytes(), level).expect("brotli");
            let mut unbrotlied = Vec::new();
            brotli::BrotliDecompress(&mut &br[..], &mut unbrotlied).expect("unbrotli");
            assert_eq!(unbrotlied, plain.as_bytes());
            assert!(br.len() < plain.len() / 10);
        }
    }
}
