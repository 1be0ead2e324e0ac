//! The renewal engine: a scheduled job in every server that
//!
//! 1. expires renewal quotes past their validity date,
//! 2. auto-renews, on the anniversary, the quotes whose customer left auto-renew on (where the site's
//!    country allows it), at the quoted price,
//! 3. moves each site's anniversary on once it has passed, and recomputes an organisation's price level
//!    from the points of the term that ended,
//! 4. issues renewal quotes from [`NOTICE_DAYS`] before each site's anniversary, co-termed to it, with
//!    reinstatement lines for lapsed coverage, and queues the notice (to the Business Partner as well
//!    when it owns the renewal),
//! 5. queues the 60- and 30-day reminders.
//!
//! Several servers may run it at once against one database. An engine **claims** a (site, due date)
//! with a lease in `renewal_claims` before issuing; a claim whose holder died is taken over once its
//! lease ran out; and a unique index on (site, due date) makes a second quote impossible whatever
//! happens. Everything a step writes is in one transaction, so a crash leaves nothing half-done.

use std::time::Duration as StdDuration;

use entitle_core::catalog::PartNumber;
use entitle_core::money::Money;
use entitle_core::pricing::cart::{IssuedPrice, Totals, price_issued};
use entitle_core::pricing::{CustomerContext, PricingRules, price};
use entitle_core::quote::{QuoteEvent, QuoteStatus};
use entitle_core::renewal::{
    NOTICE_DAYS, auto_renew_allowed, level_for_next_term, next_anniversary, one_year_after,
    plan_lines, quote_due,
};
use time::Date;

use crate::clock::Clock;
use crate::db::access::{SiteAccess, site_by_id};
use crate::db::cart::price_book;
use crate::db::engine as stored;
use crate::db::{Db, journal};
use crate::notices::{self, NoticeKind};

mod anniversaries;
mod auto_renew;
mod expire;
mod issue;

/// How long a claim holds before another engine may take it over.
pub const LEASE_SECS: i64 = 300;

/// How many sites one commit claims: their quotes are issued well within a lease ([`LEASE_SECS`]).
const CLAIM_BATCH: usize = 50;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Renewal quotes issued.
    pub issued: usize,
    /// Quotes expired.
    pub expired: usize,
    /// Quotes renewed automatically (orders placed).
    pub auto_renewed: usize,
    /// Site anniversaries moved on.
    pub anniversaries: usize,
    /// Reminders queued.
    pub reminders: usize,
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The database failed.
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    /// A rule refused a stored value (e.g. a quote in an unexpected state).
    #[error("{0}")]
    Rule(String),
}

impl From<crate::db::quotes::StepError> for EngineError {
    fn from(e: crate::db::quotes::StepError) -> Self {
        match e {
            crate::db::quotes::StepError::Db(e) => EngineError::Db(e),
            other => EngineError::Rule(other.to_string()),
        }
    }
}

/// One engine: who it is (for leases) and where its links point.
#[derive(Debug, Clone)]
pub struct Engine {
    /// The database.
    pub db: Db,
    /// Where "now" comes from (leases, timestamps, the scheduled runs' day).
    pub clock: Clock,
    /// The portal's address for links in mail.
    pub public_url: String,
    /// This engine's name in claims (unique per process).
    pub holder: String,
    /// Sites whose quotes it issues at the same time (1: in site order, so quote numbers follow it).
    pub sites_at_once: usize,
}

impl Engine {
    /// An engine with a fresh random holder name.
    #[must_use]
    pub fn new(db: Db, clock: Clock, public_url: impl Into<String>) -> Self {
        Engine {
            db,
            clock,
            public_url: public_url.into(),
            holder: format!("engine-{}", crate::auth::new_token()),
            sites_at_once: 4,
        }
    }

    /// Runs every step once for the clock's today.
    ///
    /// # Errors
    /// The first database error; steps already committed stay committed.
    pub async fn run_once(&self) -> Result<RunReport, EngineError> {
        let today = self.clock.today();
        // Each step's duration is logged (an operating figure: where a slow run spends its time); a
        // duration, not a date, so it comes from the monotonic timer rather than the clock.
        let mut started = std::time::Instant::now();
        let mut lap = |step: &'static str| {
            tracing::info!(
                step,
                elapsed_ms = started.elapsed().as_millis(),
                "renewal engine step"
            );
            started = std::time::Instant::now();
        };
        let mut report = RunReport {
            expired: self.expire(today).await?,
            ..RunReport::default()
        };
        lap("expire");
        report.auto_renewed = self.auto_renew(today).await?;
        lap("auto-renew");
        report.anniversaries = self.roll_anniversaries(today).await?;
        lap("anniversaries");
        report.issued = self.issue_due().await?;
        lap("issue");
        report.reminders =
            notices::queue_due_reminders(&self.db, &self.clock, &self.public_url).await?;
        lap("reminders");
        Ok(report)
    }

    /// Runs now and then every `every` until the process ends; a failed run is logged and retried at the
    /// next tick.
    pub fn spawn(self, every: StdDuration) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                // How long a run takes is an operating figure (the benchmark reads it); a duration,
                // not a date, so it comes from the monotonic timer rather than the clock.
                let started = std::time::Instant::now();
                match self.run_once().await {
                    // One line an hour, so an operator sees the engine is alive and how long it takes.
                    Ok(r) => tracing::info!(
                        ?r,
                        elapsed_ms = started.elapsed().as_millis(),
                        "renewal engine run"
                    ),
                    Err(e) => tracing::error!(error = %e, "renewal engine run failed"),
                }
            }
        });
    }
}

/// The same day one year earlier (28 February for 29 February).
fn one_year_before(d: Date) -> Date {
    d.replace_year(d.year() - 1)
        .or_else(|_| (d - time::Duration::days(1)).replace_year(d.year() - 1))
        .unwrap_or(d)
}

/// The pricing context of a site on `today`.
fn context_of(site: &SiteAccess, today: Date) -> CustomerContext {
    CustomerContext {
        agreement: site.agreement,
        level: site.level,
        points: site.points,
        country: site.summary.country,
        currency: site.summary.currency,
        anniversary: site.anniversary,
        today,
    }
}

/// A free order reference.
///
/// # Errors
/// Database errors, or no free reference after ten draws.
pub async fn new_reference(
    conn: &mut sqlx::AnyConnection,
) -> Result<entitle_core::order::OrderReference, EngineError> {
    use entitle_core::order::OrderReference;
    for _ in 0..10 {
        let r =
            OrderReference::from_payload(rand::random::<u64>() % (OrderReference::MAX_PAYLOAD + 1));
        if !crate::db::orders::reference_taken(&mut *conn, &r).await? {
            return Ok(r);
        }
    }
    Err(EngineError::Rule(
        "could not draw a free order reference".into(),
    ))
}
