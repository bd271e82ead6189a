use crate::{config::Config, db, mail::Mailer, outbox, request_guard};
use anyhow::Context;
use app::{
    domain::pledge::BankDetails,
    server::state::{AppState, SiteSettings},
    shell, App,
};
use axum::{
    http::{HeaderName, Request},
    Router,
};
use leptos::prelude::*;
use leptos_axum::{
    file_and_error_handler_with_context, generate_route_list, AxumRouteListing, LeptosRoutes,
};
use sqlx::SqlitePool;
use std::{
    net::SocketAddr,
    sync::{Arc, OnceLock},
};
use tokio::{net::TcpListener, sync::Notify};
use tower::ServiceBuilder;
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    trace::TraceLayer,
};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Paths under this end in a confirmation token, which is not logged.
const CONFIRM_PREFIX: &str = "/take-action/confirm/";

/// The server, bound and ready: `build` opens the database and the port, so a test can ask
/// [`Application::local_addr`] before serving (port 0 picks a free one).
pub struct Application {
    listener: TcpListener,
    router: Router,
    pool: SqlitePool,
    addr: SocketAddr,
    mailer: Mailer,
    mail_queued: Arc<Notify>,
}

impl Application {
    /// Builds the server from `config` and the Leptos settings in the environment.
    ///
    /// # Errors
    /// When the Leptos settings are unreadable, the database cannot be opened or migrated, or
    /// the address cannot be bound.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let leptos_options = get_configuration(None)
            .context("cannot read the Leptos settings (LEPTOS_* variables)")?
            .leptos_options;
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
        let pool = db::connect(&config.database_url).await?;
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
        let mailer = Mailer::from_config(&config, &public_url)?;
        warn_about_local_defaults(&config);
        let mail_queued = Arc::new(Notify::new());
        let state = AppState {
            leptos_options,
            pool: pool.clone(),
            site: SiteSettings {
                public_url,
                donation: config.donation()?,
                bank: BankDetails {
                    holder: config.donation_holder.clone(),
                    iban: config.donation_iban.clone(),
                },
            },
            mail_queued: mail_queued.clone(),
        };
        Ok(Self {
            listener,
            router: router(state),
            pool,
            addr,
            mailer,
            mail_queued,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until SIGTERM or Ctrl-C, then lets in-flight requests finish and closes the
    /// database cleanly (checkpointing the WAL).
    ///
    /// # Errors
    /// When serving fails.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tracing::info!("listening on http://{}", self.addr);
        let sender = tokio::spawn(outbox::run(
            self.pool.clone(),
            self.mailer,
            self.mail_queued,
        ));
        let served = axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("the server stopped with an error");
        // Mail still queued stays in the table and goes out after the next start.
        sender.abort();
        self.pool.close().await;
        served?;
        tracing::info!("stopped");
        Ok(())
    }
}

/// Every route of the site: the Leptos pages and server functions, static files, and a 404
/// page for everything else.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let app = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };

    Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), app)
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(axum::middleware::from_fn(
            request_guard::reject_malformed_query,
        ))
        .layer(axum::middleware::map_response(request_guard::private_html))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                        let id = request
                            .extensions()
                            .get::<RequestId>()
                            .and_then(|id| id.header_value().to_str().ok())
                            .unwrap_or_default();
                        // The path only: query strings carry what a form sent back (names,
                        // addresses); confirmation tokens are secrets, so they are cut off too.
                        let path = request.uri().path();
                        let path = path
                            .strip_prefix(CONFIRM_PREFIX)
                            .map_or(path, |_| CONFIRM_PREFIX);
                        tracing::info_span!("request", id, method = %request.method(), path)
                    }),
                )
                .layer(PropagateRequestIdLayer::new(REQUEST_ID)),
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
