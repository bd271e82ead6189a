use app::server::{
    content::ContentCache,
    db::{on_db, Db},
};
use leptos::prelude::LeptosOptions;
use reqwest::{redirect::Policy, Client, StatusCode};
use server::{config::Config, page_cache::PageCache, startup::Application};
use sqlx::{postgres::PgRow, sqlite::SqliteRow, FromRow};
use std::{net::SocketAddr, num::NonZeroU32, path::PathBuf, sync::Arc, time::Duration};
use tempfile::TempDir;

/// The seed post's address.
pub const SEED_POST: &str =
    "/news/a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference";

/// The account donors are told to transfer to in the tests.
pub const TEST_IBAN: &str = "ES91 2100 0418 4502 0005 1332";

/// The public URL the test server is told it has.
pub const PUBLIC_URL: &str = "https://shared-societies.test";

/// A running server over its own fresh database, and a client for it.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: Client,
    pub db_path: PathBuf,
    pub mail_dir: PathBuf,
    /// The test database, whichever it is, as the site's own code takes it.
    pub db: Db,
    /// The URL the server was given (a second server on the same database takes it too).
    pub database_url: String,
    /// The server's in-memory content: a test that changes content with SQL drops it, rather
    /// than wait for the server to notice.
    pub content: Arc<ContentCache>,
    /// The pages the server keeps as bytes (tests count its renders).
    pub pages: Arc<PageCache>,
    // Dropped last: the database lives in it.
    _dir: TempDir,
}

/// A page as a reader's browser receives it.
pub struct Page {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub html: String,
}

pub fn test_config(dir: &TempDir) -> Config {
    Config {
        database_url: format!("sqlite://{}", dir.path().join("site.db").display()),
        site_addr: Some(SocketAddr::from(([127, 0, 0, 1], 0))),
        public_url: Some(PUBLIC_URL.to_owned()),
        smtp_url: None,
        mail_dir: dir.path().join("mail"),
        mail_from: "Shared Societies <no-reply@shared-societies.test>".to_owned(),
        donation_currencies: vec!["EUR".to_owned(), "USD".to_owned()],
        donation_min: 1,
        donation_max: 10_000,
        donation_iban: TEST_IBAN.to_owned(),
        donation_holder: "WLA-CdM".to_owned(),
        // The tests send many forms from one address; the limits have tests of their own.
        rate_limit_burst: NonZeroU32::new(10_000).expect("not zero"),
        rate_limit_per_minute: NonZeroU32::new(10_000).expect("not zero"),
        trusted_proxies: Vec::new(),
        hsts: false,
        header_timeout: 10,
        idle_timeout: 60,
        send_timeout: 30,
        shutdown_grace: 10,
        max_connections_per_client: 256,
        max_connections: 10_000,
        sqlite_max_pages: None,
        backup_every: None,
        backup_dir: dir.path().join("backups"),
        backup_keep: 48,
        content_cache: true,
        // A folder that does not exist: the seed content only; the import has its own tests.
        content_dir: dir.path().join("content"),
    }
}

pub fn test_leptos_options(dir: &TempDir) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("shared-societies")
        .site_root(dir.path().join("site").display().to_string())
        .build()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A test app with some settings changed from [`test_config`]'s.
pub async fn spawn_app_with(change: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut config = test_config(&dir);
    if on_postgres() {
        config.database_url = fresh_postgres_url()
            .await
            .expect("TEST_HTTP_ON=postgres needs the test cluster's TEST_DATABASE_URL");
    }
    change(&mut config);
    start_app(dir, config).await
}

/// Whether this run of the suite serves from PostgreSQL: `TEST_HTTP_ON=postgres` (the second
/// of `.ci/test`'s two runs) gives every test app a fresh database on the test cluster;
/// unset or `sqlite`, each has a SQLite file.
///
/// # Panics
/// On any other value, rather than run on a database nobody asked for.
pub fn on_postgres() -> bool {
    match std::env::var("TEST_HTTP_ON").as_deref() {
        Err(_) | Ok("sqlite") => false,
        Ok("postgres") => true,
        Ok(other) => panic!("TEST_HTTP_ON is sqlite or postgres, not {other:?}"),
    }
}

/// [`spawn_sqlite_app_with`] with the test settings.
pub async fn spawn_sqlite_app() -> Option<TestApp> {
    spawn_sqlite_app_with(|_| {}).await
}

/// A test app on a SQLite file, for what only SQLite has (its file, its write lock, its page
/// cap); `None` in the PostgreSQL run, which leaves these tests to the SQLite one.
pub async fn spawn_sqlite_app_with(change: impl FnOnce(&mut Config)) -> Option<TestApp> {
    if on_postgres() {
        eprintln!("about SQLite only: left to the suite's SQLite run");
        return None;
    }
    Some(spawn_app_with(change).await)
}

