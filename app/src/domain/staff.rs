//! The staff workspace's people and what they may do: roles, the rights they carry, and the
//! forms that log in and set a password.

use super::{
    email::{EmailAddress, EmailProblem},
    form::{Choice, FieldCode},
    Line, LineProblem, PublishedDate, Slug, MAX_EMAIL,
};
use crate::domain::language::Locale;
use serde::{Deserialize, Serialize};

/// What a staff member does for the organisation, which decides what the workspace lets them
/// reach. Checked on the server for every page and every staff server function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Posts, members, tags and media.
    Editor,
    /// Signatures, pledges and their exports.
    Fundraiser,
    /// Everything, staff accounts and the audit trail included.
    Admin,
}

/// A part of the workspace, reached by the roles that hold the right to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Right {
    /// The workspace's home: every role.
    Workspace,
    Content,
    Supporters,
    /// Staff accounts and the audit trail.
    Administration,
}

impl Role {
    pub const ALL: [Self; 3] = [Self::Editor, Self::Fundraiser, Self::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Editor => "editor",
            Self::Fundraiser => "fundraiser",
            Self::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == text)
    }

    /// Whether this role reaches `right`.
    pub fn may(self, right: Right) -> bool {
        matches!(
            (self, right),
            (Self::Admin, _)
                | (_, Right::Workspace)
                | (Self::Editor, Right::Content)
                | (Self::Fundraiser, Right::Supporters)
        )
    }
}

/// Who is logged in, as pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub role: Role,
}

/// One entry of the audit trail, as admins read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// UTC, ISO 8601 to the millisecond.
    pub at: String,
    /// The staff member's address, or who else acted (the command line).
    pub actor: String,
    /// What was done: `login`, `login.failed`, `pledge.received`, …
    pub action: String,
    /// What it was done to: an address, a pledge's reference, a post's slug.
    pub object: String,
    pub detail: String,
}

/// A pledge as the fundraisers' list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffPledge {
    pub reference: String,
    /// As the site writes amounts: `€25`.
    pub amount: String,
    /// `once` or `monthly`.
    pub frequency: String,
    /// `pledged`, `received` or `cancelled`.
    pub status: String,
    pub donor_name: String,
    pub donor_email: String,
    /// When it was made, UTC, ISO 8601.
    pub pledged_at: String,
    /// How the money arrived (one of [`RECEIPT_METHODS`], or a provider's name).
    pub received_via: Option<String>,
    /// The day it arrived, `YYYY-MM-DD`.
    pub received_on: Option<String>,
}

/// A post in the editors' list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffPost {
    pub slug: String,
    pub title: String,
    pub published_on: String,
    /// `published` or `draft`.
    pub status: String,
    /// Written or edited in the workspace (its file, if any, is no longer imported).
    pub from_workspace: bool,
}

/// Which signatures the supporters' list shows: words in the name, address or organisation,
/// and a status (`pending`, `confirmed`; empty for both). The same filter makes the CSV.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignatureFilter {
    pub text: String,
    pub status: String,
}

impl SignatureFilter {
    /// The status asked for, if it is one.
    pub fn status(&self) -> Option<&'static str> {
        ["pending", "confirmed"]
            .into_iter()
            .find(|status| *status == self.status)
    }

    /// The words asked for, trimmed; `None` for none.
    pub fn text(&self) -> Option<String> {
        filter_words(&self.text)
    }

    /// The query string that asks for this filter again (`text=…&status=…`).
    pub fn query(&self) -> String {
        format!(
            "text={}&status={}",
            query_value(&self.text),
            self.status().unwrap_or_default()
        )
    }
}

/// The words of a list's search box, trimmed and capped; `None` for none.
fn filter_words(text: &str) -> Option<String> {
    let text: String = text.trim().chars().take(100).collect();
    (!text.is_empty()).then_some(text)
}

fn query_value(text: &str) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    utf8_percent_encode(text.trim(), NON_ALPHANUMERIC).to_string()
}

/// What the fundraisers' list of pledges shows: words found in the reference, the donor's
/// name or address; a status; a frequency (each empty for any). The same filter makes the
/// CSV and the totals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PledgeFilter {
    pub text: String,
    pub status: String,
    pub frequency: String,
}

