//! The SQL of the call to action: signatures and their confirmation (their mail goes through
//! `server::outbox`, what staff export is in `server::export`).
//!
//! Every write runs in a `BEGIN IMMEDIATE` transaction: it takes SQLite's write lock up front,
//! so two writers wait for each other (busy timeout) instead of failing half-way through.

use super::{
    content::readable,
    db::{on_conn, on_db, push_ids, Conn, Db},
    tokens::{hash, new_token},
};
use crate::domain::language::{code, Locale};
use crate::domain::{
    signup::{
        CallToAction, Confirmation, ConfirmationToken, Principle, PublicSigner, Signature,
        SignatureCount, Signer,
    },
    PostSummary, PublishedDate, Slug,
};
use sqlx::QueryBuilder;
use std::collections::HashMap;

/// `now` in the format every time column uses.
/// How many confirmed signers the page lists.
const RECENT_SIGNERS: u32 = 10;
/// A second "check your inbox" mail for the same pending address waits this long, so the
/// form cannot be used to flood someone's inbox.
const RESEND_AFTER: &str = "-15 minutes";

/// What writing a signature did. The signer is told the same thing in every case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureRecorded {
    /// A new (or an expired and renewed) pending signature, with a confirmation mail queued.
    New,
    /// Still pending: another confirmation mail was queued.
    Reminded,
    /// Already confirmed, or a mail went out moments ago: nothing changed.
    Unchanged,
}

impl SignatureRecorded {
    pub fn queued_mail(self) -> bool {
        matches!(self, Self::New | Self::Reminded)
    }
}

/// The campaign's page, or `None` if there is no such campaign.
pub async fn call_to_action(
    db: &Db,
    campaign: &str,
    locale: Locale,
) -> Result<Option<CallToAction>, sqlx::Error> {
    let lang = code(locale);
    on_db!(db, pool => {
    let mut tx = pool.begin_with(BEGIN_READ).await?;
    let Some((title, summary, why)) = sqlx::query_as::<_, (String, String, String)>(
        "SELECT coalesce(t.title, c.title), coalesce(t.summary, c.summary),
                coalesce(t.why, c.why)
         FROM campaigns c
         LEFT JOIN campaign_translations t ON t.campaign = c.slug AND t.lang = $2
         WHERE c.slug = $1",
    )
    .bind(campaign)
    .bind(lang)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let principles = sqlx::query_as::<_, Principle>(
        "SELECT coalesce(t.name, p.name) AS name, coalesce(t.sentence, p.sentence) AS sentence
         FROM campaign_principles p
         LEFT JOIN campaign_principle_translations t
           ON t.campaign = p.campaign AND t.position = p.position AND t.lang = $2
         WHERE p.campaign = $1 ORDER BY p.position",
    )
    .bind(campaign)
    .bind(lang)
    .fetch_all(&mut *tx)
    .await?;
    let Some(count) = count_in(Conn::from(&mut *tx), campaign).await? else {
        return Ok(None);
    };
    let recent = sqlx::query_as::<_, PublicSigner>(
        "SELECT full_name, organisation, country FROM signups
         WHERE campaign = $1 AND status = 'confirmed' AND show_name = true
         ORDER BY confirmed_at DESC, id DESC
         LIMIT $2",
    )
    .bind(campaign)
    .bind(i64::from(RECENT_SIGNERS))
    .fetch_all(&mut *tx)
    .await?;
    // A post row the site cannot read costs the call its link to the post, not its page.
    let post_row = sqlx::query(
        "SELECT p.slug, p.title, p.summary, CAST(p.published_on AS TEXT) AS published_on
         FROM posts p
         JOIN campaigns c ON c.post_slug = p.slug
         WHERE c.slug = $1 AND p.status = 'published'",
    )
    .bind(campaign)
    .fetch_optional(&mut *tx)
    .await?;
    let post = readable::<CampaignPostRow, _>(post_row.into_iter().collect())
        .into_iter()
        .next()
        .map(|row| PostSummary {
            locale: Locale::en_GB,
            slug: row.slug,
            title: row.title,
            summary: row.summary,
            published_on: row.published_on,
            // The call's page links the post by its title; its tags and picture are on the
            // post's page.
            tags: Vec::new(),
            image: None,
        });
    tx.commit().await?;
    Ok(Some(CallToAction {
        title,
        summary,
        why: why
            .split("\n\n")
            .map(str::trim)
            .filter(|paragraph| !paragraph.is_empty())
            .map(str::to_owned)
            .collect(),
        principles,
        count,
        recent,
        post,
    }))
    })
}

