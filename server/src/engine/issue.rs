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
        // A batch at a time: claimed in one commit, read and priced outside any write, then written in
        // one commit — two durable writes per batch instead of one or two per site, and on SQLite two
        // engines hand the write lock over once a batch, not once a quote. Claims keep two engines off
        // one site.
        for batch in sites.chunks(CLAIM_BATCH) {
            let claimed = self.claim(batch).await?;
            // A few sites at once (`sites_at_once`): each read waits on the database most of the time.
            // `buffered` keeps the sites' order, so quote numbers follow it.
            let prepared: Vec<Prepared> = futures_util::stream::iter(claimed)
                .map(|(site_id, due)| async move {
                    match self.prepare(site_id, due, today).await {
                        Ok(prepared) => prepared,
                        // One site's problem (e.g. a part withdrawn from the price list) must not stop
                        // the others; its lease runs out and the next run tries again.
                        Err(e) => {
                            tracing::error!(site_id, error = %e, "pricing a renewal quote failed");
                            None
                        }
                    }
                })
                .buffered(self.sites_at_once.max(1))
                .filter_map(|p| async move { p })
                .collect()
                .await;
            n += self.write_batch(&prepared, today).await;
        }
        Ok(n)
    }

    /// Writes a batch of quotes in one transaction; when that fails, each quote alone, so that one site's
    /// problem costs only its own quote. Answers how many were issued.
    async fn write_batch(&self, quotes: &[Prepared], today: Date) -> usize {
        if quotes.is_empty() {
            return 0;
        }
        match self.write(quotes, today).await {
            Ok(n) => n,
            Err(e) if quotes.len() > 1 => {
                tracing::warn!(error = %e, quotes = quotes.len(), "writing a batch of renewal quotes failed; writing them one by one");
                let mut n = 0;
                for q in quotes {
                    match self.write(std::slice::from_ref(q), today).await {
                        Ok(k) => n += k,
                        Err(e) => {
                            tracing::error!(site_id = q.site.site_id, error = %e, "issuing a renewal quote failed");
                        }
                    }
                }
                n
            }
            Err(e) => {
                tracing::error!(site_id = quotes[0].site.site_id, error = %e, "issuing a renewal quote failed");
                0
            }
        }
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

    /// Reads and prices the quote of a claimed (site, due), writing nothing. `None` when there is
    /// nothing to renew.
    pub(super) async fn prepare(
        &self,
        site_id: i64,
        due: Date,
        today: Date,
    ) -> Result<Option<Prepared>, EngineError> {
        let Some(site) = site_by_id(&self.db.pool, site_id).await? else {
            return Ok(None);
        };
        let coverages =
            stored::coverage_ending_by(&mut *self.db.acquire().await?, site_id, due).await?;
        let planned = plan_lines(&coverages, due, today);
        if planned.is_empty() {
            return Ok(None);
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
        Ok(Some(Prepared {
            site,
            due,
            lines,
            total: priced.total,
        }))
    }

    /// Writes prepared quotes in one transaction: each whose claim this engine still holds, with its
    /// notice, the Business Partner's note and the audit entry. Answers how many were issued.
    async fn write(&self, quotes: &[Prepared], today: Date) -> Result<usize, EngineError> {
        let mut tx = self.db.begin_write().await?;
        let mut issued = Vec::with_capacity(quotes.len());
        for q in quotes {
            let site_id = q.site.site_id;
            if !stored::holds_claim(&mut tx, site_id, q.due, &self.holder).await? {
                continue;
            }
            let now = self.clock.now_unix();
            let (quote_id, number) = stored::insert_quote(
                &mut tx,
                &stored::NewRenewalQuote {
                    site_id,
                    due: q.due,
                    currency: q.site.summary.currency,
                    // Auto-renew places a binding order: it starts off, and only the customer turns it
                    // on (with their acceptance of the terms).
                    auto_renew: false,
                    at: now,
                },
                &q.lines,
                |id| format!("RQ{:02}{:05}", today.year() % 100, 40_000 + id),
            )
            .await?;
            stored::settle_claim(&mut tx, site_id, q.due, &self.holder, quote_id).await?;
            notices::queue(&mut tx, now, quote_id, NoticeKind::Notice, &self.public_url).await?;
            let summary = &q.site.summary;
            if let Some(bp) = &summary.business_partner {
                // A partner is no account here: the mail goes in the language of the customer's country.
                journal::queue_mail(
                    &mut tx,
                    now,
                    &bp.email,
                    &crate::letters::PartnerRenewal {
                        partner: bp.name.clone(),
                        number: number.clone(),
                        organisation: summary.organisation.clone(),
                        site: summary.name.clone(),
                        customer_number: summary.customer_number.clone(),
                        due: q.due,
                    },
                    entitle_core::locale::Locale::of_country(summary.country),
                )
                .await?;
            }
            journal::audit(
                &mut tx,
                now,
                None,
                entitle_core::audit::AuditAction::QuoteIssued,
                &number,
                format!(
                    "Site {}, due {}, {} lines, total {}",
                    summary.customer_number,
                    entitle_core::locale::Locale::En.date(q.due),
                    q.lines.len(),
                    entitle_core::locale::Locale::En.money(&q.total)
                ),
            )
            .await?;
            issued.push((number, site_id));
        }
        // The unique index on (site, due date) refuses a second quote even if two engines got here.
        crate::db::commit(tx).await?;
        for (number, site_id) in &issued {
            tracing::info!(quote = %number, site_id, "renewal quote issued");
        }
        Ok(issued.len())
    }
}

/// A renewal quote read and priced, not yet written.
pub(super) struct Prepared {
    site: SiteAccess,
    due: Date,
    lines: Vec<stored::NewRenewalLine>,
    total: Money,
}
