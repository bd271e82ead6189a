//! The content import: the repository's own content, idempotence, sanitising, bad files,
//! and hostile files that must never take a page down.

use crate::helpers::{repository_content, spawn_app, spawn_app_with, TestApp, SEED_POST};
use app::server::db::Db;
use reqwest::StatusCode;
use std::time::{Duration, Instant};
use tempfile::TempDir;

impl TestApp {
    /// Everything an import writes, as text, to compare two states.
    async fn content_dump(&self) -> String {
        let mut dump = String::new();
        for sql in [
            "SELECT slug || title || summary || published_on || body_html || status || updated_at FROM posts ORDER BY slug",
            "SELECT slug || name FROM tags ORDER BY slug",
            "SELECT post_id || '/' || tag_id FROM post_tags ORDER BY 1",
            "SELECT slug || name || role || bio FROM members ORDER BY slug",
            "SELECT post_id || '/' || member_id || '/' || position FROM post_members ORDER BY 1",
            "SELECT slug || label || title || coalesce(url, '') || position FROM resources ORDER BY slug",
        ] {
            let rows: Vec<String> = self.scalars(sql, &[]).await;
            dump.push_str(&rows.join("\n"));
            dump.push('\n');
        }
        dump
    }
}

#[tokio::test]
async fn the_repository_content_imports_at_start_and_again_without_change() {
    let app = spawn_app_with(|config| config.content_dir = repository_content()).await;
    let tags: Vec<String> = app
        .scalars(
            "SELECT t.slug FROM tags t JOIN post_tags pt ON pt.tag_id = t.id ORDER BY t.slug",
            &[],
        )
        .await;
    assert_eq!(
        tags,
        ["cities", "leadership", "migration"],
        "imported at start"
    );

    let page = app.page(SEED_POST).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .text()
        .contains("misperceptions of people who are different"));
    assert!(page.html.contains("<q>"), "the quotes keep their markup");

    let before = app.content_dump().await;
    let again = app.import(&repository_content()).await.expect("imports");
    assert_eq!(again.posts, 1);
    assert_eq!(
        app.content_dump().await,
        before,
        "a second import changes nothing"
    );
}

#[tokio::test]
async fn hostile_markdown_is_stripped_before_it_is_stored() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::create_dir_all(dir.path().join("posts")).expect("creates");
    std::fs::write(
        dir.path().join("posts/hostile.md"),
        "+++\ntitle = \"Hostile\"\nslug = \"hostile\"\ndate = 2021-05-01\nsummary = \"S\"\n+++\n\n\
         Text <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n\
         [a link](javascript:alert(3)) <a href=\"jAvAsCrIpT:alert(4)\" onclick=\"x()\">b</a>\n",
    )
    .expect("writes");
    app.import(dir.path()).await.expect("imports");

    let stored: String = app
        .scalar("SELECT body_html FROM posts WHERE slug = 'hostile'", &[])
        .await;
    let page = app.page("/news/hostile").await;
    assert_eq!(page.status, StatusCode::OK);
    for bad in [
        "<script>alert",
        "onerror",
        "javascript:",
        "jAvAsCrIpT",
        "onclick",
    ] {
        assert!(!stored.contains(bad), "{bad} stored: {stored}");
        assert!(!page.html.contains(bad), "{bad} on the page");
    }
}

