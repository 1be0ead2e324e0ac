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

/// The session cookie's name over plain HTTP during development.
pub const COOKIE: &str = "entitle_session";
/// The session cookie's name when cookies are `Secure`: the `__Host-` prefix makes browsers refuse it
/// unless it is `Secure`, has `Path=/` and no `Domain`, so no subdomain or plain-HTTP page can set or
/// shadow it.
pub const SECURE_COOKIE: &str = "__Host-entitle_session";
/// The header carrying the CSRF token on changes.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Session rules (configuration).
#[derive(Debug, Clone, Copy)]
pub struct AuthSettings {
    /// A session unused for this long ends.
    pub idle_secs: i64,
    /// A session ends this long after sign-in, used or not.
    pub absolute_secs: i64,
    /// Cookies are `Secure` (and the session cookie `__Host-` prefixed) and answers carry HSTS. A
    /// setting, not guessed from each request's Host or `X-Forwarded-Proto`, which a plain reverse
    /// proxy does not set; the server turns it on unless its public URL is plain HTTP to localhost
    /// (`ENTITLE_SECURE_COOKIES`).
    pub secure: bool,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            idle_secs: 30 * 60,
            absolute_secs: 12 * 3600,
            secure: true,
        }
    }
}

impl AuthSettings {
    /// The session cookie's name under these settings.
    #[must_use]
    pub const fn cookie_name(&self) -> &'static str {
        if self.secure { SECURE_COOKIE } else { COOKIE }
    }
}

/// Whether `public_url` is plain HTTP to this machine (development), where `Secure` cookies would not
/// be sent back over HTTP by every browser.
#[must_use]
pub fn is_local_http(public_url: &str) -> bool {
    let Some(rest) = public_url.strip_prefix("http://") else {
        return false;
    };
    let host_port = rest.split('/').next().unwrap_or_default();
    let host = host_port
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host_port, |(h, _)| h);
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
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

/// The value of the session cookie `name` in a request, if any.
#[must_use]
pub fn session_token(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == name && !v.is_empty()).then(|| v.to_owned())
        })
}

/// `Set-Cookie` for a new session.
#[must_use]
pub fn session_cookie(token: &str, max_age: i64, settings: &AuthSettings) -> HeaderValue {
    let secure = if settings.secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        settings.cookie_name()
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `Set-Cookie` that removes the session cookie.
#[must_use]
pub fn clear_cookie(settings: &AuthSettings) -> HeaderValue {
    if settings.secure {
        HeaderValue::from_static(
            "__Host-entitle_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure",
        )
    } else {
        HeaderValue::from_static("entitle_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    }
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
        let token = session_token(&parts.headers, state.auth.cookie_name())
            .ok_or(ApiError::Unauthorized)?;
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
    fn the_session_cookie_is_found_among_others_by_its_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; entitle_session=abc; b=2"),
        );
        assert_eq!(session_token(&h, COOKIE).as_deref(), Some("abc"));
        assert_eq!(session_token(&h, SECURE_COOKIE), None);
        h.insert(header::COOKIE, HeaderValue::from_static("entitle_session="));
        assert_eq!(session_token(&h, COOKIE), None);
    }

    #[test]
    fn secure_cookies_are_a_setting_and_carry_the_host_prefix() {
        let secure = AuthSettings::default();
        let c = session_cookie("t", 60, &secure);
        let c = c.to_str().unwrap();
        assert!(
            c.starts_with("__Host-entitle_session=t; Path=/; HttpOnly; SameSite=Lax"),
            "{c}"
        );
        assert!(c.ends_with("; Secure"), "{c}");
        assert!(
            clear_cookie(&secure)
                .to_str()
                .unwrap()
                .starts_with("__Host-")
        );
        let plain = AuthSettings {
            secure: false,
            ..AuthSettings::default()
        };
        let c = session_cookie("t", 60, &plain);
        assert!(c.to_str().unwrap().starts_with("entitle_session=t;"));
        assert!(!c.to_str().unwrap().contains("Secure"));
    }

    #[test]
    fn only_plain_http_to_this_machine_counts_as_local() {
        for local in [
            "http://127.0.0.1:3000",
            "http://localhost",
            "http://localhost:8080/",
            "http://[::1]:3000",
        ] {
            assert!(is_local_http(local), "{local}");
        }
        for public in [
            "https://127.0.0.1:3000",
            "https://portal.example.com",
            "http://portal.example.com",
            "http://localhost.evil.example",
            "http://10.0.0.5:3000",
        ] {
            assert!(!is_local_http(public), "{public}");
        }
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

/// The client's IP address, for throttling: the connection's peer or, behind a reverse proxy configured
/// with `ENTITLE_CLIENT_IP_HEADER`, the last address in that header (the one the proxy itself appended;
/// earlier ones are whatever the client claimed). `None` when neither is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(name) = &state.client_ip_header {
            let from_proxy = parts
                .headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .next_back()
                .and_then(|ip| ip.trim().parse().ok());
            return Ok(ClientAddr(from_proxy));
        }
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<crate::listener::Peer>>()
                .map(|c| c.0.0.ip()),
        ))
    }
}
