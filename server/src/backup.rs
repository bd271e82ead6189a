//! `server backup` and `server restore`: a consistent copy of the database taken while the
//! server goes on writing, and a checked way back from one.
//!
//! A backup is SQLite's `VACUUM INTO`: one read transaction, so the copy holds exactly the
//! writes committed before it began, while the server's writes go on beside it (WAL). It is
//! written under a temporary name and renamed once on disk, so a backup file is never half
//! of one. A restore checks the file (SQLite's integrity check, then that its migrations are
//! this site's), brings a copy of it up to date beside the target, and only then puts it in
//! the target's place: a truncated or foreign file leaves the database untouched.

mod postgres;

use crate::db;
use anyhow::{bail, Context};
use app::server::db::{Db, MIGRATOR};
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    SqlitePool,
};
use std::{
    fmt,
    path::{Path, PathBuf},
    time::{Duration, SystemTime},
};

/// What a backup or restore holds, to tell whoever ran it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holdings {
    pub signatures: i64,
    pub pledges: i64,
    pub posts: i64,
    pub bytes: u64,
}

impl fmt::Display for Holdings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kilobytes = self.bytes.div_ceil(1000);
        write!(
            f,
            "{} signatures, {} pledges, {} posts, {}.{} MB",
            self.signatures,
            self.pledges,
            self.posts,
            kilobytes / 1000,
            kilobytes % 1000 / 100
        )
    }
}

/// Copies the database at `url` to the new file `to`, consistently, while it is in use.
///
/// # Errors
/// When `to` exists (a backup never replaces a file), the database cannot be read, or the
/// copy cannot be written.
pub async fn backup(url: &str, to: &Path) -> anyhow::Result<Holdings> {
    if to.exists() {
        bail!(
            "{} exists already: a backup never replaces a file, give it a new name",
            to.display()
        );
    }
    if db::postgres_options(url)?.is_some() {
        // `--to site.db`: a SQLite file any SQLite site restores; else pg_dump's archive.
        return if to
            .extension()
            .is_some_and(|ext| ext == "db" || ext == "sqlite")
        {
            postgres::backup_to_sqlite(url, to).await
        } else {
            postgres::backup(url, to).await
        };
    }
    let Db::Sqlite(source) = db::open_existing(url).await? else {
        bail!("DATABASE_URL names neither SQLite nor PostgreSQL");
    };
    let written = backup_from(&source, to).await;
    source.close().await;
    written
}

/// [`backup`] through a pool already open (the running server's).
async fn backup_from(source: &SqlitePool, to: &Path) -> anyhow::Result<Holdings> {
    let partial = beside(to, "partial")?;
    remove_if_present(&partial)?;
    let finished = async {
        create_private(&partial)?;
        sqlx::query("VACUUM INTO ?")
            .bind(path_text(&partial)?)
            .execute(source)
            .await
            .with_context(|| format!("cannot write the backup {}", to.display()))?;
        sync_file(&partial)?;
        let holdings = holdings_of(&partial).await?;
        std::fs::rename(&partial, to)
            .with_context(|| format!("cannot name the backup {}", to.display()))?;
        sync_folder_of(to)?;
        anyhow::Ok(holdings)
    }
    .await;
    if finished.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    finished
}

/// Backups the server takes by itself: every `every`, into `dir`, the newest `keep` kept.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub every: Duration,
    pub dir: PathBuf,
    pub keep: usize,
}

/// What scheduled backups are called: `site-` and the UTC time, so that names sort by age.
const PREFIX: &str = "site-";
const EXTENSION: &str = ".db";

/// Whether `name` is one this schedule gives (`site-2026-12-04T110000Z.db`, or that with
/// `.partial`): nothing else in the folder is ever removed, even a database called `site-….db`.
fn is_scheduled_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix(PREFIX) else {
        return false;
    };
    let stamp = rest
        .strip_suffix(".partial")
        .unwrap_or(rest)
        .strip_suffix(EXTENSION);
    stamp.is_some_and(|stamp| {
        stamp.len() == "2026-12-04T110000Z".len()
            && stamp.char_indices().all(|(at, c)| match at {
                4 | 7 => c == '-',
                10 => c == 'T',
                17 => c == 'Z',
                _ => c.is_ascii_digit(),
            })
    })
}

