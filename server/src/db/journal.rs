//! The two side records most changes write in their transaction: a mail for the outbox worker, and an
//! audit-log entry.

use entitle_core::locale::Locale;
use sqlx::AnyConnection;

use super::error::{DbError, DbResult};
use crate::letters::{self, Letter};

/// Queues `letter` for `to` at `at` (unix seconds), in the recipient's language: the one stored for the
/// account with that address, else `fallback` (the language of whoever caused the mail, for an address
/// that is no account: a billing contact, a Business Partner). The outbox worker sends it, as plain
/// text with an HTML part, after the transaction commits.
///
/// # Errors
/// Database errors; a template that does not render ([`DbError::Internal`]).
pub async fn queue_mail(
    conn: &mut AnyConnection,
    at: i64,
    to: impl AsRef<str>,
    letter: &impl Letter,
    fallback: Locale,
) -> DbResult<()> {
    let to = to.as_ref();
    let locale = super::users::locale_of(conn, to).await?.unwrap_or(fallback);
    let mail = letters::render(letter, locale).map_err(|e| DbError::Internal(e.to_string()))?;
    sqlx::query(
        "INSERT INTO outbox (kind, recipient, subject, body, html_body, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(letter.kind())
    .bind(to)
    .bind(&mail.subject)
    .bind(&mail.text)
    .bind(&mail.html)
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
    action: entitle_core::audit::AuditAction,
    subject: impl AsRef<str>,
    detail: impl AsRef<str>,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(at)
    .bind(actor)
    .bind(action.code())
    .bind(subject.as_ref())
    .bind(detail.as_ref())
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    action: String,
    subject: String,
    detail: String,
    email: Option<String>,
}

/// A page of the audit log, newest first: entries older than `before` (all when `None`) whose action
/// starts with `action_prefix` (`%` and `_` in it are taken literally by being dropped).
///
/// # Errors
/// Database errors.
pub async fn audit_page(
    conn: &mut AnyConnection,
    before: Option<i64>,
    action_prefix: &str,
    limit: u32,
) -> DbResult<Vec<entitle_core::dto::AuditEntry>> {
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT l.id, l.at, l.action, l.subject, l.detail, u.email \
         FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id \
         WHERE ($1 = 0 OR l.id < $1) AND l.action LIKE $2 ORDER BY l.id DESC LIMIT $3",
    )
    .bind(before.unwrap_or(0))
    .bind(format!("{}%", action_prefix.replace(['%', '_'], "")))
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| entitle_core::dto::AuditEntry {
            id: r.id,
            at: r.at,
            actor: r.email,
            action: r.action,
            subject: r.subject,
            detail: r.detail,
        })
        .collect())
}
