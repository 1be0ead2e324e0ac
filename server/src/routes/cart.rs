//! The cart of a site: add from the catalog or from a renewal quote, change quantities, delete lines.
//! Changing or deleting a renewal line sends the change to the renewal rep: the quote becomes
//! "change requested" and the cart cannot be checked out until the rep re-issues it.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch, post};
use entitle_core::catalog::{Metric, PartNumber, PartType};
use entitle_core::dto::{AddCartLine, AddRenewalToCart, CartView, Role, UpdateCartLine};
use entitle_core::pricing::{PricingError, Term};
use entitle_core::quote::{QuoteEvent, QuoteStatus};
use entitle_core::validation::Quantity;
use sqlx::Row;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::db::access::{self, SiteAccess};
use crate::db::cart::{self, CartLineRow};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use entitle_core::dto::ErrorBody;

/// The cart routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cart", get(view))
        .route("/cart/lines", post(add_line))
        .route("/cart/lines/{id}", patch(update_line).delete(delete_line))
        .route("/cart/renewal", post(add_renewal))
}

/// The site `customer_number` if the user may buy for it (404 otherwise; staff have no cart).
pub async fn buyer_site(
    state: &AppState,
    user: &CurrentUser,
    customer_number: &str,
) -> ApiResult<SiteAccess> {
    if user.role != Role::Customer {
        return Err(ApiError::Forbidden);
    }
    let site = access::sites_of(&state.db.pool, user.id)
        .await?
        .into_iter()
        .find(|s| s.summary.customer_number == customer_number.trim())
        .ok_or(ApiError::NotFound("site"))?;
    if !site.summary.privileges.buy {
        return Err(ApiError::Forbidden);
    }
    Ok(site)
}

fn pricing_error(e: &PricingError) -> ApiError {
    ApiError::Unprocessable {
        code: e.code(),
        message: e.to_string(),
    }
}

/// The priced cart of a site.
pub async fn cart_view(
    state: &AppState,
    user: &CurrentUser,
    site: &SiteAccess,
) -> ApiResult<CartView> {
    let cart_id = cart::active_cart(
        &mut *state.db.pool.acquire().await?,
        state.clock.now_unix(),
        user.id,
        site.site_id,
    )
    .await?;
    let rows = cart::lines(&state.db.pool, cart_id).await?;
    let priced = cart::price_cart(&state.db.pool, site, rows, state.clock.today())
        .await?
        .map_err(|e| pricing_error(&e))?;
    Ok(priced.view)
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteParam {
    site: String,
}

#[utoipa::path(get, path = "/api/v1/cart", tag = "cart", security(("session" = [])), params(("site" = String, Query)), responses((status = 200, body = CartView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn view(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(p): ApiQuery<SiteParam>,
) -> ApiResult<ApiJson<CartView>> {
    let site = buyer_site(&state, &user, &p.site).await?;
    Ok(ApiJson(cart_view(&state, &user, &site).await?))
}

#[utoipa::path(post, path = "/api/v1/cart/lines", tag = "cart", security(("session" = [], "csrf" = [])), request_body = AddCartLine, responses((status = 201, body = CartView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn add_line(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<AddCartLine>,
) -> ApiResult<(StatusCode, ApiJson<CartView>)> {
    let site = buyer_site(&state, &user, &req.site).await?;
    let part =
        sqlx::query("SELECT description, part_type, metric FROM parts WHERE part_number = $1")
            .bind(req.part_number.as_str())
            .fetch_optional(&state.db.pool)
            .await?
            .ok_or(ApiError::NotFound("part"))?;
    let part_type: PartType = part
        .try_get::<String, _>("part_type")?
        .parse()
        .map_err(|e| ApiError::Internal(format!("{e}")))?;
    let metric: Metric = part
        .try_get::<String, _>("metric")?
        .parse()
        .map_err(|e| ApiError::Internal(format!("{e}")))?;
    Quantity::new(req.quantity, metric)
        .map_err(|e| ApiError::field("quantity", e.code(), e.to_string()))?;
    if part_type.is_coverage_part()
        && !holds_coverage_of(&state, site.site_id, &req.part_number).await?
    {
        // New customers see new-licence parts only; renewals come with coverage held.
        return Err(ApiError::NotFound("part"));
    }
    let term = match (part_type, req.months) {
        (PartType::MonthlyLicense | PartType::Subscription, Some(months)) => {
            Term::Months { months }
        }
        (PartType::MonthlyLicense | PartType::Subscription, None) => {
            return Err(ApiError::field(
                "months",
                "pricing.invalid_term",
                "give the number of months",
            ));
        }
        (_, Some(_)) => {
            return Err(ApiError::field(
                "months",
                "pricing.invalid_term",
                "this part is not sold by the month",
            ));
        }
        (_, None) => Term::Standard,
    };
    let cart_id = cart::active_cart(
        &mut *state.db.pool.acquire().await?,
        state.clock.now_unix(),
        user.id,
        site.site_id,
    )
    .await?;
    // Price the cart with the new line before storing it, so a line that cannot be priced never lands.
    let mut rows = cart::lines(&state.db.pool, cart_id).await?;
    rows.push(CartLineRow {
        id: 0,
        part: req.part_number,
        description: part.try_get("description")?,
        quantity: req.quantity,
        term,
        renewal_line_id: None,
        renewal_unit_minor: None,
        quote: None,
        part_type,
        metric: Some(metric),
        quote_request: None,
    });
    cart::price_cart(&state.db.pool, &site, rows, state.clock.today())
        .await?
        .map_err(|e| pricing_error(&e))?;
    let (kind, months, start, end) = cart::term_columns(term);
    sqlx::query(
        "INSERT INTO cart_lines (cart_id, part_number, quantity, term_kind, months, coverage_start, coverage_end, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(cart_id)
    .bind(req.part_number.as_str())
    .bind(i64::from(req.quantity))
    .bind(kind)
    .bind(months)
    .bind(start)
    .bind(end)
    .bind(state.clock.now_unix())
    .execute(&state.db.pool)
    .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(cart_view(&state, &user, &site).await?),
    ))
}

