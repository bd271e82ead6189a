//! The bad-input corpus (`tests/corpus/bad-input.json`) against every form endpoint, with and
//! without JavaScript, plus malformed bodies: every answer a 4xx or a success, never a 5xx,
//! never an internal in a body or a redirect, and nothing junk stored.

use crate::helpers::{location, pledge_form, sign_form, spawn_app, TestApp};
use reqwest::StatusCode;
use serde::Deserialize;

const SIGN: &str = "/api/sign-the-call";
const PLEDGE: &str = "/api/pledge";

/// A form's fields as the browser sends them.
type Fields = Vec<(String, String)>;

#[derive(Deserialize)]
struct Case {
    why: String,
    value: String,
}

#[derive(Deserialize)]
struct Corpus {
    junk: Vec<Case>,
    amounts: Vec<Case>,
    printable: Vec<Case>,
}

fn corpus() -> Corpus {
    serde_json::from_str(include_str!("../corpus/bad-input.json")).expect("the corpus parses")
}

const INTERNALS: [&str; 6] = ["sqlx", "SQLITE", "constraint", "/work/", "panicked", "src/"];

impl TestApp {
    async fn stored(&self) -> i64 {
        self.scalar(
            "SELECT (SELECT count(*) FROM signups) + (SELECT count(*) FROM pledges)",
            &[],
        )
        .await
    }

    /// Posts `fields` from a script and as a plain form; returns both statuses after checking
    /// that neither is a 5xx or carries an internal.
    async fn try_both(&self, path: &str, fields: &Fields, why: &str) -> (u16, u16) {
        let script = self.post_from_script(path, fields).await;
        let script_status = script.status();
        let body = script.text().await.expect("a body");
        let plain = self.post_form(path, fields, "/take-action").await;
        let plain_status = plain.status();
        let to = location(&plain);
        for (what, text) in [("body", body.as_str()), ("redirect", to.as_str())] {
            for internal in INTERNALS {
                assert!(
                    !text.contains(internal),
                    "{why}: the {what} leaks {internal:?}: {text}"
                );
            }
        }
        assert!(!script_status.is_server_error(), "{why}: {script_status}");
        assert!(!plain_status.is_server_error(), "{why}: {plain_status}");
        (script_status.as_u16(), plain_status.as_u16())
    }
}

#[tokio::test]
async fn junk_in_any_field_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    let corpus = corpus();
    let mut tried = 0;
    for case in &corpus.junk {
        let org = [
            ("kind", "organisation"),
            ("organisation", "Club"),
            ("role", "Chair"),
        ];
        let forms: Vec<(&str, &str, Fields)> = vec![
            (SIGN, "full_name", sign_form(&[("full_name", &case.value)])),
            (SIGN, "email", sign_form(&[("email", &case.value)])),
            (
                SIGN,
                "organisation",
                sign_form(&[org[0], org[2], ("organisation", &case.value)]),
            ),
            (
                SIGN,
                "role",
                sign_form(&[org[0], org[1], ("role", &case.value)]),
            ),
            (
                PLEDGE,
                "full_name",
                pledge_form(&[("full_name", &case.value)]),
            ),
            (PLEDGE, "email", pledge_form(&[("email", &case.value)])),
        ];
        for (path, field, fields) in forms {
            let why = format!("{} in {path} {field}", case.why);
            let (script, plain) = app.try_both(path, &fields, &why).await;
            assert!((400..500).contains(&script), "{why}: {script}");
            assert_eq!(plain, 303, "{why}: back to the form");
            tried += 2;
        }
    }
    for case in &corpus.amounts {
        let fields = pledge_form(&[("amount", "other"), ("other_amount", &case.value)]);
        let why = format!("{} as the amount", case.why);
        let (script, plain) = app.try_both(PLEDGE, &fields, &why).await;
        assert!((400..500).contains(&script), "{why}: {script}");
        assert_eq!(plain, 303, "{why}");
        tried += 2;
    }
    assert_eq!(app.stored().await, 0, "nothing junk stored");
    assert!(tried > 150, "{tried} inputs tried");
}

