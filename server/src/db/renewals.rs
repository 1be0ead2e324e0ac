//! Renewal quotes and coverage, scoped to what the user may see.

use super::error::{DbError, DbResult};
use std::collections::BTreeMap;

use entitle_core::catalog::{PartNumber, PartType};
use entitle_core::country::CountryCode;
use entitle_core::dto::{
    AutoRenewConsent, Contact, CoverageItem, RenewalChannel, RenewalLine, RenewalQuoteDetail,
    RenewalQuoteSummary, Role,
};
use entitle_core::money::{Currency, Money};
use entitle_core::pricing::cart::{IssuedPrice, Totals, price_issued};
use entitle_core::pricing::summary::MoneySummary;
use entitle_core::pricing::{AgreementKind, CustomerContext, Term};
use entitle_core::quote::QuoteStatus;
use sqlx::AnyPool;
use time::{Date, Duration};

use super::access::{Privilege, site_scope};
use super::parse_date;

fn bad(what: &'static str) -> DbError {
    DbError::corrupt(what, "does not parse")
}

const SUMMARY_COLUMNS: &str = "q.id, q.quote_number, q.status, q.version, q.due_date, q.valid_until, q.currency, \
    s.customer_number, s.name AS site_name, o.name AS organisation, o.agreement_number, s.business_partner_id, \
    (SELECT COUNT(*) FROM renewal_quote_lines l WHERE l.quote_id = q.id AND l.version = q.version) AS line_count, \
    (SELECT CAST(COALESCE(SUM(l.extended_minor), 0) AS BIGINT) FROM renewal_quote_lines l \
       WHERE l.quote_id = q.id AND l.version = q.version) AS subtotal_minor";

const SUMMARY_FROM: &str = "FROM renewal_quotes q JOIN sites s ON s.id = q.site_id JOIN organisations o ON o.id = s.organisation_id";

/// A row of [`SUMMARY_COLUMNS`].
#[derive(Debug, sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    quote_number: String,
    status: String,
    version: i64,
    due_date: String,
    valid_until: String,
    currency: String,
    customer_number: String,
    site_name: String,
    organisation: String,
    agreement_number: String,
    business_partner_id: Option<i64>,
    line_count: i64,
    subtotal_minor: i64,
}

fn summary(r: SummaryRow) -> DbResult<RenewalQuoteSummary> {
    let currency: Currency = r.currency.parse().map_err(|_| bad("currency"))?;
    Ok(RenewalQuoteSummary {
        quote_number: r.quote_number,
        status: QuoteStatus::from_code(&r.status).ok_or_else(|| bad("quote status"))?,
        version: super::error::stored("version", r.version)?,
        customer_number: r.customer_number,
        site_name: r.site_name,
        organisation: r.organisation,
        agreement_number: r.agreement_number,
        due_date: parse_date(&r.due_date)?,
        valid_until: parse_date(&r.valid_until)?,
        lines: super::error::stored("line count", r.line_count)?,
        subtotal: Money::from_minor(r.subtotal_minor, currency),
        channel: if r.business_partner_id.is_some() {
            RenewalChannel::BusinessPartner
        } else {
            RenewalChannel::Online
        },
    })
}

/// Renewal quotes the user may see; `open_only` keeps those waiting for review or action.
#[tracing::instrument(skip(pool))]
pub async fn list(
    pool: &AnyPool,
    user_id: i64,
    role: Role,
    open_only: bool,
) -> DbResult<Vec<RenewalQuoteSummary>> {
    let open = if open_only {
        " AND q.status IN ('issued', 'change_requested', 'reissued', 'in_cart')"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} WHERE {}{open} ORDER BY q.due_date, q.quote_number",
        site_scope(role, Privilege::ViewQuotes)
    );
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).bind(user_id).fetch_all(pool).await?;
    rows.into_iter().map(summary).collect()
}

