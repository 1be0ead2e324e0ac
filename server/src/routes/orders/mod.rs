//! Checkout and orders: what checkout offers a site, placing an order (in `place`), the orders of the
//! last 30 days, one order by its reference number and its printable receipt.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use entitle_core::dto::{BillingDetails, CheckoutOptions, OrderView, TermsView};
use entitle_core::order::{OrderReference, payment_methods};
use entitle_core::validation::Explain as _;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::routes::cart::buyer_site;
use entitle_core::dto::ErrorBody;

mod place;

// The handler, and the OpenAPI path item utoipa generates beside it.
pub use place::*;

/// The order routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(options))
        .routes(routes!(recent, place))
        .routes(routes!(by_reference))
        .routes(routes!(receipt))
        .routes(routes!(invoice))
        .routes(routes!(entitlement))
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteParam {
    site: String,
}

async fn current_terms(state: &AppState) -> ApiResult<TermsView> {
    crate::db::terms::current(&mut *state.db.acquire().await?, crate::locale::current())
        .await?
        .ok_or_else(|| ApiError::Internal("no terms and conditions are published".into()))
}

#[utoipa::path(get, path = "/checkout", tag = "orders", security(("session" = [])), params(("site" = String, Query)), responses((status = 200, body = CheckoutOptions), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn options(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(p): ApiQuery<SiteParam>,
) -> ApiResult<ApiJson<CheckoutOptions>> {
    let site = buyer_site(&state, &user, &p.site).await?;
    let last =
        crate::db::orders::last_billing(&mut *state.db.acquire().await?, site.site_id).await?;
    // The last order's details (if they still parse: an address the rules now refuse is not offered).
    let billing = last
        .and_then(|json| serde_json::from_str::<BillingDetails>(&json).ok())
        .filter(|b| b.address.country == site.summary.country)
        .unwrap_or_else(|| BillingDetails {
            address: entitle_core::validation::AddressInput {
                name: site.summary.organisation.clone(),
                line1: String::new(),
                line2: String::new(),
                city: String::new(),
                region: String::new(),
                postal_code: String::new(),
                country: site.summary.country,
            },
            contact_name: user.name.clone(),
            email: user.email.clone(),
            phone: String::new(),
            tax_id: String::new(),
        });
    Ok(ApiJson(CheckoutOptions {
        country: site.summary.country,
        payment_methods: payment_methods(site.summary.country).to_vec(),
        terms: current_terms(&state).await?,
        billing,
    }))
}

pub(crate) async fn load_order(
    state: &AppState,
    user: &CurrentUser,
    reference: &OrderReference,
) -> ApiResult<Option<OrderView>> {
    Ok(crate::db::orders::list(
        &state.db.pool,
        user.id,
        user.role,
        &crate::db::orders::OrderQuery::one(reference),
    )
    .await?
    .into_iter()
    .next())
}

#[utoipa::path(get, path = "/orders", tag = "orders", security(("session" = [])), responses((status = 200, description = "orders of the last 30 days", body = Vec<OrderView>), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn recent(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<ApiJson<Vec<OrderView>>> {
    Ok(ApiJson(
        crate::db::orders::list(
            &state.db.pool,
            user.id,
            user.role,
            &crate::db::orders::OrderQuery::since(entitle_core::order::recent_orders_since(
                state.clock.now_unix(),
            )),
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/orders/{reference}", tag = "orders", security(("session" = [])), params(("reference" = String, Path)), responses((status = 200, body = OrderView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, description = "not a valid reference", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn by_reference(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(reference): ApiPath<String>,
) -> ApiResult<ApiJson<OrderView>> {
    let reference = OrderReference::parse(&reference)
        .map_err(|e| ApiError::field("reference", e.code(), e.message(crate::locale::current())))?;
    load_order(&state, &user, &reference)
        .await?
        .map(ApiJson)
        .ok_or(ApiError::NotFound("order"))
}

/// `?lang=` of a receipt.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ReceiptParams {
    lang: Option<entitle_core::locale::Locale>,
}

#[utoipa::path(get, path = "/orders/{reference}/receipt.pdf", tag = "orders", security(("session" = [])),
    params(("reference" = String, Path), ("lang" = Option<entitle_core::locale::Locale>, Query, description = "the receipt's language (a link opened from the app names the app's language); default: the request's Accept-Language")),
    responses((status = 200, description = "the printable receipt", content_type = "application/pdf"), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn receipt(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(reference): ApiPath<String>,
    ApiQuery(params): ApiQuery<ReceiptParams>,
) -> ApiResult<Response> {
    let reference = OrderReference::parse(&reference)
        .map_err(|e| ApiError::field("reference", e.code(), e.message(crate::locale::current())))?;
    let order = load_order(&state, &user, &reference)
        .await?
        .ok_or(ApiError::NotFound("order"))?;
    let placed_on = time::OffsetDateTime::from_unix_timestamp(order.placed_at)
        .map_or_else(|_| state.clock.today(), time::OffsetDateTime::date);
    let lang = params.lang.unwrap_or_else(crate::locale::current);
    let pdf = crate::receipt::render(&order, placed_on, lang)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"receipt-{reference}.pdf\""),
            ),
        ],
        pdf,
    )
        .into_response())
}

