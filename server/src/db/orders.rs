//! The one writer of orders: checkout and the renewal engine's auto-renewals both place an order, its
//! lines and its payment record through [`insert`].

use entitle_core::catalog::PriceLevel;
use entitle_core::money::{Currency, Money};
use entitle_core::order::{OrderReference, PaymentMethod};
use entitle_core::pricing::PricedLine;
use entitle_core::pricing::cart::Totals;
use entitle_core::validation::{Expiry, MaskedCard};
use sqlx::AnyConnection;

use super::format_date;

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

fn minor(m: &Money) -> Result<i64, sqlx::Error> {
    m.to_minor()
        .map_err(|e| sqlx::Error::Encode(format!("amount {m} out of range: {e}").into()))
}

/// Writes the order, its lines and its payment record; returns the order's id. Run it inside the
/// transaction that also moves the quote on and empties the cart.
///
/// # Errors
/// Database errors, or an amount that does not fit the minor-unit column.
pub async fn insert(conn: &mut AnyConnection, order: &NewOrder<'_>) -> Result<i64, sqlx::Error> {
    let t = &order.totals;
    let order_id: i64 = sqlx::query_scalar(
        "INSERT INTO orders (reference, site_id, user_id, status, renewal_quote_id, currency, price_level, subtotal_minor, \
         discount_minor, tax_minor, total_minor, points, billing_json, terms_version, created_at, updated_at, shipping_json, auto_renewed) \
         VALUES ($1, $2, $3, 'received', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16) RETURNING id",
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
