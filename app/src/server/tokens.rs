//! The secrets in the site's single-use links (a signature's confirmation, a staff member's
//! invitation or reset): 256 random bits in the link, only their SHA-256 in the database, so a
//! copy of the database opens no link.

use crate::domain::signup::ConfirmationToken;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sha2::{Digest, Sha256};

/// A new token: 256 random bits, URL-safe.
///
/// # Errors
/// When the operating system gives no randomness (reported as a database-side failure, as
/// the write it was for cannot happen).
pub fn new_token() -> Result<ConfirmationToken, sqlx::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| sqlx::Error::Protocol(error.to_string()))?;
    ConfirmationToken::parse(&URL_SAFE_NO_PAD.encode(bytes))
        .ok_or_else(|| sqlx::Error::Protocol("malformed token".into()))
}

/// What the database keeps of `token`.
pub fn hash(token: &ConfirmationToken) -> Vec<u8> {
    Sha256::digest(token.as_ref().as_bytes()).to_vec()
}
