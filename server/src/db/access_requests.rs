//! Access requests: a user asking a site's primary contacts for access, and their decisions.

use entitle_core::dto::{AccessRequestView, Privileges};
use sqlx::AnyConnection;

use super::error::DbResult;

const SELECT: &str = "SELECT r.id, r.message, r.status, r.created_at, r.site_id, r.user_id, \
    r.customer_number, s.name AS site_name, u.email \
    FROM access_requests r LEFT JOIN sites s ON s.id = r.site_id JOIN users u ON u.id = r.user_id";

/// A stored access request with what its decision needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccessRequestRow {
    /// Its id.
    pub id: i64,
    /// The requester's message.
    pub message: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// When it was made (unix seconds).
    pub created_at: i64,
    /// The site with the number asked for, if there is one.
    pub site_id: Option<i64>,
    /// The requester.
    pub user_id: i64,
    /// The customer number asked for.
    pub customer_number: String,
    /// The name of the site with that number, if there is one.
    pub site_name: Option<String>,
    /// The requester's email.
    pub email: String,
}

impl AccessRequestRow {
    /// Whether nobody has decided it yet.
    #[must_use]
    pub fn is_pending(&self) -> bool {
        self.status == "pending"
    }

    /// As the site's primary contact sees it.
    #[must_use]
    pub fn view(self) -> AccessRequestView {
        AccessRequestView {
            id: self.id,
            customer_number: self.customer_number,
            site_name: self.site_name,
            requester_email: self.email,
            message: self.message,
            status: self.status,
            created_at: self.created_at,
        }
    }

    /// As the requester sees it: the site's name only once they were given access, so a request tells
    /// them nothing about a number they have no access to.
    #[must_use]
    pub fn requester_view(self) -> AccessRequestView {
        let approved = self.status == "approved";
        AccessRequestView {
            site_name: self.site_name.clone().filter(|_| approved),
            ..self.view()
        }
    }
}

/// One request.
///
/// # Errors
/// Database errors.
pub async fn get(conn: &mut AnyConnection, id: i64) -> DbResult<Option<AccessRequestRow>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// A user's own requests, newest first.
///
/// # Errors
/// Database errors.
pub async fn of_user(conn: &mut AnyConnection, user_id: i64) -> DbResult<Vec<AccessRequestRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE r.user_id = $1 ORDER BY r.created_at DESC, r.id DESC"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}

/// A site's requests: pending first, then the decided ones, newest first.
///
/// # Errors
/// Database errors.
pub async fn of_site(conn: &mut AnyConnection, site_id: i64) -> DbResult<Vec<AccessRequestRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE r.site_id = $1 \
         ORDER BY CASE WHEN r.status = 'pending' THEN 0 ELSE 1 END, r.created_at DESC, r.id DESC"
    ))
    .bind(site_id)
    .fetch_all(conn)
    .await?)
}

/// Whether the user has a request for the customer number waiting.
///
/// # Errors
/// Database errors.
pub async fn has_pending(
    conn: &mut AnyConnection,
    user_id: i64,
    customer_number: &str,
) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM access_requests WHERE user_id = $1 AND customer_number = $2 AND status = 'pending'",
    )
    .bind(user_id)
    .bind(customer_number)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Stores a new pending request; returns its id.
///
/// # Errors
/// Database errors.
pub async fn insert(
    conn: &mut AnyConnection,
    user_id: i64,
    customer_number: &str,
    site_id: Option<i64>,
    message: &str,
    at: i64,
) -> DbResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO access_requests (user_id, customer_number, site_id, message, status, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id",
    )
    .bind(user_id)
    .bind(customer_number)
    .bind(site_id)
    .bind(message)
    .bind(at)
    .fetch_one(conn)
    .await?)
}

/// Records the decision on a pending request and, on approval, gives the requester access with
/// `privileges`. Returns false when the request was no longer pending.
///
/// # Errors
/// Database errors.
pub async fn decide(
    conn: &mut AnyConnection,
    request: &AccessRequestRow,
    approved_with: Option<Privileges>,
    decided_by: i64,
    at: i64,
) -> DbResult<bool> {
    let status = if approved_with.is_some() {
        "approved"
    } else {
        "rejected"
    };
    let changed = sqlx::query(
        "UPDATE access_requests SET status = $1, decided_by = $2, decided_at = $3 \
         WHERE id = $4 AND status = 'pending'",
    )
    .bind(status)
    .bind(decided_by)
    .bind(at)
    .bind(request.id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(false);
    }
    if let (Some(p), Some(site_id)) = (approved_with, request.site_id) {
        sqlx::query(
            "INSERT INTO site_access (user_id, site_id, is_primary, can_buy, can_view_quotes, can_view_orders) \
             VALUES ($1, $2, 0, $3, $4, $5) ON CONFLICT (user_id, site_id) DO NOTHING",
        )
        .bind(request.user_id)
        .bind(site_id)
        .bind(i64::from(p.buy))
        .bind(i64::from(p.view_quotes))
        .bind(i64::from(p.view_orders))
        .execute(conn)
        .await?;
    }
    Ok(true)
}
