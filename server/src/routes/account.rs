//! The signed-in user's own security: change the password (the current one required), and — for
//! vendor staff — two-step verification: set up an authenticator, turn it off (not administrators,
//! who must keep it), and make new recovery codes. Every change asks for proof again (the password,
//! or a code from the new authenticator), is throttled like a sign-in, and goes to the audit log.

use axum::extract::State;
use axum::http::StatusCode;
use entitle_core::audit::AuditAction;
use entitle_core::dto::{
    ChangePasswordRequest, ConfirmSecondFactor, ErrorBody, ErrorCode, PasswordConfirmation,
    RecoveryCodes, Role, SecuritySettings, SetLanguage, TotpEnrolment,
};
use entitle_core::validation::{Explain as _, Password, SecondFactorCode};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::{ClientAddr, CurrentUser};
use crate::db::second_factor as mfa;
use crate::db::{journal, sessions, users};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::throttle::{self, Attempt};

/// The account routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(security))
        .routes(routes!(change_password))
        .routes(routes!(set_language))
        .routes(routes!(start_second_factor, turn_off_second_factor))
        .routes(routes!(confirm_second_factor))
        .routes(routes!(renew_recovery_codes))
}

/// Checks the signed-in user's password, throttled like a sign-in (claimed before the check).
async fn check_password(
    state: &AppState,
    user: &CurrentUser,
    client: Option<std::net::IpAddr>,
    field: &str,
    password: String,
) -> ApiResult<()> {
    state.client_limits.check(Attempt::PasswordCheck, client)?;
    let now = state.clock.now_unix();
    throttle::claim(&state.db, Attempt::PasswordCheck, &user.email, client, now).await??;
    let stored = users::credentials(&mut *state.db.acquire().await?, &user.email)
        .await?
        .ok_or(ApiError::Unauthorized)?
        .password_hash;
    if !crate::password::verify_bounded(password, stored).await {
        return Err(ApiError::field(
            field,
            "password.wrong",
            crate::locale::tx(
                "This is not your current password",
                "Ini bukan kata sandi Anda saat ini",
                "Das ist nicht Ihr aktuelles Passwort",
            ),
        ));
    }
    let mut conn = state.db.acquire_write().await?;
    throttle::succeeded(&mut conn, Attempt::PasswordCheck, &user.email, client).await?;
    Ok(())
}

