//! Carts: the lines a user has put in for one site, priced on every read with `entitle-core`.
//!
//! Catalog lines are priced from the price list at the customer's level (the order's own points may
//! lift it). Renewal lines keep the unit prices the vendor issued on the quote.

use super::error::{DbError, DbResult};
use entitle_core::catalog::{PartNumber, PartType, PriceLevel};
use entitle_core::dto::{CartLineView, CartView};
use entitle_core::money::{Currency, Money};
use entitle_core::pricing::cart::{
    HeldQuote, IssuedPrice, Totals, checkout_blockers, price_issued,
};
use entitle_core::pricing::summary::MoneySummary;
use entitle_core::pricing::{
    CustomerContext, Discount, LineRequest, PartPrices, PriceBook, PricedQuote, PricingError,
    PricingRules, Term, price,
};
use entitle_core::quote::QuoteStatus;
use sqlx::{Any, AnyPool, Executor};
use time::Date;

use super::access::SiteAccess;
use super::{format_date, parse_date};

fn bad(what: &'static str) -> DbError {
    DbError::corrupt(what, "does not parse")
}

/// A stored cart line with what pricing needs.
#[derive(Debug, Clone)]
pub struct CartLineRow {
    /// Line id.
    pub id: i64,
    /// Part.
    pub part: PartNumber,
    /// Description.
    pub description: String,
    /// Units.
    pub quantity: u32,
    /// Term.
    pub term: Term,
    /// The renewal quote line it came from.
    pub renewal_line_id: Option<i64>,
    /// Issued unit price (minor units) of that line.
    pub renewal_unit_minor: Option<i64>,
    /// Its quote: id, number, status, due date, valid until.
    pub quote: Option<(i64, String, QuoteStatus, Date, Date)>,
    /// The part's type.
    pub part_type: PartType,
    /// The part's licence metric.
    pub metric: Option<entitle_core::catalog::Metric>,
    /// The sales rep's quote it was accepted from.
    pub quote_request: Option<AcceptedQuote>,
}

/// A sales rep's quote a catalog line was accepted from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedQuote {
    /// Its id.
    pub id: i64,
    /// Its number.
    pub number: String,
    /// Its status now: accepted, or back with the rep after a change.
    pub status: entitle_core::dto::QuoteRequestStatus,
    /// The discount (basis points of a percent).
    pub discount_bp: i64,
    /// Valid through (none while the rep prices it again).
    pub valid_until: Option<Date>,
    /// The part and quantity of the quoted line this cart line came from.
    pub quoted: Option<(String, u32)>,
}

impl AcceptedQuote {
    /// Whether the quote still stands for `line`: accepted, and the line is the part and quantity the
    /// rep quoted. Only then does its discount apply and may it be checked out.
    #[must_use]
    pub fn holds_for(&self, part: &PartNumber, quantity: u32) -> bool {
        self.status == entitle_core::dto::QuoteRequestStatus::Accepted
            && self
                .quoted
                .as_ref()
                .is_some_and(|(p, q)| *p == part.as_str() && *q == quantity)
    }
}

/// A stored cart line with its part, its renewal quote and its sales rep's quote.
#[derive(Debug, sqlx::FromRow)]
struct LineRow {
    id: i64,
    part_number: String,
    quantity: i64,
    term_kind: String,
    months: Option<i64>,
    coverage_start: Option<String>,
    coverage_end: Option<String>,
    renewal_line_id: Option<i64>,
    description: String,
    part_type: String,
    metric: String,
    renewal_unit_minor: Option<i64>,
    quote_id: Option<i64>,
    quote_number: Option<String>,
    quote_status: Option<String>,
    due_date: Option<String>,
    valid_until: Option<String>,
    qr_id: Option<i64>,
    qr_number: Option<String>,
    qr_discount_bp: Option<i64>,
    qr_valid_until: Option<String>,
    qr_status: Option<String>,
    qrl_part: Option<String>,
    qrl_quantity: Option<i64>,
}

fn required<T>(what: &'static str, v: Option<T>) -> DbResult<T> {
    v.ok_or_else(|| DbError::corrupt(what, "missing"))
}

