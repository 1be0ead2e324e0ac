//! Sign-in sessions, stored by the hash of their token.

use entitle_core::dto::Role;
use sqlx::AnyConnection;

use super::error::{DbError, DbResult};
use super::users::User;

/// A stored session with its user.
#[derive(Debug, Clone)]
pub struct Session {
    /// Whose.
    pub user: User,
    /// The token the browser must echo on changes.
    pub csrf_token: String,
    /// Last request (unix seconds), for the idle limit.
    pub last_seen_at: i64,
    /// The absolute end (unix seconds).
    pub expires_at: i64,
}

#[derive(Debug, sqlx::FromRow)]
struct SessionRow {
    user_id: i64,
    csrf_token: String,
    last_seen_at: i64,
    expires_at: i64,
    email: String,
    name: String,
    role: String,
}

impl TryFrom<SessionRow> for Session {
    type Error = DbError;

    fn try_from(r: SessionRow) -> DbResult<Session> {
        Ok(Session {
            user: User {
                id: r.user_id,
                role: Role::from_code(&r.role).ok_or_else(|| DbError::corrupt("role", &r.role))?,
                email: r.email,
                name: r.name,
            },
            csrf_token: r.csrf_token,
            last_seen_at: r.last_seen_at,
            expires_at: r.expires_at,
        })
    }
}

/// The session whose token hashes to `token_hash`.
///
/// # Errors
/// Database errors; a stored role that is not one.
pub async fn find(conn: &mut AnyConnection, token_hash: &str) -> DbResult<Option<Session>> {
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT s.user_id, s.csrf_token, s.last_seen_at, s.expires_at, u.email, u.name, u.role \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?;
    row.map(Session::try_from).transpose()
}

/// Starts a session, sweeping the user's expired ones.
///
/// # Errors
/// Database errors.
pub async fn start(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: i64,
    csrf_token: &str,
    at: i64,
    expires_at: i64,
) -> DbResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
        .bind(user_id)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(csrf_token)
    .bind(at)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records activity on the session at `at`.
///
/// # Errors
/// Database errors.
pub async fn touch(conn: &mut AnyConnection, token_hash: &str, at: i64) -> DbResult<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(at)
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends one session.
///
/// # Errors
/// Database errors.
pub async fn end(conn: &mut AnyConnection, token_hash: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user.
///
/// # Errors
/// Database errors.
pub async fn end_all_of(conn: &mut AnyConnection, user_id: i64) -> DbResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user but the one with `keep` (its token hash).
///
/// # Errors
/// Database errors.
pub async fn end_others_of(conn: &mut AnyConnection, user_id: i64, keep: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(conn)
        .await?;
    Ok(())
}
