//! What the renewal engine reads and writes: sites due for a renewal quote and the claims that keep two
//! engines from issuing it twice, the quotes it issues, expires and auto-renews, and the anniversaries
//! and points terms it moves on.

use entitle_core::catalog::{PartNumber, PartType, PriceLevel};
use entitle_core::money::{Currency, Money};
use entitle_core::pricing::AgreementKind;
use entitle_core::quote::QuoteStatus;
use entitle_core::renewal::Coverage;
use sqlx::AnyConnection;
use time::Date;

use super::error::{DbError, DbResult};
use super::{format_date, parse_date};

fn status(code: String) -> DbResult<QuoteStatus> {
    QuoteStatus::from_code(&code).ok_or_else(|| DbError::corrupt("quote status", code))
}

fn part(code: &str) -> DbResult<PartNumber> {
    PartNumber::parse(code).map_err(|e| DbError::corrupt("part number", e))
}

// ---- issuing ---------------------------------------------------------------------------------------

/// Sites whose anniversary is on or before `horizon`, that hold coverage ending by then and have no
/// quote for that anniversary yet: (site id, anniversary).
///
/// # Errors
/// Database errors; stored dates that do not parse.
pub async fn sites_due_for_quote(
    conn: &mut AnyConnection,
    horizon: Date,
) -> DbResult<Vec<(i64, Date)>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT s.id, s.anniversary FROM sites s WHERE s.anniversary <= $1 \
         AND EXISTS (SELECT 1 FROM entitlements e WHERE e.site_id = s.id AND e.coverage_end <= s.anniversary) \
         AND NOT EXISTS (SELECT 1 FROM renewal_quotes q WHERE q.site_id = s.id AND q.due_date = s.anniversary) \
         ORDER BY s.id",
    )
    .bind(format_date(horizon))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, d)| Ok((id, parse_date(&d)?)))
        .collect()
}

/// Claims (site, due) for `holder` until `lease_until`; false when another holder has a live claim
/// (its lease ends after `now`) or the quote was issued.
///
/// # Errors
/// Database errors.
pub async fn claim(
    conn: &mut AnyConnection,
    site_id: i64,
    due: Date,
    holder: &str,
    lease_until: i64,
    now: i64,
) -> DbResult<bool> {
    let claimed = sqlx::query(
        "INSERT INTO renewal_claims (site_id, due_date, holder, lease_until) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (site_id, due_date) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until \
         WHERE renewal_claims.quote_id IS NULL AND renewal_claims.lease_until < $5",
    )
    .bind(site_id)
    .bind(format_date(due))
    .bind(holder)
    .bind(lease_until)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// Whether `holder` still holds the unsettled claim on (site, due).
///
/// # Errors
/// Database errors.
pub async fn holds_claim(
    conn: &mut AnyConnection,
    site_id: i64,
    due: Date,
    holder: &str,
) -> DbResult<bool> {
    let ours: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM renewal_claims WHERE site_id = $1 AND due_date = $2 AND holder = $3 AND quote_id IS NULL",
    )
    .bind(site_id)
    .bind(format_date(due))
    .bind(holder)
    .fetch_optional(conn)
    .await?;
    Ok(ours.is_some())
}

/// Settles the claim on (site, due) with the quote issued for it.
///
/// # Errors
/// Database errors.
pub async fn settle_claim(
    conn: &mut AnyConnection,
    site_id: i64,
    due: Date,
    holder: &str,
    quote_id: i64,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE renewal_claims SET quote_id = $1 WHERE site_id = $2 AND due_date = $3 AND holder = $4",
    )
    .bind(quote_id)
    .bind(site_id)
    .bind(format_date(due))
    .bind(holder)
    .execute(conn)
    .await?;
    Ok(())
}

/// The site's coverage that ends by `due`.
///
/// # Errors
/// Database errors; stored values that do not parse.
pub async fn coverage_ending_by(
    conn: &mut AnyConnection,
    site_id: i64,
    due: Date,
) -> DbResult<Vec<Coverage>> {
    let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
        "SELECT id, renewal_part, quantity, coverage_end FROM entitlements \
         WHERE site_id = $1 AND coverage_end <= $2 ORDER BY id",
    )
    .bind(site_id)
    .bind(format_date(due))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, renewal_part, quantity, end)| {
            Ok(Coverage {
                id,
                renewal_part: part(&renewal_part)?,
                quantity: super::error::stored("quantity", quantity)?,
                end: parse_date(&end)?,
            })
        })
        .collect()
}

