//! The form that signs the call to action, and the step that follows it.
//!
//! It is a plain HTML form first: without JavaScript it posts to the server function and the
//! browser is redirected to the thank-you page or back here with the errors (and what was
//! typed) in the address. With JavaScript the same form posts in place: pending state on the
//! button, errors inline, the thank-you step replacing the form.

use crate::components::form_parts::{ErrorSummary, FieldMessage, FormErrors, TextField};
use crate::{
    api::{signups::SignCall, site::use_public_url},
    domain::{
        countries::COUNTRIES,
        signup::{
            is_signup_error, SignupForm, MAX_EMAIL, MAX_NAME, MAX_ORGANISATION, MAX_ROLE,
            SIGNUP_CONSENT_TEXT, SIGNUP_CONSENT_VERSION,
        },
        FormError, PostSummary,
    },
};
use leptos::{html, prelude::*};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

type SignError = FormError<SignupForm>;

/// The prefix of the form's element ids (`signup-email`).
const PREFIX: &str = "signup";

/// The sign form; replaced by [`CheckYourInbox`] once a signature is accepted.
#[island(lazy)]
pub fn SignForm(
    /// The post to share from the thank-you step (the page has it already).
    post: Option<PostSummary>,
    /// Where the visitor came from (`?source=`), read by the page on the server.
    source: Option<String>,
) -> impl IntoView {
    let sign = ServerAction::<SignCall>::new();
    let result = sign.value();
    let error = Signal::derive(move || result.with(|result| result.clone()?.err().map(known_only)));
    let accepted = move || matches!(result.get(), Some(Ok(())));

    // What the form starts with: after a no-JS post that failed, what was typed; otherwise
    // empty. Read once: from then on the fields belong to the person typing.
    let initial = error.with_untracked(|error| match error {
        Some(FormError::Invalid { values, .. }) => values.clone(),
        _ => SignupForm::default(),
    });
    let source = source.unwrap_or_else(|| initial.source.clone());

    // Without JavaScript the first wrong field has `autofocus` instead.
    FormErrors::new(error).focus_first_wrong_field(PREFIX, &["consent_version"]);

    view! {
        <Show
            when=accepted
            fallback=move || {
                let initial = initial.clone();
                let source = source.clone();
                view! {
                    <SignFormFields sign error initial source />
                }
            }
        >
            <CheckYourInbox post=post.clone() focus=true />
        </Show>
    }
}

/// Drops messages the form never gives: after a post without JavaScript they arrive in the
/// address, which anyone can write.
fn known_only(error: SignError) -> SignError {
    match error {
        FormError::Invalid { errors, values } => FormError::Invalid {
            errors: errors.into_iter().filter(is_signup_error).collect(),
            values,
        },
        other => other,
    }
}

