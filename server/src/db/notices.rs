//! Renewal notices: which mail of which quote version went out, who receives them, and which quotes
//! are due for a reminder.

use sqlx::AnyConnection;
use time::Date;

use super::error::DbResult;
use super::format_date;

/// What a renewal mail says about its quote.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NoticeQuote {
    /// Its number.
    pub quote_number: String,
    /// Its current version.
    pub version: i64,
    /// Due date (ISO).
    pub due_date: String,
    /// Its site.
    pub site_id: i64,
    /// The site's name.
    pub site_name: String,
    /// The site's customer number.
    pub customer_number: String,
    /// The Business Partner handling the renewal, if any.
    pub bp_name: Option<String>,
}

/// The quote a notice is about.
///
/// # Errors
/// Database errors.
pub async fn quote(conn: &mut AnyConnection, quote_id: i64) -> DbResult<NoticeQuote> {
    Ok(sqlx::query_as(
        "SELECT q.quote_number, q.version, q.due_date, s.id AS site_id, s.name AS site_name, \
                s.customer_number, bp.name AS bp_name \
         FROM renewal_quotes q JOIN sites s ON s.id = q.site_id \
         LEFT JOIN business_partners bp ON bp.id = s.business_partner_id WHERE q.id = $1",
    )
    .bind(quote_id)
    .fetch_one(conn)
    .await?)
}

/// Records that the `kind` mail of `version` of the quote goes out at `at`; false when it already did
/// (whichever server got there first sends it).
///
/// # Errors
/// Database errors.
pub async fn record_once(
    conn: &mut AnyConnection,
    quote_id: i64,
    kind: &str,
    version: i64,
    at: i64,
) -> DbResult<bool> {
    let inserted = sqlx::query(
        "INSERT INTO renewal_notices (quote_id, kind, version, sent_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (quote_id, kind, version) DO NOTHING",
    )
    .bind(quote_id)
    .bind(kind)
    .bind(version)
    .bind(at)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

/// The e-mails of the site's users who may see quotes.
///
/// # Errors
/// Database errors.
pub async fn quote_readers(conn: &mut AnyConnection, site_id: i64) -> DbResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT u.email FROM site_access a JOIN users u ON u.id = a.user_id \
         WHERE a.site_id = $1 AND a.can_view_quotes = 1 ORDER BY u.email",
    )
    .bind(site_id)
    .fetch_all(conn)
    .await?)
}

/// Quotes still waiting for the customer that are due from `today` through `until`, and after `after`
/// when given.
///
/// # Errors
/// Database errors.
pub async fn awaiting_customer_due(
    conn: &mut AnyConnection,
    today: Date,
    until: Date,
    after: Option<Date>,
) -> DbResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM renewal_quotes WHERE status IN ('issued', 'reissued', 'in_cart') \
         AND due_date >= $1 AND due_date <= $2 AND ($3 = '' OR due_date > $3) ORDER BY id",
    )
    .bind(format_date(today))
    .bind(format_date(until))
    .bind(after.map(format_date).unwrap_or_default())
    .fetch_all(conn)
    .await?)
}
