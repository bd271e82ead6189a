//! The databases the site runs on, SQLite (the embedded default) and PostgreSQL, and the
//! migrations that define their tables.
//!
//! Each feature's SQL is written once where both databases read it the same way (`$1`
//! placeholders, which SQLite takes too; `true`/`false`; `CAST(… AS TEXT)` for dates) and
//! runs on the connection of whichever database the server was given: [`on_db!`] and
//! [`on_conn!`] repeat a block for each, with that database's [`sqlite`] or [`postgres`]
//! words in scope (`NOW`, `BEGIN_WRITE`, [`sqlite::shifted`] …). Where the two differ in more
//! than a word (full-text search), the feature matches on [`Db`] itself.

use sqlx::{migrate::Migrator, PgConnection, PgPool, QueryBuilder, SqliteConnection, SqlitePool};

/// The schema and the seed content, embedded in the binary and run at startup.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// The same schema and seed on PostgreSQL: a folder and a history of its own, each kept
/// in step with SQLite's by a test (`server/tests/api/postgres_schema.rs`).
pub static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// The pool of the database the site runs on.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Db {
    /// Closes every connection, waiting for those in use to come back.
    pub async fn close(&self) {
        match self {
            Self::Sqlite(pool) => pool.close().await,
            Self::Postgres(pool) => pool.close().await,
        }
    }

    /// The SQLite pool, for what only SQLite has (its file, copied by backups).
    pub fn sqlite(&self) -> Option<&SqlitePool> {
        match self {
            Self::Sqlite(pool) => Some(pool),
            Self::Postgres(_) => None,
        }
    }

    /// Which database this is, as logs and messages name it.
    pub fn engine(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "SQLite",
            Self::Postgres(_) => "PostgreSQL",
        }
    }
}

impl From<SqlitePool> for Db {
    fn from(pool: SqlitePool) -> Self {
        Self::Sqlite(pool)
    }
}

impl From<PgPool> for Db {
    fn from(pool: PgPool) -> Self {
        Self::Postgres(pool)
    }
}

/// One connection of either database, lent to a step that runs inside a caller's transaction
/// (the group-commit writer's, the mail sender's).
#[derive(Debug)]
pub enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl Conn<'_> {
    /// Runs `sql` (statements without parameters; several in one round trip).
    ///
    /// # Errors
    /// The database's.
    pub async fn run(&mut self, sql: &'static str) -> Result<(), sqlx::Error> {
        match self {
            // A bare string has no arguments: PostgreSQL runs it as a simple query, which may
            // hold several statements (a prepared one may not). `Executor::execute` returns a
            // boxed future, which keeps the writer's higher-ranked closures `Send`.
            Conn::Sqlite(conn) => sqlx::Executor::execute(&mut **conn, sql).await.map(drop),
            Conn::Postgres(conn) => sqlx::Executor::execute(&mut **conn, sql).await.map(drop),
        }
    }

    /// The same connection, lent again for one more step.
    pub fn reborrow(&mut self) -> Conn<'_> {
        match self {
            Conn::Sqlite(conn) => Conn::Sqlite(conn),
            Conn::Postgres(conn) => Conn::Postgres(conn),
        }
    }
}

impl<'c> From<&'c mut SqliteConnection> for Conn<'c> {
    fn from(conn: &'c mut SqliteConnection) -> Self {
        Self::Sqlite(conn)
    }
}

impl<'c> From<&'c mut PgConnection> for Conn<'c> {
    fn from(conn: &'c mut PgConnection) -> Self {
        Self::Postgres(conn)
    }
}

/// Runs `$body` with `$pool` bound to the pool of `$db` (a [`Db`]) and that database's words
/// (the items of [`sqlite`] or [`postgres`]) in scope.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::server::db::Db::Sqlite($pool) => {
                #[allow(unused_imports)]
                use $crate::server::db::sqlite::*;
                $body
            }
            $crate::server::db::Db::Postgres($pool) => {
                #[allow(unused_imports)]
                use $crate::server::db::postgres::*;
                $body
            }
        }
    };
}

/// [`on_db!`] for a [`Conn`]: `$conn` is bound to the connection itself.
#[macro_export]
macro_rules! on_conn {
    ($c:expr, $conn:ident => $body:expr) => {
        match $c {
            $crate::server::db::Conn::Sqlite($conn) => {
                #[allow(unused_imports)]
                use $crate::server::db::sqlite::*;
                $body
            }
            $crate::server::db::Conn::Postgres($conn) => {
                #[allow(unused_imports)]
                use $crate::server::db::postgres::*;
                $body
            }
        }
    };
}

