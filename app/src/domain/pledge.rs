//! Pledging a donation: the form as sent, the settings it is checked against, and the pledge
//! it must parse into.

use super::{
    email::{EmailAddress, EmailProblem, MAX_EMAIL},
    form::{keep, Choice, FieldCode},
    money::{parse_amount, AmountError, Currency, Money},
    text::{cut, is_invisible, Line, LineProblem, MAX_NAME},
};
use crate::domain::language::{from_code, number, Locale};
use leptos_i18n::td_string;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// The amounts offered as buttons, in major units.
pub const PRESETS: [u64; 4] = [10, 25, 50, 100];

pub const MAX_MESSAGE: usize = 1000;

pub const DONOR_NAME: Line = Line::new(
    |locale| td_string!(locale, forms.line.what.full_name),
    MAX_NAME,
);

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
    /// The language the form was shown in (`en`, `es`), which the mail with the bank
    /// details is written in. Not checked here: an unknown one is English.
    #[serde(default)]
    pub lang: String,
}

/// A Spanish tax number: NIF (`12345678Z`) or NIE (`X1234567L`), its check letter verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxId(String);

/// What can be wrong with a tax number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxIdProblem {
    /// A certificate was asked for without one.
    Missing,
    Format,
    /// The check letter does not match the number: a typing mistake.
    Letter,
}

impl TaxId {
    /// # Errors
    /// What is wrong with `raw`.
    pub fn parse(raw: &str) -> Result<Self, TaxIdProblem> {
        const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
        let value: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let format = || TaxIdProblem::Format;
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
            return Err(TaxIdProblem::Letter);
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
    /// Made by the form's island when it hydrated; a form sent without JavaScript has none,
    /// and the server tells a double submit by its content instead.
    pub idempotency_key: Option<IdempotencyKey>,
    /// The language the form was shown in, which the mail with the bank details is written
    /// in. Not part of what makes two sends the same pledge.
    pub locale: Locale,
}

/// What the form turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PledgeSubmission {
    Pledge(Pledge),
    /// The honeypot was filled: thanked like a pledge, stored nowhere.
    Bot,
}

/// What can be wrong with an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountProblem {
    Missing,
    NotANumber,
    /// Zero or below.
    NotPositive,
    TooManyDecimals,
    /// Below the smallest pledge the site takes ([`DonationSettings::min_major`]).
    TooSmall,
    TooLarge,
}

impl From<AmountError> for AmountProblem {
    fn from(error: AmountError) -> Self {
        match error {
            AmountError::Missing => Self::Missing,
            AmountError::NotANumber => Self::NotANumber,
            AmountError::Negative => Self::NotPositive,
            AmountError::TooManyDecimals => Self::TooManyDecimals,
            AmountError::TooLarge => Self::TooLarge,
        }
    }
}

impl AmountProblem {
    fn message(self, settings: &DonationSettings, locale: Locale) -> String {
        match self {
            Self::Missing => td_string!(locale, forms.pledge.error.amount_missing).to_owned(),
            Self::NotANumber => {
                td_string!(locale, forms.pledge.error.amount_not_a_number).to_owned()
            }
            Self::NotPositive => {
                td_string!(locale, forms.pledge.error.amount_not_positive).to_owned()
            }
            Self::TooManyDecimals => {
                td_string!(locale, forms.pledge.error.amount_too_many_decimals).to_owned()
            }
            Self::TooSmall => {
                let min = number(locale, settings.min_major);
                td_string!(locale, forms.pledge.error.amount_too_small, min)
            }
            Self::TooLarge => {
                let max = number(locale, settings.max_major);
                td_string!(locale, forms.pledge.error.amount_too_large, max)
            }
        }
    }
}

/// What can be wrong with a pledge form, field by field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PledgeError {
    Amount(AmountProblem),
    /// The amount typed after choosing "Other amount".
    OtherAmount(AmountProblem),
    Frequency(Choice),
    Currency(Choice),
    FullName(LineProblem),
    Email(EmailProblem),
    /// The message to us has invisible characters.
    MessageOdd,
    MessageTooLong,
    TaxId(TaxIdProblem),
    /// The form's key is missing, or was used for another pledge (a stale or shared copy of
    /// the page): sending it again from a fresh page works.
    IdempotencyKey,
}

impl FieldCode for PledgeError {
    /// The limits some messages name.
    type Context = DonationSettings;

