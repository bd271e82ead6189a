//! The visitor's cookie choice: the categories a visitor can allow, what is stored, when it
//! still counts, the check a record must pass before the server keeps it as proof, and (in
//! the browser) where it is kept. The server never knows the choice at render time, so it
//! renders no banner.

use serde::{Deserialize, Serialize};

/// The version of the cookie policy a choice answers. Raising it asks everyone again, with the
/// line [`PolicyChange::summary`] of the new version saying why.
pub const POLICY_VERSION: u32 = 2;

/// One version of the policy, for the banner's "what changed" line and the history on
/// `/cookies`.
#[derive(Clone, Copy)]
pub struct PolicyChange {
    pub version: u32,
    /// ISO 8601 date the version took effect.
    pub date: &'static str,
    pub summary: &'static str,
}

/// Every version of the policy, newest first. The first entry must be [`POLICY_VERSION`].
pub const POLICY_HISTORY: [PolicyChange; 2] = [
    PolicyChange {
        version: 2,
        date: "2026-11-28",
        summary: "We now keep a copy of each choice on our server (without your IP address) so \
                  we can show what was agreed to, and we describe each category in full.",
    },
    PolicyChange {
        version: 1,
        date: "2026-11-26",
        summary: "First version: nothing optional runs until you allow it.",
    },
];

/// The local-storage key that holds the [`ConsentRecord`].
pub const STORAGE_KEY: &str = "shared-societies.consent";

/// The heading of the old site's cookie notice, shown in the cookie settings and on `/cookies`.
pub const COOKIE_NOTICE_TITLE: &str = "Basic information on cookies";

/// The old site's cookie notice, word for word (its last line, which links to the policy,
/// follows it in the cookie settings).
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

/// How long the server keeps the proof of a choice, as an SQLite date modifier.
pub const PROOF_KEPT_FOR: &str = "-3 years";
/// How long the server keeps daily page-view counts, as an SQLite date modifier.
pub const PAGE_VIEWS_KEPT_FOR: &str = "-24 months";

/// A kind of storage or third-party contact, described the way a visitor needs to judge it.
#[derive(Clone, Copy)]
pub struct Category {
    /// The field of [`Choices`] (and of the stored JSON) that allows it; `None` for necessary.
    pub key: Option<&'static str>,
    pub name: &'static str,
    pub purpose: &'static str,
    pub stores: &'static str,
    pub recipients: &'static str,
    pub lifetime: &'static str,
}

pub const NECESSARY: Category = Category {
    key: None,
    name: "Necessary",
    purpose:
        "Makes the site work and remembers your cookie choice, so we do not ask on every page.",
    stores: "Your choice, in your browser's local storage: the policy version, what you allowed, \
             when, and a random identifier of that choice. Our server keeps a copy of the same \
             four things as proof of your consent, with no IP address or browser details.",
    recipients: "Only this site.",
    lifetime: "In your browser: 12 months after you allow anything, 6 months after you reject \
               all; then we ask again. On our server: 3 years.",
};

pub const ANALYTICS: Category = Category {
    key: Some("analytics"),
    name: "Analytics",
    purpose: "Counts how often each page is read, so we know what readers find useful.",
    stores: "Nothing in your browser. Each page you open sends its address to our server, which \
             adds one to that page's count for the day. No IP address, identifier or browser \
             details are kept, so a count cannot be linked to you.",
    recipients: "Only this site: no analytics company is involved.",
    lifetime: "Daily counts are kept for 24 months.",
};

pub const EXTERNAL_MEDIA: Category = Category {
    key: Some("external_media"),
    name: "External media",
    purpose: "Shows videos and maps hosted by other sites (YouTube, Vimeo, OpenStreetMap) inside \
              our pages. Until you allow this, each one has a button to load just that one and a \
              link to see it on its own site.",
    stores: "Nothing by us. Loading a video or map sends your IP address and browser details to \
             its host, which may set cookies or storage of its own.",
    recipients: "The host of each video or map: Google (YouTube), Vimeo, or the OpenStreetMap \
                 Foundation.",
    lifetime: "As long as each host's own policy says.",
};

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

/// What the visitor decided, kept in local storage as `{version, choices, decided_at, id}`
/// and sent to the server as proof.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentRecord {
    pub version: u32,
    pub choices: Choices,
    /// When the choice was made, as `Date.toISOString()` gives it: `2026-11-28T09:30:00.000Z`.
    pub decided_at: String,
    /// A random (v4) UUID of this decision, so a record of it can be found later.
    pub id: String,
}

/// Where a stored record stands against today's policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// It answers the current policy and has not expired.
    Current,
    /// It answers an older version of the policy: ask again, saying what changed.
    Outdated,
    /// Its time is up: ask again.
    Expired,
    /// A version from the future or a time that cannot be read: treat as no answer.
    Invalid,
}

