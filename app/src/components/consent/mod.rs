//! Consent in the page: the visitor's choice as a signal every consumer follows, the banner
//! that asks for it, the preferences dialog that changes it, and the two things that wait for
//! it (page-view counting and embedded media).
//!
//! The server never knows the choice, so it renders none of this; an effect reads storage
//! once the page has hydrated. Until then, and whenever storage holds nothing valid, nothing
//! optional is allowed.

mod banner;
pub mod external_media;
pub mod page_views;
pub mod preferences;

use crate::{
    components::form::focus_by_id,
    consent::{Category, Choices, ConsentRecord, PolicyChange},
    locale::{use_locale, Locale},
};
use banner::ConsentBanner;
use leptos::prelude::*;
use leptos_i18n::td_string;
use preferences::PreferencesDialog;

/// Why the banner asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asking {
    /// No choice in this browser yet (or only garbage).
    FirstTime,
    /// The choice answered an older version of the policy.
    PolicyChanged,
    /// The choice has expired.
    Expired,
}

/// The visitor's consent as the page knows it.
#[derive(Clone, Copy)]
pub struct ConsentState {
    /// The choice in force; `None` during SSR, the first client render and until a choice.
    record: RwSignal<Option<ConsentRecord>>,
    asking: RwSignal<Option<Asking>>,
    preferences_open: RwSignal<bool>,
    /// The id of the control that opened the preferences, so focus can go back there.
    opened_from: RwSignal<Option<&'static str>>,
    /// Whether the island reading this copy has hydrated. Until then it sees no choice, as the
    /// server did: an island hydrates from the server's markup and keeps it as it is, so a
    /// first render that already showed the stored choice would never reach the page. Islands
    /// hydrate late (a form as it scrolls into view, a new page's islands after a swap), when
    /// the choice has long been read.
    hydrated: Signal<bool>,
}

impl ConsentState {
    fn new() -> Self {
        Self {
            record: RwSignal::new(None),
            asking: RwSignal::new(None),
            preferences_open: RwSignal::new(false),
            opened_from: RwSignal::new(None),
            hydrated: Signal::stored(false),
        }
    }

    /// What the visitor allows now (nothing until they have chosen). Reactive.
    pub fn allowed(&self) -> Choices {
        self.record()
            .map(|record| record.choices)
            .unwrap_or(Choices::NONE)
    }

    /// Whether the island that asked for this state has hydrated (controls that need
    /// JavaScript stay hidden till then). Reactive.
    pub fn hydrated(&self) -> bool {
        self.hydrated.get()
    }

    /// The choice in force, if any. Reactive.
    pub fn record(&self) -> Option<ConsentRecord> {
        if self.hydrated() {
            self.record.get()
        } else {
            None
        }
    }

    /// Opens the preferences dialog from the control with id `opener`.
    pub fn open_preferences(&self, opener: &'static str) {
        self.opened_from.set(Some(opener));
        self.preferences_open.set(true);
    }

    /// Closes the preferences dialog without a choice, focus back where it was.
    pub fn close_preferences(&self) {
        if self.preferences_open.get_untracked() {
            self.preferences_open.set(false);
            self.return_focus();
        }
    }

    /// Closes the dialog because one of its links leads to another page: focus goes to the
    /// new page's content, not back to the opener (which may be far down that page).
    pub fn close_preferences_for_navigation(&self) {
        self.opened_from.set(None);
        self.close_preferences();
    }

