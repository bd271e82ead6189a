//! The SQL of posts written and edited in the staff workspace. A save keeps what the post was
//! in `post_revisions`, marks it as the workspace's (the content folder's import leaves it
//! alone from then on, see `server::import`), and is recorded in the audit trail, all in one
//! transaction. The version triggers tell every server.

use super::{
    db::{on_conn, on_db, Conn, Db},
    import::ResourceContent,
    staff::record_in,
};
use crate::domain::staff::{PostDraft, PostForm, PostRevision, RevisionView, StaffPost};

/// How a post's body is rendered: the content import's pipeline (checks, Markdown,
/// sanitiser), which the server binary hands over at start.
#[derive(Clone, Copy, Debug)]
pub struct Markdown {
    pub render: fn(&str) -> Result<RenderedBody, String>,
}

/// A body rendered by the server: the sanitised HTML, and its words for search.
pub struct RenderedBody {
    pub html: String,
    pub text: String,
}

/// What a save did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    Created,
    Edited,
    /// Another post has the slug asked for.
    SlugTaken,
    /// The post being edited is gone (deleted meanwhile).
    Missing,
    /// The form names a member the site does not have.
    UnknownMember,
    /// Another post has a link with the slug of one of the form's.
    LinkTaken,
}

/// Creates the post `draft` (when it edits none) or changes the one it edits, keeping the
/// latter's previous state as a revision; `actor` is recorded in the audit trail.
///
/// # Errors
/// The database's.
pub async fn save_post(
    db: &Db,
    draft: &PostDraft,
    body: &RenderedBody,
    actor: &str,
) -> Result<Saved, sqlx::Error> {
    let status = if draft.publish { "published" } else { "draft" };
    let slug = draft.slug.as_ref();
    on_db!(db, pool => {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let editing = draft.editing.as_ref().map(AsRef::as_ref);
        let current = match claim_slug(Conn::from(&mut *tx), "posts", editing, slug).await? {
            Ok(current) => current,
            Err(refused) => return Ok(refused),
        };
        let members: Vec<&str> = draft.members.iter().map(AsRef::as_ref).collect();
        let known: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM members WHERE slug IN ({})",
            json_texts("$1")
        ))
        .bind(serde_json::to_string(&members).map_err(|error| sqlx::Error::Encode(Box::new(error)))?)
        .fetch_one(&mut *tx)
        .await?;
        if usize::try_from(known).ok() != Some(members.len()) {
            return Ok(Saved::UnknownMember);
        }
        let link_slugs: Vec<&str> = draft.links.iter().map(|link| link.slug.as_str()).collect();
        let links_taken: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM resources WHERE slug IN ({}) AND ($2 IS NULL OR post_id <> $2)",
            json_texts("$1")
        ))
        .bind(serde_json::to_string(&link_slugs).map_err(|error| sqlx::Error::Encode(Box::new(error)))?)
        .bind(current)
        .fetch_one(&mut *tx)
        .await?;
        if links_taken > 0 {
            return Ok(Saved::LinkTaken);
        }
        let updated = draft.updated.map(|day| day.iso());
        let saved = match current {
            Some(id) => {
                sqlx::query(&format!(
                    "INSERT INTO post_revisions
                         (post_id, saved_at, saved_by, title, summary, published_on,
                          body_markdown, status)
                     SELECT id, {NOW}, $2, title, summary, published_on, body_markdown, status
                     FROM posts WHERE id = $1"
                ))
                .bind(id)
                .bind(actor)
                .execute(&mut *tx)
                .await?;
                sqlx::query(&format!(
                    "UPDATE posts SET slug = $2, title = $3, summary = $4, published_on = {},
                         body_markdown = $6, body_html = $7, body_text = $8, status = $9,
                         updated_on = {}, image = $11,
                         updated_at = {NOW}, edited_in_workspace_at = {NOW}
                     WHERE id = $1",
                    date("$5"),
                    date("$10")
                ))
                .bind(id)
                .bind(slug)
                .bind(&draft.title)
                .bind(&draft.summary)
                .bind(draft.date.iso())
                .bind(&draft.body)
                .bind(&body.html)
                .bind(&body.text)
                .bind(status)
                .bind(&updated)
                .bind(&draft.image)
                .execute(&mut *tx)
                .await?;
                (id, Saved::Edited)
            }
            None => {
                sqlx::query("DELETE FROM deleted_posts WHERE slug = $1")
                    .bind(slug)
                    .execute(&mut *tx)
                    .await?;
                let id: i64 = sqlx::query_scalar(&format!(
                    "INSERT INTO posts
                         (slug, title, summary, published_on, body_markdown, body_html,
                          body_text, status, updated_on, image, edited_in_workspace_at)
                     VALUES ($1, $2, $3, {}, $5, $6, $7, $8, {}, $10, {NOW})
                     RETURNING id",
                    date("$4"),
                    date("$9")
                ))
                .bind(slug)
                .bind(&draft.title)
                .bind(&draft.summary)
                .bind(draft.date.iso())
                .bind(&draft.body)
                .bind(&body.html)
                .bind(&body.text)
                .bind(status)
                .bind(&updated)
                .bind(&draft.image)
                .fetch_one(&mut *tx)
                .await?;
                (id, Saved::Created)
            }
        };
        let (id, saved) = saved;
        // Tags, members, links and media as the form lists them, written by the import's own
        // statements.
        for table in ["post_tags", "post_members", "resources", "post_media"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE post_id = $1"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        super::import::insert_tags_and_members(Conn::from(&mut *tx), id, &draft.tags, &draft.members)
            .await?;
        let links: Vec<ResourceContent> = draft
            .links
            .iter()
            .map(|link| ResourceContent {
                slug: link.slug.clone(),
                label: link.label.clone(),
                title: link.title.clone(),
                url: link.url.clone(),
            })
            .collect();
        super::import::insert_links_and_media(Conn::from(&mut *tx), id, &links, &draft.media)
            .await?;
        let action = match saved {
            Saved::Created => "post.created",
            _ => "post.edited",
        };
        record_in(Conn::from(&mut *tx), actor, action, slug, status).await?;
        tx.commit().await?;
        Ok(saved)
    })
}

