//! Server-only code: SQL, and the state the server hands to every render and server function.

pub mod consent;
pub mod content;
pub mod dashboard;
pub mod db;
pub mod export;
pub mod figures;
pub mod http;
pub mod import;
pub mod members;
pub mod outbox;
pub mod pledge_receipt;
pub mod pledges;
pub mod posts;
pub mod search;
pub mod signups;
pub mod site_files;
pub mod staff;
pub mod state;
pub mod structured_data;
pub mod supporters;
pub mod tokens;
pub mod transfer_code;
pub mod write_queue;