#[derive(Debug, sqlx::FromRow)]
struct ChangeRow {
    quote_id: i64,
    version: i64,
    renewal_line_id: i64,
    action: String,
    quantity: Option<i64>,
    requested_at: i64,
    email: String,
    part_number: String,
    issued: i64,
    description: String,
}

/// The renewal quotes the customer changed, waiting for the rep (staff: the customers they own), each
/// with the latest requested change per line against the version the customer saw.
#[tracing::instrument(skip(pool))]
pub async fn change_requests(
    pool: &AnyPool,
    user_id: i64,
    role: Role,
) -> DbResult<Vec<entitle_core::dto::ChangeRequestView>> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} WHERE {} AND q.status = 'change_requested' \
         ORDER BY q.due_date, q.quote_number",
        site_scope(role, Privilege::ViewQuotes)
    );
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).bind(user_id).fetch_all(pool).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // Every listed quote's changes in one query, oldest first, so the latest request per line wins.
    let marks: Vec<String> = (1..=rows.len()).map(|i| format!("${i}")).collect();
    let changes_sql = format!(
        "SELECT c.quote_id, c.version, c.renewal_line_id, c.action, c.quantity, c.requested_at, u.email, \
                l.part_number, l.quantity AS issued, p.description \
         FROM quote_change_requests c JOIN renewal_quote_lines l ON l.id = c.renewal_line_id \
         JOIN users u ON u.id = c.requested_by JOIN parts p ON p.part_number = l.part_number \
         WHERE c.quote_id IN ({}) ORDER BY c.requested_at, c.id",
        marks.join(", ")
    );
    let mut q = sqlx::query_as::<_, ChangeRow>(&changes_sql);
    for r in &rows {
        q = q.bind(r.id);
    }
    let mut changes: BTreeMap<i64, Vec<ChangeRow>> = BTreeMap::new();
    for c in q.fetch_all(pool).await? {
        changes.entry(c.quote_id).or_default().push(c);
    }
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let quote_id = r.id;
        let quote = summary(r)?;
        let mut by_line: BTreeMap<i64, entitle_core::dto::RequestedChange> = BTreeMap::new();
        let mut who: Vec<String> = Vec::new();
        // Only the requests against the version the customer saw.
        for c in changes
            .remove(&quote_id)
            .unwrap_or_default()
            .into_iter()
            .filter(|c| c.version == i64::from(quote.version))
        {
            if !who.contains(&c.email) {
                who.push(c.email);
            }
            by_line.insert(
                c.renewal_line_id,
                entitle_core::dto::RequestedChange {
                    line_id: c.renewal_line_id,
                    part_number: c.part_number.parse().map_err(|_| bad("part_number"))?,
                    description: c.description,
                    issued_quantity: super::error::stored("issued", c.issued)?,
                    requested_quantity: if c.action == "delete" {
                        None
                    } else {
                        c.quantity
                            .map(|q| super::error::stored("requested quantity", q))
                            .transpose()?
                    },
                    requested_at: c.requested_at,
                },
            );
        }
        out.push(entitle_core::dto::ChangeRequestView {
            quote,
            requested_by: who,
            changes: by_line.into_values().collect(),
        });
    }
    Ok(out)
}

#[derive(Debug, sqlx::FromRow)]
struct DetailRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    auto_renew: i64,
    auto_renew_at: Option<i64>,
    auto_renew_terms: Option<String>,
    auto_renew_name: Option<String>,
    auto_renew_email: Option<String>,
    country: String,
    anniversary: String,
    agreement_kind: String,
    price_level: String,
    points: i64,
    sales_name: String,
    sales_email: String,
    sales_phone: String,
    renewal_name: String,
    renewal_email: String,
    renewal_phone: String,
    bp_name: Option<String>,
    bp_email: Option<String>,
    bp_phone: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
struct QuoteLineRow {
    id: i64,
    part_number: String,
    quantity: i64,
    coverage_start: String,
    coverage_end: String,
    unit_minor: i64,
    description: String,
    part_type: String,
}

