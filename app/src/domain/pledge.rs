//! Pledging a donation: the form as sent, the settings it is checked against, and the pledge
//! it must parse into.

use super::{
    email::{EmailAddress, MAX_EMAIL},
    money::{parse_amount, AmountError, Currency, Money},
    text::{is_invisible, Line},
    FieldError,
};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// The amounts offered as buttons, in major units.
pub const PRESETS: [u64; 4] = [10, 25, 50, 100];

pub const MAX_NAME: usize = 100;
pub const MAX_MESSAGE: usize = 1000;

pub const DONOR_NAME: Line = Line::new("full_name", "your full name", MAX_NAME);

/// What pledges are checked against; from the server's configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationSettings {
    /// ISO codes, the first being the default.
    pub currencies: Vec<String>,
    /// Smallest and largest pledge, in major units of any currency.
    pub min_major: u64,
    pub max_major: u64,
}

impl Default for DonationSettings {
    fn default() -> Self {
        Self {
            currencies: vec!["EUR".to_owned()],
            min_major: 1,
            max_major: 10_000,
        }
    }
}

impl DonationSettings {
    pub fn offered(&self) -> impl Iterator<Item = &'static Currency> + '_ {
        self.currencies
            .iter()
            .filter_map(|code| Currency::find(code))
    }

    fn default_currency(&self) -> Option<&'static Currency> {
        self.offered().next()
    }
}

/// How often the donor gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Frequency {
    Once,
    Monthly,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Once => "once",
            Self::Monthly => "monthly",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "once" => Some(Self::Once),
            "monthly" => Some(Self::Monthly),
            _ => None,
        }
    }
}

/// The pledge form exactly as a browser sends it (`pledge[amount]=25`). Every field defaults
/// to empty, so a missing field becomes a message rather than an unreadable request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PledgeForm {
    /// One of [`PRESETS`] (major units), or `other`.
    pub amount: String,
    /// The amount typed when `amount` is `other`.
    pub other_amount: String,
    pub frequency: String,
    pub currency: String,
    pub full_name: String,
    pub email: String,
    pub message: String,
    /// Present when the donor asks for a tax certificate.
    pub tax_certificate: Option<String>,
    /// Spanish NIF or NIE, required with a tax certificate.
    pub tax_id: String,
    /// The honeypot, under a name no browser autofills.
    pub leave_empty: String,
    /// Made when the form was shown: the same form sent twice is one pledge.
    pub idempotency_key: String,
}

/// A Spanish tax number: NIF (`12345678Z`) or NIE (`X1234567L`), its check letter verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxId(String);

const TAX_ID_FORMAT: &str = "Enter your NIF or NIE as on your document, for example 12345678Z.";
const TAX_ID_LETTER: &str =
    "The letter of this NIF or NIE does not match its number. Check it and try again.";
const TAX_ID_MISSING: &str = "Enter your NIF or NIE: a tax certificate needs it.";

impl TaxId {
    /// # Errors
    /// A message for the `tax_id` field.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
        let value: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let format = || FieldError::new("tax_id", TAX_ID_FORMAT);
        let bytes = value.as_bytes();
        if bytes.len() != 9 || !bytes[8].is_ascii_uppercase() {
            return Err(format());
        }
        // An NIE's first letter stands for a leading digit: X 0, Y 1, Z 2.
        let digits = match bytes[0] {
            b'X' => format!("0{}", &value[1..8]),
            b'Y' => format!("1{}", &value[1..8]),
            b'Z' => format!("2{}", &value[1..8]),
            _ => value[..8].to_owned(),
        };
        let number: usize = digits
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| digits.parse().ok())
            .flatten()
            .ok_or_else(format)?;
        if LETTERS[number % 23] != bytes[8] {
            return Err(FieldError::new("tax_id", TAX_ID_LETTER));
        }
        Ok(Self(value))
    }
}

impl AsRef<str> for TaxId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The key that makes a resubmitted form the same pledge: a UUID, as the page makes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(raw: &str) -> Option<Self> {
        let value = raw.trim().to_ascii_lowercase();
        let well_formed = value.len() == 36
            && value.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit(),
            });
        well_formed.then_some(Self(value))
    }
}

