//! Pieces of markup that more than one page uses.

pub mod async_view;
pub mod chart;
pub mod consent;
pub mod copy_button;
pub mod donation_form;
pub mod donation_prompt;
pub mod form;
pub mod hydrated;
pub mod layout;
pub mod page_meta;
pub mod post_list;
pub mod sign_form;
pub mod signature_meter;
pub mod site_context;
pub mod slug_content;
pub mod status;
pub mod table;
