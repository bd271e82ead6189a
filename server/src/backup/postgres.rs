//! `server backup` and `server restore` on PostgreSQL, through its own tools: `pg_dump` and
//! `pg_restore` (Debian's `postgresql-client`), which know every type, index and trigger.
//!
//! A backup is one snapshot: the server opens a repeatable-read transaction, exports its
//! snapshot, counts what it holds, and has `pg_dump --snapshot` write exactly that state, so
//! the counts it reports are the file's, and the writes acknowledged before it began are in
//! it while the writes after go on. A restore runs in one transaction (`--single-transaction
//! --exit-on-error`): a truncated or foreign file leaves the database as it was.

use super::{beside, create_private, holdings_of, remove_if_present, sync_file, Holdings};
use anyhow::{bail, Context};
use app::server::db::{MIGRATOR, POSTGRES_MIGRATOR};
use sqlx::{
    postgres::{PgConnectOptions, PgSslMode},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    Connection, PgConnection,
};
use std::{path::Path, process::Command, str::FromStr};

/// What libpq's tools need to reach the very database the server reaches with `url`: read
/// from the settings sqlx made of it (so a `?user=`, `?dbname=`, a socket folder or an SSL mode
/// mean the same to both), as environment variables: the password never appears on a command
/// line, where other users of the machine could read it.
fn libpq_env(url: &str) -> anyhow::Result<Vec<(&'static str, String)>> {
    let unreadable = || anyhow::anyhow!("DATABASE_URL is not a PostgreSQL URL that can be read");
    let options = PgConnectOptions::from_str(url).map_err(|_| unreadable())?;
    let parsed = url::Url::parse(url).map_err(|_| unreadable())?;
    let password = parsed
        .password()
        .map(|encoded| {
            percent_encoding::percent_decode_str(encoded)
                .decode_utf8_lossy()
                .into_owned()
        })
        .or_else(|| {
            parsed
                .query_pairs()
                .find(|(key, _)| key == "password")
                .map(|(_, value)| value.into_owned())
        });
    let mut env = vec![
        (
            "PGHOST",
            options.get_socket().map_or_else(
                || options.get_host().to_owned(),
                |socket| socket.display().to_string(),
            ),
        ),
        ("PGPORT", options.get_port().to_string()),
        ("PGUSER", options.get_username().to_owned()),
        ("PGDATABASE", database_name(&options)),
        (
            "PGSSLMODE",
            match options.get_ssl_mode() {
                PgSslMode::Disable => "disable",
                PgSslMode::Allow => "allow",
                PgSslMode::Prefer => "prefer",
                PgSslMode::Require => "require",
                PgSslMode::VerifyCa => "verify-ca",
                PgSslMode::VerifyFull => "verify-full",
            }
            .to_owned(),
        ),
    ];
    if let Some(password) = password {
        env.push(("PGPASSWORD", password));
    }
    for (key, value) in parsed.query_pairs() {
        match key.as_ref() {
            "sslrootcert" | "ssl-root-cert" => env.push(("PGSSLROOTCERT", value.into_owned())),
            "sslcert" | "ssl-cert" => env.push(("PGSSLCERT", value.into_owned())),
            "sslkey" | "ssl-key" => env.push(("PGSSLKEY", value.into_owned())),
            "options" => env.push(("PGOPTIONS", value.into_owned())),
            _ => {}
        }
    }
    Ok(env)
}

/// The database `options` name; as libpq and the server default it, the user's name.
fn database_name(options: &PgConnectOptions) -> String {
    options
        .get_database()
        .unwrap_or_else(|| options.get_username())
        .to_owned()
}

/// Runs `tool` with `args` against the database `url`: what it printed, or its own message.
fn run(tool: &str, args: &[&str], url: &str) -> anyhow::Result<String> {
    let output = Command::new(tool)
        .args(args)
        .envs(libpq_env(url)?)
        .output()
        .with_context(|| {
            format!("cannot run {tool} (Debian's postgresql-client package has it)")
        })?;
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    let said = String::from_utf8_lossy(&output.stderr);
    let first = said
        .lines()
        .map(|line| line.trim_start_matches(&format!("{tool}: ")).trim())
        .find(|line| !line.is_empty())
        .unwrap_or("it failed without a word");
    bail!("{tool} failed: {first}")
}

