//! The pieces every form of the site is made of: labelled fields with their messages, and the
//! summary of what to fix. Ids are `{prefix}-{field}`, so two forms can share a page.

use crate::domain::FieldError;
use leptos::prelude::*;

/// The element id of `field` in the form with `prefix`.
pub fn field_id(prefix: &str, field: &str) -> String {
    format!("{prefix}-{field}")
}

/// The list of what to fix, announced as soon as it appears; each entry links to its field
/// (fields the page does not show link to the summary itself).
#[component]
pub fn ErrorSummary(
    prefix: &'static str,
    /// The heading, and the errors of the fields.
    error: Signal<Option<(String, Vec<FieldError>)>>,
    /// Fields without an element of their own (hidden inputs).
    #[prop(optional)]
    hidden_fields: &'static [&'static str],
) -> impl IntoView {
    let summary_id = format!("{prefix}-errors");
    move || {
        let summary_id = summary_id.clone();
        error.get().map(|(heading, errors)| {
            let items = errors
                .into_iter()
                .map(|item| {
                    let target = if hidden_fields.contains(&item.field.as_str()) {
                        summary_id.clone()
                    } else {
                        field_id(prefix, &item.field)
                    };
                    view! { <li><a href=format!("#{target}")>{item.message}</a></li> }
                })
                .collect_view();
            view! {
                <div class="error-summary" id=summary_id role="alert" tabindex="-1">
                    <h2>{heading}</h2>
                    <ul>{items}</ul>
                </div>
            }
        })
    }
}

/// A message under a field's label, or nothing.
#[component]
pub fn FieldMessage(#[prop(into)] id: String, message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|message| {
            view! {
                <p class="field-error" id=id.clone()>
                    <span class="visually-hidden">"Error: "</span>
                    {message}
                </p>
            }
        })
    }
}

/// A labelled one-line input with an optional hint and its error message, wired together
/// with `aria-describedby` and `aria-invalid`.
#[component]
pub fn TextField(
    prefix: &'static str,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] input_type: &'static str,
    autocomplete: &'static str,
    max: usize,
    value: String,
    error: Signal<Option<String>>,
    autofocus: bool,
    #[prop(default = true)] required: bool,
    /// The keyboard a phone shows (`decimal` for amounts).
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let id = field_id(prefix, name);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let ids: Vec<&str> = [
                hint.map(|_| hint_id.as_str()),
                error.get().map(|_| error_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            <FieldMessage id=error_id message=error />
            <input
                type=input_type
                id=id
                name=format!("form[{name}]")
                autocomplete=autocomplete
                maxlength=max
                inputmode=inputmode
                required=required
                value=value
                autofocus=autofocus
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
            />
        </div>
    }
}

/// Moves the focus to the element with `id` (in the browser; nothing on the server).
pub fn focus_by_id(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if let Some(element) = document()
            .get_element_by_id(id)
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            _ = element.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
