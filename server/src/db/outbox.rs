//! The mail outbox as the delivery worker sees it: claim due messages with a lease, record the outcome.
//! (Changes queue their mail with `journal::queue_mail`, in their own transaction.)

use sqlx::AnyConnection;

use super::error::DbResult;

/// A message claimed for delivery.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutboxMail {
    /// Its id.
    pub id: i64,
    /// To.
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// HTML body (none on messages queued before mail had one).
    pub html_body: Option<String>,
    /// Delivery attempts so far, this one included.
    pub attempts: i64,
}

/// Claims up to `batch` unsent messages (fewer than `max_attempts` tries, no live claim) until
/// `lease_until`.
///
/// # Errors
/// Database errors.
pub async fn claim_due(
    conn: &mut AnyConnection,
    now: i64,
    lease_until: i64,
    max_attempts: i64,
    batch: i64,
) -> DbResult<Vec<OutboxMail>> {
    // The outer conditions repeat the inner ones so that, under concurrency, PostgreSQL re-checks them
    // on the row it is about to update: a row another worker just claimed is skipped, not claimed twice.
    Ok(sqlx::query_as(
        "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND attempts < $3 \
                      AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY id LIMIT $4) \
           AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $2) \
         RETURNING id, recipient, subject, body, html_body, attempts",
    )
    .bind(lease_until)
    .bind(now)
    .bind(max_attempts)
    .bind(batch)
    .fetch_all(conn)
    .await?)
}

/// Records that a message was sent at `at`.
///
/// # Errors
/// Database errors.
pub async fn mark_sent(conn: &mut AnyConnection, id: i64, at: i64) -> DbResult<()> {
    sqlx::query(
        // A password-reset mail holds the only copy of its plain token: once sent, it is erased here.
        "UPDATE outbox SET sent_at = $1, claimed_until = NULL, last_error = NULL, \
         body = CASE WHEN kind = 'password_reset' THEN '(erased once sent: it held a one-time link)' ELSE body END, \
         html_body = CASE WHEN kind = 'password_reset' THEN NULL ELSE html_body END \
         WHERE id = $2",
    )
    .bind(at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a failed attempt; the message is tried again from `retry_at`.
///
/// # Errors
/// Database errors.
pub async fn retry_later(
    conn: &mut AnyConnection,
    id: i64,
    retry_at: i64,
    error: &str,
) -> DbResult<()> {
    sqlx::query("UPDATE outbox SET claimed_until = $1, last_error = $2 WHERE id = $3")
        .bind(retry_at)
        .bind(error)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