#[derive(sqlx::FromRow)]
struct CampaignPostRow {
    #[sqlx(try_from = "String")]
    slug: Slug,
    title: String,
    summary: String,
    #[sqlx(try_from = "String")]
    published_on: PublishedDate,
}

/// Confirmed signatures of `campaign` and its first goal, or `None` if there is no such
/// campaign.
pub async fn signature_count(
    db: &Db,
    campaign: &str,
) -> Result<Option<SignatureCount>, sqlx::Error> {
    on_db!(db, pool => {
        let mut conn = pool.acquire().await?;
        count_in(Conn::from(&mut *conn), campaign).await
    })
}

async fn count_in(conn: Conn<'_>, campaign: &str) -> Result<Option<SignatureCount>, sqlx::Error> {
    let row = on_conn!(conn, conn => sqlx::query_as::<_, (i64, i64)>(
        "SELECT c.first_goal,
                (SELECT count(*) FROM signups s WHERE s.campaign = c.slug AND s.status = 'confirmed')
         FROM campaigns c WHERE c.slug = $1",
    )
    .bind(campaign)
    .fetch_optional(conn)
    .await?);
    Ok(row.map(|(first_goal, confirmed)| SignatureCount {
        confirmed: u64::try_from(confirmed).unwrap_or(0),
        first_goal: u64::try_from(first_goal).unwrap_or(1),
    }))
}

/// Stores `signature` as pending and queues its confirmation mail, in one transaction.
///
/// One signature per address and campaign: signing again changes nothing, except that a
/// pending signature gets a fresh mail (at most every 15 minutes) and an expired one starts
/// over with the new details.
pub async fn record_signature(
    db: &Db,
    campaign: &str,
    signature: &Signature,
) -> Result<SignatureRecorded, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let recorded = record_signature_in(Conn::from(&mut *tx), campaign, signature).await?;
        tx.commit().await?;
        Ok(recorded)
    })
}

