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
    let mut options = sqlite_options(url)?
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

/// The SQLite settings `url` names: `sqlite://path` (or `sqlite:path`), or a bare path.
///
/// sqlx takes any other string for a file name, so `postgres://host/db` would quietly become
/// a new SQLite file called `postgres:` in the working folder; a URL of another scheme is
/// refused here instead.
///
/// # Errors
/// When `url` names another kind of database, or is malformed.
pub fn sqlite_options(url: &str) -> anyhow::Result<SqliteConnectOptions> {
    if url.trim() != url {
        anyhow::bail!("DATABASE_URL begins or ends with a space: give it sqlite://PATH alone");
    }
    if let Some(scheme) = url_scheme(url) {
        // sqlx knows the scheme in lower case only, and takes `SQLITE:x` for a file name.
        if scheme != "sqlite" {
            anyhow::bail!(
                "DATABASE_URL names a {scheme}: database, and this server runs on SQLite only: \
                 give it sqlite://PATH"
            );
        }
    }
    SqliteConnectOptions::from_str(url)
        .with_context(|| format!("{url} is not a SQLite database URL"))
}

/// The scheme of `url` (`postgres` in `postgres://…`), if it starts with one: letters, then
/// letters, digits, `+`, `-` or `.`, then `:` (RFC 3986). A one-letter scheme is taken for a
/// Windows drive (`C:\…`), i.e. a path.
fn url_scheme(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    let is_scheme = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && scheme.len() > 1;
    is_scheme.then_some(scheme)
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
    let options = sqlite_options(url)?
        .create_if_missing(false)
        .read_only(read_only)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT);
    // Setting the journal mode is a write: a reader takes the file in whatever mode it is
    // (a restored or set-aside database has not been in WAL yet).
    let options = if read_only {
        options
    } else {
        options.journal_mode(SqliteJournalMode::Wal)
    };
    let file = options.get_filename().to_path_buf();
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open the database {}", file.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_and_paths_are_taken_and_other_schemes_refused() {
        for url in ["sqlite://data/site.db", "sqlite:site.db", "data/site.db"] {
            assert!(sqlite_options(url).is_ok(), "{url}");
        }
        for (url, scheme) in [
            ("postgres://postgres@127.0.0.1:55439/bar", "postgres"),
            ("postgresql://localhost/site", "postgresql"),
            ("mysql://root@localhost/site", "mysql"),
            ("SQLITE://x.db", "SQLITE"),
        ] {
            let error = sqlite_options(url).expect_err(url).to_string();
            assert!(error.contains(&format!("a {scheme}: database")), "{error}");
            assert!(
                !error.contains('@'),
                "the URL's password stays out: {error}"
            );
        }
    }
}
