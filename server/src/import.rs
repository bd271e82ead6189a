//! Content as files: posts and members written in Markdown with TOML front matter (between
//! `+++` lines) in `content/posts` and `content/members`, read, checked, rendered and
//! sanitised here, then stored in one transaction. Every file is read before anything is
//! stored, so one bad file stops the import with its name and reason and changes nothing.
//! The limits on what a file may hold are in [`checks`].

mod checks;

use anyhow::{bail, Context};
use app::server::db::Db;
use app::{
    domain::{
        is_safe_front_matter_link,
        media::{Embed, MediaHost},
        tag_slug, PublishedDate, Slug,
    },
    server::{
        import::{
            self, Imported, MemberContent, MemberTranslationContent, PostContent, ResourceContent,
            TranslationContent,
        },
        posts::RenderedBody,
    },
};
use checks::UNSAFE_LINK;
use serde::{Deserialize, Serialize};
use std::{
    collections::{HashMap, HashSet},
    path::{Path, PathBuf},
};

/// The years a post's `date` and `updated` may fall in: wide enough for any real post, and
/// narrow enough that a typo (`0000-01-01`, `20100-10-06`) is caught rather than published.
const YEARS: std::ops::RangeInclusive<u16> = 1900..=2100;

/// How the Markdown is read, the same for the checks and for rendering. No smart
/// punctuation: texts are kept as their authors wrote them.
const MARKDOWN: pulldown_cmark::Options =
    pulldown_cmark::Options::ENABLE_TABLES.union(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct PostFront {
    title: String,
    slug: String,
    date: toml::value::Datetime,
    summary: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    members: Vec<String>,
    /// The day the text was revised after publication, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    draft: bool,
    // Tables last: TOML writes them after the plain keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    resources: Vec<ResourceFront>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    media: Vec<MediaFront>,
}

fn is_false(value: &bool) -> bool {
    !value
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct ResourceFront {
    slug: String,
    label: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct MediaFront {
    host: String,
    reference: String,
    title: String,
}

/// A post in another language than its original's: only its words (the date, tags, members
/// and links are the original's), and which post it translates.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct TranslationFront {
    lang: String,
    translation_of: String,
    title: String,
    summary: String,
}

/// A member's translation: its language, which member, and their role in it.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct MemberTranslationFront {
    lang: String,
    translation_of: String,
    role: String,
}

/// What a file of the members folder holds: a member, or their words in another language.
enum MemberFile {
    Member(MemberContent),
    Translation(MemberTranslationContent),
}

/// What a file of the posts folder holds: a post, or another language's version of one.
enum PostFile {
    Post(Box<PostContent>),
    Translation(TranslationContent),
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct MemberFront {
    name: String,
    slug: String,
    role: String,
}

/// What `server export content` wrote.
#[derive(Debug, PartialEq, Eq)]
pub struct Exported {
    pub members: usize,
    pub posts: usize,
    pub translations: usize,
}

/// Writes every stored member and post (drafts included) to `dir` as content files that
/// [`import_dir`] reads back to the same content: `members/{slug}.md`,
/// `posts/{date}-{slug}.md` and its translations `posts/{date}-{slug}.{lang}.md`. `dir` must not exist yet, or be empty, so no file is ever
/// overwritten.
///
/// # Errors
/// A `dir` that holds files, a file that cannot be written, or a database error.
pub async fn export_dir(pool: &Db, dir: &Path) -> anyhow::Result<Exported> {
    if std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        bail!(
            "{} already holds files: export into a new or empty folder",
            dir.display()
        );
    }
    let (members, posts) = import::stored_content(pool)
        .await
        .context("cannot read the content")?;
    let translations = import::stored_translations(pool)
        .await
        .context("cannot read the translations")?;
    let member_translations = import::stored_member_translations(pool)
        .await
        .context("cannot read the members' translations")?;
    for sub in ["members", "posts"] {
        std::fs::create_dir_all(dir.join(sub))
            .with_context(|| format!("cannot create {}", dir.join(sub).display()))?;
    }
    for member in &members {
        let front = MemberFront {
            name: member.name.clone(),
            slug: member.slug.clone(),
            role: member.role.clone(),
        };
        let text = file_text(&front, &member.bio)?;
        write_new(
            &dir.join("members").join(format!("{}.md", member.slug)),
            &text,
        )?;
    }
    for post in &posts {
        let day = |text: &str| {
            text.parse::<toml::value::Datetime>()
                .with_context(|| format!("the stored day {text:?} of post {}", post.slug))
        };
        let front = PostFront {
            title: post.title.clone(),
            slug: post.slug.clone(),
            date: day(&post.published_on)?,
            summary: post.summary.clone(),
            tags: post.tags.iter().map(|(_, name)| name.clone()).collect(),
            members: post.members.clone(),
            updated: post.updated_on.as_deref().map(day).transpose()?,
            image: post.image.clone(),
            draft: post.draft,
            resources: post
                .resources
                .iter()
                .map(|resource| ResourceFront {
                    slug: resource.slug.clone(),
                    label: resource.label.clone(),
                    title: resource.title.clone(),
                    url: resource.url.clone(),
                })
                .collect(),
            media: post
                .media
                .iter()
                .map(|(host, reference, title)| MediaFront {
                    host: host.clone(),
                    reference: reference.clone(),
                    title: title.clone(),
                })
                .collect(),
        };
        let text = file_text(&front, &post.body_markdown)?;
        let name = format!("{}-{}.md", post.published_on, post.slug);
        write_new(&dir.join("posts").join(name), &text)?;
    }
    for (day, translation) in &translations {
        let front = TranslationFront {
            lang: translation.lang.clone(),
            translation_of: translation.of.clone(),
            title: translation.title.clone(),
            summary: translation.summary.clone(),
        };
        let text = file_text(&front, &translation.body_markdown)?;
        let name = format!("{day}-{}.{}.md", translation.of, translation.lang);
        write_new(&dir.join("posts").join(name), &text)?;
    }
    for translation in &member_translations {
        let front = MemberTranslationFront {
            lang: translation.lang.clone(),
            translation_of: translation.of.clone(),
            role: translation.role.clone(),
        };
        let text = file_text(&front, &translation.bio)?;
        let name = format!("{}.{}.md", translation.of, translation.lang);
        write_new(&dir.join("members").join(name), &text)?;
    }
    Ok(Exported {
        members: members.len(),
        posts: posts.len(),
        translations: translations.len() + member_translations.len(),
    })
}

/// A content file: the front matter between `+++` lines, then the Markdown.
fn file_text(front: &impl Serialize, body: &str) -> anyhow::Result<String> {
    // The body exactly as stored, so a file read back is the same post.
    let front = toml::to_string(front).context("cannot write the front matter")?;
    Ok(format!("+++\n{front}+++\n\n{body}"))
}

fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Reads `dir` and stores what it holds.
///
/// # Errors
/// A file that cannot be read or is not valid content (named in the message), or a database
/// error; in every case nothing is stored.
pub async fn import_dir(pool: &Db, dir: &Path) -> anyhow::Result<Imported> {
    let posts_dir = dir.join("posts");
    // Rendering and sanitising is CPU work (hundreds of milliseconds for the largest post):
    // on a blocking thread it never holds up the requests a server answers meanwhile.
    let members_dir = dir.join("members");
    let (member_files, post_files) = {
        let (members_dir, posts_dir) = (members_dir.clone(), posts_dir.clone());
        tokio::task::spawn_blocking(move || {
            anyhow::Ok((
                read_all(&members_dir, parse_member_file)?,
                read_all(&posts_dir, parse_post_file)?,
            ))
        })
        .await
        .context("the content import stopped")??
    };
    let (mut members, mut member_translations) = (Vec::new(), Vec::new());
    for (file, content) in member_files {
        match content {
            MemberFile::Member(member) => members.push((file, member)),
            MemberFile::Translation(translation) => member_translations.push((file, translation)),
        }
    }
    let (mut posts, mut translations) = (Vec::new(), Vec::new());
    for (file, content) in post_files {
        match content {
            PostFile::Post(post) => posts.push((file, *post)),
            PostFile::Translation(translation) => translations.push((file, translation)),
        }
    }
    one_file_per_slug(&members, "member", |member| [member.slug.as_str()])?;
    one_file_per_slug(&posts, "post", |post| [post.slug.as_str()])?;
    translated_posts_exist(&posts, &translations)?;
    translated_members_exist(&members, &member_translations)?;
    // Resource slugs name pages of their own (`/resources/{slug}`), so they are unique across
    // posts; duplicates within one post are refused as the post is read.
    one_file_per_slug(&posts, "resource", |post| {
        post.resources.iter().map(|resource| resource.slug.as_str())
    })?;
    known_members(pool, &members, &posts).await?;

    let members: Vec<_> = members.into_iter().map(|(_, member)| member).collect();
    let posts: Vec<_> = posts.into_iter().map(|(_, post)| post).collect();
    let translations: Vec<_> = translations.into_iter().map(|(_, t)| t).collect();
    let member_translations: Vec<_> = member_translations.into_iter().map(|(_, t)| t).collect();
    // Without a posts folder nothing says which posts are gone: none is retired.
    import::import(
        pool,
        &members,
        &posts,
        &translations,
        members_dir
            .is_dir()
            .then_some(member_translations.as_slice()),
        posts_dir.is_dir(),
    )
    .await
    .with_context(|| format!("cannot store the content of {}", dir.display()))
}

/// Refuses two files that use one slug: stored by slug, the later would silently replace the
/// earlier (a new file reusing the seed post's slug once replaced its title).
fn one_file_per_slug<'a, T, S>(
    files: &'a [(PathBuf, T)],
    what: &str,
    slugs: impl Fn(&'a T) -> S,
) -> anyhow::Result<()>
where
    S: IntoIterator<Item = &'a str>,
{
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    for (file, content) in files {
        for slug in slugs(content) {
            if let Some(first) = seen.insert(slug, file) {
                bail!(
                    "{} and {} both have a {what} with the slug {slug:?}; a slug can name only \
                     one",
                    first.display(),
                    file.display()
                );
            }
        }
    }
    Ok(())
}

/// Refuses a translation of a post no file has, or two translations of one post into one
/// language, naming the file.
fn translated_posts_exist(
    posts: &[(PathBuf, PostContent)],
    translations: &[(PathBuf, TranslationContent)],
) -> anyhow::Result<()> {
    let slugs: HashSet<&str> = posts.iter().map(|(_, post)| post.slug.as_str()).collect();
    let mut seen: HashMap<(&str, &str), &Path> = HashMap::new();
    for (file, translation) in translations {
        if !slugs.contains(translation.of.as_str()) {
            bail!(
                "{} translates the post {:?}, which no file in the posts folder has",
                file.display(),
                translation.of
            );
        }
        if let Some(first) = seen.insert((&translation.of, &translation.lang), file) {
            bail!(
                "{} and {} both translate {:?} into {:?}; a post has one version per language",
                first.display(),
                file.display(),
                translation.of,
                translation.lang
            );
        }
    }
    Ok(())
}

/// Refuses a translation of a member no file has, or two of one member into one language.
fn translated_members_exist(
    members: &[(PathBuf, MemberContent)],
    translations: &[(PathBuf, MemberTranslationContent)],
) -> anyhow::Result<()> {
    let slugs: HashSet<&str> = members
        .iter()
        .map(|(_, member)| member.slug.as_str())
        .collect();
    let mut seen: HashMap<(&str, &str), &Path> = HashMap::new();
    for (file, translation) in translations {
        if !slugs.contains(translation.of.as_str()) {
            bail!(
                "{} translates the member {:?}, which no file in the members folder has",
                file.display(),
                translation.of
            );
        }
        if let Some(first) = seen.insert((&translation.of, &translation.lang), file) {
            bail!(
                "{} and {} both translate {:?} into {:?}; a member has one version per language",
                first.display(),
                file.display(),
                translation.of,
                translation.lang
            );
        }
    }
    Ok(())
}

/// Refuses a post naming a member who is neither in the import nor stored, with the file's
/// name (the database would only say that a NOT NULL constraint failed).
async fn known_members(
    pool: &Db,
    members: &[(PathBuf, MemberContent)],
    posts: &[(PathBuf, PostContent)],
) -> anyhow::Result<()> {
    let mut known: HashSet<String> = import::member_slugs(pool)
        .await
        .context("cannot read the stored members")?
        .into_iter()
        .collect();
    known.extend(members.iter().map(|(_, member)| member.slug.clone()));
    for (file, post) in posts {
        if let Some(unknown) = post.members.iter().find(|slug| !known.contains(*slug)) {
            bail!(
                "{} names the member {unknown:?}, who has no file in the members folder and is \
                 not stored",
                file.display()
            );
        }
    }
    Ok(())
}

/// Every `.md` file of `dir`, by name, parsed; each with its path for messages.
fn read_all<T>(
    dir: &Path,
    parse: fn(&str) -> anyhow::Result<T>,
) -> anyhow::Result<Vec<(PathBuf, T)>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        // An entry that cannot be read stops the import: skipped, it would count as deleted
        // and its post would be withdrawn.
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<std::io::Result<Vec<_>>>()
        .with_context(|| format!("cannot read {}", dir.display()))?
        .into_iter()
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let size = std::fs::metadata(&file)
                .with_context(|| format!("cannot read {}", file.display()))?
                .len();
            if size > checks::MAX_FILE_BYTES {
                bail!(
                    "{} is not valid content: it has {} bytes; a body may have at most 1 MB \
                     ({} bytes)",
                    file.display(),
                    size,
                    checks::MAX_BODY_BYTES
                );
            }
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let content =
                parse(&text).with_context(|| format!("{} is not valid content", file.display()))?;
            Ok((file, content))
        })
        .collect()
}