async fn connect(url: &str) -> anyhow::Result<PgConnection> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|_| anyhow::anyhow!("DATABASE_URL is not a PostgreSQL URL that can be read"))?;
    PgConnection::connect_with(&options)
        .await
        .map_err(|error| anyhow::anyhow!("cannot reach PostgreSQL: {error}"))
}

/// What the database holds, as the connection's transaction sees it; `bytes` left at 0.
async fn holdings(conn: &mut PgConnection) -> anyhow::Result<Holdings> {
    let (signatures, pledges, posts): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM signups), (SELECT count(*) FROM pledges),
                (SELECT count(*) FROM posts)",
    )
    .fetch_one(&mut *conn)
    .await
    .context("cannot count what the database holds")?;
    Ok(Holdings {
        signatures,
        pledges,
        posts,
        bytes: 0,
    })
}

/// Writes a backup of the database `url` to the new file `to`.
pub async fn backup(url: &str, to: &Path) -> anyhow::Result<Holdings> {
    let partial = beside(to, "partial")?;
    remove_if_present(&partial)?;
    let mut conn = connect(url).await?;
    let written = async {
        // The snapshot stays valid while this transaction is open: pg_dump reads it exactly.
        sqlx::query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut conn)
            .await?;
        let snapshot: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
            .fetch_one(&mut conn)
            .await?;
        let held = holdings(&mut conn).await?;
        create_private(&partial)?;
        let file = partial
            .to_str()
            .context("the backup's name is not UTF-8")?
            .to_owned();
        let dump = tokio::task::spawn_blocking({
            let url = url.to_owned();
            move || {
                run(
                    "pg_dump",
                    &[
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        &format!("--snapshot={snapshot}"),
                        &format!("--file={file}"),
                    ],
                    &url,
                )
            }
        })
        .await
        .context("the backup task failed")?;
        dump.map(drop)?;
        sqlx::query("COMMIT").execute(&mut conn).await?;
        sync_file(&partial)?;
        std::fs::rename(&partial, to)
            .with_context(|| format!("cannot name the backup {}", to.display()))?;
        let bytes = std::fs::metadata(to).map(|meta| meta.len()).unwrap_or(0);
        Ok::<_, anyhow::Error>(Holdings { bytes, ..held })
    }
    .await;
    let _ = conn.close().await;
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// Puts the backup `from` into the database `url`: one that holds no signatures or pledges,
/// or any with `force`. Brings it up to this release's schema afterwards.
pub async fn restore(url: &str, from: &Path, force: bool) -> anyhow::Result<Holdings> {
    if !from.is_file() {
        bail!("{} is not a file", from.display());
    }
    let name = from
        .to_str()
        .context("the backup's name is not UTF-8")?
        .to_owned();
    // The archive's table of contents first: a file that is not a whole pg_dump archive is
    // refused before the database is touched.
    let listed = tokio::task::spawn_blocking({
        let (url, name) = (url.to_owned(), name.clone());
        move || run("pg_restore", &["--list", &name], &url)
    })
    .await
    .context("the restore task failed")?;
    let contents = match listed {
        Ok(contents) => contents,
        Err(error) => bail!(
            "{} is not a whole PostgreSQL backup ({error:#}): nothing was changed",
            from.display()
        ),
    };
    // This site's: its signatures and the migrations that made them.
    for table in ["signups", "_sqlx_migrations"] {
        if !contents
            .lines()
            .any(|line| line.contains("TABLE DATA") && line.contains(&format!(" {table} ")))
        {
            bail!(
                "{} is a PostgreSQL backup of another database (no {table} table): nothing was changed",
                from.display()
            );
        }
    }
    let mut conn = connect(url).await?;
    let tables: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
            .fetch_one(&mut conn)
            .await?;
    // As for SQLite: a database without tables is empty; any other is replaced only when
    // asked, never while a server is connected to it, and kept first.
    let kept = if tables > 0 {
        if !force {
            let held = holdings(&mut conn)
                .await
                .map_or_else(|_| "tables of its own".to_owned(), |held| held.to_string());
            bail!(
                "the database holds data already ({held}): restore replaces it only with --force"
            );
        }
        // A session just closed lingers here for a moment: asked a few times over a second.
        let mut others: i64 = 0;
        for _ in 0..10 {
            others = sqlx::query_scalar(
                "SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            .fetch_one(&mut conn)
            .await?;
            if others == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        if others > 0 {
            bail!(
                "the database is in use ({others} other connections: is a server running on it?): \
                 stop it, then restore"
            );
        }
        let stamp = humantime::format_rfc3339_seconds(std::time::SystemTime::now())
            .to_string()
            .replace(':', "");
        let mut copy = from.with_file_name(format!("before-restore-{stamp}.pgdump"));
        for n in 2.. {
            if !copy.exists() {
                break;
            }
            copy = from.with_file_name(format!("before-restore-{stamp}-{n}.pgdump"));
        }
        let _ = conn.close().await;
        backup(url, &copy).await.context(
            "cannot keep a copy of the database before replacing it: nothing was changed",
        )?;
        Some(copy)
    } else {
        let _ = conn.close().await;
        None
    };
    let restored = tokio::task::spawn_blocking({
        let url = url.to_owned();
        move || {
            let mut args = vec![
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
            ];
            if tables > 0 {
                // Replaces what the dump holds, in the same one transaction.
                args.extend(["--clean", "--if-exists"]);
            }
            // The database comes from the environment; `--dbname` only makes pg_restore
            // connect rather than print SQL.
            let options = PgConnectOptions::from_str(&url).map_err(|_| {
                anyhow::anyhow!("DATABASE_URL is not a PostgreSQL URL that can be read")
            })?;
            let database = format!("--dbname={}", database_name(&options));
            args.push(&database);
            args.push(&name);
            run("pg_restore", &args, &url).map(drop)
        }
    })
    .await
    .context("the restore task failed")?;
    if let Err(error) = restored {
        bail!("{error:#}: nothing was changed");
    }
    let mut conn = connect(url).await?;
    if let Err(error) = POSTGRES_MIGRATOR.run(&mut conn).await {
        let before = kept.map_or_else(
            || "it was empty before".to_owned(),
            |copy| format!("the database as it was is in {}", copy.display()),
        );
        bail!("the backup was restored but cannot be brought up to this release's schema ({error}); {before}");
    }
    let held = holdings(&mut conn).await?;
    let _ = conn.close().await;
    Ok(Holdings {
        bytes: std::fs::metadata(from).map(|meta| meta.len()).unwrap_or(0),
        ..held
    })
}

/// A backup of PostgreSQL as a file of SQLite's own schema, which `server restore` puts into a
/// SQLite database like any SQLite backup: the way from several servers back to one, and a
/// copy any machine can open with `sqlite3`. Every table is read in one repeatable-read
/// snapshot (so the copy is as consistent as pg_dump's), as JSON, converted to what SQLite
/// stores (times as ISO text, switches as 0/1, hashes as blobs), into a fresh file made by
/// this release's SQLite migrations; the file is checked (foreign keys, integrity) before it
/// is named.
pub async fn backup_to_sqlite(url: &str, to: &Path) -> anyhow::Result<Holdings> {
    let partial = beside(to, "partial")?;
    remove_if_present(&partial)?;
    create_private(&partial)?;
    let written = copy_into_sqlite(url, &partial).await;
    let finished = async {
        written?;
        sync_file(&partial)?;
        std::fs::rename(&partial, to)
            .with_context(|| format!("cannot name the backup {}", to.display()))?;
        holdings_of(to).await
    }
    .await;
    if finished.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    finished
}

async fn copy_into_sqlite(url: &str, file: &Path) -> anyhow::Result<()> {
    // Foreign keys off while the tables fill in any order; checked as a whole at the end.
    let sqlite = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(file)
                .create_if_missing(false)
                .journal_mode(SqliteJournalMode::Delete)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(false),
        )
        .await
        .with_context(|| format!("cannot open {}", file.display()))?;
    let copied = async {
        MIGRATOR
            .run(&sqlite)
            .await
            .context("cannot make the SQLite schema")?;
        let mut lite = sqlite.acquire().await?;
        let mut pg = connect(url).await?;
        sqlx::query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut pg)
            .await?;
        sqlx::query("BEGIN IMMEDIATE").execute(&mut *lite).await?;
        // The site's tables, not SQLite's own nor its full-text indexes (rebuilt by the
        // triggers as the posts go in).
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM pragma_table_list
             WHERE schema = 'main' AND type = 'table'
               AND name NOT LIKE 'sqlite%' AND name <> '_sqlx_migrations'",
        )
        .fetch_all(&mut *lite)
        .await?;
        for table in &tables {
            copy_table(&mut pg, &mut lite, table)
                .await
                .with_context(|| format!("cannot copy the table {table}"))?;
        }
        let broken: Vec<(String,)> =
            sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                .fetch_all(&mut *lite)
                .await?;
        if let Some((table,)) = broken.first() {
            bail!("the copy breaks a reference of {table}");
        }
        sqlx::query("COMMIT").execute(&mut *lite).await?;
        sqlx::query("COMMIT").execute(&mut pg).await?;
        let _ = pg.close().await;
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut *lite)
            .await?;
        if integrity != "ok" {
            bail!("the copy fails SQLite's integrity check: {integrity}");
        }
        Ok::<_, anyhow::Error>(())
    }
    .await;
    sqlite.close().await;
    copied
}