pub use crate::{on_conn, on_db};

/// SQLite's words. Times are UTC text to the millisecond (`2026-12-03T17:42:00.123Z`), so
/// they compare as strings.
pub mod sqlite {
    pub type DB = sqlx::Sqlite;

    /// The time now, as every table stores times.
    pub const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

    /// A write transaction takes SQLite's one write lock up front, so two writers wait for
    /// each other (busy timeout) instead of failing half-way through.
    pub const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

    /// Rows a claim skips while another transaction holds them: SQLite has one writer, so none.
    pub const SKIP_LOCKED: &str = "";

    /// The time now moved by `modifier` (`+7 days`, `-15 minutes`).
    pub fn shifted(modifier: &str) -> String {
        format!("strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '{modifier}')")
    }

    /// The time now moved by the modifier bound as `param` (`$2`).
    pub fn shifted_by(param: &str) -> String {
        format!("strftime('%Y-%m-%dT%H:%M:%fZ', 'now', {param})")
    }

    /// `column`, a time, as the ISO text the site shows and exports.
    pub fn iso(column: &str) -> String {
        column.to_owned()
    }

    /// Serialises writers on `key` for the rest of the transaction: `BEGIN IMMEDIATE` already
    /// has, so nothing to run.
    pub const LOCK_KEY: Option<&str> = None;

    /// Today's date (UTC).
    pub const TODAY: &str = "date('now')";

    /// A read of several statements that must see one state: SQLite's read transaction is one
    /// snapshot already.
    pub const BEGIN_READ: &str = "BEGIN";

    /// Locks a row read for a change that depends on it: SQLite's write transaction holds the
    /// whole database, so nothing to add.
    pub const FOR_UPDATE: &str = "";

    /// The most writes one group commit carries.
    pub const WRITES_PER_COMMIT: usize = 128;

    /// Today's date (UTC) moved by `modifier` (`-24 months`).
    pub fn today_shifted(modifier: &str) -> String {
        format!("date('now', '{modifier}')")
    }

    /// A uuid bound as `param`, as the table keeps it: text.
    pub fn uuid(param: &str) -> String {
        param.to_owned()
    }

    /// A date bound as `param` (`2010-10-06`), as the table keeps it: that text.
    pub fn date(param: &str) -> String {
        param.to_owned()
    }

    /// The texts of `column` over a group, in the sub-select's order, joined by `, `.
    pub fn joined(column: &str) -> String {
        format!("group_concat({column}, ', ')")
    }

    /// The texts of `column` over a group, in the sub-select's order, one a line.
    pub fn lines(column: &str) -> String {
        format!("group_concat({column}, char(10))")
    }

    /// The Monday (`2026-11-30`) of the UTC week of the time `column`.
    pub fn week_start(column: &str) -> String {
        format!("date(substr({column}, 1, 10), 'weekday 0', '-6 days')")
    }

    /// The time a day bound as `param` (`2010-10-06`) starts, UTC, as tables keep times.
    pub fn start_of_day(param: &str) -> String {
        format!("({param} || 'T00:00:00.000Z')")
    }

    /// The strings of the JSON array bound as `param`, as a one-column sub-select.
    pub fn json_texts(param: &str) -> String {
        format!("SELECT value FROM json_each({param})")
    }
}

/// PostgreSQL's words, which read and write the same values as [`sqlite`]'s.
pub mod postgres {
    pub type DB = sqlx::Postgres;

    /// The start of the transaction: the same time for every row a statement writes.
    pub const NOW: &str = "now()";

    /// Writers of the same rows wait on row locks; read committed is enough for what the
    /// site writes (every check-then-write is one statement or under [`LOCK_KEY`]).
    pub const BEGIN_WRITE: &str = "BEGIN";

    /// Several servers claim mail at once: each skips the rows another has locked.
    pub const SKIP_LOCKED: &str = "FOR UPDATE SKIP LOCKED";

    /// The time now moved by `modifier` (`+7 days`, `-15 minutes`).
    pub fn shifted(modifier: &str) -> String {
        format!("(now() + interval '{modifier}')")
    }

    /// The time now moved by the modifier bound as `param` (`$2`).
    pub fn shifted_by(param: &str) -> String {
        format!("(now() + CAST({param} AS interval))")
    }

    /// `column`, a `timestamptz`, as the ISO text SQLite stores (`2026-12-03T17:42:00.123Z`).
    pub fn iso(column: &str) -> String {
        format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
    }

