//! Sends the mail queued in the `outbox` table, after the writes that queued it committed.
//!
//! Every write the sender makes (claiming mail, storing confirmation tokens, recording what
//! went out, deleting expired signatures) goes through the group-commit writer: it shares the
//! sign-ups' commits instead of contending with them for SQLite's write lock, and a whole
//! claimed batch is a few statements in two commits, not two commits per mail.

use crate::mail::Mailer;
use app::server::{
    db::Conn,
    outbox::{self, DueMail},
    pledges::{self, PledgeMail},
    signups::{self, ConfirmationMail},
    staff::{self, PasswordMail},
    write_queue::{WriteFuture, WriteQueue},
};
use std::{sync::Arc, time::Duration};
use tokio::{sync::Notify, time::Instant};

/// How often the sender looks for due mail (retries) when nothing wakes it, and how often
/// expired pending signatures are deleted.
const ROUND: Duration = Duration::from_secs(30);
/// How many mails one claim takes.
const BATCH: u32 = 64;
/// The pause between two claims while other writes wait: a surge of sign-ups keeps most of the
/// writer and the processor, its mail still goes out (a batch every pause, some 600 a second
/// here), and the rest follows at full speed once the surge ends.
const GIVE_WAY: Duration = Duration::from_millis(100);

/// Sends due mail whenever woken, and every [`ROUND`] for retries; deletes expired pending
/// signatures once a round. Runs until the task is aborted.
pub async fn run(writes: Arc<WriteQueue>, mailer: Mailer, wake: Arc<Notify>) {
    let mut next_cleanup = Instant::now();
    loop {
        match deliver_due(&writes, &mailer).await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "mail sent"),
            Err(error) => tracing::error!(%error, "the mail queue could not be read"),
        }
        if Instant::now() >= next_cleanup {
            next_cleanup = Instant::now() + ROUND;
            match writes.write(delete_expired).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "expired pending signatures deleted"),
                Err(error) => tracing::error!(%error, "expired signatures could not be deleted"),
            }
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep_until(next_cleanup) => {}
        }
    }
}

fn delete_expired(conn: Conn<'_>) -> WriteFuture<'_, u64> {
    Box::pin(signups::delete_expired(conn))
}

/// What a claimed mail says, read in the claim's transaction.
enum Content {
    Confirmation(ConfirmationMail),
    Pledge(PledgeMail),
    Password(PasswordMail),
    /// Nothing left to say (confirmed meanwhile, or deleted).
    Nothing,
    Broken(String),
}

/// Sends every mail that is due now and returns how many went out. A mail that fails is
/// kept and tried again later; the signature it is about is never touched.
///
/// # Errors
/// When the queue itself cannot be read or updated.
pub async fn deliver_due(writes: &WriteQueue, mailer: &Mailer) -> Result<usize, sqlx::Error> {
    let mut sent = 0;
    loop {
        let claimed = writes.write(claim).await?;
        if claimed.is_empty() {
            return Ok(sent);
        }
        // Each mail with why it failed, if it did.
        let mut outcomes = Vec::with_capacity(claimed.len());
        for (mail, content) in claimed {
            let failure = match send(mailer, content).await {
                None => None,
                Some(Ok(())) => {
                    sent += 1;
                    None
                }
                Some(Err(error)) => {
                    let error = format!("{error:#}");
                    // A few failures are a hiccup; more mean someone has to look at the mail
                    // server before signatures expire unconfirmed.
                    if mail.attempts >= 5 {
                        tracing::error!(id = mail.id, attempts = mail.attempts, %error, "mail still not sent; will retry");
                    } else {
                        tracing::warn!(id = mail.id, attempts = mail.attempts, %error, "mail not sent; will retry");
                    }
                    Some(error)
                }
            };
            outcomes.push((mail, failure));
        }
        writes
            .write(move |mut conn: Conn<'_>| -> WriteFuture<'_, ()> {
                Box::pin(async move {
                    let mut done = Vec::with_capacity(outcomes.len());
                    for (mail, failure) in outcomes {
                        match failure {
                            None => done.push(mail.id),
                            Some(error) => {
                                outbox::mark_failed(
                                    conn.reborrow(),
                                    mail.id,
                                    mail.attempts,
                                    &error,
                                )
                                .await?;
                            }
                        }
                    }
                    outbox::mark_sent(conn, &done).await
                })
            })
            .await?;
        if writes.is_busy() {
            tokio::time::sleep(GIVE_WAY).await;
        }
    }
}

/// Sends what a claimed mail says; `None` when there is nothing left to say.
async fn send(mailer: &Mailer, content: Content) -> Option<anyhow::Result<()>> {
    let message = match content {
        Content::Confirmation(confirmation) => mailer.confirmation(&confirmation),
        Content::Pledge(instructions) => mailer.pledge_instructions(&instructions),
        Content::Password(link) => mailer.password_link(&link),
        Content::Nothing => return None,
        Content::Broken(why) => Err(anyhow::Error::msg(why)),
    };
    Some(match message {
        Ok(message) => mailer.send(message).await,
        Err(error) => Err(error),
    })
}

/// Claims the next due mails and reads what each says (making confirmation tokens), in one
/// write: the tokens are stored if and only if the claim is.
fn claim(mut conn: Conn<'_>) -> WriteFuture<'_, Vec<(DueMail, Content)>> {
    Box::pin(async move {
        let due = outbox::claim_due_mail(conn.reborrow(), BATCH).await?;
        let signups: Vec<i64> = due
            .iter()
            .filter(|mail| mail.kind == "signup-confirmation")
            .filter_map(|mail| mail.signup_id)
            .collect();
        let confirmations = signups::issue_tokens(conn.reborrow(), &signups).await?;
        let mut claimed = Vec::with_capacity(due.len());
        for mail in due {
            if let ("staff-password", Some(account)) = (mail.kind.as_str(), mail.staff_id) {
                let link = staff::password_mail(conn.reborrow(), account).await?;
                claimed.push((mail, link.map_or(Content::Nothing, Content::Password)));
                continue;
            }
            let content = match (mail.kind.as_str(), mail.signup_id, mail.pledge_id) {
                ("signup-confirmation", Some(signup_id), _) => confirmations
                    .get(&signup_id)
                    .cloned()
                    .map_or(Content::Nothing, Content::Confirmation),
                ("pledge-instructions", _, Some(pledge_id)) => {
                    pledges::pledge_mail(conn.reborrow(), pledge_id)
                        .await?
                        .map_or(Content::Nothing, Content::Pledge)
                }
                ("pledge-instructions", _, None) => {
                    Content::Broken("a pledge mail without its pledge".to_owned())
                }
                (kind, _, _) => Content::Broken(format!("unknown mail kind {kind:?}")),
            };
            claimed.push((mail, content));
        }
        Ok(claimed)
    })
}
