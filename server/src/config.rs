use clap::Parser;

/// How to run the site. Every setting has a working default, so a bare `server` serves the
/// site on its own SQLite file; Leptos's own settings (`LEPTOS_SITE_ADDR`, …) come from the
/// environment that cargo-leptos sets.
#[derive(Debug, Clone, Parser)]
#[command(name = "server", version, about = "Serves the Shared Societies site")]
pub struct Config {
    /// The SQLite database. Created, with its schema and the site's content, if missing.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/site.db")]
    pub database_url: String,

    /// Address to listen on; overrides LEPTOS_SITE_ADDR.
    #[arg(long, env = "SITE_ADDR")]
    pub site_addr: Option<std::net::SocketAddr>,

    /// The scheme and host the public reaches the site at (for canonical links), e.g.
    /// https://sharedsocieties.example; defaults to http:// plus the listening address.
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<String>,
}
