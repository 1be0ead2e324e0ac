//! The per-e-mail attempt counters of `crate::throttle` (keys are hashes; no address is stored).

use sqlx::AnyConnection;

use super::error::DbResult;

/// Counts one more attempt on `key` at `now` (from one, when the last was more than `decay_secs` ago),
/// unless it is waiting out a back-off. Returns the attempts counted, or `Err(until)` while blocked. In
/// PostgreSQL the update locks the row, so a parallel attempt waits for this one's transaction and then
/// sees its back-off.
///
/// # Errors
/// Database errors.
pub async fn count(
    conn: &mut AnyConnection,
    key: &str,
    now: i64,
    decay_secs: i64,
) -> DbResult<Result<i64, i64>> {
    sqlx::query(
        "INSERT INTO auth_throttle (throttle_key, failures, last_at, blocked_until) VALUES ($1, 0, $2, 0) \
         ON CONFLICT (throttle_key) DO NOTHING",
    )
    .bind(key)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let counted: Option<i64> = sqlx::query_scalar(
        "UPDATE auth_throttle SET failures = CASE WHEN last_at < $2 THEN 1 ELSE failures + 1 END, last_at = $3 \
         WHERE throttle_key = $1 AND blocked_until <= $3 RETURNING failures",
    )
    .bind(key)
    .bind(now - decay_secs)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(n) = counted {
        return Ok(Ok(n));
    }
    let until: i64 =
        sqlx::query_scalar("SELECT blocked_until FROM auth_throttle WHERE throttle_key = $1")
            .bind(key)
            .fetch_one(conn)
            .await?;
    Ok(Err(until))
}

/// Makes `key` wait until `until`.
///
/// # Errors
/// Database errors.
pub async fn block(conn: &mut AnyConnection, key: &str, until: i64) -> DbResult<()> {
    sqlx::query("UPDATE auth_throttle SET blocked_until = $1 WHERE throttle_key = $2")
        .bind(until)
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets `key` (a success).
///
/// # Errors
/// Database errors.
pub async fn forget(conn: &mut AnyConnection, key: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM auth_throttle WHERE throttle_key = $1")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}