/// Splits `+++ front matter +++ body`.
fn split(text: &str) -> anyhow::Result<(&str, &str)> {
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
        .context("it must start with a +++ line")?;
    let end = rest
        .find("\n+++")
        .context("its front matter has no closing +++ line")?;
    let body = rest[end + 4..].trim_start_matches(['\r', '\n']);
    let front = &rest[..end];
    if front.len() > checks::MAX_FRONT_MATTER_BYTES {
        bail!(
            "its front matter has {} bytes; it may have at most {}",
            front.len(),
            checks::MAX_FRONT_MATTER_BYTES
        );
    }
    if body.len() > checks::MAX_BODY_BYTES {
        bail!(
            "its body has {} bytes; a body may have at most 1 MB ({} bytes)",
            body.len(),
            checks::MAX_BODY_BYTES
        );
    }
    Ok((front, body))
}

fn slug(text: &str, what: &str) -> anyhow::Result<String> {
    match Slug::parse(text) {
        Some(slug) => Ok(slug.as_ref().to_owned()),
        None => bail!("{what} {text:?} is not a slug (lower-case letters, digits, single hyphens)"),
    }
}

/// Control characters (other than tab and line ends) in the file, or in a string of its
/// front matter written as an escape (`\u000C`): XML 1.0 cannot carry them, so one would
/// break the feeds, and search marks its matches with two of them.
fn refuse_control_characters(text: &str, what: &str) -> anyhow::Result<()> {
    match text
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        Some(c) => bail!(
            "{what} contains the control character U+{:04X}",
            u32::from(c)
        ),
        None => Ok(()),
    }
}

