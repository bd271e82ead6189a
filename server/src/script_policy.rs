//! The Content-Security-Policy of a rendered page, with its inline scripts allowed by hash.
//!
//! A per-response nonce would make every response different bytes, so a page could not be
//! kept compressed, answered with `304`, or cached by a CDN. A hash names the script itself:
//! the same page has the same policy for every visitor. Only scripts the site knows are
//! hashed: the loader (its text is fixed at startup) and the data Leptos writes for the
//! islands, which must be nothing but assignments of literals to Leptos's own globals. Any
//! other inline script (markup that slipped into a page some way) stays out of the policy,
//! so the browser refuses to run it, as it would have without the nonce.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use base64::{engine::general_purpose::STANDARD, Engine};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Far above any page of the site (a post is ~22 KB).
pub const LARGEST_PAGE: usize = 8 << 20;

/// What the policy of every rendered page is made from.
#[derive(Debug)]
pub struct ScriptPolicy {
    /// The page's module script, exactly as every page carries it.
    loader: String,
    /// Its source in the policy, made once.
    loader_source: String,
}

impl ScriptPolicy {
    pub fn new(loader: String) -> Self {
        let loader_source = source(&loader);
        Self {
            loader,
            loader_source,
        }
    }

    /// The `'sha256-…'` sources of the inline scripts in `html` the site wrote, in page order.
    pub fn sources(&self, html: &str) -> Vec<String> {
        let mut sources: Vec<String> = Vec::new();
        for script in inline_scripts(html) {
            if !script.runs {
                continue;
            }
            let source = if script.text == self.loader {
                Some(self.loader_source.clone())
            } else {
                is_leptos_data(script.text).then(|| source(script.text))
            };
            if let Some(source) = source {
                if !sources.contains(&source) {
                    sources.push(source);
                }
            } else {
                tracing::warn!(
                    "an inline script the site did not write was left out of the policy"
                );
            }
        }
        sources
    }
}

/// The `'sha256-…'` source that allows the inline script `text`.
fn source(text: &str) -> String {
    format!("'sha256-{}'", STANDARD.encode(Sha256::digest(text)))
}

/// The policy of a rendered page: inline scripts by hash, wasm compiled from this site, frames
/// only from the video and map hosts (and only once a visitor allows them).
pub fn page_csp(sources: &[String]) -> String {
    format!(
        "default-src 'self'; script-src 'self' {} 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://www.openstreetmap.org; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        sources.join(" ")
    )
}

/// Gives a rendered page the policy its scripts need. A page without any inline script the
/// site wrote (a plain error page) keeps the strict fallback policy set further out.
pub async fn add_page_policy(
    State(policy): State<Arc<ScriptPolicy>>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    if !crate::request_guard::is_html(response.headers())
        || response.headers().contains_key(header::CONTENT_ENCODING)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, LARGEST_PAGE).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "the page could not be read whole");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let sources = std::str::from_utf8(&bytes)
        .map(|html| policy.sources(html))
        .unwrap_or_default();
    if !sources.is_empty() {
        if let Ok(value) = HeaderValue::from_str(&page_csp(&sources)) {
            parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

struct InlineScript<'a> {
    text: &'a str,
    /// Whether a browser runs it: no `type`, or a JavaScript one (not JSON-LD).
    runs: bool,
}

/// The `<script>` elements of `html` without a `src`, as the server wrote them.
fn inline_scripts(html: &str) -> impl Iterator<Item = InlineScript<'_>> {
    let mut rest = html;
    std::iter::from_fn(move || loop {
        let start = rest.find("<script")?;
        let after = &rest[start + "<script".len()..];
        let tag_end = after.find('>')?;
        let attributes = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let end = body.find("</script>")?;
        rest = &body[end + "</script>".len()..];
        // `<scripts>` or the like is not a script element.
        if !attributes.is_empty() && !attributes.starts_with(char::is_whitespace) {
            continue;
        }
        if attribute(attributes, "src").is_some() {
            continue;
        }
        let runs = attribute(attributes, "type")
            .is_none_or(|kind| matches!(kind, "" | "module" | "text/javascript"));
        return Some(InlineScript {
            text: &body[..end],
            runs,
        });
    })
}

/// The value of `name` in a tag's attributes as the server writes them (`name="value"`), or
/// `""` for a bare attribute.
fn attribute<'a>(attributes: &'a str, name: &str) -> Option<&'a str> {
    let mut words = attributes;
    while let Some(at) = words.find(name) {
        let before = words[..at].chars().next_back();
        let after = &words[at + name.len()..];
        words = after;
        if before.is_some_and(|c| !c.is_whitespace()) {
            continue;
        }
        if let Some(value) = after.strip_prefix("=\"") {
            return value.split('"').next();
        }
        if after.is_empty() || after.starts_with(char::is_whitespace) || after.starts_with('/') {
            return Some("");
        }
    }
    None
}

