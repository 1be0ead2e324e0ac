//! Throttling of the anonymous, expensive or abusable requests: sign-in and password-reset requests.
//!
//! Two layers:
//!
//! - **Per client address, in memory** (`governor`, a token bucket per IP address): a burst from one
//!   address is refused with 429 before any password is hashed or mail queued. Kept per server; a
//!   request rate is a duration, so it is measured on the monotonic timer rather than the clock.
//! - **Per e-mail address, in the database** (shared by every server): each attempt is *claimed* — counted
//!   as a failure — before the password is checked, in one transaction, so parallel guesses cannot all
//!   slip through one window. After a few free attempts each further one waits an exponentially growing
//!   back-off (no hard lock-out), and counts decay after an hour without failures. Keyed on the e-mail as
//!   typed, not on the account, so an address that has no account is throttled exactly alike and the
//!   answers tell nobody which accounts exist. Two keys per attempt: the address with the client's
//!   address (few free tries — one guesser is slowed quickly), and the address alone (many free tries —
//!   only a distributed attack reaches it, so nobody can lock a victim out from their own network by
//!   failing on purpose).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sha2::{Digest, Sha256};

use crate::db::Db;
use crate::db::error::DbResult;

/// What is throttled: each kind has its own keys and limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// A sign-in.
    SignIn,
    /// A password-reset request (each may send a mail).
    ResetRequest,
    /// An access request (each may mail a site's primary contacts); keyed on the requester.
    AccessRequest,
    /// A code at the second step of a sign-in, or confirming a new authenticator; keyed on the account,
    /// so starting new sign-ins does not buy more guesses.
    SecondFactor,
    /// The password asked again by a signed-in user (to change it, or a second-factor setting).
    PasswordCheck,
}

impl Attempt {
    const fn prefix(self) -> &'static str {
        match self {
            Attempt::SignIn => "sign-in",
            Attempt::ResetRequest => "reset",
            Attempt::AccessRequest => "access",
            Attempt::SecondFactor => "second-factor",
            Attempt::PasswordCheck => "password-check",
        }
    }

    /// Free attempts per (e-mail, client) and per e-mail before the back-off starts.
    const fn free(self) -> (i64, i64) {
        match self {
            Attempt::SignIn => (5, 50),
            Attempt::ResetRequest => (3, 10),
            Attempt::AccessRequest => (5, 5),
            Attempt::SecondFactor => (5, 10),
            Attempt::PasswordCheck => (5, 10),
        }
    }
}

/// Failures are forgotten after this long without one.
pub const DECAY_SECS: i64 = 3600;
/// The longest back-off.
pub const MAX_BACKOFF_SECS: i64 = 30 * 60;

/// The wait after `over` attempts beyond the free ones: 30 s, doubling, at most [`MAX_BACKOFF_SECS`].
#[must_use]
pub fn backoff_secs(over: i64) -> i64 {
    if over <= 0 {
        return 0;
    }
    let doublings = u32::try_from(over - 1).unwrap_or(u32::MAX).min(16);
    (30_i64 << doublings).min(MAX_BACKOFF_SECS)
}

/// Too many attempts: try again after this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    /// Seconds until the next attempt is taken.
    pub retry_after: i64,
}

/// The in-memory per-address limiters.
#[derive(Debug, Clone)]
pub struct ClientLimits {
    sign_in: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    reset: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl Default for ClientLimits {
    fn default() -> Self {
        Self::new(30, 10)
    }
}

impl ClientLimits {
    /// Sign-ins and reset requests per minute from one address (each also its burst).
    #[must_use]
    pub fn new(sign_ins_per_minute: u32, resets_per_minute: u32) -> Self {
        let quota =
            |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN));
        ClientLimits {
            sign_in: Arc::new(RateLimiter::keyed(quota(sign_ins_per_minute))),
            reset: Arc::new(RateLimiter::keyed(quota(resets_per_minute))),
        }
    }

    /// Takes one `attempt` from `client`'s bucket.
    ///
    /// # Errors
    /// [`Throttled`] when the bucket is empty.
    pub fn check(&self, attempt: Attempt, client: Option<IpAddr>) -> Result<(), Throttled> {
        let Some(ip) = client else { return Ok(()) };
        let limiter = match attempt {
            Attempt::SignIn | Attempt::SecondFactor | Attempt::PasswordCheck => &self.sign_in,
            Attempt::ResetRequest | Attempt::AccessRequest => &self.reset,
        };
        limiter.check_key(&ip).map_err(|not_until| Throttled {
            retry_after: i64::try_from(
                not_until
                    .wait_time_from(governor::clock::Clock::now(
                        &governor::clock::DefaultClock::default(),
                    ))
                    .as_secs(),
            )
            .unwrap_or(60)
            .max(1),
        })?;
        if limiter.len() > 100_000 {
            // Addresses whose bucket is full again hold nothing worth keeping.
            limiter.retain_recent();
        }
        Ok(())
    }
}

