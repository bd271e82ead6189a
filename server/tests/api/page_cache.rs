//! Public pages are the same bytes for every visitor: rendered once, compressed once, kept
//! until what they show changes, answered with `304` when the browser already has them.

use crate::helpers::{
    confirmation_path, header, pledge_form, sign_form, spawn_app, TestApp, SEED_POST,
};
use app::server::db::on_db;
use reqwest::StatusCode;
use std::{io::Read, time::Duration};

const SIGN: &str = "/api/sign-the-call";
const CONFIRM: &str = "/api/confirm-signature";
const PLEDGE: &str = "/api/pledge";

/// One response to a page: status, the headers a cache reads, and the body as sent.
struct Copy {
    status: StatusCode,
    etag: String,
    encoding: String,
    cache_control: String,
    notes: usize,
    body: Vec<u8>,
}

impl Copy {
    /// The page itself, whatever it was sent in.
    fn html(&self) -> String {
        let mut html = String::new();
        match self.encoding.as_str() {
            "br" => {
                let mut plain = Vec::new();
                brotli::BrotliDecompress(&mut &self.body[..], &mut plain).expect("brotli");
                html = String::from_utf8(plain).expect("text");
            }
            "gzip" => {
                flate2::read::GzDecoder::new(&self.body[..])
                    .read_to_string(&mut html)
                    .expect("gzip");
            }
            _ => html = String::from_utf8(self.body.clone()).expect("text"),
        }
        html
    }
}

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Copy {
    let mut request = app.client.get(app.url(path)).header("accept", "text/html");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("the server answers");
    let headers = response.headers().clone();
    Copy {
        status: response.status(),
        etag: header(&headers, "etag"),
        encoding: header(&headers, "content-encoding"),
        cache_control: header(&headers, "cache-control"),
        notes: headers
            .keys()
            .filter(|name| name.as_str().starts_with("x-page-cache"))
            .count(),
        body: response.bytes().await.expect("a body").to_vec(),
    }
}

async fn fetch(app: &TestApp, path: &str) -> Copy {
    let copy = get(app, path, &[]).await;
    assert_eq!(copy.status, StatusCode::OK, "{path}");
    copy
}

