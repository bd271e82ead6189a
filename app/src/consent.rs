//! The visitor's cookie choice: what is stored, when it still counts, and (in the browser)
//! where it is kept. The server never knows it, so it renders no banner.

use serde::{Deserialize, Serialize};

/// The version of the cookie policy a choice answers. Raising it asks everyone again.
pub const POLICY_VERSION: u32 = 1;

/// The local-storage key that holds the [`ConsentRecord`].
pub const STORAGE_KEY: &str = "shared-societies.consent";

/// The heading of the old site's cookie notice, shown in the banner and on `/cookies`.
pub const COOKIE_NOTICE_TITLE: &str = "Basic information on cookies";

/// The old site's cookie notice, word for word (its last line, which links to the policy,
/// is part of the banner).
pub const COOKIE_NOTICE: [&str; 4] = [
    "A cookie is a small information file that is stored in your browser every time you visit our website.",
    "Cookies are used to keep a log of your activities on our website, in order to identify you on future visits and configure the content based on your browsing habits, identity and preferences.",
    "Users are free to delete, accept, block and delete cookies. This can be done using the options in this window or through the browser's settings, as appropriate.",
    "The correct operation of the different functions of our website cannot be guaranteed if cookies are rejected.",
];

const DAY_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;
/// An accept is asked again after 12 months.
pub const ACCEPT_LIFETIME_MS: f64 = 365.0 * DAY_MS;
/// A reject is asked again after 6 months.
pub const REJECT_LIFETIME_MS: f64 = 183.0 * DAY_MS;

/// One switch per optional category; "necessary" is always on and so not a choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choices {
    pub analytics: bool,
    pub external_media: bool,
}

impl Choices {
    pub const ALL: Self = Self {
        analytics: true,
        external_media: true,
    };
    pub const NONE: Self = Self {
        analytics: false,
        external_media: false,
    };

    pub fn accepts_any(&self) -> bool {
        self.analytics || self.external_media
    }
}

/// What the visitor decided, kept in local storage as `{version, choices, decided_at, id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentRecord {
    pub version: u32,
    pub choices: Choices,
    /// When the choice was made, as an ISO 8601 UTC timestamp (`Date.toISOString()`).
    pub decided_at: String,
    /// A random identifier of this decision, so a record of it can be proven later.
    pub id: String,
}

impl ConsentRecord {
    /// Whether the record still answers today's question: it is for the current policy
    /// version and has not expired. `decided_at_ms` is `decided_at` as milliseconds since the
    /// epoch; `None` (unreadable) or a time in the future counts as no answer.
    pub fn is_current(&self, decided_at_ms: Option<f64>, now_ms: f64) -> bool {
        let Some(decided) = decided_at_ms.filter(|ms| ms.is_finite()) else {
            return false;
        };
        let lifetime = if self.choices.accepts_any() {
            ACCEPT_LIFETIME_MS
        } else {
            REJECT_LIFETIME_MS
        };
        self.version == POLICY_VERSION && decided <= now_ms && now_ms - decided < lifetime
    }
}

#[cfg(feature = "hydrate")]
pub use browser::{load, save};

/// Local storage through gloo-storage. gloo panics when the browser refuses storage (privacy
/// modes, blocked third-party contexts), so every call first checks that storage exists; a
/// refused storage means "not decided" and a choice that lasts until the page is left.
#[cfg(feature = "hydrate")]
mod browser {
    use super::{Choices, ConsentRecord, POLICY_VERSION, STORAGE_KEY};
    use gloo_storage::{LocalStorage, Storage};

    fn storage_available() -> bool {
        web_sys::window()
            .and_then(|window| window.local_storage().ok().flatten())
            .is_some()
    }

    /// The stored choice if it still counts; garbage, an old version or an expired choice
    /// read as `None`.
    pub fn load() -> Option<ConsentRecord> {
        if !storage_available() {
            return None;
        }
        let record = LocalStorage::get::<ConsentRecord>(STORAGE_KEY).ok()?;
        let decided_at = js_sys::Date::parse(&record.decided_at);
        let decided_at = (!decided_at.is_nan()).then_some(decided_at);
        record
            .is_current(decided_at, js_sys::Date::now())
            .then_some(record)
    }

    /// Records a decision made now, keeping it if storage allows.
    pub fn save(choices: Choices) -> ConsentRecord {
        let record = ConsentRecord {
            version: POLICY_VERSION,
            choices,
            decided_at: String::from(js_sys::Date::new_0().to_iso_string()),
            id: uuid::Uuid::new_v4().to_string(),
        };
        if storage_available() {
            if let Err(error) = LocalStorage::set(STORAGE_KEY, &record) {
                leptos::logging::warn!("could not keep the cookie choice: {error}");
            }
        }
        record
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(choices: Choices) -> ConsentRecord {
        ConsentRecord {
            version: POLICY_VERSION,
            choices,
            decided_at: "2026-01-01T00:00:00.000Z".into(),
            id: "00000000-0000-4000-8000-000000000000".into(),
        }
    }

    const NOW: f64 = 1_800_000_000_000.0;

    #[test]
    fn a_fresh_choice_counts() {
        assert!(record(Choices::ALL).is_current(Some(NOW - DAY_MS), NOW));
        assert!(record(Choices::NONE).is_current(Some(NOW - DAY_MS), NOW));
    }

    #[test]
    fn an_accept_lasts_twelve_months_and_a_reject_six() {
        let accept = record(Choices::ALL);
        assert!(accept.is_current(Some(NOW - 364.0 * DAY_MS), NOW));
        assert!(!accept.is_current(Some(NOW - 366.0 * DAY_MS), NOW));

        let reject = record(Choices::NONE);
        assert!(reject.is_current(Some(NOW - 180.0 * DAY_MS), NOW));
        assert!(!reject.is_current(Some(NOW - 184.0 * DAY_MS), NOW));

        let partly = record(Choices {
            analytics: false,
            external_media: true,
        });
        assert!(
            partly.is_current(Some(NOW - 300.0 * DAY_MS), NOW),
            "any accept lasts a year"
        );
    }

    #[test]
    fn another_policy_version_asks_again() {
        let mut old = record(Choices::ALL);
        old.version = POLICY_VERSION + 1;
        assert!(!old.is_current(Some(NOW), NOW));
    }

    #[test]
    fn unreadable_or_future_times_ask_again() {
        let r = record(Choices::ALL);
        assert!(!r.is_current(None, NOW));
        assert!(!r.is_current(Some(f64::NAN), NOW));
        assert!(!r.is_current(Some(NOW + DAY_MS), NOW));
    }

    #[test]
    fn stored_garbage_does_not_parse_as_a_record() {
        for text in [
            "",
            "true",
            "{}",
            r#"{"version":1}"#,
            r#"{"version":"1","choices":{"analytics":true,"external_media":true},"decided_at":"x","id":"y"}"#,
            r#"{"version":1,"choices":{"analytics":true,"external_media":true,"spy":true},"decided_at":"x","id":"y"}"#,
        ] {
            assert!(
                serde_json::from_str::<ConsentRecord>(text).is_err(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_record_round_trips_through_json() {
        let r = record(Choices {
            analytics: true,
            external_media: false,
        });
        let json = serde_json::to_string(&r).expect("serialises");
        assert!(json.contains(r#""decided_at""#), "{json}");
        assert_eq!(
            serde_json::from_str::<ConsentRecord>(&json).expect("parses"),
            r
        );
    }
}
