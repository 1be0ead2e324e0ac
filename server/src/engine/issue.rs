//! Issuing renewal quotes from 90 days before each site's anniversary, claimed with a lease.

use super::*;

impl Engine {
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
    pub(super) async fn claim(&self, site_id: i64, due: Date) -> Result<bool, EngineError> {
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
    pub(super) async fn issue(
        &self,
        site_id: i64,
        due: Date,
        today: Date,
    ) -> Result<bool, EngineError> {
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
