//! The one writer of orders: checkout and the renewal engine's auto-renewals both place an order, its
//! lines and its payment record through [`insert`].

use super::error::{DbError, DbResult};
use std::collections::HashMap;

use entitle_core::catalog::{PartNumber, PriceLevel};
use entitle_core::country::TaxRule;
use entitle_core::dto::{OrderLineView, OrderView, PaymentView, Role};
use entitle_core::money::{Currency, Money};
use entitle_core::order::{OrderReference, OrderStatus, PaymentMethod};
use entitle_core::pricing::PricedLine;
use entitle_core::pricing::cart::Totals;
use entitle_core::pricing::summary::MoneySummary;
use entitle_core::validation::{CardBrand, Expiry, MaskedCard};
use sqlx::{AnyConnection, AnyPool};

use super::access::{Privilege, site_scope};
use super::{format_date, parse_date};

/// Bank details shown for bank transfers (configuration in a real deployment).
pub const BANK_INSTRUCTIONS: &str = "Transfer the total to Entitle Software, IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX, quoting the order reference.";

/// An order to place, priced by `entitle-core`.
#[derive(Debug)]
pub struct NewOrder<'a> {
    /// Its reference.
    pub reference: OrderReference,
    /// The site it is for.
    pub site_id: i64,
    /// Who placed it (for an auto-renewal: the site's primary contact).
    pub user_id: i64,
    /// The renewal quote it orders, if any.
    pub renewal_quote_id: Option<i64>,
    /// Its currency.
    pub currency: Currency,
    /// The level it was priced at.
    pub level: PriceLevel,
    /// Its money rows and points.
    pub totals: Totals,
    /// The tax rule it is charged under, kept with the order.
    pub tax_rule: Option<&'a TaxRule>,
    /// The billing details, as stored (JSON of the parsed details).
    pub billing_json: &'a str,
    /// The shipping details, when they differ from billing.
    pub shipping_json: Option<&'a str>,
    /// The terms and conditions accepted.
    pub terms_version: &'a str,
    /// Placed by the renewal engine on the anniversary.
    pub auto_renewed: bool,
    /// When (unix seconds).
    pub at: i64,
    /// The lines, in order.
    pub lines: Vec<NewOrderLine<'a>>,
    /// How it is paid.
    pub payment: NewPayment,
}

/// One priced line of a [`NewOrder`].
#[derive(Debug)]
pub struct NewOrderLine<'a> {
    /// The priced line.
    pub priced: &'a PricedLine,
    /// The part's description as the customer saw it.
    pub description: &'a str,
    /// The renewal quote line it orders.
    pub renewal_line_id: Option<i64>,
    /// The quote request whose discount it carries.
    pub quote_request_id: Option<i64>,
}

/// The payment record of a [`NewOrder`]: never a card number or security code, only what the
/// processor returned and what may be shown.
#[derive(Debug)]
pub struct NewPayment {
    /// The method.
    pub method: PaymentMethod,
    /// The processor's token of an authorised card payment.
    pub token: Option<String>,
    /// The masked card and its expiry.
    pub card: Option<(MaskedCard, Expiry)>,
    /// The purchase-order number.
    pub po_number: Option<String>,
}

fn minor(m: &Money) -> DbResult<i64> {
    m.to_minor().map_err(|e| DbError::Unstorable {
        what: "amount",
        detail: format!("{m} out of range: {e}"),
    })
}

/// The billing details (as stored, JSON) of the newest order a person placed for site `site_id`, to
/// start the next checkout from; auto-renewals copy them and are skipped.
///
/// # Errors
/// Database errors.
pub async fn last_billing(conn: &mut AnyConnection, site_id: i64) -> DbResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT billing_json FROM orders WHERE site_id = $1 AND auto_renewed = 0 \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(site_id)
    .fetch_optional(conn)
    .await?)
}

