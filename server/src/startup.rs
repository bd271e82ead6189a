use crate::{
    backup,
    config::{Config, DAY},
    connections, db,
    mail::Mailer,
    outbox,
    page_cache::{self, PageCache},
    protect::{self, SecurityHeaders, SiteOrigin},
    rate_limit::{ClientLimits, Limit},
    request_guard,
    script_policy::{self, ScriptPolicy},
    sessions::{StaffSessions, SWEEP_EVERY},
};
use anyhow::Context;
use app::{
    server::{
        content::ContentCache,
        db::{on_db, Db},
        figures::Figures,
        pledge_receipt::{ReceiptKey, THANKS_PATH},
        posts::Markdown,
        site_files::{self, SiteFiles},
        state::{AppState, AppStateFields, SiteSettings},
        transfer_code::TransferAccount,
        write_queue::WriteQueue,
    },
    shell,
    site::PublicUrl,
    App,
};
use axum::{
    http::{HeaderName, Request, StatusCode},
    Router,
};
use leptos::prelude::*;
use leptos_axum::{
    file_and_error_handler_with_context, generate_route_list, AxumRouteListing, LeptosRoutes,
};
use std::{
    net::SocketAddr,
    num::NonZeroU32,
    sync::{Arc, OnceLock},
    time::Duration,
};
use tokio::{net::TcpListener, sync::Notify};
use tower::ServiceBuilder;
use tower_http::{
    compression::{CompressionLayer, CompressionLevel},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};
use tower_sessions::{session_store::ExpiredDeletion, SessionManagerLayer};

/// How long stopping waits for the database's connections to come back.
const POOL_CLOSE_TIMEOUT: Duration = Duration::from_millis(500);

/// How long any request may take before the site gives up on it (503).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Paths under these end in what is not logged: a confirmation token (a secret), a pledge's
/// reference (what a stranger would need to look the pledge up).
const SECRET_TAILS: [&str; 2] = ["/take-action/confirm/", THANKS_PATH];

/// The server, bound and ready: `build` opens the database and the port, so a test can ask
/// [`Application::local_addr`] before serving (port 0 picks a free one).
pub struct Application {
    listener: TcpListener,
    router: Router,
    pool: Db,
    addr: SocketAddr,
    mailer: Mailer,
    mail_queued: Arc<Notify>,
    writes: Arc<WriteQueue>,
    limits: Arc<ClientLimits>,
    content: Arc<ContentCache>,
    figures: Arc<Figures>,
    pages: Arc<PageCache>,
    connections: connections::Limits,
    /// Backups the server takes by itself, if asked to.
    backups: Option<backup::Schedule>,
    /// The content folder, imported once the port is open (`None`: imported before).
    late_import: Option<std::path::PathBuf>,
    /// Staff sessions, whose ended ones the server deletes now and then.
    sessions: StaffSessions,
}

