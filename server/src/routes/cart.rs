//! The cart of a site: add from the catalog or from a renewal quote, change quantities, delete lines.
//! Changing or deleting a renewal line sends the change to the renewal rep: the quote becomes
//! "change requested" and the cart cannot be checked out until the rep re-issues it. A sales rep's
//! quote is fixed the same way: changing one of its lines sends the request back to the rep (checkout
//! waits for the new quote), deleting one takes the whole quote out of the cart.

use axum::extract::State;
use axum::http::StatusCode;
use entitle_core::catalog::PartType;
use entitle_core::dto::{AddCartLine, AddRenewalToCart, CartView, Role, UpdateCartLine};
use entitle_core::pricing::{PricingError, Term};
use entitle_core::quote::{QuoteEvent, QuoteStatus};
use entitle_core::validation::Explain as _;
use entitle_core::validation::Quantity;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::db::access::{self, SiteAccess};
use crate::db::cart::{self, CartLineRow};
use crate::db::catalog;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use entitle_core::dto::ErrorBody;

/// The cart routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(view))
        .routes(routes!(add_line))
        .routes(routes!(update_line, delete_line))
        .routes(routes!(add_renewal))
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
        &mut *state.db.acquire().await?,
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

#[utoipa::path(get, path = "/cart", tag = "cart", security(("session" = [])), params(("site" = String, Query)), responses((status = 200, body = CartView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn view(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(p): ApiQuery<SiteParam>,
) -> ApiResult<ApiJson<CartView>> {
    let site = buyer_site(&state, &user, &p.site).await?;
    Ok(ApiJson(cart_view(&state, &user, &site).await?))
}

#[utoipa::path(post, path = "/cart/lines", tag = "cart", security(("session" = [], "csrf" = [])), request_body = AddCartLine, responses((status = 201, body = CartView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn add_line(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<AddCartLine>,
) -> ApiResult<(StatusCode, ApiJson<CartView>)> {
    let site = buyer_site(&state, &user, &req.site).await?;
    let mut conn = state.db.acquire().await?;
    let part = catalog::part_for_cart(&mut conn, &req.part_number)
        .await?
        .ok_or(ApiError::NotFound("part"))?;
    let (part_type, metric) = (part.part_type, part.metric);
    Quantity::new(req.quantity, metric)
        .map_err(|e| ApiError::field("quantity", e.code(), e.message(crate::locale::current())))?;
    if part_type.is_coverage_part()
        && !catalog::site_holds_coverage_of(&mut conn, site.site_id, &req.part_number).await?
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
                crate::locale::tx(
                    "Give the number of months",
                    "Isi jumlah bulan",
                    "Geben Sie die Anzahl der Monate an",
                ),
            ));
        }
        (_, Some(_)) => {
            return Err(ApiError::field(
                "months",
                "pricing.invalid_term",
                crate::locale::tx(
                    "This part is not sold by the month",
                    "Komponen ini tidak dijual per bulan",
                    "Dieses Teil wird nicht monatsweise verkauft",
                ),
            ));
        }
        (_, None) => Term::Standard,
    };
    let cart_id =
        cart::active_cart(&mut conn, state.clock.now_unix(), user.id, site.site_id).await?;
    // Pricing takes connections of its own: never hold one while waiting for another.
    drop(conn);
    // Price the cart with the new line before storing it, so a line that cannot be priced never lands.
    let mut rows = cart::lines(&state.db.pool, cart_id).await?;
    rows.push(CartLineRow {
        id: 0,
        part: req.part_number,
        description: part.description,
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
    let mut conn = state.db.acquire().await?;
    cart::insert_catalog_line(
        &mut conn,
        cart_id,
        &req.part_number,
        req.quantity,
        term,
        state.clock.now_unix(),
    )
    .await?;
    drop(conn);
    Ok((
        StatusCode::CREATED,
        ApiJson(cart_view(&state, &user, &site).await?),
    ))
}

#[utoipa::path(post, path = "/cart/renewal", tag = "cart", security(("session" = [], "csrf" = [])), request_body = AddRenewalToCart, responses((status = 201, body = CartView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn add_renewal(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<AddRenewalToCart>,
) -> ApiResult<(StatusCode, ApiJson<CartView>)> {
    if user.role != Role::Customer {
        return Err(ApiError::Forbidden);
    }
    let mut conn = state.db.acquire().await?;
    let quote = crate::db::quotes::for_cart(&mut conn, user.id, req.quote_number.trim())
        .await?
        .ok_or(ApiError::NotFound("renewal quote"))?;
    drop(conn);
    let site = buyer_site(&state, &user, &quote.customer_number).await?;
    if quote.business_partner {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::QuoteBusinessPartner,
            message: "this renewal is handled by your Business Partner; contact them to renew"
                .into(),
        });
    }
    if !entitle_core::quote::is_valid_on(quote.valid_until, state.clock.today()) {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::QuoteExpired,
            message: "this renewal quote has expired".into(),
        });
    }
    let (quote_id, version, status) = (quote.id, quote.version, quote.status);
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
    cart::insert_quote_lines(&mut tx, cart_id, quote_id, version, state.clock.now_unix()).await?;
    crate::db::commit(tx).await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(cart_view(&state, &user, &site).await?),
    ))
}

