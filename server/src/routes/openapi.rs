//! The OpenAPI 3.1 document of `/api/v1`, generated from the routes, the handlers' annotations and the
//! `entitle-core` types, served at `/api/v1/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// The API document's frame: its title, security schemes and tags. The paths come from the routes
/// themselves (see `routes::api_router`).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Entitle API",
        description = "Buy licences and renew Subscription & Support. Every error has the shape \
            `{\"error\": {\"code\", \"message\", \"fields\"?}}`. Changes made with the session cookie must \
            send the session's CSRF token in `X-CSRF-Token`."
    ),
    modifiers(&Security),
    tags(
        (name = "catalog", description = "Search the product catalog"),
        (name = "session", description = "Sign in, sign out, password reset"),
        (name = "renewals", description = "Renewal quotes and coverage"),
        (name = "cart", description = "Cart and saved carts"),
        (name = "quotes", description = "Quote requests"),
        (name = "orders", description = "Checkout and orders"),
        (name = "sites", description = "A site's users and access requests, managed by its primary contact"),
        (name = "desk", description = "The vendor's desk (staff only): change requests and re-issued renewal quotes, quote requests, order fulfilment"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("entitle_session"))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-CSRF-Token"))),
        );
    }
}

/// The document route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(document))
}

#[utoipa::path(get, path = "/openapi.json", tag = "health", responses((status = 200, description = "this document")))]
async fn document() -> Json<&'static utoipa::openapi::OpenApi> {
    Json(&super::DOCUMENT)
}
