use crate::domain::{AppError, MemberProfile, PendingDocument, Post, PostSummary};
use leptos::prelude::*;

/// The most posts one call returns, whatever it asks for.
pub const MAX_POSTS_PER_REQUEST: u32 = 50;

/// The `limit` newest published posts (at least 1, at most [`MAX_POSTS_PER_REQUEST`]).
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server]
pub async fn list_latest_posts(limit: u32) -> Result<Vec<PostSummary>, AppError> {
    use crate::server::{db, state};
    let state = state::app_state()?;
    db::latest_posts(&state.pool, limit.clamp(1, MAX_POSTS_PER_REQUEST))
        .await
        .map_err(state::unavailable("listing the latest posts"))
}

/// The published post at `/news/{slug}`, or `None` if there is none (the page answers 404).
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server]
pub async fn get_post(slug: String) -> Result<Option<Post>, AppError> {
    use crate::{
        domain::Slug,
        server::{db, state},
    };
    let Some(slug) = Slug::parse(&slug) else {
        return Ok(None);
    };
    let state = state::app_state()?;
    db::post_by_slug(&state.pool, &slug)
        .await
        .map_err(state::unavailable("loading a post"))
}

/// The member at `/members/{slug}` with the posts that mention them, or `None`.
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server]
pub async fn get_member(slug: String) -> Result<Option<MemberProfile>, AppError> {
    use crate::{
        domain::Slug,
        server::{db, state},
    };
    let Some(slug) = Slug::parse(&slug) else {
        return Ok(None);
    };
    let state = state::app_state()?;
    db::member_by_slug(&state.pool, &slug)
        .await
        .map_err(state::unavailable("loading a member"))
}

/// A linked document that is not online yet, or `None`.
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server]
pub async fn get_pending_document(slug: String) -> Result<Option<PendingDocument>, AppError> {
    use crate::{
        domain::Slug,
        server::{db, state},
    };
    let Some(slug) = Slug::parse(&slug) else {
        return Ok(None);
    };
    let state = state::app_state()?;
    db::pending_document(&state.pool, &slug)
        .await
        .map_err(state::unavailable("loading a pending document"))
}
