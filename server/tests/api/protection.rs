//! What guards the endpoints besides validation: security headers, cross-site refusal, body
//! and rate limits, a locked or full database, a panicking handler.

use crate::helpers::{
    pledge_form, sign_form, spawn_app, spawn_app_with, spawn_sqlite_app_with, TestApp, WriteLock,
    SEED_POST,
};
use leptos::server_fn::ServerFn;
use reqwest::{header, StatusCode};
use std::{num::NonZeroU32, time::Duration};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SIGN: &str = "/api/sign-the-call";
const PLEDGE: &str = "/api/pledge";

/// Internals no answer may carry: database errors, constraint and table names, paths, panics.
const INTERNALS: [&str; 11] = [
    "sqlx",
    "SQLITE",
    "sqlite",
    "postgres",
    "lock timeout",
    "SQLSTATE",
    "constraint",
    "signups",
    "/work/",
    "panicked",
    "src/",
];

fn assert_leaks_nothing(what: &str, text: &str) {
    for internal in INTERNALS {
        assert!(
            !text.contains(internal),
            "{what} leaks {internal:?}: {text}"
        );
    }
}

impl TestApp {
    async fn sign_from_script(&self, email: &str) -> reqwest::Response {
        self.post_from_script(SIGN, &sign_form(&[("email", email)]))
            .await
    }
}

#[tokio::test]
async fn every_page_carries_the_security_headers_and_its_scripts_hashes() {
    let app = spawn_app().await;
    for (path, public) in [
        ("/", true),
        (SEED_POST, true),
        ("/take-action", true),
        ("/donate", true),
        ("/cookies", true),
        ("/no/such/page", false),
        ("/search?q=migration", false),
    ] {
        let page = app.page(path).await;
        let get = |name: &str| crate::helpers::header(&page.headers, name);
        let csp = get("content-security-policy");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(!csp.contains("nonce"), "{path}: {csp}");
        // Every script the page runs is allowed by its hash, and nothing else is.
        let mut scripts = page.inline_script_hashes();
        assert!(!scripts.is_empty(), "{path}");
        scripts.sort();
        scripts.dedup();
        let mut allowed = page.csp_script_hashes();
        allowed.sort();
        assert_eq!(allowed, scripts, "{path}: {csp}");
        assert!(!page.html.contains(" nonce="), "{path}");
        assert_eq!(get("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(
            get("referrer-policy"),
            "strict-origin-when-cross-origin",
            "{path}"
        );
        assert!(get("permissions-policy").contains("camera=()"), "{path}");
        let cache = get("cache-control");
        if public {
            assert!(cache.starts_with("public,"), "{path}: {cache}");
        } else {
            assert_eq!(cache, "private, no-store", "{path}");
        }
        assert!(!get("x-request-id").is_empty(), "{path}");
        assert_eq!(
            get("strict-transport-security"),
            "",
            "no HSTS unless configured"
        );
    }

    let tls = spawn_app_with(|config| config.hsts = true).await;
    let response = tls.client.get(tls.url("/")).send().await.expect("answers");
    assert!(response.headers().contains_key("strict-transport-security"));
}

#[tokio::test]
async fn writes_from_another_site_are_refused_and_store_nothing() {
    let app = spawn_app().await;
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("origin", "null"),
    ] {
        let response = app
            .client
            .post(app.url(SIGN))
            .header("accept", "text/html")
            .header(name, value)
            .form(&sign_form(&[]))
            .send()
            .await
            .expect("answers");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{name}: {value}");
        assert!(response
            .text()
            .await
            .expect("a body")
            .contains("sent from another site"));
    }
    assert_eq!(app.signups().await, []);

    // The site's own pages still work: a plain form post and a script call.
    let origin = app.url("");
    let origin = origin.trim_end_matches('/');
    let plain = app
        .client
        .post(app.url(SIGN))
        .header("accept", "text/html")
        .header("origin", origin)
        .header("sec-fetch-site", "same-origin")
        .header("referer", app.url("/take-action"))
        .form(&sign_form(&[]))
        .send()
        .await
        .expect("answers");
    assert_eq!(plain.status(), StatusCode::FOUND);
    let script = app
        .client
        .post(app.url(SIGN))
        .header("accept", "application/json")
        .header("origin", origin)
        .header("sec-fetch-site", "same-origin")
        .form(&sign_form(&[("email", "bo@example.org")]))
        .send()
        .await
        .expect("answers");
    assert_eq!(script.status(), StatusCode::OK);
    assert_eq!(app.signups().await.len(), 2);
}