impl PledgeFilter {
    pub fn status(&self) -> Option<&'static str> {
        ["pledged", "received", "cancelled"]
            .into_iter()
            .find(|status| *status == self.status)
    }

    pub fn frequency(&self) -> Option<&'static str> {
        ["once", "monthly"]
            .into_iter()
            .find(|frequency| *frequency == self.frequency)
    }

    pub fn text(&self) -> Option<String> {
        filter_words(&self.text)
    }

    /// The query string that asks for this filter again.
    pub fn query(&self) -> String {
        format!(
            "text={}&status={}&frequency={}",
            query_value(&self.text),
            self.status().unwrap_or_default(),
            self.frequency().unwrap_or_default()
        )
    }
}

/// The pledges of one month (by the day they were made) in one currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthTotal {
    /// `2026-12`.
    pub month: String,
    pub currency: String,
    pub pledges: i64,
    /// Minor units (cents) of the pledges not cancelled.
    pub promised: i64,
    /// Minor units of the pledges received.
    pub received: i64,
}

/// The fundraisers' list: the pledges found (the newest first, at most a page) and the
/// totals of every one the filter finds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PledgePage {
    pub pledges: Vec<StaffPledge>,
    pub total: i64,
    pub months: Vec<MonthTotal>,
}

/// The form that records a pledge's money arrived: the pledge, and today (the form's
/// default day), `YYYY-MM-DD`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptPage {
    pub pledge: StaffPledge,
    pub today: String,
}

/// How a pledge's money can arrive, as staff record it: `(value, label)`.
pub const RECEIPT_METHODS: [(&str, &str); 5] = [
    ("bank-transfer", "Bank transfer"),
    ("card", "Card"),
    ("cash", "Cash"),
    ("cheque", "Cheque"),
    ("other", "Other"),
];

/// A fundraiser's record that a pledge's money arrived, as sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReceiptForm {
    pub reference: String,
    /// `YYYY-MM-DD`.
    pub received_on: String,
    pub via: String,
}

/// What can be wrong with a receipt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptError {
    Date,
    /// After today.
    DateAhead,
    /// Before the pledge was made.
    DateBefore,
    Via(Choice),
}

impl FieldCode for ReceiptError {
    type Context = ();

    fn field(&self) -> &'static str {
        match self {
            Self::Date | Self::DateAhead | Self::DateBefore => "received_on",
            Self::Via(_) => "via",
        }
    }

    fn message(&self, (): &(), _english_only: Locale) -> String {
        match self {
            Self::Date => "Enter the day the money arrived as year-month-day, e.g. 2026-12-04.",
            Self::DateAhead => "The day the money arrived cannot be after today.",
            Self::DateBefore => "The money cannot have arrived before the pledge was made.",
            Self::Via(_) => "Choose how the money arrived.",
        }
        .to_owned()
    }
}

/// A receipt that parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub received_on: PublishedDate,
    pub via: &'static str,
}

impl ReceiptForm {
    /// `today` is the server's (UTC).
    ///
    /// # Errors
    /// Every field that is wrong.
    pub fn parse(&self, today: PublishedDate) -> Result<Receipt, Vec<ReceiptError>> {
        let mut errors = Vec::new();
        let received_on = match PublishedDate::parse(self.received_on.trim()) {
            Ok(day) if day > today => {
                errors.push(ReceiptError::DateAhead);
                None
            }
            Ok(day) => Some(day),
            Err(_) => {
                errors.push(ReceiptError::Date);
                None
            }
        };
        let via = RECEIPT_METHODS
            .iter()
            .find(|(value, _)| *value == self.via)
            .map(|(value, _)| *value);
        if via.is_none() {
            errors.push(ReceiptError::Via(if self.via.is_empty() {
                Choice::Missing
            } else {
                Choice::Unknown
            }));
        }
        match (received_on, via) {
            (Some(received_on), Some(via)) => Ok(Receipt { received_on, via }),
            _ => Err(errors),
        }
    }
}

/// A signature in the supporters' list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSignature {
    pub id: i64,
    pub status: String,
    pub full_name: String,
    pub email: String,
    pub kind: String,
    pub organisation: Option<String>,
    pub country: String,
    /// The language they signed in (`en`, `es`).
    pub lang: String,
    /// UTC, ISO 8601.
    pub created_at: String,
}

/// One page of the supporters' list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignaturePage {
    pub signatures: Vec<StaffSignature>,
    /// How many match the filter in all.
    pub total: i64,
    /// From 1.
    pub page: i64,
}

