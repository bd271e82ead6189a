use super::{media::Embed, PublishedDate};
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// The last part of a content URL (`/news/{slug}`): lower-case ASCII letters, digits and
/// single hyphens. Anything else cannot name content, so it is turned away before any query.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

/// The longest slug we accept; longer ones are certainly not ours.
const MAX_SLUG_LEN: usize = 120;

impl Slug {
    /// `None` when `s` cannot be a slug of ours.
    pub fn parse(s: &str) -> Option<Self> {
        let well_formed = !s.is_empty()
            && s.len() <= MAX_SLUG_LEN
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--")
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        well_formed.then(|| Self(s.to_owned()))
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value).ok_or("not a slug")
    }
}

impl From<Slug> for String {
    fn from(value: Slug) -> Self {
        value.0
    }
}

/// A subject posts are filed under ("Migration"), with its own listing and feed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub slug: Slug,
    pub name: String,
}

impl Tag {
    pub fn href(&self) -> String {
        format!("/news/tag/{}", self.slug.as_ref())
    }

    pub fn feed_href(&self) -> String {
        format!("/news/tag/{}/feed.xml", self.slug.as_ref())
    }
}

/// A post as a list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostSummary {
    pub slug: Slug,
    /// The language its title and summary are in.
    pub locale: Locale,
    pub title: String,
    pub summary: String,
    pub published_on: PublishedDate,
    pub tags: Vec<Tag>,
    /// The post's picture for its card: a path of this site only, since a picture from
    /// another site would tell that site who reads the list before anyone consented.
    pub image: Option<String>,
}

impl PostSummary {
    pub fn href(&self) -> String {
        format!("/news/{}", self.slug.as_ref())
    }
}

/// A whole post, as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub slug: Slug,
    /// The language its title, summary and text are in: the original's, or a translation's.
    pub locale: Locale,
    pub title: String,
    pub summary: String,
    pub published_on: PublishedDate,
    pub tags: Vec<Tag>,
    /// The day its words were last revised after publication, if they were.
    pub updated_on: Option<PublishedDate>,
    /// A picture for link previews: an absolute URL or a path of this site.
    pub image: Option<String>,
    /// Sanitised when it was stored; only trusted content ever reaches this column.
    pub body_html: String,
    /// Videos and maps from other sites, shown only with the visitor's consent.
    pub media: Vec<Embed>,
    pub resources: Vec<ResourceLink>,
    pub members: Vec<MemberSummary>,
}

impl Post {
    pub fn href(&self) -> String {
        format!("/news/{}", self.slug.as_ref())
    }

    /// The day the post last changed: its revision, or its publication.
    pub fn modified_on(&self) -> PublishedDate {
        self.updated_on
            .filter(|updated| *updated > self.published_on)
            .unwrap_or(self.published_on)
    }

    pub fn summary(&self) -> PostSummary {
        PostSummary {
            slug: self.slug.clone(),
            locale: self.locale,
            title: self.title.clone(),
            summary: self.summary.clone(),
            published_on: self.published_on,
            tags: self.tags.clone(),
            image: self
                .image
                .clone()
                .filter(|image| image.starts_with('/') && !image.starts_with("//")),
        }
    }
}

/// One page of a news listing (`/news?page=2`, `/news/tag/migration`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostPage {
    pub posts: Vec<PostSummary>,
    /// From 1.
    pub page: u32,
    /// At least 1: an empty listing is one empty page.
    pub pages: u32,
    /// The tag the listing is of, if any.
    pub tag: Option<Tag>,
}

impl PostPage {
    /// The listing's first page (`/news`, `/news/tag/x`): page 1 has no `?page=`.
    pub fn base_href(&self) -> String {
        self.tag
            .as_ref()
            .map_or_else(|| "/news".to_owned(), Tag::href)
    }

    /// The address of page `page` of this listing.
    pub fn href_of(&self, page: u32) -> String {
        let base = self.base_href();
        if page <= 1 {
            base
        } else {
            format!("{base}?page={page}")
        }
    }

    pub fn previous(&self) -> Option<String> {
        (self.page > 1).then(|| self.href_of(self.page - 1))
    }

    pub fn next(&self) -> Option<String> {
        (self.page < self.pages).then(|| self.href_of(self.page + 1))
    }
}

/// What `?page=` asked for, parsed: absent is page 1; anything but a positive whole number
/// is refused (the page answers 400) rather than guessed at.
pub fn parse_page_number(raw: Option<&str>) -> Option<u32> {
    match raw {
        None => Some(1),
        Some(text) => text.parse::<u32>().ok().filter(|page| *page >= 1),
    }
}

/// Where a post's resource link leads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkTarget {
    /// A page of this site (`/take-action`).
    Internal(String),
    /// Another site; shown as external.
    External(String),
    /// A document we do not have online yet: its own page says so honestly.
    NotOnlineYet(Slug),
}

/// A link listed under a post ("Read the Call to Action …").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceLink {
    pub label: String,
    pub target: LinkTarget,
}

impl ResourceLink {
    /// Classifies a stored link: an absolute http(s) URL is external, a path is ours, and a
    /// missing URL means the document is not online yet.
    pub fn new(label: String, slug: Slug, url: Option<String>) -> Self {
        let target = match url {
            Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                LinkTarget::External(url)
            }
            Some(path) if is_site_path(&path) => LinkTarget::Internal(path),
            _ => LinkTarget::NotOnlineYet(slug),
        };
        Self { label, target }
    }

    pub fn href(&self) -> String {
        match &self.target {
            LinkTarget::Internal(path) => path.clone(),
            LinkTarget::External(url) => url.clone(),
            LinkTarget::NotOnlineYet(slug) => format!("/resources/{}", slug.as_ref()),
        }
    }

    pub fn is_external(&self) -> bool {
        matches!(self.target, LinkTarget::External(_))
    }
}

