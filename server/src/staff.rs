//! Staff commands that change a pledge.

use crate::db;
use anyhow::Context;
use app::server::pledges::{self, Transition};

/// How the money of a pledge marked received by hand arrived.
const BANK_TRANSFER: &str = "bank-transfer";

/// `server pledges mark-received REF`: the transfer has arrived.
///
/// # Errors
/// When the database cannot be written, or the pledge is unknown or not `pledged`.
pub async fn mark_received(database_url: &str, reference: &str) -> anyhow::Result<String> {
    let pool = db::open_existing_for_writing(database_url).await?;
    let done = pledges::mark_received(&pool, &normalise(reference), BANK_TRANSFER)
        .await
        .context("cannot update the pledge")?;
    pool.close().await;
    report(reference, done, "received")
}

/// `server pledges cancel REF`: the pledge will not be paid.
///
/// # Errors
/// When the database cannot be written, or the pledge is unknown or not `pledged`.
pub async fn cancel(database_url: &str, reference: &str) -> anyhow::Result<String> {
    let pool = db::open_existing_for_writing(database_url).await?;
    let done = pledges::cancel(&pool, &normalise(reference))
        .await
        .context("cannot update the pledge")?;
    pool.close().await;
    report(reference, done, "cancelled")
}

/// A reference as staff may type it from a bank statement: any case, spaces, and the letters
/// Crockford's base 32 reads as digits (O for 0, I and L for 1).
fn normalise(reference: &str) -> String {
    let compact: String = reference
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    match compact.strip_prefix("SS-") {
        Some(rest) => {
            let digits: String = rest
                .chars()
                .map(|c| match c {
                    'O' => '0',
                    'I' | 'L' => '1',
                    c => c,
                })
                .collect();
            format!("SS-{digits}")
        }
        None => compact,
    }
}

fn report(reference: &str, transition: Transition, now: &str) -> anyhow::Result<String> {
    match transition {
        Transition::Done => Ok(format!("{reference} is now {now}")),
        Transition::Unknown => anyhow::bail!("there is no pledge {reference}"),
        Transition::AlreadyIs(status) => {
            anyhow::bail!(
                "{reference} is {}, not pledged: left as it is",
                status.as_str()
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn references_are_read_as_staff_type_them() {
        assert_eq!(normalise(" ss-7k4q-m2xd "), "SS-7K4Q-M2XD");
        assert_eq!(normalise("SS-O0IL-1234"), "SS-0011-1234");
    }
}
