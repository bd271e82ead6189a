use crate::{app::SITE_NAME, components::consent::CookieSettingsButton};
use leptos::prelude::*;
use leptos_router::components::A;

/// Whether the browser has taken over the page (always `false` on the server).
#[derive(Clone, Copy)]
pub struct Hydrated(pub ReadSignal<bool>);

/// `false` until the page is interactive; controls that need JavaScript stay hidden till then.
pub fn use_hydrated() -> ReadSignal<bool> {
    use_context::<Hydrated>().map_or_else(|| signal(false).0, |Hydrated(h)| h)
}

/// Header, main and footer around every page.
///
/// `<main data-hydrated>` turns `"true"` once the browser has taken over the page: the
/// end-to-end tests wait on it instead of sleeping.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    provide_context(Hydrated(hydrated));

    view! {
        <header class="site-header">
            <div class="wrap header-inner">
                <A href="/" attr:class="brand">
                    <span class="brand-name">{SITE_NAME}</span>
                    <span class="brand-org">"A project of WLA-CdM"</span>
                </A>
                <nav aria-label="Main">
                    <ul>
                        <li><A href="/news">"News"</A></li>
                        <li><A href="/members">"Members"</A></li>
                        <li><A href="/search">"Search"</A></li>
                        <li><A href="/take-action">"Take action"</A></li>
                        <li><A href="/donate">"Donate"</A></li>
                    </ul>
                </nav>
            </div>
        </header>
        <main id="main" tabindex="-1" data-hydrated=move || hydrated.get().to_string()>
            <div class="wrap">{children()}</div>
        </main>
        <footer class="site-footer">
            <div class="wrap footer-inner">
                <p>"© WLA-CdM · Shared Societies Project"</p>
                <ul>
                    <li><A href="/cookies">"Cookie policy"</A></li>
                    <li><CookieSettingsButton id="cookie-settings" label="Cookie settings" /></li>
                </ul>
            </div>
        </footer>
    }
}
