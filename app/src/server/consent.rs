//! The SQL of consent and analytics: the proof of each cookie choice, and the daily page-view
//! counts that run while a visitor allows analytics. Neither holds anything that identifies a
//! visitor.

use super::db::{on_db, Db};
use crate::{
    consent::{ConsentRecord, PAGE_VIEWS_KEPT_FOR, PROOF_KEPT_FOR},
    domain::language::{code, Locale},
};

/// What became of a proof of consent sent to the server.
#[derive(Debug, PartialEq, Eq)]
pub enum Proof {
    /// Kept.
    Recorded,
    /// The same record was kept before (a retried request): nothing changed.
    AlreadyRecorded,
    /// Another record with this id was kept before: the first one stands.
    IdTaken,
}

/// Keeps a checked record (see [`ConsentRecord::check`]) as proof, with the language of the
/// text the visitor read, and forgets proofs past their time.
pub async fn record_consent(
    db: &Db,
    record: &ConsentRecord,
    locale: Locale,
) -> Result<Proof, sqlx::Error> {
    on_db!(db, pool => {
    let (id, id_5) = (uuid("$1"), uuid("$5"));
    let forgotten_before = shifted(PROOF_KEPT_FOR);
    let mut tx = pool.begin_with(BEGIN_WRITE).await?;
    let inserted = sqlx::query(&format!(
        "INSERT INTO consent_records
             (id, policy_version, analytics, external_media, decided_at, lang, recorded_at)
         VALUES ({id}, $2, $3, $4, $5, $6, {NOW})
         ON CONFLICT (id) DO NOTHING"
    ))
    .bind(&record.id)
    .bind(i64::from(record.version))
    .bind(record.choices.analytics)
    .bind(record.choices.external_media)
    .bind(&record.decided_at)
    .bind(code(locale))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let proof = if inserted == 1 {
        sqlx::query(&format!(
            "DELETE FROM consent_records WHERE recorded_at < {forgotten_before}"
        ))
        .execute(&mut *tx)
        .await?;
        Proof::Recorded
    } else {
        let same = sqlx::query_scalar::<_, bool>(&format!(
            "SELECT policy_version = $1 AND analytics = $2 AND external_media = $3 AND decided_at = $4
             FROM consent_records WHERE id = {id_5}"
        ))
        .bind(i64::from(record.version))
        .bind(record.choices.analytics)
        .bind(record.choices.external_media)
        .bind(&record.decided_at)
        .bind(&record.id)
        .fetch_one(&mut *tx)
        .await?;
        if same {
            Proof::AlreadyRecorded
        } else {
            Proof::IdTaken
        }
    };
    tx.commit().await?;
    Ok(proof)
    })
}

/// Adds one to today's count for `path` (already reduced by
/// [`counted_path`](crate::domain::analytics::counted_path)) if it is a page that exists, and
/// forgets counts past their time.
pub async fn count_page_view(db: &Db, path: &str) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
    let forgotten_before = today_shifted(PAGE_VIEWS_KEPT_FOR);
    let mut tx = pool.begin_with(BEGIN_WRITE).await?;
    // A content page counts only if its content exists: made-up slugs would fill the table
    // with rows nobody reads.
    sqlx::query(&format!(
        "INSERT INTO page_views (day, path, views)
         SELECT {TODAY}, $1, 1
         WHERE CASE
             WHEN $1 LIKE '/news/tag/%' THEN EXISTS (
                 SELECT 1 FROM tags t JOIN post_tags pt ON pt.tag_id = t.id
                 JOIN posts p ON p.id = pt.post_id
                 WHERE t.slug = substr($1, 11) AND p.status = 'published')
             WHEN $1 LIKE '/news/%' THEN EXISTS (
                 SELECT 1 FROM posts WHERE slug = substr($1, 7) AND status = 'published')
             WHEN $1 LIKE '/members/%' THEN EXISTS (
                 SELECT 1 FROM members WHERE slug = substr($1, 10))
             WHEN $1 LIKE '/resources/%' THEN EXISTS (
                 SELECT 1 FROM resources WHERE slug = substr($1, 12))
             ELSE true
         END
         ON CONFLICT (day, path) DO UPDATE SET views = page_views.views + 1"
    ))
    .bind(path)
    .execute(&mut *tx)
    .await?;
    // An empty range scan on the primary key almost every time.
    sqlx::query(&format!(
        "DELETE FROM page_views WHERE day < {forgotten_before}"
    ))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
    })
}

/// Page views per day and page, newest day first, for staff.
pub async fn page_views(db: &Db) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT CAST(day AS TEXT), path, views FROM page_views ORDER BY day DESC, views DESC, path",
    )
    .fetch_all(pool)
    .await)
}

