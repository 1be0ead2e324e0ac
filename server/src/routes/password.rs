//! Password reset by e-mailed link: ask for a link (always "accepted", so the answer does not tell which
//! e-mails have accounts), then set a new password with the link's token. Tokens are single-use, valid
//! for an hour and stored only as hashes; the mail's body (the only place the plain token is kept) is
//! erased once it is sent. Using one token ends every other token and every session of the account.
//! Requests are throttled per client address and per e-mail address (`crate::throttle`), and an
//! address without an account costs the same work as one with (the same transaction is committed).

use axum::extract::State;
use axum::http::StatusCode;
use entitle_core::dto::{PasswordResetConfirm, PasswordResetRequest};
use entitle_core::validation::Explain as _;
use entitle_core::validation::Password;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::{ClientAddr, new_token, token_hash};
use crate::db::{sessions, users};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::throttle::{self, Attempt};
use entitle_core::dto::ErrorBody;

/// How long a reset link works.
pub const RESET_TTL_SECS: i64 = 3600;

/// The password-reset routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request))
        .routes(routes!(confirm))
}

#[utoipa::path(post, path = "/password-reset", tag = "session", request_body = PasswordResetRequest, responses((status = 202, description = "a link is mailed if the account exists"), (status = 422, body = ErrorBody), (status = 429, description = "too many requests for this e-mail address or from this client; `Retry-After` says when to try again", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn request(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(req): ApiJson<PasswordResetRequest>,
) -> ApiResult<StatusCode> {
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
    if req.email.chars().count() > 254 {
        return Err(ApiError::field(
            "email",
            "field.too_long",
            crate::locale::tx(
                "An e-mail address has at most 254 characters",
                "Alamat email paling banyak 254 karakter",
                "Eine E-Mail-Adresse hat höchstens 254 Zeichen",
            ),
        ));
    }
    state.client_limits.check(Attempt::ResetRequest, client)?;
    let now = state.clock.now_unix();
    // One transaction whether or not the account exists: the throttle's count, then the token and mail.
    let mut tx = state.db.begin_write().await?;
    throttle::claim_on(&mut tx, Attempt::ResetRequest, &email, client, now).await??;
    let account = users::credentials(&mut tx, &email).await?;
    if let Some(account) = account {
        let token = new_token();
        users::insert_reset(
            &mut tx,
            &token_hash(&token),
            account.id,
            now,
            now + RESET_TTL_SECS,
        )
        .await?;
        crate::db::journal::queue_mail(
            &mut tx,
            now,
            &email,
            &crate::letters::PasswordReset {
                name: account.name.clone(),
                link: format!(
                    "{}/reset-password?token={token}",
                    state.public_url.trim_end_matches('/')
                ),
            },
            crate::locale::current(),
        )
        .await?;
    }
    crate::db::commit(tx).await?;
    Ok(StatusCode::ACCEPTED)
}

#[utoipa::path(post, path = "/password-reset/confirm", tag = "session", request_body = PasswordResetConfirm, responses((status = 204, description = "password changed; every session ended"), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn confirm(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<PasswordResetConfirm>,
) -> ApiResult<StatusCode> {
    let password = Password::parse(&req.password)
        .map_err(|e| ApiError::field("password", e.code(), e.message(crate::locale::current())))?;
    let now = state.clock.now_unix();
    let hash = token_hash(req.token.trim());
    let mut conn = state.db.acquire().await?;
    let user_id = users::reset_owner(&mut conn, &hash, now)
        .await?
        .ok_or_else(|| {
            ApiError::field(
                "token",
                "password_reset.invalid",
                crate::locale::tx(
                    "This reset link has expired or was already used; ask for a new one",
                    "Tautan ini sudah kedaluwarsa atau sudah dipakai; minta tautan baru",
                    "Dieser Link ist abgelaufen oder wurde bereits verwendet; fordern Sie einen neuen an",
                ),
            )
        })?;
    drop(conn);
    let secret = password.expose().to_owned();
    let new_hash = crate::password::hash_bounded(secret)
        .await
        .map_err(ApiError::Internal)?;
    let mut tx = state.db.begin_write().await?;
    if !users::use_reset(&mut tx, &hash, now).await? {
        return Err(ApiError::field(
            "token",
            "password_reset.invalid",
            crate::locale::tx(
                "This reset link was already used; ask for a new one",
                "Tautan ini sudah dipakai; minta tautan baru",
                "Dieser Link wurde bereits verwendet; fordern Sie einen neuen an",
            ),
        ));
    }
    users::set_password(&mut tx, user_id, &new_hash).await?;
    users::end_resets_of(&mut tx, user_id, now).await?;
    sessions::end_all_of(&mut tx, user_id).await?;
    crate::db::journal::audit(
        &mut tx,
        now,
        Some(user_id),
        entitle_core::audit::AuditAction::PasswordReset,
        user_id.to_string(),
        "by e-mailed link",
    )
    .await?;
    crate::db::commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