/// Signatures a page of the supporters' list shows.
pub const SIGNATURES_PER_PAGE: i64 = 50;

/// Everything the site keeps about one supporter (by address): what staff see before erasing
/// it, and what a subject access request is answered with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupporterData {
    pub email: String,
    pub signatures: Vec<StaffSignature>,
    pub pledges: Vec<StaffPledge>,
    /// Mail queued for them and not yet sent.
    pub queued_mail: i64,
}

/// A staff account as admins see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccount {
    pub id: i64,
    pub email: String,
    pub role: Role,
    /// Invited: no password set yet.
    pub invited: bool,
    pub disabled: bool,
}

/// An admin's invitation of a new staff member, as sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InviteForm {
    pub email: String,
    pub role: String,
}

/// What can be wrong with an invitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InviteError {
    Email(EmailProblem),
    Role(Choice),
    /// An account has this address already.
    Exists,
}

impl FieldCode for InviteError {
    type Context = ();

    fn field(&self) -> &'static str {
        match self {
            Self::Email(_) | Self::Exists => "email",
            Self::Role(_) => "role",
        }
    }

    fn message(&self, (): &(), _english_only: Locale) -> String {
        match self {
            Self::Email(problem) => problem.message(Locale::en_GB),
            Self::Role(_) => "Choose a role: editor, fundraiser or admin.".to_owned(),
            Self::Exists => "This address has an account already: change its role below, or \
                             give it a new password link."
                .to_owned(),
        }
    }
}

impl InviteForm {
    /// # Errors
    /// Every field that is wrong.
    pub fn parse(&self) -> Result<(EmailAddress, Role), Vec<InviteError>> {
        let mut errors = Vec::new();
        let email = EmailAddress::parse(&self.email)
            .map_err(|problem| errors.push(InviteError::Email(problem)))
            .ok();
        let role = if self.role.is_empty() {
            errors.push(InviteError::Role(Choice::Missing));
            None
        } else {
            let role = Role::parse(&self.role);
            if role.is_none() {
                errors.push(InviteError::Role(Choice::Unknown));
            }
            role
        };
        match (email, role) {
            (Some(email), Some(role)) => Ok((email, role)),
            _ => Err(errors),
        }
    }
}

/// What a post was before one of its saves in the workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostRevision {
    pub id: i64,
    /// When the save that replaced it happened, UTC, ISO 8601.
    pub saved_at: String,
    pub saved_by: String,
    pub title: String,
    pub status: String,
}

/// One earlier version of a post, whole, as the editor shows it before putting it back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionView {
    pub revision: PostRevision,
    pub summary: String,
    /// `YYYY-MM-DD`.
    pub published_on: String,
    /// The Markdown as it was.
    pub body: String,
    /// That Markdown rendered and sanitised by the server now, as a save would.
    pub body_html: String,
}

/// A post as the workspace's editor sends it. Every field defaults to empty so that a missing
/// one becomes a message next to it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PostForm {
    /// The slug the post had when the form was opened; empty for a new post.
    pub editing: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// The day it is dated (`2026-12-04`).
    pub date: String,
    /// Markdown, rendered and sanitised by the server as the content import does.
    pub body: String,
    /// Tag names, separated by commas (`Migration, Cities`).
    pub tags: String,
    /// Addresses (slugs) of the members the post names, separated by commas.
    pub members: String,
    /// The day the text was revised after it was published, if it was.
    pub updated: String,
    /// The picture that stands for the post in lists and link previews: a path of the site
    /// (`/media/…`) or an http(s) address.
    pub image: String,
    /// Links listed under the post, one a line: `label | title | address`, the address left
    /// out for a document not online yet.
    pub links: String,
    /// Videos and maps, one a line: `host | reference | title` (`youtube`, `vimeo`,
    /// `openstreetmap`).
    pub media: String,
    /// Checkbox: present to publish, absent to keep it a draft.
    pub publish: Option<String>,
}

/// The most links and media a post has.
pub const MAX_LINES: usize = 20;
/// The longest links or media field.
pub const MAX_LINES_FIELD: usize = 20 * 600;

/// A link under a post, as the editor's field gives it: its slug comes from its title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkLine {
    pub slug: String,
    pub label: String,
    pub title: String,
    pub url: Option<String>,
}

/// The most tags a post has, and the longest tag name.
pub const MAX_TAGS: usize = 10;
pub const MAX_TAG: usize = 40;
/// The longest image address.
pub const MAX_IMAGE: usize = 500;

