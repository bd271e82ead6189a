use super::FieldError;
use unicode_normalization::UnicodeNormalization;

/// A one-line text field a person fills in (a name, a role): its form name, what to ask for
/// in messages, and its longest length in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    pub field: &'static str,
    pub what: &'static str,
    pub max: usize,
}

impl Line {
    pub const fn new(field: &'static str, what: &'static str, max: usize) -> Self {
        Self { field, what, max }
    }

    fn messages(&self) -> [String; 3] {
        let Self { what, max, .. } = self;
        [
            format!("Enter {what}."),
            format!("Enter {what} on one line, without special characters."),
            format!("Enter {what} in {max} characters or fewer."),
        ]
    }

    /// Trims `raw` and brings it to NFC; it must then hold a letter, no control or invisible
    /// characters (a line break in a name would forge mail headers), and fit in `max`.
    ///
    /// # Errors
    /// A message for this field saying which of those failed.
    pub fn parse(&self, raw: &str) -> Result<String, FieldError> {
        let [empty, odd, long] = self.messages();
        let value: String = raw.trim().nfc().collect();
        if value.is_empty() {
            return Err(FieldError::new(self.field, empty));
        }
        if value.chars().any(is_invisible) || !value.chars().any(char::is_alphabetic) {
            return Err(FieldError::new(self.field, odd));
        }
        if value.chars().count() > self.max {
            return Err(FieldError::new(self.field, long));
        }
        Ok(value)
    }

    /// Whether `error` is one [`Line::parse`] gives for this field.
    pub fn gave(&self, error: &FieldError) -> bool {
        error.field == self.field && self.messages().contains(&error.message)
    }
}

/// Characters that show nothing, or turn text around: a name made of them would be blank or
/// spoofed where it is shown.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}
