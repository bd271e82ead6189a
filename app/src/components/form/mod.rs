//! The form kit: what every form of the site is made of, so a new one is a list of fields.
//!
//! A form is a plain HTML form, rendered by the server only: it posts to its server function
//! and the browser follows a redirect, to the page that follows or back to the form with its
//! errors (codes in the address, what was typed in a cookie for that page, see `api::form`).
//! With JavaScript the page's loader sends the very same post and swaps in the page that
//! comes back (pending label on the button, the focus on the first field to correct or on
//! the outcome), so no form's code goes to the browser: a whole visit costs what its first
//! view does. [`PostedForm::new`] reads what a failed post sent back; the fields take their
//! ids, labels, messages and `aria-*` from the form around them (ids are `{prefix}-{field}`,
//! so two forms can share a page).

mod fields;

pub use fields::{
    Checkbox, ErrorSummary, Honeypot, RadioGroup, RadioOption, ResultHeading, SelectField,
    SubmitButton, TextArea, TextField,
};

use crate::{
    api::error::FormError,
    domain::FieldCode,
    locale::{use_locale, Locale},
};
use leptos::{prelude::*, server::ServerAction, server_fn::ServerFn};
use leptos_i18n::td_string;
use serde::{de::DeserializeOwned, Serialize};

/// What the fields of a form need to know, provided by [`PostedForm::new`] to every field
/// inside it.
#[derive(Clone, Copy)]
pub struct FormContext {
    pub prefix: &'static str,
    /// The language of the page the form is on: its messages and the kit's own words.
    pub locale: Locale,
    /// Fields without an element of their own (hidden inputs): their errors point at the
    /// summary.
    pub hidden_fields: &'static [&'static str],
    errors: FormErrors,
}

impl FormContext {
    /// The element id of `field`.
    pub fn id(&self, field: &str) -> String {
        format!("{}-{field}", self.prefix)
    }

    /// The message of `field`, if it has one.
    pub fn message(&self, field: &'static str) -> Signal<Option<String>> {
        self.errors.message(field)
    }

    /// Whether `field` was the first wrong one when the page was made: it then gets
    /// `autofocus`, which is how a page served with errors (no JavaScript) moves the focus.
    pub fn autofocus(&self, field: &str) -> bool {
        self.errors.autofocus(field)
    }

    fn summary(&self) -> Signal<Option<Summary>> {
        self.errors.summary
    }

    /// Where the summary's entry for `field` leads.
    fn target(&self, field: &str) -> String {
        if self.hidden_fields.contains(&field) {
            self.id("errors")
        } else {
            self.id(field)
        }
    }
}

pub fn use_form() -> FormContext {
    // Every field is made inside a form; a field outside one is a bug in the page, which
    // the form kit's tests and every page test would show at once.
    use_context::<FormContext>().expect("a field inside an PostedForm")
}

/// A form's last error, rendered: the summary's heading, then each wrong field with its
/// message.
type Summary = (String, Vec<(&'static str, String)>);

#[derive(Clone, Copy)]
struct FormErrors {
    summary: Signal<Option<Summary>>,
}

impl FormErrors {
    fn new<C: FieldCode>(
        error: Signal<Option<FormError<C>>>,
        context: C::Context,
        locale: Locale,
    ) -> Self {
        let summary = Signal::derive(move || {
            error.with(|error| {
                error.as_ref().map(|error| {
                    let fields = match error {
                        FormError::Invalid { errors } => errors
                            .iter()
                            .map(|code| (code.field(), code.message(&context, locale)))
                            .collect(),
                        _ => Vec::new(),
                    };
                    (heading(error, locale).to_owned(), fields)
                })
            })
        });
        Self { summary }
    }

    fn message(self, field: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || {
            self.summary.with(|summary| {
                let (_, fields) = summary.as_ref()?;
                fields
                    .iter()
                    .find(|(name, _)| *name == field)
                    .map(|(_, message)| message.clone())
            })
        })
    }

    fn autofocus(self, field: &str) -> bool {
        self.summary.with_untracked(|summary| {
            summary
                .as_ref()
                .and_then(|(_, fields)| fields.first())
                .is_some_and(|(first, _)| *first == field)
        })
    }
}

/// What the error summary says above the list: what went wrong with the form as a whole.
fn heading<C>(error: &FormError<C>, locale: Locale) -> &'static str {
    match error {
        FormError::Invalid { .. } => td_string!(locale, forms.kit.summary.invalid),
        FormError::BadRequest => td_string!(locale, forms.kit.summary.bad_request),
        FormError::Unavailable => td_string!(locale, forms.kit.summary.unavailable),
        FormError::NotLoggedIn => td_string!(locale, forms.kit.summary.not_logged_in),
        FormError::Forbidden => td_string!(locale, forms.kit.summary.forbidden),
    }
}

/// One form as the server renders it: the server action it posts to, and the values it starts
/// with (a failed post's error goes to the fields through the form's context).
pub struct PostedForm<S, C, V>
where
    S: ServerFn<Error = FormError<C>> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    C: FieldCode,
{
    pub action: ServerAction<S>,
    /// After a failed post, what was typed; otherwise the defaults.
    pub initial: V,
}

impl<S, C, V> PostedForm<S, C, V>
where
    S: ServerFn<Error = FormError<C>> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
    C: FieldCode,
    V: Clone + Default + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    /// Starts the form with element ids `{prefix}-…`, the fields in `hidden_fields` having
    /// none, and `context` for its messages, which are in the page's language. After a failed post (the browser's own, or the
    /// loader's, which sends the same) the server reads the errors from the address and what
    /// was typed from the cookie.
    pub fn new(
        prefix: &'static str,
        hidden_fields: &'static [&'static str],
        context: C::Context,
    ) -> Self {
        let action = ServerAction::<S>::new();
        let value = action.value();
        let sent_back = SharedValue::new(move || {
            #[cfg(feature = "ssr")]
            {
                let error = value.with_untracked(|value| match value {
                    Some(Err(error @ FormError::Invalid { .. })) => Some(error.clone()),
                    _ => None,
                })?;
                let values = crate::server::http::sent_back_values::<V>(S::PATH);
                Some((error, values.unwrap_or_default()))
            }
            #[cfg(not(feature = "ssr"))]
            {
                None::<(FormError<C>, V)>
            }
        })
        .into_inner();
        let initial = match sent_back {
            Some((error, values)) => {
                if value.with_untracked(Option::is_none) {
                    value.set(Some(Err(error)));
                }
                values
            }
            None => V::default(),
        };
        let error = Signal::derive(move || {
            value.with(|value| {
                value
                    .as_ref()
                    .and_then(|result| result.as_ref().err().cloned())
            })
        });
        let locale = use_locale();
        let errors = FormErrors::new(error, context, locale);
        let form = FormContext {
            prefix,
            locale,
            hidden_fields,
            errors,
        };
        provide_context(form);
        Self { action, initial }
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
