//! A site's users, managed by its primary contact: the access requests for the site (approve with
//! privileges, or reject), and the privileges of every user of the site. Admins may act for any site.
//! Every decision and privilege change is in the audit log, and the requester is mailed the outcome.

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post, put};
use entitle_core::dto::{
    AccessRequestView, DecideAccessRequest, ErrorBody, Privileges, Role, SiteUserView,
};
use sqlx::Row;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::routes::access_requests::{SELECT, view};

/// The site-user routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/sites/{customer_number}/access-requests",
            get(site_requests),
        )
        .route("/access-requests/{id}/decision", post(decide))
        .route("/sites/{customer_number}/users", get(users))
        .route(
            "/sites/{customer_number}/users/{user_id}/privileges",
            put(set_privileges),
        )
}

/// The site's id when the user is its primary contact (or an admin); 404 for a site they can't see,
/// 403 for one they use but don't manage.
async fn managed_site(
    conn: &mut sqlx::AnyConnection,
    user: &CurrentUser,
    customer_number: &str,
) -> ApiResult<i64> {
    let site: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT s.id, a.is_primary FROM sites s LEFT JOIN site_access a ON a.site_id = s.id AND a.user_id = $1 \
         WHERE s.customer_number = $2",
    )
    .bind(user.id)
    .bind(customer_number.trim())
    .fetch_optional(&mut *conn)
    .await?;
    match (user.role, site) {
        (Role::Admin, Some((id, _))) => Ok(id),
        (Role::Customer, Some((id, Some(1)))) => Ok(id),
        (Role::Customer, Some((_, Some(_)))) => Err(ApiError::Forbidden),
        _ => Err(ApiError::NotFound("site")),
    }
}

