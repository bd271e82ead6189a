//! Staff commands: accounts of the workspace, and changes to a pledge.

use crate::db;
use anyhow::Context;
use app::{
    domain::{staff::Role, EmailAddress},
    server::{
        pledges::{self, Transition},
        staff::{self, Added, COMMAND_LINE},
    },
};

/// How the money of a pledge marked received by hand arrived.
const BANK_TRANSFER: &str = "bank-transfer";

/// `server staff add EMAIL --role ROLE`: the account, and the link that sets its password
/// (on the site at `public_url`).
///
/// # Errors
/// When the address is not one, an account has it already, or the database cannot be written.
pub async fn add(
    database_url: &str,
    public_url: &str,
    email: &str,
    role: Role,
) -> anyhow::Result<String> {
    let email = EmailAddress::parse(email).map_err(|problem| {
        anyhow::anyhow!("{email:?}: {}", problem.message(app::locale::Locale::en_GB))
    })?;
    let pool = db::connect(database_url).await?;
    let added = staff::add_account(&pool, &email, role, COMMAND_LINE).await;
    pool.close().await;
    match added.context("cannot add the account")? {
        Added::Invited(token) => Ok(format!(
            "added {} as {}. Send them this link to set their password (it works once, for \
             7 days):\n{}",
            email.key(),
            role.as_str(),
            link(public_url, token.as_ref())
        )),
        Added::Exists => anyhow::bail!(
            "{} has an account already; `server staff reset-link {}` makes a link to set a new \
             password",
            email.key(),
            email.key()
        ),
    }
}

/// `server staff reset-link EMAIL`: a link that sets a new password, valid for an hour.
///
/// # Errors
/// When there is no such account, or the database cannot be written.
pub async fn reset_link(
    database_url: &str,
    public_url: &str,
    email: &str,
) -> anyhow::Result<String> {
    let email = EmailAddress::parse(email).map_err(|problem| {
        anyhow::anyhow!("{email:?}: {}", problem.message(app::locale::Locale::en_GB))
    })?;
    let pool = db::open_existing_for_writing(database_url).await?;
    let linked = staff::reset_link(&pool, &email, COMMAND_LINE).await;
    pool.close().await;
    match linked.context("cannot make a link")? {
        Some(token) => Ok(format!(
            "a link to set a new password for {} (it works once, for 1 hour):\n{}",
            email.key(),
            link(public_url, token.as_ref())
        )),
        None => anyhow::bail!("there is no account {} (or it is disabled)", email.key()),
    }
}

fn link(public_url: &str, token: &str) -> String {
    format!(
        "{}/staff/set-password/{token}",
        public_url.trim_end_matches('/')
    )
}

/// `server pledges mark-received REF`: the transfer has arrived.
///
/// # Errors
/// When the database cannot be written, or the pledge is unknown or not `pledged`.
pub async fn mark_received(database_url: &str, reference: &str) -> anyhow::Result<String> {
    let pool = db::open_existing_for_writing(database_url).await?;
    let done = pledges::mark_received(
        &pool,
        &normalise(reference),
        BANK_TRANSFER,
        None,
        COMMAND_LINE,
    )
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
    let done = pledges::cancel(&pool, &normalise(reference), COMMAND_LINE)
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
        // The command line records the money as arriving now, never before the pledge.
        Transition::TooEarly => anyhow::bail!("{reference} was made after that day"),
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
