//! The content import: the repository's own content, idempotence, sanitising, bad files.

use crate::helpers::{repository_content, spawn_app, spawn_app_with, TestApp, SEED_POST};
use reqwest::StatusCode;

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
            let rows: Vec<String> = sqlx::query_scalar(sql)
                .fetch_all(&self.pool)
                .await
                .expect("reads");
            dump.push_str(&rows.join("\n"));
            dump.push('\n');
        }
        dump
    }
}

#[tokio::test]
async fn the_repository_content_imports_at_start_and_again_without_change() {
    let app = spawn_app_with(|config| config.content_dir = repository_content()).await;
    let tags: Vec<String> = sqlx::query_scalar(
        "SELECT t.slug FROM tags t JOIN post_tags pt ON pt.tag_id = t.id ORDER BY t.slug",
    )
    .fetch_all(&app.pool)
    .await
    .expect("tags");
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

    let stored: String = sqlx::query_scalar("SELECT body_html FROM posts WHERE slug = 'hostile'")
        .fetch_one(&app.pool)
        .await
        .expect("stored");
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
        error.contains("cannot store"),
        "a member nobody knows: {error}"
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
    let owner: String = sqlx::query_scalar(
        "SELECT p.slug FROM resources r JOIN posts p ON p.id = r.post_id WHERE r.slug = 'shared-link'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("one owner");
    assert_eq!(owner, "post-a");
}
