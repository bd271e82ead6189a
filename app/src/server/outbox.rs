//! The SQL of the mail outbox, which every kind of mail goes through (confirmations of
//! signatures, pledge instructions). A row is written in the same transaction as what it is
//! about and sent after the commit, so a mail server that is down delays a message but never
//! loses what it is about; the sender (`server/src/outbox.rs` in the binary) claims rows,
//! sends them and reports back here.
//!
//! The sender's writes run on the connection it is given: the server hands them to the
//! group-commit writer, so sending mail never competes with sign-ups for SQLite's one write
//! lock (waiting writers back off in sleeps of up to 100 ms, which was the sign-ups' tail).

use super::db::{on_conn, push_ids, Conn};
use sqlx::QueryBuilder;

/// A mail to send now. There is no last attempt: a confirmation mail is retried (at most an
/// hour apart) until it goes out or its signature expires, when there is nothing left to send.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DueMail {
    pub id: i64,
    pub kind: String,
    pub signup_id: Option<i64>,
    pub pledge_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub attempts: i64,
}

/// How long a claimed mail is held before another sender (another server's) may try it:
/// longer than a whole claim can take to send when every message waits for the mail
/// server's timeout (64 × 20 s), so no message is sent by two servers; a sender that dies
/// mid-send delays its claim by this much.
const CLAIM_FOR: &str = "+30 minutes";

/// Claims up to `limit` mails that are due, holding them for a few minutes: a sender that
/// crashes before it reports back only delays them.
pub async fn claim_due_mail(conn: Conn<'_>, limit: u32) -> Result<Vec<DueMail>, sqlx::Error> {
    // One statement: atomic without a transaction of its own. Rows another server is
    // claiming at this moment are skipped rather than waited for (PostgreSQL).
    on_conn!(conn, conn => {
    let held_until = shifted(CLAIM_FOR);
    sqlx::query_as::<_, DueMail>(&format!(
        "UPDATE outbox
         SET attempts = attempts + 1, next_attempt_at = {held_until}
         WHERE id IN (SELECT id FROM outbox
                      WHERE sent_at IS NULL AND next_attempt_at <= {NOW}
                      ORDER BY next_attempt_at, id LIMIT $1 {SKIP_LOCKED})
         RETURNING id, kind, signup_id, pledge_id, staff_id, attempts"
    ))
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await
    })
}

/// Records that the mails `ids` went out (or had nothing left to say), in one statement.
pub async fn mark_sent(conn: Conn<'_>, ids: &[i64]) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    on_conn!(conn, conn => {
    let mut update = QueryBuilder::<DB>::new(format!(
        "UPDATE outbox SET sent_at = {NOW}, last_error = NULL WHERE id IN "
    ));
    push_ids(&mut update, ids);
    update.build().execute(conn).await.map(|_| ())
    })
}

/// Records a failed attempt and when to try again: 1, 2, 4 … minutes, at most an hour apart.
pub async fn mark_failed(
    conn: Conn<'_>,
    id: i64,
    attempts: i64,
    error: &str,
) -> Result<(), sqlx::Error> {
    let minutes = 1i64 << attempts.clamp(1, 7).saturating_sub(1);
    on_conn!(conn, conn => sqlx::query(&format!(
        "UPDATE outbox SET last_error = $1, next_attempt_at = {} WHERE id = $3",
        shifted_by("$2")
    ))
    .bind(error.chars().take(500).collect::<String>())
    .bind(format!("+{} minutes", minutes.min(60)))
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        domain::signup::{EmailAddress, Signature, Signer, CALL_TO_ACTION},
        server::{
            db::{on_db, testing::on_both, Db},
            signups::record_signature,
        },
    };

    async fn minutes_to_next_attempt(db: &Db) -> f64 {
        let sql = match db {
            Db::Sqlite(_) => {
                "SELECT (julianday(next_attempt_at) - julianday('now')) * 1440 FROM outbox"
            }
            Db::Postgres(_) => {
                "SELECT CAST(EXTRACT(EPOCH FROM next_attempt_at - now()) / 60 AS double precision)
                 FROM outbox"
            }
        };
        on_db!(db, pool => sqlx::query_scalar(sql).fetch_one(pool).await.expect("query"))
    }

    async fn sign(db: &Db, email: &str) {
        let signature = Signature {
            full_name: "Ana Pérez".into(),
            email: EmailAddress::parse(email).expect("a valid address"),
            signer: Signer::Person,
            country: "ES",
            show_name: false,
            keep_informed: false,
            consent_version: 1,
            source: None,
            locale: crate::domain::language::Locale::en_GB,
        };
        record_signature(db, CALL_TO_ACTION, &signature)
            .await
            .expect("stored");
    }

    on_both! {
        async fn a_claimed_mail_is_not_claimed_twice_and_a_failure_waits_longer_each_time(db: Db) {
            sign(&db, "ana@example.org").await;
            let due = on_db!(&db, pool => {
                let mut conn = pool.acquire().await.expect("a connection");
                let due = claim_due_mail(Conn::from(&mut *conn), 10).await.expect("claimed");
                assert!(claim_due_mail(Conn::from(&mut *conn), 10)
                    .await
                    .expect("claimed")
                    .is_empty());
                due
            });
            assert_eq!(due.len(), 1);
            assert_eq!(due[0].attempts, 1);

            on_db!(&db, pool => {
                let mut conn = pool.acquire().await.expect("a connection");
                mark_failed(Conn::from(&mut *conn), due[0].id, 1, "connection refused")
                    .await
                    .expect("recorded");
            });
            assert!((0.9..=1.1).contains(&minutes_to_next_attempt(&db).await));
            on_db!(&db, pool => {
                let mut conn = pool.acquire().await.expect("a connection");
                mark_failed(Conn::from(&mut *conn), due[0].id, 4, "connection refused")
                    .await
                    .expect("recorded");
            });
            assert!((7.9..=8.1).contains(&minutes_to_next_attempt(&db).await));

            let again = on_db!(&db, pool => {
                let mut conn = pool.acquire().await.expect("a connection");
                mark_sent(Conn::from(&mut *conn), &[due[0].id])
                    .await
                    .expect("recorded");
                sqlx::query("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00.000Z'")
                    .execute(&mut *conn)
                    .await
                    .expect("due");
                claim_due_mail(Conn::from(&mut *conn), 10).await.expect("claimed")
            });
            assert!(again.is_empty(), "a sent mail is never claimed again");
        }
    }

    on_both! {
        async fn servers_claiming_at_once_each_take_other_mail(db: Db) {
            let Db::Postgres(pool) = &db else {
                // SQLite has one writer at a time: a second claim waits for the first.
                return;
            };
            for n in 0..4 {
                sign(&db, &format!("signer-{n}@example.org")).await;
            }
            // Two servers' senders, each inside its write transaction, not yet committed.
            let mut first = pool.begin().await.expect("a transaction");
            let mut second = pool.begin().await.expect("a transaction");
            let a = claim_due_mail(Conn::from(&mut *first), 2).await.expect("claimed");
            let b = claim_due_mail(Conn::from(&mut *second), 10).await.expect("claimed");
            let ids = |mails: &[DueMail]| mails.iter().map(|mail| mail.id).collect::<Vec<_>>();
            assert_eq!(a.len(), 2);
            assert_eq!(b.len(), 2, "the rest, without waiting for the first");
            assert!(ids(&a).iter().all(|id| !ids(&b).contains(id)), "{a:?} {b:?}");
            first.commit().await.expect("commits");
            second.commit().await.expect("commits");
        }
    }
}
