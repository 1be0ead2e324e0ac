//! The cart and saved carts.

use super::*;

/// `POST /api/v1/cart/lines`: add a catalog part to the cart of a site.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct AddCartLine {
    /// Customer number of the site buying.
    pub site: String,
    /// The part.
    pub part_number: PartNumber,
    /// Units.
    pub quantity: u32,
    /// Months, for monthly licences and subscriptions.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub months: Option<u16>,
}

/// `POST /api/v1/cart/renewal`: put a renewal quote's lines in the cart, priced as issued.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct AddRenewalToCart {
    /// The renewal quote.
    pub quote_number: String,
}

/// `PATCH /api/v1/cart/lines/{id}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct UpdateCartLine {
    /// New quantity.
    pub quantity: u32,
}

/// One priced cart line.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CartLineView {
    /// Line id.
    pub id: i64,
    /// Part.
    pub part_number: PartNumber,
    /// Description.
    pub description: String,
    /// Part type.
    pub part_type: PartType,
    /// The part's licence metric (what a quantity counts), for checking an edited quantity.
    #[cfg_attr(feature = "serde", serde(default))]
    pub metric: Option<Metric>,
    /// Units.
    pub quantity: u32,
    /// Months (1 unless monthly).
    pub months: u16,
    /// Coverage start, for S&S.
    #[cfg_attr(feature = "serde", serde(default, with = "crate::dates::iso_option"))]
    pub coverage_start: Option<time::Date>,
    /// Coverage end, for S&S.
    #[cfg_attr(feature = "serde", serde(default, with = "crate::dates::iso_option"))]
    pub coverage_end: Option<time::Date>,
    /// Unit price.
    pub unit_price: Money,
    /// Extended price.
    pub extended: Money,
    /// Discount.
    pub discount: Money,
    /// Tax.
    pub tax: Money,
    /// Total.
    pub total: Money,
    /// Pricing reasons.
    pub explanations: Vec<crate::pricing::Explanation>,
    /// The renewal quote the line came from.
    pub renewal_quote: Option<String>,
    /// The sales rep's quote this line was accepted from (its discount applies while valid).
    #[cfg_attr(feature = "serde", serde(default))]
    pub quote_request: Option<String>,
}

/// The cart of a site, priced by the server with `entitle-core`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CartView {
    /// A fingerprint of the lines and total as priced: send it with the order (`cart_revision`) so only
    /// the cart that was reviewed is ordered.
    #[cfg_attr(feature = "serde", serde(default))]
    pub revision: String,
    /// Customer number.
    pub site: String,
    /// Currency.
    pub currency: Currency,
    /// Level the cart is priced at.
    pub level: PriceLevel,
    /// Lines.
    pub lines: Vec<CartLineView>,
    /// Sum of extended prices.
    pub subtotal: Money,
    /// Sum of discounts.
    pub discount: Money,
    /// Sum of taxes.
    pub tax: Money,
    /// Grand total.
    pub total: Money,
    /// Points the order would earn.
    pub points: u64,
    /// The money rows every screen shows (subtotal, discount, tax with its rate and base, total).
    pub summary: crate::pricing::summary::MoneySummary,
    /// Renewal quotes in the cart that wait for the rep after a change: checkout is blocked.
    pub change_requested: Vec<String>,
    /// Sales reps' quotes whose lines in the cart were changed after they were accepted: the rep prices
    /// them again, and the customer accepts the new quote; checkout is blocked until then.
    #[cfg_attr(feature = "serde", serde(default))]
    pub quote_requests_changed: Vec<String>,
    /// Quotes (renewal quotes or a sales rep's quotes) in the cart that are past their validity date:
    /// checkout is blocked until their lines are removed or a new quote is issued.
    #[cfg_attr(feature = "serde", serde(default))]
    pub expired_quotes: Vec<String>,
    /// Whether the cart can be checked out now.
    pub can_check_out: bool,
}

/// `POST /api/v1/carts`: save the cart of a site under a name.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct SaveCart {
    /// Customer number.
    pub site: String,
    /// Name, 1–60 characters, unique per site.
    pub name: String,
}

/// A saved cart.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SavedCartView {
    /// Id.
    pub id: i64,
    /// Customer number.
    pub site: String,
    /// Name.
    pub name: String,
    /// Lines in it.
    pub lines: u32,
    /// When it was saved (unix seconds).
    pub saved_at: i64,
}
