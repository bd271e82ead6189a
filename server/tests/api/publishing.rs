//! Publishing: the news listing and its pages, tags, members, search, feeds, the sitemap,
//! robots.txt and the metadata of each page, over real imports.

use crate::helpers::{
    repository_content, spawn_app, spawn_app_with, Page, TestApp, PUBLIC_URL, SEED_POST,
};
use reqwest::StatusCode;
use serde_json::Value;
use std::{path::Path, time::Duration};
use tempfile::TempDir;

/// The site with the repository's own content (the seed post with its tags, Wim Kok).
async fn site() -> TestApp {
    spawn_app_with(|config| config.content_dir = repository_content()).await
}

/// A content folder of `count` posts, one a day from 2020-01-01 (post-1 the oldest), each
/// tagged "Every post" and every third also "Third".
fn many_posts(count: usize) -> TempDir {
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::create_dir_all(dir.path().join("posts")).expect("creates");
    for n in 1..=count {
        let tags = if n % 3 == 0 {
            "[\"Every post\", \"Third\"]"
        } else {
            "[\"Every post\"]"
        };
        std::fs::write(
            dir.path().join(format!("posts/post-{n}.md")),
            format!(
                "+++\ntitle = \"Post number {n}\"\nslug = \"post-{n}\"\ndate = 2020-01-{day:02}\n\
                 summary = \"Summary {n}.\"\ntags = {tags}\n+++\n\nBody of post {n}.\n",
                day = n
            ),
        )
        .expect("writes");
    }
    dir
}

impl TestApp {
    async fn get(&self, path: &str) -> (StatusCode, String, String) {
        let response = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("the server answers");
        let status = response.status();
        let content_type = crate::helpers::header(response.headers(), "content-type");
        (status, content_type, response.text().await.expect("a body"))
    }
}

impl Page {
    /// The `href`s of the post titles a listing shows, in order.
    pub fn listed_posts(&self) -> Vec<String> {
        self.html
            .split("<li class=\"post-item")
            .skip(1)
            .filter_map(|item| {
                let at = ["href=\"/news/", "href=\"/es/news/"]
                    .iter()
                    .filter_map(|link| item.find(link))
                    .min()?
                    + "href=\"".len();
                Some(item[at..].split('"').next()?.to_owned())
            })
            .collect()
    }

    /// The JSON-LD of the page, parsed.
    fn structured_data(&self) -> Value {
        let marker = "type=\"application/ld+json\">";
        let start = self.html.find(marker).expect("a JSON-LD script") + marker.len();
        let end = start + self.html[start..].find("</script>").expect("closed");
        serde_json::from_str(&self.html[start..end]).expect("JSON-LD parses as JSON")
    }

    fn meta(&self, attribute: &str) -> Option<String> {
        let tag = self.tag_with(attribute)?;
        let at = tag.find("content=\"")? + "content=\"".len();
        Some(tag[at..].split('"').next()?.replace("&amp;", "&"))
    }
}

#[tokio::test]
async fn news_lists_each_post_with_date_title_summary_and_tags() {
    let app = site().await;
    let page = app.page("/news").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.listed_posts(), [SEED_POST]);
    let text = page.text();
    assert!(text.contains("6 October 2010"), "{text}");
    assert!(text.contains("Wim Kok called on stakeholders and global cities"));
    for tag in [
        "/news/tag/cities",
        "/news/tag/leadership",
        "/news/tag/migration",
    ] {
        assert!(page.html.contains(&format!("href=\"{tag}\"")), "{tag}");
    }
    assert!(
        page.tag_with("rel=\"next\"").is_none(),
        "one page: nothing next"
    );
}

