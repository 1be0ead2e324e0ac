//! The users of a site and their privileges.

use entitle_core::dto::{Privileges, SiteUserView};
use sqlx::AnyConnection;

use super::error::DbResult;

const SELECT: &str = "SELECT u.id, u.email, u.name, a.is_primary, a.can_buy, a.can_view_quotes, a.can_view_orders \
    FROM site_access a JOIN users u ON u.id = a.user_id";

#[derive(Debug, sqlx::FromRow)]
struct SiteUserRow {
    id: i64,
    email: String,
    name: String,
    is_primary: i64,
    can_buy: i64,
    can_view_quotes: i64,
    can_view_orders: i64,
}

impl From<SiteUserRow> for SiteUserView {
    fn from(r: SiteUserRow) -> Self {
        SiteUserView {
            user_id: r.id,
            email: r.email,
            name: r.name,
            primary: r.is_primary != 0,
            privileges: Privileges {
                buy: r.can_buy != 0,
                view_quotes: r.can_view_quotes != 0,
                view_orders: r.can_view_orders != 0,
            },
        }
    }
}

/// A site found by customer number, with whether `user_id` is its primary contact (`None`: no access).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteForUser {
    /// The site's id.
    pub site_id: i64,
    /// `Some(true)` for a primary contact, `Some(false)` for another user, `None` without access.
    pub primary: Option<bool>,
}

/// The site with `customer_number` and the user's standing in it.
///
/// # Errors
/// Database errors.
pub async fn site_for_user(
    conn: &mut AnyConnection,
    user_id: i64,
    customer_number: &str,
) -> DbResult<Option<SiteForUser>> {
    let row: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT s.id, a.is_primary FROM sites s \
         LEFT JOIN site_access a ON a.site_id = s.id AND a.user_id = $1 WHERE s.customer_number = $2",
    )
    .bind(user_id)
    .bind(customer_number)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(site_id, primary)| SiteForUser {
        site_id,
        primary: primary.map(|p| p != 0),
    }))
}

/// The site's id and name by customer number.
///
/// # Errors
/// Database errors.
pub async fn site_by_number(
    conn: &mut AnyConnection,
    customer_number: &str,
) -> DbResult<Option<(i64, String)>> {
    Ok(
        sqlx::query_as("SELECT id, name FROM sites WHERE customer_number = $1")
            .bind(customer_number)
            .fetch_optional(conn)
            .await?,
    )
}

/// Whether the user already has access to the site.
///
/// # Errors
/// Database errors.
pub async fn has_access(conn: &mut AnyConnection, user_id: i64, site_id: i64) -> DbResult<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM site_access WHERE user_id = $1 AND site_id = $2")
            .bind(user_id)
            .bind(site_id)
            .fetch_one(conn)
            .await?;
    Ok(n > 0)
}

/// The emails of the site's primary contacts.
///
/// # Errors
/// Database errors.
pub async fn primary_emails(conn: &mut AnyConnection, site_id: i64) -> DbResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT u.email FROM site_access a JOIN users u ON u.id = a.user_id \
         WHERE a.site_id = $1 AND a.is_primary = 1 ORDER BY u.email",
    )
    .bind(site_id)
    .fetch_all(conn)
    .await?)
}

/// The site's users, primary contacts first.
///
/// # Errors
/// Database errors.
pub async fn list(conn: &mut AnyConnection, site_id: i64) -> DbResult<Vec<SiteUserView>> {
    let rows: Vec<SiteUserRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE a.site_id = $1 ORDER BY a.is_primary DESC, u.email"
    ))
    .bind(site_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One user of the site.
///
/// # Errors
/// Database errors.
pub async fn get(
    conn: &mut AnyConnection,
    site_id: i64,
    user_id: i64,
) -> DbResult<Option<SiteUserView>> {
    let row: Option<SiteUserRow> =
        sqlx::query_as(&format!("{SELECT} WHERE a.site_id = $1 AND a.user_id = $2"))
            .bind(site_id)
            .bind(user_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(Into::into))
}

/// Sets a user's privileges on the site.
///
/// # Errors
/// Database errors.
pub async fn set_privileges(
    conn: &mut AnyConnection,
    site_id: i64,
    user_id: i64,
    p: Privileges,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE site_access SET can_buy = $1, can_view_quotes = $2, can_view_orders = $3 \
         WHERE site_id = $4 AND user_id = $5",
    )
    .bind(i64::from(p.buy))
    .bind(i64::from(p.view_quotes))
    .bind(i64::from(p.view_orders))
    .bind(site_id)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}
