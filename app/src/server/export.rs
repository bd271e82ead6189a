//! The SQL of what staff export (`server export`): every signature of a campaign.

use super::db::{on_db, Db};

/// One signature as staff export it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct SignupRecord {
    pub id: i64,
    pub campaign: String,
    pub status: String,
    pub full_name: String,
    pub email: String,
    pub kind: String,
    pub organisation: Option<String>,
    pub role: Option<String>,
    pub country: String,
    pub show_name: bool,
    pub keep_informed: bool,
    pub consent_version: i64,
    pub source: Option<String>,
    /// The language they signed in (`en`, `es`), which mail to them is written in.
    pub lang: String,
    pub created_at: String,
    pub confirmed_at: Option<String>,
}

/// Every signature of `campaign`, oldest first.
pub async fn all_signups(db: &Db, campaign: &str) -> Result<Vec<SignupRecord>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, SignupRecord>(&format!(
        "SELECT id, campaign, status, full_name, email, kind, organisation, role, country,
                show_name, keep_informed, consent_version, source, lang, {} AS created_at,
                {} AS confirmed_at
         FROM signups WHERE campaign = $1 ORDER BY id",
        iso("created_at"),
        iso("confirmed_at")
    ))
    .bind(campaign)
    .fetch_all(pool)
    .await)
}

/// Whether `campaign` exists.
pub async fn campaign_exists(db: &Db, campaign: &str) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar::<_, bool>(
        "SELECT EXISTS (SELECT 1 FROM campaigns WHERE slug = $1)",
    )
    .bind(campaign)
    .fetch_one(pool)
    .await)
}
