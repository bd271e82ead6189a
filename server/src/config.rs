use app::domain::signup::CALL_TO_ACTION;
use clap::{builder::RangedU64ValueParser, Args, Parser, Subcommand, ValueEnum};
use std::{net::IpAddr, num::NonZeroU32, path::PathBuf};

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
    /// The database: a SQLite file (`sqlite://PATH`, created with its schema and the site's
    /// content if missing) or PostgreSQL (`postgres://USER:PASSWORD@HOST:PORT/DATABASE`, its
    /// tables made at first start).
    #[arg(
        long,
        env = "DATABASE_URL",
        // A PostgreSQL URL holds a password: `--help` must not print it.
        hide_env_values = true,
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

    /// Currencies donors may pledge in, the first being the default (ISO codes: EUR, USD,
    /// GBP, CHF, SEK, NOK).
    #[arg(
        long,
        env = "DONATION_CURRENCIES",
        default_value = "EUR",
        value_delimiter = ','
    )]
    pub donation_currencies: Vec<String>,

    /// The smallest pledge, in whole units of its currency.
    #[arg(long, env = "DONATION_MIN", default_value_t = 1)]
    pub donation_min: u64,

    /// The largest pledge, in whole units of its currency.
    #[arg(long, env = "DONATION_MAX", default_value_t = 10_000)]
    pub donation_max: u64,

    /// The IBAN donors transfer to. The default is a placeholder for running the site
    /// locally; the server warns when it is used.
    #[arg(long, env = "DONATION_IBAN", default_value = PLACEHOLDER_IBAN)]
    pub donation_iban: String,

    /// The holder of that account, as donors' banks show it.
    #[arg(long, env = "DONATION_HOLDER", default_value = "WLA-CdM")]
    pub donation_holder: String,

    /// How many forms (signing, confirming, pledging) one client may send at once; the
    /// consent proof and the page-view counter get six times as many.
    #[arg(long, env = "RATE_LIMIT_BURST", default_value_t = NonZeroU32::new(10).expect("not zero"))]
    pub rate_limit_burst: NonZeroU32,

    /// How many forms one client may send per minute once its burst is used.
    #[arg(long, env = "RATE_LIMIT_PER_MINUTE", default_value_t = NonZeroU32::new(30).expect("not zero"))]
    pub rate_limit_per_minute: NonZeroU32,

    /// Addresses of the reverse proxies in front of the site (comma-separated). Only from
    /// these is X-Forwarded-For believed, to find the client a rate limit applies to.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<IpAddr>,

    /// Seconds a client has to send a whole request head once it has begun (then 408).
    #[arg(long, env = "HEADER_TIMEOUT", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=DAY))]
    pub header_timeout: u64,

    /// Seconds a connection may sit without a request before it is closed.
    #[arg(long, env = "IDLE_TIMEOUT", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=DAY))]
    pub idle_timeout: u64,

    /// Seconds an answer may wait for its client to read any of it before the connection is
    /// closed.
    #[arg(long, env = "SEND_TIMEOUT", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=DAY))]
    pub send_timeout: u64,

    /// Seconds requests in flight get to finish after SIGTERM or Ctrl-C.
    #[arg(long, env = "SHUTDOWN_GRACE", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(0..=DAY))]
    pub shutdown_grace: u64,

    /// Connections one client (an IPv4 address, an IPv6 /64; trusted proxies excepted) may
    /// hold; past it, the client's oldest idle connection is closed to make room, and with
    /// none idle the new one is refused.
    #[arg(long, env = "MAX_CONNECTIONS_PER_CLIENT", default_value_t = 256,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_connections_per_client: usize,

    /// Connections the server may hold in all, and never more than the open-file limit
    /// leaves after a reserve for the database and files. Past it, the oldest idle one is
    /// closed.
    #[arg(long, env = "MAX_CONNECTIONS", default_value_t = 10_000,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_connections: usize,

    /// Send Strict-Transport-Security: set it when the public reaches the site over HTTPS.
    #[arg(long, env = "HSTS")]
    pub hsts: bool,

    /// The folder of posts and members as Markdown files, imported at every start (the
    /// import changes nothing when nothing changed); skipped if it does not exist.
    #[arg(long, env = "CONTENT_DIR", default_value = "content", global = true)]
    pub content_dir: PathBuf,

    /// Keeps published content in memory between changes. Off only to measure what the
    /// cache saves (`CONTENT_CACHE=off`): every page then reads the database.
    #[arg(
        long,
        env = "CONTENT_CACHE",
        hide = true,
        default_value_t = true,
        action = clap::ArgAction::Set,
        value_parser = clap::builder::BoolishValueParser::new(),
    )]
    pub content_cache: bool,

    /// Writes a backup of the database this often (e.g. `1h`, `30min`, `1day`) into
    /// BACKUP_DIR; none by default.
    #[arg(long, env = "BACKUP_EVERY", value_parser = parse_interval)]
    pub backup_every: Option<std::time::Duration>,

    /// The folder scheduled backups are written to (created if missing).
    #[arg(long, env = "BACKUP_DIR", default_value = "data/backups")]
    pub backup_dir: PathBuf,

    /// How many scheduled backups are kept; the oldest beyond them are removed.
    #[arg(long, env = "BACKUP_KEEP", default_value_t = 48,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=100_000))]
    pub backup_keep: usize,

    /// Caps the database at this many pages. For testing what a full disk does.
    #[arg(long, env = "SQLITE_MAX_PAGES", hide = true)]
    pub sqlite_max_pages: Option<u32>,
}

