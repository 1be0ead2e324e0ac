//! Moving a renewal quote through its life cycle in the database: the rule from `entitle-core`, applied
//! as a compare-and-set so two requests racing on the same quote cannot both win.

use entitle_core::quote::{IllegalTransition, QuoteEvent, QuoteStatus};
use sqlx::AnyConnection;

use super::error::DbError;

/// Why a quote did not move.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// The life cycle does not allow the step.
    #[error(transparent)]
    Illegal(#[from] IllegalTransition),
    /// Another request moved the quote after the caller read it.
    #[error("the renewal quote changed meanwhile; reload it")]
    Changed,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Applies `event` to quote `quote_id`, which the caller read as `from`; `reissued` says whether its
/// current version came from a re-issue. Returns the new status.
///
/// # Errors
/// [`StepError::Illegal`] for a step the life cycle refuses, [`StepError::Changed`] when the quote is
/// no longer in `from` (another request moved it), or a database error.
pub async fn transition(
    conn: &mut AnyConnection,
    quote_id: i64,
    from: QuoteStatus,
    event: QuoteEvent,
    reissued: bool,
) -> Result<QuoteStatus, StepError> {
    let next = from.apply(event, reissued)?;
    let changed =
        sqlx::query("UPDATE renewal_quotes SET status = $1 WHERE id = $2 AND status = $3")
            .bind(next.code())
            .bind(quote_id)
            .bind(from.code())
            .execute(conn)
            .await
            .map_err(DbError::from)?
            .rows_affected();
    if changed != 1 {
        return Err(StepError::Changed);
    }
    Ok(next)
}

/// A renewal quote a member of staff works on: id, state and current version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffQuote {
    /// Its id.
    pub id: i64,
    /// Its state.
    pub status: QuoteStatus,
    /// Its current version (1 as first issued).
    pub version: i64,
}

/// The quote `quote_number` if the staff member's scope covers its site.
///
/// # Errors
/// Database errors; a stored status that is not one.
pub async fn for_staff(
    conn: &mut AnyConnection,
    user_id: i64,
    role: entitle_core::dto::Role,
    quote_number: &str,
) -> Result<Option<StaffQuote>, DbError> {
    let scope = super::access::site_scope(role, super::access::Privilege::ViewQuotes);
    let row: Option<(i64, String, i64)> = sqlx::query_as(&format!(
        "SELECT q.id, q.status, q.version FROM renewal_quotes q JOIN sites s ON s.id = q.site_id \
         WHERE q.quote_number = $2 AND {scope}"
    ))
    .bind(user_id)
    .bind(quote_number)
    .fetch_optional(conn)
    .await?;
    row.map(|(id, status, version)| {
        Ok(StaffQuote {
            id,
            status: QuoteStatus::from_code(&status)
                .ok_or_else(|| DbError::corrupt("quote status", status))?,
            version,
        })
    })
    .transpose()
}

/// A line of one version of a renewal quote, as issued.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionLine {
    /// Its id.
    pub id: i64,
    /// The entitlement it renews.
    pub entitlement_id: i64,
    /// The part.
    pub part_number: String,
    /// Units issued.
    pub quantity: i64,
    /// Coverage start (ISO date).
    pub coverage_start: String,
    /// Coverage end (ISO date).
    pub coverage_end: String,
    /// Issued unit price (minor units).
    pub unit_minor: i64,
}

/// The lines of version `version` of quote `quote_id`.
///
/// # Errors
/// Database errors.
pub async fn version_lines(
    conn: &mut AnyConnection,
    quote_id: i64,
    version: i64,
) -> Result<Vec<VersionLine>, DbError> {
    Ok(sqlx::query_as(
        "SELECT id, entitlement_id, part_number, quantity, coverage_start, coverage_end, unit_minor \
         FROM renewal_quote_lines WHERE quote_id = $1 AND version = $2 ORDER BY id",
    )
    .bind(quote_id)
    .bind(version)
    .fetch_all(conn)
    .await?)
}

/// The quantities the customer asked for on version `version`, by line: the latest request per line
/// wins, a deletion is 0.
///
/// # Errors
/// Database errors.
pub async fn requested_quantities(
    conn: &mut AnyConnection,
    quote_id: i64,
    version: i64,
) -> Result<std::collections::BTreeMap<i64, u32>, DbError> {
    let rows: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT renewal_line_id, action, quantity FROM quote_change_requests \
         WHERE quote_id = $1 AND version = $2 ORDER BY requested_at, id",
    )
    .bind(quote_id)
    .bind(version)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(line, action, quantity)| {
            let qty = if action == "delete" {
                0
            } else {
                super::error::stored("requested quantity", quantity.unwrap_or(-1))?
            };
            Ok((line, qty))
        })
        .collect()
}

