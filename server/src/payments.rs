//! Payment processing behind a trait, and the built-in sandbox processor used in development and tests.
//!
//! The processor is the only component that ever sees a full card number or security code; Entitle
//! keeps the token it returns plus brand, last four and expiry.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use entitle_core::money::Money;
use entitle_core::validation::{CardNumber, CardholderName, Expiry, SecurityCode};

/// A card charge to authorise.
#[derive(Debug)]
pub struct ChargeRequest<'a> {
    /// The card (its `Debug` is masked).
    pub card: &'a CardNumber,
    /// Expiry.
    pub expiry: Expiry,
    /// Security code (its `Debug` is masked).
    pub security_code: &'a SecurityCode,
    /// Name on the card.
    pub name: &'a CardholderName,
    /// Amount.
    pub amount: Money,
    /// Our reference for the charge (the order reference).
    pub reference: String,
}

/// Why a charge failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChargeError {
    /// The issuer declined.
    #[error("the card was declined; use another card or another payment method")]
    Declined,
    /// Not enough funds or credit.
    #[error("the card has insufficient funds for this order")]
    InsufficientFunds,
    /// The processor did not answer in time; nothing was charged.
    #[error("the payment service did not answer in time; nothing was charged, please try again")]
    Timeout,
    /// The processor failed with the outcome unknown (it may have authorised the charge): the caller
    /// voids the charge by its reference.
    #[error("the card payment could not be completed; nothing was charged, please try again")]
    Failed,
}

impl ChargeError {
    /// Stable code for the API.
    #[must_use]
    pub const fn code(&self) -> entitle_core::dto::ErrorCode {
        match self {
            ChargeError::Declined => entitle_core::dto::ErrorCode::PaymentDeclined,
            ChargeError::InsufficientFunds => {
                entitle_core::dto::ErrorCode::PaymentInsufficientFunds
            }
            ChargeError::Timeout => entitle_core::dto::ErrorCode::PaymentTimeout,
            ChargeError::Failed => entitle_core::dto::ErrorCode::PaymentFailed,
        }
    }

    /// Whether the processor said no for certain (nothing can have been authorised), as opposed to an
    /// outcome that is unknown and must be voided.
    #[must_use]
    pub const fn is_refusal(&self) -> bool {
        matches!(self, ChargeError::Declined | ChargeError::InsufficientFunds)
    }
}

/// The result of a charge.
pub type ChargeFuture<'a> = Pin<Box<dyn Future<Output = Result<String, ChargeError>> + Send + 'a>>;

/// The processor could not be reached or refused; the operation may be asked again (it is idempotent).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the payment service could not {0}; it will be retried")]
pub struct ProcessorError(pub &'static str);

/// The result of a void or a refund.
pub type SettleFuture<'a> = Pin<Box<dyn Future<Output = Result<(), ProcessorError>> + Send + 'a>>;

/// A payment processor. Every call is idempotent, so a call whose outcome was lost (a crash, a timeout)
/// is simply asked again: a charge by its reference, a refund by its key.
pub trait PaymentProcessor: Send + Sync + std::fmt::Debug {
    /// Authorises `request`; the token identifies the charge at the processor. Asking again with the same
    /// `request.reference` answers the first charge, never a second one.
    fn charge<'a>(&'a self, request: ChargeRequest<'a>) -> ChargeFuture<'a>;

    /// Voids the charge made under `reference` (an order that was not written). Voiding a charge that
    /// does not exist, or was voided already, succeeds.
    fn void<'a>(&'a self, reference: &'a str) -> SettleFuture<'a>;

    /// Gives back `amount` of the charge `token` (a cancelled order); `key` makes it idempotent.
    fn refund<'a>(&'a self, token: &'a str, amount: Money, key: &'a str) -> SettleFuture<'a>;
}

/// Sandbox card numbers and what they do (README "Payments"). Any other valid number is approved.
pub const SANDBOX_DECLINE: &str = "4000000000000002";
/// See [`SANDBOX_DECLINE`].
pub const SANDBOX_INSUFFICIENT_FUNDS: &str = "4000000000009995";
/// See [`SANDBOX_DECLINE`].
pub const SANDBOX_TIMEOUT: &str = "4000000000000119";
/// See [`SANDBOX_DECLINE`]: charged, but every refund of it fails.
pub const SANDBOX_REFUND_FAILS: &str = "4000000000000069";
/// See [`SANDBOX_DECLINE`]: authorised, then the processor answers with an error (the outcome looks
/// unknown to the server, which must void it).
pub const SANDBOX_FAILS_AFTER_AUTHORISING: &str = "4000000000000101";
/// See [`SANDBOX_DECLINE`]: authorised with a token too long to store, so the order's transaction fails
/// after the charge (the server must void it).
pub const SANDBOX_ORDER_WRITE_FAILS: &str = "4000000000000259";

