use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// What a server function can tell a reader went wrong. Messages are written for people and
/// never carry internals: the cause goes to the server's log instead.
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
        let error = if is_bad_request(&value) {
            Self::BadRequest
        } else {
            Self::Unavailable
        };
        // On the server this runs while the request is handled: the status makes a malformed
        // call a 4xx instead of server_fn's blanket 500.
        #[cfg(feature = "ssr")]
        crate::server::http::set_error_status(error.status());
        error
    }
}

/// Whether server_fn failed because of the request (arguments it could not read, a method it
/// does not take) rather than on our side.
pub(super) fn is_bad_request(error: &ServerFnErrorErr) -> bool {
    matches!(
        error,
        ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_)
    )
}