fn parse_member(text: &str) -> anyhow::Result<MemberContent> {
    refuse_control_characters(text, "the file")?;
    let (front, body) = split(text)?;
    let front: MemberFront = toml::from_str(front).context("its front matter")?;
    for (field, what) in [(&front.name, "its name"), (&front.role, "its role")] {
        refuse_control_characters(field, what)?;
    }
    Ok(MemberContent {
        slug: slug(&front.slug, "the slug")?,
        name: non_empty(front.name, "name")?,
        role: front.role,
        bio: body.replace("\r\n", "\n").trim().to_owned(),
    })
}

/// A member, or (when its front matter says `translation_of`) their role and bio in another
/// language.
fn parse_member_file(text: &str) -> anyhow::Result<MemberFile> {
    refuse_control_characters(text, "the file")?;
    let (front, body) = split(text)?;
    let table: toml::Table = toml::from_str(front).context("its front matter")?;
    if !table.contains_key("translation_of") {
        return Ok(MemberFile::Member(parse_member(text)?));
    }
    let front: MemberTranslationFront = toml::from_str(front).context("its front matter")?;
    refuse_control_characters(&front.role, "its role")?;
    if !matches!(front.lang.as_str(), "es") {
        bail!(
            "its lang {:?} is not a language members are translated into (\"es\")",
            front.lang
        );
    }
    Ok(MemberFile::Translation(MemberTranslationContent {
        of: slug(&front.translation_of, "the member translated")?,
        lang: front.lang,
        role: front.role,
        bio: body.replace("\r\n", "\n").trim().to_owned(),
    }))
}