impl Schedule {
    /// Checks the folder can be written to before the server starts, creating it if needed.
    ///
    /// # Errors
    /// When the folder cannot be created.
    pub fn prepare(&self) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("cannot create the backup folder {}", self.dir.display()))?;
        let probe = self.dir.join(".written");
        std::fs::write(&probe, b"")
            .and_then(|()| std::fs::remove_file(&probe))
            .with_context(|| format!("cannot write into the backup folder {}", self.dir.display()))
    }

    /// Runs for as long as the server does; a backup that fails is logged and tried again at
    /// the next turn.
    pub async fn run(self, pool: SqlitePool) {
        // Due `every` after the newest backup: a server restarted more often than that
        // still takes them.
        let since_newest = self
            .newest()
            .and_then(|file| std::fs::metadata(file).ok()?.modified().ok())
            .and_then(|taken| SystemTime::now().duration_since(taken).ok());
        let first = since_newest.map_or(self.every, |age| self.every.saturating_sub(age));
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + first, self.every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match self.take(&pool, SystemTime::now()).await {
                Ok((file, held)) => {
                    tracing::info!(file = %file.display(), %held, "backup written");
                }
                Err(error) => tracing::warn!(error = format!("{error:#}"), "backup failed"),
            }
        }
    }

    /// Takes one backup, named after `now`, then removes the oldest beyond `keep`.
    async fn take(
        &self,
        pool: &SqlitePool,
        now: SystemTime,
    ) -> anyhow::Result<(PathBuf, Holdings)> {
        // RFC 3339 without its colons, which some file systems and tools refuse.
        let stamp = humantime::format_rfc3339_seconds(now)
            .to_string()
            .replace(':', "");
        let file = self.dir.join(format!("{PREFIX}{stamp}{EXTENSION}"));
        let held = backup_from(pool, &file).await?;
        self.prune()?;
        Ok((file, held))
    }

    /// The newest backup this schedule wrote, by name (names sort by time).
    fn newest(&self) -> Option<PathBuf> {
        std::fs::read_dir(&self.dir)
            .ok()?
            .filter_map(Result::ok)
            .filter(|entry| {
                entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| is_scheduled_name(name) && name.ends_with(EXTENSION))
            })
            .map(|entry| entry.path())
            .max()
    }

    fn prune(&self) -> anyhow::Result<()> {
        let ours: Vec<(PathBuf, String)> = std::fs::read_dir(&self.dir)
            .with_context(|| format!("cannot read the backup folder {}", self.dir.display()))?
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry.file_name().to_str()?.to_owned();
                is_scheduled_name(&name).then(|| (entry.path(), name))
            })
            .collect();
        // A backup cut short by a stop leaves its partial file; none is being written now.
        for (path, name) in &ours {
            if name.ends_with(&format!("{EXTENSION}.partial")) {
                remove_if_present(path)?;
            }
        }
        let mut taken: Vec<&PathBuf> = ours
            .iter()
            .filter(|(_, name)| name.ends_with(EXTENSION))
            .map(|(path, _)| path)
            .collect();
        taken.sort();
        let surplus = taken.len().saturating_sub(self.keep);
        for old in &taken[..surplus] {
            std::fs::remove_file(old)
                .with_context(|| format!("cannot remove the old backup {}", old.display()))?;
        }
        Ok(())
    }
}

