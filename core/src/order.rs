//! Orders: their life cycle, order reference numbers and the payment methods of each country.

use std::fmt;
use std::str::FromStr;

use crate::country::CountryCode;

/// How far back the customer's order list ("orders of the last 30 days") reaches, in days.
pub const RECENT_ORDER_DAYS: i64 = 30;

/// The first instant (unix seconds) of the recent-orders window that ends at `now`.
#[must_use]
pub const fn recent_orders_since(now: i64) -> i64 {
    now - RECENT_ORDER_DAYS * 86_400
}

/// The work queue of the desk: orders not finished yet.
pub const OPEN_ORDER_STATUSES: [OrderStatus; 2] = [OrderStatus::Received, OrderStatus::Processing];

/// The most finished orders (completed or cancelled) the desk lists at once, newest first.
pub const DESK_HISTORY_LIMIT: u32 = 200;

/// Where an order stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum OrderStatus {
    /// Submitted and paid or awaiting payment.
    Received,
    /// Being fulfilled.
    Processing,
    /// Coverage extended / licences granted, points added.
    Completed,
    /// Cancelled, with a reason.
    Cancelled,
}

impl OrderStatus {
    /// The stable code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            OrderStatus::Received => "received",
            OrderStatus::Processing => "processing",
            OrderStatus::Completed => "completed",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    /// Parses a stable code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<OrderStatus> {
        [
            OrderStatus::Received,
            OrderStatus::Processing,
            OrderStatus::Completed,
            OrderStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// Whether `next` may follow: received → processing → completed; cancel before completion.
    #[must_use]
    pub const fn can_become(self, next: OrderStatus) -> bool {
        matches!(
            (self, next),
            (OrderStatus::Received, OrderStatus::Processing)
                | (OrderStatus::Processing, OrderStatus::Completed)
                | (
                    OrderStatus::Received | OrderStatus::Processing,
                    OrderStatus::Cancelled
                )
        )
    }
}

/// The Damm algorithm's quasigroup of order 10: totally anti-symmetric, so a check digit computed with it
/// catches every single-digit error and every transposition of adjacent digits.
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

fn damm(digits: impl IntoIterator<Item = u8>) -> u8 {
    digits
        .into_iter()
        .fold(0, |interim, d| DAMM[usize::from(interim)][usize::from(d)])
}

/// An order reference number: `EN-` then nine digits and a Damm check digit, shown as `EN-48312-09275`.
///
/// People read these over the phone and type them into the order look-up, so the check digit lets the
/// browser reject a mistyped reference before it asks the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "EN-48312-09275"))]
pub struct OrderReference(u64);

/// Why a string is not an [`OrderReference`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderReferenceError {
    /// Not `EN` followed by ten digits.
    #[error("an order reference looks like EN-48312-09275")]
    Format,
    /// The check digit does not match: a digit is mistyped or two are swapped.
    #[error("this order reference has a typing error; check the digits")]
    CheckDigit,
}

impl OrderReferenceError {
    /// Stable code for UIs and the API.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            OrderReferenceError::Format => "order_ref.format",
            OrderReferenceError::CheckDigit => "order_ref.check_digit",
        }
    }
}

impl OrderReference {
    /// The largest payload (nine digits).
    pub const MAX_PAYLOAD: u64 = 999_999_999;

    /// The reference for a nine-digit payload (taken modulo 10⁹), with its check digit appended.
    #[must_use]
    pub fn from_payload(payload: u64) -> Self {
        let payload = payload % (Self::MAX_PAYLOAD + 1);
        let check = damm(nine_digits(payload));
        OrderReference(payload * 10 + u64::from(check))
    }

    /// The nine-digit payload (without the check digit).
    #[must_use]
    pub const fn payload(&self) -> u64 {
        self.0 / 10
    }

    /// Parses a reference as typed: case, spaces and dashes don't matter; the `EN` prefix may be omitted.
    ///
    /// # Errors
    /// [`OrderReferenceError::Format`] or [`OrderReferenceError::CheckDigit`].
    pub fn parse(input: &str) -> Result<Self, OrderReferenceError> {
        let compact: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
            .collect();
        let digits = match compact.get(..2) {
            Some(p) if p.eq_ignore_ascii_case("EN") => &compact[2..],
            _ => compact.as_str(),
        };
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(OrderReferenceError::Format);
        }
        if damm(digits.bytes().map(|b| b - b'0')) != 0 {
            return Err(OrderReferenceError::CheckDigit);
        }
        digits
            .parse()
            .map(OrderReference)
            .map_err(|_| OrderReferenceError::Format)
    }
}

fn nine_digits(payload: u64) -> impl Iterator<Item = u8> {
    (0..9)
        .rev()
        .map(move |i| u8::try_from(payload / 10_u64.pow(i) % 10).unwrap_or(0))
}

impl fmt::Display for OrderReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = format!("{:010}", self.0);
        write!(f, "EN-{}-{}", &s[..5], &s[5..])
    }
}

