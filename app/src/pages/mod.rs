//! One module per route.

pub mod confirm;
pub mod cookies;
pub mod donate;
pub mod home;
pub mod member;
pub mod news;
pub mod news_post;
pub mod not_found;
pub mod resource;
pub mod search;
pub mod staff;
pub mod take_action;