/// Writes the order, its lines and its payment record; returns the order's id. Run it inside the
/// transaction that also moves the quote on and empties the cart.
///
/// # Errors
/// Database errors, or an amount that does not fit the minor-unit column.
pub async fn insert(conn: &mut AnyConnection, order: &NewOrder<'_>) -> DbResult<i64> {
    let t = &order.totals;
    let order_id: i64 = sqlx::query_scalar(
        "INSERT INTO orders (reference, site_id, user_id, status, renewal_quote_id, currency, price_level, subtotal_minor, \
         discount_minor, tax_minor, total_minor, points, billing_json, terms_version, created_at, updated_at, shipping_json, auto_renewed, tax_rule_json) \
         VALUES ($1, $2, $3, 'received', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16, $17) RETURNING id",
    )
    .bind(order.reference.to_string())
    .bind(order.site_id)
    .bind(order.user_id)
    .bind(order.renewal_quote_id)
    .bind(order.currency.code())
    .bind(order.level.code())
    .bind(minor(&t.subtotal)?)
    .bind(minor(&t.discount)?)
    .bind(minor(&t.tax)?)
    .bind(minor(&t.total)?)
    .bind(i64::try_from(t.points).unwrap_or(i64::MAX))
    .bind(order.billing_json)
    .bind(order.terms_version)
    .bind(order.at)
    .bind(order.shipping_json)
    .bind(i64::from(order.auto_renewed))
    .bind(
        order
            .tax_rule
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| DbError::Unstorable {
                what: "tax rule",
                detail: e.to_string(),
            })?,
    )
    .fetch_one(&mut *conn)
    .await?;
    for line in &order.lines {
        let l = line.priced;
        sqlx::query(
            "INSERT INTO order_lines (order_id, part_number, description, quantity, months, coverage_start, coverage_end, \
             unit_minor, extended_minor, discount_minor, tax_minor, renewal_line_id, quote_request_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(order_id)
        .bind(l.part.as_str())
        .bind(line.description)
        .bind(i64::from(l.quantity))
        .bind(i64::from(l.months))
        .bind(l.coverage_start.map(format_date))
        .bind(l.coverage_end.map(format_date))
        .bind(minor(&l.unit_price)?)
        .bind(minor(&l.extended)?)
        .bind(minor(&l.discount)?)
        .bind(minor(&l.tax)?)
        .bind(line.renewal_line_id)
        .bind(line.quote_request_id)
        .execute(&mut *conn)
        .await?;
    }
    let p = &order.payment;
    let status = if p.method == PaymentMethod::Card {
        "authorised"
    } else {
        "awaiting_payment"
    };
    sqlx::query(
        "INSERT INTO payments (order_id, method, status, processor_token, card_brand, card_last4, card_exp_month, card_exp_year, po_number, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(order_id)
    .bind(p.method.code())
    .bind(status)
    .bind(p.token.as_deref())
    .bind(p.card.as_ref().map(|c| c.0.brand.code()))
    .bind(p.card.as_ref().map(|c| c.0.last4.clone()))
    .bind(p.card.as_ref().map(|c| i64::from(c.1.month)))
    .bind(p.card.as_ref().map(|c| i64::from(c.1.year)))
    .bind(p.po_number.as_deref())
    .bind(order.at)
    .execute(&mut *conn)
    .await?;
    Ok(order_id)
}

/// Which orders to read.
#[derive(Debug, Clone, Default)]
pub struct OrderQuery<'a> {
    /// Only this order.
    pub reference: Option<&'a OrderReference>,
    /// Placed at or after this instant (unix seconds).
    pub since: i64,
    /// Only these statuses (empty: any).
    pub statuses: &'a [OrderStatus],
    /// Oldest first (a work queue) instead of newest first.
    pub oldest_first: bool,
    /// At most this many.
    pub limit: Option<u32>,
    /// Skip this many first (paging; only with `limit`).
    pub offset: u32,
    /// Only orders whose reference or customer number is this, or whose site or organisation name contains it
    /// (any case); empty: all.
    pub search: &'a str,
}

impl<'a> OrderQuery<'a> {
    /// One order by its reference.
    #[must_use]
    pub fn one(reference: &'a OrderReference) -> Self {
        OrderQuery {
            reference: Some(reference),
            ..OrderQuery::default()
        }
    }

    /// Every order placed since `since`, newest first.
    #[must_use]
    pub fn since(since: i64) -> Self {
        OrderQuery {
            since,
            ..OrderQuery::default()
        }
    }
}

/// An order row as stored, before it is checked.
#[derive(Debug, sqlx::FromRow)]
struct OrderRow {
    id: i64,
    reference: String,
    status: String,
    cancel_reason: Option<String>,
    auto_renewed: i64,
    created_at: i64,
    currency: String,
    subtotal_minor: i64,
    discount_minor: i64,
    tax_minor: i64,
    total_minor: i64,
    points: i64,
    billing_json: String,
    shipping_json: Option<String>,
    tax_rule_json: Option<String>,
    customer_number: String,
    site_name: String,
    organisation: String,
    quote_number: Option<String>,
    method: Option<String>,
    payment_status: Option<String>,
    refund_status: Option<String>,
    card_brand: Option<String>,
    card_last4: Option<String>,
    card_exp_month: Option<i64>,
    card_exp_year: Option<i64>,
    po_number: Option<String>,
    po_document: Option<String>,
}

/// An order line as stored.
#[derive(Debug, sqlx::FromRow)]
struct OrderLineRow {
    order_id: i64,
    part_number: String,
    description: String,
    quantity: i64,
    months: i64,
    coverage_start: Option<String>,
    coverage_end: Option<String>,
    unit_minor: i64,
    extended_minor: i64,
    tax_minor: i64,
}

