//! Server configuration from environment variables and matching command-line flags.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// Entitle's server: the JSON API under `/api/v1` and the built browser app.
#[derive(Debug, Clone, Parser)]
#[command(name = "entitle-server", version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long = "addr", env = "ENTITLE_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Database URL: `sqlite://path/to/file.db` (created if missing) or `postgres://user@host/db`.
    #[arg(
        long = "database-url",
        env = "DATABASE_URL",
        default_value = "sqlite://data/entitle.db"
    )]
    pub database_url: String,

    /// Load the demo data into an empty database (`1`/`true`).
    #[arg(long = "demo", env = "ENTITLE_DEMO", default_value_t = false, value_parser = clap::builder::BoolishValueParser::new())]
    pub demo: bool,

    /// With `--demo`: generate at least this many catalog parts (0: the standard demo's ~2,100), for
    /// load tests.
    #[arg(long = "demo-parts", env = "ENTITLE_DEMO_PARTS", default_value_t = 0)]
    pub demo_parts: usize,

    /// With `--demo`: add this many generated customer sites (one buyer each,
    /// `buyer{k}@load.example`), for load tests.
    #[arg(
        long = "demo-load-sites",
        env = "ENTITLE_DEMO_LOAD_SITES",
        default_value_t = 0
    )]
    pub demo_load_sites: usize,

    /// With `--demo`: issue the due renewal quotes right after loading (`0` leaves them to the engine).
    #[arg(long = "demo-quotes", env = "ENTITLE_DEMO_QUOTES", default_value_t = true, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub demo_quotes: bool,

    /// Run the renewal engine in this process (`0`: another process runs it).
    #[arg(long = "engine", env = "ENTITLE_ENGINE", default_value_t = true, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub engine: bool,

    /// Directory of the built app (`app/dist`, written by `scripts/build-app.sh`).
    #[arg(
        long = "site-dir",
        env = "ENTITLE_SITE_DIR",
        default_value = "app/dist"
    )]
    pub site_dir: PathBuf,

    /// Minutes a session may sit unused before it ends.
    #[arg(
        long = "session-idle-minutes",
        env = "ENTITLE_SESSION_IDLE_MINUTES",
        default_value_t = 30
    )]
    pub session_idle_minutes: i64,

    /// Hours after sign-in a session ends, used or not.
    #[arg(
        long = "session-absolute-hours",
        env = "ENTITLE_SESSION_ABSOLUTE_HOURS",
        default_value_t = 12
    )]
    pub session_absolute_hours: i64,

    /// SMTP server for outgoing mail, e.g. `smtp://127.0.0.1:2525` or `smtps://user:pass@mail.example.com`.
    /// Without it, mail is queued in the outbox and not sent.
    #[arg(long = "smtp-url", env = "ENTITLE_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// Sender of outgoing mail.
    #[arg(
        long = "mail-from",
        env = "ENTITLE_MAIL_FROM",
        default_value = "Entitle <no-reply@entitle.example>"
    )]
    pub mail_from: String,

    /// Seconds between outbox delivery passes.
    #[arg(
        long = "outbox-poll-secs",
        env = "ENTITLE_OUTBOX_POLL_SECS",
        default_value_t = 5
    )]
    pub outbox_poll_secs: u64,

    /// Seconds between renewal-engine runs (issue due quotes, reminders, auto-renew, anniversaries).
    #[arg(
        long = "engine-interval-secs",
        env = "ENTITLE_ENGINE_INTERVAL_SECS",
        default_value_t = 3600
    )]
    pub engine_interval_secs: u64,

    /// Seconds between payment reconciliation passes (void charges whose order was never written, retry
    /// pending refunds).
    #[arg(
        long = "reconcile-interval-secs",
        env = "ENTITLE_RECONCILE_INTERVAL_SECS",
        default_value_t = 300
    )]
    pub reconcile_interval_secs: u64,

    /// Seconds between retention passes (purge expired sessions, used reset tokens, old sent mail and
    /// idempotency records; see `server/src/retention.rs`).
    #[arg(
        long = "retention-interval-secs",
        env = "ENTITLE_RETENTION_INTERVAL_SECS",
        default_value_t = 3600
    )]
    pub retention_interval_secs: u64,

    /// Days a sent mail stays in the outbox.
    #[arg(
        long = "keep-sent-mail-days",
        env = "ENTITLE_KEEP_SENT_MAIL_DAYS",
        default_value_t = 7
    )]
    pub keep_sent_mail_days: u32,

    /// Hours an idempotency record (and so a retried order's answer) is kept.
    #[arg(
        long = "keep-idempotency-hours",
        env = "ENTITLE_KEEP_IDEMPOTENCY_HOURS",
        default_value_t = 24
    )]
    pub keep_idempotency_hours: u32,

    /// Days a pending access request naming no known customer number is kept.
    #[arg(
        long = "keep-unmatched-access-days",
        env = "ENTITLE_KEEP_UNMATCHED_ACCESS_DAYS",
        default_value_t = 30
    )]
    pub keep_unmatched_access_days: u32,

    /// The seller's legal name, printed on invoices.
    #[arg(
        long = "seller-name",
        env = "ENTITLE_SELLER_NAME",
        default_value = "Entitle Software GmbH"
    )]
    pub seller_name: String,

    /// The seller's address, one line, printed on invoices.
    #[arg(
        long = "seller-address",
        env = "ENTITLE_SELLER_ADDRESS",
        default_value = "Leopoldstraße 12, 80802 München, Deutschland"
    )]
    pub seller_address: String,

    /// The seller's tax ID (VAT ID), printed on invoices.
    #[arg(
        long = "seller-tax-id",
        env = "ENTITLE_SELLER_TAX_ID",
        default_value = "DE 812 345 678"
    )]
    pub seller_tax_id: String,

    /// The portal's address as customers reach it, for links in mail.
    #[arg(
        long = "public-url",
        env = "ENTITLE_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    pub public_url: String,

    /// `Secure` cookies (the session cookie named `__Host-entitle_session`) and HSTS: `1` or `0`. Unset:
    /// on, unless the public URL is plain HTTP to localhost, 127.0.0.1 or [::1] (development).
    #[arg(long = "secure-cookies", env = "ENTITLE_SECURE_COOKIES", value_parser = clap::builder::BoolishValueParser::new())]
    pub secure_cookies: Option<bool>,

    /// Behind a reverse proxy: the header it puts the client's address in (e.g. `X-Forwarded-For`; the
    /// last address in it counts). Unset: the connection's peer is the client. Only set it when every
    /// request comes through that proxy, or clients could claim any address.
    #[arg(long = "client-ip-header", env = "ENTITLE_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,

    /// Sign-in attempts per minute from one client address (its burst too); more get 429.
    #[arg(
        long = "sign-ins-per-minute",
        env = "ENTITLE_SIGN_INS_PER_MINUTE",
        default_value_t = 30
    )]
    pub sign_ins_per_minute: u32,

    /// Password-reset requests per minute from one client address (its burst too); more get 429.
    #[arg(
        long = "resets-per-minute",
        env = "ENTITLE_RESETS_PER_MINUTE",
        default_value_t = 10
    )]
    pub resets_per_minute: u32,

    /// Most database connections in the pool.
    #[arg(
        long = "db-max-connections",
        env = "ENTITLE_DB_MAX_CONNECTIONS",
        default_value_t = 10
    )]
    pub db_max_connections: u32,
}

impl Config {
    /// The client-address header, parsed.
    ///
    /// # Errors
    /// A name that is not a valid header name.
    pub fn client_ip_header(&self) -> Result<Option<axum::http::HeaderName>, crate::ServeError> {
        self.client_ip_header
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(|h| {
                h.parse().map_err(|_| {
                    crate::ServeError::Config(format!(
                        "ENTITLE_CLIENT_IP_HEADER {h:?} is not a header name"
                    ))
                })
            })
            .transpose()
    }

    /// How long the retention pass keeps what it purges.
    #[must_use]
    pub fn retention_policy(&self) -> crate::retention::Policy {
        crate::retention::Policy {
            sent_mail_secs: i64::from(self.keep_sent_mail_days) * 86_400,
            idempotency_secs: i64::from(self.keep_idempotency_hours) * 3600,
            unmatched_access_secs: i64::from(self.keep_unmatched_access_days) * 86_400,
            ..crate::retention::Policy::default()
        }
    }

    /// Whether cookies are `Secure` and answers carry HSTS: the setting, or else whether the public URL
    /// is anything but plain HTTP to this machine.
    #[must_use]
    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies
            .unwrap_or_else(|| !crate::auth::is_local_http(&self.public_url))
    }
}
