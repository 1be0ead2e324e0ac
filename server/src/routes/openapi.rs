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
    components(schemas(entitle_core::dto::CatalogSort, entitle_core::dto::ErrorBody)),
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
            // `entitle_session` when the server runs on plain HTTP to localhost (development).
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("__Host-entitle_session"))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-CSRF-Token"))),
        );
    }
}

/// The answers every operation of a kind may give besides its own, written into the document for each
/// operation that does not list them already:
/// - 400: a body that is not JSON or lacks the JSON content type, an unknown query parameter, text
///   with a NUL character — checked before any handler runs;
/// - 414: a URL over 8 KiB (`crate::error::MAX_URI_BYTES`);
/// - 401 and 403 where a session is required: no valid session; a change without the session's CSRF
///   token, or a role or privilege that does not allow it;
/// - 404 and 422 where the request names something (path or query parameters, a body): a site, quote,
///   order… that is not the user's, and fields that are well-formed JSON but not valid.
pub fn document_common_errors(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let error = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build()
            .into()
    };
    for item in doc.paths.paths.values_mut() {
        let path_params = item.parameters.as_ref().is_some_and(|p| !p.is_empty());
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let names_something = path_params
                || op.request_body.is_some()
                || op.parameters.as_ref().is_some_and(|p| !p.is_empty());
            let mut add = |status: &str, description: &str| {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| error(description));
            };
            add("400", "malformed request");
            add("414", "the URL is longer than 8 KiB");
            if secured {
                add("401", "no valid session");
                add(
                    "403",
                    "a change without the session's CSRF token, or not allowed for this user",
                );
            }
            if names_something {
                add(
                    "404",
                    "what the request names is not found, or not the user's",
                );
                add("422", "invalid fields");
            }
        }
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