    fn field(&self) -> &'static str {
        match self {
            Self::Amount(_) => "amount",
            Self::OtherAmount(_) => "other_amount",
            Self::Frequency(_) => "frequency",
            Self::Currency(_) => "currency",
            Self::FullName(_) => "full_name",
            Self::Email(_) => "email",
            Self::MessageOdd | Self::MessageTooLong => "message",
            Self::TaxId(_) => "tax_id",
            Self::IdempotencyKey => "idempotency_key",
        }
    }

    fn message(&self, settings: &DonationSettings, locale: Locale) -> String {
        match *self {
            Self::Amount(problem) | Self::OtherAmount(problem) => problem.message(settings, locale),
            Self::Frequency(_) => td_string!(locale, forms.pledge.error.frequency).to_owned(),
            Self::Currency(_) => td_string!(locale, forms.pledge.error.currency).to_owned(),
            Self::FullName(problem) => DONOR_NAME.message(problem, locale),
            Self::Email(problem) => problem.message(locale),
            Self::MessageOdd => td_string!(locale, forms.pledge.error.message_odd).to_owned(),
            Self::MessageTooLong => {
                td_string!(
                    locale,
                    forms.pledge.error.message_too_long,
                    max = MAX_MESSAGE
                )
            }
            Self::TaxId(TaxIdProblem::Missing) => {
                td_string!(locale, forms.pledge.error.tax_id_missing).to_owned()
            }
            Self::TaxId(TaxIdProblem::Format) => {
                td_string!(locale, forms.pledge.error.tax_id_format).to_owned()
            }
            Self::TaxId(TaxIdProblem::Letter) => {
                td_string!(locale, forms.pledge.error.tax_id_letter).to_owned()
            }
            Self::IdempotencyKey => {
                td_string!(locale, forms.pledge.error.idempotency_key).to_owned()
            }
        }
    }
}

impl PledgeForm {
    /// What may be shown back with the errors: the honeypot and the tax number emptied,
    /// values cut short.
    pub fn for_echo(self) -> Self {
        Self {
            amount: cut(self.amount, 8),
            other_amount: cut(self.other_amount, 20),
            frequency: cut(self.frequency, 8),
            currency: cut(self.currency, 3),
            full_name: cut(self.full_name, MAX_NAME),
            email: cut(self.email, MAX_EMAIL),
            message: cut(self.message, MAX_MESSAGE),
            tax_certificate: self.tax_certificate.map(|_| "on".to_owned()),
            // A tax number is never sent back: it is typed again.
            tax_id: String::new(),
            leave_empty: String::new(),
            idempotency_key: cut(self.idempotency_key, 36),
            lang: cut(self.lang, 8),
        }
    }

    /// Checks every field at once against `settings`.
    ///
    /// # Errors
    /// One code per wrong field, in the order the fields appear on the page.
    pub fn parse(&self, settings: &DonationSettings) -> Result<PledgeSubmission, Vec<PledgeError>> {
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
            .ok_or(PledgeError::Currency(Choice::Unknown)),
        );
        let amount =
            currency.and_then(|currency| keep(&mut errors, self.amount(currency, settings)));
        let frequency = keep(
            &mut errors,
            Frequency::parse(&self.frequency).ok_or(PledgeError::Frequency(Choice::Missing)),
        );
        let donor_name = keep(
            &mut errors,
            DONOR_NAME
                .parse(&self.full_name)
                .map_err(PledgeError::FullName),
        );
        let email = keep(
            &mut errors,
            EmailAddress::parse(&self.email).map_err(PledgeError::Email),
        );
        let message = keep(&mut errors, message(&self.message));
        let tax_id = match (&self.tax_certificate, self.tax_id.trim()) {
            (None, _) => Some(None),
            (Some(_), "") => keep(&mut errors, Err(PledgeError::TaxId(TaxIdProblem::Missing))),
            (Some(_), raw) => keep(
                &mut errors,
                TaxId::parse(raw).map(Some).map_err(PledgeError::TaxId),
            ),
        };
        let idempotency_key = match self.idempotency_key.trim() {
            "" => Some(None),
            key => keep(
                &mut errors,
                IdempotencyKey::parse(key)
                    .map(Some)
                    .ok_or(PledgeError::IdempotencyKey),
            ),
        };
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
                locale: from_code(self.lang.trim()).unwrap_or(Locale::en_GB),
            })),
            _ => Err(errors),
        }
    }

    fn amount(
        &self,
        currency: &'static Currency,
        settings: &DonationSettings,
    ) -> Result<Money, PledgeError> {
        let (field, minor): (fn(AmountProblem) -> PledgeError, _) = match self.amount.trim() {
            "other" => (
                PledgeError::OtherAmount,
                parse_amount(&self.other_amount, currency),
            ),
            "" => return Err(PledgeError::Amount(AmountProblem::Missing)),
            preset => (
                PledgeError::Amount,
                preset
                    .parse::<u64>()
                    .ok()
                    .filter(|major| PRESETS.contains(major))
                    .map(|major| major * currency.scale())
                    .ok_or(AmountError::NotANumber),
            ),
        };
        let minor = minor.map_err(|error| field(error.into()))?;
        if minor == 0 {
            return Err(field(AmountProblem::NotPositive));
        }
        if minor < settings.min_major.saturating_mul(currency.scale()) {
            return Err(field(AmountProblem::TooSmall));
        }
        if minor > settings.max_major.saturating_mul(currency.scale()) {
            return Err(field(AmountProblem::TooLarge));
        }
        Ok(Money { minor, currency })
    }
}

