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
        money::Currency,
        pledge::{
            DonationSettings, Frequency, PledgeError, PledgeForm, PledgeReceipt, PledgeStatus,
            MAX_MESSAGE, PRESETS,
        },
        MAX_EMAIL, MAX_NAME,
    },
};
use leptos::prelude::*;

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
    // With one currency the buttons say "€25"; with several, the currency is chosen apart.
    let symbol = match currencies.as_slice() {
        [only] => only.symbol,
        _ => "",
    };
    let amounts = presets
        .iter()
        .map(|preset| RadioOption::new(preset.to_string(), format!("{symbol}{preset}")))
        .chain([RadioOption::new("other", "Other amount")])
        .collect::<Vec<_>>();
    let currency = if currencies.len() > 1 {
        let options = currencies
            .iter()
            .map(|currency| (currency.code.to_owned(), currency.code.to_owned()))
            .collect::<Vec<_>>();
        view! {
            <SelectField name="currency" label="Currency" options selected=initial.currency.clone() />
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
                    legend="Amount"
                    options=amounts
                    checked=chosen_amount
                    class="amount-choice"
                    options_class="amount-options"
                >
                    // Shown by CSS while "Other amount" is chosen, so it works without JavaScript.
                    <div class="other-amount">
                        <TextField
                            name="other_amount"
                            label="Your amount"
                            hint="For example 30 or 30.50."
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
                    legend="How often"
                    options=vec![
                        RadioOption::new(Frequency::Once.as_str(), "Once"),
                        RadioOption::new(Frequency::Monthly.as_str(), "Every month"),
                    ]
                    checked=frequency.as_str().to_owned()
                    options_class="frequency-options"
                />
            </div>
            {currency}
            <TextField name="full_name" label="Full name" autocomplete="name" max=MAX_NAME value=initial.full_name.clone() />
            <TextField
                name="email"
                label="Email address"
                hint="We send you the bank details and your reference."
                input_type="email"
                autocomplete="email"
                max=MAX_EMAIL
                value=initial.email.clone()
            />
            <TextArea name="message" label="Message to us (optional)" rows=3 max=MAX_MESSAGE value=initial.message.clone() />
            <Checkbox name="tax_certificate" label="I want a tax certificate (Spain)" checked=initial.tax_certificate.is_some() />
            // Shown by CSS while the certificate is asked for.
            <div class="tax-fields">
                <TextField
                    name="tax_id"
                    label="NIF or NIE"
                    hint="As on your document, for example 12345678Z."
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
            <Honeypot />
            <p class="hint">
                "Nothing is charged here: you pledge a gift, and we send you the bank details "
                "to transfer it. A monthly gift is a standing order you set up with your bank."
            </p>
            <SubmitButton label="Pledge my gift" pending_label="Sending…" />
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
            <ResultHeading id="pledge-instructions-title">"Thank you for your pledge"</ResultHeading>
            {standing.map(|text| view! { <p class="notice">{text}</p> })}
            {(status == PledgeStatus::Pledged).then(|| view! {
                <p>
                    "You pledged " <strong>{what.clone()}</strong> ". Please transfer it to the "
                    "account below, quoting your reference, so we can match it to your pledge. "
                    "We have sent these details to your email address too."
                </p>
            })}
            <div class="transfer">
                <dl class="bank-details">
                    <dt>"Reference"</dt>
                    <dd class="reference"><CopyableValue value=reference what="reference".to_owned() /></dd>
                    <dt>"Amount"</dt>
                    <dd>{what}</dd>
                    {bank.map(|bank| view! {
                        <dt>"Account holder"</dt>
                        <dd>{bank.holder}</dd>
                        <dt>"IBAN"</dt>
                        <dd class="iban"><CopyableValue value=bank.iban what="IBAN".to_owned() /></dd>
                    })}
                </dl>
                {transfer_code.map(|svg| view! {
                    <figure class="transfer-code">
                        <div class="transfer-code-image" role="img" aria-label="QR code of this transfer" inner_html=svg></div>
                        <figcaption>"Paying from a banking app? Scan this code: it fills in the account, the amount and your reference."</figcaption>
                    </figure>
                })}
            </div>
            {(status == PledgeStatus::Pledged && frequency == Frequency::Monthly).then(|| view! {
                <p>"For a monthly gift, set up a standing order with your bank with the same reference."</p>
            })}
        </section>
    }
}