/// A test app on a fresh database of the test PostgreSQL cluster; `None` (the test is
/// skipped) where there is none, which CI never allows.
pub async fn spawn_app_on_postgres() -> Option<TestApp> {
    let url = fresh_postgres_url().await?;
    Some(spawn_app_on(&url).await)
}

/// Another server on the database at `url` (one of several behind a load balancer).
pub async fn spawn_app_on(url: &str) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut config = test_config(&dir);
    config.database_url = url.to_owned();
    start_app(dir, config).await
}

/// A new, empty database on the test PostgreSQL cluster (`TEST_DATABASE_URL`), and its URL.
pub use app::server::db::testing::postgres_url as fresh_postgres_url;

async fn start_app(dir: TempDir, config: Config) -> TestApp {
    let mail_dir = config.mail_dir.clone();
    let database_url = config.database_url.clone();
    let app = Application::build_with(config, test_leptos_options(&dir))
        .await
        .expect("the app builds over a fresh database");
    let addr = app.local_addr();
    let content = app.content_cache();
    let pages = app.page_cache();
    tokio::spawn(app.run_until_stopped());
    let db = server::db::connect(&database_url)
        .await
        .expect("a second pool on the test database");
    TestApp {
        addr,
        client: Client::builder()
            .redirect(Policy::none())
            .build()
            .expect("an HTTP client"),
        db,
        database_url,
        db_path: dir.path().join("site.db"),
        mail_dir,
        content,
        pages,
        _dir: dir,
    }
}

/// Runs the server binary in `dir` on the database `database_url` with `args` (none: serve),
/// as staff would from a shell.
pub fn run_binary(
    dir: &std::path::Path,
    database_url: &str,
    args: &[&str],
) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .current_dir(dir)
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_OUTPUT_NAME", "shared-societies")
        .env("RUST_LOG", "off")
        .output()
        .expect("the server runs")
}

/// [`run_binary`] beside a test server on this test's runtime: waiting for the child on a
/// thread of its own lets the server go on meanwhile (blocking the runtime could stop it in
/// the middle of a write transaction, and the child would wait on its lock).
pub async fn run_binary_beside(
    dir: &std::path::Path,
    database_url: &str,
    args: &[&str],
) -> std::process::Output {
    let (dir, database_url) = (dir.to_owned(), database_url.to_owned());
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_binary(&dir, &database_url, &args)
    })
    .await
    .expect("the binary ran")
}

