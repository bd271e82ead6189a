use crate::{
    components::site_context::use_public_url,
    domain::{MemberProfile, Post},
    locale::{code, localized, use_locale, LOCALES},
    site::{LOGO_PATH, SITE_NAME},
};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::{Link, Meta, Script, Title};

/// What kind of thing a page is, as OpenGraph names it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PageKind {
    #[default]
    Website,
    Article,
    Profile,
}

impl PageKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Website => "website",
            Self::Article => "article",
            Self::Profile => "profile",
        }
    }
}

/// The head tags every page sets: `<title>`, description, canonical link, the same page in
/// each language (`hreflang`, English as `x-default`), and the OpenGraph and Twitter card
/// tags link previews read.
#[component]
pub fn PageMeta(
    /// The page's own title; the site name is appended by the app's title formatter.
    #[prop(into)]
    title: String,
    #[prop(into)] description: String,
    /// The path of the page in English (`/news/…`); the canonical link is its form in the
    /// page's language, made absolute with the public URL.
    /// Pages that are not content (404, errors) have none, and no preview tags either.
    #[prop(optional, into)]
    path: Option<String>,
    /// Pages for one visitor only (thank-you, confirmation links): kept out of search engines.
    #[prop(optional)]
    private: bool,
    #[prop(optional)] kind: PageKind,
    /// The preview picture: an absolute URL or a path of this site; the logo otherwise.
    #[prop(optional_no_strip)]
    image: Option<String>,
) -> impl IntoView {
    let public_url = use_public_url();
    let locale = use_locale();
    let preview = path.filter(|_| !private).map(|path| {
        let url = public_url.join(&localized(locale, &path));
        let alternates = LOCALES
            .map(|other| {
                let href = public_url.join(&localized(other, &path));
                view! { <Link rel="alternate" hreflang=code(other) href /> }
            })
            .into_iter()
            .collect_view();
        let default = public_url.join(&path);
        let has_image = image.is_some();
        let image = image.map_or_else(
            || public_url.join(LOGO_PATH),
            |image| {
                if image.starts_with('/') {
                    public_url.join(&image)
                } else {
                    image
                }
            },
        );
        let heading = if title.is_empty() {
            SITE_NAME.to_owned()
        } else {
            title.clone()
        };
        view! {
            <Link rel="canonical" href=url.clone() />
            {alternates}
            <Link rel="alternate" hreflang="x-default" href=default />
            <Meta property="og:site_name" content=SITE_NAME />
            <Meta property="og:type" content=kind.as_str() />
            <Meta property="og:title" content=heading.clone() />
            <Meta property="og:description" content=description.clone() />
            <Meta property="og:url" content=url />
            <Meta property="og:image" content=image.clone() />
            <Meta property="og:locale" content=td_string!(locale, common.og_locale) />
            <Meta
                name="twitter:card"
                content=if has_image { "summary_large_image" } else { "summary" }
            />
            <Meta name="twitter:title" content=heading />
            <Meta name="twitter:description" content=description.clone() />
            <Meta name="twitter:image" content=image />
        }
    });
    view! {
        <Title text=title />
        <Meta name="description" content=description />
        {preview}
        {private.then(|| view! { <Meta name="robots" content="noindex" /> })}
    }
}

/// What a page describes to search engines.
pub enum Schema {
    Article(Post),
    Person(MemberProfile),
}

/// Schema.org data for search engines, as JSON-LD in the head.
///
/// The JSON is built on the server (the browser reads it from the page while hydrating), so
/// serde_json's writer stays out of the wasm; after navigation in the browser the element
/// stays empty, which only crawlers would read. Inside it `<`, `>` and `&` are escaped, so no
/// text of a post can close the script element.
#[component]
pub fn StructuredData(schema: Schema) -> impl IntoView {
    let public_url = use_public_url();
    let json = SharedValue::new(move || {
        #[cfg(feature = "ssr")]
        {
            use crate::server::structured_data::{news_article, person};
            match schema {
                Schema::Article(post) => news_article(&post, &public_url),
                Schema::Person(profile) => person(&profile, &public_url),
            }
        }
        #[cfg(not(feature = "ssr"))]
        {
            let _ = (schema, public_url);
            String::new()
        }
    })
    .into_inner();
    view! { <Script type_="application/ld+json">{json}</Script> }
}
