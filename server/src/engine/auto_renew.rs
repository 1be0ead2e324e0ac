//! Auto-renewal on the anniversary, at the quoted price.

use super::*;
use entitle_core::locale::Locale;

impl Engine {
    /// On the anniversary, orders the quotes left on auto-renew at their quoted prices.
    pub(super) async fn auto_renew(&self, today: Date) -> Result<usize, EngineError> {
        let rows = stored::auto_renew_due(&mut *self.db.acquire().await?, today).await?;
        let mut n = 0;
        for r in rows {
            if !r.country.parse().is_ok_and(auto_renew_allowed) {
                continue;
            }
            if self.auto_renew_one(&r, today).await? {
                n += 1;
            }
        }
        Ok(n)
    }

    pub(super) async fn auto_renew_one(
        &self,
        r: &stored::AutoRenewQuote,
        today: Date,
    ) -> Result<bool, EngineError> {
        let (quote_id, site_id, number, version, due, status) = (
            r.id,
            r.site_id,
            r.number.clone(),
            r.version,
            r.due,
            r.status,
        );
        let Some(site) = site_by_id(&self.db.pool, site_id).await? else {
            return Ok(false);
        };
        let mut tx = self.db.begin_write().await?;
        // Lock the quote while it is still open: a second engine waits here, then finds it ordered.
        if !stored::lock_auto_renew(&mut tx, quote_id, status).await? {
            return Ok(false);
        }
        // Placed for the customer who consented, under the terms they accepted then; the billing
        // details of the site's last order are reused.
        let (buyer_id, buyer_email) = (r.consent_user, r.consent_email.clone());
        let billing = stored::last_billing(&mut tx, site_id).await?;
        let Some((billing, shipping)) = billing else {
            // Nothing to bill to: the customer is told to renew online instead (once per quote).
            let inserted = crate::db::notices::record_once(
                &mut tx,
                quote_id,
                "auto_renew_failed",
                version,
                self.clock.now_unix(),
            )
            .await?;
            if inserted {
                journal::queue_mail(
                    &mut tx,
                    self.clock.now_unix(),
                    &buyer_email,
                    &crate::letters::AutoRenewFailed {
                        number: number.clone(),
                        link: notices::quote_link(&self.public_url, &number),
                    },
                    Locale::En,
                )
                .await?;
                crate::db::commit(tx).await?;
            }
            return Ok(false);
        };
        let lines = stored::issued_lines(&mut tx, quote_id, version).await?;
        let context = context_of(&site, today);
        let currency = site.summary.currency;
        let mut priced_lines = Vec::new();
        let mut totals = Totals::zero(currency);
        let mut tax_rule = None;
        for l in &lines {
            let unit = Money::from_minor(l.unit_minor, currency);
            let term = entitle_core::pricing::Term::Coverage {
                start: l.coverage_start,
                end: l.coverage_end,
            };
            let qty = l.quantity;
            let issued = IssuedPrice {
                part: l.part,
                part_type: l.part_type,
                unit,
            };
            let p = price_issued(&context, issued, qty, term, due)
                .and_then(|p| totals.add(&p).map(|()| p))
                .map_err(|e| EngineError::Rule(format!("pricing quote {number}: {e}")))?;
            tax_rule.clone_from(&p.tax_rule);
            if let Some(line) = p.lines.into_iter().next() {
                priced_lines.push((l.id, l.description.clone(), line));
            }
        }
        let reference = new_reference(&mut tx).await?;
        let terms = r.consent_terms.clone();
        let now = self.clock.now_unix();
        let order = crate::db::orders::NewOrder {
            reference,
            site_id,
            user_id: buyer_id,
            renewal_quote_id: Some(quote_id),
            currency,
            level: site.level,
            totals,
            tax_rule: tax_rule.as_ref(),
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
        let order_id = crate::db::orders::insert(&mut tx, &order).await?;
        // The acceptance given when auto-renew was turned on is the order's.
        crate::db::terms::record_acceptance(&mut tx, buyer_id, &terms, order_id, now).await?;
        // The quote leaves any cart it was in; the life cycle goes through "in cart" to "ordered".
        stored::remove_quote_from_carts(&mut tx, quote_id).await?;
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
            &buyer_email,
            &crate::letters::AutoRenewed {
                number: number.clone(),
                site: site.summary.name.clone(),
                customer_number: site.summary.customer_number.clone(),
                reference: reference.to_string(),
                total: totals.total,
                link: notices::order_link(&self.public_url, &reference.to_string()),
            },
            Locale::En,
        )
        .await?;
        journal::audit(
            &mut tx,
            self.clock.now_unix(),
            None,
            entitle_core::audit::AuditAction::OrderAutoRenewed,
            reference.to_string(),
            format!("quote {number} total {}", totals.total),
        )
        .await?;
        crate::db::commit(tx).await?;
        tracing::info!(%reference, quote = %number, "auto-renewed");
        Ok(true)
    }
}