pub const MAX_POST_TITLE: usize = 200;
pub const MAX_POST_SUMMARY: usize = 400;
/// As the content import: a body of 1 MB at most.
pub const MAX_POST_BODY: usize = 1 << 20;
const POST_TITLE: Line = Line::new(|_| "a title", MAX_POST_TITLE);
const POST_SUMMARY: Line = Line::new(|_| "a summary", MAX_POST_SUMMARY);

/// What can be wrong with a post sent from the workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostError {
    Slug,
    /// Another post has this slug (a new post, or a renamed one).
    SlugTaken,
    Title(LineProblem),
    Summary(LineProblem),
    Date,
    BodyEmpty,
    BodyTooLong,
    /// The body holds what the site refuses to store (a link that would leave it while
    /// looking like one of its pages, markup nested too deep).
    BodyRefused,
    /// Too many tags, one too long, or one without a letter or digit.
    Tags,
    /// A member's address that is not one, or of no member the site has.
    Members,
    /// Not a day, or before the post's date.
    Updated,
    Image,
    /// A link line without a label and title, with an unsafe address, or too many.
    Links,
    /// Another post has a link of this title (links have addresses of their own).
    LinkTaken,
    /// A media line with an unknown host, a reference that is not the host's, or no title.
    Media,
}

impl FieldCode for PostError {
    type Context = ();

    fn field(&self) -> &'static str {
        match self {
            Self::Slug | Self::SlugTaken => "slug",
            Self::Title(_) => "title",
            Self::Summary(_) => "summary",
            Self::Date => "date",
            Self::BodyEmpty | Self::BodyTooLong | Self::BodyRefused => "body",
            Self::Tags => "tags",
            Self::Members => "members",
            Self::Updated => "updated",
            Self::Image => "image",
            Self::Links | Self::LinkTaken => "links",
            Self::Media => "media",
        }
    }

    fn message(&self, (): &(), _english_only: Locale) -> String {
        match *self {
            Self::Slug => "Enter the address's last part in lower-case letters, digits and \
                           single hyphens, e.g. cities-of-migration-2026."
                .to_owned(),
            Self::SlugTaken => "Another post has this address. Choose another.".to_owned(),
            Self::Title(problem) => POST_TITLE.message(problem, Locale::en_GB),
            Self::Summary(problem) => POST_SUMMARY.message(problem, Locale::en_GB),
            Self::Date => "Enter the date as year-month-day, e.g. 2026-12-04.".to_owned(),
            Self::BodyEmpty => "Write the text of the post.".to_owned(),
            Self::BodyTooLong => "The text is over 1 MB: split it into several posts.".to_owned(),
            Self::BodyRefused => "The text holds a link the site cannot show (one that would \
                                  leave the site while looking like one of its pages) or \
                                  markup nested too deep. Remove it and save again."
                .to_owned(),
            Self::Tags => format!(
                "Enter at most {MAX_TAGS} tags separated by commas, each with a letter or \
                 digit and at most {MAX_TAG} characters."
            ),
            Self::Members => "Enter the addresses of members the site has, separated by \
                              commas, e.g. wim-kok."
                .to_owned(),
            Self::Updated => "Enter the day of the revision as year-month-day, not before the \
                              post's date, or leave it empty."
                .to_owned(),
            Self::Image => "Enter a path of the site (/media/…) or an address starting with \
                            https://, or leave it empty."
                .to_owned(),
            Self::Links => format!(
                "Write at most {MAX_LINES} links, one a line: label | title | address (a path \
                 of the site or https://…; leave it out for a document not online yet)."
            ),
            Self::LinkTaken => "Another post has a link with one of these titles: give this \
                                one another title."
                .to_owned(),
            Self::Media => format!(
                "Write at most {MAX_LINES} videos or maps, one a line: youtube, vimeo or \
                 openstreetmap | the reference the host gives | a title."
            ),
        }
    }
}

/// A post from the workspace that parsed: the body still to render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostDraft {
    /// The post's slug before this save, if it is an edit.
    pub editing: Option<Slug>,
    pub slug: Slug,
    pub title: String,
    pub summary: String,
    pub date: PublishedDate,
    pub body: String,
    pub publish: bool,
    /// (slug, name) of each tag, in the form's order.
    pub tags: Vec<(String, String)>,
    pub members: Vec<Slug>,
    pub updated: Option<PublishedDate>,
    pub image: Option<String>,
    pub links: Vec<LinkLine>,
    /// (host, reference, title) of each video or map.
    pub media: Vec<(String, String, String)>,
}

