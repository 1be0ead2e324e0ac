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

use entitle_core::catalog::{PartNumber, PriceLevel};
use entitle_core::money::Money;
use entitle_core::pricing::cart::{IssuedPrice, Totals, price_issued};
use entitle_core::pricing::{CustomerContext, PricingRules, price};
use entitle_core::quote::{QuoteEvent, QuoteStatus};
use entitle_core::renewal::{
    Coverage, NOTICE_DAYS, auto_renew_allowed, level_for_next_term, next_anniversary,
    one_year_after, plan_lines, quote_due,
};
use sqlx::Row;
use time::Date;

use crate::clock::Clock;
use crate::db::access::{SiteAccess, site_by_id};
use crate::db::cart::price_book;
use crate::db::{Db, format_date, journal, parse_date};
use crate::notices::{self, NoticeKind};

/// How long a claim holds before another engine may take it over.
pub const LEASE_SECS: i64 = 300;

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
    Db(#[from] sqlx::Error),
    /// A rule refused a stored value (e.g. a quote in an unexpected state).
    #[error("{0}")]
    Rule(String),
}

impl From<crate::error::ApiError> for EngineError {
    fn from(e: crate::error::ApiError) -> Self {
        match e {
            crate::error::ApiError::Database(e) => EngineError::Db(e),
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
        }
    }

    /// Runs every step once for the clock's today.
    ///
    /// # Errors
    /// The first database error; steps already committed stay committed.
    pub async fn run_once(&self) -> Result<RunReport, EngineError> {
        let today = self.clock.today();
        let mut report = RunReport {
            expired: self.expire(today).await?,
            auto_renewed: self.auto_renew(today).await?,
            anniversaries: self.roll_anniversaries(today).await?,
            ..RunReport::default()
        };
        report.issued = self.issue_due().await?;
        report.reminders =
            notices::queue_due_reminders(&self.db, &self.clock, &self.public_url).await?;
        Ok(report)
    }

