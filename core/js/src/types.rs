//! The package's inputs and outputs: plain JSON objects with snake_case fields, the same names the
//! portal's HTTP API uses. Money and rates are decimal strings (`"1500000.00"`), dates ISO strings
//! (`"2027-03-31"`), so no JavaScript number ever carries an amount.
//!
//! These types are the contract with JavaScript: `tsify` writes their TypeScript declarations into the
//! package's `.d.ts` from the definitions below, so the two cannot drift apart.

use entitle_core::catalog::{PartType, PriceLevel};
use entitle_core::locale::Locale;
use entitle_core::money::Currency;
use entitle_core::pricing::AgreementKind;
use entitle_core::validation::CardBrand;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// What `priceCart` prices: the parts' prices, who buys, and the lines.
#[derive(Debug, Clone, Deserialize, Tsify)]
pub struct CartInput {
    /// Every part a line names (and the reinstatement parts of renewals that may have lapsed).
    pub price_list: Vec<PriceListEntry>,
    /// The buyer.
    pub customer: Customer,
    /// The lines, in order.
    pub lines: Vec<CartLine>,
    /// The language of the explanations and of any problem (default `"en"`).
    #[serde(default)]
    #[tsify(optional)]
    pub locale: Locale,
}

/// A part of the price list with its unit prices.
#[derive(Debug, Clone, Deserialize, Tsify)]
pub struct PriceListEntry {
    /// Part number, e.g. `"E0ABCLL"`.
    pub part: String,
    /// What the part sells.
    pub part_type: PartType,
    /// Points one unit earns towards the price level.
    pub points_per_unit: u32,
    /// For an S&S renewal: the part that replaces it once coverage has lapsed.
    #[serde(default)]
    #[tsify(optional)]
    pub reinstatement_part: Option<String>,
    /// Unit prices by currency and level (per month for monthly parts).
    pub prices: Vec<UnitPrice>,
}

/// One unit price.
#[derive(Debug, Clone, Deserialize, Tsify)]
pub struct UnitPrice {
    /// The currency.
    pub currency: Currency,
    /// The price level.
    pub level: PriceLevel,
    /// The amount, a decimal string.
    #[tsify(type = "string")]
    pub amount: Decimal,
}

/// Everything about the buyer that changes a price.
#[derive(Debug, Clone, Deserialize, Tsify)]
pub struct Customer {
    /// Relationship (volume levels) or express (list price).
    pub agreement: AgreementKind,
    /// The level held now.
    pub level: PriceLevel,
    /// Points earned over the last term.
    pub points: u32,
    /// The site's country, ISO 3166-1 alpha-2 (`"ID"`).
    pub country: String,
    /// The currency the site buys in.
    pub currency: Currency,
    /// The site's next anniversary, `YYYY-MM-DD`: the day all its S&S renews on.
    pub anniversary: String,
    /// The pricing date, `YYYY-MM-DD` (the rules never read a clock).
    pub today: String,
}

/// One line to price.
#[derive(Debug, Clone, Deserialize, Tsify)]
pub struct CartLine {
    /// Part number.
    pub part: String,
    /// Units (PVUs, users, installs …).
    pub quantity: u32,
    /// How long it runs (default: the part's own term).
    #[serde(default)]
    #[tsify(optional)]
    pub term: LineTerm,
    /// A rep's discount on the line.
    #[serde(default)]
    #[tsify(optional)]
    pub discount: Option<LineDiscount>,
}

/// How long a line runs.
#[derive(Debug, Clone, Default, Deserialize, Tsify)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LineTerm {
    /// The part's own term: a year for licences, up to the anniversary (prorated) for S&S renewals.
    #[default]
    Standard,
    /// S&S coverage from `start` up to `end` (exclusive), prorated by days/365 when shorter than a year.
    Coverage {
        /// First covered day, `YYYY-MM-DD`.
        start: String,
        /// The day coverage ends, `YYYY-MM-DD`.
        end: String,
    },
    /// Months of a monthly licence or a subscription.
    Months {
        /// How many months.
        months: u16,
    },
}

/// A rep's percentage off a line, valid through a day.
#[derive(Debug, Clone, Deserialize, Tsify)]
pub struct LineDiscount {
    /// Percent off, a decimal string (`"10"`, `"12.5"`).
    #[tsify(type = "string")]
    pub percent: Decimal,
    /// The last day it may be ordered at, `YYYY-MM-DD`.
    pub valid_until: String,
}

/// A priced cart. Every total is the sum of the rounded lines, so the rows add up.
#[derive(Debug, Clone, PartialEq, Serialize, Tsify)]
pub struct PricedCart {
    /// The currency of every amount.
    pub currency: Currency,
    /// The level the order is priced at.
    pub level: PriceLevel,
    /// The lines, in request order.
    pub lines: Vec<PricedCartLine>,
    /// Sum of extended prices.
    pub subtotal: String,
    /// Sum of discounts.
    pub discount: String,
    /// Sum of net amounts.
    pub net: String,
    /// Sum of line taxes.
    pub tax: String,
    /// `net + tax`.
    pub total: String,
    /// Points the order earns.
    pub points: u32,
    /// The country's tax, when it has one.
    pub tax_rule: Option<TaxRuleView>,
}

