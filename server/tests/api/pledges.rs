//! Pledging a donation over HTTP: with and without JavaScript, idempotency, the
//! instructions mail, staff commands and bad input.

use crate::helpers::{
    cookie_pair, echo_cookie, error_fields, location, pledge_form, set_cookies, spawn_app,
    spawn_app_with, TestApp, SEED_POST, TEST_IBAN,
};
use app::server::pledge_receipt::ReceiptKey;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::Value;
use std::{num::NonZeroU32, time::SystemTime};

const PLEDGE: &str = "/api/pledge";

async fn pledges(app: &TestApp) -> Vec<(String, i64, String, String)> {
    app.rows(
        "SELECT reference, amount_minor, frequency, status FROM pledges ORDER BY id",
        &[],
    )
    .await
}

#[tokio::test]
async fn every_donation_prompt_carries_the_pledge_form() {
    let app = spawn_app().await;
    for path in ["/", SEED_POST, "/donate"] {
        let page = app.page(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.html.contains("action=\"/api/pledge\""), "{path}");
        let once = page
            .tag_with("id=\"pledge-frequency\"")
            .expect("the Once choice");
        assert!(once.contains("checked"), "Once is pre-selected on {path}");
        let monthly = page
            .tag_with("id=\"pledge-frequency-monthly\"")
            .expect("Monthly");
        assert!(
            !monthly.contains("checked"),
            "Monthly is never pre-selected on {path}"
        );
        let key = page
            .tag_with("name=\"form[idempotency_key]\"")
            .expect("a key field");
        assert!(key.contains("value=\"\""), "made by the browser: {key}");
    }
    // The same bytes for every visitor, so a CDN may keep the page.
    let response = app
        .client
        .get(app.url("/donate"))
        .send()
        .await
        .expect("an answer");
    assert!(crate::helpers::header(response.headers(), "cache-control").starts_with("public"));
}

#[tokio::test]
async fn a_double_submit_without_javascript_is_one_pledge_and_the_same_thanks_page() {
    let app = spawn_app().await;
    let form = pledge_form(&[("idempotency_key", "")]);
    let (first, second) = tokio::join!(
        app.post_form(PLEDGE, &form, SEED_POST),
        app.post_form(PLEDGE, &form, SEED_POST)
    );
    let first = crate::helpers::header(first.headers(), "location");
    assert!(first.starts_with("/donate/thanks/SS-"), "{first}");
    assert_eq!(crate::helpers::header(second.headers(), "location"), first);
    assert_eq!(pledges(&app).await.len(), 1);
    // Another amount from the same address is another pledge.
    let other = app
        .post_form(
            PLEDGE,
            &pledge_form(&[("idempotency_key", ""), ("amount", "50")]),
            SEED_POST,
        )
        .await;
    assert_ne!(crate::helpers::header(other.headers(), "location"), first);
    assert_eq!(pledges(&app).await.len(), 2);
    assert_eq!(app.wait_for_mails(2).await.len(), 2);
}

#[tokio::test]
async fn pledging_without_javascript_redirects_to_the_instructions_and_mails_them() {
    let app = spawn_app().await;
    let response = app.post_form(PLEDGE, &pledge_form(&[]), SEED_POST).await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let thanks = location(&response);
    let stored = pledges(&app).await;
    assert_eq!(stored.len(), 1);
    let (reference, minor, frequency, status) = &stored[0];
    assert_eq!(thanks, format!("/donate/thanks/{reference}"));
    assert_eq!(
        (*minor, frequency.as_str(), status.as_str()),
        (2500, "once", "pledged")
    );

    // The redirect hands the browser the cookie that shows it its pledge.
    let cookie = receipt_cookie(&response);
    let page = app.page_with_cookie(&thanks, Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains(reference.as_str()));
    assert!(text.contains(TEST_IBAN));
    assert!(text.contains("€25 once"));
    // …and the same transfer as the code a banking app scans, drawn by the server.
    assert!(page.html.contains("class=\"transfer-code\""));
    assert!(page.html.contains("<svg"));

    let mails = app.wait_for_mails(1).await;
    assert!(mails[0].contains("To: ana@example.org\r\n"));
    assert!(mails[0].contains(reference.as_str()));
    assert!(mails[0].contains(TEST_IBAN));
    // Plain text first, then HTML with the logo and the code as pictures it refers to.
    assert!(mails[0].contains("Content-Type: multipart/alternative"));
    let text = mails[0]
        .find("Content-Type: text/plain")
        .expect("a text part");
    let html = mails[0]
        .find("Content-Type: text/html")
        .expect("an HTML part");
    assert!(text < html);
    assert!(mails[0].contains("cid:transfer-code"));
    assert!(mails[0].contains("Content-ID: <transfer-code>"));
    assert!(mails[0].contains("Content-ID: <logo>"));
}