#[tokio::test]
async fn a_kept_post_is_the_same_bytes_for_everyone_and_not_sent_twice() {
    let app = spawn_app().await;
    let first = fetch(&app, SEED_POST).await;
    let second = fetch(&app, SEED_POST).await;
    assert_eq!(
        first.notes, 0,
        "what the page tells the cache stays in the server"
    );
    assert_eq!(first.body, second.body);
    assert!(
        first.etag.starts_with('"') && !first.etag.starts_with("W/"),
        "{}",
        first.etag
    );
    assert_eq!(first.etag, second.etag);
    assert!(
        first.cache_control.starts_with("public"),
        "{}",
        first.cache_control
    );
    assert!(
        first.cache_control.contains("s-maxage="),
        "{}",
        first.cache_control
    );
    // The form's key is the browser's to make: the page carries none.
    let html = first.html();
    assert!(
        html.contains("name=\"form[idempotency_key]\" value=\"\""),
        "no key in the page"
    );

    let again = get(&app, SEED_POST, &[("if-none-match", &first.etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.etag, first.etag);

    // As a browser asks: compressed, each encoding with its own tag, the same page inside.
    for (asked, encoding) in [
        ("br, gzip", "br"),
        ("gzip", "gzip"),
        ("gzip, deflate, br, zstd", "br"),
    ] {
        let copy = get(&app, SEED_POST, &[("accept-encoding", asked)]).await;
        assert_eq!(copy.encoding, encoding, "{asked}");
        assert_eq!(copy.html(), html, "{asked}");
        assert_ne!(copy.etag, first.etag, "{asked}");
        assert!(copy.body.len() * 3 < first.body.len(), "{asked}");
        let not_again = get(
            &app,
            SEED_POST,
            &[("accept-encoding", asked), ("if-none-match", &copy.etag)],
        )
        .await;
        // The brotli copy may have been made smaller meanwhile: then it comes anew, whole.
        assert!(
            not_again.status == StatusCode::NOT_MODIFIED
                || (encoding == "br" && not_again.html() == html),
            "{asked}: {:?}",
            not_again.status
        );
    }
    // A tag of another encoding, a weak or foreign one: the page comes whole.
    for stale in ["\"nope\"", "W/\"x\", \"y\"", "garbage"] {
        let copy = get(&app, SEED_POST, &[("if-none-match", stale)]).await;
        assert_eq!(copy.status, StatusCode::OK, "{stale}");
        assert_eq!(copy.html(), html, "{stale}");
    }
}

#[tokio::test]
async fn the_smaller_brotli_copy_replaces_the_first() {
    let app = spawn_app().await;
    let first = get(&app, SEED_POST, &[("accept-encoding", "br")]).await;
    let mut later = first.body.len();
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let copy = get(&app, SEED_POST, &[("accept-encoding", "br")]).await;
        assert_eq!(copy.html(), first.html());
        later = copy.body.len();
        if later < first.body.len() {
            assert_ne!(copy.etag, first.etag, "other bytes, another tag");
            break;
        }
    }
    assert!(later < first.body.len(), "{later} of {}", first.body.len());
}

#[tokio::test]
async fn personal_pages_are_never_kept_or_shared() {
    let app = spawn_app().await;
    let response = app.post_form(PLEDGE, &pledge_form(&[]), SEED_POST).await;
    let thanks = header(response.headers(), "location");
    assert!(thanks.starts_with("/donate/thanks/"), "{thanks}");
    for path in [
        thanks.as_str(),
        "/search?q=migration",
        "/take-action/thanks",
    ] {
        let copy = get(&app, path, &[]).await;
        assert_eq!(copy.cache_control, "private, no-store", "{path}");
        assert_eq!(copy.etag, "", "{path}");
    }
}

#[tokio::test]
async fn a_kept_page_follows_a_change_of_the_content() {
    let app = spawn_app().await;
    let before = fetch(&app, SEED_POST).await;
    assert!(before.html().contains("<h1>A call to action"));

    // Renamed with the content version put back in the same transaction: the server's watcher
    // (a check a second) cannot notice, so only the invalidation below tells the server, and
    // the page in between is the kept one whatever the timing.
    // A write transaction from the start: on SQLite, a deferred one that read first could not
    // write if anything else had.
    on_db!(&app.db, pool => {
        let mut rename = pool.begin_with(BEGIN_WRITE).await.expect("a transaction");
        let version: i64 =
            sqlx::query_scalar("SELECT version FROM content_version WHERE id = 1")
                .fetch_one(&mut *rename)
                .await
                .expect("the content version");
        sqlx::query("UPDATE posts SET title = 'A renamed post' WHERE slug = $1")
            .bind(SEED_POST.trim_start_matches("/news/"))
            .execute(&mut *rename)
            .await
            .expect("renamed");
        sqlx::query("UPDATE content_version SET version = $1 WHERE id = 1")
            .bind(version)
            .execute(&mut *rename)
            .await
            .expect("the version put back");
        rename.commit().await.expect("committed");
    });
    // Until the server is told of the change, it serves the page it kept...
    assert!(fetch(&app, SEED_POST)
        .await
        .html()
        .contains("<h1>A call to action"));
    // ...and from then on the new one.
    app.content.invalidate();
    let after = fetch(&app, SEED_POST).await;
    let after = after.html();
    assert!(after.contains("<h1>A renamed post</h1>"), "{after}");
}

#[tokio::test]
async fn readers_asking_at_once_for_a_page_not_kept_yet_share_one_render() {
    let app = spawn_app().await;
    for path in ["/take-action", SEED_POST, "/es/news"] {
        let before = app.pages.renders();
        let copies = futures_util::future::join_all(
            (0..16).map(|_| get(&app, path, &[("accept-encoding", "br, gzip")])),
        )
        .await;
        for copy in &copies {
            assert_eq!(copy.status, StatusCode::OK, "{path}");
            assert_eq!(copy.etag, copies[0].etag, "{path}: the same bytes for all");
        }
        assert!(copies[0].html().contains("</html>"), "{path}");
        assert_eq!(
            app.pages.renders() - before,
            1,
            "{path}: sixteen readers at once, one render"
        );
    }
    // A page no one may share is still rendered for each request.
    let before = app.pages.renders();
    let missing =
        futures_util::future::join_all((0..4).map(|_| get(&app, "/news/no-such-post", &[]))).await;
    assert!(missing
        .iter()
        .all(|copy| copy.status == StatusCode::NOT_FOUND));
    assert_eq!(app.pages.renders() - before, 4);
}

#[tokio::test]
async fn pages_with_figures_are_kept_until_a_figure_changes() {
    let app = spawn_app().await;
    let home = fetch(&app, "/").await;
    assert!(home.html().contains("Be the first to sign the call"));
    assert_eq!(fetch(&app, "/").await.etag, home.etag, "kept");
    let action = fetch(&app, "/take-action").await;

    // A signature is no figure until it is confirmed.
    app.post_form(SIGN, &sign_form(&[]), "/take-action").await;
    assert_eq!(fetch(&app, "/").await.etag, home.etag);
    let path = confirmation_path(&app.wait_for_mails(1).await[0]);
    let token = path.rsplit('/').next().expect("a token").to_owned();
    app.post_form(CONFIRM, &[("token".to_owned(), token)], &path)
        .await;
    // Confirmed on this server: the next reader sees the count at once.
    let counted = fetch(&app, "/").await;
    assert!(counted.html().contains("1 signature so far"));
    assert_ne!(counted.etag, home.etag);
    assert_ne!(fetch(&app, "/take-action").await.etag, action.etag);
    assert_eq!(fetch(&app, "/").await.etag, counted.etag, "kept again");

    // A gift marked received by the staff command (another process) shows within seconds.
    let donate = fetch(&app, "/donate").await;
    let response = app.post_form(PLEDGE, &pledge_form(&[]), "/donate").await;
    let reference = header(response.headers(), "location")
        .rsplit('/')
        .next()
        .expect("a reference")
        .to_owned();
    assert_eq!(
        fetch(&app, "/donate").await.etag,
        donate.etag,
        "a pledge is no gift yet"
    );
    app::server::pledges::mark_received(
        &app.db(),
        &reference,
        "bank-transfer",
        None,
        "fundraiser@example.org",
    )
    .await
    .expect("marked");
    let mut seen = false;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if fetch(&app, "/donate").await.etag != donate.etag {
            seen = true;
            break;
        }
    }
    assert!(seen, "the kept /donate follows the stored figures");
}