/// A kept proof of consent, as staff export it.
#[derive(Debug, sqlx::FromRow)]
pub struct ProofRow {
    pub id: String,
    pub policy_version: i64,
    pub analytics: bool,
    pub external_media: bool,
    pub decided_at: String,
    pub recorded_at: String,
    /// The language of the text agreed to (`en`, `es`).
    pub lang: String,
}

/// Every kept proof of consent, oldest first.
pub async fn consent_records(db: &Db) -> Result<Vec<ProofRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT CAST(id AS TEXT) AS id, policy_version, analytics, external_media, decided_at,
                {} AS recorded_at, lang
         FROM consent_records ORDER BY consent_records.recorded_at, id",
        iso("recorded_at")
    ))
    .fetch_all(pool)
    .await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        consent::{Choices, POLICY_VERSION},
        server::db::{on_db, testing::on_both},
    };
    use sqlx::SqlitePool;

    /// Runs `sql`, which the test expects to work.
    async fn execute(db: &Db, sql: &str) {
        on_db!(db, pool => sqlx::query(sql).execute(pool).await.map(drop).expect("runs"));
    }

    fn record(id: &str, choices: Choices) -> ConsentRecord {
        ConsentRecord {
            version: POLICY_VERSION,
            choices,
            decided_at: "2026-11-28T09:30:00.000Z".into(),
            id: id.into(),
        }
    }

    const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    on_both! {
        async fn a_choice_is_kept_once_and_never_overwritten(db: Db) {
            let first = record(ID, Choices::ALL);
            assert_eq!(
                record_consent(&db, &first, Locale::en_GB)
                    .await
                    .expect("records"),
                Proof::Recorded
            );
            assert_eq!(
                record_consent(&db, &first, Locale::en_GB)
                    .await
                    .expect("records"),
                Proof::AlreadyRecorded
            );
            assert_eq!(
                record_consent(&db, &record(ID, Choices::NONE), Locale::en_GB)
                    .await
                    .expect("records"),
                Proof::IdTaken
            );
            let kept = consent_records(&db)
                .await
                .expect("reads");
            assert_eq!(kept.len(), 1);
            assert!(
                kept[0].analytics && kept[0].external_media,
                "the first stands"
            );
            assert_eq!(kept[0].decided_at, "2026-11-28T09:30:00.000Z");
        }
    }

    on_both! {
        async fn old_proofs_are_forgotten(db: Db) {
            execute(
                &db,
                "INSERT INTO consent_records
                     (id, policy_version, analytics, external_media, decided_at, recorded_at)
                 VALUES ('00000000-0000-4000-8000-000000000000', 1, false, false, '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')",
            )
            .await;
            record_consent(&db, &record(ID, Choices::NONE), Locale::en_GB)
                .await
                .expect("records");
            let kept = consent_records(&db)
                .await
                .expect("reads");
            assert_eq!(kept.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [ID]);
        }
    }

    on_both! {
        async fn views_count_per_page_and_day_and_old_days_go(db: Db) {
            execute(&db, "INSERT INTO page_views VALUES ('2000-01-01', '/news', 7)").await;
            for path in ["/news", "/news", "/"] {
                count_page_view(&db, path)
                    .await
                    .expect("counts");
            }
            let views = page_views(&db).await.expect("reads");
            let today: String = on_db!(&db, pool => sqlx::query_scalar(&format!(
                "SELECT CAST({TODAY} AS TEXT)"
            ))
            .fetch_one(pool)
            .await
            .expect("a date"));
            assert_eq!(
                views,
                [
                    (today.clone(), "/news".to_owned(), 2),
                    (today, "/".to_owned(), 1)
                ]
            );
        }
    }

    #[sqlx::test(migrator = "crate::server::db::MIGRATOR")]
    async fn the_schema_refuses_what_the_code_would_never_write(pool: SqlitePool) {
        for (sql, why) in [
            ("INSERT INTO page_views VALUES ('today', '/', 1)", "a day that is not a date"),
            ("INSERT INTO page_views VALUES ('2026-01-01', 'news', 1)", "a path without /"),
            ("INSERT INTO page_views VALUES ('2026-01-01', '/', 0)", "no views"),
            (
                "INSERT INTO consent_records VALUES ('short', 2, 0, 0, '2026-11-28T09:30:00.000Z', 'x')",
                "an id that is not a UUID",
            ),
            (
                "INSERT INTO consent_records VALUES ('0f8fad5b-d9cb-469f-a165-70867728950e', 2, 2, 0, '2026-11-28T09:30:00.000Z', 'x')",
                "a choice that is not a switch",
            ),
        ] {
            assert!(sqlx::query(sql).execute(&pool).await.is_err(), "{why}");
        }
    }
}
