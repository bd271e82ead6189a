//! Who sees a pledge's amount, frequency and status on its thanks page: the browser that made
//! it. A pledge reference is short (40 random bits) and travels in mail and addresses, so
//! knowing one proves nothing; the pledging browser instead gets a cookie the server signed
//! (HMAC-SHA256 over the reference and an expiry), valid for one hour on that pledge's page
//! only. Anyone else is told that the pledge exists, and to look in their mail.

use super::db::{on_db, Db};
use crate::{
    domain::language::{localized, LOCALES},
    site::PublicUrl,
};
use axum::http::{
    header::{COOKIE, SET_COOKIE},
    HeaderMap, HeaderValue,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::{
    fmt,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

/// Where a pledge's page lives: this, then its reference.
pub const THANKS_PATH: &str = "/donate/thanks/";

/// How long the pledging browser may see its pledge: long enough to read the instructions or
/// come back to them, short enough that a shared computer does not show them for days (the
/// mail has them for good).
pub const LIFETIME: Duration = Duration::from_secs(60 * 60);

const COOKIE_NAME: &str = "pledge_receipt";
/// The key's row in `site_keys`.
const KEY_NAME: &str = "pledge-receipt";
/// Put before what is signed, so the same key could sign something else without one
/// signature passing for the other.
const PURPOSE: &str = "pledge-receipt/v1";

/// The secret the cookies are signed with. Its `Debug` hides it: settings get logged.
#[derive(Clone)]
pub struct ReceiptKey([u8; 32]);

impl fmt::Debug for ReceiptKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReceiptKey(…)")
    }
}

impl ReceiptKey {
    /// The key in the database, made (from the operating system's randomness) by whichever
    /// server asks first; servers that start together all read back the one that was kept.
    ///
    /// # Errors
    /// When the database cannot be read or written, or holds a key too short to use.
    pub async fn load_or_create(db: &Db) -> Result<Self, sqlx::Error> {
        on_db!(db, pool => {
        let read = || {
            sqlx::query_scalar::<_, Vec<u8>>("SELECT secret FROM site_keys WHERE name = $1")
                .bind(KEY_NAME)
                .fetch_optional(pool)
        };
        // Read first: a start needs no write lock once the key exists (another process may be
        // holding it, e.g. a long import).
        let secret = match read().await? {
            Some(secret) => secret,
            None => {
                let mut fresh = [0u8; 32];
                getrandom::fill(&mut fresh)
                    .map_err(|error| sqlx::Error::Protocol(error.to_string()))?;
                sqlx::query(
                    "INSERT INTO site_keys (name, secret) VALUES ($1, $2) \
                     ON CONFLICT (name) DO NOTHING",
                )
                .bind(KEY_NAME)
                .bind(fresh.as_slice())
                .execute(pool)
                .await?;
                read().await?.ok_or(sqlx::Error::RowNotFound)?
            }
        };
        secret
            .get(..32)
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .map(Self)
            .ok_or_else(|| sqlx::Error::Protocol("the pledge receipt key is too short".into()))
        })
    }

