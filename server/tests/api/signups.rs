//! Signing the call to action over HTTP: with and without JavaScript, confirmation by mail,
//! duplicates, bots and bad input.

use crate::helpers::{
    confirmation_path, cookie_pair, echo_cookie, error_fields, location, sign_form, spawn_app,
    spawn_app_with, TestApp,
};
use app::server::db::Db;
use reqwest::StatusCode;
use serde_json::Value;

const SIGN: &str = "/api/sign-the-call";
const CONFIRM: &str = "/api/confirm-signature";

/// Signs as a browser without JavaScript and follows the link in the mail to the end.
async fn sign_and_confirm(app: &TestApp, changes: &[(&str, &str)]) {
    let before = app.mails().len();
    let response = app
        .post_form(SIGN, &sign_form(changes), "/take-action")
        .await;
    assert!(response.status().is_redirection());
    let mails = app.wait_for_mails(before + 1).await;
    let email = changes
        .iter()
        .find(|(name, _)| *name == "email")
        .map_or("ana@example.org", |(_, email)| email);
    let mail = mails
        .iter()
        .find(|mail| mail.contains(&format!("To: {email}\r\n")))
        .expect("the confirmation message");
    let path = confirmation_path(mail);
    let token = path.rsplit('/').next().expect("a token").to_owned();
    let response = app
        .post_form(CONFIRM, &[("token".to_owned(), token)], &path)
        .await;
    assert!(response.status().is_redirection());
}

#[tokio::test]
async fn the_call_page_has_its_text_principles_count_and_form() {
    let app = spawn_app().await;
    let page = app.page("/take-action").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("Call to Action for Leadership to build Shared Societies"));
    assert!(text.contains("calling to action to stakeholders and global cities"));
    for principle in [
        "Respect",
        "Equality of opportunity",
        "Absence of discrimination",
        "Democratic participation",
    ] {
        assert!(text.contains(principle), "{principle}");
    }
    assert!(text.contains("Be the first to sign the call"));
    assert!(!text.contains(" 0 signatures"));
    for field in [
        "full_name",
        "email",
        "kind",
        "organisation",
        "role",
        "country",
        "show_name",
        "keep_informed",
        "leave_empty",
        "consent_version",
        "source",
    ] {
        assert!(
            page.html.contains(&format!("name=\"form[{field}]\"")),
            "{field}"
        );
    }
    assert!(page.html.contains(">Spain</option>"));
    assert!(page
        .tag_with("name=\"form[show_name]\"")
        .is_some_and(|tag| !tag.contains("checked")));
    assert!(page
        .tag_with("name=\"form[keep_informed]\"")
        .is_some_and(|tag| !tag.contains("checked")));
}

#[tokio::test]
async fn a_source_in_the_address_travels_with_the_form() {
    let app = spawn_app().await;
    let page = app.page("/take-action?source=newsletter").await;
    let source = page
        .tag_with("name=\"form[source]\"")
        .expect("the source field");
    assert!(source.contains("value=\"newsletter\""), "{source}");
}

#[tokio::test]
async fn signing_without_javascript_redirects_to_thanks_and_stores_a_pending_signature() {
    let app = spawn_app().await;
    let fields = sign_form(&[("email", "  Ana@Example.ORG "), ("source", "newsletter")]);
    let response = app.post_form(SIGN, &fields, "/take-action").await;
    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(location(&response), "/take-action/thanks");

    assert_eq!(
        app.signups().await,
        [("Ana@example.org".to_owned(), "pending".to_owned())]
    );

    let mails = app.wait_for_mails(1).await;
    assert!(mails[0].contains("To: Ana@example.org\r\n"), "{}", mails[0]);
    assert!(
        !mails[0].contains("Pérez"),
        "nothing typed in the form is mailed"
    );
    let (source, hashed): (Option<String>, bool) = app
        .row(
            "SELECT source, EXISTS (SELECT 1 FROM signup_tokens t WHERE t.signup_id = s.id)
             FROM signups s",
            &[],
        )
        .await;
    assert_eq!(source.as_deref(), Some("newsletter"));
    assert!(hashed);
    let path = confirmation_path(&mails[0]);
    let token = path.rsplit('/').next().expect("a token");
    // Only the hash is stored: the token itself appears nowhere in the database.
    match &app.db {
        Db::Sqlite(_) => {
            let stored: Vec<u8> = std::fs::read(&app.db_path).expect("the database file");
            assert!(!String::from_utf8_lossy(&stored).contains(token));
        }
        Db::Postgres(_) => {
            let tables: Vec<String> = app
                .scalars(
                    "SELECT CAST(table_name AS text) FROM information_schema.tables
                     WHERE table_schema = 'public'",
                    &[],
                )
                .await;
            for table in tables {
                let rows: i64 = app
                    .scalar(
                        &format!("SELECT count(*) FROM {table} AS r WHERE CAST(r AS text) LIKE $1"),
                        &[&format!("%{token}%")],
                    )
                    .await;
                assert_eq!(rows, 0, "the token is in {table}");
            }
        }
    }

    let thanks = app.page("/take-action/thanks").await;
    assert_eq!(thanks.status, StatusCode::OK);
    assert!(thanks.text().contains("Check your inbox"));
    assert!(thanks.html.contains("noindex"));

    // Pending signatures do not count.
    assert!(app
        .page("/take-action")
        .await
        .text()
        .contains("Be the first to sign the call"));
}

