//! Load tools for `./dev.sh bench` (scripts/bench.sh); each prints one JSON line of figures.
//!
//! ```text
//! cargo run --release -p entitle-server --example load -- bare <addr>
//!     serve one JSON route with nothing around it (the framework's limit on this machine)
//! cargo run --release -p entitle-server --example load -- orders <base-url> <buyers> <rounds> [first]
//!     buyers buyer{k}@load.example (ENTITLE_DEMO_LOAD_SITES; k from `first`, default 0) fill their
//!     carts, then all submit at once, round after round: orders/s over the submissions, p50 and p99
//!     of a submission
//! cargo run --release -p entitle-server --example load -- commits <database-url> <n>
//!     n durable single-row commits in a row on the server's own connection settings: commits/s
//! ```
//!
//! Card numbers are Luhn-valid test numbers made from the buyer's index (`card_number`), so the
//! card-data audit knows what to look for.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
    let result = match arg(0).as_str() {
        "bare" => bare(&arg(1)).await,
        "orders" => {
            orders(
                &arg(1),
                arg(2).parse().unwrap_or(16),
                arg(3).parse().unwrap_or(20),
                arg(4).parse().unwrap_or(0),
            )
            .await
        }
        "commits" => commits(&arg(1), arg(2).parse().unwrap_or(2_000)).await,
        _ => Err("usage: load bare <addr> | orders <base-url> <buyers> <rounds> [first] | commits <database-url> <n>".into()),
    };
    if let Err(e) = result {
        eprintln!("load: {e}");
        std::process::exit(1);
    }
}

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

async fn bare(addr: &str) -> Res<()> {
    let app = axum::Router::new().route(
        "/bare",
        axum::routing::get(|| async { axum::Json(json!({ "status": "ok" })) }),
    );
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    println!("{}", json!({ "listening": addr }));
    axum::serve(listener, app).await?;
    Ok(())
}

