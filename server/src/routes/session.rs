//! Sign-in, the current session, and sign-out.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse};
use entitle_core::dto::{SessionInfo, SignInRequest};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::{self, ClientAddr, CurrentUser, DUMMY_HASH};
use crate::db::{access, sessions, users};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::throttle::{self, Attempt};
use entitle_core::dto::ErrorBody;

/// The session routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sign_in, current, sign_out))
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
    Ok(crate::password::verify_bounded(password, hash).await)
}

#[utoipa::path(post, path = "/session", tag = "session", request_body = SignInRequest, responses((status = 200, description = "signed in; sets the session cookie (`__Host-entitle_session`, or `entitle_session` over plain HTTP to localhost)", body = SessionInfo), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, description = "too many attempts for this e-mail address or from this client; `Retry-After` says when to try again", body = ErrorBody)))]
#[tracing::instrument(skip(state, req), fields(email = %req.email))]
async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(req): ApiJson<SignInRequest>,
) -> ApiResult<impl IntoResponse> {
    let email = entitle_core::validation::Email::account_key(&req.email);
    if email.is_empty() {
        return Err(ApiError::field(
            "email",
            "field.required",
            crate::locale::tx("Enter your e-mail address", "Masukkan alamat e-mail Anda"),
        ));
    }
    if req.password.is_empty() {
        return Err(ApiError::field(
            "password",
            "field.required",
            crate::locale::tx("Enter your password", "Masukkan kata sandi Anda"),
        ));
    }
    // Throttled before any password is hashed: per client address, then per e-mail address (claimed
    // as a failure before the check, so parallel guesses count). The same for addresses without an
    // account, so no answer tells which exist.
    state.client_limits.check(Attempt::SignIn, client)?;
    let now = state.clock.now_unix();
    throttle::claim(&state.db, Attempt::SignIn, &email, client, now).await??;
    let account = users::credentials(&mut *state.db.acquire().await?, &email).await?;
    let Some(account) = account else {
        // Same work as for a real account, so timing does not tell which e-mails exist.
        verify(req.password, DUMMY_HASH.clone()).await?;
        return Err(ApiError::InvalidCredentials);
    };
    let user_id = account.id;
    if !verify(req.password, account.password_hash).await? {
        return Err(ApiError::InvalidCredentials);
    }
    let token = auth::new_token();
    let csrf = auth::new_token();
    let mut tx = state.db.begin_write().await?;
    throttle::succeeded(&mut tx, Attempt::SignIn, &email, client).await?;
    sessions::start(
        &mut tx,
        &auth::token_hash(&token),
        user_id,
        &csrf,
        now,
        now + state.auth.absolute_secs,
    )
    .await?;
    crate::db::commit(tx).await?;
    let account = users::get(&mut *state.db.acquire().await?, user_id)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let user = CurrentUser {
        id: account.id,
        email: account.email,
        name: account.name,
        role: account.role,
        csrf_token: csrf,
        token_hash: String::new(),
    };
    let info = session_info(&state, &user).await?;
    let cookie = auth::session_cookie(&token, state.auth.absolute_secs, &state.auth);
    Ok((
        StatusCode::OK,
        AppendHeaders([(header::SET_COOKIE, cookie)]),
        ApiJson(info),
    ))
}

#[utoipa::path(get, path = "/session", tag = "session", security(("session" = [])), responses((status = 200, body = SessionInfo), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn current(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<ApiJson<SessionInfo>> {
    Ok(ApiJson(session_info(&state, &user).await?))
}

#[utoipa::path(delete, path = "/session", tag = "session", security(("session" = [], "csrf" = [])), responses((status = 204, description = "signed out"), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn sign_out(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<impl IntoResponse> {
    let mut conn = state.db.acquire().await?;
    sessions::end(&mut conn, &user.token_hash).await?;
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(header::SET_COOKIE, auth::clear_cookie(&state.auth))]),
    ))
}
