//! The SQL of donation pledges. Writes run in write transactions (`BEGIN IMMEDIATE` on
//! SQLite), as for signatures (see `server::signups`).

use super::db::{on_conn, on_db, Conn, Db};
use crate::domain::{
    money::{display_minor, Currency, Money},
    pledge::{DonationTotals, Frequency, Pledge, PledgeStatus},
    staff::{MonthTotal, PledgeFilter, StaffPledge},
    PublishedDate,
};
use sha2::{Digest, Sha256};

/// Crockford's base 32: no I, L, O or U, so a reference read over the phone is not misread.
const REFERENCE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A stored pledge, as the donor is shown it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPledge {
    pub id: i64,
    pub reference: String,
    pub amount: Money,
    pub frequency: Frequency,
    pub status: PledgeStatus,
}

/// The columns of [`PledgeRow`], in its order.
const COLUMNS: &str = "id, reference, amount_minor, currency, frequency, status";

#[derive(sqlx::FromRow)]
struct PledgeRow {
    id: i64,
    reference: String,
    amount_minor: i64,
    currency: String,
    frequency: String,
    status: String,
}

/// A pledge with the fingerprint of the form that made it.
#[derive(sqlx::FromRow)]
struct KeyedRow {
    fingerprint: Vec<u8>,
    #[sqlx(flatten)]
    row: PledgeRow,
}

/// A pledge with the address its mail goes to.
#[derive(sqlx::FromRow)]
struct MailRow {
    donor_email: String,
    lang: String,
    #[sqlx(flatten)]
    row: PledgeRow,
}

impl PledgeRow {
    /// `None` for a row the schema would not have let in.
    fn into_pledge(self) -> Option<StoredPledge> {
        Some(StoredPledge {
            id: self.id,
            reference: self.reference,
            amount: Money {
                minor: u64::try_from(self.amount_minor).ok()?,
                currency: Currency::find(&self.currency)?,
            },
            frequency: Frequency::parse(&self.frequency)?,
            status: PledgeStatus::parse(&self.status)?,
        })
    }
}

fn corrupt() -> sqlx::Error {
    sqlx::Error::Protocol("a pledge row the schema should not allow".into())
}

/// A new reference, `SS-XXXX-XXXX` (40 random bits).
fn new_reference() -> Result<String, sqlx::Error> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|error| sqlx::Error::Protocol(error.to_string()))?;
    let chars: String = bytes
        .iter()
        .map(|byte| char::from(REFERENCE_ALPHABET[usize::from(byte % 32)]))
        .collect();
    Ok(format!("SS-{}-{}", &chars[..4], &chars[4..]))
}

/// What storing a pledge did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PledgeRecorded {
    New(StoredPledge),
    /// The same form sent again (a double click, the back button, a retry): the first pledge.
    Again(StoredPledge),
    /// The key came with different content: a stale or shared copy of the page. Nothing is
    /// stored, and nobody else's pledge is shown.
    KeyReused,
}

/// What identifies the content of a pledge form, beside its key.
fn fingerprint(pledge: &Pledge) -> Vec<u8> {
    let content = format!(
        "{}\0{}\0{}\0{}",
        pledge.email.as_ref(),
        pledge.amount.minor,
        pledge.amount.currency.code,
        pledge.frequency.as_str()
    );
    Sha256::digest(content.as_bytes()).to_vec()
}

/// How long a form sent without a key (no JavaScript) counts as sent again when the same
/// address pledges the same amount, currency and frequency: a double click, a reload of the
/// answer, a retry after a timeout.
const KEYLESS_REPEAT_MINUTES: u32 = 10;

