//! Sends the mail queued in the `outbox` table, after the writes that queued it committed.

use crate::mail::Mailer;
use app::server::{
    outbox::{self, DueMail},
    pledges, signups,
};
use sqlx::SqlitePool;
use std::{sync::Arc, time::Duration};
use tokio::sync::Notify;

/// How often the sender looks for due mail (retries) when nothing wakes it.
const ROUND: Duration = Duration::from_secs(30);
/// How many mails one claim takes.
const BATCH: u32 = 20;

/// Sends due mail whenever woken, and every [`ROUND`] for retries; deletes expired pending
/// signatures on the way. Runs until the task is aborted.
pub async fn run(pool: SqlitePool, mailer: Mailer, wake: Arc<Notify>) {
    loop {
        match deliver_due(&pool, &mailer).await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "mail sent"),
            Err(error) => tracing::error!(%error, "the mail queue could not be read"),
        }
        match signups::delete_expired(&pool).await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "expired pending signatures deleted"),
            Err(error) => tracing::error!(%error, "expired signatures could not be deleted"),
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(ROUND) => {}
        }
    }
}

/// Sends every mail that is due now and returns how many went out. A mail that fails is
/// kept and tried again later; the signature it is about is never touched.
///
/// # Errors
/// When the queue itself cannot be read or updated.
pub async fn deliver_due(pool: &SqlitePool, mailer: &Mailer) -> Result<usize, sqlx::Error> {
    let mut sent = 0;
    loop {
        let due = outbox::claim_due_mail(pool, BATCH).await?;
        if due.is_empty() {
            return Ok(sent);
        }
        for mail in due {
            match deliver(pool, mailer, &mail).await? {
                Ok(true) => {
                    outbox::mark_sent(pool, mail.id).await?;
                    sent += 1;
                }
                // Nothing left to say (confirmed meanwhile, or deleted): done with it.
                Ok(false) => outbox::mark_sent(pool, mail.id).await?,
                Err(error) => {
                    let error = format!("{error:#}");
                    // A few failures are a hiccup; more mean someone has to look at the mail
                    // server before signatures expire unconfirmed.
                    if mail.attempts >= 5 {
                        tracing::error!(id = mail.id, attempts = mail.attempts, %error, "mail still not sent; will retry");
                    } else {
                        tracing::warn!(id = mail.id, attempts = mail.attempts, %error, "mail not sent; will retry");
                    }

                    outbox::mark_failed(pool, mail.id, mail.attempts, &error).await?;
                }
            }
        }
    }
}

/// `Ok(Ok(true))` sent, `Ok(Ok(false))` nothing to send, `Ok(Err(_))` sending failed.
async fn deliver(
    pool: &SqlitePool,
    mailer: &Mailer,
    mail: &DueMail,
) -> Result<anyhow::Result<bool>, sqlx::Error> {
    match (mail.kind.as_str(), mail.signup_id) {
        ("signup-confirmation", Some(signup_id)) => {
            let Some(confirmation) = signups::issue_token(pool, signup_id).await? else {
                return Ok(Ok(false));
            };
            let result = async {
                let message = mailer.confirmation(&confirmation)?;
                mailer.send(message).await
            };
            Ok(result.await.map(|()| true))
        }
        ("pledge-instructions", _) => {
            let Some(pledge_id) = mail.pledge_id else {
                return Ok(Err(anyhow::anyhow!("a pledge mail without its pledge")));
            };
            let Some(instructions) = pledges::pledge_mail(pool, pledge_id).await? else {
                return Ok(Ok(false));
            };
            let result = async {
                let message = mailer.pledge_instructions(&instructions)?;
                mailer.send(message).await
            };
            Ok(result.await.map(|()| true))
        }
        (kind, _) => Ok(Err(anyhow::anyhow!("unknown mail kind {kind:?}"))),
    }
}
