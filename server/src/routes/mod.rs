//! The `/api/v1` routes: one module per resource, merged here.

pub mod access_requests;
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

use axum::Router;

use crate::AppState;
use crate::error::ApiError;

/// Every API route; unknown API paths get a JSON 404, never the app's HTML.
pub fn api_router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(openapi::router())
        .merge(catalog::router())
        .merge(session::router())
        .merge(renewals::router())
        .merge(cart::router())
        .merge(orders::router())
        .merge(password::router())
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