impl Application {
    /// Builds the server from `config` and the Leptos settings in the environment.
    ///
    /// # Errors
    /// When the Leptos settings are unreadable, the database cannot be opened or migrated, or
    /// the address cannot be bound.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let mut leptos_options = get_configuration(None)
            .context("cannot read the Leptos settings (LEPTOS_* variables)")?
            .leptos_options;
        // A release build by cargo-leptos leaves the hashes of the site's files beside the
        // binary; serving the hashed names then needs no variable to be set by hand.
        if site_files::hash_file(&leptos_options).is_some_and(|file| file.exists()) {
            leptos_options.hash_files = true;
        }
        Self::build_with(config, leptos_options).await
    }

    /// Builds the server from explicit Leptos settings (what the tests use).
    ///
    /// # Errors
    /// As [`Application::build`].
    pub async fn build_with(
        config: Config,
        mut leptos_options: LeptosOptions,
    ) -> anyhow::Result<Self> {
        let backups = config.backup_every.map(|every| backup::Schedule {
            every,
            dir: config.backup_dir.clone(),
            keep: config.backup_keep,
        });
        if let Some(schedule) = &backups {
            if db::postgres_options(&config.database_url)?.is_some() {
                anyhow::bail!(
                    "--backup-every copies SQLite files: on PostgreSQL, run `server backup` \
                     from cron (the README's Backups section shows how)"
                );
            }
            schedule.prepare()?;
        }
        let pool = db::connect_capped(&config.database_url, config.sqlite_max_pages).await?;
        // A database that has never held imported content would show only the seed until
        // the import ends, so it waits for it; any other is served at once from what it
        // holds, and a slow import (large posts) cannot hold the port closed.
        let late_import = if content_ever_imported(&pool).await {
            Some(config.content_dir.clone())
        } else {
            import_content(&pool, &config.content_dir).await;
            None
        };
        let receipt_key = ReceiptKey::load_or_create(&pool)
            .await
            .context("cannot read or store the key pledge cookies are signed with")?;
        let wanted = config.site_addr.unwrap_or(leptos_options.site_addr);
        let listener = TcpListener::bind(wanted)
            .await
            .with_context(|| format!("cannot listen on {wanted}"))?;
        let addr = listener
            .local_addr()
            .context("cannot read the bound address")?;
        leptos_options.site_addr = addr;
        let public_url = config
            .public_url
            .as_deref()
            .map(|url| url.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("http://{addr}"));
        let bank = config.bank()?;
        let mailer = Mailer::from_config(&config, &public_url, bank.clone())?;
        warn_about_local_defaults(&config);
        let mail_queued = Arc::new(Notify::new());
        let content = Arc::new(if config.content_cache {
            ContentCache::new()
        } else {
            ContentCache::disabled()
        });
        let files = SiteFiles::for_build(&leptos_options);
        let figures = Arc::new(Figures::new());
        let writes = WriteQueue::start(pool.clone());
        let state = AppState::new(AppStateFields {
            leptos_options,
            pool: pool.clone(),
            site: Arc::new(SiteSettings {
                public_url: PublicUrl(public_url),
                donation: config.donation()?,
                transfer_account: TransferAccount::new(&bank),
                bank,
                files,
                receipt_key,
            }),
            mail_queued: mail_queued.clone(),
            content: content.clone(),
            figures: figures.clone(),
            writes: writes.clone(),
            markdown: Markdown {
                render: crate::import::render_body,
            },
        });
        let forms = Limit {
            burst: config.rate_limit_burst,
            per_minute: config.rate_limit_per_minute,
        };
        let telemetry = forms.times(NonZeroU32::new(6).unwrap_or(NonZeroU32::MIN));
        let limits = ClientLimits::new(forms, telemetry, config.trusted_proxies.clone());
        let open_files = connections::raise_open_file_limit();
        let for_open_files = open_files.map_or(usize::MAX, connections::connections_for_open_files);
        let connections = connections::Limits {
            // The command line refuses values outside these; a `Config` built in code gets
            // them clamped, as a deadline a century away would overflow the clock.
            header_timeout: Duration::from_secs(config.header_timeout.clamp(1, DAY)),
            idle_timeout: Duration::from_secs(config.idle_timeout.clamp(1, DAY)),
            send_timeout: Duration::from_secs(config.send_timeout.clamp(1, DAY)),
            shutdown_grace: Duration::from_secs(config.shutdown_grace.min(DAY)),
            per_client: config.max_connections_per_client.max(1),
            total: config.max_connections.min(for_open_files).max(1),
            trusted_proxies: config.trusted_proxies.clone(),
        };
        let protection = Protection {
            limits: limits.clone(),
            security: SecurityHeaders { hsts: config.hsts },
        };
        let sessions = StaffSessions::new(&pool)?;
        let https = state.site.public_url.is_https();
        let pages = Arc::new(PageCache::new(
            content.clone(),
            figures.clone(),
            protection.security,
        ));
        Ok(Self {
            listener,
            router: router(
                state,
                protection,
                pages.clone(),
                sessions.clone().layer(https),
            ),
            pages,
            sessions,
            pool,
            addr,
            mailer,
            mail_queued,
            writes,
            limits,
            content,
            figures,
            connections,
            backups,
            late_import,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The in-memory content the pages read (tests that change content with SQL drop it).
    pub fn content_cache(&self) -> Arc<ContentCache> {
        self.content.clone()
    }

    /// The pages kept as bytes (tests count its renders).
    pub fn page_cache(&self) -> Arc<PageCache> {
        self.pages.clone()
    }

    /// Serves until SIGTERM or Ctrl-C, then lets in-flight requests finish (within the grace
    /// period) and closes the database cleanly (checkpointing the WAL).
    ///
    /// # Errors
    /// When serving fails.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tracing::info!(
            total = self.connections.total,
            per_client = self.connections.per_client,
            database = self.pool.engine(),
            "listening on http://{}",
            self.addr
        );
        let sender = tokio::spawn(outbox::run(self.writes, self.mailer, self.mail_queued));
        let forgetting = tokio::spawn(self.limits.forget_idle_clients());
        let importing = self.late_import.map(|dir| {
            let (pool, content) = (self.pool.clone(), self.content.clone());
            tokio::spawn(async move {
                import_content(&pool, &dir).await;
                content.invalidate();
            })
        });
        let watching = tokio::spawn(watch_content(self.pool.clone(), self.content, self.figures));
        let sweeping = tokio::spawn(self.sessions.continuously_delete_expired(SWEEP_EVERY));
        let backing_up = match (self.backups, &self.pool) {
            (Some(schedule), Db::Sqlite(pool)) => Some(tokio::spawn(schedule.run(pool.clone()))),
            _ => None,
        };
        connections::serve(
            self.listener,
            self.router,
            self.connections,
            shutdown_signal(),
        )
        .await;
        // Mail still queued stays in the table and goes out after the next start; an import
        // cut short rolls back and runs again at the next start.
        sender.abort();
        forgetting.abort();
        watching.abort();
        sweeping.abort();
        if let Some(backing_up) = backing_up {
            backing_up.abort();
        }
        if let Some(importing) = importing {
            importing.abort();
        }
        // Bounded, so that stopping always ends: a write still holding a connection is
        // rolled back by SQLite, and the WAL is checkpointed at the next open.
        if tokio::time::timeout(POOL_CLOSE_TIMEOUT, self.pool.close())
            .await
            .is_err()
        {
            tracing::warn!("the database was still busy: closed without waiting");
        }
        tracing::info!("stopped");
        Ok(())
    }
}

