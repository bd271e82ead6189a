use app::domain::signup::CALL_TO_ACTION;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The command line: serve the site (no subcommand), or a staff task.
#[derive(Debug, Clone, Parser)]
#[command(name = "server", version, about = "Serves the Shared Societies site")]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How to run the site. Every setting has a working default, so a bare `server` serves the
/// site on its own SQLite file and writes its mail to files; Leptos's own settings
/// (`LEPTOS_SITE_ADDR`, …) come from the environment that cargo-leptos sets.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// The SQLite database. Created, with its schema and the site's content, if missing.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/site.db",
        global = true
    )]
    pub database_url: String,

    /// Address to listen on; overrides LEPTOS_SITE_ADDR.
    #[arg(long, env = "SITE_ADDR")]
    pub site_addr: Option<std::net::SocketAddr>,

    /// The scheme and host the public reaches the site at (for canonical links and the links
    /// in mail), e.g. https://sharedsocieties.example; defaults to http:// plus the listening
    /// address.
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Where to send mail, e.g. smtps://user:password@smtp.example.org. Without it, every
    /// message is written as an .eml file to MAIL_DIR instead.
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The folder mail is written to when no SMTP_URL is set.
    #[arg(long, env = "MAIL_DIR", default_value = "data/mail")]
    pub mail_dir: PathBuf,

    /// The sender of the site's mail.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Shared Societies <no-reply@localhost>"
    )]
    pub mail_from: String,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Writes the site's records to stdout, for staff.
    #[command(subcommand)]
    Export(Export),
}

#[derive(Debug, Clone, Subcommand)]
pub enum Export {
    /// Every signature of a campaign, with its consent choices and status.
    Signups {
        /// The campaign's slug.
        #[arg(long, default_value = CALL_TO_ACTION)]
        campaign: String,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
}
