use leptos::prelude::LeptosOptions;
use reqwest::{redirect::Policy, Client, StatusCode};
use server::{config::Config, startup::Application};
use std::{net::SocketAddr, path::PathBuf};
use tempfile::TempDir;

/// The seed post's address.
pub const SEED_POST: &str =
    "/news/a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference";

/// The public URL the test server is told it has.
pub const PUBLIC_URL: &str = "https://shared-societies.test";

/// A running server over its own fresh database, and a client for it.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: Client,
    pub db_path: PathBuf,
    // Dropped last: the database lives in it.
    _dir: TempDir,
}

/// A page as a reader's browser receives it.
pub struct Page {
    pub status: StatusCode,
    pub html: String,
}

pub fn test_config(dir: &TempDir) -> Config {
    Config {
        database_url: format!("sqlite://{}", dir.path().join("site.db").display()),
        site_addr: Some(SocketAddr::from(([127, 0, 0, 1], 0))),
        public_url: Some(PUBLIC_URL.to_owned()),
    }
}

pub fn test_leptos_options(dir: &TempDir) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("shared-societies")
        .site_root(dir.path().join("site").display().to_string())
        .build()
}

pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let app = Application::build_with(test_config(&dir), test_leptos_options(&dir))
        .await
        .expect("the app builds over a fresh database");
    let addr = app.local_addr();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        addr,
        client: Client::builder()
            .redirect(Policy::none())
            .build()
            .expect("an HTTP client"),
        db_path: dir.path().join("site.db"),
        _dir: dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// GETs a page as a browser without JavaScript would.
    pub async fn page(&self, path: &str) -> Page {
        let response = self
            .client
            .get(self.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .expect("the server answers");
        let status = response.status();
        let html = response.text().await.expect("a body");
        Page { status, html }
    }
}

impl Page {
    /// The page's text with tags removed and whitespace collapsed, as a reader sees it.
    pub fn text(&self) -> String {
        let mut text = String::with_capacity(self.html.len());
        let mut in_tag = false;
        for c in self.html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        text.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }

    /// The first tag (`<link …>`) whose attributes contain `attribute`.
    pub fn tag_with(&self, attribute: &str) -> Option<&str> {
        let at = self.html.find(attribute)?;
        let start = self.html[..at].rfind('<')?;
        let end = at + self.html[at..].find('>')?;
        Some(&self.html[start..=end])
    }

    pub fn count(&self, needle: &str) -> usize {
        self.html.matches(needle).count()
    }
}
