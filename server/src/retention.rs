//! Retention: what the portal keeps, and for how long, once it has served its purpose.
//!
//! | What | Kept until |
//! |---|---|
//! | sessions | their absolute expiry, or the idle time since last use |
//! | password-reset tokens | used or expired (the audit log keeps that a reset happened) |
//! | sent mail | [`Policy::sent_mail_secs`] after sending (default 7 days); a reset link's body is erased as soon as it is sent |
//! | idempotency records | [`Policy::idempotency_secs`] (default 24 hours): the window in which a client may retry |
//! | access requests for a customer number no site has | [`Policy::unmatched_access_secs`] (default 30 days) |
//! | sign-in throttle counters | a day without attempts |
//! | sign-ins waiting for their second step | their expiry (ten minutes) |
//! | the audit log | for ever: it is append-only (a database trigger refuses updates and deletes) |
//!
//! Every server runs the pass on a timer ([`spawn`]); it only deletes rows past a cut-off, in batches,
//! so several servers at once are harmless.

use std::time::Duration;

use crate::AppState;
use crate::db::error::DbResult;
use crate::db::retention::{BATCH, Purge, purge_batch};

/// How long each kind of record is kept once it is no longer needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Sent mail, seconds after it was sent.
    pub sent_mail_secs: i64,
    /// Idempotency records, seconds after the request.
    pub idempotency_secs: i64,
    /// Pending access requests naming no known customer, seconds after the request.
    pub unmatched_access_secs: i64,
    /// Sign-in throttle counters, seconds after the last attempt.
    pub throttle_secs: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            sent_mail_secs: 7 * 86_400,
            idempotency_secs: 86_400,
            unmatched_access_secs: 30 * 86_400,
            throttle_secs: 86_400,
        }
    }
}

/// Rows deleted by one pass, per kind (in [`Purge::ALL`] order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report(pub [u64; Purge::ALL.len()]);

impl Report {
    /// Rows deleted of `what`.
    #[must_use]
    pub fn of(&self, what: Purge) -> u64 {
        Purge::ALL
            .iter()
            .position(|p| *p == what)
            .map_or(0, |i| self.0[i])
    }
}

/// Runs one pass at the clock's time.
///
/// # Errors
/// Database errors (the rows deleted before one stay deleted; the next pass goes on).
pub async fn run_once(state: &AppState, policy: &Policy) -> DbResult<Report> {
    let now = state.clock.now_unix();
    let idle_before = now - state.auth.idle_secs;
    let mut report = Report::default();
    for (i, what) in Purge::ALL.into_iter().enumerate() {
        let before = match what {
            Purge::Sessions | Purge::ResetTokens | Purge::SignInChallenges => now,
            Purge::SentMail => now - policy.sent_mail_secs,
            Purge::IdempotencyKeys => now - policy.idempotency_secs,
            Purge::UnmatchedAccessRequests => now - policy.unmatched_access_secs,
            Purge::ThrottleCounters => now - policy.throttle_secs,
        };
        loop {
            let deleted = purge_batch(
                &mut *state.db.acquire_write().await?,
                what,
                before,
                idle_before,
            )
            .await?;
            report.0[i] += deleted;
            if deleted < BATCH.unsigned_abs() {
                break;
            }
        }
    }
    Ok(report)
}

/// Runs a pass every `every`, from now on.
pub fn spawn(state: AppState, policy: Policy, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match run_once(&state, &policy).await {
                Ok(r) if r == Report::default() => {}
                Ok(r) => tracing::info!(deleted = ?r.0, "retention pass"),
                Err(e) => tracing::error!(error = %e, "retention pass failed"),
            }
        }
    });
}
