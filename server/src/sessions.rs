//! Staff sessions, kept in the site's database (tower-sessions' SQLite or PostgreSQL store,
//! on the `staff_sessions` table both databases' migrations make), so every app server knows
//! every session and a restart logs nobody out.

use app::server::db::Db;
use tower_sessions::{
    cookie::{time::Duration, SameSite},
    session::{Id, Record},
    session_store::{self, ExpiredDeletion, SessionStore},
    Expiry, SessionManagerLayer,
};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// A session nobody used for this long has ended (the login itself ends after 12 h however
/// active, checked by `app::api::staff`).
const IDLE_MINUTES: i64 = 30;
/// The table of sessions, in both databases.
const TABLE: &str = "staff_sessions";
/// How often each server deletes ended sessions (idempotent, so several servers may).
pub const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// The session store of the database the site runs on.
#[derive(Clone, Debug)]
pub enum StaffSessions {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl StaffSessions {
    /// # Errors
    /// Never for the fixed table name (the store checks names it is given).
    pub fn new(db: &Db) -> anyhow::Result<Self> {
        let store = match db {
            Db::Sqlite(pool) => Self::Sqlite(
                SqliteStore::new(pool.clone())
                    .with_table_name(TABLE)
                    .map_err(anyhow::Error::msg)?,
            ),
            Db::Postgres(pool) => Self::Postgres(
                PostgresStore::new(pool.clone())
                    .with_schema_name("public")
                    .and_then(|store| store.with_table_name(TABLE))
                    .map_err(anyhow::Error::msg)?,
            ),
        };
        Ok(store)
    }

    /// The layer that gives each request its session. The cookie: `__Host-staff` over HTTPS
    /// (a name browsers only accept when `Secure`, for the whole site, from this host alone);
    /// `staff` over plain HTTP, where browsers would drop a `Secure` cookie. Never readable by
    /// scripts, never sent with a request another site starts.
    pub fn layer(self, https: bool) -> SessionManagerLayer<Self> {
        SessionManagerLayer::new(self)
            .with_name(if https { "__Host-staff" } else { "staff" })
            .with_secure(https)
            .with_http_only(true)
            .with_same_site(SameSite::Strict)
            .with_path("/")
            .with_expiry(Expiry::OnInactivity(Duration::minutes(IDLE_MINUTES)))
    }
}

#[async_trait::async_trait]
impl SessionStore for StaffSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Self::Sqlite(store) => store.create(record).await,
            Self::Postgres(store) => store.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Self::Sqlite(store) => store.save(record).await,
            Self::Postgres(store) => store.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Self::Sqlite(store) => store.load(id).await,
            Self::Postgres(store) => store.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Self::Sqlite(store) => store.delete(id).await,
            Self::Postgres(store) => store.delete(id).await,
        }
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for StaffSessions {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Self::Sqlite(store) => store.delete_expired().await,
            Self::Postgres(store) => store.delete_expired().await,
        }
    }
}