fn bad(what: &'static str, value: impl std::fmt::Display) -> DbError {
    DbError::corrupt(what, value)
}

impl OrderLineRow {
    fn view(self, currency: Currency) -> DbResult<OrderLineView> {
        let date = |d: Option<String>| d.map(|d| parse_date(&d)).transpose();
        Ok(OrderLineView {
            part_number: PartNumber::parse(&self.part_number)
                .map_err(|_| bad("part number", &self.part_number))?,
            description: self.description,
            quantity: u32::try_from(self.quantity).map_err(|_| bad("quantity", self.quantity))?,
            months: u16::try_from(self.months).map_err(|_| bad("months", self.months))?,
            coverage_start: date(self.coverage_start)?,
            coverage_end: date(self.coverage_end)?,
            unit_price: Money::from_minor(self.unit_minor, currency),
            extended: Money::from_minor(self.extended_minor, currency),
            tax: Money::from_minor(self.tax_minor, currency),
        })
    }
}

impl OrderRow {
    /// The order as the API shows it; a stored value that does not parse is an error, never a default.
    fn view(self, lines: Vec<OrderLineView>) -> DbResult<OrderView> {
        let currency: Currency = self
            .currency
            .parse()
            .map_err(|_| bad("currency", &self.currency))?;
        let m = |minor| Money::from_minor(minor, currency);
        let method = match self.method.as_deref() {
            Some(code) => {
                PaymentMethod::from_code(code).ok_or_else(|| bad("payment method", code))?
            }
            None => return Err(bad("payment", "missing")),
        };
        let card = match (self.card_brand, self.card_last4) {
            (Some(brand), Some(last4)) => Some(MaskedCard {
                brand: CardBrand::from_code(&brand).ok_or_else(|| bad("card brand", &brand))?,
                last4,
            }),
            _ => None,
        };
        let tax_rule: Option<TaxRule> = self
            .tax_rule_json
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| bad("tax rule", e))?;
        let summary = MoneySummary {
            subtotal: m(self.subtotal_minor),
            discount: m(self.discount_minor),
            net: m(self.subtotal_minor - self.discount_minor),
            tax_rule,
            tax: m(self.tax_minor),
            total: m(self.total_minor),
            points: super::error::stored("points", self.points)?,
        };
        if !summary.adds_up() {
            return Err(bad("order totals", &self.reference));
        }
        let card_expiry = match (self.card_exp_month, self.card_exp_year) {
            (Some(mo), Some(y)) => Some(format!("{mo:02}/{y}")),
            _ => None,
        };
        Ok(OrderView {
            reference: self
                .reference
                .parse()
                .map_err(|_| bad("order reference", &self.reference))?,
            status: OrderStatus::from_code(&self.status)
                .ok_or_else(|| bad("order status", &self.status))?,
            placed_at: self.created_at,
            site: self.customer_number,
            site_name: self.site_name,
            organisation: self.organisation,
            renewal_quote: self.quote_number,
            lines,
            subtotal: m(self.subtotal_minor),
            discount: m(self.discount_minor),
            tax: m(self.tax_minor),
            total: m(self.total_minor),
            summary,
            payment: PaymentView {
                method,
                card,
                card_expiry,
                po_number: self.po_number,
                bank_instructions: (method == PaymentMethod::BankTransfer)
                    .then(|| BANK_INSTRUCTIONS.to_owned()),
                po_document: self.po_document,
                refunded: self.payment_status.as_deref() == Some("refunded"),
                refund_pending: self.refund_status.as_deref() == Some("pending"),
            },
            billing: serde_json::from_str(&self.billing_json)
                .map_err(|e| bad("billing details", e))?,
            shipping: self
                .shipping_json
                .map(|j| serde_json::from_str(&j))
                .transpose()
                .map_err(|e| bad("shipping details", e))?,
            cancel_reason: self.cancel_reason,
            auto_renewed: self.auto_renewed != 0,
        })
    }
}

/// The orders user `user_id` (with `role`) may see that match `query`, with their lines: two queries
/// whatever the number of orders.
///
/// # Errors
/// Database errors, or a stored value that does not parse.
pub async fn list(
    pool: &AnyPool,
    user_id: i64,
    role: Role,
    query: &OrderQuery<'_>,
) -> DbResult<Vec<OrderView>> {
    list_on(
        &mut *pool.acquire().await?,
        user_id,
        role,
        Privilege::ViewOrders,
        query,
    )
    .await
}