/// Sends a raw HTTP/1.1 request and returns the status code of the answer.
async fn raw_status(app: &TestApp, head: &str, body_parts: &[&[u8]], pause: Duration) -> u16 {
    let mut stream = tokio::net::TcpStream::connect(app.addr)
        .await
        .expect("connects");
    stream.write_all(head.as_bytes()).await.expect("writes");
    for part in body_parts {
        stream.write_all(part).await.expect("writes");
    }
    tokio::time::sleep(pause).await;
    let mut answer = vec![0; 64];
    let read = stream.read(&mut answer).await.expect("reads");
    let line = String::from_utf8_lossy(&answer[..read]).to_string();
    line.split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("a status line: {line}"))
}

#[tokio::test]
async fn bodies_over_the_cap_are_413_with_or_without_a_length() {
    let app = spawn_app().await;
    let big = "a".repeat(17 * 1024);
    let response = app
        .client
        .post(app.url(SIGN))
        .header("accept", "application/json")
        .form(&sign_form(&[("full_name", &big)]))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // The rest of that body was never read: the answer says the connection ends, so the
    // client does not send its next request down a socket about to close.
    assert_eq!(
        response
            .headers()
            .get(header::CONNECTION)
            .and_then(|value| value.to_str().ok()),
        Some("close")
    );
    // A megabyte, twice on the same client: each gets its 413, never a reset connection.
    let huge = "a".repeat(1 << 20);
    for _ in 0..2 {
        let response = app
            .client
            .post(app.url(SIGN))
            .header("accept", "application/json")
            .form(&sign_form(&[("full_name", &huge)]))
            .send()
            .await
            .expect("the 413 arrives, not a reset");
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
    // A body read whole keeps its connection open.
    let ok = app.sign_from_script("kept@example.org").await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert!(ok.headers().get("connection").is_none());

    let head = format!(
        "POST {SIGN} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n",
        app.addr
    );
    let chunk = format!("{:x}\r\n{}\r\n", 4096, "b".repeat(4096));
    let chunks: Vec<&[u8]> = std::iter::repeat_n(chunk.as_bytes(), 5).collect();
    assert_eq!(raw_status(&app, &head, &chunks, Duration::ZERO).await, 413);
    assert_eq!(app.signups().await.len(), 1, "only the one that fit");
}

#[tokio::test]
async fn a_body_that_never_arrives_times_out() {
    let app = spawn_app().await;
    let head = format!(
        "POST {SIGN} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nfull_name=A",
        app.addr
    );
    assert_eq!(
        raw_status(&app, &head, &[], Duration::from_secs(11)).await,
        408
    );
}

#[tokio::test]
async fn each_client_gets_a_burst_then_429_with_retry_after() {
    let app = spawn_app_with(|config| {
        config.rate_limit_burst = NonZeroU32::new(3).expect("not zero");
        config.rate_limit_per_minute = NonZeroU32::new(1).expect("not zero");
    })
    .await;
    for n in 0..3 {
        let response = app.sign_from_script(&format!("n{n}@example.org")).await;
        assert_eq!(response.status(), StatusCode::OK, "within the burst");
    }
    let refused = app.sign_from_script("n3@example.org").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = refused
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    assert!((1..=60).contains(&retry), "{retry}");

    // A made-up X-Forwarded-For is not a new client.
    let spoofed = app
        .client
        .post(app.url(SIGN))
        .header("accept", "application/json")
        .header("x-forwarded-for", "198.51.100.77")
        .form(&sign_form(&[("email", "n4@example.org")]))
        .send()
        .await
        .expect("answers");
    assert_eq!(spoofed.status(), StatusCode::TOO_MANY_REQUESTS);
    // Without JavaScript the answer is a page that says how long to wait.
    let plain = app.post_form(SIGN, &sign_form(&[]), "/take-action").await;
    assert_eq!(plain.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(plain.text().await.expect("a body").contains("Please wait"));
    assert_eq!(app.signups().await.len(), 3);

    // Reading is never limited, and the page-view counter has its own allowance.
    assert_eq!(app.page("/take-action").await.status, StatusCode::OK);
    let view = app
        .client
        .post(app.url("/api/page-view"))
        .form(&[("path", "/news")])
        .send()
        .await
        .expect("answers");
    assert_eq!(view.status(), StatusCode::OK);
}

#[tokio::test]
async fn behind_a_trusted_proxy_clients_are_told_apart_by_its_last_hop() {
    let app = spawn_app_with(|config| {
        config.rate_limit_burst = NonZeroU32::new(1).expect("not zero");
        config.rate_limit_per_minute = NonZeroU32::new(1).expect("not zero");
        config.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
    })
    .await;
    let sign_via_proxy = |forwarded: &'static str, email: &'static str| {
        app.client
            .post(app.url(SIGN))
            .header("accept", "application/json")
            .header("x-forwarded-for", forwarded)
            .form(&sign_form(&[("email", email)]))
            .send()
    };
    let first = sign_via_proxy("203.0.113.5", "a@example.org")
        .await
        .expect("answers");
    assert_eq!(first.status(), StatusCode::OK);
    let again = sign_via_proxy("203.0.113.5", "b@example.org")
        .await
        .expect("answers");
    assert_eq!(again.status(), StatusCode::TOO_MANY_REQUESTS);
    // What the client wrote before the proxy's hop does not make it someone else.
    let spoofed = sign_via_proxy("10.9.9.9, 203.0.113.5", "c@example.org")
        .await
        .expect("answers");
    assert_eq!(spoofed.status(), StatusCode::TOO_MANY_REQUESTS);
    let other = sign_via_proxy("203.0.113.6", "d@example.org")
        .await
        .expect("answers");
    assert_eq!(other.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_database_locked_past_the_timeout_is_503_with_retry_after_and_no_partial_row() {
    let app = spawn_app().await;
    // Another writer holds the lock longer than the server waits for it (5 s).
    let holder = WriteLock::take(&app.database_url).await;
    let response = app.sign_from_script("locked@example.org").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key(header::RETRY_AFTER));
    assert_leaks_nothing("the 503", &response.text().await.expect("a body"));
    holder.release().await;

    assert_eq!(app.signups().await, []);
    let outbox: i64 = app.scalar("SELECT count(*) FROM outbox", &[]).await;
    assert_eq!(
        outbox, 0,
        "no mail queued for a signature that was not stored"
    );
    let retried = app.sign_from_script("locked@example.org").await;
    assert_eq!(retried.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_full_disk_is_503_reads_go_on_and_writes_resume_when_space_returns() {
    const CAP: u32 = 400;
    let Some(app) = spawn_sqlite_app_with(|config| config.sqlite_max_pages = Some(CAP)).await
    else {
        return;
    };
    // Fill the file to the server's cap, from a connection without it.
    sqlx::query("CREATE TABLE filler (data BLOB)")
        .execute(app.sqlite())
        .await
        .expect("creates");
    loop {
        let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
            .fetch_one(app.sqlite())
            .await
            .expect("counts");
        if pages >= i64::from(CAP) {
            break;
        }
        sqlx::query("INSERT INTO filler VALUES (zeroblob(3000))")
            .execute(app.sqlite())
            .await
            .expect("fills");
    }

    let mut full = None;
    for n in 0..300 {
        let response = app.sign_from_script(&format!("full{n}@example.org")).await;
        if response.status() != StatusCode::OK {
            full = Some(response);
            break;
        }
    }
    let full = full.expect("the disk fills up");
    assert_eq!(full.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(full.headers().contains_key(header::RETRY_AFTER));
    assert_leaks_nothing("the 503", &full.text().await.expect("a body"));
    let stored = app.signups().await.len();

    assert_eq!(app.page("/").await.status, StatusCode::OK, "reads go on");
    assert_eq!(app.page(SEED_POST).await.status, StatusCode::OK);

    sqlx::query("DROP TABLE filler")
        .execute(app.sqlite())
        .await
        .expect("frees space");
    let resumed = app.sign_from_script("after@example.org").await;
    assert_eq!(resumed.status(), StatusCode::OK, "no restart needed");
    assert_eq!(app.signups().await.len(), stored + 1);
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(app.sqlite())
        .await
        .expect("checks");
    assert_eq!(check, "ok");
}

#[tokio::test]
async fn a_panicking_handler_is_a_500_page_with_the_request_id_and_serving_goes_on() {
    use axum::{routing::get, Router};
    use tower::ServiceExt;
    use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

    let id = axum::http::HeaderName::from_static("x-request-id");
    let router = Router::new()
        .route("/boom", get(|| async { panic!("a bug") as &str }))
        .route("/fine", get(|| async { "fine" }))
        .layer(axum::middleware::from_fn(server::protect::catch_panics))
        .layer(PropagateRequestIdLayer::new(id.clone()))
        .layer(SetRequestIdLayer::new(id, MakeRequestUuid));
    let request = |path: &str| {
        axum::http::Request::get(path)
            .body(axum::body::Body::empty())
            .expect("a request")
    };

    let response = router
        .clone()
        .oneshot(request("/boom"))
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .expect("text")
        .to_owned();
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .expect("a body");
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains(&request_id), "{page}");
    assert_leaks_nothing("the 500 page", &page);

    let after = router
        .clone()
        .oneshot(request("/fine"))
        .await
        .expect("answers");
    assert_eq!(after.status(), StatusCode::OK);

    // An id sent in by the client is repeated only if it is a plain token.
    let forged = axum::http::Request::get("/boom")
        .header("x-request-id", "<script>alert(1)</script>")
        .body(axum::body::Body::empty())
        .expect("a request");
    let response = router.oneshot(forged).await.expect("answers");
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .expect("a body");
    assert!(!String::from_utf8_lossy(&body).contains("<script>"));
}

/// A form's body, URL-encoded as a browser does, with `raw` put in as it is (its escapes not
/// encoded again) where `fields` hold [`RAW`].
fn body_with_raw(fields: &[(String, String)], raw: &str) -> Vec<u8> {
    serde_urlencoded::to_string(fields)
        .expect("encodes")
        .replace(RAW, raw)
        .into_bytes()
}

const RAW: &str = "RAW-VALUE";

#[tokio::test]
async fn form_fields_that_are_not_utf8_are_400_and_store_and_mail_nothing() {
    let app = spawn_app().await;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            SIGN,
            body_with_raw(&sign_form(&[("email", RAW)]), "%FF%FE%40example.org"),
            "an email address of bytes that are not UTF-8",
        ),
        (
            SIGN,
            body_with_raw(&sign_form(&[("full_name", RAW)]), "Ana%C3%28"),
            "a name with a broken sequence",
        ),
        (
            SIGN,
            body_with_raw(&sign_form(&[("organisation", RAW)]), "%C0%AF"),
            "an overlong encoding",
        ),
        (
            PLEDGE,
            body_with_raw(&pledge_form(&[("email", RAW)]), "%FF%FE%40example.org"),
            "a pledge's email address of bytes that are not UTF-8",
        ),
        (
            PLEDGE,
            body_with_raw(&pledge_form(&[("full_name", RAW)]), "Ana%ED%A0%80"),
            "a surrogate, which UTF-8 does not have",
        ),
        (
            PLEDGE,
            [
                body_with_raw(&pledge_form(&[("message", RAW)]), "Hi "),
                b"\xff\xfe".to_vec(),
            ]
            .concat(),
            "raw bytes that are not UTF-8, not even escaped",
        ),
        (
            "/api/confirm-signature",
            b"token=%FFAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_vec(),
            "a confirmation token",
        ),
        ("/api/page-view", b"path=%2Fnews%FF".to_vec(), "a page view"),
    ];
    for (path, body, why) in &cases {
        for accept in [
            "application/json",
            "text/html,application/xhtml+xml,*/*;q=0.8",
        ] {
            let response = app
                .client
                .post(app.url(path))
                .header("accept", accept)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("referer", app.url("/take-action"))
                .body(body.clone())
                .send()
                .await
                .expect("answers");
            assert_eq!(
                response.status(),
                StatusCode::BAD_REQUEST,
                "{why} ({accept}) to {path}"
            );
            let text = response.text().await.expect("a body");
            assert_leaks_nothing(why, &text);
            if accept.starts_with("text/html") {
                assert!(text.contains("could not be read"), "{why}: {text}");
            } else {
                // The error every form's script shows as "the form could not be read".
                assert_eq!(text, "\"BadRequest\"", "{why}");
            }
        }
    }
    // The consent proof comes as JSON: its text must be UTF-8 too.
    let consent = app
        .client
        .post(app.url("/api/consent"))
        .header("accept", "application/json")
        .header("content-type", "application/json")
        .body(
            [
                br#"{"version":1,"choices":{"analytics":true,"external_media":false},"#.as_slice(),
                br#""decided_at":"2026-11-28T09:30:00.000Z","id":"0f8fad5b-d9cb-469f-a165-70867728950"#,
                b"\xff\"}",
            ]
            .concat(),
        )
        .send()
        .await
        .expect("answers");
    assert_eq!(consent.status(), StatusCode::BAD_REQUEST);

    let stored: i64 = app
        .scalar(
            "SELECT (SELECT count(*) FROM signups) + (SELECT count(*) FROM pledges)
              + (SELECT count(*) FROM page_views) + (SELECT count(*) FROM consent_records)
              + (SELECT count(*) FROM outbox)",
            &[],
        )
        .await;
    assert_eq!(stored, 0, "nothing stored, no mail queued");
    // Mail goes out in the order it was queued: once a good signature's has, any that a bad
    // one had queued would be there too.
    let good = app.sign_from_script("good@example.org").await;
    assert_eq!(good.status(), StatusCode::OK);
    let mails = app.wait_for_mails(1).await;
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].contains("To: good@example.org\r\n"),
        "{}",
        mails[0]
    );
}

#[tokio::test]
async fn searches_get_a_looser_limit_of_their_own() {
    let app = spawn_app_with(|config| {
        config.rate_limit_burst = NonZeroU32::new(1).expect("not zero");
        config.rate_limit_per_minute = NonZeroU32::new(1).expect("not zero");
    })
    .await;
    // Six times the forms' burst, as the page-view counter.
    for n in 0..6 {
        let page = app.page(&format!("/search?q=migration+{n}")).await;
        assert_eq!(
            page.status,
            StatusCode::OK,
            "search {n} is within the burst"
        );
    }
    let refused = app.page("/search?q=migration").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers.contains_key(header::RETRY_AFTER));
    assert!(refused.text().contains("Please wait"), "{}", refused.text());

    // The server function the search page's script calls draws on the same allowance, so
    // calling it directly buys no fresh searches.
    let direct = app
        .client
        .post(app.url(app::api::content::SearchPosts::PATH))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("query=migration")
        .send()
        .await
        .expect("an answer");
    assert_eq!(direct.status(), StatusCode::TOO_MANY_REQUESTS);

    // The empty search page is only a form, other pages are not limited, and searching has
    // not used up the forms.
    assert_eq!(app.page("/search").await.status, StatusCode::OK);
    assert_eq!(app.page("/news").await.status, StatusCode::OK);
    assert_eq!(
        app.sign_from_script("searcher@example.org").await.status(),
        StatusCode::OK
    );
}
