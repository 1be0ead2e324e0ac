//! Test support: a fresh database on each backend and the real server on a real socket.
//!
//! PostgreSQL tests create their own database on `ENTITLE_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`) and drop it afterwards.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use entitle_server::clock::{Clock, ManualClock};
use entitle_server::db::{Db, demo};
use entitle_server::{AppState, build_router};
use sqlx::Connection;
use time::macros::date;

/// The portal address links in test mail point to.
pub const PUBLIC_URL: &str = "https://portal.entitle.example";

/// The day every test's clock starts on (midday UTC) and the demo data is laid out from, so results never
/// depend on the calendar the suite runs on.
pub const TODAY: time::Date = date!(2026 - 11 - 23);

/// The maintenance database PostgreSQL tests connect to, to create and drop their own.
pub fn postgres_admin_url() -> String {
    std::env::var("ENTITLE_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// Which backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A throw-away database.
pub struct TestDb {
    pub url: String,
    kind: Kind,
    name: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn new(kind: Kind) -> TestDb {
        match kind {
            Kind::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("entitle.db").display());
                TestDb {
                    url,
                    kind,
                    name: String::new(),
                    _dir: Some(dir),
                }
            }
            Kind::Postgres => {
                let name = format!("entitle_test_{:016x}", rand::random::<u64>());
                let mut admin = sqlx::PgConnection::connect(&postgres_admin_url())
                    .await
                    .expect("PostgreSQL must be reachable at ENTITLE_TEST_POSTGRES_URL for the database tests");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .await
                    .expect("create database");
                let base = postgres_admin_url();
                let server = base.rsplit_once('/').map_or(base.as_str(), |(s, _)| s);
                TestDb {
                    url: format!("{server}/{name}"),
                    kind,
                    name,
                    _dir: None,
                }
            }
        }
    }

    /// Drops the PostgreSQL database (SQLite's temp dir goes with the value).
    pub async fn drop_db(self) {
        if self.kind == Kind::Postgres {
            let mut admin = sqlx::PgConnection::connect(&postgres_admin_url())
                .await
                .expect("connect");
            sqlx::query(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut admin)
            .await
            .expect("drop database");
        }
    }
}

/// The server running on a real socket with demo data.
pub struct TestApp {
    pub addr: SocketAddr,
    pub db: Db,
    /// The server's clock (the engine built by a test shares it).
    pub clock: Clock,
    /// Moves the server's clock.
    pub hand: ManualClock,
    pub client: reqwest::Client,
    pub site_dir: PathBuf,
    /// The server's state (to run its background passes in a test).
    pub state: AppState,
    /// The sandbox processor's ledger: what customers' cards would show.
    pub sandbox: entitle_server::payments::SandboxProcessor,
}

impl TestApp {
    /// The server's today.
    pub fn today(&self) -> time::Date {
        self.clock.today()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (status, res.json().await.expect("JSON body"))
    }

    /// Signs in and returns the session (cookie header value and CSRF token). An account with two-step
    /// verification (the demo administrator) answers its second step with the demo authenticator.
    pub async fn sign_in(&self, email: &str) -> Session {
        let res = self
            .client
            .post(self.url("/api/v1/session"))
            .json(&serde_json::json!({ "email": email, "password": "entitle-demo" }))
            .send()
            .await
            .expect("sign in");
        let res = if res.status() == 202 {
            let challenge: serde_json::Value = res.json().await.unwrap();
            assert_eq!(challenge["step"], "verify", "{email} has an authenticator");
            let code = self.authenticator_code(email).await;
            self.client
                .post(self.url("/api/v1/session/second-factor"))
                .json(&serde_json::json!({ "challenge": challenge["challenge"], "code": code }))
                .send()
                .await
                .expect("second factor")
        } else {
            res
        };
        assert_eq!(res.status(), 200, "sign in as {email}");
        let cookie = res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let mut body: serde_json::Value = res.json().await.unwrap();
        if body.get("session").is_some() {
            body = body["session"].take();
        }
        Session {
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
            body,
        }
    }

    /// A code of the demo authenticator that `email`'s account has not used yet: the earliest step in
    /// the window the server accepts, after the last one used (the clock moves on when all are used).
    pub async fn authenticator_code(&self, email: &str) -> String {
        let secret = entitle_server::db::demo::DEMO_ADMIN_TOTP_SECRET;
        loop {
            let last: Option<i64> =
                sqlx::query_scalar("SELECT totp_last_step FROM users WHERE email = $1")
                    .bind(email)
                    .fetch_one(&self.db.pool)
                    .await
                    .unwrap();
            let now = self.clock.now_unix();
            for t in [now - 30, now, now + 30] {
                if last.is_none_or(|l| t / 30 > l) {
                    return entitle_server::second_factor::code_at(secret, t).unwrap();
                }
            }
            self.hand.advance(time::Duration::seconds(30));
        }
    }

    /// GET as a signed-in user.
    pub async fn get_as(&self, s: &Session, path: &str) -> (u16, serde_json::Value) {
        let res = self
            .client
            .get(self.url(path))
            .header("cookie", &s.cookie)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// A request with the session cookie and its CSRF token.
    pub fn with(
        &self,
        s: &Session,
        method: reqwest::Method,
        path: &str,
    ) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(path))
            .header("cookie", &s.cookie)
            .header("x-csrf-token", &s.csrf)
    }
}

