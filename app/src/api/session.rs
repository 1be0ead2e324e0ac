//! Signing in and out, password resets and access requests.

use super::*;

/// What the password step of signing in led to.
#[derive(Debug, Clone, PartialEq)]
pub enum SignInOutcome {
    /// Signed in.
    SignedIn(SessionInfo),
    /// The password is right; a code from the authenticator app is needed (or one to set up).
    SecondStep(SecondFactorChallenge),
}

/// Remembers a new session's CSRF token and the server's day.
fn adopt(info: &SessionInfo) {
    set_csrf(Some(info.csrf_token.clone()));
    crate::clock::agree_with_server(info.today);
}

/// Signs in with a password; remembers the CSRF token when that is all it takes.
///
/// # Errors
/// [`ApiError`]: 401 `invalid_credentials`, 429 `too_many_attempts`, 422 per field.
pub async fn sign_in(email: &str, password: &str) -> Result<SignInOutcome, ApiError> {
    let res = send_body(
        Request::post(&format!("{BASE}/session")),
        &SignInRequest {
            email: email.to_owned(),
            password: password.to_owned(),
        },
    )
    .await?;
    if res.status() == 202 {
        return Ok(SignInOutcome::SecondStep(read(res).await?));
    }
    let info: SessionInfo = read(res).await?;
    adopt(&info);
    Ok(SignInOutcome::SignedIn(info))
}

/// The second step of signing in: the challenge and a code (authenticator or recovery).
///
/// # Errors
/// [`ApiError`]: 401 `mfa.invalid_code` / `mfa.challenge_expired`, 422 `code`, 429.
pub async fn second_factor(challenge: &str, code: &str) -> Result<SecondFactorSignIn, ApiError> {
    let done: SecondFactorSignIn = send_json(
        Request::post(&format!("{BASE}/session/second-factor")),
        &SecondFactorRequest {
            challenge: challenge.to_owned(),
            code: code.to_owned(),
        },
    )
    .await?;
    adopt(&done.session);
    Ok(done)
}

/// The signed-in user's security settings.
///
/// # Errors
/// [`ApiError`].
pub async fn security_settings() -> Result<SecuritySettings, ApiError> {
    get("/account/security").await
}

/// Stores `locale` as the signed-in user's language (the screens on every device, and their mail).
///
/// # Errors
/// [`ApiError`].
pub async fn set_language(locale: entitle_core::locale::Locale) -> Result<(), ApiError> {
    no_content(
        send_body(
            Request::put(&format!("{BASE}/account/language")),
            &entitle_core::dto::SetLanguage { locale },
        )
        .await?,
    )
    .await
}

/// Changes the password (the current one required).
///
/// # Errors
/// [`ApiError`]: 422 `current_password` / `new_password`, 429.
pub async fn change_password(current: &str, new: &str) -> Result<(), ApiError> {
    post_no_reply(
        "/account/password",
        &ChangePasswordRequest {
            current_password: current.to_owned(),
            new_password: new.to_owned(),
        },
    )
    .await
}

/// Starts setting up an authenticator app.
///
/// # Errors
/// [`ApiError`]: 403 for customers, 409 when it is on already.
pub async fn start_second_factor() -> Result<TotpEnrolment, ApiError> {
    send_empty(Request::post(&format!("{BASE}/account/second-factor"))).await
}

/// Confirms the authenticator being set up with its first code; the recovery codes to keep.
///
/// # Errors
/// [`ApiError`]: 422 `code`, 409 nothing being set up.
pub async fn confirm_second_factor(code: &str) -> Result<RecoveryCodes, ApiError> {
    send_json(
        Request::post(&format!("{BASE}/account/second-factor/confirm")),
        &ConfirmSecondFactor {
            code: code.to_owned(),
        },
    )
    .await
}

/// Turns two-step verification off (not for administrators).
///
/// # Errors
/// [`ApiError`]: 422 `password`, 409 `mfa.required`.
pub async fn turn_off_second_factor(password: &str) -> Result<(), ApiError> {
    let res = send_body(
        Request::delete(&format!("{BASE}/account/second-factor")),
        &PasswordConfirmation {
            password: password.to_owned(),
        },
    )
    .await?;
    no_content(res).await
}

/// New recovery codes (the old ones stop working).
///
/// # Errors
/// [`ApiError`]: 422 `password`.
pub async fn renew_recovery_codes(password: &str) -> Result<RecoveryCodes, ApiError> {
    send_json(
        Request::post(&format!("{BASE}/account/recovery-codes")),
        &PasswordConfirmation {
            password: password.to_owned(),
        },
    )
    .await
}

/// The current session, or `None` when signed out.
///
/// # Errors
/// [`ApiError`] other than 401.
pub async fn current_session() -> Result<Option<SessionInfo>, ApiError> {
    let answer = get::<SessionInfo>("/session").await;
    match answer {
        Ok(info) => {
            adopt(&info);
            Ok(Some(info))
        }
        Err(e) if e.status() == Some(401) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Signs out.
///
/// # Errors
/// [`ApiError`].
pub async fn sign_out() -> Result<(), ApiError> {
    let res = with_csrf(Request::delete(&format!("{BASE}/session")))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    set_csrf(None);
    no_content(res).await
}

/// Asks for a password-reset link (the answer is the same whether or not the account exists).
///
/// # Errors
/// [`ApiError`].
pub async fn request_password_reset(email: &str) -> Result<(), ApiError> {
    post_no_reply(
        "/password-reset",
        &PasswordResetRequest {
            email: email.to_owned(),
        },
    )
    .await
}

/// Sets a new password with the token from the mailed link.
///
/// # Errors
/// [`ApiError`]: 422 for a weak password or a used/expired token.
pub async fn confirm_password_reset(token: &str, password: &str) -> Result<(), ApiError> {
    post_no_reply(
        "/password-reset/confirm",
        &PasswordResetConfirm {
            token: token.to_owned(),
            password: password.to_owned(),
        },
    )
    .await
}

/// The user's own access requests.
///
/// # Errors
/// [`ApiError`].
pub async fn access_requests() -> Result<Vec<AccessRequestView>, ApiError> {
    get("/access-requests").await
}

/// Asks a site's primary contact for access.
///
/// # Errors
/// [`ApiError`]: 404 unknown site, 409 already held or pending.
pub async fn request_access(customer_number: &str, message: &str) -> Result<(), ApiError> {
    post_no_reply(
        "/access-requests",
        &CreateAccessRequest {
            customer_number: customer_number.to_owned(),
            message: message.to_owned(),
        },
    )
    .await
}
