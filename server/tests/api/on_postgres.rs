//! The whole site on PostgreSQL, over HTTP as readers and supporters use it, and several
//! servers on one database as a load balancer would spread them. Each test has a fresh
//! database of the throwaway cluster `.ci/test` starts; outside CI, without one, they skip.

use crate::helpers::{
    confirmation_path, location, pledge_form, sign_form, spawn_app_on, spawn_app_on_postgres,
    TestApp, SEED_POST,
};
use app::server::{db::on_db, export, pledges};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

const SIGN: &str = "/api/sign-the-call";
const CONFIRM: &str = "/api/confirm-signature";
const PLEDGE: &str = "/api/pledge";

/// The confirmation link of the newest mail to `email`, as a token and its page's path.
async fn confirmation_for(app: &TestApp, email: &str, mails: usize) -> (String, String) {
    let mails = app.wait_for_mails(mails).await;
    let mail = mails
        .iter()
        .find(|mail| mail.contains(&format!("To: {email}\r\n")))
        .expect("the confirmation message");
    let path = confirmation_path(mail);
    let token = path.rsplit('/').next().expect("a token").to_owned();
    (token, path)
}

/// Asks `app` for `path` until its text holds `wanted`, for at most `within`.
async fn shows_within(app: &TestApp, path: &str, wanted: &str, within: Duration) -> bool {
    let start = Instant::now();
    loop {
        if app.page(path).await.text().contains(wanted) {
            return true;
        }
        if start.elapsed() > within {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn readers_and_supporters_get_the_whole_site_on_postgresql() {
    let Some(app) = spawn_app_on_postgres().await else {
        return;
    };
    let post = app.page(SEED_POST).await;
    assert_eq!(post.status, StatusCode::OK);
    assert!(post
        .text()
        .contains("A call to action to build shared societies"));

    // Signing without JavaScript, the mail, and the button behind its link.
    let response = app
        .post_form(SIGN, &sign_form(&[("show_name", "on")]), "/take-action")
        .await;
    assert!(response.status().is_redirection());
    let (token, path) = confirmation_for(&app, "ana@example.org", 1).await;
    assert_eq!(app.signups().await[0].1, "pending");
    let confirmed = app
        .post_form(CONFIRM, &[("token".to_owned(), token)], &path)
        .await;
    assert_eq!(location(&confirmed), path);
    assert_eq!(app.signups().await[0].1, "confirmed");
    let call = app.page("/take-action").await.text();
    assert!(call.contains("1 signature so far"), "{call}");
    assert!(call.contains("Ana Pérez"), "listed, as asked");
    // Signing again changes nothing and says the same.
    let again = app
        .post_form(SIGN, &sign_form(&[("show_name", "on")]), "/take-action")
        .await;
    assert_eq!(location(&again), location(&response));
    assert_eq!(app.signups().await.len(), 1);

    // A double submit of the pledge form without JavaScript is one pledge.
    let form = pledge_form(&[("idempotency_key", "")]);
    let (first, second) = tokio::join!(
        app.post_form(PLEDGE, &form, SEED_POST),
        app.post_form(PLEDGE, &form, SEED_POST)
    );
    let thanks = location(&first);
    assert!(thanks.starts_with("/donate/thanks/SS-"), "{thanks}");
    assert_eq!(location(&second), thanks);
    let stored = pledges::all_pledges(&app.db).await.expect("pledges");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].amount_minor, 2500);
    assert!(
        stored[0].created_at.ends_with('Z') && stored[0].created_at.len() == 24,
        "times read as the same ISO text as on SQLite: {}",
        stored[0].created_at
    );
    app.wait_for_mails(2).await;

    // Search: stemmed, every word, matches marked.
    let search = app.page("/search?q=populist+MOVEMENT").await;
    assert_eq!(search.status, StatusCode::OK);
    assert!(search.html.contains(SEED_POST), "{}", search.text());
    assert!(search.html.contains("<mark>"), "matches are marked");
    let none = app.page("/search?q=xylophone").await;
    assert!(!none.html.contains(SEED_POST));
    for hostile in ["%22%22%22", "NEAR(", "%27)--", "a%00b", "!!%26|"] {
        let page = app.page(&format!("/search?q={hostile}")).await;
        assert_eq!(page.status, StatusCode::OK, "{hostile}");
    }

    // What staff export.
    let rows = export::all_signups(&app.db, "call-to-action-for-leadership")
        .await
        .expect("signatures");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].show_name);
    assert!(rows[0]
        .confirmed_at
        .as_deref()
        .is_some_and(|at| at.ends_with('Z')));
}

