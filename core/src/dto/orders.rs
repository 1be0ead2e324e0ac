//! Orders as customers and staff see them, and the desk's status changes.

use super::*;

/// How an order was paid, as it may be shown.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PaymentView {
    /// Method.
    pub method: crate::order::PaymentMethod,
    /// The card, masked.
    pub card: Option<crate::validation::MaskedCard>,
    /// Card expiry `MM/YYYY`.
    pub card_expiry: Option<String>,
    /// The PO number.
    pub po_number: Option<String>,
    /// Where to transfer the money.
    pub bank_instructions: Option<String>,
    /// The file name of the attached purchase-order document, once uploaded.
    #[cfg_attr(feature = "serde", serde(default))]
    pub po_document: Option<String>,
    /// The card payment was refunded (the order was cancelled).
    #[cfg_attr(feature = "serde", serde(default))]
    pub refunded: bool,
    /// The order was cancelled and its card payment's refund is under way (the processor has not
    /// confirmed it yet; it is retried until it does).
    #[cfg_attr(feature = "serde", serde(default))]
    pub refund_pending: bool,
}

/// One line of an order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OrderLineView {
    /// Part.
    pub part_number: PartNumber,
    /// Description.
    pub description: String,
    /// Units.
    pub quantity: u32,
    /// Months.
    pub months: u16,
    /// Coverage start.
    #[cfg_attr(feature = "serde", serde(default, with = "crate::dates::iso_option"))]
    pub coverage_start: Option<time::Date>,
    /// Coverage end.
    #[cfg_attr(feature = "serde", serde(default, with = "crate::dates::iso_option"))]
    pub coverage_end: Option<time::Date>,
    /// Unit price.
    pub unit_price: Money,
    /// Extended price.
    pub extended: Money,
    /// Tax.
    pub tax: Money,
}

/// An order as the customer sees it (the confirmation page and the order look-up).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OrderView {
    /// Order reference number.
    pub reference: crate::order::OrderReference,
    /// Status.
    pub status: crate::order::OrderStatus,
    /// When it was placed (unix seconds).
    pub placed_at: i64,
    /// Customer number.
    pub site: String,
    /// Site name.
    pub site_name: String,
    /// The customer organisation's name.
    #[cfg_attr(feature = "serde", serde(default))]
    pub organisation: String,
    /// The renewal quote it ordered, if any.
    pub renewal_quote: Option<String>,
    /// Lines.
    pub lines: Vec<OrderLineView>,
    /// Subtotal.
    pub subtotal: Money,
    /// Discount.
    pub discount: Money,
    /// Tax.
    pub tax: Money,
    /// Total.
    pub total: Money,
    /// The money rows every screen shows (subtotal, discount, tax with its rate and base, total).
    pub summary: crate::pricing::summary::MoneySummary,
    /// Payment.
    pub payment: PaymentView,
    /// Billing details as entered.
    pub billing: BillingDetails,
    /// Shipping details, if they differ from billing.
    pub shipping: Option<ShippingDetails>,
    /// Why it was cancelled.
    #[cfg_attr(feature = "serde", serde(default))]
    pub cancel_reason: Option<String>,
    /// Placed by the renewal engine (auto-renew) rather than by a person.
    #[cfg_attr(feature = "serde", serde(default))]
    pub auto_renewed: bool,
}

/// `POST /api/v1/desk/orders/{reference}/status`: move an order on (received → processing →
/// completed) or cancel it with a reason.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ChangeOrderStatus {
    /// The new status.
    pub status: crate::order::OrderStatus,
    /// Why, when cancelling (required then; up to 500 characters).
    #[cfg_attr(feature = "serde", serde(default))]
    pub reason: String,
}