#[tokio::test]
async fn the_placeholder_account_gets_no_code_but_keeps_its_text() {
    let app = spawn_app_with(|config| {
        config.donation_iban = server::config::PLACEHOLDER_IBAN.to_owned();
    })
    .await;
    let response = app.post_form(PLEDGE, &pledge_form(&[]), SEED_POST).await;
    let thanks = location(&response);
    let page = app
        .page_with_cookie(&thanks, Some(&receipt_cookie(&response)))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains(server::config::PLACEHOLDER_IBAN));
    assert!(
        !page.html.contains("<svg"),
        "no code for an account that is not one"
    );
}

#[tokio::test]
async fn a_mistyped_account_stops_the_server_with_one_sentence() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut config = crate::helpers::test_config(&dir);
    // One digit off: the checksum catches it.
    config.donation_iban = "ES91 2100 0418 4502 0005 1333".to_owned();
    let error =
        server::startup::Application::build_with(config, crate::helpers::test_leptos_options(&dir))
            .await
            .err()
            .expect("the server refuses to start");
    let message = format!("{error:#}");
    assert!(
        message.starts_with("DONATION_IBAN is not a valid IBAN: "),
        "{message}"
    );
    assert!(!message.contains('\n'), "one line: {message}");
}

#[tokio::test]
async fn the_same_form_sent_twice_is_one_pledge() {
    let app = spawn_app().await;
    let first = app.post_from_script(PLEDGE, &pledge_form(&[])).await;
    assert_eq!(first.status(), StatusCode::OK);
    let first: Value = first.json().await.expect("a receipt");
    let second: Value = app
        .post_from_script(PLEDGE, &pledge_form(&[]))
        .await
        .json()
        .await
        .expect("a receipt");
    assert_eq!(first["reference"], second["reference"]);
    // The key again with another amount (a stale or shared page): no pledge, no receipt.
    let reused = app
        .post_from_script(PLEDGE, &pledge_form(&[("amount", "100")]))
        .await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!reused.text().await.unwrap_or_default().contains("SS-"));
    assert_eq!(first["amount"]["minor"], 2500);
    let again = app.post_form(PLEDGE, &pledge_form(&[]), "/donate").await;
    assert_eq!(
        location(&again),
        format!(
            "/donate/thanks/{}",
            first["reference"].as_str().unwrap_or_default()
        )
    );
    assert_eq!(pledges(&app).await.len(), 1);
    app.wait_for_mails(1).await;
}

#[tokio::test]
async fn another_amount_monthly_in_another_currency_with_a_certificate() {
    let app = spawn_app().await;
    let response = app
        .post_from_script(
            PLEDGE,
            &pledge_form(&[
                ("amount", "other"),
                ("other_amount", "12,50"),
                ("frequency", "monthly"),
                ("currency", "USD"),
                ("tax_certificate", "on"),
                ("tax_id", "X1234567L"),
            ]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (_, minor, frequency, _) = pledges(&app).await.remove(0);
    assert_eq!((minor, frequency.as_str()), (1250, "monthly"));
    let (currency, tax_id): (String, Option<String>) =
        app.row("SELECT currency, tax_id FROM pledges", &[]).await;
    assert_eq!(
        (currency.as_str(), tax_id.as_deref()),
        ("USD", Some("X1234567L"))
    );
}

#[tokio::test]
async fn bad_input_is_a_4xx_with_a_field_message_and_stores_nothing() {
    let app = spawn_app().await;
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("amount", "other"), ("other_amount", "-5")],
            "other_amount",
        ),
        (
            &[("amount", "other"), ("other_amount", "0")],
            "other_amount",
        ),
        (
            &[("amount", "other"), ("other_amount", "0.50")],
            "other_amount",
        ),
        (
            &[("amount", "other"), ("other_amount", "10001")],
            "other_amount",
        ),
        (
            &[("amount", "other"), ("other_amount", "lots")],
            "other_amount",
        ),
        (
            &[("amount", "other"), ("other_amount", "10.555")],
            "other_amount",
        ),
        (&[("amount", "30")], "amount"),
        (&[("currency", "BTC")], "currency"),
        (&[("frequency", "weekly")], "frequency"),
        (&[("tax_certificate", "on")], "tax_id"),
        (
            &[("tax_certificate", "on"), ("tax_id", "12345678A")],
            "tax_id",
        ),
        (&[("full_name", "Ana\r\nBcc: x@example.org")], "full_name"),
        (&[("email", "ana")], "email"),
        (&[("idempotency_key", "not-a-key")], "idempotency_key"),
    ];
    for (changes, field) in cases {
        let response = app.post_from_script(PLEDGE, &pledge_form(changes)).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{changes:?}"
        );
        let body: Value = response.json().await.expect("a JSON error");
        assert_eq!(error_fields(&body), [*field], "{changes:?}");
    }
    assert!(pledges(&app).await.is_empty());
}