/// One quote with its current lines, priced with `entitle-core`, if the user may see it.
#[tracing::instrument(skip(pool))]
pub async fn detail(
    pool: &AnyPool,
    user_id: i64,
    role: Role,
    quote_number: &str,
    today: Date,
) -> DbResult<Option<RenewalQuoteDetail>> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, q.auto_renew, q.auto_renew_at, q.auto_renew_terms, ar.name AS auto_renew_name, \
                ar.email AS auto_renew_email, s.country, s.anniversary, o.agreement_kind, o.price_level, o.points, \
                sr.name AS sales_name, sr.email AS sales_email, sr.phone AS sales_phone, \
                rr.name AS renewal_name, rr.email AS renewal_email, rr.phone AS renewal_phone, \
                bp.name AS bp_name, bp.email AS bp_email, bp.phone AS bp_phone \
         {SUMMARY_FROM} JOIN users sr ON sr.id = s.sales_rep_id JOIN users rr ON rr.id = s.renewal_rep_id \
         LEFT JOIN business_partners bp ON bp.id = s.business_partner_id LEFT JOIN users ar ON ar.id = q.auto_renew_by \
         WHERE q.quote_number = $2 AND {}",
        site_scope(role, Privilege::ViewQuotes)
    );
    let Some(r) = sqlx::query_as::<_, DetailRow>(&sql)
        .bind(user_id)
        .bind(quote_number)
        .fetch_optional(pool)
        .await?
    else {
        return Ok(None);
    };
    let quote_id = r.summary.id;
    let summary = summary(r.summary)?;
    let country: CountryCode = r.country.parse().map_err(|_| bad("country"))?;
    let currency = summary.subtotal.currency();
    let level = r.price_level.parse().map_err(|_| bad("price level"))?;
    let agreement = match r.agreement_kind.as_str() {
        "express" => AgreementKind::Express,
        "relationship" => AgreementKind::Relationship,
        other => return Err(DbError::corrupt("agreement kind", other)),
    };
    let business_partner = r.bp_name.map(|name| Contact {
        name,
        email: r.bp_email.unwrap_or_default(),
        phone: r.bp_phone.unwrap_or_default(),
    });
    let lines: Vec<QuoteLineRow> = sqlx::query_as(
        "SELECT l.id, l.part_number, l.quantity, l.coverage_start, l.coverage_end, l.unit_minor, p.description, p.part_type \
         FROM renewal_quote_lines l JOIN parts p ON p.part_number = l.part_number \
         WHERE l.quote_id = $1 AND l.version = $2 ORDER BY l.id",
    )
    .bind(quote_id)
    .bind(i64::from(summary.version))
    .fetch_all(pool)
    .await?;

    let context = CustomerContext {
        agreement,
        level,
        points: super::error::stored("points", r.points)?,
        country,
        currency,
        anniversary: parse_date(&r.anniversary)?,
        today,
    };
    // The quote's prices were fixed when it was issued: each line is priced with its unit price, so
    // the totals, proration and tax come from the same engine as every other price.
    let mut out = Vec::with_capacity(lines.len());
    let mut totals = Totals::zero(currency);
    let mut quote_level = level;
    let mut tax_rule = None;
    for l in &lines {
        let part = PartNumber::parse(&l.part_number).map_err(|_| bad("part number"))?;
        let part_type: PartType = l.part_type.parse().map_err(|_| bad("part type"))?;
        let unit = Money::from_minor(l.unit_minor, currency);
        let start = parse_date(&l.coverage_start)?;
        let end = parse_date(&l.coverage_end)?;
        let qty = super::error::stored("quantity", l.quantity)?;
        let issued = IssuedPrice {
            part,
            part_type,
            unit,
        };
        let priced = price_issued(
            &context,
            issued,
            qty,
            Term::Coverage { start, end },
            summary.due_date,
        )
        .and_then(|p| totals.add(&p).map(|()| p))
        .map_err(|e| DbError::Internal(format!("pricing quote {quote_number}: {e}")))?;
        quote_level = priced.level;
        tax_rule.clone_from(&priced.tax_rule);
        let Some(pl) = priced.lines.first() else {
            continue;
        };
        out.push(RenewalLine {
            id: l.id,
            part_number: pl.part,
            description: l.description.clone(),
            quantity: pl.quantity,
            coverage_start: pl.coverage_start.unwrap_or(summary.due_date),
            coverage_end: pl.coverage_end.unwrap_or(summary.due_date),
            unit_price: pl.unit_price,
            extended: pl.extended,
            tax: pl.tax,
            explanations: priced.explanations(0),
        });
    }
    let auto_renew = (entitle_core::renewal::auto_renew_allowed(country)
        && business_partner.is_none())
    .then_some(r.auto_renew != 0);
    let auto_renew_consent = match (r.auto_renew != 0, r.auto_renew_at, r.auto_renew_terms) {
        (true, Some(at), Some(terms_version)) => Some(AutoRenewConsent {
            by_name: r.auto_renew_name.unwrap_or_default(),
            by_email: r.auto_renew_email.unwrap_or_default(),
            at,
            terms_version,
        }),
        _ => None,
    };
    let terms_version = super::terms::current_version(&mut *pool.acquire().await?).await?;
    Ok(Some(RenewalQuoteDetail {
        auto_renew_consent,
        terms_version,
        level: quote_level,
        country,
        sales_rep: Contact {
            name: r.sales_name,
            email: r.sales_email,
            phone: r.sales_phone,
        },
        renewal_rep: Contact {
            name: r.renewal_name,
            email: r.renewal_email,
            phone: r.renewal_phone,
        },
        business_partner,
        auto_renew,
        lines: out,
        subtotal: totals.subtotal,
        tax: totals.tax,
        total: totals.total,
        money: MoneySummary::new(&totals, tax_rule)
            .map_err(|e| DbError::Internal(format!("totals of quote {quote_number}: {e}")))?,
        summary,
    }))
}
#[derive(Debug, sqlx::FromRow)]
struct CoverageRow {
    customer_number: String,
    site_name: String,
    licence_part: String,
    renewal_part: String,
    quantity: i64,
    coverage_start: String,
    coverage_end: String,
    product: String,
    bp_name: Option<String>,
}

