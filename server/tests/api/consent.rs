//! Consent over HTTP: the proof-of-consent endpoint, first-party page-view counting, the
//! cookie policy, and pages that load nothing from another site before consent.

use crate::helpers::{spawn_app, TestApp, SEED_POST};
use app::server::db::Db;
use reqwest::StatusCode;
use serde_json::{json, Value};

const CONSENT: &str = "/api/consent";
const PAGE_VIEW: &str = "/api/page-view";
const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

fn record() -> Value {
    json!({
        "version": app::consent::POLICY_VERSION,
        "choices": { "analytics": true, "external_media": false },
        "decided_at": "2026-11-28T09:30:00.000Z",
        "id": ID,
    })
}

impl TestApp {
    /// Sends a body to the consent endpoint as the page's script does.
    async fn send_consent(&self, body: String) -> reqwest::Response {
        self.client
            .post(self.url(CONSENT))
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .body(body)
            .send()
            .await
            .expect("the server answers")
    }

    async fn consent_rows(&self) -> Vec<(String, i64, bool, bool, String)> {
        self.rows(
            "SELECT CAST(id AS TEXT), policy_version, analytics, external_media, decided_at
             FROM consent_records ORDER BY recorded_at",
            &[],
        )
        .await
    }

    async fn count_view(&self, path: &str) -> reqwest::Response {
        self.client
            .post(self.url(PAGE_VIEW))
            .header("accept", "application/json")
            .form(&[("path", path)])
            .send()
            .await
            .expect("the server answers")
    }

    async fn page_views(&self) -> Vec<(String, i64)> {
        self.rows("SELECT path, views FROM page_views ORDER BY path", &[])
            .await
    }
}

#[tokio::test]
async fn a_choice_is_kept_as_proof_with_nothing_about_the_visitor() {
    let app = spawn_app().await;
    let response = app
        .send_consent(json!({ "record": record() }).to_string())
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.consent_rows().await,
        [(
            ID.to_owned(),
            i64::from(app::consent::POLICY_VERSION),
            true,
            false,
            "2026-11-28T09:30:00.000Z".to_owned()
        )]
    );
    // The table has no place for an address, an agent or anything else about the visitor.
    let columns: Vec<String> = match &app.db {
        Db::Sqlite(_) => {
            app.scalars(
                "SELECT name FROM pragma_table_info('consent_records') ORDER BY cid",
                &[],
            )
            .await
        }
        Db::Postgres(_) => {
            app.scalars(
                "SELECT CAST(column_name AS text) FROM information_schema.columns
                 WHERE table_name = 'consent_records' ORDER BY ordinal_position",
                &[],
            )
            .await
        }
    };
    assert_eq!(
        columns,
        [
            "id",
            "policy_version",
            "analytics",
            "external_media",
            "decided_at",
            "recorded_at",
            // The language of the text agreed to, not of the visitor.
            "lang"
        ]
    );

    // A retried request changes nothing; another choice under the same id is refused.
    let again = app
        .send_consent(json!({ "record": record() }).to_string())
        .await;
    assert_eq!(again.status(), StatusCode::OK);
    let mut other = record();
    other["choices"]["external_media"] = json!(true);
    let taken = app
        .send_consent(json!({ "record": other }).to_string())
        .await;
    assert_eq!(taken.status(), StatusCode::BAD_REQUEST);
    let rows = app.consent_rows().await;
    assert_eq!(rows.len(), 1);
    assert!(!rows[0].3, "the first choice stands");
}

#[tokio::test]
async fn the_proof_keeps_the_language_of_the_text_agreed_to() {
    let app = spawn_app().await;
    let ids = [
        "0f8fad5b-d9cb-469f-a165-70867728950e",
        "1f8fad5b-d9cb-469f-a165-70867728950e",
        "2f8fad5b-d9cb-469f-a165-70867728950e",
    ];
    // Chosen on a Spanish page; on an English one by a script too old to say; and with a
    // language the site does not have, which is kept as English rather than refused.
    for (id, lang) in ids.iter().zip([json!("es"), Value::Null, json!("fr")]) {
        let mut r = record();
        r["id"] = json!(id);
        let response = app
            .send_consent(json!({ "record": r, "lang": lang }).to_string())
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{lang}");
    }
    let langs: Vec<(String, String)> = app
        .rows(
            "SELECT CAST(id AS TEXT), lang FROM consent_records ORDER BY id",
            &[],
        )
        .await;
    assert_eq!(
        langs,
        [
            (ids[0].to_owned(), "es".to_owned()),
            (ids[1].to_owned(), "en".to_owned()),
            (ids[2].to_owned(), "en".to_owned()),
        ]
    );
}

