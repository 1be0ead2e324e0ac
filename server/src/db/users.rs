//! Accounts: credentials and password-reset tokens (stored only as hashes).

use entitle_core::dto::Role;
use entitle_core::locale::Locale;
use sqlx::AnyConnection;

use super::error::{DbError, DbResult};

/// What sign-in checks for an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    /// The user's id.
    pub id: i64,
    /// The user's name.
    pub name: String,
    /// The Argon2 hash.
    pub password_hash: String,
}

/// An account's identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: i64,
    /// E-mail (the account key).
    pub email: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
}

#[derive(Debug, sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    name: String,
    role: String,
}

impl TryFrom<UserRow> for User {
    type Error = DbError;

    fn try_from(r: UserRow) -> DbResult<User> {
        Ok(User {
            role: Role::from_code(&r.role).ok_or_else(|| DbError::corrupt("role", &r.role))?,
            id: r.id,
            email: r.email,
            name: r.name,
        })
    }
}

/// The account with e-mail `email` (already in its account-key form).
///
/// # Errors
/// Database errors.
pub async fn credentials(conn: &mut AnyConnection, email: &str) -> DbResult<Option<Credentials>> {
    Ok(
        sqlx::query_as("SELECT id, name, password_hash FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(conn)
            .await?,
    )
}

/// One account.
///
/// # Errors
/// Database errors; a stored role that is not one.
pub async fn get(conn: &mut AnyConnection, id: i64) -> DbResult<Option<User>> {
    let row: Option<UserRow> =
        sqlx::query_as("SELECT id, email, name, role FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    row.map(User::try_from).transpose()
}

/// The language stored for the account with e-mail `email` (any case), if there is one; `None` for an
/// address that is no account.
///
/// # Errors
/// Database errors.
pub async fn locale_of(conn: &mut AnyConnection, email: &str) -> DbResult<Option<Locale>> {
    let key = entitle_core::validation::Email::account_key(email);
    let stored: Option<String> = sqlx::query_scalar("SELECT locale FROM users WHERE email = $1")
        .bind(key)
        .fetch_optional(conn)
        .await?;
    // A tag this build does not speak (a language removed) reads as English, not as an error.
    Ok(stored.map(|t| t.parse().unwrap_or_default()))
}

/// The language `id` chose, if they ever chose one (else the app stores the one it showed them).
///
/// # Errors
/// Database errors.
pub async fn chosen_locale(conn: &mut AnyConnection, id: i64) -> DbResult<Option<Locale>> {
    let row: Option<(String, Option<i64>)> =
        sqlx::query_as("SELECT locale, locale_set_at FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row
        .filter(|(_, set)| set.is_some())
        .map(|(tag, _)| tag.parse().unwrap_or_default()))
}

/// Stores `locale` as `id`'s language at `at`.
///
/// # Errors
/// Database errors.
pub async fn set_locale(
    conn: &mut AnyConnection,
    id: i64,
    locale: Locale,
    at: i64,
) -> DbResult<()> {
    sqlx::query("UPDATE users SET locale = $1, locale_set_at = $2 WHERE id = $3")
        .bind(locale.tag())
        .bind(at)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets a new password hash.
///
/// # Errors
/// Database errors.
pub async fn set_password(conn: &mut AnyConnection, id: i64, password_hash: &str) -> DbResult<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores a reset token's hash for `user_id`, usable until `expires_at`.
///
/// # Errors
/// Database errors.
pub async fn insert_reset(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: i64,
    at: i64,
    expires_at: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(at)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The account a reset token is for, while it is unused and unexpired at `now`.
///
/// # Errors
/// Database errors.
pub async fn reset_owner(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> DbResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?)
}

/// Ends every unused reset token of `user_id` (one was just used).
///
/// # Errors
/// Database errors.
pub async fn end_resets_of(conn: &mut AnyConnection, user_id: i64, at: i64) -> DbResult<()> {
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(at)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks a reset token used; false when it already was.
///
/// # Errors
/// Database errors.
pub async fn use_reset(conn: &mut AnyConnection, token_hash: &str, at: i64) -> DbResult<bool> {
    let used = sqlx::query(
        "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
    )
    .bind(at)
    .bind(token_hash)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(used == 1)
}
