//! The SQL of the supporters' part of the staff workspace: signatures found by a filter, one
//! supporter's data across signatures, pledges and mail, and erasing it.

use super::{
    db::{like_pattern, on_db, Conn, Db},
    pledges::{record_columns, staff_pledge, PledgeRecord},
    staff::record_in,
};
use crate::domain::{
    staff::{SignatureFilter, StaffSignature, SupporterData},
    EmailAddress,
};

/// What a pledge keeps of an erased donor: its amount and status (the totals stay true),
/// nothing that names them.
const ERASED_NAME: &str = "(erased)";
const ERASED_EMAIL: &str = "erased@erased.invalid";

/// The columns of [`StaffSignature`], in its order.
fn columns(iso: fn(&str) -> String) -> String {
    format!(
        "id, status, full_name, email, kind, organisation, country, lang, {} AS created_at",
        iso("created_at")
    )
}

type SignatureRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
);

fn signature(
    (id, status, full_name, email, kind, organisation, country, lang, created_at): SignatureRow,
) -> StaffSignature {
    StaffSignature {
        id,
        status,
        full_name,
        email,
        kind,
        organisation,
        country,
        lang,
        created_at,
    }
}

/// The signatures of `campaign` that `filter` keeps, the newest first: `limit` of them from
/// `offset` (`None`: all), and how many it keeps in all.
///
/// # Errors
/// The database's.
pub async fn find_signatures(
    db: &Db,
    campaign: &str,
    filter: &SignatureFilter,
    page: Option<(i64, i64)>,
) -> Result<(Vec<StaffSignature>, i64), sqlx::Error> {
    let pattern = filter.text().map(|text| like_pattern(&text));
    let status = filter.status();
    let (limit, offset) = page.unwrap_or((i64::MAX, 0));
    let matches = "campaign = $1 AND ($2 IS NULL OR status = $2)
         AND ($3 IS NULL OR lower(full_name) LIKE $3 ESCAPE '\\' OR email_key LIKE $3 ESCAPE '\\'
              OR lower(coalesce(organisation, '')) LIKE $3 ESCAPE '\\')";
    on_db!(db, pool => {
        let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM signups WHERE {matches}"))
            .bind(campaign)
            .bind(status)
            .bind(pattern.as_deref())
            .fetch_one(pool)
            .await?;
        let rows: Vec<SignatureRow> = sqlx::query_as(&format!(
            "SELECT {} FROM signups WHERE {matches} ORDER BY id DESC LIMIT $4 OFFSET $5",
            columns(iso)
        ))
        .bind(campaign)
        .bind(status)
        .bind(pattern.as_deref())
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
        Ok((rows.into_iter().map(signature).collect(), total))
    })
}

/// Everything kept about the supporter at `email`.
///
/// # Errors
/// The database's.
pub async fn supporter(db: &Db, email: &EmailAddress) -> Result<SupporterData, sqlx::Error> {
    let key = email.key();
    let (signatures, pledges, queued_mail) = on_db!(db, pool => {
        let mut tx = pool.begin_with(BEGIN_READ).await?;
        let signatures: Vec<SignatureRow> = sqlx::query_as(&format!(
            "SELECT {} FROM signups WHERE email_key = $1 ORDER BY id",
            columns(iso)
        ))
        .bind(&key)
        .fetch_all(&mut *tx)
        .await?;
        let pledges: Vec<PledgeRecord> = sqlx::query_as(&format!(
            "SELECT {} FROM pledges WHERE lower(donor_email) = $1 ORDER BY id",
            record_columns(iso)
        ))
        .bind(&key)
        .fetch_all(&mut *tx)
        .await?;
        let queued: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND (
                 signup_id IN (SELECT id FROM signups WHERE email_key = $1)
                 OR pledge_id IN (SELECT id FROM pledges WHERE lower(donor_email) = $1))",
        )
        .bind(&key)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        (signatures, pledges, queued)
    });
    let pledges = pledges.into_iter().map(staff_pledge).collect();
    Ok(SupporterData {
        email: key,
        signatures: signatures.into_iter().map(signature).collect(),
        pledges,
        queued_mail,
    })
}

/// What erasing a supporter removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Erased {
    pub signatures: u64,
    pub pledges: u64,
    pub mails: u64,
}

/// Erases the supporter at `email`: their signatures (with their links) and unsent mail go,
/// their pledges keep their amounts and status (so the totals stay true) but lose their name,
/// address, message and tax id. The audit trail records that it happened and how much, not
/// whose.
///
/// # Errors
/// The database's.
pub async fn erase(db: &Db, email: &EmailAddress, actor: &str) -> Result<Erased, sqlx::Error> {
    let key = email.key();
    on_db!(db, pool => {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let mails = sqlx::query(
            "DELETE FROM outbox WHERE sent_at IS NULL AND (
                 signup_id IN (SELECT id FROM signups WHERE email_key = $1)
                 OR pledge_id IN (SELECT id FROM pledges WHERE lower(donor_email) = $1))",
        )
        .bind(&key)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let signatures = sqlx::query("DELETE FROM signups WHERE email_key = $1")
            .bind(&key)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let pledges = sqlx::query(&format!(
            "UPDATE pledges SET donor_name = $2, donor_email = $3, message = NULL, tax_id = NULL,
                 updated_at = {NOW}
             WHERE lower(donor_email) = $1"
        ))
        .bind(&key)
        .bind(ERASED_NAME)
        .bind(ERASED_EMAIL)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let erased = Erased { signatures, pledges, mails };
        record_in(
            Conn::from(&mut *tx),
            actor,
            "supporter.erased",
            "",
            &format!("{signatures} signatures, {pledges} pledges, {mails} queued mails"),
        )
        .await?;
        tx.commit().await?;
        Ok(erased)
    })
}