impl TryFrom<LineRow> for CartLineRow {
    type Error = DbError;

    fn try_from(r: LineRow) -> DbResult<CartLineRow> {
        let term = match r.term_kind.as_str() {
            "months" => Term::Months {
                months: super::error::stored("months", required("months", r.months)?)?,
            },
            "coverage" => Term::Coverage {
                start: parse_date(&required("coverage start", r.coverage_start)?)?,
                end: parse_date(&required("coverage end", r.coverage_end)?)?,
            },
            "standard" => Term::Standard,
            other => return Err(DbError::corrupt("term kind", other)),
        };
        let quote = match r.quote_id {
            Some(id) => Some((
                id,
                required("quote number", r.quote_number)?,
                QuoteStatus::from_code(&required("quote status", r.quote_status)?)
                    .ok_or_else(|| bad("quote status"))?,
                parse_date(&required("due date", r.due_date)?)?,
                parse_date(&required("valid until", r.valid_until)?)?,
            )),
            None => None,
        };
        let quote_request = match r.qr_id {
            Some(id) => Some(AcceptedQuote {
                id,
                number: required("quote request number", r.qr_number)?,
                status: entitle_core::dto::QuoteRequestStatus::from_code(&required(
                    "quote request status",
                    r.qr_status,
                )?)
                .ok_or_else(|| bad("quote request status"))?,
                discount_bp: r.qr_discount_bp.unwrap_or(0),
                valid_until: r.qr_valid_until.as_deref().map(parse_date).transpose()?,
                quoted: match (r.qrl_part, r.qrl_quantity) {
                    (Some(part), Some(q)) => Some((part, super::error::stored("quantity", q)?)),
                    _ => None,
                },
            }),
            None => None,
        };
        Ok(CartLineRow {
            id: r.id,
            part: PartNumber::parse(&r.part_number).map_err(|_| bad("part number"))?,
            description: r.description,
            quantity: super::error::stored("quantity", r.quantity)?,
            term,
            renewal_line_id: r.renewal_line_id,
            renewal_unit_minor: r.renewal_unit_minor,
            quote,
            part_type: r.part_type.parse().map_err(|_| bad("part type"))?,
            metric: Some(r.metric.parse().map_err(|_| bad("metric"))?),
            quote_request,
        })
    }
}

/// The id of the user's cart for a site, created (at `now`, unix seconds) if missing.
pub async fn active_cart(
    conn: &mut sqlx::AnyConnection,
    now: i64,
    user_id: i64,
    site_id: i64,
) -> DbResult<i64> {
    if let Some(id) = sqlx::query_scalar::<_, i64>(
        "SELECT id FROM carts WHERE user_id = $1 AND site_id = $2 AND name IS NULL",
    )
    .bind(user_id)
    .bind(site_id)
    .fetch_optional(&mut *conn)
    .await?
    {
        return Ok(id);
    }
    sqlx::query_scalar("INSERT INTO carts (user_id, site_id, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id")
        .bind(user_id)
        .bind(site_id)
        .bind(now)
        .fetch_one(&mut *conn)
        .await
        .map_err(Into::into)
}

/// The lines of a cart, oldest first.
pub async fn lines<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    cart_id: i64,
) -> DbResult<Vec<CartLineRow>> {
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT cl.id, cl.part_number, cl.quantity, cl.term_kind, cl.months, cl.coverage_start, cl.coverage_end, \
                cl.renewal_line_id, p.description, p.part_type, p.metric, rql.unit_minor AS renewal_unit_minor, \
                rq.id AS quote_id, rq.quote_number, rq.status AS quote_status, rq.due_date, rq.valid_until, \
                qr.id AS qr_id, qr.number AS qr_number, qr.discount_bp AS qr_discount_bp, qr.valid_until AS qr_valid_until, \
                qr.status AS qr_status, qrl.part_number AS qrl_part, qrl.quantity AS qrl_quantity \
         FROM cart_lines cl JOIN parts p ON p.part_number = cl.part_number \
         LEFT JOIN renewal_quote_lines rql ON rql.id = cl.renewal_line_id \
         LEFT JOIN renewal_quotes rq ON rq.id = rql.quote_id \
         LEFT JOIN quote_requests qr ON qr.id = cl.quote_request_id \
         LEFT JOIN quote_request_lines qrl ON qrl.id = cl.quote_request_line_id \
         WHERE cl.cart_id = $1 ORDER BY cl.id",
    )
    .bind(cart_id)
    .fetch_all(ex)
    .await?;
    rows.into_iter().map(CartLineRow::try_from).collect()
}

