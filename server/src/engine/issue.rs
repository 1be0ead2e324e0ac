//! Issuing renewal quotes from 90 days before each site's anniversary, claimed with a lease.

use super::*;

impl Engine {
    /// Issues every renewal quote that is due today and not issued yet. Returns how many.
    ///
    /// # Errors
    /// Database errors (a site whose quote cannot be priced is logged and skipped).
    pub async fn issue_due(&self) -> Result<usize, EngineError> {
        use futures_util::StreamExt as _;
        let today = self.clock.today();
        let horizon = today + time::Duration::days(NOTICE_DAYS);
        let sites: Vec<(i64, Date)> =
            stored::sites_due_for_quote(&mut *self.db.acquire().await?, horizon)
                .await?
                .into_iter()
                .filter(|(_, due)| quote_due(*due, today))
                .collect();
        let mut n = 0;
        // Claimed a batch at a time, in one commit: one durable write per site (its quote) instead of
        // two. Claims keep two engines off one site.
        for batch in sites.chunks(CLAIM_BATCH) {
            let claimed = self.claim(batch).await?;
            // A few sites at once (`sites_at_once`): each waits on the database most of the time
            // (PostgreSQL commits in parallel; SQLite's writes still queue one by one).
            let results: Vec<bool> = futures_util::stream::iter(claimed)
                .map(|(site_id, due)| async move {
                    match self.issue(site_id, due, today).await {
                        Ok(issued) => issued,
                        // One site's problem (e.g. a part withdrawn from the price list) must not stop
                        // the others; its lease runs out and the next run tries again.
                        Err(e) => {
                            tracing::error!(site_id, error = %e, "issuing a renewal quote failed");
                            false
                        }
                    }
                })
                .buffer_unordered(self.sites_at_once.max(1))
                .collect()
                .await;
            n += results.into_iter().filter(|issued| *issued).count();
        }
        Ok(n)
    }

    /// Claims each (site, due) of `batch` for this engine until the lease runs out, in one transaction.
    /// Answers those it got: not those another engine holds a live claim on, or whose quote was issued.
    pub(super) async fn claim(
        &self,
        batch: &[(i64, Date)],
    ) -> Result<Vec<(i64, Date)>, EngineError> {
        let now = self.clock.now_unix();
        let mut tx = self.db.begin_write().await?;
        let mut claimed = Vec::with_capacity(batch.len());
        for &(site_id, due) in batch {
            if stored::claim(&mut tx, site_id, due, &self.holder, now + LEASE_SECS, now).await? {
                claimed.push((site_id, due));
            }
        }
        crate::db::commit(tx).await?;
        Ok(claimed)
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
        // Read and price before the write transaction: the claim keeps other engines off this (site,
        // due), and SQLite's single writer is held only for the writes.
        let coverages =
            stored::coverage_ending_by(&mut *self.db.acquire().await?, site_id, due).await?;
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
        // Auto-renew places a binding order: it starts off, and only the customer turns it on (with
        // their acceptance of the terms).
        let auto_renew = false;
        let now = self.clock.now_unix();
        let lines: Vec<stored::NewRenewalLine> = planned
            .iter()
            .zip(&priced.lines)
            .map(|(plan, line)| stored::NewRenewalLine {
                entitlement: plan.entitlement,
                part: line.part,
                quantity: line.quantity,
                coverage_start: line.coverage_start.unwrap_or(due),
                coverage_end: line.coverage_end.unwrap_or_else(|| one_year_after(due)),
                unit: line.unit_price,
                extended: line.extended,
            })
            .collect();
        let mut tx = self.db.begin_write().await?;
        if !stored::holds_claim(&mut tx, site_id, due, &self.holder).await? {
            return Ok(false);
        }
        let (quote_id, number) = stored::insert_quote(
            &mut tx,
            &stored::NewRenewalQuote {
                site_id,
                due,
                currency,
                auto_renew,
                at: now,
            },
            &lines,
            |id| format!("RQ{:02}{:05}", today.year() % 100, 40_000 + id),
        )
        .await?;
        stored::settle_claim(&mut tx, site_id, due, &self.holder, quote_id).await?;
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
            entitle_core::audit::AuditAction::QuoteIssued,
            &number,
            format!(
                "Site {}, due {}, {} lines, total {}",
                site.summary.customer_number,
                entitle_core::locale::Locale::En.date(due),
                priced.lines.len(),
                entitle_core::locale::Locale::En.money(&priced.total)
            ),
        )
        .await?;
        // The unique index on (site, due date) refuses a second quote even if two engines got here.
        match crate::db::commit(tx).await {
            Ok(()) => {
                tracing::info!(quote = %number, site_id, "renewal quote issued");
                Ok(true)
            }
            Err(e) => Err(e.into()),
        }
    }
}
