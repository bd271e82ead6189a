use super::error::AppError;
use crate::{
    domain::{
        MemberListing, MemberProfile, PendingDocument, Post, PostPage, PostSummary, SearchResults,
    },
    locale::Locale,
};
use leptos::prelude::*;

/// The most posts one call returns, whatever it asks for.
pub const MAX_POSTS_PER_REQUEST: u32 = 50;

/// The `limit` newest published posts (at least 1, at most [`MAX_POSTS_PER_REQUEST`]).
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server]
pub async fn list_latest_posts(limit: u32, locale: Locale) -> Result<Vec<PostSummary>, AppError> {
    let content = super::error::published().await?;
    let limit = limit.clamp(1, MAX_POSTS_PER_REQUEST);
    Ok(content
        .latest(usize::try_from(limit).unwrap_or(usize::MAX))
        .into_iter()
        .map(|summary| content.summary_in(summary, locale))
        .collect())
}

/// Page `page` of the news, or of the posts filed under `tag`; `None` for an unknown tag or
/// a page past the end (the page answers 404).
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server]
pub async fn list_posts(
    tag: Option<String>,
    page: u32,
    locale: Locale,
) -> Result<Option<PostPage>, AppError> {
    use crate::domain::Slug;
    let tag = match tag {
        Some(tag) => match Slug::parse(&tag) {
            Some(slug) => Some(slug),
            None => return Ok(None),
        },
        None => None,
    };
    let content = super::error::published().await?;
    Ok(content.page(tag.as_ref(), page).map(|mut page| {
        page.posts = page
            .posts
            .into_iter()
            .map(|summary| content.summary_in(summary, locale))
            .collect();
        page
    }))
}

/// The published post at `/news/{slug}` in `locale` (as written, when it has no translation
/// into it: its `locale` says which), or `None` if there is none (the page answers 404).
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server]
pub async fn get_post(slug: String, locale: Locale) -> Result<Option<Post>, AppError> {
    use crate::domain::Slug;
    let Some(slug) = Slug::parse(&slug) else {
        return Ok(None);
    };
    let content = super::error::published().await?;
    Ok(content
        .post(&slug)
        .map(|post| content.post_in(post, locale)))
}

/// Every member, by name, with how many posts name them, their role in `locale` where they
/// are translated.
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server]
pub async fn list_members(locale: Locale) -> Result<Vec<MemberListing>, AppError> {
    let content = super::error::published().await?;
    Ok(content.member_listing(locale))
}

/// The member at `/members/{slug}` with the posts that mention them, or `None`.
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server]
pub async fn get_member(slug: String, locale: Locale) -> Result<Option<MemberProfile>, AppError> {
    use crate::domain::Slug;
    let Some(slug) = Slug::parse(&slug) else {
        return Ok(None);
    };
    let content = super::error::published().await?;
    Ok(content.member(&slug).cloned().map(|profile| {
        let mut profile = content.member_in(profile, locale);
        // The posts naming them, in the page's language where they are translated.
        profile.posts = profile
            .posts
            .into_iter()
            .map(|post| content.summary_in(post, locale))
            .collect();
        profile
    }))
}

/// A linked document that is not online yet, or `None`.
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server]
pub async fn get_pending_document(slug: String) -> Result<Option<PendingDocument>, AppError> {
    use crate::domain::Slug;
    let Some(slug) = Slug::parse(&slug) else {
        return Ok(None);
    };
    let content = super::error::published().await?;
    Ok(content.pending_document(&slug).cloned())
}

/// The published posts whose words match `query` in `locale`, best first (on the Spanish site,
/// the translations in Spanish, then the untranslated posts in English). Any text is a valid
/// query: FTS5's syntax is never exposed, and an empty one finds nothing. A search stopped at its
/// time limit is an answer too (`timed_out`), not an error.
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server]
pub async fn search_posts(query: String, locale: Locale) -> Result<SearchResults, AppError> {
    use crate::server::search;
    let content = super::error::published().await?;
    let state = super::error::app_state()?;
    search::search(&state.pool, &content, &query, locale)
        .await
        .map_err(super::error::unavailable("searching the posts"))
}