/// Whether `script` is only what Leptos writes to hand the islands their data (see
/// hydration_context's `ssr.rs`): assignments to its globals of arrays of numbers and string
/// literals, and pushes of the same. Whatever came from data sits inside string literals.
fn is_leptos_data(script: &str) -> bool {
    let mut cursor = Cursor(script);
    while !cursor.0.is_empty() {
        let statement = if cursor.eat("__RESOLVED_RESOURCES=[") {
            cursor.list(|c| {
                if c.number() && !c.eat(": ") {
                    return false;
                }
                c.string()
            }) && cursor.eat("];")
        } else if cursor.eat("__SERIALIZED_ERRORS=[") {
            cursor.list(Cursor::error) && cursor.eat("];")
        } else if cursor.eat("__PENDING_RESOURCES=[") || cursor.eat("__INCOMPLETE_CHUNKS=[") {
            cursor.list(Cursor::number) && cursor.eat("];")
        } else if cursor.eat("__RESOURCE_RESOLVERS=[];") {
            true
        } else if cursor.eat("__RESOLVED_RESOURCES[") {
            cursor.number() && cursor.eat("] = ") && cursor.string() && cursor.eat(";")
        } else if cursor.eat("__SERIALIZED_ERRORS.push(") {
            cursor.error() && cursor.eat(");")
        } else {
            false
        };
        if !statement {
            return false;
        }
    }
    true
}

struct Cursor<'a>(&'a str);

impl Cursor<'_> {
    fn eat(&mut self, expected: &str) -> bool {
        match self.0.strip_prefix(expected) {
            Some(rest) => {
                self.0 = rest;
                true
            }
            None => false,
        }
    }

    fn number(&mut self) -> bool {
        let digits = self.0.len()
            - self
                .0
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .len();
        self.0 = &self.0[digits..];
        digits > 0
    }

    /// A double-quoted literal as Rust's `{:?}` writes it: no bare quote, every backslash
    /// escaping the next character.
    fn string(&mut self) -> bool {
        if !self.eat("\"") {
            return false;
        }
        let mut chars = self.0.char_indices();
        while let Some((at, c)) = chars.next() {
            match c {
                '"' => {
                    self.0 = &self.0[at + 1..];
                    return true;
                }
                '\\' if chars.next().is_none() => return false,
                '\n' | '\r' => return false,
                _ => {}
            }
        }
        false
    }

    /// `[boundary, index, "message"]`.
    fn error(&mut self) -> bool {
        self.eat("[")
            && self.number()
            && self.eat(", ")
            && self.number()
            && self.eat(", ")
            && self.string()
            && self.eat("]")
    }

    /// Items each followed by a comma, up to (not through) the closing bracket.
    fn list(&mut self, mut item: impl FnMut(&mut Self) -> bool) -> bool {
        while !self.0.starts_with(']') {
            if !(item(self) && self.eat(",")) {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOADER: &str = "const JS = \"/pkg/a.js\";\nstart();";

    fn policy() -> ScriptPolicy {
        ScriptPolicy::new(LOADER.to_owned())
    }

    #[test]
    fn what_leptos_writes_is_data() {
        for script in [
            "__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[0,1,2,];__RESOURCE_RESOLVERS=[];",
            "__INCOMPLETE_CHUNKS=[];",
            r#"__RESOLVED_RESOURCES[0] = "{\"currencies\":[\"EUR\"]}";__RESOLVED_RESOURCES[1] = "null";"#,
            r#"__SERIALIZED_ERRORS.push([1, 0, "it \"failed\" \u003c"]);"#,
            r#"__RESOLVED_RESOURCES=[3: "x",];__SERIALIZED_ERRORS=[[1, 2, "e"],];"#,
        ] {
            assert!(is_leptos_data(script), "{script}");
        }
    }

    #[test]
    fn a_quote_escaped_inside_the_string_stays_data() {
        assert!(is_leptos_data(
            r#"__RESOLVED_RESOURCES[0] = "x\";alert(1);//";"#
        ));
    }

    #[test]
    fn anything_else_is_not() {
        for script in [
            "alert(1)",
            r#"__RESOLVED_RESOURCES[0] = "x";alert(1)"#,
            r#"__RESOLVED_RESOURCES[0] = "x";alert(1);//";"#,
            r#"__RESOLVED_RESOURCES[0] = x;"#,
            "__PENDING_RESOURCES=[0,alert(1),];",
            "__RESOLVED_RESOURCES[0] = \"a\nb\";",
            "__RESOLVED_RESOURCES=[]",
        ] {
            assert!(!is_leptos_data(script), "{script}");
        }
    }

    #[test]
    fn only_the_sites_own_scripts_are_hashed() {
        let html = format!(
            "<head><script type=\"module\">{LOADER}</script>\
             <script type=\"application/ld+json\">{{\"a\":1}}</script>\
             <script src=\"/pkg/x.js\"></script></head><body><p>a &lt;script&gt;</p>\
             <script>alert(1)</script><script>__INCOMPLETE_CHUNKS=[];</script></body>"
        );
        let sources = policy().sources(&html);
        let hash = |text: &str| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(text)));
        assert_eq!(sources, [hash(LOADER), hash("__INCOMPLETE_CHUNKS=[];")]);
    }

    #[test]
    fn a_page_without_the_sites_scripts_has_no_sources() {
        assert!(policy().sources("<p>No scripts</p>").is_empty());
        assert!(policy().sources("<script>alert(1)</script>").is_empty());
    }

    #[test]
    fn the_policy_names_the_hashes_and_allows_nothing_inline_else() {
        let csp = page_csp(&["'sha256-abc='".to_owned()]);
        assert!(csp.contains("script-src 'self' 'sha256-abc=' 'wasm-unsafe-eval'"));
        assert!(!csp.contains("unsafe-inline") && !csp.contains("nonce"));
    }
}
