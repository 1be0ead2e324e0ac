//! The catalog: search, categories and part detail, priced at the viewer's level.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use entitle_core::catalog::{PartNumber, PriceLevel};
use entitle_core::dto::{CatalogPage, CatalogQuery, CategoryCount, PartSummary};
use entitle_core::money::Currency;

use crate::AppState;
use crate::db::catalog as q;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};

/// The catalog routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/catalog/parts", get(search))
        .route("/catalog/parts/{part_number}", get(part))
        .route("/catalog/categories", get(categories))
}

/// Who is looking: signed-out visitors see list price (BL) in the currency they ask for (USD default).
fn viewer_pricing(requested: Option<Currency>) -> (Currency, PriceLevel) {
    (requested.unwrap_or(Currency::Usd), PriceLevel::Bl)
}

#[tracing::instrument(skip(state))]
async fn search(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<CatalogQuery>,
) -> ApiResult<ApiJson<CatalogPage>> {
    let valid = query.validate().map_err(ApiError::Validation)?;
    let (currency, level) = viewer_pricing(valid.currency);
    let (items, total) = q::search(&state.db.pool, &valid, currency, level).await?;
    Ok(ApiJson(CatalogPage {
        items,
        total,
        page: valid.page,
        per_page: valid.per_page,
        currency,
        level,
    }))
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PartParams {
    currency: Option<Currency>,
}

#[tracing::instrument(skip(state))]
async fn part(
    State(state): State<AppState>,
    ApiPath(part_number): ApiPath<String>,
    ApiQuery(params): ApiQuery<PartParams>,
) -> ApiResult<ApiJson<PartSummary>> {
    let part_number = PartNumber::parse(&part_number)
        .map_err(|e| ApiError::field("part_number", e.code(), e.to_string()))?;
    let (currency, level) = viewer_pricing(params.currency);
    q::part(&state.db.pool, &part_number, currency, level)
        .await?
        .map(ApiJson)
        .ok_or(ApiError::NotFound("part"))
}

#[tracing::instrument(skip(state))]
async fn categories(State(state): State<AppState>) -> ApiResult<ApiJson<Vec<CategoryCount>>> {
    Ok(ApiJson(q::categories(&state.db.pool).await?))
}