/// Coverage the user may see: lapsed, and ending within `within_days`.
#[tracing::instrument(skip(pool))]
pub async fn coverage(
    pool: &AnyPool,
    user_id: i64,
    role: Role,
    today: Date,
    within_days: i64,
) -> DbResult<Vec<CoverageItem>> {
    let sql = format!(
        "SELECT s.customer_number, s.name AS site_name, e.licence_part, e.renewal_part, e.quantity, \
                e.coverage_start, e.coverage_end, p.product, bp.name AS bp_name \
         FROM entitlements e JOIN sites s ON s.id = e.site_id JOIN parts p ON p.part_number = e.licence_part \
         LEFT JOIN business_partners bp ON bp.id = s.business_partner_id \
         WHERE e.coverage_end <= $2 AND {} ORDER BY e.coverage_end, s.customer_number, e.id",
        site_scope(role, Privilege::ViewQuotes)
    );
    let until = super::format_date(today + Duration::days(within_days));
    let rows: Vec<CoverageRow> = sqlx::query_as(&sql)
        .bind(user_id)
        .bind(until)
        .fetch_all(pool)
        .await?;
    rows.into_iter()
        .map(|r| {
            let end = parse_date(&r.coverage_end)?;
            let partner = r.bp_name;
            let part = |c: &str| -> DbResult<PartNumber> {
                PartNumber::parse(c).map_err(|_| bad("part number"))
            };
            Ok(CoverageItem {
                customer_number: r.customer_number,
                site_name: r.site_name,
                licence_part: part(&r.licence_part)?,
                product: r.product,
                renewal_part: part(&r.renewal_part)?,
                quantity: super::error::stored("quantity", r.quantity)?,
                coverage_start: parse_date(&r.coverage_start)?,
                coverage_end: end,
                state: entitle_core::renewal::coverage_state(end, today),
                channel: if partner.is_some() {
                    RenewalChannel::BusinessPartner
                } else {
                    RenewalChannel::Online
                },
                business_partner: partner,
            })
        })
        .collect()
}

