//! Server functions, one module per feature. Each is a public HTTP endpoint: it parses its
//! input, calls `server::db`, and maps failures to [`AppError`](crate::domain::AppError).

pub mod consent;
pub mod content;
pub mod pledges;
pub mod signups;
pub mod site;