/// The `|`-separated parts of each line of `text` that is not blank, trimmed.
fn lines_of_parts(text: &str) -> Vec<Vec<&str>> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.split('|').map(str::trim).collect())
        .collect()
}

fn parse_links(text: &str) -> Option<Vec<LinkLine>> {
    let lines = lines_of_parts(text);
    if lines.len() > MAX_LINES {
        return None;
    }
    let mut links: Vec<LinkLine> = Vec::new();
    for parts in lines {
        let (label, title, url) = match parts.as_slice() {
            [label, title] => (*label, *title, None),
            [label, title, ""] => (*label, *title, None),
            [label, title, url] => (*label, *title, Some(*url)),
            _ => return None,
        };
        let slug = super::tag_slug(title);
        let clean = |text: &str| !text.is_empty() && !text.chars().any(char::is_control);
        if !clean(label)
            || !clean(title)
            || slug.is_empty()
            || url.is_some_and(|url| !super::is_safe_front_matter_link(url))
            || links.iter().any(|link| link.slug == slug)
        {
            return None;
        }
        links.push(LinkLine {
            slug,
            label: label.to_owned(),
            title: title.to_owned(),
            url: url.map(str::to_owned),
        });
    }
    Some(links)
}

fn parse_media(text: &str) -> Option<Vec<(String, String, String)>> {
    use super::media::{Embed, MediaHost};
    let lines = lines_of_parts(text);
    if lines.len() > MAX_LINES {
        return None;
    }
    lines
        .into_iter()
        .map(|parts| match parts.as_slice() {
            [host, reference, title] if !title.chars().any(char::is_control) => {
                let kind = MediaHost::parse(&host.to_lowercase())?;
                Embed::new(kind, reference, (*title).to_owned())?;
                Some((
                    host.to_lowercase(),
                    (*reference).to_owned(),
                    (*title).to_owned(),
                ))
            }
            _ => None,
        })
        .collect()
}

/// The parts of a list separated by commas, trimmed, empty ones left out.
fn comma_list(text: &str) -> impl Iterator<Item = &str> {
    text.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
}

impl PostForm {
    /// # Errors
    /// Every field that is wrong.
    pub fn parse(&self) -> Result<PostDraft, Vec<PostError>> {
        let mut errors = Vec::new();
        let slug = Slug::parse(self.slug.trim());
        if slug.is_none() {
            errors.push(PostError::Slug);
        }
        let title = POST_TITLE
            .parse(&self.title)
            .map_err(|problem| errors.push(PostError::Title(problem)))
            .ok();
        let summary = POST_SUMMARY
            .parse(&self.summary)
            .map_err(|problem| errors.push(PostError::Summary(problem)))
            .ok();
        let date = PublishedDate::parse(self.date.trim())
            .map_err(|_| errors.push(PostError::Date))
            .ok();
        if self.body.trim().is_empty() {
            errors.push(PostError::BodyEmpty);
        } else if self.body.len() > MAX_POST_BODY {
            errors.push(PostError::BodyTooLong);
        }
        let mut tags: Vec<(String, String)> = Vec::new();
        for name in comma_list(&self.tags) {
            let slug = super::tag_slug(name);
            if slug.is_empty()
                || name.chars().count() > MAX_TAG
                || name.chars().any(char::is_control)
            {
                errors.push(PostError::Tags);
                break;
            }
            if !tags.iter().any(|(known, _)| *known == slug) {
                tags.push((slug, name.to_owned()));
            }
        }
        if tags.len() > MAX_TAGS && !errors.contains(&PostError::Tags) {
            errors.push(PostError::Tags);
        }
        let mut members = Vec::new();
        for member in comma_list(&self.members) {
            match Slug::parse(member) {
                Some(slug) if !members.contains(&slug) => members.push(slug),
                Some(_) => {}
                None => {
                    errors.push(PostError::Members);
                    break;
                }
            }
        }
        let updated = match self.updated.trim() {
            "" => None,
            day => match PublishedDate::parse(day) {
                Ok(day) if date.is_none_or(|date| day >= date) => Some(day),
                _ => {
                    errors.push(PostError::Updated);
                    None
                }
            },
        };
        let image = match self.image.trim() {
            "" => None,
            image if image.len() <= MAX_IMAGE && super::is_safe_front_matter_link(image) => {
                Some(image.to_owned())
            }
            _ => {
                errors.push(PostError::Image);
                None
            }
        };
        let links = parse_links(&self.links);
        if links.is_none() {
            errors.push(PostError::Links);
        }
        let media = parse_media(&self.media);
        if media.is_none() {
            errors.push(PostError::Media);
        }
        match (slug, title, summary, date) {
            (Some(slug), Some(title), Some(summary), Some(date)) if errors.is_empty() => {
                Ok(PostDraft {
                    editing: Slug::parse(&self.editing),
                    slug,
                    title,
                    summary,
                    date,
                    body: self.body.replace("\r\n", "\n"),
                    publish: self.publish.is_some(),
                    tags,
                    members,
                    updated,
                    image,
                    links: links.unwrap_or_default(),
                    media: media.unwrap_or_default(),
                })
            }
            _ => Err(errors),
        }
    }
}