/// A backup interval: a duration such as `1h` or `30min`, from a minute to a year.
fn parse_interval(text: &str) -> Result<std::time::Duration, String> {
    let interval = humantime::parse_duration(text).map_err(|error| error.to_string())?;
    if interval < std::time::Duration::from_secs(60) {
        return Err("backups are at least a minute apart".to_owned());
    }
    if interval > std::time::Duration::from_secs(366 * DAY) {
        return Err("backups are at most a year apart".to_owned());
    }
    Ok(interval)
}

/// The longest a connection timeout may be set to: longer is a mistake, not a wish.
pub const DAY: u64 = 24 * 60 * 60;

/// The IBAN shown when none is configured: well-formed, and plainly not a real account (its
/// checksum fails, so no transfer QR code is ever made for it).
pub const PLACEHOLDER_IBAN: &str = "ES00 0000 0000 0000 0000 0000";

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Writes the site's records to stdout, for staff.
    #[command(subcommand)]
    Export(Export),
    /// Records what happened to a pledge.
    #[command(subcommand)]
    Pledges(Pledges),
    /// Stores the posts and members of the content folder (CONTENT_DIR, or the folder given),
    /// rendered and sanitised; a bad file stops it with its name and changes nothing.
    Import {
        /// The content folder, with `posts/` and `members/` inside.
        dir: Option<PathBuf>,
    },
    /// Staff accounts of the workspace at /staff.
    #[command(subcommand)]
    Staff(Staff),
    /// Copies the database to a new file, consistently, while the server goes on writing.
    Backup {
        /// The backup file to write; it must not exist.
        #[arg(long)]
        to: PathBuf,
    },
    /// Puts a backup in place of the database (DATABASE_URL), after checking it is a whole
    /// backup of this site. Stop the server first.
    Restore {
        /// The backup file.
        #[arg(long)]
        from: PathBuf,
        /// Replace a database that holds data (without it, only an empty one is replaced).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum Staff {
    /// Adds an account and prints the single-use link (valid 7 days) that sets its password.
    Add {
        /// The staff member's email address.
        email: String,
        #[arg(long, value_enum)]
        role: StaffRole,
    },
    /// Prints a single-use link (valid 1 hour) that sets a new password for an account.
    ResetLink {
        /// The account's email address.
        email: String,
    },
}

