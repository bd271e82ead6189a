use anyhow::Context;
use app::server::db::{Db, MIGRATOR, POSTGRES_MIGRATOR};
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    PgPool,
};
use std::{str::FromStr, time::Duration};

/// How long a write waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How many times a server tries to reach PostgreSQL at start, and how long apart: it may be
/// starting alongside the app servers (a reboot, a compose file).
const START_TRIES: u32 = 5;
const START_RETRY_AFTER: Duration = Duration::from_secs(2);
/// How long a request waits for a PostgreSQL connection before it is answered 503: a database
/// that has gone away must not hold every visitor until their browser gives up.
const PG_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);
/// Connections each app server keeps to PostgreSQL (its default allows 100 in all).
const PG_CONNECTIONS: u32 = 10;

/// Opens (creating if needed) the database at `url`, with settings that make an acknowledged
/// write durable, and brings its schema and seed content up to date: PostgreSQL for a
/// `postgres://` URL, SQLite for anything else.
///
/// sqlx leaves SQLite's own defaults in place unless told otherwise; these are set on every
/// pooled connection: WAL (readers never block the writer), `synchronous=FULL` (a commit is on
/// disk before it is acknowledged, even across power loss), foreign keys enforced, and a busy
/// timeout instead of an immediate "database is locked".
pub async fn connect(url: &str) -> anyhow::Result<Db> {
    connect_capped(url, None).await
}

/// [`connect`], with the database capped at `max_pages` pages on every connection (how the
/// tests make a full disk).
pub async fn connect_capped(url: &str, max_pages: Option<u32>) -> anyhow::Result<Db> {
    if let Some(options) = postgres_options(url)? {
        return connect_postgres(options).await.map(Db::Postgres);
    }
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
    Ok(Db::Sqlite(pool))
}

/// The PostgreSQL settings `url` names, if it is a `postgres://` (or `postgresql://`) URL.
///
/// # Errors
/// When it is one but malformed; the message never repeats the URL, which holds a password.
pub fn postgres_options(url: &str) -> anyhow::Result<Option<PgConnectOptions>> {
    if !matches!(url_scheme(url), Some("postgres" | "postgresql")) {
        return Ok(None);
    }
    // sqlx's own message quotes the URL; its password stays out of logs.
    let options = PgConnectOptions::from_str(url).map_err(|_| {
        anyhow::anyhow!("DATABASE_URL is not a PostgreSQL URL that can be read: postgres://USER:PASSWORD@HOST:PORT/DATABASE")
    })?;
    // As SQLite's busy timeout: a write blocked by another's lock (staff in psql, a long
    // transaction) fails after a while and is answered 503, instead of holding its visitor
    // and the batch it is in for as long as the lock lasts.
    let lock_timeout = format!("{}ms", BUSY_TIMEOUT.as_millis());
    Ok(Some(options.options([("lock_timeout", lock_timeout)])))
}

/// Where `options` point, as messages may say it: host, port and database, never the password.
pub fn describe(options: &PgConnectOptions) -> String {
    format!(
        "PostgreSQL at {}:{} (database {})",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or("named after the user")
    )
}

/// Connects to PostgreSQL, trying again for a while if it is not up yet, and brings its
/// schema up to date (every server may do so at once: the migrator takes a lock).
async fn connect_postgres(options: PgConnectOptions) -> anyhow::Result<PgPool> {
    let place = describe(&options);
    let mut tries = 0;
    let pool = loop {
        tries += 1;
        let pool = PgPoolOptions::new()
            .max_connections(PG_CONNECTIONS)
            .acquire_timeout(PG_ACQUIRE_TIMEOUT)
            .connect_with(options.clone())
            .await;
        match pool {
            Ok(pool) => break pool,
            Err(error) if tries < START_TRIES => {
                tracing::warn!(%error, "{place} is not answering; trying again in {START_RETRY_AFTER:?}");
                tokio::time::sleep(START_RETRY_AFTER).await;
            }
            Err(error) => {
                anyhow::bail!(
                    "cannot reach {place} after {tries} tries: {}",
                    root_cause(&error)
                );
            }
        }
    };
    POSTGRES_MIGRATOR
        .run(&pool)
        .await
        .with_context(|| format!("cannot bring {place} up to date"))?;
    Ok(pool)
}

/// The error's own words, without sqlx's wrapping.
fn root_cause(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Io(io) => io.to_string(),
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string(),
    }
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
                "DATABASE_URL names a {scheme}: database, and this server runs on SQLite \
                 (sqlite://PATH) or PostgreSQL (postgres://…)"
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
pub async fn open_existing(url: &str) -> anyhow::Result<Db> {
    open_existing_with(url, true).await
}

/// Opens an existing database for a staff command that changes it: never created, never
/// migrated (an older binary must not touch a newer schema, nor a newer one migrate the live
/// database behind the server's back); writes as durable as the server's.
///
/// # Errors
/// When `url` is malformed or names no database.
pub async fn open_existing_for_writing(url: &str) -> anyhow::Result<Db> {
    open_existing_with(url, false).await
}

async fn open_existing_with(url: &str, read_only: bool) -> anyhow::Result<Db> {
    if let Some(options) = postgres_options(url)? {
        let place = describe(&options);
        let options = if read_only {
            options.options([("default_transaction_read_only", "on")])
        } else {
            options
        };
        return PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(PG_ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map(Db::Postgres)
            .map_err(|error| anyhow::anyhow!("cannot reach {place}: {}", root_cause(&error)));
    }
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
        .map(Db::Sqlite)
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
