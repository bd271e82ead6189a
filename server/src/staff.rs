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
    let pool = db::connect(database_url).await?;
    let done = pledges::mark_received(&pool, reference, BANK_TRANSFER)
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
    let pool = db::connect(database_url).await?;
    let done = pledges::cancel(&pool, reference)
        .await
        .context("cannot update the pledge")?;
    pool.close().await;
    report(reference, done, "cancelled")
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
