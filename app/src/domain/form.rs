use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// One problem with one field of a form, in words for the person who filled it in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's name in the form (`full_name`), which also names its message's element.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// Why a form was not accepted. `V` is the form as it was sent, so a browser without
/// JavaScript, sent back to the form, finds what it typed still there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum FormError<V> {
    /// Some fields are wrong: every one of them is listed, not only the first.
    #[error("Please correct the highlighted fields.")]
    Invalid { errors: Vec<FieldError>, values: V },
    /// The request was not a form we can read (a broken or forged post).
    #[error("The form could not be read. Please reload the page and try again.")]
    BadRequest,
    /// The server could not store the answer. Nothing half-done was kept; worth retrying.
    #[error(
        "Something went wrong on our side, and nothing was saved. Please try again in a moment."
    )]
    Unavailable,
}

impl<V> FormError<V> {
    /// The message for `field`, if it has one.
    pub fn message_for(&self, field: &str) -> Option<&str> {
        match self {
            Self::Invalid { errors, .. } => errors
                .iter()
                .find(|error| error.field == field)
                .map(|error| error.message.as_str()),
            _ => None,
        }
    }

    /// The HTTP status a script calling the server function gets.
    pub fn status(&self) -> u16 {
        match self {
            Self::Invalid { .. } => 422,
            Self::BadRequest => 400,
            Self::Unavailable => 503,
        }
    }
}

impl<V> FromServerFnError for FormError<V>
where
    V: Serialize + DeserializeOwned + std::fmt::Debug + Send + Sync + 'static,
{
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = if super::error::is_bad_request(&value) {
            Self::BadRequest
        } else {
            Self::Unavailable
        };
        #[cfg(feature = "ssr")]
        crate::server::http::set_error_status(error.status());
        error
    }
}