    /// Serialises the transactions that take the same `key` (bound as `$1`) until they end:
    /// a check-then-insert that must not run twice at once on two servers.
    pub const LOCK_KEY: Option<&str> = Some("SELECT pg_advisory_xact_lock($1)");

    /// A read of several statements that must see one state (PostgreSQL's default takes a
    /// new snapshot per statement).
    pub const BEGIN_READ: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";

    /// Locks a row read for a change that depends on it, until the transaction ends: another
    /// server's sweep cannot delete it meanwhile, nor a second submission read it unchanged.
    pub const FOR_UPDATE: &str = "FOR UPDATE";

    /// The most writes one group commit carries: each is a savepoint, and past 64 open
    /// subtransactions in one transaction PostgreSQL's snapshots of every session slow down.
    pub const WRITES_PER_COMMIT: usize = 48;

    /// Today's date (UTC, whatever the session's time zone).
    pub const TODAY: &str = "CAST(now() AT TIME ZONE 'UTC' AS date)";

    /// Today's date (UTC) moved by `modifier` (`-24 months`).
    pub fn today_shifted(modifier: &str) -> String {
        format!("CAST((now() AT TIME ZONE 'UTC') + interval '{modifier}' AS date)")
    }

    /// A uuid bound as `param` (text), as the table keeps it.
    pub fn uuid(param: &str) -> String {
        format!("CAST({param} AS uuid)")
    }

    /// A date bound as `param` (`2010-10-06`, text), as the table keeps it.
    pub fn date(param: &str) -> String {
        format!("CAST({param} AS date)")
    }

    /// The texts of `column` over a group, in the sub-select's order, joined by `, `.
    pub fn joined(column: &str) -> String {
        format!("string_agg({column}, ', ')")
    }

    /// The texts of `column` over a group, in the sub-select's order, one a line.
    pub fn lines(column: &str) -> String {
        format!("string_agg({column}, chr(10))")
    }

    /// The Monday (`2026-11-30`) of the UTC week of the `timestamptz` `column`.
    pub fn week_start(column: &str) -> String {
        format!("to_char(date_trunc('week', {column} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')")
    }

    /// The time a day bound as `param` (`2010-10-06`, text) starts, UTC.
    pub fn start_of_day(param: &str) -> String {
        format!("(CAST({param} AS timestamp) AT TIME ZONE 'UTC')")
    }

    /// The strings of the JSON array bound as `param`, as a one-column sub-select.
    pub fn json_texts(param: &str) -> String {
        format!("SELECT json_array_elements_text(CAST({param} AS json))")
    }
}

/// Today's date (UTC) by the database's clock, which every server shares.
///
/// # Errors
/// The database's.
pub async fn today(db: &Db) -> Result<crate::domain::PublishedDate, sqlx::Error> {
    let today: String = on_db!(db, pool => sqlx::query_scalar(&format!("SELECT CAST({TODAY} AS TEXT)"))
        .fetch_one(pool)
        .await?);
    crate::domain::PublishedDate::parse(&today)
        .map_err(|_| sqlx::Error::Protocol(format!("the database's date {today:?} is not a date")))
}

