//! The pieces every form of the site is made of: labelled fields with their messages, and the
//! summary of what to fix. Ids are `{prefix}-{field}`, so two forms can share a page.

use crate::domain::{FieldError, FormError};
use leptos::prelude::*;

/// What the fields of a form need to know of its last error, in one value to pass around.
#[derive(Clone, Copy)]
pub struct FormErrors {
    /// The summary's heading and the field errors (none for an error of the whole form).
    summary: Signal<Option<(String, Vec<FieldError>)>>,
}

impl FormErrors {
    pub fn new<V>(error: Signal<Option<FormError<V>>>) -> Self
    where
        V: Send + Sync + 'static,
    {
        let summary = Signal::derive(move || {
            error.with(|error| {
                error.as_ref().map(|error| {
                    let errors = match error {
                        FormError::Invalid { errors, .. } => errors.clone(),
                        _ => Vec::new(),
                    };
                    (error.to_string(), errors)
                })
            })
        });
        Self { summary }
    }

    pub fn summary(self) -> Signal<Option<(String, Vec<FieldError>)>> {
        self.summary
    }

    /// The message of `field`, if it has one.
    pub fn message(self, field: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || {
            self.summary.with(|summary| {
                let (_, errors) = summary.as_ref()?;
                errors
                    .iter()
                    .find(|error| error.field == field)
                    .map(|error| error.message.clone())
            })
        })
    }

    /// Whether `field` was the first wrong one when the page was made: it then gets
    /// `autofocus`, which is how a page served with errors (no JavaScript) moves the focus.
    pub fn autofocus(self, field: &str) -> bool {
        self.summary.with_untracked(|summary| {
            summary
                .as_ref()
                .and_then(|(_, errors)| errors.first())
                .is_some_and(|first| first.field == field)
        })
    }

    /// After a failed post made in place, moves the focus to the first wrong field (or to the
    /// summary, for fields the page does not show), so a keyboard or screen reader user lands
    /// on it with its message.
    pub fn focus_first_wrong_field(
        self,
        prefix: &'static str,
        hidden_fields: &'static [&'static str],
    ) {
        Effect::new(move |_| {
            let target = self.summary.with(|summary| {
                let (_, errors) = summary.as_ref()?;
                let first = errors.first()?;
                Some(if hidden_fields.contains(&first.field.as_str()) {
                    format!("{prefix}-errors")
                } else {
                    field_id(prefix, &first.field)
                })
            });
            if let Some(target) = target {
                focus_by_id(&target);
            }
        });
    }
}

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
