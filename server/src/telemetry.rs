use tracing_subscriber::{fmt, EnvFilter};

/// Logs to stderr; `RUST_LOG` overrides the default level.
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    // A second call (tests) keeps the first subscriber, which is what we want.
    let _ = fmt().with_env_filter(filter).with_target(false).try_init();
}
