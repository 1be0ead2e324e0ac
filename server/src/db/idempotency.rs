//! Idempotency keys of order placement: the first request with a key takes it; a retry with the same
//! key and body gets the stored answer.

use sqlx::AnyConnection;

use super::error::DbResult;

/// How long after it was taken an unfinished key is known to be dead: far longer than an order request
/// can live (the processor answers or times out within a minute), so its request crashed or was cut off.
/// A retry then takes the key over, and the reconciliation pass voids whatever that
/// request may have charged.
pub const DEAD_AFTER_SECS: i64 = 600;

/// What taking a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// The key is new: it is now ours, in progress.
    Fresh,
    /// The key was taken before, for the request with this fingerprint.
    Before {
        /// The fingerprint of the request that took it.
        request_hash: String,
        /// Its answer, once it finished.
        answer: Option<Answer>,
    },
}

/// The answer of a finished request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The order it placed (answered as it is now).
    Order(String),
    /// A stored answer (status, body): keys completed before orders were recorded by reference.
    Stored(u16, String),
}

/// A key as stored.
#[derive(sqlx::FromRow)]
struct Row {
    request_hash: String,
    state: String,
    #[sqlx(rename = "response_status")]
    status: Option<i64>,
    #[sqlx(rename = "response_body")]
    body: Option<String>,
    #[sqlx(rename = "order_reference")]
    reference: Option<String>,
    created_at: i64,
}

impl Row {
    /// Whether its request died unanswered ([`DEAD_AFTER_SECS`]) by `at`: then no order is tied to it.
    fn dead(&self, at: i64) -> bool {
        self.state == "in_progress" && self.created_at < at - DEAD_AFTER_SECS
    }

    fn taken(self) -> Taken {
        let answer = (self.state == "done").then(|| match self.reference {
            Some(r) => Answer::Order(r),
            None => Answer::Stored(
                self.status
                    .and_then(|s| u16::try_from(s).ok())
                    .unwrap_or(200),
                self.body.unwrap_or_default(),
            ),
        });
        Taken::Before {
            request_hash: self.request_hash,
            answer,
        }
    }
}

async fn row(conn: &mut AnyConnection, user_id: i64, key: &str) -> DbResult<Option<Row>> {
    Ok(sqlx::query_as(
        "SELECT request_hash, state, response_status, response_body, order_reference, created_at \
         FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2",
    )
    .bind(user_id)
    .bind(key)
    .fetch_optional(conn)
    .await?)
}

/// How `key` was taken before, without taking it (a read): `None` when it is free — never taken, or
/// its request died ([`DEAD_AFTER_SECS`]).
///
/// # Errors
/// Database errors.
pub async fn find(
    conn: &mut AnyConnection,
    user_id: i64,
    key: &str,
    at: i64,
) -> DbResult<Option<Taken>> {
    Ok(row(conn, user_id, key)
        .await?
        .filter(|r| !r.dead(at))
        .map(Row::taken))
}

/// Takes `key` for the user's request with fingerprint `request_hash`: a new key, or one whose request
/// died unanswered ([`DEAD_AFTER_SECS`]).
///
/// # Errors
/// Database errors.
pub async fn take(
    conn: &mut AnyConnection,
    user_id: i64,
    key: &str,
    request_hash: &str,
    at: i64,
) -> DbResult<Taken> {
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (user_id, idem_key, request_hash, state, created_at) \
         VALUES ($1, $2, $3, 'in_progress', $4) ON CONFLICT (user_id, idem_key) DO NOTHING",
    )
    .bind(user_id)
    .bind(key)
    .bind(request_hash)
    .bind(at)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Taken::Fresh);
    }
    // Not inserted, so it is there (keys are deleted only long after they were taken).
    let found = row(&mut *conn, user_id, key)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    if found.dead(at) {
        // The request that took it died without an answer, so no order is tied to the key: this request
        // takes it over, whatever its body (only one can: the row must still be as it was read).
        let taken_over = sqlx::query(
            "UPDATE idempotency_keys SET created_at = $1, request_hash = $2 \
             WHERE user_id = $3 AND idem_key = $4 AND state = 'in_progress' AND created_at = $5",
        )
        .bind(at)
        .bind(request_hash)
        .bind(user_id)
        .bind(key)
        .bind(found.created_at)
        .execute(conn)
        .await?
        .rows_affected();
        if taken_over == 1 {
            return Ok(Taken::Fresh);
        }
    }
    Ok(found.taken())
}

/// Completes `key` with the order it placed; call it in the order's transaction.
///
/// # Errors
/// Database errors.
pub async fn complete_with_order(
    conn: &mut AnyConnection,
    user_id: i64,
    key: &str,
    reference: &str,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE idempotency_keys SET state = 'done', response_status = 201, order_reference = $1 \
         WHERE user_id = $2 AND idem_key = $3",
    )
    .bind(reference)
    .bind(user_id)
    .bind(key)
    .execute(conn)
    .await?;
    Ok(())
}

/// Frees a key still in progress (its request failed before changing anything).
///
/// # Errors
/// Database errors.
pub async fn release(conn: &mut AnyConnection, user_id: i64, key: &str) -> DbResult<()> {
    sqlx::query(
        "DELETE FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2 AND state = 'in_progress'",
    )
    .bind(user_id)
    .bind(key)
    .execute(conn)
    .await?;
    Ok(())
}
