//! HTTP tests: the real router on port 0 over a temporary SQLite file (and, in `on_postgres`,
//! over a fresh PostgreSQL database).

mod backup;
mod connections;
mod consent;
mod content;
mod corpus;
mod database;
mod helpers;
mod import;
mod languages;
mod on_postgres;
mod page_cache;
mod pledges;
mod postgres_schema;
mod protection;
mod publishing;
mod requests;
mod search_bounds;
mod signups;
mod staff;
mod startup;