/// A Luhn-valid 16-digit test card number for buyer `k` (prefix 4000 12).
#[must_use]
pub fn card_number(k: usize) -> String {
    let body = format!("400012{k:09}");
    let digits: Vec<u32> = body.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                *d
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

struct Buyer {
    k: usize,
    cookie: String,
    csrf: String,
}

fn order_body(k: usize) -> Value {
    // The load sites cycle through these countries (server/src/db/demo/customers.rs).
    let (country, postal, region, tax_id) = match k % 3 {
        0 => ("US", "78701", "TX", ""),
        1 => ("ID", "12190", "DKI Jakarta", "0123456789012345"),
        _ => ("DE", "80331", "", ""),
    };
    json!({
        "site": format!("{}", 6_000_000 + k),
        "billing": {
            "address": { "name": "Load Test Co", "line1": "Main Street 1", "city": "City", "region": region, "postal_code": postal, "country": country },
            "contact_name": "Pat Buyer", "email": "pat@load.example", "phone": "+1 555 0100", "tax_id": tax_id
        },
        "accept_terms": true,
        "terms_version": "2026-01",
        "payment": { "method": "card", "number": card_number(k), "exp_month": "12", "exp_year": "2040", "security_code": format!("{:03}", 100 + k % 900), "name": "Pat Buyer" }
    })
}

async fn sign_in(client: &reqwest::Client, base: &str, k: usize) -> Res<Buyer> {
    let res = client
        .post(format!("{base}/api/v1/session"))
        .json(&json!({ "email": format!("buyer{k}@load.example"), "password": "entitle-demo" }))
        .send()
        .await?;
    if !res.status().is_success() {
        return Err(format!("sign-in of buyer{k} answered {}", res.status()).into());
    }
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .to_owned();
    let body: Value = res.json().await?;
    Ok(Buyer {
        k,
        cookie,
        csrf: body["csrf_token"].as_str().unwrap_or_default().to_owned(),
    })
}

async fn orders(base: &str, buyers: usize, rounds: usize, first: usize) -> Res<()> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(buyers)
        .build()?;
    let page: Value = client
        .get(format!(
            "{base}/api/v1/catalog/parts?part_type=license_sns&per_page=1"
        ))
        .send()
        .await?
        .json()
        .await?;
    let part = page["items"][0]["part_number"]
        .as_str()
        .ok_or("no licence part in the catalog")?
        .to_owned();
    let mut signed_in = Vec::new();
    for k in first..first + buyers {
        signed_in.push(sign_in(&client, base, k).await?);
    }
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(buyers));
    // Keys are new in every run: a key used before is answered from the store, not placed again.
    let run: u64 = rand::random();
    let mut tasks = Vec::new();
    for b in signed_in {
        let (client, base, part, barrier) = (
            client.clone(),
            base.to_owned(),
            part.clone(),
            barrier.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut phase_starts = Vec::new();
            for round in 0..rounds {
                let add = client
                    .post(format!("{base}/api/v1/cart/lines"))
                    .header("cookie", &b.cookie)
                    .header("x-csrf-token", &b.csrf)
                    .json(&json!({ "site": format!("{}", 6_000_000 + b.k), "part_number": part, "quantity": 1 }))
                    .send()
                    .await?;
                if !add.status().is_success() {
                    return Err(format!("adding a line answered {}", add.status()).into());
                }
                // Every buyer's cart is filled: all submit together.
                barrier.wait().await;
                let started = Instant::now();
                phase_starts.push(started);
                let res = client
                    .post(format!("{base}/api/v1/orders"))
                    .header("cookie", &b.cookie)
                    .header("x-csrf-token", &b.csrf)
                    .header("idempotency-key", format!("load-{run:x}-{}-{round}", b.k))
                    .json(&order_body(b.k))
                    .send()
                    .await?;
                let status = res.status();
                let body: Value = res.json().await.unwrap_or(Value::Null);
                latencies.push(started.elapsed());
                if status.as_u16() != 201 {
                    return Err(format!("an order answered {status}: {body}").into());
                }
                barrier.wait().await;
            }
            Res::Ok((latencies, phase_starts))
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    let mut phases: Vec<(Instant, Duration)> = Vec::new();
    for t in tasks {
        let (l, starts) = t.await??;
        for (s, d) in starts.iter().zip(&l) {
            phases.push((*s, *d));
        }
        latencies.extend(l);
    }
    // A round lasts from its first submission's start to its last one's end.
    let mut rounds_time = Duration::ZERO;
    phases.sort_by_key(|p| p.0);
    for chunk in phases.chunks(buyers) {
        let start = chunk.iter().map(|p| p.0).min();
        let end = chunk.iter().map(|p| p.0 + p.1).max();
        if let (Some(s), Some(e)) = (start, end) {
            rounds_time += e - s;
        }
    }
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let n = latencies.len();
    println!(
        "{}",
        json!({
            "orders": n,
            "seconds": rounds_time.as_secs_f64(),
            "per_sec": n as f64 / rounds_time.as_secs_f64().max(1e-9),
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
        })
    );
    Ok(())
}

async fn commits(database_url: &str, n: usize) -> Res<()> {
    let db = entitle_server::db::Db::open(database_url, 2).await?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS bench_commits (id BIGINT PRIMARY KEY, note TEXT NOT NULL)",
    )
    .execute(&db.pool)
    .await?;
    sqlx::query("DELETE FROM bench_commits")
        .execute(&db.pool)
        .await?;
    let started = Instant::now();
    for i in 0..n {
        let mut tx = db.begin_write().await?;
        sqlx::query("INSERT INTO bench_commits (id, note) VALUES ($1, $2)")
            .bind(i64::try_from(i)?)
            .bind("one durable row")
            .execute(&mut *tx)
            .await?;
        entitle_server::db::commit(tx).await?;
    }
    let secs = started.elapsed().as_secs_f64();
    sqlx::query("DROP TABLE bench_commits")
        .execute(&db.pool)
        .await?;
    println!(
        "{}",
        json!({ "commits": n, "seconds": secs, "per_sec": n as f64 / secs.max(1e-9) })
    );
    Ok(())
}
