//! The `/api/v1` routes: one module per resource, merged here.

pub mod access_requests;
pub mod account;
pub mod cart;
pub mod catalog;
pub mod desk;
pub mod fulfilment;
pub mod health;
pub mod openapi;
pub mod orders;
pub mod password;
pub mod po_documents;
pub mod quote_requests;
pub mod renewals;
pub mod saved_carts;
pub mod session;
pub mod site_users;

use std::sync::LazyLock;

use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;
use crate::error::ApiError;

/// Every API route with its OpenAPI description, each declared once (with its handler's
/// `#[utoipa::path]`), at paths relative to `/api/v1`; unknown API paths get a JSON 404, never the
/// app's HTML.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(health::router())
        .merge(openapi::router())
        .merge(catalog::router())
        .merge(session::router())
        .merge(renewals::router())
        .merge(cart::router())
        .merge(orders::router())
        .merge(password::router())
        .merge(account::router())
        .merge(access_requests::router())
        .merge(saved_carts::router())
        .merge(quote_requests::router())
        .merge(desk::router())
        .merge(fulfilment::router())
        .merge(site_users::router())
        .layer(axum::middleware::from_fn_with_state(
            crate::MAX_BODY_BYTES,
            crate::body_limit::refuse_announced_oversize,
        ))
        // Uploads have a larger limit of their own.
        .merge(po_documents::router())
        .fallback(|| async { ApiError::NotFound("API endpoint") })
}

/// The API at `/api/v1`, and its OpenAPI document read from the same routes.
pub fn api_router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut document) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .nest("/api/v1", api())
        .split_for_parts();
    openapi::document_common_errors(&mut document);
    // A method a route does not take (TRACE, or GET on a POST route) is answered in the API's shape.
    (
        router.method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed }),
        document,
    )
}

/// The OpenAPI document of the API, built once.
pub static DOCUMENT: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(|| api_router().1);