async fn head(app: &TestApp, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app
        .client
        .head(app.url(SEED_POST))
        .header("accept", "text/html");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("the server answers")
}

#[tokio::test]
async fn a_head_is_answered_from_the_kept_copy_with_its_headers_and_no_body() {
    let app = spawn_app().await;
    // Before any GET: rendered for it, right, and not kept as an empty page.
    let early = head(&app, &[("accept-encoding", "br")]).await;
    assert_eq!(early.status(), StatusCode::OK);
    assert!(early.bytes().await.expect("a body").is_empty());

    let page = get(&app, SEED_POST, &[("accept-encoding", "br")]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html().contains("Cities of Migration"),
        "the GET has the page"
    );
    let kept = get(&app, SEED_POST, &[("accept-encoding", "br")]).await;
    assert_eq!(kept.etag, page.etag);

    let answer = head(&app, &[("accept-encoding", "br")]).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(header(answer.headers(), "etag"), page.etag);
    assert_eq!(header(answer.headers(), "content-encoding"), "br");
    assert_eq!(
        header(answer.headers(), "cache-control"),
        page.cache_control
    );
    assert_eq!(
        header(answer.headers(), "content-length"),
        page.body.len().to_string(),
        "the length of what a GET sends"
    );
    assert!(answer.bytes().await.expect("a body").is_empty());

    // A revalidation by HEAD is a 304 too.
    let unchanged = head(
        &app,
        &[("accept-encoding", "br"), ("if-none-match", &page.etag)],
    )
    .await;
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
}