fn key(parts: &[&str]) -> String {
    let digest = Sha256::digest(parts.join("\u{1f}").as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// Claims an `attempt` for `email` from `client` at `now`, in a transaction of its own (committed
/// before the caller goes on, so parallel attempts see it): see [`claim_on`].
///
/// # Errors
/// [`Throttled`] inside `Ok` when the attempt must wait; database errors.
pub async fn claim(
    db: &Db,
    attempt: Attempt,
    email: &str,
    client: Option<IpAddr>,
    now: i64,
) -> DbResult<Result<(), Throttled>> {
    let mut tx = db.begin_write().await?;
    let claimed = claim_on(&mut tx, attempt, email, client, now).await?;
    if claimed.is_ok() {
        crate::db::commit(tx).await?;
    }
    Ok(claimed)
}

/// Claims an `attempt` for `email` from `client` at `now` on `tx`: counts it as a failure on both keys
/// unless one of them is waiting out its back-off (then nothing should be committed), and starts a
/// back-off once the free attempts are used. A success then calls [`succeeded`].
///
/// # Errors
/// [`Throttled`] inside `Ok` when the attempt must wait; database errors.
pub async fn claim_on(
    tx: &mut sqlx::AnyConnection,
    attempt: Attempt,
    email: &str,
    client: Option<IpAddr>,
    now: i64,
) -> DbResult<Result<(), Throttled>> {
    let client = client.map_or_else(String::new, |ip| ip.to_string());
    let (free_here, free_anywhere) = attempt.free();
    let keys = [
        (key(&[attempt.prefix(), email, &client]), free_here),
        (key(&[attempt.prefix(), email]), free_anywhere),
    ];
    let mut audited = false;
    for (k, free) in &keys {
        match crate::db::throttle::count(tx, k, now, DECAY_SECS).await? {
            Err(until) => {
                return Ok(Err(Throttled {
                    retry_after: (until - now).max(1),
                }));
            }
            Ok(failures) => {
                let wait = backoff_secs(failures - free);
                if wait > 0 {
                    crate::db::throttle::block(tx, k, now + wait).await?;
                    if !audited {
                        // The moment a back-off starts is what a security review looks for; the
                        // attempts it then refuses are not written one by one.
                        crate::db::journal::audit(
                            tx,
                            now,
                            None,
                            entitle_core::audit::AuditAction::SignInThrottled,
                            email,
                            format!(
                                "{}: {failures} failures, next attempt in {wait} s",
                                attempt.prefix()
                            ),
                        )
                        .await?;
                        audited = true;
                    }
                }
            }
        }
    }
    Ok(Ok(()))
}

/// Forgets the failures of `email` from `client` (and of `email` alone) after a success.
///
/// # Errors
/// Database errors.
pub async fn succeeded(
    conn: &mut sqlx::AnyConnection,
    attempt: Attempt,
    email: &str,
    client: Option<IpAddr>,
) -> DbResult<()> {
    let client = client.map_or_else(String::new, |ip| ip.to_string());
    crate::db::throttle::forget(conn, &key(&[attempt.prefix(), email, &client])).await?;
    crate::db::throttle::forget(conn, &key(&[attempt.prefix(), email])).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_back_off_starts_at_thirty_seconds_doubles_and_stops_at_thirty_minutes() {
        assert_eq!(backoff_secs(0), 0);
        assert_eq!(backoff_secs(1), 30);
        assert_eq!(backoff_secs(2), 60);
        assert_eq!(backoff_secs(3), 120);
        assert_eq!(backoff_secs(7), MAX_BACKOFF_SECS);
        assert_eq!(backoff_secs(i64::MAX), MAX_BACKOFF_SECS);
    }

    #[test]
    fn an_address_gets_its_burst_and_then_waits() {
        let limits = ClientLimits::new(3, 1);
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        for _ in 0..3 {
            assert!(limits.check(Attempt::SignIn, Some(ip)).is_ok());
        }
        let refused = limits.check(Attempt::SignIn, Some(ip)).unwrap_err();
        assert!(refused.retry_after >= 1);
        assert!(
            limits
                .check(Attempt::SignIn, Some("192.0.2.8".parse().unwrap()))
                .is_ok()
        );
        assert!(
            limits.check(Attempt::ResetRequest, Some(ip)).is_ok(),
            "its own bucket"
        );
    }
}