#[tokio::test]
async fn the_link_in_the_mail_confirms_only_with_the_button_and_the_count_goes_up() {
    let app = spawn_app().await;
    app.post_form(SIGN, &sign_form(&[("show_name", "on")]), "/take-action")
        .await;
    let mails = app.wait_for_mails(1).await;
    let path = confirmation_path(&mails[0]);

    // Opening the link (as a mail scanner would) changes nothing.
    let page = app.page(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Confirm my signature"));
    assert!(page.html.contains("method=\"post\"") || page.html.contains("method=\"POST\""));
    assert_eq!(app.signups().await[0].1, "pending");

    let token = path.rsplit('/').next().expect("a token").to_owned();
    let response = app
        .post_form(CONFIRM, &[("token".to_owned(), token.clone())], &path)
        .await;
    assert!(response.status().is_redirection());
    assert_eq!(location(&response), path);
    assert_eq!(app.signups().await[0].1, "confirmed");
    assert!(app
        .page(&path)
        .await
        .text()
        .contains("your signature is confirmed"));

    let call = app.page("/take-action").await.text();
    assert!(call.contains("1 signature so far"), "{call}");
    assert!(
        call.contains("Ana Pérez"),
        "a signer who chose to be listed is listed"
    );
    assert!(app.page("/").await.text().contains("1 signature so far"));

    // Pressing the button again is harmless.
    let again = app
        .post_from_script(CONFIRM, &[("token".to_owned(), token)])
        .await;
    assert_eq!(again.status(), StatusCode::OK);
    assert!(app
        .page("/take-action")
        .await
        .text()
        .contains("1 signature so far"));
}

#[tokio::test]
async fn signers_who_did_not_ask_to_be_listed_are_counted_but_not_named() {
    let app = spawn_app().await;
    sign_and_confirm(
        &app,
        &[
            ("full_name", "Private Person"),
            ("email", "private@example.org"),
        ],
    )
    .await;
    let call = app.page("/take-action").await.text();
    assert!(call.contains("1 signature so far"));
    assert!(!call.contains("Private Person"));
}

#[tokio::test]
async fn unknown_and_malformed_confirmation_links_are_not_found() {
    let app = spawn_app().await;
    for token in [
        "A".repeat(43),
        "short".to_owned(),
        "%3Cscript%3E".to_owned(),
    ] {
        let page = app.page(&format!("/take-action/confirm/{token}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{token}");
        assert!(page.text().contains("This confirmation link does not work"));
    }
}

#[tokio::test]
async fn a_pending_signature_expires_after_seven_days() {
    let app = spawn_app().await;
    app.post_form(SIGN, &sign_form(&[]), "/take-action").await;
    let path = confirmation_path(&app.wait_for_mails(1).await[0]);
    app.execute(
        "UPDATE signups SET expires_at = '2000-01-01T00:00:00.000Z'",
        &[],
    )
    .await;

    assert!(app
        .page(&path)
        .await
        .text()
        .contains("This link has expired"));
    let token = path.rsplit('/').next().expect("a token").to_owned();
    app.post_form(CONFIRM, &[("token".to_owned(), token)], &path)
        .await;
    assert_eq!(
        app.signups().await[0].1,
        "pending",
        "an expired link confirms nothing"
    );

    // Signing again starts over, with a new mail whose link works.
    app.post_form(SIGN, &sign_form(&[]), "/take-action").await;
    let mails = app.wait_for_mails(2).await;
    assert_eq!(app.signups().await.len(), 1);
    let newest = mails
        .iter()
        .map(|mail| confirmation_path(mail))
        .find(|p| *p != path);
    let page = app.page(&newest.expect("a second link")).await;
    assert!(page.text().contains("Confirm my signature"));
}

#[tokio::test]
async fn signing_twice_gives_the_same_answer_and_keeps_one_signature() {
    let app = spawn_app().await;
    let first = app.post_form(SIGN, &sign_form(&[]), "/take-action").await;
    let first_location = location(&first);
    app.wait_for_mails(1).await;
    let second = app
        .post_form(
            SIGN,
            &sign_form(&[("email", " ana@EXAMPLE.org"), ("full_name", "Someone Else")]),
            "/take-action",
        )
        .await;
    assert_eq!(second.status(), first.status());
    assert_eq!(location(&second), first_location);
    assert_eq!(app.signups().await.len(), 1);

    // Already confirmed: still the same answer, still one row, still one count.
    sign_and_confirm(&app, &[("email", "bo@example.org")]).await;
    let script = app
        .post_from_script(SIGN, &sign_form(&[("email", "bo@example.org")]))
        .await;
    assert_eq!(script.status(), StatusCode::OK);
    assert_eq!(app.signups().await.len(), 2);
    assert!(app
        .page("/take-action")
        .await
        .text()
        .contains("1 signature so far"));
}

#[tokio::test]
async fn a_filled_honeypot_gets_the_same_answer_and_stores_nothing() {
    let app = spawn_app().await;
    let response = app
        .post_form(
            SIGN,
            &sign_form(&[("leave_empty", "http://spam.example")]),
            "/take-action",
        )
        .await;
    assert_eq!(location(&response), "/take-action/thanks");
    let script = app
        .post_from_script(SIGN, &sign_form(&[("leave_empty", "http://spam.example")]))
        .await;
    assert_eq!(script.status(), StatusCode::OK);
    assert!(app.signups().await.is_empty());
}

#[tokio::test]
async fn without_javascript_bad_fields_come_back_on_the_form_with_their_messages() {
    let app = spawn_app().await;
    let fields = sign_form(&[
        ("full_name", ""),
        ("email", "ana.example.org"),
        ("kind", "organisation"),
    ]);
    let response = app.post_form(SIGN, &fields, "/take-action?source=x").await;
    assert!(response.status().is_redirection());
    let back = location(&response);
    assert!(back.contains("/take-action?source=x&__path="), "{back}");
    assert!(app.signups().await.is_empty());
    // What was typed goes back in a cookie for that page alone, never in the address.
    let decoded = base64_url_decoded(&back);
    assert!(!decoded.contains("ana.example.org"), "{decoded}");
    let cookie = echo_cookie(&response);
    for attribute in [
        "Path=/take-action;",
        "Max-Age=120",
        "HttpOnly",
        "SameSite=Lax",
    ] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }

    let page = app
        .page_with_cookie(
            back.trim_start_matches(&app.url("")),
            Some(&cookie_pair(&cookie)),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("Enter your full name."));
    assert!(text.contains("Enter an email address in the form name@example.org."));
    assert!(text.contains("Enter the name of your organisation or city."));
    assert!(text.contains("Enter your role in it."));
    let email = page
        .tag_with("id=\"signup-email\"")
        .expect("the email field");
    assert!(
        email.contains("value=\"ana.example.org\""),
        "what was typed is kept: {email}"
    );
    assert!(email.contains("aria-invalid=\"true\""));
    assert!(email.contains("signup-email-error"));
    let name = page
        .tag_with("id=\"signup-full_name\"")
        .expect("the name field");
    assert!(
        name.contains("autofocus"),
        "the first wrong field takes the focus: {name}"
    );
    assert!(page.html.contains("role=\"alert\""));

    // A second failed attempt from that page replaces the first errors, not adds to them.
    let fixed_name = sign_form(&[("email", "still wrong")]);
    let again = app
        .post_form(SIGN, &fixed_name, back.trim_start_matches(&app.url("")))
        .await;
    let back_again = location(&again);
    assert_eq!(back_again.matches("__err=").count(), 1, "{back_again}");
    let page = app
        .page_with_cookie(
            back_again.trim_start_matches(&app.url("")),
            Some(&cookie_pair(&echo_cookie(&again))),
        )
        .await;
    let text = page.text();
    assert!(!text.contains("Enter your full name."));
    assert!(text.contains("Enter an email address in the form name@example.org."));
    assert!(page
        .tag_with("id=\"signup-email\"")
        .is_some_and(|tag| tag.contains("value=\"still wrong\"")));

    // Without the cookie (another browser following the same address) the errors show,
    // and nothing typed by someone else.
    let stranger = app.page(back_again.trim_start_matches(&app.url(""))).await;
    assert!(stranger
        .text()
        .contains("Enter an email address in the form name@example.org."));
    assert!(!stranger.html.contains("still wrong"));
}

/// The address with its `__err` decoded, to look for what must not be in it.
fn base64_url_decoded(address: &str) -> String {
    use base64::{engine::general_purpose::URL_SAFE, Engine};
    let url = reqwest::Url::parse(address).expect("an absolute address");
    let mut text = address.to_owned();
    for (name, value) in url.query_pairs() {
        if name == "__err" {
            let bytes = URL_SAFE.decode(value.as_bytes()).expect("base64");
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    text
}

#[tokio::test]
async fn a_crafted_address_cannot_put_its_own_words_on_the_page_or_send_people_away() {
    let app = spawn_app().await;
    // A form post from another site is sent back to our form, not to that site.
    let response = app
        .client
        .post(app.url(SIGN))
        .header("accept", "text/html")
        .header("referer", "https://evil.example/phish")
        .form(&sign_form(&[("full_name", "")]))
        .send()
        .await
        .expect("an answer");
    let back = location(&response);
    assert!(
        back.starts_with(&format!("{}/take-action?", crate::helpers::PUBLIC_URL)),
        "{back}"
    );

    // An error the form never gives, written into the address by hand, is not shown.
    let forged = r#"{"Invalid":{"errors":[{"field":"email","message":"Call +1 555 0100 to verify your bank account."}],"values":{}}}"#;
    let encoded = base64_url(forged);
    let page = app
        .page(&format!(
            "/take-action?__path=%2Fapi%2Fsign-the-call&__err={encoded}"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text().contains("bank account"));

    // A known code can be chosen, and only its own words follow.
    let known = base64_url(r#"{"Invalid":{"errors":[{"email":"invalid"}]}}"#);
    let page = app
        .page(&format!(
            "/take-action?__path=%2Fapi%2Fsign-the-call&__err={known}"
        ))
        .await;
    assert!(page
        .text()
        .contains("Enter an email address in the form name@example.org."));
}

fn base64_url(text: &str) -> String {
    use base64::{engine::general_purpose::URL_SAFE, Engine};
    URL_SAFE.encode(text)
}

#[tokio::test]
async fn a_script_gets_422_with_a_message_for_every_bad_field() {
    let app = spawn_app().await;
    let response = app
        .post_from_script(
            SIGN,
            &sign_form(&[
                ("full_name", "Ana\r\nBcc: x@example.org"),
                ("country", "XX"),
            ]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("a JSON error");
    assert_eq!(error_fields(&body), ["full_name", "country"]);
    assert_eq!(body["Invalid"]["errors"][0]["full_name"], "odd");
    assert!(app.signups().await.is_empty());
}

#[tokio::test]
async fn hostile_input_is_a_4xx_never_a_500_and_stores_nothing() {
    let app = spawn_app().await;
    let long = "x".repeat(10_000);
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![("full_name", "")],
        vec![("full_name", &long)],
        vec![("full_name", "Ana\u{7}")],
        vec![("email", "")],
        vec![("email", "@")],
        vec![("email", "ana@example.org\r\nBcc: x@example.org")],
        vec![("email", &long)],
        vec![("kind", "")],
        vec![("kind", "organisation")],
        vec![
            ("kind", "organisation"),
            ("organisation", "City"),
            ("role", &long),
        ],
        vec![("country", "Narnia")],
        vec![("consent_version", "999")],
    ];
    for changes in cases {
        let response = app.post_from_script(SIGN, &sign_form(&changes)).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{changes:?}"
        );
    }
    // Not a form at all.
    for body in [
        "form=%ZZ",
        "form[full_name]=a&form[full_name][x]=b",
        "\u{0}\u{1}",
    ] {
        let response = app
            .client
            .post(app.url(SIGN))
            .header("accept", "application/json")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("an answer");
        assert!(
            response.status().is_client_error(),
            "{body:?}: {}",
            response.status()
        );
    }
    assert!(app.signups().await.is_empty());
}

#[tokio::test]
async fn a_mail_server_that_is_down_loses_no_signature_and_the_mail_is_retried() {
    // Port 9 (discard) is closed here: every SMTP attempt fails.
    let app =
        spawn_app_with(|config| config.smtp_url = Some("smtp://127.0.0.1:9".to_owned())).await;
    let response = app.post_form(SIGN, &sign_form(&[]), "/take-action").await;
    assert_eq!(location(&response), "/take-action/thanks");
    assert_eq!(app.signups().await.len(), 1);

    let mut failed = None;
    for _ in 0..100 {
        failed = app
            .rows::<(i64, Option<String>)>(
                "SELECT attempts, last_error FROM outbox WHERE sent_at IS NULL AND last_error IS NOT NULL",
                &[],
            )
            .await
            .pop();
        if failed.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (attempts, _) = failed.expect("a failed attempt is recorded");
    assert_eq!(attempts, 1);
    assert_eq!(app.signups().await.len(), 1, "the signature is still there");

    // The mail server is back (here: the file transport) and the retry is due.
    app.execute(
        "UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00.000Z'",
        &[],
    )
    .await;
    let dir = tempfile::tempdir().expect("a folder");
    let mut config = crate::helpers::test_config(&dir);
    config.mail_dir = app.mail_dir.clone();
    let bank = config.bank().expect("the test account");
    let mailer = server::mail::Mailer::from_config(&config, crate::helpers::PUBLIC_URL, bank)
        .expect("a file mailer");
    let writes = app::server::write_queue::WriteQueue::start(app.db());
    let sent = server::outbox::deliver_due(&writes, &mailer)
        .await
        .expect("the queue");
    assert_eq!(sent, 1);
    let mail = &app.wait_for_mails(1).await[0];
    let path = confirmation_path(mail);
    assert!(app
        .page(&path)
        .await
        .text()
        .contains("Confirm my signature"));
}

#[tokio::test]
async fn staff_export_every_signature_with_its_consent_as_csv() {
    let app = spawn_app().await;
    sign_and_confirm(&app, &[("email", "one@example.org"), ("show_name", "on")]).await;
    app.post_form(
        SIGN,
        &sign_form(&[
            ("email", "two@example.org"),
            ("full_name", "=HYPERLINK(\"http://evil.example\")"),
            ("kind", "organisation"),
            ("organisation", "City of Rotterdam"),
            ("role", "Mayor"),
            ("keep_informed", "on"),
        ]),
        "/take-action",
    )
    .await;

    let mut out = Vec::new();
    server::export::signups(
        &app.database_url,
        app::domain::signup::CALL_TO_ACTION,
        server::config::Format::Csv,
        &mut out,
    )
    .await
    .expect("the export");
    let csv = String::from_utf8(out).expect("UTF-8");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("id,campaign,status,full_name,email,kind,organisation,role,country,show_name,keep_informed,consent_version"));
    assert!(
        lines[1].contains(",confirmed,Ana Pérez,one@example.org,person,,,ES,true,false,1,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains(",pending,\"'=HYPERLINK"),
        "formulas are defused: {}",
        lines[2]
    );
    assert!(
        lines[2].contains("organisation,City of Rotterdam,Mayor,ES,false,true,1"),
        "{}",
        lines[2]
    );

    let unknown = server::export::signups(
        &app.database_url,
        "no-such-campaign",
        server::config::Format::Csv,
        Vec::new(),
    )
    .await;
    assert!(unknown.is_err());

    let dir = tempfile::tempdir().expect("a folder");
    let missing = dir.path().join("typo.db");
    let mistyped = server::export::signups(
        &format!("sqlite://{}", missing.display()),
        app::domain::signup::CALL_TO_ACTION,
        server::config::Format::Csv,
        Vec::new(),
    )
    .await;
    assert!(mistyped.is_err(), "a mistyped database is an error");
    assert!(!missing.exists(), "and is not created");
}