    /// Runs now and then every `every` until the process ends; a failed run is logged and retried at the
    /// next tick.
    pub fn spawn(self, every: StdDuration) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                match self.run_once().await {
                    Ok(r) if r == RunReport::default() => {}
                    Ok(r) => tracing::info!(?r, "renewal engine run"),
                    Err(e) => tracing::error!(error = %e, "renewal engine run failed"),
                }
            }
        });
    }

    /// Quotes past their validity date that nobody ordered become expired: renewal quotes, and sales
    /// reps' quotes (quote requests) the customer did not accept.
    async fn expire(&self, today: Date) -> Result<usize, EngineError> {
        let mut tx = self.db.begin_write().await?;
        let requests = crate::db::quote_requests::expire_due(&mut tx, today).await?;
        for number in &requests {
            journal::audit(
                &mut tx,
                self.clock.now_unix(),
                None,
                "quote_request.expire",
                number,
                "past its validity date",
            )
            .await?;
        }
        tx.commit().await?;
        let n = requests.len() + self.expire_renewal_quotes(today).await?;
        Ok(n)
    }

    async fn expire_renewal_quotes(&self, today: Date) -> Result<usize, EngineError> {
        let rows = sqlx::query(
            "SELECT id, quote_number, status, version FROM renewal_quotes \
             WHERE valid_until < $1 AND status IN ('issued', 'change_requested', 'reissued', 'in_cart') ORDER BY id",
        )
        .bind(format_date(today))
        .fetch_all(&self.db.pool)
        .await?;
        let mut n = 0;
        for r in rows {
            let status = QuoteStatus::from_code(&r.try_get::<String, _>("status")?)
                .ok_or_else(|| EngineError::Rule("bad quote status".into()))?;
            let mut tx = self.db.begin_write().await?;
            let id: i64 = r.try_get("id")?;
            // Another engine may have expired it first: that is not an error.
            if crate::db::quotes::transition(&mut tx, id, status, QuoteEvent::Expire, false)
                .await
                .is_ok()
            {
                journal::audit(
                    &mut tx,
                    self.clock.now_unix(),
                    None,
                    "quote.expire",
                    r.try_get::<String, _>("quote_number")?,
                    "past its validity date",
                )
                .await?;
                tx.commit().await?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// On the anniversary, orders the quotes left on auto-renew at their quoted prices.
    async fn auto_renew(&self, today: Date) -> Result<usize, EngineError> {
        let rows = sqlx::query(
            "SELECT q.id, q.site_id, q.quote_number, q.status, q.version, q.due_date, s.country FROM renewal_quotes q \
             JOIN sites s ON s.id = q.site_id \
             WHERE q.auto_renew = 1 AND s.business_partner_id IS NULL AND q.due_date <= $1 AND q.valid_until >= $1 \
               AND q.status IN ('issued', 'reissued', 'in_cart') ORDER BY q.id",
        )
        .bind(format_date(today))
        .fetch_all(&self.db.pool)
        .await?;
        let mut n = 0;
        for r in rows {
            let country: String = r.try_get("country")?;
            if !country.parse().is_ok_and(auto_renew_allowed) {
                continue;
            }
            if self.auto_renew_one(&r, today).await? {
                n += 1;
            }
        }
        Ok(n)
    }

    async fn auto_renew_one(
        &self,
        r: &sqlx::any::AnyRow,
        today: Date,
    ) -> Result<bool, EngineError> {
        let quote_id: i64 = r.try_get("id")?;
        let site_id: i64 = r.try_get("site_id")?;
        let number: String = r.try_get("quote_number")?;
        let version: i64 = r.try_get("version")?;
        let due = parse_date(&r.try_get::<String, _>("due_date")?)?;
        let status = QuoteStatus::from_code(&r.try_get::<String, _>("status")?)
            .ok_or_else(|| EngineError::Rule("bad quote status".into()))?;
        let Some(site) = site_by_id(&self.db.pool, site_id).await? else {
            return Ok(false);
        };
        let mut tx = self.db.begin_write().await?;
        // Lock the quote while it is still open: a second engine waits here, then finds it ordered.
        let open = sqlx::query(
            "UPDATE renewal_quotes SET auto_renew = auto_renew WHERE id = $1 AND status = $2 AND auto_renew = 1",
        )
        .bind(quote_id)
        .bind(status.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if open != 1 {
            return Ok(false);
        }
        // The primary contact places it; the billing details of the site's last order are reused.
        let Some(buyer) = sqlx::query(
            "SELECT u.id, u.email FROM site_access a JOIN users u ON u.id = a.user_id \
             WHERE a.site_id = $1 AND a.is_primary = 1 ORDER BY u.id",
        )
        .bind(site_id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(false);
        };
        let buyer_id: i64 = buyer.try_get("id")?;
        let buyer_email: String = buyer.try_get("email")?;
        let billing: Option<(String, Option<String>)> = sqlx::query_as(
            "SELECT billing_json, shipping_json FROM orders WHERE site_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(site_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((billing, shipping)) = billing else {
            // Nothing to bill to: the customer is told to renew online instead (once per quote).
            let inserted = sqlx::query(
                "INSERT INTO renewal_notices (quote_id, kind, version, sent_at) VALUES ($1, 'auto_renew_failed', $2, $3) \
                 ON CONFLICT (quote_id, kind, version) DO NOTHING",
            )
            .bind(quote_id)
            .bind(version)
            .bind(self.clock.now_unix())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 1 {
                journal::queue_mail(
                    &mut tx,
                    self.clock.now_unix(),
                    "auto_renew_failed",
                    &buyer_email,
                    format!("Renewal quote {number} could not renew automatically"),
                    format!(
                        "Hello,\n\nrenewal quote {number} was set to renew automatically today, but the site has no billing details on file yet. Renew it online:\n\n{}\n",
                        notices::quote_link(&self.public_url, &number)
                    ),
                )
                .await?;
                tx.commit().await?;
            }
            return Ok(false);
        };
        let lines = sqlx::query(
            "SELECT l.id, l.part_number, l.quantity, l.coverage_start, l.coverage_end, l.unit_minor, p.part_type, p.description \
             FROM renewal_quote_lines l JOIN parts p ON p.part_number = l.part_number \
             WHERE l.quote_id = $1 AND l.version = $2 ORDER BY l.id",
        )
        .bind(quote_id)
        .bind(version)
        .fetch_all(&mut *tx)
        .await?;
        let context = context_of(&site, today);
        let currency = site.summary.currency;
        let mut priced_lines = Vec::new();
        let mut totals = Totals::zero(currency);
        for l in &lines {
            let part = PartNumber::parse(&l.try_get::<String, _>("part_number")?)
                .map_err(|e| EngineError::Rule(e.to_string()))?;
            let part_type = l
                .try_get::<String, _>("part_type")?
                .parse()
                .map_err(|_| EngineError::Rule("bad part type".into()))?;
            let unit = Money::from_minor(l.try_get("unit_minor")?, currency);
            let term = entitle_core::pricing::Term::Coverage {
                start: parse_date(&l.try_get::<String, _>("coverage_start")?)?,
                end: parse_date(&l.try_get::<String, _>("coverage_end")?)?,
            };
            let qty = u32::try_from(l.try_get::<i64, _>("quantity")?).unwrap_or(0);
            let issued = IssuedPrice {
                part,
                part_type,
                unit,
            };
            let p = price_issued(&context, issued, qty, term, due)
                .and_then(|p| totals.add(&p).map(|()| p))
                .map_err(|e| EngineError::Rule(format!("pricing quote {number}: {e}")))?;
            if let Some(line) = p.lines.into_iter().next() {
                priced_lines.push((
                    l.try_get::<i64, _>("id")?,
                    l.try_get::<String, _>("description")?,
                    line,
                ));
            }
        }
        let reference = new_reference(&mut tx).await?;
        let terms: String = sqlx::query_scalar(
            "SELECT version FROM terms_versions ORDER BY published_at DESC LIMIT 1",
        )
        .fetch_one(&mut *tx)
        .await?;
        let now = self.clock.now_unix();
        let order = crate::db::orders::NewOrder {
            reference,
            site_id,
            user_id: buyer_id,
            renewal_quote_id: Some(quote_id),
            currency,
            level: site.level,
            totals,
            billing_json: &billing,
            shipping_json: shipping.as_deref(),
            terms_version: &terms,
            auto_renewed: true,
            at: now,
            lines: priced_lines
                .iter()
                .map(
                    |(line_id, description, l)| crate::db::orders::NewOrderLine {
                        priced: l,
                        description,
                        renewal_line_id: Some(*line_id),
                        quote_request_id: None,
                    },
                )
                .collect(),
            // Invoiced: no card is kept on file.
            payment: crate::db::orders::NewPayment {
                method: entitle_core::order::PaymentMethod::PurchaseOrder,
                token: None,
                card: None,
                po_number: Some(format!("AUTO-RENEWAL {number}")),
            },
        };
        crate::db::orders::insert(&mut tx, &order).await?;
        // The quote leaves any cart it was in; the life cycle goes through "in cart" to "ordered".
        sqlx::query(
            "DELETE FROM cart_lines WHERE renewal_line_id IN (SELECT id FROM renewal_quote_lines WHERE quote_id = $1)",
        )
        .bind(quote_id)
        .execute(&mut *tx)
        .await?;
        let in_cart = if status == QuoteStatus::InCart {
            status
        } else {
            crate::db::quotes::transition(
                &mut tx,
                quote_id,
                status,
                QuoteEvent::AddToCart,
                version > 1,
            )
            .await?
        };
        crate::db::quotes::transition(&mut tx, quote_id, in_cart, QuoteEvent::Order, version > 1)
            .await?;
        journal::queue_mail(
            &mut tx,
            self.clock.now_unix(),
            "order_confirmation",
            &buyer_email,
            format!("Renewal quote {number} renewed automatically: order {reference}"),
            format!(
                "Hello,\n\nas you chose, renewal quote {number} for {} ({}) renewed automatically today at the quoted price: order {reference}, total {}, invoiced.\n\nYou can follow it under Orders in Entitle.\n",
                site.summary.name,
                site.summary.customer_number,
                entitle_core::locale::Locale::En.money(&totals.total)
            ),
        )
        .await?;
        journal::audit(
            &mut tx,
            self.clock.now_unix(),
            None,
            "order.auto_renew",
            reference.to_string(),
            format!("quote {number} total {}", totals.total),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(%reference, quote = %number, "auto-renewed");
        Ok(true)
    }

    /// Moves past anniversaries on by a year, and starts a new points term for organisations whose
    /// term ended, at the level its points earned.
    async fn roll_anniversaries(&self, today: Date) -> Result<usize, EngineError> {
        let mut tx = self.db.begin_write().await?;
        let mut n = 0;
        for r in sqlx::query("SELECT id, anniversary FROM sites WHERE anniversary < $1 ORDER BY id")
            .bind(format_date(today))
            .fetch_all(&mut *tx)
            .await?
        {
            let next =
                next_anniversary(parse_date(&r.try_get::<String, _>("anniversary")?)?, today);
            sqlx::query("UPDATE sites SET anniversary = $1 WHERE id = $2")
                .bind(format_date(next))
                .bind(r.try_get::<i64, _>("id")?)
                .execute(&mut *tx)
                .await?;
            n += 1;
        }
        for r in sqlx::query(
            "SELECT id, agreement_number, agreement_kind, price_level, points, term_start FROM organisations ORDER BY id",
        )
        .fetch_all(&mut *tx)
        .await?
        {
            let id: i64 = r.try_get("id")?;
            let Some(start) = r.try_get::<Option<String>, _>("term_start")? else {
                // First run: the current points term is the year up to the organisation's first
                // site anniversary, so the level is recomputed on that anniversary.
                let first: Option<String> = sqlx::query_scalar(
                    "SELECT MIN(anniversary) FROM sites WHERE organisation_id = $1",
                )
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                let end = match first {
                    Some(d) => next_anniversary(parse_date(&d)?, today),
                    None => one_year_after(today),
                };
                sqlx::query("UPDATE organisations SET term_start = $1 WHERE id = $2")
                    .bind(format_date(one_year_before(end)))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                continue;
            };
            let start = parse_date(&start)?;
            if one_year_after(start) > today {
                continue;
            }
            let mut new_start = one_year_after(start);
            while one_year_after(new_start) <= today {
                new_start = one_year_after(new_start);
            }
            let kind = if r.try_get::<String, _>("agreement_kind")? == "express" {
                entitle_core::pricing::AgreementKind::Express
            } else {
                entitle_core::pricing::AgreementKind::Relationship
            };
            let held: PriceLevel = r
                .try_get::<String, _>("price_level")?
                .parse()
                .map_err(|_| EngineError::Rule("bad price level".into()))?;
            let points = u64::try_from(r.try_get::<i64, _>("points")?).unwrap_or(0);
            let level = level_for_next_term(kind, held, points);
            sqlx::query(
                "UPDATE organisations SET price_level = $1, points = 0, term_start = $2 WHERE id = $3",
            )
            .bind(level.code())
            .bind(format_date(new_start))
            .bind(id)
            .execute(&mut *tx)
            .await?;
            journal::audit(
                &mut tx,
                self.clock.now_unix(),
                None,
                "organisation.level",
                r.try_get::<String, _>("agreement_number")?,
                format!("{} points: level {} → {}", points, held.code(), level.code()),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(n)
    }

    /// Issues every renewal quote that is due today and not issued yet. Returns how many.
    ///
    /// # Errors
    /// Database errors (a site whose quote cannot be priced is logged and skipped).
    pub async fn issue_due(&self) -> Result<usize, EngineError> {
        let today = self.clock.today();
        let horizon = format_date(today + time::Duration::days(NOTICE_DAYS));
        let sites = sqlx::query(
            "SELECT s.id, s.anniversary FROM sites s WHERE s.anniversary <= $1 \
             AND EXISTS (SELECT 1 FROM entitlements e WHERE e.site_id = s.id AND e.coverage_end <= s.anniversary) \
             AND NOT EXISTS (SELECT 1 FROM renewal_quotes q WHERE q.site_id = s.id AND q.due_date = s.anniversary) \
             ORDER BY s.id",
        )
        .bind(horizon)
        .fetch_all(&self.db.pool)
        .await?;
        let mut n = 0;
        for r in sites {
            let site_id: i64 = r.try_get("id")?;
            let due = parse_date(&r.try_get::<String, _>("anniversary")?)?;
            if !quote_due(due, today) || !self.claim(site_id, due).await? {
                continue;
            }
            match self.issue(site_id, due, today).await {
                Ok(true) => n += 1,
                Ok(false) => {}
                // One site's problem (e.g. a part withdrawn from the price list) must not stop the
                // others; its lease runs out and the next run tries again.
                Err(e) => tracing::error!(site_id, error = %e, "issuing a renewal quote failed"),
            }
        }
        Ok(n)
    }

    /// Claims (site, due) for this engine until the lease runs out. False when another engine holds a
    /// live claim or the quote was issued.
    async fn claim(&self, site_id: i64, due: Date) -> Result<bool, EngineError> {
        let now = self.clock.now_unix();
        let claimed = sqlx::query(
            "INSERT INTO renewal_claims (site_id, due_date, holder, lease_until) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (site_id, due_date) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until \
             WHERE renewal_claims.quote_id IS NULL AND renewal_claims.lease_until < $5",
        )
        .bind(site_id)
        .bind(format_date(due))
        .bind(&self.holder)
        .bind(now + LEASE_SECS)
        .bind(now)
        .execute(&self.db.pool)
        .await?
        .rows_affected();
        Ok(claimed == 1)
    }

    /// Issues the quote of a claimed (site, due). False when there was nothing to renew, the claim was
    /// lost, or the quote exists.
    async fn issue(&self, site_id: i64, due: Date, today: Date) -> Result<bool, EngineError> {
        let Some(site) = site_by_id(&self.db.pool, site_id).await? else {
            return Ok(false);
        };
        let mut tx = self.db.begin_write().await?;
        let ours: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM renewal_claims WHERE site_id = $1 AND due_date = $2 AND holder = $3 AND quote_id IS NULL",
        )
        .bind(site_id)
        .bind(format_date(due))
        .bind(&self.holder)
        .fetch_optional(&mut *tx)
        .await?;
        if ours.is_none() {
            return Ok(false);
        }
        let mut coverages = Vec::new();
        for e in sqlx::query(
            "SELECT id, renewal_part, quantity, coverage_end FROM entitlements WHERE site_id = $1 AND coverage_end <= $2 ORDER BY id",
        )
        .bind(site_id)
        .bind(format_date(due))
        .fetch_all(&mut *tx)
        .await?
        {
            coverages.push(Coverage {
                id: e.try_get("id")?,
                renewal_part: PartNumber::parse(&e.try_get::<String, _>("renewal_part")?)
                    .map_err(|e| EngineError::Rule(e.to_string()))?,
                quantity: u32::try_from(e.try_get::<i64, _>("quantity")?).unwrap_or(1),
                end: parse_date(&e.try_get::<String, _>("coverage_end")?)?,
            });
        }
        let planned = plan_lines(&coverages, due, today);
        if planned.is_empty() {
            return Ok(false);
        }
        let currency = site.summary.currency;
        let parts: Vec<PartNumber> = planned.iter().map(|p| p.request.part).collect();
        let book = price_book(&self.db.pool, &parts, currency).await?;
        let requests: Vec<_> = planned.iter().map(|p| p.request.clone()).collect();
        let priced = price(
            &book,
            &context_of(&site, today),
            &requests,
            &PricingRules::standard(),
        )
        .map_err(|e| EngineError::Rule(format!("pricing the renewal of site {site_id}: {e}")))?;
        // A Business Partner that owns the renewal sells it; the vendor never renews it by itself.
        let auto_renew =
            auto_renew_allowed(site.summary.country) && site.summary.business_partner.is_none();
        let now = self.clock.now_unix();
        let quote_id: i64 = sqlx::query_scalar(
            "INSERT INTO renewal_quotes (quote_number, site_id, status, version, due_date, valid_until, currency, issued_at, auto_renew) \
             VALUES ($1, $2, 'issued', 1, $3, $3, $4, $5, $6) RETURNING id",
        )
        // A temporary unique number, replaced by one derived from the id below.
        .bind(format!("tmp-{}", crate::auth::new_token()))
        .bind(site_id)
        .bind(format_date(due))
        .bind(currency.code())
        .bind(now)
        .bind(i64::from(auto_renew))
        .fetch_one(&mut *tx)
        .await?;
        let number = format!("RQ{:02}{:05}", today.year() % 100, 40_000 + quote_id);
        sqlx::query("UPDATE renewal_quotes SET quote_number = $1 WHERE id = $2")
            .bind(&number)
            .bind(quote_id)
            .execute(&mut *tx)
            .await?;
        let minor = |m: &Money| m.to_minor().map_err(|e| EngineError::Rule(e.to_string()));
        for (plan, line) in planned.iter().zip(&priced.lines) {
            sqlx::query(
                "INSERT INTO renewal_quote_lines (quote_id, version, entitlement_id, part_number, quantity, \
                 coverage_start, coverage_end, unit_minor, extended_minor) VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(quote_id)
            .bind(plan.entitlement)
            .bind(line.part.as_str())
            .bind(i64::from(line.quantity))
            .bind(format_date(line.coverage_start.unwrap_or(due)))
            .bind(format_date(line.coverage_end.unwrap_or_else(|| one_year_after(due))))
            .bind(minor(&line.unit_price)?)
            .bind(minor(&line.extended)?)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE renewal_claims SET quote_id = $1 WHERE site_id = $2 AND due_date = $3 AND holder = $4",
        )
        .bind(quote_id)
        .bind(site_id)
        .bind(format_date(due))
        .bind(&self.holder)
        .execute(&mut *tx)
        .await?;
        notices::queue(
            &mut tx,
            self.clock.now_unix(),
            quote_id,
            NoticeKind::Notice,
            &self.public_url,
        )
        .await?;
        if let Some(bp) = &site.summary.business_partner {
            journal::queue_mail(
                &mut tx,
                self.clock.now_unix(),
                "renewal_partner",
                &bp.email,
                format!(
                    "Renewal quote {number} for your customer {} ({}) is due on {}",
                    site.summary.organisation,
                    site.summary.customer_number,
                    format_date(due)
                ),
                format!(
                    "Hello {},\n\nthe Subscription & Support of {} — {} (customer number {}) ends on {}. Renewal quote {number} \
                     was issued; the customer has been told to renew through you.\n",
                    bp.name,
                    site.summary.organisation,
                    site.summary.name,
                    site.summary.customer_number,
                    format_date(due)
                ),
            )
            .await?;
        }
        journal::audit(
            &mut tx,
            self.clock.now_unix(),
            None,
            "quote.issue",
            &number,
            format!(
                "site {} due {} lines {} total {}",
                site.summary.customer_number,
                format_date(due),
                priced.lines.len(),
                priced.total
            ),
        )
        .await?;
        // The unique index on (site, due date) refuses a second quote even if two engines got here.
        match tx.commit().await {
            Ok(()) => {
                tracing::info!(quote = %number, site_id, "renewal quote issued");
                Ok(true)
            }
            Err(e) => Err(e.into()),
        }
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
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE reference = $1")
            .bind(r.to_string())
            .fetch_one(&mut *conn)
            .await?;
        if taken == 0 {
            return Ok(r);
        }
    }
    Err(EngineError::Rule(
        "could not draw a free order reference".into(),
    ))
}