/// Only vendor staff have two-step verification (customers get 403).
fn staff_only(user: &CurrentUser) -> ApiResult<()> {
    if user.role.is_staff() {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

#[utoipa::path(get, path = "/account/security", tag = "session", security(("session" = [])), responses(
    (status = 200, body = SecuritySettings), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn security(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<ApiJson<SecuritySettings>> {
    let mut conn = state.db.acquire().await?;
    let authenticator = mfa::authenticator(&mut conn, user.id).await?;
    Ok(ApiJson(SecuritySettings {
        second_factor_available: user.role.is_staff(),
        second_factor_required: user.role == Role::Admin,
        second_factor_enabled: authenticator.secret.is_some(),
        recovery_codes_left: mfa::recovery_codes_left(&mut conn, user.id).await?,
    }))
}

#[utoipa::path(put, path = "/account/language", tag = "session", security(("session" = [], "csrf" = [])),
    request_body = SetLanguage, responses(
    (status = 204, description = "stored: the session answer carries it, and mail and documents use it from now on"),
    (status = 400, description = "malformed request", body = ErrorBody),
    (status = 401, body = ErrorBody), (status = 422, description = "not a language Entitle speaks", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn set_language(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<SetLanguage>,
) -> ApiResult<StatusCode> {
    let now = state.clock.now_unix();
    users::set_locale(&mut *state.db.acquire().await?, user.id, req.locale, now).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/account/password", tag = "session", security(("session" = [], "csrf" = [])),
    request_body = ChangePasswordRequest, responses(
    (status = 204, description = "changed; every other session of the account ended, a notice mailed"),
    (status = 401, body = ErrorBody), (status = 422, description = "`current_password`: not the current one; `new_password`: too short, too common or unchanged", body = ErrorBody),
    (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn change_password(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    user: CurrentUser,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> ApiResult<StatusCode> {
    let locale = crate::locale::current();
    if req.current_password.is_empty() {
        return Err(ApiError::field(
            "current_password",
            "field.required",
            crate::locale::tx(
                "Enter your current password",
                "Masukkan kata sandi Anda saat ini",
                "Geben Sie Ihr aktuelles Passwort ein",
            ),
        ));
    }
    let new = Password::parse(&req.new_password)
        .map_err(|e| ApiError::field("new_password", e.code(), e.message(locale)))?;
    if req.new_password == req.current_password {
        return Err(ApiError::field(
            "new_password",
            "password.unchanged",
            crate::locale::tx(
                "Choose a password different from the current one",
                "Pilih kata sandi yang berbeda dari yang sekarang",
                "Wählen Sie ein anderes Passwort als das aktuelle",
            ),
        ));
    }
    check_password(
        &state,
        &user,
        client,
        "current_password",
        req.current_password,
    )
    .await?;
    let new_hash = crate::password::hash_bounded(new.expose().to_owned())
        .await
        .map_err(ApiError::Internal)?;
    let now = state.clock.now_unix();
    let mut tx = state.db.begin_write().await?;
    users::set_password(&mut tx, user.id, &new_hash).await?;
    users::end_resets_of(&mut tx, user.id, now).await?;
    // Whoever else was signed in with the old password is signed out; this browser stays.
    sessions::end_others_of(&mut tx, user.id, &user.token_hash).await?;
    journal::audit(
        &mut tx,
        now,
        Some(user.id),
        AuditAction::PasswordChanged,
        &user.email,
        "by the user, signed in",
    )
    .await?;
    journal::queue_mail(
        &mut tx,
        now,
        &user.email,
        &crate::letters::PasswordChanged {
            name: user.name.clone(),
            reset_link: format!("{}/reset-password", state.public_url.trim_end_matches('/')),
        },
        crate::locale::current(),
    )
    .await?;
    crate::db::commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/account/second-factor", tag = "session", security(("session" = [], "csrf" = [])), responses(
    (status = 200, description = "an authenticator to set up; confirm it with its first code", body = TotpEnrolment),
    (status = 401, body = ErrorBody), (status = 403, description = "customers do not use two-step verification", body = ErrorBody),
    (status = 409, description = "already on", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn start_second_factor(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<ApiJson<TotpEnrolment>> {
    staff_only(&user)?;
    let mut conn = state.db.acquire_write().await?;
    if mfa::authenticator(&mut conn, user.id)
        .await?
        .secret
        .is_some()
    {
        return Err(ApiError::Conflict {
            code: ErrorCode::MfaState,
            message: "two-step verification is on already".into(),
        });
    }
    let secret = crate::second_factor::new_secret();
    mfa::set_pending(&mut conn, user.id, Some(&secret)).await?;
    crate::second_factor::enrolment(&secret, &user.email)
        .map(ApiJson)
        .ok_or_else(|| ApiError::Internal("could not draw the enrolment".into()))
}

#[utoipa::path(post, path = "/account/second-factor/confirm", tag = "session", security(("session" = [], "csrf" = [])),
    request_body = ConfirmSecondFactor, responses(
    (status = 200, description = "on; the recovery codes to keep (shown once)", body = RecoveryCodes),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 409, description = "no authenticator being set up", body = ErrorBody),
    (status = 422, description = "`code`: not the app's current code", body = ErrorBody), (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn confirm_second_factor(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    user: CurrentUser,
    ApiJson(req): ApiJson<ConfirmSecondFactor>,
) -> ApiResult<ApiJson<RecoveryCodes>> {
    staff_only(&user)?;
    let locale = crate::locale::current();
    let code = SecondFactorCode::parse_totp(&req.code)
        .map_err(|e| ApiError::field("code", e.code(), e.message(locale)))?;
    let pending = mfa::authenticator(&mut *state.db.acquire().await?, user.id)
        .await?
        .pending_secret
        .ok_or(ApiError::Conflict {
            code: ErrorCode::MfaState,
            message: "start setting up an authenticator first".into(),
        })?;
    state.client_limits.check(Attempt::SecondFactor, client)?;
    let now = state.clock.now_unix();
    throttle::claim(&state.db, Attempt::SecondFactor, &user.email, client, now).await??;
    let Some(step) = crate::second_factor::accept(&pending, &code, now, None) else {
        let mut tx = state.db.begin_write().await?;
        journal::audit(
            &mut tx,
            now,
            Some(user.id),
            AuditAction::MfaFailed,
            &user.email,
            "confirming a new authenticator",
        )
        .await?;
        crate::db::commit(tx).await?;
        return Err(ApiError::field(
            "code",
            ErrorCode::MfaInvalidCode.as_str(),
            ErrorCode::MfaInvalidCode.message(locale),
        ));
    };
    let (shown, hashes) = crate::second_factor::new_recovery_codes();
    let mut tx = state.db.begin_write().await?;
    mfa::enable(&mut tx, user.id, &pending, step, &hashes, now).await?;
    throttle::succeeded(&mut tx, Attempt::SecondFactor, &user.email, client).await?;
    journal::audit(
        &mut tx,
        now,
        Some(user.id),
        AuditAction::MfaEnabled,
        &user.email,
        "from the account page",
    )
    .await?;
    crate::db::commit(tx).await?;
    Ok(ApiJson(RecoveryCodes { codes: shown }))
}

#[utoipa::path(delete, path = "/account/second-factor", tag = "session", security(("session" = [], "csrf" = [])),
    request_body = PasswordConfirmation, responses(
    (status = 204, description = "off; the key and recovery codes are forgotten"),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 409, description = "`mfa.required`: administrators keep it on", body = ErrorBody),
    (status = 422, description = "`password`: not the current one", body = ErrorBody), (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn turn_off_second_factor(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    user: CurrentUser,
    ApiJson(req): ApiJson<PasswordConfirmation>,
) -> ApiResult<StatusCode> {
    staff_only(&user)?;
    if user.role == Role::Admin {
        return Err(ApiError::Conflict {
            code: ErrorCode::MfaRequired,
            message: ErrorCode::MfaRequired
                .message(entitle_core::locale::Locale::En)
                .into(),
        });
    }
    check_password(&state, &user, client, "password", req.password).await?;
    let now = state.clock.now_unix();
    let mut tx = state.db.begin_write().await?;
    mfa::disable(&mut tx, user.id).await?;
    journal::audit(
        &mut tx,
        now,
        Some(user.id),
        AuditAction::MfaDisabled,
        &user.email,
        "from the account page",
    )
    .await?;
    crate::db::commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/account/recovery-codes", tag = "session", security(("session" = [], "csrf" = [])),
    request_body = PasswordConfirmation, responses(
    (status = 200, description = "ten new codes (shown once); the old ones stop working", body = RecoveryCodes),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 409, description = "two-step verification is off", body = ErrorBody),
    (status = 422, description = "`password`: not the current one", body = ErrorBody), (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn renew_recovery_codes(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    user: CurrentUser,
    ApiJson(req): ApiJson<PasswordConfirmation>,
) -> ApiResult<ApiJson<RecoveryCodes>> {
    staff_only(&user)?;
    if mfa::authenticator(&mut *state.db.acquire().await?, user.id)
        .await?
        .secret
        .is_none()
    {
        return Err(ApiError::Conflict {
            code: ErrorCode::MfaState,
            message: "turn on two-step verification first".into(),
        });
    }
    check_password(&state, &user, client, "password", req.password).await?;
    let now = state.clock.now_unix();
    let (shown, hashes) = crate::second_factor::new_recovery_codes();
    let mut tx = state.db.begin_write().await?;
    mfa::replace_recovery_codes(&mut tx, user.id, &hashes).await?;
    journal::audit(
        &mut tx,
        now,
        Some(user.id),
        AuditAction::MfaRecoveryCodesRenewed,
        &user.email,
        "from the account page",
    )
    .await?;
    crate::db::commit(tx).await?;
    Ok(ApiJson(RecoveryCodes { codes: shown }))
}
