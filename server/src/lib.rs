//! The axum server of the Shared Societies site: configuration, database, router.
//! `main.rs` only starts it; the tests build the same [`startup::Application`] on port 0.

pub mod backup;
pub mod config;
pub mod connections;
pub mod db;
pub mod export;
pub mod feeds;
pub mod import;
pub mod mail;
pub mod outbox;
pub mod page_cache;
pub mod protect;
pub mod rate_limit;
pub mod request_guard;
pub mod script_policy;
pub mod sessions;
pub mod staff;
pub mod startup;
pub mod telemetry;
