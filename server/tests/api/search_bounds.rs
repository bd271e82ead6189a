//! Search stays fast whatever one post holds: a post as large as the import allows, made of
//! the searched word, must not slow `/search` for everyone.

use crate::helpers::spawn_app;
use reqwest::StatusCode;
use tempfile::TempDir;

/// A content folder with one ordinary post and one whose body is `body`.
fn posts_with(body: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::create_dir_all(dir.path().join("posts")).expect("creates");
    std::fs::write(
        dir.path().join("posts/huge.md"),
        format!(
            "+++\ntitle = \"Lorem everywhere\"\nslug = \"huge\"\ndate = 2022-01-01\n\
             summary = \"A very long text.\"\n+++\n\n{body}"
        ),
    )
    .expect("writes");
    std::fs::write(
        dir.path().join("posts/small.md"),
        "+++\ntitle = \"Small\"\nslug = \"small\"\ndate = 2022-01-02\nsummary = \"S\"\n+++\n\n\
         A short lorem text about migration.\n",
    )
    .expect("writes");
    dir
}

/// Just under the 1 MB a post body may have, every fifth word the one searched for: the
/// densest a search can be.
fn lorem_megabyte() -> String {
    let unit = "lorem ipsum dolor sit amet ";
    unit.repeat(1_000_000 / unit.len())
}

// How fast is the benchmark's to judge (`bench/run.mjs`, search with a 1 MB post); this test
// checks the search over such a post ends with its results, not with the time limit.
#[tokio::test]
async fn a_megabyte_of_the_searched_word_is_searched_to_the_end() {
    let app = spawn_app().await;
    let dir = posts_with(&lorem_megabyte());
    app.import(dir.path()).await.expect("a 1 MB post imports");

    // The first search also loads the content snapshot; the second is what a reader waits.
    app.page("/search?q=lorem").await;
    let page = app.page("/search?q=lorem").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains("href=\"/news/huge\""),
        "the post is found"
    );
    assert!(
        page.html.contains("<mark>lorem</mark>"),
        "its excerpt marks the word"
    );
    assert!(
        page.text().contains("2 posts contain all of: lorem."),
        "{}",
        page.text()
    );
}

#[tokio::test]
async fn a_word_found_only_deep_in_a_post_lists_it_with_its_opening() {
    let app = spawn_app().await;
    let body = format!("{}zanzibar", "filler ".repeat(2_000));
    let dir = posts_with(&body);
    app.import(dir.path()).await.expect("imports");

    let page = app.page("/search?q=zanzibar").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains("href=\"/news/huge\""),
        "the post is found"
    );
    assert!(
        page.text().contains("1 post contains all of: zanzibar."),
        "{}",
        page.text()
    );
    assert!(
        page.text().contains("filler filler filler"),
        "its opening stands in for an excerpt"
    );
}