#[tokio::test]
async fn a_bad_file_stops_the_import_with_its_name_and_changes_nothing() {
    let app = spawn_app().await;
    let before = app.content_dump().await;
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::create_dir_all(dir.path().join("posts")).expect("creates");
    std::fs::write(
        dir.path().join("posts/good.md"),
        "+++\ntitle = \"Good\"\nslug = \"good\"\ndate = 2021-05-01\nsummary = \"S\"\n+++\n\nFine.\n",
    )
    .expect("writes");
    std::fs::write(
        dir.path().join("posts/names-nobody.md"),
        "+++\ntitle = \"Bad\"\nslug = \"bad\"\ndate = 2021-05-02\nsummary = \"S\"\nmembers = [\"nobody-known\"]\n+++\n\nText.\n",
    )
    .expect("writes");
    std::fs::write(dir.path().join("posts/broken.md"), "+++\ntitle = 1\n").expect("writes");

    let error = format!("{:#}", app.import(dir.path()).await.expect_err("refused"));
    assert!(error.contains("broken.md"), "{error}");
    std::fs::remove_file(dir.path().join("posts/broken.md")).expect("removes");
    let error = format!("{:#}", app.import(dir.path()).await.expect_err("refused"));
    assert!(
        error.contains("names-nobody.md") && error.contains("\"nobody-known\""),
        "a member nobody knows is named with the file that names them: {error}"
    );
    assert_eq!(
        app.content_dump().await,
        before,
        "not even the good file was stored"
    );
}

#[tokio::test]
async fn a_link_can_move_from_one_post_to_another() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::create_dir_all(dir.path().join("posts")).expect("creates");
    let post = |slug: &str, date: &str, link: bool| {
        let resource = if link {
            "[[resources]]\nslug = \"shared-link\"\nlabel = \"L\"\ntitle = \"T\"\nurl = \"/news\"\n"
        } else {
            ""
        };
        format!("+++\ntitle = \"{slug}\"\nslug = \"{slug}\"\ndate = {date}\nsummary = \"S\"\n{resource}+++\n\nText.\n")
    };
    let write = |a_has_it: bool| {
        std::fs::write(
            dir.path().join("posts/a.md"),
            post("post-a", "2010-01-01", a_has_it),
        )
        .expect("writes");
        std::fs::write(
            dir.path().join("posts/b.md"),
            post("post-b", "2011-01-01", !a_has_it),
        )
        .expect("writes");
    };
    write(false);
    app.import(dir.path()).await.expect("imports");
    write(true);
    app.import(dir.path())
        .await
        .expect("the link moves to the earlier file");
    let owner: String = app
        .scalar(
            "SELECT p.slug FROM resources r JOIN posts p ON p.id = r.post_id WHERE r.slug = 'shared-link'",
            &[],
        )
        .await;
    assert_eq!(owner, "post-a");
}

/// A content folder holding `files` (path under the folder, text).
fn folder(files: &[(&str, String)]) -> TempDir {
    let dir = tempfile::tempdir().expect("a folder");
    for (path, text) in files {
        let path = dir.path().join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("creates");
        }
        std::fs::write(path, text).expect("writes");
    }
    dir
}

/// A post file: `slug`, the front matter lines `extra`, and `body`.
fn post(slug: &str, extra: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"Post {slug}\"\nslug = \"{slug}\"\ndate = 2021-05-01\nsummary = \"S\"\n\
         {extra}+++\n\n{body}\n"
    )
}

fn member(slug: &str) -> String {
    format!("+++\nname = \"Member {slug}\"\nslug = \"{slug}\"\nrole = \"R\"\n+++\n\nBio.\n")
}

impl TestApp {
    /// Imports `files`, which must be refused; returns the message after checking that
    /// nothing was stored and that the news and the seed post are still served.
    async fn refused(&self, files: &[(&str, String)]) -> String {
        let before = self.content_dump().await;
        let dir = folder(files);
        let error = format!(
            "{:#}",
            self.import(dir.path())
                .await
                .expect_err("the import is refused")
        );
        assert_eq!(
            self.content_dump().await,
            before,
            "nothing changed: {error}"
        );
        for page in ["/news", SEED_POST, "/members", "/feed.xml"] {
            assert_eq!(
                self.page(page).await.status,
                StatusCode::OK,
                "{page}: {error}"
            );
        }
        error
    }
}

