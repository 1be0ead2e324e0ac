//! Order fulfilment in the desk (staff only): the orders of the staff member's customers, and moving an
//! order on — received → processing → completed, or cancelled with a reason. Completing an order
//! extends the coverage it renewed (or reinstated), creates the entitlements of new licences and adds
//! its points to the organisation; cancelling refunds a card payment and gives a renewal quote back to
//! the customer while it is valid. The customer is mailed at every step and sees the status on the
//! order page.

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use entitle_core::dto::{ChangeOrderStatus, ErrorBody, OrderView, Role};
use entitle_core::order::{OrderReference, OrderStatus};
use entitle_core::quote::{QuoteEvent, QuoteStatus, is_valid_on};
use sqlx::Row;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::db::access::{Privilege, site_scope};
use crate::db::{format_date, journal, parse_date};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};

/// The fulfilment routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/desk/orders", get(list))
        .route("/desk/orders/{reference}/status", post(change_status))
}

fn staff(user: &CurrentUser) -> ApiResult<()> {
    if user.role == Role::Customer {
        Err(ApiError::Forbidden)
    } else {
        Ok(())
    }
}

/// `?status=` filter of the order list.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OrderFilter {
    /// Only orders in this status (default: received and processing, the work to do).
    pub status: Option<OrderStatus>,
}

#[utoipa::path(get, path = "/api/v1/desk/orders", tag = "desk", security(("session" = [])), params(OrderFilter), responses((status = 200, description = "orders of the staff member's customers, oldest first", body = Vec<OrderView>), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not staff", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(filter): ApiQuery<OrderFilter>,
) -> ApiResult<ApiJson<Vec<OrderView>>> {
    staff(&user)?;
    // Filtered and limited in SQL: the work queue oldest first, finished orders newest first.
    use entitle_core::order::{DESK_HISTORY_LIMIT, OPEN_ORDER_STATUSES};
    let (statuses, open) = match filter.status {
        None => (OPEN_ORDER_STATUSES.to_vec(), true),
        Some(s) => (vec![s], OPEN_ORDER_STATUSES.contains(&s)),
    };
    let query = crate::db::orders::OrderQuery {
        statuses: &statuses,
        oldest_first: open,
        limit: (!open).then_some(DESK_HISTORY_LIMIT),
        ..Default::default()
    };
    Ok(ApiJson(
        crate::db::orders::list(&state.db.pool, user.id, user.role, &query).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/desk/orders/{reference}/status", tag = "desk", security(("session" = [], "csrf" = [])), params(("reference" = String, Path)), request_body = ChangeOrderStatus, responses((status = 200, description = "the order in its new status", body = OrderView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not staff", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "the order cannot move to that status", body = ErrorBody), (status = 422, description = "a cancellation without a reason", body = ErrorBody)))]