/// Stores `pledge` and queues its instructions mail, in one transaction. The same form sent
/// again returns the first pledge and stores nothing: by its key when the page's script made
/// one, by its content within [`KEYLESS_REPEAT_MINUTES`] when it came without.
pub async fn record_pledge(db: &Db, pledge: &Pledge) -> Result<PledgeRecorded, sqlx::Error> {
    let fingerprint = fingerprint(pledge);
    on_db!(db, pool => {
    let mut tx = pool.begin_with(BEGIN_WRITE).await?;
    if let Some(serialise) = LOCK_KEY {
        // The same form sent twice at once (to two servers) must not make two pledges: the
        // look for an earlier one and the insert are one at a time per key, or per form.
        let same_form = pledge.idempotency_key.as_ref().map_or_else(
            || fingerprint.clone(),
            |key| Sha256::digest(key.as_ref().as_bytes()).to_vec(),
        );
        let lock = same_form
            .first_chunk::<8>()
            .map_or(0, |bytes| i64::from_be_bytes(*bytes));
        sqlx::query(serialise).bind(lock).execute(&mut *tx).await?;
    }
    let repeat_since = shifted_by("$2");
    let earlier = match &pledge.idempotency_key {
        Some(key) => {
            sqlx::query_as::<_, KeyedRow>(&format!(
                "SELECT fingerprint, {COLUMNS} FROM pledges WHERE idempotency_key = $1"
            ))
            .bind(key.as_ref())
            .fetch_optional(&mut *tx)
            .await?
        }
        None => {
            sqlx::query_as::<_, KeyedRow>(&format!(
                "SELECT fingerprint, {COLUMNS} FROM pledges
                 WHERE fingerprint = $1 AND created_at >= {repeat_since}
                 ORDER BY id DESC LIMIT 1"
            ))
            .bind(&fingerprint)
            .bind(format!("-{KEYLESS_REPEAT_MINUTES} minutes"))
            .fetch_optional(&mut *tx)
            .await?
        }
    };
    if let Some(KeyedRow {
        fingerprint: stored_fingerprint,
        row: existing,
    }) = earlier
    {
        tx.commit().await?;
        if stored_fingerprint != fingerprint {
            return Ok(PledgeRecorded::KeyReused);
        }
        return existing
            .into_pledge()
            .map(PledgeRecorded::Again)
            .ok_or_else(corrupt);
    }
    // A keyless form gets a key of the server's making: the column stays one key per pledge.
    let key = pledge.idempotency_key.as_ref().map_or_else(
        || uuid::Uuid::new_v4().to_string(),
        |key| key.as_ref().to_owned(),
    );
    let amount = i64::try_from(pledge.amount.minor).map_err(|_| corrupt())?;
    // 40 bits make a clash rare; one is answered by drawing again.
    let mut id = None;
    for _ in 0..5 {
        id = sqlx::query_scalar::<_, i64>(&format!(
            "INSERT INTO pledges (reference, idempotency_key, fingerprint, amount_minor, currency,
                 frequency, donor_name, donor_email, message, tax_id, lang, created_at,
                 updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, {NOW}, {NOW})
             ON CONFLICT (reference) DO NOTHING
             RETURNING id"
        ))
        .bind(new_reference()?)
        .bind(&key)
        .bind(&fingerprint)
        .bind(amount)
        .bind(pledge.amount.currency.code)
        .bind(pledge.frequency.as_str())
        .bind(&pledge.donor_name)
        .bind(pledge.email.as_ref())
        .bind(&pledge.message)
        .bind(pledge.tax_id.as_ref().map(AsRef::as_ref))
        .bind(crate::domain::language::code(pledge.locale))
        .fetch_optional(&mut *tx)
        .await?;
        if id.is_some() {
            break;
        }
    }
    let id = id.ok_or_else(|| sqlx::Error::Protocol("no free pledge reference".into()))?;
    sqlx::query(&format!(
        "INSERT INTO outbox (kind, pledge_id, created_at, next_attempt_at)
         VALUES ('pledge-instructions', $1, {NOW}, {NOW})"
    ))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let stored =
        sqlx::query_as::<_, PledgeRow>(&format!("SELECT {COLUMNS} FROM pledges WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    stored
        .into_pledge()
        .map(PledgeRecorded::New)
        .ok_or_else(corrupt)
    })
}

/// The pledge with `reference`, if there is one.
pub async fn pledge_by_reference(
    db: &Db,
    reference: &str,
) -> Result<Option<StoredPledge>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, PledgeRow>(&format!(
        "SELECT {COLUMNS} FROM pledges WHERE reference = $1"
    ))
    .bind(reference)
    .fetch_optional(pool)
    .await?)
    .map(|row| row.into_pledge().ok_or_else(corrupt))
    .transpose()
}

