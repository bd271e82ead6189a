//! The in-page pledge form, in every donation prompt and on `/donate`, and the bank-transfer
//! instructions that follow it. Built from the form kit (`components::form`), which makes it
//! work with and without JavaScript.

use crate::{
    api::pledges::PledgeDonation,
    components::{
        copy_button::CopyableValue,
        form::{
            Checkbox, ErrorSummary, Honeypot, PostedForm, RadioGroup, RadioOption, ResultHeading,
            SelectField, SubmitButton, TextArea, TextField,
        },
        site_context::{provide_donation_settings, use_donation_settings},
    },
    domain::{
        money::{Currency, Money},
        pledge::{
            DonationSettings, Frequency, PledgeError, PledgeForm, PledgeReceipt, PledgeStatus,
            MAX_MESSAGE, PRESETS,
        },
        MAX_EMAIL, MAX_NAME,
    },
    locale::{code, money, number, use_locale},
};
use leptos::prelude::*;
use leptos_i18n::td_string;

/// The pledge form. Rendered by the server only: the page's script sends it and swaps in the
/// answer (the transfer instructions, or the form again with its messages), as the browser
/// itself does without JavaScript, so no code of it goes to the browser.
#[component]
pub fn DonationForm() -> impl IntoView {
    provide_donation_settings();
    let settings = use_donation_settings();
    let form = PostedForm::<PledgeDonation, PledgeError, PledgeForm>::new(
        "pledge",
        &["idempotency_key"],
        settings.clone(),
    );
    let PostedForm {
        action, initial, ..
    } = form;
    view! { <PledgeFields action initial settings /> }
}

#[component]
fn PledgeFields(
    action: ServerAction<PledgeDonation>,
    initial: PledgeForm,
    settings: DonationSettings,
) -> impl IntoView {
    let locale = use_locale();
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
    let frequency = if initial.frequency == Frequency::Monthly.as_str() {
        Frequency::Monthly
    } else {
        Frequency::Once
    };
    let currencies: Vec<&'static Currency> = settings.offered().collect();
    // With one currency the buttons say "€25" ("25 €" in Spanish); with several, the currency
    // is chosen apart.
    let only = match currencies.as_slice() {
        [only] => Some(*only),
        _ => None,
    };
    let amounts = presets
        .iter()
        .map(|&preset| {
            let label = match only {
                Some(currency) => money(
                    locale,
                    &Money {
                        minor: preset.saturating_mul(currency.scale()),
                        currency,
                    },
                ),
                None => number(locale, preset),
            };
            RadioOption::new(preset.to_string(), label)
        })
        .chain([RadioOption::new(
            "other",
            td_string!(locale, forms.pledge.other_amount),
        )])
        .collect::<Vec<_>>();
    let currency = if currencies.len() > 1 {
        let options = currencies
            .iter()
            .map(|currency| (currency.code.to_owned(), currency.code.to_owned()))
            .collect::<Vec<_>>();
        view! {
            <SelectField
                name="currency"
                label=td_string!(locale, forms.pledge.currency)
                options
                selected=initial.currency.clone()
            />
        }
        .into_any()
    } else {
        let code = currencies.first().map_or("EUR", |currency| currency.code);
        view! { <input type="hidden" name="form[currency]" value=code /> }.into_any()
    };

    view! {
        <ActionForm action attr:class="donation-form" attr:novalidate=true>
            <ErrorSummary />
            // Side by side where the form is wide enough (a container query in the CSS).
            <div class="gift-choice">
                <RadioGroup
                    name="amount"
                    legend=td_string!(locale, forms.pledge.amount)
                    options=amounts
                    checked=chosen_amount
                    class="amount-choice"
                    options_class="amount-options"
                >
                    // Shown by CSS while "Other amount" is chosen, so it works without JavaScript.
                    <div class="other-amount">
                        <TextField
                            name="other_amount"
                            label=td_string!(locale, forms.pledge.your_amount)
                            hint=td_string!(locale, forms.pledge.your_amount_hint)
                            autocomplete="transaction-amount"
                            inputmode="decimal"
                            max=20
                            value=initial.other_amount.clone()
                            required=false
                        />
                    </div>
                </RadioGroup>
                <RadioGroup
                    name="frequency"
                    legend=td_string!(locale, forms.pledge.frequency)
                    options=vec![
                        RadioOption::new(
                            Frequency::Once.as_str(),
                            td_string!(locale, forms.pledge.once),
                        ),
                        RadioOption::new(
                            Frequency::Monthly.as_str(),
                            td_string!(locale, forms.pledge.monthly),
                        ),
                    ]
                    checked=frequency.as_str().to_owned()
                    options_class="frequency-options"
                />
            </div>
            {currency}
            <TextField
                name="full_name"
                label=td_string!(locale, forms.field.full_name)
                autocomplete="name"
                max=MAX_NAME
                value=initial.full_name.clone()
            />
            <TextField
                name="email"
                label=td_string!(locale, forms.field.email)
                hint=td_string!(locale, forms.pledge.email_hint)
                input_type="email"
                autocomplete="email"
                max=MAX_EMAIL
                value=initial.email.clone()
            />
            <TextArea
                name="message"
                label=td_string!(locale, forms.pledge.message)
                rows=3
                max=MAX_MESSAGE
                value=initial.message.clone()
            />
            <Checkbox
                name="tax_certificate"
                label=td_string!(locale, forms.pledge.tax_certificate)
                checked=initial.tax_certificate.is_some()
            />
            // Shown by CSS while the certificate is asked for.
            <div class="tax-fields">
                <TextField
                    name="tax_id"
                    label=td_string!(locale, forms.pledge.tax_id)
                    hint=td_string!(locale, forms.pledge.tax_id_hint)
                    autocomplete="off"
                    max=16
                    value=initial.tax_id.clone()
                    required=false
                />
            </div>
            // Filled by the page's script when it sends the form: a key for this showing of
            // it, so that sending it twice is one pledge. The page is the same bytes for every
            // visitor, so it cannot carry one; without JavaScript the server tells a repeat
            // by its content.
            <input type="hidden" name="form[idempotency_key]" value="" />
            <input type="hidden" name="form[lang]" value=code(locale) />
            <Honeypot />
            <p class="hint">{td_string!(locale, forms.pledge.nothing_charged)}</p>
            <SubmitButton
                label=td_string!(locale, forms.pledge.submit)
                pending_label=td_string!(locale, forms.pledge.pending)
            />
        </ActionForm>
    }
}