/// What deleting a post did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Deleted {
    Done,
    Missing,
    /// A campaign's page is this post (its title): unpublish it rather than delete it.
    InUse(String),
}

/// The title of the campaign whose page the post `slug` is, if one is.
///
/// # Errors
/// The database's.
pub async fn campaign_of(db: &Db, slug: &str) -> Result<Option<String>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar("SELECT title FROM campaigns WHERE post_slug = $1")
        .bind(slug)
        .fetch_optional(pool)
        .await)
}

/// Deletes the post `slug` with its earlier versions, and marks its address so the content
/// import does not bring it back from a file; `actor` is recorded in the audit trail.
///
/// # Errors
/// The database's.
pub async fn delete_post(db: &Db, slug: &str, actor: &str) -> Result<Deleted, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let title: Option<String> = sqlx::query_scalar(&format!(
            "SELECT title FROM posts WHERE slug = $1 {FOR_UPDATE}"
        ))
        .bind(slug)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(title) = title else {
            return Ok(Deleted::Missing);
        };
        let campaign: Option<String> =
            sqlx::query_scalar("SELECT title FROM campaigns WHERE post_slug = $1")
                .bind(slug)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(campaign) = campaign {
            return Ok(Deleted::InUse(campaign));
        }
        sqlx::query(&format!(
            "INSERT INTO deleted_posts (slug, title, deleted_at, deleted_by)
             VALUES ($1, $2, {NOW}, $3)
             ON CONFLICT (slug) DO UPDATE SET title = excluded.title,
                 deleted_at = excluded.deleted_at, deleted_by = excluded.deleted_by"
        ))
        .bind(slug)
        .bind(&title)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM posts WHERE slug = $1")
            .bind(slug)
            .execute(&mut *tx)
            .await?;
        record_in(Conn::from(&mut *tx), actor, "post.deleted", slug, &title).await?;
        tx.commit().await?;
        Ok(Deleted::Done)
    })
}