/// What guards the routes besides validation: per-client limits and security headers.
#[derive(Clone)]
pub struct Protection {
    pub limits: Arc<ClientLimits>,
    pub security: SecurityHeaders,
}

/// Every route of the site: the Leptos pages and server functions, static files, and a 404
/// page for everything else, behind the protections.
pub fn router(
    state: AppState,
    protection: Protection,
    pages: Arc<PageCache>,
    sessions: SessionManagerLayer<StaffSessions>,
) -> Router {
    let routes = route_list();
    let scripts = Arc::new(ScriptPolicy::new(state.site.files.hydration_script.clone()));
    let site_origin = SiteOrigin(state.site.public_url.0.as_str().into());
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            // leptos_axum gives every render a nonce, which Leptos writes on the scripts it
            // adds: every response would be new bytes. The page's scripts are allowed by their
            // hashes instead (`script_policy`), so the nonce goes before anything renders.
            let _ = take_context::<leptos::nonce::Nonce>();
        }
    };
    let app = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };

    Router::new()
        .merge(crate::feeds::routes())
        // The Spanish home is `/es`: leptos_router matches no trailing slash, and `/es/` is
        // what people type.
        .route(
            "/es/",
            axum::routing::get(|| async { axum::response::Redirect::permanent("/es") }),
        )
        .route(
            "/staff/signatures.csv",
            axum::routing::get(crate::export::signatures_csv),
        )
        .route(
            "/staff/pledges.csv",
            axum::routing::get(crate::export::pledges_csv),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), app)
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        // Only the staff workspace reads a session; a public page never makes or changes one,
        // so the layer adds no cookie to it.
        .layer(sessions)
        // Then the policy, which names the scripts exactly as rendered, and the cache keeps
        // the page with it, before any other layer's touch.
        .layer(axum::middleware::from_fn_with_state(
            scripts,
            script_policy::add_page_policy,
        ))
        .layer(axum::middleware::from_fn_with_state(
            pages.clone(),
            page_cache::serve,
        ))
        .layer(axum::middleware::from_fn(
            request_guard::reject_malformed_query,
        ))
        .layer(axum::middleware::map_response(request_guard::private_html))
        .layer(axum::middleware::from_fn_with_state(
            state.leptos_options.hash_files,
            request_guard::cache_assets,
        ))
        // Outermost first in this stack: a kept page is answered before anything (its copies
        // carry the security headers already); then the request id and the log see everything
        // else, every answer (the 500 page of a panic and every refusal too) carries the
        // security headers, and a cross-site write is refused before its body is read.
        .layer(
            ServiceBuilder::new()
                .layer(axum::middleware::from_fn_with_state(
                    pages,
                    page_cache::answer_kept,
                ))
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                        let id = request
                            .extensions()
                            .get::<RequestId>()
                            .and_then(|id| id.header_value().to_str().ok())
                            .unwrap_or_default();
                        // The path only: query strings carry what a form sent back (names,
                        // addresses); confirmation tokens and pledge references are cut off too.
                        let path = request.uri().path();
                        let path = SECRET_TAILS
                            .into_iter()
                            .find(|prefix| path.starts_with(prefix))
                            .unwrap_or(path);
                        tracing::info_span!("request", id, method = %request.method(), path)
                    }),
                )
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                // Brotli or gzip for what the handlers render (a post's HTML shrinks about
                // fivefold); answers that already carry an encoding (the precompressed /pkg/
                // files) pass as they are. Level 4: most of the gain for little of the CPU.
                .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
                .layer(axum::middleware::from_fn_with_state(
                    protection.security,
                    protect::add_security_headers,
                ))
                .layer(axum::middleware::from_fn(protect::catch_panics))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::SERVICE_UNAVAILABLE,
                    REQUEST_TIMEOUT,
                ))
                .layer(axum::middleware::from_fn_with_state(
                    site_origin,
                    protect::refuse_cross_site_writes,
                ))
                .layer(axum::middleware::from_fn(protect::cap_body))
                .layer(axum::middleware::from_fn_with_state(
                    protection.limits,
                    crate::rate_limit::limit_clients,
                )),
        )
        .with_state(state)
}

