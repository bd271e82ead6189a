//! Which language a page is in: its path, and the page's context.
//!
//! English lives at `/…` and Spanish at `/es/…`: the address alone says the language, so a
//! page is the same bytes for every visitor (and cacheable), links can be shared, and search
//! engines see both. Nothing here reads a cookie or the browser's preferences.
//!
//! The strings themselves are in `locales/{language}/{part}.json`, turned into the
//! [`crate::i18n`] module by the build script; `td_string!(locale, key)` reads one.

pub use crate::domain::language::{
    code, from_code, localized, long_date, money, number, split_path, Locale, LOCALES,
    SPANISH_PREFIX,
};
use leptos::prelude::*;

/// The page's language, for every component the server renders. It is read once from the
/// request's path; islands, which hydrate without the page around them, take it as a prop.
pub fn provide_locale() -> Locale {
    #[cfg(feature = "ssr")]
    let locale = use_context::<axum::http::request::Parts>()
        .map_or(Locale::en_GB, |parts| split_path(parts.uri.path()).0);
    #[cfg(not(feature = "ssr"))]
    let locale = Locale::en_GB;
    provide_context(locale);
    locale
}

/// The language of the page being rendered (English if none was provided).
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or(Locale::en_GB)
}
