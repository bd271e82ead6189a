//! Types shared by the server and the browser. Values are parsed once, at the edge.

mod content;
mod date;
mod error;

pub use content::{
    LinkTarget, MemberProfile, MemberSummary, PendingDocument, Post, PostSummary, ResourceLink,
    Slug,
};
pub use date::{DateError, PublishedDate};
pub use error::AppError;
