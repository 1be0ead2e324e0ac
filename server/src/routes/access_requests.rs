//! Access requests: a signed-in user asks for access to a site by its customer number; the site's
//! primary contacts are mailed and decide (in the desk). The user sees their own requests.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use entitle_core::dto::{AccessRequestView, CreateAccessRequest, ErrorBody, Role};
use sqlx::Row;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiJson, ApiResult};

/// The access-request routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/access-requests", get(mine).post(create))
}

/// The columns [`view`] reads (plus the site and requester ids the primary contact's routes need).
pub(crate) const SELECT: &str = "SELECT r.id, r.message, r.status, r.created_at, r.site_id, r.user_id, s.customer_number, s.name AS site_name, u.email \
    FROM access_requests r JOIN sites s ON s.id = r.site_id JOIN users u ON u.id = r.user_id";

/// An access request as its requester and the primary contact see it.
pub(crate) fn view(r: &sqlx::any::AnyRow) -> ApiResult<AccessRequestView> {
    Ok(AccessRequestView {
        id: r.try_get("id")?,
        customer_number: r.try_get("customer_number")?,
        site_name: r.try_get("site_name")?,
        requester_email: r.try_get("email")?,
        message: r.try_get("message")?,
        status: r.try_get("status")?,
        created_at: r.try_get("created_at")?,
    })
}

#[utoipa::path(get, path = "/api/v1/access-requests", tag = "session", security(("session" = [])),
    responses((status = 200, description = "the user's own requests", body = Vec<AccessRequestView>), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<ApiJson<Vec<AccessRequestView>>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE r.user_id = $1 ORDER BY r.created_at DESC, r.id DESC"
    ))
    .bind(user.id)
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter()
        .map(view)
        .collect::<ApiResult<Vec<_>>>()
        .map(ApiJson)
}

#[utoipa::path(post, path = "/api/v1/access-requests", tag = "session", security(("session" = [], "csrf" = [])),
    request_body = CreateAccessRequest,
    responses((status = 201, body = AccessRequestView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "access held or already requested", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<CreateAccessRequest>,
) -> ApiResult<(StatusCode, ApiJson<AccessRequestView>)> {
    if user.role != Role::Customer {
        return Err(ApiError::Forbidden);
    }
    let message = crate::error::checked_text(
        "message",
        entitle_core::validation::TextField::AccessMessage,
        &req.message,
    )?;
    let message = message.as_str();
    let customer_number = entitle_core::validation::CustomerNumber::parse(&req.customer_number)
        .map_err(|e| ApiError::field("customer_number", e.code(), e.to_string()))?;
    let customer_number = customer_number.as_str();
    let site = sqlx::query("SELECT id, name FROM sites WHERE customer_number = $1")
        .bind(customer_number)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or(ApiError::NotFound("site"))?;
    let site_id: i64 = site.try_get("id")?;
    let held: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM site_access WHERE user_id = $1 AND site_id = $2")
            .bind(user.id)
            .bind(site_id)
            .fetch_one(&state.db.pool)
            .await?;
    if held > 0 {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::AccessHeld,
            message: "you already have access to this site".into(),
        });
    }
    let now = state.clock.now_unix();
    let mut tx = state.db.begin_write().await?;
    let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM access_requests WHERE user_id = $1 AND site_id = $2 AND status = 'pending'")
        .bind(user.id)
        .bind(site_id)
        .fetch_one(&mut *tx)
        .await?;
    if pending > 0 {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::AccessPending,
            message: "your request for this site is waiting for its primary contact".into(),
        });
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO access_requests (user_id, site_id, message, status, created_at) VALUES ($1, $2, $3, 'pending', $4) RETURNING id",
    )
    .bind(user.id)
    .bind(site_id)
    .bind(message)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let primaries: Vec<String> = sqlx::query_scalar(
        "SELECT u.email FROM site_access a JOIN users u ON u.id = a.user_id WHERE a.site_id = $1 AND a.is_primary = 1 ORDER BY u.email",
    )
    .bind(site_id)
    .fetch_all(&mut *tx)
    .await?;
    let site_name: String = site.try_get("name")?;
    for to in primaries {
        crate::db::journal::queue_mail(&mut tx, now, "access_request", to, format!("Access request for {site_name} ({customer_number})"), format!(
                "{} ({}) asks for access to site {site_name} ({customer_number}).\n\nMessage: {}\n\nAs the site's primary contact, approve or reject it and set the privileges in Entitle (choose this site first):\n\n{}/site-users\n",
                user.name,
                user.email,
                if message.is_empty() { "(none)" } else { message },
                state.public_url.trim_end_matches('/')
            )).await?;
    }
    tx.commit().await?;
    let r = sqlx::query(&format!("{SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_one(&state.db.pool)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(view(&r)?)))
}