/// [`record_signature`] inside a transaction the caller commits (the site's write queue,
/// which commits many at once).
pub async fn record_signature_in(
    conn: Conn<'_>,
    campaign: &str,
    signature: &Signature,
) -> Result<SignatureRecorded, sqlx::Error> {
    on_conn!(conn, tx => {
    let in_a_week = shifted("+7 days");
    let resend_after = shifted(RESEND_AFTER);
    let (kind, organisation, role) = match &signature.signer {
        Signer::Person => ("person", None, None),
        Signer::Organisation { name, role } => ("organisation", Some(name), Some(role)),
    };
    // The common case first, in one statement: a new address. The writer's batch holds
    // every sign-up of the moment, so each statement saved is saved for all of them. No
    // conflict target: either unique index (the address as typed, or its key) means "signed".
    // On PostgreSQL another server's sweep may delete an expired row between the conflict and
    // the look at it: then the address is new again, and the insert is tried once more.
    let mut tries = 0;
    let (signup_id, recorded) = loop {
    tries += 1;
    let inserted = sqlx::query_scalar::<_, i64>(&format!(
        "INSERT INTO signups (campaign, email, email_key, full_name, kind, organisation,
             role, country, show_name, keep_informed, consent_version, source, lang,
             created_at, updated_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, {NOW}, {NOW},
             {in_a_week})
         ON CONFLICT DO NOTHING
         RETURNING id"
    ))
    .bind(campaign)
    .bind(signature.email.as_ref())
    .bind(signature.email.key())
    .bind(&signature.full_name)
    .bind(kind)
    .bind(organisation)
    .bind(role)
    .bind(signature.country)
    .bind(signature.show_name)
    .bind(signature.keep_informed)
    .bind(i64::from(signature.consent_version))
    .bind(&signature.source)
    .bind(code(signature.locale))
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(id) = inserted {
        break (id, SignatureRecorded::New);
    }
    if !FOR_UPDATE.is_empty() {
        // Held until the batch commits; the look below is a statement of its own, so it
        // sees what a concurrent submission committed before the lock was granted.
        sqlx::query(&format!(
            "SELECT id FROM signups WHERE campaign = $1 AND email_key = $2 {FOR_UPDATE}"
        ))
        .bind(campaign)
        .bind(signature.email.key())
        .execute(&mut *tx)
        .await?;
    }
    {
        let existing = sqlx::query_as::<_, (i64, String, bool, bool)>(&format!(
            "SELECT id, status, coalesce(expires_at <= {NOW}, false),
                    EXISTS (SELECT 1 FROM outbox o WHERE o.signup_id = s.id
                            AND o.created_at > {resend_after})
             FROM signups s WHERE campaign = $1 AND email_key = $2"
        ))
        .bind(campaign)
        .bind(signature.email.key())
        .fetch_optional(&mut *tx)
        .await?;

        break match existing {
            // Deleted since the conflict (expired, by another server's sweep): new again.
            None if tries < 2 => continue,
            // Twice: a broken database.
            None => return Err(sqlx::Error::RowNotFound),
            Some((id, status, true, _)) if status == "pending" => {
                sqlx::query(&format!(
                    "UPDATE signups SET email = $1, full_name = $2, kind = $3, organisation = $4,
                         role = $5, country = $6, show_name = $7, keep_informed = $8,
                         consent_version = $9, source = $10, lang = $11, created_at = {NOW},
                         updated_at = {NOW}, expires_at = {in_a_week}
                     WHERE id = $12"
                ))
                .bind(signature.email.as_ref())
                .bind(&signature.full_name)
                .bind(kind)
                .bind(organisation)
                .bind(role)
                .bind(signature.country)
                .bind(signature.show_name)
                .bind(signature.keep_informed)
                .bind(i64::from(signature.consent_version))
                .bind(&signature.source)
                .bind(code(signature.locale))
                .bind(id)
                .execute(&mut *tx)
                .await?;
                // Links from before it expired stay dead.
                sqlx::query("DELETE FROM signup_tokens WHERE signup_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                (id, SignatureRecorded::New)
            }
            Some((id, status, false, false)) if status == "pending" => {
                // The reminder is written in the language they asked again in.
                sqlx::query("UPDATE signups SET lang = $1 WHERE id = $2")
                    .bind(code(signature.locale))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                (id, SignatureRecorded::Reminded)
            }
            Some((id, ..)) => (id, SignatureRecorded::Unchanged),
        }
    }
    };
    if recorded.queued_mail() {
        sqlx::query(&format!(
            "INSERT INTO outbox (kind, signup_id, created_at, next_attempt_at)
             VALUES ('signup-confirmation', $1, {NOW}, {NOW})"
        ))
        .bind(signup_id)
        .execute(&mut *tx)
        .await?;
    }
    Ok(recorded)
    })
}

/// Where the confirmation link with `token` stands. Reads only: a mail scanner following
/// the link confirms nothing.
pub async fn confirmation(db: &Db, token: &ConfirmationToken) -> Result<Confirmation, sqlx::Error> {
    let row = on_db!(db, pool => sqlx::query_as::<_, (String, bool)>(&format!(
        "SELECT s.status, coalesce(s.expires_at <= {NOW}, false)
         FROM signup_tokens t JOIN signups s ON s.id = t.signup_id
         WHERE t.token_hash = $1"
    ))
    .bind(hash(token))
    .fetch_optional(pool)
    .await?);
    Ok(match row {
        None => Confirmation::Unknown,
        Some((status, _)) if status == "confirmed" => Confirmation::Confirmed,
        Some((_, true)) => Confirmation::Expired,
        Some(_) => Confirmation::Pending,
    })
}

/// Confirms the pending signature with `token`; pressing the button twice is harmless.
pub async fn confirm(db: &Db, token: &ConfirmationToken) -> Result<Confirmation, sqlx::Error> {
    let confirmed = on_db!(db, pool => {
    let mut tx = pool.begin_with(BEGIN_WRITE).await?;
    let confirmed = sqlx::query(&format!(
        "UPDATE signups SET status = 'confirmed', confirmed_at = {NOW}, updated_at = {NOW},
             expires_at = NULL
         WHERE id = (SELECT signup_id FROM signup_tokens WHERE token_hash = $1)
           AND status = 'pending' AND expires_at > {NOW}"
    ))
    .bind(hash(token))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    confirmed
    });
    if confirmed == 1 {
        Ok(Confirmation::Confirmed)
    } else {
        confirmation(db, token).await
    }
}