#[utoipa::path(get, path = "/api/v1/sites/{customer_number}/access-requests", tag = "sites", security(("session" = [])), params(("customer_number" = String, Path)), responses((status = 200, description = "pending requests first, then decided ones", body = Vec<AccessRequestView>), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not the site's primary contact", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn site_requests(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(customer_number): ApiPath<String>,
) -> ApiResult<ApiJson<Vec<AccessRequestView>>> {
    let mut conn = state.db.pool.acquire().await?;
    let site_id = managed_site(&mut conn, &user, &customer_number).await?;
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE r.site_id = $1 ORDER BY CASE WHEN r.status = 'pending' THEN 0 ELSE 1 END, r.created_at DESC, r.id DESC"
    ))
    .bind(site_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(view)
        .collect::<ApiResult<Vec<_>>>()
        .map(ApiJson)
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

#[utoipa::path(post, path = "/api/v1/access-requests/{id}/decision", tag = "sites", security(("session" = [], "csrf" = [])), params(("id" = i64, Path)), request_body = DecideAccessRequest, responses((status = 200, description = "the decided request", body = AccessRequestView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not the site's primary contact", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "already decided", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<DecideAccessRequest>,
) -> ApiResult<ApiJson<AccessRequestView>> {
    let mut tx = state.db.begin_write().await?;
    let r = sqlx::query(&format!("{SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(ApiError::NotFound("access request"))?;
    let customer_number: String = r.try_get("customer_number")?;
    let site_id = managed_site(&mut tx, &user, &customer_number).await?;
    if r.try_get::<String, _>("status")? != "pending" {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::AccessDecided,
            message: "this request was already decided".into(),
        });
    }
    let requester: i64 = r.try_get("user_id")?;
    let email: String = r.try_get("email")?;
    let site_name: String = r.try_get("site_name")?;
    let status = if req.approve { "approved" } else { "rejected" };
    sqlx::query(
        "UPDATE access_requests SET status = $1, decided_by = $2, decided_at = $3 WHERE id = $4 AND status = 'pending'",
    )
    .bind(status)
    .bind(user.id)
    .bind(state.clock.now_unix())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if req.approve {
        let p = req.privileges;
        sqlx::query(
            "INSERT INTO site_access (user_id, site_id, is_primary, can_buy, can_view_quotes, can_view_orders) \
             VALUES ($1, $2, 0, $3, $4, $5) ON CONFLICT (user_id, site_id) DO NOTHING",
        )
        .bind(requester)
        .bind(site_id)
        .bind(i64::from(p.buy))
        .bind(i64::from(p.view_quotes))
        .bind(i64::from(p.view_orders))
        .execute(&mut *tx)
        .await?;
    }
    let detail = if req.approve {
        format!("{email}: {}", describe(&req.privileges))
    } else {
        email.clone()
    };
    crate::db::journal::audit(
        &mut tx,
        state.clock.now_unix(),
        Some(user.id),
        format!("access.{}", if req.approve { "approve" } else { "reject" }),
        &customer_number,
        detail,
    )
    .await?;
    let body = if req.approve {
        format!(
            "Hello,\n\nyour request for access to site {site_name} ({customer_number}) was approved: {}.\n\nSign in to Entitle to start.\n",
            describe(&req.privileges)
        )
    } else {
        format!(
            "Hello,\n\nyour request for access to site {site_name} ({customer_number}) was not approved. Ask the site's primary contact if you think this is wrong.\n"
        )
    };
    crate::db::journal::queue_mail(
        &mut tx,
        state.clock.now_unix(),
        "access_decision",
        &email,
        format!("Access to {site_name} ({customer_number}) {status}"),
        body,
    )
    .await?;
    tx.commit().await?;
    let r = sqlx::query(&format!("{SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_one(&state.db.pool)
        .await?;
    Ok(ApiJson(view(&r)?))
}

fn user_view(r: &sqlx::any::AnyRow) -> ApiResult<SiteUserView> {
    let flag = |c: &str| r.try_get::<i64, _>(c).map(|v| v != 0);
    Ok(SiteUserView {
        user_id: r.try_get("id")?,
        email: r.try_get("email")?,
        name: r.try_get("name")?,
        primary: flag("is_primary")?,
        privileges: Privileges {
            buy: flag("can_buy")?,
            view_quotes: flag("can_view_quotes")?,
            view_orders: flag("can_view_orders")?,
        },
    })
}

const USERS: &str = "SELECT u.id, u.email, u.name, a.is_primary, a.can_buy, a.can_view_quotes, a.can_view_orders \
    FROM site_access a JOIN users u ON u.id = a.user_id";

#[utoipa::path(get, path = "/api/v1/sites/{customer_number}/users", tag = "sites", security(("session" = [])), params(("customer_number" = String, Path)), responses((status = 200, body = Vec<SiteUserView>), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not the site's primary contact", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn users(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(customer_number): ApiPath<String>,
) -> ApiResult<ApiJson<Vec<SiteUserView>>> {
    let mut conn = state.db.pool.acquire().await?;
    let site_id = managed_site(&mut conn, &user, &customer_number).await?;
    sqlx::query(&format!(
        "{USERS} WHERE a.site_id = $1 ORDER BY a.is_primary DESC, u.email"
    ))
    .bind(site_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(user_view)
    .collect::<ApiResult<Vec<_>>>()
    .map(ApiJson)
}

#[utoipa::path(put, path = "/api/v1/sites/{customer_number}/users/{user_id}/privileges", tag = "sites", security(("session" = [], "csrf" = [])), params(("customer_number" = String, Path), ("user_id" = i64, Path)), request_body = Privileges, responses((status = 200, body = SiteUserView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not the site's primary contact", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "a primary contact's privileges are fixed", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn set_privileges(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((customer_number, user_id)): ApiPath<(String, i64)>,
    ApiJson(p): ApiJson<Privileges>,
) -> ApiResult<ApiJson<SiteUserView>> {
    let mut tx = state.db.begin_write().await?;
    let site_id = managed_site(&mut tx, &user, &customer_number).await?;
    let target = sqlx::query(&format!("{USERS} WHERE a.site_id = $1 AND a.user_id = $2"))
        .bind(site_id)
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(ApiError::NotFound("user"))?;
    let before = user_view(&target)?;
    if before.primary {
        // A site always keeps a primary contact who can do everything; changing that is the vendor's job.
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::AccessPrimary,
            message: "a primary contact keeps every privilege".into(),
        });
    }
    sqlx::query(
        "UPDATE site_access SET can_buy = $1, can_view_quotes = $2, can_view_orders = $3 WHERE site_id = $4 AND user_id = $5",
    )
    .bind(i64::from(p.buy))
    .bind(i64::from(p.view_quotes))
    .bind(i64::from(p.view_orders))
    .bind(site_id)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    crate::db::journal::audit(
        &mut tx,
        state.clock.now_unix(),
        Some(user.id),
        "privileges.change",
        &customer_number,
        format!(
            "{}: {} → {}",
            before.email,
            describe(&before.privileges),
            describe(&p)
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(ApiJson(SiteUserView {
        privileges: p,
        ..before
    }))
}
