use crate::{
    components::consent::CookieSettingsButton,
    site::{LOGO_MARK_PATH, SITE_NAME},
};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
fn NavLinks() -> impl IntoView {
    view! {
        <ul>
            <li><A href="/news">"News"</A></li>
            <li><A href="/members">"Members"</A></li>
            <li><A href="/search">"Search"</A></li>
            <li><A href="/take-action">"Take action"</A></li>
            <li><A href="/donate" attr:class="nav-donate">"Donate"</A></li>
        </ul>
    }
}

/// Header, main and footer around every page.
///
/// `<main data-hydrated>` turns `"true"` once the browser has hydrated the page's islands
/// (the loader sets it): the end-to-end tests wait on it instead of sleeping.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="wrap header-inner">
                <A href="/" attr:class="brand">
                    <img class="brand-mark" src=LOGO_MARK_PATH width="40" height="40" alt="" />
                    <span class="brand-text">
                        <span class="brand-name">{SITE_NAME}</span>
                        <span class="brand-org">"A project of WLA-CdM"</span>
                    </span>
                </A>
                // Wide screens show the links in a row; a phone folds them behind a disclosure
                // that opens without JavaScript. Only one of the two is ever displayed.
                <nav class="nav-row" aria-label="Main"><NavLinks /></nav>
                <details class="nav-menu">
                    <summary>"Menu"</summary>
                    <nav aria-label="Main"><NavLinks /></nav>
                </details>
            </div>
        </header>
        <main id="main" tabindex="-1" data-hydrated="false">
            <div class="wrap">{children()}</div>
        </main>
        <footer class="site-footer">
            <div class="wrap footer-inner">
                <p>"© WLA-CdM · Shared Societies Project"</p>
                <ul>
                    <li><A href="/cookies">"Cookie policy"</A></li>
                    <li><CookieSettingsButton /></li>
                </ul>
            </div>
        </footer>
        // The head's `rel="expect"` holds the first paint until the parser gets here (see
        // `shell`), so no piece of the page is painted half-read.
        <div id="page-end" hidden></div>
    }
}
