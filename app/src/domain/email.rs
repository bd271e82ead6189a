use super::text::is_invisible;
use crate::domain::language::Locale;
use leptos_i18n::td_string;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// The longest address we accept, in characters (RFC 5321's path limit).
pub const MAX_EMAIL: usize = 254;

/// What can be wrong with an email address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailProblem {
    Empty,
    Invalid,
    TooLong,
}

impl EmailProblem {
    /// What to do about it, in `locale`.
    pub fn message(self, locale: Locale) -> String {
        match self {
            Self::Empty => td_string!(locale, forms.email.empty).to_owned(),
            Self::Invalid => td_string!(locale, forms.email.invalid).to_owned(),
            Self::TooLong => td_string!(locale, forms.email.too_long, max = MAX_EMAIL),
        }
    }
}

/// An email address as we store it: trimmed, NFC, the domain lower-cased. The local part keeps
/// the case it was typed in, since mail is sent to it as typed; [`EmailAddress::key`] is what
/// two addresses are compared by.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// # Errors
    /// Why `raw` is not a deliverable-looking address.
    pub fn parse(raw: &str) -> Result<Self, EmailProblem> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(EmailProblem::Empty);
        }
        let (local, domain) = value.rsplit_once('@').ok_or(EmailProblem::Invalid)?;
        // Lower-casing can change a character's length or composition, so NFC comes after
        // it, and the checks after both: they see exactly what would be stored.
        let address: String = format!("{local}@{}", domain.to_lowercase()).nfc().collect();
        if address.chars().count() > MAX_EMAIL {
            return Err(EmailProblem::TooLong);
        }
        let domain = address.rsplit_once('@').map_or("", |(_, domain)| domain);
        // A dot in the domain: `name@localhost` is valid to the RFC but reaches no supporter.
        let plausible_domain = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.starts_with('[');
        if !plausible_domain
            || address
                .chars()
                .any(|c| c.is_whitespace() || is_invisible(c))
            || !email_address::EmailAddress::is_valid(&address)
        {
            return Err(EmailProblem::Invalid);
        }
        Ok(Self(address))
    }
}

impl EmailAddress {
    /// The address as compared: ASCII letters lower-cased. Every mail provider people use
    /// ignores case in the local part, so `Ana@` and `ana@` are one person. Only ASCII, as
    /// SQLite's `lower()` does, so keys made by the database (migration 0009) and here agree;
    /// the domain was lower-cased whole already.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
