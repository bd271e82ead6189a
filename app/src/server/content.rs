//! Published content, read from SQLite as a whole and kept in memory.
//!
//! A nonprofit's posts change a few times a month and fit in a few megabytes, so the pages
//! read them from one immutable [`Content`] snapshot instead of querying per request. Every
//! change to a content table moves `content_version` (triggers in migration 0006): the
//! server's own import drops the snapshot at once, and a watcher notices changes made by
//! anyone else (`server import` in another process, staff with `sqlite3`) within a second or
//! two. Search is the one reader that still asks SQLite, through its full-text index.

use super::db::{on_db, Db};
use crate::domain::language::{from_code, Locale};
use crate::domain::{
    media::{Embed, MediaHost},
    MemberListing, MemberProfile, MemberSummary, PendingDocument, Post, PostPage, PostSummary,
    PublishedDate, ResourceLink, Slug, Tag,
};
use sqlx::{ColumnIndex, Decode, FromRow, Row, Type};
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, PoisonError, RwLock,
    },
};

/// How many posts a page of a listing shows.
pub const POSTS_PER_PAGE: usize = 10;

/// Everything published, as one consistent snapshot.
#[derive(Debug, Default)]
pub struct Content {
    /// The `content_version` the snapshot was read at.
    pub version: i64,
    /// Newest first.
    posts: Vec<Post>,
    post_index: HashMap<String, usize>,
    /// By name, each with its posts (indexes into `posts`, newest first).
    tags: Vec<(Tag, Vec<usize>)>,
    tag_index: HashMap<String, usize>,
    /// By name.
    members: Vec<MemberProfile>,
    member_index: HashMap<String, usize>,
    pending: HashMap<String, PendingDocument>,
    /// Each post's words in the languages it was translated into, by language and slug.
    translations: HashMap<(Locale, String), PostWords>,
    /// Each member's role and bio in the languages they were translated into.
    member_translations: HashMap<(Locale, String), (String, String)>,
}

/// A post's title, summary and text in one language.
#[derive(Debug, Clone)]
struct PostWords {
    title: String,
    summary: String,
    body_html: String,
}

impl Content {
    /// Every published post, newest first.
    pub fn posts(&self) -> &[Post] {
        &self.posts
    }

    pub fn post(&self, slug: &Slug) -> Option<&Post> {
        self.post_index.get(slug.as_ref()).map(|&i| &self.posts[i])
    }

    pub fn latest(&self, limit: usize) -> Vec<PostSummary> {
        self.posts.iter().take(limit).map(Post::summary).collect()
    }

    /// `post` in `locale`: its translation's words where it has one, else as written.
    pub fn post_in(&self, post: &Post, locale: Locale) -> Post {
        let mut post = post.clone();
        if let Some(words) = self
            .translations
            .get(&(locale, post.slug.as_ref().to_owned()))
        {
            post.locale = locale;
            post.title.clone_from(&words.title);
            post.summary.clone_from(&words.summary);
            post.body_html.clone_from(&words.body_html);
        }
        post
    }

    /// `summary` in `locale`, as [`Content::post_in`].
    pub fn summary_in(&self, mut summary: PostSummary, locale: Locale) -> PostSummary {
        if let Some(words) = self
            .translations
            .get(&(locale, summary.slug.as_ref().to_owned()))
        {
            summary.locale = locale;
            summary.title.clone_from(&words.title);
            summary.summary.clone_from(&words.summary);
        }
        summary
    }

    /// Whether `post` has a version in `locale` of its own (the original's language counts).
    pub fn is_in(&self, post: &Post, locale: Locale) -> bool {
        post.locale == locale
            || self
                .translations
                .contains_key(&(locale, post.slug.as_ref().to_owned()))
    }

    /// Tags that have published posts, by name.
    pub fn tags(&self) -> impl Iterator<Item = &Tag> {
        self.tags.iter().map(|(tag, _)| tag)
    }

    pub fn tag(&self, slug: &Slug) -> Option<&Tag> {
        self.tag_index.get(slug.as_ref()).map(|&i| &self.tags[i].0)
    }