#[tokio::test]
async fn news_is_paginated_ten_a_page_with_prev_and_next() {
    let app = spawn_app().await;
    let dir = many_posts(25);
    app.import(dir.path()).await.expect("imports");

    let first = app.page("/news").await;
    let listed = first.listed_posts();
    assert_eq!(listed.len(), 10);
    assert_eq!(listed[0], "/news/post-25", "newest first");
    assert!(
        !listed.iter().any(|href| href == SEED_POST),
        "the seed post has no file in this folder: retired"
    );
    assert!(first
        .tag_with("rel=\"next\"")
        .is_some_and(|tag| tag.contains("href=\"/news?page=2\"")));
    assert!(first.tag_with("rel=\"prev\"").is_none());
    assert!(first.text().contains("Page 1 of 3"));

    let second = app.page("/news?page=2").await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.listed_posts()[0], "/news/post-15");
    assert!(second
        .tag_with("rel=\"prev\"")
        .is_some_and(|tag| tag.contains("href=\"/news\"")));
    assert!(second
        .tag_with("rel=\"canonical\"")
        .is_some_and(|tag| tag.contains(&format!("{PUBLIC_URL}/news?page=2"))));

    let last = app.page("/news?page=3").await;
    assert_eq!(last.listed_posts().len(), 5);
    assert!(last.tag_with("rel=\"next\"").is_none());

    for (query, status) in [
        ("4", StatusCode::NOT_FOUND),
        ("4294967295", StatusCode::NOT_FOUND),
        ("0", StatusCode::BAD_REQUEST),
        ("-1", StatusCode::BAD_REQUEST),
        ("abc", StatusCode::BAD_REQUEST),
        ("1.5", StatusCode::BAD_REQUEST),
        ("99999999999999999999999", StatusCode::BAD_REQUEST),
        ("", StatusCode::BAD_REQUEST),
    ] {
        let page = app.page(&format!("/news?page={query}")).await;
        assert_eq!(page.status, status, "?page={query}");
        assert!(
            !page.html.contains("post-item"),
            "?page={query} lists nothing"
        );
    }
}