#[tokio::test]
async fn forged_records_are_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let with = |change: &dyn Fn(&mut Value)| {
        let mut r = record();
        change(&mut r);
        json!({ "record": r }).to_string()
    };
    let cases: Vec<(&str, String)> = vec![
        (
            "an older policy version",
            with(&|r| r["version"] = json!(1)),
        ),
        (
            "a future policy version",
            with(&|r| r["version"] = json!(99)),
        ),
        ("a negative version", with(&|r| r["version"] = json!(-1))),
        (
            "an unknown category",
            with(&|r| r["choices"]["advertising"] = json!(true)),
        ),
        (
            "a category missing",
            with(&|r| {
                r["choices"]
                    .as_object_mut()
                    .map(|c| c.remove("external_media"));
            }),
        ),
        (
            "a choice that is not a switch",
            with(&|r| r["choices"]["analytics"] = json!("yes")),
        ),
        (
            "something about the visitor",
            with(&|r| r["ip"] = json!("203.0.113.7")),
        ),
        ("an id that is not a UUID", with(&|r| r["id"] = json!("me"))),
        (
            "an oversized id",
            with(&|r| r["id"] = json!("a".repeat(200_000))),
        ),
        (
            "an oversized time",
            with(&|r| r["decided_at"] = json!("2".repeat(200_000))),
        ),
        (
            "a time that is not a time",
            with(&|r| r["decided_at"] = json!("yesterday at noon......")),
        ),
        ("no record", json!({}).to_string()),
        ("not JSON", "{\"record\": {".to_owned()),
        ("a list of numbers", json!([1, 2, 3]).to_string()),
    ];
    for (why, body) in cases {
        let response = app.send_consent(body).await;
        assert!(
            response.status().is_client_error(),
            "{why}: {}",
            response.status()
        );
        let text = response.text().await.expect("a body");
        assert!(
            !text.contains("sqlx") && !text.contains("consent_records") && !text.contains("serde"),
            "{why}: the answer leaks internals: {text}"
        );
    }
    assert_eq!(app.consent_rows().await, []);
}

