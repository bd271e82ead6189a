//! The live figures public pages show (signatures confirmed, gifts received), as a generation
//! the kept pages that show them are checked against.
//!
//! A confirmation on this server moves the generation at once; a change made elsewhere (the
//! staff command marking a pledge received, another server) moves the stored version, which
//! the server's watcher reads every second.

use super::db::{on_db, Db};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

#[derive(Debug, Default)]
pub struct Figures {
    generation: AtomicU64,
    /// The stored version last seen; 0 before the first read.
    seen: AtomicI64,
}

impl Figures {
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves with every change of a figure: a page made at one generation is stale at the next.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// A figure changed here.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Moves the generation if the stored version moved since it was last read.
    ///
    /// # Errors
    /// A database error while reading the version.
    pub async fn check(&self, db: &Db) -> Result<bool, sqlx::Error> {
        let version: i64 = on_db!(db, pool => sqlx::query_scalar(
            "SELECT version FROM figures_version WHERE id = 1",
        )
        .fetch_one(pool)
        .await?);
        let before = self.seen.swap(version, Ordering::AcqRel);
        let changed = before != 0 && before != version;
        if changed {
            self.changed();
        }
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::{on_db, testing::on_both};

    on_both! {
        async fn a_confirmation_or_a_gift_received_moves_the_figures(db: Db) {
            let figures = Figures::new();
            assert!(!figures.check(&db).await.expect("read"));
            let start = figures.generation();
            on_db!(&db, pool => sqlx::query(
                "INSERT INTO signups (campaign, email, email_key, full_name, kind, country, show_name,
                     keep_informed, consent_version, status, created_at, updated_at, expires_at)
                 VALUES ($1, 'ana@example.org', 'ana@example.org', 'Ana', 'person', 'ES', true,
                     false, 1, 'pending', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z',
                     '2999-01-01T00:00:00Z')",
            )
            .bind(crate::domain::signup::CALL_TO_ACTION)
            .execute(pool)
            .await
            .map(drop)
            .expect("a pending signature"));
            assert!(
                !figures.check(&db).await.expect("read"),
                "a pending signature is no figure"
            );
            on_db!(&db, pool => sqlx::query(
                "UPDATE signups SET status = 'confirmed', expires_at = NULL,
                     confirmed_at = '2026-01-01T00:00:00Z'",
            )
            .execute(pool)
            .await
            .map(drop)
            .expect("confirmed"));
            assert!(figures.check(&db).await.expect("read"));
            assert_eq!(figures.generation(), start + 1);
            assert!(!figures.check(&db).await.expect("read"));
        }
    }
}