/// A post, or (when its front matter says `translation_of`) another language's version of one.
fn parse_post_file(text: &str) -> anyhow::Result<PostFile> {
    refuse_control_characters(text, "the file")?;
    let (front, body) = split(text)?;
    let table: toml::Table = toml::from_str(front).context("its front matter")?;
    if !table.contains_key("translation_of") {
        return Ok(PostFile::Post(Box::new(parse_post(text)?)));
    }
    let front: TranslationFront = toml::from_str(front).context("its front matter")?;
    for string in [&front.title, &front.summary] {
        refuse_control_characters(string, "its front matter")?;
    }
    // The original is the site's default language; another is one the site is written in.
    if !matches!(front.lang.as_str(), "es") {
        bail!(
            "its lang {:?} is not a language posts are translated into (\"es\")",
            front.lang
        );
    }
    checks::check_body(body, MARKDOWN)?;
    Ok(PostFile::Translation(TranslationContent {
        of: slug(&front.translation_of, "the post translated")?,
        lang: front.lang,
        title: non_empty(front.title, "title")?,
        summary: front.summary.trim().to_owned(),
        body_markdown: body.to_owned(),
        body_html: render(body)?,
        body_text: plain_text(body),
    }))
}

fn parse_post(text: &str) -> anyhow::Result<PostContent> {
    refuse_control_characters(text, "the file")?;
    let (front, body) = split(text)?;
    let front: PostFront = toml::from_str(front).context("its front matter")?;
    let strings = [&front.title, &front.summary]
        .into_iter()
        .chain(&front.tags)
        .chain(front.resources.iter().flat_map(|r| [&r.label, &r.title]))
        .chain(front.media.iter().map(|m| &m.title));
    for string in strings {
        refuse_control_characters(string, "its front matter")?;
    }
    let date = day(front.date, "date")?;
    let updated = front
        .updated
        .map(|updated| day(updated, "updated"))
        .transpose()?;
    let tags = front
        .tags
        .into_iter()
        .map(|name| Ok((slug(&tag_slug(&name), "the tag")?, non_empty(name, "tag")?)))
        .collect::<anyhow::Result<_>>()?;
    let members = front
        .members
        .iter()
        .map(|member| slug(member, "the member"))
        .collect::<anyhow::Result<_>>()?;
    let mut resource_slugs = HashSet::new();
    if let Some(twice) = front
        .resources
        .iter()
        .find(|resource| !resource_slugs.insert(resource.slug.as_str()))
    {
        bail!(
            "its resources have the slug {:?} twice; each needs its own",
            twice.slug
        );
    }
    let resources = front
        .resources
        .into_iter()
        .map(|resource| {
            if let Some(url) = &resource.url {
                if !is_safe_front_matter_link(url) {
                    bail!(
                        "the url {url:?} of its resource {:?}, {UNSAFE_LINK}",
                        resource.slug
                    );
                }
            }
            Ok(ResourceContent {
                slug: slug(&resource.slug, "the resource")?,
                label: non_empty(resource.label, "label")?,
                title: non_empty(resource.title, "title")?,
                url: resource.url,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let media = front
        .media
        .into_iter()
        .map(|media| {
            let host = MediaHost::parse(&media.host)
                .with_context(|| format!("unknown media host {:?}", media.host))?;
            Embed::new(host, &media.reference, media.title.clone()).with_context(|| {
                format!("{:?} is not a {} reference", media.reference, host.name())
            })?;
            Ok((media.host, media.reference, media.title))
        })
        .collect::<anyhow::Result<_>>()?;
    if let Some(image) = &front.image {
        if !is_safe_front_matter_link(image) {
            bail!("its image {image:?}, {UNSAFE_LINK}");
        }
    }
    // Before rendering, whose time these bound.
    checks::check_body(body, MARKDOWN)?;
    Ok(PostContent {
        slug: slug(&front.slug, "the slug")?,
        title: non_empty(front.title, "title")?,
        summary: front.summary.trim().to_owned(),
        published_on: date,
        updated_on: updated,
        body_html: render(body)?,
        body_text: plain_text(body),
        body_markdown: body.to_owned(),
        image: front.image,
        draft: front.draft,
        tags,
        members,
        resources,
        media,
    })
}

/// A front matter day (`2010-10-06`), without a time, in [`YEARS`], that the site reads back
/// as the same day: what is stored is decoded as a [`PublishedDate`] by every page.
fn day(value: toml::value::Datetime, what: &str) -> anyhow::Result<String> {
    if value.date.is_none() || value.time.is_some() || value.offset.is_some() {
        bail!("its {what} {value} must be a day, like 2010-10-06");
    }
    let text = value.to_string();
    match PublishedDate::parse(&text) {
        Ok(date) if YEARS.contains(&date.year()) && date.iso() == text => Ok(text),
        _ => bail!(
            "its {what} {value} must be a day from {} to {}, like 2010-10-06",
            YEARS.start(),
            YEARS.end()
        ),
    }
}

fn non_empty(text: String, what: &str) -> anyhow::Result<String> {
    let text = text.trim().to_owned();
    if text.is_empty() {
        bail!("a {what} must not be empty");
    }
    Ok(text)
}

/// A post's body as the staff workspace sends it, through the import's own steps: the checks
/// that bound rendering, the sanitiser, the words for search. The error says why, for the log.
pub fn render_body(markdown: &str) -> Result<RenderedBody, String> {
    let body = refuse_control_characters(markdown, "the text")
        .and_then(|()| checks::check_body(markdown, MARKDOWN))
        .and_then(|()| render(markdown))
        .map_err(|error| format!("{error:#}"))?;
    Ok(RenderedBody {
        html: body,
        text: plain_text(markdown),
    })
}

/// The words of a Markdown text without its markup (inline HTML tags left out, their text
/// kept), for the search index. Control characters are dropped: search marks its matches
/// with two of them.
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            // Raw HTML (a `<blockquote>` block, an inline `<br>`): its words, apart.
            Event::Html(html) | Event::InlineHtml(html) => {
                text.push(' ');
                text.push_str(&without_tags(&html));
                text.push(' ');
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                text.push('\n');
            }
            _ => {}
        }
    }
    text.retain(|c| !c.is_control() || c == '\n');
    text.trim().to_owned()
}

/// `html` with its tags left out (entities stay as written).
fn without_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// Markdown to HTML, then through ammonia's allow-list: no scripts, no event handlers, no
/// `style`, links only to http(s), mail and safe paths of this site, each marked `noopener
/// noreferrer`.
///
/// # Errors
/// A link or image in raw HTML that would leave the site while looking like a path of it
/// (`href="/&#92;host"`): the sanitiser reads it as a browser would, entities decoded, and
/// the file is refused rather than stored with the link silently dropped.
pub fn render(markdown: &str) -> anyhow::Result<String> {
    use pulldown_cmark::{html, Parser};
    use std::sync::Mutex;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, MARKDOWN));
    let refused = Mutex::new(None);
    let html = ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into())
        .url_relative(ammonia::UrlRelative::Custom(Box::new(RefusedLinks(
            &refused,
        ))))
        .link_rel(Some("noopener noreferrer"))
        .clean(&unsafe_html)
        .to_string();
    match refused
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        Some(url) => bail!("its text links to {url:?}, {UNSAFE_LINK}"),
        None => Ok(html),
    }
}

