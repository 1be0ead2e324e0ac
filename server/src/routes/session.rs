//! Sign-in, the current session, and sign-out.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse};
use axum::routing::post;
use entitle_core::dto::{SessionInfo, SignInRequest};
use sqlx::Row;

use crate::AppState;
use crate::auth::{self, CurrentUser, DUMMY_HASH};
use crate::db::access;
use crate::error::{ApiError, ApiJson, ApiResult};
use entitle_core::dto::ErrorBody;

/// The session routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/session", post(sign_in).get(current).delete(sign_out))
}

async fn session_info(state: &AppState, user: &CurrentUser) -> ApiResult<SessionInfo> {
    let sites = access::sites_of(&state.db.pool, user.id).await?;
    Ok(SessionInfo {
        email: user.email.clone(),
        name: user.name.clone(),
        role: user.role,
        csrf_token: user.csrf_token.clone(),
        sites: sites.into_iter().map(|s| s.summary).collect(),
        today: state.clock.today(),
    })
}

/// Verifies a password off the async threads: argon2 takes tens of milliseconds of CPU on purpose.
async fn verify(password: String, hash: String) -> ApiResult<bool> {
    tokio::task::spawn_blocking(move || crate::password::verify(&password, &hash))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))
}

#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = SignInRequest, responses((status = 200, description = "signed in; sets the entitle_session cookie", body = SessionInfo), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody), (status = 423, description = "locked after repeated failures", body = ErrorBody)))]
#[tracing::instrument(skip(state, headers, req), fields(email = %req.email))]
async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<SignInRequest>,
) -> ApiResult<impl IntoResponse> {
    let email = entitle_core::validation::Email::account_key(&req.email);
    if email.is_empty() {
        return Err(ApiError::field(
            "email",
            "field.required",
            "enter your e-mail address",
        ));
    }
    if req.password.is_empty() {
        return Err(ApiError::field(
            "password",
            "field.required",
            "enter your password",
        ));
    }
    let now = state.clock.now_unix();
    let row = sqlx::query("SELECT id, password_hash, locked_until FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&state.db.pool)
        .await?;
    let Some(row) = row else {
        // Same work as for a real account, so timing does not tell which e-mails exist.
        verify(req.password, DUMMY_HASH.clone()).await?;
        return Err(ApiError::InvalidCredentials);
    };
    let user_id: i64 = row.try_get("id")?;
    let locked_until: Option<i64> = row.try_get("locked_until")?;
    if let Some(until) = locked_until.filter(|u| *u > now) {
        return Err(ApiError::Locked {
            minutes: (until - now + 59) / 60,
        });
    }
    if !verify(req.password, row.try_get("password_hash")?).await? {
        let failed: i64 = sqlx::query_scalar(
            "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
        )
        .bind(user_id)
        .fetch_one(&state.db.pool)
        .await?;
        if failed >= state.auth.max_failed {
            sqlx::query("UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2")
                .bind(now + state.auth.lock_secs)
                .bind(user_id)
                .execute(&state.db.pool)
                .await?;
            tracing::warn!(user_id, "account locked after repeated failed sign-ins");
            return Err(ApiError::Locked {
                minutes: state.auth.lock_secs / 60,
            });
        }
        return Err(ApiError::InvalidCredentials);
    }
    let token = auth::new_token();
    let csrf = auth::new_token();
    let mut tx = state.db.begin_write().await?;
    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    // Expired sessions of this user are swept at each sign-in.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(auth::token_hash(&token))
    .bind(user_id)
    .bind(&csrf)
    .bind(now)
    .bind(now + state.auth.absolute_secs)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let user: CurrentUser = {
        let r = sqlx::query("SELECT email, name, role FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&state.db.pool)
            .await?;
        let role: String = r.try_get("role")?;
        CurrentUser {
            id: user_id,
            email: r.try_get("email")?,
            name: r.try_get("name")?,
            role: entitle_core::dto::Role::from_code(&role)
                .ok_or_else(|| ApiError::Internal(role.clone()))?,
            csrf_token: csrf,
            token_hash: String::new(),
        }
    };
    let info = session_info(&state, &user).await?;
    let cookie = auth::session_cookie(&token, state.auth.absolute_secs, &headers);
    Ok((
        StatusCode::OK,
        AppendHeaders([(header::SET_COOKIE, cookie)]),
        ApiJson(info),
    ))
}

#[utoipa::path(get, path = "/api/v1/session", tag = "session", security(("session" = [])), responses((status = 200, body = SessionInfo), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn current(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<ApiJson<SessionInfo>> {
    Ok(ApiJson(session_info(&state, &user).await?))
}

#[utoipa::path(delete, path = "/api/v1/session", tag = "session", security(("session" = [], "csrf" = [])), responses((status = 204, description = "signed out"), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn sign_out(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<impl IntoResponse> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(&user.token_hash)
        .execute(&state.db.pool)
        .await?;
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(header::SET_COOKIE, auth::clear_cookie())]),
    ))
}