/// The row of `table` (posts or members) a save changes, locked until the transaction ends:
/// the one `editing` names, or `None` for a new one. The save is refused when the row edited
/// is gone ([`Saved::Missing`]) or another row has `slug` ([`Saved::SlugTaken`]).
///
/// # Errors
/// The database's.
pub(super) async fn claim_slug(
    conn: Conn<'_>,
    table: &str,
    editing: Option<&str>,
    slug: &str,
) -> Result<Result<Option<i64>, Saved>, sqlx::Error> {
    on_conn!(conn, tx => {
        let current: Option<i64> = match editing {
            Some(editing) => {
                let id = sqlx::query_scalar(&format!(
                    "SELECT id FROM {table} WHERE slug = $1 {FOR_UPDATE}"
                ))
                .bind(editing)
                .fetch_optional(&mut *tx)
                .await?;
                if id.is_none() {
                    return Ok(Err(Saved::Missing));
                }
                id
            }
            None => None,
        };
        let holder: Option<i64> = sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE slug = $1"))
            .bind(slug)
            .fetch_optional(&mut *tx)
            .await?;
        if holder.is_some() && holder != current {
            return Ok(Err(Saved::SlugTaken));
        }
        Ok(Ok(current))
    })
}

/// What restoring a revision did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Restored {
    Done,
    /// No such revision of this post.
    Unknown,
}

/// The earlier versions of the post `slug`, the newest first.
///
/// # Errors
/// The database's.
pub async fn revisions(db: &Db, slug: &str) -> Result<Vec<PostRevision>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, String)> = on_db!(db, pool => {
        sqlx::query_as(&format!(
            "SELECT r.id, {}, r.saved_by, r.title, r.status
             FROM post_revisions r JOIN posts p ON p.id = r.post_id
             WHERE p.slug = $1 ORDER BY r.id DESC",
            iso("r.saved_at")
        ))
        .bind(slug)
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(id, saved_at, saved_by, title, status)| PostRevision {
            id,
            saved_at,
            saved_by,
            title,
            status,
        })
        .collect())
}

/// Revision `revision` of the post `slug`, whole (its body still to render).
///
/// # Errors
/// The database's.
pub async fn revision(
    db: &Db,
    slug: &str,
    revision: i64,
) -> Result<Option<RevisionView>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        saved_at: String,
        saved_by: String,
        title: String,
        status: String,
        summary: String,
        published_on: String,
        body: String,
    }
    let row: Option<Row> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT r.id, {} AS saved_at, r.saved_by, r.title, r.status, r.summary,
                CAST(r.published_on AS TEXT) AS published_on, r.body_markdown AS body
         FROM post_revisions r JOIN posts p ON p.id = r.post_id
         WHERE p.slug = $1 AND r.id = $2",
        iso("r.saved_at")
    ))
    .bind(slug)
    .bind(revision)
    .fetch_optional(pool)
    .await?);
    Ok(row.map(|row| RevisionView {
        revision: PostRevision {
            id: row.id,
            saved_at: row.saved_at,
            saved_by: row.saved_by,
            title: row.title,
            status: row.status,
        },
        summary: row.summary,
        published_on: row.published_on,
        body: row.body,
        body_html: String::new(),
    }))
}

/// The Markdown of revision `revision` of the post `slug`, to render before restoring it.
///
/// # Errors
/// The database's.
pub async fn revision_body(
    db: &Db,
    slug: &str,
    revision: i64,
) -> Result<Option<String>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_scalar(
            "SELECT r.body_markdown FROM post_revisions r JOIN posts p ON p.id = r.post_id
             WHERE p.slug = $1 AND r.id = $2",
        )
        .bind(slug)
        .bind(revision)
        .fetch_optional(pool)
        .await
    })
}

/// Puts revision `revision` back as the post `slug` (its body rendered as `body`), keeping
/// what the post was until now as a revision of its own: a restore can be undone the same way.
///
/// # Errors
/// The database's.
pub async fn restore_revision(
    db: &Db,
    slug: &str,
    revision: i64,
    body: &RenderedBody,
    actor: &str,
) -> Result<Restored, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let post: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT p.id FROM posts p JOIN post_revisions r ON r.post_id = p.id
             WHERE p.slug = $1 AND r.id = $2 {FOR_UPDATE}"
        ))
        .bind(slug)
        .bind(revision)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(post) = post else {
            return Ok(Restored::Unknown);
        };
        sqlx::query(&format!(
            "INSERT INTO post_revisions
                 (post_id, saved_at, saved_by, title, summary, published_on, body_markdown, status)
             SELECT id, {NOW}, $2, title, summary, published_on, body_markdown, status
             FROM posts WHERE id = $1"
        ))
        .bind(post)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "UPDATE posts SET (title, summary, published_on, body_markdown, status) =
                 (SELECT title, summary, published_on, body_markdown, status
                  FROM post_revisions WHERE id = $2),
                 body_html = $3, body_text = $4, updated_at = {NOW},
                 edited_in_workspace_at = {NOW}
             WHERE id = $1"
        ))
        .bind(post)
        .bind(revision)
        .bind(&body.html)
        .bind(&body.text)
        .execute(&mut *tx)
        .await?;
        record_in(
            Conn::from(&mut *tx),
            actor,
            "post.restored",
            slug,
            &format!("revision {revision}"),
        )
        .await?;
        tx.commit().await?;
        Ok(Restored::Done)
    })
}