/// The sanitiser's policy for relative URLs ([`checks::relative_url_policy`]), remembering
/// the first it drops.
struct RefusedLinks<'a>(&'a std::sync::Mutex<Option<String>>);

impl<'a> ammonia::UrlRelativeEvaluate<'a> for RefusedLinks<'a> {
    fn evaluate<'url>(&self, url: &'url str) -> Option<std::borrow::Cow<'url, str>> {
        let kept = checks::relative_url_policy(url);
        if kept.is_none() {
            let mut first = self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            first.get_or_insert_with(|| url.to_owned());
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_links_never_survive() {
        let html = render(
            "Hello <script>alert(1)</script>\n\n\
             <img src=x onerror=alert(2)> [click](javascript:alert(3)) \
             <a href=\"JaVaScRiPt:alert(4)\">x</a> <iframe src=\"https://evil.example\"></iframe>\n\n\
             <p style=\"position:fixed\" onclick=\"alert(5)\">styled</p> <q>kept</q>",
        )
        .expect("renders");
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "JaVaScRiPt",
            "<iframe",
            "onclick",
            "style=",
        ] {
            assert!(!html.contains(bad), "{bad} survived: {html}");
        }
        assert!(html.contains("<q>kept</q>"), "{html}");
    }

    #[test]
    fn search_text_keeps_the_words_of_raw_html_apart() {
        let text = plain_text("<blockquote>Quoted words</blockquote>\n\nOne<br>two *three* `four`");
        for word in ["Quoted words", "One", "two", "three", "four"] {
            assert!(text.contains(word), "{word}: {text}");
        }
        assert!(!text.contains("Onetwo") && !text.contains('<'), "{text}");
    }

    #[test]
    fn control_characters_are_refused_even_as_escapes() {
        for (text, why) in [
            (POST.replace("Body", "Bo\u{c}dy"), "in the body"),
            (
                POST.replace("title = \"T\"", "title = \"T\\u000C\""),
                "as a TOML escape",
            ),
        ] {
            let error = format!("{:#}", parse_post(&text).expect_err(why));
            assert!(error.contains("U+000C"), "{why}: {error}");
        }
    }

    #[test]
    fn links_are_marked_and_plain_markdown_renders() {
        let html = render("A [link](https://example.org) and **bold**.").expect("renders");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
        assert!(html.contains("<strong>bold</strong>"), "{html}");
    }

    const POST: &str = "+++\ntitle = \"T\"\nslug = \"a-post\"\ndate = 2020-01-02\nsummary = \"S\"\ntags = [\"Human Rights\"]\n+++\n\nBody *text*.\n";

    #[test]
    fn a_post_file_becomes_a_post() {
        let post = parse_post(POST).expect("parses");
        assert_eq!(post.slug, "a-post");
        assert_eq!(post.published_on, "2020-01-02");
        assert_eq!(
            post.tags,
            [("human-rights".to_owned(), "Human Rights".to_owned())]
        );
        assert_eq!(post.body_html.trim(), "<p>Body <em>text</em>.</p>");
        assert!(!post.draft);
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        for (text, why) in [
            ("no front matter", "must start with"),
            ("+++\ntitle = \"T\"\n", "no closing"),
            (&POST.replace("a-post", "A Post"), "not a slug"),
            (&POST.replace("2020-01-02", "2020-01-02T10:00:00"), "must be a day"),
            (&POST.replace("summary", "colour = \"red\"\nsummary"), "front matter"),
            (
                &POST.replace("+++\n\n", "[[resources]]\nslug = \"x\"\nlabel = \"L\"\ntitle = \"T\"\nurl = \"javascript:alert(1)\"\n+++\n\n"),
                "must start with https",
            ),
            (
                &POST.replace("+++\n\n", "[[media]]\nhost = \"youtube\"\nreference = \"x\\\" onload=\\\"\"\ntitle = \"T\"\n+++\n\n"),
                "not a YouTube reference",
            ),
        ] {
            let error = format!("{:#}", parse_post(text).expect_err(why));
            assert!(error.contains(why), "{why}: {error}");
        }
    }

    #[test]
    fn raw_html_links_that_leave_the_site_are_refused_as_a_browser_reads_them() {
        for (body, why) in [
            ("<a href=\"/\\evil.example/phish\">x</a>", "a backslash"),
            (
                "<a href=\"/&#92;evil.example\">x</a>",
                "an entity for a backslash",
            ),
            (
                "<img src=\"//evil.example/a.png\">",
                "a scheme-relative image",
            ),
            (
                "<a href=\"/&Tab;/evil.example\">x</a>",
                "a tab browsers drop",
            ),
        ] {
            let error = format!("{:#}", render(body).expect_err(why));
            assert!(error.contains("links to"), "{why}: {error}");
        }
        let html = render("<a href=\"/news\">ok</a> <a href=\"#top\">ok</a>").expect("renders");
        assert!(
            html.contains("href=\"/news\"") && html.contains("href=\"#top\""),
            "{html}"
        );
    }

    #[test]
    fn days_outside_the_years_the_site_shows_are_refused() {
        for (date, why) in [
            ("0000-01-01", "year 0, which the site cannot read back"),
            ("1899-12-31", "before 1900"),
            ("2101-01-01", "after 2100"),
            ("2020-01-02T10:00:00Z", "a time"),
        ] {
            let text = POST.replace("2020-01-02", date);
            let error = format!("{:#}", parse_post(&text).expect_err(why));
            assert!(error.contains("its date"), "{why}: {error}");
        }
        let text = POST.replace("+++\n\n", "updated = 0000-01-01\n+++\n\n");
        let error = format!("{:#}", parse_post(&text).expect_err("updated"));
        assert!(error.contains("its updated 0000-01-01"), "{error}");
        for date in ["1900-01-01", "2100-12-31"] {
            parse_post(&POST.replace("2020-01-02", date)).expect(date);
        }
    }

    #[test]
    fn tag_names_make_slugs() {
        assert_eq!(tag_slug("Human Rights"), "human-rights");
        assert_eq!(tag_slug("  Cities & Migration "), "cities-migration");
    }
}
