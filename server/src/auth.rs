//! Authentication: password sign-in, database-backed sessions in an `HttpOnly` cookie, lockout after
//! repeated failures, and CSRF protection for cookie-authenticated changes.
//!
//! Session tokens are 256 random bits; only their SHA-256 is stored. Every sign-in makes a new token.

use std::fmt::Write as _;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use entitle_core::dto::Role;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;

/// The session cookie's name.
pub const COOKIE: &str = "entitle_session";
/// The header carrying the CSRF token on changes.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Session and lockout rules (configuration).
#[derive(Debug, Clone, Copy)]
pub struct AuthSettings {
    /// A session unused for this long ends.
    pub idle_secs: i64,
    /// A session ends this long after sign-in, used or not.
    pub absolute_secs: i64,
    /// Failed sign-ins in a row that lock an account.
    pub max_failed: i64,
    /// How long a lock lasts.
    pub lock_secs: i64,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            idle_secs: 30 * 60,
            absolute_secs: 12 * 3600,
            max_failed: 10,
            lock_secs: 30 * 60,
        }
    }
}

/// A fresh random token, hex-encoded (256 bits).
#[must_use]
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The stored form of a token.
#[must_use]
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// The value of the session cookie in a request, if any.
#[must_use]
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == COOKIE && !v.is_empty()).then(|| v.to_owned())
        })
}

/// Whether cookies may omit `Secure`: only for plain HTTP to a loopback host during development.
fn plain_localhost(headers: &HeaderMap) -> bool {
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes() == b"https");
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let name = host.rsplit_once(':').map_or(host, |(h, _)| h);
    !forwarded_https && matches!(name, "localhost" | "127.0.0.1" | "[::1]")
}

/// `Set-Cookie` for a new session.
#[must_use]
pub fn session_cookie(token: &str, max_age: i64, request_headers: &HeaderMap) -> HeaderValue {
    let secure = if plain_localhost(request_headers) {
        ""
    } else {
        "; Secure"
    };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `Set-Cookie` that removes the session cookie.
#[must_use]
pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("entitle_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// User id.
    pub id: i64,
    /// E-mail.
    pub email: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// The stored hash of the session token.
    pub token_hash: String,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers).ok_or(ApiError::Unauthorized)?;
        let hash = token_hash(&token);
        let now = state.clock.now_unix();
        let mut conn = state.db.acquire().await?;
        let session = crate::db::sessions::find(&mut conn, &hash)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        let last_seen = session.last_seen_at;
        if now >= session.expires_at || now - last_seen >= state.auth.idle_secs {
            crate::db::sessions::end(&mut conn, &hash).await?;
            return Err(ApiError::Unauthorized);
        }
        let csrf_token = session.csrf_token;
        let changes = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if changes {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !constant_time_eq(sent.as_bytes(), csrf_token.as_bytes()) {
                return Err(ApiError::CsrfFailed);
            }
        }
        // Refresh the idle clock at most once a minute: most requests then write nothing.
        if now - last_seen >= 60 {
            crate::db::sessions::touch(&mut conn, &hash, now).await?;
        }
        Ok(CurrentUser {
            id: session.user.id,
            email: session.user.email,
            name: session.user.name,
            role: session.user.role,
            csrf_token,
            token_hash: hash,
        })
    }
}

/// The signed-in user, if any (for endpoints that serve visitors too). A bad or expired cookie counts as
/// signed out.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match CurrentUser::from_request_parts(parts, state).await {
            Ok(u) => Ok(MaybeUser(Some(u))),
            Err(ApiError::Unauthorized | ApiError::CsrfFailed) => Ok(MaybeUser(None)),
            Err(e) => Err(e),
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A PHC hash of a password nobody has, verified when the e-mail is unknown so both cases take as long.
pub static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| crate::password::hash("not-a-real-password").unwrap_or_default());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; entitle_session=abc; b=2"),
        );
        assert_eq!(session_token(&h).as_deref(), Some("abc"));
        h.insert(header::COOKIE, HeaderValue::from_static("entitle_session="));
        assert_eq!(session_token(&h), None);
    }

    #[test]
    fn cookies_are_secure_except_over_plain_http_to_localhost() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:3000"));
        let c = session_cookie("t", 60, &h);
        assert!(!c.to_str().unwrap().contains("Secure"));
        assert!(c.to_str().unwrap().contains("HttpOnly; SameSite=Lax"));
        h.insert(header::HOST, HeaderValue::from_static("portal.example.com"));
        assert!(
            session_cookie("t", 60, &h)
                .to_str()
                .unwrap()
                .ends_with("; Secure")
        );
        h.insert(header::HOST, HeaderValue::from_static("localhost:3000"));
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(
            session_cookie("t", 60, &h)
                .to_str()
                .unwrap()
                .ends_with("; Secure")
        );
    }

    #[test]
    fn tokens_are_256_bits_and_stored_hashed() {
        let t = new_token();
        assert_eq!(t.len(), 64);
        assert_ne!(t, new_token());
        assert_eq!(token_hash(&t).len(), 64);
        assert_ne!(token_hash(&t), t);
    }
}