/// Replaces the rows of `table` in the SQLite copy with PostgreSQL's.
async fn copy_table(
    pg: &mut PgConnection,
    lite: &mut sqlx::SqliteConnection,
    table: &str,
) -> anyhow::Result<()> {
    let columns: Vec<(String, String)> =
        sqlx::query_as("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
            .bind(table)
            .fetch_all(&mut *lite)
            .await?;
    let types: std::collections::HashMap<String, String> = sqlx::query_as(
        "SELECT column_name, data_type FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1",
    )
    .bind(table)
    .fetch_all(&mut *pg)
    .await?
    .into_iter()
    .collect();
    let mut read = Vec::with_capacity(columns.len());
    let mut write = Vec::with_capacity(columns.len());
    for (column, sqlite_type) in &columns {
        let quoted = format!("\"{column}\"");
        let as_text = match types.get(column).map(String::as_str) {
            None => bail!("PostgreSQL has no column {table}.{column}"),
            Some("timestamp with time zone") => app::server::db::postgres::iso(&quoted),
            Some("date" | "uuid") => format!("CAST({quoted} AS TEXT)"),
            Some("bytea") => format!("encode({quoted}, 'hex')"),
            Some(_) => quoted.clone(),
        };
        read.push(format!("{as_text} AS {quoted}"));
        let value = format!("json_extract(value, '$.\"{column}\"')");
        write.push(if sqlite_type.eq_ignore_ascii_case("BLOB") {
            format!("unhex({value})")
        } else {
            value
        });
    }
    let rows: String = sqlx::query_scalar(&format!(
        "SELECT CAST(coalesce(json_agg(t), '[]') AS TEXT) FROM (SELECT {} FROM \"{table}\") t",
        read.join(", ")
    ))
    .fetch_one(&mut *pg)
    .await?;
    sqlx::query(&format!("DELETE FROM \"{table}\""))
        .execute(&mut *lite)
        .await?;
    let names: Vec<String> = columns
        .iter()
        .map(|(name, _)| format!("\"{name}\""))
        .collect();
    sqlx::query(&format!(
        "INSERT INTO \"{table}\" ({}) SELECT {} FROM json_each($1)",
        names.join(", "),
        write.join(", ")
    ))
    .bind(rows)
    .execute(&mut *lite)
    .await?;
    Ok(())
}