#[tokio::test]
async fn a_day_the_site_cannot_show_is_refused_with_its_file_and_field() {
    let app = spawn_app().await;
    for (extra, field) in [
        ("", "its date 0000-01-01"),
        ("updated = 2021-06-01\n", "its date 0000-01-01"),
    ] {
        let text = post("zero", extra, "Text.").replace("2021-05-01", "0000-01-01");
        let error = app.refused(&[("posts/zero.md", text)]).await;
        assert!(
            error.contains("zero.md") && error.contains(field),
            "{error}"
        );
        assert!(error.contains("from 1900 to 2100"), "{error}");
    }
    for (updated, why) in [("1899-12-31", "before 1900"), ("2101-01-01", "after 2100")] {
        let text = post("late", &format!("updated = {updated}\n"), "Text.");
        let error = app.refused(&[("posts/late.md", text)]).await;
        assert!(
            error.contains("late.md") && error.contains(&format!("its updated {updated}")),
            "{why}: {error}"
        );
    }
}

#[tokio::test]
async fn a_body_over_one_megabyte_is_refused_and_a_huge_file_is_not_even_read() {
    let app = spawn_app().await;
    // With the line end the file's body closes with: one byte over.
    let just_over = "a".repeat(1 << 20);
    let error = app
        .refused(&[("posts/long.md", post("long", "", &just_over))])
        .await;
    assert!(
        error.contains("long.md") && error.contains("its body has 1048577 bytes"),
        "{error}"
    );
    assert!(error.contains("at most 1 MB"), "{error}");

    let huge = "lorem ipsum ".repeat(800_000);
    let error = app
        .refused(&[("posts/huge.md", post("huge", "", &huge))])
        .await;
    assert!(
        error.contains("huge.md") && error.contains("at most 1 MB"),
        "{error}"
    );
}

#[tokio::test]
async fn deep_nesting_is_refused_in_milliseconds_before_it_is_rendered() {
    let app = spawn_app().await;
    // Just under the body limit, as the file that once took 32 s to import.
    let divs = "<div class=\"x\">\n".repeat(65_000);
    let quotes = format!("{} deep", "> ".repeat(500_000));
    for (body, why) in [(divs, "nested divs"), (quotes, "nested quotes")] {
        let started = Instant::now();
        let error = app
            .refused(&[("posts/deep.md", post("deep", "", &body))])
            .await;
        let took = started.elapsed();
        assert!(
            error.contains("deep.md") && error.contains("nests more than 32 levels"),
            "{why}: {error}"
        );
        // The pages checked after the refusal are most of this, in a debug build.
        assert!(took < Duration::from_secs(2), "{why} took {took:?}");
    }
}

#[tokio::test]
async fn two_files_with_one_slug_are_refused_naming_both() {
    let app = spawn_app_with(|config| config.content_dir = repository_content()).await;
    let seed_slug = SEED_POST.trim_start_matches("/news/");
    let seed_file = std::fs::read_to_string(
        repository_content().join("posts/2010-10-06-cities-of-migration-conference.md"),
    )
    .expect("the seed post's file");
    let error = app
        .refused(&[
            ("posts/2010-10-06-seed.md", seed_file),
            ("posts/2024-copy.md", post(seed_slug, "", "A new text.")),
        ])
        .await;
    assert!(
        error.contains("2010-10-06-seed.md") && error.contains("2024-copy.md"),
        "both files are named: {error}"
    );
    assert!(error.contains("both have a post with the slug"), "{error}");

    let error = app
        .refused(&[
            ("members/a.md", member("ana")),
            ("members/b.md", member("ana")),
        ])
        .await;
    assert!(
        error.contains("a.md") && error.contains("b.md") && error.contains("member"),
        "{error}"
    );
}

