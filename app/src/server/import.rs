//! The SQL of the content import: members and posts from the `content/` folder, upserted by
//! slug in one transaction, so a reader never sees half an import and running it twice
//! changes nothing.

use super::db::{on_conn, on_db, Conn, Db};

/// A member as its content file describes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberContent {
    pub slug: String,
    pub name: String,
    pub role: String,
    pub bio: String,
}

/// A link under a post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceContent {
    pub slug: String,
    pub label: String,
    pub title: String,
    pub url: Option<String>,
}

/// A member's role and bio in another language (`lang`), from a file naming the member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberTranslationContent {
    /// The slug of the member translated.
    pub of: String,
    pub lang: String,
    pub role: String,
    pub bio: String,
}

/// A post's text in another language (`lang`), from a file naming the post it translates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TranslationContent {
    /// The slug of the post translated.
    pub of: String,
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub body_markdown: String,
    pub body_html: String,
    /// The body's words without markup, for search.
    pub body_text: String,
}

/// A post as its content file describes it, its HTML already rendered and sanitised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostContent {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub published_on: String,
    pub body_markdown: String,
    pub body_html: String,
    /// The body's words without markup, for search.
    pub body_text: String,
    /// The day the post was revised, if it was (ISO).
    pub updated_on: Option<String>,
    pub image: Option<String>,
    /// A draft is stored but not published.
    pub draft: bool,
    /// (slug, name) of each tag, in the file's order.
    pub tags: Vec<(String, String)>,
    /// Slugs of the members the post names.
    pub members: Vec<String>,
    pub resources: Vec<ResourceContent>,
    /// (host, reference, title) of each video or map.
    pub media: Vec<(String, String, String)>,
}

/// What an import changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub members: usize,
    pub posts: usize,
    /// Published posts whose files are gone, now drafts.
    pub retired: usize,
    /// Posts (their slugs) and members (`members/` and their slugs) of the folder left as
    /// they are: edited or deleted in the staff workspace, which wins.
    pub kept_from_workspace: Vec<String>,
}

/// Every stored member and post as content files describe them (the HTML left empty: a
/// file holds the Markdown), for `server export content`: the members and the posts by
/// slug, drafts included, each post's tags by name and the rest in their order.
///
/// # Errors
/// Any database error.
pub async fn stored_content(
    db: &Db,
) -> Result<(Vec<MemberContent>, Vec<PostContent>), sqlx::Error> {
    type PostRow = (
        i64,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
    );
    on_db!(db, pool => {
    let mut tx = pool.begin_with(BEGIN_READ).await?;
    let members: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT slug, name, role, bio FROM members ORDER BY slug")
            .fetch_all(&mut *tx)
            .await?;
    let rows: Vec<PostRow> = sqlx::query_as(
        "SELECT id, slug, title, summary, CAST(published_on AS TEXT), body_markdown,
                CAST(updated_on AS TEXT), image, status
         FROM posts ORDER BY slug",
    )
    .fetch_all(&mut *tx)
    .await?;
    let tags: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT pt.post_id, t.slug, t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id
         ORDER BY pt.post_id, t.name",
    )
    .fetch_all(&mut *tx)
    .await?;
    let post_members: Vec<(i64, String)> = sqlx::query_as(
        "SELECT pm.post_id, m.slug FROM post_members pm JOIN members m ON m.id = pm.member_id
         ORDER BY pm.post_id, pm.position",
    )
    .fetch_all(&mut *tx)
    .await?;
    let resources: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT post_id, slug, label, title, url FROM resources ORDER BY post_id, position",
    )
    .fetch_all(&mut *tx)
    .await?;
    let media: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT post_id, host, reference, title FROM post_media ORDER BY post_id, position",
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let members = members
        .into_iter()
        .map(|(slug, name, role, bio)| MemberContent { slug, name, role, bio })
        .collect();
    let posts = rows
        .into_iter()
        .map(|(id, slug, title, summary, published_on, body_markdown, updated_on, image, status)| {
            PostContent {
                slug,
                title,
                summary,
                published_on,
                body_markdown,
                body_html: String::new(),
                body_text: String::new(),
                updated_on,
                image,
                draft: status != "published",
                tags: tags
                    .iter()
                    .filter(|(post, ..)| *post == id)
                    .map(|(_, slug, name)| (slug.clone(), name.clone()))
                    .collect(),
                members: post_members
                    .iter()
                    .filter(|(post, _)| *post == id)
                    .map(|(_, slug)| slug.clone())
                    .collect(),
                resources: resources
                    .iter()
                    .filter(|(post, ..)| *post == id)
                    .map(|(_, slug, label, title, url)| ResourceContent {
                        slug: slug.clone(),
                        label: label.clone(),
                        title: title.clone(),
                        url: url.clone(),
                    })
                    .collect(),
                media: media
                    .iter()
                    .filter(|(post, ..)| *post == id)
                    .map(|(_, host, reference, title)| (host.clone(), reference.clone(), title.clone()))
                    .collect(),
            }
        })
        .collect();
    Ok((members, posts))
    })
}

