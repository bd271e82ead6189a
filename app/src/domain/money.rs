//! Money as integer minor units of an ISO 4217 currency: never a float, anywhere.

use serde::{Deserialize, Serialize};

/// A currency the site can take pledges in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Currency {
    pub code: &'static str,
    pub symbol: &'static str,
    /// Digits after the decimal point (2 for cents).
    pub exponent: u32,
}

/// The currencies the site knows; configuration picks the ones offered (EUR by default).
pub const CURRENCIES: [Currency; 6] = [
    Currency {
        code: "EUR",
        symbol: "€",
        exponent: 2,
    },
    Currency {
        code: "USD",
        symbol: "US$",
        exponent: 2,
    },
    Currency {
        code: "GBP",
        symbol: "£",
        exponent: 2,
    },
    Currency {
        code: "CHF",
        symbol: "CHF ",
        exponent: 2,
    },
    Currency {
        code: "SEK",
        symbol: "SEK ",
        exponent: 2,
    },
    Currency {
        code: "NOK",
        symbol: "NOK ",
        exponent: 2,
    },
];

impl Currency {
    /// The known currency with `code` (upper-case ISO 4217).
    pub fn find(code: &str) -> Option<&'static Self> {
        CURRENCIES.iter().find(|currency| currency.code == code)
    }

    /// Minor units in one major unit (100 for euros).
    pub fn scale(&self) -> u64 {
        10u64.pow(self.exponent)
    }
}

/// Why an amount typed by a person is not one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    Missing,
    NotANumber,
    Negative,
    TooManyDecimals,
    /// More than fits in the counter (the form's maximum catches real cases first).
    TooLarge,
}

/// An amount as a person types it (`25`, `25.5`, `25,50`) in minor units of `currency`.
/// A comma is read as the decimal mark, as Spanish donors write it; thousands separators are
/// not accepted, since `1.000` would be ambiguous.
///
/// # Errors
/// What is wrong with it, for a message next to the field.
pub fn parse_amount(raw: &str, currency: &Currency) -> Result<u64, AmountError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(AmountError::Missing);
    }
    if value.starts_with('-') {
        return Err(AmountError::Negative);
    }
    let value = value
        .strip_prefix(currency.symbol.trim())
        .unwrap_or(value)
        .trim();
    let (whole, fraction) = match value.split_once(['.', ',']) {
        Some((whole, fraction)) => (whole, fraction),
        None => (value, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return Err(AmountError::NotANumber);
    }
    let exponent = usize::try_from(currency.exponent).unwrap_or(usize::MAX);
    if fraction.len() > exponent {
        return Err(AmountError::TooManyDecimals);
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| AmountError::TooLarge)?
    };
    let padded = format!("{fraction:0<exponent$}");
    let fraction: u64 = if padded.is_empty() {
        0
    } else {
        padded.parse().map_err(|_| AmountError::NotANumber)?
    };
    whole
        .checked_mul(currency.scale())
        .and_then(|minor| minor.checked_add(fraction))
        .ok_or(AmountError::TooLarge)
}

/// An amount of money.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub minor: u64,
    #[serde(with = "currency_code")]
    pub currency: &'static Currency,
}

impl Money {
    /// `€25`, `€25.50`, `€1,000`: how the site writes amounts.
    pub fn display(&self) -> String {
        let scale = self.currency.scale();
        let whole = super::signup::group_thousands(self.minor / scale);
        let fraction = self.minor % scale;
        let exponent = usize::try_from(self.currency.exponent).unwrap_or(0);
        if fraction == 0 {
            format!("{}{whole}", self.currency.symbol)
        } else {
            format!("{}{whole}.{fraction:0exponent$}", self.currency.symbol)
        }
    }

    /// The amount as it would be typed back into the form (`25.50`).
    pub fn typed(&self) -> String {
        let scale = self.currency.scale();
        let exponent = usize::try_from(self.currency.exponent).unwrap_or(0);
        match self.minor % scale {
            0 => (self.minor / scale).to_string(),
            fraction => format!("{}.{fraction:0exponent$}", self.minor / scale),
        }
    }
}

/// `minor` units of the currency `code` as the site writes amounts; the bare number and
/// code for a value the site's currencies cannot write (never stored by the site itself).
pub fn display_minor(minor: i64, code: &str) -> String {
    u64::try_from(minor)
        .ok()
        .zip(Currency::find(code))
        .map_or_else(
            || format!("{minor} {code}"),
            |(minor, currency)| Money { minor, currency }.display(),
        )
}

mod currency_code {
    use super::Currency;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(currency: &&Currency, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(currency.code)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static Currency, D::Error> {
        let code = String::deserialize(d)?;
        Currency::find(&code).ok_or_else(|| D::Error::custom("unknown currency"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EUR: &Currency = &CURRENCIES[0];

    #[test]
    fn amounts_are_read_as_people_type_them() {
        let cases = [
            ("25", Ok(2500)),
            (" 25 ", Ok(2500)),
            ("25.5", Ok(2550)),
            ("25,50", Ok(2550)),
            ("€25", Ok(2500)),
            ("0.99", Ok(99)),
            (",5", Ok(50)),
            ("0", Ok(0)),
            ("", Err(AmountError::Missing)),
            ("-5", Err(AmountError::Negative)),
            ("ten", Err(AmountError::NotANumber)),
            ("1e3", Err(AmountError::NotANumber)),
            ("25.", Ok(2500)),
            (".", Err(AmountError::NotANumber)),
            ("1.000,50", Err(AmountError::NotANumber)),
            ("1.000", Err(AmountError::TooManyDecimals)),
            ("25.555", Err(AmountError::TooManyDecimals)),
            ("99999999999999999999", Err(AmountError::TooLarge)),
            ("184467440737095517", Err(AmountError::TooLarge)),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse_amount(raw, EUR), expected, "{raw:?}");
        }
    }

    #[test]
    fn amounts_are_written_the_site_way() {
        let money = |minor| {
            Money {
                minor,
                currency: EUR,
            }
            .display()
        };
        assert_eq!(money(2500), "€25");
        assert_eq!(money(2550), "€25.50");
        assert_eq!(money(105), "€1.05");
        assert_eq!(money(10_000_000), "€100,000");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parsing_never_panics(raw in ".{0,40}") {
                let _ = parse_amount(&raw, EUR);
            }

            #[test]
            fn amounts_round_trip(minor in 0u64..=1_000_000_000_000) {
                let money = Money { minor, currency: EUR };
                prop_assert_eq!(parse_amount(&money.typed(), EUR), Ok(minor));
                let json = serde_json::to_string(&money).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let back: Money = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(back, money);
            }
        }
    }
}
