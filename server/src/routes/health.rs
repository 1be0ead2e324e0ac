//! `GET /api/v1/health`: is the server up and does the database answer?

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use entitle_core::dto::Health;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// The health route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

#[utoipa::path(get, path = "/health", tag = "health", responses((status = 200, body = Health), (status = 503, description = "the database does not answer", body = Health)))]
async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let ok = state.db.ping().await;
    let body = Health {
        status: if ok { "ok" } else { "database_unavailable" }.to_owned(),
        database: state.db.backend.name().to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    (
        if ok {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        },
        Json(body),
    )
}