#[tokio::test]
async fn without_javascript_errors_come_back_with_the_chosen_amount_and_frequency() {
    let app = spawn_app().await;
    let response = app
        .post_form(
            PLEDGE,
            &pledge_form(&[
                ("amount", "other"),
                ("other_amount", "0,50"),
                ("frequency", "monthly"),
                ("email", "nope"),
            ]),
            "/donate",
        )
        .await;
    let back = location(&response);
    assert!(back.contains("/donate?__path="), "{back}");
    let page = app
        .page_with_cookie(
            back.trim_start_matches(&app.url("")),
            Some(&cookie_pair(&echo_cookie(&response))),
        )
        .await;
    let text = page.text();
    assert!(text.contains("Enter an amount of at least 1."), "{text}");
    assert!(text.contains("Enter an email address in the form name@example.org."));
    assert!(page
        .tag_with("id=\"pledge-amount-other\"")
        .is_some_and(|tag| tag.contains("checked")));
    assert!(page
        .tag_with("id=\"pledge-frequency-monthly\"")
        .is_some_and(|tag| tag.contains("checked")));
    assert!(page
        .tag_with("id=\"pledge-other_amount\"")
        .is_some_and(|tag| tag.contains("value=\"0,50\"")));
    assert!(pledges(&app).await.is_empty());
}

