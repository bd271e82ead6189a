//! What feed readers and crawlers fetch: the Atom feeds (all news, and one per tag), the
//! sitemap and robots.txt. All of it is read from the in-memory content, like the pages.

use app::{
    domain::{Post, PublishedDate, Slug},
    locale::{code, localized, Locale, LOCALES},
    server::{content::Content, state::AppState},
    site::{PublicUrl, LOGO_PATH, ORGANISATION, SITE_NAME},
};
use atom_syndication::{
    Category, Content as EntryContent, Entry, Feed, FixedDateTime, Link, Person, Text,
};
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use leptos_i18n::td_string;
use quick_xml::{events::BytesText, Writer};
use std::sync::Arc;

/// How many posts a feed carries: readers keep what they have already fetched.
const FEED_ENTRIES: usize = 20;
/// Feeds and the sitemap change only with the content; a few minutes' caching is harmless.
const CACHE_CONTROL: HeaderValue = HeaderValue::from_static("public, max-age=300");

/// The routes of this module, merged into the site's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feed.xml", get(|state| news_feed(state, Locale::en_GB)))
        .route("/es/feed.xml", get(|state| news_feed(state, Locale::es)))
        .route(
            "/news/tag/{tag}/feed.xml",
            get(|state, tag| tag_feed(state, tag, Locale::en_GB)),
        )
        .route(
            "/es/news/tag/{tag}/feed.xml",
            get(|state, tag| tag_feed(state, tag, Locale::es)),
        )
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
}

/// The news in `locale`: every post, in its translation where it has one (as the pages show
/// them), else as written, its language said.
async fn news_feed(State(state): State<AppState>, locale: Locale) -> Response {
    let Ok(content) = published(&state).await else {
        return unavailable();
    };
    let posts: Vec<Post> = content
        .posts()
        .iter()
        .map(|post| content.post_in(post, locale))
        .collect();
    let feed = feed(
        &state.site.public_url,
        locale,
        "/feed.xml",
        "/news",
        td_string!(locale, common.feed.news, site = SITE_NAME).to_string(),
        &posts,
    );
    xml_response("application/atom+xml; charset=utf-8", feed.to_string())
}

async fn tag_feed(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    locale: Locale,
) -> Response {
    let Ok(content) = published(&state).await else {
        return unavailable();
    };
    let Some((tag, posts)) = Slug::parse(&tag).and_then(|slug| {
        let tag = content.tag(&slug)?.clone();
        let posts = content.posts_tagged(Some(&slug))?;
        Some((
            tag,
            posts
                .into_iter()
                .map(|post| content.post_in(post, locale))
                .collect::<Vec<_>>(),
        ))
    }) else {
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "There is no such tag.",
        )
            .into_response();
    };
    let feed = feed(
        &state.site.public_url,
        locale,
        &tag.feed_href(),
        &tag.href(),
        td_string!(locale, common.feed.tag, site = SITE_NAME, tag = &tag.name).to_string(),
        &posts,
    );
    xml_response("application/atom+xml; charset=utf-8", feed.to_string())
}

async fn published(state: &AppState) -> Result<Arc<Content>, ()> {
    state.published().await.map_err(|error| {
        tracing::error!(%error, "loading the published content for a feed");
    })
}

fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::RETRY_AFTER, "5"),
        ],
        "Something went wrong on our side. Please try again in a moment.",
    )
        .into_response()
}

fn xml_response(content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, CACHE_CONTROL),
        ],
        body,
    )
        .into_response()
}

/// Midnight UTC of `day`, as Atom's dates must carry a time.
fn midnight(day: PublishedDate) -> FixedDateTime {
    FixedDateTime::parse_from_rfc3339(&format!("{}T00:00:00Z", day.iso())).unwrap_or_default()
}

/// An Atom feed in `locale` of `posts` (newest first): each entry with its summary and its
/// whole sanitised body, its links made absolute by `xml:base`. Paths are the English
/// site's; the feed's own and its pages' are made `locale`'s here.
fn feed(
    public_url: &PublicUrl,
    locale: Locale,
    self_path: &str,
    html_path: &str,
    title: String,
    posts: &[Post],
) -> Feed {
    let absolute = |path: &str| public_url.join(path);
    let page = |path: &str| public_url.join(&localized(locale, path));
    let organisation = Person {
        name: format!("{SITE_NAME} ({ORGANISATION})"),
        uri: Some(page("/")),
        ..Person::default()
    };
    let entries: Vec<Entry> = posts
        .iter()
        .take(FEED_ENTRIES)
        .map(|post| {
            let url = page(&post.href());
            Entry {
                id: url.clone(),
                title: Text::plain(post.title.clone()),
                updated: midnight(post.modified_on()),
                published: Some(midnight(post.published_on)),
                summary: Some(Text::plain(post.summary.clone())),
                content: Some(EntryContent {
                    base: Some(absolute("/")),
                    // A post without a translation is in its own language.
                    lang: (post.locale != locale).then(|| code(post.locale).to_owned()),
                    value: Some(post.body_html.clone()),
                    content_type: Some("html".to_owned()),
                    ..EntryContent::default()
                }),
                links: vec![Link {
                    href: url,
                    rel: "alternate".to_owned(),
                    mime_type: Some("text/html".to_owned()),
                    ..Link::default()
                }],
                categories: post
                    .tags
                    .iter()
                    .map(|tag| Category {
                        term: tag.slug.as_ref().to_owned(),
                        scheme: Some(absolute("/news/tag/")),
                        label: Some(tag.name.clone()),
                    })
                    .collect(),
                authors: vec![organisation.clone()],
                ..Entry::default()
            }
        })
        .collect();
    let updated = entries
        .iter()
        .map(|entry| entry.updated)
        .max()
        .unwrap_or_default();
    Feed {
        id: page(self_path),
        title: Text::plain(title),
        updated,
        authors: vec![organisation],
        links: vec![
            Link {
                href: page(self_path),
                rel: "self".to_owned(),
                mime_type: Some("application/atom+xml".to_owned()),
                ..Link::default()
            },
            Link {
                href: page(html_path),
                rel: "alternate".to_owned(),
                mime_type: Some("text/html".to_owned()),
                ..Link::default()
            },
        ],
        icon: Some(absolute("/favicon.svg")),
        logo: Some(absolute(LOGO_PATH)),
        lang: Some(code(locale).to_owned()),
        entries,
        ..Feed::default()
    }
}