impl AsRef<str> for IdempotencyKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A pledge that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pledge {
    pub amount: Money,
    pub frequency: Frequency,
    pub donor_name: String,
    pub email: EmailAddress,
    pub message: Option<String>,
    pub tax_id: Option<TaxId>,
    pub idempotency_key: IdempotencyKey,
}

/// What the form turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PledgeSubmission {
    Pledge(Pledge),
    /// The honeypot was filled: thanked like a pledge, stored nowhere.
    Bot,
}

const AMOUNT_MISSING: &str = "Choose an amount, or choose “Other amount” and enter one.";
const AMOUNT_NOT_A_NUMBER: &str = "Enter the amount as a number, for example 30 or 30.50.";
const AMOUNT_NEGATIVE: &str = "Enter an amount above zero.";
const AMOUNT_DECIMALS: &str = "Enter the amount with at most two decimals, for example 30.50.";
const FREQUENCY_MISSING: &str = "Choose whether you give once or every month.";
const CURRENCY_UNKNOWN: &str = "Choose a currency from the list.";
const MESSAGE_ODD: &str = "Remove the special characters from your message.";
const FORM_OUTDATED: &str = "This form was out of date. Please check it and send it again.";

/// The message for a form whose key has been used for another pledge (a stale or shared
/// copy of the page): sending it again from a fresh page works.
pub fn outdated_form() -> FieldError {
    FieldError::new("idempotency_key", FORM_OUTDATED)
}

fn amount_too_small(settings: &DonationSettings) -> String {
    format!("Enter an amount of at least {}.", settings.min_major)
}

fn amount_too_large(settings: &DonationSettings) -> String {
    format!(
        "Enter an amount of at most {}. For a larger gift, please write to us.",
        super::signup::group_thousands(settings.max_major)
    )
}

fn message_too_long() -> String {
    format!("Keep your message to {MAX_MESSAGE} characters or fewer.")
}

/// Whether `error` is one this form can give (see [`crate::domain::signup::is_signup_error`]).
pub fn is_pledge_error(error: &FieldError, settings: &DonationSettings) -> bool {
    let message = error.message.as_str();
    match error.field.as_str() {
        "amount" | "other_amount" => {
            [
                AMOUNT_MISSING,
                AMOUNT_NOT_A_NUMBER,
                AMOUNT_NEGATIVE,
                AMOUNT_DECIMALS,
            ]
            .contains(&message)
                || message == amount_too_small(settings)
                || message == amount_too_large(settings)
        }
        "frequency" => message == FREQUENCY_MISSING,
        "currency" => message == CURRENCY_UNKNOWN,
        "email" => EmailAddress::gave(error),
        "message" => message == MESSAGE_ODD || message == message_too_long(),
        "tax_id" => [TAX_ID_FORMAT, TAX_ID_LETTER, TAX_ID_MISSING].contains(&message),
        "idempotency_key" => message == FORM_OUTDATED,
        _ => DONOR_NAME.gave(error),
    }
}

fn keep<T>(errors: &mut Vec<FieldError>, result: Result<T, FieldError>) -> Option<T> {
    result.map_err(|error| errors.push(error)).ok()
}

impl PledgeForm {
    /// What may be shown back with the errors: the honeypot and the tax number emptied,
    /// values cut short.
    pub fn for_echo(self) -> Self {
        let cut = |value: String, max: usize| value.chars().take(max).collect::<String>();
        Self {
            amount: cut(self.amount, 8),
            other_amount: cut(self.other_amount, 20),
            frequency: cut(self.frequency, 8),
            currency: cut(self.currency, 3),
            full_name: cut(self.full_name, MAX_NAME),
            email: cut(self.email, MAX_EMAIL),
            // Kept short: the values travel in an address, which should not carry a letter.
            message: cut(self.message, 300),
            tax_certificate: self.tax_certificate.map(|_| "on".to_owned()),
            // A tax number is not put in an address at all; it is typed again.
            tax_id: String::new(),
            leave_empty: String::new(),
            idempotency_key: cut(self.idempotency_key, 36),
        }
    }

