//! Every error code the API answers with (`{"error": {"code": …}}`), as one enum shared by the server
//! that sends them and every client that acts on them. Each is serialised as its stable dotted string,
//! e.g. `quote.expired`; a client that meets a code newer than itself reads it as
//! [`ErrorCode::Unknown`]. Field-level codes (`card.luhn`, `field.required`) come from the validation
//! types themselves and stay in each field's list.

use serde::{Deserialize, Serialize};

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, )*) => {
        /// A stable, machine-readable error code of the API.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum ErrorCode {
            $( $(#[$doc])* #[serde(rename = $code)] $variant, )*
            /// A code this version does not know (sent by a newer server). Never sent by this one.
            #[serde(rename = "unknown", other)]
            Unknown,
        }

        impl ErrorCode {
            /// Every code the server may send.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as sent.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                    ErrorCode::Unknown => "unknown",
                }
            }
        }
    };
}

error_codes! {
    /// The request is malformed (JSON, query string or path).
    BadRequest = "bad_request",
    /// The body is larger than the endpoint accepts.
    PayloadTooLarge = "payload_too_large",
    /// The body's media type is not accepted.
    UnsupportedMediaType = "unsupported_media_type",
    /// Fields are invalid: see `fields`.
    Validation = "validation",
    /// No such thing, or not visible to this user.
    NotFound = "not_found",
    /// No valid session.
    Unauthorized = "unauthorized",
    /// Signed in but not allowed.
    Forbidden = "forbidden",
    /// A change without the session's CSRF token.
    Csrf = "csrf",
    /// Wrong e-mail address or password.
    InvalidCredentials = "invalid_credentials",
    /// Too many failed sign-ins: the account is locked for a while.
    AccountLocked = "account_locked",
    /// Something failed on the server's side.
    Internal = "internal",
    /// The access request was decided already.
    AccessDecided = "access.decided",
    /// The user holds access to the site already.
    AccessHeld = "access.held",
    /// An access request to the site is waiting already.
    AccessPending = "access.pending",
    /// A primary contact's privileges are fixed.
    AccessPrimary = "access.primary",
    /// A Business Partner owns the renewal: no auto-renew.
    AutoRenewBusinessPartner = "auto_renew.business_partner",
    /// The site's country does not allow auto-renew.
    AutoRenewNotAllowed = "auto_renew.not_allowed",
    /// The cart has no lines to order or quote.
    CartEmpty = "cart.empty",
    /// A saved cart of that name exists.
    CartNameTaken = "cart.name_taken",
    /// The same idempotency key is still being processed.
    IdempotencyInProgress = "idempotency.in_progress",
    /// The idempotency key was used with another body.
    IdempotencyMismatch = "idempotency.mismatch",
    /// The order changed while this was decided: reload.
    OrderChanged = "order.changed",
    /// The order cannot move to that status.
    OrderIllegalTransition = "order.illegal_transition",
    /// The order's purchase-order document is attached already.
    PoAlreadyAttached = "po.already_attached",
    /// The order is not paid by purchase order.
    PoNotPurchaseOrder = "po.not_purchase_order",
    /// A Business Partner handles this renewal.
    QuoteBusinessPartner = "quote.business_partner",
    /// The customer changed the quote: the renewal rep re-issues it first.
    QuoteChangeRequested = "quote.change_requested",
    /// The quote changed while this was decided: reload.
    QuoteChanged = "quote.changed",
    /// The quote is closed (ordered, expired or cancelled).
    QuoteClosed = "quote.closed",
    /// The quote passed its validity date.
    QuoteExpired = "quote.expired",
    /// The site has no Business Partner to hand the renewal to.
    QuoteNoBusinessPartner = "quote.no_business_partner",
    /// The renewal quote's life cycle does not allow this step.
    QuoteIllegalTransition = "quote.illegal_transition",
    /// The quote request was decided already.
    QuoteRequestNotOpen = "quote_request.not_open",
    /// A re-issue would leave the quote without lines.
    ReissueEmpty = "reissue.empty",
    /// The card was declined.
    PaymentDeclined = "payment.declined",
    /// The card has insufficient funds.
    PaymentInsufficientFunds = "payment.insufficient_funds",
    /// The payment processor did not answer in time; nothing was charged.
    PaymentTimeout = "payment.timeout",
    /// The payment processor refused the refund; nothing changed.
    PaymentRefundFailed = "payment.refund_failed",
    /// A part is not in the catalog.
    PricingUnknownPart = "pricing.unknown_part",
    /// A part has no price at the level in the currency.
    PricingNoPrice = "pricing.no_price",
    /// A quantity of zero.
    PricingZeroQuantity = "pricing.zero_quantity",
    /// A term that does not fit the part.
    PricingInvalidTerm = "pricing.invalid_term",
    /// Lapsed coverage whose part has no reinstatement part.
    PricingNoReinstatementPart = "pricing.no_reinstatement_part",
    /// A discount outside 0–100 %.
    PricingInvalidDiscount = "pricing.invalid_discount",
    /// Arithmetic failed (overflow or mixed currencies).
    PricingArithmetic = "pricing.arithmetic",
}

// Written out rather than derived: the derive does not see the `rename`s a macro passes on, and the
// document must list the codes as they are sent.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ErrorCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "A stable, machine-readable error code of the API (`unknown` is never sent).",
            ))
            .enum_values(Some(
                ErrorCode::ALL
                    .iter()
                    .map(|c| c.as_str())
                    .chain([ErrorCode::Unknown.as_str()]),
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ErrorCode {}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn every_code_is_sent_as_its_dotted_string_and_read_back() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::json!(code.as_str()));
            assert_eq!(serde_json::from_value::<ErrorCode>(json).unwrap(), *code);
            assert!(seen.insert(code.as_str()), "{code} twice");
        }
        assert_eq!(
            serde_json::to_value(ErrorCode::QuoteExpired).unwrap(),
            "quote.expired"
        );
    }

    #[test]
    fn a_code_from_a_newer_server_reads_as_unknown() {
        assert_eq!(
            serde_json::from_str::<ErrorCode>("\"quote.frozen\"").unwrap(),
            ErrorCode::Unknown
        );
    }
}
