//! What can be wrong with what a person sent in a form, as codes.
//!
//! A form's errors travel as codes, never as words: after a post without JavaScript they come
//! back in the page's address, which anyone can write, so a crafted link can only choose one
//! of the messages the site has, rendered from the code on the page (see
//! [`FieldCode::message`]). Each form has an enum of its own, one variant per field.

use crate::domain::language::Locale;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::fmt::Debug;

/// One wrong field of a form: which field (the name the form gives it, `full_name`) and
/// what is wrong with it.
pub trait FieldCode:
    Clone + Debug + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static
{
    /// What the message may depend on besides the code (the donation limits); `()` for most.
    type Context: Clone + Default + Send + Sync + 'static;

    /// The field's name in the form, which also names its elements (`signup-full_name`).
    fn field(&self) -> &'static str;

    /// The message for the person who filled in the form, in the form's language.
    fn message(&self, context: &Self::Context, locale: Locale) -> String;
}

/// A choice that was not made, or made outside the list (by a stale or forged form).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Missing,
    Unknown,
}

/// The value of a field that parsed; a field that did not adds its code to `errors`.
pub(super) fn keep<T, C>(errors: &mut Vec<C>, result: Result<T, C>) -> Option<T> {
    result.map_err(|error| errors.push(error)).ok()
}