/// Adds `line` with `quantity` units to version `version` of quote `quote_id`, at its issued price.
///
/// # Errors
/// Database errors.
pub async fn insert_version_line(
    conn: &mut AnyConnection,
    quote_id: i64,
    version: i64,
    line: &VersionLine,
    quantity: u32,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO renewal_quote_lines (quote_id, version, entitlement_id, part_number, quantity, \
         coverage_start, coverage_end, unit_minor, extended_minor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(quote_id)
    .bind(version)
    .bind(line.entitlement_id)
    .bind(&line.part_number)
    .bind(i64::from(quantity))
    .bind(&line.coverage_start)
    .bind(&line.coverage_end)
    .bind(line.unit_minor)
    .bind(line.unit_minor.saturating_mul(i64::from(quantity)))
    .execute(conn)
    .await?;
    Ok(())
}

/// Makes `version` the quote's current version, issued at `at`, and takes the previous version's lines
/// out of every cart (the customer is sent to the new version).
///
/// # Errors
/// Database errors.
pub async fn publish_version(
    conn: &mut AnyConnection,
    quote_id: i64,
    version: i64,
    at: i64,
) -> Result<(), DbError> {
    sqlx::query("UPDATE renewal_quotes SET version = $1, issued_at = $2 WHERE id = $3")
        .bind(version)
        .bind(at)
        .bind(quote_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "DELETE FROM cart_lines WHERE renewal_line_id IN \
         (SELECT id FROM renewal_quote_lines WHERE quote_id = $1 AND version = $2)",
    )
    .bind(quote_id)
    .bind(version - 1)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a customer's change to a line of version `version` (`None`: the line deleted).
///
/// # Errors
/// Database errors.
pub async fn record_change_request(
    conn: &mut AnyConnection,
    quote_id: i64,
    version: i64,
    renewal_line_id: i64,
    new_quantity: Option<u32>,
    by: i64,
    at: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO quote_change_requests (quote_id, version, renewal_line_id, action, quantity, requested_by, requested_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(quote_id)
    .bind(version)
    .bind(renewal_line_id)
    .bind(if new_quantity.is_some() { "quantity" } else { "delete" })
    .bind(new_quantity.map(i64::from))
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Who works a quote: (renewal rep's email, quote number, customer number).
///
/// # Errors
/// Database errors.
pub async fn rep_of(
    conn: &mut AnyConnection,
    quote_id: i64,
) -> Result<(String, String, String), DbError> {
    Ok(sqlx::query_as(
        "SELECT u.email, q.quote_number, s.customer_number FROM renewal_quotes q \
         JOIN sites s ON s.id = q.site_id JOIN users u ON u.id = s.renewal_rep_id WHERE q.id = $1",
    )
    .bind(quote_id)
    .fetch_one(conn)
    .await?)
}

/// A renewal quote as a customer puts it in the cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteForCart {
    /// Its id.
    pub id: i64,
    /// Its state.
    pub status: QuoteStatus,
    /// Its current version.
    pub version: i64,
    /// Valid through.
    pub valid_until: time::Date,
    /// The site's customer number.
    pub customer_number: String,
    /// Whether a Business Partner handles the site's renewals.
    pub business_partner: bool,
}

/// The quote `quote_number` if the user may see the quotes of its site.
///
/// # Errors
/// Database errors; stored values that do not parse.
pub async fn for_cart(
    conn: &mut AnyConnection,
    user_id: i64,
    quote_number: &str,
) -> Result<Option<QuoteForCart>, DbError> {
    let row: Option<(i64, String, i64, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT q.id, q.status, q.version, q.valid_until, s.customer_number, s.business_partner_id \
         FROM renewal_quotes q JOIN sites s ON s.id = q.site_id \
         WHERE q.quote_number = $2 AND s.id IN \
           (SELECT site_id FROM site_access WHERE user_id = $1 AND can_view_quotes = 1)",
    )
    .bind(user_id)
    .bind(quote_number)
    .fetch_optional(conn)
    .await?;
    row.map(|(id, status, version, valid_until, customer_number, bp)| {
        Ok(QuoteForCart {
            id,
            status: QuoteStatus::from_code(&status)
                .ok_or_else(|| DbError::corrupt("quote status", status))?,
            version,
            valid_until: super::parse_date(&valid_until)?,
            customer_number,
            business_partner: bp.is_some(),
        })
    })
    .transpose()
}