    /// Checks every field at once against `settings`.
    ///
    /// # Errors
    /// One [`FieldError`] per wrong field, in the order the fields appear on the page.
    pub fn parse(&self, settings: &DonationSettings) -> Result<PledgeSubmission, Vec<FieldError>> {
        if !self.leave_empty.trim().is_empty() {
            return Ok(PledgeSubmission::Bot);
        }
        let mut errors = Vec::new();
        let currency = keep(
            &mut errors,
            match self.currency.trim() {
                "" => settings.default_currency(),
                code => settings.offered().find(|currency| currency.code == code),
            }
            .ok_or_else(|| FieldError::new("currency", CURRENCY_UNKNOWN)),
        );
        let amount =
            currency.and_then(|currency| keep(&mut errors, self.amount(currency, settings)));
        let frequency = keep(
            &mut errors,
            Frequency::parse(&self.frequency)
                .ok_or_else(|| FieldError::new("frequency", FREQUENCY_MISSING)),
        );
        let donor_name = keep(&mut errors, DONOR_NAME.parse(&self.full_name));
        let email = keep(&mut errors, EmailAddress::parse(&self.email));
        let message = keep(&mut errors, message(&self.message));
        let tax_id = match (&self.tax_certificate, self.tax_id.trim()) {
            (None, _) => Some(None),
            (Some(_), "") => keep(&mut errors, Err(FieldError::new("tax_id", TAX_ID_MISSING))),
            (Some(_), raw) => keep(&mut errors, TaxId::parse(raw).map(Some)),
        };
        let idempotency_key = keep(
            &mut errors,
            IdempotencyKey::parse(&self.idempotency_key)
                .ok_or_else(|| FieldError::new("idempotency_key", FORM_OUTDATED)),
        );
        match (
            amount,
            frequency,
            donor_name,
            email,
            message,
            tax_id,
            idempotency_key,
        ) {
            (
                Some(amount),
                Some(frequency),
                Some(donor_name),
                Some(email),
                Some(message),
                Some(tax_id),
                Some(idempotency_key),
            ) if errors.is_empty() => Ok(PledgeSubmission::Pledge(Pledge {
                amount,
                frequency,
                donor_name,
                email,
                message,
                tax_id,
                idempotency_key,
            })),
            _ => Err(errors),
        }
    }

    fn amount(
        &self,
        currency: &'static Currency,
        settings: &DonationSettings,
    ) -> Result<Money, FieldError> {
        let (field, minor) = match self.amount.trim() {
            "other" => ("other_amount", parse_amount(&self.other_amount, currency)),
            "" => return Err(FieldError::new("amount", AMOUNT_MISSING)),
            preset => (
                "amount",
                preset
                    .parse::<u64>()
                    .ok()
                    .filter(|major| PRESETS.contains(major))
                    .map(|major| major * currency.scale())
                    .ok_or(AmountError::NotANumber),
            ),
        };
        let minor = minor.map_err(|error| {
            let message = match error {
                AmountError::Missing => AMOUNT_MISSING.to_owned(),
                AmountError::NotANumber => AMOUNT_NOT_A_NUMBER.to_owned(),
                AmountError::Negative => AMOUNT_NEGATIVE.to_owned(),
                AmountError::TooManyDecimals => AMOUNT_DECIMALS.to_owned(),
                AmountError::TooLarge => amount_too_large(settings),
            };
            FieldError::new(field, message)
        })?;
        if minor == 0 {
            return Err(FieldError::new(field, AMOUNT_NEGATIVE));
        }
        if minor < settings.min_major.saturating_mul(currency.scale()) {
            return Err(FieldError::new(field, amount_too_small(settings)));
        }
        if minor > settings.max_major.saturating_mul(currency.scale()) {
            return Err(FieldError::new(field, amount_too_large(settings)));
        }
        Ok(Money { minor, currency })
    }
}

/// An optional message to the organisation: several lines allowed, nothing invisible.
fn message(raw: &str) -> Result<Option<String>, FieldError> {
    let value: String = raw.replace("\r\n", "\n").trim().nfc().collect();
    if value.is_empty() {
        return Ok(None);
    }
    if value
        .chars()
        .any(|c| c != '\n' && c != '\t' && is_invisible(c))
    {
        return Err(FieldError::new("message", MESSAGE_ODD));
    }
    if value.chars().count() > MAX_MESSAGE {
        return Err(FieldError::new("message", message_too_long()));
    }
    Ok(Some(value))
}

