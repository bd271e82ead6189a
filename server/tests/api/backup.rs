//! `server backup` and `server restore` on a real SQLite file and a real PostgreSQL database: a
//! backup taken while sign-ups go on restores every one acknowledged before it began; bad files
//! and busy targets are refused and change nothing.

use crate::helpers::{
    fresh_postgres_url, one_line_refusal, run_binary, sign_form, spawn_app_on_postgres,
    spawn_sqlite_app, TestApp,
};
use app::server::db::on_db;
use server::backup::{backup, restore};
use std::{
    path::Path,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
};

/// Signs from a script until told to stop; every address the server answered 2xx for.
async fn sign_until(
    app: Arc<TestApp>,
    stop: Arc<AtomicBool>,
    acknowledged: Arc<Mutex<Vec<String>>>,
) {
    let mut n = 0;
    while !stop.load(Ordering::Acquire) {
        n += 1;
        let email = format!("load-{n}@example.org");
        let response = app
            .post_from_script("/api/sign-the-call", &sign_form(&[("email", &email)]))
            .await;
        if response.status().is_success() {
            acknowledged.lock().expect("not poisoned").push(email);
        }
    }
}

async fn emails_in(file: &Path) -> Vec<String> {
    let pool = server::db::open_existing(&format!("sqlite://{}", file.display()))
        .await
        .expect("opens the restored database")
        .sqlite()
        .cloned()
        .expect("SQLite");
    let emails = sqlx::query_scalar("SELECT email FROM signups")
        .fetch_all(&pool)
        .await
        .expect("reads the signatures");
    pool.close().await;
    emails
}

/// Files a backup or restore left behind that are neither a database nor a kept one.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("reads the folder")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".restoring") || name.contains(".partial"))
        .collect()
}

fn url_of(file: &Path) -> String {
    format!("sqlite://{}", file.display())
}

#[tokio::test]
async fn a_backup_taken_under_write_load_restores_every_acknowledged_write() {
    let Some(app) = spawn_sqlite_app().await else {
        return;
    };
    let app = Arc::new(app);
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..4)
        .map(|_| tokio::spawn(sign_until(app.clone(), stop.clone(), acknowledged.clone())))
        .collect();
    // Let the load build up, then note what was acknowledged before the backup began.
    while acknowledged.lock().expect("not poisoned").len() < 40 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let before: Vec<String> = acknowledged.lock().expect("not poisoned").clone();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("site-backup.db");
    let held = backup(&url_of(&app.db_path), &file)
        .await
        .expect("backs up while the server writes");
    let during = acknowledged.lock().expect("not poisoned").len() - before.len();
    // A few more after it, so the writes plainly went on around the backup.
    while acknowledged.lock().expect("not poisoned").len() < before.len() + during + 20 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    stop.store(true, Ordering::Release);
    for writer in writers {
        writer.await.expect("the writer ends");
    }
    assert!(!dir.path().join("site-backup.db.partial").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file)
            .expect("the backup")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "readable by its owner alone: {mode:o}");
    }

    let restored = dir.path().join("restored").join("site.db");
    let (_, restored_held) = restore(&url_of(&restored), &file, false)
        .await
        .expect("restores into a new file");
    assert_eq!(restored_held.signatures, held.signatures);
    let emails = emails_in(&restored).await;
    let missing: Vec<_> = before
        .iter()
        .filter(|email| !emails.contains(email))
        .collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup, lost: {missing:?}"
    );
    let total = acknowledged.lock().expect("not poisoned").len();
    assert!(
        emails.len() < total,
        "the backup is a snapshot: {} of {total} signatures",
        emails.len()
    );
    assert!(held.posts >= 1, "the content came along: {held}");
}

#[tokio::test]
async fn a_backup_never_replaces_a_file() {
    let Some(app) = spawn_sqlite_app().await else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("taken.db");
    std::fs::write(&file, "keep me").expect("writes");
    let error = backup(&url_of(&app.db_path), &file)
        .await
        .expect_err("refused");
    assert!(format!("{error:#}").contains("exists already"), "{error:#}");
    assert_eq!(std::fs::read_to_string(&file).expect("reads"), "keep me");
}

