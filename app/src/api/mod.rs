//! Server functions, one module per feature. Each is a public HTTP endpoint: it parses its
//! input, calls `server::db`, and maps failures to [`AppError`](error::AppError) or, for a
//! form, [`FormError`](error::FormError).

pub mod consent;
pub mod content;
pub mod error;
pub mod form;
pub mod pledges;
pub mod signups;
pub mod staff;
