//! Sign-in (password, then the second step when the account has or needs one), the current session,
//! and sign-out.
//!
//! A right password for an account with two-step verification answers `202` with a challenge instead
//! of a session: the session comes from `POST /session/second-factor` with the challenge and a code
//! from the authenticator app (or a recovery code). An administrator without an authenticator gets one
//! to set up in the same answer (`step: enrol`), and is signed in once its first code is confirmed —
//! administrators cannot sign in without the second factor. Every sign-in, failure and back-off goes
//! to the audit log.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Response};
use entitle_core::audit::AuditAction;
use entitle_core::dto::{
    ErrorCode, Role, SecondFactorChallenge, SecondFactorRequest, SecondFactorSignIn,
    SecondFactorStep, SessionInfo, SignInRequest,
};
use entitle_core::validation::{Explain as _, SecondFactorCode};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::{self, ClientAddr, CurrentUser, DUMMY_HASH};
use crate::db::second_factor::{self as mfa, Challenge};
use crate::db::{access, journal, sessions, users};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::second_factor::{CHALLENGE_ATTEMPTS, CHALLENGE_SECS};
use crate::throttle::{self, Attempt};
use entitle_core::dto::ErrorBody;

/// The session routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in, current, sign_out))
        .routes(routes!(second_factor))
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
        locale: users::chosen_locale(&mut *state.db.acquire().await?, user.id).await?,
    })
}

/// Verifies a password off the async threads: argon2 takes tens of milliseconds of CPU on purpose.
async fn verify(password: String, hash: String) -> ApiResult<bool> {
    Ok(crate::password::verify_bounded(password, hash).await)
}

/// Starts a session for `user_id` in `tx` and writes the sign-in to the audit log (`how` says with
/// what); returns the cookie token and the CSRF token.
async fn start_session(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    user_id: i64,
    email: &str,
    how: &str,
) -> ApiResult<(String, String)> {
    let now = state.clock.now_unix();
    let token = auth::new_token();
    let csrf = auth::new_token();
    sessions::start(
        tx,
        &auth::token_hash(&token),
        user_id,
        &csrf,
        now,
        now + state.auth.absolute_secs,
    )
    .await?;
    journal::audit(tx, now, Some(user_id), AuditAction::SignedIn, email, how).await?;
    Ok((token, csrf))
}

/// The signed-in answer's parts: the cookie to set and the session.
async fn signed_in(
    state: &AppState,
    user_id: i64,
    token: &str,
    csrf: String,
) -> ApiResult<(axum::http::HeaderValue, SessionInfo)> {
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
    let info = session_info(state, &user).await?;
    Ok((
        auth::session_cookie(token, state.auth.absolute_secs, &state.auth),
        info,
    ))
}

/// Records a failed sign-in (its own transaction: the request fails, the record stays).
async fn record_failure(
    state: &AppState,
    user_id: Option<i64>,
    action: AuditAction,
    subject: &str,
    detail: &str,
) {
    let written = async {
        let mut tx = state.db.begin_write().await?;
        journal::audit(
            &mut tx,
            state.clock.now_unix(),
            user_id,
            action,
            subject,
            detail,
        )
        .await?;
        crate::db::commit(tx).await
    }
    .await;
    if let Err(e) = written {
        tracing::error!(error = %e, "could not write a failed sign-in to the audit log");
    }
}

#[utoipa::path(post, path = "/session", tag = "session", request_body = SignInRequest, responses(
    (status = 200, description = "signed in; sets the session cookie (`__Host-entitle_session`, or `entitle_session` over plain HTTP to localhost)", body = SessionInfo),
    (status = 202, description = "the password is right and a second step is needed: send the challenge with a code to `/session/second-factor` (administrators without an authenticator get one to set up)", body = SecondFactorChallenge),
    (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
    (status = 429, description = "too many attempts for this e-mail address or from this client; `Retry-After` says when to try again", body = ErrorBody)))]