#[derive(Debug, sqlx::FromRow)]
struct PriceRow {
    part_number: String,
    part_type: String,
    points: i64,
    reinstatement_part: Option<String>,
    level: String,
    unit_minor: i64,
}

/// Loads the price-list entries of `parts` (and their reinstatement parts) in `currency`.
pub async fn price_book(
    pool: &AnyPool,
    parts: &[PartNumber],
    currency: Currency,
) -> DbResult<PriceBook> {
    let mut book = PriceBook::default();
    if parts.is_empty() {
        return Ok(book);
    }
    let mut wanted: Vec<String> = parts.iter().map(|p| p.as_str().to_owned()).collect();
    for round in 0..2 {
        let placeholders: Vec<String> = (2..wanted.len() + 2).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT p.part_number, p.part_type, p.points, p.reinstatement_part, pr.level, pr.unit_minor \
             FROM parts p JOIN part_prices pr ON pr.part_number = p.part_number AND pr.currency = $1 \
             WHERE p.part_number IN ({})",
            placeholders.join(", ")
        );
        let mut q = sqlx::query_as::<_, PriceRow>(&sql).bind(currency.code());
        for w in &wanted {
            q = q.bind(w.as_str());
        }
        let mut next = Vec::new();
        for r in q.fetch_all(pool).await? {
            let part = PartNumber::parse(&r.part_number).map_err(|_| bad("part number"))?;
            let mut entry = book
                .get(&part)
                .cloned()
                .unwrap_or_else(|| PartPrices::new(part, PartType::LicenseAndSns, 0));
            entry.part_type = r.part_type.parse().map_err(|_| bad("part type"))?;
            entry.points_per_unit = super::error::stored("points", r.points)?;
            if let Some(rp) = r.reinstatement_part {
                let rp = PartNumber::parse(&rp).map_err(|_| bad("part number"))?;
                if round == 0 && book.get(&rp).is_none() {
                    next.push(rp.as_str().to_owned());
                }
                entry.reinstatement_part = Some(rp);
            }
            let level: PriceLevel = r.level.parse().map_err(|_| bad("level"))?;
            entry.set_price(
                currency,
                level,
                Money::from_minor(r.unit_minor, currency).amount(),
            );
            book.insert(entry);
        }
        next.sort();
        next.dedup();
        if next.is_empty() {
            break;
        }
        wanted = next;
    }
    Ok(book)
}

/// A priced cart: what the customer sees, and the priced lines for placing the order.
#[derive(Debug, Clone)]
pub struct PricedCart {
    /// The view.
    pub view: CartView,
    /// Stored line and its priced form, in cart order.
    pub lines: Vec<(CartLineRow, entitle_core::pricing::PricedLine)>,
    /// The money rows and points of the whole cart.
    pub totals: Totals,
    /// The tax rule the cart is charged under (the site's country's), to keep with an order.
    pub tax_rule: Option<entitle_core::country::TaxRule>,
    /// The renewal quotes in the cart: (id, number, status).
    pub quotes: Vec<(i64, String, QuoteStatus)>,
}

/// Prices a cart's lines for a site.
///
/// # Errors
/// A database error, or the pricing error of a line that no longer prices (e.g. a part withdrawn).
pub async fn price_cart(
    pool: &AnyPool,
    site: &SiteAccess,
    rows: Vec<CartLineRow>,
    today: Date,
) -> DbResult<Result<PricedCart, PricingError>> {
    let catalog_parts: Vec<PartNumber> = rows
        .iter()
        .filter(|r| r.renewal_line_id.is_none())
        .map(|r| r.part)
        .collect();
    let book = price_book(pool, &catalog_parts, site.summary.currency).await?;
    Ok(price_with(&book, site, rows, today))
}