#[tokio::test]
async fn printable_payloads_are_refused_or_kept_exactly_and_shown_as_text() {
    let app = spawn_app().await;
    for (n, case) in corpus().printable.iter().enumerate() {
        let email = format!("p{n}@example.org");
        let fields = sign_form(&[
            ("full_name", &case.value),
            ("email", &email),
            ("show_name", "on"),
        ]);
        let (script, _) = app.try_both(SIGN, &fields, &case.why).await;
        if script == 200 {
            let stored: String = app
                .scalar("SELECT full_name FROM signups WHERE email = $1", &[&email])
                .await;
            assert_eq!(stored, case.value, "{}: kept exactly", case.why);
        }
    }
    // Confirm them all, so the call's page lists the names: as text, never as markup.
    app.execute("UPDATE signups SET status = 'confirmed', confirmed_at = '2026-11-28T00:00:00.000Z', expires_at = NULL", &[])
        .await;
    let page = app.page("/take-action").await;
    assert_eq!(page.status, StatusCode::OK);
    for needle in ["<script>alert", "<img src=x", "<b>Pérez"] {
        assert!(
            !page.html.contains(needle),
            "{needle} reached the page as markup"
        );
    }
}

#[tokio::test]
async fn malformed_bodies_are_4xx_and_store_nothing() {
    let app = spawn_app().await;
    let good = serde_urlencoded::to_string(sign_form(&[])).expect("encodes");
    let cases: Vec<(&str, &str, String)> = vec![
        (
            "JSON to a form endpoint",
            "application/json",
            r#"{"form":{"full_name":"Ana"}}"#.to_owned(),
        ),
        ("plain text", "text/plain", good.clone()),
        (
            "XML",
            "application/xml",
            "<form><full_name>Ana</full_name></form>".to_owned(),
        ),
        (
            "multipart without a boundary",
            "multipart/form-data",
            good.clone(),
        ),
        (
            "a broken escape",
            "application/x-www-form-urlencoded",
            format!("{good}&form[full_name]=%zz"),
        ),
        (
            "bytes that are not UTF-8",
            "application/x-www-form-urlencoded",
            format!("{good}&form[full_name]=%C3%28"),
        ),
        (
            "an empty body",
            "application/x-www-form-urlencoded",
            String::new(),
        ),
        (
            "only separators",
            "application/x-www-form-urlencoded",
            "&&&==&".to_owned(),
        ),
        (
            "a field without a form",
            "application/x-www-form-urlencoded",
            "full_name=Ana&email=a@example.org".to_owned(),
        ),
        (
            "nested too deep",
            "application/x-www-form-urlencoded",
            format!("form{}=1", "[a]".repeat(200)),
        ),
    ];
    for path in [SIGN, PLEDGE] {
        for (why, content_type, body) in &cases {
            let response = app
                .client
                .post(app.url(path))
                .header("accept", "application/json")
                .header("content-type", *content_type)
                .body(body.clone())
                .send()
                .await
                .expect("answers");
            let status = response.status();
            assert!(status.is_client_error(), "{why} to {path}: {status}");
            let text = response.text().await.expect("a body");
            for internal in INTERNALS {
                assert!(
                    !text.contains(internal),
                    "{why}: leaks {internal:?}: {text}"
                );
            }
        }
    }
    // A field sent twice is refused or takes one of the values; it never stores two rows.
    let repeated = format!("{good}&form[email]=other@example.org");
    let response = app
        .client
        .post(app.url(SIGN))
        .header("accept", "application/json")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(repeated)
        .send()
        .await
        .expect("answers");
    assert!(!response.status().is_server_error());
    assert!(app.stored().await <= 1);
    assert_eq!(
        app.stored().await - i64::from(response.status().is_success()),
        0
    );
}