#[tokio::test]
async fn restore_replaces_a_database_that_holds_data_only_when_forced() {
    let Some(app) = spawn_sqlite_app().await else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("backup.db");
    app.post_from_script(
        "/api/sign-the-call",
        &sign_form(&[("email", "kept@example.org")]),
    )
    .await;
    backup(&url_of(&app.db_path), &file)
        .await
        .expect("backs up");

    // A database that holds data of its own: another site's, restored from its backup.
    let Some(other) = spawn_sqlite_app().await else {
        return;
    };
    other
        .post_from_script(
            "/api/sign-the-call",
            &sign_form(&[("email", "theirs@example.org")]),
        )
        .await;
    let theirs = dir.path().join("theirs.db");
    backup(&url_of(&other.db_path), &theirs)
        .await
        .expect("backs up");
    let target = dir.path().join("target.db");
    restore(&url_of(&target), &theirs, false)
        .await
        .expect("restores into a missing file");
    let error = restore(&url_of(&target), &file, false)
        .await
        .expect_err("refused without --force");
    let message = format!("{error:#}");
    assert!(message.contains("--force"), "says how: {message}");
    assert_eq!(
        emails_in(&target).await,
        ["theirs@example.org"],
        "untouched"
    );

    restore(&url_of(&target), &file, true)
        .await
        .expect("replaced with --force");
    assert_eq!(emails_in(&target).await, ["kept@example.org"]);
    // What it replaced is kept beside it, whole.
    let aside = std::fs::read_dir(dir.path())
        .expect("reads the folder")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.to_string_lossy().contains("target.db.before-restore-"))
        .expect("the replaced database is kept");
    assert_eq!(emails_in(&aside).await, ["theirs@example.org"]);

    // Not while a server has it open: its writes would go to a file no longer there.
    let error = restore(&url_of(&app.db_path), &file, true)
        .await
        .expect_err("refused while in use");
    assert!(format!("{error:#}").contains("is in use"), "{error:#}");
    let signed = app
        .post_from_script(
            "/api/sign-the-call",
            &sign_form(&[("email", "after@example.org")]),
        )
        .await;
    assert!(signed.status().is_success());
    assert_eq!(app.signups().await.len(), 2, "the live database went on");
    // Nor from the database onto itself.
    let error = restore(&url_of(&target), &target, true)
        .await
        .expect_err("refused");
    assert!(
        format!("{error:#}").contains("the database itself"),
        "{error:#}"
    );
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    assert_eq!(
        leftovers(app.db_path.parent().expect("a folder")),
        Vec::<String>::new()
    );

    // A log left beside a database deleted without it is moved aside, never replayed.
    let orphan = dir.path().join("orphan.db");
    std::fs::write(dir.path().join("orphan.db-wal"), vec![7_u8; 4096]).expect("writes");
    restore(&url_of(&orphan), &file, false)
        .await
        .expect("restores by the stale log");
    assert!(!dir.path().join("orphan.db-wal").exists(), "moved aside");
    assert_eq!(emails_in(&orphan).await, ["kept@example.org"]);
}

