use crate::api::site::use_public_url;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// The head tags every page sets: `<title>`, meta description and canonical link.
#[component]
pub fn PageMeta(
    /// The page's own title; the site name is appended by the app's title formatter.
    #[prop(into)]
    title: String,
    #[prop(into)] description: String,
    /// The canonical path of the page (`/news/…`), made absolute with the public URL.
    /// Pages that are not content (404, errors) have none.
    #[prop(optional, into)]
    path: Option<String>,
    /// Pages for one visitor only (thank-you, confirmation links): kept out of search engines.
    #[prop(optional)]
    private: bool,
) -> impl IntoView {
    let canonical = path.map(|path| use_public_url().join(&path));
    view! {
        <Title text=title />
        <Meta name="description" content=description />
        {canonical.map(|href| view! { <Link rel="canonical" href=href /> })}
        {private.then(|| view! { <Meta name="robots" content="noindex" /> })}
    }
}
