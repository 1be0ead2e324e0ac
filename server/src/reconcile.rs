//! Reconciliation of payments with the processor: settles what a request could not finish.
//!
//! - A card charge still pending long after its request died (`db::idempotency::DEAD_AFTER_SECS`) has
//!   no order — the order's transaction captures it — so it is voided at the processor (by its
//!   reference, which the processor keys charges on) and recorded as voided.
//! - A refund still pending (the processor failed, or the server stopped after the cancellation
//!   committed) is asked again under the same idempotency key, so it is paid exactly once.
//!
//! Every server runs the pass on a timer ([`spawn`]); several at once are harmless, because every step
//! is idempotent at the processor and conditional in the database.

use std::time::Duration;

use crate::AppState;
use crate::db::error::DbResult;
use crate::db::idempotency::DEAD_AFTER_SECS;
use crate::db::payments::{self, Refund, Settled};

/// What one pass settled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Charges voided because their order was never written.
    pub voided: usize,
    /// Refunds paid.
    pub refunded: usize,
    /// Charges or refunds the processor failed again (left for the next pass).
    pub failed: usize,
}

/// Runs one pass.
///
/// # Errors
/// Database errors (a processor failure is counted in the report, not an error).
pub async fn run_once(state: &AppState) -> DbResult<Report> {
    let mut report = Report::default();
    let before = state.clock.now_unix() - DEAD_AFTER_SECS;
    let stale = payments::stale_charges(&mut *state.db.acquire().await?, before).await?;
    for reference in stale {
        match state.payments.void(&reference).await {
            Ok(()) => {
                payments::settle(
                    &mut *state.db.acquire_write().await?,
                    &reference,
                    Settled::Voided,
                    state.clock.now_unix(),
                )
                .await?;
                tracing::warn!(%reference, "voided the card charge of an order that was never written");
                report.voided += 1;
            }
            Err(e) => {
                tracing::error!(%reference, error = %e, "could not void a leftover card charge");
                payments::count_attempt(&mut *state.db.acquire_write().await?, &reference).await?;
                report.failed += 1;
            }
        }
    }
    // A refund is carried out by the request that records it, right after its commit; the pass takes
    // the ones left a minute later.
    let refunds =
        payments::pending_refunds(&mut *state.db.acquire().await?, state.clock.now_unix() - 60)
            .await?;
    for refund in refunds {
        if carry_out_refund(state, &refund).await {
            report.refunded += 1;
        } else {
            report.failed += 1;
        }
    }
    Ok(report)
}

/// Asks the processor for `refund` and records the outcome: done, or one more failed attempt (it stays
/// pending for the next pass). Returns whether it was paid.
pub async fn carry_out_refund(state: &AppState, refund: &Refund) -> bool {
    let outcome = state
        .payments
        .refund(&refund.token, refund.amount, &refund.key())
        .await;
    let recorded = match state.db.acquire_write().await {
        Ok(mut conn) => match &outcome {
            Ok(()) => payments::refund_done(&mut conn, refund, state.clock.now_unix()).await,
            Err(e) => payments::refund_failed(&mut conn, refund.id, &e.to_string()).await,
        },
        Err(e) => Err(e),
    };
    if let Err(e) = &outcome {
        tracing::error!(refund = refund.id, error = %e, "a refund failed; it stays pending and is retried");
    }
    if let Err(e) = recorded {
        // Paid or not, the refund stays pending; asking again is harmless (same idempotency key).
        tracing::error!(refund = refund.id, error = %e, "could not record a refund's outcome");
    }
    outcome.is_ok()
}

/// Runs a pass every `every`, from now on.
pub fn spawn(state: AppState, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match run_once(&state).await {
                Ok(r) if r == Report::default() => {}
                Ok(r) => tracing::info!(?r, "payment reconciliation"),
                Err(e) => tracing::error!(error = %e, "payment reconciliation failed"),
            }
        }
    });
}
