//! Purchase-order documents: one PDF per order paid by purchase order.

use entitle_core::dto::Role;
use entitle_core::order::PaymentMethod;
use sqlx::AnyConnection;

use super::access::{Privilege, site_scope};
use super::error::{DbError, DbResult};

/// The order `reference` and how it is paid, if the user may see it with `privilege`.
///
/// # Errors
/// Database errors; a stored payment method that is not one.
pub async fn order_for(
    conn: &mut AnyConnection,
    user_id: i64,
    role: Role,
    privilege: Privilege,
    reference: &str,
) -> DbResult<Option<(i64, PaymentMethod)>> {
    let sql = format!(
        "SELECT o.id, p.method FROM orders o JOIN sites s ON s.id = o.site_id \
         JOIN payments p ON p.order_id = o.id WHERE o.reference = $2 AND {}",
        site_scope(role, privilege)
    );
    let row: Option<(i64, String)> = sqlx::query_as(&sql)
        .bind(user_id)
        .bind(reference)
        .fetch_optional(conn)
        .await?;
    row.map(|(id, method)| {
        PaymentMethod::from_code(&method)
            .map(|m| (id, m))
            .ok_or_else(|| DbError::corrupt("payment method", method))
    })
    .transpose()
}

/// A document to attach.
#[derive(Debug)]
pub struct NewPoDocument<'a> {
    /// The order.
    pub order_id: i64,
    /// A safe file name.
    pub filename: &'a str,
    /// The PDF.
    pub content: &'a [u8],
    /// Who attached it.
    pub uploaded_by: i64,
    /// When (unix seconds).
    pub at: i64,
}

/// Attaches the document; false when the order already has one.
///
/// # Errors
/// Database errors.
pub async fn attach(conn: &mut AnyConnection, doc: &NewPoDocument<'_>) -> DbResult<bool> {
    let size = i64::try_from(doc.content.len()).map_err(|e| DbError::Unstorable {
        what: "document size",
        detail: e.to_string(),
    })?;
    let inserted = sqlx::query(
        "INSERT INTO po_documents (order_id, filename, size_bytes, content, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_id) DO NOTHING",
    )
    .bind(doc.order_id)
    .bind(doc.filename)
    .bind(size)
    .bind(doc.content.to_vec())
    .bind(doc.uploaded_by)
    .bind(doc.at)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

/// The order's document: file name and content.
///
/// # Errors
/// Database errors.
pub async fn get(conn: &mut AnyConnection, order_id: i64) -> DbResult<Option<(String, Vec<u8>)>> {
    Ok(
        sqlx::query_as("SELECT filename, content FROM po_documents WHERE order_id = $1")
            .bind(order_id)
            .fetch_optional(conn)
            .await?,
    )
}
