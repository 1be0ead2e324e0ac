//! Named saved carts: save the catalog lines of a site's cart under a name, list, reopen, delete.
//! Renewal lines stay in the cart: they are tied to their quote's state.

use axum::extract::State;
use axum::http::StatusCode;
use entitle_core::dto::{CartView, SaveCart, SavedCartView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::db::{cart, saved_carts};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::routes::cart::{buyer_site, cart_view};
use entitle_core::dto::ErrorBody;

/// The saved-cart routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, save))
        .routes(routes!(remove))
        .routes(routes!(open))
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteParam {
    site: String,
}

#[utoipa::path(get, path = "/carts", tag = "cart", security(("session" = [])), params(("site" = String, Query)), responses((status = 200, body = Vec<SavedCartView>), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(p): ApiQuery<SiteParam>,
) -> ApiResult<ApiJson<Vec<SavedCartView>>> {
    let site = buyer_site(&state, &user, &p.site).await?;
    let mut conn = state.db.acquire().await?;
    let rows = saved_carts::list(&mut conn, user.id, site.site_id).await?;
    Ok(ApiJson(
        rows.into_iter()
            .map(|r| SavedCartView {
                id: r.id,
                site: site.summary.customer_number.clone(),
                name: r.name,
                lines: u32::try_from(r.lines).unwrap_or(0),
                saved_at: r.updated_at,
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/carts", tag = "cart", security(("session" = [], "csrf" = [])), request_body = SaveCart, responses((status = 201, body = SavedCartView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<SaveCart>,
) -> ApiResult<(StatusCode, ApiJson<SavedCartView>)> {
    let site = buyer_site(&state, &user, &req.site).await?;
    let name = crate::error::checked_text(
        "name",
        entitle_core::validation::TextField::CartName,
        &req.name,
    )?;
    let name = name.as_str();
    let mut tx = state.db.begin_write().await?;
    let active = cart::active_cart(&mut tx, state.clock.now_unix(), user.id, site.site_id).await?;
    if saved_carts::name_taken(&mut tx, user.id, site.site_id, name).await? {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::CartNameTaken,
            message: format!("a saved cart is already called {name:?}"),
        });
    }
    let now = state.clock.now_unix();
    let (saved, moved) =
        saved_carts::save_catalog_lines(&mut tx, user.id, site.site_id, active, name, now).await?;
    if moved == 0 {
        return Err(ApiError::Unprocessable {
            code: entitle_core::dto::ErrorCode::CartEmpty,
            message: "there are no catalog lines in the cart to save".into(),
        });
    }
    crate::db::commit(tx).await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(SavedCartView {
            id: saved,
            site: site.summary.customer_number,
            name: name.to_owned(),
            lines: u32::try_from(moved).unwrap_or(u32::MAX),
            saved_at: now,
        }),
    ))
}

/// A saved cart of the user: its site's customer number.
async fn own_saved(state: &AppState, user: &CurrentUser, id: i64) -> ApiResult<String> {
    let mut conn = state.db.acquire().await?;
    saved_carts::site_of(&mut conn, user.id, id)
        .await?
        .ok_or(ApiError::NotFound("saved cart"))
}

#[utoipa::path(post, path = "/carts/{id}/open", tag = "cart", security(("session" = [], "csrf" = [])), params(("id" = i64, Path)), responses((status = 200, body = CartView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn open(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<CartView>> {
    let site = buyer_site(&state, &user, &own_saved(&state, &user, id).await?).await?;
    let mut tx = state.db.begin_write().await?;
    let active = cart::active_cart(&mut tx, state.clock.now_unix(), user.id, site.site_id).await?;
    saved_carts::open_into(&mut tx, id, active).await?;
    crate::db::commit(tx).await?;
    Ok(ApiJson(cart_view(&state, &user, &site).await?))
}

#[utoipa::path(delete, path = "/carts/{id}", tag = "cart", security(("session" = [], "csrf" = [])), params(("id" = i64, Path)), responses((status = 204, description = "deleted"), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    own_saved(&state, &user, id).await?;
    let mut tx = state.db.begin_write().await?;
    saved_carts::remove(&mut tx, id).await?;
    crate::db::commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
