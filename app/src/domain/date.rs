use serde::{Deserialize, Serialize};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar day on which something was published. Kept as plain numbers so neither the
/// server nor the wasm bundle needs a date-time crate just to print "6 October 2010".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PublishedDate {
    year: u16,
    month: u8,
    day: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a calendar date in the form YYYY-MM-DD")]
pub struct DateError;

impl PublishedDate {
    /// Parses an ISO 8601 calendar date (`2010-10-06`), rejecting days that do not exist.
    pub fn parse(s: &str) -> Result<Self, DateError> {
        let bytes = s.as_bytes();
        if !s.is_ascii() || bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(DateError);
        }
        let number = |range: std::ops::Range<usize>| -> Result<u16, DateError> {
            let part = &s[range];
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().map_err(|_| DateError)
            } else {
                Err(DateError)
            }
        };
        let year = number(0..4)?;
        let month = u8::try_from(number(5..7)?).map_err(|_| DateError)?;
        let day = u8::try_from(number(8..10)?).map_err(|_| DateError)?;
        if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DateError);
        }
        Ok(Self { year, month, day })
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    /// The machine-readable form, for `<time datetime>` and storage.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The form readers see: `6 October 2010`.
    pub fn long(&self) -> String {
        let month = MONTHS[usize::from(self.month - 1)];
        format!("{} {} {}", self.day, month, self.year)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl TryFrom<String> for PublishedDate {
    type Error = DateError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PublishedDate> for String {
    fn from(value: PublishedDate) -> Self {
        value.iso()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_date_reads_as_a_person_writes_it() {
        let date = PublishedDate::parse("2010-10-06").expect("the seed date is valid");
        assert_eq!(date.long(), "6 October 2010");
        assert_eq!(date.iso(), "2010-10-06");
    }

    #[test]
    fn valid_dates_round_trip() {
        for (input, long) in [
            ("2024-02-29", "29 February 2024"),
            ("2000-02-29", "29 February 2000"),
            ("1999-12-31", "31 December 1999"),
            ("2010-01-01", "1 January 2010"),
        ] {
            let date = PublishedDate::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(date.long(), long, "{input}");
            assert_eq!(date.iso(), input, "{input}");
        }
    }

    #[test]
    fn impossible_or_malformed_dates_are_rejected() {
        for (input, why) in [
            ("", "empty"),
            ("2010-10-6", "day without leading zero"),
            ("2010/10/06", "wrong separator"),
            ("2010-13-01", "month 13"),
            ("2010-00-10", "month 0"),
            ("2010-04-31", "April has 30 days"),
            ("2023-02-29", "not a leap year"),
            ("1900-02-29", "centuries are not leap years"),
            ("0000-01-01", "year 0"),
            ("2010-1a-01", "letters"),
            ("+010-10-06", "sign"),
            ("2010-10-06T00:00", "a time is not a date"),
            ("२०१०-10-06", "non-ASCII digits"),
        ] {
            assert_eq!(
                PublishedDate::parse(input),
                Err(DateError),
                "{why}: {input:?}"
            );
        }
    }

    #[test]
    fn dates_order_chronologically() {
        let older = PublishedDate::parse("2010-10-06").expect("valid");
        let newer = PublishedDate::parse("2011-01-02").expect("valid");
        assert!(older < newer);
    }
}
