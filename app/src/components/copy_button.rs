//! A value a donor must type into their bank's form (a reference, an IBAN), with a button
//! that copies it in one tap.

use crate::locale::Locale;
use leptos::prelude::*;
use leptos_i18n::td_string;

/// `value` in a monospace face on one line, selectable as text, and a "Copy" button once the
/// page is interactive (without JavaScript there is nothing it could do, so it is not shown;
/// its space is kept, so nothing moves when it appears). What happened is said in a polite
/// live region: "Copied", or where to select the text when the browser refuses.
#[island]
pub fn CopyableValue(
    value: String,
    /// What the value is, with its article, for the button's accessible name: "the
    /// reference" makes "Copy the reference" ("la referencia": "Copiar la referencia").
    what: String,
    /// The page's language: an island hydrates without the page's context, so it is given.
    locale: Locale,
) -> impl IntoView {
    let hydrated = crate::components::hydrated::use_hydrated();
    let said = RwSignal::new(String::new());
    let copy = {
        let value = value.clone();
        move |_| copy_to_clipboard(value.clone(), said, locale)
    };
    view! {
        <span class="copyable">
            <code class="copyable-value">{value}</code>
            <button
                type="button"
                class="button button-small"
                class:not-ready=move || !hydrated.get()
                on:click=copy
            >
                {td_string!(locale, forms.copy.button)}
                <span class="visually-hidden">{format!(" {what}")}</span>
            </button>
            <span class="copyable-status" role="status">{move || said.get()}</span>
        </span>
    }
}

fn copy_to_clipboard(value: String, said: RwSignal<String>, locale: Locale) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        let promise = window().navigator().clipboard().write_text(&value);
        let answer = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => td_string!(locale, forms.copy.copied),
            Err(_) => td_string!(locale, forms.copy.refused),
        };
        said.set(answer.to_owned());
        set_timeout(
            move || said.set(String::new()),
            std::time::Duration::from_secs(4),
        );
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (value, said, locale);
}
