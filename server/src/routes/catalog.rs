//! The catalog: search, categories and part detail, priced for whoever is looking.
//!
//! Signed-out visitors see list price (BL) in the currency they ask for (USD by default). A signed-in
//! customer sees prices at their organisation's level (express agreements: BL) in their site's
//! currency, and renewal/reinstatement parts only where the site holds that coverage.

use axum::extract::State;
use entitle_core::catalog::{PartNumber, PriceLevel};
use entitle_core::dto::{CatalogPage, CatalogQuery, CategoryCount, PartSummary, Role};
use entitle_core::money::Currency;
use entitle_core::pricing::{CustomerContext, order_level};
use entitle_core::validation::Explain as _;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::MaybeUser;
use crate::db::access::{self, SiteAccess};
use crate::db::catalog::{self as q, Viewer};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use entitle_core::dto::ErrorBody;

/// The catalog routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(part))
        .routes(routes!(categories))
}

/// The site a customer is pricing for: the one named, else their first.
async fn customer_site(
    state: &AppState,
    user_id: i64,
    site: Option<&str>,
) -> ApiResult<Option<SiteAccess>> {
    let sites = access::sites_of(&state.db.pool, user_id).await?;
    match site {
        Some(number) => sites
            .into_iter()
            .find(|s| s.summary.customer_number == number)
            .map(Some)
            .ok_or(ApiError::NotFound("site")),
        None => Ok(sites.into_iter().next()),
    }
}

/// The prices a viewer sees, and the site they are for.
async fn viewer(
    state: &AppState,
    user: &MaybeUser,
    currency: Option<Currency>,
    site: Option<&str>,
) -> ApiResult<(Viewer, Option<String>)> {
    let visitor = Viewer {
        currency: currency.unwrap_or(Currency::Usd),
        level: PriceLevel::Bl,
        coverage_site: None,
    };
    let Some(u) = user.0.as_ref().filter(|u| u.role == Role::Customer) else {
        return Ok((visitor, None));
    };
    let Some(s) = customer_site(state, u.id, site).await? else {
        return Ok((visitor, None));
    };
    // The level held now; an order's own points may lift it further when it is priced in the cart.
    let context = CustomerContext {
        agreement: s.agreement,
        level: s.level,
        points: s.points,
        country: s.summary.country,
        currency: s.summary.currency,
        anniversary: s.anniversary,
        today: state.clock.today(),
    };
    let level = order_level(&context, 0);
    Ok((
        Viewer {
            currency: s.summary.currency,
            level,
            coverage_site: Some(s.site_id),
        },
        Some(s.summary.customer_number),
    ))
}

#[utoipa::path(get, path = "/catalog/parts", tag = "catalog", params(CatalogQuery), responses((status = 200, body = CatalogPage), (status = 400, body = ErrorBody), (status = 404, description = "the site is not the user's", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(level = "debug", skip(state, user))]
async fn search(
    State(state): State<AppState>,
    user: MaybeUser,
    ApiQuery(query): ApiQuery<CatalogQuery>,
) -> ApiResult<ApiJson<CatalogPage>> {
    let valid = query.validate().map_err(ApiError::Validation)?;
    let (viewer, site) = viewer(&state, &user, valid.currency, valid.site.as_deref()).await?;
    let (items, total) = state
        .catalog_cache
        .search(&state.db, &state.clock, &valid, viewer)
        .await?;
    Ok(ApiJson(CatalogPage {
        items,
        total,
        page: valid.page,
        per_page: valid.per_page,
        currency: viewer.currency,
        level: viewer.level,
        site,
    }))
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PartParams {
    currency: Option<Currency>,
    site: Option<String>,
}

#[utoipa::path(get, path = "/catalog/parts/{part_number}", tag = "catalog", params(("part_number" = String, Path, pattern = "^[A-Za-z0-9]{7}$"), ("currency" = Option<Currency>, Query), ("site" = Option<String>, Query, description = "a customer number of the signed-in user's", pattern = "^[0-9]{1,10}$")), responses((status = 200, body = PartSummary), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(level = "debug", skip(state, user))]
async fn part(
    State(state): State<AppState>,
    user: MaybeUser,
    ApiPath(part_number): ApiPath<String>,
    ApiQuery(params): ApiQuery<PartParams>,
) -> ApiResult<ApiJson<PartSummary>> {
    let part_number = PartNumber::parse(&part_number).map_err(|e| {
        ApiError::field("part_number", e.code(), e.message(crate::locale::current()))
    })?;
    let (viewer, _) = viewer(&state, &user, params.currency, params.site.as_deref()).await?;
    q::part(&state.db.pool, &part_number, viewer.currency, viewer.level)
        .await?
        .map(ApiJson)
        .ok_or(ApiError::NotFound("part"))
}

#[utoipa::path(get, path = "/catalog/categories", tag = "catalog", responses((status = 200, body = Vec<CategoryCount>)))]
#[tracing::instrument(level = "debug", skip(state))]
async fn categories(State(state): State<AppState>) -> ApiResult<ApiJson<Vec<CategoryCount>>> {
    Ok(ApiJson(q::categories(&state.db.pool).await?))
}