#[tracing::instrument(skip(state, user, req))]
async fn change_status(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(reference): ApiPath<String>,
    ApiJson(req): ApiJson<ChangeOrderStatus>,
) -> ApiResult<ApiJson<OrderView>> {
    staff(&user)?;
    let reference: OrderReference = reference.parse().map_err(|_| ApiError::NotFound("order"))?;
    // Cancelling needs a reason (the customer is told); the other steps take none.
    let reason = if req.status == OrderStatus::Cancelled {
        crate::error::checked_text(
            "reason",
            entitle_core::validation::TextField::CancelReason,
            &req.reason,
        )?
    } else {
        String::new()
    };
    let reason = reason.as_str();
    let mut tx = state.db.begin_write().await?;
    let o = sqlx::query(&format!(
        "SELECT o.id, o.status, o.points, o.site_id, s.organisation_id, s.customer_number, u.email \
         FROM orders o JOIN sites s ON s.id = o.site_id JOIN users u ON u.id = o.user_id \
         WHERE o.reference = $2 AND {}",
        site_scope(user.role, Privilege::ViewOrders)
    ))
    .bind(user.id)
    .bind(reference.to_string())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound("order"))?;
    let order_id: i64 = o.try_get("id")?;
    let from = OrderStatus::from_code(&o.try_get::<String, _>("status")?)
        .ok_or_else(|| ApiError::Internal("bad order status".into()))?;
    if !from.can_become(req.status) {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::OrderIllegalTransition,
            message: format!(
                "an order that is {} cannot become {}",
                from.code(),
                req.status.code()
            ),
        });
    }
    let now = state.clock.now_unix();
    let changed = sqlx::query(
        "UPDATE orders SET status = $1, cancel_reason = $2, updated_at = $3, completed_at = $4 WHERE id = $5 AND status = $6",
    )
    .bind(req.status.code())
    .bind((req.status == OrderStatus::Cancelled).then_some(reason))
    .bind(now)
    .bind((req.status == OrderStatus::Completed).then_some(now))
    .bind(order_id)
    .bind(from.code())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::OrderChanged,
            message: "the order changed meanwhile; reload it".into(),
        });
    }
    let mut refunded = false;
    if req.status == OrderStatus::Cancelled {
        // A card charge is refunded before the cancellation commits; if the processor refuses, the
        // transaction is dropped and nothing changes. (The order row stays locked meanwhile, so a
        // second cancel waits and then finds it cancelled: one refund.)
        refunded = refund_card(&state, &mut tx, order_id).await?;
    }
    let reopened = if req.status == OrderStatus::Cancelled {
        reopen_quote(&mut tx, state.clock.today(), order_id).await?
    } else {
        None
    };
    if req.status == OrderStatus::Completed {
        fulfil(
            &mut tx,
            state.clock.today(),
            order_id,
            o.try_get("site_id")?,
        )
        .await?;
        sqlx::query("UPDATE organisations SET points = points + $1 WHERE id = $2")
            .bind(o.try_get::<i64, _>("points")?)
            .bind(o.try_get::<i64, _>("organisation_id")?)
            .execute(&mut *tx)
            .await?;
    }
    let what = match req.status {
        OrderStatus::Processing => "is being processed".to_owned(),
        OrderStatus::Completed => {
            "is completed: your coverage and licences are in place".to_owned()
        }
        OrderStatus::Cancelled if refunded => {
            format!("was cancelled and the card payment refunded. Reason: {reason}")
        }
        OrderStatus::Cancelled => format!("was cancelled. Reason: {reason}"),
        OrderStatus::Received => "was received".to_owned(),
    };
    let reopened = reopened.map_or_else(String::new, |q| {
        format!(
            "Renewal quote {q} is open again; you can renew it online until its due date:\n{}\n\n",
            crate::notices::quote_link(&state.public_url, &q)
        )
    });
    journal::queue_mail(
        &mut tx,
        now,
        "order_status",
        o.try_get::<String, _>("email")?,
        format!("Order {reference} {}", req.status.code()),
        format!("Hello,\n\nyour order {reference} {what}.\n\n{reopened}You can follow it under Orders in Entitle.\n"),
    )
    .await?;
    journal::audit(
        &mut tx,
        now,
        Some(user.id),
        "order.status",
        reference.to_string(),
        format!(
            "{} → {}{}",
            from.code(),
            req.status.code(),
            if reason.is_empty() {
                String::new()
            } else {
                format!(": {reason}")
            }
        ),
    )
    .await?;
    tx.commit().await?;
    crate::routes::orders::load_order(&state, &user, &reference)
        .await?
        .map(ApiJson)
        .ok_or(ApiError::NotFound("order"))
}