    /// Records a choice made now: in storage, in the page (every consumer follows at once),
    /// and on the server as proof. `locale`: the language of the text the visitor answered.
    pub fn decide(&self, choices: Choices, locale: Locale) {
        #[cfg(feature = "hydrate")]
        {
            let record = crate::consent::save(choices);
            send_proof(record.clone(), locale);
            self.record.set(Some(record));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (choices, locale);
        let banner_had_focus = self.asking.get_untracked().is_some() && focus_is_in_banner();
        self.asking.set(None);
        if self.preferences_open.get_untracked() {
            self.preferences_open.set(false);
            self.return_focus();
        } else if banner_had_focus {
            after_render(focus_main);
        }
    }

    /// Sends focus back to the control that opened the dialog, or to the content if that
    /// control has gone (the banner's own button leaves with the banner). Deferred to the next
    /// frame: until the page has re-rendered, the modal dialog still makes the rest inert.
    fn return_focus(&self) {
        let opener = self.opened_from.get_untracked();
        self.opened_from.set(None);
        after_render(move || match opener {
            Some(opener) if element_exists(opener) => focus_by_id(opener),
            _ => focus_main(),
        });
    }
}

/// The consent state of the page, as the calling island may show it; a component outside
/// [`ConsentProvider`] gets one that allows nothing.
pub fn use_consent() -> ConsentState {
    #[cfg(feature = "hydrate")]
    let shared = BROWSER_STATE.with(|state| state.get().copied());
    #[cfg(not(feature = "hydrate"))]
    let shared = None;
    let state = shared
        .or_else(use_context::<ConsentState>)
        .unwrap_or_else(ConsentState::new);
    ConsentState {
        hydrated: crate::components::hydrated::use_hydrated().into(),
        ..state
    }
}

#[cfg(feature = "hydrate")]
thread_local! {
    /// The one consent state of the page in the browser, which every island shares. Not a
    /// context: a lazy island hydrates later, from a task of its own, outside the owner that
    /// would provide it.
    static BROWSER_STATE: std::cell::OnceCell<ConsentState> = const { std::cell::OnceCell::new() };
}

/// Makes the page's consent state before any island hydrates. Called once, under the root
/// owner, which is never disposed, so neither are its signals.
#[cfg(feature = "hydrate")]
pub fn start_in_browser() {
    BROWSER_STATE.with(|state| {
        state.get_or_init(ConsentState::new);
    });
}

/// Reads the stored choice once the page has hydrated, asks for one if there is none that
/// counts, and hosts the banner and the dialog (next after the skip link in the tab order, so
/// a keyboard user meets the question before the content it governs).
#[component]
pub fn ConsentProvider(children: Children) -> impl IntoView {
    provide_context(ConsentState::new());
    view! {
        <ConsentRoot locale=use_locale() />
        {children()}
    }
}

/// `locale`: the page's language (an island hydrates without the page's context). A page in
/// the other language is loaded whole, so this island never outlives a change of language.
#[island]
fn ConsentRoot(locale: Locale) -> impl IntoView {
    let state = use_consent();

    // In a task of its own after hydrating: reading the choice and building the banner would
    // otherwise add to the hydration's, and a slow phone's page would stay blocked longer.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        set_timeout(
            move || {
                use crate::consent::Standing;
                let (record, asking) = match crate::consent::load() {
                    Some((record, Standing::Current)) => (Some(record), None),
                    Some((_, Standing::Outdated)) => (None, Some(Asking::PolicyChanged)),
                    Some((_, Standing::Expired)) => (None, Some(Asking::Expired)),
                    Some((_, Standing::Invalid)) | None => (None, Some(Asking::FirstTime)),
                };
                state.record.set(record);
                state.asking.set(asking);
            },
            std::time::Duration::ZERO,
        );
    });

    view! {
        <Show when=move || state.asking.get().is_some()>
            <ConsentBanner asking=Signal::derive(move || state.asking.get().unwrap_or(Asking::FirstTime)) locale />
        </Show>
        <Show when=move || state.preferences_open.get()>
            <PreferencesDialog locale />
        </Show>
        <page_views::PageViewCounter />
    }
}

/// The footer's button that opens the preferences. Invisible until the page is interactive,
/// because without JavaScript it could do nothing (the cookie policy link is there instead);
/// it keeps its space meanwhile, so nothing shifts when it appears.
///
/// `locale`: the page's language, `use_locale()` where the footer is rendered.
#[island]
pub fn CookieSettingsButton(locale: Locale) -> impl IntoView {
    // Focus returns to this button when the dialog closes.
    const ID: &str = "cookie-settings";
    let state = use_consent();
    view! {
        <button
            type="button"
            id=ID
            class="link-button"
            class:not-ready=move || !state.hydrated()
            aria-haspopup="dialog"
            on:click=move |_| state.open_preferences(ID)
        >
            {td_string!(locale, consent.settings_title)}
        </button>
    }
}

/// A category's words in `locale`. The [`Category`] constants hold the English; each is known
/// here by its key, and one unknown to the translations stays in English.
#[derive(Clone, Copy)]
pub struct CategoryText {
    pub name: &'static str,
    pub purpose: &'static str,
    pub stores: &'static str,
    pub recipients: &'static str,
    pub lifetime: &'static str,
}

