//! Crash safety: buyers place orders with idempotency keys while the server is killed (`kill -9`) at
//! random moments and restarted, on both databases. Every acknowledged order must exist exactly once
//! and whole, each key must stand for at most one order, SQLite's integrity check must pass, and no
//! card number may reach the database files or the server's log.
//!
//! `ENTITLE_CRASH_KILLS` sets the number of kills (5 here; the benchmark runs 20).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use sqlx::Connection;

const BIN: &str = env!("CARGO_BIN_EXE_entitle-server");
const BUYERS: usize = 6;

fn kills() -> usize {
    std::env::var("ENTITLE_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
}

/// A Luhn-valid test card number for buyer `k`, different from every number the other tests use.
fn card_number(k: usize) -> String {
    let body = format!("400034{k:09}");
    let sum: u32 = body
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| match (i % 2 == 0, d * 2) {
            (true, x) if x > 9 => x - 9,
            (true, x) => x,
            (false, _) => d,
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

struct Server {
    url: String,
    port: u16,
    log: PathBuf,
    child: Option<Child>,
}

impl Server {
    fn start(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let child = Command::new(BIN)
            .env("DATABASE_URL", &self.url)
            .env("ENTITLE_ADDR", format!("127.0.0.1:{}", self.port))
            .env("ENTITLE_DEMO", "1")
            .env("ENTITLE_DEMO_LOAD_SITES", BUYERS.to_string())
            .env("ENTITLE_ENGINE", "0")
            .env("ENTITLE_SITE_DIR", "/nonexistent")
            .env("RUST_LOG", "info")
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap();
        self.child = Some(child);
    }

    async fn wait_ready(&mut self, client: &reqwest::Client) {
        for _ in 0..600 {
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().unwrap()) {
                panic!(
                    "the server stopped ({status}): {}",
                    std::fs::read_to_string(&self.log).unwrap_or_default()
                );
            }
            if client
                .get(self.base("/api/v1/health"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server did not start");
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().unwrap(); // SIGKILL: no shutdown, no flush
            c.wait().unwrap();
        }
    }

    fn base(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

struct Buyer {
    k: usize,
    cookie: String,
    csrf: String,
}

fn order_body(k: usize) -> Value {
    let (country, postal, region, tax_id) = match k % 3 {
        0 => ("US", "78701", "TX", ""),
        1 => ("ID", "12190", "DKI Jakarta", "0123456789012345"),
        _ => ("DE", "80331", "", ""),
    };
    json!({
        "site": format!("{}", 6_000_000 + k),
        "billing": {
            "address": { "name": "Crash Test Co", "line1": "Main Street 1", "city": "City", "region": region, "postal_code": postal, "country": country },
            "contact_name": "Pat Buyer", "email": "pat@crash.example", "phone": "+1 555 0100", "tax_id": tax_id
        },
        "accept_terms": true,
        "terms_version": "2026-01",
        "payment": { "method": "card", "number": card_number(k), "exp_month": "12", "exp_year": "2040", "security_code": "737", "name": "Pat Buyer" }
    })
}

/// Places orders one after another until `stop`, retrying each key through crashes; returns the
/// references the server acknowledged (201).
async fn buyer_loop(
    client: reqwest::Client,
    base: String,
    part: String,
    b: Buyer,
    stop: Arc<AtomicBool>,
) -> Vec<String> {
    let mut acknowledged = Vec::new();
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        // Fill the cart (retrying while the server is down); a line left by an order that never
        // committed is fine: the next order takes it too.
        let added = client
            .post(format!("{base}/api/v1/cart/lines"))
            .header("cookie", &b.cookie)
            .header("x-csrf-token", &b.csrf)
            .json(&json!({ "site": format!("{}", 6_000_000 + b.k), "part_number": part, "quantity": 1 }))
            .send()
            .await;
        if !added.is_ok_and(|r| r.status().is_success()) {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        }
        n += 1;
        let key = format!("crash-{}-{n}", b.k);
        // The same key until the server answers: a lost answer must not become a second order.
        for _ in 0..200 {
            let res = client
                .post(format!("{base}/api/v1/orders"))
                .header("cookie", &b.cookie)
                .header("x-csrf-token", &b.csrf)
                .header("idempotency-key", &key)
                .json(&order_body(b.k))
                .send()
                .await;
            match res {
                Ok(r) if r.status().as_u16() == 201 => {
                    let body: Value = r.json().await.unwrap_or(Value::Null);
                    if let Some(reference) = body["reference"].as_str() {
                        acknowledged.push(reference.to_owned());
                    }
                    break;
                }
                // The request holding the key died with the server before writing the order: the
                // key is busy until it is known dead (ten minutes, tested in commerce.rs); this buyer
                // moves on.
                Ok(r) if r.status().as_u16() == 409 => break,
                // A retry after a lost answer replays the order (201 above); any other answer ends
                // the key.
                Ok(_) => break,
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }
    acknowledged
}

async fn crash_test(kind: common::Kind) {
    let db = common::TestDb::new(kind).await;
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Server {
        url: db.url.clone(),
        port,
        log: dir.path().join("server.log"),
        child: None,
    };
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    server.start();
    server.wait_ready(&client).await;

    let page: Value = client
        .get(server.base("/api/v1/catalog/parts?part_type=license_sns&per_page=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let part = page["items"][0]["part_number"].as_str().unwrap().to_owned();
    let mut buyers = Vec::new();
    for k in 0..BUYERS {
        let res = client
            .post(server.base("/api/v1/session"))
            .json(&json!({ "email": format!("buyer{k}@load.example"), "password": "entitle-demo" }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let cookie = res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let body: Value = res.json().await.unwrap();
        buyers.push(Buyer {
            k,
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
        });
    }

    let stop = Arc::new(AtomicBool::new(false));
    let tasks: Vec<_> = buyers
        .into_iter()
        .map(|b| {
            tokio::spawn(buyer_loop(
                client.clone(),
                server.base(""),
                part.clone(),
                b,
                stop.clone(),
            ))
        })
        .collect();
    for _ in 0..kills() {
        tokio::time::sleep(Duration::from_millis(rand::random_range(150..700))).await;
        server.kill();
        server.start();
        server.wait_ready(&client).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::SeqCst);
    let mut acknowledged = Vec::new();
    for t in tasks {
        acknowledged.extend(t.await.unwrap());
    }
    server.kill();
    assert!(
        acknowledged.len() >= kills(),
        "too few orders under load to mean anything: {}",
        acknowledged.len()
    );

    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    for reference in &acknowledged {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE reference = $1")
            .bind(reference)
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(n, 1, "acknowledged order {reference} stored {n} times");
    }
    let partial: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id) \
         OR (SELECT COUNT(*) FROM payments p WHERE p.order_id = o.id) <> 1 \
         OR NOT EXISTS (SELECT 1 FROM terms_acceptances t WHERE t.order_id = o.id)",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        partial, 0,
        "orders without lines, payment or accepted terms"
    );
    let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let keyed: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT order_reference) FROM idempotency_keys WHERE state = 'done' AND order_reference IS NOT NULL",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    let keys_done: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM idempotency_keys WHERE state = 'done' AND order_reference IS NOT NULL",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        (orders, keys_done),
        (keyed, keyed),
        "each order has its key completed with it, and no key two orders"
    );
    let uncaptured: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders o JOIN payments p ON p.order_id = o.id AND p.method = 'card' \
         WHERE NOT EXISTS (SELECT 1 FROM card_charges c WHERE c.reference = o.reference AND c.order_id = o.id AND c.status = 'captured')",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        uncaptured, 0,
        "every card order captured its recorded charge"
    );
    let charges: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM card_charges c WHERE c.status <> 'captured' AND EXISTS (SELECT 1 FROM orders o WHERE o.reference = c.reference)",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        charges, 0,
        "no charge of a written order is left to be voided"
    );
    if kind == common::Kind::Sqlite {
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(check, "ok");
    }
    conn.close().await.unwrap();

    // Card data: none of the numbers paid with in the files the server wrote.
    let mut files: Vec<PathBuf> = vec![server.log.clone()];
    if let Some(path) = db.url.strip_prefix("sqlite://") {
        let path = Path::new(path);
        for f in std::fs::read_dir(path.parent().unwrap()).unwrap() {
            files.push(f.unwrap().path());
        }
    }
    let mut dumps = vec![];
    if kind == common::Kind::Postgres {
        let dump = Command::new("pg_dump")
            .arg(&db.url)
            .output()
            .expect("pg_dump (PostgreSQL's client tools)");
        assert!(dump.status.success());
        dumps.push(("pg_dump".to_owned(), dump.stdout));
    }
    for file in &files {
        dumps.push((
            file.display().to_string(),
            std::fs::read(file).unwrap_or_default(),
        ));
    }
    for (name, bytes) in &dumps {
        let text = String::from_utf8_lossy(bytes);
        for k in 0..BUYERS {
            let number = card_number(k);
            assert!(!text.contains(&number), "a card number in {name}");
        }
    }
    eprintln!(
        "crash test on {kind:?}: {} kills, {} orders acknowledged, {orders} stored, all whole, each once",
        kills(),
        acknowledged.len()
    );
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_orders_survive_kill_9_exactly_once_and_whole_on_sqlite() {
    crash_test(common::Kind::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_orders_survive_kill_9_exactly_once_and_whole_on_postgres() {
    crash_test(common::Kind::Postgres).await;
}
