use crate::domain::language::Locale;
use leptos_i18n::td_string;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// The longest name a person may give, in characters (signers and donors alike).
pub const MAX_NAME: usize = 100;

/// A one-line text field a person fills in (a name, a role): what to ask for in messages, in
/// each language (`your full name`, `su nombre completo`), and its longest length in
/// characters.
#[derive(Clone, Copy, Debug)]
pub struct Line {
    pub what: fn(Locale) -> &'static str,
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
    /// `what` names the field in a message's words, in the language asked for:
    /// `|locale| td_string!(locale, forms.line.what.full_name)`, or `|_| "a title"` for a
    /// field of the staff workspace, which is in English only.
    pub const fn new(what: fn(Locale) -> &'static str, max: usize) -> Self {
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

    /// What to do about `problem`, in `locale`.
    pub fn message(&self, problem: LineProblem, locale: Locale) -> String {
        let what = (self.what)(locale);
        let max = self.max;
        match problem {
            LineProblem::Empty => td_string!(locale, forms.line.empty, what),
            LineProblem::Odd => td_string!(locale, forms.line.odd, what),
            LineProblem::TooLong => td_string!(locale, forms.line.too_long, what, max),
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