/// A renewal quote to issue (version 1, valid through its due date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRenewalQuote {
    /// The site.
    pub site_id: i64,
    /// The anniversary it renews to.
    pub due: Date,
    /// Its currency.
    pub currency: Currency,
    /// Whether it renews by itself on the due date.
    pub auto_renew: bool,
    /// When it is issued (unix seconds).
    pub at: i64,
}

/// A line of a quote to issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRenewalLine {
    /// The entitlement it renews.
    pub entitlement: i64,
    /// The part.
    pub part: PartNumber,
    /// Units.
    pub quantity: u32,
    /// Coverage start.
    pub coverage_start: Date,
    /// Coverage end.
    pub coverage_end: Date,
    /// Unit price.
    pub unit: Money,
    /// Extended price.
    pub extended: Money,
}

/// Stores an issued renewal quote and its lines; its number comes from `number_of(id)`. Returns its id
/// and number.
///
/// # Errors
/// Database errors; an amount that does not fit.
pub async fn insert_quote(
    conn: &mut AnyConnection,
    quote: &NewRenewalQuote,
    lines: &[NewRenewalLine],
    number_of: impl Fn(i64) -> String,
) -> DbResult<(i64, String)> {
    let quote_id: i64 = sqlx::query_scalar(
        "INSERT INTO renewal_quotes (quote_number, site_id, status, version, due_date, valid_until, currency, issued_at, auto_renew) \
         VALUES ($1, $2, 'issued', 1, $3, $3, $4, $5, $6) RETURNING id",
    )
    // A unique number until the one derived from the id replaces it below.
    .bind(format!("tmp-{}-{}", quote.site_id, format_date(quote.due)))
    .bind(quote.site_id)
    .bind(format_date(quote.due))
    .bind(quote.currency.code())
    .bind(quote.at)
    .bind(i64::from(quote.auto_renew))
    .fetch_one(&mut *conn)
    .await?;
    let number = number_of(quote_id);
    sqlx::query("UPDATE renewal_quotes SET quote_number = $1 WHERE id = $2")
        .bind(&number)
        .bind(quote_id)
        .execute(&mut *conn)
        .await?;
    let minor = |m: &Money| {
        m.to_minor().map_err(|e| DbError::Unstorable {
            what: "amount",
            detail: format!("{m}: {e}"),
        })
    };
    for l in lines {
        sqlx::query(
            "INSERT INTO renewal_quote_lines (quote_id, version, entitlement_id, part_number, quantity, \
             coverage_start, coverage_end, unit_minor, extended_minor) VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(quote_id)
        .bind(l.entitlement)
        .bind(l.part.as_str())
        .bind(i64::from(l.quantity))
        .bind(format_date(l.coverage_start))
        .bind(format_date(l.coverage_end))
        .bind(minor(&l.unit)?)
        .bind(minor(&l.extended)?)
        .execute(&mut *conn)
        .await?;
    }
    Ok((quote_id, number))
}

// ---- expiry ----------------------------------------------------------------------------------------

/// Renewal quotes still open whose validity date is before `today`: (id, number, status).
///
/// # Errors
/// Database errors; a stored status that is not one.
pub async fn quotes_past_validity(
    conn: &mut AnyConnection,
    today: Date,
) -> DbResult<Vec<(i64, String, QuoteStatus)>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, quote_number, status FROM renewal_quotes \
         WHERE valid_until < $1 AND status IN ('issued', 'change_requested', 'reissued', 'in_cart') ORDER BY id",
    )
    .bind(format_date(today))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, number, s)| Ok((id, number, status(s)?)))
        .collect()
}

// ---- auto-renew ------------------------------------------------------------------------------------

/// A quote on auto-renew that is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoRenewQuote {
    /// Its id.
    pub id: i64,
    /// Its site.
    pub site_id: i64,
    /// Its number.
    pub number: String,
    /// Its state.
    pub status: QuoteStatus,
    /// Its current version.
    pub version: i64,
    /// Due date.
    pub due: Date,
    /// The site's country code, as stored.
    pub country: String,
    /// The customer who turned auto-renew on (and may still buy for the site): the order is theirs.
    pub consent_user: i64,
    /// Their e-mail.
    pub consent_email: String,
    /// The terms version they accepted by turning it on: the order's terms.
    pub consent_terms: String,
}

