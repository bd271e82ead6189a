//! The preferences: one switch per optional category, off until switched on, with what each
//! stores, who receives it and for how long. In a modal dialog from the banner and the footer,
//! and in the page on `/cookies`.

use super::{category_text, cookie_notice, use_consent};
use crate::{
    consent::{Category, Choices, ANALYTICS, EXTERNAL_MEDIA, NECESSARY},
    locale::{localized, Locale},
};
use leptos::{html, prelude::*};
use leptos_i18n::td_string;

/// The modal dialog. A native `<dialog>` opened with `showModal()`: the browser keeps focus
/// inside it, makes the page behind it inert, and closes it on Escape.
#[component]
pub(super) fn PreferencesDialog(locale: Locale) -> impl IntoView {
    let state = use_consent();
    let (notice_title, notice) = cookie_notice(locale);
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
                <h2 id="consent-dialog-title">{td_string!(locale, consent.settings_title)}</h2>
                <button
                    type="button"
                    class="link-button"
                    on:click=move |_| state.close_preferences()
                >
                    {td_string!(locale, consent.dialog.close)}
                    <span class="visually-hidden">{td_string!(locale, consent.dialog.close_hint)}</span>
                </button>
            </div>
            <p>
                {td_string!(locale, consent.dialog.intro)}
                <a href=localized(locale, "/cookies") on:click=move |_| state.close_preferences_for_navigation()>
                    {td_string!(locale, consent.dialog.read_policy)}
                </a>
                "."
            </p>
            <PreferencesForm id_prefix="dialog".to_owned() locale />
            <details class="consent-basics">
                <summary>{notice_title}</summary>
                {notice.map(|paragraph| view! { <p>{paragraph}</p> }).collect_view()}
                <p>
                    {td_string!(locale, consent.dialog.see_before)}
                    <a href=localized(locale, "/cookies") on:click=move |_| state.close_preferences_for_navigation()>
                        {td_string!(locale, consent.dialog.see_link)}
                    </a>
                    {td_string!(locale, consent.dialog.see_after)}
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
    /// The page's language (an island hydrates without the page's context).
    locale: Locale,
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
            <legend class="visually-hidden">{td_string!(locale, consent.form.categories)}</legend>
            <CategorySwitch category=NECESSARY id_prefix=id_prefix.clone() checked=None disabled=Signal::derive(|| true) locale />
            <CategorySwitch category=ANALYTICS id_prefix=id_prefix.clone() checked=Some(analytics) disabled=Signal::derive(disabled) locale />
            <CategorySwitch category=EXTERNAL_MEDIA id_prefix checked=Some(external_media) disabled=Signal::derive(disabled) locale />
        </fieldset>
        <div class="consent-actions">
            <button type="button" class="button" disabled=disabled on:click=move |_| {
                state.decide(
                    Choices {
                        analytics: analytics.get_untracked(),
                        external_media: external_media.get_untracked(),
                    },
                    locale,
                )
            }>{td_string!(locale, consent.form.save)}</button>
            <button type="button" class="button" disabled=disabled on:click=move |_| state.decide(Choices::ALL, locale)>
                {td_string!(locale, consent.accept_all)}
            </button>
            <button type="button" class="button" disabled=disabled on:click=move |_| state.decide(Choices::NONE, locale)>
                {td_string!(locale, consent.reject_all)}
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
    locale: Locale,
) -> impl IntoView {
    let key = category.key.unwrap_or("necessary");
    let text = category_text(locale, &category);
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
                <span class="switch-name">{text.name}</span>
                {checked.is_none().then(|| view! { <span class="switch-note">{td_string!(locale, consent.form.always_on)}</span> })}
            </label>
            <p id=purpose_id class="consent-purpose">{text.purpose}</p>
            <details>
                <summary>
                    {td_string!(locale, consent.form.details)}
                    <span class="visually-hidden">{format!(" ({})", text.name)}</span>
                </summary>
                <CategoryFacts category locale />
            </details>
        </div>
    }
}

/// What a category stores, who receives it and for how long.
#[component]
pub fn CategoryFacts(category: Category, locale: Locale) -> impl IntoView {
    let text = category_text(locale, &category);
    view! {
        <dl class="consent-facts">
            <dt>{td_string!(locale, consent.form.stores)}</dt>
            <dd>{text.stores}</dd>
            <dt>{td_string!(locale, consent.form.received_by)}</dt>
            <dd>{text.recipients}</dd>
            <dt>{td_string!(locale, consent.form.kept_for)}</dt>
            <dd>{text.lifetime}</dd>
        </dl>
    }
}
