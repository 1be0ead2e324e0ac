//! Two-step verification records: each user's authenticator key and last accepted step, recovery
//! codes (hashes), and sign-ins waiting for their second step (`crate::second_factor` has the rules).

use sqlx::AnyConnection;

use super::error::{DbError, DbResult};

/// A user's authenticator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Authenticator {
    /// The confirmed key, when two-step verification is on.
    pub secret: Option<String>,
    /// The step of the last code accepted.
    pub last_step: Option<i64>,
    /// A key being set up from the account page.
    pub pending_secret: Option<String>,
}

/// The user's authenticator (all empty for an unknown user).
///
/// # Errors
/// Database errors.
pub async fn authenticator(conn: &mut AnyConnection, user_id: i64) -> DbResult<Authenticator> {
    let row: Option<(Option<String>, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT CASE WHEN totp_enabled_at IS NULL THEN NULL ELSE totp_secret END, totp_last_step, \
         totp_pending_secret FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map_or_else(
        Authenticator::default,
        |(secret, last_step, pending_secret)| Authenticator {
            secret,
            last_step,
            pending_secret,
        },
    ))
}

/// Records that a code of `step` was accepted, unless one of that step or later was already: false
/// then (a replay, or a parallel request that won).
///
/// # Errors
/// Database errors.
pub async fn take_step(conn: &mut AnyConnection, user_id: i64, step: i64) -> DbResult<bool> {
    Ok(sqlx::query(
        "UPDATE users SET totp_last_step = $1 WHERE id = $2 \
         AND (totp_last_step IS NULL OR totp_last_step < $1)",
    )
    .bind(step)
    .bind(user_id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Turns two-step verification on with `secret`, whose code of `step` was just accepted, and replaces
/// the recovery codes.
///
/// # Errors
/// Database errors.
pub async fn enable(
    conn: &mut AnyConnection,
    user_id: i64,
    secret: &str,
    step: i64,
    recovery_hashes: &[String],
    at: i64,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE users SET totp_secret = $1, totp_enabled_at = $2, totp_last_step = $3, \
         totp_pending_secret = NULL WHERE id = $4",
    )
    .bind(secret)
    .bind(at)
    .bind(step)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    replace_recovery_codes(conn, user_id, recovery_hashes).await
}

/// Turns two-step verification off and forgets the key and recovery codes.
///
/// # Errors
/// Database errors.
pub async fn disable(conn: &mut AnyConnection, user_id: i64) -> DbResult<()> {
    sqlx::query(
        "UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, \
         totp_pending_secret = NULL WHERE id = $1",
    )
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    replace_recovery_codes(conn, user_id, &[]).await
}

/// Keeps `secret` as the key being set up (or forgets it).
///
/// # Errors
/// Database errors.
pub async fn set_pending(
    conn: &mut AnyConnection,
    user_id: i64,
    secret: Option<&str>,
) -> DbResult<()> {
    sqlx::query("UPDATE users SET totp_pending_secret = $1 WHERE id = $2")
        .bind(secret)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Replaces the user's recovery codes with these hashes.
///
/// # Errors
/// Database errors.
pub async fn replace_recovery_codes(
    conn: &mut AnyConnection,
    user_id: i64,
    hashes: &[String],
) -> DbResult<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for hash in hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Uses up the recovery code with this hash: false when it is not one of the user's unused codes.
///
/// # Errors
/// Database errors.
pub async fn use_recovery_code(
    conn: &mut AnyConnection,
    user_id: i64,
    hash: &str,
    at: i64,
) -> DbResult<bool> {
    Ok(sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(at)
    .bind(user_id)
    .bind(hash)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Unused recovery codes of the user.
///
/// # Errors
/// Database errors.
pub async fn recovery_codes_left(conn: &mut AnyConnection, user_id: i64) -> DbResult<u32> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(conn)
    .await?;
    u32::try_from(n).map_err(|e| DbError::corrupt("recovery code count", e.to_string()))
}

/// A sign-in waiting for its second step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// Whose.
    pub user_id: i64,
    /// `verify` or `enrol`.
    pub step: String,
    /// The key being set up (enrolment).
    pub secret: Option<String>,
}

/// Starts a challenge.
///
/// # Errors
/// Database errors.
pub async fn start_challenge(
    conn: &mut AnyConnection,
    token_hash: &str,
    challenge: &Challenge,
    at: i64,
    expires_at: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO sign_in_challenges (token_hash, user_id, step, secret, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(challenge.user_id)
    .bind(&challenge.step)
    .bind(challenge.secret.as_deref())
    .bind(at)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Claims one attempt at the challenge: the challenge, if it is still open and had fewer than
/// `max_attempts` attempts (counted before the code is checked, so parallel guesses count too).
///
/// # Errors
/// Database errors.
pub async fn claim_attempt(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
    max_attempts: i64,
) -> DbResult<Option<Challenge>> {
    let claimed = sqlx::query(
        "UPDATE sign_in_challenges SET attempts = attempts + 1 \
         WHERE token_hash = $1 AND expires_at > $2 AND attempts < $3",
    )
    .bind(token_hash)
    .bind(now)
    .bind(max_attempts)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if claimed != 1 {
        return Ok(None);
    }
    let row: Option<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT user_id, step, secret FROM sign_in_challenges WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(user_id, step, secret)| Challenge {
        user_id,
        step,
        secret,
    }))
}

/// Ends a challenge (it succeeded).
///
/// # Errors
/// Database errors.
pub async fn end_challenge(conn: &mut AnyConnection, token_hash: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM sign_in_challenges WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}