/// Prices a cart's lines for a site from a price book already loaded (which may hold more parts: a list
/// of carts can share one book per currency).
///
/// # Errors
/// The pricing error of a line that does not price (e.g. a part withdrawn).
pub fn price_with(
    book: &PriceBook,
    site: &SiteAccess,
    rows: Vec<CartLineRow>,
    today: Date,
) -> Result<PricedCart, PricingError> {
    let currency = site.summary.currency;
    let context = CustomerContext {
        agreement: site.agreement,
        level: site.level,
        points: site.points,
        country: site.summary.country,
        currency,
        anniversary: site.anniversary,
        today,
    };
    let rules = PricingRules::standard();
    let (renewal, catalog): (Vec<_>, Vec<_>) =
        rows.into_iter().partition(|r| r.renewal_line_id.is_some());

    let requests: Vec<LineRequest> = catalog
        .iter()
        .map(|r| {
            let line = LineRequest::new(r.part, r.quantity, r.term);
            match (
                &r.quote_request,
                r.quote_request.as_ref().and_then(|q| q.valid_until),
            ) {
                // A quote's discount holds only for the lines as quoted (a changed line waits for the
                // rep and is priced at the customer's level meanwhile).
                (Some(q), Some(valid_until))
                    if q.discount_bp > 0 && q.holds_for(&r.part, r.quantity) =>
                {
                    line.with_discount(Discount {
                        percent: rust_decimal::Decimal::new(q.discount_bp, 2),
                        valid_until,
                    })
                }
                _ => line,
            }
        })
        .collect();
    let catalog_priced = price(book, &context, &requests, &rules)?;

    // Issued renewal prices hold at any level. Each line is priced on its own, as of its own coverage
    // start (or the due date) when that is later than today, so an issued renewal or co-term line never
    // turns into a reinstatement while the quote is valid; a reinstatement line restarts coverage today.
    let mut renewal_priced = Vec::with_capacity(renewal.len());
    for r in &renewal {
        let unit = Money::from_minor(r.renewal_unit_minor.unwrap_or(0), currency);
        let due = r.quote.as_ref().map_or(today, |q| q.3);
        let issued = IssuedPrice {
            part: r.part,
            part_type: r.part_type,
            unit,
        };
        renewal_priced.push(price_issued(&context, issued, r.quantity, r.term, due)?);
    }

    let mut quotes: Vec<(i64, String, QuoteStatus)> = Vec::new();
    for r in &renewal {
        if let Some((id, number, status, _, _)) = &r.quote
            && !quotes.iter().any(|q| q.0 == *id)
        {
            quotes.push((*id, number.clone(), *status));
        }
    }
    let held = renewal
        .iter()
        .filter_map(|r| r.quote.as_ref())
        .map(|(_, number, status, _, valid_until)| HeldQuote {
            number,
            change_requested: *status == QuoteStatus::ChangeRequested,
            valid_until: *valid_until,
        })
        .chain(
            catalog
                .iter()
                .filter_map(|r| r.quote_request.as_ref().map(|q| (r, q)))
                .map(|(r, q)| HeldQuote {
                    number: &q.number,
                    change_requested: !q.holds_for(&r.part, r.quantity),
                    // A changed quote has no validity until the rep prices it again; it is listed as
                    // changed before its validity is looked at.
                    valid_until: q.valid_until.unwrap_or(today),
                }),
        );
    let mut blockers = checkout_blockers(renewal.len() + catalog.len(), held, today);
    // The sales reps' quotes apart from the renewal quotes: the customer is told different things.
    let quote_requests_changed: Vec<String> = {
        let (requests, renewals) = std::mem::take(&mut blockers.change_requested)
            .into_iter()
            .partition(|n| {
                catalog
                    .iter()
                    .any(|r| r.quote_request.as_ref().is_some_and(|q| q.number == *n))
            });
        blockers.change_requested = renewals;
        requests
    };
    let can_check_out = blockers.can_check_out() && quote_requests_changed.is_empty();
    let totals = Totals::of(
        currency,
        std::iter::once(&catalog_priced).chain(&renewal_priced),
    )?;
    let tax_rule = catalog_priced.tax_rule.clone();
    let summary = MoneySummary::new(&totals, tax_rule.clone())?;

    let mut lines = Vec::new();
    let mut views = Vec::new();
    let mut push = |rows: Vec<CartLineRow>, q: &PricedQuote| {
        for (i, (row, l)) in rows.into_iter().zip(q.lines.iter()).enumerate() {
            views.push(CartLineView {
                id: row.id,
                part_number: l.part,
                description: row.description.clone(),
                part_type: l.part_type,
                metric: row.metric,
                quantity: l.quantity,
                months: l.months,
                coverage_start: l.coverage_start,
                coverage_end: l.coverage_end,
                unit_price: l.unit_price,
                extended: l.extended,
                discount: l.discount,
                tax: l.tax,
                total: l.total,
                explanations: q.explanations(i),
                renewal_quote: row.quote.as_ref().map(|q| q.1.clone()),
                quote_request: row.quote_request.as_ref().map(|q| q.number.clone()),
            });
            lines.push((row, l.clone()));
        }
    };
    push(catalog, &catalog_priced);
    for (row, p) in renewal.into_iter().zip(&renewal_priced) {
        push(vec![row], p);
    }
    let revision = revision(&views, &totals.total);
    let view = CartView {
        revision,
        site: site.summary.customer_number.clone(),
        currency,
        level: catalog_priced.level,
        can_check_out,
        lines: views,
        subtotal: totals.subtotal,
        discount: totals.discount,
        tax: totals.tax,
        total: totals.total,
        points: totals.points,
        summary,
        change_requested: blockers.change_requested,
        quote_requests_changed,
        expired_quotes: blockers.expired,
    };
    Ok(PricedCart {
        view,
        lines,
        totals,
        tax_rule,
        quotes,
    })
}