async fn sitemap(State(state): State<AppState>) -> Response {
    let Ok(content) = published(&state).await else {
        return unavailable();
    };
    match sitemap_xml(&state.site.public_url, &content) {
        Ok(xml) => xml_response("application/xml; charset=utf-8", xml),
        Err(error) => {
            tracing::error!(%error, "writing the sitemap");
            unavailable()
        }
    }
}

/// Every public page in each language, with the day it last changed where that is known,
/// and its versions in the other languages (`xhtml:link`, as search engines read
/// `hreflang` in sitemaps).
fn sitemap_xml(public_url: &PublicUrl, content: &Content) -> std::io::Result<String> {
    let mut pages: Vec<(String, Option<PublishedDate>)> = Vec::new();
    let newest = content.posts().first().map(Post::modified_on);
    for path in [
        "/",
        "/news",
        "/members",
        "/take-action",
        "/donate",
        "/cookies",
    ] {
        pages.push((path.to_owned(), None));
    }
    let listing_pages = |posts: usize| posts.div_ceil(app::server::content::POSTS_PER_PAGE);
    for page in 2..=listing_pages(content.posts().len()) {
        pages.push((format!("/news?page={page}"), None));
    }
    for post in content.posts() {
        pages.push((post.href(), Some(post.modified_on())));
    }
    for tag in content.tags() {
        let posts = content
            .posts_tagged(Some(&tag.slug))
            .map_or(0, |posts| posts.len());
        pages.push((tag.href(), None));
        for page in 2..=listing_pages(posts) {
            pages.push((format!("{}?page={page}", tag.href()), None));
        }
    }
    for profile in content.members() {
        pages.push((profile.member.href(), None));
    }
    let mut documents: Vec<_> = content.pending_documents().collect();
    documents.sort_by(|a, b| a.slug.as_ref().cmp(b.slug.as_ref()));
    for document in documents {
        pages.push((document.href(), None));
    }
    if let Some(first) = pages.first_mut() {
        first.1 = newest;
    }

    let mut writer = Writer::new(Vec::new());
    writer.write_event(quick_xml::events::Event::Decl(
        quick_xml::events::BytesDecl::new("1.0", Some("UTF-8"), None),
    ))?;
    writer
        .create_element("urlset")
        .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
        .with_attribute(("xmlns:xhtml", "http://www.w3.org/1999/xhtml"))
        .write_inner_content(|writer| {
            for locale in LOCALES {
                for (path, lastmod) in &pages {
                    writer.create_element("url").write_inner_content(|writer| {
                        writer
                            .create_element("loc")
                            .write_text_content(BytesText::new(
                                &public_url.join(&localized(locale, path)),
                            ))?;
                        if let Some(day) = lastmod {
                            writer
                                .create_element("lastmod")
                                .write_text_content(BytesText::new(&day.iso()))?;
                        }
                        for other in LOCALES {
                            writer
                                .create_element("xhtml:link")
                                .with_attribute(("rel", "alternate"))
                                .with_attribute(("hreflang", code(other)))
                                .with_attribute((
                                    "href",
                                    public_url.join(&localized(other, path)).as_str(),
                                ))
                                .write_empty()?;
                        }
                        Ok(())
                    })?;
                }
            }
            Ok(())
        })?;
    String::from_utf8(writer.into_inner()).map_err(std::io::Error::other)
}

async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "# Pages for one visitor (thanks, confirmations) and searches are not for indexing.\n\
         User-agent: *\n\
         Disallow: /api/\n\
         Disallow: /search\n\
         Disallow: /take-action/thanks\n\
         Disallow: /take-action/confirm/\n\
         Disallow: /donate/thanks/\n\
         Disallow: /es/search\n\
         Disallow: /es/take-action/thanks\n\
         Disallow: /es/take-action/confirm/\n\
         Disallow: /es/donate/thanks/\n\
         \n\
         Sitemap: {}\n",
        state.site.public_url.join("/sitemap.xml")
    );
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, CACHE_CONTROL),
        ],
        body,
    )
        .into_response()
}