/// A member in the editors' list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMemberListing {
    pub slug: String,
    pub name: String,
    pub role: String,
    /// Written or edited in the workspace (its file, if any, is no longer imported).
    pub from_workspace: bool,
}

/// What a member was before one of its saves in the workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRevision {
    pub id: i64,
    /// When the save that replaced it happened, UTC, ISO 8601.
    pub saved_at: String,
    pub saved_by: String,
    pub name: String,
    pub role: String,
    pub bio: String,
}

/// A member as the workspace's editor sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberForm {
    /// The slug the member had when the form was opened; empty for a new member.
    pub editing: String,
    pub slug: String,
    pub name: String,
    /// What the member is known for, as lists show it under the name.
    pub role: String,
    /// Plain text; a blank line starts a new paragraph.
    pub bio: String,
}

pub const MAX_MEMBER_NAME: usize = 100;
pub const MAX_MEMBER_ROLE: usize = 200;
pub const MAX_MEMBER_BIO: usize = 20_000;
const MEMBER_NAME: Line = Line::new(|_| "the name", MAX_MEMBER_NAME);
const MEMBER_ROLE: Line = Line::new(|_| "what they are known for", MAX_MEMBER_ROLE);

/// What can be wrong with a member sent from the workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberError {
    Slug,
    SlugTaken,
    Name(LineProblem),
    Role(LineProblem),
    BioTooLong,
}

impl FieldCode for MemberError {
    type Context = ();

    fn field(&self) -> &'static str {
        match self {
            Self::Slug | Self::SlugTaken => "slug",
            Self::Name(_) => "name",
            Self::Role(_) => "role",
            Self::BioTooLong => "bio",
        }
    }

    fn message(&self, (): &(), _english_only: Locale) -> String {
        match *self {
            Self::Slug => "Enter the address's last part in lower-case letters, digits and \
                           single hyphens, e.g. wim-kok."
                .to_owned(),
            Self::SlugTaken => "Another member has this address. Choose another.".to_owned(),
            Self::Name(problem) => MEMBER_NAME.message(problem, Locale::en_GB),
            Self::Role(problem) => MEMBER_ROLE.message(problem, Locale::en_GB),
            Self::BioTooLong => {
                format!("The text is over {MAX_MEMBER_BIO} characters: shorten it.")
            }
        }
    }
}

/// A member from the workspace that parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberDraft {
    pub editing: Option<Slug>,
    pub slug: Slug,
    pub name: String,
    pub role: String,
    pub bio: String,
}

impl MemberForm {
    /// # Errors
    /// Every field that is wrong.
    pub fn parse(&self) -> Result<MemberDraft, Vec<MemberError>> {
        let mut errors = Vec::new();
        let slug = Slug::parse(self.slug.trim());
        if slug.is_none() {
            errors.push(MemberError::Slug);
        }
        let name = MEMBER_NAME
            .parse(&self.name)
            .map_err(|problem| errors.push(MemberError::Name(problem)))
            .ok();
        let role = MEMBER_ROLE
            .parse(&self.role)
            .map_err(|problem| errors.push(MemberError::Role(problem)))
            .ok();
        let bio = self.bio.replace("\r\n", "\n").trim().to_owned();
        if bio.chars().count() > MAX_MEMBER_BIO {
            errors.push(MemberError::BioTooLong);
        }
        match (slug, name, role) {
            (Some(slug), Some(name), Some(role)) if errors.is_empty() => Ok(MemberDraft {
                editing: Slug::parse(&self.editing),
                slug,
                name,
                role,
                bio,
            }),
            _ => Err(errors),
        }
    }
}