/// The pledges `filter` keeps, the newest first (at most `limit`; `None`: all), and how
/// many it keeps in all.
pub async fn find(
    db: &Db,
    filter: &PledgeFilter,
    limit: Option<i64>,
) -> Result<(Vec<PledgeRecord>, i64), sqlx::Error> {
    let pattern = filter.text().map(|text| super::db::like_pattern(&text));
    on_db!(db, pool => {
        let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM pledges WHERE {FILTER}"))
            .bind(filter.status())
            .bind(filter.frequency())
            .bind(pattern.as_deref())
            .fetch_one(pool)
            .await?;
        let rows = sqlx::query_as::<_, PledgeRecord>(&format!(
            "SELECT {} FROM pledges WHERE {FILTER} ORDER BY id DESC LIMIT $4",
            record_columns(iso)
        ))
        .bind(filter.status())
        .bind(filter.frequency())
        .bind(pattern.as_deref())
        .bind(limit.unwrap_or(i64::MAX))
        .fetch_all(pool)
        .await?;
        Ok((rows, total))
    })
}

/// The pledges a [`PledgeFilter`] keeps: its status (`$1`), frequency (`$2`) and `LIKE`
/// pattern (`$3`), each `NULL` for any.
const FILTER: &str = "($1 IS NULL OR status = $1) AND ($2 IS NULL OR frequency = $2)
     AND ($3 IS NULL OR lower(reference) LIKE $3 ESCAPE '\\' OR lower(donor_name) LIKE $3 ESCAPE '\\'
          OR lower(donor_email) LIKE $3 ESCAPE '\\')";

/// What the pledges `filter` keeps add up to, per month they were made and currency, the
/// newest month first.
pub async fn month_totals(db: &Db, filter: &PledgeFilter) -> Result<Vec<MonthTotal>, sqlx::Error> {
    let pattern = filter.text().map(|text| super::db::like_pattern(&text));
    // PostgreSQL sums bigints as numeric; the amounts are far from overflowing a bigint.
    let rows = on_db!(db, pool => sqlx::query_as::<_, (String, String, i64, i64, i64)>(&format!(
        "SELECT substr({}, 1, 7) AS month, currency, count(*),
                CAST(sum(CASE WHEN status <> 'cancelled' THEN amount_minor ELSE 0 END) AS BIGINT),
                CAST(sum(CASE WHEN status = 'received' THEN amount_minor ELSE 0 END) AS BIGINT)
         FROM pledges WHERE {FILTER} GROUP BY 1, 2 ORDER BY 1 DESC, 2",
        iso("created_at")
    ))
    .bind(filter.status())
    .bind(filter.frequency())
    .bind(pattern.as_deref())
    .fetch_all(pool)
    .await?);
    Ok(rows
        .into_iter()
        .map(
            |(month, currency, pledges, promised, received)| MonthTotal {
                month,
                currency,
                pledges,
                promised,
                received,
            },
        )
        .collect())
}

/// A stored pledge as the workspace lists it.
pub fn staff_pledge(record: PledgeRecord) -> StaffPledge {
    let amount = display_minor(record.amount_minor, &record.currency);
    StaffPledge {
        reference: record.reference,
        amount,
        frequency: record.frequency,
        status: record.status,
        donor_name: record.donor_name,
        donor_email: record.donor_email,
        pledged_at: record.created_at,
        received_via: record.received_via,
        received_on: record.received_at.map(|at| at.chars().take(10).collect()),
    }
}

/// What a staff command did to a pledge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    Done,
    /// No pledge has this reference.
    Unknown,
    /// The pledge is not `pledged` any more; it stays as it was.
    AlreadyIs(PledgeStatus),
    /// A receipt dated before the pledge was made; it stays as it was.
    TooEarly,
}