async fn holds_coverage_of(state: &AppState, site_id: i64, part: &PartNumber) -> ApiResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM entitlements e JOIN parts rp ON rp.part_number = e.renewal_part \
         WHERE e.site_id = $1 AND (e.renewal_part = $2 OR rp.reinstatement_part = $2)",
    )
    .bind(site_id)
    .bind(part.as_str())
    .fetch_one(&state.db.pool)
    .await?;
    Ok(n > 0)
}

#[utoipa::path(post, path = "/api/v1/cart/renewal", tag = "cart", security(("session" = [], "csrf" = [])), request_body = AddRenewalToCart, responses((status = 201, body = CartView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn add_renewal(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<AddRenewalToCart>,
) -> ApiResult<(StatusCode, ApiJson<CartView>)> {
    if user.role != Role::Customer {
        return Err(ApiError::Forbidden);
    }
    let row = sqlx::query(
        "SELECT q.id, q.status, q.version, q.valid_until, s.customer_number, s.business_partner_id \
         FROM renewal_quotes q JOIN sites s ON s.id = q.site_id \
         WHERE q.quote_number = $2 AND s.id IN (SELECT site_id FROM site_access WHERE user_id = $1 AND can_view_quotes = 1)",
    )
    .bind(user.id)
    .bind(req.quote_number.trim())
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(ApiError::NotFound("renewal quote"))?;
    let site = buyer_site(&state, &user, &row.try_get::<String, _>("customer_number")?).await?;
    if row
        .try_get::<Option<i64>, _>("business_partner_id")?
        .is_some()
    {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::QuoteBusinessPartner,
            message: "this renewal is handled by your Business Partner; contact them to renew"
                .into(),
        });
    }
    let valid_until = crate::db::parse_date(&row.try_get::<String, _>("valid_until")?)?;
    if !entitle_core::quote::is_valid_on(valid_until, state.clock.today()) {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::QuoteExpired,
            message: "this renewal quote has expired".into(),
        });
    }
    let quote_id: i64 = row.try_get("id")?;
    let version: i64 = row.try_get("version")?;
    let status = QuoteStatus::from_code(&row.try_get::<String, _>("status")?)
        .ok_or_else(|| ApiError::Internal("bad quote status".into()))?;
    let mut tx = state.db.begin_write().await?;
    // Compare-and-set: two tabs adding the same quote add it once.
    crate::db::quotes::transition(
        &mut tx,
        quote_id,
        status,
        QuoteEvent::AddToCart,
        version > 1,
    )
    .await?;
    let cart_id = cart::active_cart(&mut tx, state.clock.now_unix(), user.id, site.site_id).await?;
    sqlx::query(
        "INSERT INTO cart_lines (cart_id, part_number, quantity, term_kind, coverage_start, coverage_end, renewal_line_id, created_at) \
         SELECT $1, part_number, quantity, 'coverage', coverage_start, coverage_end, id, $2 \
         FROM renewal_quote_lines WHERE quote_id = $3 AND version = $4 ORDER BY id",
    )
    .bind(cart_id)
    .bind(state.clock.now_unix())
    .bind(quote_id)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(cart_view(&state, &user, &site).await?),
    ))
}