/// The shortest password the workspace takes. Length is what makes a password hard to guess
/// (NIST SP 800-63B); no rules about kinds of characters, which only make passwords worse.
pub const MIN_PASSWORD: usize = 12;
/// The longest, in characters: a passphrase fits, a request made to tie up Argon2 does not.
pub const MAX_PASSWORD: usize = 200;

/// The "forgot password" form as sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForgotForm {
    pub email: String,
}

/// What can be wrong with a "forgot password" request: only the address's shape, since the
/// answer never says whether it has an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForgotError {
    Email(EmailProblem),
}

impl FieldCode for ForgotError {
    type Context = ();

    fn field(&self) -> &'static str {
        "email"
    }

    fn message(&self, (): &(), _english_only: Locale) -> String {
        match self {
            Self::Email(problem) => problem.message(Locale::en_GB),
        }
    }
}

impl ForgotForm {
    /// # Errors
    /// The address's problem.
    pub fn parse(&self) -> Result<EmailAddress, Vec<ForgotError>> {
        EmailAddress::parse(&self.email).map_err(|problem| vec![ForgotError::Email(problem)])
    }
}

/// The login form as sent. Every field defaults to empty so that a missing one becomes a
/// message next to it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
}

/// What can be wrong with a login.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginError {
    Email(EmailProblem),
    /// No password typed.
    PasswordMissing,
    /// The address and password do not belong together (or there is no such account: the
    /// answer is the same, so the form tells no one who has an account).
    Refused,
    /// Too many failed attempts for this account or from this client: wait.
    TooManyAttempts,
}

impl FieldCode for LoginError {
    type Context = ();

    fn field(&self) -> &'static str {
        match self {
            Self::Email(_) => "email",
            Self::PasswordMissing | Self::Refused | Self::TooManyAttempts => "password",
        }
    }

    fn message(&self, (): &(), _english_only: Locale) -> String {
        match self {
            Self::Email(problem) => problem.message(Locale::en_GB),
            Self::PasswordMissing => "Enter your password.".to_owned(),
            Self::Refused => "That email address and password do not match an account. \
                              Check them and try again."
                .to_owned(),
            Self::TooManyAttempts => format!(
                "Too many attempts to log in. Wait {} minutes, then try again, or ask an \
                 admin for a link to set a new password.",
                LOGIN_WINDOW_MINUTES
            ),
        }
    }
}

/// Failed attempts an account (or a client) may make within [`LOGIN_WINDOW_MINUTES`].
pub const LOGIN_ATTEMPTS: i64 = 5;
pub const LOGIN_WINDOW_MINUTES: i64 = 15;

/// A login that parsed: an address and a password to check.
pub struct Login {
    pub email: EmailAddress,
    pub password: String,
}

impl LoginForm {
    /// # Errors
    /// Every field that is wrong.
    pub fn parse(&self) -> Result<Login, Vec<LoginError>> {
        let mut errors = Vec::new();
        let email = EmailAddress::parse(&self.email)
            .map_err(|problem| errors.push(LoginError::Email(problem)))
            .ok();
        if self.password.is_empty() {
            errors.push(LoginError::PasswordMissing);
        }
        match email {
            Some(email) if errors.is_empty() => Ok(Login {
                email,
                password: self.password.clone(),
            }),
            _ => Err(errors),
        }
    }

    /// What is sent back to the form after a failed login: the address, never the password.
    pub fn for_echo(self) -> Self {
        Self {
            email: self.email.chars().take(MAX_EMAIL).collect(),
            password: String::new(),
        }
    }
}

/// The form behind a single-use link that sets a password (an invitation or a reset).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    /// The link's token, in a hidden field.
    pub token: String,
    pub password: String,
    pub confirm: String,
}

/// What can be wrong with a new password.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordError {
    TooShort,
    TooLong,
    /// The two copies differ.
    Mismatch,
    /// The link is unknown, used or expired.
    LinkUnusable,
}

impl FieldCode for PasswordError {
    type Context = ();

