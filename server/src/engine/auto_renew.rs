//! Auto-renewal on the anniversary, at the quoted price.

use super::*;

impl Engine {
    /// On the anniversary, orders the quotes left on auto-renew at their quoted prices.
    pub(super) async fn auto_renew(&self, today: Date) -> Result<usize, EngineError> {
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

    pub(super) async fn auto_renew_one(
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
}