#[tokio::test]
async fn truncated_and_foreign_files_are_refused_and_change_nothing() {
    let Some(app) = spawn_sqlite_app().await else {
        return;
    };
    app.post_from_script(
        "/api/sign-the-call",
        &sign_form(&[("email", "stays@example.org")]),
    )
    .await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let whole = dir.path().join("whole.db");
    backup(&url_of(&app.db_path), &whole)
        .await
        .expect("backs up");
    let bytes = std::fs::read(&whole).expect("reads the backup");

    let truncated = dir.path().join("truncated.db");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("writes");
    let text = dir.path().join("notes.db");
    std::fs::write(&text, "not a database at all\n".repeat(500)).expect("writes");
    let foreign = dir.path().join("foreign.db");
    {
        let pool = server::db::connect_capped(&format!("sqlite://{}", foreign.display()), None)
            .await
            .expect("a database")
            .sqlite()
            .cloned()
            .expect("SQLite");
        sqlx::query("DROP TABLE _sqlx_migrations")
            .execute(&pool)
            .await
            .expect("drops");
        pool.close().await;
    }

    // A target holding data (restore is forced), so "changes nothing" means something.
    let target = dir.path().join("live.db");
    restore(&url_of(&target), &whole, false)
        .await
        .expect("a first restore");
    let before = std::fs::read(&target).expect("reads");
    for bad in [&truncated, &text, &foreign] {
        let error = restore(&url_of(&target), bad, true)
            .await
            .expect_err("refused");
        let message = format!("{error:#}");
        assert!(message.contains("was not restored"), "{message}");
        assert!(!message.contains('\n'), "one line: {message}");
        assert_eq!(std::fs::read(&target).expect("reads"), before, "{message}");
        assert!(!dir.path().join("live.db.restoring").exists());
    }
    assert_eq!(emails_in(&target).await, ["stays@example.org"]);
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn the_binary_backs_up_and_restores() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let live = dir.path().join("live.db");
    let server = |args: &[&str], database: &Path| run_binary(dir.path(), &url_of(database), args);
    let content = crate::helpers::repository_content().display().to_string();
    let imported = server(&["import", &content], &live);
    assert!(imported.status.success(), "{imported:?}");
    let file = dir.path().join("backup.db");
    let file_arg = file.display().to_string();
    let backed_up = server(&["backup", "--to", &file_arg], &live);
    let said = String::from_utf8_lossy(&backed_up.stdout);
    assert!(backed_up.status.success(), "{backed_up:?}");
    assert!(
        said.contains("backed up to") && said.contains("posts"),
        "{said}"
    );

    let fresh = dir.path().join("fresh.db");
    let restored = server(&["restore", "--from", &file_arg], &fresh);
    assert!(restored.status.success(), "{restored:?}");
    // The restored database is one file, with nothing of the copy left beside it.
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    assert!(!dir.path().join("fresh.db-wal").exists());
    // Restoring again into what is now a database with data: refused, in one sentence.
    let again = server(&["restore", "--from", &file_arg], &fresh);
    let stderr = one_line_refusal(&again);
    assert!(stderr.contains("--force"), "{stderr}");
}

/// The signatures' addresses in the PostgreSQL database at `url`.
async fn emails_on(url: &str) -> Vec<String> {
    let db = server::db::open_existing(url)
        .await
        .expect("opens the database");
    let emails = on_db!(&db, pool => sqlx::query_scalar("SELECT email FROM signups")
        .fetch_all(pool)
        .await
        .expect("reads the signatures"));
    db.close().await;
    emails
}

