use crate::helpers::{
    one_line_refusal, run_binary, spawn_sqlite_app, test_config, test_leptos_options,
};
use server::{config::Config, db, startup::Application};

#[tokio::test]
async fn a_fresh_database_is_created_with_durable_settings() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let url = format!(
        "sqlite://{}",
        dir.path().join("nested/folder/site.db").display()
    );
    let pool = db::connect(&url)
        .await
        .expect("creates the file and its folders")
        .sqlite()
        .cloned()
        .expect("SQLite");

    let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .expect("answers");
    assert_eq!(journal_mode, "wal");
    // Three connections held at once, so they are distinct: each must have every setting.
    let mut connections = Vec::new();
    for _ in 0..3 {
        connections.push(pool.acquire().await.expect("a connection"));
    }
    for conn in &mut connections {
        for (pragma, expected) in [
            ("synchronous", 2),
            ("foreign_keys", 1),
            ("busy_timeout", 5000),
        ] {
            let value: i64 = sqlx::query_scalar(&format!("PRAGMA {pragma}"))
                .fetch_one(&mut **conn)
                .await
                .expect("answers");
            assert_eq!(value, expected, "{pragma}");
        }
    }
}

#[tokio::test]
async fn seed_content_is_loaded_once_however_often_the_server_starts() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}", dir.path().join("site.db").display());
    for _ in 0..3 {
        db::connect(&url).await.expect("opens").close().await;
    }
    let pool = db::connect(&url)
        .await
        .expect("opens")
        .sqlite()
        .cloned()
        .expect("SQLite");
    // Even replaying the seed by hand (as an import might) adds nothing.
    sqlx::raw_sql(include_str!(
        "../../../app/migrations/sqlite/0002_seed_news_post.sql"
    ))
    .execute(&pool)
    .await
    .expect("the seed is idempotent");

    for (table, expected) in [
        ("posts", 1),
        ("members", 1),
        ("post_members", 1),
        ("resources", 3),
    ] {
        let count: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&pool)
            .await
            .expect("counts");
        assert_eq!(count, expected, "{table}");
    }
}

#[tokio::test]
async fn the_server_uses_the_database_it_is_given() {
    let Some(app) = spawn_sqlite_app().await else {
        return;
    };
    assert!(
        app.db_path.exists(),
        "the database file is where the config said"
    );
}

#[tokio::test]
async fn a_database_that_cannot_be_opened_is_a_one_line_reason() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    // A file where the database's folder should be: the folder cannot be created.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "not a folder").expect("writes");
    let config = Config {
        database_url: format!("sqlite://{}/site.db", blocker.display()),
        ..test_config(&dir)
    };
    let error = Application::build_with(config, test_leptos_options(&dir))
        .await
        .err()
        .expect("the build fails");
    let message = format!("{error:#}");
    assert!(message.contains("blocker"), "names the place: {message}");
    assert!(!message.contains('\n'), "one line: {message}");
}

#[test]
fn the_binary_exits_with_a_reason_when_the_database_cannot_be_opened() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let not_a_db = dir.path().join("garbage.db");
    std::fs::write(&not_a_db, vec![0x42_u8; 8192]).expect("writes");
    let output = run_binary(
        dir.path(),
        &format!("sqlite://{}", not_a_db.display()),
        &["--site-addr", "127.0.0.1:0"],
    );
    let stderr = one_line_refusal(&output);
    assert!(stderr.contains("garbage.db"), "{stderr}");
}

#[test]
fn a_database_url_of_another_kind_stops_the_binary_and_creates_nothing() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let output = run_binary(
        dir.path(),
        "mysql://root:secret@127.0.0.1:55439/bar",
        &["--site-addr", "127.0.0.1:0"],
    );
    let stderr = one_line_refusal(&output);
    assert!(stderr.contains("mysql:"), "names the kind: {stderr}");
    assert!(!stderr.contains("secret"), "no password: {stderr}");
    assert_folder_is_empty(dir.path());
}

#[test]
fn a_postgresql_that_is_down_at_start_is_tried_again_then_named_in_one_sentence() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    // A port nobody listens on: taken, then let go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let started = std::time::Instant::now();
    let output = run_binary(
        dir.path(),
        &format!("postgres://postgres:secret@127.0.0.1:{port}/site"),
        &["--site-addr", "127.0.0.1:0"],
    );
    let stderr = one_line_refusal(&output);
    assert!(
        stderr.contains(&format!(
            "cannot reach PostgreSQL at 127.0.0.1:{port} (database site)"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("secret"), "no password: {stderr}");
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(6),
        "it waited for a database that may be starting too"
    );
    assert_folder_is_empty(dir.path());
}

fn assert_folder_is_empty(dir: &std::path::Path) {
    let left: Vec<_> = std::fs::read_dir(dir).expect("reads the folder").collect();
    assert!(left.is_empty(), "no file made in its place: {left:?}");
}
