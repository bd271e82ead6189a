//! A value a donor must type into their bank's form (a reference, an IBAN), with a button
//! that copies it in one tap.

use leptos::prelude::*;

/// `value` in a monospace face on one line, selectable as text, and a "Copy" button once the
/// page is interactive (without JavaScript there is nothing it could do, so it is not shown;
/// its space is kept, so nothing moves when it appears). What happened is said in a polite
/// live region: "Copied", or where to select the text when the browser refuses.
#[island]
pub fn CopyableValue(
    value: String,
    /// What the value is, for the button's accessible name ("Copy the reference").
    what: String,
) -> impl IntoView {
    let hydrated = crate::components::hydrated::use_hydrated();
    let said = RwSignal::new(String::new());
    let copy = {
        let value = value.clone();
        move |_| copy_to_clipboard(value.clone(), said)
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
                "Copy"<span class="visually-hidden">{format!(" the {what}")}</span>
            </button>
            <span class="copyable-status" role="status">{move || said.get()}</span>
        </span>
    }
}

fn copy_to_clipboard(value: String, said: RwSignal<String>) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        let promise = window().navigator().clipboard().write_text(&value);
        let answer = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => "Copied",
            Err(_) => "Your browser did not allow copying; select the text instead",
        };
        said.set(answer.to_owned());
        set_timeout(
            move || said.set(String::new()),
            std::time::Duration::from_secs(4),
        );
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (value, said);
}