/// Why the server refuses to keep a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidRecord {
    #[error("the record is for a policy version other than the current one")]
    Version,
    #[error("the record's id is not a random UUID")]
    Id,
    #[error("the record's time is not an ISO 8601 UTC timestamp")]
    DecidedAt,
}

impl ConsentRecord {
    /// Where this record stands. `decided_at_ms` is `decided_at` as milliseconds since the
    /// epoch (`None` if unreadable); a time in the future is as good as unreadable.
    pub fn standing(&self, decided_at_ms: Option<f64>, now_ms: f64) -> Standing {
        let Some(decided) = decided_at_ms.filter(|ms| ms.is_finite() && *ms <= now_ms) else {
            return Standing::Invalid;
        };
        if self.version > POLICY_VERSION || self.version == 0 {
            return Standing::Invalid;
        }
        if self.version < POLICY_VERSION {
            return Standing::Outdated;
        }
        let lifetime = if self.choices.accepts_any() {
            ACCEPT_LIFETIME_MS
        } else {
            REJECT_LIFETIME_MS
        };
        if now_ms - decided < lifetime {
            Standing::Current
        } else {
            Standing::Expired
        }
    }

    /// Whether this is a record the site itself could have made just now: the current policy
    /// version, a v4 UUID, a `toISOString` time. The server keeps nothing else.
    ///
    /// # Errors
    /// The first part that is wrong.
    pub fn check(&self) -> Result<(), InvalidRecord> {
        if self.version != POLICY_VERSION {
            return Err(InvalidRecord::Version);
        }
        if !is_uuid_v4(&self.id) {
            return Err(InvalidRecord::Id);
        }
        if !is_iso_timestamp(&self.decided_at) {
            return Err(InvalidRecord::DecidedAt);
        }
        Ok(())
    }
}

/// `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx` in lower-case hex, as `uuid` writes a v4.
fn is_uuid_v4(id: &str) -> bool {
    let bytes = id.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            14 => *b == b'4',
            19 => matches!(b, b'8' | b'9' | b'a' | b'b'),
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(b),
        })
}

/// `YYYY-MM-DDTHH:MM:SS.sssZ` with every field in range, as `Date.toISOString()` writes it.
fn is_iso_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 24 {
        return false;
    }
    let shape_ok = bytes.iter().enumerate().all(|(i, b)| match i {
        4 | 7 => *b == b'-',
        10 => *b == b'T',
        13 | 16 => *b == b':',
        19 => *b == b'.',
        23 => *b == b'Z',
        _ => b.is_ascii_digit(),
    });
    let number = |from: usize, to: usize| {
        text.get(from..to)
            .and_then(|digits| digits.parse::<u32>().ok())
    };
    shape_ok
        && matches!(number(5, 7), Some(1..=12))
        && matches!(number(8, 10), Some(1..=31))
        && matches!(number(11, 13), Some(0..=23))
        && matches!(number(14, 16), Some(0..=59))
        && matches!(number(17, 19), Some(0..=59))
}

/// What the banner shows a visitor whose choice answered an older policy.
pub fn what_changed() -> &'static str {
    POLICY_HISTORY[0].summary
}

#[cfg(feature = "hydrate")]
pub use browser::{load, save};

/// Local storage through gloo-storage. gloo panics when the browser refuses storage (privacy
/// modes, blocked third-party contexts), so every call first checks that storage exists; a
/// refused storage means "not decided" and a choice that lasts until the page is left.
#[cfg(feature = "hydrate")]
mod browser {
    use super::{Choices, ConsentRecord, Standing, POLICY_VERSION, STORAGE_KEY};
    use gloo_storage::{LocalStorage, Storage};

    fn storage_available() -> bool {
        web_sys::window()
            .and_then(|window| window.local_storage().ok().flatten())
            .is_some()
    }