/// Puts the backup `from` in place of the database at `url`, which must be empty (missing,
/// or without tables) unless `force` is given, and not in use. A database replaced is kept
/// beside it as `….before-restore-<time>`. Returns the database's path and what it now holds.
///
/// # Errors
/// When `from` is not a whole backup of this site's database (it is refused and nothing is
/// changed), the target holds data and `force` is not given, a server has it open, or files
/// cannot be written.
pub async fn restore(url: &str, from: &Path, force: bool) -> anyhow::Result<(String, Holdings)> {
    if let Some(options) = db::postgres_options(url)? {
        let held = postgres::restore(url, from, force).await?;
        return Ok((db::describe(&options), held));
    }
    if url.contains(":memory:") || url.contains("mode=memory") {
        bail!("DATABASE_URL names a database in memory: restore needs a file");
    }
    let target = std::path::absolute(db::sqlite_options(url)?.get_filename())
        .context("cannot tell where the database is")?;
    if !from.is_file() {
        bail!("{} is not a file", from.display());
    }
    if target.exists() && same_file(from, &target) {
        bail!(
            "{} is the database itself: restore from a backup of it",
            from.display()
        );
    }
    if !force && !is_empty_database(&target).await {
        bail!(
            "{} holds a database already: restore replaces it only with --force \
             (stop the server first)",
            target.display()
        );
    }
    if let Some(folder) = target.parent() {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create the folder {}", folder.display()))?;
    }
    let restoring = beside(&target, "restoring")?;
    remove_with_sidecars(&restoring);
    let prepared = async {
        copy_checked(from, &restoring)
            .await
            .with_context(|| format!("{} was not restored", from.display()))?;
        update(&restoring)
            .await
            .with_context(|| format!("{} was not restored", from.display()))?;
        sync_file(&restoring)?;
        holdings_of(&restoring).await
    }
    .await;
    let holdings = match prepared {
        Ok(holdings) => holdings,
        Err(error) => {
            remove_with_sidecars(&restoring);
            return Err(error);
        }
    };
    let replaced = async {
        if target.exists() {
            quiesce(&target).await?;
        }
        replace(&target, &restoring)
    }
    .await;
    if let Err(error) = replaced {
        remove_with_sidecars(&restoring);
        return Err(error);
    }
    Ok((target.display().to_string(), holdings))
}

/// Whether two paths name one file.
fn same_file(one: &Path, other: &Path) -> bool {
    match (one.canonicalize(), other.canonicalize()) {
        (Ok(one), Ok(other)) => one == other,
        _ => false,
    }
}

/// Copies the database `from` to `to` through SQLite, after its integrity check: a WAL-mode
/// database's recent commits come along from its `-wal`, and a truncated or foreign file is
/// refused before anything is written.
async fn copy_checked(from: &Path, to: &Path) -> anyhow::Result<()> {
    let unreadable = |error: &dyn std::fmt::Display| {
        anyhow::anyhow!("it is damaged or not a SQLite database ({error})")
    };
    let source = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(from)
                .create_if_missing(false)
                .read_only(true),
        )
        .await
        .map_err(|error| unreadable(&sqlite_message(&error)))?;
    let copied = async {
        let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&source)
            .await
            .map_err(|error| unreadable(&sqlite_message(&error)))?;
        if verdict != "ok" {
            bail!("it is damaged (SQLite's integrity check: {verdict})");
        }
        sqlx::query("VACUUM INTO ?")
            .bind(path_text(to)?)
            .execute(&source)
            .await
            .context("cannot copy it")?;
        anyhow::Ok(())
    }
    .await;
    source.close().await;
    copied
}

/// Makes sure no server has the database at `target` open and that it is whole in its
/// file: leaving WAL mode needs every other connection closed, and flushes the log into the
/// file. Only a file SQLite cannot read as a database at all (`--force` over a damaged one)
/// passes without that, and only with no `-wal` beside it.
async fn quiesce(target: &Path) -> anyhow::Result<()> {
    let options = SqliteConnectOptions::new()
        .filename(target)
        .create_if_missing(false)
        .busy_timeout(Duration::ZERO)
        .journal_mode(SqliteJournalMode::Delete);
    match SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
    {
        Ok(pool) => {
            pool.close().await;
            Ok(())
        }
        Err(error) if is_busy(&error) => bail!(
            "{} is in use (is the server running on it?): stop it, then restore",
            target.display()
        ),
        Err(error) if is_not_a_database(&error) && !sidecar(target, "wal").exists() => Ok(()),
        Err(error) => bail!(
            "cannot take {} out of use ({}): nothing was changed",
            target.display(),
            sqlite_message(&error)
        ),
    }
}