/// Marks the pledge `reference` as received, by `via` (`bank-transfer`, or a provider), on
/// the day `on` (`None`: now); the audit trail names `actor` (a staff member's address, or
/// the command line). A day before the pledge was made changes nothing
/// ([`Transition::TooEarly`]).
pub async fn mark_received(
    db: &Db,
    reference: &str,
    via: &str,
    on: Option<PublishedDate>,
    actor: &str,
) -> Result<Transition, sqlx::Error> {
    let day = on.map(|day| day.iso());
    let update = on_db!(db, _pool => format!(
        "UPDATE pledges SET status = 'received', received_via = $1,
             received_at = coalesce({}, {NOW}), updated_at = {NOW}
         WHERE reference = $3 AND status = 'pledged'
             AND ($2 IS NULL OR substr({}, 1, 10) <= $2)",
        start_of_day("$2"),
        iso("created_at")
    ));
    let detail = match &day {
        Some(day) => format!("{via} {day}"),
        None => via.to_owned(),
    };
    let done = Done {
        actor,
        action: "pledge.received",
        detail: &detail,
    };
    transition(db, reference, &update, &[Some(via), day.as_deref()], done).await
}

/// Cancels the pledge `reference` (the donor changed their mind, or it never arrived).
pub async fn cancel(db: &Db, reference: &str, actor: &str) -> Result<Transition, sqlx::Error> {
    let update = on_db!(db, _pool => format!(
        "UPDATE pledges SET status = 'cancelled', cancelled_at = {NOW}, updated_at = {NOW}
         WHERE reference = $1 AND status = 'pledged'"
    ));
    let done = Done {
        actor,
        action: "pledge.cancelled",
        detail: "",
    };
    transition(db, reference, &update, &[], done).await
}

/// The audit trail's entry for a transition that happened.
struct Done<'a> {
    actor: &'a str,
    action: &'a str,
    detail: &'a str,
}

async fn transition(
    db: &Db,
    reference: &str,
    update: &str,
    binds: &[Option<&str>],
    done: Done<'_>,
) -> Result<Transition, sqlx::Error> {
    let (changed, status) = on_db!(db, pool => {
    let mut tx = pool.begin_with(BEGIN_WRITE).await?;
    let mut query = sqlx::query(update);
    for value in binds {
        query = query.bind(*value);
    }
    let changed = query
        .bind(reference)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM pledges WHERE reference = $1")
            .bind(reference)
            .fetch_optional(&mut *tx)
            .await?;
    if changed == 1 {
        super::staff::record_in(Conn::from(&mut *tx), done.actor, done.action, reference, done.detail)
            .await?;
    }
    tx.commit().await?;
    (changed, status)
    });
    Ok(match (changed, status) {
        (1, _) => Transition::Done,
        (_, None) => Transition::Unknown,
        (_, Some(status)) if status == "pledged" => Transition::TooEarly,
        (_, Some(status)) => {
            Transition::AlreadyIs(PledgeStatus::parse(&status).ok_or_else(corrupt)?)
        }
    })
}

/// Money received so far: `received` pledges only, summed per currency.
pub async fn totals(db: &Db) -> Result<DonationTotals, sqlx::Error> {
    // PostgreSQL sums bigints as numeric; the amounts are far from overflowing a bigint.
    let rows = on_db!(db, pool => sqlx::query_as::<_, (String, i64, i64)>(
        "SELECT currency, CAST(sum(amount_minor) AS BIGINT) AS received, count(*) FROM pledges
         WHERE status = 'received' GROUP BY currency ORDER BY received DESC",
    )
    .fetch_all(pool)
    .await?);
    let mut totals = DonationTotals::default();
    for (currency, minor, gifts) in rows {
        totals.received.push(Money {
            minor: u64::try_from(minor).map_err(|_| corrupt())?,
            currency: Currency::find(&currency).ok_or_else(corrupt)?,
        });
        totals.gifts += u64::try_from(gifts).map_err(|_| corrupt())?;
    }
    Ok(totals)
}

