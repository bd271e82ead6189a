//! The site's own constants and its public address: one home, read by the components, the
//! server's structured data and the feeds alike.

/// The organisation's name as the header and every page title show it.
pub const SITE_NAME: &str = "Shared Societies";

/// The organisation behind the site, as feeds and structured data name it beside
/// [`SITE_NAME`].
pub const ORGANISATION: &str = "WLA-CdM";

/// The picture link previews show when a page has none of its own (512 × 512 PNG).
pub const LOGO_PATH: &str = "/logo.png";
pub const LOGO_SIZE: u32 = 512;
/// The mark alone, drawn as SVG (`public/logo-mark.svg`): the header's. The favicon is the
/// same drawing; `public/logo.svg` adds the wordmark, and `logo.png` is it rasterised.
pub const LOGO_MARK_PATH: &str = "/logo-mark.svg";

/// The public origin of the site (`https://example.org`), for canonical links, the links
/// people share and the links in mail.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublicUrl(pub String);

impl PublicUrl {
    /// An absolute URL for a path of this site.
    pub fn join(&self, path: &str) -> String {
        format!("{}{}", self.0, path)
    }

    /// Whether the public reaches the site over HTTPS (cookies are then `Secure`).
    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }

    /// `link` made absolute if it is a path of this site; another site's link as it is.
    pub fn absolute(&self, link: &str) -> String {
        if link.starts_with('/') {
            self.join(link)
        } else {
            link.to_owned()
        }
    }
}
