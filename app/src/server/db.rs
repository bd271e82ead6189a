//! Every SQL statement of the site, beside the migrations that define the tables.

use crate::domain::{
    media::{Embed, MediaHost},
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
    let media = sqlx::query_as::<_, (String, String, String)>(
        "SELECT host, reference, title FROM post_media WHERE post_id = ? ORDER BY position",
    )
    .bind(row.id)
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .filter_map(|(host, reference, title)| {
        // The schema checks the host; the reference's shape is checked here, and a bad one
        // is left out (and logged) rather than failing the whole post.
        let embed = MediaHost::parse(&host).and_then(|host| Embed::new(host, &reference, title));
        if embed.is_none() {
            tracing::warn!(
                post = row.id,
                host,
                reference,
                "a post's media reference is invalid; not shown"
            );
        }
        embed
    })
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
        media,
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

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::SqlitePool;

    const SEED: &str =
        "a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference";

    fn slug(s: &str) -> Slug {
        Slug::parse(s).expect("a test slug")
    }

    async fn add_post(pool: &SqlitePool, slug: &str, date: &str, status: &str) {
        sqlx::query(
            "INSERT INTO posts (slug, title, summary, body_markdown, body_html, published_on, status)
             VALUES (?, ?, '', '', '', ?, ?)",
        )
        .bind(slug)
        .bind(format!("Title of {slug}"))
        .bind(date)
        .bind(status)
        .execute(pool)
        .await
        .expect("inserts a post");
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn the_seed_post_comes_with_its_links_and_member(pool: SqlitePool) {
        let post = post_by_slug(&pool, &slug(SEED))
            .await
            .expect("query")
            .expect("the seed post");
        assert_eq!(post.published_on.iso(), "2010-10-06");
        assert_eq!(post.body_html.matches("<p>").count(), 6);
        let hrefs: Vec<_> = post.resources.iter().map(ResourceLink::href).collect();
        assert_eq!(
            hrefs,
            [
                "/resources/wim-kok-intervention",
                "/take-action",
                "https://citiesofmigration.ca/"
            ],
            "in the seed's order"
        );
        assert!(post.resources[2].is_external());
        let members: Vec<_> = post.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(members, ["Wim Kok"]);
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn unknown_and_draft_posts_are_not_found(pool: SqlitePool) {
        add_post(&pool, "a-draft", "2020-01-01", "draft").await;
        assert!(post_by_slug(&pool, &slug("no-such-post"))
            .await
            .expect("query")
            .is_none());
        assert!(post_by_slug(&pool, &slug("a-draft"))
            .await
            .expect("query")
            .is_none());
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn latest_posts_are_published_ones_newest_first(pool: SqlitePool) {
        add_post(&pool, "newer", "2011-05-01", "published").await;
        add_post(&pool, "newest-draft", "2012-01-01", "draft").await;
        let posts = latest_posts(&pool, 10).await.expect("query");
        let slugs: Vec<_> = posts.iter().map(|p| p.slug.as_ref()).collect();
        assert_eq!(slugs, ["newer", SEED]);
        assert_eq!(
            latest_posts(&pool, 1).await.expect("query").len(),
            1,
            "the limit holds"
        );
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn a_member_lists_the_posts_that_name_them(pool: SqlitePool) {
        let profile = member_by_slug(&pool, &slug("wim-kok"))
            .await
            .expect("query")
            .expect("Wim Kok");
        assert_eq!(
            profile.member.role,
            "Former Prime Minister of the Netherlands"
        );
        assert_eq!(profile.posts.len(), 1);
        assert_eq!(profile.posts[0].slug.as_ref(), SEED);
        assert!(member_by_slug(&pool, &slug("nobody"))
            .await
            .expect("query")
            .is_none());
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn only_documents_without_a_url_have_a_pending_page(pool: SqlitePool) {
        let pending = pending_document(&pool, &slug("wim-kok-intervention"))
            .await
            .expect("query")
            .expect("the intervention is pending");
        assert_eq!(
            pending.title,
            "Wim Kok’s intervention at the Cities of Migration conference"
        );
        assert_eq!(pending.post.slug.as_ref(), SEED);
        for linked in [
            "cities-of-migration-website",
            "call-to-action-for-leadership",
            "nothing",
        ] {
            assert!(
                pending_document(&pool, &slug(linked))
                    .await
                    .expect("query")
                    .is_none(),
                "{linked}"
            );
        }
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn the_schema_refuses_content_that_cannot_be_served(pool: SqlitePool) {
        for (slug, date, why) in [
            ("Bad Slug", "2020-01-01", "a slug with capitals and a space"),
            ("ok-slug", "2020-02-30", "a day that does not exist"),
            ("ok-slug", "6 Oct 2010", "a date that is not ISO"),
        ] {
            let result = sqlx::query(
                "INSERT INTO posts (slug, title, summary, body_markdown, body_html, published_on)
                 VALUES (?, 'T', '', '', '', ?)",
            )
            .bind(slug)
            .bind(date)
            .execute(&pool)
            .await;
            assert!(result.is_err(), "{why}");
        }
        let dangerous = sqlx::query(
            "INSERT INTO resources (post_id, slug, label, title, url) VALUES (1, 'x', 'x', 'x', 'javascript:alert(1)')",
        )
        .execute(&pool)
        .await;
        assert!(dangerous.is_err(), "a javascript: URL is refused");
    }
}