/// What the instructions mail of a pledge needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PledgeMail {
    pub email: String,
    /// The donor's language, which the mail is written in.
    pub locale: crate::domain::language::Locale,
    pub pledge: StoredPledge,
}

/// The instructions mail of pledge `id`; `None` once it is no longer `pledged`.
/// Runs on the caller's connection, as the other steps of sending do (see `outbox`).
pub async fn pledge_mail(conn: Conn<'_>, id: i64) -> Result<Option<PledgeMail>, sqlx::Error> {
    let row = on_conn!(conn, conn => sqlx::query_as::<_, MailRow>(&format!(
        "SELECT donor_email, lang, {COLUMNS} FROM pledges WHERE id = $1 AND status = 'pledged'"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?);
    row.map(
        |MailRow {
             donor_email,
             lang,
             row,
         }| {
            let pledge = row.into_pledge().ok_or_else(corrupt)?;
            Ok(PledgeMail {
                email: donor_email,
                locale: crate::domain::language::from_code(&lang).ok_or_else(corrupt)?,
                pledge,
            })
        },
    )
    .transpose()
}

/// One pledge as staff export it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PledgeRecord {
    pub reference: String,
    pub status: String,
    pub amount_minor: i64,
    pub currency: String,
    pub frequency: String,
    pub donor_name: String,
    pub donor_email: String,
    pub message: Option<String>,
    pub tax_id: Option<String>,
    pub received_via: Option<String>,
    /// The donor's language (`en`, `es`).
    pub lang: String,
    pub created_at: String,
    pub received_at: Option<String>,
    pub cancelled_at: Option<String>,
}

/// Every pledge, oldest first.
pub async fn all_pledges(db: &Db) -> Result<Vec<PledgeRecord>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, PledgeRecord>(&format!(
        "SELECT {} FROM pledges ORDER BY id",
        record_columns(iso)
    ))
    .fetch_all(pool)
    .await)
}

/// The pledge `reference` as staff see it.
///
/// # Errors
/// The database's.
pub async fn record_by_reference(
    db: &Db,
    reference: &str,
) -> Result<Option<PledgeRecord>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, PledgeRecord>(&format!(
        "SELECT {} FROM pledges WHERE reference = $1",
        record_columns(iso)
    ))
    .bind(reference)
    .fetch_optional(pool)
    .await)
}