#[tokio::test]
async fn page_views_count_site_pages_only_and_never_a_secret() {
    let app = spawn_app().await;
    for sql in [
        "INSERT INTO tags (slug, name) VALUES ('migration', 'Migration'), ('unused', 'Unused')",
        "INSERT INTO post_tags (post_id, tag_id)
         SELECT p.id, t.id FROM posts p, tags t WHERE t.slug = 'migration'",
    ] {
        app.execute(sql, &[]).await;
    }
    for path in [
        "/news",
        "/news",
        SEED_POST,
        "/news/tag/migration",
        "/members",
        "/search",
        "/take-action/confirm/c2VjcmV0LXRva2VuLXZhbHVl",
        "/donate/thanks/SS-7K4Q-M2XD",
        // Well-formed but nothing there: answered like the rest, not counted.
        "/news/no-such-post",
        "/news/tag/no-such-tag",
        // A tag without a published post has no page either.
        "/news/tag/unused",
        "/members/nobody",
        "/resources/nothing",
    ] {
        let response = app.count_view(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    for path in [
        "",
        "/admin",
        "/news/<script>",
        "https://evil.test/",
        &"/x".repeat(500),
    ] {
        let response = app.count_view(path).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
    }
    let views = app.page_views().await;
    assert_eq!(
        views,
        [
            ("/donate/thanks/:reference".to_owned(), 1),
            ("/members".to_owned(), 1),
            ("/news".to_owned(), 2),
            (SEED_POST.to_owned(), 1),
            ("/news/tag/migration".to_owned(), 1),
            ("/search".to_owned(), 1),
            ("/take-action/confirm/:token".to_owned(), 1),
        ]
    );
}

#[tokio::test]
async fn the_cookie_policy_names_every_key_category_and_lifetime() {
    let app = spawn_app().await;
    let page = app.page("/cookies").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    for expected in [
        "Basic information on cookies",
        // The old site's notice, word for word.
        "A cookie is a small information file that is stored in your browser every time you visit our website.",
        "Cookies are used to keep a log of your activities on our website, in order to identify you on future visits and configure the content based on your browsing habits, identity and preferences.",
        "Users are free to delete, accept, block and delete cookies. This can be done using the options in this window or through the browser's settings, as appropriate.",
        "The correct operation of the different functions of our website cannot be guaranteed if cookies are rejected.",
        app::consent::STORAGE_KEY,
        "{version, choices, decided_at, id}",
        "Necessary (always on)",
        "Analytics",
        "External media",
        "12 months after you allow anything, 6 months after you reject all.",
        "Daily counts are kept for 24 months.",
        "Without it, nothing optional runs on this site",
        "Change or withdraw your choice",
        "Version 2",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from /cookies");
    }
    // The form is there without JavaScript, switched off and inert.
    assert_eq!(page.count("role=\"switch\""), 3);
    assert!(page
        .tag_with("aria-describedby=\"policy-analytics-purpose\"")
        .is_some_and(|tag| tag.contains("disabled") && !tag.contains("checked")));
}

/// Every `src` and stylesheet of a page as the server sends it: all must be this site's.
fn loaded_urls(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            let tag_start = rest[..at].rfind('<').unwrap_or(0);
            let tag_end = at + rest[at..].find('>').unwrap_or(0);
            let tag = rest[tag_start..tag_end].to_owned();
            rest = &rest[at + attribute.len()..];
            let url = rest.split('"').next().unwrap_or_default().to_owned();
            // Links are followed only when clicked; what loads is src, stylesheets, preloads.
            // Canonical, alternate and expect (an element of the page itself) load nothing.
            let loads = attribute == "src=\"" || tag.starts_with("<link");
            let names_only = ["canonical", "alternate", "expect"]
                .iter()
                .any(|rel| tag.contains(&format!("rel=\"{rel}\"")));
            if loads && !names_only {
                urls.push(url);
            }
        }
    }
    urls
}

/// Gives the seed post a YouTube video, as staff would.
async fn add_video_to_seed_post(app: &TestApp, reference: &str) {
    app.execute(
        "INSERT INTO post_media (post_id, position, host, reference, title)
         SELECT id, 0, 'youtube', $1, 'The conference in pictures' FROM posts WHERE slug = $2",
        &[reference, SEED_POST.trim_start_matches("/news/")],
    )
    .await;
    app.content.invalidate();
}

#[tokio::test]
async fn a_post_with_a_video_sends_a_placeholder_and_no_frame() {
    let app = spawn_app().await;
    add_video_to_seed_post(&app, "dQw4w9WgXcQ").await;

    let page = app.page(SEED_POST).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.html.contains("<iframe"), "no frame before consent");
    assert!(
        !page.html.contains("src=\"https://www.youtube-nocookie"),
        "nothing that would load it"
    );
    let text = page.text();
    assert!(text.contains(
        "This video is hosted by YouTube. Loading it sends your IP address to Google, which may set cookies."
    ));
    assert!(page
        .html
        .contains("href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\""));

    for path in [
        "/",
        SEED_POST,
        "/news",
        "/take-action",
        "/donate",
        "/cookies",
    ] {
        let page = app.page(path).await;
        for url in loaded_urls(&page.html) {
            assert!(
                url.starts_with('/') && !url.starts_with("//"),
                "{path} loads {url} from another site"
            );
        }
    }
}

#[tokio::test]
async fn a_media_reference_of_the_wrong_shape_is_left_out() {
    let app = spawn_app().await;
    add_video_to_seed_post(&app, "x\" onload=\"alert(1)").await;
    let page = app.page(SEED_POST).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.html.contains("onload"));
    assert!(!page.html.contains("class=\"embed\""));
}
