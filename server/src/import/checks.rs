//! What a content file may hold beyond its fields' shapes: how large it is, how deeply its
//! text nests, and where its links lead. Each check is cheap and runs before the Markdown is
//! rendered and sanitised, whose cost these limits bound.

use anyhow::bail;
use app::domain::is_safe_link;
use pulldown_cmark::{Event, Parser, Tag};
use std::borrow::Cow;

/// The most bytes a Markdown body may have. The longest real post is ~10 KB; a 9 MB one was
/// imported once and its page could not be served.
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// The most bytes of front matter (title, summary, tags, links): far above any real one.
pub const MAX_FRONT_MATTER_BYTES: usize = 64 << 10;
/// A file larger than this is refused unread.
pub const MAX_FILE_BYTES: u64 = (MAX_BODY_BYTES + MAX_FRONT_MATTER_BYTES + 16) as u64;
/// The most levels a body's blocks, lists, quotes, emphasis and raw HTML tags may nest inside
/// each other. Real posts nest fewer than ten; the sanitiser's HTML parser takes time that
/// grows with the square of the depth (100,000 nested `<div>`s, 1.1 MB, took 32 s).
pub const MAX_NESTING: usize = 32;

/// Refuses a body nested deeper than [`MAX_NESTING`] or with a link or image
/// ([`is_safe_link`]) that could lead off the site while looking like a path of it.
///
/// Reads pulldown-cmark's events only (no HTML is made) and stops at the first fault, so a
/// hostile megabyte is refused in milliseconds.
pub fn check_body(markdown: &str, options: pulldown_cmark::Options) -> anyhow::Result<()> {
    let mut depth = 0_usize;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => {
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &tag {
                    if !is_safe_link(dest_url) {
                        bail!("its text links to {dest_url:?}, {UNSAFE_LINK}");
                    }
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => depth = html_depth(&html, depth),
            _ => {}
        }
        if depth > MAX_NESTING {
            bail!(
                "its text nests more than {MAX_NESTING} levels deep (blocks, lists, quotes or \
                 HTML tags inside each other)"
            );
        }
    }
    Ok(())
}

/// Why a link is refused, after the link itself.
pub const UNSAFE_LINK: &str = "which must start with https://, http:// or a single / and hold no \
                               backslash or control character";

/// `depth` after the tags of a piece of raw HTML: an opening tag goes one deeper, a closing
/// tag one back. Tags that never enclose anything (`<br>`, `<img>`, `<x/>`) and those whose
/// end the parser supplies itself (`<p>`, `<li>`, `<td>` …) are not counted, so unclosed
/// paragraphs do not add up. Comments are skipped. Quotes in attributes are not followed: a
/// `>` inside one ends the tag early, which can only undercount by one.
fn html_depth(html: &str, mut depth: usize) -> usize {
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.split_once("-->").map_or("", |(_, after)| after);
            continue;
        }
        let (closing, name_start) = match rest.strip_prefix('/') {
            Some(after) => (true, after),
            None => (false, rest),
        };
        let name_len = name_start
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .unwrap_or(name_start.len());
        let name = &name_start[..name_len];
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let end = name_start.find('>').unwrap_or(name_start.len());
        let self_closing = name_start[..end].ends_with('/');
        rest = name_start.get(end + 1..).unwrap_or("");
        if self_closing || !encloses(name) {
            continue;
        }
        depth = if closing {
            depth.saturating_sub(1)
        } else {
            depth + 1
        };
    }
    depth
}

/// Whether an element holds others until its end tag: not void, and not one whose end tag
/// HTML lets an author leave out.
fn encloses(name: &str) -> bool {
    const NOT_ENCLOSING: [&str; 28] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead",
        "tbody", "tfoot", "colgroup", "rt", "rp",
    ];
    !NOT_ENCLOSING
        .iter()
        .any(|known| known.eq_ignore_ascii_case(name))
}