/// The line `id` of the user's own active cart.
async fn own_line(state: &AppState, user: &CurrentUser, id: i64) -> ApiResult<cart::OwnLine> {
    let mut conn = state.db.acquire().await?;
    cart::own_line(&mut conn, user.id, id)
        .await?
        .ok_or(ApiError::NotFound("cart line"))
}

/// Records a customer's change to a renewal line and sends the quote back to the rep.
async fn request_change(
    tx: &mut sqlx::AnyConnection,
    now: i64,
    user: &CurrentUser,
    quote: cart::LineQuote,
    renewal_line_id: i64,
    new_quantity: Option<u32>,
) -> ApiResult<()> {
    let (quote_id, status, version) = (quote.id, quote.status, quote.version);
    if status != QuoteStatus::ChangeRequested {
        crate::db::quotes::transition(tx, quote_id, status, QuoteEvent::RequestChange, version > 1)
            .await?;
    }
    crate::db::quotes::record_change_request(
        tx,
        quote_id,
        version,
        renewal_line_id,
        new_quantity,
        user.id,
        now,
    )
    .await?;
    // Tell the renewal rep (the outbox worker sends it).
    let (rep_email, number, customer) = crate::db::quotes::rep_of(tx, quote_id).await?;
    crate::db::journal::queue_mail(
        tx,
        now,
        rep_email,
        &crate::letters::ChangeRequested {
            number: number.clone(),
            requester: user.name.clone(),
            requester_email: user.email.clone(),
            customer,
        },
        entitle_core::locale::Locale::En,
    )
    .await?;
    crate::db::journal::audit(
        tx,
        now,
        Some(user.id),
        entitle_core::audit::AuditAction::QuoteChangeRequested,
        &number,
        match new_quantity {
            Some(q) => format!("line {renewal_line_id}: quantity {q}"),
            None => format!("line {renewal_line_id}: deleted"),
        },
    )
    .await?;
    Ok(())
}

#[utoipa::path(patch, path = "/cart/lines/{id}", tag = "cart", security(("session" = [], "csrf" = [])), params(("id" = i64, Path)), request_body = UpdateCartLine, responses((status = 200, description = "on a renewal line, the quote becomes change_requested; on a line of a sales rep's quote, the request goes back to the rep (quote_requests_changed)", body = CartView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn update_line(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<UpdateCartLine>,
) -> ApiResult<ApiJson<CartView>> {
    let line = own_line(&state, &user, id).await?;
    let site = buyer_site(&state, &user, &line.customer_number).await?;
    let metric = line.metric;
    if req.quantity == line.quantity {
        // Nothing changed: in particular a renewal line does not go back to the rep.
        return Ok(ApiJson(cart_view(&state, &user, &site).await?));
    }
    Quantity::new(req.quantity, metric)
        .map_err(|e| ApiError::field("quantity", e.code(), e.message(crate::locale::current())))?;
    let mut tx = state.db.begin_write().await?;
    cart::set_quantity(&mut tx, id, req.quantity).await?;
    if let Some(request) = line.quote_request {
        crate::routes::quote_requests::send_back_from_cart(
            &mut tx,
            state.clock.now_unix(),
            state.clock.today(),
            &user,
            request,
            req.quantity,
        )
        .await?;
    }
    if let Some((renewal_line, quote)) = line.renewal {
        request_change(
            &mut tx,
            state.clock.now_unix(),
            &user,
            quote,
            renewal_line,
            Some(req.quantity),
        )
        .await?;
    }
    crate::db::commit(tx).await?;
    Ok(ApiJson(cart_view(&state, &user, &site).await?))
}

#[utoipa::path(delete, path = "/cart/lines/{id}", tag = "cart", security(("session" = [], "csrf" = [])), params(("id" = i64, Path)), responses((status = 200, body = CartView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn delete_line(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<CartView>> {
    let line = own_line(&state, &user, id).await?;
    let site = buyer_site(&state, &user, &line.customer_number).await?;
    let mut tx = state.db.begin_write().await?;
    cart::delete_line(&mut tx, id).await?;
    if let Some((request, _)) = line.quote_request {
        crate::routes::quote_requests::take_out_of_cart(
            &mut tx,
            state.clock.now_unix(),
            state.clock.today(),
            &user,
            request,
        )
        .await?;
    }
    if let Some((renewal_line, quote)) = line.renewal {
        request_change(
            &mut tx,
            state.clock.now_unix(),
            &user,
            quote,
            renewal_line,
            None,
        )
        .await?;
    }
    crate::db::commit(tx).await?;
    Ok(ApiJson(cart_view(&state, &user, &site).await?))
}
