//! The two side records most changes write in their transaction: a mail for the outbox worker, and an
//! audit-log entry.

use super::error::DbResult;
use sqlx::AnyConnection;

/// Queues a plain-text mail at `at` (unix seconds); the outbox worker sends it after the transaction
/// commits.
///
/// # Errors
/// Database errors.
pub async fn queue_mail(
    conn: &mut AnyConnection,
    at: i64,
    kind: impl AsRef<str>,
    to: impl AsRef<str>,
    subject: impl AsRef<str>,
    body: impl AsRef<str>,
) -> DbResult<()> {
    sqlx::query("INSERT INTO outbox (kind, recipient, subject, body, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(kind.as_ref())
        .bind(to.as_ref())
        .bind(subject.as_ref())
        .bind(body.as_ref())
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records who did what to which object, at `at` (unix seconds).
///
/// # Errors
/// Database errors.
pub async fn audit(
    conn: &mut AnyConnection,
    at: i64,
    actor: Option<i64>,
    action: impl AsRef<str>,
    subject: impl AsRef<str>,
    detail: impl AsRef<str>,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(at)
    .bind(actor)
    .bind(action.as_ref())
    .bind(subject.as_ref())
    .bind(detail.as_ref())
    .execute(conn)
    .await?;
    Ok(())
}
