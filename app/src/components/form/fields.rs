//! The fields of the form kit. Each takes its form's id prefix, message and first-error focus
//! from the [`FormContext`](super::FormContext) around it, and wires label, hint, message,
//! `aria-invalid` and `aria-describedby` from one field name.

use super::{use_form, FormContext};
use leptos::prelude::*;
use leptos_i18n::td_string;

/// What every field of `name` is wired with: its form, its id, its message's id and its
/// message.
fn field(name: &'static str) -> (FormContext, String, String, Signal<Option<String>>) {
    let form = use_form();
    let id = form.id(name);
    let error_id = format!("{id}-error");
    (form, id, error_id, form.message(name))
}

/// The ids a field's `aria-describedby` lists: its hint, if it has one, and its message
/// while it shows one.
fn described_by(
    hint_id: Option<String>,
    error_id: String,
    error: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let ids: Vec<&str> = [hint_id.as_deref(), error.get().map(|_| error_id.as_str())]
            .into_iter()
            .flatten()
            .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

fn invalid(error: Signal<Option<String>>) -> impl Fn() -> Option<&'static str> + Send + Sync {
    move || error.get().map(|_| "true")
}

/// A field's frame: its label, its hint if it has one, its message while it shows one, then
/// the control itself.
#[component]
fn Labelled(
    id: String,
    label: &'static str,
    hint: Option<(String, &'static str)>,
    error_id: String,
    error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id>{label}</label>
            {hint.map(|(id, hint)| view! { <p class="hint" id=id>{hint}</p> })}
            <FieldMessage id=error_id message=error />
            {children()}
        </div>
    }
}

/// A message under a field's label, or nothing.
#[component]
fn FieldMessage(#[prop(into)] id: String, message: Signal<Option<String>>) -> impl IntoView {
    let prefix = td_string!(use_form().locale, forms.kit.error_prefix);
    move || {
        message.get().map(|message| {
            view! {
                <p class="field-error" id=id.clone()>
                    <span class="visually-hidden">{prefix}</span>
                    {message}
                </p>
            }
        })
    }
}

/// The list of what to fix, announced as soon as it appears; each entry links to its field
/// (fields the page does not show link to the summary itself).
#[component]
pub fn ErrorSummary() -> impl IntoView {
    let form = use_form();
    let summary = form.summary();
    move || {
        summary.get().map(|(heading, fields)| {
            let items = fields
                .into_iter()
                .map(|(field, message)| {
                    view! { <li><a href=format!("#{}", form.target(field))>{message}</a></li> }
                })
                .collect_view();
            view! {
                <div class="error-summary" id=form.id("errors") role="alert" tabindex="-1">
                    <h2>{heading}</h2>
                    <ul>{items}</ul>
                </div>
            }
        })
    }
}

/// A labelled one-line input (text, email) with an optional hint and its message.
#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] input_type: &'static str,
    autocomplete: &'static str,
    max: usize,
    value: String,
    #[prop(default = true)] required: bool,
    /// The keyboard a phone shows (`decimal` for amounts).
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let (form, id, error_id, error) = field(name);
    let hint_id = format!("{id}-hint");
    let described = described_by(hint.map(|_| hint_id.clone()), error_id.clone(), error);
    view! {
        <Labelled id=id.clone() label hint=hint.map(|hint| (hint_id, hint)) error_id error>
            <input
                type=input_type
                id=id
                name=format!("form[{name}]")
                autocomplete=autocomplete
                maxlength=max
                inputmode=inputmode
                required=required
                value=value
                autofocus=form.autofocus(name)
                aria-invalid=invalid(error)
                aria-describedby=described
            />
        </Labelled>
    }
}

/// A labelled text area for a few lines (a message to us), with a `hint` (the lines' shape)
/// if given.
#[component]
pub fn TextArea(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    rows: u32,
    max: usize,
    value: String,
) -> impl IntoView {
    let (form, id, error_id, error) = field(name);
    let hint_id = format!("{id}-hint");
    let described = described_by(hint.map(|_| hint_id.clone()), error_id.clone(), error);
    view! {
        <Labelled id=id.clone() label hint=hint.map(|hint| (hint_id, hint)) error_id error>
            <textarea
                id=id
                name=format!("form[{name}]")
                rows=rows
                maxlength=max
                autofocus=form.autofocus(name)
                aria-invalid=invalid(error)
                aria-describedby=described
            >
                {value}
            </textarea>
        </Labelled>
    }
}