/// What a staff member does, which decides what the workspace lets them reach.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StaffRole {
    /// Posts, members, tags and media.
    Editor,
    /// Signatures, pledges and exports.
    Fundraiser,
    /// Everything, staff accounts and the audit trail included.
    Admin,
}

impl From<StaffRole> for app::domain::staff::Role {
    fn from(role: StaffRole) -> Self {
        match role {
            StaffRole::Editor => Self::Editor,
            StaffRole::Fundraiser => Self::Fundraiser,
            StaffRole::Admin => Self::Admin,
        }
    }
}

#[derive(Debug, Clone, Subcommand)]
pub enum Pledges {
    /// The money of a pledge has arrived (by bank transfer).
    MarkReceived {
        /// The pledge's reference, e.g. SS-7K4Q-M2XD.
        reference: String,
    },
    /// The pledge will not be paid.
    Cancel {
        /// The pledge's reference, e.g. SS-7K4Q-M2XD.
        reference: String,
    },
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
    /// Every donation pledge, with its status.
    Pledges {
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
    /// The proof of every cookie choice made on the site (no visitor data: id, policy
    /// version, choices, times).
    Consents {
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
    /// Page views per day and page, counted while visitors allow analytics.
    PageViews {
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
    /// Every post and member as content files (Markdown with front matter), workspace edits
    /// included, which `server import` reads back: the database's content for the
    /// developers' folder.
    Content {
        /// The folder to write; new, or empty.
        dir: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
}

impl Config {
    /// Where links printed by a command lead: PUBLIC_URL, or the address the server listens
    /// on (SITE_ADDR, LEPTOS_SITE_ADDR, or cargo-leptos's default).
    pub fn link_base(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| {
            let addr = self
                .site_addr
                .map(|addr| addr.to_string())
                .or_else(|| std::env::var("LEPTOS_SITE_ADDR").ok())
                .unwrap_or_else(|| "127.0.0.1:3000".to_owned());
            format!("http://{addr}")
        })
    }

    /// The donation settings, checked: unknown currencies or a minimum above the maximum stop
    /// the server at start rather than confuse donors later.
    ///
    /// # Errors
    /// What is wrong with them.
    pub fn donation(&self) -> anyhow::Result<app::domain::pledge::DonationSettings> {
        let currencies: Vec<String> = self
            .donation_currencies
            .iter()
            .map(|code| code.trim().to_ascii_uppercase())
            .collect();
        if let Some(unknown) = currencies
            .iter()
            .find(|code| app::domain::money::Currency::find(code).is_none())
        {
            anyhow::bail!("DONATION_CURRENCIES: {unknown} is not a currency the site knows");
        }
        anyhow::ensure!(!currencies.is_empty(), "DONATION_CURRENCIES is empty");
        anyhow::ensure!(
            0 < self.donation_min && self.donation_min <= self.donation_max,
            "DONATION_MIN must be at least 1 and at most DONATION_MAX"
        );
        Ok(app::domain::pledge::DonationSettings {
            currencies,
            min_major: self.donation_min,
            max_major: self.donation_max,
        })
    }

    /// The account donors transfer to, its IBAN checked and printed in groups of four: a
    /// mistyped account stops the server instead of reaching donors' banks.
    pub fn bank(&self) -> anyhow::Result<app::domain::pledge::BankDetails> {
        let iban = if self.donation_iban == PLACEHOLDER_IBAN {
            PLACEHOLDER_IBAN.to_owned()
        } else {
            app::server::transfer_code::checked_iban(&self.donation_iban).map_err(|problem| {
                anyhow::anyhow!("DONATION_IBAN is not a valid IBAN: {problem}")
            })?
        };
        let holder = self.donation_holder.trim();
        anyhow::ensure!(
            app::server::transfer_code::is_valid_holder(holder),
            "DONATION_HOLDER must be one line of 1 to 70 characters"
        );
        Ok(app::domain::pledge::BankDetails {
            holder: holder.to_owned(),
            iban,
        })
    }
}
