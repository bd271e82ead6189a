//! The preferences: one switch per optional category, off until switched on, with what each
//! stores, who receives it and for how long. In a modal dialog from the banner and the footer,
//! and in the page on `/cookies`.

use super::use_consent;
use crate::consent::{
    Category, Choices, ANALYTICS, COOKIE_NOTICE, COOKIE_NOTICE_TITLE, EXTERNAL_MEDIA, NECESSARY,
};
use leptos::{html, prelude::*};

/// The modal dialog. A native `<dialog>` opened with `showModal()`: the browser keeps focus
/// inside it, makes the page behind it inert, and closes it on Escape.
#[component]
pub(super) fn PreferencesDialog() -> impl IntoView {
    let state = use_consent();
    let dialog = NodeRef::<html::Dialog>::new();

    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            if !dialog.open() {
                if let Err(error) = dialog.show_modal() {
                    leptos::logging::warn!("could not open the cookie settings: {error:?}");
                }
            }
        }
    });

    view! {
        <dialog
            node_ref=dialog
            class="consent-dialog"
            aria-labelledby="consent-dialog-title"
            // Escape closes the dialog natively; the page state follows.
            on:close=move |_| state.close_preferences()
        >
            <div class="consent-dialog-head">
                <h2 id="consent-dialog-title">"Cookie settings"</h2>
                <button
                    type="button"
                    class="link-button"
                    on:click=move |_| state.close_preferences()
                >
                    "Close"
                    <span class="visually-hidden">" without changing your choice"</span>
                </button>
            </div>
            <p>
                "Choose what this site may do beyond what it needs to work. You can change this "
                "at any time from “Cookie settings” at the foot of every page. "
                <a href="/cookies" on:click=move |_| state.close_preferences_for_navigation()>"Read the cookie policy"</a>
                "."
            </p>
            <PreferencesForm id_prefix="dialog".to_owned() />
            <details class="consent-basics">
                <summary>{COOKIE_NOTICE_TITLE}</summary>
                {COOKIE_NOTICE.map(|paragraph| view! { <p>{paragraph}</p> }).collect_view()}
                <p>
                    "See the \"" <a href="/cookies" on:click=move |_| state.close_preferences_for_navigation()>"COOKIES POLICY"</a>
                    "\" section on our website for further details."
                </p>
            </details>
        </dialog>
    }
}

/// The switches and the three buttons. Switches show the choice in force (all off if there is
/// none) and follow it when it changes elsewhere. Disabled until the page is interactive:
/// without JavaScript there is nothing to choose, because nothing optional can run.
#[island]
pub fn PreferencesForm(
    /// Makes the ids of this copy unique on the page.
    id_prefix: String,
) -> impl IntoView {
    let state = use_consent();
    let analytics = RwSignal::new(false);
    let external_media = RwSignal::new(false);
    Effect::new(move |_| {
        let allowed = state.allowed();
        analytics.set(allowed.analytics);
        external_media.set(allowed.external_media);
    });
    let disabled = move || !state.hydrated();

    view! {
        <fieldset class="consent-categories">
            <legend class="visually-hidden">"Cookie categories"</legend>
            <CategorySwitch category=NECESSARY id_prefix=id_prefix.clone() checked=None disabled=Signal::derive(|| true) />
            <CategorySwitch category=ANALYTICS id_prefix=id_prefix.clone() checked=Some(analytics) disabled=Signal::derive(disabled) />
            <CategorySwitch category=EXTERNAL_MEDIA id_prefix checked=Some(external_media) disabled=Signal::derive(disabled) />
        </fieldset>
        <div class="consent-actions">
            <button type="button" class="button" disabled=disabled on:click=move |_| {
                state.decide(Choices {
                    analytics: analytics.get_untracked(),
                    external_media: external_media.get_untracked(),
                })
            }>"Save choices"</button>
            <button type="button" class="button" disabled=disabled on:click=move |_| state.decide(Choices::ALL)>
                "Accept all"
            </button>
            <button type="button" class="button" disabled=disabled on:click=move |_| state.decide(Choices::NONE)>
                "Reject all"
            </button>
        </div>
    }
}

/// One category: a switch (always on for necessary) with its purpose, and the details behind
/// a disclosure.
#[component]
fn CategorySwitch(
    category: Category,
    id_prefix: String,
    /// `None` for the category that cannot be switched off.
    checked: Option<RwSignal<bool>>,
    disabled: Signal<bool>,
) -> impl IntoView {
    let key = category.key.unwrap_or("necessary");
    let purpose_id = format!("{id_prefix}-{key}-purpose");
    let switch = match checked {
        Some(checked) => view! {
            <input
                type="checkbox"
                role="switch"
                aria-describedby=purpose_id.clone()
                bind:checked=checked
                disabled=move || disabled.get()
            />
        }
        .into_any(),
        None => view! {
            <input type="checkbox" role="switch" aria-describedby=purpose_id.clone() checked disabled />
        }
        .into_any(),
    };
    view! {
        <div class="consent-category">
            <label class="switch">
                {switch}
                <span class="switch-name">{category.name}</span>
                {checked.is_none().then(|| view! { <span class="switch-note">" (always on)"</span> })}
            </label>
            <p id=purpose_id class="consent-purpose">{category.purpose}</p>
            <details>
                <summary>"What it stores, who receives it, for how long"<span class="visually-hidden">{format!(" ({})", category.name)}</span></summary>
                <CategoryFacts category />
            </details>
        </div>
    }
}

/// What a category stores, who receives it and for how long.
#[component]
pub fn CategoryFacts(category: Category) -> impl IntoView {
    view! {
        <dl class="consent-facts">
            <dt>"Stores"</dt>
            <dd>{category.stores}</dd>
            <dt>"Received by"</dt>
            <dd>{category.recipients}</dd>
            <dt>"Kept for"</dt>
            <dd>{category.lifetime}</dd>
        </dl>
    }
}