/// A priced line: the facts, and the reasons in the requested language.
#[derive(Debug, Clone, PartialEq, Serialize, Tsify)]
pub struct PricedCartLine {
    /// The part priced (the reinstatement part when the renewal had lapsed).
    pub part: String,
    /// Its type.
    pub part_type: PartType,
    /// Units.
    pub quantity: u32,
    /// The level used.
    pub level: PriceLevel,
    /// Unit price at that level.
    pub unit_price: String,
    /// Months multiplied in (1 for parts that are not monthly).
    pub months: u16,
    /// Days covered when prorated (fewer than 365).
    pub prorated_days: Option<u32>,
    /// Coverage start of S&S lines, `YYYY-MM-DD`.
    pub coverage_start: Option<String>,
    /// Coverage end (exclusive) of S&S lines.
    pub coverage_end: Option<String>,
    /// The renewal part this line replaces, when its coverage had lapsed.
    pub reinstates: Option<String>,
    /// unit × quantity × months × proration, rounded half-up.
    pub extended: String,
    /// Discount taken off.
    pub discount: String,
    /// `extended − discount`.
    pub net: String,
    /// Tax on `net`.
    pub tax: String,
    /// `net + tax`.
    pub total: String,
    /// Points the line earns.
    pub points: u32,
    /// Why the line costs what it costs, in order.
    pub explanations: Vec<Reason>,
}

/// One reason a line costs what it costs.
#[derive(Debug, Clone, PartialEq, Serialize, Tsify)]
pub struct Reason {
    /// Stable kind: `level`, `express_list_price`, `prorated`, `co_termed`, `reinstated`, `months`,
    /// `discount`, `discount_expired`, `tax`.
    pub kind: String,
    /// The sentence the portal shows, in the requested language.
    pub text: String,
}

/// A country's tax as applied.
#[derive(Debug, Clone, PartialEq, Serialize, Tsify)]
pub struct TaxRuleView {
    /// What people call it (`"PPN"`).
    pub name: String,
    /// The statutory rate as a fraction, a decimal string (`"0.12"`).
    pub rate: String,
    /// The share of the price taxed, `base_numerator / base_denominator` (11/12 in Indonesia).
    pub base_numerator: u32,
    /// See `base_numerator`.
    pub base_denominator: u32,
}

/// A problem with an input: the field, a stable code and a message in the requested language.
#[derive(Debug, Clone, PartialEq, Serialize, Tsify)]
pub struct Problem {
    /// The field, e.g. `"number"`, `"postal_code"`, `"lines[1]"`.
    pub field: String,
    /// Stable code, e.g. `"card.luhn"`: the same code the portal's API answers with.
    pub code: String,
    /// The message the portal shows.
    pub message: String,
}

/// A card number that passed: its brand and what may be shown of it.
#[derive(Debug, Clone, PartialEq, Serialize, Tsify)]
pub struct CardNumberInfo {
    /// The scheme.
    pub brand: CardBrand,
    /// The scheme's name as printed, e.g. `"Visa"`.
    pub brand_name: String,
    /// The last four digits.
    pub last4: String,
    /// Digits of the security code this brand uses.
    pub security_code_length: u32,
}

/// An expiry that passed.
#[derive(Debug, Clone, PartialEq, Serialize, Tsify)]
pub struct ExpiryInfo {
    /// Month 1–12.
    pub month: u8,
    /// Four-digit year.
    pub year: i32,
    /// The last day the card can be used, `YYYY-MM-DD`.
    pub last_valid_day: String,
}

/// An NPWP (Indonesian tax ID) that passed.
#[derive(Debug, Clone, PartialEq, Serialize, Tsify)]
pub struct NpwpInfo {
    /// The digits only.
    pub digits: String,
    /// As printed.
    pub formatted: String,
}

/// An order reference that passed.
#[derive(Debug, Clone, PartialEq, Serialize, Tsify)]
pub struct ReferenceInfo {
    /// The reference as printed, `EN-48312-09275`.
    pub reference: String,
    /// The nine-digit number inside it (without the check digit).
    pub payload: u32,
}

/// A billing or shipping address as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Tsify)]
pub struct AddressFields {
    /// Company or person.
    pub name: String,
    /// Street and number.
    pub line1: String,
    /// Building, floor.
    #[serde(default)]
    #[tsify(optional)]
    pub line2: String,
    /// City.
    pub city: String,
    /// State, province or prefecture (required where the country uses one).
    #[serde(default)]
    #[tsify(optional)]
    pub region: String,
    /// Postal code.
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
}

/// How `formatDate` writes a date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Tsify)]
#[serde(rename_all = "snake_case")]
pub enum DateStyle {
    /// `31 Mar 2027` / `31 Mar 2027`.
    #[default]
    Short,
    /// `31 March 2027` / `31 Maret 2027`.
    Long,
}

/// The answer of every check: either the value it accepted, or every problem found.
///
/// In JSON: `{"status": "valid", "value": …}` or `{"status": "invalid", "problems": […]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Tsify)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Checked<T> {
    /// Accepted.
    Valid {
        /// What was accepted, normalised.
        value: T,
    },
    /// Refused.
    Invalid {
        /// Each problem, with its field.
        problems: Vec<Problem>,
    },
}

impl<T> Checked<T> {
    /// A refusal of one field.
    pub(crate) fn problem(field: &str, code: &str, message: String) -> Self {
        Checked::Invalid {
            problems: vec![Problem {
                field: field.to_owned(),
                code: code.to_owned(),
                message,
            }],
        }
    }
}