#[tokio::test]
async fn a_resource_slug_used_twice_is_refused_with_its_file() {
    let app = spawn_app().await;
    let resource = "[[resources]]\nslug = \"report\"\nlabel = \"L\"\ntitle = \"T\"\n";
    let error = app
        .refused(&[(
            "posts/twice.md",
            post("twice", &format!("{resource}{resource}"), "Text."),
        )])
        .await;
    assert!(
        error.contains("twice.md")
            && error.contains("its resources have the slug \"report\" twice"),
        "{error}"
    );

    let error = app
        .refused(&[
            ("posts/one.md", post("one", resource, "Text.")),
            ("posts/two.md", post("two", resource, "Text.")),
        ])
        .await;
    assert!(
        error.contains("one.md") && error.contains("two.md") && error.contains("resource"),
        "{error}"
    );
    assert!(
        !error.contains("UNIQUE"),
        "no bare constraint message: {error}"
    );
}

#[tokio::test]
async fn links_that_would_leave_the_site_looking_like_paths_are_refused() {
    let app = spawn_app().await;
    for (extra, body, field) in [
        (
            "[[resources]]\nslug = \"r\"\nlabel = \"L\"\ntitle = \"T\"\nurl = \"/\\\\evil.example/phish\"\n",
            "Text.",
            "the url \"/\\\\evil.example/phish\" of its resource",
        ),
        ("image = \"//evil.example/a.png\"\n", "Text.", "its image"),
        ("", "[phish](/\\\\evil.example/phish)", "its text links to"),
        ("", "![x](//evil.example/a.png)", "its text links to"),
        ("", "<a href=\"/\\evil.example/phish\">phish</a>", "its text links to"),
        ("", "<img src=\"/&#92;evil.example/a.png\">", "its text links to"),
        ("", "<a href=\"/&Tab;/evil.example\">tab</a>", "its text links to"),
    ] {
        let error = app
            .refused(&[("posts/phish.md", post("phish", extra, body))])
            .await;
        assert!(
            error.contains("phish.md") && error.contains(field),
            "{field}: {error}"
        );
    }
    let page = app.page("/news").await;
    assert!(
        !page.html.contains("evil.example"),
        "nothing of it is shown"
    );
}

#[tokio::test]
async fn a_row_the_site_cannot_read_is_left_out_and_every_page_keeps_working() {
    let app = spawn_app().await;
    let dir = folder(&[
        ("posts/good.md", post("good", "", "Words about harbours.")),
        (
            "posts/bad.md",
            post(
                "bad",
                "tags = [\"Harbours\"]\n",
                "Words about harbours too.",
            ),
        ),
    ]);
    app.import(dir.path()).await.expect("imports");
    // Staff with a database shell: values the schema lets through and the site cannot read.
    let unreadable = match app.db {
        Db::Sqlite(_) => "0000-01-01",
        // A date of five digits' year, which PostgreSQL's calendar has.
        Db::Postgres(_) => "10000-01-01",
    };
    for sql in [
        format!("UPDATE posts SET published_on = '{unreadable}' WHERE slug = 'bad'"),
        "INSERT INTO members (slug, name, role, bio) VALUES ('odd--slug', 'Odd', 'R', '')"
            .to_owned(),
        // The post the call to action links to.
        format!(
            "UPDATE posts SET published_on = '{unreadable}'
             WHERE slug = (SELECT post_slug FROM campaigns)"
        ),
    ] {
        app.execute(&sql, &[]).await;
    }
    app.content.invalidate();

    for path in [
        "/",
        "/news",
        "/news/good",
        "/members",
        "/members/wim-kok",
        "/feed.xml",
        "/sitemap.xml",
        "/search?q=harbours",
        "/take-action",
    ] {
        assert_eq!(app.page(path).await.status, StatusCode::OK, "{path}");
    }
    assert_eq!(app.page("/news/bad").await.status, StatusCode::NOT_FOUND);
    let news = app.page("/news").await;
    assert!(news.html.contains("/news/good") && !news.html.contains("/news/bad"));
    let search = app.page("/search?q=harbours").await;
    assert!(
        search.text().contains("1 post contains all of: harbours."),
        "{}",
        search.text()
    );
}
