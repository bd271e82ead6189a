//! Staff exports, written to stdout.

use crate::{config::Format, db};
use anyhow::Context;
use app::server::{consent, export, pledges};
use std::io::Write;

/// Writes every signature of `campaign` as CSV: one row each, with its consent columns and
/// status.
///
/// # Errors
/// When the database does not exist or cannot be read, the campaign does not exist, or `out`
/// fails.
pub async fn signups(
    database_url: &str,
    campaign: &str,
    format: Format,
    out: impl Write,
) -> anyhow::Result<()> {
    let pool = db::open_existing(database_url).await?;
    let exists = export::campaign_exists(&pool, campaign)
        .await
        .context("cannot read the campaigns")?;
    anyhow::ensure!(exists, "there is no campaign {campaign:?}");
    let rows = export::all_signups(&pool, campaign)
        .await
        .context("cannot read the signatures")?;
    pool.close().await;

    let header = [
        "id",
        "campaign",
        "status",
        "full_name",
        "email",
        "kind",
        "organisation",
        "role",
        "country",
        "show_name",
        "keep_informed",
        "consent_version",
        "source",
        "created_at",
        "confirmed_at",
    ];
    write(
        format,
        out,
        header,
        rows.into_iter().map(|row| {
            [
                row.id.to_string(),
                row.campaign,
                row.status,
                cell(&row.full_name),
                cell(&row.email),
                row.kind,
                cell(row.organisation.as_deref().unwrap_or_default()),
                cell(row.role.as_deref().unwrap_or_default()),
                row.country,
                row.show_name.to_string(),
                row.keep_informed.to_string(),
                row.consent_version.to_string(),
                cell(row.source.as_deref().unwrap_or_default()),
                row.created_at,
                row.confirmed_at.unwrap_or_default(),
            ]
        }),
    )
}

/// Writes every pledge as CSV, amounts in minor units (cents) as stored.
///
/// # Errors
/// When the database does not exist or cannot be read, or `out` fails.
pub async fn pledges(database_url: &str, format: Format, out: impl Write) -> anyhow::Result<()> {
    let pool = db::open_existing(database_url).await?;
    let rows = pledges::all_pledges(&pool)
        .await
        .context("cannot read the pledges")?;
    pool.close().await;

    let header = [
        "reference",
        "status",
        "amount_minor",
        "currency",
        "frequency",
        "donor_name",
        "donor_email",
        "message",
        "tax_id",
        "received_via",
        "created_at",
        "received_at",
        "cancelled_at",
    ];
    write(
        format,
        out,
        header,
        rows.into_iter().map(|row| {
            [
                row.reference,
                row.status,
                row.amount_minor.to_string(),
                row.currency,
                row.frequency,
                cell(&row.donor_name),
                cell(&row.donor_email),
                cell(row.message.as_deref().unwrap_or_default()),
                row.tax_id.unwrap_or_default(),
                row.received_via.unwrap_or_default(),
                row.created_at,
                row.received_at.unwrap_or_default(),
                row.cancelled_at.unwrap_or_default(),
            ]
        }),
    )
}

/// Writes the proof of every cookie choice as CSV, oldest first. Nothing in it is typed by a
/// visitor: the server kept only checked records.
///
/// # Errors
/// When the database does not exist or cannot be read, or `out` fails.
pub async fn consents(database_url: &str, format: Format, out: impl Write) -> anyhow::Result<()> {
    let pool = db::open_existing(database_url).await?;
    let rows = consent::consent_records(&pool)
        .await
        .context("cannot read the consent records")?;
    pool.close().await;

    let header = [
        "id",
        "policy_version",
        "analytics",
        "external_media",
        "decided_at",
        "recorded_at",
    ];
    write(
        format,
        out,
        header,
        rows.into_iter().map(|row| {
            [
                row.id,
                row.policy_version.to_string(),
                row.analytics.to_string(),
                row.external_media.to_string(),
                row.decided_at,
                row.recorded_at,
            ]
        }),
    )
}

/// Writes the daily page-view counts as CSV, newest day first.
///
/// # Errors
/// When the database does not exist or cannot be read, or `out` fails.
pub async fn page_views(database_url: &str, format: Format, out: impl Write) -> anyhow::Result<()> {
    let pool = db::open_existing(database_url).await?;
    let rows = consent::page_views(&pool)
        .await
        .context("cannot read the page views")?;
    pool.close().await;

    let header = ["day", "path", "views"];
    write(
        format,
        out,
        header,
        rows.into_iter()
            .map(|(day, path, views)| [day, path, views.to_string()]),
    )
}

/// Writes a header and its rows in `format`.
fn write<const N: usize>(
    format: Format,
    out: impl Write,
    header: [&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> anyhow::Result<()> {
    match format {
        Format::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(header)?;
            for row in rows {
                csv.write_record(row)?;
            }
            csv.flush().context("cannot write the export")?;
        }
    }
    Ok(())
}

/// A value typed by a signer, made safe to open in a spreadsheet: a leading `=`, `+`, `-` or
/// `@` would make it a formula there, so it gets a leading apostrophe.
fn cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formulas_are_defused_and_other_values_kept() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("Ana María"), "Ana María");
    }
}
