//! Staff exports: CSV to stdout and the workspace's downloads, the content as files. Each
//! is written to the audit trail, so the database is opened for writing.

use crate::{config::Format, db, protect::plain_page};
use anyhow::Context;
use app::locale::Locale;
use app::{
    domain::{
        signup::CALL_TO_ACTION,
        staff::{PledgeFilter, Right, SignatureFilter},
    },
    server::{consent, export, pledges, staff, state::AppState, supporters},
};
use axum::{
    extract::{Query, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use std::io::Write;
use tower_sessions::Session;

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
    let pool = db::open_existing_for_writing(database_url).await?;
    let exists = export::campaign_exists(&pool, campaign)
        .await
        .context("cannot read the campaigns")?;
    anyhow::ensure!(exists, "there is no campaign {campaign:?}");
    let rows = export::all_signups(&pool, campaign)
        .await
        .context("cannot read the signatures")?;
    audited(&pool, "signatures", campaign).await?;
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
        "lang",
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
                row.lang,
                row.created_at,
                row.confirmed_at.unwrap_or_default(),
            ]
        }),
    )
}

/// `GET /staff/signatures.csv?text=…&status=…`: exactly the signatures the workspace's list
/// shows for the same filter, as a CSV download, for staff whose role reaches supporters.
/// Without a session the browser goes to the login form; the download is audited.
pub async fn signatures_csv(
    State(state): State<AppState>,
    session: Session,
    Query(filter): Query<SignatureFilter>,
) -> Response {
    let make = async {
        let (rows, _) =
            supporters::find_signatures(&state.pool, CALL_TO_ACTION, &filter, None).await?;
        let mut out = Vec::new();
        let header = [
            "id",
            "status",
            "full_name",
            "email",
            "kind",
            "organisation",
            "country",
            "lang",
            "created_at",
        ];
        write(
            Format::Csv,
            &mut out,
            header,
            rows.into_iter().map(|row| {
                [
                    row.id.to_string(),
                    row.status,
                    cell(&row.full_name),
                    cell(&row.email),
                    row.kind,
                    cell(row.organisation.as_deref().unwrap_or_default()),
                    row.country,
                    row.lang,
                    row.created_at,
                ]
            }),
        )?;
        Ok(out)
    };
    let download = Download {
        name: "signatures",
        query: filter.query(),
    };
    download.answer(&state, &session, make).await
}

/// `GET /staff/pledges.csv?text=…&status=…&frequency=…`: exactly the pledges the workspace's
/// list finds for the same filter (all of them, not only the page it shows), as CSV, for
/// fundraisers; audited.
pub async fn pledges_csv(
    State(state): State<AppState>,
    session: Session,
    Query(filter): Query<PledgeFilter>,
) -> Response {
    let make = async {
        let (rows, _) = pledges::find(&state.pool, &filter, None).await?;
        let mut out = Vec::new();
        write_pledges(Format::Csv, &mut out, rows)?;
        Ok(out)
    };
    let download = Download {
        name: "pledges",
        query: filter.query(),
    };
    download.answer(&state, &session, make).await
}

/// A CSV download of the workspace: `{name}.csv`, audited as `{name}.export` with the filter
/// that made it.
struct Download {
    name: &'static str,
    query: String,
}

impl Download {
    async fn answer(
        self,
        state: &AppState,
        session: &Session,
        make: impl std::future::Future<Output = anyhow::Result<Vec<u8>>>,
    ) -> Response {
        use app::api::{error::StaffError, staff::member_of};
        let member = match member_of(session, &state.pool, Right::Supporters).await {
            Ok(member) => member,
            Err(StaffError::NotLoggedIn) => return Redirect::to("/staff/login").into_response(),
            Err(error) => {
                let status = StatusCode::from_u16(error.status())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                // The staff workspace is in English.
                return plain_page(
                    status,
                    Locale::en_GB,
                    "Not available",
                    &error.to_string(),
                    None,
                );
            }
        };
        let csv = make.await;
        let action = format!("{}.export", self.name);
        let recorded = staff::record(&state.pool, &member.email, &action, "", &self.query).await;
        match (csv, recorded) {
            (Ok(csv), Ok(())) => (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{}.csv\"", self.name),
                    ),
                    (header::CACHE_CONTROL, "private, no-store".to_owned()),
                ],
                csv,
            )
                .into_response(),
            (Err(error), _) => {
                tracing::error!("exporting {}: {error:#}", self.name);
                unavailable()
            }
            (_, Err(error)) => {
                tracing::error!(%error, "recording an export");
                unavailable()
            }
        }
    }
}

/// Records an export made from the command line in the audit trail, as the workspace's
/// downloads are: what was exported, by whom ("command line"), of what.
async fn audited(pool: &app::server::db::Db, what: &str, of: &str) -> anyhow::Result<()> {
    staff::record(pool, staff::COMMAND_LINE, &format!("{what}.export"), "", of)
        .await
        .context("cannot record the export in the audit trail")
}

fn unavailable() -> Response {
    plain_page(
        StatusCode::SERVICE_UNAVAILABLE,
        Locale::en_GB,
        "Please try again",
        "The download could not be made. Please try again in a moment.",
        None,
    )
}

/// Writes the posts and members to `dir` as content files, and says how many.
///
/// # Errors
/// When the database does not exist or cannot be read, or `dir` cannot be written (or
/// holds files already).
pub async fn content(database_url: &str, dir: &std::path::Path) -> anyhow::Result<()> {
    let pool = db::open_existing_for_writing(database_url).await?;
    let exported = crate::import::export_dir(&pool, dir).await;
    let exported = match exported {
        Ok(exported) => audited(&pool, "content", &dir.display().to_string())
            .await
            .map(|()| exported),
        Err(error) => Err(error),
    };
    pool.close().await;
    let exported = exported?;
    println!(
        "wrote {} posts, {} translations and {} members to {}",
        exported.posts,
        exported.translations,
        exported.members,
        dir.display()
    );
    Ok(())
}

/// Writes every pledge as CSV, amounts in minor units (cents) as stored.
///
/// # Errors
/// When the database does not exist or cannot be read, or `out` fails.
pub async fn pledges(database_url: &str, format: Format, out: impl Write) -> anyhow::Result<()> {
    let pool = db::open_existing_for_writing(database_url).await?;
    let rows = pledges::all_pledges(&pool)
        .await
        .context("cannot read the pledges")?;
    audited(&pool, "pledges", "all").await?;
    pool.close().await;
    write_pledges(format, out, rows)
}

/// The pledges' table, the same from the command line and from the workspace.
fn write_pledges(
    format: Format,
    out: impl Write,
    rows: Vec<pledges::PledgeRecord>,
) -> anyhow::Result<()> {
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
        "lang",
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
                row.lang,
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
    let pool = db::open_existing_for_writing(database_url).await?;
    let rows = consent::consent_records(&pool)
        .await
        .context("cannot read the consent records")?;
    audited(&pool, "consents", "all").await?;
    pool.close().await;

    let header = [
        "id",
        "policy_version",
        "analytics",
        "external_media",
        "decided_at",
        "recorded_at",
        "lang",
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
                row.lang,
            ]
        }),
    )
}

/// Writes the daily page-view counts as CSV, newest day first.
///
/// # Errors
/// When the database does not exist or cannot be read, or `out` fails.
pub async fn page_views(database_url: &str, format: Format, out: impl Write) -> anyhow::Result<()> {
    let pool = db::open_existing_for_writing(database_url).await?;
    let rows = consent::page_views(&pool)
        .await
        .context("cannot read the page views")?;
    audited(&pool, "page-views", "all").await?;
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