#[tracing::instrument(skip(state, req), fields(email = %req.email))]
async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(req): ApiJson<SignInRequest>,
) -> ApiResult<Response> {
    let email = entitle_core::validation::Email::account_key(&req.email);
    if email.is_empty() {
        return Err(ApiError::field(
            "email",
            "field.required",
            crate::locale::tx(
                "Enter your e-mail address",
                "Masukkan alamat email Anda",
                "Geben Sie Ihre E-Mail-Adresse ein",
            ),
        ));
    }
    if req.password.is_empty() {
        return Err(ApiError::field(
            "password",
            "field.required",
            crate::locale::tx(
                "Enter your password",
                "Masukkan kata sandi Anda",
                "Geben Sie Ihr Passwort ein",
            ),
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
        record_failure(
            &state,
            None,
            AuditAction::SignInFailed,
            &email,
            "no such account",
        )
        .await;
        return Err(ApiError::InvalidCredentials);
    };
    let user_id = account.id;
    if !verify(req.password, account.password_hash).await? {
        record_failure(
            &state,
            Some(user_id),
            AuditAction::SignInFailed,
            &email,
            "wrong password",
        )
        .await;
        return Err(ApiError::InvalidCredentials);
    }
    let role = users::get(&mut *state.db.acquire().await?, user_id)
        .await?
        .ok_or(ApiError::InvalidCredentials)?
        .role;
    let authenticator = mfa::authenticator(&mut *state.db.acquire().await?, user_id).await?;
    let mut tx = state.db.begin_write().await?;
    throttle::succeeded(&mut tx, Attempt::SignIn, &email, client).await?;
    let second_step = match (&authenticator.secret, role) {
        (Some(_), _) => Some((SecondFactorStep::Verify, None)),
        (None, Role::Admin) => Some((
            SecondFactorStep::Enrol,
            Some(crate::second_factor::new_secret()),
        )),
        (None, _) => None,
    };
    if let Some((step, secret)) = second_step {
        let challenge = auth::new_token();
        mfa::start_challenge(
            &mut tx,
            &auth::token_hash(&challenge),
            &Challenge {
                user_id,
                step: step_code(step).to_owned(),
                secret: secret.clone(),
            },
            now,
            now + CHALLENGE_SECS,
        )
        .await?;
        crate::db::commit(tx).await?;
        let enrolment = match secret {
            Some(secret) => Some(
                crate::second_factor::enrolment(&secret, &email)
                    .ok_or_else(|| ApiError::Internal("could not draw the enrolment".into()))?,
            ),
            None => None,
        };
        return Ok((
            StatusCode::ACCEPTED,
            ApiJson(SecondFactorChallenge {
                step,
                challenge,
                enrolment,
            }),
        )
            .into_response());
    }
    let (token, csrf) = start_session(&state, &mut tx, user_id, &email, "password").await?;
    crate::db::commit(tx).await?;
    let (cookie, info) = signed_in(&state, user_id, &token, csrf).await?;
    Ok((
        StatusCode::OK,
        AppendHeaders([(header::SET_COOKIE, cookie)]),
        ApiJson(info),
    )
        .into_response())
}

const fn step_code(step: SecondFactorStep) -> &'static str {
    match step {
        SecondFactorStep::Verify => "verify",
        SecondFactorStep::Enrol => "enrol",
    }
}

#[utoipa::path(post, path = "/session/second-factor", tag = "session", request_body = SecondFactorRequest, responses(
    (status = 200, description = "signed in; sets the session cookie. After an enrolment, the recovery codes to keep (shown once)", body = SecondFactorSignIn),
    (status = 401, description = "`mfa.invalid_code`: wrong or already used; `mfa.challenge_expired`: sign in again", body = ErrorBody),
    (status = 422, body = ErrorBody),
    (status = 429, description = "too many wrong codes for this account; `Retry-After` says when to try again", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn second_factor(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(req): ApiJson<SecondFactorRequest>,
) -> ApiResult<Response> {
    let code = SecondFactorCode::parse(&req.code)
        .map_err(|e| ApiError::field("code", e.code(), e.message(crate::locale::current())))?;
    state.client_limits.check(Attempt::SignIn, client)?;
    let now = state.clock.now_unix();
    let challenge_hash = auth::token_hash(&req.challenge);
    // The attempt is counted on the challenge before the code is checked.
    let challenge = {
        let mut conn = state.db.acquire_write().await?;
        mfa::claim_attempt(&mut conn, &challenge_hash, now, CHALLENGE_ATTEMPTS).await?
    }
    .ok_or(ApiError::SecondFactor(ErrorCode::MfaChallengeExpired))?;
    let user_id = challenge.user_id;
    let account = users::get(&mut *state.db.acquire().await?, user_id)
        .await?
        .ok_or(ApiError::SecondFactor(ErrorCode::MfaChallengeExpired))?;
    // And on the account, so new sign-ins do not buy more guesses.
    throttle::claim(
        &state.db,
        Attempt::SecondFactor,
        &account.email,
        client,
        now,
    )
    .await??;

    let mut tx = state.db.begin_write().await?;
    let mut recovery_codes = Vec::new();
    let accepted: Option<&str> = match (challenge.step.as_str(), &code) {
        ("enrol", SecondFactorCode::Totp(digits)) => {
            let secret = challenge.secret.clone().unwrap_or_default();
            match crate::second_factor::accept(&secret, digits, now, None) {
                Some(step) => {
                    let (shown, hashes) = crate::second_factor::new_recovery_codes();
                    mfa::enable(&mut tx, user_id, &secret, step, &hashes, now).await?;
                    journal::audit(
                        &mut tx,
                        now,
                        Some(user_id),
                        AuditAction::MfaEnabled,
                        &account.email,
                        "at sign-in",
                    )
                    .await?;
                    recovery_codes = shown;
                    Some("password and new authenticator")
                }
                None => None,
            }
        }
        ("verify", SecondFactorCode::Totp(digits)) => {
            let authenticator = mfa::authenticator(&mut tx, user_id).await?;
            match authenticator.secret.as_deref().and_then(|secret| {
                crate::second_factor::accept(secret, digits, now, authenticator.last_step)
            }) {
                Some(step) if mfa::take_step(&mut tx, user_id, step).await? => {
                    Some("password and authenticator")
                }
                _ => None,
            }
        }
        ("verify", SecondFactorCode::Recovery(normalised)) => {
            let hash = crate::second_factor::recovery_hash(normalised);
            if mfa::use_recovery_code(&mut tx, user_id, &hash, now).await? {
                journal::audit(
                    &mut tx,
                    now,
                    Some(user_id),
                    AuditAction::MfaRecoveryCodeUsed,
                    &account.email,
                    "at sign-in",
                )
                .await?;
                Some("password and recovery code")
            } else {
                None
            }
        }
        // A recovery code cannot confirm a new authenticator.
        _ => None,
    };
    let Some(how) = accepted else {
        drop(tx);
        record_failure(
            &state,
            Some(user_id),
            AuditAction::MfaFailed,
            &account.email,
            "at sign-in",
        )
        .await;
        return Err(ApiError::SecondFactor(ErrorCode::MfaInvalidCode));
    };
    mfa::end_challenge(&mut tx, &challenge_hash).await?;
    throttle::succeeded(&mut tx, Attempt::SecondFactor, &account.email, client).await?;
    let (token, csrf) = start_session(&state, &mut tx, user_id, &account.email, how).await?;
    crate::db::commit(tx).await?;
    let (cookie, session) = signed_in(&state, user_id, &token, csrf).await?;
    Ok((
        StatusCode::OK,
        AppendHeaders([(header::SET_COOKIE, cookie)]),
        ApiJson(SecondFactorSignIn {
            session,
            recovery_codes,
        }),
    )
        .into_response())
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