/// Gives the renewal quote of a cancelled order back to the customer while it is still valid (and turns
/// its auto-renew off when the engine placed the order, so it is not ordered again at once). Returns the
/// quote number when it was reopened.
async fn reopen_quote(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    today: time::Date,
    order_id: i64,
) -> ApiResult<Option<String>> {
    let Some(q) = sqlx::query(
        "SELECT q.id, q.quote_number, q.status, q.version, q.valid_until, o.auto_renewed FROM orders o \
         JOIN renewal_quotes q ON q.id = o.renewal_quote_id WHERE o.id = $1",
    )
    .bind(order_id)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(None);
    };
    let status = QuoteStatus::from_code(&q.try_get::<String, _>("status")?);
    let valid_until = parse_date(&q.try_get::<String, _>("valid_until")?)?;
    if status != Some(QuoteStatus::Ordered) || !is_valid_on(valid_until, today) {
        return Ok(None);
    }
    let id: i64 = q.try_get("id")?;
    crate::db::quotes::transition(
        tx,
        id,
        QuoteStatus::Ordered,
        QuoteEvent::OrderCancelled,
        q.try_get::<i64, _>("version")? > 1,
    )
    .await?;
    if q.try_get::<i64, _>("auto_renewed")? != 0 {
        sqlx::query("UPDATE renewal_quotes SET auto_renew = 0 WHERE id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(Some(q.try_get("quote_number")?))
}

/// Refunds the card charge of an order, if it was paid by card and not refunded yet. Returns whether it
/// refunded.
async fn refund_card(
    state: &AppState,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    order_id: i64,
) -> ApiResult<bool> {
    let Some(p) = sqlx::query(
        "SELECT p.id, p.processor_token, o.total_minor, o.currency FROM payments p JOIN orders o ON o.id = p.order_id \
         WHERE p.order_id = $1 AND p.method = 'card' AND p.status = 'authorised'",
    )
    .bind(order_id)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(false);
    };
    let token: Option<String> = p.try_get("processor_token")?;
    let currency: entitle_core::money::Currency = p
        .try_get::<String, _>("currency")?
        .parse()
        .map_err(|_| ApiError::Internal("bad currency".into()))?;
    let amount = entitle_core::money::Money::from_minor(p.try_get("total_minor")?, currency);
    state
        .payments
        .refund(token.as_deref().unwrap_or_default(), amount)
        .await
        .map_err(|e| ApiError::Conflict {
            code: e.code(),
            message: e.to_string(),
        })?;
    sqlx::query("UPDATE payments SET status = 'refunded' WHERE id = $1")
        .bind(p.try_get::<i64, _>("id")?)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// Puts a completed order's coverage in place: renewal and reinstatement lines extend the entitlement
/// they renew (a reinstatement restarts it), catalog S&S lines extend the site's matching entitlement,
/// and new licences create entitlements with their S&S renewal part.
async fn fulfil(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    today: time::Date,
    order_id: i64,
    site_id: i64,
) -> ApiResult<()> {
    let lines = sqlx::query(
        "SELECT ol.part_number, ol.quantity, ol.coverage_start, ol.coverage_end, p.part_type, p.renewal_part, \
                rql.entitlement_id \
         FROM order_lines ol JOIN parts p ON p.part_number = ol.part_number \
         LEFT JOIN renewal_quote_lines rql ON rql.id = ol.renewal_line_id \
         WHERE ol.order_id = $1 ORDER BY ol.id",
    )
    .bind(order_id)
    .fetch_all(&mut **tx)
    .await?;
    for l in lines {
        let (Some(start), Some(end)) = (
            l.try_get::<Option<String>, _>("coverage_start")?,
            l.try_get::<Option<String>, _>("coverage_end")?,
        ) else {
            // Monthly licences and subscriptions carry no S&S coverage to track.
            continue;
        };
        let (start, end) = (parse_date(&start)?, parse_date(&end)?);
        let part: String = l.try_get("part_number")?;
        let part_type: String = l.try_get("part_type")?;
        let reinstating = part_type == "sns_reinstatement";
        let entitlement: Option<i64> = match l.try_get::<Option<i64>, _>("entitlement_id")? {
            Some(id) => Some(id),
            None if part_type == "sns_renewal" || reinstating => sqlx::query_scalar(
                "SELECT e.id FROM entitlements e JOIN parts r ON r.part_number = e.renewal_part \
                     WHERE e.site_id = $1 AND (e.renewal_part = $2 OR r.reinstatement_part = $2) \
                     ORDER BY e.coverage_end, e.id LIMIT 1",
            )
            .bind(site_id)
            .bind(&part)
            .fetch_optional(&mut **tx)
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
                .execute(&mut **tx)
                .await?;
        } else if let Some(renewal) = l.try_get::<Option<String>, _>("renewal_part")? {
            sqlx::query(
                "INSERT INTO entitlements (site_id, licence_part, renewal_part, quantity, coverage_start, coverage_end) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(site_id)
            .bind(&part)
            .bind(renewal)
            .bind(l.try_get::<i64, _>("quantity")?)
            .bind(format_date(start))
            .bind(format_date(end.max(today)))
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}