    /// The posts filed under `tag`, newest first (every post without one).
    pub fn posts_tagged<'a>(&'a self, tag: Option<&Slug>) -> Option<Vec<&'a Post>> {
        match tag {
            None => Some(self.posts.iter().collect()),
            Some(slug) => {
                let (_, posts) = &self.tags[*self.tag_index.get(slug.as_ref())?];
                Some(posts.iter().map(|&i| &self.posts[i]).collect())
            }
        }
    }

    /// Page `page` (from 1) of the listing of `tag` (or of all posts); `None` for an unknown
    /// tag or a page past the end. An empty listing still has its first page.
    pub fn page(&self, tag: Option<&Slug>, page: u32) -> Option<PostPage> {
        let posts = self.posts_tagged(tag)?;
        let pages = posts.len().div_ceil(POSTS_PER_PAGE).max(1);
        let index = usize::try_from(page).ok()?.checked_sub(1)?;
        if index >= pages {
            return None;
        }
        Some(PostPage {
            posts: posts
                .into_iter()
                .skip(index * POSTS_PER_PAGE)
                .take(POSTS_PER_PAGE)
                .map(Post::summary)
                .collect(),
            page,
            pages: u32::try_from(pages).unwrap_or(u32::MAX),
            tag: tag.and_then(|slug| self.tag(slug)).cloned(),
        })
    }

    pub fn member(&self, slug: &Slug) -> Option<&MemberProfile> {
        self.member_index
            .get(slug.as_ref())
            .map(|&i| &self.members[i])
    }

    /// Every member, by name.
    pub fn members(&self) -> &[MemberProfile] {
        &self.members
    }

    /// Every member with their role in `locale` where they are translated.
    pub fn member_listing(&self, locale: Locale) -> Vec<MemberListing> {
        self.members
            .iter()
            .map(|profile| {
                let shown = self.member_in(profile.clone(), locale);
                MemberListing {
                    member: shown.member,
                    locale: shown.locale,
                    posts: profile.posts.len(),
                }
            })
            .collect()
    }

    /// `profile` in `locale`: the role and bio of its translation where it has one (the
    /// posts are left as they are).
    pub fn member_in(&self, mut profile: MemberProfile, locale: Locale) -> MemberProfile {
        if let Some((role, bio)) = self
            .member_translations
            .get(&(locale, profile.member.slug.as_ref().to_owned()))
        {
            profile.locale = locale;
            profile.member.role.clone_from(role);
            profile.bio.clone_from(bio);
        }
        profile
    }

    pub fn pending_document(&self, slug: &Slug) -> Option<&PendingDocument> {
        self.pending.get(slug.as_ref())
    }

    /// Documents that have a page saying they are not online yet.
    pub fn pending_documents(&self) -> impl Iterator<Item = &PendingDocument> {
        self.pending.values()
    }
}

/// The snapshot the pages read, reloaded after content changes.
#[derive(Debug, Default)]
pub struct ContentCache {
    current: RwLock<Option<Arc<Content>>>,
    /// Moved by every invalidation: a load that started before one must not store what it
    /// read, which may be older than the change.
    generation: AtomicU64,
    /// Every request reads the database (a benchmark's baseline; `CONTENT_CACHE=off`).
    disabled: bool,
    /// One load at a time: after a change, the requests that find no snapshot wait for the
    /// one that reads it instead of all reading the whole content at once.
    loading: tokio::sync::Mutex<()>,
}

impl ContentCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// A cache that never keeps anything.
    pub fn disabled() -> Self {
        Self {
            disabled: true,
            ..Self::default()
        }
    }

    /// The current snapshot, read from `pool` if there is none.
    ///
    /// # Errors
    /// A database error while reading; nothing is kept then.
    pub async fn get(&self, db: &Db) -> Result<Arc<Content>, sqlx::Error> {
        if let Some(content) = self.current() {
            return Ok(content);
        }
        let _loading = self.loading.lock().await;
        if let Some(content) = self.current() {
            return Ok(content);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let content = Arc::new(load(db).await?);
        if !self.disabled {
            let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
            if self.generation.load(Ordering::Acquire) == generation {
                *current = Some(Arc::clone(&content));
            }
        }
        Ok(content)
    }

    fn current(&self) -> Option<Arc<Content>> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Moves with every change to the content: what was made from the content at one
    /// generation is stale at the next.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Whether nothing is kept (the baseline that reads the database for every request).
    pub fn is_disabled(&self) -> bool {
        self.disabled
    }

    /// Forgets the snapshot; the next reader loads a new one.
    pub fn invalidate(&self) {
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::AcqRel);
        *current = None;
    }

    /// Forgets the snapshot if the stored content has changed since it was read.
    ///
    /// # Errors
    /// A database error while reading the version.
    pub async fn invalidate_if_changed(&self, db: &Db) -> Result<bool, sqlx::Error> {
        let Some(content) = self.current() else {
            return Ok(false);
        };
        let version: i64 =
            on_db!(db, pool => sqlx::query_scalar(STORED_VERSION).fetch_one(pool).await?);
        let changed = version != content.version;
        if changed {
            self.invalidate();
        }
        Ok(changed)
    }
}

/// The stored content's version, which every change moves.
const STORED_VERSION: &str = "SELECT version FROM content_version WHERE id = 1";