/// `text` as a `LIKE` pattern that matches it anywhere, its own `%`, `_` and `\` taken as
/// themselves.
pub fn like_pattern(text: &str) -> String {
    let escaped = text
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Appends `(?, ?, …)` with `ids` bound, for `… IN` a set of rows in one statement.
pub fn push_ids<DB>(query: &mut QueryBuilder<'_, DB>, ids: &[i64])
where
    DB: sqlx::Database,
    i64: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    query.push("(");
    let mut each = query.separated(", ");
    for id in ids {
        each.push_bind(*id);
    }
    each.push_unseparated(")");
}

/// Test support: each feature's database tests run on SQLite and on PostgreSQL (and the
/// server's HTTP tests take their PostgreSQL databases from here too).
#[cfg(any(test, feature = "test-support"))]
pub mod testing {
    use super::{Db, POSTGRES_MIGRATOR};
    use sqlx::{postgres::PgPoolOptions, Connection, PgConnection};

    /// The URL of a new, empty database of its own on the test PostgreSQL cluster
    /// (`TEST_DATABASE_URL`, which `.ci/test` starts); `None` (the test is skipped, saying
    /// so) without one, except on CI, where that fails.
    ///
    /// # Panics
    /// When the cluster cannot be reached: a test helper.
    pub async fn postgres_url() -> Option<String> {
        let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
            assert!(
                std::env::var_os("CI").is_none(),
                "TEST_DATABASE_URL is not set: .ci/test starts a PostgreSQL cluster for these tests"
            );
            eprintln!("TEST_DATABASE_URL is not set: the PostgreSQL tests are skipped");
            return None;
        };
        let name = format!("test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&url)
            .await
            .expect("connects to the test cluster");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("creates a database");
        admin.close().await.expect("closes");
        let (base, _) = url.rsplit_once('/').expect("a URL with a database");
        Some(format!("{base}/{name}"))
    }

    /// A fresh database of [`postgres_url`], migrated.
    ///
    /// # Panics
    /// When it cannot be reached or migrated: a test helper.
    pub async fn postgres() -> Option<Db> {
        let url = postgres_url().await?;
        let pool = PgPoolOptions::new()
            .max_connections(5)
            .connect(&url)
            .await
            .expect("connects to the new database");
        POSTGRES_MIGRATOR.run(&pool).await.expect("migrates");
        Some(Db::Postgres(pool))
    }

    #[cfg(test)]
    /// One test, twice: `name::sqlite` on a fresh SQLite file and `name::postgres` on a fresh
    /// PostgreSQL database, the body given the database as `db`.
    macro_rules! on_both {
        ($(#[$meta:meta])* async fn $name:ident($db:ident: Db) $body:block) => {
            $(#[$meta])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($db: $crate::server::db::Db) $body

                #[sqlx::test(migrator = "crate::server::db::MIGRATOR")]
                async fn sqlite(pool: sqlx::SqlitePool) {
                    run($crate::server::db::Db::Sqlite(pool)).await;
                }

                #[tokio::test]
                async fn postgres() {
                    if let Some(db) = $crate::server::db::testing::postgres().await {
                        run(db).await;
                    }
                }
            }
        };
    }
    #[cfg(test)]
    pub(crate) use on_both;
}

#[cfg(test)]
mod tests {
    use super::{testing::on_both, *};
    use crate::{
        domain::{ResourceLink, Slug},
        server::content::{load, ContentCache, POSTS_PER_PAGE},
    };

    const SEED: &str =
        "a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference";

    fn slug(s: &str) -> Slug {
        Slug::parse(s).expect("a test slug")
    }

    async fn add_post(db: &Db, slug: &str, day: &str, status: &str) {
        on_db!(db, pool => sqlx::query(&format!(
            "INSERT INTO posts (slug, title, summary, body_markdown, body_html, published_on, status)
             VALUES ($1, $2, '', '', '', {}, $4)",
            date("$3")
        ))
        .bind(slug)
        .bind(format!("Title of {slug}"))
        .bind(day)
        .bind(status)
        .execute(pool)
        .await
        .map(drop)
        .expect("inserts a post"));
    }

    on_both! {
        async fn the_seed_post_comes_with_its_links_and_member(db: Db) {
            let content = load(&db).await.expect("loads");
            let post = content.post(&slug(SEED)).expect("the seed post");
            assert_eq!(post.published_on.iso(), "2010-10-06");
            assert_eq!(post.body_html.matches("<p>").count(), 6);
            let hrefs: Vec<_> = post.resources.iter().map(ResourceLink::href).collect();
            assert_eq!(
                hrefs,
                [
                    "/resources/wim-kok-intervention",
                    "/take-action",
                    "https://citiesofmigration.ca/"
                ],
                "in the seed's order"
            );
            assert!(post.resources[2].is_external());
            let members: Vec<_> = post.members.iter().map(|m| m.name.as_str()).collect();
            assert_eq!(members, ["Wim Kok"]);
        }
    }

    on_both! {
        async fn unknown_and_draft_posts_are_not_found(db: Db) {
            add_post(&db, "a-draft", "2020-01-01", "draft").await;
            let content = load(&db).await.expect("loads");
            assert!(content.post(&slug("no-such-post")).is_none());
            assert!(content.post(&slug("a-draft")).is_none());
            assert_eq!(content.posts().len(), 1, "the seed only");
        }
    }

    on_both! {
        async fn listings_are_published_posts_newest_first_in_pages(db: Db) {
            add_post(&db, "newest-draft", "2012-01-01", "draft").await;
            for day in 1..=POSTS_PER_PAGE + 1 {
                add_post(
                    &db,
                    &format!("post-{day}"),
                    &format!("2011-05-{day:02}"),
                    "published",
                )
                .await;
            }
            let content = load(&db).await.expect("loads");
            let first = content.page(None, 1).expect("page 1");
            assert_eq!(first.pages, 2);
            assert_eq!(first.posts.len(), POSTS_PER_PAGE);
            assert_eq!(
                first.posts[0].slug.as_ref(),
                format!("post-{}", POSTS_PER_PAGE + 1)
            );
            assert_eq!(first.previous(), None);
            assert_eq!(first.next().as_deref(), Some("/news?page=2"));
            let second = content.page(None, 2).expect("page 2");
            let slugs: Vec<_> = second.posts.iter().map(|p| p.slug.as_ref()).collect();
            assert_eq!(slugs, ["post-1", SEED], "the oldest last");
            assert_eq!(second.previous().as_deref(), Some("/news"));
            assert_eq!(second.next(), None);
            for past_the_end in [0, 3, u32::MAX] {
                assert!(content.page(None, past_the_end).is_none(), "{past_the_end}");
            }
            assert_eq!(content.latest(3).len(), 3);
        }
    }

    on_both! {
        async fn tags_list_their_posts_and_unknown_tags_none(db: Db) {
            for (tag, name) in [
                ("migration", "Migration"),
                ("cities", "Cities"),
                ("leadership", "Leadership"),
            ] {
                on_db!(&db, pool => {
                    sqlx::query("INSERT INTO tags (slug, name) VALUES ($1, $2)")
                        .bind(tag)
                        .bind(name)
                        .execute(pool)
                        .await
                        .expect("a tag");
                    sqlx::query(
                        "INSERT INTO post_tags (post_id, tag_id)
                         SELECT p.id, t.id FROM posts p, tags t WHERE p.slug = $1 AND t.slug = $2",
                    )
                    .bind(SEED)
                    .bind(tag)
                    .execute(pool)
                    .await
                    .expect("tags the seed");
                });
            }
            let content = load(&db).await.expect("loads");
            let page = content.page(Some(&slug("migration")), 1).expect("a tag");
            assert_eq!(
                page.tag.as_ref().map(|t| t.name.as_str()),
                Some("Migration")
            );
            assert_eq!(page.posts.len(), 1);
            assert_eq!(page.base_href(), "/news/tag/migration");
            let names: Vec<_> = content.tags().map(|t| t.name.as_str()).collect();
            assert_eq!(names, ["Cities", "Leadership", "Migration"], "by name");
            assert!(content.page(Some(&slug("no-such-tag")), 1).is_none());
            assert!(content.page(Some(&slug("migration")), 2).is_none());
        }
    }

    on_both! {
        async fn a_member_lists_the_posts_that_name_them(db: Db) {
            let content = load(&db).await.expect("loads");
            let profile = content.member(&slug("wim-kok")).expect("Wim Kok");
            assert_eq!(
                profile.member.role,
                "Former Prime Minister of the Netherlands"
            );
            assert_eq!(profile.posts.len(), 1);
            assert_eq!(profile.posts[0].slug.as_ref(), SEED);
            assert!(content.member(&slug("nobody")).is_none());
            let listing = content.member_listing(crate::domain::language::Locale::en_GB);
            assert_eq!(listing.len(), 1);
            assert_eq!(listing[0].posts, 1);
        }
    }

    on_both! {
        async fn only_documents_without_a_url_have_a_pending_page(db: Db) {
            let content = load(&db).await.expect("loads");
            let pending = content
                .pending_document(&slug("wim-kok-intervention"))
                .expect("the intervention is pending");
            assert_eq!(
                pending.title,
                "Wim Kok’s intervention at the Cities of Migration conference"
            );
            assert_eq!(pending.post.slug.as_ref(), SEED);
            for linked in [
                "cities-of-migration-website",
                "call-to-action-for-leadership",
                "nothing",
            ] {
                assert!(
                    content.pending_document(&slug(linked)).is_none(),
                    "{linked}"
                );
            }
        }
    }

    on_both! {
        async fn the_cache_keeps_a_snapshot_until_the_content_changes(db: Db) {
            let cache = ContentCache::new();
            let first = cache.get(&db).await.expect("loads");
            let again = cache.get(&db).await.expect("cached");
            assert!(std::sync::Arc::ptr_eq(&first, &again), "no second load");
            assert!(!cache
                .invalidate_if_changed(&db)
                .await
                .expect("version"));

            // Any writer: a member's role edited with plain SQL.
            on_db!(&db, pool => sqlx::query("UPDATE members SET role = 'Statesman' WHERE slug = 'wim-kok'")
                .execute(pool)
                .await
                .map(drop)
                .expect("updates"));
            assert!(cache
                .invalidate_if_changed(&db)
                .await
                .expect("version"));
            let fresh = cache.get(&db).await.expect("reloads");
            let wim = fresh.member(&slug("wim-kok")).expect("Wim Kok");
            assert_eq!(wim.member.role, "Statesman");
            assert_eq!(
                fresh.post(&slug(SEED)).expect("seed").members[0].role,
                "Statesman",
                "the post's related members too"
            );

            // Signatures and page views are not content: they leave the snapshot alone.
            on_db!(&db, pool => sqlx::query("INSERT INTO page_views (day, path, views) VALUES ('2026-01-01', '/', 1)")
                .execute(pool)
                .await
                .map(drop)
                .expect("counts"));
            assert!(!cache
                .invalidate_if_changed(&db)
                .await
                .expect("version"));
        }
    }

    on_both! {
        async fn search_finds_published_words_and_marks_them(db: Db) {
            use crate::{domain::language::Locale, server::search::search};
            add_post(&db, "a-draft-on-migration", "2020-01-01", "draft").await;
            let content = load(&db).await.expect("loads");
            let results = search(&db, &content, "populist MOVEMENTS", Locale::en_GB)
                .await
                .expect("searches");
            assert_eq!(results.hits.len(), 1);
            let hit = &results.hits[0];
            assert_eq!(hit.post.slug.as_ref(), SEED);
            let marked: Vec<_> = hit
                .excerpt
                .iter()
                .filter(|f| f.matched)
                .map(|f| f.text.as_str())
                .collect();
            assert!(
                marked.contains(&"populist") && marked.contains(&"movements"),
                "{marked:?}"
            );
            assert!(marked
                .iter()
                .all(|word| ["populist", "movements"].contains(word)));

            let stemmed = search(&db, &content, "migrations", Locale::en_GB)
                .await
                .expect("searches");
            assert_eq!(stemmed.hits.len(), 1, "drafts are not found; stems are");
            assert!(stemmed.hits[0]
                .title
                .iter()
                .any(|f| f.matched && f.text == "Migration"));

            for hostile in ["\"\"\"", "NEAR(", "title:x OR", "*", "')--", "a\u{0}b"] {
                search(&db, &content, hostile, Locale::en_GB)
                    .await
                    .expect("never an error");
            }
            let none = search(&db, &content, "xylophone", Locale::en_GB)
                .await
                .expect("searches");
            assert!(none.hits.is_empty());

            // Accents fold both ways, as readers type them or not.
            on_db!(&db, pool => sqlx::query(&format!(
                "INSERT INTO posts (slug, title, summary, body_markdown, body_html, published_on)
                 VALUES ('emigres', 'Les émigrés de la ville', '', '', '', {})",
                date("'2021-01-01'")
            ))
            .execute(pool)
            .await
            .map(drop)
            .expect("a post with accents"));
            let content = load(&db).await.expect("loads");
            for typed in ["emigres", "ÉMIGRÉS", "émigrés"] {
                let found = search(&db, &content, typed, Locale::en_GB).await.expect("searches");
                let slugs: Vec<_> = found.hits.iter().map(|hit| hit.post.slug.as_ref()).collect();
                assert_eq!(slugs, ["emigres"], "{typed}");
                assert!(
                    found.hits[0].title.iter().any(|f| f.matched && f.text == "émigrés"),
                    "{typed}: {:?}",
                    found.hits[0].title
                );
            }
        }
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn the_schema_refuses_content_that_cannot_be_served(pool: sqlx::SqlitePool) {
        for (slug, date, why) in [
            ("Bad Slug", "2020-01-01", "a slug with capitals and a space"),
            ("ok-slug", "2020-02-30", "a day that does not exist"),
            ("ok-slug", "6 Oct 2010", "a date that is not ISO"),
        ] {
            let result = sqlx::query(
                "INSERT INTO posts (slug, title, summary, body_markdown, body_html, published_on)
                 VALUES (?, 'T', '', '', '', ?)",
            )
            .bind(slug)
            .bind(date)
            .execute(&pool)
            .await;
            assert!(result.is_err(), "{why}");
        }
        let dangerous = sqlx::query(
            "INSERT INTO resources (post_id, slug, label, title, url) VALUES (1, 'x', 'x', 'x', 'javascript:alert(1)')",
        )
        .execute(&pool)
        .await;
        assert!(dangerous.is_err(), "a javascript: URL is refused");
    }
}
