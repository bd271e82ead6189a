//! Every SQL statement of the site, beside the migrations that define the tables.

use crate::domain::{
    MemberProfile, MemberSummary, PendingDocument, Post, PostSummary, ResourceLink, Slug,
};
use sqlx::{migrate::Migrator, SqlitePool};

/// The schema and the seed content, embedded in the binary and run at startup.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The newest published posts first.
pub async fn latest_posts(pool: &SqlitePool, limit: u32) -> Result<Vec<PostSummary>, sqlx::Error> {
    sqlx::query_as::<_, PostSummary>(
        "SELECT slug, title, summary, published_on FROM posts
         WHERE status = 'published'
         ORDER BY published_on DESC, id DESC
         LIMIT ?",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}

#[derive(sqlx::FromRow)]
struct PostRow {
    id: i64,
    #[sqlx(flatten)]
    summary: PostSummary,
    body_html: String,
}

#[derive(sqlx::FromRow)]
struct ResourceRow {
    #[sqlx(try_from = "String")]
    slug: Slug,
    label: String,
    url: Option<String>,
}

/// A published post with its links and related members, or `None` if there is no such post.
pub async fn post_by_slug(pool: &SqlitePool, slug: &Slug) -> Result<Option<Post>, sqlx::Error> {
    // One snapshot for the three reads, so a concurrent import cannot mix two versions.
    let mut tx = pool.begin().await?;
    let Some(row) = sqlx::query_as::<_, PostRow>(
        "SELECT id, slug, title, summary, published_on, body_html FROM posts
         WHERE slug = ? AND status = 'published'",
    )
    .bind(slug.as_ref())
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let resources = sqlx::query_as::<_, ResourceRow>(
        "SELECT slug, label, url FROM resources WHERE post_id = ? ORDER BY position, id",
    )
    .bind(row.id)
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| ResourceLink::new(r.label, r.slug, r.url))
    .collect();
    let members = sqlx::query_as::<_, MemberSummary>(
        "SELECT m.slug, m.name, m.role FROM post_members pm
         JOIN members m ON m.id = pm.member_id
         WHERE pm.post_id = ?
         ORDER BY pm.position, m.name",
    )
    .bind(row.id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;

    let PostSummary {
        slug,
        title,
        summary,
        published_on,
    } = row.summary;
    Ok(Some(Post {
        slug,
        title,
        summary,
        published_on,
        body_html: row.body_html,
        resources,
        members,
    }))
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    #[sqlx(flatten)]
    member: MemberSummary,
    bio: String,
}

/// A member with the published posts that mention them, newest first.
pub async fn member_by_slug(
    pool: &SqlitePool,
    slug: &Slug,
) -> Result<Option<MemberProfile>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let Some(row) = sqlx::query_as::<_, MemberRow>(
        "SELECT id, slug, name, role, bio FROM members WHERE slug = ?",
    )
    .bind(slug.as_ref())
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let posts = sqlx::query_as::<_, PostSummary>(
        "SELECT p.slug, p.title, p.summary, p.published_on FROM post_members pm
         JOIN posts p ON p.id = pm.post_id
         WHERE pm.member_id = ? AND p.status = 'published'
         ORDER BY p.published_on DESC, p.id DESC",
    )
    .bind(row.id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(MemberProfile {
        member: row.member,
        bio: row.bio,
        posts,
    }))
}

#[derive(sqlx::FromRow)]
struct PendingDocumentRow {
    #[sqlx(try_from = "String")]
    resource_slug: Slug,
    resource_title: String,
    #[sqlx(flatten)]
    post: PostSummary,
}

/// A resource that is not online yet, with the post that lists it. Resources that have a URL
/// have no page of their own: their links go straight to the URL.
pub async fn pending_document(
    pool: &SqlitePool,
    slug: &Slug,
) -> Result<Option<PendingDocument>, sqlx::Error> {
    let row = sqlx::query_as::<_, PendingDocumentRow>(
        "SELECT r.slug AS resource_slug, r.title AS resource_title, p.slug, p.title, p.summary, p.published_on FROM resources r
         JOIN posts p ON p.id = r.post_id
         WHERE r.slug = ? AND r.url IS NULL AND p.status = 'published'",
    )
    .bind(slug.as_ref())
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| PendingDocument {
        slug: r.resource_slug,
        title: r.resource_title,
        post: r.post,
    }))
}
