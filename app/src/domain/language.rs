//! The site's languages: where each lives (`/…` and `/es/…`), the codes records and forms
//! name them by, and how each writes dates, counts and money. Here, below everything,
//! because what a supporter sends and what is stored carry a language too;
//! [`crate::locale`] adds the page's context on top.

use super::{money::Money, PublishedDate};
pub use crate::i18n::Locale;
use leptos_i18n::{reexports::fixed_decimal::Decimal, td_format_string};

/// Where the Spanish site lives.
pub const SPANISH_PREFIX: &str = "/es";

/// The language of a path of this site, and the path without its language prefix:
/// `/es/news` is Spanish `/news`, `/es` and `/es/` are Spanish `/`, and anything else
/// (`/news`, `/esperanza`, `/fr/news`) is English as it is.
pub fn split_path(path: &str) -> (Locale, &str) {
    match path.strip_prefix(SPANISH_PREFIX) {
        Some("") => (Locale::es, "/"),
        Some(rest) if rest.starts_with('/') => (Locale::es, rest),
        _ => (Locale::en_GB, path),
    }
}

/// `path` (of the English site, `/news`) in `locale`: `/es/news`, and `/es` for `/` (the
/// router matches no trailing slash; the server sends `/es/` there).
pub fn localized(locale: Locale, path: &str) -> String {
    match locale {
        Locale::en_GB => path.to_owned(),
        Locale::es if path == "/" => SPANISH_PREFIX.to_owned(),
        Locale::es => format!("{SPANISH_PREFIX}{path}"),
    }
}

/// Every language the site is written in, English (the default) first.
pub const LOCALES: [Locale; 2] = [Locale::en_GB, Locale::es];

/// The language's code as `lang`, `hreflang` and stored records write it (`en`, `es`).
pub fn code(locale: Locale) -> &'static str {
    match locale {
        Locale::en_GB => "en",
        Locale::es => "es",
    }
}

/// The language a stored or sent code names; `None` for any other text.
pub fn from_code(code: &str) -> Option<Locale> {
    LOCALES
        .into_iter()
        .find(|locale| self::code(*locale) == code)
}

/// `6 October 2010`, `6 de octubre de 2010`.
pub fn long_date(locale: Locale, date: PublishedDate) -> String {
    use leptos_i18n::reexports::icu::calendar::Date;
    match Date::try_new_iso(i32::from(date.year()), date.month(), date.day()) {
        Ok(day) => {
            let day = day.to_any();
            td_format_string!(locale, &day, formatter: date(length: long))
        }
        // Not reachable for a checked PublishedDate; the ISO form is still a true date.
        Err(_) => date.iso(),
    }
}

/// A count as the language writes it: `12,345`, `12.345`.
pub fn number(locale: Locale, count: u64) -> String {
    td_format_string!(locale, count, formatter: number)
}

/// An amount of money as the language writes it: `€25`, `25 €`, `€25.50`, `25,50 €`.
pub fn money(locale: Locale, money: &Money) -> String {
    let exponent = i16::try_from(money.currency.exponent).unwrap_or(0);
    let mut amount = Decimal::from(money.minor);
    amount.multiply_pow10(-exponent);
    if money.minor.is_multiple_of(money.currency.scale()) {
        // Cents are written in full (`25.50`), or not at all (`25`).
        amount.absolute.trim_end();
    }
    let amount = amount.clone();
    match money.currency.code {
        "USD" => td_format_string!(locale, amount.clone(), formatter: currency(currency_code: USD)),
        "GBP" => td_format_string!(locale, amount.clone(), formatter: currency(currency_code: GBP)),
        "CHF" => td_format_string!(locale, amount.clone(), formatter: currency(currency_code: CHF)),
        "SEK" => td_format_string!(locale, amount.clone(), formatter: currency(currency_code: SEK)),
        "NOK" => td_format_string!(locale, amount.clone(), formatter: currency(currency_code: NOK)),
        _ => td_format_string!(locale, amount.clone(), formatter: currency(currency_code: EUR)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;

    #[test]
    fn each_language_writes_dates_numbers_and_money_its_way() {
        let day = PublishedDate::parse("2010-10-06").expect("a date");
        assert_eq!(long_date(Locale::en_GB, day), "6 October 2010");
        assert_eq!(long_date(Locale::es, day), "6 de octubre de 2010");
        assert_eq!(number(Locale::en_GB, 12_345), "12,345");
        assert_eq!(number(Locale::es, 12_345), "12.345");
        let euro = Currency::find("EUR").expect("euro");
        let whole = Money {
            minor: 2_500,
            currency: euro,
        };
        let cents = Money {
            minor: 2_550,
            currency: euro,
        };
        assert_eq!(money(Locale::en_GB, &whole), "€25");
        assert_eq!(money(Locale::es, &whole), "25\u{a0}€");
        assert_eq!(money(Locale::en_GB, &cents), "€25.50");
        assert_eq!(money(Locale::es, &cents), "25,50\u{a0}€");
    }

    #[test]
    fn paths_say_their_language() {
        assert_eq!(split_path("/es/news"), (Locale::es, "/news"));
        assert_eq!(split_path("/es"), (Locale::es, "/"));
        assert_eq!(split_path("/es/"), (Locale::es, "/"));
        assert_eq!(split_path("/esperanza"), (Locale::en_GB, "/esperanza"));
        assert_eq!(split_path("/fr/news"), (Locale::en_GB, "/fr/news"));
        assert_eq!(localized(Locale::es, "/"), "/es");
        assert_eq!(localized(Locale::es, "/news?page=2"), "/es/news?page=2");
        assert_eq!(localized(Locale::en_GB, "/news"), "/news");
        for locale in LOCALES {
            assert_eq!(from_code(code(locale)), Some(locale));
        }
        assert_eq!(from_code("fr"), None);
    }
}
