//! The migrations that define the tables, and the tests of what the content reads of them.

use sqlx::{migrate::Migrator, QueryBuilder, Sqlite};

/// The time now, as every table stores times: UTC text to the millisecond
/// (`2026-12-03T17:42:00.123Z`), so times compare as strings.
pub const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// The schema and the seed content, embedded in the binary and run at startup.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// The same schema and seed on PostgreSQL: a folder and a history of its own, each kept
/// in step with SQLite's by a test (`server/tests/api/postgres_schema.rs`).
pub static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// Appends `(?, ?, …)` with `ids` bound, for `… IN` a set of rows in one statement.
pub fn push_ids(query: &mut QueryBuilder<'_, Sqlite>, ids: &[i64]) {
    query.push("(");
    let mut each = query.separated(", ");
    for id in ids {
        each.push_bind(*id);
    }
    each.push_unseparated(")");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        domain::{ResourceLink, Slug},
        server::content::{load, ContentCache, POSTS_PER_PAGE},
    };
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
        let content = load(&pool).await.expect("loads");
        let post = content.post(&slug(SEED)).expect("the seed post");
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
        let content = load(&pool).await.expect("loads");
        assert!(content.post(&slug("no-such-post")).is_none());
        assert!(content.post(&slug("a-draft")).is_none());
        assert_eq!(content.posts().len(), 1, "the seed only");
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn listings_are_published_posts_newest_first_in_pages(pool: SqlitePool) {
        add_post(&pool, "newest-draft", "2012-01-01", "draft").await;
        for day in 1..=POSTS_PER_PAGE + 1 {
            add_post(
                &pool,
                &format!("post-{day}"),
                &format!("2011-05-{day:02}"),
                "published",
            )
            .await;
        }
        let content = load(&pool).await.expect("loads");
        let first = content.page(None, 1).expect("page 1");
        assert_eq!(first.pages, 2);
        assert_eq!(first.posts.len(), POSTS_PER_PAGE);
        assert_eq!(
            first.posts[0].slug.as_ref(),
            format!("post-{}", POSTS_PER_PAGE + 1)
        );
        assert_eq!(first.previous(), None);
        assert_eq!(first.next().as_deref(), Some("/news?page=2"));
        let second = content.page(None, 2).expect("page 2");
        let slugs: Vec<_> = second.posts.iter().map(|p| p.slug.as_ref()).collect();
        assert_eq!(slugs, ["post-1", SEED], "the oldest last");
        assert_eq!(second.previous().as_deref(), Some("/news"));
        assert_eq!(second.next(), None);
        for past_the_end in [0, 3, u32::MAX] {
            assert!(content.page(None, past_the_end).is_none(), "{past_the_end}");
        }
        assert_eq!(content.latest(3).len(), 3);
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn tags_list_their_posts_and_unknown_tags_none(pool: SqlitePool) {
        for (tag, name) in [
            ("migration", "Migration"),
            ("cities", "Cities"),
            ("leadership", "Leadership"),
        ] {
            sqlx::query("INSERT INTO tags (slug, name) VALUES (?, ?)")
                .bind(tag)
                .bind(name)
                .execute(&pool)
                .await
                .expect("a tag");
            sqlx::query(
                "INSERT INTO post_tags (post_id, tag_id)
                 SELECT p.id, t.id FROM posts p, tags t WHERE p.slug = ? AND t.slug = ?",
            )
            .bind(SEED)
            .bind(tag)
            .execute(&pool)
            .await
            .expect("tags the seed");
        }
        let content = load(&pool).await.expect("loads");
        let page = content.page(Some(&slug("migration")), 1).expect("a tag");
        assert_eq!(
            page.tag.as_ref().map(|t| t.name.as_str()),
            Some("Migration")
        );
        assert_eq!(page.posts.len(), 1);
        assert_eq!(page.base_href(), "/news/tag/migration");
        let names: Vec<_> = content.tags().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Cities", "Leadership", "Migration"], "by name");
        assert!(content.page(Some(&slug("no-such-tag")), 1).is_none());
        assert!(content.page(Some(&slug("migration")), 2).is_none());
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn a_member_lists_the_posts_that_name_them(pool: SqlitePool) {
        let content = load(&pool).await.expect("loads");
        let profile = content.member(&slug("wim-kok")).expect("Wim Kok");
        assert_eq!(
            profile.member.role,
            "Former Prime Minister of the Netherlands"
        );
        assert_eq!(profile.posts.len(), 1);
        assert_eq!(profile.posts[0].slug.as_ref(), SEED);
        assert!(content.member(&slug("nobody")).is_none());
        let listing = content.member_listing();
        assert_eq!(listing.len(), 1);
        assert_eq!(listing[0].posts, 1);
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn only_documents_without_a_url_have_a_pending_page(pool: SqlitePool) {
        let content = load(&pool).await.expect("loads");
        let pending = content
            .pending_document(&slug("wim-kok-intervention"))
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
                content.pending_document(&slug(linked)).is_none(),
                "{linked}"
            );
        }
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn the_cache_keeps_a_snapshot_until_the_content_changes(pool: SqlitePool) {
        let cache = ContentCache::new();
        let first = cache.get(&pool).await.expect("loads");
        let again = cache.get(&pool).await.expect("cached");
        assert!(std::sync::Arc::ptr_eq(&first, &again), "no second load");
        assert!(!cache.invalidate_if_changed(&pool).await.expect("version"));

        // Any writer: a member's role edited with plain SQL.
        sqlx::query("UPDATE members SET role = 'Statesman' WHERE slug = 'wim-kok'")
            .execute(&pool)
            .await
            .expect("updates");
        assert!(cache.invalidate_if_changed(&pool).await.expect("version"));
        let fresh = cache.get(&pool).await.expect("reloads");
        let wim = fresh.member(&slug("wim-kok")).expect("Wim Kok");
        assert_eq!(wim.member.role, "Statesman");
        assert_eq!(
            fresh.post(&slug(SEED)).expect("seed").members[0].role,
            "Statesman",
            "the post's related members too"
        );

        // Signatures and page views are not content: they leave the snapshot alone.
        sqlx::query("INSERT INTO page_views (day, path, views) VALUES ('2026-01-01', '/', 1)")
            .execute(&pool)
            .await
            .expect("counts");
        assert!(!cache.invalidate_if_changed(&pool).await.expect("version"));
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn search_finds_published_words_and_marks_them(pool: SqlitePool) {
        use crate::server::search::search;
        add_post(&pool, "a-draft-on-migration", "2020-01-01", "draft").await;
        let content = load(&pool).await.expect("loads");
        let results = search(&pool, &content, "populist MOVEMENTS")
            .await
            .expect("searches");
        assert_eq!(results.hits.len(), 1);
        let hit = &results.hits[0];
        assert_eq!(hit.post.slug.as_ref(), SEED);
        let marked: Vec<_> = hit
            .excerpt
            .iter()
            .filter(|f| f.matched)
            .map(|f| f.text.as_str())
            .collect();
        assert!(
            marked.contains(&"populist") && marked.contains(&"movements"),
            "{marked:?}"
        );
        assert!(marked
            .iter()
            .all(|word| ["populist", "movements"].contains(word)));

        let stemmed = search(&pool, &content, "migrations")
            .await
            .expect("searches");
        assert_eq!(stemmed.hits.len(), 1, "drafts are not found; stems are");
        assert!(stemmed.hits[0]
            .title
            .iter()
            .any(|f| f.matched && f.text == "Migration"));

        for hostile in ["\"\"\"", "NEAR(", "title:x OR", "*", "')--", "a\u{0}b"] {
            search(&pool, &content, hostile)
                .await
                .expect("never an error");
        }
        let none = search(&pool, &content, "xylophone")
            .await
            .expect("searches");
        assert!(none.hits.is_empty());
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
