use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// The longest name a person may give, in characters (signers and donors alike).
pub const MAX_NAME: usize = 100;

/// A one-line text field a person fills in (a name, a role): what to ask for in messages,
/// and its longest length in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    pub what: &'static str,
    pub max: usize,
}

/// What can be wrong with a [`Line`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineProblem {
    Empty,
    /// No letter, or characters that show nothing or break the line.
    Odd,
    TooLong,
}

impl Line {
    pub const fn new(what: &'static str, max: usize) -> Self {
        Self { what, max }
    }

    /// Trims `raw` and brings it to NFC; it must then hold a letter, no control or invisible
    /// characters (a line break in a name would forge mail headers), and fit in `max`.
    ///
    /// # Errors
    /// Which of those failed.
    pub fn parse(&self, raw: &str) -> Result<String, LineProblem> {
        let value: String = raw.trim().nfc().collect();
        if value.is_empty() {
            return Err(LineProblem::Empty);
        }
        if value.chars().any(is_invisible) || !value.chars().any(char::is_alphabetic) {
            return Err(LineProblem::Odd);
        }
        if value.chars().count() > self.max {
            return Err(LineProblem::TooLong);
        }
        Ok(value)
    }

    pub fn message(&self, problem: LineProblem) -> String {
        let Self { what, max } = self;
        match problem {
            LineProblem::Empty => format!("Enter {what}."),
            LineProblem::Odd => format!("Enter {what} on one line, without special characters."),
            LineProblem::TooLong => format!("Enter {what} in {max} characters or fewer."),
        }
    }
}

/// `value` cut to `max` characters: what is sent back to a form must stay the size of its
/// field.
pub fn cut(value: String, max: usize) -> String {
    if value.chars().count() <= max {
        value
    } else {
        value.chars().take(max).collect()
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