/// [`list`] on one connection (inside a transaction: what it has written so far), of the sites where
/// the user holds `privilege` (the buyer placing an order sees it whether or not they may view orders).
///
/// # Errors
/// Database errors, or a stored value that does not parse.
pub async fn list_on(
    conn: &mut AnyConnection,
    user_id: i64,
    role: Role,
    privilege: Privilege,
    query: &OrderQuery<'_>,
) -> DbResult<Vec<OrderView>> {
    let scope = site_scope(role, privilege);
    // Statuses are bound from $6 on; the codes come from the enum, never from the request.
    let statuses = if query.statuses.is_empty() {
        String::new()
    } else {
        let marks: Vec<String> = (0..query.statuses.len())
            .map(|i| format!("${}", i + 6))
            .collect();
        format!(" AND o.status IN ({})", marks.join(", "))
    };
    let order = if query.oldest_first {
        "o.created_at, o.id"
    } else {
        "o.created_at DESC, o.id DESC"
    };
    let limit = query
        .limit
        .map(|n| format!(" LIMIT {n} OFFSET {}", query.offset))
        .unwrap_or_default();
    let search = query.search.trim();
    // What a person types is text, not a pattern: LIKE's wildcards are escaped.
    let mut contains = String::from("%");
    for c in search.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            contains.push('\\');
        }
        contains.push(c);
    }
    contains.push('%');
    // One order by its reference is found through the reference's unique index: written as
    // `($3 = '' OR o.reference = $3)` the planner walked every order of the buyer's sites instead, and
    // the answer to a placed order slowed with each order before it.
    let reference = if query.reference.is_some() {
        "o.reference = $3"
    } else {
        "$3 = ''"
    };
    let sql = format!(
        "SELECT o.id, o.reference, o.status, o.cancel_reason, o.auto_renewed, o.created_at, o.currency, o.subtotal_minor, \
                o.discount_minor, o.tax_minor, o.total_minor, o.points, o.billing_json, o.shipping_json, o.tax_rule_json, s.customer_number, \
                s.name AS site_name, org.name AS organisation, rq.quote_number, pay.method, pay.status AS payment_status, pay.card_brand, \
                pay.card_last4, pay.card_exp_month, pay.card_exp_year, pay.po_number, pd.filename AS po_document, rf.status AS refund_status \
         FROM orders o JOIN sites s ON s.id = o.site_id JOIN organisations org ON org.id = s.organisation_id LEFT JOIN renewal_quotes rq ON rq.id = o.renewal_quote_id \
         LEFT JOIN payments pay ON pay.order_id = o.id LEFT JOIN refunds rf ON rf.payment_id = pay.id LEFT JOIN po_documents pd ON pd.order_id = o.id \
         WHERE {scope} AND o.created_at >= $2 AND {reference} \
           AND ($4 = '' OR UPPER(o.reference) = UPPER($4) OR s.customer_number = $4 OR LOWER(s.name) LIKE $5 ESCAPE '\\' OR LOWER(org.name) LIKE $5 ESCAPE '\\'){statuses} ORDER BY {order}{limit}"
    );
    let mut q = sqlx::query_as::<_, OrderRow>(&sql)
        .bind(user_id)
        .bind(query.since)
        .bind(query.reference.map(ToString::to_string).unwrap_or_default())
        .bind(search)
        .bind(contains);
    for s in query.statuses {
        q = q.bind(s.code());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=rows.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT order_id, part_number, description, quantity, months, coverage_start, coverage_end, unit_minor, \
                extended_minor, tax_minor FROM order_lines WHERE order_id IN ({}) ORDER BY order_id, id",
        marks.join(", ")
    );
    let mut q = sqlx::query_as::<_, OrderLineRow>(&sql);
    for r in &rows {
        q = q.bind(r.id);
    }
    let mut lines: HashMap<i64, Vec<OrderLineRow>> = HashMap::new();
    for l in q.fetch_all(&mut *conn).await? {
        lines.entry(l.order_id).or_default().push(l);
    }
    rows.into_iter()
        .map(|r| {
            let currency: Currency = r
                .currency
                .parse()
                .map_err(|_| bad("currency", &r.currency))?;
            let own = lines
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .map(|l| l.view(currency))
                .collect::<Result<Vec<_>, _>>()?;
            r.view(own)
        })
        .collect()
}

/// Whether an order already has this reference.
///
/// # Errors
/// Database errors.
pub async fn reference_taken(
    conn: &mut AnyConnection,
    reference: &OrderReference,
) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE reference = $1")
        .bind(reference.to_string())
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// When the order `reference` was completed (unix seconds), if it was.
///
/// # Errors
/// Database errors.
pub async fn completed_at(pool: &sqlx::AnyPool, reference: &str) -> DbResult<Option<i64>> {
    let at: Option<Option<i64>> =
        sqlx::query_scalar("SELECT completed_at FROM orders WHERE reference = $1")
            .bind(reference)
            .fetch_optional(pool)
            .await?;
    Ok(at.flatten())
}