    fn field(&self) -> &'static str {
        match self {
            Self::TooShort | Self::TooLong => "password",
            Self::Mismatch => "confirm",
            Self::LinkUnusable => "token",
        }
    }

    fn message(&self, (): &(), _english_only: Locale) -> String {
        match self {
            Self::TooShort => format!(
                "Choose a password of at least {MIN_PASSWORD} characters. A few words \
                 together make a good one."
            ),
            Self::TooLong => {
                format!("Choose a password of {MAX_PASSWORD} characters or fewer.")
            }
            Self::Mismatch => "The two passwords differ. Type the same one twice.".to_owned(),
            Self::LinkUnusable => "This link has been used or has expired. Ask an admin for \
                                   a new one."
                .to_owned(),
        }
    }
}

impl PasswordForm {
    /// The new password, if it may be used.
    ///
    /// # Errors
    /// Every field that is wrong.
    pub fn parse(&self) -> Result<String, Vec<PasswordError>> {
        let length = self.password.chars().count();
        let mut errors = Vec::new();
        if length < MIN_PASSWORD {
            errors.push(PasswordError::TooShort);
        } else if length > MAX_PASSWORD {
            errors.push(PasswordError::TooLong);
        } else if self.password != self.confirm {
            errors.push(PasswordError::Mismatch);
        }
        if errors.is_empty() {
            Ok(self.password.clone())
        } else {
            Err(errors)
        }
    }

    /// Sent back after a failed post: the token (to post again), never a password.
    pub fn for_echo(self) -> Self {
        Self {
            token: self.token.chars().take(64).collect(),
            password: String::new(),
            confirm: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receipt_is_a_day_up_to_today_and_a_known_way() {
        let today = PublishedDate::parse("2026-12-04").expect("a date");
        let form = |day: &str, via: &str| ReceiptForm {
            reference: "SS-0000-0000".into(),
            received_on: day.into(),
            via: via.into(),
        };
        assert_eq!(
            form(" 2026-12-04 ", "cash").parse(today),
            Ok(Receipt {
                received_on: today,
                via: "cash"
            })
        );
        assert_eq!(
            form("2026-12-05", "").parse(today),
            Err(vec![
                ReceiptError::DateAhead,
                ReceiptError::Via(Choice::Missing)
            ])
        );
        assert_eq!(
            form("4/12/2026", "paypal").parse(today),
            Err(vec![ReceiptError::Date, ReceiptError::Via(Choice::Unknown)])
        );
    }

    #[test]
    fn each_role_reaches_its_own_part_and_only_admins_reach_everything() {
        assert!(Role::Editor.may(Right::Content));
        assert!(!Role::Editor.may(Right::Supporters));
        assert!(!Role::Editor.may(Right::Administration));
        assert!(Role::Fundraiser.may(Right::Supporters));
        assert!(!Role::Fundraiser.may(Right::Content));
        assert!(Role::ALL.into_iter().all(|role| role.may(Right::Workspace)));
        assert!(Role::Admin.may(Right::Administration));
        assert_eq!(Role::parse("fundraiser"), Some(Role::Fundraiser));
        assert_eq!(Role::parse("Admin"), None);
    }

    #[test]
    fn a_password_is_long_enough_typed_twice_alike() {
        let form = |password: &str, confirm: &str| PasswordForm {
            token: String::new(),
            password: password.to_owned(),
            confirm: confirm.to_owned(),
        };
        assert_eq!(
            form("short", "short").parse(),
            Err(vec![PasswordError::TooShort])
        );
        assert_eq!(
            form("correct horse battery", "correct horse batterY").parse(),
            Err(vec![PasswordError::Mismatch])
        );
        let long = "ñ".repeat(MAX_PASSWORD + 1);
        assert_eq!(
            form(&long, &long).parse(),
            Err(vec![PasswordError::TooLong])
        );
        // Twelve characters, not twelve bytes.
        let twelve = "ñ".repeat(MIN_PASSWORD);
        assert_eq!(form(&twelve, &twelve).parse(), Ok(twelve));
    }

    #[test]
    fn a_login_needs_an_address_and_a_password_and_echoes_no_password() {
        let form = LoginForm {
            email: "not an address".to_owned(),
            password: String::new(),
        };
        assert_eq!(
            form.parse().err(),
            Some(vec![
                LoginError::Email(EmailProblem::Invalid),
                LoginError::PasswordMissing
            ])
        );
        let echoed = LoginForm {
            email: "ana@example.org".to_owned(),
            password: "secret".to_owned(),
        }
        .for_echo();
        assert_eq!(echoed.password, "");
        assert_eq!(echoed.email, "ana@example.org");
    }
}
