//! Card charges and refunds as the processor knows them: a charge is recorded (pending) before the
//! processor is asked, and settled as captured (its order was written, in the order's transaction),
//! declined or voided; a refund is recorded in the cancellation's transaction and carried out after it.
//! What stays pending too long is settled by the reconciliation pass (`crate::reconcile`).

use entitle_core::money::{Currency, Money};
use sqlx::AnyConnection;

use super::error::{DbError, DbResult};

/// A card charge to record before asking the processor for it.
#[derive(Debug, Clone)]
pub struct NewCharge<'a> {
    /// The order reference: the processor's idempotency key.
    pub reference: &'a str,
    /// The buyer.
    pub user_id: i64,
    /// The order request's idempotency key.
    pub idem_key: &'a str,
    /// The amount asked.
    pub amount: Money,
}

/// Records a charge about to be asked for (pending).
///
/// # Errors
/// Database errors.
pub async fn record_pending(
    conn: &mut AnyConnection,
    charge: &NewCharge<'_>,
    at: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO card_charges (reference, user_id, idem_key, amount_minor, currency, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $6)",
    )
    .bind(charge.reference)
    .bind(charge.user_id)
    .bind(charge.idem_key)
    .bind(charge.amount.to_minor().map_err(|e| DbError::Unstorable {
        what: "amount",
        detail: format!("{} out of range: {e}", charge.amount),
    })?)
    .bind(charge.amount.currency().code())
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Settles a pending charge as `status` (`declined` or `voided`).
///
/// # Errors
/// Database errors.
pub async fn settle(
    conn: &mut AnyConnection,
    reference: &str,
    status: Settled,
    at: i64,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE card_charges SET status = $1, settled_at = $2 WHERE reference = $3 AND status = 'pending'",
    )
    .bind(status.as_str())
    .bind(at)
    .bind(reference)
    .execute(conn)
    .await?;
    Ok(())
}

/// How a charge that has no order ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The processor said no: nothing was authorised.
    Declined,
    /// Authorised (or perhaps), then voided because its order was not written.
    Voided,
}

impl Settled {
    const fn as_str(self) -> &'static str {
        match self {
            Settled::Declined => "declined",
            Settled::Voided => "voided",
        }
    }
}

/// Marks the charge captured by its order, with the processor's token; call it in the order's
/// transaction. Fails (and with it the order) if the token cannot be stored.
///
/// # Errors
/// Database errors, including a token the table refuses.
pub async fn capture(
    conn: &mut AnyConnection,
    reference: &str,
    order_id: i64,
    token: &str,
    at: i64,
) -> DbResult<()> {
    let changed = sqlx::query(
        "UPDATE card_charges SET status = 'captured', order_id = $1, processor_token = $2, settled_at = $3 \
         WHERE reference = $4 AND status = 'pending'",
    )
    .bind(order_id)
    .bind(token)
    .bind(at)
    .bind(reference)
    .execute(conn)
    .await?
    .rows_affected();
    if changed == 1 {
        Ok(())
    } else {
        // The reconciliation pass voided it meanwhile (it waits far longer than a request lives).
        Err(DbError::corrupt(
            "card charge",
            format!("{reference} is no longer pending"),
        ))
    }
}

/// Charges still pending that were recorded before `before`: their request died.
///
/// # Errors
/// Database errors.
pub async fn stale_charges(conn: &mut AnyConnection, before: i64) -> DbResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        // An order with the reference would have captured the charge in its own transaction; the check
        // is belt and braces against voiding what a customer was charged for.
        "SELECT c.reference FROM card_charges c WHERE c.status = 'pending' AND c.created_at < $1 \
         AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.reference = c.reference) ORDER BY c.id LIMIT 500",
    )
    .bind(before)
    .fetch_all(conn)
    .await?)
}

