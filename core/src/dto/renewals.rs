//! Renewal quotes, coverage, the channel a renewal goes through, auto-renew.

use super::*;

/// How a renewal is to be completed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum RenewalChannel {
    /// Online, in this portal.
    Online,
    /// Through the site's Business Partner (the customer sees it but renews there).
    BusinessPartner,
}

/// A person to contact.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Contact {
    /// Name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Telephone.
    pub phone: String,
}

/// A renewal quote in a list.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RenewalQuoteSummary {
    /// Quote number.
    pub quote_number: String,
    /// Status.
    pub status: crate::quote::QuoteStatus,
    /// Version (2 and up after a re-issue).
    pub version: u32,
    /// Site customer number.
    pub customer_number: String,
    /// Site name.
    pub site_name: String,
    /// Organisation.
    pub organisation: String,
    /// Agreement number.
    pub agreement_number: String,
    /// The renewal due date (the site's anniversary).
    #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
    pub due_date: time::Date,
    /// Last day it may be ordered.
    #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
    pub valid_until: time::Date,
    /// Number of lines.
    pub lines: u32,
    /// Total before tax, priced by `entitle-core`.
    pub subtotal: Money,
    /// Online or through the Business Partner.
    pub channel: RenewalChannel,
}

/// A group of renewal quotes (by month, by agreement, or all awaiting action).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RenewalGroup {
    /// `2026-12`, an agreement number, or `awaiting`.
    pub key: String,
    /// What to show as the group's heading (agreement: organisation name; month: the key).
    pub title: String,
    /// The quotes, by due date.
    pub quotes: Vec<RenewalQuoteSummary>,
}

/// One line of a renewal quote.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RenewalLine {
    /// Line id (for edits).
    pub id: i64,
    /// Renewal part.
    pub part_number: PartNumber,
    /// Description.
    pub description: String,
    /// Units.
    pub quantity: u32,
    /// Coverage start.
    #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
    pub coverage_start: time::Date,
    /// Coverage end (exclusive).
    #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
    pub coverage_end: time::Date,
    /// Unit price.
    pub unit_price: Money,
    /// Extended price.
    pub extended: Money,
    /// Tax on the line.
    pub tax: Money,
    /// Why it costs this (English; the app translates from the structured form).
    pub explanations: Vec<crate::pricing::Explanation>,
}

/// A renewal quote with everything the seed's quote page shows.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RenewalQuoteDetail {
    /// The list fields.
    pub summary: RenewalQuoteSummary,
    /// The price level of the quote.
    pub level: PriceLevel,
    /// Account information tab: customer number and renewal due date are in `summary`; the site's
    /// country here.
    pub country: crate::country::CountryCode,
    /// Sales representative tab.
    pub sales_rep: Contact,
    /// The renewal rep who reviews changes.
    pub renewal_rep: Contact,
    /// The Business Partner that owns this renewal, if any.
    pub business_partner: Option<Contact>,
    /// Whether the quote renews by itself on the anniversary; `None` where the site's country does
    /// not allow auto-renew.
    #[cfg_attr(feature = "serde", serde(default))]
    pub auto_renew: Option<bool>,
    /// Who turned auto-renew on, when, and under which terms (present while it is on).
    #[cfg_attr(feature = "serde", serde(default))]
    pub auto_renew_consent: Option<AutoRenewConsent>,
    /// The version of the terms of sale a customer accepts by turning auto-renew on.
    #[cfg_attr(feature = "serde", serde(default))]
    pub terms_version: String,
    /// The lines.
    pub lines: Vec<RenewalLine>,
    /// Sum of extended prices.
    pub subtotal: Money,
    /// Tax.
    pub tax: Money,
    /// Total.
    pub total: Money,
    /// The money rows every screen shows (subtotal, discount, tax with its rate and base, total).
    pub money: crate::pricing::summary::MoneySummary,
}

/// Where a site's S&S coverage stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum CoverageState {
    /// Ends more than 90 days from now.
    Active,
    /// Ends within 90 days: due for renewal.
    Due,
    /// Ended: only reinstatement is possible.
    Lapsed,
}

/// One entitlement's coverage.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CoverageItem {
    /// Site customer number.
    pub customer_number: String,
    /// Site name.
    pub site_name: String,
    /// Licence part.
    pub licence_part: PartNumber,
    /// Product.
    pub product: String,
    /// Renewal part.
    pub renewal_part: PartNumber,
    /// Units.
    pub quantity: u32,
    /// Coverage start.
    #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
    pub coverage_start: time::Date,
    /// Coverage end (exclusive).
    #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
    pub coverage_end: time::Date,
    /// Active, due or lapsed.
    pub state: CoverageState,
    /// Renewed online or through the Business Partner.
    pub channel: RenewalChannel,
    /// The partner's name, if the partner owns the renewal.
    pub business_partner: Option<String>,
}

/// `POST /api/v1/renewals/{quote_number}/channel`: renew through someone else than online.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct RenewalChannelRequest {
    /// Who should handle the renewal.
    pub channel: OfflineChannel,
    /// A note for them.
    #[cfg_attr(feature = "serde", serde(default))]
    pub note: String,
}

/// Who handles an offline renewal.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum OfflineChannel {
    /// The site's Business Partner.
    BusinessPartner,
    /// The vendor's renewal rep.
    RenewalRep,
}

/// `PUT /api/v1/renewals/{quote_number}/auto-renew`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct SetAutoRenew {
    /// Whether the quote renews by itself on the anniversary.
    pub enabled: bool,
    /// To turn it on: "I agree" to the terms of sale, which the automatic order is placed under.
    #[cfg_attr(feature = "serde", serde(default))]
    pub accept_terms: bool,
    /// To turn it on: the version of the terms shown (the quote's `terms_version`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub terms_version: String,
}

/// The consent behind an auto-renew setting: the order it places is binding.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AutoRenewConsent {
    /// Name of the customer who turned it on.
    pub by_name: String,
    /// Their e-mail.
    pub by_email: String,
    /// When (Unix seconds).
    pub at: i64,
    /// The version of the terms they accepted.
    pub terms_version: String,
}