/// Quotes a customer turned auto-renew on for (no Business Partner) that are due by `today` and still valid and open.
///
/// # Errors
/// Database errors; stored values that do not parse.
pub async fn auto_renew_due(
    conn: &mut AnyConnection,
    today: Date,
) -> DbResult<Vec<AutoRenewQuote>> {
    type Row = (
        i64,
        i64,
        String,
        String,
        i64,
        String,
        String,
        i64,
        String,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT q.id, q.site_id, q.quote_number, q.status, q.version, q.due_date, s.country, \
                u.id, u.email, q.auto_renew_terms FROM renewal_quotes q \
         JOIN sites s ON s.id = q.site_id JOIN users u ON u.id = q.auto_renew_by \
         JOIN site_access a ON a.site_id = q.site_id AND a.user_id = u.id AND a.can_buy = 1 \
         WHERE q.auto_renew = 1 AND q.auto_renew_terms IS NOT NULL AND s.business_partner_id IS NULL \
           AND q.due_date <= $1 AND q.valid_until >= $1 \
           AND q.status IN ('issued', 'reissued', 'in_cart') ORDER BY q.id",
    )
    .bind(format_date(today))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(
            |(
                id,
                site_id,
                number,
                s,
                version,
                due,
                country,
                consent_user,
                consent_email,
                consent_terms,
            )| {
                Ok(AutoRenewQuote {
                    consent_user,
                    consent_email,
                    consent_terms,
                    id,
                    site_id,
                    number,
                    status: status(s)?,
                    version,
                    due: parse_date(&due)?,
                    country,
                })
            },
        )
        .collect()
}

/// Locks quote `id` while it is still in `status` with auto-renew on (a second engine waits here, then
/// finds it ordered); false when it no longer is.
///
/// # Errors
/// Database errors.
pub async fn lock_auto_renew(
    conn: &mut AnyConnection,
    id: i64,
    status: QuoteStatus,
) -> DbResult<bool> {
    let open = sqlx::query(
        "UPDATE renewal_quotes SET auto_renew = auto_renew WHERE id = $1 AND status = $2 AND auto_renew = 1",
    )
    .bind(id)
    .bind(status.code())
    .execute(conn)
    .await?
    .rows_affected();
    Ok(open == 1)
}

/// The billing and shipping details (stored JSON) of the site's last order.
///
/// # Errors
/// Database errors.
pub async fn last_billing(
    conn: &mut AnyConnection,
    site_id: i64,
) -> DbResult<Option<(String, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT billing_json, shipping_json FROM orders WHERE site_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(site_id)
    .fetch_optional(conn)
    .await?)
}

/// A line of a quote as issued, with its part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedLine {
    /// Its id.
    pub id: i64,
    /// The part.
    pub part: PartNumber,
    /// The part's type.
    pub part_type: PartType,
    /// The part's description.
    pub description: String,
    /// Units.
    pub quantity: u32,
    /// Coverage start.
    pub coverage_start: Date,
    /// Coverage end.
    pub coverage_end: Date,
    /// Issued unit price (minor units).
    pub unit_minor: i64,
}

#[derive(Debug, sqlx::FromRow)]
struct IssuedLineRow {
    id: i64,
    part_number: String,
    quantity: i64,
    coverage_start: String,
    coverage_end: String,
    unit_minor: i64,
    part_type: String,
    description: String,
}

/// The lines of version `version` of quote `quote_id`.
///
/// # Errors
/// Database errors; stored values that do not parse.
pub async fn issued_lines(
    conn: &mut AnyConnection,
    quote_id: i64,
    version: i64,
) -> DbResult<Vec<IssuedLine>> {
    let rows: Vec<IssuedLineRow> = sqlx::query_as(
        "SELECT l.id, l.part_number, l.quantity, l.coverage_start, l.coverage_end, l.unit_minor, p.part_type, p.description \
         FROM renewal_quote_lines l JOIN parts p ON p.part_number = l.part_number \
         WHERE l.quote_id = $1 AND l.version = $2 ORDER BY l.id",
    )
    .bind(quote_id)
    .bind(version)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(IssuedLine {
                id: r.id,
                part: part(&r.part_number)?,
                part_type: r
                    .part_type
                    .parse()
                    .map_err(|e| DbError::corrupt("part type", e))?,
                description: r.description,
                quantity: super::error::stored("quantity", r.quantity)?,
                coverage_start: parse_date(&r.coverage_start)?,
                coverage_end: parse_date(&r.coverage_end)?,
                unit_minor: r.unit_minor,
            })
        })
        .collect()
}

