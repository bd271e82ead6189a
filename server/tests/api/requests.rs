use crate::helpers::{header, spawn_app, SEED_POST};
use app::api::content::GetPost;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;

#[tokio::test]
async fn malformed_query_strings_are_a_400_never_a_500() {
    let app = spawn_app().await;
    for query in ["?%zz", "?a=%", "?a=%f", "?q=%FF%FE", "?%C0%AF=1"] {
        let page = app.page(&format!("{SEED_POST}{query}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(
            page.text().contains("could not be understood"),
            "{query}: {}",
            page.html
        );
    }
}

#[tokio::test]
async fn well_formed_query_strings_are_ignored_by_content_pages() {
    let app = spawn_app().await;
    for query in ["?", "?utm_source=newsletter", "?a=%C3%A9&b", "?q=a+b%20c"] {
        let page = app.page(&format!("{SEED_POST}{query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{query}");
    }
}

#[tokio::test]
async fn a_server_function_answers_json_for_a_good_call() {
    let app = spawn_app().await;
    let slug = SEED_POST.trim_start_matches("/news/");
    let response = app
        .client
        .post(app.url(GetPost::PATH))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("slug={slug}&locale=en-GB"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.expect("a body");
    assert!(body.contains(r#""published_on":"2010-10-06""#), "{body}");
}

#[tokio::test]
async fn a_server_function_called_with_bad_arguments_is_a_400() {
    let app = spawn_app().await;
    for body in ["", "nonsense=1", "slug[]=a&slug[]=b"] {
        let response = app
            .client
            .post(app.url(GetPost::PATH))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("an answer");
        let status = response.status();
        let text = response.text().await.expect("a body");
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body:?}: {text}");
        assert!(!text.contains("serde"), "no internals: {text}");
    }
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    // The first render, then the kept copy, which is answered before the other layers.
    let mut ids = Vec::new();
    for _ in 0..2 {
        let response = app
            .client
            .get(app.url("/"))
            .send()
            .await
            .expect("an answer");
        let id = header(response.headers(), "x-request-id");
        assert_eq!(id.len(), 36, "a UUID");
        ids.push(id);
    }
    assert_ne!(ids[0], ids[1]);
}

#[tokio::test]
async fn pages_and_feeds_are_compressed_for_browsers_that_ask() {
    let app = spawn_app().await;
    let fetch = |path: &'static str, encoding: Option<&'static str>| {
        let mut request = app.client.get(app.url(path));
        if let Some(encoding) = encoding {
            request = request.header("accept-encoding", encoding);
        }
        async move {
            let response = request.send().await.expect("the server answers");
            let (encoding, vary) = (
                header(response.headers(), "content-encoding"),
                header(response.headers(), "vary"),
            );
            let length = response.bytes().await.expect("a body").len();
            (encoding, vary, length)
        }
    };
    let (plain_encoding, _, plain) = fetch(SEED_POST, None).await;
    assert_eq!(plain_encoding, "", "nothing asked, nothing encoded");
    for (asked, expected) in [("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br", "br")] {
        let (encoding, vary, length) = fetch(SEED_POST, Some(asked)).await;
        assert_eq!(encoding, expected, "{asked}");
        assert!(
            vary.to_ascii_lowercase().contains("accept-encoding"),
            "{vary}"
        );
        assert!(length * 2 < plain, "{asked}: {length} of {plain} bytes");
    }
    let (encoding, _, _) = fetch("/feed.xml", Some("br")).await;
    assert_eq!(encoding, "br", "feeds too");
}

#[tokio::test]
async fn pages_fetch_the_app_code_only_once_the_browser_is_idle() {
    let app = spawn_app().await;
    for path in ["/", SEED_POST, "/take-action"] {
        let page = app.page(path).await;
        let stylesheet = page
            .tag_with("rel=\"stylesheet\"")
            .unwrap_or_else(|| panic!("{path}: a stylesheet"));
        assert!(stylesheet.contains("href=\"/pkg/"), "{stylesheet}");
        // Nothing in the head makes the browser download the wasm while it paints the page.
        assert_eq!(page.count("rel=\"preload\""), 0, "{path}");
        assert_eq!(page.count("rel=\"modulepreload\""), 0, "{path}");
        let script = page
            .tag_with("type=\"module\"")
            .unwrap_or_else(|| panic!("{path}: the hydration script"));
        let at = page.html.find(script).expect("the tag is in the page") + script.len();
        let code = &page.html[at..at + page.html[at..].find("</script>").expect("its end")];
        assert!(code.contains("requestIdleCallback"), "{code}");
        assert!(code.contains(".wasm"), "{code}");
    }
}

/// Headers a browser, a proxy or a bot may send a page with: whatever they say, the answer is
/// the page, in an encoding they accept (or none), and never a 5xx.
#[tokio::test]
async fn odd_encodings_ranges_and_validators_get_the_page_never_a_5xx() {
    let app = spawn_app().await;
    let cases: [(&str, &str, &[&str]); 12] = [
        ("accept-encoding", "br;q=0, gzip", &["gzip"]),
        ("accept-encoding", "br;q=0.5, gzip;q=1", &["gzip"]),
        ("accept-encoding", "identity;q=0, gzip", &["gzip"]),
        ("accept-encoding", "*", &["br", "gzip", ""]),
        ("accept-encoding", "*;q=0", &[""]),
        (
            "accept-encoding",
            "gzip;q=nonsense, br",
            &["br", "gzip", ""],
        ),
        ("accept-encoding", "compress, x-unknown", &[""]),
        ("range", "bytes=0-10", &[""]),
        ("range", "bytes=999999999-", &[""]),
        ("range", "lines=1-2", &[""]),
        ("if-none-match", "\"a-foreign-etag\"", &[""]),
        ("if-none-match", "garbage, W/\"\", \"", &[""]),
    ];
    for (name, value, encodings) in cases {
        let response = app
            .client
            .get(app.url(SEED_POST))
            .header(name, value)
            .send()
            .await
            .expect("the server answers");
        let status = response.status();
        let encoding = header(response.headers(), "content-encoding");
        let body = response.bytes().await.expect("a body");
        assert_eq!(status, StatusCode::OK, "{name}: {value}");
        assert!(
            encodings.contains(&encoding.as_str()),
            "{name}: {value} answered {encoding:?}"
        );
        if encoding.is_empty() {
            assert!(
                body.starts_with(b"<!DOCTYPE html>"),
                "{name}: {value}: the whole page"
            );
        } else {
            assert!(!body.is_empty(), "{name}: {value}");
        }
    }
}
