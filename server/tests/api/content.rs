use crate::helpers::{spawn_app, PUBLIC_URL, SEED_POST};
use reqwest::StatusCode;

/// The seed post's paragraphs, word for word as the old site had them.
const SEED_PARAGRAPHS: [&str; 6] = [
    "The meeting proved successful in engaging international city leaders, migration experts and local practitioners in a practical dialogue. The participants exchanged ideas relating to the issue of integration as a critical dimension of urban prosperity and growth.",
    "Wim Kok highlighted the inevitable rise in immigration. He stressed the need to find ways of confronting the challenges that migration brings to societies in order to avoid tensions \"In times where people feel uncertain about the future ..., misperceptions of people who are different easily can create tensions even if reality differs from perceptions. When tensions grow, then perceptions easily become reality, rather sooner than later\"",
    "He also alerted the conference to the increase of populist movements all over Europe, movements that provoke suspicion in people against migrants as a form of self protection. He advocated establishing programs and policies based on the principles of the Shared Societies project: Respect, Equality of opportunity, Absence of discrimination and Democratic participation.",
    "His intervention stressed the essential role that political leadership must play to build more cohesive societies. \"Leadership is important to make the cogent argument that our society is a better place for all of us if we embrace diversity even if it is initially challenging. But political leaders cannot replace the contribution of individuals in their own communities and the work of local organisations. Political leadership often needs to be enabling leadership which encourages or makes it possible for attitudes to change and communities to act.\"",
    "Wim Kok closed his remarks by calling to action to stakeholders and global cities to build shared societies at all levels, based on greater tolerance for differences and good citizenship.",
    "A market-place of good practices for social inclusion took place during the conference. Participants benefited from the experience of cities that have successfully implemented innovative policies and programs aimed at greater social cohesion at the local level. Some of those practices have already been replicated in other cities. There was interest among the participants to work with the Shared Societies Project to present some of their experiences in our examples of best practices for shared societies.",
];

const TITLE: &str =
    "A call to action to build shared societies at the Cities of Migration conference";