/// Every post, drafts included, the newest first.
///
/// # Errors
/// The database's.
pub async fn staff_posts(db: &Db) -> Result<Vec<StaffPost>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, bool)> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT slug, title, CAST(published_on AS TEXT), status,
                    edited_in_workspace_at IS NOT NULL
             FROM posts ORDER BY published_on DESC, id DESC",
        )
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(
            |(slug, title, published_on, status, from_workspace)| StaffPost {
                slug,
                title,
                published_on,
                status,
                from_workspace,
            },
        )
        .collect())
}

/// The post `slug` as the editor's form shows it.
///
/// # Errors
/// The database's.
pub async fn post_form(db: &Db, slug: &str) -> Result<Option<PostForm>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        slug: String,
        title: String,
        summary: String,
        date: String,
        body: String,
        status: String,
        updated: Option<String>,
        image: Option<String>,
        tags: Option<String>,
        members: Option<String>,
        links: Option<String>,
        media: Option<String>,
    }
    let row: Option<Row> = on_db!(db, pool => {
        sqlx::query_as(&format!(
            "SELECT slug, title, summary, CAST(published_on AS TEXT) AS date,
                    body_markdown AS body, status, CAST(updated_on AS TEXT) AS updated, image,
                    (SELECT {} FROM (SELECT t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id
                                     WHERE pt.post_id = posts.id ORDER BY t.name) x) AS tags,
                    (SELECT {} FROM (SELECT m.slug FROM post_members pm
                                     JOIN members m ON m.id = pm.member_id
                                     WHERE pm.post_id = posts.id ORDER BY pm.position) y) AS members,
                    (SELECT {} FROM (SELECT label || ' | ' || title || ' | ' || coalesce(url, '') AS line
                                     FROM resources WHERE post_id = posts.id
                                     ORDER BY position) z) AS links,
                    (SELECT {} FROM (SELECT host || ' | ' || reference || ' | ' || title AS line
                                     FROM post_media WHERE post_id = posts.id
                                     ORDER BY position) w) AS media
             FROM posts WHERE slug = $1",
            joined("x.name"),
            joined("y.slug"),
            lines("z.line"),
            lines("w.line")
        ))
        .bind(slug)
        .fetch_optional(pool)
        .await?
    });
    Ok(row.map(|row| PostForm {
        editing: row.slug.clone(),
        slug: row.slug,
        title: row.title,
        summary: row.summary,
        date: row.date,
        body: row.body,
        tags: row.tags.unwrap_or_default(),
        members: row.members.unwrap_or_default(),
        links: row.links.unwrap_or_default(),
        media: row.media.unwrap_or_default(),
        updated: row.updated.unwrap_or_default(),
        image: row.image.unwrap_or_default(),
        publish: (row.status == "published").then(|| "on".to_owned()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        domain::{PublishedDate, Slug},
        server::{
            db::testing::on_both,
            import::{import, PostContent},
        },
    };

    fn draft(slug: &str, editing: Option<&str>, title: &str) -> PostDraft {
        PostDraft {
            editing: editing.and_then(Slug::parse),
            slug: Slug::parse(slug).expect("a slug"),
            title: title.to_owned(),
            summary: "A summary.".to_owned(),
            date: PublishedDate::parse("2026-12-04").expect("a date"),
            body: "Some *words*.".to_owned(),
            publish: true,
            tags: vec![("human-rights".to_owned(), "Human Rights".to_owned())],
            members: Vec::new(),
            updated: None,
            image: None,
            links: Vec::new(),
            media: Vec::new(),
        }
    }

    fn body() -> RenderedBody {
        RenderedBody {
            html: "<p>Some <em>words</em>.</p>".to_owned(),
            text: "Some words.".to_owned(),
        }
    }

    fn file_post(slug: &str, title: &str) -> PostContent {
        PostContent {
            slug: slug.to_owned(),
            title: title.to_owned(),
            summary: "From a file.".to_owned(),
            published_on: "2021-01-01".to_owned(),
            body_markdown: "File.".to_owned(),
            body_html: "<p>File.</p>".to_owned(),
            body_text: "File.".to_owned(),
            updated_on: None,
            image: None,
            draft: false,
            tags: Vec::new(),
            members: Vec::new(),
            resources: Vec::new(),
            media: Vec::new(),
        }
    }

    on_both! {
        async fn a_save_keeps_the_previous_version_and_the_import_leaves_it_alone(db: Db) {
            import(&db, &[], &[file_post("from-a-file", "As the file says")], &[], None, true)
                .await
                .expect("imports");
            assert_eq!(
                save_post(&db, &draft("new-post", None, "New"), &body(), "ed@example.org")
                    .await
                    .expect("saves"),
                Saved::Created
            );
            assert_eq!(
                save_post(&db, &draft("from-a-file", None, "Clash"), &body(), "ed@example.org")
                    .await
                    .expect("answers"),
                Saved::SlugTaken
            );
            let edit = draft("from-a-file", Some("from-a-file"), "As the workspace says");
            assert_eq!(
                save_post(&db, &edit, &body(), "ed@example.org").await.expect("saves"),
                Saved::Edited
            );

            // The folder again, the workspace's post absent from it and its own file unchanged:
            // neither is overwritten nor retired.
            let imported = import(&db, &[], &[file_post("from-a-file", "As the file says")], &[], None, true)
                .await
                .expect("imports");
            assert_eq!(imported.kept_from_workspace, ["from-a-file"]);
            let posts = staff_posts(&db).await.expect("lists");
            let titles: Vec<(&str, &str, &str)> = posts
                .iter()
                .map(|post| (post.slug.as_str(), post.title.as_str(), post.status.as_str()))
                .collect();
            assert!(titles.contains(&("from-a-file", "As the workspace says", "published")));
            assert!(titles.contains(&("new-post", "New", "published")));
            assert!(posts
                .iter()
                .filter(|post| ["from-a-file", "new-post"].contains(&post.slug.as_str()))
                .all(|post| post.from_workspace));

            let kept: Vec<(String, String)> = on_db!(&db, pool => {
                sqlx::query_as("SELECT title, saved_by FROM post_revisions").fetch_all(pool).await
            })
            .expect("revisions");
            assert_eq!(kept, [("As the file says".to_owned(), "ed@example.org".to_owned())]);
            let form = post_form(&db, "from-a-file").await.expect("reads").expect("a post");
            assert_eq!(form.title, "As the workspace says");
            assert_eq!(form.date, "2026-12-04");

            // Back to the file's version; the workspace's becomes a revision in turn.
            let earlier = revisions(&db, "from-a-file").await.expect("reads");
            assert_eq!(earlier.len(), 1);
            assert_eq!(
                revision_body(&db, "from-a-file", earlier[0].id).await.expect("reads").as_deref(),
                Some("File.")
            );
            assert_eq!(
                restore_revision(&db, "new-post", earlier[0].id, &body(), "ad@example.org")
                    .await
                    .expect("answers"),
                Restored::Unknown,
                "a revision of another post"
            );
            assert_eq!(
                restore_revision(&db, "from-a-file", earlier[0].id, &body(), "ad@example.org")
                    .await
                    .expect("restores"),
                Restored::Done
            );
            let form = post_form(&db, "from-a-file").await.expect("reads").expect("a post");
            assert_eq!((form.title.as_str(), form.date.as_str()), ("As the file says", "2021-01-01"));
            let now = revisions(&db, "from-a-file").await.expect("reads");
            assert_eq!(now.len(), 2);
            assert_eq!(now[0].title, "As the workspace says");
            assert_eq!(now[0].saved_by, "ad@example.org");
        }
    }
}
