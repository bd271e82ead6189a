//! Pages that show only published content are rendered once and kept until it changes; each
//! copy still gets values of its own.

use crate::helpers::{confirmation_path, sign_form, spawn_app, TestApp, SEED_POST};
use reqwest::StatusCode;

const SIGN: &str = "/api/sign-the-call";
const CONFIRM: &str = "/api/confirm-signature";

/// A page with its policy's nonce and the donation form's key, as one response had them.
struct Copy {
    html: String,
    nonce: String,
    key: Option<String>,
    notes: usize,
}

async fn fetch(app: &TestApp, path: &str) -> Copy {
    let page = app.page(path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}");
    let notes = page
        .headers
        .keys()
        .filter(|name| name.as_str().starts_with("x-page-cache"))
        .count();
    let nonce = page.csp_nonce().expect("a nonce in the policy").to_owned();
    let key = page
        .tag_with("name=\"form[idempotency_key]\"")
        .and_then(|tag| tag.split("value=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .map(str::to_owned);
    Copy {
        html: page.html,
        nonce,
        key,
        notes,
    }
}

#[tokio::test]
async fn a_kept_post_gets_its_own_nonce_and_form_key_in_every_copy() {
    let app = spawn_app().await;
    let first = fetch(&app, SEED_POST).await;
    let second = fetch(&app, SEED_POST).await;
    for copy in [&first, &second] {
        assert_eq!(
            copy.notes, 0,
            "what the page tells the cache stays in the server"
        );
        let scripts = copy.html.matches("<script").count();
        assert!(scripts > 0);
        assert_eq!(
            copy.html
                .matches(&format!("nonce=\"{}\"", copy.nonce))
                .count(),
            scripts,
            "every script carries the nonce of its own response's policy"
        );
        let key = copy.key.as_deref().expect("the donation form's key");
        assert_eq!(
            copy.html.matches(key).count(),
            2,
            "the key in the form and in what the form hydrates from"
        );
    }
    assert_ne!(first.nonce, second.nonce);
    assert_ne!(first.key, second.key, "one pledge form, one key");
    // Apart from those, the very same page.
    let same = |copy: &Copy| {
        copy.html
            .replace(&copy.nonce, "NONCE")
            .replace(copy.key.as_deref().unwrap_or_default(), "KEY")
    };
    assert_eq!(same(&first), same(&second));
}

#[tokio::test]
async fn a_kept_page_follows_a_change_of_the_content() {
    let app = spawn_app().await;
    let before = fetch(&app, SEED_POST).await;
    assert!(before.html.contains("<h1>A call to action"));

    // Renamed with the content version put back in the same transaction: the server's watcher
    // (a check a second) cannot notice, so only the invalidation below tells the server, and
    // the page in between is the kept one whatever the timing.
    let mut rename = app.pool.begin().await.expect("a transaction");
    let version: i64 = sqlx::query_scalar("SELECT version FROM content_version WHERE id = 1")
        .fetch_one(&mut *rename)
        .await
        .expect("the content version");
    sqlx::query("UPDATE posts SET title = 'A renamed post' WHERE slug = ?")
        .bind(SEED_POST.trim_start_matches("/news/"))
        .execute(&mut *rename)
        .await
        .expect("renamed");
    sqlx::query("UPDATE content_version SET version = ? WHERE id = 1")
        .bind(version)
        .execute(&mut *rename)
        .await
        .expect("the version put back");
    rename.commit().await.expect("committed");
    // Until the server is told of the change, it serves the page it kept...
    assert!(fetch(&app, SEED_POST)
        .await
        .html
        .contains("<h1>A call to action"));
    // ...and from then on the new one.
    app.content.invalidate();
    let after = fetch(&app, SEED_POST).await;
    assert!(
        after.html.contains("<h1>A renamed post</h1>"),
        "{}",
        after.html
    );
}

#[tokio::test]
async fn the_home_page_is_rendered_for_each_request_with_the_live_count() {
    let app = spawn_app().await;
    assert!(app
        .page("/")
        .await
        .text()
        .contains("Be the first to sign the call"));
    app.post_form(SIGN, &sign_form(&[]), "/take-action").await;
    let path = confirmation_path(&app.wait_for_mails(1).await[0]);
    let token = path.rsplit('/').next().expect("a token").to_owned();
    app.post_form(CONFIRM, &[("token".to_owned(), token)], &path)
        .await;
    // Signatures are not content: nothing was invalidated, and the count is current.
    assert!(app.page("/").await.text().contains("1 signature so far"));
}
