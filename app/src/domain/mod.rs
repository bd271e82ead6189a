//! Types shared by the server and the browser. Values are parsed once, at the edge.

mod content;
pub mod countries;
mod date;
mod error;
mod form;
pub mod signup;

pub use content::{
    LinkTarget, MemberProfile, MemberSummary, PendingDocument, Post, PostSummary, ResourceLink,
    Slug,
};
pub use date::{DateError, PublishedDate};
pub use error::AppError;
pub use form::{FieldError, FormError};
