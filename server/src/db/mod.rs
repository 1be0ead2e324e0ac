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
    /// SQLite's one connection for this process's writes, taken with the turn above. Writers queued
    /// for their turn then hold none of the reading connections: with one shared pool, 16 buyers
    /// placing orders at once left the pool to the queued writers and every read of an order waited
    /// behind them. (PostgreSQL writes on the shared pool.)
    writes: Option<AnyPool>,
    /// Where [`Db::write`] runs SQLite's write transactions: a thread of their own (see there).
    write_thread: Option<WriteThread>,
}

/// A single-threaded runtime on its own thread, stopped when the last [`Db`] clone is dropped.
#[derive(Debug, Clone)]
struct WriteThread {
    handle: tokio::runtime::Handle,
    _stop: std::sync::Arc<tokio::sync::oneshot::Sender<()>>,
}

impl WriteThread {
    fn start() -> std::io::Result<WriteThread> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let handle = runtime.handle().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("entitle-writes".into())
            .spawn(move || {
                // Ends when the sender is dropped (the last Db clone): its error is the signal.
                let _ = runtime.block_on(stopped);
            })?;
        Ok(WriteThread {
            handle,
            _stop: std::sync::Arc::new(stop),
        })
    }
}

/// Makes a [`WriteJob`] of a closure (naming the closure's type here lets the compiler see that the
/// future it returns borrows the transaction).
pub fn job<T, E, F>(f: F) -> WriteJob<T, E>
where
    F: for<'c> FnOnce(&'c mut Tx) -> futures_util::future::BoxFuture<'c, Result<T, E>>
        + Send
        + 'static,
{
    Box::new(f)
}

/// A write job for [`Db::write`]: statements on the transaction it is given.
pub type WriteJob<T, E> =
    Box<dyn for<'c> FnOnce(&'c mut Tx) -> futures_util::future::BoxFuture<'c, Result<T, E>> + Send>;

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
    /// The thread for SQLite's writes could not be started.
    #[error("cannot start the database write thread: {0}")]
    WriteThread(std::io::Error),
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
        match &self.writes {
            Some(writes) => {
                let turn = std::sync::Arc::clone(&self.writer).lock_owned().await;
                Ok(WriteConn {
                    conn: writes.acquire().await?,
                    _turn: Some(turn),
                })
            }
            None => Ok(WriteConn {
                conn: self.pool.acquire().await?,
                _turn: None,
            }),
        }
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a transaction that reads first and writes later would otherwise fail with
    /// "database is locked" when another writer committed in between, which the busy timeout cannot
    /// wait out. PostgreSQL's plain `BEGIN` already behaves.
    ///
    /// # Errors
    /// Database errors.
    pub async fn begin_write(&self) -> DbResult<Tx> {
        match &self.writes {
            Some(writes) => {
                // The turn first: the writer connection is free whenever the turn is ours.
                let turn = std::sync::Arc::clone(&self.writer).lock_owned().await;
                let conn = writes.acquire().await?;
                Ok(Tx {
                    inner: sqlx::Transaction::begin(conn, Some("BEGIN IMMEDIATE".into())).await?,
                    _turn: Some(turn),
                })
            }
            None => Ok(Tx {
                inner: self.pool.begin().await?,
                _turn: None,
            }),
        }
    }

    /// Runs `job` in one write transaction ([`Db::begin_write`]) and commits it when the job returns
    /// `Ok` (an `Err` rolls it back).
    ///
    /// On SQLite the transaction runs on a thread of its own. It holds the one writer's turn, and on
    /// the request threads each of its statements' answers waited in line behind other requests'
    /// work (parsing, pricing) before the next statement went out: under 16 buyers a turn lasted
    /// 1.25 ms for a few statements taking tens of microseconds each, and every other order waited
    /// for it. The job runs to its end even when the caller stops waiting.
    ///
    /// # Errors
    /// The job's error, or a database error beginning or committing.
    pub async fn write<T, E>(&self, job: WriteJob<T, E>) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        let run = async move {
            let mut tx = db.begin_write().await?;
            let out = job(&mut tx).await?;
            commit(tx).await?;
            Ok(out)
        };
        match &self.write_thread {
            Some(thread) => thread.handle.spawn(run).await.map_err(|e| {
                E::from(DbError::Internal(format!("the write thread stopped: {e}")))
            })?,
            None => run.await,
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
        let pool = pool_options(backend)
            .max_connections(if backend == Backend::Sqlite {
                max_connections.min(8)
            } else {
                max_connections
            })
            .connect_with(options.clone())
            .await
            .map_err(DbOpenError::Connect)?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await?;
        let writes = match backend {
            Backend::Sqlite => Some(
                pool_options(backend)
                    .max_connections(1)
                    .connect_with(options)
                    .await
                    .map_err(DbOpenError::Connect)?,
            ),
            Backend::Postgres => None,
        };
        let write_thread = match backend {
            Backend::Sqlite => Some(WriteThread::start().map_err(DbOpenError::WriteThread)?),
            Backend::Postgres => None,
        };
        Ok(Db {
            pool,
            backend,
            writer: std::sync::Arc::default(),
            writes,
            write_thread,
        })
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// What every connection of `backend` is opened with.
fn pool_options(backend: Backend) -> AnyPoolOptions {
    AnyPoolOptions::new()
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
