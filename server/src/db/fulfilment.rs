//! What moving an order on in the desk reads and writes: the order's status, the points it earns, the
//! renewal quote a cancellation gives back, and the coverage a completed order puts in place (the
//! refund of a cancelled card payment is in `payments`).

use entitle_core::dto::Role;
use entitle_core::order::OrderStatus;
use entitle_core::quote::QuoteStatus;
use sqlx::AnyConnection;
use time::Date;

use super::access::{Privilege, site_scope};
use super::error::{DbError, DbResult};
use super::{format_date, parse_date};

/// An order as staff move it on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffOrder {
    /// Its id.
    pub id: i64,
    /// Its status.
    pub status: OrderStatus,
    /// The points it earns when completed.
    pub points: i64,
    /// Its site.
    pub site_id: i64,
    /// The site's organisation (which collects the points).
    pub organisation_id: i64,
    /// The buyer's e-mail.
    pub buyer_email: String,
}

#[derive(Debug, sqlx::FromRow)]
struct StaffOrderRow {
    id: i64,
    status: String,
    points: i64,
    site_id: i64,
    organisation_id: i64,
    email: String,
}

/// The order `reference` if the staff member's scope covers its site.
///
/// # Errors
/// Database errors; a stored status that is not one.
pub async fn order_for_staff(
    conn: &mut AnyConnection,
    user_id: i64,
    role: Role,
    reference: &str,
) -> DbResult<Option<StaffOrder>> {
    let row: Option<StaffOrderRow> = sqlx::query_as(&format!(
        "SELECT o.id, o.status, o.points, o.site_id, s.organisation_id, u.email \
         FROM orders o JOIN sites s ON s.id = o.site_id JOIN users u ON u.id = o.user_id \
         WHERE o.reference = $2 AND {}",
        site_scope(role, Privilege::ViewOrders)
    ))
    .bind(user_id)
    .bind(reference)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(StaffOrder {
            status: OrderStatus::from_code(&r.status)
                .ok_or_else(|| DbError::corrupt("order status", &r.status))?,
            id: r.id,
            points: r.points,
            site_id: r.site_id,
            organisation_id: r.organisation_id,
            buyer_email: r.email,
        })
    })
    .transpose()
}

/// Moves order `id` from `from` to `to` (a cancellation with its reason) as a compare-and-set; false
/// when another request moved it first.
///
/// # Errors
/// Database errors.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: i64,
    from: OrderStatus,
    to: OrderStatus,
    reason: &str,
    at: i64,
) -> DbResult<bool> {
    let changed = sqlx::query(
        "UPDATE orders SET status = $1, cancel_reason = $2, updated_at = $3, completed_at = $4 \
         WHERE id = $5 AND status = $6",
    )
    .bind(to.code())
    .bind((to == OrderStatus::Cancelled).then_some(reason))
    .bind(at)
    .bind((to == OrderStatus::Completed).then_some(at))
    .bind(id)
    .bind(from.code())
    .execute(conn)
    .await?
    .rows_affected();
    Ok(changed == 1)
}

