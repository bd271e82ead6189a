use crate::{
    components::consent::CookieSettingsButton,
    locale::{code, localized, split_path, use_locale, Locale},
    site::{LOGO_MARK_PATH, SITE_NAME},
};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_router::components::A;

#[component]
fn NavLinks() -> impl IntoView {
    let locale = use_locale();
    let to = move |path: &str| localized(locale, path);
    view! {
        <ul>
            <li><A href=to("/news")>{td_string!(locale, common.nav.news)}</A></li>
            <li><A href=to("/members")>{td_string!(locale, common.nav.members)}</A></li>
            <li><A href=to("/search")>{td_string!(locale, common.nav.search)}</A></li>
            <li><A href=to("/take-action")>{td_string!(locale, common.nav.take_action)}</A></li>
            <li>
                <A href=to("/donate") attr:class="nav-donate">
                    {td_string!(locale, common.nav.donate)}
                </A>
            </li>
        </ul>
    }
}

/// The same page in the other language: every public page exists in both (content without
/// a translation is shown in its own language, with a notice), so the reader stays where
/// they are, query included (a search, a page of the news).
#[component]
fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale();
    let other = match locale {
        Locale::en_GB => Locale::es,
        Locale::es => Locale::en_GB,
    };
    let here = current_path_and_query();
    let (_, path) = split_path(here.0.as_str());
    // The staff workspace is in English only.
    let public = !(path == "/staff" || path.starts_with("/staff/"));
    let href = format!("{}{}", localized(other, path), here.1);
    public.then(|| {
        view! {
            <a
                class="language-switch"
                href=href
                hreflang=code(other)
                lang=code(other)
                title=td_string!(locale, common.switch.to_other_title)
            >
                {td_string!(locale, common.switch.to_other)}
            </a>
        }
    })
}

/// The path of the page being rendered, and its query (with its `?`, or empty).
fn current_path_and_query() -> (String, String) {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>().map_or_else(
            || ("/".to_owned(), String::new()),
            |parts| {
                let query = parts
                    .uri
                    .query()
                    .map(|query| format!("?{query}"))
                    .unwrap_or_default();
                (parts.uri.path().to_owned(), query)
            },
        )
    }
    #[cfg(not(feature = "ssr"))]
    {
        ("/".to_owned(), String::new())
    }
}

/// Header, main and footer around every page.
///
/// `<main data-hydrated>` turns `"true"` once the browser has hydrated the page's islands
/// (the loader sets it): the end-to-end tests wait on it instead of sleeping.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let locale = use_locale();
    view! {
        <header class="site-header">
            <div class="wrap header-inner">
                <A href=localized(locale, "/") attr:class="brand">
                    <img class="brand-mark" src=LOGO_MARK_PATH width="40" height="40" alt="" />
                    <span class="brand-text">
                        <span class="brand-name">{SITE_NAME}</span>
                        <span class="brand-org">{td_string!(locale, common.brand_org)}</span>
                    </span>
                </A>
                // Wide screens show the links in a row; a phone folds them behind a disclosure
                // that opens without JavaScript. Only one of the two is ever displayed.
                <nav class="nav-row" aria-label=td_string!(locale, common.nav.label)>
                    <NavLinks />
                </nav>
                <details class="nav-menu">
                    <summary>{td_string!(locale, common.nav.menu)}</summary>
                    <nav aria-label=td_string!(locale, common.nav.label)>
                        <NavLinks />
                        <LanguageSwitch />
                    </nav>
                </details>
                // A phone has no room for it next to the menu button: there it is the menu's
                // last item instead.
                <LanguageSwitch />
            </div>
        </header>
        <main id="main" tabindex="-1" data-hydrated="false">
            <div class="wrap">{children()}</div>
        </main>
        <footer class="site-footer">
            <div class="wrap footer-inner">
                <p>{td_string!(locale, common.footer.copyright)}</p>
                <ul>
                    <li>
                        <A href=localized(locale, "/cookies")>
                            {td_string!(locale, common.footer.cookie_policy)}
                        </A>
                    </li>
                    <li><CookieSettingsButton locale=locale /></li>
                </ul>
            </div>
        </footer>
        // The head's `rel="expect"` holds the first paint until the parser gets here (see
        // `shell`), so no piece of the page is painted half-read.
        <div id="page-end" hidden></div>
    }
}
