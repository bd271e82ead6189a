use anyhow::Context;
use app::server::db::MIGRATOR;
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    SqlitePool,
};
use std::{str::FromStr, time::Duration};

/// How long a write waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens (creating if needed) the database at `url`, with settings that make an acknowledged
/// write durable, and brings its schema and seed content up to date.
///
/// sqlx leaves SQLite's own defaults in place unless told otherwise; these are set on every
/// pooled connection: WAL (readers never block the writer), `synchronous=FULL` (a commit is on
/// disk before it is acknowledged, even across power loss), foreign keys enforced, and a busy
/// timeout instead of an immediate "database is locked".
pub async fn connect(url: &str) -> anyhow::Result<SqlitePool> {
    connect_capped(url, None).await
}

/// [`connect`], with the database capped at `max_pages` pages on every connection (how the
/// tests make a full disk).
pub async fn connect_capped(url: &str, max_pages: Option<u32>) -> anyhow::Result<SqlitePool> {
    let mut options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("{url} is not a SQLite database URL"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT)
        // 1 MB of page cache a connection instead of SQLite's 2 MB: eight connections would
        // otherwise keep 16 MB of a small server's memory for pages the kernel caches anyway.
        .pragma("cache_size", "-1000");
    if let Some(pages) = max_pages {
        options = options.pragma("max_page_count", pages.to_string());
    }

    let file = options.get_filename().to_path_buf();
    if let Some(dir) = file.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| {
            format!(
                "cannot create the folder {} for the database",
                dir.display()
            )
        })?;
    }

    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open the database {}", file.display()))?;
    MIGRATOR
        .run(&pool)
        .await
        .with_context(|| format!("cannot bring the database {} up to date", file.display()))?;
    Ok(pool)
}

/// Opens an existing database read-only, for staff tasks: a mistyped `DATABASE_URL` must fail,
/// not export an empty database it has just created.
///
/// # Errors
/// When `url` is malformed or names no database.
pub async fn open_existing(url: &str) -> anyhow::Result<SqlitePool> {
    open_existing_with(url, true).await
}

/// Opens an existing database for a staff command that changes it: never created, never
/// migrated (an older binary must not touch a newer schema, nor a newer one migrate the live
/// database behind the server's back); writes as durable as the server's.
///
/// # Errors
/// When `url` is malformed or names no database.
pub async fn open_existing_for_writing(url: &str) -> anyhow::Result<SqlitePool> {
    open_existing_with(url, false).await
}

async fn open_existing_with(url: &str, read_only: bool) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("{url} is not a SQLite database URL"))?
        .create_if_missing(false)
        .read_only(read_only)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT);
    let file = options.get_filename().to_path_buf();
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open the database {}", file.display()))
}
