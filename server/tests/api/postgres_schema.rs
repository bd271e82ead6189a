//! The PostgreSQL schema kept in step with SQLite's: the same tables and columns, the same
//! seed, and the same behaviour of what the database does by itself (version counters,
//! stemmed search). Runs against the throwaway cluster `.ci/test` starts
//! (`TEST_DATABASE_URL`); on CI a missing cluster is a failure, not a skip.

use app::server::db::POSTGRES_MIGRATOR;
use sqlx::{postgres::PgPoolOptions, PgPool, Row};
use std::collections::{BTreeMap, BTreeSet};

/// A fresh database on the test cluster, with the PostgreSQL migrations run; `None` when no
/// cluster is given outside CI.
pub async fn fresh_postgres() -> Option<PgPool> {
    let url = crate::helpers::fresh_postgres_url().await?;
    let pool = PgPoolOptions::new()
        .max_connections(4)
        .connect(&url)
        .await
        .expect("connects to the new database");
    POSTGRES_MIGRATOR.run(&pool).await.expect("migrates");
    Some(pool)
}

/// Every table's columns, leaving out what each engine keeps for itself.
type Columns = BTreeMap<String, BTreeSet<String>>;

async fn sqlite_columns(pool: &sqlx::SqlitePool) -> Columns {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table'
           AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx_%'
           AND name NOT LIKE 'posts_fts%' AND name NOT LIKE 'posts_excerpt%'",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    let mut columns = Columns::new();
    for table in tables {
        let names: Vec<String> =
            sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .fetch_all(pool)
                .await
                .expect("columns");
        columns.insert(table, names.into_iter().collect());
    }
    columns
}

async fn postgres_columns(pool: &PgPool) -> Columns {
    let rows = sqlx::query(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name NOT LIKE '\\_sqlx\\_%'",
    )
    .fetch_all(pool)
    .await
    .expect("columns");
    let mut columns = Columns::new();
    for row in rows {
        let (table, column): (String, String) = (row.get(0), row.get(1));
        // FTS5's indexes are tables of their own in SQLite; here they are the rows' own
        // column.
        if !matches!(
            (table.as_str(), column.as_str()),
            ("posts" | "post_translations", "search")
        ) {
            columns.entry(table).or_default().insert(column);
        }
    }
    columns
}

#[tokio::test]
async fn postgres_has_the_tables_columns_and_seed_of_sqlite() {
    let Some(postgres) = fresh_postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let sqlite = server::db::connect(&format!(
        "sqlite://{}",
        dir.path().join("site.db").display()
    ))
    .await
    .expect("a SQLite database")
    .sqlite()
    .cloned()
    .expect("SQLite");

    assert_eq!(
        postgres_columns(&postgres).await,
        sqlite_columns(&sqlite).await
    );

    // The seed, compared as text: dates and ids read the same on both.
    for query in [
        "SELECT slug || '|' || title || '|' || summary || '|' || published_on || '|' || status
            || '|' || body_markdown || '|' || body_html || '|' || body_text FROM posts",
        "SELECT slug || '|' || name || '|' || role || '|' || bio FROM members",
        "SELECT slug || '|' || label || '|' || title || '|' || coalesce(url, '-') || '|' || position
            FROM resources ORDER BY position",
        "SELECT slug || '|' || title || '|' || summary || '|' || why || '|' || first_goal
            || '|' || post_slug FROM campaigns",
        "SELECT campaign || '|' || position || '|' || name || '|' || sentence
            FROM campaign_principles ORDER BY position",
        "SELECT count(*) || '' FROM post_members",
    ] {
        let ours: Vec<String> = sqlx::query_scalar(query)
            .fetch_all(&postgres)
            .await
            .unwrap_or_else(|error| panic!("{query}: {error}"));
        let theirs: Vec<String> = sqlx::query_scalar(query)
            .fetch_all(&sqlite)
            .await
            .unwrap_or_else(|error| panic!("{query}: {error}"));
        assert!(!theirs.is_empty(), "{query}");
        assert_eq!(ours, theirs, "{query}");
    }
}

#[tokio::test]
async fn postgres_moves_the_version_counters_and_finds_stemmed_words() {
    let Some(pool) = fresh_postgres().await else {
        return;
    };
    let version = |table: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!("SELECT version FROM {table}"))
                .fetch_one(&pool)
                .await
                .expect("a version")
        }
    };
    // Fresh from the migrations, as SQLite's.
    assert_eq!(version("content_version").await, 1);
    assert_eq!(version("figures_version").await, 1);
    let content = version("content_version").await;
    sqlx::query("INSERT INTO tags (slug, name) VALUES ('cities', 'Cities')")
        .execute(&pool)
        .await
        .expect("a tag");
    assert!(
        version("content_version").await > content,
        "a new tag is new content"
    );

    let figures = version("figures_version").await;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO signups (campaign, email, email_key, full_name, kind, country, show_name,
            keep_informed, consent_version, created_at, updated_at, expires_at)
         VALUES ('call-to-action-for-leadership', 'ana@example.org', 'ana@example.org', 'Ana',
            'person', 'ES', true, false, 1, now(), now(), now() + interval '1 day')
         RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .expect("a pending signature");
    assert_eq!(
        version("figures_version").await,
        figures,
        "pending: no figure moved"
    );
    sqlx::query(
        "UPDATE signups SET status = 'confirmed', confirmed_at = now(), expires_at = NULL
         WHERE id = $1",
    )
    .bind(id)
    .execute(&pool)
    .await
    .expect("confirmed");
    assert!(
        version("figures_version").await > figures,
        "a confirmation moves the count"
    );

    // "migrations" finds the post that says "migration", as FTS5's porter stemmer does.
    let found: Vec<String> = sqlx::query_scalar(
        "SELECT slug FROM posts WHERE search @@ websearch_to_tsquery('site_english', $1)",
    )
    .bind("migrations")
    .fetch_all(&pool)
    .await
    .expect("a search");
    assert_eq!(
        found,
        ["a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference"]
    );
}