    /// The stored choice and where it stands; `None` when there is none, or only garbage.
    pub fn load() -> Option<(ConsentRecord, Standing)> {
        if !storage_available() {
            return None;
        }
        let record = LocalStorage::get::<ConsentRecord>(STORAGE_KEY).ok()?;
        let decided_at = js_sys::Date::parse(&record.decided_at);
        let decided_at = (!decided_at.is_nan()).then_some(decided_at);
        let standing = record.standing(decided_at, js_sys::Date::now());
        Some((record, standing))
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
            id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
        }
    }

    const NOW: f64 = 1_800_000_000_000.0;

    #[test]
    fn a_fresh_choice_counts() {
        assert_eq!(
            record(Choices::ALL).standing(Some(NOW - DAY_MS), NOW),
            Standing::Current
        );
        assert_eq!(
            record(Choices::NONE).standing(Some(NOW - DAY_MS), NOW),
            Standing::Current
        );
    }

    #[test]
    fn an_accept_lasts_twelve_months_and_a_reject_six() {
        let accept = record(Choices::ALL);
        assert_eq!(
            accept.standing(Some(NOW - 364.0 * DAY_MS), NOW),
            Standing::Current
        );
        assert_eq!(
            accept.standing(Some(NOW - 366.0 * DAY_MS), NOW),
            Standing::Expired
        );

        let reject = record(Choices::NONE);
        assert_eq!(
            reject.standing(Some(NOW - 180.0 * DAY_MS), NOW),
            Standing::Current
        );
        assert_eq!(
            reject.standing(Some(NOW - 184.0 * DAY_MS), NOW),
            Standing::Expired
        );

        let partly = record(Choices {
            analytics: false,
            external_media: true,
        });
        assert_eq!(
            partly.standing(Some(NOW - 300.0 * DAY_MS), NOW),
            Standing::Current,
            "any accept lasts a year"
        );
    }

    #[test]
    fn an_older_policy_version_asks_again_and_says_why() {
        let mut old = record(Choices::ALL);
        old.version = POLICY_VERSION - 1;
        assert_eq!(old.standing(Some(NOW), NOW), Standing::Outdated);
        assert!(!what_changed().is_empty());
    }

    #[test]
    fn versions_from_nowhere_count_as_no_answer() {
        for version in [0, POLICY_VERSION + 1, u32::MAX] {
            let mut r = record(Choices::ALL);
            r.version = version;
            assert_eq!(r.standing(Some(NOW), NOW), Standing::Invalid, "{version}");
        }
    }

    #[test]
    fn unreadable_or_future_times_ask_again() {
        let r = record(Choices::ALL);
        assert_eq!(r.standing(None, NOW), Standing::Invalid);
        assert_eq!(r.standing(Some(f64::NAN), NOW), Standing::Invalid);
        assert_eq!(r.standing(Some(NOW + DAY_MS), NOW), Standing::Invalid);
    }

    #[test]
    fn the_history_starts_with_the_current_version() {
        assert_eq!(POLICY_HISTORY[0].version, POLICY_VERSION);
        assert!(POLICY_HISTORY
            .windows(2)
            .all(|pair| pair[0].version > pair[1].version && pair[0].date > pair[1].date));
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
            r#"{"version":1,"choices":{"analytics":true,"external_media":true},"decided_at":"x","id":"y","ip":"1.2.3.4"}"#,
        ] {
            assert!(
                serde_json::from_str::<ConsentRecord>(text).is_err(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_record_round_trips_through_json_with_the_documented_keys() {
        let r = record(Choices {
            analytics: true,
            external_media: false,
        });
        let json = serde_json::to_value(&r).expect("serialises");
        let mut keys: Vec<_> = json
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect();
        keys.sort();
        assert_eq!(keys, ["choices", "decided_at", "id", "version"]);
        assert_eq!(
            serde_json::from_value::<ConsentRecord>(json).expect("parses"),
            r
        );
    }

    #[test]
    fn the_server_keeps_only_records_the_site_could_have_made() {
        assert_eq!(record(Choices::ALL).check(), Ok(()));

        let with = |change: fn(&mut ConsentRecord)| {
            let mut r = record(Choices::ALL);
            change(&mut r);
            r.check()
        };
        assert_eq!(with(|r| r.version = 1), Err(InvalidRecord::Version));
        assert_eq!(with(|r| r.version = 99), Err(InvalidRecord::Version));
        for id in [
            "",
            "x",
            "0F8FAD5B-D9CB-469F-A165-70867728950E",
            "0f8fad5b-d9cb-169f-a165-70867728950e",
            "0f8fad5b-d9cb-469f-c165-70867728950e",
            "0f8fad5bd9cb469fa16570867728950e",
            "0f8fad5b-d9cb-469f-a165-70867728950e0",
        ] {
            let mut r = record(Choices::ALL);
            r.id = id.into();
            assert_eq!(r.check(), Err(InvalidRecord::Id), "{id}");
        }
        for time in [
            "",
            "2026-01-01",
            "2026-01-01T00:00:00Z",
            "2026-13-01T00:00:00.000Z",
            "2026-01-00T00:00:00.000Z",
            "2026-01-01T24:00:00.000Z",
            "2026-01-01T00:60:00.000Z",
            "2026-01-01T00:00:00.000+",
            "２026-01-01T00:00:00.000Z",
        ] {
            let mut r = record(Choices::ALL);
            r.decided_at = time.into();
            assert_eq!(r.check(), Err(InvalidRecord::DecidedAt), "{time}");
        }
        let mut huge = record(Choices::ALL);
        huge.id = "a".repeat(100_000);
        assert!(huge.check().is_err());
    }
}
