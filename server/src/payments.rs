//! Payment processing behind a trait, and the built-in sandbox processor used in development and tests.
//!
//! The processor is the only component that ever sees a full card number or security code; Entitle
//! keeps the token it returns plus brand, last four and expiry.

use std::future::Future;
use std::pin::Pin;

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
        }
    }
}

/// The result of a charge.
pub type ChargeFuture<'a> = Pin<Box<dyn Future<Output = Result<String, ChargeError>> + Send + 'a>>;

/// Why a refund failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefundError {
    /// The processor refused or could not be reached; nothing was refunded.
    #[error("the card payment could not be refunded; nothing changed, try again later")]
    Failed,
}

impl RefundError {
    /// Stable code for the API.
    #[must_use]
    pub const fn code(&self) -> entitle_core::dto::ErrorCode {
        match self {
            RefundError::Failed => entitle_core::dto::ErrorCode::PaymentRefundFailed,
        }
    }
}

/// The result of a refund.
pub type RefundFuture<'a> = Pin<Box<dyn Future<Output = Result<(), RefundError>> + Send + 'a>>;

/// A payment processor: authorises a charge and returns its token; refunds a charge by its token.
pub trait PaymentProcessor: Send + Sync + std::fmt::Debug {
    /// Authorises `request`; the token identifies the charge at the processor.
    fn charge<'a>(&'a self, request: ChargeRequest<'a>) -> ChargeFuture<'a>;

    /// Gives back `amount` of the charge `token` (a cancelled order).
    fn refund<'a>(&'a self, token: &'a str, amount: Money) -> RefundFuture<'a>;
}

/// Sandbox card numbers and what they do (README "Payments"). Any other valid number is approved.
pub const SANDBOX_DECLINE: &str = "4000000000000002";
/// See [`SANDBOX_DECLINE`].
pub const SANDBOX_INSUFFICIENT_FUNDS: &str = "4000000000009995";
/// See [`SANDBOX_DECLINE`].
pub const SANDBOX_TIMEOUT: &str = "4000000000000119";
/// See [`SANDBOX_DECLINE`]: charged, but its refund fails.
pub const SANDBOX_REFUND_FAILS: &str = "4000000000000069";

/// The built-in processor for development and tests: decides by the card number, charges nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct SandboxProcessor;

impl PaymentProcessor for SandboxProcessor {
    fn charge<'a>(&'a self, request: ChargeRequest<'a>) -> ChargeFuture<'a> {
        Box::pin(async move {
            match request.card.expose_digits() {
                SANDBOX_DECLINE => Err(ChargeError::Declined),
                SANDBOX_INSUFFICIENT_FUNDS => Err(ChargeError::InsufficientFunds),
                SANDBOX_TIMEOUT => Err(ChargeError::Timeout),
                number => Ok(format!(
                    "sandbox_{}{}",
                    if number == SANDBOX_REFUND_FAILS {
                        "norefund_"
                    } else {
                        ""
                    },
                    crate::auth::new_token().get(..24).unwrap_or_default()
                )),
            }
        })
    }

    fn refund<'a>(&'a self, token: &'a str, _amount: Money) -> RefundFuture<'a> {
        Box::pin(async move {
            if token.starts_with("sandbox_") && !token.starts_with("sandbox_norefund_") {
                Ok(())
            } else {
                Err(RefundError::Failed)
            }
        })
    }
}
