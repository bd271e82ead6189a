//! What a server function answers instead of its value, and the HTTP status each one is.
//!
//! Messages are written for people and never carry internals: the cause goes to the server's
//! log instead. The status is set here, where a server function's failure is known, so a
//! malformed call is a 4xx rather than server_fn's blanket 500.

use crate::domain::FieldCode;
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// What a server function can tell a reader went wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The request itself was malformed (bad arguments, wrong encoding).
    #[error("The request could not be understood.")]
    BadRequest,
    /// The server could not answer (database down, bug). Worth retrying.
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Unavailable,
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            Self::BadRequest => 400,
            // The usual cause is a busy or full database: worth retrying, so 503.
            Self::Unavailable => 503,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = either(&value, Self::BadRequest, Self::Unavailable);
        answered_with(error.status());
        error
    }
}

/// Why a form was not accepted. `C` is the form's code for a wrong field: codes, not words,
/// so what comes back in an address can only choose among the site's own messages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(bound(deserialize = "C: FieldCode"))]
pub enum FormError<C> {
    /// Some fields are wrong: every one of them is listed, not only the first.
    #[error("Please correct the highlighted fields.")]
    Invalid { errors: Vec<C> },
    /// The request was not a form we can read (a broken or forged post).
    #[error("The form could not be read. Please reload the page and try again.")]
    BadRequest,
    /// The server could not store the answer. Nothing half-done was kept; worth retrying.
    #[error(
        "Something went wrong on our side, and nothing was saved. Please try again in a moment."
    )]
    Unavailable,
    /// A staff form sent without a live session (it ended, or there never was one).
    #[error("Your session has ended: log in again, then send the form again.")]
    NotLoggedIn,
    /// A staff form sent by a role that may not.
    #[error("Your role does not give you access to this part of the workspace.")]
    Forbidden,
}

impl<C> FormError<C> {
    /// The HTTP status a script calling the server function gets.
    pub fn status(&self) -> u16 {
        match self {
            Self::Invalid { .. } => 422,
            Self::BadRequest => 400,
            Self::Unavailable => 503,
            Self::NotLoggedIn => 401,
            Self::Forbidden => 403,
        }
    }
}

impl<C: FieldCode> FromServerFnError for FormError<C> {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = either(&value, Self::BadRequest, Self::Unavailable);
        answered_with(error.status());
        error
    }
}

/// Why the staff workspace did not answer with what was asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum StaffError {
    /// No session, or one that has ended: a page sends the browser to the login form.
    #[error("Log in to use the staff workspace.")]
    NotLoggedIn,
    /// Logged in, with a role that does not reach this part of the workspace.
    #[error("Your role does not give you access to this part of the workspace.")]
    Forbidden,
    #[error("The request could not be understood.")]
    BadRequest,
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Unavailable,
}

impl StaffError {
    pub fn status(self) -> u16 {
        match self {
            Self::NotLoggedIn => 401,
            Self::Forbidden => 403,
            Self::BadRequest => 400,
            Self::Unavailable => 503,
        }
    }
}

impl FromServerFnError for StaffError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = either(&value, Self::BadRequest, Self::Unavailable);
        answered_with(error.status());
        error
    }
}

/// Sets the status of the answer being made, on the server.
fn answered_with(status: u16) {
    #[cfg(feature = "ssr")]
    crate::server::http::set_error_status(status);
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// `bad_request` when server_fn failed because of the request (arguments it could not read,
/// a method it does not take), `unavailable` when it failed on our side.
fn either<E>(error: &ServerFnErrorErr, bad_request: E, unavailable: E) -> E {
    match error {
        ServerFnErrorErr::Args(_)
        | ServerFnErrorErr::MissingArg(_)
        | ServerFnErrorErr::Deserialization(_)
        | ServerFnErrorErr::UnsupportedRequestMethod(_) => bad_request,
        _ => unavailable,
    }
}

#[cfg(feature = "ssr")]
pub use on_server::*;

#[cfg(feature = "ssr")]
mod on_server {
    use super::AppError;
    use crate::server::{content::Content, http, state::AppState};
    use leptos::prelude::use_context;
    use std::sync::Arc;

    /// The state of the request being served. A missing state is a wiring bug, reported as an
    /// error rather than a panic so one bad route cannot take the process down.
    pub fn app_state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState is missing from the Leptos context");
            AppError::Unavailable
        })
    }

    /// Logs a database error (or another failure on our side) with its cause and hands the
    /// reader a plain message instead.
    pub fn unavailable<E: std::fmt::Display>(context: &'static str) -> impl FnOnce(E) -> AppError {
        move |error| {
            tracing::error!(error = %error, "{context}");
            http::set_error_status(AppError::Unavailable.status());
            AppError::Unavailable
        }
    }

    /// The published content, from memory when it has not changed since it was last read.
    ///
    /// # Errors
    /// [`AppError::Unavailable`] when the database cannot answer.
    pub async fn published() -> Result<Arc<Content>, AppError> {
        app_state()?
            .published()
            .await
            .map_err(unavailable("loading the published content"))
    }
}
