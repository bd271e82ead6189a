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

    pub fn month(&self) -> u8 {
        self.month
    }

    pub fn day(&self) -> u8 {
        self.day
    }

    /// The machine-readable form, for `<time datetime>` and storage.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The day before, `None` before year 1.
    pub fn day_before(self) -> Option<Self> {
        if self.day > 1 {
            return Some(Self {
                day: self.day - 1,
                ..self
            });
        }
        let (year, month) = if self.month > 1 {
            (self.year, self.month - 1)
        } else {
            (self.year.checked_sub(1).filter(|year| *year > 0)?, 12)
        };
        Some(Self {
            year,
            month,
            day: days_in_month(year, month),
        })
    }

    /// The `count` days that end with this one, the oldest first.
    pub fn last_days(self, count: usize) -> Vec<Self> {
        let mut days: Vec<Self> = std::iter::successors(Some(self), |day| day.day_before())
            .take(count)
            .collect();
        days.reverse();
        days
    }

    /// The `count` months that end with this one's, the oldest first: `2026-12`.
    pub fn last_months(self, count: usize) -> Vec<String> {
        let mut months: Vec<String> =
            std::iter::successors(Some((self.year, self.month)), |&(year, month)| {
                if month > 1 {
                    Some((year, month - 1))
                } else {
                    year.checked_sub(1)
                        .filter(|year| *year > 0)
                        .map(|year| (year, 12))
                }
            })
            .take(count)
            .map(|(year, month)| format!("{year:04}-{month:02}"))
            .collect();
        months.reverse();
        months
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
    fn days_and_months_run_back_across_ends_of_month_and_year() {
        let day = |iso| PublishedDate::parse(iso).expect("a date");
        let days: Vec<String> = day("2024-03-02")
            .last_days(3)
            .iter()
            .map(PublishedDate::iso)
            .collect();
        assert_eq!(days, ["2024-02-29", "2024-03-01", "2024-03-02"]);
        assert_eq!(day("2026-01-01").day_before(), Some(day("2025-12-31")));
        assert_eq!(day("0001-01-01").day_before(), None);
        assert_eq!(
            day("2026-02-15").last_months(3),
            ["2025-12", "2026-01", "2026-02"]
        );
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