    /// HMAC takes a key of any length, so this is always `Some`; it stays an `Option` rather
    /// than an `expect` all the same.
    fn mac(&self, reference: &str, expires: u64) -> Option<Hmac<Sha256>> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).ok()?;
        mac.update(format!("{PURPOSE}\0{reference}\0{expires}").as_bytes());
        Some(mac)
    }

    /// The cookie's value for `reference`, good until `expires` (seconds since 1970).
    pub fn sign(&self, reference: &str, expires: u64) -> Option<String> {
        let tag = self.mac(reference, expires)?.finalize().into_bytes();
        Some(format!("{expires}.{}", URL_SAFE_NO_PAD.encode(tag)))
    }

    /// Whether `value` was signed by this key for `reference` and is still good at `now`.
    pub fn accepts(&self, reference: &str, value: &str, now: u64) -> bool {
        let Some((expires, tag)) = value.split_once('.') else {
            return false;
        };
        let (Ok(expires), Ok(tag)) = (expires.parse::<u64>(), URL_SAFE_NO_PAD.decode(tag)) else {
            return false;
        };
        // Constant-time: the comparison must not say how much of a guess was right.
        now <= expires
            && self
                .mac(reference, expires)
                .is_some_and(|mac| mac.verify_slice(&tag).is_ok())
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// The `Set-Cookie`s that let this browser see `reference`'s page for [`LIFETIME`], one for
/// the page in each language (the donor may switch): only that page gets it (`Path`), no
/// script can read it (`HttpOnly`), another site's request does not carry it (`SameSite=Lax`:
/// opening the link in the mail still does), and over HTTPS never over plain HTTP (`Secure`).
pub fn set_cookies(key: &ReceiptKey, public_url: &PublicUrl, reference: &str) -> Vec<HeaderValue> {
    let Some(value) = key.sign(reference, now().saturating_add(LIFETIME.as_secs())) else {
        return Vec::new();
    };
    let secure = if public_url.is_https() {
        "; Secure"
    } else {
        ""
    };
    LOCALES
        .into_iter()
        .filter_map(|locale| {
            let path = localized(locale, &format!("{THANKS_PATH}{reference}"));
            HeaderValue::from_str(&format!(
                "{COOKIE_NAME}={value}; Path={path}; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
                LIFETIME.as_secs()
            ))
            .ok()
        })
        .collect()
}

/// Hands the browser being answered the cookies for `reference` (with any others already set).
pub fn remember(key: &ReceiptKey, public_url: &PublicUrl, reference: &str) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        for cookie in set_cookies(key, public_url, reference) {
            response.append_header(SET_COOKIE, cookie);
        }
    }
}

/// Whether the request carries a good cookie for `reference`.
pub fn is_pledger(headers: &HeaderMap, key: &ReceiptKey, reference: &str) -> bool {
    let now = now();
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .any(|(name, value)| name == COOKIE_NAME && key.accepts(reference, value, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: ReceiptKey = ReceiptKey([7; 32]);
    const REFERENCE: &str = "SS-7K4Q-M2XD";

    #[test]
    fn a_signed_value_opens_its_own_pledge_until_it_expires() {
        let value = KEY.sign(REFERENCE, 1_000).expect("signed");
        assert!(KEY.accepts(REFERENCE, &value, 999), "before the expiry");
        assert!(KEY.accepts(REFERENCE, &value, 1_000), "at the expiry");
        assert!(!KEY.accepts(REFERENCE, &value, 1_001), "after it");
        assert!(
            !KEY.accepts("SS-0000-0000", &value, 999),
            "another pledge's page"
        );
        assert!(
            !ReceiptKey([8; 32]).accepts(REFERENCE, &value, 999),
            "another key"
        );
    }

    #[test]
    fn altered_or_made_up_values_open_nothing() {
        let value = KEY.sign(REFERENCE, 1_000).expect("signed");
        let (_, tag) = value.split_once('.').expect("expiry.tag");
        for (forged, why) in [
            (format!("2000.{tag}"), "a later expiry with the old tag"),
            (format!("1000.{}", tag.replace('A', "B")), "a changed tag"),
            ("1000.".to_owned(), "no tag"),
            (tag.to_owned(), "no expiry"),
            ("x.y".to_owned(), "junk"),
            (String::new(), "empty"),
        ] {
            if forged == value {
                continue;
            }
            assert!(!KEY.accepts(REFERENCE, &forged, 999), "{why}: {forged}");
        }
    }

    #[test]
    fn the_cookie_is_read_among_others() {
        let mut headers = HeaderMap::new();
        let value = KEY.sign(REFERENCE, now() + 60).expect("signed");
        headers.insert(
            COOKIE,
            HeaderValue::from_str(&format!("a=b; {COOKIE_NAME}=junk; {COOKIE_NAME}={value}"))
                .expect("a header"),
        );
        assert!(is_pledger(&headers, &KEY, REFERENCE));
        assert!(!is_pledger(&headers, &KEY, "SS-0000-0000"));
        assert!(!is_pledger(&HeaderMap::new(), &KEY, REFERENCE));
    }
}
