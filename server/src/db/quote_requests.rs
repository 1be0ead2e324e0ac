//! Quote requests' expiry, written by the renewal engine's runs and when a customer tries an expired
//! quote (the life cycle itself is `entitle_core::quote_request`).

use super::error::DbResult;
use entitle_core::dto::QuoteRequestStatus;
use sqlx::AnyConnection;
use time::Date;

use super::format_date;

/// Marks every quoted request whose validity date passed before `today` as expired, returning their
/// numbers.
///
/// # Errors
/// Database errors.
pub async fn expire_due(conn: &mut AnyConnection, today: Date) -> DbResult<Vec<String>> {
    sqlx::query_scalar(
        "UPDATE quote_requests SET status = $1 WHERE status = $2 AND valid_until < $3 RETURNING number",
    )
    .bind(QuoteRequestStatus::Expired.code())
    .bind(QuoteRequestStatus::Quoted.code())
    .bind(format_date(today))
    .fetch_all(conn)
    .await
    .map_err(Into::into)
}

/// Writes the expiry of quoted request `id` if its validity date passed before `today`. Returns whether
/// it changed anything.
///
/// # Errors
/// Database errors.
pub async fn expire_if_quoted(conn: &mut AnyConnection, id: i64, today: Date) -> DbResult<bool> {
    let changed = sqlx::query(
        "UPDATE quote_requests SET status = $1 WHERE id = $2 AND status = $3 AND valid_until < $4",
    )
    .bind(QuoteRequestStatus::Expired.code())
    .bind(id)
    .bind(QuoteRequestStatus::Quoted.code())
    .bind(format_date(today))
    .execute(conn)
    .await?
    .rows_affected();
    Ok(changed > 0)
}
