//! Purges of what the portal no longer needs to keep (`crate::retention` decides when). Each purge
//! deletes in batches, so a backlog never holds a long write lock, and only rows past a cut-off, so
//! several servers running it at once delete each row once and otherwise find nothing to do.

use sqlx::AnyConnection;

use super::error::DbResult;

/// Rows deleted per statement.
pub const BATCH: i64 = 500;

/// What can be purged, each with the statement that deletes one batch of it older than `$1` (unix
/// seconds) — `$2` is the batch size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purge {
    /// Sessions past their absolute expiry or idle since the cut-off.
    Sessions,
    /// Password-reset tokens used or expired before the cut-off.
    ResetTokens,
    /// Mails sent before the cut-off.
    SentMail,
    /// Idempotency records (finished or abandoned) created before the cut-off.
    IdempotencyKeys,
    /// Access requests naming a customer number no site has, still pending since before the cut-off:
    /// nobody can ever approve them.
    UnmatchedAccessRequests,
    /// Sign-in throttle counters with no attempt since the cut-off and no back-off running.
    ThrottleCounters,
    /// Sign-ins that waited for their second step and expired before the cut-off.
    SignInChallenges,
}

impl Purge {
    /// Every purge, in the order a pass runs them.
    pub const ALL: [Purge; 7] = [
        Purge::Sessions,
        Purge::ResetTokens,
        Purge::SentMail,
        Purge::IdempotencyKeys,
        Purge::UnmatchedAccessRequests,
        Purge::ThrottleCounters,
        Purge::SignInChallenges,
    ];

    fn batch_sql(self) -> &'static str {
        match self {
            // The cut-off for sessions is "now": `expires_at` is absolute; an idle session's
            // `last_seen_at` is compared with now minus the idle time by the caller's second bind.
            Purge::Sessions => {
                "DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions \
                 WHERE expires_at <= $1 OR last_seen_at <= $3 LIMIT $2)"
            }
            Purge::ResetTokens => {
                "DELETE FROM password_resets WHERE token_hash IN (SELECT token_hash FROM password_resets \
                 WHERE (used_at IS NOT NULL AND used_at <= $1) OR expires_at <= $1 LIMIT $2)"
            }
            Purge::SentMail => {
                "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox \
                 WHERE sent_at IS NOT NULL AND sent_at <= $1 LIMIT $2)"
            }
            Purge::IdempotencyKeys => {
                "DELETE FROM idempotency_keys WHERE (user_id, idem_key) IN (SELECT user_id, idem_key \
                 FROM idempotency_keys WHERE created_at <= $1 LIMIT $2)"
            }
            Purge::UnmatchedAccessRequests => {
                "DELETE FROM access_requests WHERE id IN (SELECT id FROM access_requests \
                 WHERE site_id IS NULL AND status = 'pending' AND created_at <= $1 LIMIT $2)"
            }
            Purge::SignInChallenges => {
                "DELETE FROM sign_in_challenges WHERE token_hash IN (SELECT token_hash \
                 FROM sign_in_challenges WHERE expires_at <= $1 LIMIT $2)"
            }
            Purge::ThrottleCounters => {
                "DELETE FROM auth_throttle WHERE throttle_key IN (SELECT throttle_key FROM auth_throttle \
                 WHERE last_at <= $1 AND blocked_until <= $1 LIMIT $2)"
            }
        }
    }
}

/// Deletes one batch of `what` older than `before`; `idle_before` is the idle cut-off of sessions (the
/// other purges ignore it). Returns the rows deleted: fewer than [`BATCH`] means none are left.
///
/// # Errors
/// Database errors.
pub async fn purge_batch(
    conn: &mut AnyConnection,
    what: Purge,
    before: i64,
    idle_before: i64,
) -> DbResult<u64> {
    let sql = what.batch_sql();
    let mut query = sqlx::query(sql).bind(before).bind(BATCH);
    if what == Purge::Sessions {
        query = query.bind(idle_before);
    }
    Ok(query.execute(conn).await?.rows_affected())
}
