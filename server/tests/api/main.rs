//! HTTP tests: the real router on port 0 over a temporary SQLite file.

mod backup;
mod connections;
mod consent;
mod content;
mod corpus;
mod database;
mod helpers;
mod import;
mod page_cache;
mod pledges;
mod postgres_schema;
mod protection;
mod publishing;
mod requests;
mod search_bounds;
mod signups;
mod startup;
