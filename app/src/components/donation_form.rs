//! The in-page pledge form, in every donation prompt and on `/donate`, and the bank-transfer
//! instructions that follow it.
//!
//! As the sign form: a plain HTML form first (no JavaScript: redirect to the thank-you page,
//! or back with the errors and what was chosen), posting in place with JavaScript.

use crate::{
    api::{pledges::PledgeDonation, site::use_donation_settings},
    components::form_parts::{self, ErrorSummary, FieldMessage, FormErrors, TextField},
    domain::{
        money::Currency,
        pledge::{
            is_pledge_error, Frequency, PledgeForm, PledgeReceipt, PledgeStatus, MAX_MESSAGE,
            MAX_NAME, PRESETS,
        },
        FormError, MAX_EMAIL,
    },
};
use leptos::{html, prelude::*};

type PledgeError = FormError<PledgeForm>;

const PREFIX: &str = "pledge";

fn field_id(field: &str) -> String {
    form_parts::field_id(PREFIX, field)
}

/// A key for this showing of the form: sending it twice is one pledge. Made on the server
/// for a server-rendered page and carried to the browser inside it, so hydration keeps it.
fn new_idempotency_key() -> String {
    SharedValue::new(|| {
        let key = uuid::Uuid::new_v4().to_string();
        // A kept copy of this page must not hand the same key to two visitors.
        crate::page_cache::fresh(crate::page_cache::Fresh::Uuid, &key);
        key
    })
    .into_inner()
}

/// The pledge form; replaced by the transfer instructions once the pledge is stored.
#[island(lazy)]
pub fn DonationForm() -> impl IntoView {
    let pledge = ServerAction::<PledgeDonation>::new();
    let result = pledge.value();
    let settings = use_donation_settings();
    let error = {
        let settings = settings.clone();
        Signal::derive(move || {
            result.with(|result| match result.clone()?.err()? {
                // Only messages this form gives: the rest may come from a crafted address.
                FormError::Invalid { errors, values } => Some(FormError::Invalid {
                    errors: errors
                        .into_iter()
                        .filter(|error| is_pledge_error(error, &settings))
                        .collect(),
                    values,
                }),
                other => Some(other),
            })
        })
    };
    let receipt = move || result.get().and_then(Result::ok);
    let initial = error.with_untracked(|error| match error {
        Some(FormError::Invalid { values, .. }) => values.clone(),
        _ => PledgeForm::default(),
    });
    let key = new_idempotency_key();

    FormErrors::new(error).focus_first_wrong_field(PREFIX, &["idempotency_key"]);

    view! {
        <Show
            when=move || receipt().is_some()
            fallback=move || {
                view! {
                    <PledgeFields
                        pledge
                        error
                        initial=initial.clone()
                        key=key.clone()
                        settings=settings.clone()
                    />
                }
            }
        >
            {move || receipt().map(|receipt| view! { <PledgeInstructions receipt focus=true /> })}
        </Show>
    }
}