/// A link a post may carry without a browser sending the reader elsewhere while it looks like
/// a path of this site: not `//host`, nor `/\host` (browsers read `\` as `/`), and nothing
/// with a backslash or control character (browsers drop tabs and line breaks, so `/<tab>/host`
/// is `//host` too). The import refuses other links; the renderer and the sanitiser use the
/// same test, so a row written by hand cannot become one.
pub fn is_safe_link(url: &str) -> bool {
    !url.contains('\\') && !url.chars().any(char::is_control) && !url.trim_start().starts_with("//")
}

/// A link of a post's front matter or workspace form (a resource's address, the image):
/// absolute http(s), or a path of this site that [`is_safe_link`] allows.
pub fn is_safe_front_matter_link(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/'))
        && is_safe_link(url)
}

/// The slug of a tag's name: "Human Rights" → `human-rights`.
pub fn tag_slug(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// A path of this site (`/take-action`) that [`is_safe_link`] allows.
fn is_site_path(path: &str) -> bool {
    path.starts_with('/') && is_safe_link(path)
}

/// A document a post links to that is not online yet: what it is and where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingDocument {
    pub slug: Slug,
    pub title: String,
    pub post: PostSummary,
}

impl PendingDocument {
    pub fn href(&self) -> String {
        format!("/resources/{}", self.slug.as_ref())
    }
}

/// A member as a post's "Related Members" lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MemberSummary {
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub slug: Slug,
    pub name: String,
    pub role: String,
}

impl MemberSummary {
    pub fn href(&self) -> String {
        format!("/members/{}", self.slug.as_ref())
    }
}

/// A member's own page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberProfile {
    pub member: MemberSummary,
    /// The language their role and bio are in: the original's, or a translation's.
    pub locale: Locale,
    pub bio: String,
    pub posts: Vec<PostSummary>,
}

/// A member as `/members` lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberListing {
    pub member: MemberSummary,
    /// The language their role is in.
    pub locale: Locale,
    /// How many published posts name them.
    pub posts: usize,
}

/// Part of a search result's text: a run of words, marked when they match the query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    pub text: String,
    pub matched: bool,
}

/// A post that matches a search, with its title and an excerpt, matches marked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub post: PostSummary,
    pub title: Vec<Fragment>,
    pub excerpt: Vec<Fragment>,
}

/// The most characters of a search that count; the search box allows as many.
pub const MAX_SEARCH_CHARS: usize = 200;

/// The answer to `/search?q=`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The words searched for, as the search box should show them again.
    pub query: String,
    /// Whether part of a long query was left out (only the first words count).
    pub shortened: bool,
    /// Whether the search was stopped at its time limit: then no posts are listed, and the
    /// reader is asked for other words rather than shown an error.
    pub timed_out: bool,
    pub hits: Vec<SearchHit>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_of_our_urls_parse() {
        for s in ["wim-kok", "a", "cities-of-migration-2010", "x1"] {
            assert!(Slug::parse(s).is_some(), "{s:?} should be a slug");
        }
    }

    #[test]
    fn anything_else_is_not_a_slug() {
        for (s, why) in [
            ("", "empty"),
            ("Wim-Kok", "upper case"),
            ("wim kok", "space"),
            ("-wim", "leading hyphen"),
            ("wim-", "trailing hyphen"),
            ("wim--kok", "double hyphen"),
            ("../etc", "path"),
            ("wim%20kok", "escaped"),
            ("wím", "non-ASCII"),
            ("' OR 1=1 --", "SQL"),
        ] {
            assert!(Slug::parse(s).is_none(), "{why}: {s:?}");
        }
        assert!(
            Slug::parse(&"a".repeat(MAX_SLUG_LEN + 1)).is_none(),
            "too long"
        );
    }

    fn slug(s: &str) -> Slug {
        Slug::parse(s).expect("test slug")
    }

    #[test]
    fn resource_links_are_classified_by_their_url() {
        let external = ResourceLink::new(
            "Access Cities of Migration website".into(),
            slug("cities-of-migration"),
            Some("https://citiesofmigration.ca/".into()),
        );
        assert!(external.is_external());
        assert_eq!(external.href(), "https://citiesofmigration.ca/");

        let internal = ResourceLink::new("Call".into(), slug("call"), Some("/take-action".into()));
        assert!(!internal.is_external());
        assert_eq!(internal.href(), "/take-action");

        let missing = ResourceLink::new("Speech".into(), slug("wim-kok-intervention"), None);
        assert_eq!(missing.href(), "/resources/wim-kok-intervention");
    }

    #[test]
    fn odd_stored_urls_never_become_links_elsewhere() {
        for url in [
            "javascript:alert(1)",
            "//evil.example/",
            "/\\evil.example/phish",
            "/\t/evil.example",
            "data:text/html,x",
            "relative",
        ] {
            let link = ResourceLink::new("x".into(), slug("x"), Some(url.into()));
            assert_eq!(link.target, LinkTarget::NotOnlineYet(slug("x")), "{url}");
        }
    }
}
