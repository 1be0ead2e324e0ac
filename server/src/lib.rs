//! # entitle-server
//!
//! Persists Entitle's data (SQLite by default, PostgreSQL when configured), exposes the `/api/v1` JSON
//! API, recomputes every price with `entitle-core`, and serves the built browser app.
//!
//! The process keeps no state of its own between requests: several servers can share one PostgreSQL
//! database behind a load balancer.

pub mod auth;
pub mod body_limit;
pub mod catalog_cache;
pub mod clock;
pub mod config;
pub mod db;
pub mod engine;
pub mod entitlement;
pub mod error;
pub mod invoice;
pub mod letters;
pub mod listener;
pub mod locale;
pub mod mail;
pub mod notices;
pub mod password;
pub mod payments;
pub mod pdf;
pub mod pdf_check;
pub mod receipt;
pub mod reconcile;
pub mod retention;
pub mod routes;
pub mod second_factor;
pub mod site;
pub mod telemetry;
pub mod throttle;

use std::path::PathBuf;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::db::Db;

/// Largest request body the API accepts (uploads have their own limit).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Session and lockout rules.
    pub auth: auth::AuthSettings,
    /// The payment processor.
    pub payments: std::sync::Arc<dyn payments::PaymentProcessor>,
    /// The address of the portal as customers reach it, for links in mail (no trailing slash).
    pub public_url: String,
    /// Where "now" and "today" come from.
    pub clock: clock::Clock,
    /// Recent catalog searches' match lists.
    pub catalog_cache: catalog_cache::CatalogCache,
    /// Sign-in and reset-request rates per client address.
    pub client_limits: throttle::ClientLimits,
    /// The header a trusted reverse proxy puts the client's address in (`ENTITLE_CLIENT_IP_HEADER`);
    /// `None`: the connection's peer is the client.
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// Who sells: named with its tax ID on every invoice.
    pub seller: invoice::Seller,
}

impl AppState {
    /// State with the default session rules, the sandbox payment processor and `clock`, served at
    /// `http://127.0.0.1:3000` (so cookies are not `Secure`).
    #[must_use]
    pub fn new(db: Db, clock: clock::Clock) -> Self {
        AppState {
            db,
            auth: auth::AuthSettings {
                secure: false,
                ..auth::AuthSettings::default()
            },
            payments: std::sync::Arc::new(payments::SandboxProcessor::default()),
            public_url: "http://127.0.0.1:3000".to_owned(),
            clock,
            catalog_cache: catalog_cache::CatalogCache::default(),
            client_limits: throttle::ClientLimits::default(),
            client_ip_header: None,
            seller: invoice::Seller::default(),
        }
    }
}

/// The whole application: API, static site and the layers around them.
pub fn build_router(state: AppState, site_dir: PathBuf) -> Router {
    let (api, _document) = routes::api_router();
    let tls = state.auth.secure;
    api.with_state(state)
        .layer(api_compression())
        // Every API answer is about someone's account (or says who is signed in): no browser or proxy
        // keeps a copy, not even of a PDF receipt or an error.
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        ))
        .merge(site::router(site_dir))
        .layer(axum::middleware::from_fn_with_state(
            tls,
            site::security_headers,
        ))
        .layer(axum::middleware::from_fn(locale::keep))
        .layer(axum::middleware::from_fn(error::refuse_bad_uri))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TraceLayer::new_for_http())
}

/// API answers are compressed for clients that ask (a catalog page of JSON shrinks about six-fold on a
/// phone's connection), at the fastest level: they are built per request, unlike the static files,
/// which are compressed once at build time. Small answers and PDFs are sent as they are.
fn api_compression()
-> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
    tower_http::compression::CompressionLayer::new()
        .quality(tower_http::CompressionLevel::Fastest)
        .compress_when(SizeAbove::new(1024).and(NotForContentType::const_new("application/pdf")))
}

