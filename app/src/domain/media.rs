//! Videos and maps from other sites that a post can show. Only these hosts, and only
//! references of their exact shape, so content can never make the site frame an arbitrary
//! page.

use serde::{Deserialize, Serialize};

/// The hosts the site can embed, each loaded only with the visitor's consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaHost {
    YouTube,
    Vimeo,
    OpenStreetMap,
}

impl MediaHost {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "youtube" => Some(Self::YouTube),
            "vimeo" => Some(Self::Vimeo),
            "openstreetmap" => Some(Self::OpenStreetMap),
            _ => None,
        }
    }

    /// The name the host goes by, for "hosted by …".
    pub fn name(self) -> &'static str {
        match self {
            Self::YouTube => "YouTube",
            Self::Vimeo => "Vimeo",
            Self::OpenStreetMap => "OpenStreetMap",
        }
    }

    /// Who receives the visitor's IP address when the embed loads.
    pub fn operator(self) -> &'static str {
        match self {
            Self::YouTube => "Google",
            Self::Vimeo => "Vimeo",
            Self::OpenStreetMap => "the OpenStreetMap Foundation",
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Self::YouTube | Self::Vimeo => "video",
            Self::OpenStreetMap => "map",
        }
    }
}

/// A video or map a post shows: validated when it is read from the database, so the links
/// built from it are always of the host's own shape. Both links are built then, on the
/// server, which keeps number parsing and formatting out of the browser's code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Embed {
    pub host: MediaHost,
    pub title: String,
    frame_src: String,
    page_href: String,
}

impl Embed {
    /// `None` when `reference` is not what `host` uses.
    pub fn new(host: MediaHost, reference: &str, title: String) -> Option<Self> {
        let valid = match host {
            // YouTube ids: 11 characters of base64url.
            MediaHost::YouTube => {
                reference.len() == 11
                    && reference
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            }
            MediaHost::Vimeo => {
                (1..=12).contains(&reference.len()) && reference.bytes().all(|b| b.is_ascii_digit())
            }
            MediaHost::OpenStreetMap => coordinates(reference).is_some(),
        };
        (valid && !title.trim().is_empty()).then(|| Self {
            host,
            title,
            frame_src: frame_src(host, reference),
            page_href: page_href(host, reference),
        })
    }

    /// The address the frame loads.
    pub fn frame_src(&self) -> &str {
        &self.frame_src
    }

    /// Where the same video or map can be seen on its own site, without embedding.
    pub fn page_href(&self) -> &str {
        &self.page_href
    }
}

/// YouTube's privacy-enhanced host and Vimeo's `dnt` keep the hosts from tracking beyond the
/// play itself.
fn frame_src(host: MediaHost, reference: &str) -> String {
    match host {
        MediaHost::YouTube => {
            format!("https://www.youtube-nocookie.com/embed/{reference}")
        }
        MediaHost::Vimeo => format!("https://player.vimeo.com/video/{reference}?dnt=1"),
        MediaHost::OpenStreetMap => {
            let (lat, lon) = coordinates(reference).unwrap_or_default();
            let span = 0.01;
            format!(
                    "https://www.openstreetmap.org/export/embed.html?bbox={:.5}%2C{:.5}%2C{:.5}%2C{:.5}&layer=mapnik&marker={lat}%2C{lon}",
                    lon - span,
                    lat - span,
                    lon + span,
                    lat + span,
                )
        }
    }
}

fn page_href(host: MediaHost, reference: &str) -> String {
    match host {
        MediaHost::YouTube => format!("https://www.youtube.com/watch?v={reference}"),
        MediaHost::Vimeo => format!("https://vimeo.com/{reference}"),
        // The reference is checked to be `lat,lon` in plain decimals: used as written.
        MediaHost::OpenStreetMap => match reference.split_once(',') {
            Some((lat, lon)) => {
                format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}")
            }
            None => "https://www.openstreetmap.org/".to_owned(),
        },
    }
}

/// `lat,lon` in degrees, each a plain decimal in range.
fn coordinates(reference: &str) -> Option<(f64, f64)> {
    let (lat, lon) = reference.split_once(',')?;
    let degrees = |text: &str, limit: f64| {
        let plain = !text.is_empty()
            && text.len() <= 12
            && text
                .bytes()
                .enumerate()
                .all(|(i, b)| b.is_ascii_digit() || b == b'.' || (i == 0 && b == b'-'));
        plain
            .then(|| text.parse::<f64>().ok())
            .flatten()
            .filter(|value| value.abs() <= limit)
    };
    Some((degrees(lat, 90.0)?, degrees(lon, 180.0)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embed(host: MediaHost, reference: &str) -> Option<Embed> {
        Embed::new(host, reference, "A title".into())
    }

    #[test]
    fn each_host_gets_its_own_frame_and_page() {
        let video = embed(MediaHost::YouTube, "dQw4w9WgXcQ").expect("valid");
        assert_eq!(
            video.frame_src(),
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
        );
        assert_eq!(
            video.page_href(),
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
        );

        let vimeo = embed(MediaHost::Vimeo, "76979871").expect("valid");
        assert_eq!(
            vimeo.frame_src(),
            "https://player.vimeo.com/video/76979871?dnt=1"
        );

        let map = embed(MediaHost::OpenStreetMap, "40.4153,-3.7089").expect("valid");
        assert!(map
            .frame_src()
            .starts_with("https://www.openstreetmap.org/export/embed.html?bbox=-3.71890%2C40.40530%2C-3.69890%2C40.42530&"));
        assert_eq!(
            map.page_href(),
            "https://www.openstreetmap.org/?mlat=40.4153&mlon=-3.7089#map=16/40.4153/-3.7089"
        );
    }

    #[test]
    fn references_of_another_shape_are_refused() {
        for (host, reference) in [
            (MediaHost::YouTube, ""),
            (MediaHost::YouTube, "dQw4w9WgXc"),
            (MediaHost::YouTube, "dQw4w9WgXcQ/../x"),
            (MediaHost::YouTube, "dQw4w9W\"XcQ"),
            (MediaHost::Vimeo, "12a"),
            (MediaHost::Vimeo, "1234567890123"),
            (MediaHost::OpenStreetMap, "40.4"),
            (MediaHost::OpenStreetMap, "91,0"),
            (MediaHost::OpenStreetMap, "0,181"),
            (MediaHost::OpenStreetMap, "1e2,0"),
            (MediaHost::OpenStreetMap, "NaN,0"),
            (MediaHost::OpenStreetMap, "0,0&x=1"),
            (MediaHost::OpenStreetMap, " 1,2"),
        ] {
            assert_eq!(embed(host, reference), None, "{reference}");
        }
        assert_eq!(
            Embed::new(MediaHost::YouTube, "dQw4w9WgXcQ", "  ".into()),
            None,
            "a frame needs a title"
        );
    }

    #[test]
    fn only_known_hosts_parse() {
        assert_eq!(MediaHost::parse("youtube"), Some(MediaHost::YouTube));
        assert_eq!(MediaHost::parse("YouTube"), None);
        assert_eq!(MediaHost::parse("example"), None);
    }
}