/// Puts `restoring` in place of `target`. What was there is kept, linked under a name of its
/// own (`….before-restore-<time>`), and the rename replaces the file in one step: there is
/// never a moment without a database, and a failure leaves the old one where it was.
fn replace(target: &Path, restoring: &Path) -> anyhow::Result<()> {
    let stamp = humantime::format_rfc3339_seconds(SystemTime::now())
        .to_string()
        .replace(':', "");
    let aside = beside(target, &format!("before-restore-{stamp}"))?;
    if target.exists() {
        std::fs::hard_link(target, &aside)
            .with_context(|| format!("cannot keep {} aside", target.display()))?;
    }
    // A log or journal left beside the name (a database deleted without them) would be
    // replayed into the restored file at its first open.
    for suffix in ["wal", "shm", "journal"] {
        let stale = sidecar(target, suffix);
        if stale.exists() {
            std::fs::rename(&stale, sidecar(&aside, suffix))
                .with_context(|| format!("cannot move {} aside", stale.display()))?;
        }
    }
    std::fs::rename(restoring, target)
        .with_context(|| format!("cannot put the backup in place of {}", target.display()))?;
    sync_folder_of(target)
}

/// SQLite's own words for what went wrong ("database disk image is malformed"), without
/// sqlx's wrapping.
fn sqlite_message(error: &sqlx::Error) -> String {
    error
        .as_database_error()
        .map_or_else(|| error.to_string(), |error| error.message().to_owned())
}

fn sqlite_code(error: &sqlx::Error) -> Option<i32> {
    error
        .as_database_error()
        .and_then(|error| error.code())
        .and_then(|code| code.parse::<i32>().ok())
}

/// SQLITE_NOTADB and SQLITE_CORRUPT: the file is no database SQLite can read.
fn is_not_a_database(error: &sqlx::Error) -> bool {
    sqlite_code(error).is_some_and(|code| matches!(code & 0xff, 11 | 26))
}

fn is_busy(error: &sqlx::Error) -> bool {
    // SQLITE_BUSY and SQLITE_LOCKED, and their extended codes.
    sqlite_code(error).is_some_and(|code| matches!(code & 0xff, 5 | 6))
}

/// Refuses a database that is not this site's, then migrates it to this binary's schema.
async fn update(file: &Path) -> anyhow::Result<()> {
    let pool = open_file(file, false).await?;
    let checked = async {
        let applied: Vec<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations WHERE success")
                .fetch_all(&pool)
                .await
                .map_err(|_| anyhow::anyhow!("it is not a backup of this site's database"))?;
        if applied.is_empty() {
            bail!("it is not a backup of this site's database");
        }
        for (version, checksum) in &applied {
            match MIGRATOR.iter().find(|known| known.version == *version) {
                None => bail!(
                    "it comes from a newer release of the site (schema version {version}): \
                     restore it with that release"
                ),
                Some(known) if known.checksum.as_ref() != checksum.as_slice() => {
                    bail!("it is not a backup of this site's database (schema {version} differs)")
                }
                Some(_) => {}
            }
        }
        MIGRATOR
            .run(&pool)
            .await
            .context("cannot bring it up to date")?;
        anyhow::Ok(())
    }
    .await;
    pool.close().await;
    checked
}

/// A path as SQL text (`VACUUM INTO` takes a string); one that is not UTF-8 is refused
/// rather than written under a mangled name.
fn path_text(path: &Path) -> anyhow::Result<&str> {
    path.to_str()
        .with_context(|| format!("{} is not a name SQLite can be given", path.display()))
}

/// Whether `file` holds nothing a restore could lose: missing, empty, or without tables.
async fn is_empty_database(file: &Path) -> bool {
    match std::fs::metadata(file) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return true,
        Ok(meta) if meta.len() == 0 => return true,
        _ => {}
    }
    let Ok(pool) = open_file(file, true).await else {
        return false;
    };
    let tables: Result<i64, _> = sqlx::query_scalar("SELECT count(*) FROM sqlite_master")
        .fetch_one(&pool)
        .await;
    pool.close().await;
    matches!(tables, Ok(0))
}