#[tokio::test]
async fn a_tag_lists_its_posts_and_unknown_tags_are_not_found() {
    let app = spawn_app().await;
    let dir = many_posts(12);
    app.import(dir.path()).await.expect("imports");

    let third = app.page("/news/tag/third").await;
    assert_eq!(third.status, StatusCode::OK);
    assert_eq!(
        third.listed_posts(),
        [
            "/news/post-12",
            "/news/post-9",
            "/news/post-6",
            "/news/post-3"
        ]
    );
    assert!(third.text().contains("Third"));
    assert!(
        third.tag_with("type=\"application/atom+xml\"").is_some(),
        "its feed is announced"
    );
    assert!(third.html.contains("href=\"/news/tag/third/feed.xml\""));

    let every = app.page("/news/tag/every-post?page=2").await;
    assert_eq!(every.status, StatusCode::OK);
    assert_eq!(every.listed_posts(), ["/news/post-2", "/news/post-1"]);
    assert_eq!(
        app.page("/news/tag/every-post?page=3").await.status,
        StatusCode::NOT_FOUND
    );
    for unknown in [
        "/news/tag/nothing",
        "/news/tag/Third",
        "/news/tag/%3Cscript%3E",
    ] {
        assert_eq!(
            app.page(unknown).await.status,
            StatusCode::NOT_FOUND,
            "{unknown}"
        );
    }
    assert_eq!(
        app.page("/news/tag/third?page=x").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn members_are_listed_and_each_page_names_their_posts() {
    let app = site().await;
    let list = app.page("/members").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.html.contains("href=\"/members/wim-kok\""));
    let text = list.text();
    assert!(
        text.contains("Former Prime Minister of the Netherlands"),
        "{text}"
    );
    assert!(text.contains("1 news post"), "{text}");

    let member = app.page("/members/wim-kok").await;
    assert_eq!(member.listed_posts(), [SEED_POST]);
    for unknown in ["/members/nobody", "/members/Wim-Kok", "/members/x%00"] {
        assert_eq!(
            app.page(unknown).await.status,
            StatusCode::NOT_FOUND,
            "{unknown}"
        );
    }
}

#[tokio::test]
async fn search_finds_words_and_marks_them() {
    let app = site().await;
    let page = app.page("/search?q=populist+movements").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.listed_posts(), [SEED_POST]);
    assert!(
        page.html.contains("<mark>populist</mark>"),
        "matches are marked"
    );
    assert!(page
        .text()
        .contains("1 post contains all of: populist movements."));
    assert!(
        page.html.contains("value=\"populist movements\""),
        "the box keeps the words"
    );
    assert!(
        page.tag_with("name=\"robots\"")
            .is_some_and(|tag| tag.contains("noindex")),
        "results are not for search engines"
    );

    let stemmed = app.page("/search?q=MIGRATIONS").await;
    assert!(
        stemmed.html.contains("<mark>Migration</mark>"),
        "stems and case"
    );

    let none = app.page("/search?q=xylophone").await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.listed_posts().is_empty());
    assert!(none.text().contains("No posts contain all of: xylophone."));

    let empty = app.page("/search?q=").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.text().contains("Type one or more words"));
    assert_eq!(app.page("/search").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_spanish_site_searches_the_translations_in_spanish_and_the_rest_in_english() {
    // The repository's posts (the seed post and its Spanish version), and one post that has
    // no translation.
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::create_dir_all(dir.path().join("posts")).expect("creates");
    for file in std::fs::read_dir(repository_content().join("posts")).expect("the posts") {
        let path = file.expect("a file").path();
        let name = path.file_name().expect("a name");
        std::fs::copy(&path, dir.path().join("posts").join(name)).expect("copies");
    }
    std::fs::write(
        dir.path().join("posts/harbour.md"),
        "+++\ntitle = \"A harbour for newcomers\"\nslug = \"harbour\"\ndate = 2011-01-05\n\
         summary = \"Rotterdam opens its port.\"\n+++\n\nThe harbour city welcomes newcomers.\n",
    )
    .expect("writes");
    let app = spawn_app_with(|config| config.content_dir = dir.path().to_owned()).await;
    let spanish_seed = format!("/es{SEED_POST}");

    // Another form of a word finds it ("compartida" → "compartidas"), accents or none.
    for query in ["migrantes", "MIGRACION", "Compartida"] {
        let page = app.page(&format!("/es/search?q={query}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(
            page.listed_posts(),
            std::slice::from_ref(&spanish_seed),
            "{query}"
        );
        assert!(page.html.contains("<mark>"), "{query}: matches are marked");
    }
    let page = app.page("/es/search?q=sociedades+compartidas").await;
    assert!(
        page.text()
            .contains("Un llamamiento a la acción para construir sociedades compartidas"),
        "the title in Spanish: {}",
        page.text()
    );
    assert!(page.html.contains("<mark>compartidas</mark>"));

    // A post without a translation is found by its English words, and listed in Spanish.
    let harbour = app.page("/es/search?q=harbour").await;
    assert_eq!(harbour.listed_posts(), ["/es/news/harbour"]);
    // The seed post is searched in Spanish there, not in English.
    let english_words = app.page("/es/search?q=populist+movements").await;
    assert!(
        english_words.listed_posts().is_empty(),
        "{}",
        english_words.text()
    );
    // …and the English site knows no Spanish.
    let spanish_words = app.page("/search?q=sociedades").await;
    assert!(spanish_words.listed_posts().is_empty());
    assert_eq!(
        app.page("/search?q=harbour").await.listed_posts(),
        ["/news/harbour"]
    );
}

#[tokio::test]
async fn hostile_and_huge_queries_are_only_text() {
    let app = site().await;
    let long = "shared ".repeat(1_500);
    for query in [
        "\"",
        "\"unbalanced",
        "NEAR(migration",
        "migration OR",
        "*",
        "title:migration",
        "-migration",
        "^migration",
        "'); DROP TABLE posts; --",
        "%00",
        long.as_str(),
    ] {
        let url = format!(
            "/search?q={}",
            percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC)
        );
        let page = app.page(&url).await;
        assert_eq!(page.status, StatusCode::OK, "{query:.40}");
        assert!(!page.html.contains("could not be loaded"), "{query:.40}");
    }
    let huge = app
        .page(&format!("/search?q={}", "shared+".repeat(1_500)))
        .await;
    assert!(huge.text().contains("only its first words were used"));
    assert_eq!(huge.listed_posts(), [SEED_POST]);

    let script = app
        .page("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E+migration")
        .await;
    assert!(!script.html.contains("<script>alert"), "never markup");
    let posts: i64 = app.scalar("SELECT count(*) FROM posts", &[]).await;
    assert_eq!(posts, 1);
}

#[tokio::test]
async fn the_atom_feed_parses_and_carries_summary_and_sanitised_content() {
    let app = site().await;
    let (status, content_type, body) = app.get("/feed.xml").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/atom+xml; charset=utf-8");
    let feed = atom_syndication::Feed::read_from(body.as_bytes()).expect("valid Atom");
    assert_eq!(feed.id, format!("{PUBLIC_URL}/feed.xml"));
    assert_eq!(feed.entries.len(), 1);
    let entry = &feed.entries[0];
    assert_eq!(entry.id, format!("{PUBLIC_URL}{SEED_POST}"));
    assert_eq!(
        entry.title.value,
        "A call to action to build shared societies at the Cities of Migration conference"
    );
    assert!(entry
        .summary
        .as_ref()
        .is_some_and(|s| s.value.starts_with("Wim Kok called on stakeholders")));
    let content = entry
        .content
        .as_ref()
        .and_then(|c| c.value.as_deref())
        .expect("content");
    assert!(content.contains("<q>"), "the whole body, as HTML");
    assert_eq!(
        entry.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2010-10-06T00:00:00+00:00")
    );
    let terms: Vec<_> = entry.categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(terms, ["cities", "leadership", "migration"]);

    let (status, _, body) = app.get("/news/tag/migration/feed.xml").await;
    assert_eq!(status, StatusCode::OK);
    let tag_feed = atom_syndication::Feed::read_from(body.as_bytes()).expect("valid Atom");
    assert_eq!(tag_feed.entries.len(), 1);
    assert_eq!(
        app.get("/news/tag/nothing/feed.xml").await.0,
        StatusCode::NOT_FOUND
    );

    let home = app.page("/").await;
    assert!(
        home.tag_with("rel=\"alternate\"")
            .is_some_and(|tag| tag.contains("href=\"/feed.xml\"")),
        "autodiscovery"
    );
}

#[tokio::test]
async fn members_are_shown_in_spanish_where_translated_and_marked_english_where_not() {
    // The repository's content (Wim Kok has a Spanish version), and a member who has none.
    let dir = tempfile::tempdir().expect("a folder");
    for folder in ["posts", "members"] {
        std::fs::create_dir_all(dir.path().join(folder)).expect("creates");
        for file in std::fs::read_dir(repository_content().join(folder)).expect("the files") {
            let path = file.expect("a file").path();
            let name = path.file_name().expect("a name");
            std::fs::copy(&path, dir.path().join(folder).join(name)).expect("copies");
        }
    }
    std::fs::write(
        dir.path().join("members/ana-ruiz.md"),
        "+++\nname = \"Ana Ruiz\"\nslug = \"ana-ruiz\"\nrole = \"Mayor of Segovia\"\n+++\n\nAna Ruiz leads the city.\n",
    )
    .expect("writes");
    let app = spawn_app_with(|config| config.content_dir = dir.path().to_owned()).await;

    let translated = app.page("/es/members/wim-kok").await;
    assert_eq!(translated.status, StatusCode::OK);
    let text = translated.text();
    assert!(
        text.contains("Ex primer ministro de los Países Bajos"),
        "{text}"
    );
    assert!(text.contains("Wim Kok fue primer ministro"), "{text}");
    assert!(!text.contains("Este contenido aún no está traducido"));
    assert!(translated
        .tag_with("class=\"member-bio\"")
        .is_some_and(|tag| !tag.contains("lang=")));
    // The posts naming him, in their Spanish version.
    assert_eq!(translated.listed_posts(), [format!("/es{SEED_POST}")]);

    let untranslated = app.page("/es/members/ana-ruiz").await;
    assert!(untranslated
        .tag_with("class=\"member-bio\"")
        .is_some_and(|tag| tag.contains("lang=\"en\"")));
    assert!(untranslated
        .text()
        .contains("Este contenido aún no está traducido"));

    let directory = app.page("/es/members").await.text();
    assert!(directory.contains("Ex primer ministro") && directory.contains("Mayor of Segovia"));
    let english = app.page("/members/wim-kok").await.text();
    assert!(english.contains("Former Prime Minister of the Netherlands"));
}

#[tokio::test]
async fn the_spanish_site_has_feeds_in_spanish() {
    let app = site().await;
    let home = app.page("/es").await;
    assert!(
        home.tag_with("rel=\"alternate\" type=\"application/atom+xml\"")
            .is_some_and(|tag| tag.contains("href=\"/es/feed.xml\"")),
        "autodiscovery of the Spanish feed"
    );
    let (status, _, body) = app.get("/es/feed.xml").await;
    assert_eq!(status, StatusCode::OK);
    let feed = atom_syndication::Feed::read_from(body.as_bytes()).expect("valid Atom");
    assert_eq!(feed.id, format!("{PUBLIC_URL}/es/feed.xml"));
    assert_eq!(feed.lang.as_deref(), Some("es"));
    assert_eq!(feed.title.value, "Noticias de Shared Societies");
    let entry = &feed.entries[0];
    assert_eq!(entry.id, format!("{PUBLIC_URL}/es{SEED_POST}"));
    assert!(entry.title.value.starts_with("Un llamamiento a la acción"));
    let content = entry.content.as_ref().expect("content");
    assert!(content
        .value
        .as_deref()
        .is_some_and(|html| html.contains("Wim Kok señaló")));
    assert_eq!(content.lang, None, "the post is in the feed's language");

    let tag = app.page("/es/news/tag/migration").await;
    assert!(tag
        .html
        .contains("href=\"/es/news/tag/migration/feed.xml\""));
    let (status, _, body) = app.get("/es/news/tag/migration/feed.xml").await;
    assert_eq!(status, StatusCode::OK);
    let tag_feed = atom_syndication::Feed::read_from(body.as_bytes()).expect("valid Atom");
    assert!(tag_feed
        .title
        .value
        .starts_with("Noticias de Shared Societies sobre"));
    assert_eq!(tag_feed.entries.len(), 1);
}

/// The `<loc>`s of a sitemap, read with an XML parser.
fn sitemap_locations(xml: &str) -> Vec<String> {
    use quick_xml::{events::Event, Reader};
    let mut reader = Reader::from_str(xml);
    let mut locations = Vec::new();
    let mut in_loc = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(tag) => in_loc = tag.name().as_ref() == b"loc",
            Event::Text(text) if in_loc => {
                locations.push(text.decode().expect("text").into_owned());
            }
            Event::End(_) => in_loc = false,
            Event::Eof => break,
            _ => {}
        }
    }
    locations
}

