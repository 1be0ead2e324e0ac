//! Terms and conditions: the published versions and who accepted which with which order.

use entitle_core::dto::TermsView;
use sqlx::AnyConnection;

use super::error::DbResult;

/// The newest published terms, in `locale` where they are translated (else as published).
///
/// # Errors
/// Database errors.
pub async fn current(
    conn: &mut AnyConnection,
    locale: entitle_core::locale::Locale,
) -> DbResult<Option<TermsView>> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT v.version, COALESCE(t.title, v.title), COALESCE(t.body, v.body) \
         FROM terms_versions v LEFT JOIN terms_translations t ON t.version = v.version AND t.locale = $1 \
         ORDER BY v.published_at DESC, v.version DESC",
    )
    .bind(locale.tag())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(version, title, body)| TermsView {
        version,
        title,
        body,
    }))
}

/// The version of the newest published terms (empty when none is published).
///
/// # Errors
/// Database errors.
pub async fn current_version(conn: &mut AnyConnection) -> DbResult<String> {
    let version: Option<String> = sqlx::query_scalar(
        "SELECT version FROM terms_versions ORDER BY published_at DESC, version DESC LIMIT 1",
    )
    .fetch_optional(conn)
    .await?;
    Ok(version.unwrap_or_default())
}

/// Records that the user accepted terms `version` with order `order_id`.
///
/// # Errors
/// Database errors.
pub async fn record_acceptance(
    conn: &mut AnyConnection,
    user_id: i64,
    version: &str,
    order_id: i64,
    at: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO terms_acceptances (user_id, version, order_id, accepted_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(version)
    .bind(order_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}