/// Minor units to a decimal string for CSV.
#[must_use]
pub fn csv_amount(m: &Money) -> String {
    m.rounded()
        .amount()
        .round_dp(m.currency().minor_units())
        .to_string()
}

/// A renewal quote as a buyer acts on it: its state and who else may handle it.
#[derive(Debug, Clone)]
pub struct BuyerQuote {
    /// Its id.
    pub id: i64,
    /// Its number.
    pub quote_number: String,
    /// Its state.
    pub status: QuoteStatus,
    /// The site's country code, as stored.
    pub country: String,
    /// The site's customer number.
    pub customer_number: String,
    /// The site's name.
    pub site_name: String,
    /// The site's renewal rep.
    pub rep_email: String,
    /// The site's Business Partner, if one handles its renewals.
    pub bp_email: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
struct BuyerQuoteRow {
    id: i64,
    quote_number: String,
    status: String,
    country: String,
    customer_number: String,
    site_name: String,
    rep_email: String,
    bp_email: Option<String>,
}

impl TryFrom<BuyerQuoteRow> for BuyerQuote {
    type Error = DbError;

    fn try_from(r: BuyerQuoteRow) -> DbResult<BuyerQuote> {
        Ok(BuyerQuote {
            status: QuoteStatus::from_code(&r.status)
                .ok_or_else(|| DbError::corrupt("quote status", &r.status))?,
            id: r.id,
            quote_number: r.quote_number,
            country: r.country,
            customer_number: r.customer_number,
            site_name: r.site_name,
            rep_email: r.rep_email,
            bp_email: r.bp_email,
        })
    }
}

/// The renewal quote `quote_number` if the user may buy for its site.
///
/// # Errors
/// Database errors; a stored status that is not one.
pub async fn for_buyer(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
    role: Role,
    quote_number: &str,
) -> DbResult<Option<BuyerQuote>> {
    let sql = format!(
        "SELECT q.id, q.quote_number, q.status, s.country, s.customer_number, s.name AS site_name, \
                rr.email AS rep_email, bp.email AS bp_email \
         FROM renewal_quotes q JOIN sites s ON s.id = q.site_id JOIN users rr ON rr.id = s.renewal_rep_id \
         LEFT JOIN business_partners bp ON bp.id = s.business_partner_id \
         WHERE q.quote_number = $2 AND {}",
        site_scope(role, Privilege::Buy)
    );
    let row: Option<BuyerQuoteRow> = sqlx::query_as(&sql)
        .bind(user_id)
        .bind(quote_number)
        .fetch_optional(conn)
        .await?;
    row.map(BuyerQuote::try_from).transpose()
}

/// A customer's consent to auto-renew: who, under which terms, when.
#[derive(Debug, Clone, Copy)]
pub struct Consent<'a> {
    /// The customer (with the buy privilege on the site).
    pub user_id: i64,
    /// The terms version they accepted.
    pub terms_version: &'a str,
    /// When.
    pub at: i64,
}

/// Turns auto-renew on for quote `id` with `consent`, or off (`None`, which also forgets the consent;
/// the audit log keeps who did what).
///
/// # Errors
/// Database errors.
pub async fn set_auto_renew(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    consent: Option<Consent<'_>>,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE renewal_quotes SET auto_renew = $1, auto_renew_by = $2, auto_renew_at = $3, auto_renew_terms = $4 \
         WHERE id = $5",
    )
    .bind(i64::from(consent.is_some()))
    .bind(consent.map(|c| c.user_id))
    .bind(consent.map(|c| c.at))
    .bind(consent.map(|c| c.terms_version))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
