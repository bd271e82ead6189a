//! The form that signs the call to action, and the step that follows it. Built from the
//! form kit (`components::form`), which makes it work with and without JavaScript.

use crate::{
    api::signups::SignCall,
    components::{
        form::{
            Checkbox, ErrorSummary, Honeypot, PostedForm, RadioGroup, RadioOption, ResultHeading,
            SelectField, SubmitButton, TextField,
        },
        site_context::use_public_url,
    },
    domain::{
        countries::COUNTRIES,
        signup::{
            SignupError, SignupForm, MAX_EMAIL, MAX_NAME, MAX_ORGANISATION, MAX_ROLE,
            SIGNUP_CONSENT_TEXT, SIGNUP_CONSENT_VERSION,
        },
        PostSummary,
    },
};
use leptos::prelude::*;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

/// The sign form. Rendered by the server only: the page's script sends it and swaps in the
/// answer ([`CheckYourInbox`] on the thanks page, or the form again with its messages), as
/// the browser itself does without JavaScript.
#[component]
pub fn SignForm(
    /// Where the visitor came from (`?source=`), read by the page on the server.
    source: Option<String>,
) -> impl IntoView {
    let form =
        PostedForm::<SignCall, SignupError, SignupForm>::new("signup", &["consent_version"], ());
    let PostedForm {
        action, initial, ..
    } = form;
    let source = source.unwrap_or_else(|| initial.source.clone());
    view! { <SignFormFields action initial source /> }
}

#[component]
fn SignFormFields(
    action: ServerAction<SignCall>,
    initial: SignupForm,
    source: String,
) -> impl IntoView {
    let kind = if initial.kind == "organisation" {
        "organisation"
    } else {
        "person"
    };
    let countries = COUNTRIES
        .iter()
        .map(|(code, name)| ((*code).to_owned(), (*name).to_owned()))
        .collect::<Vec<_>>();

    view! {
        <ActionForm action attr:class="sign-form" attr:novalidate=true>
            <ErrorSummary />
            <TextField name="full_name" label="Full name" autocomplete="name" max=MAX_NAME value=initial.full_name />
            <TextField
                name="email"
                label="Email address"
                hint="We send you a link to confirm your signature."
                input_type="email"
                autocomplete="email"
                max=MAX_EMAIL
                value=initial.email
            />
            <RadioGroup
                name="kind"
                legend="I sign"
                options=vec![
                    RadioOption::new("person", "As a person"),
                    RadioOption::new("organisation", "For an organisation or a city"),
                ]
                checked=kind.to_owned()
            />
            // Shown by CSS only while "For an organisation or a city" is chosen, so it works
            // without JavaScript; the server ignores these fields for a person.
            <div class="organisation-fields">
                <TextField
                    name="organisation"
                    label="Organisation or city"
                    autocomplete="organization"
                    max=MAX_ORGANISATION
                    value=initial.organisation
                />
                <TextField
                    name="role"
                    label="Your role in it"
                    hint="For example: Mayor, Director, Member of the board."
                    autocomplete="organization-title"
                    max=MAX_ROLE
                    value=initial.role
                />
            </div>
            <SelectField
                name="country"
                label="Country"
                options=countries
                selected=initial.country
                placeholder="Choose your country"
                autocomplete="country"
                required=true
            />
            <Checkbox name="show_name" label="Show my name in the public list of signers" checked=initial.show_name.is_some() />
            <Checkbox name="keep_informed" label="Keep me informed about the call by email" checked=initial.keep_informed.is_some() />
            <p class="consent-text" id="signup-consent">{SIGNUP_CONSENT_TEXT}</p>
            <input type="hidden" name="form[consent_version]" value=SIGNUP_CONSENT_VERSION />
            <input type="hidden" name="form[source]" value=source />
            <Honeypot />
            <SubmitButton
                label="Sign the call"
                pending_label="Signing…"
                described_by="signup-consent".to_owned()
            />
        </ActionForm>
    }
}

/// What a signer sees after signing, whatever happened to the address: it may be new, have
/// signed before, or be someone else's. `focus` moves the focus to it (when it replaces the
/// form in place).
#[component]
pub fn CheckYourInbox(
    /// The news post that tells the call's story, to share.
    post: Option<PostSummary>,
) -> impl IntoView {
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
            <p class="more"><a href=mail>"Share the story by email"</a></p>
        }
    });
    view! {
        <section class="check-inbox" aria-labelledby="check-inbox-title">
            <ResultHeading id="check-inbox-title">"Check your inbox"</ResultHeading>
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
