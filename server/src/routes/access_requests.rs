//! Access requests: a signed-in user asks for access to a site by its customer number; the site's
//! primary contacts are mailed and decide (in the desk). The user sees their own requests — the same
//! answer whatever the number, and no site name until approved. Throttled per requester.

use axum::extract::State;
use axum::http::StatusCode;
use entitle_core::dto::{AccessRequestView, CreateAccessRequest, ErrorBody, Role};
use entitle_core::validation::Explain as _;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::db::{access_requests, site_users};
use crate::error::{ApiError, ApiJson, ApiResult};

/// The access-request routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(mine, create))
}

#[utoipa::path(get, path = "/access-requests", tag = "session", security(("session" = [])),
    responses((status = 200, description = "the user's own requests", body = Vec<AccessRequestView>), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<ApiJson<Vec<AccessRequestView>>> {
    let mut conn = state.db.acquire().await?;
    let rows = access_requests::of_user(&mut conn, user.id).await?;
    Ok(ApiJson(
        rows.into_iter()
            .map(access_requests::AccessRequestRow::requester_view)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/access-requests", tag = "session", security(("session" = [], "csrf" = [])),
    request_body = CreateAccessRequest,
    responses((status = 201, description = "stored and waiting, whether or not a site has the number", body = AccessRequestView), (status = 401, body = ErrorBody),
        (status = 409, description = "access held or already requested", body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 429, description = "too many requests; `Retry-After` says when to try again", body = ErrorBody)))]
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
        .map_err(|e| {
            ApiError::field(
                "customer_number",
                e.code(),
                e.message(crate::locale::current()),
            )
        })?;
    let customer_number = customer_number.as_str();
    let now = state.clock.now_unix();
    let mut tx = state.db.begin_write().await?;
    // Throttled per requester (a few requests, then a growing wait), so nobody spams primary contacts.
    crate::throttle::claim_on(
        &mut tx,
        crate::throttle::Attempt::AccessRequest,
        &user.email,
        None,
        now,
    )
    .await??;
    // Whether a site has the number changes nothing in the answer: the request is stored and shown as
    // waiting either way, and only a real site's primary contacts hear of it.
    let site = site_users::site_by_number(&mut tx, customer_number).await?;
    if let Some((site_id, _)) = &site
        && site_users::has_access(&mut tx, user.id, *site_id).await?
    {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::AccessHeld,
            message: "you already have access to this site".into(),
        });
    }
    if access_requests::has_pending(&mut tx, user.id, customer_number).await? {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::AccessPending,
            message: "your request for this customer number is waiting for its primary contact"
                .into(),
        });
    }
    let id = access_requests::insert(
        &mut tx,
        user.id,
        customer_number,
        site.as_ref().map(|s| s.0),
        message,
        now,
    )
    .await?;
    if let Some((site_id, site_name)) = &site {
        let primaries = site_users::primary_emails(&mut tx, *site_id).await?;
        for to in primaries {
            crate::db::journal::queue_mail(
                &mut tx,
                now,
                to,
                &crate::letters::AccessRequested {
                    requester: user.name.clone(),
                    requester_email: user.email.clone(),
                    site: site_name.clone(),
                    customer_number: customer_number.to_owned(),
                    message: message.to_owned(),
                    link: format!("{}/site-users", state.public_url.trim_end_matches('/')),
                },
                crate::locale::current(),
            )
            .await?;
        }
    }
    crate::db::commit(tx).await?;
    let mut conn = state.db.acquire().await?;
    let created = access_requests::get(&mut conn, id)
        .await?
        .ok_or(ApiError::NotFound("access request"))?;
    Ok((StatusCode::CREATED, ApiJson(created.requester_view())))
}