#[tokio::test]
async fn the_sitemap_lists_every_public_page_and_robots_points_to_it() {
    let app = site().await;
    let (status, content_type, body) = app.get("/sitemap.xml").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/xml; charset=utf-8");
    assert!(body.contains(
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">"
    ));
    // Each page in both languages, each naming the other.
    assert!(body.contains(&format!(
        "<xhtml:link rel=\"alternate\" hreflang=\"es\" href=\"{PUBLIC_URL}/es{SEED_POST}\"/>"
    )));
    let locations = sitemap_locations(&body);
    for path in [
        "/",
        "/news",
        SEED_POST,
        "/news/tag/migration",
        "/members",
        "/members/wim-kok",
        "/take-action",
        "/donate",
        "/cookies",
        "/resources/wim-kok-intervention",
    ] {
        assert!(
            locations.contains(&format!("{PUBLIC_URL}{path}")),
            "{path} in {locations:?}"
        );
        let spanish = app::locale::localized(app::locale::Locale::es, path);
        assert!(
            locations.contains(&format!("{PUBLIC_URL}{spanish}")),
            "{spanish} in {locations:?}"
        );
    }
    for location in &locations {
        let path = location.trim_start_matches(PUBLIC_URL);
        assert_eq!(
            app.page(path).await.status,
            StatusCode::OK,
            "{path} is public"
        );
    }
    assert!(body.contains("<lastmod>2010-10-06</lastmod>"));
    // The Spanish home answers in Spanish, and `/es/` as typed leads to it.
    let home = app.page("/es").await;
    assert!(home.html.contains("<html lang=\"es\""), "{}", home.html);
    let typed = app.page("/es/").await;
    assert_eq!(typed.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(typed.headers["location"], "/es");

    let (status, content_type, robots) = app.get("/robots.txt").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/plain"));
    assert!(robots.contains(&format!("Sitemap: {PUBLIC_URL}/sitemap.xml")));
    assert!(robots.contains("Disallow: /take-action/confirm/"));
}

#[tokio::test]
async fn a_post_describes_itself_to_previews_and_search_engines() {
    let app = site().await;
    let page = app.page(SEED_POST).await;
    let url = format!("{PUBLIC_URL}{SEED_POST}");
    assert_eq!(
        page.meta("property=\"og:type\"").as_deref(),
        Some("article")
    );
    assert_eq!(
        page.meta("property=\"og:url\"").as_deref(),
        Some(url.as_str())
    );
    assert_eq!(
        page.meta("property=\"og:title\"").as_deref(),
        Some("A call to action to build shared societies at the Cities of Migration conference")
    );
    assert_eq!(
        page.meta("property=\"og:image\"").as_deref(),
        Some(format!("{PUBLIC_URL}/logo.png").as_str())
    );
    assert_eq!(
        page.meta("name=\"twitter:card\"").as_deref(),
        Some("summary")
    );
    assert!(page.meta("name=\"twitter:description\"").is_some());
    assert_eq!(
        page.meta("property=\"article:published_time\"").as_deref(),
        Some("2010-10-06")
    );

    let data = page.structured_data();
    assert_eq!(data["@context"], "https://schema.org");
    assert_eq!(data["@type"], "NewsArticle");
    assert_eq!(data["url"], url.as_str());
    assert_eq!(data["datePublished"], "2010-10-06");
    assert_eq!(data["publisher"]["logo"]["@type"], "ImageObject");
    assert_eq!(
        data["publisher"]["logo"]["url"],
        format!("{PUBLIC_URL}/logo.png")
    );
    assert_eq!(data["mentions"][0]["name"], "Wim Kok");

    let member = app.page("/members/wim-kok").await;
    let person = member.structured_data();
    assert_eq!(person["@type"], "Person");
    assert_eq!(person["name"], "Wim Kok");
    assert_eq!(
        member.meta("property=\"og:type\"").as_deref(),
        Some("profile")
    );

    // The tests serve no static files; the logo the metadata names is the one in public/.
    let logo = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/logo.png"))
        .expect("public/logo.png exists");
    assert!(logo.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    let size = |at: usize| u32::from_be_bytes([logo[at], logo[at + 1], logo[at + 2], logo[at + 3]]);
    assert_eq!(
        (size(16), size(20)),
        (512, 512),
        "as wide and high as the metadata says"
    );
}

#[tokio::test]
async fn hostile_markdown_never_reaches_the_page_the_feed_or_the_json_ld() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::create_dir_all(dir.path().join("posts")).expect("creates");
    std::fs::write(
        dir.path().join("posts/hostile.md"),
        "+++\ntitle = \"</title></script><script>alert('title')</script>\"\nslug = \"hostile\"\n\
         date = 2021-05-01\nsummary = \"<img src=x onerror=alert(1)>\"\ntags = [\"<b>Bold</b>\"]\n+++\n\n\
         Text <script>alert(2)</script> <img src=x onerror=alert(3)>\n\n\
         [a link](javascript:alert(4)) <a href=\"JaVaScRiPt:alert(5)\" onclick=\"x()\">b</a>\n",
    )
    .expect("writes");
    app.import(dir.path()).await.expect("imports");

    let page = app.page("/news/hostile").await;
    assert_eq!(page.status, StatusCode::OK);
    let data = page.structured_data();
    assert_eq!(
        data["headline"], "</title></script><script>alert('title')</script>",
        "kept as text"
    );
    assert!(
        page.html
            .contains("<title>&lt;/title&gt;&lt;/script&gt;&lt;script&gt;"),
        "escaped in the document title too"
    );
    let (_, _, feed) = app.get("/feed.xml").await;
    let parsed = atom_syndication::Feed::read_from(feed.as_bytes()).expect("still valid Atom");
    let content = parsed.entries[0]
        .content
        .as_ref()
        .and_then(|c| c.value.clone())
        .unwrap_or_default();
    let body = page
        .html
        .split("<div class=\"post-body\">")
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .expect("the post's body");
    assert!(body.contains("Text"), "{body}");
    for (what, text) in [("page's body", body), ("feed content", content.as_str())] {
        for bad in ["<script", "onerror", "javascript:", "JaVaScRiPt", "onclick"] {
            assert!(!text.contains(bad), "{bad} in the {what}");
        }
    }
    // The summary is text wherever it goes: shown, never parsed.
    assert!(page.html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!page.html.contains("<script>alert"));
    assert!(
        !feed.contains("<script") && !feed.contains("<img"),
        "the feed escapes its text"
    );
}

#[tokio::test]
async fn content_changed_by_anyone_is_served_within_seconds() {
    let app = site().await;
    assert!(app
        .page(SEED_POST)
        .await
        .text()
        .contains("Former Prime Minister"));
    // Staff with a database shell, behind the server's back: no invalidation from the test.
    app.execute(
        "UPDATE members SET role = 'Statesman and trade unionist' WHERE slug = 'wim-kok'",
        &[],
    )
    .await;
    let mut seen = false;
    for _ in 0..50 {
        if app
            .page(SEED_POST)
            .await
            .text()
            .contains("Statesman and trade unionist")
        {
            seen = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(seen, "the change shows within 5 s");
}

#[tokio::test]
async fn a_post_whose_file_is_gone_is_withdrawn_everywhere() {
    let app = spawn_app().await;
    let dir = many_posts(3);
    app.import(dir.path()).await.expect("imports");
    assert_eq!(app.page("/news/post-2").await.status, StatusCode::OK);
    std::fs::remove_file(dir.path().join("posts/post-2.md")).expect("removes");
    app.import(dir.path()).await.expect("imports");

    assert_eq!(app.page("/news/post-2").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.page("/news").await.listed_posts(),
        ["/news/post-3", "/news/post-1"]
    );
    let (_, _, feed) = app.get("/feed.xml").await;
    assert!(!feed.contains("/news/post-2"));
    let (_, _, sitemap) = app.get("/sitemap.xml").await;
    assert!(!sitemap.contains("/news/post-2"));
    assert!(app.page("/search?q=post").await.listed_posts().len() == 2);
    let status: String = app
        .scalar("SELECT status FROM posts WHERE slug = 'post-2'", &[])
        .await;
    assert_eq!(status, "draft", "kept, not deleted");
}