#[derive(sqlx::FromRow)]
struct PostRow {
    id: i64,
    #[sqlx(try_from = "String")]
    slug: Slug,
    title: String,
    summary: String,
    #[sqlx(try_from = "String")]
    published_on: PublishedDate,
    body_html: String,
    updated_on: Option<String>,
    image: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TagRow {
    post_id: i64,
    #[sqlx(try_from = "String")]
    slug: Slug,
    name: String,
}

#[derive(sqlx::FromRow)]
struct ResourceRow {
    post_id: i64,
    #[sqlx(try_from = "String")]
    slug: Slug,
    label: String,
    title: String,
    url: Option<String>,
}

#[derive(sqlx::FromRow)]
struct MediaRow {
    post_id: i64,
    host: String,
    reference: String,
    title: String,
}

#[derive(sqlx::FromRow)]
struct PostMemberRow {
    post_id: i64,
    #[sqlx(try_from = "String")]
    slug: Slug,
    name: String,
    role: String,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    #[sqlx(flatten)]
    member: MemberSummary,
    bio: String,
}

/// The rows the site can read, each decoded on its own: a row it cannot (a date or slug
/// written by hand with `sqlite3` that the schema lets through) is left out and logged with
/// its slug, so one bad post costs that post, not every page that lists content.
pub(crate) fn readable<T, R>(rows: Vec<R>) -> Vec<T>
where
    R: Row,
    T: for<'r> FromRow<'r, R>,
    for<'a> &'a str: ColumnIndex<R>,
    String: for<'r> Decode<'r, R::Database> + Type<R::Database>,
    i64: for<'r> Decode<'r, R::Database> + Type<R::Database>,
{
    rows.iter()
        .filter_map(|row| match T::from_row(row) {
            Ok(decoded) => Some(decoded),
            Err(error) => {
                tracing::warn!(
                    kind = std::any::type_name::<T>().rsplit("::").next(),
                    slug = row.try_get::<String, _>("slug").ok(),
                    post_id = row.try_get::<i64, _>("post_id").ok(),
                    %error,
                    "a stored content row cannot be read; it is left out until it is fixed"
                );
                None
            }
        })
        .collect()
}

/// Reads everything published in one transaction, so a concurrent import cannot mix two
/// versions in one snapshot. Rows the site cannot read are left out (see [`readable`]).
///
/// # Errors
/// Any database error.
pub async fn load(db: &Db) -> Result<Content, sqlx::Error> {
    load_where(db, None).await
}

/// The post `slug` as its page would show it, draft or published: the staff workspace's
/// preview.
///
/// # Errors
/// Any database error.
pub async fn preview(db: &Db, slug: &str) -> Result<Option<Post>, sqlx::Error> {
    let content = load_where(db, Some(slug)).await?;
    Ok(content.posts.into_iter().next())
}

/// [`load`], or with `only` the one post of that slug whatever its status.
async fn load_where(db: &Db, only: Option<&str>) -> Result<Content, sqlx::Error> {
    let (
        version,
        post_rows,
        tag_rows,
        resource_rows,
        media_rows,
        post_member_rows,
        member_rows,
        translation_rows,
        member_translation_rows,
    ) = on_db!(db, pool => {
    let mut tx = pool.begin_with(BEGIN_READ).await?;
    let version: i64 = sqlx::query_scalar(STORED_VERSION).fetch_one(&mut *tx).await?;
    let post_rows: Vec<PostRow> = readable(
        sqlx::query(
            "SELECT id, slug, title, summary, CAST(published_on AS TEXT) AS published_on, body_html,
                CAST(updated_on AS TEXT) AS updated_on, image FROM posts
         WHERE CASE WHEN $1 IS NULL THEN status = 'published' ELSE slug = $1 END
         ORDER BY published_on DESC, id DESC",
        )
        .bind(only)
        .fetch_all(&mut *tx)
        .await?,
    );
    let tag_rows: Vec<TagRow> = readable(
        sqlx::query(
            "SELECT pt.post_id, t.slug, t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id
         ORDER BY t.name, t.slug",
        )
        .fetch_all(&mut *tx)
        .await?,
    );
    let resource_rows: Vec<ResourceRow> = readable(
        sqlx::query("SELECT post_id, slug, label, title, url FROM resources ORDER BY position, id")
            .fetch_all(&mut *tx)
            .await?,
    );
    let media_rows: Vec<MediaRow> = readable(
        sqlx::query("SELECT post_id, host, reference, title FROM post_media ORDER BY position")
            .fetch_all(&mut *tx)
            .await?,
    );
    let post_member_rows: Vec<PostMemberRow> = readable(
        sqlx::query(
            "SELECT pm.post_id, m.slug, m.name, m.role FROM post_members pm
         JOIN members m ON m.id = pm.member_id
         ORDER BY pm.position, m.name",
        )
        .fetch_all(&mut *tx)
        .await?,
    );
    let member_rows: Vec<MemberRow> = readable(
        sqlx::query("SELECT slug, name, role, bio FROM members ORDER BY name, slug")
            .fetch_all(&mut *tx)
            .await?,
    );
    let translation_rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT p.slug, t.lang, t.title, t.summary, t.body_html
         FROM post_translations t JOIN posts p ON p.id = t.post_id",
    )
    .fetch_all(&mut *tx)
    .await?;
    let member_translation_rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT m.slug, t.lang, t.role, t.bio
         FROM member_translations t JOIN members m ON m.id = t.member_id",
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    (version, post_rows, tag_rows, resource_rows, media_rows, post_member_rows, member_rows, translation_rows, member_translation_rows)
    });

