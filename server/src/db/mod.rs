//! The data layer: one set of SQL for SQLite and PostgreSQL through sqlx's `Any` driver.
//!
//! Rules that keep the SQL portable: `$1`-style placeholders numbered in order; money as integer minor
//! units; dates as ISO text; instants as unix seconds; flags as 0/1 integers; no backend-only types.
//! Where the backends differ (migrations), each has its own file with the same meaning.

pub mod access;
pub mod access_requests;
pub mod cart;
pub mod catalog;
pub mod demo;
pub mod engine;
pub mod error;
pub mod fulfilment;
pub mod idempotency;
pub mod journal;
pub mod notices;
pub mod orders;
pub mod outbox;
pub mod payments;
pub mod po_documents;
pub mod quote_requests;
pub mod quotes;
pub mod renewals;
pub mod retention;
pub mod saved_carts;
pub mod second_factor;
pub mod sessions;
pub mod site_users;
pub mod terms;
pub mod throttle;
pub mod users;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

pub use error::{DbError, DbResult};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database the pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The name used in `/health` and logs.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A pool plus the backend it talks to.
#[derive(Debug, Clone)]
pub struct Db {
    /// The connections.
    pub pool: AnyPool,
    /// The backend.
    pub backend: Backend,
    /// SQLite has one writer at a time, and a writer that finds the lock taken sleeps in SQLite's busy
    /// handler for 1, 2, 5, 10… ms however soon the lock is free: under load most of an order's time
    /// went to those sleeps. This process's write transactions queue here instead and start the moment
    /// the previous one ends (other processes still meet the busy handler).
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DbOpenError {
    /// The URL's scheme is neither sqlite nor postgres.
    #[error("DATABASE_URL must start with sqlite:// or postgres:// (got {0:?})")]
    UnsupportedUrl(String),
    /// The SQLite file's directory could not be created.
    #[error("cannot create the directory for the SQLite file {path}: {source}")]
    CreateDir {
        /// The directory.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Connecting failed.
    #[error("cannot connect to the database: {0}")]
    Connect(sqlx::Error),
    /// A migration failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A connection from the pool.
pub type Conn = sqlx::pool::PoolConnection<sqlx::Any>;

/// A write transaction (see [`Db::begin_write`]); used as the connection it runs on.
pub struct Tx {
    inner: sqlx::Transaction<'static, sqlx::Any>,
    /// This process's turn to write (SQLite), held until the transaction ends.
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.inner
    }
}

/// A connection holding this process's turn to write (see [`Db::begin_write`]), for a single
/// statement that commits by itself.
pub struct WriteConn {
    conn: Conn,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::ops::Deref for WriteConn {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.conn
    }
}

impl std::ops::DerefMut for WriteConn {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.conn
    }
}

/// Commits a write transaction.
///
/// # Errors
/// Database errors (the transaction is rolled back).
pub async fn commit(tx: Tx) -> DbResult<()> {
    Ok(tx.inner.commit().await?)
}

impl Db {
    /// A connection from the pool (waits while all are busy, up to the pool's timeout).
    ///
    /// # Errors
    /// Database errors, or no connection within the timeout.
    pub async fn acquire(&self) -> DbResult<Conn> {
        Ok(self.pool.acquire().await?)
    }

    /// A connection for writes that need no transaction (one statement): on SQLite it waits its turn
    /// with the write transactions instead of meeting them in SQLite's busy handler.
    ///
    /// # Errors
    /// Database errors, or no connection within the timeout.
    pub async fn acquire_write(&self) -> DbResult<WriteConn> {
        let conn = self.pool.acquire().await?;
        let turn = match self.backend {
            Backend::Sqlite => Some(std::sync::Arc::clone(&self.writer).lock_owned().await),
            Backend::Postgres => None,
        };
        Ok(WriteConn { conn, _turn: turn })
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a transaction that reads first and writes later would otherwise fail with
    /// "database is locked" when another writer committed in between, which the busy timeout cannot
    /// wait out. PostgreSQL's plain `BEGIN` already behaves.
    ///
    /// # Errors
    /// Database errors.
    pub async fn begin_write(&self) -> DbResult<Tx> {
        match self.backend {
            Backend::Sqlite => {
                // The connection first, then the turn: waiting for a free connection must not hold
                // up the writers queued behind.
                let conn = self.pool.acquire().await?;
                let turn = std::sync::Arc::clone(&self.writer).lock_owned().await;
                Ok(Tx {
                    inner: sqlx::Transaction::begin(conn, Some("BEGIN IMMEDIATE".into())).await?,
                    _turn: Some(turn),
                })
            }
            Backend::Postgres => Ok(Tx {
                inner: self.pool.begin().await?,
                _turn: None,
            }),
        }
    }

    /// Opens (creating a missing SQLite file and its directory) and migrates the database at `url`.
    ///
    /// # Errors
    /// [`DbOpenError`] with a sentence an operator can act on.
    pub async fn open(url: &str, max_connections: u32) -> Result<Db, DbOpenError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbOpenError::UnsupportedUrl(url.to_owned()));
        };
        let url = match backend {
            Backend::Sqlite => sqlite_url_creating_dir(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url).map_err(DbOpenError::Connect)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite {
                max_connections.min(8)
            } else {
                max_connections
            })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; FULL makes each commit durable;
                        // foreign keys are off by default in SQLite; wait rather than fail on a lock.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(DbOpenError::Connect)?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await?;
        Ok(Db {
            pool,
            backend,
            writer: std::sync::Arc::default(),
        })
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// Adds `mode=rwc` (create if missing) and creates the file's directory.
fn sqlite_url_creating_dir(url: &str) -> Result<String, DbOpenError> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:"
        && let Some(dir) = Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|source| DbOpenError::CreateDir {
            path: dir.display().to_string(),
            source,
        })?;
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// Parses an ISO date stored in the database.
///
/// # Errors
/// A decode error naming the bad value.
pub fn parse_date(s: &str) -> DbResult<time::Date> {
    entitle_core::dates::parse(s).map_err(|e| DbError::corrupt("date", format!("{s:?}: {e}")))
}

/// Formats a date for storage.
#[must_use]
pub fn format_date(d: time::Date) -> String {
    // Year-month-day with zero padding sorts correctly as text on both backends.
    entitle_core::dates::format(d)
}