impl FromStr for OrderReference {
    type Err = OrderReferenceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrderReference::parse(s)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for OrderReference {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for OrderReference {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        OrderReference::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// How a customer may pay.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum PaymentMethod {
    /// Credit card (the default wherever it is allowed).
    Card,
    /// Purchase order: a PO number (and optionally the PO document), invoiced later.
    PurchaseOrder,
    /// Bank transfer against an invoice, with transfer instructions.
    BankTransfer,
}

impl PaymentMethod {
    /// The stable code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            PaymentMethod::Card => "card",
            PaymentMethod::PurchaseOrder => "purchase_order",
            PaymentMethod::BankTransfer => "bank_transfer",
        }
    }

    /// Parses a stable code; anything else is `None`.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        [
            PaymentMethod::Card,
            PaymentMethod::PurchaseOrder,
            PaymentMethod::BankTransfer,
        ]
        .into_iter()
        .find(|m| m.code() == code)
    }
}

/// Payment methods by country, as data; the first is the default. Countries not listed use
/// [`DEFAULT_PAYMENT_METHODS`].
pub const PAYMENT_METHODS: [(CountryCode, &[PaymentMethod]); 5] = [
    (
        CountryCode::ID,
        &[
            PaymentMethod::Card,
            PaymentMethod::PurchaseOrder,
            PaymentMethod::BankTransfer,
        ],
    ),
    (
        CountryCode::US,
        &[PaymentMethod::Card, PaymentMethod::PurchaseOrder],
    ),
    (
        CountryCode::DE,
        &[
            PaymentMethod::Card,
            PaymentMethod::PurchaseOrder,
            PaymentMethod::BankTransfer,
        ],
    ),
    (
        CountryCode::GB,
        &[PaymentMethod::Card, PaymentMethod::PurchaseOrder],
    ),
    (
        CountryCode::JP,
        &[PaymentMethod::Card, PaymentMethod::BankTransfer],
    ),
];

/// Payment methods of countries without their own entry.
pub const DEFAULT_PAYMENT_METHODS: &[PaymentMethod] =
    &[PaymentMethod::Card, PaymentMethod::PurchaseOrder];

/// The methods allowed in `country`, default first.
#[must_use]
pub fn payment_methods(country: CountryCode) -> &'static [PaymentMethod] {
    PAYMENT_METHODS
        .iter()
        .find(|(c, _)| *c == country)
        .map_or(DEFAULT_PAYMENT_METHODS, |(_, m)| m)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn payment_methods_read_back_from_their_codes_and_nothing_else() {
        for m in [
            PaymentMethod::Card,
            PaymentMethod::PurchaseOrder,
            PaymentMethod::BankTransfer,
        ] {
            assert_eq!(PaymentMethod::from_code(m.code()), Some(m));
        }
        assert_eq!(PaymentMethod::from_code("cash"), None);
    }

    #[test]
    fn recent_orders_reach_back_thirty_days() {
        assert_eq!(recent_orders_since(100 * 86_400), 70 * 86_400);
    }

    #[test]
    fn a_reference_displays_in_groups_and_parses_back() {
        let r = OrderReference::from_payload(483_120_927);
        let shown = r.to_string();
        assert!(shown.starts_with("EN-48312-0927"), "{shown}");
        assert_eq!(OrderReference::parse(&shown), Ok(r));
        assert_eq!(
            OrderReference::parse(&shown.to_lowercase().replace('-', " ")),
            Ok(r)
        );
        assert_eq!(OrderReference::parse(&shown[3..]), Ok(r));
        assert_eq!(r.payload(), 483_120_927);
    }

    #[test]
    fn a_mistyped_digit_is_caught_by_the_check_digit() {
        let r = OrderReference::from_payload(123_456_789).to_string();
        let typo = r.replacen("12345", "12845", 1);
        assert_eq!(
            OrderReference::parse(&typo),
            Err(OrderReferenceError::CheckDigit)
        );
    }

    #[test]
    fn malformed_references_are_format_errors() {
        for bad in [
            "",
            "EN-",
            "EN-1234",
            "XX-12345-67890",
            "EN-12345-6789O",
            "EN-12345-678901",
        ] {
            assert_eq!(
                OrderReference::parse(bad),
                Err(OrderReferenceError::Format),
                "{bad}"
            );
        }
    }

    #[test]
    fn orders_move_forward_or_get_cancelled_before_completion() {
        use OrderStatus as O;
        assert!(O::Received.can_become(O::Processing));
        assert!(O::Processing.can_become(O::Completed));
        assert!(O::Received.can_become(O::Cancelled));
        assert!(!O::Completed.can_become(O::Cancelled));
        assert!(!O::Received.can_become(O::Completed));
        assert!(!O::Cancelled.can_become(O::Processing));
    }

    #[test]
    fn card_is_the_default_method_and_bank_transfer_is_offered_in_indonesia() {
        let id = payment_methods(CountryCode::ID);
        assert_eq!(id[0], PaymentMethod::Card);
        assert!(id.contains(&PaymentMethod::BankTransfer));
        assert!(!payment_methods(CountryCode::US).contains(&PaymentMethod::BankTransfer));
        assert_eq!(
            payment_methods("FR".parse().unwrap()),
            DEFAULT_PAYMENT_METHODS
        );
    }
}
