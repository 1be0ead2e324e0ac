//! Deterministic demo data: a catalog of about 2,100 parts, three customer organisations, their users,
//! reps, entitlements and renewal quotes. The same `today` always yields the same data; dates are laid
//! out relative to it so renewals are always coming due. See README "Demo data".

mod catalog;
mod customers;

use super::error::{DbError, DbResult};
use entitle_core::catalog::{Metric, PartNumber, PartType, PriceLevel};
use entitle_core::money::{Currency, Money};
use entitle_core::pricing::AgreementKind;
use rust_decimal::Decimal;
use sqlx::Any;
use time::{Date, Duration};

use super::{Db, Tx, format_date};
use crate::password;
pub use catalog::{DemoPart, catalog, catalog_of};
use catalog::{Rng, insert_catalog};
pub use customers::DEMO_ADMIN_TOTP_SECRET;
use customers::{insert_customers, insert_load_sites};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "entitle-demo";

/// The same day `years` later (28 February for 29 February).
fn add_years(d: Date, years: i32) -> Date {
    d.replace_year(d.year() + years)
        .unwrap_or_else(|_| d + Duration::days(365 * i64::from(years)))
}

/// How much demo data to load: the standard demo, or more for load tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoScale {
    /// At least this many catalog parts (0: the standard catalog of about 2,100).
    pub parts: usize,
    /// Generated customer sites added to the demo customers, each with one buyer
    /// (`buyer{k}@load.example`) and three entitlements coming due.
    pub load_sites: usize,
    /// Whether the renewal engine issues the due quotes right after loading (else its next run does).
    pub issue_quotes: bool,
}

impl Default for DemoScale {
    fn default() -> Self {
        DemoScale {
            parts: 0,
            load_sites: 0,
            issue_quotes: true,
        }
    }
}

/// Loads the standard demo data if the database has no parts yet, and queues the renewal notices of its
/// quotes with links to `public_url`. Returns whether it loaded anything.
///
/// # Errors
/// Database errors; nothing is written unless everything is (one transaction).
pub async fn load_if_empty(
    db: &Db,
    clock: &crate::clock::Clock,
    public_url: &str,
) -> DbResult<bool> {
    load_scaled_if_empty(db, clock, public_url, DemoScale::default()).await
}

/// [`load_if_empty`] at `scale`.
///
/// # Errors
/// Database errors; nothing is written unless everything is (one transaction).
pub async fn load_scaled_if_empty(
    db: &Db,
    clock: &crate::clock::Clock,
    public_url: &str,
    scale: DemoScale,
) -> DbResult<bool> {
    let today = clock.today();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM parts")
        .fetch_one(&db.pool)
        .await?;
    if n > 0 {
        return Ok(false);
    }
    let hash = password::hash(DEMO_PASSWORD)
        .map_err(|e| DbError::Internal(format!("hashing failed: {e}")))?;
    let mut tx = db.begin_write().await?;
    let parts = catalog_of(scale.parts);
    insert_catalog(&mut tx, &parts).await?;
    // Each licence part's S&S renewal part (same product code), for the entitlements new licences create.
    sqlx::query(
        "UPDATE parts SET renewal_part = 'E' || substr(part_number, 2, 4) || 'LL' \
         WHERE part_type IN ('license_sns', 'fixed_term') AND EXISTS (SELECT 1 FROM parts r \
         WHERE r.part_number = 'E' || substr(parts.part_number, 2, 4) || 'LL' AND r.part_type = 'sns_renewal')",
    )
    .execute(&mut *tx)
    .await?;
    let now = clock.now_unix();
    let reps = insert_customers(&mut tx, &parts, today, now, &hash).await?;
    if scale.load_sites > 0 {
        insert_load_sites(&mut tx, &parts, today, now, &hash, reps, scale.load_sites).await?;
    }
    super::commit(tx).await?;
    tracing::info!(
        parts = parts.len(),
        load_sites = scale.load_sites,
        "demo data loaded"
    );
    if scale.issue_quotes {
        // The renewal engine issues the quotes that are due and queues their notices (its hourly runs
        // do the rest: reminders, auto-renew, anniversaries).
        // One site at a time, in order: the same data gets the same quote numbers every time.
        crate::engine::Engine {
            sites_at_once: 1,
            ..crate::engine::Engine::new(db.clone(), clock.clone(), public_url)
        }
        .issue_due()
        .await
        .map_err(|e| match e {
            crate::engine::EngineError::Db(e) => e,
            crate::engine::EngineError::Rule(m) => DbError::Internal(m),
        })?;
    }
    Ok(true)
}

/// Inserts rows in multi-row batches: `columns` per row, values produced by `bind_row`.
async fn insert_batched<T>(
    tx: &mut Tx,
    table_and_columns: &str,
    columns: usize,
    rows: &[T],
    bind_row: impl for<'q> Fn(
        sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
        &'q T,
    ) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
) -> DbResult<()> {
    const ROWS_PER_STATEMENT: usize = 200;
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut sql = format!("INSERT INTO {table_and_columns} VALUES ");
        let mut n = 0;
        for (r, _) in chunk.iter().enumerate() {
            if r > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..columns {
                n += 1;
                if c > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("${n}"));
            }
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for row in chunk {
            q = bind_row(q, row);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

async fn insert_returning_id<'q>(
    tx: &mut Tx,
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
) -> DbResult<i64> {
    use sqlx::Row;
    Ok(q.fetch_one(&mut **tx).await?.try_get::<i64, _>(0)?)
}
