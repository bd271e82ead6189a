//! The Spanish site over HTTP: a supporter who signs or pledges on a Spanish page stays in
//! Spanish (the pages they are sent to, the mail, the stored records), and the language is
//! the address's alone, whatever the browser says it prefers.

use crate::helpers::{
    confirmation_path, cookie_pair, location, pledge_form, set_cookies, sign_form, spawn_app,
    TEST_IBAN,
};
use reqwest::StatusCode;

const SIGN: &str = "/api/sign-the-call";
const CONFIRM: &str = "/api/confirm-signature";
const PLEDGE: &str = "/api/pledge";

#[tokio::test]
async fn signing_on_the_spanish_page_stays_in_spanish_to_the_confirmation() {
    let app = spawn_app().await;
    let form = app.page("/es/take-action").await;
    assert!(
        form.html.contains(">Países Bajos</option>"),
        "the countries in Spanish"
    );
    let response = app
        .post_form(SIGN, &sign_form(&[("lang", "es")]), "/es/take-action")
        .await;
    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(location(&response), "/es/take-action/thanks");
    let thanks = app.page("/es/take-action/thanks").await;
    assert!(thanks.html.contains("<html lang=\"es\""));
    assert!(thanks.text().contains("Revise su bandeja de entrada"));

    let stored: Vec<(String, String)> = app.rows("SELECT email, lang FROM signups", &[]).await;
    assert_eq!(stored, [("ana@example.org".to_owned(), "es".to_owned())]);

    let mail = app.wait_for_mails(1).await.remove(0);
    assert!(mail.contains("Subject: Confirme su firma"), "{mail}");
    assert!(mail.contains("Gracias por firmar el Llamamiento"), "{mail}");
    let confirm = confirmation_path(&mail);
    assert!(
        mail.contains(&format!("/es{confirm}")),
        "the link opens the Spanish page: {mail}"
    );

    let page = app.page(&format!("/es{confirm}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Confirme su firma"));
    assert!(page
        .tag_with("name=\"lang\"")
        .is_some_and(|tag| tag.contains("value=\"es\"")));
    let token = confirm.rsplit('/').next().expect("a token");
    let confirmed = app
        .client
        .post(app.url(CONFIRM))
        .header("accept", "text/html")
        .form(&[("token", token), ("lang", "es")])
        .send()
        .await
        .expect("the server answers");
    assert_eq!(location(&confirmed), format!("/es{confirm}"));
    let after = app.page(&format!("/es{confirm}")).await;
    assert!(after.text().contains("su firma ha quedado confirmada"));
    assert_eq!(
        app.signups().await,
        [("ana@example.org".to_owned(), "confirmed".to_owned())]
    );
}

#[tokio::test]
async fn a_form_without_a_language_or_with_an_unknown_one_is_english() {
    let app = spawn_app().await;
    for (email, lang) in [("a@example.org", None), ("b@example.org", Some("fr"))] {
        let mut changes = vec![("email", email)];
        changes.extend(lang.map(|lang| ("lang", lang)));
        let response = app
            .post_form(SIGN, &sign_form(&changes), "/take-action")
            .await;
        assert_eq!(location(&response), "/take-action/thanks");
    }
    let langs: Vec<String> = app
        .scalars("SELECT lang FROM signups ORDER BY id", &[])
        .await;
    assert_eq!(langs, ["en", "en"]);
    let mails = app.wait_for_mails(2).await;
    assert!(mails
        .iter()
        .all(|mail| mail.contains("Subject: Please confirm your signature")));
}

#[tokio::test]
async fn errors_on_the_spanish_form_come_back_in_spanish_and_survive_a_language_switch() {
    let app = spawn_app().await;
    let response = app
        .post_form(
            SIGN,
            &sign_form(&[
                ("lang", "es"),
                ("email", "nope"),
                ("full_name", "Ana Pérez"),
            ]),
            "/es/take-action",
        )
        .await;
    let back = location(&response);
    let path = back.trim_start_matches(&app.url(""));
    assert!(path.starts_with("/es/take-action?"), "{back}");
    // What was typed comes back to the form's page in either language.
    let echoes: Vec<String> = set_cookies(&response)
        .into_iter()
        .filter(|cookie| cookie.starts_with("form_echo="))
        .collect();
    let paths: Vec<&str> = echoes
        .iter()
        .filter_map(|cookie| cookie.split("; ").find(|part| part.starts_with("Path=")))
        .collect();
    assert_eq!(paths, ["Path=/take-action", "Path=/es/take-action"]);

    let spanish = app
        .page_with_cookie(path, Some(&cookie_pair(&echoes[1])))
        .await;
    let text = spanish.text();
    assert!(
        text.contains("Introduzca una dirección de correo electrónico con el formato"),
        "{text}"
    );
    assert!(spanish
        .tag_with("name=\"form[full_name]\"")
        .is_some_and(|tag| tag.contains("value=\"Ana Pérez\"")));

    // The language switch keeps the query: the same errors and values, in English.
    let english_path = path.trim_start_matches("/es");
    assert!(spanish
        .html
        .contains(&format!("href=\"{}\"", english_path.replace('&', "&amp;"))));
    let english = app
        .page_with_cookie(english_path, Some(&cookie_pair(&echoes[0])))
        .await;
    assert!(english
        .text()
        .contains("Enter an email address in the form name@example.org."));
    assert!(english
        .tag_with("name=\"form[full_name]\"")
        .is_some_and(|tag| tag.contains("value=\"Ana Pérez\"")));
    assert!(app.signups().await.is_empty());
}