#[tokio::test]
async fn the_seed_post_is_served_with_every_paragraph_word_for_word() {
    let app = spawn_app().await;
    let page = app.page(SEED_POST).await;

    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    for paragraph in SEED_PARAGRAPHS {
        assert!(text.contains(paragraph), "missing paragraph: {paragraph}");
    }
    assert_eq!(
        page.count(&format!("<h1>{TITLE}</h1>")),
        1,
        "the title is the one <h1>"
    );
    assert_eq!(page.count("<h1"), 1);
    assert!(
        page.html
            .contains(r#"<time datetime="2010-10-06">6 October 2010</time>"#),
        "the date is a <time>"
    );
}

#[tokio::test]
async fn wim_koks_two_quotations_are_marked_as_quotations() {
    let app = spawn_app().await;
    let page = app.page(SEED_POST).await;
    assert_eq!(page.count("<q>"), 2);
    assert!(page
        .html
        .contains("<q>\"In times where people feel uncertain"));
    assert!(page.html.contains("<q>\"Leadership is important"));
}

#[tokio::test]
async fn the_post_links_to_its_three_resources_and_related_member() {
    let app = spawn_app().await;
    let page = app.page(SEED_POST).await;

    assert!(page
        .html
        .contains(r#"href="/resources/wim-kok-intervention""#));
    assert!(page.text().contains("Read Wim Kok’s intervention"));
    assert!(page.html.contains(r#"href="/take-action""#));
    assert!(page
        .text()
        .contains("Read the Call to Action for Leadership to build Shared Societies"));
    assert!(page.html.contains(
        r#"<a href="https://citiesofmigration.ca/" rel="external noopener" class="external">Access Cities of Migration website"#
    ));
    assert!(page
        .text()
        .contains("Access Cities of Migration website (external website)"));

    assert!(page.text().contains("Related Members"));
    assert!(page.html.contains(r#"href="/members/wim-kok""#));
    assert!(page.html.contains(
        r#"<a href="/members/wim-kok">Wim Kok</a><span class="member-role">Former Prime Minister of the Netherlands</span>"#
    ));
}

#[tokio::test]
async fn the_post_ends_with_the_donation_prompt() {
    let app = spawn_app().await;
    let page = app.page(SEED_POST).await;
    assert!(page.text().contains(
        "WLA-CdM is committed to advancing democracy worldwide. With your support, we can advance democratic values and foster social and political change. You can help ensure a sustainable future for the next generations by joining our efforts in a variety of ways. Here’s how you can make a difference."
    ));
    assert!(page.html.contains(r#"href="/donate""#));
}

/// The state a page hands the browser for hydration, one entry per value the render made.
fn hydration_state(html: &str) -> Vec<&str> {
    html.split("__RESOLVED_RESOURCES[")
        .skip(1)
        .filter_map(|entry| entry.split_once("] = ").map(|(_, value)| value))
        .collect()
}

fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(at, c)| match at {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[tokio::test]
async fn the_post_page_is_rendered_once() {
    let app = spawn_app().await;
    let page = app.page(SEED_POST).await;
    let key = page
        .tag_with("name=\"form[idempotency_key]\"")
        .expect("the donation form's key field");
    assert!(
        key.contains("value=\"\""),
        "the browser makes the key: {key}"
    );
    // Nothing made for one visitor is carried for the browser: the page is the same bytes
    // for everyone (a render that drew values, e.g. Leptos's dry runs of a closure inside
    // <Suspense>, would show here).
    let state = hydration_state(&page.html);
    assert!(
        !state.iter().any(|value| value
            .as_bytes()
            .windows(36)
            .any(|window| std::str::from_utf8(window).is_ok_and(is_uuid))),
        "{state:?}"
    );
    // The post's structured data goes out once, in the head: only what an island needs is
    // carried for the browser.
    assert_eq!(page.count("\"@type\":\"NewsArticle\""), 1);
}

#[tokio::test]
async fn the_post_sets_its_title_description_and_canonical_link() {
    let app = spawn_app().await;
    let page = app.page(SEED_POST).await;
    assert!(
        page.html
            .contains(&format!("<title>{TITLE} · Shared Societies</title>")),
        "{}",
        page.html
    );
    assert!(page
        .html
        .contains(r#"<meta name="description" content="Wim Kok called on stakeholders"#));
    let canonical = page
        .tag_with(r#"rel="canonical""#)
        .expect("a canonical link");
    assert!(
        canonical.contains(&format!(r#"href="{PUBLIC_URL}{SEED_POST}""#)),
        "{canonical}"
    );
}

#[tokio::test]
async fn unknown_posts_and_paths_are_a_404_page() {
    let app = spawn_app().await;
    for path in [
        "/news/no-such-post",
        "/news/Not-A-Slug",
        "/news/%2e%2e%2fetc",
        "/members/nobody",
        "/resources/nothing",
        "/no/such/page",
        "/news/a/b/c",
    ] {
        let page = app.page(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            page.text().contains("We could not find that page"),
            "{path}: {}",
            page.html
        );
    }
}

#[tokio::test]
async fn a_resource_with_a_url_has_no_page_of_its_own() {
    let app = spawn_app().await;
    let page = app.page("/resources/cities-of-migration-website").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_intervention_link_leads_to_an_honest_page() {
    let app = spawn_app().await;
    let page = app.page("/resources/wim-kok-intervention").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("Wim Kok’s intervention at the Cities of Migration conference"));
    assert!(text.contains("not online yet"));
    assert!(page.html.contains(&format!(r#"href="{SEED_POST}""#)));
}

#[tokio::test]
async fn the_member_page_lists_the_posts_that_name_him() {
    let app = spawn_app().await;
    let page = app.page("/members/wim-kok").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("<h1>Wim Kok</h1>"));
    assert!(page
        .text()
        .contains("Former Prime Minister of the Netherlands"));
    assert!(page.html.contains(&format!(r#"href="{SEED_POST}""#)));
}

#[tokio::test]
async fn the_home_page_lists_the_seed_post_and_ways_to_help() {
    let app = spawn_app().await;
    let page = app.page("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains(&format!(r#"href="{SEED_POST}""#)));
    assert!(page.text().contains(TITLE));
    assert!(page.html.contains(r#"href="/take-action""#));
    assert!(page.html.contains(r#"href="/donate""#));
    assert!(page.html.contains("<title>Shared Societies</title>"));
}

#[tokio::test]
async fn every_page_in_the_navigation_answers() {
    let app = spawn_app().await;
    for (path, heading) in [
        ("/news", "News"),
        (
            "/take-action",
            "Call to Action for Leadership to build Shared Societies",
        ),
        ("/donate", "Donate"),
        ("/cookies", "Cookies policy"),
    ] {
        let page = app.page(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.html.contains(&format!("<h1>{heading}</h1>")), "{path}");
    }
}

#[tokio::test]
async fn the_server_renders_no_cookie_banner() {
    // The server cannot know the visitor's choice; the browser shows the banner.
    let app = spawn_app().await;
    let page = app.page(SEED_POST).await;
    assert!(!page.html.contains("consent-banner"));
    assert!(page.html.contains(r#"data-hydrated="false""#));
}