    let mut content = Content {
        version,
        ..Content::default()
    };
    for (slug, lang, role, bio) in member_translation_rows {
        if let Some(locale) = from_code(&lang) {
            content
                .member_translations
                .insert((locale, slug), (role, bio));
        }
    }
    for (slug, lang, title, summary, body_html) in translation_rows {
        // The schema admits only the site's languages.
        if let Some(locale) = from_code(&lang) {
            content.translations.insert(
                (locale, slug),
                PostWords {
                    title,
                    summary,
                    body_html,
                },
            );
        }
    }
    let mut by_id = HashMap::with_capacity(post_rows.len());
    for (index, row) in post_rows.into_iter().enumerate() {
        by_id.insert(row.id, index);
        content
            .post_index
            .insert(row.slug.as_ref().to_owned(), index);
        content.posts.push(Post {
            slug: row.slug,
            locale: Locale::en_GB,
            title: row.title,
            summary: row.summary,
            published_on: row.published_on,
            tags: Vec::new(),
            // The schema checks the date; a bad one would only lose the revision day.
            updated_on: row
                .updated_on
                .and_then(|day| PublishedDate::parse(&day).ok()),
            image: row.image,
            body_html: row.body_html,
            media: Vec::new(),
            resources: Vec::new(),
            members: Vec::new(),
        });
    }

    // Rows of drafts have no post in `by_id` and are skipped.
    let mut tagged: Vec<(Tag, Vec<usize>)> = Vec::new();
    for row in tag_rows {
        let Some(&index) = by_id.get(&row.post_id) else {
            continue;
        };
        let tag = Tag {
            slug: row.slug,
            name: row.name,
        };
        content.posts[index].tags.push(tag.clone());
        match tagged.iter_mut().find(|(known, _)| known.slug == tag.slug) {
            Some((_, posts)) => posts.push(index),
            None => tagged.push((tag, vec![index])),
        }
    }
    for (_, posts) in &mut tagged {
        posts.sort_unstable();
    }
    content.tag_index = tagged
        .iter()
        .enumerate()
        .map(|(i, (tag, _))| (tag.slug.as_ref().to_owned(), i))
        .collect();
    content.tags = tagged;

    // After the tags: a pending document's summary of its post carries them.
    for row in resource_rows {
        let Some(&index) = by_id.get(&row.post_id) else {
            continue;
        };
        let post = &mut content.posts[index];
        if row.url.is_none() {
            content.pending.insert(
                row.slug.as_ref().to_owned(),
                PendingDocument {
                    slug: row.slug.clone(),
                    title: row.title,
                    post: post.summary(),
                },
            );
        }
        post.resources
            .push(ResourceLink::new(row.label, row.slug, row.url));
    }
    for row in media_rows {
        let Some(&index) = by_id.get(&row.post_id) else {
            continue;
        };
        // The schema checks the host; the reference's shape is checked here, and a bad one
        // is left out (and logged) rather than failing the whole post.
        let embed = MediaHost::parse(&row.host)
            .and_then(|host| Embed::new(host, &row.reference, row.title));
        match embed {
            Some(embed) => content.posts[index].media.push(embed),
            None => tracing::warn!(
                post = row.post_id,
                host = row.host,
                reference = row.reference,
                "a post's media reference is invalid; not shown"
            ),
        }
    }
    let mut posts_of_member: HashMap<String, Vec<usize>> = HashMap::new();
    for row in post_member_rows {
        let Some(&index) = by_id.get(&row.post_id) else {
            continue;
        };
        posts_of_member
            .entry(row.slug.as_ref().to_owned())
            .or_default()
            .push(index);
        content.posts[index].members.push(MemberSummary {
            slug: row.slug,
            name: row.name,
            role: row.role,
        });
    }
    for row in member_rows {
        let mut posts = posts_of_member
            .remove(row.member.slug.as_ref())
            .unwrap_or_default();
        posts.sort_unstable();
        content
            .member_index
            .insert(row.member.slug.as_ref().to_owned(), content.members.len());
        content.members.push(MemberProfile {
            member: row.member,
            locale: Locale::en_GB,
            bio: row.bio,
            posts: posts.iter().map(|&i| content.posts[i].summary()).collect(),
        });
    }
    Ok(content)
}