#[component]
fn SignFormFields(
    sign: ServerAction<SignCall>,
    error: Signal<Option<SignError>>,
    initial: SignupForm,
    source: String,
) -> impl IntoView {
    let pending = sign.pending();
    let errors = FormErrors::new(error);
    let message = move |field: &'static str| errors.message(field);
    let autofocus = move |field: &str| errors.autofocus(field);
    let summary = errors.summary();
    let kind = if initial.kind == "organisation" {
        "organisation"
    } else {
        "person"
    };

    view! {
        <ActionForm action=sign attr:class="sign-form" attr:novalidate=true>
            <ErrorSummary prefix=PREFIX error=summary />
            <TextField
                prefix=PREFIX
                name="full_name"
                label="Full name"
                autocomplete="name"
                max=MAX_NAME
                value=initial.full_name
                error=message("full_name")
                autofocus=autofocus("full_name")
            />
            <TextField
                prefix=PREFIX
                name="email"
                label="Email address"
                hint="We send you a link to confirm your signature."
                input_type="email"
                autocomplete="email"
                max=MAX_EMAIL
                value=initial.email
                error=message("email")
                autofocus=autofocus("email")
            />
            <fieldset
                class="field choice-group"
                aria-describedby=move || message("kind").get().map(|_| "signup-kind-error")
            >
                <legend>"I sign"</legend>
                <FieldMessage id="signup-kind-error" message=message("kind") />
                <div class="choice">
                    <input
                        type="radio"
                        id="signup-kind"
                        name="form[kind]"
                        value="person"
                        checked=kind == "person"
                        autofocus=autofocus("kind")
                        aria-invalid=move || message("kind").get().map(|_| "true")
                    />
                    <label for="signup-kind">"As a person"</label>
                </div>
                <div class="choice">
                    <input
                        type="radio"
                        id="signup-kind-organisation"
                        name="form[kind]"
                        value="organisation"
                        checked=kind == "organisation"
                        aria-invalid=move || message("kind").get().map(|_| "true")
                    />
                    <label for="signup-kind-organisation">"For an organisation or a city"</label>
                </div>
            </fieldset>
            // Shown by CSS only while "For an organisation or a city" is chosen, so it works
            // without JavaScript; the server ignores these fields for a person.
            <div class="organisation-fields">
                <TextField
                    prefix=PREFIX
                    name="organisation"
                    label="Organisation or city"
                    autocomplete="organization"
                    max=MAX_ORGANISATION
                    value=initial.organisation
                    error=message("organisation")
                    autofocus=autofocus("organisation")
                />
                <TextField
                    prefix=PREFIX
                    name="role"
                    label="Your role in it"
                    hint="For example: Mayor, Director, Member of the board."
                    autocomplete="organization-title"
                    max=MAX_ROLE
                    value=initial.role
                    error=message("role")
                    autofocus=autofocus("role")
                />
            </div>
            <CountryField value=initial.country error=message("country") autofocus=autofocus("country") />
            <div class="field choice">
                <input
                    type="checkbox"
                    id="signup-show_name"
                    name="form[show_name]"
                    checked=initial.show_name.is_some()
                />
                <label for="signup-show_name">"Show my name in the public list of signers"</label>
            </div>
            <div class="field choice">
                <input
                    type="checkbox"
                    id="signup-keep_informed"
                    name="form[keep_informed]"
                    checked=initial.keep_informed.is_some()
                />
                <label for="signup-keep_informed">"Keep me informed about the call by email"</label>
            </div>
            <p class="consent-text" id="signup-consent">{SIGNUP_CONSENT_TEXT}</p>
            <input type="hidden" name="form[consent_version]" value=SIGNUP_CONSENT_VERSION />
            <input type="hidden" name="form[source]" value=source />
            // The honeypot: off-screen and out of the tab order, so only bots fill it in.
            <div class="honeypot" aria-hidden="true">
                <label for="signup-website">"Leave this field empty"</label>
                <input
                    type="text"
                    id="signup-website"
                    name="form[website]"
                    tabindex="-1"
                    autocomplete="off"
                />
            </div>
            <button
                type="submit"
                class="button button-primary"
                aria-describedby="signup-consent"
                // Not `disabled`: that would drop the keyboard focus. A second press while
                // the first is on its way is harmless (the same address signs once).
                aria-disabled=move || pending.get().to_string()
                aria-busy=move || pending.get().to_string()
            >
                {move || if pending.get() { "Signing…" } else { "Sign the call" }}
            </button>
        </ActionForm>
    }
}

#[component]
fn CountryField(value: String, error: Signal<Option<String>>, autofocus: bool) -> impl IntoView {
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for="signup-country">"Country"</label>
            <FieldMessage id="signup-country-error" message=error />
            <select
                id="signup-country"
                name="form[country]"
                autocomplete="country"
                required=true
                autofocus=autofocus
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().map(|_| "signup-country-error")
            >
                <option value="" selected=value.is_empty()>"Choose your country"</option>
                {COUNTRIES
                    .iter()
                    .map(|(code, name)| {
                        view! { <option value=*code selected=value == *code>{*name}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// What a signer sees after signing, whatever happened to the address: it may be new, have
/// signed before, or be someone else's. `focus` moves the focus to it (when it replaces the
/// form in place).
#[component]
pub fn CheckYourInbox(
    /// The news post that tells the call's story, to share.
    post: Option<PostSummary>,
    #[prop(optional)] focus: bool,
) -> impl IntoView {
    let heading = NodeRef::<html::H2>::new();
    if focus {
        Effect::new(move |_| {
            if let Some(heading) = heading.get() {
                _ = heading.focus();
            }
        });
    }
    let public_url = use_public_url();
    let share_url = public_url.join("/take-action");
    let story = post.map(|post| {
        let mail = format!(
            "mailto:?subject={}&body={}",
            utf8_percent_encode(&post.title, NON_ALPHANUMERIC),
            utf8_percent_encode(&public_url.join(&post.href()), NON_ALPHANUMERIC),
        );
        view! {
            <p>"The story behind it: " <a href=post.href()>{post.title.clone()}</a></p>
            <p><a href=mail>"Share the story by email"</a></p>
        }
    });
    view! {
        <section class="check-inbox" aria-labelledby="check-inbox-title">
            <h2 id="check-inbox-title" tabindex="-1" node_ref=heading>"Check your inbox"</h2>
            <p>
                "Thank you. We have sent a message to the address you gave. Press the button "
                "in it to confirm your signature: it counts once it is confirmed. The link "
                "works for 7 days."
            </p>
            <p>
                "Nothing there after a few minutes? Look in your spam folder. If you had "
                "already signed, there is nothing more to do."
            </p>
            <h3>"Share the call"</h3>
            <p class="share">
                <label for="share-link">"Link to the call"</label>
                <input id="share-link" type="url" readonly=true value=share_url />
            </p>
            {story}
        </section>
    }
}