/// The line `id` of the user's own cart: (cart id, site customer number, renewal line id, quote).
async fn own_line(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> ApiResult<(String, Option<i64>, Option<(i64, String, i64)>)> {
    let r = sqlx::query(
        "SELECT s.customer_number, cl.renewal_line_id, rq.id AS quote_id, rq.status, rq.version \
         FROM cart_lines cl JOIN carts c ON c.id = cl.cart_id JOIN sites s ON s.id = c.site_id \
         LEFT JOIN renewal_quote_lines rql ON rql.id = cl.renewal_line_id \
         LEFT JOIN renewal_quotes rq ON rq.id = rql.quote_id \
         WHERE cl.id = $1 AND c.user_id = $2 AND c.name IS NULL",
    )
    .bind(id)
    .bind(user.id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(ApiError::NotFound("cart line"))?;
    let quote = match r.try_get::<Option<i64>, _>("quote_id")? {
        Some(qid) => Some((
            qid,
            r.try_get::<String, _>("status")?,
            r.try_get::<i64, _>("version")?,
        )),
        None => None,
    };
    Ok((
        r.try_get("customer_number")?,
        r.try_get("renewal_line_id")?,
        quote,
    ))
}

/// Records a customer's change to a renewal line and sends the quote back to the rep.
async fn request_change(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    now: i64,
    user: &CurrentUser,
    quote: (i64, String, i64),
    renewal_line_id: i64,
    new_quantity: Option<u32>,
) -> ApiResult<()> {
    let (quote_id, status, version) = quote;
    let status = QuoteStatus::from_code(&status)
        .ok_or_else(|| ApiError::Internal("bad quote status".into()))?;
    if status != QuoteStatus::ChangeRequested {
        crate::db::quotes::transition(tx, quote_id, status, QuoteEvent::RequestChange, version > 1)
            .await?;
    }
    sqlx::query(
        "INSERT INTO quote_change_requests (quote_id, version, renewal_line_id, action, quantity, requested_by, requested_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(quote_id)
    .bind(version)
    .bind(renewal_line_id)
    .bind(if new_quantity.is_some() { "quantity" } else { "delete" })
    .bind(new_quantity.map(i64::from))
    .bind(user.id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    // Tell the renewal rep (the outbox worker sends it).
    let rep = sqlx::query(
        "SELECT u.email, q.quote_number, s.customer_number FROM renewal_quotes q JOIN sites s ON s.id = q.site_id \
         JOIN users u ON u.id = s.renewal_rep_id WHERE q.id = $1",
    )
    .bind(quote_id)
    .fetch_one(&mut **tx)
    .await?;
    let number: String = rep.try_get("quote_number")?;
    let customer: String = rep.try_get("customer_number")?;
    crate::db::journal::queue_mail(tx, now, "change_request", rep.try_get::<String, _>("email")?, format!("Change requested on renewal quote {number}"), format!(
        "{} ({}) changed renewal quote {number} for customer {customer}. Review the change and re-issue the quote in the desk.",
        user.name, user.email
    )).await?;
    crate::db::journal::audit(
        tx,
        now,
        Some(user.id),
        "quote.change_requested",
        &number,
        match new_quantity {
            Some(q) => format!("line {renewal_line_id}: quantity {q}"),
            None => format!("line {renewal_line_id}: deleted"),
        },
    )
    .await?;
    Ok(())
}

#[utoipa::path(patch, path = "/api/v1/cart/lines/{id}", tag = "cart", security(("session" = [], "csrf" = [])), params(("id" = i64, Path)), request_body = UpdateCartLine, responses((status = 200, description = "on a renewal line, the quote becomes change_requested", body = CartView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn update_line(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<UpdateCartLine>,
) -> ApiResult<ApiJson<CartView>> {
    let (customer_number, renewal_line_id, quote) = own_line(&state, &user, id).await?;
    let site = buyer_site(&state, &user, &customer_number).await?;
    let metric: String = sqlx::query_scalar(
        "SELECT p.metric FROM cart_lines cl JOIN parts p ON p.part_number = cl.part_number WHERE cl.id = $1",
    )
    .bind(id)
    .fetch_one(&state.db.pool)
    .await?;
    let metric: Metric = metric
        .parse()
        .map_err(|e| ApiError::Internal(format!("{e}")))?;
    Quantity::new(req.quantity, metric)
        .map_err(|e| ApiError::field("quantity", e.code(), e.to_string()))?;
    let mut tx = state.db.begin_write().await?;
    sqlx::query("UPDATE cart_lines SET quantity = $1 WHERE id = $2")
        .bind(i64::from(req.quantity))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if let (Some(line), Some(quote)) = (renewal_line_id, quote) {
        request_change(
            &mut tx,
            state.clock.now_unix(),
            &user,
            quote,
            line,
            Some(req.quantity),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ApiJson(cart_view(&state, &user, &site).await?))
}

#[utoipa::path(delete, path = "/api/v1/cart/lines/{id}", tag = "cart", security(("session" = [], "csrf" = [])), params(("id" = i64, Path)), responses((status = 200, body = CartView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn delete_line(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<CartView>> {
    let (customer_number, renewal_line_id, quote) = own_line(&state, &user, id).await?;
    let site = buyer_site(&state, &user, &customer_number).await?;
    let mut tx = state.db.begin_write().await?;
    sqlx::query("DELETE FROM cart_lines WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if let (Some(line), Some(quote)) = (renewal_line_id, quote) {
        request_change(&mut tx, state.clock.now_unix(), &user, quote, line, None).await?;
    }
    tx.commit().await?;
    Ok(ApiJson(cart_view(&state, &user, &site).await?))
}