#[tokio::test]
async fn a_filled_honeypot_is_thanked_and_stores_nothing() {
    let app = spawn_app().await;
    let response = app
        .post_from_script(
            PLEDGE,
            &pledge_form(&[("leave_empty", "http://spam.example")]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(pledges(&app).await.is_empty());
}

#[tokio::test]
async fn staff_mark_pledges_received_and_only_received_ones_count() {
    let app = spawn_app().await;
    let first = app.post_from_script(PLEDGE, &pledge_form(&[])).await;
    let first_cookie = receipt_cookie(&first);
    app.post_from_script(
        PLEDGE,
        &pledge_form(&[
            ("idempotency_key", "1b6e6c1c-3c36-4d0e-9a43-2f3f7d1f5e10"),
            ("amount", "100"),
        ]),
    )
    .await;
    let stored = pledges(&app).await;
    assert!(!app.page("/donate").await.text().contains("received so far"));

    let url = &app.database_url;
    let done = server::staff::mark_received(url, &stored[0].0)
        .await
        .expect("marked");
    assert!(done.ends_with("is now received"));
    server::staff::cancel(url, &stored[1].0)
        .await
        .expect("cancelled");
    assert!(
        server::staff::mark_received(url, &stored[1].0)
            .await
            .is_err(),
        "a cancelled pledge stays cancelled"
    );
    assert!(server::staff::cancel(url, "SS-0000-0000").await.is_err());

    // The staff command is another process: the server sees the stored figures move within
    // its watcher's second.
    let mut text = String::new();
    for _ in 0..40 {
        text = app.page("/donate").await.text();
        if text.contains("received so far") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(text.contains("€25 received so far, from 1 gift."), "{text}");

    // A received pledge's page thanks, and no longer asks for a transfer.
    let received = app
        .page_with_cookie(
            &format!("/donate/thanks/{}", stored[0].0),
            Some(&first_cookie),
        )
        .await
        .text();
    assert!(
        received.contains("We have received this gift."),
        "{received}"
    );
    assert!(!received.contains(TEST_IBAN));
    assert!(!received.contains("Please transfer"));

    let mut out = Vec::new();
    server::export::pledges(url, server::config::Format::Csv, &mut out)
        .await
        .expect("the export");
    let csv = String::from_utf8(out).expect("UTF-8");
    assert!(
        csv.lines()
            .nth(1)
            .is_some_and(|line| line.contains(",received,2500,EUR,once,Ana Pérez,ana@example.org")),
        "{csv}"
    );
    assert!(
        csv.lines()
            .nth(2)
            .is_some_and(|line| line.contains(",cancelled,10000,EUR,once,")),
        "{csv}"
    );
}

#[tokio::test]
async fn unknown_references_are_not_found() {
    let app = spawn_app().await;
    for reference in ["SS-0000-0000", "nonsense", "SS-%3Cb%3E"] {
        let page = app.page(&format!("/donate/thanks/{reference}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{reference}");
    }
}

/// The pledge cookie a response sets, as the browser sends it back (`name=value`).
fn receipt_cookie(response: &reqwest::Response) -> String {
    let cookies = set_cookies(response);
    let cookie = cookies
        .iter()
        .find(|cookie| cookie.starts_with("pledge_receipt="))
        .unwrap_or_else(|| panic!("a pledge cookie among {cookies:?}"));
    cookie_pair(cookie)
}

/// The neutral sentence a browser other than the pledging one gets.
const EXISTS: &str =
    "A pledge with this reference exists — check your mail for the transfer details.";

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

#[tokio::test]
async fn only_the_pledging_browser_sees_the_amount_and_status() {
    let app = spawn_app().await;
    let response = app.post_form(PLEDGE, &pledge_form(&[]), SEED_POST).await;
    let thanks = location(&response);
    let reference = thanks.rsplit('/').next().expect("a reference").to_owned();
    let set = set_cookies(&response);
    let header = set
        .iter()
        .find(|cookie| cookie.starts_with("pledge_receipt="))
        .expect("a pledge cookie");
    for attribute in [
        &format!("Path={thanks}"),
        "Max-Age=3600",
        "HttpOnly",
        "SameSite=Lax",
        // The test server's public URL is https.
        "Secure",
    ] {
        assert!(
            header.split("; ").any(|part| part == attribute),
            "{attribute} in {header}"
        );
    }
    let cookie = cookie_pair(header);

    let own = app.page_with_cookie(&thanks, Some(&cookie)).await;
    assert_eq!(own.status, StatusCode::OK);
    let text = own.text();
    for needle in ["€25 once", TEST_IBAN, "Please transfer"] {
        assert!(text.contains(needle), "the pledger sees {needle}: {text}");
    }

    // The JS path gets the cookie too, so a reload of the page still shows everything.
    let script = app.post_from_script(PLEDGE, &pledge_form(&[])).await;
    assert_eq!(script.status(), StatusCode::OK);
    let script_cookie = receipt_cookie(&script);
    assert!(app
        .page_with_cookie(&thanks, Some(&script_cookie))
        .await
        .text()
        .contains("€25 once"));

    // A second pledge of another browser, for the cookie of another reference.
    let other = app
        .post_from_script(
            PLEDGE,
            &pledge_form(&[("idempotency_key", "2b6e6c1c-3c36-4d0e-9a43-2f3f7d1f5e10")]),
        )
        .await;
    let other_cookie = receipt_cookie(&other);
    let key = ReceiptKey::load_or_create(&app.db())
        .await
        .expect("the key the server made");
    let expired = key
        .sign(&reference, unix_now() - 1)
        .expect("an expired signature");
    let (expiry, tag) = cookie
        .trim_start_matches("pledge_receipt=")
        .split_once('.')
        .expect("expiry.tag");
    let later = expiry.parse::<u64>().expect("an expiry") + 3600;
    let elsewhere = tempfile::tempdir().expect("a temporary folder");
    let made_up_key = ReceiptKey::load_or_create(
        &server::db::connect(&format!(
            "sqlite://{}",
            elsewhere.path().join("other.db").display()
        ))
        .await
        .expect("a database of its own"),
    )
    .await
    .expect("another key");
    let forged = made_up_key
        .sign(&reference, unix_now() + 60)
        .expect("a signature");
    for (cookie, why) in [
        (None, "a fresh browser"),
        (Some(other_cookie), "the cookie of another pledge"),
        (
            Some(format!("pledge_receipt={expired}")),
            "an expired cookie",
        ),
        (
            Some(format!("pledge_receipt={later}.{tag}")),
            "a cookie whose expiry was moved",
        ),
        (
            Some(format!("pledge_receipt={forged}")),
            "a cookie signed with another key",
        ),
        (Some("pledge_receipt=1.AAAA".to_owned()), "a made-up cookie"),
    ] {
        let page = app.page_with_cookie(&thanks, cookie.as_deref()).await;
        assert_eq!(page.status, StatusCode::OK, "{why}");
        let text = page.text();
        assert!(text.contains(EXISTS), "{why}: {text}");
        assert!(text.contains(&reference), "{why}");
        for secret in ["€25", "once", TEST_IBAN, "pledged", "Please transfer"] {
            assert!(!text.contains(secret), "{why} sees {secret:?}: {text}");
        }
    }

    // The server function behind the page, called directly, shows no more.
    let direct = app
        .client
        .post(app.url(app::api::pledges::GetPledge::PATH))
        .header("accept", "application/json")
        .header("cookie", &cookie)
        .form(&[("reference", reference.as_str())])
        .send()
        .await
        .expect("answers");
    assert_eq!(direct.status(), StatusCode::OK);
    let body = direct.text().await.expect("a body");
    assert!(body.contains("Exists"), "{body}");
    assert!(
        !body.contains("2500") && !body.contains(TEST_IBAN),
        "{body}"
    );
}

#[tokio::test]
async fn the_key_outlives_a_restart_and_is_shared_by_servers_on_one_database() {
    let app = spawn_app().await;
    let response = app.post_form(PLEDGE, &pledge_form(&[]), SEED_POST).await;
    let thanks = location(&response);
    let reference = thanks.rsplit('/').next().expect("a reference");
    let cookie = receipt_cookie(&response);
    let (expiry, _) = cookie
        .trim_start_matches("pledge_receipt=")
        .split_once('.')
        .expect("expiry.tag");
    let expiry = expiry.parse::<u64>().expect("an expiry");
    // What a restarted server, or a second one on the database, loads: it signs as the
    // running server did, so the pledger's cookie keeps working there.
    let loaded = ReceiptKey::load_or_create(&app.db()).await.expect("a key");
    assert_eq!(
        loaded
            .sign(reference, expiry)
            .map(|signed| format!("pledge_receipt={signed}")),
        Some(cookie),
        "the stored key is the one the server signs with"
    );
    let again = ReceiptKey::load_or_create(&app.db()).await.expect("a key");
    assert_eq!(
        again.sign(reference, expiry),
        loaded.sign(reference, expiry),
        "loading does not make a new key"
    );
}

#[tokio::test]
async fn thirty_guesses_at_references_in_a_second_meet_a_429() {
    // The default limits, not the tests' generous ones.
    let app = spawn_app_with(|config| {
        config.rate_limit_burst = NonZeroU32::new(10).expect("not zero");
        config.rate_limit_per_minute = NonZeroU32::new(30).expect("not zero");
    })
    .await;
    let mut refused = 0;
    for guess in 0..30 {
        let page = app
            .page(&format!("/donate/thanks/SS-{guess:04}-0000"))
            .await;
        match page.status {
            StatusCode::NOT_FOUND => {}
            StatusCode::TOO_MANY_REQUESTS => {
                refused += 1;
                assert!(page.headers.contains_key("retry-after"));
                assert!(page.text().contains("Please wait"), "{}", page.text());
            }
            other => panic!("guess {guess}: {other}"),
        }
    }
    assert!(refused >= 15, "only {refused} of 30 guesses refused");
    // The server function behind the page shares the allowance.
    let direct = app
        .client
        .post(app.url(app::api::pledges::GetPledge::PATH))
        .header("accept", "application/json")
        .form(&[("reference", "SS-0000-0001")])
        .send()
        .await
        .expect("answers");
    assert_eq!(direct.status(), StatusCode::TOO_MANY_REQUESTS);
    // Guessing does not use up the forms: pledging still works.
    let pledge = app.post_from_script(PLEDGE, &pledge_form(&[])).await;
    assert_eq!(pledge.status(), StatusCode::OK);
}