/// A PDF answer, downloaded as `filename`.
fn pdf_answer(pdf: Vec<u8>, filename: &str) -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        pdf,
    )
        .into_response()
}

/// The order `reference` the user may see, and the day it was completed: the invoice and the proof of
/// entitlement exist only from then (409 `order.document_not_ready` before).
async fn completed_order(
    state: &AppState,
    user: &CurrentUser,
    reference: &str,
) -> ApiResult<(OrderView, time::Date)> {
    let reference = OrderReference::parse(reference)
        .map_err(|e| ApiError::field("reference", e.code(), e.message(crate::locale::current())))?;
    let order = load_order(state, user, &reference)
        .await?
        .ok_or(ApiError::NotFound("order"))?;
    let completed = crate::db::orders::completed_at(&state.db.pool, &reference.to_string())
        .await?
        .filter(|_| order.status == entitle_core::order::OrderStatus::Completed)
        .ok_or_else(|| ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::OrderDocumentNotReady,
            message: format!("order {reference} is not completed yet"),
        })?;
    let day = time::OffsetDateTime::from_unix_timestamp(completed)
        .map_or_else(|_| state.clock.today(), time::OffsetDateTime::date);
    Ok((order, day))
}

#[utoipa::path(get, path = "/orders/{reference}/invoice.pdf", tag = "orders", security(("session" = [])),
    params(("reference" = String, Path), ("lang" = Option<entitle_core::locale::Locale>, Query, description = "the invoice's language; default: the request's Accept-Language")),
    responses((status = 200, description = "the invoice, with the seller's and the buyer's tax IDs", content_type = "application/pdf"), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "the order is not completed yet", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn invoice(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(reference): ApiPath<String>,
    ApiQuery(params): ApiQuery<ReceiptParams>,
) -> ApiResult<Response> {
    let (order, completed_on) = completed_order(&state, &user, &reference).await?;
    let lang = params.lang.unwrap_or_else(crate::locale::current);
    let pdf = crate::invoice::render(&order, completed_on, &state.seller, lang)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(pdf_answer(pdf, &format!("invoice-{}.pdf", order.reference)))
}

#[utoipa::path(get, path = "/orders/{reference}/entitlement.pdf", tag = "orders", security(("session" = [])),
    params(("reference" = String, Path), ("lang" = Option<entitle_core::locale::Locale>, Query, description = "the document's language; default: the request's Accept-Language")),
    responses((status = 200, description = "the proof of entitlement: site, customer number, each part with quantity, metric and coverage", content_type = "application/pdf"), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "the order is not fulfilled yet", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn entitlement(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(reference): ApiPath<String>,
    ApiQuery(params): ApiQuery<ReceiptParams>,
) -> ApiResult<Response> {
    let (order, fulfilled_on) = completed_order(&state, &user, &reference).await?;
    let mut metrics = Vec::with_capacity(order.lines.len());
    let mut conn = state.db.acquire().await?;
    for line in &order.lines {
        let part = crate::db::catalog::part_for_cart(&mut conn, &line.part_number).await?;
        metrics.push(part.map(|p| p.metric));
    }
    let lang = params.lang.unwrap_or_else(crate::locale::current);
    let pdf = crate::entitlement::render(&order, &metrics, fulfilled_on, lang)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(pdf_answer(
        pdf,
        &format!("entitlement-{}.pdf", order.reference),
    ))
}