/// A fingerprint of what the customer sees of the cart (every line as priced, and the total): the
/// checkout sends the one it showed, and an order is placed only for that cart, so lines the customer
/// did not review (added in another tab, or left by an order request that died) never slip in.
fn revision(lines: &[CartLineView], total: &entitle_core::money::Money) -> String {
    use sha2::Digest;
    let json = serde_json::to_vec(&(lines, total)).unwrap_or_default();
    sha2::Sha256::digest(&json)
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Stores a term in the cart_lines columns.
#[must_use]
pub fn term_columns(term: Term) -> (&'static str, Option<i64>, Option<String>, Option<String>) {
    match term {
        Term::Standard => ("standard", None, None, None),
        Term::Months { months } => ("months", Some(i64::from(months)), None, None),
        Term::Coverage { start, end } => (
            "coverage",
            None,
            Some(format_date(start)),
            Some(format_date(end)),
        ),
    }
}

/// Adds a catalog line to cart `cart_id`.
///
/// # Errors
/// Database errors.
pub async fn insert_catalog_line(
    conn: &mut sqlx::AnyConnection,
    cart_id: i64,
    part: &PartNumber,
    quantity: u32,
    term: Term,
    at: i64,
) -> DbResult<()> {
    let (kind, months, start, end) = term_columns(term);
    sqlx::query(
        "INSERT INTO cart_lines (cart_id, part_number, quantity, term_kind, months, coverage_start, coverage_end, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(cart_id)
    .bind(part.as_str())
    .bind(i64::from(quantity))
    .bind(kind)
    .bind(months)
    .bind(start)
    .bind(end)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds every line of version `version` of renewal quote `quote_id` to cart `cart_id`.
///
/// # Errors
/// Database errors.
pub async fn insert_quote_lines(
    conn: &mut sqlx::AnyConnection,
    cart_id: i64,
    quote_id: i64,
    version: i64,
    at: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO cart_lines (cart_id, part_number, quantity, term_kind, coverage_start, coverage_end, renewal_line_id, created_at) \
         SELECT $1, part_number, quantity, 'coverage', coverage_start, coverage_end, id, $2 \
         FROM renewal_quote_lines WHERE quote_id = $3 AND version = $4 ORDER BY id",
    )
    .bind(cart_id)
    .bind(at)
    .bind(quote_id)
    .bind(version)
    .execute(conn)
    .await?;
    Ok(())
}

/// A line of a user's active cart, with the renewal quote it came from.
#[derive(Debug, Clone)]
pub struct OwnLine {
    /// The cart's site.
    pub customer_number: String,
    /// The part's licence metric.
    pub metric: entitle_core::catalog::Metric,
    /// Its quantity now.
    pub quantity: u32,
    /// The renewal line and its quote (id, status, version), for a renewal line.
    pub renewal: Option<(i64, LineQuote)>,
    /// The sales rep's quote request it was accepted from (id), and the quoted line (id).
    pub quote_request: Option<(i64, Option<i64>)>,
}

/// The quote of a renewal line in a cart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineQuote {
    /// Its id.
    pub id: i64,
    /// Its state.
    pub status: QuoteStatus,
    /// Its current version.
    pub version: i64,
}

#[derive(Debug, sqlx::FromRow)]
struct OwnLineRow {
    customer_number: String,
    metric: String,
    quantity: i64,
    renewal_line_id: Option<i64>,
    quote_id: Option<i64>,
    status: Option<String>,
    version: Option<i64>,
    quote_request_id: Option<i64>,
    quote_request_line_id: Option<i64>,
}

/// The line `id` if it is in the user's active cart.
///
/// # Errors
/// Database errors; stored values that do not parse.
pub async fn own_line(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
    id: i64,
) -> DbResult<Option<OwnLine>> {
    let row: Option<OwnLineRow> = sqlx::query_as(
        "SELECT s.customer_number, p.metric, cl.quantity, cl.renewal_line_id, rq.id AS quote_id, rq.status, rq.version, \
                cl.quote_request_id, cl.quote_request_line_id \
         FROM cart_lines cl JOIN carts c ON c.id = cl.cart_id JOIN sites s ON s.id = c.site_id \
         JOIN parts p ON p.part_number = cl.part_number \
         LEFT JOIN renewal_quote_lines rql ON rql.id = cl.renewal_line_id \
         LEFT JOIN renewal_quotes rq ON rq.id = rql.quote_id \
         WHERE cl.id = $1 AND c.user_id = $2 AND c.name IS NULL",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let renewal = match (r.renewal_line_id, r.quote_id, r.status, r.version) {
        (Some(line), Some(id), Some(status), Some(version)) => Some((
            line,
            LineQuote {
                id,
                status: QuoteStatus::from_code(&status)
                    .ok_or_else(|| DbError::corrupt("quote status", status))?,
                version,
            },
        )),
        _ => None,
    };
    Ok(Some(OwnLine {
        metric: r
            .metric
            .parse()
            .map_err(|e| DbError::corrupt("metric", e))?,
        quantity: super::error::stored("quantity", r.quantity)?,
        customer_number: r.customer_number,
        renewal,
        quote_request: r.quote_request_id.map(|id| (id, r.quote_request_line_id)),
    }))
}

/// Sets a cart line's quantity.
///
/// # Errors
/// Database errors.
pub async fn set_quantity(conn: &mut sqlx::AnyConnection, id: i64, quantity: u32) -> DbResult<()> {
    sqlx::query("UPDATE cart_lines SET quantity = $1 WHERE id = $2")
        .bind(i64::from(quantity))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes a cart line.
///
/// # Errors
/// Database errors.
pub async fn delete_line(conn: &mut sqlx::AnyConnection, id: i64) -> DbResult<()> {
    sqlx::query("DELETE FROM cart_lines WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Empties a cart (its order was placed).
///
/// # Errors
/// Database errors.
pub async fn clear(conn: &mut sqlx::AnyConnection, cart_id: i64) -> DbResult<()> {
    sqlx::query("DELETE FROM cart_lines WHERE cart_id = $1")
        .bind(cart_id)
        .execute(conn)
        .await?;
    Ok(())
}