/// Deletes pending signatures nobody confirmed in time (and, by cascade, their mail).
pub async fn delete_expired(conn: Conn<'_>) -> Result<u64, sqlx::Error> {
    on_conn!(conn, conn => Ok(sqlx::query(&format!(
        "DELETE FROM signups WHERE status = 'pending' AND expires_at <= {NOW}"
    ))
    .execute(conn)
    .await?
    .rows_affected()))
}

/// Who a confirmation mail goes to, and the token for its link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmationMail {
    pub email: String,
    /// The signer's language, which the mail is written in.
    pub locale: Locale,
    /// The call's title in that language.
    pub campaign_title: String,
    pub token: ConfirmationToken,
}

/// Adds a confirmation token to each pending signature of `signup_ids` and returns them with
/// their mail's details, by signature; one that is missing has nothing to confirm any more
/// (confirmed, or deleted).
///
/// The token is made here, just before sending, rather than when the signature is stored, so
/// the database only ever holds its hash. Earlier tokens stay valid: a reminder or a retried
/// mail never breaks the link of a message already delivered. Two statements whatever the
/// number: the server's sender runs this inside the group-commit writer's transaction, whose
/// time every sign-up of the batch waits on.
pub async fn issue_tokens(
    conn: Conn<'_>,
    signup_ids: &[i64],
) -> Result<HashMap<i64, ConfirmationMail>, sqlx::Error> {
    if signup_ids.is_empty() {
        return Ok(HashMap::new());
    }
    on_conn!(conn, conn => {
    let mut select = QueryBuilder::<DB>::new(format!(
        "SELECT s.id, s.email, s.lang, coalesce(t.title, c.title)
         FROM signups s JOIN campaigns c ON c.slug = s.campaign
         LEFT JOIN campaign_translations t ON t.campaign = c.slug AND t.lang = s.lang
         WHERE s.status = 'pending' AND s.expires_at > {NOW} AND s.id IN "
    ));
    push_ids(&mut select, signup_ids);
    let rows: Vec<(i64, String, String, String)> =
        select.build_query_as().fetch_all(&mut *conn).await?;
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let mut mails = HashMap::with_capacity(rows.len());
    for (id, email, lang, campaign_title) in rows {
        let token = new_token()?;
        mails.insert(
            id,
            ConfirmationMail {
                email,
                locale: crate::domain::language::from_code(&lang).unwrap_or(Locale::en_GB),
                campaign_title,
                token,
            },
        );
    }
    let mut insert = QueryBuilder::<DB>::new(
        "INSERT INTO signup_tokens (token_hash, signup_id, created_at) ",
    );
    insert.push_values(&mails, |mut row, (id, mail)| {
        row.push_bind(hash(&mail.token)).push_bind(*id).push(NOW);
    });
    insert.build().execute(&mut *conn).await?;
    Ok(mails)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        domain::signup::{EmailAddress, CALL_TO_ACTION},
        server::db::{on_db, testing::on_both, Conn, Db, MIGRATOR},
    };
    use sqlx::SqlitePool;

    fn signature(email: &str) -> Signature {
        Signature {
            full_name: "Ana Pérez".into(),
            email: EmailAddress::parse(email).expect("a valid address"),
            signer: Signer::Person,
            country: "ES",
            show_name: true,
            keep_informed: false,
            consent_version: 1,
            source: None,
            locale: Locale::en_GB,
        }
    }

    async fn count(db: &Db) -> u64 {
        signature_count(db, CALL_TO_ACTION)
            .await
            .expect("query")
            .expect("the campaign")
            .confirmed
    }

    async fn rows(db: &Db, sql: &str) -> i64 {
        on_db!(db, pool => sqlx::query_scalar(sql)
            .fetch_one(pool)
            .await
            .expect("query"))
    }

    /// Runs `sql`, which the test expects to work.
    async fn execute(db: &Db, sql: &str) {
        on_db!(db, pool => sqlx::query(sql).execute(pool).await.map(drop).expect("runs"));
    }

    /// Sends the queued mail of `signup_id` as the sender would, returning its token.
    async fn token_for(db: &Db, signup_id: i64) -> ConfirmationToken {
        let mut mails = on_db!(db, pool => {
            let mut conn = pool.acquire().await.expect("a connection");
            issue_tokens(Conn::from(&mut *conn), &[signup_id]).await.expect("query")
        });
        mails.remove(&signup_id).expect("a pending signature").token
    }

    on_both! {
        async fn tokens_for_a_batch_go_to_the_pending_signatures_only(db: Db) {
            for email in ["one@example.org", "two@example.org", "three@example.org"] {
                record_signature(&db, CALL_TO_ACTION, &signature(email))
                    .await
                    .expect("stored");
            }
            let confirmed = token_for(&db, 3).await;
            confirm(&db, &confirmed)
                .await
                .expect("confirmed");

            // 9 was never stored; 3 is confirmed: nothing to send for either.
            let mails = on_db!(&db, pool => {
                let mut conn = pool.acquire().await.expect("a connection");
                issue_tokens(Conn::from(&mut *conn), &[1, 2, 3, 9])
                    .await
                    .expect("query")
            });
            let mut to: Vec<_> = mails.values().map(|mail| mail.email.as_str()).collect();
            to.sort_unstable();
            assert_eq!(to, ["one@example.org", "two@example.org"]);
            assert_ne!(mails[&1].token, mails[&2].token, "a token of its own each");
            for (id, mail) in &mails {
                assert_eq!(
                    confirmation(&db, &mail.token)
                        .await
                        .expect("query"),
                    Confirmation::Pending,
                    "the link of signature {id} works"
                );
            }
        }
    }

    on_both! {
        async fn one_signature_per_normalised_address(db: Db) {
            let first = record_signature(
                &db,
                CALL_TO_ACTION,
                &signature("ana@example.org"),
            )
            .await
            .expect("stored");
            let again = record_signature(
                &db,
                CALL_TO_ACTION,
                &signature(" ana@EXAMPLE.ORG "),
            )
            .await
            .expect("answered");
            assert_eq!(
                (first, again),
                (SignatureRecorded::New, SignatureRecorded::Unchanged)
            );
            assert_eq!(rows(&db, "SELECT count(*) FROM signups").await, 1);
            // The second try came moments after the first mail: no second mail yet.
            assert_eq!(rows(&db, "SELECT count(*) FROM outbox").await, 1);

            // A quarter of an hour later, a second try sends the mail again.
            execute(&db, "UPDATE outbox SET created_at = '2000-01-01T00:00:00.000Z'").await;
            let later = record_signature(
                &db,
                CALL_TO_ACTION,
                &signature("ana@example.org"),
            )
            .await
            .expect("answered");
            assert_eq!(later, SignatureRecorded::Reminded);
            assert_eq!(rows(&db, "SELECT count(*) FROM outbox").await, 2);
            assert_eq!(rows(&db, "SELECT count(*) FROM signups").await, 1);
        }
    }

    on_both! {
        async fn an_address_in_another_case_signs_once_and_counts_once(db: Db) {
            record_signature(
                &db,
                CALL_TO_ACTION,
                &signature("ux-1@example.org"),
            )
            .await
            .expect("stored");
            let token = token_for(&db, 1).await;
            confirm(&db, &token)
                .await
                .expect("confirmed");
            let again = record_signature(
                &db,
                CALL_TO_ACTION,
                &signature("UX-1@Example.org"),
            )
            .await
            .expect("answered");
            assert_eq!(again, SignatureRecorded::Unchanged);
            assert_eq!(count(&db).await, 1);
            assert_eq!(rows(&db, "SELECT count(*) FROM signups").await, 1);
            // What the signer first typed is what their mail goes to.
            let email: String = on_db!(&db, pool => sqlx::query_scalar("SELECT email FROM signups")
                .fetch_one(pool)
                .await
                .expect("query"));
            assert_eq!(email, "ux-1@example.org");
        }
    }

    /// A database as it was before migration 0009: the same person could sign in two cases.
    #[sqlx::test(migrations = false)]
    async fn the_migration_merges_addresses_that_differ_only_in_case(pool: SqlitePool) {
        let db = Db::from(pool.clone());
        let before = sqlx::migrate::Migrator {
            migrations: MIGRATOR
                .iter()
                .filter(|migration| migration.version < 9)
                .cloned()
                .collect::<Vec<_>>()
                .into(),
            ..sqlx::migrate::Migrator::DEFAULT
        };
        before.run(&pool).await.expect("migrated to 0008");
        let insert = |id: i64, email: &'static str, confirmed_at: Option<&'static str>| {
            sqlx::query(
                "INSERT INTO signups (id, campaign, email, full_name, kind, country, show_name,
                     keep_informed, consent_version, status, created_at, updated_at,
                     expires_at, confirmed_at)
                 VALUES ($1, 'call-to-action-for-leadership', $2, 'Ana', 'person', 'ES', 0, 0, 1,
                     CASE WHEN $3 IS NULL THEN 'pending' ELSE 'confirmed' END,
                     '2026-01-0' || $1 || 'T00:00:00.000Z', '2026-01-01T00:00:00.000Z',
                     CASE WHEN $3 IS NULL THEN '2099-01-01T00:00:00.000Z' END, $3)",
            )
            .bind(id)
            .bind(email)
            .bind(confirmed_at)
        };
        // Ana confirmed twice, and once more is pending: one confirmed signature is left.
        insert(1, "ana@example.org", None)
            .execute(&pool)
            .await
            .expect("row");
        insert(2, "Ana@example.org", Some("2026-01-03T00:00:00.000Z"))
            .execute(&pool)
            .await
            .expect("row");
        insert(3, "ANA@example.org", Some("2026-01-02T00:00:00.000Z"))
            .execute(&pool)
            .await
            .expect("row");
        // Bob signed twice and confirmed neither: the later is kept, both links confirm it.
        insert(4, "bob@example.org", None)
            .execute(&pool)
            .await
            .expect("row");
        insert(5, "Bob@example.org", None)
            .execute(&pool)
            .await
            .expect("row");
        insert(6, "carla@example.org", Some("2026-01-05T00:00:00.000Z"))
            .execute(&pool)
            .await
            .expect("row");
        // Links as the sender of that schema made them (today's reads the call's
        // translations, which came later).
        let old_token = |id: i64| {
            let pool = pool.clone();
            async move {
                let token = new_token().expect("a token");
                sqlx::query(
                    "INSERT INTO signup_tokens (token_hash, signup_id, created_at)
                     VALUES ($1, $2, '2026-01-01T00:00:00.000Z')",
                )
                .bind(hash(&token))
                .bind(id)
                .execute(&pool)
                .await
                .expect("a link");
                token
            }
        };
        let bob_first = old_token(4).await;
        let bob_second = old_token(5).await;
        sqlx::query(
            "INSERT INTO outbox (kind, signup_id, created_at, next_attempt_at)
             VALUES ('signup-confirmation', 1, 'now', 'now'), ('signup-confirmation', 4, 'now', 'now')",
        )
        .execute(&pool)
        .await
        .expect("queued mail");
        assert_eq!(count(&db).await, 3, "the dishonest count before");

        MIGRATOR.run(&pool).await.expect("migrated");

        assert_eq!(count(&db).await, 2, "Ana and Carla, once each");
        let left: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, email_key FROM signups ORDER BY id")
                .fetch_all(&pool)
                .await
                .expect("query");
        assert_eq!(
            left,
            [
                (3, "ana@example.org".to_owned()),
                (5, "bob@example.org".to_owned()),
                (6, "carla@example.org".to_owned())
            ],
            "Ana's first confirmation and Bob's latest try are kept"
        );
        assert_eq!(
            rows(
                &db,
                "SELECT count(*) FROM outbox WHERE signup_id NOT IN (SELECT id FROM signups)"
            )
            .await,
            0
        );
        assert_eq!(
            confirm(&Db::from(pool.clone()), &bob_first)
                .await
                .expect("query"),
            Confirmation::Confirmed,
            "a link sent for a merged signature confirms the one kept"
        );
        assert_eq!(
            confirmation(&Db::from(pool.clone()), &bob_second)
                .await
                .expect("query"),
            Confirmation::Confirmed
        );
        // And the new key holds from now on.
        let again = record_signature(
            &Db::from(pool.clone()),
            CALL_TO_ACTION,
            &signature("CARLA@EXAMPLE.ORG"),
        )
        .await
        .expect("answered");
        assert_eq!(again, SignatureRecorded::Unchanged);
        assert_eq!(count(&db).await, 3);
    }

    on_both! {
        async fn only_confirmed_signatures_count(db: Db) {
            for email in ["a@example.org", "b@example.org", "c@example.org"] {
                record_signature(&db, CALL_TO_ACTION, &signature(email))
                    .await
                    .expect("stored");
            }
            assert_eq!(count(&db).await, 0);
            let token = token_for(&db, 2).await;
            assert_eq!(
                confirmation(&db, &token)
                    .await
                    .expect("query"),
                Confirmation::Pending
            );
            assert_eq!(
                confirm(&db, &token)
                    .await
                    .expect("query"),
                Confirmation::Confirmed
            );
            assert_eq!(
                confirm(&db, &token)
                    .await
                    .expect("query"),
                Confirmation::Confirmed
            );
            assert_eq!(count(&db).await, 1);
            let call = call_to_action(&db, CALL_TO_ACTION, Locale::en_GB)
                .await
                .expect("query")
                .expect("the campaign");
            assert_eq!(call.count.confirmed, 1);
            assert_eq!(call.recent.len(), 1);
            assert_eq!(call.principles.len(), 4);
            // The call in Spanish is the same call, count and signers included, in its words.
            let llamada = call_to_action(&db, CALL_TO_ACTION, Locale::es)
                .await
                .expect("query")
                .expect("the campaign");
            assert!(llamada.title.starts_with("Llamamiento"), "{}", llamada.title);
            assert_eq!(llamada.principles[0].name, "Respeto");
            assert_eq!(llamada.count, call.count);
            assert_eq!(llamada.recent, call.recent);
            assert!(call.post.is_some());
        }
    }

    on_both! {
        async fn every_link_sent_stays_valid_until_the_signature_expires(db: Db) {
            record_signature(
                &db,
                CALL_TO_ACTION,
                &signature("ana@example.org"),
            )
            .await
            .expect("stored");
            let old = token_for(&db, 1).await;
            let new = token_for(&db, 1).await;
            assert_ne!(old, new);
            assert_eq!(
                confirmation(&db, &new)
                    .await
                    .expect("query"),
                Confirmation::Pending
            );
            assert_eq!(
                confirm(&db, &old).await.expect("query"),
                Confirmation::Confirmed
            );
            assert_eq!(
                confirmation(&db, &new)
                    .await
                    .expect("query"),
                Confirmation::Confirmed
            );
            // Nothing left to confirm: no token for a confirmed signature.
            let tokens = on_db!(&db, pool => {
                let mut conn = pool.acquire().await.expect("a connection");
                issue_tokens(Conn::from(&mut *conn), &[1]).await.expect("query")
            });
            assert!(tokens.is_empty());
        }
    }

    on_both! {
        async fn expired_pending_signatures_are_deleted_and_confirmed_ones_kept(db: Db) {
            for email in ["old@example.org", "kept@example.org", "fresh@example.org"] {
                record_signature(&db, CALL_TO_ACTION, &signature(email))
                    .await
                    .expect("stored");
            }
            let kept = token_for(&db, 2).await;
            confirm(&db, &kept)
                .await
                .expect("confirmed");
            execute(
                &db,
                "UPDATE signups SET expires_at = '2000-01-01T00:00:00.000Z' WHERE status = 'pending' AND id = 1",
            )
            .await;
            let deleted = on_db!(&db, pool => {
                let mut conn = pool.acquire().await.expect("a connection");
                delete_expired(Conn::from(&mut *conn)).await.expect("deleted")
            });
            assert_eq!(deleted, 1);
            let left: Vec<String> = on_db!(&db, pool => sqlx::query_scalar(
                "SELECT email FROM signups ORDER BY id",
            )
            .fetch_all(pool)
            .await
            .expect("query"));
            assert_eq!(left, ["kept@example.org", "fresh@example.org"]);
            // Its mail went with it.
            assert_eq!(
                rows(&db, "SELECT count(*) FROM outbox WHERE signup_id = 1").await,
                0
            );
        }
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn the_schema_refuses_what_the_app_never_writes(pool: SqlitePool) {
        let insert = |kind: &'static str, organisation: Option<&'static str>| {
            sqlx::query(
                "INSERT INTO signups (campaign, email, full_name, kind, organisation, role, country,
                     show_name, keep_informed, consent_version, created_at, updated_at, expires_at)
                 VALUES ('call-to-action-for-leadership', 'x@example.org', 'X', $1, $2, NULL, 'ES',
                     0, 0, 1, 'now', 'now', 'later')",
            )
            .bind(kind)
            .bind(organisation)
        };
        assert!(insert("organisation", None).execute(&pool).await.is_err());
        assert!(insert("person", Some("City")).execute(&pool).await.is_err());
        assert!(insert("robot", None).execute(&pool).await.is_err());
        assert!(insert("person", None).execute(&pool).await.is_ok());
    }
}