/// The sanitiser's policy for relative URLs (those without a scheme): kept when
/// [`is_safe_link`] allows them, dropped otherwise. The import refuses such links before they
/// get here; this keeps them out of stored HTML whatever the checks above miss.
pub fn relative_url_policy(url: &str) -> Option<Cow<'_, str>> {
    is_safe_link(url).then_some(Cow::Borrowed(url))
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::is_safe_front_matter_link;
    use std::time::{Duration, Instant};

    fn check(markdown: &str) -> anyhow::Result<()> {
        check_body(markdown, pulldown_cmark::Options::empty())
    }

    #[test]
    fn links_that_leave_the_site_while_looking_like_paths_are_refused() {
        for (url, why) in [
            ("/\\evil.example/phish", "backslash after the slash"),
            ("//evil.example/phish", "scheme-relative"),
            ("/a\\b", "backslash anywhere"),
            ("/\t/evil.example", "a tab browsers drop"),
            ("/\u{7f}x", "DEL"),
            (" //evil.example", "leading space"),
        ] {
            assert!(!is_safe_link(url), "{why}: {url:?}");
            assert!(!is_safe_front_matter_link(url), "{why}: {url:?}");
            assert!(relative_url_policy(url).is_none(), "{why}: {url:?}");
        }
        for url in [
            "/take-action",
            "https://example.org/a?b=c",
            "#part",
            "notes",
        ] {
            assert!(is_safe_link(url), "{url}");
        }
        assert!(
            !is_safe_front_matter_link("notes"),
            "front matter: absolute or /"
        );
    }

    #[test]
    fn body_links_and_images_are_checked_as_written_after_escapes() {
        for (body, why) in [
            ("[x](/\\\\evil.example)", "an escaped backslash"),
            ("[x](/&#92;evil.example)", "an entity for a backslash"),
            ("![x](//evil.example/a.png)", "an image"),
            ("[x][r]\n\n[r]: //evil.example", "a reference"),
        ] {
            let error = check(body).expect_err(why).to_string();
            assert!(error.contains("links to"), "{why}: {error}");
        }
        check("[ok](/news) ![ok](https://example.org/a.png) [ok](#top)").expect("fine links");
    }

    #[test]
    fn deep_nesting_is_refused_and_ordinary_nesting_is_not() {
        for (body, why) in [
            ("<div>".repeat(MAX_NESTING + 1), "raw divs"),
            (">".repeat(MAX_NESTING + 1) + " quote", "block quotes"),
            ("- ".repeat(MAX_NESTING + 1) + "item", "lists on one line"),
            ("<div><span>".repeat(MAX_NESTING) + "x", "HTML in one block"),
        ] {
            let error = check(&body).expect_err(why).to_string();
            assert!(error.contains("nests more than 32"), "{why}: {error}");
        }
        for (body, why) in [
            ("<p>a\n\n".repeat(10_000), "unclosed paragraphs"),
            ("<div>x</div>\n\n".repeat(10_000), "many shallow blocks"),
            ("<br><img src=\"/a.png\"><x/>".repeat(10_000), "void tags"),
            (
                "> - **bold _and [link](/news)_**\n".repeat(100),
                "an ordinary mix",
            ),
            ("<!-- <div><div><div> -->".repeat(100), "comments"),
        ] {
            check(&body).unwrap_or_else(|error| panic!("{why}: {error}"));
        }
    }

    #[test]
    fn a_hostile_megabyte_is_refused_in_milliseconds() {
        for (body, why) in [
            ("<div>".repeat(100_000), "100,000 nested divs"),
            (">".repeat(MAX_BODY_BYTES), "a megabyte of quotes"),
            ("*".repeat(MAX_BODY_BYTES), "a megabyte of emphasis"),
            ("[".repeat(MAX_BODY_BYTES), "a megabyte of brackets"),
        ] {
            let started = Instant::now();
            let _ = check(&body);
            let took = started.elapsed();
            // Generous for a debug build on a busy machine; the release takes milliseconds.
            assert!(took < Duration::from_secs(2), "{why}: {took:?}");
        }
    }
}