/// Why the server stopped before serving.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The database could not be opened or migrated.
    #[error(transparent)]
    Db(#[from] db::DbOpenError),
    /// Loading demo data failed.
    #[error("loading the demo data failed: {0}")]
    Demo(db::DbError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The mailer could not be set up.
    #[error(transparent)]
    Mailer(#[from] mail::MailerError),
    /// The server failed while running.
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
    /// A setting is not valid.
    #[error("{0}")]
    Config(String),
}

/// Opens the database, loads demo data if asked, and serves until SIGINT or SIGTERM.
///
/// # Errors
/// [`ServeError`] with one line an operator can act on.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    let clock = clock::Clock::system();
    let db = Db::open(&config.database_url, config.db_max_connections).await?;
    if config.demo
        && db::demo::load_scaled_if_empty(
            &db,
            &clock,
            &config.public_url,
            db::demo::DemoScale {
                parts: config.demo_parts,
                load_sites: config.demo_load_sites,
                issue_quotes: config.demo_quotes,
            },
        )
        .await
        .map_err(ServeError::Demo)?
    {
        tracing::info!(
            "demo data loaded; every demo account's password is {:?}",
            db::demo::DEMO_PASSWORD
        );
    }
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.addr,
            source,
        })?;
    if !config.site_dir.join("index.html").is_file() {
        tracing::warn!(dir = %config.site_dir.display(), "the built app is missing: run the Quick start command");
    }
    let shutdown = shutdown_signal();
    tracing::info!(
        addr = %listener.local_addr()?,
        database = db.backend.name(),
        "Entitle is listening on http://{}",
        listener.local_addr()?
    );
    let state = AppState {
        auth: auth::AuthSettings {
            idle_secs: config.session_idle_minutes * 60,
            absolute_secs: config.session_absolute_hours * 3600,
            secure: config.secure_cookies(),
        },
        public_url: config.public_url.trim_end_matches('/').to_owned(),
        client_ip_header: config.client_ip_header()?,
        seller: invoice::Seller {
            name: config.seller_name.clone(),
            address: config.seller_address.clone(),
            tax_id: config.seller_tax_id.clone(),
        },
        client_limits: throttle::ClientLimits::new(
            config.sign_ins_per_minute,
            config.resets_per_minute,
        ),
        ..AppState::new(db, clock)
    };
    if config.engine {
        engine::Engine::new(
            state.db.clone(),
            state.clock.clone(),
            state.public_url.clone(),
        )
        .spawn(std::time::Duration::from_secs(
            config.engine_interval_secs.max(1),
        ));
    }
    reconcile::spawn(
        state.clone(),
        std::time::Duration::from_secs(config.reconcile_interval_secs.max(1)),
    );
    retention::spawn(
        state.clone(),
        config.retention_policy(),
        std::time::Duration::from_secs(config.retention_interval_secs.max(1)),
    );
    match &config.smtp_url {
        Some(url) => {
            let mailer = mail::Mailer::new(url, &config.mail_from)?;
            mail::spawn_worker(
                state.db.clone(),
                state.clock.clone(),
                mailer,
                std::time::Duration::from_secs(config.outbox_poll_secs.max(1)),
            );
        }
        None => tracing::warn!(
            "ENTITLE_SMTP_URL is not set: mail stays queued in the outbox until it is"
        ),
    }
    let app = build_router(state, config.site_dir);
    axum::serve(
        listener::Listener::new(listener),
        app.into_make_service_with_connect_info::<listener::Peer>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGINT or SIGTERM. The handlers are installed when this is called, not when the future is
/// first polled, so a signal that arrives right after start-up is not lost.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let (mut int, mut term) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        tokio::select! {
            () = recv_or_pending(int.as_mut()) => {},
            () = recv_or_pending(term.as_mut()) => {},
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: finishing requests in flight");
    }
}

#[cfg(unix)]
async fn recv_or_pending(signal: Option<&mut tokio::signal::unix::Signal>) {
    match signal {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}
