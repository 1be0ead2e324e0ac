//! Checkout: the terms, the methods offered, billing and shipping details, the payment and the order
//! request.

/// The terms and conditions in force.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TermsView {
    /// Version to accept.
    pub version: String,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
}

/// `GET /api/v1/checkout?site=`: what checkout offers the site.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CheckoutOptions {
    /// The site's country.
    pub country: crate::country::CountryCode,
    /// Allowed methods, the default first.
    pub payment_methods: Vec<crate::order::PaymentMethod>,
    /// The terms to accept.
    pub terms: TermsView,
    /// Billing details to start from: the site's last order's, else the organisation's name, the site's
    /// country and the signed-in user's name and e-mail. Every field stays editable.
    pub billing: BillingDetails,
}

/// Billing details of an order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct BillingDetails {
    /// Billing address.
    pub address: crate::validation::AddressInput,
    /// Contact person.
    pub contact_name: String,
    /// Contact e-mail (the confirmation goes here).
    pub email: String,
    /// Contact telephone.
    #[cfg_attr(feature = "serde", serde(default))]
    pub phone: String,
    /// Company tax ID (NPWP in Indonesia, required there).
    #[cfg_attr(feature = "serde", serde(default))]
    pub tax_id: String,
}

/// How the customer pays, as entered. The card fields travel once, to the server, which hands them to
/// the payment processor and keeps only brand, last four and expiry. `Debug` never shows them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)
)]
pub enum PaymentInput {
    /// Credit card.
    Card {
        /// Card number as typed.
        number: String,
        /// Expiry month.
        exp_month: String,
        /// Expiry year.
        exp_year: String,
        /// Security code.
        security_code: String,
        /// Name on the card.
        name: String,
    },
    /// Purchase order.
    PurchaseOrder {
        /// The customer's PO number.
        po_number: String,
    },
    /// Bank transfer against the invoice.
    BankTransfer,
}

impl std::fmt::Debug for PaymentInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PaymentInput::Card { .. } => f.write_str("PaymentInput::Card { •••• }"),
            PaymentInput::PurchaseOrder { po_number } => {
                write!(f, "PaymentInput::PurchaseOrder {{ {po_number} }}")
            }
            PaymentInput::BankTransfer => f.write_str("PaymentInput::BankTransfer"),
        }
    }
}

/// Where the licence keys and media go, when not to the billing contact.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ShippingDetails {
    /// Ship-to address.
    pub address: crate::validation::AddressInput,
    /// Ship-to contact.
    pub contact_name: String,
    /// Ship-to e-mail (electronic delivery).
    pub email: String,
}

/// `POST /api/v1/orders` (with an `Idempotency-Key` header): check out the site's cart.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PlaceOrder {
    /// Customer number of the site.
    pub site: String,
    /// Billing details.
    pub billing: BillingDetails,
    /// Shipping details, when they differ from billing.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub shipping: Option<ShippingDetails>,
    /// "I agree" to the terms.
    pub accept_terms: bool,
    /// The version of the terms shown.
    pub terms_version: String,
    /// Payment.
    pub payment: PaymentInput,
    /// The `revision` of the cart the customer reviewed; when it is sent and the cart is no longer that
    /// one, the order is refused with 409 `cart.changed`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub cart_revision: Option<String>,
}
