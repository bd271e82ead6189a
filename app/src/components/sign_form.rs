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
        countries::countries,
        signup::{
            SignupError, SignupForm, MAX_EMAIL, MAX_NAME, MAX_ORGANISATION, MAX_ROLE,
            SIGNUP_CONSENT_VERSION,
        },
        PostSummary,
    },
    locale::{code, localized, use_locale},
};
use leptos::prelude::*;
use leptos_i18n::td_string;
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
    let locale = use_locale();
    let kind = if initial.kind == "organisation" {
        "organisation"
    } else {
        "person"
    };
    let countries = countries(locale)
        .iter()
        .map(|(code, name)| ((*code).to_owned(), (*name).to_owned()))
        .collect::<Vec<_>>();

    view! {
        <ActionForm action attr:class="sign-form" attr:novalidate=true>
            <ErrorSummary />
            <TextField
                name="full_name"
                label=td_string!(locale, forms.field.full_name)
                autocomplete="name"
                max=MAX_NAME
                value=initial.full_name
            />
            <TextField
                name="email"
                label=td_string!(locale, forms.field.email)
                hint=td_string!(locale, forms.sign.email_hint)
                input_type="email"
                autocomplete="email"
                max=MAX_EMAIL
                value=initial.email
            />
            <RadioGroup
                name="kind"
                legend=td_string!(locale, forms.sign.kind)
                options=vec![
                    RadioOption::new("person", td_string!(locale, forms.sign.as_person)),
                    RadioOption::new(
                        "organisation",
                        td_string!(locale, forms.sign.as_organisation),
                    ),
                ]
                checked=kind.to_owned()
            />
            // Shown by CSS only while "For an organisation or a city" is chosen, so it works
            // without JavaScript; the server ignores these fields for a person.
            <div class="organisation-fields">
                <TextField
                    name="organisation"
                    label=td_string!(locale, forms.sign.organisation)
                    autocomplete="organization"
                    max=MAX_ORGANISATION
                    value=initial.organisation
                />
                <TextField
                    name="role"
                    label=td_string!(locale, forms.sign.role)
                    hint=td_string!(locale, forms.sign.role_hint)
                    autocomplete="organization-title"
                    max=MAX_ROLE
                    value=initial.role
                />
            </div>
            <SelectField
                name="country"
                label=td_string!(locale, forms.sign.country)
                options=countries
                selected=initial.country
                placeholder=td_string!(locale, forms.sign.country_placeholder)
                autocomplete="country"
                required=true
            />
            <Checkbox
                name="show_name"
                label=td_string!(locale, forms.sign.show_name)
                checked=initial.show_name.is_some()
            />
            <Checkbox
                name="keep_informed"
                label=td_string!(locale, forms.sign.keep_informed)
                checked=initial.keep_informed.is_some()
            />
            <p class="consent-text" id="signup-consent">{td_string!(locale, forms.sign.consent)}</p>
            <input type="hidden" name="form[consent_version]" value=SIGNUP_CONSENT_VERSION />
            <input type="hidden" name="form[source]" value=source />
            <input type="hidden" name="form[lang]" value=code(locale) />
            <Honeypot />
            <SubmitButton
                label=td_string!(locale, forms.sign.submit)
                pending_label=td_string!(locale, forms.sign.pending)
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
    let locale = use_locale();
    let public_url = use_public_url();
    let share_url = public_url.join(&localized(locale, "/take-action"));
    let story = post.map(|post| {
        let href = localized(locale, &post.href());
        let mail = format!(
            "mailto:?subject={}&body={}",
            utf8_percent_encode(&post.title, NON_ALPHANUMERIC),
            utf8_percent_encode(&public_url.join(&href), NON_ALPHANUMERIC),
        );
        view! {
            <p>{td_string!(locale, forms.inbox.story)} <a href=href>{post.title.clone()}</a></p>
            <p class="more"><a href=mail>{td_string!(locale, forms.inbox.share_story)}</a></p>
        }
    });
    view! {
        <section class="check-inbox" aria-labelledby="check-inbox-title">
            <ResultHeading id="check-inbox-title">{td_string!(locale, forms.inbox.title)}</ResultHeading>
            <p>{td_string!(locale, forms.inbox.sent)}</p>
            <p>{td_string!(locale, forms.inbox.nothing_yet)}</p>
            <h3>{td_string!(locale, forms.inbox.share_title)}</h3>
            <p class="share">
                <label for="share-link">{td_string!(locale, forms.inbox.share_link)}</label>
                <input id="share-link" type="url" readonly=true value=share_url />
            </p>
            {story}
        </section>
    }
}