/// Takes every line of quote `quote_id` (any version) out of every cart.
///
/// # Errors
/// Database errors.
pub async fn remove_quote_from_carts(conn: &mut AnyConnection, quote_id: i64) -> DbResult<()> {
    sqlx::query(
        "DELETE FROM cart_lines WHERE renewal_line_id IN (SELECT id FROM renewal_quote_lines WHERE quote_id = $1)",
    )
    .bind(quote_id)
    .execute(conn)
    .await?;
    Ok(())
}

// ---- anniversaries and points terms ----------------------------------------------------------------

/// Sites whose anniversary is before `today`: (id, anniversary).
///
/// # Errors
/// Database errors; stored dates that do not parse.
pub async fn sites_past_anniversary(
    conn: &mut AnyConnection,
    today: Date,
) -> DbResult<Vec<(i64, Date)>> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, anniversary FROM sites WHERE anniversary < $1 ORDER BY id")
            .bind(format_date(today))
            .fetch_all(conn)
            .await?;
    rows.into_iter()
        .map(|(id, d)| Ok((id, parse_date(&d)?)))
        .collect()
}

/// Moves a site's anniversary.
///
/// # Errors
/// Database errors.
pub async fn set_anniversary(
    conn: &mut AnyConnection,
    site_id: i64,
    anniversary: Date,
) -> DbResult<()> {
    sqlx::query("UPDATE sites SET anniversary = $1 WHERE id = $2")
        .bind(format_date(anniversary))
        .bind(site_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// An organisation's points term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointsTerm {
    /// The organisation.
    pub id: i64,
    /// Its agreement number.
    pub agreement_number: String,
    /// Its agreement kind.
    pub agreement: AgreementKind,
    /// The level it holds.
    pub level: PriceLevel,
    /// Points earned this term.
    pub points: u64,
    /// When the term started (`None` before the engine's first run).
    pub term_start: Option<Date>,
}

/// Every organisation's points term.
///
/// # Errors
/// Database errors; stored values that do not parse.
pub async fn points_terms(conn: &mut AnyConnection) -> DbResult<Vec<PointsTerm>> {
    let rows: Vec<(i64, String, String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT id, agreement_number, agreement_kind, price_level, points, term_start FROM organisations ORDER BY id",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, agreement_number, kind, level, points, start)| {
            Ok(PointsTerm {
                id,
                agreement_number,
                agreement: if kind == "express" {
                    AgreementKind::Express
                } else {
                    AgreementKind::Relationship
                },
                level: level
                    .parse()
                    .map_err(|_| DbError::corrupt("price level", &level))?,
                points: super::error::stored("points", points)?,
                term_start: start.as_deref().map(parse_date).transpose()?,
            })
        })
        .collect()
}

/// The earliest anniversary of the organisation's sites.
///
/// # Errors
/// Database errors; a stored date that does not parse.
pub async fn first_anniversary(
    conn: &mut AnyConnection,
    organisation_id: i64,
) -> DbResult<Option<Date>> {
    let first: Option<String> =
        sqlx::query_scalar("SELECT MIN(anniversary) FROM sites WHERE organisation_id = $1")
            .bind(organisation_id)
            .fetch_one(conn)
            .await?;
    first.as_deref().map(parse_date).transpose()
}

/// Sets when the organisation's current points term started.
///
/// # Errors
/// Database errors.
pub async fn set_term_start(
    conn: &mut AnyConnection,
    organisation_id: i64,
    start: Date,
) -> DbResult<()> {
    sqlx::query("UPDATE organisations SET term_start = $1 WHERE id = $2")
        .bind(format_date(start))
        .bind(organisation_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Starts a new points term on `start` at `level`, with no points.
///
/// # Errors
/// Database errors.
pub async fn start_points_term(
    conn: &mut AnyConnection,
    organisation_id: i64,
    level: PriceLevel,
    start: Date,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE organisations SET price_level = $1, points = 0, term_start = $2 WHERE id = $3",
    )
    .bind(level.code())
    .bind(format_date(start))
    .bind(organisation_id)
    .execute(conn)
    .await?;
    Ok(())
}