/// The app's routes, walked once per process.
///
/// Walking the route tree sets a process-wide flag that stops resources from loading, so a
/// page rendering at that moment (another server in the same process, as in the tests) would
/// wait for ever (leptos issue #4773). The routes of a binary never change, so the walk is
/// done once and before any server can render.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// How often the server asks whether someone else changed the content.
const CONTENT_WATCH_INTERVAL: Duration = Duration::from_secs(1);

/// Drops the in-memory content when the stored content changes behind the server's back
/// (`server import` from another process, staff with `sqlite3`). One indexed read of one row
/// a second; a failed read is tried again at the next tick.
async fn watch_content(pool: Db, content: Arc<ContentCache>, figures: Arc<Figures>) {
    let mut ticks = tokio::time::interval(CONTENT_WATCH_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match content.invalidate_if_changed(&pool).await {
            Ok(true) => tracing::info!("the stored content changed: reloading it"),
            Ok(false) => {}
            Err(error) => tracing::debug!(%error, "cannot read the content version"),
        }
        if let Err(error) = figures.check(&pool).await {
            tracing::debug!(%error, "cannot read the figures version");
        }
    }
}

/// Brings the stored content up to date with the content folder. A bad file is logged and
/// the site goes on serving what it had: a typo in a post must not take the site down.
async fn import_content(pool: &Db, dir: &std::path::Path) {
    if !dir.is_dir() {
        tracing::info!(dir = %dir.display(), "no content folder: nothing imported");
        return;
    }
    match crate::import::import_dir(pool, dir).await {
        Ok(imported) => {
            for slug in &imported.kept_from_workspace {
                tracing::warn!(
                    slug,
                    "the post was edited in the staff workspace, which wins: its file was not \
                     imported"
                );
            }
            tracing::info!(
                posts = imported.posts,
                members = imported.members,
                retired = imported.retired,
                "content imported"
            );
        }
        Err(error) => tracing::error!("content not imported, the stored content stays: {error:#}"),
    }
}

/// Whether any content was ever stored after the migrations' seed: their triggers move the
/// content version from 1 with every change. A database that cannot say counts as imported
/// (its content, whatever it is, is served while the import runs).
async fn content_ever_imported(db: &Db) -> bool {
    let version = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>("SELECT version FROM content_version WHERE id = 1")
            .fetch_optional(pool)
            .await
    });
    version.map_or(true, |version| version.is_some_and(|version| version > 1))
}

/// The defaults run everything on one machine; a public site needs them set. Said once, at
/// start, where whoever deploys it looks.
fn warn_about_local_defaults(config: &Config) {
    if config.public_url.is_none() {
        tracing::warn!(
            "PUBLIC_URL is not set: links in mail and canonical links use the listening address"
        );
    }
    if config.smtp_url.is_none() {
        tracing::warn!(dir = %config.mail_dir.display(), "SMTP_URL is not set: mail is written to files, not sent");
    }
    if config.donation_iban == crate::config::PLACEHOLDER_IBAN {
        tracing::warn!("DONATION_IBAN is not set: donors are shown a placeholder account");
    }
    if config.mail_from.ends_with("@localhost>") {
        tracing::warn!("MAIL_FROM is not set: mail servers will refuse a sender at localhost");
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