/// Adds a completed order's points to its organisation.
///
/// # Errors
/// Database errors.
pub async fn add_points(
    conn: &mut AnyConnection,
    organisation_id: i64,
    points: i64,
) -> DbResult<()> {
    sqlx::query("UPDATE organisations SET points = points + $1 WHERE id = $2")
        .bind(points)
        .bind(organisation_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The renewal quote an order was placed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderedQuote {
    /// Its id.
    pub id: i64,
    /// Its number.
    pub number: String,
    /// Its state.
    pub status: QuoteStatus,
    /// Its current version.
    pub version: i64,
    /// Valid through.
    pub valid_until: Date,
    /// Whether the engine placed the order (auto-renew).
    pub auto_renewed: bool,
}

/// The renewal quote order `order_id` was placed from, if any.
///
/// # Errors
/// Database errors; stored values that do not parse.
pub async fn quote_of_order(
    conn: &mut AnyConnection,
    order_id: i64,
) -> DbResult<Option<OrderedQuote>> {
    let row: Option<(i64, String, String, i64, String, i64)> = sqlx::query_as(
        "SELECT q.id, q.quote_number, q.status, q.version, q.valid_until, o.auto_renewed FROM orders o \
         JOIN renewal_quotes q ON q.id = o.renewal_quote_id WHERE o.id = $1",
    )
    .bind(order_id)
    .fetch_optional(conn)
    .await?;
    row.map(|(id, number, status, version, valid_until, auto_renewed)| {
        Ok(OrderedQuote {
            id,
            number,
            status: QuoteStatus::from_code(&status)
                .ok_or_else(|| DbError::corrupt("quote status", status))?,
            version,
            valid_until: parse_date(&valid_until)?,
            auto_renewed: auto_renewed != 0,
        })
    })
    .transpose()
}

#[derive(Debug, sqlx::FromRow)]
struct FulfilLine {
    part_number: String,
    quantity: i64,
    coverage_start: Option<String>,
    coverage_end: Option<String>,
    part_type: String,
    renewal_part: Option<String>,
    entitlement_id: Option<i64>,
}

/// Puts a completed order's coverage in place: renewal and reinstatement lines extend the entitlement
/// they renew (a reinstatement restarts it), catalog S&S lines extend the site's matching entitlement,
/// and new licences create entitlements with their S&S renewal part (covered at least until `today`).
///
/// # Errors
/// Database errors; stored dates that do not parse.
pub async fn put_coverage_in_place(
    conn: &mut AnyConnection,
    today: Date,
    order_id: i64,
    site_id: i64,
) -> DbResult<()> {
    let lines: Vec<FulfilLine> = sqlx::query_as(
        "SELECT ol.part_number, ol.quantity, ol.coverage_start, ol.coverage_end, p.part_type, p.renewal_part, \
                rql.entitlement_id \
         FROM order_lines ol JOIN parts p ON p.part_number = ol.part_number \
         LEFT JOIN renewal_quote_lines rql ON rql.id = ol.renewal_line_id \
         WHERE ol.order_id = $1 ORDER BY ol.id",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?;
    for l in lines {
        let (Some(start), Some(end)) = (l.coverage_start, l.coverage_end) else {
            // Monthly licences and subscriptions carry no S&S coverage to track.
            continue;
        };
        let (start, end) = (parse_date(&start)?, parse_date(&end)?);
        let reinstating = l.part_type == "sns_reinstatement";
        let entitlement: Option<i64> = match l.entitlement_id {
            Some(id) => Some(id),
            None if l.part_type == "sns_renewal" || reinstating => sqlx::query_scalar(
                "SELECT e.id FROM entitlements e JOIN parts r ON r.part_number = e.renewal_part \
                 WHERE e.site_id = $1 AND (e.renewal_part = $2 OR r.reinstatement_part = $2) \
                 ORDER BY e.coverage_end, e.id LIMIT 1",
            )
            .bind(site_id)
            .bind(&l.part_number)
            .fetch_optional(&mut *conn)
            .await?,
            None => None,
        };
        if let Some(id) = entitlement {
            let sql = if reinstating {
                "UPDATE entitlements SET coverage_start = $1, coverage_end = $2 WHERE id = $3 AND coverage_end < $2"
            } else {
                "UPDATE entitlements SET coverage_end = $2 WHERE id = $3 AND coverage_end < $2 AND $1 = $1"
            };
            sqlx::query(sql)
                .bind(format_date(start))
                .bind(format_date(end))
                .bind(id)
                .execute(&mut *conn)
                .await?;
        } else if let Some(renewal) = l.renewal_part {
            sqlx::query(
                "INSERT INTO entitlements (site_id, licence_part, renewal_part, quantity, coverage_start, coverage_end) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(site_id)
            .bind(&l.part_number)
            .bind(renewal)
            .bind(l.quantity)
            .bind(format_date(start))
            .bind(format_date(end.max(today)))
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}