#[tokio::test]
async fn on_postgresql_a_backup_under_write_load_restores_every_acknowledged_write() {
    let Some(app) = spawn_app_on_postgres().await else {
        return;
    };
    let app = Arc::new(app);
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..4)
        .map(|_| tokio::spawn(sign_until(app.clone(), stop.clone(), acknowledged.clone())))
        .collect();
    while acknowledged.lock().expect("not poisoned").len() < 40 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let before: Vec<String> = acknowledged.lock().expect("not poisoned").clone();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("site.pgdump");
    let held = backup(&app.database_url, &file)
        .await
        .expect("backs up while the servers write");
    // The same, as a file of SQLite's schema: the way back to one server.
    let before_portable: Vec<String> = acknowledged.lock().expect("not poisoned").clone();
    let portable = dir.path().join("site-from-postgres.db");
    let portable_held = backup(&app.database_url, &portable)
        .await
        .expect("backs up into a SQLite file while the servers write");
    let during = acknowledged.lock().expect("not poisoned").len() - before.len();
    while acknowledged.lock().expect("not poisoned").len() < before.len() + during + 20 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    stop.store(true, Ordering::Release);
    for writer in writers {
        writer.await.expect("the writer ends");
    }
    assert!(!dir.path().join("site.pgdump.partial").exists());

    // Into a fresh database: every write acknowledged before the backup, and no more than
    // the snapshot held.
    let fresh = fresh_postgres_url().await.expect("the cluster");
    let (target, restored) = restore(&fresh, &file, false)
        .await
        .expect("restores into an empty database");
    assert!(target.starts_with("PostgreSQL at "), "{target}");
    assert!(!target.contains("postgres@"), "no credentials: {target}");
    assert_eq!(restored.signatures, held.signatures);
    let emails = emails_on(&fresh).await;
    let missing: Vec<_> = before
        .iter()
        .filter(|email| !emails.contains(email))
        .collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup, lost: {missing:?}"
    );
    // Every writer signs load-1, load-2 …: the same address is one signature.
    let total = acknowledged
        .lock()
        .expect("not poisoned")
        .iter()
        .collect::<std::collections::HashSet<_>>()
        .len();
    assert!(
        emails.len() < total,
        "a snapshot: {} of {total}",
        emails.len()
    );

    // That SQLite file restores into a fresh SQLite database like any SQLite backup.
    let into_sqlite = dir.path().join("one-server").join("site.db");
    let (_, restored_portable) = restore(&url_of(&into_sqlite), &portable, false)
        .await
        .expect("restores into SQLite");
    assert_eq!(restored_portable.signatures, portable_held.signatures);
    assert_eq!(restored_portable.posts, portable_held.posts);
    let on_sqlite = emails_in(&into_sqlite).await;
    let missing: Vec<_> = before_portable
        .iter()
        .filter(|email| !on_sqlite.contains(email))
        .collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the SQLite-file backup, lost: {missing:?}"
    );
    let restored_db = server::db::connect(&url_of(&into_sqlite))
        .await
        .expect("a site on the restored file");
    let content = app::server::content::load(&restored_db)
        .await
        .expect("loads");
    let found = app::server::search::search(
        &restored_db,
        &content,
        "populist",
        app::locale::Locale::en_GB,
    )
    .await
    .expect("searches");
    assert_eq!(found.hits.len(), 1, "the full-text index came along");
    restored_db.close().await;

    // The live database holds more: refused without --force, and with it too while a
    // server is connected to it.
    let error = restore(&app.database_url, &file, false)
        .await
        .expect_err("refuses a database with data")
        .to_string();
    assert!(error.contains("--force"), "{error}");
    let error = restore(&app.database_url, &file, true)
        .await
        .expect_err("refuses a database in use")
        .to_string();
    assert!(error.contains("in use"), "{error}");
    assert_eq!(emails_on(&app.database_url).await.len(), total);

    // Over a database nobody uses, with --force: a truncated or foreign file changes nothing,
    // a whole one replaces it, and what it replaced is kept.
    let other = fresh_postgres_url().await.expect("the cluster");
    restore(&other, &file, false).await.expect("restores");
    execute_on(&other, "DELETE FROM signups WHERE email LIKE 'load-1%'").await;
    let before = emails_on(&other).await.len();
    let bytes = std::fs::read(&file).expect("the backup");
    let truncated = dir.path().join("truncated.pgdump");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("writes");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a backup").expect("writes");
    for bad in [&truncated, &text] {
        let error = restore(&other, bad, true)
            .await
            .expect_err("refused")
            .to_string();
        assert!(error.contains("nothing was changed"), "{error}");
        assert_eq!(emails_on(&other).await.len(), before, "{bad:?}");
    }
    restore(&other, &file, true)
        .await
        .expect("replaces a database when forced");
    assert_eq!(emails_on(&other).await.len(), emails.len());
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .expect("the folder")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("before-restore-"))
        .collect();
    assert!(!kept.is_empty(), "the replaced database was kept: {kept:?}");
}

async fn execute_on(url: &str, sql: &str) {
    let db = server::db::open_existing_for_writing(url)
        .await
        .expect("opens the database");
    on_db!(&db, pool => sqlx::query(sql).execute(pool).await.map(drop).expect("runs"));
    db.close().await;
}