/// Where a pledged gift is to be sent, and what it is: what the donor is shown and mailed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PledgeReceipt {
    pub reference: String,
    pub amount: Money,
    pub frequency: Frequency,
    pub status: PledgeStatus,
    /// Where to transfer it; only while it is still to be paid.
    pub bank: Option<BankDetails>,
}

/// What the page of a pledge's reference shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PledgeView {
    /// To the browser that made the pledge: its receipt, with where to send the money.
    Own(PledgeReceipt),
    /// To anyone else: that a pledge with this reference exists, and nothing more (amount,
    /// frequency and status are the donor's).
    Exists { reference: String },
}

/// The bank account transfers go to (from configuration).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankDetails {
    pub holder: String,
    pub iban: String,
}

/// Where a pledge stands. Money reaching the organisation by any route (bank transfer today,
/// a payment provider later) moves it to `Received`; nothing else about a pledge depends on
/// the route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PledgeStatus {
    Pledged,
    Received,
    Cancelled,
}

impl PledgeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pledged => "pledged",
            Self::Received => "received",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "pledged" => Some(Self::Pledged),
            "received" => Some(Self::Received),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }
}

/// Money received so far, per currency.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationTotals {
    pub received: Vec<Money>,
    /// Received pledges, whatever their currency.
    pub gifts: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0b6e6c1c-3c36-4d0e-9a43-2f3f7d1f5e10";

    fn settings() -> DonationSettings {
        DonationSettings::default()
    }

    fn valid_form() -> PledgeForm {
        PledgeForm {
            amount: "25".into(),
            frequency: "once".into(),
            full_name: "Ana Pérez".into(),
            email: "ana@example.org".into(),
            idempotency_key: KEY.into(),
            ..PledgeForm::default()
        }
    }

    fn pledge(form: &PledgeForm) -> Pledge {
        match form.parse(&settings()) {
            Ok(PledgeSubmission::Pledge(pledge)) => pledge,
            other => panic!("expected a pledge, got {other:?}"),
        }
    }

    fn fields(form: &PledgeForm) -> Vec<String> {
        match form.parse(&settings()) {
            Err(errors) => errors.into_iter().map(|error| error.field).collect(),
            other => panic!("expected errors, got {other:?}"),
        }
    }

    #[test]
    fn a_preset_once_in_euros_by_default() {
        let pledge = pledge(&valid_form());
        assert_eq!(pledge.amount.minor, 2500);
        assert_eq!(pledge.amount.currency.code, "EUR");
        assert_eq!(pledge.frequency, Frequency::Once);
        assert_eq!(pledge.tax_id, None);
        assert_eq!(pledge.message, None);
    }

    #[test]
    fn another_amount_monthly_with_a_certificate() {
        let pledge = pledge(&PledgeForm {
            amount: "other".into(),
            other_amount: "12,50".into(),
            frequency: "monthly".into(),
            tax_certificate: Some("on".into()),
            tax_id: "x-1234567-l".into(),
            message: "Keep going!\r\nAna".into(),
            ..valid_form()
        });
        assert_eq!(pledge.amount.minor, 1250);
        assert_eq!(pledge.frequency, Frequency::Monthly);
        assert_eq!(pledge.tax_id.as_ref().map(AsRef::as_ref), Some("X1234567L"));
        assert_eq!(pledge.message.as_deref(), Some("Keep going!\nAna"));
    }

    #[test]
    fn nif_and_nie_check_letters() {
        for good in [
            "12345678Z",
            "00000000T",
            "Y1234567X",
            "Z1234567R",
            "12.345.678-z",
        ] {
            assert!(TaxId::parse(good).is_ok(), "{good}");
        }
        let message = |raw: &str| TaxId::parse(raw).err().map(|error| error.message);
        assert_eq!(message("12345678A").as_deref(), Some(TAX_ID_LETTER));
        assert_eq!(message("X1234567A").as_deref(), Some(TAX_ID_LETTER));
        for malformed in [
            "",
            "1234567Z",
            "123456789",
            "A1234567Z",
            "12345678Ñ",
            "1234567ZZ",
        ] {
            assert_eq!(
                message(malformed).as_deref(),
                Some(TAX_ID_FORMAT),
                "{malformed}"
            );
        }
    }

    #[test]
    fn bad_values_get_a_message_for_their_field() {
        let other = |amount: &str| PledgeForm {
            amount: "other".into(),
            other_amount: amount.into(),
            ..valid_form()
        };
        let cases: Vec<(&str, PledgeForm)> = vec![
            (
                "amount",
                PledgeForm {
                    amount: String::new(),
                    ..valid_form()
                },
            ),
            (
                "amount",
                PledgeForm {
                    amount: "30".into(),
                    ..valid_form()
                },
            ),
            ("other_amount", other("")),
            ("other_amount", other("-5")),
            ("other_amount", other("0")),
            ("other_amount", other("0.50")),
            ("other_amount", other("10001")),
            ("other_amount", other("ten")),
            ("other_amount", other("10.555")),
            (
                "currency",
                PledgeForm {
                    currency: "XXX".into(),
                    ..valid_form()
                },
            ),
            (
                "currency",
                PledgeForm {
                    currency: "USD".into(),
                    ..valid_form()
                },
            ),
            (
                "frequency",
                PledgeForm {
                    frequency: String::new(),
                    ..valid_form()
                },
            ),
            (
                "frequency",
                PledgeForm {
                    frequency: "weekly".into(),
                    ..valid_form()
                },
            ),
            (
                "full_name",
                PledgeForm {
                    full_name: "Ana\r\nBcc: x@y.z".into(),
                    ..valid_form()
                },
            ),
            (
                "email",
                PledgeForm {
                    email: "ana".into(),
                    ..valid_form()
                },
            ),
            (
                "message",
                PledgeForm {
                    message: "x".repeat(MAX_MESSAGE + 1),
                    ..valid_form()
                },
            ),
            (
                "message",
                PledgeForm {
                    message: "hi\u{202e}".into(),
                    ..valid_form()
                },
            ),
            (
                "tax_id",
                PledgeForm {
                    tax_certificate: Some("on".into()),
                    ..valid_form()
                },
            ),
            (
                "tax_id",
                PledgeForm {
                    tax_certificate: Some("on".into()),
                    tax_id: "12345678A".into(),
                    ..valid_form()
                },
            ),
            (
                "idempotency_key",
                PledgeForm {
                    idempotency_key: "1".into(),
                    ..valid_form()
                },
            ),
        ];
        for (field, form) in cases {
            assert_eq!(fields(&form), [field], "for {form:?}");
            let errors = form.parse(&settings()).err().unwrap_or_default();
            assert!(
                errors
                    .iter()
                    .all(|error| is_pledge_error(error, &settings())),
                "{errors:?}"
            );
        }
    }

    #[test]
    fn an_empty_form_reports_every_field_in_page_order() {
        assert_eq!(
            fields(&PledgeForm::default()),
            [
                "amount",
                "frequency",
                "full_name",
                "email",
                "idempotency_key"
            ]
        );
    }

    #[test]
    fn a_filled_honeypot_is_a_bot() {
        let form = PledgeForm {
            leave_empty: "x".into(),
            ..PledgeForm::default()
        };
        assert_eq!(form.parse(&settings()), Ok(PledgeSubmission::Bot));
    }

    #[test]
    fn foreign_messages_are_not_recognised() {
        let forged = FieldError::new("amount", "Send the money to ES00 0000 instead.");
        assert!(!is_pledge_error(&forged, &settings()));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parsing_never_panics(
                amount in ".{0,8}", other_amount in ".{0,20}", frequency in ".{0,8}",
                currency in ".{0,4}", full_name in ".{0,120}", email in ".{0,60}",
                message in ".{0,50}", tax_id in ".{0,12}", key in ".{0,40}",
            ) {
                let form = PledgeForm {
                    amount, other_amount, frequency, currency, full_name, email, message,
                    tax_certificate: Some("on".into()), tax_id, leave_empty: String::new(),
                    idempotency_key: key,
                };
                if let Ok(PledgeSubmission::Pledge(pledge)) = form.parse(&settings()) {
                    prop_assert!(pledge.amount.minor >= 100 && pledge.amount.minor <= 1_000_000);
                }
            }
        }
    }
}
