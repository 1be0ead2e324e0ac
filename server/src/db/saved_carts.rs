//! Named saved carts: a cart row with a name holds the catalog lines put aside from the active cart.

use sqlx::AnyConnection;

use super::error::DbResult;

/// A saved cart as listed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SavedCart {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// When it was saved (unix seconds).
    pub updated_at: i64,
    /// How many lines it holds.
    pub lines: i64,
}

/// The user's saved carts for a site, newest first.
///
/// # Errors
/// Database errors.
pub async fn list(
    conn: &mut AnyConnection,
    user_id: i64,
    site_id: i64,
) -> DbResult<Vec<SavedCart>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.name, c.updated_at, \
                (SELECT COUNT(*) FROM cart_lines l WHERE l.cart_id = c.id) AS lines \
         FROM carts c WHERE c.user_id = $1 AND c.site_id = $2 AND c.name IS NOT NULL \
         ORDER BY c.updated_at DESC, c.id DESC",
    )
    .bind(user_id)
    .bind(site_id)
    .fetch_all(conn)
    .await?)
}

/// Whether the user has a saved cart called `name` for the site.
///
/// # Errors
/// Database errors.
pub async fn name_taken(
    conn: &mut AnyConnection,
    user_id: i64,
    site_id: i64,
    name: &str,
) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM carts WHERE user_id = $1 AND site_id = $2 AND name = $3",
    )
    .bind(user_id)
    .bind(site_id)
    .bind(name)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Saves the catalog lines of cart `from` under `name` (renewal lines and lines of a sales rep's
/// quote stay: they follow their quote). Returns the new cart's id and the number of lines moved.
///
/// # Errors
/// Database errors.
pub async fn save_catalog_lines(
    conn: &mut AnyConnection,
    user_id: i64,
    site_id: i64,
    from: i64,
    name: &str,
    at: i64,
) -> DbResult<(i64, u64)> {
    let saved: i64 = sqlx::query_scalar(
        "INSERT INTO carts (user_id, site_id, name, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(site_id)
    .bind(name)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    let moved = sqlx::query(
        // A quote (renewal or sales rep's) is bound to the active cart: its lines stay there.
        "UPDATE cart_lines SET cart_id = $1 WHERE cart_id = $2 AND renewal_line_id IS NULL AND quote_request_id IS NULL",
    )
    .bind(saved)
    .bind(from)
    .execute(conn)
    .await?
    .rows_affected();
    Ok((saved, moved))
}

/// The customer number of the site of the user's saved cart `id`.
///
/// # Errors
/// Database errors.
pub async fn site_of(conn: &mut AnyConnection, user_id: i64, id: i64) -> DbResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT s.customer_number FROM carts c JOIN sites s ON s.id = c.site_id \
         WHERE c.id = $1 AND c.user_id = $2 AND c.name IS NOT NULL",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?)
}

/// Moves the saved cart's lines into cart `into` and removes the saved cart.
///
/// # Errors
/// Database errors.
pub async fn open_into(conn: &mut AnyConnection, id: i64, into: i64) -> DbResult<()> {
    sqlx::query("UPDATE cart_lines SET cart_id = $1 WHERE cart_id = $2")
        .bind(into)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    remove(conn, id).await
}

/// Removes a cart and its lines.
///
/// # Errors
/// Database errors.
pub async fn remove(conn: &mut AnyConnection, id: i64) -> DbResult<()> {
    sqlx::query("DELETE FROM cart_lines WHERE cart_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM carts WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