/// Counts a failed attempt to settle a pending charge.
///
/// # Errors
/// Database errors.
pub async fn count_attempt(conn: &mut AnyConnection, reference: &str) -> DbResult<()> {
    sqlx::query("UPDATE card_charges SET attempts = attempts + 1 WHERE reference = $1")
        .bind(reference)
        .execute(conn)
        .await?;
    Ok(())
}

/// A refund to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    /// Its id (the processor's idempotency key is built from it).
    pub id: i64,
    /// The payment it gives back.
    pub payment_id: i64,
    /// The charge's token at the processor.
    pub token: String,
    /// The amount.
    pub amount: Money,
}

impl Refund {
    /// The processor's idempotency key: the same refund asked again is never paid twice.
    #[must_use]
    pub fn key(&self) -> String {
        format!("refund-{}", self.id)
    }
}

/// Records the refund of an order's card payment, if it has one that is authorised and not refunded;
/// call it in the cancellation's transaction. Returns it, to be carried out once that commits.
///
/// # Errors
/// Database errors; a stored currency that is not one.
pub async fn record_refund(
    conn: &mut AnyConnection,
    order_id: i64,
    at: i64,
) -> DbResult<Option<Refund>> {
    let row: Option<(i64, Option<String>, i64, String)> = sqlx::query_as(
        "SELECT p.id, p.processor_token, o.total_minor, o.currency FROM payments p \
         JOIN orders o ON o.id = p.order_id \
         WHERE p.order_id = $1 AND p.method = 'card' AND p.status = 'authorised' \
         AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = p.id)",
    )
    .bind(order_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((payment_id, token, total_minor, currency)) = row else {
        return Ok(None);
    };
    let amount = Money::from_minor(total_minor, parse_currency(&currency)?);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO refunds (payment_id, amount_minor, currency, status, created_at) \
         VALUES ($1, $2, $3, 'pending', $4) RETURNING id",
    )
    .bind(payment_id)
    .bind(total_minor)
    .bind(&currency)
    .bind(at)
    .fetch_one(conn)
    .await?;
    Ok(Some(Refund {
        id,
        payment_id,
        token: token.unwrap_or_default(),
        amount,
    }))
}

/// Records that the processor paid the refund: the payment is refunded.
///
/// # Errors
/// Database errors.
pub async fn refund_done(conn: &mut AnyConnection, refund: &Refund, at: i64) -> DbResult<()> {
    sqlx::query("UPDATE refunds SET status = 'done', done_at = $1 WHERE id = $2")
        .bind(at)
        .bind(refund.id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE payments SET status = 'refunded' WHERE id = $1")
        .bind(refund.payment_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records a failed attempt; the refund stays pending and is retried.
///
/// # Errors
/// Database errors.
pub async fn refund_failed(conn: &mut AnyConnection, refund_id: i64, error: &str) -> DbResult<()> {
    sqlx::query("UPDATE refunds SET attempts = attempts + 1, last_error = $1 WHERE id = $2")
        .bind(error)
        .bind(refund_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Refunds still pending that were recorded before `before`.
///
/// # Errors
/// Database errors; a stored currency that is not one.
pub async fn pending_refunds(conn: &mut AnyConnection, before: i64) -> DbResult<Vec<Refund>> {
    let rows: Vec<(i64, i64, Option<String>, i64, String)> = sqlx::query_as(
        "SELECT r.id, r.payment_id, p.processor_token, r.amount_minor, r.currency FROM refunds r \
         JOIN payments p ON p.id = r.payment_id \
         WHERE r.status = 'pending' AND r.created_at < $1 ORDER BY r.id LIMIT 500",
    )
    .bind(before)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, payment_id, token, minor, currency)| {
            Ok(Refund {
                id,
                payment_id,
                token: token.unwrap_or_default(),
                amount: Money::from_minor(minor, parse_currency(&currency)?),
            })
        })
        .collect()
}

fn parse_currency(code: &str) -> DbResult<Currency> {
    code.parse().map_err(|_| DbError::corrupt("currency", code))
}