#[component]
fn PledgeFields(
    pledge: ServerAction<PledgeDonation>,
    error: Signal<Option<PledgeError>>,
    initial: PledgeForm,
    key: String,
    settings: crate::domain::pledge::DonationSettings,
) -> impl IntoView {
    let pending = pledge.pending();
    let errors = FormErrors::new(error);
    let message = move |field: &'static str| errors.message(field);
    let autofocus = move |field: &str| errors.autofocus(field);
    let summary = errors.summary();

    // The presets the limits allow. What was chosen comes back after an error; a first
    // showing has €25 (when allowed) once.
    let presets: Vec<u64> = PRESETS
        .into_iter()
        .filter(|preset| (settings.min_major..=settings.max_major).contains(preset))
        .collect();
    let first_choice = presets
        .iter()
        .find(|preset| **preset == 25)
        .or(presets.first())
        .map_or_else(|| "other".to_owned(), u64::to_string);
    let chosen_amount = if initial.amount.is_empty() {
        first_choice
    } else {
        initial.amount.clone()
    };
    let monthly = initial.frequency == Frequency::Monthly.as_str();
    let currencies: Vec<&'static Currency> = settings.offered().collect();
    // With one currency the buttons say "€25"; with several, the currency is chosen apart.
    let symbol = match currencies.as_slice() {
        [only] => only.symbol,
        _ => "",
    };
    let chosen_currency = initial.currency.clone();

    view! {
        <ActionForm action=pledge attr:class="donation-form" attr:novalidate=true>
            <ErrorSummary prefix=PREFIX error=summary hidden_fields=&["idempotency_key"] />
            <fieldset
                class="field choice-group amount-choice"
                aria-describedby=move || message("amount").get().map(|_| "pledge-amount-error")
            >
                <legend>"Amount"</legend>
                <FieldMessage id="pledge-amount-error" message=message("amount") />
                <div class="amount-options">
                    {presets
                        .iter()
                        .enumerate()
                        .map(|(i, preset)| {
                            let value = preset.to_string();
                            let id = if i == 0 { field_id("amount") } else { format!("pledge-amount-{preset}") };
                            view! {
                                <div class="choice">
                                    <input
                                        type="radio"
                                        id=id.clone()
                                        name="form[amount]"
                                        value=value.clone()
                                        checked=chosen_amount == value
                                        autofocus=i == 0 && autofocus("amount")
                                        aria-invalid=move || message("amount").get().map(|_| "true")
                                    />
                                    <label for=id>{format!("{symbol}{preset}")}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                    <div class="choice">
                        <input
                            type="radio"
                            id="pledge-amount-other"
                            name="form[amount]"
                            value="other"
                            checked=chosen_amount == "other"
                            aria-invalid=move || message("amount").get().map(|_| "true")
                        />
                        <label for="pledge-amount-other">"Other amount"</label>
                    </div>
                </div>
                // Shown by CSS while "Other amount" is chosen, so it works without JavaScript.
                <div class="other-amount">
                    <TextField
                        prefix=PREFIX
                        name="other_amount"
                        label="Your amount"
                        hint="For example 30 or 30.50."
                        autocomplete="transaction-amount"
                        inputmode="decimal"
                        max=20
                        value=initial.other_amount.clone()
                        error=message("other_amount")
                        autofocus=autofocus("other_amount")
                        required=false
                    />
                </div>
            </fieldset>
            <fieldset
                class="field choice-group"
                aria-describedby=move || message("frequency").get().map(|_| "pledge-frequency-error")
            >
                <legend>"How often"</legend>
                <FieldMessage id="pledge-frequency-error" message=message("frequency") />
                <div class="choice">
                    <input type="radio" id="pledge-frequency" name="form[frequency]" value="once" checked=!monthly />
                    <label for="pledge-frequency">"Once"</label>
                </div>
                <div class="choice">
                    <input type="radio" id="pledge-frequency-monthly" name="form[frequency]" value="monthly" checked=monthly />
                    <label for="pledge-frequency-monthly">"Every month"</label>
                </div>
            </fieldset>
            {if currencies.len() > 1 {
                let options = currencies
                    .iter()
                    .map(|currency| {
                        let selected = chosen_currency == currency.code;
                        view! { <option value=currency.code selected=selected>{currency.code}</option> }
                    })
                    .collect_view();
                view! {
                    <div class="field">
                        <label for="pledge-currency">"Currency"</label>
                        <FieldMessage id="pledge-currency-error" message=message("currency") />
                        <select
                            id="pledge-currency"
                            name="form[currency]"
                            aria-invalid=move || message("currency").get().map(|_| "true")
                            aria-describedby=move || message("currency").get().map(|_| "pledge-currency-error")
                        >
                            {options}
                        </select>
                    </div>
                }
                .into_any()
            } else {
                let code = currencies.first().map_or("EUR", |currency| currency.code);
                view! { <input type="hidden" name="form[currency]" value=code /> }.into_any()
            }}
            <TextField
                prefix=PREFIX
                name="full_name"
                label="Full name"
                autocomplete="name"
                max=MAX_NAME
                value=initial.full_name.clone()
                error=message("full_name")
                autofocus=autofocus("full_name")
            />
            <TextField
                prefix=PREFIX
                name="email"
                label="Email address"
                hint="We send you the bank details and your reference."
                input_type="email"
                autocomplete="email"
                max=MAX_EMAIL
                value=initial.email.clone()
                error=message("email")
                autofocus=autofocus("email")
            />
            <div class="field" class:field-invalid=move || message("message").get().is_some()>
                <label for="pledge-message">"Message to us (optional)"</label>
                <FieldMessage id="pledge-message-error" message=message("message") />
                <textarea
                    id="pledge-message"
                    name="form[message]"
                    rows="3"
                    maxlength=MAX_MESSAGE
                    autofocus=autofocus("message")
                    aria-invalid=move || message("message").get().map(|_| "true")
                    aria-describedby=move || message("message").get().map(|_| "pledge-message-error")
                >
                    {initial.message.clone()}
                </textarea>
            </div>
            <div class="field choice">
                <input
                    type="checkbox"
                    id="pledge-tax_certificate"
                    name="form[tax_certificate]"
                    checked=initial.tax_certificate.is_some()
                />
                <label for="pledge-tax_certificate">"I want a tax certificate (Spain)"</label>
            </div>
            // Shown by CSS while the certificate is asked for.
            <div class="tax-fields">
                <TextField
                    prefix=PREFIX
                    name="tax_id"
                    label="NIF or NIE"
                    hint="As on your document, for example 12345678Z."
                    autocomplete="off"
                    max=16
                    value=initial.tax_id.clone()
                    error=message("tax_id")
                    autofocus=autofocus("tax_id")
                    required=false
                />
            </div>
            <input type="hidden" name="form[idempotency_key]" value=key />
            <div class="honeypot" aria-hidden="true">
                <label for="pledge-leave_empty">"Leave this field empty"</label>
                <input type="text" id="pledge-leave_empty" name="form[leave_empty]" tabindex="-1" autocomplete="off" />
            </div>
            <p class="hint">
                "Nothing is charged here: you pledge a gift, and we send you the bank details "
                "to transfer it. A monthly gift is a standing order you set up with your bank."
            </p>
            <button
                type="submit"
                class="button button-primary"
                aria-disabled=move || pending.get().to_string()
                aria-busy=move || pending.get().to_string()
            >
                {move || if pending.get() { "Sending…" } else { "Pledge my gift" }}
            </button>
        </ActionForm>
    }
}

/// Where to send the money, with the reference to quote.
#[component]
pub fn PledgeInstructions(receipt: PledgeReceipt, #[prop(optional)] focus: bool) -> impl IntoView {
    let heading = NodeRef::<html::H2>::new();
    if focus {
        Effect::new(move |_| {
            if let Some(heading) = heading.get() {
                _ = heading.focus();
            }
        });
    }
    let PledgeReceipt {
        reference,
        amount,
        frequency,
        status,
        bank,
    } = receipt;
    let what = match frequency {
        Frequency::Once => format!("{} once", amount.display()),
        Frequency::Monthly => format!("{} every month", amount.display()),
    };
    let standing = match status {
        PledgeStatus::Pledged => None,
        PledgeStatus::Received => Some("We have received this gift. Thank you."),
        PledgeStatus::Cancelled => Some("This pledge was cancelled."),
    };
    view! {
        <section class="pledge-instructions" aria-labelledby="pledge-instructions-title">
            <h2 id="pledge-instructions-title" tabindex="-1" node_ref=heading>"Thank you for your pledge"</h2>
            {standing.map(|text| view! { <p class="notice">{text}</p> })}
            {(status == PledgeStatus::Pledged).then(|| view! {
                <p>
                    "You pledged " <strong>{what.clone()}</strong> ". Please transfer it to the "
                    "account below, quoting your reference, so we can match it to your pledge. "
                    "We have sent these details to your email address too."
                </p>
            })}
            <dl class="bank-details">
                <dt>"Reference"</dt>
                <dd class="reference">{reference}</dd>
                <dt>"Amount"</dt>
                <dd>{what}</dd>
                {bank.map(|bank| view! {
                    <dt>"Account holder"</dt>
                    <dd>{bank.holder}</dd>
                    <dt>"IBAN"</dt>
                    <dd class="iban">{bank.iban}</dd>
                })}
            </dl>
            {(status == PledgeStatus::Pledged && frequency == Frequency::Monthly).then(|| view! {
                <p>"For a monthly gift, set up a standing order with your bank with the same reference."</p>
            })}
        </section>
    }
}
