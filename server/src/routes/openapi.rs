//! The OpenAPI 3.1 document of `/api/v1`, generated from the handlers' annotations and the `entitle-core`
//! types, served at `/api/v1/openapi.json`.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::AppState;
use crate::routes::{
    access_requests, cart, catalog, desk, fulfilment, health, orders, password, po_documents,
    quote_requests, renewals, saved_carts, session, site_users,
};

/// The API document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Entitle API",
        description = "Buy licences and renew Subscription & Support. Every error has the shape \
            `{\"error\": {\"code\", \"message\", \"fields\"?}}`. Changes made with the session cookie must \
            send the session's CSRF token in `X-CSRF-Token`."
    ),
    paths(
        health::health,
        catalog::search, catalog::part, catalog::categories,
        session::sign_in, session::current, session::sign_out,
        password::request, password::confirm,
        access_requests::mine, access_requests::create,
        renewals::list, renewals::export_csv, renewals::detail, renewals::choose_channel, renewals::set_auto_renew, renewals::coverage,
        cart::view, cart::add_line, cart::add_renewal, cart::update_line, cart::delete_line,
        saved_carts::list, saved_carts::save, saved_carts::open, saved_carts::remove,
        quote_requests::list, quote_requests::detail, quote_requests::create, quote_requests::accept, quote_requests::decline,
        orders::options, orders::place, orders::recent, orders::by_reference, orders::receipt,
        po_documents::upload, po_documents::download,
        desk::change_requests, desk::reissue, quote_requests::desk_list, quote_requests::send_quote,
        fulfilment::list, fulfilment::change_status, desk::audit_log,
        site_users::site_requests, site_users::decide, site_users::users, site_users::set_privileges,
        document,
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
pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(document))
}

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "health", responses((status = 200, description = "this document")))]
async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
