// Leptos views are deeply nested types; the pages with both forms pass the default limit.
#![recursion_limit = "256"]

//! The Shared Societies site: every route, view and server function, shared by the server
//! (`ssr`) and the browser (`hydrate`).

pub mod api;
pub mod app;
pub mod components;
pub mod consent;
pub mod domain;
pub mod locale;
pub mod page_cache;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod site;

// The interface's strings in every language (`locales/`), made by the build script.
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

#[cfg(feature = "hydrate")]
pub use app::hydrate_islands;
#[cfg(feature = "ssr")]
pub use app::shell;
pub use app::App;
