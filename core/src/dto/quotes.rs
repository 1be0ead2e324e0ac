//! Quote requests to the sales rep and the rep's quote.

use super::*;

/// `POST /api/v1/quote-requests`: send the cart of a site to the sales rep as a quote request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct CreateQuoteRequest {
    /// Customer number.
    pub site: String,
    /// What the customer asks for (up to 2,000 characters).
    #[cfg_attr(feature = "serde", serde(default))]
    pub note: String,
}

/// Where a quote request stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum QuoteRequestStatus {
    /// Waiting for the sales rep.
    Submitted,
    /// The rep sent a quote.
    Quoted,
    /// The customer accepted it into the cart.
    Accepted,
    /// The customer declined it.
    Declined,
    /// The quote passed its validity date.
    Expired,
}

impl QuoteRequestStatus {
    /// Still open: waiting for the rep or for the customer's answer.
    #[must_use]
    pub const fn is_open(self) -> bool {
        matches!(
            self,
            QuoteRequestStatus::Submitted | QuoteRequestStatus::Quoted
        )
    }

    /// The stable code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            QuoteRequestStatus::Submitted => "submitted",
            QuoteRequestStatus::Quoted => "quoted",
            QuoteRequestStatus::Accepted => "accepted",
            QuoteRequestStatus::Declined => "declined",
            QuoteRequestStatus::Expired => "expired",
        }
    }

    /// Parses a stable code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        use QuoteRequestStatus as S;
        [
            S::Submitted,
            S::Quoted,
            S::Accepted,
            S::Declined,
            S::Expired,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// One line of a quote request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct QuoteRequestLine {
    /// Part.
    pub part_number: PartNumber,
    /// Description.
    pub description: String,
    /// Units.
    pub quantity: u32,
    /// Months, for monthly parts.
    pub months: Option<u16>,
    /// Unit price at the site's level.
    #[cfg_attr(feature = "serde", serde(default))]
    pub unit_price: Option<Money>,
    /// Extended price before the discount.
    #[cfg_attr(feature = "serde", serde(default))]
    pub extended: Option<Money>,
    /// The rep's discount on this line.
    #[cfg_attr(feature = "serde", serde(default))]
    pub discount: Option<Money>,
}

/// A quote request as the customer (and the rep) sees it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct QuoteRequestView {
    /// Number, e.g. `QR-000123`.
    pub number: String,
    /// Customer number.
    pub site: String,
    /// Status.
    pub status: QuoteRequestStatus,
    /// The customer's note.
    pub note: String,
    /// The lines asked for.
    pub lines: Vec<QuoteRequestLine>,
    /// The rep's discount in percent, once quoted.
    pub discount_percent: Option<rust_decimal::Decimal>,
    /// Valid through, once quoted.
    #[cfg_attr(feature = "serde", serde(default, with = "crate::dates::iso_option"))]
    pub valid_until: Option<time::Date>,
    /// The rep's note, once quoted.
    pub rep_note: Option<String>,
    /// When it was sent (unix seconds).
    pub created_at: i64,
    /// Site name.
    #[cfg_attr(feature = "serde", serde(default))]
    pub site_name: String,
    /// Who sent it (e-mail).
    #[cfg_attr(feature = "serde", serde(default))]
    pub requested_by: String,
    /// Sum of extended prices at the site's level, before the discount.
    #[cfg_attr(feature = "serde", serde(default))]
    pub subtotal: Option<Money>,
    /// The rep's discount in money.
    #[cfg_attr(feature = "serde", serde(default))]
    pub discount: Option<Money>,
    /// Subtotal less discount, before tax.
    #[cfg_attr(feature = "serde", serde(default))]
    pub net: Option<Money>,
    /// The money rows every screen shows, with tax, once the lines price.
    #[cfg_attr(feature = "serde", serde(default))]
    pub money: Option<crate::pricing::summary::MoneySummary>,
}

/// `POST /api/v1/desk/quote-requests/{number}/quote`: the sales rep's terms, sent to the customer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct SendQuote {
    /// Percent off every line, 0–100 with at most two decimals.
    pub discount_percent: rust_decimal::Decimal,
    /// The last day the quote can be ordered (today up to 180 days ahead).
    #[cfg_attr(feature = "serde", serde(default, with = "crate::dates::iso_option"))]
    pub valid_until: Option<time::Date>,
    /// A note for the customer (up to 2,000 characters).
    #[cfg_attr(feature = "serde", serde(default))]
    pub note: String,
}
