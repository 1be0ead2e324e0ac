//! Order fulfilment in the desk (staff only): the orders of the staff member's customers, and moving an
//! order on — received → processing → completed, or cancelled with a reason. Completing an order
//! extends the coverage it renewed (or reinstated), creates the entitlements of new licences and adds
//! its points to the organisation; cancelling refunds a card payment and gives a renewal quote back to
//! the customer while it is valid. The customer is mailed at every step and sees the status on the
//! order page.

use axum::extract::State;
use entitle_core::dto::{ChangeOrderStatus, ErrorBody, OrderView, Role};
use entitle_core::order::{OrderReference, OrderStatus};
use entitle_core::quote::{QuoteEvent, QuoteStatus, is_valid_on};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::db::{fulfilment, journal, payments};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};

/// The fulfilment routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(change_status))
}

fn staff(user: &CurrentUser) -> ApiResult<()> {
    if user.role == Role::Customer {
        Err(ApiError::Forbidden)
    } else {
        Ok(())
    }
}

/// `?status=&q=&offset=&limit=`: filter and page of the order list.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrderFilter {
    /// Only orders in this status (default: received and processing, the work to do).
    pub status: Option<OrderStatus>,
    /// Only orders with this reference or customer number, or whose site or organisation name contains it.
    pub q: Option<String>,
    /// Skip this many (paging).
    pub offset: Option<u32>,
    /// At most this many (default and most: 200).
    pub limit: Option<u32>,
}

#[utoipa::path(get, path = "/desk/orders", tag = "desk", security(("session" = [])), params(OrderFilter), responses((status = 200, description = "orders of the staff member's customers, oldest first", body = Vec<OrderView>), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not staff", body = ErrorBody)))]
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
    let search = filter.q.unwrap_or_default();
    if search.chars().count() > 100 {
        return Err(ApiError::field(
            "q",
            "too_long",
            crate::locale::tx(
                "Search for at most 100 characters",
                "Cari paling banyak 100 karakter",
                "Suchen Sie nach höchstens 100 Zeichen",
            ),
        ));
    }
    let query = crate::db::orders::OrderQuery {
        statuses: &statuses,
        oldest_first: open,
        limit: Some(
            filter
                .limit
                .map_or(DESK_HISTORY_LIMIT, |n| n.clamp(1, DESK_HISTORY_LIMIT)),
        ),
        offset: filter.offset.unwrap_or(0),
        search: &search,
        ..Default::default()
    };
    Ok(ApiJson(
        crate::db::orders::list(&state.db.pool, user.id, user.role, &query).await?,
    ))
}

#[utoipa::path(post, path = "/desk/orders/{reference}/status", tag = "desk", security(("session" = [], "csrf" = [])), params(("reference" = String, Path)), request_body = ChangeOrderStatus, responses((status = 200, description = "the order in its new status", body = OrderView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not staff", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "the order cannot move to that status", body = ErrorBody), (status = 422, description = "a cancellation without a reason", body = ErrorBody)))]
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
    let o = fulfilment::order_for_staff(&mut tx, user.id, user.role, &reference.to_string())
        .await?
        .ok_or(ApiError::NotFound("order"))?;
    let (order_id, from) = (o.id, o.status);
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
    let changed = fulfilment::set_status(&mut tx, order_id, from, req.status, reason, now).await?;
    if !changed {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::OrderChanged,
            message: "the order changed meanwhile; reload it".into(),
        });
    }
    // A card payment's refund is recorded with the cancellation and carried out once it commits: a
    // failed commit refunds nothing, and a refund the processor fails stays pending and is retried.
    let refund = if req.status == OrderStatus::Cancelled {
        payments::record_refund(&mut tx, order_id, now).await?
    } else {
        None
    };
    let reopened = if req.status == OrderStatus::Cancelled {
        reopen_quote(&mut tx, state.clock.today(), order_id).await?
    } else {
        None
    };
    if req.status == OrderStatus::Completed {
        fulfilment::put_coverage_in_place(&mut tx, state.clock.today(), order_id, o.site_id)
            .await?;
        fulfilment::add_points(&mut tx, o.organisation_id, o.points).await?;
    }
    let reopened_link = reopened.as_deref().map_or_else(String::new, |q| {
        crate::notices::quote_link(&state.public_url, q)
    });
    journal::queue_mail(
        &mut tx,
        now,
        &o.buyer_email,
        &crate::letters::OrderStatusChanged {
            reference: reference.to_string(),
            status: req.status,
            refunded: refund.is_some(),
            reason: reason.to_owned(),
            reopened,
            reopened_link,
            link: crate::notices::order_link(&state.public_url, &reference.to_string()),
        },
        // The desk's language says nothing of the buyer's; their account has one.
        entitle_core::locale::Locale::En,
    )
    .await?;
    journal::audit(
        &mut tx,
        now,
        Some(user.id),
        entitle_core::audit::AuditAction::OrderStatusChanged,
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
    crate::db::commit(tx).await?;
    if let Some(refund) = refund {
        crate::reconcile::carry_out_refund(&state, &refund).await;
    }
    crate::routes::orders::load_order(&state, &user, &reference)
        .await?
        .map(ApiJson)
        .ok_or(ApiError::NotFound("order"))
}

/// Gives the renewal quote of a cancelled order back to the customer while it is still valid (and turns
/// its auto-renew off when the engine placed the order, so it is not ordered again at once). Returns the
/// quote number when it was reopened.
async fn reopen_quote(
    tx: &mut sqlx::AnyConnection,
    today: time::Date,
    order_id: i64,
) -> ApiResult<Option<String>> {
    let Some(q) = fulfilment::quote_of_order(tx, order_id).await? else {
        return Ok(None);
    };
    if q.status != QuoteStatus::Ordered || !is_valid_on(q.valid_until, today) {
        return Ok(None);
    }
    crate::db::quotes::transition(
        tx,
        q.id,
        QuoteStatus::Ordered,
        QuoteEvent::OrderCancelled,
        q.version > 1,
    )
    .await?;
    if q.auto_renewed {
        crate::db::renewals::set_auto_renew(tx, q.id, None).await?;
    }
    Ok(Some(q.number))
}
