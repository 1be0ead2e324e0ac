//! A site's users, managed by its primary contact: the access requests for the site (approve with
//! privileges, or reject), and the privileges of every user of the site. Admins may act for any site.
//! Every decision and privilege change is in the audit log, and the requester is mailed the outcome.

use axum::extract::State;
use entitle_core::dto::{
    AccessRequestView, DecideAccessRequest, ErrorBody, Privileges, Role, SiteUserView,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::db::{access_requests, site_users};
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};

/// The site-user routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(site_requests))
        .routes(routes!(decide))
        .routes(routes!(users))
        .routes(routes!(set_privileges))
}

/// The site's id when the user is its primary contact (or an admin); 404 for a site they can't see,
/// 403 for one they use but don't manage.
async fn managed_site(
    conn: &mut sqlx::AnyConnection,
    user: &CurrentUser,
    customer_number: &str,
) -> ApiResult<i64> {
    let site = site_users::site_for_user(conn, user.id, customer_number.trim()).await?;
    match (user.role, site) {
        (Role::Admin, Some(s)) => Ok(s.site_id),
        (Role::Customer, Some(s)) if s.primary == Some(true) => Ok(s.site_id),
        (Role::Customer, Some(s)) if s.primary.is_some() => Err(ApiError::Forbidden),
        _ => Err(ApiError::NotFound("site")),
    }
}

#[utoipa::path(get, path = "/sites/{customer_number}/access-requests", tag = "sites", security(("session" = [])), params(("customer_number" = String, Path)), responses((status = 200, description = "pending requests first, then decided ones", body = Vec<AccessRequestView>), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not the site's primary contact", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn site_requests(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(customer_number): ApiPath<String>,
) -> ApiResult<ApiJson<Vec<AccessRequestView>>> {
    let mut conn = state.db.acquire().await?;
    let site_id = managed_site(&mut conn, &user, &customer_number).await?;
    let rows = access_requests::of_site(&mut conn, site_id).await?;
    Ok(ApiJson(rows.into_iter().map(|r| r.view()).collect()))
}

fn describe(p: &Privileges) -> String {
    let flag = |on: bool| if on { "yes" } else { "no" };
    format!(
        "buy/renew {}, quotes and renewals {}, orders {}",
        flag(p.buy),
        flag(p.view_quotes),
        flag(p.view_orders)
    )
}

#[utoipa::path(post, path = "/access-requests/{id}/decision", tag = "sites", security(("session" = [], "csrf" = [])), params(("id" = i64, Path)), request_body = DecideAccessRequest, responses((status = 200, description = "the decided request", body = AccessRequestView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not the site's primary contact", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "already decided", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<DecideAccessRequest>,
) -> ApiResult<ApiJson<AccessRequestView>> {
    let mut tx = state.db.begin_write().await?;
    let r = access_requests::get(&mut tx, id)
        .await?
        .ok_or(ApiError::NotFound("access request"))?;
    let customer_number = r.customer_number.clone();
    // A request for a number no site has reaches nobody, so nobody can decide it.
    let site_id = managed_site(&mut tx, &user, &customer_number).await?;
    if r.site_id != Some(site_id) {
        return Err(ApiError::NotFound("access request"));
    }
    let decided = r.is_pending()
        && access_requests::decide(
            &mut tx,
            &r,
            req.approve.then_some(req.privileges),
            user.id,
            state.clock.now_unix(),
        )
        .await?;
    if !decided {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::AccessDecided,
            message: "this request was already decided".into(),
        });
    }
    let (email, site_name) = (r.email.clone(), r.site_name.clone().unwrap_or_default());
    let detail = if req.approve {
        format!("{email}: {}", describe(&req.privileges))
    } else {
        email.clone()
    };
    crate::db::journal::audit(
        &mut tx,
        state.clock.now_unix(),
        Some(user.id),
        if req.approve {
            entitle_core::audit::AuditAction::AccessApproved
        } else {
            entitle_core::audit::AuditAction::AccessRejected
        },
        &customer_number,
        detail,
    )
    .await?;
    crate::db::journal::queue_mail(
        &mut tx,
        state.clock.now_unix(),
        &email,
        &crate::letters::AccessDecision {
            approved: req.approve,
            site: site_name.clone(),
            customer_number: customer_number.clone(),
            buy: req.privileges.buy,
            view_quotes: req.privileges.view_quotes,
            view_orders: req.privileges.view_orders,
            link: format!("{}/", state.public_url.trim_end_matches('/')),
        },
        crate::locale::current(),
    )
    .await?;
    crate::db::commit(tx).await?;
    let mut conn = state.db.acquire().await?;
    let decided = access_requests::get(&mut conn, id)
        .await?
        .ok_or(ApiError::NotFound("access request"))?;
    Ok(ApiJson(decided.view()))
}

#[utoipa::path(get, path = "/sites/{customer_number}/users", tag = "sites", security(("session" = [])), params(("customer_number" = String, Path)), responses((status = 200, body = Vec<SiteUserView>), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not the site's primary contact", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn users(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(customer_number): ApiPath<String>,
) -> ApiResult<ApiJson<Vec<SiteUserView>>> {
    let mut conn = state.db.acquire().await?;
    let site_id = managed_site(&mut conn, &user, &customer_number).await?;
    Ok(ApiJson(site_users::list(&mut conn, site_id).await?))
}

#[utoipa::path(put, path = "/sites/{customer_number}/users/{user_id}/privileges", tag = "sites", security(("session" = [], "csrf" = [])), params(("customer_number" = String, Path), ("user_id" = i64, Path)), request_body = Privileges, responses((status = 200, body = SiteUserView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not the site's primary contact", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "a primary contact's privileges are fixed", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn set_privileges(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((customer_number, user_id)): ApiPath<(String, i64)>,
    ApiJson(p): ApiJson<Privileges>,
) -> ApiResult<ApiJson<SiteUserView>> {
    let mut tx = state.db.begin_write().await?;
    let site_id = managed_site(&mut tx, &user, &customer_number).await?;
    let before = site_users::get(&mut tx, site_id, user_id)
        .await?
        .ok_or(ApiError::NotFound("user"))?;
    if before.primary {
        // A site always keeps a primary contact who can do everything; changing that is the vendor's job.
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::AccessPrimary,
            message: "a primary contact keeps every privilege".into(),
        });
    }
    site_users::set_privileges(&mut tx, site_id, user_id, p).await?;
    crate::db::journal::audit(
        &mut tx,
        state.clock.now_unix(),
        Some(user.id),
        entitle_core::audit::AuditAction::PrivilegesChanged,
        &customer_number,
        format!(
            "{}: {} → {}",
            before.email,
            describe(&before.privileges),
            describe(&p)
        ),
    )
    .await?;
    crate::db::commit(tx).await?;
    Ok(ApiJson(SiteUserView {
        privileges: p,
        ..before
    }))
}