pub fn category_text(locale: Locale, category: &Category) -> CategoryText {
    match category.key {
        None => CategoryText {
            name: td_string!(locale, consent.categories.necessary.name),
            purpose: td_string!(locale, consent.categories.necessary.purpose),
            stores: td_string!(locale, consent.categories.necessary.stores),
            recipients: td_string!(locale, consent.categories.necessary.recipients),
            lifetime: td_string!(locale, consent.categories.necessary.lifetime),
        },
        Some("analytics") => CategoryText {
            name: td_string!(locale, consent.categories.analytics.name),
            purpose: td_string!(locale, consent.categories.analytics.purpose),
            stores: td_string!(locale, consent.categories.analytics.stores),
            recipients: td_string!(locale, consent.categories.analytics.recipients),
            lifetime: td_string!(locale, consent.categories.analytics.lifetime),
        },
        Some("external_media") => CategoryText {
            name: td_string!(locale, consent.categories.external_media.name),
            purpose: td_string!(locale, consent.categories.external_media.purpose),
            stores: td_string!(locale, consent.categories.external_media.stores),
            recipients: td_string!(locale, consent.categories.external_media.recipients),
            lifetime: td_string!(locale, consent.categories.external_media.lifetime),
        },
        Some(_) => CategoryText {
            name: category.name,
            purpose: category.purpose,
            stores: category.stores,
            recipients: category.recipients,
            lifetime: category.lifetime,
        },
    }
}

/// What a version of the policy changed, in `locale` (English for a version not translated).
pub fn policy_change_summary(locale: Locale, change: &PolicyChange) -> &'static str {
    match change.version {
        1 => td_string!(locale, consent.history.v1),
        2 => td_string!(locale, consent.history.v2),
        _ => change.summary,
    }
}

/// The old site's cookie notice in `locale`: its heading and its paragraphs.
pub fn cookie_notice(locale: Locale) -> (&'static str, [&'static str; 4]) {
    (
        td_string!(locale, consent.notice.title),
        [
            td_string!(locale, consent.notice.p1),
            td_string!(locale, consent.notice.p2),
            td_string!(locale, consent.notice.p3),
            td_string!(locale, consent.notice.p4),
        ],
    )
}

/// Sends the proof of a choice to the server. A failure is only logged: the choice itself
/// holds in the browser either way.
#[cfg(feature = "hydrate")]
fn send_proof(record: ConsentRecord, locale: Locale) {
    // The language of the text agreed to is part of the proof.
    let lang = Some(crate::locale::code(locale).to_owned());
    leptos::task::spawn_local(async move {
        if let Err(error) = crate::api::consent::record_consent(record, lang).await {
            leptos::logging::warn!("the server did not keep the proof of this choice: {error}");
        }
    });
}

/// Runs `f` once the page has re-rendered after the current change.
fn after_render(f: impl FnOnce() + 'static) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(f);
    #[cfg(not(feature = "hydrate"))]
    let _ = f;
}

fn element_exists(_id: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        document().get_element_by_id(_id).is_some()
    }
    #[cfg(not(feature = "hydrate"))]
    false
}

fn focus_is_in_banner() -> bool {
    #[cfg(feature = "hydrate")]
    {
        document()
            .active_element()
            .and_then(|element| element.closest(".consent-banner").ok().flatten())
            .is_some()
    }
    #[cfg(not(feature = "hydrate"))]
    false
}

/// Puts focus at the start of the content without scrolling: where a keyboard user goes on
/// after the control they used has gone.
fn focus_main() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if let Some(main) = document()
            .get_element_by_id("main")
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = main.focus_with_options(&options);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::{
        ANALYTICS, COOKIE_NOTICE, COOKIE_NOTICE_TITLE, EXTERNAL_MEDIA, NECESSARY, POLICY_HISTORY,
    };

    /// The English of the translations is the policy's own text, word for word.
    #[test]
    fn the_english_words_are_the_policy_constants() {
        for category in [NECESSARY, ANALYTICS, EXTERNAL_MEDIA] {
            let text = category_text(Locale::en_GB, &category);
            assert_eq!(text.name, category.name);
            assert_eq!(text.purpose, category.purpose);
            assert_eq!(text.stores, category.stores);
            assert_eq!(text.recipients, category.recipients);
            assert_eq!(text.lifetime, category.lifetime);
            assert_ne!(
                category_text(Locale::es, &category).purpose,
                category.purpose
            );
        }
        for change in POLICY_HISTORY {
            assert_eq!(
                policy_change_summary(Locale::en_GB, &change),
                change.summary
            );
            assert_ne!(policy_change_summary(Locale::es, &change), change.summary);
        }
        assert_eq!(
            cookie_notice(Locale::en_GB),
            (COOKIE_NOTICE_TITLE, COOKIE_NOTICE)
        );
    }
}