/// What a binary that refused to go on said: it failed, in one line, without a panic.
pub fn one_line_refusal(output: &std::process::Output) -> String {
    assert!(!output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("server: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// The repository's own `content/` folder.
pub fn repository_content() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

/// A row the tests read from either database.
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{}

impl TestApp {
    /// The test database as the site's code takes it.
    pub fn db(&self) -> Db {
        self.db.clone()
    }

    /// The test's SQLite database, for a check only SQLite can make.
    ///
    /// # Panics
    /// On PostgreSQL: such a test starts from [`spawn_sqlite_app_with`].
    pub fn sqlite(&self) -> &sqlx::SqlitePool {
        self.db
            .sqlite()
            .expect("a test about SQLite runs on SQLite")
    }

    /// Runs `sql`, written for both databases, with `$1…` bound to `binds`, as staff with a
    /// database shell would; returns the rows it changed.
    pub async fn execute(&self, sql: &str, binds: &[&str]) -> u64 {
        on_db!(&self.db, pool => {
            let mut query = sqlx::query(sql);
            for bind in binds {
                query = query.bind(*bind);
            }
            query.execute(pool).await.map(|done| done.rows_affected())
        })
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
    }

    /// The rows `sql` (with `$1…` bound to `binds`) reads from the test database.
    pub async fn rows<T: Row>(&self, sql: &str, binds: &[&str]) -> Vec<T> {
        on_db!(&self.db, pool => {
            let mut query = sqlx::query_as::<_, T>(sql);
            for bind in binds {
                query = query.bind(*bind);
            }
            query.fetch_all(pool).await
        })
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
    }

    /// The one row `sql` reads.
    pub async fn row<T: Row>(&self, sql: &str, binds: &[&str]) -> T {
        let mut rows = self.rows(sql, binds).await;
        assert_eq!(rows.len(), 1, "one row from {sql}");
        rows.remove(0)
    }

    /// The one value `sql` reads.
    pub async fn scalar<T>(&self, sql: &str, binds: &[&str]) -> T
    where
        (T,): Row,
    {
        self.row::<(T,)>(sql, binds).await.0
    }

    /// The values of `sql`'s one column.
    pub async fn scalars<T>(&self, sql: &str, binds: &[&str]) -> Vec<T>
    where
        (T,): Row,
    {
        let rows: Vec<(T,)> = self.rows(sql, binds).await;
        rows.into_iter().map(|(value,)| value).collect()
    }

    /// Imports `dir` as `server import` would, then drops the server's in-memory content: the
    /// running server would notice within a second, the tests look at once.
    pub async fn import(
        &self,
        dir: &std::path::Path,
    ) -> anyhow::Result<app::server::import::Imported> {
        let imported = server::import::import_dir(&self.db(), dir).await;
        self.content.invalidate();
        imported
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// GETs a page as a browser without JavaScript would.
    pub async fn page(&self, path: &str) -> Page {
        self.page_with_cookie(path, None).await
    }

    /// GETs a page as a browser that keeps `cookie` (`name=value`) for it.
    pub async fn page_with_cookie(&self, path: &str, cookie: Option<&str>) -> Page {
        let mut request = self
            .client
            .get(self.url(path))
            .header("accept", "text/html");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status();
        let headers = response.headers().clone();
        let html = response.text().await.expect("a body");
        Page {
            status,
            headers,
            html,
        }
    }
}

impl Page {
    /// The `'sha256-…'` sources the page's Content-Security-Policy allows scripts by.
    pub fn csp_script_hashes(&self) -> Vec<String> {
        header(&self.headers, "content-security-policy")
            .split(';')
            .find_map(|directive| directive.trim().strip_prefix("script-src "))
            .map(|sources| {
                sources
                    .split_whitespace()
                    .filter(|source| source.starts_with("'sha256-"))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The text of every inline script a browser would run (not JSON-LD, not `src=`), each
    /// as the `'sha256-…'` source that allows it.
    pub fn inline_script_hashes(&self) -> Vec<String> {
        use base64::Engine;
        use sha2::Digest;
        self.html
            .split("<script")
            .skip(1)
            .filter_map(|rest| {
                let (attributes, rest) = rest.split_once('>')?;
                let text = rest.split("</script>").next()?;
                let runs = !attributes.contains("src=") && !attributes.contains("ld+json");
                runs.then(|| {
                    let digest = sha2::Sha256::digest(text.as_bytes());
                    format!(
                        "'sha256-{}'",
                        base64::engine::general_purpose::STANDARD.encode(digest)
                    )
                })
            })
            .collect()
    }

    /// The page's text with tags removed and whitespace collapsed, as a reader sees it.
    pub fn text(&self) -> String {
        let mut text = String::with_capacity(self.html.len());
        let mut in_tag = false;
        for c in self.html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        text.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }

    /// The first tag (`<link …>`) whose attributes contain `attribute`; text that merely looks
    /// like it (in a script) is not a tag.
    pub fn tag_with(&self, attribute: &str) -> Option<&str> {
        self.html.match_indices(attribute).find_map(|(at, _)| {
            let start = self.html[..at].rfind('<')?;
            if self.html[start..at].contains('>') {
                return None;
            }
            let end = at + self.html[at..].find('>')?;
            Some(&self.html[start..=end])
        })
    }

    pub fn count(&self, needle: &str) -> usize {
        self.html.matches(needle).count()
    }
}

/// The sign form as a browser sends it, with `changes` applied to valid defaults.
pub fn sign_form(changes: &[(&str, &str)]) -> Vec<(String, String)> {
    form(
        &[
            ("full_name", "Ana Pérez"),
            ("email", "ana@example.org"),
            ("kind", "person"),
            ("organisation", ""),
            ("role", ""),
            ("country", "ES"),
            ("consent_version", "1"),
            ("source", ""),
            ("leave_empty", ""),
        ],
        changes,
    )
}

/// The idempotency key of [`pledge_form`].
pub const PLEDGE_KEY: &str = "0b6e6c1c-3c36-4d0e-9a43-2f3f7d1f5e10";

/// The pledge form as a browser sends it, with `changes` applied to valid defaults.
pub fn pledge_form(changes: &[(&str, &str)]) -> Vec<(String, String)> {
    form(
        &[
            ("amount", "25"),
            ("other_amount", ""),
            ("frequency", "once"),
            ("currency", "EUR"),
            ("full_name", "Ana Pérez"),
            ("email", "ana@example.org"),
            ("message", ""),
            ("tax_id", ""),
            ("leave_empty", ""),
            ("idempotency_key", PLEDGE_KEY),
        ],
        changes,
    )
}

/// A server function's form (`form[name]=value`): `defaults` with `changes` applied, fields
/// the defaults lack added.
pub fn form(defaults: &[(&str, &str)], changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = defaults
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    for (name, value) in changes {
        match fields.iter_mut().find(|(known, _)| known == name) {
            Some(field) => field.1 = (*value).to_owned(),
            None => fields.push(((*name).to_owned(), (*value).to_owned())),
        }
    }
    fields
        .into_iter()
        .map(|(name, value)| (format!("form[{name}]"), value))
        .collect()
}

impl TestApp {
    /// POSTs a form as a browser without JavaScript does, from the page `referer`.
    pub async fn post_form(
        &self,
        path: &str,
        fields: &[(String, String)],
        referer: &str,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .header("referer", self.url(referer))
            .form(fields)
            .send()
            .await
            .expect("the server answers")
    }

    /// POSTs a form as the page's script does: it wants JSON back.
    pub async fn post_from_script(
        &self,
        path: &str,
        fields: &[(String, String)],
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("accept", "application/json")
            .form(fields)
            .send()
            .await
            .expect("the server answers")
    }

    /// The decoded text of every message written to the mail folder so far.
    pub fn mails(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.mail_dir) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "eml"))
            .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
            .map(|raw| decode_quoted_printable(&raw))
            .collect()
    }

    /// Waits (up to 10 s) until `n` messages have been written, and returns them.
    pub async fn wait_for_mails(&self, n: usize) -> Vec<String> {
        for _ in 0..200 {
            let mails = self.mails();
            if mails.len() >= n {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {n} messages, found {}", self.mails().len());
    }

    /// `(email, status)` of every stored signature.
    pub async fn signups(&self) -> Vec<(String, String)> {
        self.rows("SELECT email, status FROM signups ORDER BY id", &[])
            .await
    }
}

/// The path of the confirmation link in a message.
pub fn confirmation_path(mail: &str) -> String {
    let start = mail
        .find("/take-action/confirm/")
        .expect("a confirmation link in the message");
    mail[start..]
        .split_whitespace()
        .next()
        .expect("the link")
        .to_owned()
}

/// Undoes quoted-printable: soft line breaks and `=XX` escapes.
fn decode_quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'=')
            .then(|| joined.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `Location` a response redirects to.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .expect("a Location header")
        .to_owned()
}

/// A header's value as text; empty when it is absent or not text.
pub fn header(headers: &reqwest::header::HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The fields a form's 422 names, in order. Each error is a code named by its field
/// (`{"email":"invalid"}`), or the field alone (`"consent_version"`).
pub fn error_fields(body: &serde_json::Value) -> Vec<String> {
    body["Invalid"]["errors"]
        .as_array()
        .expect("a list of errors")
        .iter()
        .map(|error| match error {
            serde_json::Value::String(field) => field.clone(),
            serde_json::Value::Object(code) => code.keys().next().cloned().unwrap_or_default(),
            other => panic!("an error that is not a code: {other}"),
        })
        .collect()
}

/// The cookie that carries what was typed back to a form sent back with errors.
pub fn echo_cookie(response: &reqwest::Response) -> String {
    set_cookies(response)
        .into_iter()
        .find(|cookie| cookie.starts_with("form_echo="))
        .expect("a cookie with what was typed")
}

/// The `Set-Cookie` headers of a response.
pub fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .map(str::to_owned)
        .collect()
}

/// The `name=value` a browser sends back for a `Set-Cookie` header.
pub fn cookie_pair(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// A connection of its own holding the database's write lock, as a long write by staff or
/// another program would, until [`WriteLock::release`].
pub enum WriteLock {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl WriteLock {
    /// Takes the lock of the database at `url`: SQLite's one write lock; on PostgreSQL, the
    /// tables the import and every form write (readers go on, as on SQLite).
    pub async fn take(url: &str) -> Self {
        use sqlx::Connection;
        if url.starts_with("postgres") {
            let mut conn = sqlx::PgConnection::connect(url).await.expect("connects");
            for sql in [
                "BEGIN",
                "LOCK TABLE posts, members, signups, pledges, outbox IN EXCLUSIVE MODE",
            ] {
                sqlx::query(sql).execute(&mut conn).await.expect("locks");
            }
            Self::Postgres(conn)
        } else {
            let mut conn = sqlx::SqliteConnection::connect(url)
                .await
                .expect("connects");
            sqlx::query("BEGIN IMMEDIATE")
                .execute(&mut conn)
                .await
                .expect("takes the write lock");
            Self::Sqlite(conn)
        }
    }

    /// Ends the transaction, its writes undone.
    pub async fn release(self) {
        let undone = match self {
            Self::Sqlite(mut conn) => sqlx::query("ROLLBACK").execute(&mut conn).await.map(drop),
            Self::Postgres(mut conn) => sqlx::query("ROLLBACK").execute(&mut conn).await.map(drop),
        };
        undone.expect("lets go");
    }
}
