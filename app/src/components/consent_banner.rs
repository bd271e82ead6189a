//! The first version of the cookie banner: the old site's text, three equal choices, and a
//! settings layer with one switch per optional category (all off until switched on).

use crate::{
    components::layout::use_hydrated,
    consent::{Choices, ConsentRecord, COOKIE_NOTICE, COOKIE_NOTICE_TITLE},
};
use leptos::{html, prelude::*};
use leptos_router::components::A;

/// The visitor's consent as the page knows it. `record` is `None` during SSR and the first
/// client render (so hydration matches), then whatever storage holds.
#[derive(Clone, Copy)]
pub struct ConsentState {
    pub record: RwSignal<Option<ConsentRecord>>,
    pub banner_open: RwSignal<bool>,
    /// The id of the button that reopened the banner, so focus can go back there once the
    /// visitor has chosen; `None` when the banner opened by itself.
    opened_from: RwSignal<Option<&'static str>>,
}

impl ConsentState {
    fn new() -> Self {
        Self {
            record: RwSignal::new(None),
            banner_open: RwSignal::new(false),
            opened_from: RwSignal::new(None),
        }
    }

    /// Opens the banner again from the button with id `opener`.
    pub fn reopen(&self, opener: &'static str) {
        self.opened_from.set(Some(opener));
        self.banner_open.set(true);
    }
}

/// The consent state of the page; a component outside [`ConsentProvider`] gets a closed one.
pub fn use_consent() -> ConsentState {
    use_context::<ConsentState>().unwrap_or_else(ConsentState::new)
}

/// Reads the stored choice once the page has hydrated and shows the banner if there is none.
#[component]
pub fn ConsentProvider(children: Children) -> impl IntoView {
    let state = ConsentState::new();
    provide_context(state);

    // Effects never run on the server, so the stored choice is only read in the browser.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let record = crate::consent::load();
        state.banner_open.set(record.is_none());
        state.record.set(record);
    });

    view! {
        {children()}
        <Show when=move || state.banner_open.get()>
            <ConsentBanner />
        </Show>
    }
}

#[component]
fn ConsentBanner() -> impl IntoView {
    let state = use_consent();
    let settings_open = RwSignal::new(false);
    // Switches start as the visitor left them, or off if they never chose.
    let current = state
        .record
        .with_untracked(|r| r.as_ref().map(|r| r.choices))
        .unwrap_or_default();
    let analytics = RwSignal::new(current.analytics);
    let external_media = RwSignal::new(current.external_media);
    let heading = NodeRef::<html::H2>::new();

    // Someone who asked to see the settings again should land in them, not hunt for them.
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            if state.opened_from.with_untracked(Option::is_some) {
                let _ = heading.focus();
            }
        }
    });

    let decide = move |choices: Choices| {
        #[cfg(feature = "hydrate")]
        state.record.set(Some(crate::consent::save(choices)));
        #[cfg(not(feature = "hydrate"))]
        let _ = choices;
        state.banner_open.set(false);
        if let Some(opener) = state.opened_from.get_untracked() {
            state.opened_from.set(None);
            focus_by_id(opener);
        }
    };

    view! {
        <section class="consent-banner" aria-label="Cookie consent">
            <div class="consent-text">
                <h2 tabindex="-1" node_ref=heading>{COOKIE_NOTICE_TITLE}</h2>
                {COOKIE_NOTICE.map(|paragraph| view! { <p>{paragraph}</p> }).collect_view()}
                <p>"See the \"" <A href="/cookies">"COOKIES POLICY"</A> "\" section on our website for further details."</p>
            </div>
            <fieldset id="consent-settings" class="consent-settings" hidden=move || !settings_open.get()>
                <legend>"Choose what you allow"</legend>
                <p class="consent-necessary">
                    <strong>"Necessary"</strong>
                    " (always on): remembers this choice in your browser's local storage."
                </p>
                <label>
                    <input type="checkbox" bind:checked=analytics />
                    " Analytics: counts page views on this site, without identifying you."
                </label>
                <label>
                    <input type="checkbox" bind:checked=external_media />
                    " External media: loads videos and maps from other sites."
                </label>
                <button type="button" class="button" on:click=move |_| {
                    decide(Choices { analytics: analytics.get_untracked(), external_media: external_media.get_untracked() })
                }>"Save choices"</button>
            </fieldset>
            <div class="consent-actions">
                <button type="button" class="button" on:click=move |_| decide(Choices::ALL)>"Accept all"</button>
                <button type="button" class="button" on:click=move |_| decide(Choices::NONE)>"Reject all"</button>
                <button
                    type="button"
                    class="button"
                    aria-controls="consent-settings"
                    aria-expanded=move || settings_open.get().to_string()
                    on:click=move |_| settings_open.update(|open| *open = !*open)
                >"Settings"</button>
            </div>
        </section>
    }
}

/// Moves keyboard focus to the element with this id, if it is there.
fn focus_by_id(_id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if let Some(element) = document()
            .get_element_by_id(_id)
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    }
}

/// A button that reopens the banner. Invisible until the page is interactive, because
/// without JavaScript it could do nothing (the cookie policy link is there instead); it keeps
/// its space meanwhile, so nothing shifts when it appears.
#[component]
pub fn CookieSettingsButton(
    /// Unique on the page: focus returns to this button after the choice.
    id: &'static str,
    label: &'static str,
    #[prop(default = "link-button")] class: &'static str,
) -> impl IntoView {
    let state = use_consent();
    let hydrated = use_hydrated();
    view! {
        <button
            type="button"
            id=id
            class=class
            class:not-ready=move || !hydrated.get()
            on:click=move |_| state.reopen(id)
        >
            {label}
        </button>
    }
}