/// An optional message to the organisation: several lines allowed, nothing invisible.
fn message(raw: &str) -> Result<Option<String>, PledgeError> {
    let value: String = raw.replace("\r\n", "\n").trim().nfc().collect();
    if value.is_empty() {
        return Ok(None);
    }
    if value
        .chars()
        .any(|c| c != '\n' && c != '\t' && is_invisible(c))
    {
        return Err(PledgeError::MessageOdd);
    }
    if value.chars().count() > MAX_MESSAGE {
        return Err(PledgeError::MessageTooLong);
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
    /// The same transfer as a QR code for banking apps (SVG markup made by the server from
    /// checked values); `None` when it cannot be made, e.g. for the placeholder account.
    pub transfer_code: Option<String>,
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
            Err(errors) => errors
                .iter()
                .map(|error| error.field().to_owned())
                .collect(),
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
        let problem = |raw: &str| TaxId::parse(raw).err();
        assert_eq!(problem("12345678A"), Some(TaxIdProblem::Letter));
        assert_eq!(problem("X1234567A"), Some(TaxIdProblem::Letter));
        for malformed in [
            "",
            "1234567Z",
            "123456789",
            "A1234567Z",
            "12345678Ñ",
            "1234567ZZ",
        ] {
            assert_eq!(
                problem(malformed),
                Some(TaxIdProblem::Format),
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
                errors.iter().all(|error| {
                    crate::domain::language::LOCALES.into_iter().all(|locale| {
                        let message = error.message(&settings(), locale);
                        message.ends_with('.')
                            && message.chars().next().is_some_and(char::is_uppercase)
                    })
                }),
                "{errors:?}"
            );
        }
    }

    #[test]
    fn an_empty_form_reports_every_field_in_page_order() {
        assert_eq!(
            fields(&PledgeForm::default()),
            ["amount", "frequency", "full_name", "email",]
        );
    }

    #[test]
    fn a_form_without_a_key_is_a_pledge_without_one() {
        let form = PledgeForm {
            idempotency_key: String::new(),
            ..valid_form()
        };
        assert_eq!(pledge(&form).idempotency_key, None);
        assert!(pledge(&valid_form()).idempotency_key.is_some());
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
    fn only_known_codes_are_read_and_limits_come_from_the_settings() {
        let forged = r#"[{"amount":"Send the money to ES00 0000 instead."}]"#;
        assert!(serde_json::from_str::<Vec<PledgeError>>(forged).is_err());
        let small: Vec<PledgeError> =
            serde_json::from_str(r#"[{"other_amount":"too_small"}]"#).expect("a known code");
        assert_eq!(
            small[0].message(
                &DonationSettings {
                    min_major: 5,
                    ..settings()
                },
                Locale::en_GB
            ),
            "Enter an amount of at least 5."
        );
    }

    #[test]
    fn messages_are_in_the_forms_language() {
        let large = PledgeError::OtherAmount(AmountProblem::TooLarge);
        assert_eq!(
            large.message(&settings(), Locale::en_GB),
            "Enter an amount of at most 10,000. For a larger gift, please write to us."
        );
        assert_eq!(
            large.message(&settings(), Locale::es),
            "Introduzca un importe de 10.000 como máximo. Para un donativo mayor, escríbanos."
        );
        assert_eq!(
            PledgeError::TaxId(TaxIdProblem::Letter).message(&settings(), Locale::es),
            "La letra de este NIF o NIE no corresponde a su número. Compruébelo e inténtelo de nuevo."
        );
        assert_eq!(
            PledgeError::FullName(LineProblem::Empty).message(&settings(), Locale::es),
            "Introduzca su nombre completo."
        );
    }

    #[test]
    fn the_language_survives_the_echo() {
        let echoed = PledgeForm {
            lang: "es".into(),
            ..valid_form()
        }
        .for_echo();
        assert_eq!(echoed.lang, "es");
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
                    idempotency_key: key, lang: String::new(),
                };
                if let Ok(PledgeSubmission::Pledge(pledge)) = form.parse(&settings()) {
                    prop_assert!(pledge.amount.minor >= 100 && pledge.amount.minor <= 1_000_000);
                }
            }
        }
    }
}