/// See [`SANDBOX_DECLINE`]: authorised, then the processor stops answering for [`SANDBOX_HANG_SECS`]
/// (and then reports a timeout): a client that gives up first leaves its request cut off mid-charge.
pub const SANDBOX_HANGS: &str = "4000000000000341";
/// How long [`SANDBOX_HANGS`] keeps a charge waiting.
pub const SANDBOX_HANG_SECS: u64 = 90;

/// What the sandbox did with a charge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxCharge {
    /// The token it answered.
    pub token: String,
    /// The amount authorised.
    pub amount: Money,
    /// Whether it was voided.
    pub voided: bool,
    /// Refunds paid, by idempotency key.
    pub refunds: Vec<(String, Money)>,
}

/// The built-in processor for development and tests: decides by the card number and moves no money. It
/// keeps a ledger of its charges by reference (in memory, like a processor's dashboard), so tests can see
/// what a customer's card would show.
#[derive(Debug, Default, Clone)]
pub struct SandboxProcessor {
    ledger: Arc<Mutex<BTreeMap<String, SandboxCharge>>>,
    refunds_down: Arc<std::sync::atomic::AtomicBool>,
}

impl SandboxProcessor {
    /// The charges made so far, by reference.
    #[must_use]
    pub fn charges(&self) -> BTreeMap<String, SandboxCharge> {
        self.ledger.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Simulates an outage of refunds (every refund fails while it is on), as a processor has.
    pub fn fail_refunds(&self, on: bool) {
        self.refunds_down
            .store(on, std::sync::atomic::Ordering::SeqCst);
    }

    fn record(&self, reference: &str, charge: SandboxCharge) -> String {
        let mut ledger = self
            .ledger
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        ledger
            .entry(reference.to_owned())
            .or_insert(charge)
            .token
            .clone()
    }
}

impl PaymentProcessor for SandboxProcessor {
    fn charge<'a>(&'a self, request: ChargeRequest<'a>) -> ChargeFuture<'a> {
        Box::pin(async move {
            let number = request.card.expose_digits();
            match number {
                SANDBOX_DECLINE => return Err(ChargeError::Declined),
                SANDBOX_INSUFFICIENT_FUNDS => return Err(ChargeError::InsufficientFunds),
                SANDBOX_TIMEOUT => return Err(ChargeError::Timeout),
                _ => {}
            }
            let random = crate::auth::new_token();
            let token = match number {
                SANDBOX_REFUND_FAILS => {
                    format!("sandbox_norefund_{}", random.get(..24).unwrap_or_default())
                }
                SANDBOX_ORDER_WRITE_FAILS => format!("sandbox_{}", random.repeat(4)),
                _ => format!("sandbox_{}", random.get(..24).unwrap_or_default()),
            };
            let token = self.record(
                &request.reference,
                SandboxCharge {
                    token,
                    amount: request.amount,
                    voided: false,
                    refunds: Vec::new(),
                },
            );
            if number == SANDBOX_FAILS_AFTER_AUTHORISING {
                return Err(ChargeError::Failed);
            }
            if number == SANDBOX_HANGS {
                tokio::time::sleep(std::time::Duration::from_secs(SANDBOX_HANG_SECS)).await;
                return Err(ChargeError::Timeout);
            }
            Ok(token)
        })
    }

    fn void<'a>(&'a self, reference: &'a str) -> SettleFuture<'a> {
        Box::pin(async move {
            let mut ledger = self
                .ledger
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(charge) = ledger.get_mut(reference) {
                charge.voided = true;
            }
            Ok(())
        })
    }

    fn refund<'a>(&'a self, token: &'a str, amount: Money, key: &'a str) -> SettleFuture<'a> {
        Box::pin(async move {
            if !token.starts_with("sandbox_")
                || token.starts_with("sandbox_norefund_")
                || self.refunds_down.load(std::sync::atomic::Ordering::SeqCst)
            {
                return Err(ProcessorError("refund the card payment"));
            }
            let mut ledger = self
                .ledger
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            // A charge from before the server started (the ledger lives in memory) is refunded without
            // a record.
            if let Some(charge) = ledger.values_mut().find(|c| c.token == token)
                && !charge.refunds.iter().any(|(k, _)| k == key)
            {
                charge.refunds.push((key.to_owned(), amount));
            }
            Ok(())
        })
    }
}