#[tokio::test]
async fn pledging_on_the_spanish_page_shows_and_mails_the_transfer_in_spanish() {
    let app = spawn_app().await;
    let response = app
        .post_form(PLEDGE, &pledge_form(&[("lang", "es")]), "/es/donate")
        .await;
    let thanks = location(&response);
    assert!(thanks.starts_with("/es/donate/thanks/SS-"), "{thanks}");
    let reference = thanks.rsplit('/').next().expect("a reference").to_owned();
    let lang: String = app.scalar("SELECT lang FROM pledges", &[]).await;
    assert_eq!(lang, "es");

    // The browser may open the pledge's page in either language.
    let receipts: Vec<String> = set_cookies(&response)
        .into_iter()
        .filter(|cookie| cookie.starts_with("pledge_receipt="))
        .collect();
    for (cookie, path) in receipts.iter().zip([
        format!("/donate/thanks/{reference}"),
        format!("/es/donate/thanks/{reference}"),
    ]) {
        assert!(cookie.contains(&format!("Path={path};")), "{cookie}");
        let page = app
            .page_with_cookie(&path, Some(&cookie_pair(cookie)))
            .await;
        assert!(page.text().contains(TEST_IBAN), "{path}");
    }
    assert_eq!(receipts.len(), 2);
    let page = app
        .page_with_cookie(&thanks, Some(&cookie_pair(&receipts[1])))
        .await;
    // Spanish writes the sign after the amount, with a space that does not break.
    assert!(
        page.html.contains("25\u{a0}€ una sola vez"),
        "{}",
        page.text()
    );

    let mail = app.wait_for_mails(1).await.remove(0);
    assert!(
        mail.contains(&format!("Subject: Su compromiso {reference}")),
        "{mail}"
    );
    assert!(mail.contains("Haga la transferencia a esta cuenta"));
    assert!(mail.contains(&format!("/es/donate/thanks/{reference}")));
}

#[tokio::test]
async fn the_address_alone_says_the_language_whatever_the_browser_prefers() {
    let app = spawn_app().await;
    let plain = app.page("/news").await;
    for preference in ["es", "es-ES,es;q=0.9", "*", "xx;q=abc,,;", "\u{7f}"] {
        let response = app
            .client
            .get(app.url("/news"))
            .header("accept", "text/html")
            .header("accept-language", preference)
            .send()
            .await;
        // A header reqwest refuses to send is no test of the server.
        let Ok(response) = response else { continue };
        assert_eq!(response.status(), StatusCode::OK, "{preference:?}");
        let html = response.text().await.expect("a body");
        assert_eq!(html, plain.html, "the same bytes for {preference:?}");
    }
    assert!(plain.html.contains("<html lang=\"en\""));
    let spanish = app.page("/es/news").await;
    assert!(spanish.html.contains("<html lang=\"es\""));
}

#[tokio::test]
async fn a_missing_spanish_page_is_a_spanish_404() {
    let app = spawn_app().await;
    let page = app.page("/es/no-such-page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.html.contains("<html lang=\"es\""));
    let text = page.text();
    assert!(text.contains("No hemos encontrado esa página"), "{text}");
    assert!(page.html.contains("href=\"/es/news\""));
    // A language the site does not have is not a language prefix: an English 404.
    let french = app.page("/fr/news").await;
    assert_eq!(french.status, StatusCode::NOT_FOUND);
    assert!(french.html.contains("<html lang=\"en\""));
}

#[tokio::test]
async fn a_form_refused_before_any_page_is_rendered_is_answered_in_its_pages_language() {
    let app = spawn_app().await;
    // Sent from another site's frame of the Spanish page, and too large: refused at the door.
    let refused = app
        .client
        .post(app.url(SIGN))
        .header("accept", "text/html")
        .header("origin", "http://evil.test")
        .header("sec-fetch-site", "cross-site")
        .header("referer", app.url("/es/take-action"))
        .form(&sign_form(&[("lang", "es")]))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let html = refused.text().await.expect("a body");
    assert!(html.contains("<html lang=\"es\""), "{html}");
    assert!(html.contains("Este formulario se envió desde otro sitio"));
    assert!(html.contains("href=\"/es\""));

    let too_large = app
        .client
        .post(app.url(SIGN))
        .header("accept", "text/html")
        .header("referer", app.url("/es/take-action"))
        .form(&sign_form(&[("full_name", &"a".repeat(40_000))]))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(too_large
        .text()
        .await
        .expect("a body")
        .contains("Lo enviado es demasiado largo"));
    assert!(app.signups().await.is_empty());
}
