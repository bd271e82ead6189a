use super::{text::is_invisible, FieldError};
use unicode_normalization::UnicodeNormalization;

/// The longest address we accept, in characters (RFC 5321's path limit).
pub const MAX_EMAIL: usize = 254;

const EMPTY: &str = "Enter your email address.";
const INVALID: &str = "Enter an email address in the form name@example.org.";

fn too_long() -> String {
    format!("Enter an email address of {MAX_EMAIL} characters or fewer.")
}

/// An email address as we store it: trimmed, NFC, the domain lower-cased. The local part keeps
/// the case it was typed in, since mail is sent to it as typed; [`EmailAddress::key`] is what
/// two addresses are compared by.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// # Errors
    /// A message for the `email` field when `raw` is not a deliverable-looking address.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::new("email", INVALID);
        let value = raw.trim();
        if value.is_empty() {
            return Err(FieldError::new("email", EMPTY));
        }
        let (local, domain) = value.rsplit_once('@').ok_or_else(invalid)?;
        // Lower-casing can change a character's length or composition, so NFC comes after
        // it, and the checks after both: they see exactly what would be stored.
        let address: String = format!("{local}@{}", domain.to_lowercase()).nfc().collect();
        if address.chars().count() > MAX_EMAIL {
            return Err(FieldError::new("email", too_long()));
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
            return Err(invalid());
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

    /// Whether `error` is one [`EmailAddress::parse`] gives.
    pub fn gave(error: &FieldError) -> bool {
        error.field == "email"
            && ([EMPTY, INVALID].contains(&error.message.as_str()) || error.message == too_long())
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