/// The columns of a [`PledgeRecord`], times through `iso` (the database's own).
pub fn record_columns(iso: fn(&str) -> String) -> String {
    format!(
        "reference, status, amount_minor, currency, frequency, donor_name, donor_email,
         message, tax_id, received_via, lang, {} AS created_at, {} AS received_at,
         {} AS cancelled_at",
        iso("created_at"),
        iso("received_at"),
        iso("cancelled_at")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        domain::{
            money::CURRENCIES,
            pledge::{IdempotencyKey, Pledge},
            EmailAddress,
        },
        server::{
            db::{on_db, testing::on_both},
            staff::COMMAND_LINE,
        },
    };

    fn pledge(key: &str, minor: u64) -> Pledge {
        Pledge {
            amount: Money {
                minor,
                currency: &CURRENCIES[0],
            },
            frequency: Frequency::Once,
            donor_name: "Ana Pérez".into(),
            email: EmailAddress::parse("ana@example.org").expect("an address"),
            message: None,
            tax_id: None,
            idempotency_key: Some(IdempotencyKey::parse(key).expect("a key")),
            locale: crate::domain::language::Locale::en_GB,
        }
    }

    fn stored(recorded: Result<PledgeRecorded, sqlx::Error>) -> StoredPledge {
        match recorded {
            Ok(PledgeRecorded::New(pledge)) => pledge,
            other => panic!("expected a new pledge, got {other:?}"),
        }
    }

    /// The one number `sql` answers.
    async fn number(db: &Db, sql: &str) -> i64 {
        on_db!(db, pool => sqlx::query_scalar(sql).fetch_one(pool).await.expect("a number"))
    }

    /// Runs `sql` with `id` as `$1`.
    async fn update(db: &Db, sql: &str, id: i64) -> Result<u64, sqlx::Error> {
        on_db!(db, pool => sqlx::query(sql)
            .bind(id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))
    }

    const KEY_A: &str = "0b6e6c1c-3c36-4d0e-9a43-2f3f7d1f5e10";
    const KEY_B: &str = "1b6e6c1c-3c36-4d0e-9a43-2f3f7d1f5e10";
    const PLEDGE_MAILS: &str = "SELECT count(*) FROM outbox WHERE pledge_id IS NOT NULL";

    on_both! {
        async fn the_same_form_twice_is_one_pledge(db: Db) {
            let first = stored(record_pledge(&db, &pledge(KEY_A, 2500)).await);
            assert!(first.reference.starts_with("SS-") && first.reference.len() == 12);
            let again = record_pledge(&db, &pledge(KEY_A, 2500))
                .await
                .expect("answered");
            assert_eq!(again, PledgeRecorded::Again(first.clone()));
            // The same key with another amount: a stale page, not this pledge.
            let reused = record_pledge(&db, &pledge(KEY_A, 9900))
                .await
                .expect("answered");
            assert_eq!(reused, PledgeRecorded::KeyReused);
            let other = stored(record_pledge(&db, &pledge(KEY_B, 2500)).await);
            assert_ne!(other.reference, first.reference);
            let pledges = number(&db, "SELECT count(*) FROM pledges").await;
            assert_eq!((pledges, number(&db, PLEDGE_MAILS).await), (2, 2));
        }
    }

    on_both! {
        async fn the_same_form_at_the_same_moment_is_still_one_pledge(db: Db) {
            let keyless = Pledge {
                idempotency_key: None,
                ..pledge(KEY_A, 2500)
            };
            let sends: Vec<_> = (0..8)
                .map(|_| {
                    let (db, form) = (db.clone(), keyless.clone());
                    tokio::spawn(async move { record_pledge(&db, &form).await })
                })
                .collect();
            let mut references = std::collections::HashSet::new();
            for send in sends {
                match send.await.expect("the task ran").expect("answered") {
                    PledgeRecorded::New(pledge) | PledgeRecorded::Again(pledge) => {
                        references.insert(pledge.reference);
                    }
                    PledgeRecorded::KeyReused => panic!("no key was sent"),
                }
            }
            assert_eq!(references.len(), 1, "one pledge, the same answer to each");
            assert_eq!(number(&db, "SELECT count(*) FROM pledges").await, 1);
        }
    }

    on_both! {
        async fn a_form_without_a_key_sent_again_within_minutes_is_one_pledge(db: Db) {
            let keyless = |minor| Pledge {
                idempotency_key: None,
                ..pledge(KEY_A, minor)
            };
            let first = stored(record_pledge(&db, &keyless(2500)).await);
            let again = record_pledge(&db, &keyless(2500)).await.expect("answered");
            assert_eq!(again, PledgeRecorded::Again(first.clone()));
            // Another amount is another pledge, and so is the same one made a while later.
            let other = stored(record_pledge(&db, &keyless(1000)).await);
            assert_ne!(other.reference, first.reference);
            on_db!(&db, pool => sqlx::query(&format!(
                "UPDATE pledges SET created_at = {}",
                shifted("-11 minutes")
            ))
            .execute(pool)
            .await
            .map(drop)
            .expect("backdated"));
            let later = stored(record_pledge(&db, &keyless(2500)).await);
            assert_ne!(later.reference, first.reference);
            assert_eq!(number(&db, PLEDGE_MAILS).await, 3);
        }
    }

    on_both! {
        async fn totals_count_received_pledges_only(db: Db) {
            let a = stored(record_pledge(&db, &pledge(KEY_A, 2500)).await);
            let b = stored(record_pledge(&db, &pledge(KEY_B, 1000)).await);
            assert_eq!(totals(&db).await.expect("totals"), DonationTotals::default());

            assert_eq!(
                mark_received(&db, &a.reference, "bank-transfer", None, COMMAND_LINE)
                    .await
                    .expect("marked"),
                Transition::Done
            );
            assert_eq!(cancel(&db, &b.reference, COMMAND_LINE).await.expect("cancelled"), Transition::Done);
            let totals = totals(&db).await.expect("totals");
            assert_eq!(totals.gifts, 1);
            assert_eq!(totals.received[0].minor, 2500);

            assert_eq!(
                mark_received(&db, &b.reference, "bank-transfer", None, COMMAND_LINE)
                    .await
                    .expect("answered"),
                Transition::AlreadyIs(PledgeStatus::Cancelled)
            );
            assert_eq!(
                cancel(&db, "SS-0000-0000", COMMAND_LINE).await.expect("answered"),
                Transition::Unknown
            );
            let reminder = on_db!(&db, pool => {
                let mut conn = pool.acquire().await.expect("a connection");
                pledge_mail(Conn::from(&mut *conn), a.id).await.expect("query")
            });
            assert!(reminder.is_none(), "received: no reminder");
            let exported = all_pledges(&db).await.expect("exported");
            assert_eq!(exported.len(), 2);
            let received = exported[0].received_at.as_deref().unwrap_or_default();
            assert!(
                received.len() == 24 && received.ends_with('Z') && received >= exported[0].created_at.as_str(),
                "times as ISO text: {received}"
            );
        }
    }

    on_both! {
        async fn a_receipt_keeps_its_day_and_never_precedes_the_pledge(db: Db) {
            let a = stored(record_pledge(&db, &pledge(KEY_A, 2500)).await);
            let b = stored(record_pledge(&db, &pledge(KEY_B, 1000)).await);
            let today = crate::server::db::today(&db).await.expect("today");
            let long_ago = PublishedDate::parse("2001-02-03").expect("a date");
            assert_eq!(
                mark_received(&db, &a.reference, "cash", Some(long_ago), COMMAND_LINE)
                    .await
                    .expect("answered"),
                Transition::TooEarly
            );
            assert_eq!(
                mark_received(&db, &a.reference, "cash", Some(today), COMMAND_LINE)
                    .await
                    .expect("answered"),
                Transition::Done
            );
            let (received, total) = find(&db, &PledgeFilter { status: "received".into(), ..PledgeFilter::default() }, None)
                .await
                .expect("found");
            assert_eq!((received.len(), total), (1, 1));
            assert_eq!(received[0].received_via.as_deref(), Some("cash"));
            assert_eq!(received[0].received_at, Some(format!("{}T00:00:00.000Z", today.iso())));
            // The words find a pledge by its reference whatever the case; the totals add up
            // what the filter finds.
            let by_reference = PledgeFilter { text: b.reference.to_lowercase(), ..PledgeFilter::default() };
            let (found, _) = find(&db, &by_reference, None).await.expect("found");
            assert_eq!(found.iter().map(|p| p.reference.as_str()).collect::<Vec<_>>(), [b.reference.as_str()]);
            let months = month_totals(&db, &PledgeFilter::default()).await.expect("totals");
            let month: String = today.iso().chars().take(7).collect();
            assert_eq!(
                months,
                [MonthTotal { month, currency: "EUR".into(), pledges: 2, promised: 3500, received: 2500 }]
            );
            let audited: i64 = number(&db, "SELECT count(*) FROM audit_log WHERE action = 'pledge.received'").await;
            assert_eq!(audited, 1, "the refused receipt is not audited");
        }
    }

    on_both! {
        async fn the_schema_keeps_status_and_its_times_together(db: Db) {
            let a = stored(record_pledge(&db, &pledge(KEY_A, 2500)).await);
            let broken = update(&db, "UPDATE pledges SET status = 'received' WHERE id = $1", a.id).await;
            assert!(broken.is_err());
            let negative = update(&db, "UPDATE pledges SET amount_minor = -1 WHERE id = $1", a.id).await;
            assert!(negative.is_err());
        }
    }
}