#[tokio::test]
async fn servers_on_one_database_share_signatures_content_and_mail() {
    let Some(a) = spawn_app_on_postgres().await else {
        return;
    };
    let b = spawn_app_on(&a.database_url).await;
    let c = spawn_app_on(&a.database_url).await;
    // Each server has kept its page before anything happens.
    for app in [&a, &b, &c] {
        assert!(app
            .page("/take-action")
            .await
            .text()
            .contains("Be the first to sign the call"));
    }

    // Signed on one, confirmed through another, counted on the third.
    a.post_form(SIGN, &sign_form(&[]), "/take-action").await;
    // Every server runs a mail sender; the message goes out once.
    let (token, path) = confirmation_for(&a, "ana@example.org", 1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sent = a.mails().len() + b.mails().len() + c.mails().len();
    assert_eq!(sent, 1, "one confirmation mail, from one server");
    b.post_form(CONFIRM, &[("token".to_owned(), token)], &path)
        .await;
    assert!(
        shows_within(
            &c,
            "/take-action",
            "1 signature so far",
            Duration::from_secs(2)
        )
        .await,
        "the third server's kept page follows within the watcher's second"
    );

    // Content imported through one server is served by the others within a second or so.
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(dir.path().join("posts")).expect("a posts folder");
    std::fs::write(
        dir.path().join("posts/harbours.md"),
        "+++\ntitle = \"Harbours of many people\"\nslug = \"harbours\"\ndate = 2021-05-01\n\
         summary = \"S\"\n+++\n\nWords about harbours.\n",
    )
    .expect("writes a post");
    a.import(dir.path()).await.expect("imported");
    for app in [&b, &c] {
        assert!(
            shows_within(
                app,
                "/news",
                "Harbours of many people",
                Duration::from_millis(1500)
            )
            .await
        );
        assert_eq!(app.page("/news/harbours").await.status, StatusCode::OK);
    }
    let found = c.page("/search?q=harbour").await;
    assert!(found.html.contains("/news/harbours"), "{}", found.text());
}

#[tokio::test]
async fn a_pledge_made_on_one_server_is_marked_received_and_counted_everywhere() {
    let Some(a) = spawn_app_on_postgres().await else {
        return;
    };
    let b = spawn_app_on(&a.database_url).await;
    let made = a.post_form(PLEDGE, &pledge_form(&[]), SEED_POST).await;
    let reference = location(&made)
        .trim_start_matches("/donate/thanks/")
        .to_owned();
    let done = pledges::mark_received(
        &b.db,
        &reference,
        "bank-transfer",
        None,
        "fundraiser@example.org",
    )
    .await
    .expect("marked");
    assert_eq!(done, pledges::Transition::Done);
    let again = pledges::mark_received(
        &b.db,
        &reference,
        "bank-transfer",
        None,
        "fundraiser@example.org",
    )
    .await
    .expect("read");
    assert_eq!(
        again,
        pledges::Transition::AlreadyIs(app::domain::pledge::PledgeStatus::Received)
    );
    let totals = pledges::totals(&a.db).await.expect("totals");
    assert_eq!(totals.gifts, 1);
    assert_eq!(totals.received[0].minor, 2500);
    let version: i64 = on_db!(&a.db, pool => sqlx::query_scalar(
        "SELECT version FROM figures_version WHERE id = 1"
    )
    .fetch_one(pool)
    .await
    .expect("a version"));
    assert!(version > 1, "the received pledge moved the figures");
}