/// Every stored translation, as its file describes it (without the HTML and text rendered
/// from it), with the day of the post it translates, by post and language.
///
/// # Errors
/// Any database error.
pub async fn stored_translations(
    db: &Db,
) -> Result<Vec<(String, TranslationContent)>, sqlx::Error> {
    on_db!(db, pool => {
    let rows: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT CAST(p.published_on AS TEXT), p.slug, t.lang, t.title, t.summary,
                t.body_markdown
         FROM post_translations t JOIN posts p ON p.id = t.post_id
         ORDER BY p.slug, t.lang",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(day, of, lang, title, summary, body_markdown)| {
            (
                day,
                TranslationContent {
                    of,
                    lang,
                    title,
                    summary,
                    body_markdown,
                    body_html: String::new(),
                    body_text: String::new(),
                },
            )
        })
        .collect())
    })
}

/// Every stored member translation, as its file describes it, by member and language.
///
/// # Errors
/// Any database error.
pub async fn stored_member_translations(
    db: &Db,
) -> Result<Vec<MemberTranslationContent>, sqlx::Error> {
    on_db!(db, pool => {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT m.slug, t.lang, t.role, t.bio
         FROM member_translations t JOIN members m ON m.id = t.member_id
         ORDER BY m.slug, t.lang",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(of, lang, role, bio)| MemberTranslationContent { of, lang, role, bio })
        .collect())
    })
}

/// The slugs of every stored member, which posts may name without a file of theirs.
///
/// # Errors
/// Any database error.
pub async fn member_slugs(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar("SELECT slug FROM members")
        .fetch_all(pool)
        .await)
}