/// Where to send the money, with the reference to quote: each value to type on one line with
/// a copy button, and the code a banking app scans to fill the whole transfer in.
#[component]
pub fn PledgeInstructions(receipt: PledgeReceipt) -> impl IntoView {
    let PledgeReceipt {
        reference,
        amount,
        frequency,
        status,
        bank,
        transfer_code,
    } = receipt;
    let locale = use_locale();
    let amount = money(locale, &amount);
    let what = match frequency {
        Frequency::Once => td_string!(locale, forms.receipt.once, amount),
        Frequency::Monthly => td_string!(locale, forms.receipt.monthly, amount),
    };
    let standing = match status {
        PledgeStatus::Pledged => None,
        PledgeStatus::Received => Some(td_string!(locale, forms.receipt.received)),
        PledgeStatus::Cancelled => Some(td_string!(locale, forms.receipt.cancelled)),
    };
    view! {
        <section class="pledge-instructions" aria-labelledby="pledge-instructions-title">
            <ResultHeading id="pledge-instructions-title">
                {td_string!(locale, forms.receipt.title)}
            </ResultHeading>
            {standing.map(|text| view! { <p class="notice">{text}</p> })}
            {(status == PledgeStatus::Pledged).then(|| view! {
                <p>
                    {td_string!(locale, forms.receipt.pledged_before)}
                    <strong>{what.clone()}</strong>
                    {td_string!(locale, forms.receipt.pledged_after)}
                </p>
            })}
            <div class="transfer">
                <dl class="bank-details">
                    <dt>{td_string!(locale, forms.receipt.reference)}</dt>
                    <dd class="reference">
                        <CopyableValue
                            value=reference
                            what=td_string!(locale, forms.receipt.copy_reference).to_owned()
                            locale
                        />
                    </dd>
                    <dt>{td_string!(locale, forms.receipt.amount)}</dt>
                    <dd>{what}</dd>
                    {bank.map(|bank| view! {
                        <dt>{td_string!(locale, forms.receipt.holder)}</dt>
                        <dd>{bank.holder}</dd>
                        <dt>{td_string!(locale, forms.receipt.iban)}</dt>
                        <dd class="iban">
                            <CopyableValue
                                value=bank.iban
                                what=td_string!(locale, forms.receipt.copy_iban).to_owned()
                                locale
                            />
                        </dd>
                    })}
                </dl>
                {transfer_code.map(|svg| view! {
                    <figure class="transfer-code">
                        <div
                            class="transfer-code-image"
                            role="img"
                            aria-label=td_string!(locale, forms.receipt.code_label)
                            inner_html=svg
                        ></div>
                        <figcaption>{td_string!(locale, forms.receipt.code_caption)}</figcaption>
                    </figure>
                })}
            </div>
            {(status == PledgeStatus::Pledged && frequency == Frequency::Monthly).then(|| view! {
                <p>{td_string!(locale, forms.receipt.standing_order)}</p>
            })}
        </section>
    }
}