/// A signed-in session.
pub struct Session {
    /// `entitle_session=…`
    pub cookie: String,
    /// The CSRF token.
    pub csrf: String,
    /// The sign-in response.
    pub body: serde_json::Value,
}

/// A small built-app directory: index.html with precompressed siblings and one asset under a hashed
/// directory, as scripts/build-app.sh lays them out.
fn write_site(dir: &Path) {
    std::fs::write(
        dir.join("index.html"),
        "<!DOCTYPE html><title>Entitle</title>",
    )
    .unwrap();
    std::fs::write(dir.join("index.html.br"), b"br-bytes").unwrap();
    std::fs::write(dir.join("index.html.gz"), b"gz-bytes").unwrap();
    let assets = dir.join("assets").join("0123456789abcdef");
    std::fs::create_dir_all(&assets).unwrap();
    std::fs::write(assets.join("main.css"), "body{}").unwrap();
}

/// Opens `db` (migrating), loads the demo data and serves the router on 127.0.0.1:0.
pub async fn spawn_app(db: &TestDb) -> (TestApp, tempfile::TempDir) {
    // Served over plain HTTP on 127.0.0.1, as the server configures itself for such a public URL.
    spawn_app_with(
        db,
        entitle_server::auth::AuthSettings {
            secure: false,
            ..entitle_server::auth::AuthSettings::default()
        },
    )
    .await
}

/// [`spawn_app`] with other session rules.
pub async fn spawn_app_with(
    db: &TestDb,
    auth: entitle_server::auth::AuthSettings,
) -> (TestApp, tempfile::TempDir) {
    spawn_app_adjusted(db, |state| AppState { auth, ..state }).await
}

/// [`spawn_app`] behind a reverse proxy that names the client in `X-Forwarded-For`, taking 10 sign-ins
/// and 3 reset requests a minute from one address (few, so a test's burst is not refilled meanwhile).
pub async fn spawn_app_behind_proxy(db: &TestDb) -> (TestApp, tempfile::TempDir) {
    spawn_app_adjusted(db, |state| AppState {
        client_ip_header: Some(axum::http::HeaderName::from_static("x-forwarded-for")),
        client_limits: entitle_server::throttle::ClientLimits::new(10, 3),
        ..state
    })
    .await
}

/// [`spawn_app`] with the state `adjust` makes of the usual one.
pub async fn spawn_app_adjusted(
    db: &TestDb,
    adjust: impl FnOnce(AppState) -> AppState,
) -> (TestApp, tempfile::TempDir) {
    let pool = Db::open(&db.url, 5).await.expect("open database");
    let (clock, hand) = Clock::manual_on(TODAY);
    demo::load_if_empty(&pool, &clock, PUBLIC_URL)
        .await
        .expect("demo data");
    let site = tempfile::tempdir().expect("site dir");
    write_site(site.path());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().unwrap();
    let sandbox = entitle_server::payments::SandboxProcessor::default();
    let state = adjust(AppState {
        auth: entitle_server::auth::AuthSettings {
            secure: false,
            ..entitle_server::auth::AuthSettings::default()
        },
        payments: std::sync::Arc::new(sandbox.clone()),
        ..AppState::new(pool.clone(), clock.clone())
    });
    let app = build_router(state.clone(), site.path().to_path_buf());
    tokio::spawn(async move {
        axum::serve(
            entitle_server::listener::Listener::new(listener),
            app.into_make_service_with_connect_info::<entitle_server::listener::Peer>(),
        )
        .await
        .expect("serve")
    });
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    (
        TestApp {
            addr,
            db: pool,
            clock,
            hand,
            client,
            site_dir: site.path().to_path_buf(),
            state,
            sandbox,
        },
        site,
    )
}

/// Declares one test per backend: `name::on_sqlite` and `name::on_postgres`, on the app `spawn` starts
/// (default [`spawn_app`]).
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, |$app:ident| $body:block) => {
        $crate::on_both_backends!($name, spawn = common::spawn_app, |$app| $body);
    };
    ($name:ident, spawn = $spawn:path, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: &common::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                let db = common::TestDb::new(common::Kind::Sqlite).await;
                let (app, _site) = $spawn(&db).await;
                run(&app).await;
                app.db.pool.close().await;
                db.drop_db().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                let db = common::TestDb::new(common::Kind::Postgres).await;
                let (app, _site) = $spawn(&db).await;
                run(&app).await;
                app.db.pool.close().await;
                db.drop_db().await;
            }
        }
    };
}

/// A change (method, path, JSON body) as a signed-in user: the status and the JSON answer (`Null` when
/// there is none).
pub async fn send(
    app: &TestApp,
    s: &Session,
    method: reqwest::Method,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let res = app.with(s, method, path).json(&body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(serde_json::Value::Null))
}

/// The decimal amount of a money value in a JSON answer.
pub fn dec(v: &serde_json::Value) -> rust_decimal::Decimal {
    v["amount"].as_str().unwrap().parse().unwrap()
}
