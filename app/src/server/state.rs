use super::db::Db;
use super::{
    content::{Content, ContentCache},
    figures::Figures,
    pledge_receipt::ReceiptKey,
    posts::Markdown,
    site_files::SiteFiles,
    write_queue::WriteQueue,
};
use crate::{
    domain::pledge::{BankDetails, DonationSettings},
    site::PublicUrl,
};
use axum::extract::FromRef;
use leptos::prelude::*;
use std::sync::Arc;
use tokio::sync::Notify;

/// What every request can reach: the Leptos options (axum state) and the database pool and
/// site settings (Leptos context, for renders and server functions alike).
///
/// One allocation shared by every clone: axum's middleware clones the services it wraps, and
/// the state inside them, for each request, and render contexts clone it again; a field-wise
/// copy (the Leptos options alone are a dozen strings) was ~8 % of answering a kept page.
#[derive(Clone, Debug)]
pub struct AppState(Arc<AppStateFields>);

/// The parts of [`AppState`], read through it (`state.pool`, `state.site`, …).
#[derive(Debug)]
pub struct AppStateFields {
    pub leptos_options: LeptosOptions,
    pub pool: Db,
    /// Shared rather than copied: every `use_context` of a render clones the state, and a
    /// copy of the settings' strings was ~4 % of rendering a post.
    pub site: Arc<SiteSettings>,
    /// Wakes the mail sender when a write has queued mail, so it goes out at once rather than
    /// at the sender's next round.
    pub mail_queued: Arc<Notify>,
    /// Published content, kept in memory between changes.
    pub content: Arc<ContentCache>,
    /// The live figures pages show; kept pages that show them follow it.
    pub figures: Arc<Figures>,
    /// Writes committed in groups (sign-ups).
    pub writes: Arc<WriteQueue>,
    /// Renders the bodies of posts saved in the staff workspace.
    pub markdown: Markdown,
}

/// Settings the pages need on the server.
#[derive(Clone, Debug)]
pub struct SiteSettings {
    /// Scheme, host and port the public reaches the site at, without a trailing slash; used
    /// for canonical links. Never taken from the request's Host header, which anyone can set.
    pub public_url: PublicUrl,
    /// Currencies and limits of donation pledges.
    pub donation: DonationSettings,
    /// The account donors transfer to.
    pub bank: BankDetails,
    /// The same account as a transfer QR code carries it; `None` for the placeholder.
    pub transfer_account: Option<super::transfer_code::TransferAccount>,
    /// The names of the build's CSS, JS and wasm files.
    pub files: SiteFiles,
    /// Signs the cookie that shows a pledge to the browser that made it.
    pub receipt_key: ReceiptKey,
}

impl std::ops::Deref for AppState {
    type Target = AppStateFields;

    fn deref(&self) -> &AppStateFields {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    pub fn new(fields: AppStateFields) -> Self {
        Self(Arc::new(fields))
    }

    /// The published content, from memory when it has not changed since it was last read.
    ///
    /// # Errors
    /// A database error while reading it.
    pub async fn published(&self) -> Result<Arc<Content>, sqlx::Error> {
        self.content.get(&self.pool).await
    }
}