/// Upserts every member, then every post with its tags, members, links and media (replaced
/// as a whole, so a link removed from a file goes from the site).
///
/// When `posts_complete` (the import read a posts folder), published posts not among `posts`
/// had their file deleted or renamed: they become drafts, kept but no longer served, and
/// their links are released for the post that may have taken them over.
///
/// A post written or edited in the staff workspace is the workspace's: its file (if any) does
/// not overwrite it, and having no file does not retire it.
///
/// # Errors
/// Any database error (the transaction is rolled back: nothing changes). A post naming a
/// member that is neither in the import nor stored is refused by the file import before,
/// with the file's name; one deleted in the workspace is left out of the post.
pub async fn import(
    db: &Db,
    members: &[MemberContent],
    posts: &[PostContent],
    translations: &[TranslationContent],
    member_translations: Option<&[MemberTranslationContent]>,
    posts_complete: bool,
) -> Result<Imported, sqlx::Error> {
    on_db!(db, pool => {
    let mut tx = pool.begin_with(BEGIN_WRITE).await?;
    let mut retired = 0;
    if posts_complete {
        let slugs = serde_json::to_string(&posts.iter().map(|p| &p.slug).collect::<Vec<_>>())
            .map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
        let absent = format!(
            "SELECT id FROM posts WHERE slug NOT IN ({}) AND edited_in_workspace_at IS NULL",
            json_texts("$1")
        );
        sqlx::query(&format!(
            "DELETE FROM resources WHERE post_id IN ({absent})"
        ))
        .bind(&slugs)
        .execute(&mut *tx)
        .await?;
        retired = sqlx::query(&format!(
            "UPDATE posts SET status = 'draft' WHERE status = 'published' AND id IN ({absent})"
        ))
        .bind(&slugs)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    let mut kept_from_workspace = Vec::new();
    let mut members_stored = 0;
    for member in members {
        let stored = sqlx::query(
            "INSERT INTO members (slug, name, role, bio)
             SELECT $1, $2, $3, $4
             WHERE NOT EXISTS (SELECT 1 FROM deleted_members WHERE slug = $1)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name, role = excluded.role,
                 bio = excluded.bio
             WHERE members.edited_in_workspace_at IS NULL",
        )
        .bind(&member.slug)
        .bind(&member.name)
        .bind(&member.role)
        .bind(&member.bio)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if stored == 1 {
            members_stored += 1;
        } else {
            kept_from_workspace.push(format!("members/{}", member.slug));
        }
    }
    // Every post first, with its links and the rest cleared, then the links: a link slug moved
    // from one post to another must be free before it is inserted again.
    let mut ids = Vec::with_capacity(posts.len());
    let kept_members = kept_from_workspace.len();
    for post in posts {
        let deleted: Option<i64> = sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM deleted_posts WHERE slug = $1")
            .bind(&post.slug)
            .fetch_optional(&mut *tx)
            .await?;
        if deleted.is_some() {
            kept_from_workspace.push(post.slug.clone());
            continue;
        }
        match upsert_post(Conn::from(&mut *tx), post).await? {
            Some(id) => ids.push((id, post)),
            None => kept_from_workspace.push(post.slug.clone()),
        }
    }
    for (post_id, post) in ids {
        insert_children(Conn::from(&mut *tx), post_id, post).await?;
    }
    // The files hold every translation: one no file has any more is gone. Only a change
    // is written, so an import of the same files leaves the content's version alone.
    let mut kept = Vec::with_capacity(translations.len());
    for translation in translations {
        let post_id: Option<i64> = sqlx::query_scalar("SELECT id FROM posts WHERE slug = $1")
            .bind(&translation.of)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(post_id) = post_id else { continue };
        sqlx::query(
            "INSERT INTO post_translations
                 (post_id, lang, title, summary, body_markdown, body_html, body_text)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (post_id, lang) DO UPDATE SET
                 title = excluded.title, summary = excluded.summary,
                 body_markdown = excluded.body_markdown, body_html = excluded.body_html,
                 body_text = excluded.body_text
             WHERE post_translations.title <> excluded.title
                OR post_translations.summary <> excluded.summary
                OR post_translations.body_markdown <> excluded.body_markdown
                OR post_translations.body_html <> excluded.body_html
                OR post_translations.body_text <> excluded.body_text",
        )
        .bind(post_id)
        .bind(&translation.lang)
        .bind(&translation.title)
        .bind(&translation.summary)
        .bind(&translation.body_markdown)
        .bind(&translation.body_html)
        .bind(&translation.body_text)
        .execute(&mut *tx)
        .await?;
        kept.push(format!("{post_id}:{}", translation.lang));
    }
    if posts_complete {
        let kept = serde_json::to_string(&kept)
            .map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
        sqlx::query(&format!(
            "DELETE FROM post_translations
             WHERE CAST(post_id AS TEXT) || ':' || lang NOT IN ({})",
            json_texts("$1")
        ))
        .bind(&kept)
        .execute(&mut *tx)
        .await?;
    }
    // The same for members, when a members folder was read (`None`: nothing says which
    // translations are gone).
    if let Some(member_translations) = member_translations {
        let mut kept = Vec::with_capacity(member_translations.len());
        for translation in member_translations {
            let member_id: Option<i64> =
                sqlx::query_scalar("SELECT id FROM members WHERE slug = $1")
                    .bind(&translation.of)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(member_id) = member_id else { continue };
            sqlx::query(
                "INSERT INTO member_translations (member_id, lang, role, bio)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (member_id, lang) DO UPDATE SET
                     role = excluded.role, bio = excluded.bio
                 WHERE member_translations.role <> excluded.role
                    OR member_translations.bio <> excluded.bio",
            )
            .bind(member_id)
            .bind(&translation.lang)
            .bind(&translation.role)
            .bind(&translation.bio)
            .execute(&mut *tx)
            .await?;
            kept.push(format!("{member_id}:{}", translation.lang));
        }
        let kept = serde_json::to_string(&kept)
            .map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
        sqlx::query(&format!(
            "DELETE FROM member_translations
             WHERE CAST(member_id AS TEXT) || ':' || lang NOT IN ({})",
            json_texts("$1")
        ))
        .bind(&kept)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Imported {
        members: members_stored,
        posts: posts.len() - (kept_from_workspace.len() - kept_members),
        retired: usize::try_from(retired).unwrap_or(usize::MAX),
        kept_from_workspace,
    })
    })
}

/// Stores `post` as its file says, with its links and the rest cleared; `None` (nothing
/// changed) for a post the staff workspace has edited.
async fn upsert_post(conn: Conn<'_>, post: &PostContent) -> Result<Option<i64>, sqlx::Error> {
    on_conn!(conn, tx => {
    let post_id: Option<i64> = sqlx::query_scalar(&format!(
        "INSERT INTO posts
             (slug, title, summary, published_on, body_markdown, body_html, image, status,
              body_text, updated_on)
         VALUES ($1, $2, $3, {}, $5, $6, $7, $8, $9, {})
         ON CONFLICT (slug) DO UPDATE SET title = excluded.title, summary = excluded.summary,
             status = excluded.status,
             published_on = excluded.published_on, body_markdown = excluded.body_markdown,
             body_html = excluded.body_html, image = excluded.image,
             body_text = excluded.body_text, updated_on = excluded.updated_on,
             updated_at = CASE WHEN posts.body_markdown IS NOT DISTINCT FROM excluded.body_markdown
                                AND posts.title IS NOT DISTINCT FROM excluded.title
                                AND posts.summary IS NOT DISTINCT FROM excluded.summary
                               THEN posts.updated_at
                               ELSE {NOW} END
         WHERE posts.edited_in_workspace_at IS NULL
         RETURNING id",
        date("$4"),
        date("$10")
    ))
    .bind(&post.slug)
    .bind(&post.title)
    .bind(&post.summary)
    .bind(&post.published_on)
    .bind(&post.body_markdown)
    .bind(&post.body_html)
    .bind(&post.image)
    .bind(if post.draft { "draft" } else { "published" })
    .bind(&post.body_text)
    .bind(&post.updated_on)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(post_id) = post_id else {
        return Ok(None);
    };

    for table in ["post_tags", "post_members", "resources", "post_media"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE post_id = $1"))
            .bind(post_id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(Some(post_id))
    })
}

async fn insert_children(
    mut conn: Conn<'_>,
    post_id: i64,
    post: &PostContent,
) -> Result<(), sqlx::Error> {
    insert_tags_and_members(conn.reborrow(), post_id, &post.tags, &post.members).await?;
    insert_links_and_media(conn, post_id, &post.resources, &post.media).await
}

/// Lists the links (`resources`) and the videos and maps (`media`) under the post
/// `post_id`, in their order: the content import's and the staff workspace's way alike.
///
/// # Errors
/// The database's, including a link slug another post has.
pub async fn insert_links_and_media(
    conn: Conn<'_>,
    post_id: i64,
    resources: &[ResourceContent],
    media: &[(String, String, String)],
) -> Result<(), sqlx::Error> {
    on_conn!(conn, tx => {
    for (position, resource) in resources.iter().enumerate() {
        sqlx::query(
            "INSERT INTO resources (post_id, slug, label, title, url, position)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(post_id)
        .bind(&resource.slug)
        .bind(&resource.label)
        .bind(&resource.title)
        .bind(&resource.url)
        .bind(i64::try_from(position + 1).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
    }
    for (position, (host, reference, title)) in media.iter().enumerate() {
        sqlx::query(
            "INSERT INTO post_media (post_id, position, host, reference, title)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(post_id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(host)
        .bind(reference)
        .bind(title)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
    })
}

/// Links the post `post_id` to its tags (`(slug, name)`, made when new) and to its members
/// (slugs) in their order: the content import's and the staff workspace's way alike.
///
/// # Errors
/// The database's. A member that does not exist is left out: callers check first.
pub async fn insert_tags_and_members(
    conn: Conn<'_>,
    post_id: i64,
    tags: &[(String, String)],
    members: &[impl AsRef<str>],
) -> Result<(), sqlx::Error> {
    on_conn!(conn, tx => {
    for (slug, name) in tags {
        let tag_id: i64 = sqlx::query_scalar(
            "INSERT INTO tags (slug, name) VALUES ($1, $2)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id",
        )
        .bind(slug)
        .bind(name)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO post_tags (post_id, tag_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(post_id)
            .bind(tag_id)
            .execute(&mut *tx)
            .await?;
    }
    for (position, member) in members.iter().enumerate() {
        // A member deleted in the workspace whose file is still there is left out; the file
        // import has already refused a name that is neither in the folder nor stored.
        sqlx::query(
            "INSERT INTO post_members (post_id, member_id, position)
             SELECT $1, id, $3 FROM members WHERE slug = $2",
        )
        .bind(post_id)
        .bind(member.as_ref())
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
    })
}
