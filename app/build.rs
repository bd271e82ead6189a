//! Turns `locales/*.json` into the `i18n` module (one method per key, checked at compile
//! time), after making sure both languages have the same keys: leptos_i18n only warns about
//! a key missing in one language and falls back to English, which would ship half-translated
//! pages without anyone noticing.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::{collections::BTreeSet, error::Error, fs, path::PathBuf};

/// British English first (the default, and the site's spelling), then Spanish.
const LOCALES: [&str; 2] = ["en-GB", "es"];
/// One file per part of the site and language: `locales/{language}/{part}.json`.
const NAMESPACES: [&str; 5] = ["common", "forms", "consent", "pages", "mail"];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=locales");
    same_keys()?;
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    let options = ParseOptions::default().interpolate_display(true);
    let config = Config::new(LOCALES[0])?
        .add_locale(LOCALES[1])?
        .add_namespaces(NAMESPACES)?
        .parse_options(options);
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out)?;
    Ok(())
}

/// Fails the build when a key is in one language's file and not in the other's. Plural
/// forms are one key (`signatures_one` and `signatures_other` are `signatures`), since
/// Spanish and English may need different sets of them.
fn same_keys() -> Result<(), Box<dyn Error>> {
    let mut sets = Vec::new();
    for locale in LOCALES {
        let mut keys = BTreeSet::new();
        for namespace in NAMESPACES {
            let text = fs::read_to_string(format!("locales/{locale}/{namespace}.json"))?;
            let value: serde_json::Value = serde_json::from_str(&text)?;
            collect(&format!("{namespace}."), &value, &mut keys);
        }
        sets.push((locale, keys));
    }
    let (first, first_keys) = &sets[0];
    for (locale, keys) in &sets[1..] {
        let missing: Vec<_> = first_keys.difference(keys).collect();
        let extra: Vec<_> = keys.difference(first_keys).collect();
        if !missing.is_empty() || !extra.is_empty() {
            return Err(format!(
                "locales/{locale}/ lacks {missing:?} and has {extra:?} that locales/{first}/ lacks"
            )
            .into());
        }
    }
    Ok(())
}

fn collect(prefix: &str, value: &serde_json::Value, keys: &mut BTreeSet<String>) {
    if let serde_json::Value::Object(map) = value {
        for (key, value) in map {
            let key = ["_zero", "_one", "_two", "_few", "_many", "_other"]
                .iter()
                .find_map(|suffix| key.strip_suffix(suffix))
                .unwrap_or(key);
            collect(&format!("{prefix}{key}."), value, keys);
        }
    } else {
        keys.insert(prefix.trim_end_matches('.').to_owned());
    }
}