async fn holdings_of(file: &Path) -> anyhow::Result<Holdings> {
    let pool = open_file(file, true).await?;
    let counted = async {
        let count = |table: &'static str| {
            let pool = pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(&format!("SELECT count(*) FROM {table}"))
                    .fetch_one(&pool)
                    .await
            }
        };
        anyhow::Ok(Holdings {
            signatures: count("signups").await?,
            pledges: count("pledges").await?,
            posts: count("posts").await?,
            bytes: std::fs::metadata(file)?.len(),
        })
    }
    .await;
    pool.close().await;
    counted.with_context(|| format!("cannot read {}", file.display()))
}

async fn open_file(file: &Path, read_only: bool) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(false)
        .read_only(read_only)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true);
    // A file only read keeps the mode it has; one written here (the copy being restored)
    // stays a single file with no -wal beside it to lose in the rename, and the server puts
    // it in WAL when it opens it.
    let options = if read_only {
        options
    } else {
        options.journal_mode(SqliteJournalMode::Delete)
    };
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open {}", file.display()))
}

/// `file` with `.suffix` added to its name (`site.db` → `site.db.partial`), in its folder.
fn beside(file: &Path, suffix: &str) -> anyhow::Result<PathBuf> {
    if file.file_name().is_none() {
        bail!("{} names no file", file.display());
    }
    Ok(with_suffix(file, suffix))
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Creates `file` empty, readable by its owner alone: a backup holds supporters' names and
/// addresses. `VACUUM INTO` writes into an empty file as into a new one.
fn create_private(file: &Path) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(file)
        .map(drop)
        .with_context(|| format!("cannot create {}", file.display()))
}

/// Removes a copy that will not be used, and whatever SQLite left beside it.
fn remove_with_sidecars(file: &Path) {
    let _ = std::fs::remove_file(file);
    for suffix in ["wal", "shm", "journal"] {
        let _ = std::fs::remove_file(sidecar(file, suffix));
    }
}

/// A file SQLite keeps beside a database: `site.db-wal`, `site.db-shm`, `site.db-journal`.
fn sidecar(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push("-");
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(file: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(file) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(error).with_context(|| format!("cannot remove {}", file.display()))
        }
        _ => Ok(()),
    }
}

fn sync_file(file: &Path) -> anyhow::Result<()> {
    std::fs::File::open(file)
        .and_then(|opened| opened.sync_all())
        .with_context(|| format!("cannot flush {} to disk", file.display()))
}

/// A rename is durable once its folder is flushed.
fn sync_folder_of(file: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        let folder = match file.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        std::fs::File::open(folder)
            .and_then(|opened| opened.sync_all())
            .with_context(|| format!("cannot flush the folder {} to disk", folder.display()))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn scheduled_backups_keep_the_newest_and_leave_other_files_alone() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let pool = db::connect(&format!(
            "sqlite://{}",
            dir.path().join("site.db").display()
        ))
        .await
        .expect("a database")
        .sqlite()
        .cloned()
        .expect("SQLite");
        let schedule = Schedule {
            every: Duration::from_secs(3600),
            dir: dir.path().join("backups"),
            keep: 2,
        };
        schedule.prepare().expect("the folder is made");
        std::fs::write(schedule.dir.join("notes.txt"), "mine").expect("writes");
        std::fs::write(schedule.dir.join("site-old.db"), "not one of ours").expect("writes");
        std::fs::write(
            schedule.dir.join("site-2026-01-01T000000Z.db.partial"),
            "cut short",
        )
        .expect("writes");
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_996_800);
        for hour in 0..4 {
            schedule
                .take(&pool, start + Duration::from_secs(hour * 3600))
                .await
                .expect("a backup");
        }
        let mut left: Vec<String> = std::fs::read_dir(&schedule.dir)
            .expect("reads")
            .filter_map(Result::ok)
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "notes.txt",
                "site-2026-11-30T020000Z.db",
                "site-2026-11-30T030000Z.db",
                "site-old.db"
            ]
        );
        pool.close().await;
    }
}
