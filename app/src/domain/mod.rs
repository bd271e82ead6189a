//! Types shared by the server and the browser. Values are parsed once, at the edge.

pub mod analytics;
pub mod chart;
mod content;
pub mod countries;
mod date;
mod email;
mod form;
pub mod language;
pub mod media;
pub mod money;
pub mod pledge;
pub mod signup;
pub mod staff;
mod text;

pub use content::{
    is_safe_front_matter_link, is_safe_link, parse_page_number, tag_slug, Fragment, LinkTarget,
    MemberListing, MemberProfile, MemberSummary, PendingDocument, Post, PostPage, PostSummary,
    ResourceLink, SearchHit, SearchResults, Slug, Tag, MAX_SEARCH_CHARS,
};
pub use date::{DateError, PublishedDate};
pub use email::{EmailAddress, MAX_EMAIL};
pub use form::{Choice, FieldCode};
pub use text::{is_invisible, Line, LineProblem, MAX_NAME};