/// A labelled list to choose one value from: `(value, label)` pairs, `placeholder` first as
/// an empty choice if given.
#[component]
pub fn SelectField(
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    selected: String,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let (form, id, error_id, error) = field(name);
    let placeholder = placeholder.map(|text| {
        view! { <option value="" selected=selected.is_empty()>{text}</option> }
    });
    let options = options
        .into_iter()
        .map(|(value, text)| {
            let chosen = value == selected;
            view! { <option value=value selected=chosen>{text}</option> }
        })
        .collect_view();
    let described = described_by(None, error_id.clone(), error);
    view! {
        <Labelled id=id.clone() label hint=None error_id error>
            <select
                id=id
                name=format!("form[{name}]")
                autocomplete=autocomplete
                required=required
                autofocus=form.autofocus(name)
                aria-invalid=invalid(error)
                aria-describedby=described
            >
                {placeholder}
                {options}
            </select>
        </Labelled>
    }
}

/// One choice of a [`RadioGroup`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RadioOption {
    pub value: String,
    pub label: String,
}

impl RadioOption {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// A group of radio buttons under a legend. The first button's id is the field's own
/// (`pledge-amount`), so the error summary leads to it; the others add their value
/// (`pledge-amount-50`).
#[component]
pub fn RadioGroup(
    name: &'static str,
    legend: &'static str,
    options: Vec<RadioOption>,
    /// The value chosen.
    checked: String,
    /// Extra classes of the fieldset.
    #[prop(optional)]
    class: &'static str,
    /// Wraps the buttons in a `div` with this class (to lay them out apart from `children`).
    #[prop(optional)]
    options_class: Option<&'static str>,
    /// What follows the buttons inside the group (the field for another amount).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let (form, _, error_id, error) = field(name);
    let autofocus = form.autofocus(name);
    let buttons = options
        .into_iter()
        .enumerate()
        .map(|(i, option)| {
            let id = if i == 0 {
                form.id(name)
            } else {
                form.id(&format!("{name}-{}", option.value))
            };
            let chosen = option.value == checked;
            view! {
                <div class="choice">
                    <input
                        type="radio"
                        id=id.clone()
                        name=format!("form[{name}]")
                        value=option.value
                        checked=chosen
                        autofocus=i == 0 && autofocus
                        aria-invalid=invalid(error)
                    />
                    <label for=id>{option.label}</label>
                </div>
            }
        })
        .collect_view();
    let buttons = match options_class {
        Some(class) => view! { <div class=class>{buttons}</div> }.into_any(),
        None => buttons.into_any(),
    };
    let error_ref = error_id.clone();
    view! {
        <fieldset
            class=format!("field choice-group {class}").trim_end().to_owned()
            aria-describedby=move || error.get().map(|_| error_ref.clone())
        >
            <legend>{legend}</legend>
            <FieldMessage id=error_id message=error />
            {buttons}
            {children.map(|children| children())}
        </fieldset>
    }
}

/// A checkbox with its label after it.
#[component]
pub fn Checkbox(name: &'static str, label: &'static str, checked: bool) -> impl IntoView {
    let id = use_form().id(name);
    view! {
        <div class="field choice">
            <input type="checkbox" id=id.clone() name=format!("form[{name}]") checked=checked />
            <label for=id>{label}</label>
        </div>
    }
}

/// The field only bots fill in: off-screen and out of the tab order. Every form names it
/// `leave_empty`, a name no browser autofills.
#[component]
pub fn Honeypot() -> impl IntoView {
    let form = use_form();
    let id = form.id("leave_empty");
    view! {
        <div class="honeypot" aria-hidden="true">
            <label for=id.clone()>{td_string!(form.locale, forms.kit.honeypot)}</label>
            <input type="text" id=id name="form[leave_empty]" tabindex="-1" autocomplete="off" />
        </div>
    }
}

/// The form's button, saying what it does and, while the post is on its way, that it is: the
/// page's script shows `pending_label` and sets `aria-busy` while it sends the form. Never
/// `disabled`, which would drop the keyboard focus; a second press changes nothing.
#[component]
pub fn SubmitButton(
    label: &'static str,
    pending_label: &'static str,
    /// The text the button commits to (the consent it gives).
    #[prop(optional)]
    described_by: Option<String>,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            class="button button-primary"
            aria-describedby=described_by
            data-pending-label=pending_label
        >
            {label}
        </button>
    }
}

/// The heading of what a form leads to once it is accepted (the thanks pages). Marked, so the
/// page's script moves the focus to it when it swaps the page in after sending the form, and
/// a screen reader reads the outcome at once.
#[component]
pub fn ResultHeading(id: &'static str, children: Children) -> impl IntoView {
    view! {
        <h2 id=id tabindex="-1" data-outcome="">
            {children()}
        </h2>
    }
}
