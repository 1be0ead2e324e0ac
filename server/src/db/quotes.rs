//! Moving a renewal quote through its life cycle in the database: the rule from `entitle-core`, applied
//! as a compare-and-set so two requests racing on the same quote cannot both win.

use entitle_core::quote::{QuoteEvent, QuoteStatus};
use sqlx::AnyConnection;

use crate::error::ApiError;

/// Applies `event` to quote `quote_id`, which the caller read as `from`; `reissued` says whether its
/// current version came from a re-issue. Returns the new status.
///
/// # Errors
/// 409 with the life cycle's code for an illegal step, 409 `quote.changed` when the quote is no longer in
/// `from` (another request moved it), or a database error.
pub async fn transition(
    conn: &mut AnyConnection,
    quote_id: i64,
    from: QuoteStatus,
    event: QuoteEvent,
    reissued: bool,
) -> Result<QuoteStatus, ApiError> {
    let next = from
        .apply(event, reissued)
        .map_err(|e| ApiError::Conflict {
            code: e.code(),
            message: e.to_string(),
        })?;
    let changed =
        sqlx::query("UPDATE renewal_quotes SET status = $1 WHERE id = $2 AND status = $3")
            .bind(next.code())
            .bind(quote_id)
            .bind(from.code())
            .execute(conn)
            .await?
            .rows_affected();
    if changed != 1 {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::QuoteChanged,
            message: "the renewal quote changed meanwhile; reload it".into(),
        });
    }
    Ok(next)
}
