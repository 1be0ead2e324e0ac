//! The pricing engine: from a price book, a customer and requested lines to priced lines and totals.
//!
//! The rules (docs/domain.md §4), in the order they are applied to each line:
//!
//! 1. **Level.** Express agreements always pay `BL`. Relationship customers pay their level, lifted to
//!    the level the order's own points reach when that is higher. Special levels (ED, GV) are kept.
//! 2. **Reinstatement.** An S&S renewal whose coverage started before `today − grace_days` has lapsed:
//!    it is replaced by the part's reinstatement part, covering 12 months from `today`.
//! 3. **Term.** Monthly parts multiply by months (subscriptions: 12–36). S&S coverage shorter than a year
//!    is prorated by covered days / 365 (co-termination to the site's anniversary).
//! 4. **Extended price** = unit × quantity × months × proration, rounded half-up once per line.
//! 5. **Discount** (a rep's percentage with a validity date) — rounded per line; ignored once expired.
//! 6. **Tax** from the country's [`TaxTable`] rule on the net line, rounded per line.
//!
//! Totals are sums of the rounded line amounts, so a cart always adds up on screen.

pub mod cart;

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::catalog::{PartNumber, PartType, PriceLevel};
pub use crate::country::{CountryCode, TaxRule, TaxTable};
use crate::money::{Currency, Money, MoneyError};

/// The days in the year that proration divides by, whatever the calendar year.
pub const DAYS_PER_YEAR: i64 = 365;
/// Minimum and maximum months of a subscription.
pub const SUBSCRIPTION_MONTHS: (u16, u16) = (12, 36);
/// Maximum months of a monthly licence line.
pub const MAX_MONTHLY_MONTHS: u16 = 36;

/// The customer's kind of agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    /// Volume pricing: points earn price levels.
    Relationship,
    /// One site, list price (BL) only.
    Express,
}

/// Everything about the buyer that changes a price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerContext {
    /// Relationship or express.
    pub agreement: AgreementKind,
    /// The level held now (earned over the last term, or a special level).
    pub level: PriceLevel,
    /// Points earned over the last term.
    pub points: u64,
    /// The site's country (tax, payment methods).
    pub country: CountryCode,
    /// The currency the site buys in.
    pub currency: Currency,
    /// The site's next anniversary: the day all its S&S renews on.
    #[serde(with = "crate::dates::iso")]
    pub anniversary: Date,
    /// The pricing date.
    #[serde(with = "crate::dates::iso")]
    pub today: Date,
}

/// The unit prices and points of one part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartPrices {
    /// The part.
    pub part: PartNumber,
    /// What it sells.
    pub part_type: PartType,
    /// Points earned per unit bought.
    pub points_per_unit: u32,
    /// For an S&S renewal part: the part that reinstates it once lapsed.
    pub reinstatement_part: Option<PartNumber>,
    /// Unit price by currency and level (indexed by `Currency::index` and `PriceLevel::index`).
    prices: [[Option<Decimal>; PriceLevel::ALL.len()]; Currency::ALL.len()],
}

impl PartPrices {
    /// A part with no prices yet.
    #[must_use]
    pub fn new(part: PartNumber, part_type: PartType, points_per_unit: u32) -> Self {
        PartPrices {
            part,
            part_type,
            points_per_unit,
            reinstatement_part: None,
            prices: Default::default(),
        }
    }

    /// Sets the unit price at a level in a currency (per month for monthly parts and subscriptions).
    #[must_use]
    pub fn with_price(mut self, currency: Currency, level: PriceLevel, unit: Decimal) -> Self {
        self.set_price(currency, level, unit);
        self
    }

    /// Sets the unit price at a level in a currency, replacing an earlier one.
    pub fn set_price(&mut self, currency: Currency, level: PriceLevel, unit: Decimal) {
        self.prices[currency.index()][level.index()] = Some(unit);
    }

    /// Names the reinstatement part of an S&S renewal part.
    #[must_use]
    pub fn with_reinstatement(mut self, part: PartNumber) -> Self {
        self.reinstatement_part = Some(part);
        self
    }

    /// The unit price at `level` in `currency`, if the part is sold there.
    #[must_use]
    pub fn unit_price(&self, currency: Currency, level: PriceLevel) -> Option<Money> {
        self.prices[currency.index()][level.index()].map(|p| Money::new(p, currency))
    }
}

/// FNV-1a over the seven bytes of a part number: part numbers are not attacker-chosen keys here (the
/// book is built from the catalog), and SipHash would be a third of the time of pricing a line.
#[derive(Debug, Clone, Copy)]
pub struct PartHasher(u64);

impl Default for PartHasher {
    fn default() -> Self {
        PartHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for PartHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The parts a pricing run may use, by part number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceBook {
    parts: HashMap<PartNumber, PartPrices, BuildHasherDefault<PartHasher>>,
}

impl PriceBook {
    /// Adds or replaces a part.
    pub fn insert(&mut self, prices: PartPrices) {
        self.parts.insert(prices.part, prices);
    }

    /// The part, if present.
    #[must_use]
    pub fn get(&self, part: &PartNumber) -> Option<&PartPrices> {
        self.parts.get(part)
    }

    /// How many parts it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether it holds no part.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

impl FromIterator<PartPrices> for PriceBook {
    fn from_iter<T: IntoIterator<Item = PartPrices>>(iter: T) -> Self {
        let mut book = PriceBook::default();
        for p in iter {
            book.insert(p);
        }
        book
    }
}

/// How long a line runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Term {
    /// The part's own term: 12 months for licence + S&S, fixed-term and reinstatement parts; the year up
    /// to the anniversary (prorated) for an S&S renewal.
    Standard,
    /// S&S coverage over `[start, end)`, prorated by days/365 when shorter than a year.
    Coverage {
        /// First covered day.
        #[serde(with = "crate::dates::iso")]
        start: Date,
        /// The day coverage ends (exclusive), normally the site's anniversary.
        #[serde(with = "crate::dates::iso")]
        end: Date,
    },
    /// A number of months, for monthly licences and subscriptions.
    Months {
        /// How many months.
        months: u16,
    },
}

/// A rep's percentage off a line, valid until a date (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discount {
    /// Percent off, `0 < percent ≤ 100`.
    pub percent: Decimal,
    /// The last day the discount may be ordered at.
    #[serde(with = "crate::dates::iso")]
    pub valid_until: Date,
}

/// One line to price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRequest {
    /// The part.
    pub part: PartNumber,
    /// Units (PVUs, users, installs …).
    pub quantity: u32,
    /// How long it runs.
    pub term: Term,
    /// A quote's discount on this line.
    pub discount: Option<Discount>,
}

impl LineRequest {
    /// A line without a discount.
    #[must_use]
    pub fn new(part: PartNumber, quantity: u32, term: Term) -> Self {
        LineRequest {
            part,
            quantity,
            term,
            discount: None,
        }
    }

    /// The same line with a discount.
    #[must_use]
    pub fn with_discount(mut self, discount: Discount) -> Self {
        self.discount = Some(discount);
        self
    }
}

/// Rules of a pricing run that are configuration, not customer data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricingRules {
    /// Tax by country.
    pub tax: TaxTable,
    /// Days after coverage ends during which it may still be renewed rather than reinstated.
    pub grace_days: u32,
}

impl PricingRules {
    /// The shipped defaults: [`TaxTable::standard`], no grace period.
    #[must_use]
    pub fn standard() -> Self {
        PricingRules {
            tax: TaxTable::standard(),
            grace_days: 0,
        }
    }
}

/// One reason a line costs what it costs, for a UI to show (and translate by variant).
///
/// In JSON it is externally tagged — `{"tax": {"name": "PPN", …}}`, `"express_list_price"` — rather than
/// carrying a `kind` field: reading an internally tagged enum needs serde to buffer every value first,
/// which costs the browser build far more code.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Explanation {
    /// The level the line is priced at, and whether the order's own points lifted it.
    Level {
        /// The level used.
        level: PriceLevel,
        /// The customer's level before the order.
        held: PriceLevel,
        /// True when the order's points reached `level`.
        lifted: bool,
    },
    /// Express agreements pay list price.
    ExpressListPrice,
    /// Coverage shorter than a year, prorated.
    Prorated {
        /// Days covered.
        days: i64,
        /// The divisor (365).
        of: i64,
        /// The end of coverage (the anniversary).
        #[serde(with = "crate::dates::iso")]
        until: Date,
    },
    /// Lapsed S&S replaced by its reinstatement part.
    Reinstated {
        /// The renewal part asked for.
        instead_of: PartNumber,
        /// When coverage lapsed.
        #[serde(with = "crate::dates::iso")]
        lapsed_on: Date,
    },
    /// Monthly price × months.
    Months {
        /// How many months.
        months: u16,
    },
    /// A quote discount applied.
    Discount {
        /// Percent off.
        percent: Decimal,
        /// Valid through.
        #[serde(with = "crate::dates::iso")]
        valid_until: Date,
    },
    /// A quote discount that is no longer valid and was not applied.
    DiscountExpired {
        /// Percent that would have applied.
        percent: Decimal,
        /// The day it ended.
        #[serde(with = "crate::dates::iso")]
        valid_until: Date,
    },
    /// Tax charged on the line.
    Tax {
        /// Tax name, e.g. "PPN".
        name: String,
        /// Statutory rate.
        rate: Decimal,
        /// Numerator of the share of the price taxed.
        base_numerator: u32,
        /// Denominator of the share of the price taxed.
        base_denominator: u32,
    },
}

impl fmt::Display for Explanation {
    /// English text; the app renders its own translations from the variant.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Explanation::Level {
                level,
                held,
                lifted: true,
            } => {
                write!(
                    f,
                    "price level {} (lifted from {} by this order's points)",
                    level.code(),
                    held.code()
                )
            }
            Explanation::Level { level, .. } => write!(f, "price level {}", level.code()),
            Explanation::ExpressListPrice => f.write_str("express agreement: list price (BL)"),
            Explanation::Prorated { days, of, until } => {
                write!(f, "prorated {days}/{of} days to anniversary {until}")
            }
            Explanation::Reinstated {
                instead_of,
                lapsed_on,
            } => {
                write!(
                    f,
                    "coverage lapsed on {lapsed_on}: reinstated instead of renewing {instead_of}"
                )
            }
            Explanation::Months { months } => write!(f, "{months} months"),
            Explanation::Discount {
                percent,
                valid_until,
            } => {
                write!(f, "{percent}% quote discount, valid through {valid_until}")
            }
            Explanation::DiscountExpired {
                percent,
                valid_until,
            } => {
                write!(
                    f,
                    "{percent}% quote discount expired on {valid_until}, not applied"
                )
            }
            Explanation::Tax {
                name,
                rate,
                base_numerator,
                base_denominator,
            } => {
                let pct = (rate * Decimal::ONE_HUNDRED).normalize();
                if base_numerator == base_denominator {
                    write!(f, "{name} {pct}%")
                } else {
                    write!(
                        f,
                        "{name} {pct}% on {base_numerator}/{base_denominator} of the price"
                    )
                }
            }
        }
    }
}

/// A lapsed renewal replaced by its reinstatement part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reinstatement {
    /// The renewal part asked for.
    pub instead_of: PartNumber,
    /// When coverage lapsed.
    #[serde(with = "crate::dates::iso")]
    pub lapsed_on: Date,
}

/// A priced line. The fields are the facts; [`PricedLine::explanations`] turns them into reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedLine {
    /// The part actually priced (the reinstatement part when the renewal had lapsed).
    pub part: PartNumber,
    /// Its type.
    pub part_type: PartType,
    /// Units.
    pub quantity: u32,
    /// The level used.
    pub level: PriceLevel,
    /// The customer's level before this order (differs from `level` when the order lifted it).
    pub held_level: PriceLevel,
    /// Priced at list price because the agreement is express.
    pub express: bool,
    /// Unit price at that level (per month for monthly parts).
    pub unit_price: Money,
    /// Months multiplied in (1 for non-monthly parts).
    pub months: u16,
    /// Days covered when prorated (fewer than 365), else `None`.
    pub prorated_days: Option<i64>,
    /// Coverage start, for S&S lines.
    #[serde(default, with = "crate::dates::iso_option")]
    pub coverage_start: Option<Date>,
    /// Coverage end (exclusive), for S&S lines.
    #[serde(default, with = "crate::dates::iso_option")]
    pub coverage_end: Option<Date>,
    /// Set when a lapsed renewal was replaced by its reinstatement part.
    pub reinstatement: Option<Reinstatement>,
    /// The quote discount on the line, and whether it was still valid (applied).
    pub discount_terms: Option<(Discount, bool)>,
    /// unit × quantity × months × (days/365 when prorated), rounded half-up to minor units.
    pub extended: Money,
    /// The discount taken off `extended`, rounded.
    pub discount: Money,
    /// `extended − discount`.
    pub net: Money,
    /// Tax on `net`, rounded.
    pub tax: Money,
    /// `net + tax`.
    pub total: Money,
    /// Points the line earns.
    pub points: u64,
}

impl PricedLine {
    /// The proration factor: covered days / 365, or 1.
    #[must_use]
    pub fn proration(&self) -> Decimal {
        self.prorated_days.map_or(Decimal::ONE, |d| {
            Decimal::from(d) / Decimal::from(DAYS_PER_YEAR)
        })
    }

    /// Why the line costs what it costs, in order (level, reinstatement, proration, months, discount,
    /// tax). `tax` is the rule applied to the quote, if any.
    #[must_use]
    pub fn explanations(&self, tax: Option<&TaxRule>) -> Vec<Explanation> {
        let mut out = Vec::with_capacity(4);
        if self.express {
            out.push(Explanation::ExpressListPrice);
        } else {
            out.push(Explanation::Level {
                level: self.level,
                held: self.held_level,
                lifted: self.level != self.held_level,
            });
        }
        if let Some(r) = self.reinstatement {
            out.push(Explanation::Reinstated {
                instead_of: r.instead_of,
                lapsed_on: r.lapsed_on,
            });
        }
        if let (Some(days), Some(until)) = (self.prorated_days, self.coverage_end) {
            out.push(Explanation::Prorated {
                days,
                of: DAYS_PER_YEAR,
                until,
            });
        }
        if matches!(
            self.part_type,
            PartType::MonthlyLicense | PartType::Subscription
        ) {
            out.push(Explanation::Months {
                months: self.months,
            });
        }
        match self.discount_terms {
            Some((d, true)) => out.push(Explanation::Discount {
                percent: d.percent,
                valid_until: d.valid_until,
            }),
            Some((d, false)) => {
                out.push(Explanation::DiscountExpired {
                    percent: d.percent,
                    valid_until: d.valid_until,
                });
            }
            None => {}
        }
        if let Some(rule) = tax {
            out.push(Explanation::Tax {
                name: rule.name.clone(),
                rate: rule.rate,
                base_numerator: rule.base_numerator,
                base_denominator: rule.base_denominator,
            });
        }
        out
    }
}

/// A priced set of lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedQuote {
    /// The lines, in request order.
    pub lines: Vec<PricedLine>,
    /// The level the order was priced at.
    pub level: PriceLevel,
    /// The tax rule applied, if the country has one.
    pub tax_rule: Option<TaxRule>,
    /// Sum of extended prices.
    pub subtotal: Money,
    /// Sum of discounts.
    pub discount: Money,
    /// Sum of net amounts.
    pub net: Money,
    /// Sum of line taxes.
    pub tax: Money,
    /// `net + tax`.
    pub total: Money,
    /// Points the order earns.
    pub points: u64,
}

impl PricedQuote {
    /// The explanations of line `index` (empty if out of range).
    #[must_use]
    pub fn explanations(&self, index: usize) -> Vec<Explanation> {
        self.lines
            .get(index)
            .map(|l| l.explanations(self.tax_rule.as_ref()))
            .unwrap_or_default()
    }
}

/// Why a set of lines can't be priced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    /// The part is not in the price book.
    #[error("part {part} is not in the catalog")]
    UnknownPart {
        /// The part.
        part: PartNumber,
    },
    /// The part has no price at the level in the currency.
    #[error("part {part} has no {currency} price at level {level:?}")]
    NoPrice {
        /// The part.
        part: PartNumber,
        /// The currency asked for.
        currency: Currency,
        /// The level asked for.
        level: PriceLevel,
    },
    /// Quantity must be at least one.
    #[error("line {index}: quantity must be at least 1")]
    ZeroQuantity {
        /// Line index (0-based).
        index: usize,
    },
    /// The term does not fit the part type.
    #[error("line {index}: {reason}")]
    InvalidTerm {
        /// Line index (0-based).
        index: usize,
        /// What is wrong.
        reason: TermError,
    },
    /// A lapsed renewal whose part has no reinstatement part.
    #[error("coverage of {part} lapsed on {lapsed_on} and the part has no reinstatement part")]
    NoReinstatementPart {
        /// The renewal part.
        part: PartNumber,
        /// When coverage lapsed.
        lapsed_on: Date,
    },
    /// A discount outside `0 < p ≤ 100`.
    #[error("line {index}: a discount is more than 0 and at most 100 percent")]
    InvalidDiscount {
        /// Line index (0-based).
        index: usize,
    },
    /// Arithmetic failed (overflow or mixed currencies).
    #[error(transparent)]
    Money(#[from] MoneyError),
}

impl PricingError {
    /// Stable code for UIs and the API.
    #[must_use]
    pub const fn code(&self) -> crate::error_code::ErrorCode {
        use crate::error_code::ErrorCode as C;
        match self {
            PricingError::UnknownPart { .. } => C::PricingUnknownPart,
            PricingError::NoPrice { .. } => C::PricingNoPrice,
            PricingError::ZeroQuantity { .. } => C::PricingZeroQuantity,
            PricingError::InvalidTerm { .. } => C::PricingInvalidTerm,
            PricingError::NoReinstatementPart { .. } => C::PricingNoReinstatementPart,
            PricingError::InvalidDiscount { .. } => C::PricingInvalidDiscount,
            PricingError::Money(_) => C::PricingArithmetic,
        }
    }
}

/// What is wrong with a line's [`Term`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    /// Monthly parts and subscriptions need a number of months.
    #[error("this part is sold by the month: give a number of months")]
    MonthsRequired,
    /// Months on a part that is not monthly.
    #[error("this part is not sold by the month")]
    MonthsNotAllowed,
    /// Months outside the allowed range.
    #[error("between {min} and {max} months")]
    MonthsOutOfRange {
        /// Minimum months.
        min: u16,
        /// Maximum months.
        max: u16,
    },
    /// Coverage end not after its start.
    #[error("coverage must end after it starts")]
    EmptyCoverage,
    /// Coverage longer than a year.
    #[error("coverage is at most one year")]
    CoverageTooLong,
    /// A coverage period on a part that is not S&S.
    #[error("only S&S parts take a coverage period")]
    CoverageNotAllowed,
}

impl TermError {
    /// Stable code for the API and the UI.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            TermError::MonthsRequired => "term.months_required",
            TermError::MonthsNotAllowed => "term.months_not_allowed",
            TermError::MonthsOutOfRange { .. } => "term.months_out_of_range",
            TermError::EmptyCoverage => "term.empty_coverage",
            TermError::CoverageTooLong => "term.coverage_too_long",
            TermError::CoverageNotAllowed => "term.coverage_not_allowed",
        }
    }
}

/// The months a customer typed for a part of `part_type`: 1–36 for a monthly licence, 12–36 for a
/// subscription; any other part takes no months.
///
/// # Errors
/// [`TermError::MonthsOutOfRange`] for a number outside the range (or not a number),
/// [`TermError::MonthsNotAllowed`] for a part not sold by the month.
pub fn parse_months(part_type: PartType, input: &str) -> Result<u16, TermError> {
    let (min, max) = match part_type {
        PartType::MonthlyLicense => (1, MAX_MONTHLY_MONTHS),
        PartType::Subscription => SUBSCRIPTION_MONTHS,
        _ => return Err(TermError::MonthsNotAllowed),
    };
    input
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|m| (min..=max).contains(m))
        .ok_or(TermError::MonthsOutOfRange { min, max })
}

/// Prices `lines` for `customer` from `book`.
///
/// # Errors
/// [`PricingError`] for an unknown part, a missing price, a zero quantity, a term that does not fit the
/// part, a lapsed renewal without a reinstatement part or an invalid discount. Pricing is all-or-nothing.
pub fn price(
    book: &PriceBook,
    customer: &CustomerContext,
    lines: &[LineRequest],
    rules: &PricingRules,
) -> Result<PricedQuote, PricingError> {
    let currency = customer.currency;
    // Resolve parts first: the order's points decide the level every line is priced at.
    let mut resolved = Vec::with_capacity(lines.len());
    let mut order_points: u64 = 0;
    for (index, line) in lines.iter().enumerate() {
        if line.quantity == 0 {
            return Err(PricingError::ZeroQuantity { index });
        }
        let r = resolve(book, customer, line, index, rules)?;
        order_points += u64::from(r.part.points_per_unit) * u64::from(line.quantity);
        resolved.push(r);
    }
    let level = order_level(customer, order_points);
    let tax_rule = rules.tax.rule_for(customer.country);

    let mut priced = Vec::with_capacity(lines.len());
    let mut sums = [0_i128; 3];
    let mut points: u64 = 0;
    for (index, (line, r)) in lines.iter().zip(resolved).enumerate() {
        let l = price_line(customer, level, line, r, index, tax_rule)?;
        sums[0] += l.extended_minor;
        sums[1] += l.discount_minor;
        sums[2] += l.tax_minor;
        points = points.saturating_add(l.line.points);
        priced.push(l.line);
    }
    let money = |minor: i128| minor_to_money(minor, currency);
    let subtotal = money(sums[0])?;
    let discount = money(sums[1])?;
    let net = money(sums[0] - sums[1])?;
    let tax = money(sums[2])?;
    let total = money(sums[0] - sums[1] + sums[2])?;
    Ok(PricedQuote {
        lines: priced,
        level,
        tax_rule: tax_rule.cloned(),
        subtotal,
        discount,
        net,
        tax,
        total,
        points,
    })
}

/// The level an order is priced at: express → BL; a special level is kept; otherwise the higher of the
/// level held and the level the order's own points reach.
#[must_use]
pub fn order_level(customer: &CustomerContext, order_points: u64) -> PriceLevel {
    match customer.agreement {
        AgreementKind::Express => PriceLevel::Bl,
        AgreementKind::Relationship if !customer.level.is_earned() => customer.level,
        AgreementKind::Relationship => customer.level.max(PriceLevel::for_points(order_points)),
    }
}

struct Resolved<'a> {
    part: &'a PartPrices,
    months: u16,
    coverage: Option<(Date, Date)>,
    reinstated: Option<(PartNumber, Date)>,
}

fn one_year_after(d: Date) -> Date {
    d.replace_year(d.year() + 1)
        .unwrap_or_else(|_| d + Duration::days(DAYS_PER_YEAR))
}

fn resolve<'a>(
    book: &'a PriceBook,
    customer: &CustomerContext,
    line: &LineRequest,
    index: usize,
    rules: &PricingRules,
) -> Result<Resolved<'a>, PricingError> {
    let bad = |reason| PricingError::InvalidTerm { index, reason };
    let part = book
        .get(&line.part)
        .ok_or(PricingError::UnknownPart { part: line.part })?;
    let mut resolved = Resolved {
        part,
        months: 1,
        coverage: None,
        reinstated: None,
    };
    match (part.part_type, line.term) {
        (PartType::MonthlyLicense, Term::Months { months }) => {
            if months == 0 || months > MAX_MONTHLY_MONTHS {
                return Err(bad(TermError::MonthsOutOfRange {
                    min: 1,
                    max: MAX_MONTHLY_MONTHS,
                }));
            }
            resolved.months = months;
        }
        (PartType::Subscription, Term::Months { months }) => {
            let (min, max) = SUBSCRIPTION_MONTHS;
            if !(min..=max).contains(&months) {
                return Err(bad(TermError::MonthsOutOfRange { min, max }));
            }
            resolved.months = months;
        }
        (PartType::MonthlyLicense | PartType::Subscription, _) => {
            return Err(bad(TermError::MonthsRequired));
        }
        (_, Term::Months { .. }) => return Err(bad(TermError::MonthsNotAllowed)),
        (PartType::AnnualSnsRenewal, term) => {
            let (start, end) = match term {
                Term::Coverage { start, end } => (start, end),
                // The renewal year starts at the anniversary, or today if that is already past.
                _ => (
                    customer.anniversary.max(customer.today),
                    one_year_after(customer.anniversary),
                ),
            };
            if end <= start {
                return Err(bad(TermError::EmptyCoverage));
            }
            if end > one_year_after(start) {
                return Err(bad(TermError::CoverageTooLong));
            }
            if crate::renewal::has_lapsed(start, customer.today, rules.grace_days) {
                // Lapsed: renewing is no longer possible, coverage restarts today.
                let reinstatement = part.reinstatement_part.as_ref().ok_or({
                    PricingError::NoReinstatementPart {
                        part: part.part,
                        lapsed_on: start,
                    }
                })?;
                let rpart = book.get(reinstatement).ok_or(PricingError::UnknownPart {
                    part: *reinstatement,
                })?;
                resolved.part = rpart;
                resolved.reinstated = Some((part.part, start));
                resolved.coverage = Some((customer.today, one_year_after(customer.today)));
            } else {
                resolved.coverage = Some((start, end));
            }
        }
        (PartType::SnsReinstatement, Term::Standard) => {
            resolved.coverage = Some((customer.today, one_year_after(customer.today)));
        }
        (PartType::LicenseAndSns | PartType::FixedTermLicense, Term::Standard) => {
            resolved.coverage = Some((customer.today, one_year_after(customer.today)));
        }
        (_, Term::Coverage { .. }) => return Err(bad(TermError::CoverageNotAllowed)),
    }
    Ok(resolved)
}

/// A priced line with its amounts in minor units, for exact totals.
struct LineMinor {
    line: PricedLine,
    extended_minor: i128,
    discount_minor: i128,
    tax_minor: i128,
}

fn pow10(n: u32) -> Option<i128> {
    10_i128.checked_pow(n)
}

/// `numerator / denominator` rounded half away from zero, in exact integers.
fn div_half_up(numerator: i128, denominator: i128) -> Option<i128> {
    if denominator == 0 {
        return None;
    }
    // Almost every line fits 64 bits, where division is a single instruction instead of a library call.
    if let (Ok(n), Ok(d)) = (i64::try_from(numerator), i64::try_from(denominator))
        && n != i64::MIN
        && d != i64::MIN
    {
        let (q, r) = (n / d, n % d);
        let round_away = r.unsigned_abs() * 2 >= d.unsigned_abs();
        return Some(i128::from(if round_away {
            q + n.signum() * d.signum()
        } else {
            q
        }));
    }
    let (q, r) = (numerator / denominator, numerator % denominator);
    let round_away = r.checked_abs()?.checked_mul(2)? >= denominator.checked_abs()?;
    Some(if round_away {
        q + numerator.signum() * denominator.signum()
    } else {
        q
    })
}

/// `amount × Π factors ÷ divisor`, rounded half-up to the currency's minor units, computed exactly in
/// integers: the decimal mantissas multiply, and the one division happens last.
fn scaled_minor(
    amount: Decimal,
    factors: &[Decimal],
    divisor: i128,
    minor_units: u32,
) -> Option<i128> {
    let mut numerator = amount.mantissa();
    let mut scale = amount.scale();
    for f in factors {
        numerator = numerator.checked_mul(f.mantissa())?;
        scale += f.scale();
    }
    let numerator = numerator.checked_mul(pow10(minor_units)?)?;
    div_half_up(numerator, pow10(scale)?.checked_mul(divisor)?)
}

fn minor_to_money(minor: i128, currency: Currency) -> Result<Money, PricingError> {
    let minor = i64::try_from(minor).map_err(|_| MoneyError::Overflow)?;
    Ok(Money::from_minor(minor, currency))
}

fn price_line(
    customer: &CustomerContext,
    level: PriceLevel,
    line: &LineRequest,
    r: Resolved<'_>,
    index: usize,
    tax_rule: Option<&TaxRule>,
) -> Result<LineMinor, PricingError> {
    let currency = customer.currency;
    let mu = currency.minor_units();
    let part = r.part;
    let unit_price = part
        .unit_price(currency, level)
        .ok_or(PricingError::NoPrice {
            part: part.part,
            currency,
            level,
        })?;

    let mut prorated_days = None;
    if part.part_type == PartType::AnnualSnsRenewal
        && let Some((start, end)) = r.coverage
    {
        let days = (end - start).whole_days();
        if days < DAYS_PER_YEAR {
            prorated_days = Some(days);
        }
    }
    let (days, per) = prorated_days.map_or((1, 1), |d| (d, i128::from(DAYS_PER_YEAR)));
    let overflow = || PricingError::Money(MoneyError::Overflow);
    let extended_minor = scaled_minor(
        unit_price.amount(),
        &[
            Decimal::from(line.quantity),
            Decimal::from(r.months),
            Decimal::from(days),
        ],
        per,
        mu,
    )
    .ok_or_else(overflow)?;

    let mut discount_minor = 0;
    let mut discount_terms = None;
    if let Some(d) = line.discount {
        if d.percent <= Decimal::ZERO || d.percent > Decimal::ONE_HUNDRED {
            return Err(PricingError::InvalidDiscount { index });
        }
        let valid = customer.today <= d.valid_until;
        if valid {
            let pct = d.percent.normalize();
            discount_minor = div_half_up(
                extended_minor
                    .checked_mul(pct.mantissa())
                    .ok_or_else(overflow)?,
                pow10(pct.scale()).ok_or_else(overflow)? * 100,
            )
            .ok_or_else(overflow)?;
        }
        discount_terms = Some((d, valid));
    }
    let net_minor = extended_minor - discount_minor;
    let tax_minor = match tax_rule {
        Some(rule) => {
            let rate = rule.rate.normalize();
            let numerator = net_minor
                .checked_mul(rate.mantissa())
                .and_then(|n| n.checked_mul(i128::from(rule.base_numerator)))
                .ok_or_else(overflow)?;
            let denominator = pow10(rate.scale()).ok_or_else(overflow)?
                * i128::from(rule.base_denominator.max(1));
            div_half_up(numerator, denominator).ok_or_else(overflow)?
        }
        None => 0,
    };
    let money = |minor: i128| minor_to_money(minor, currency);
    let line = PricedLine {
        part: part.part,
        part_type: part.part_type,
        quantity: line.quantity,
        level,
        held_level: customer.level,
        express: customer.agreement == AgreementKind::Express,
        unit_price,
        months: r.months,
        prorated_days,
        coverage_start: r.coverage.map(|c| c.0),
        coverage_end: r.coverage.map(|c| c.1),
        reinstatement: r.reinstated.map(|(instead_of, lapsed_on)| Reinstatement {
            instead_of,
            lapsed_on,
        }),
        discount_terms,
        extended: money(extended_minor)?,
        discount: money(discount_minor)?,
        net: money(net_minor)?,
        tax: money(tax_minor)?,
        total: money(net_minor + tax_minor)?,
        points: u64::from(part.points_per_unit) * u64::from(line.quantity),
    };
    Ok(LineMinor {
        line,
        extended_minor,
        discount_minor,
        tax_minor,
    })
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use time::macros::date;

    fn pn(s: &str) -> PartNumber {
        PartNumber::parse(s).unwrap()
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// A licence (10 points a unit), its renewal and reinstatement, a monthly part and a subscription,
    /// priced in USD and IDR at every earned level (each level 10 % below the one before, from 1000).
    fn book() -> PriceBook {
        let mut parts = vec![
            PartPrices::new(pn("D0AAALL"), PartType::LicenseAndSns, 10),
            PartPrices::new(pn("E0AAALL"), PartType::AnnualSnsRenewal, 2)
                .with_reinstatement(pn("D0AAARL")),
            PartPrices::new(pn("D0AAARL"), PartType::SnsReinstatement, 0),
            PartPrices::new(pn("D0AAAML"), PartType::MonthlyLicense, 0),
            PartPrices::new(pn("D0AAASL"), PartType::Subscription, 1),
            PartPrices::new(pn("E0BBBLL"), PartType::AnnualSnsRenewal, 1),
        ];
        let base = [
            ("D0AAALL", 1000),
            ("E0AAALL", 200),
            ("D0AAARL", 600),
            ("D0AAAML", 40),
            ("D0AAASL", 35),
            ("E0BBBLL", 100),
        ];
        for p in &mut parts {
            let list = base.iter().find(|(n, _)| *n == p.part.as_str()).unwrap().1;
            for (i, level) in PriceLevel::earned().enumerate() {
                let unit = Decimal::from(list) * (Decimal::ONE - Decimal::new(i as i64, 1));
                p.set_price(Currency::Usd, level, unit);
                p.set_price(Currency::Idr, level, unit * Decimal::from(16_000));
            }
        }
        parts.into_iter().collect()
    }

    fn customer() -> CustomerContext {
        CustomerContext {
            agreement: AgreementKind::Relationship,
            level: PriceLevel::D,
            points: 600,
            country: CountryCode::US,
            currency: Currency::Usd,
            anniversary: date!(2027 - 03 - 31),
            today: date!(2026 - 11 - 23),
        }
    }

    fn one(line: LineRequest, c: &CustomerContext) -> Result<PricedQuote, PricingError> {
        price(&book(), c, &[line], &PricingRules::standard())
    }

    #[test]
    fn a_relationship_customer_pays_their_level() {
        let q = one(
            LineRequest::new(pn("D0AAALL"), 2, Term::Standard),
            &customer(),
        )
        .unwrap();
        assert_eq!(q.level, PriceLevel::D);
        assert_eq!(q.lines[0].unit_price.amount(), d("900"));
        assert_eq!(q.subtotal.amount(), d("1800"));
        assert_eq!(q.tax.amount(), d("0"), "no tax rule for the US");
        assert_eq!(q.points, 20);
        assert_eq!(
            q.explanations(0),
            vec![Explanation::Level {
                level: PriceLevel::D,
                held: PriceLevel::D,
                lifted: false
            }]
        );
    }

    #[test]
    fn an_order_whose_own_points_reach_a_higher_level_gets_it() {
        // 300 units × 10 points = 3,000 points: level F for this order.
        let q = one(
            LineRequest::new(pn("D0AAALL"), 300, Term::Standard),
            &customer(),
        )
        .unwrap();
        assert_eq!(q.level, PriceLevel::F);
        assert_eq!(q.lines[0].unit_price.amount(), d("700"));
        assert_eq!(
            q.explanations(0)[0].to_string(),
            "price level F (lifted from D by this order's points)"
        );
    }

    #[test]
    fn express_customers_always_pay_list_price() {
        let c = CustomerContext {
            agreement: AgreementKind::Express,
            level: PriceLevel::H,
            ..customer()
        };
        let q = one(LineRequest::new(pn("D0AAALL"), 5_000, Term::Standard), &c).unwrap();
        assert_eq!(q.level, PriceLevel::Bl);
        assert_eq!(q.lines[0].unit_price.amount(), d("1000"));
        assert_eq!(q.explanations(0), vec![Explanation::ExpressListPrice]);
    }

    #[test]
    fn special_levels_are_kept_whatever_the_points() {
        let mut b = book();
        let mut p = b.get(&pn("D0AAALL")).unwrap().clone();
        p.set_price(Currency::Usd, PriceLevel::Gv, d("555"));
        b.insert(p);
        let c = CustomerContext {
            level: PriceLevel::Gv,
            ..customer()
        };
        let q = price(
            &b,
            &c,
            &[LineRequest::new(pn("D0AAALL"), 5_000, Term::Standard)],
            &PricingRules::standard(),
        )
        .unwrap();
        assert_eq!(q.level, PriceLevel::Gv);
        assert_eq!(q.lines[0].unit_price.amount(), d("555"));
    }

    #[test]
    fn s_and_s_coverage_shorter_than_a_year_is_prorated_to_the_anniversary() {
        let term = Term::Coverage {
            start: date!(2026 - 12 - 01),
            end: date!(2027 - 03 - 31),
        };
        let q = one(LineRequest::new(pn("E0AAALL"), 3, term), &customer()).unwrap();
        let l = &q.lines[0];
        assert_eq!(l.prorated_days, Some(120));
        // 180 × 3 × 120 / 365 = 177.534… → 177.53
        assert_eq!(l.extended.amount(), d("177.53"));
        assert_eq!(
            q.explanations(0)[1].to_string(),
            "prorated 120/365 days to anniversary 2027-03-31"
        );
    }

    #[test]
    fn a_full_year_of_coverage_is_not_prorated_even_in_a_leap_year() {
        let term = Term::Coverage {
            start: date!(2027 - 03 - 31),
            end: date!(2028 - 03 - 31),
        };
        let q = one(LineRequest::new(pn("E0AAALL"), 1, term), &customer()).unwrap();
        assert_eq!(q.lines[0].prorated_days, None);
        assert_eq!(q.lines[0].extended.amount(), d("180"));
    }

    #[test]
    fn a_lapsed_renewal_is_reinstated_from_today() {
        let term = Term::Coverage {
            start: date!(2026 - 03 - 31),
            end: date!(2027 - 03 - 31),
        };
        let q = one(LineRequest::new(pn("E0AAALL"), 2, term), &customer()).unwrap();
        let l = &q.lines[0];
        assert_eq!(l.part, pn("D0AAARL"));
        assert_eq!(l.part_type, PartType::SnsReinstatement);
        assert_eq!(l.coverage_start, Some(date!(2026 - 11 - 23)));
        assert_eq!(l.coverage_end, Some(date!(2027 - 11 - 23)));
        assert_eq!(l.extended.amount(), d("1080"), "540 × 2, not prorated");
        assert!(matches!(
            q.explanations(0)[1],
            Explanation::Reinstated { .. }
        ));
    }

    #[test]
    fn a_grace_period_lets_a_just_lapsed_renewal_still_renew() {
        let term = Term::Coverage {
            start: date!(2026 - 11 - 13),
            end: date!(2027 - 11 - 13),
        };
        let rules = PricingRules {
            grace_days: 30,
            ..PricingRules::standard()
        };
        let q = price(
            &book(),
            &customer(),
            &[LineRequest::new(pn("E0AAALL"), 1, term)],
            &rules,
        )
        .unwrap();
        assert_eq!(q.lines[0].part, pn("E0AAALL"));
    }

    #[test]
    fn a_lapsed_renewal_without_a_reinstatement_part_is_an_error() {
        let term = Term::Coverage {
            start: date!(2026 - 01 - 01),
            end: date!(2026 - 12 - 31),
        };
        let e = one(LineRequest::new(pn("E0BBBLL"), 1, term), &customer()).unwrap_err();
        assert_eq!(
            e.code(),
            crate::error_code::ErrorCode::PricingNoReinstatementPart
        );
    }

    #[test]
    fn monthly_parts_multiply_by_months_and_subscriptions_run_12_to_36() {
        let q = one(
            LineRequest::new(pn("D0AAAML"), 2, Term::Months { months: 3 }),
            &customer(),
        )
        .unwrap();
        assert_eq!(q.lines[0].extended.amount(), d("216"), "36 × 2 × 3");
        let q = one(
            LineRequest::new(pn("D0AAASL"), 1, Term::Months { months: 12 }),
            &customer(),
        )
        .unwrap();
        assert_eq!(q.lines[0].extended.amount(), d("378"));
        for months in [11, 37] {
            let e = one(
                LineRequest::new(pn("D0AAASL"), 1, Term::Months { months }),
                &customer(),
            )
            .unwrap_err();
            assert_eq!(
                e,
                PricingError::InvalidTerm {
                    index: 0,
                    reason: TermError::MonthsOutOfRange { min: 12, max: 36 }
                }
            );
        }
        let e = one(
            LineRequest::new(pn("D0AAAML"), 1, Term::Standard),
            &customer(),
        )
        .unwrap_err();
        assert_eq!(
            e,
            PricingError::InvalidTerm {
                index: 0,
                reason: TermError::MonthsRequired
            }
        );
        let e = one(
            LineRequest::new(pn("D0AAALL"), 1, Term::Months { months: 2 }),
            &customer(),
        )
        .unwrap_err();
        assert_eq!(
            e,
            PricingError::InvalidTerm {
                index: 0,
                reason: TermError::MonthsNotAllowed
            }
        );
    }

    #[test]
    fn a_quote_discount_applies_until_its_validity_date_and_not_after() {
        let discount = Discount {
            percent: d("12.5"),
            valid_until: date!(2026 - 11 - 23),
        };
        let line = LineRequest::new(pn("D0AAALL"), 1, Term::Standard).with_discount(discount);
        let q = one(line.clone(), &customer()).unwrap();
        assert_eq!(q.discount.amount(), d("112.50"));
        assert_eq!(q.net.amount(), d("787.50"));
        let later = CustomerContext {
            today: date!(2026 - 11 - 24),
            ..customer()
        };
        let q = one(line, &later).unwrap();
        assert_eq!(q.discount.amount(), d("0"));
        assert!(matches!(
            q.explanations(0)[1],
            Explanation::DiscountExpired { .. }
        ));
    }

    #[test]
    fn an_out_of_range_discount_is_an_error() {
        for pct in ["0", "-5", "100.01"] {
            let discount = Discount {
                percent: d(pct),
                valid_until: date!(2027 - 01 - 01),
            };
            let line = LineRequest::new(pn("D0AAALL"), 1, Term::Standard).with_discount(discount);
            assert_eq!(
                one(line, &customer()).unwrap_err(),
                PricingError::InvalidDiscount { index: 0 },
                "{pct}"
            );
        }
    }

    #[test]
    fn indonesian_ppn_is_twelve_percent_of_eleven_twelfths_computed_exactly() {
        let c = CustomerContext {
            country: CountryCode::ID,
            currency: Currency::Idr,
            ..customer()
        };
        // 900 × 16,000 = 14,400,000 → PPN 12 % × 11/12 = 1,584,000 exactly.
        let q = one(LineRequest::new(pn("D0AAALL"), 1, Term::Standard), &c).unwrap();
        assert_eq!(q.tax.amount(), d("1584000"));
        assert_eq!(q.total.amount(), d("15984000"));
        assert_eq!(
            q.explanations(0).last().unwrap().to_string(),
            "PPN 12% on 11/12 of the price"
        );
    }

    #[test]
    fn totals_are_sums_of_rounded_lines() {
        let term = Term::Coverage {
            start: date!(2026 - 12 - 01),
            end: date!(2027 - 03 - 31),
        };
        let lines = vec![
            LineRequest::new(pn("E0AAALL"), 1, term),
            LineRequest::new(pn("E0AAALL"), 1, term),
            LineRequest::new(pn("E0AAALL"), 1, term),
        ];
        let q = price(&book(), &customer(), &lines, &PricingRules::standard()).unwrap();
        // Each line: 180 × 120/365 = 59.178… → 59.18; the total is 3 × 59.18, not round(177.534).
        assert_eq!(q.subtotal.amount(), d("177.54"));
    }

    #[test]
    fn unknown_parts_missing_prices_and_zero_quantities_are_errors() {
        assert_eq!(
            one(
                LineRequest::new(pn("D9ZZZLL"), 1, Term::Standard),
                &customer()
            )
            .unwrap_err(),
            PricingError::UnknownPart {
                part: pn("D9ZZZLL")
            }
        );
        let eur = CustomerContext {
            currency: Currency::Eur,
            ..customer()
        };
        assert_eq!(
            one(LineRequest::new(pn("D0AAALL"), 1, Term::Standard), &eur)
                .unwrap_err()
                .code(),
            crate::error_code::ErrorCode::PricingNoPrice
        );
        assert_eq!(
            one(
                LineRequest::new(pn("D0AAALL"), 0, Term::Standard),
                &customer()
            )
            .unwrap_err(),
            PricingError::ZeroQuantity { index: 0 }
        );
    }

    #[test]
    fn coverage_periods_must_be_s_and_s_non_empty_and_at_most_a_year() {
        let c = customer();
        let bad = |start, end| Term::Coverage { start, end };
        let e = one(
            LineRequest::new(
                pn("E0AAALL"),
                1,
                bad(date!(2027 - 03 - 31), date!(2027 - 03 - 31)),
            ),
            &c,
        )
        .unwrap_err();
        assert_eq!(
            e,
            PricingError::InvalidTerm {
                index: 0,
                reason: TermError::EmptyCoverage
            }
        );
        let e = one(
            LineRequest::new(
                pn("E0AAALL"),
                1,
                bad(date!(2027 - 03 - 31), date!(2028 - 04 - 01)),
            ),
            &c,
        )
        .unwrap_err();
        assert_eq!(
            e,
            PricingError::InvalidTerm {
                index: 0,
                reason: TermError::CoverageTooLong
            }
        );
        let e = one(
            LineRequest::new(
                pn("D0AAALL"),
                1,
                bad(date!(2027 - 01 - 01), date!(2027 - 03 - 31)),
            ),
            &c,
        )
        .unwrap_err();
        assert_eq!(
            e,
            PricingError::InvalidTerm {
                index: 0,
                reason: TermError::CoverageNotAllowed
            }
        );
    }

    #[test]
    fn half_cents_round_up_once_per_line() {
        assert_eq!(div_half_up(5, 10), Some(1));
        assert_eq!(div_half_up(-5, 10), Some(-1));
        assert_eq!(div_half_up(4, 10), Some(0));
        assert_eq!(div_half_up(15, 10), Some(2));
        assert_eq!(div_half_up(1, 0), None);
    }

    #[test]
    fn subscriptions_run_twelve_to_thirty_six_months_and_monthly_licences_one_to_thirty_six() {
        assert_eq!(parse_months(PartType::MonthlyLicense, " 1 "), Ok(1));
        assert_eq!(
            parse_months(PartType::Subscription, "6"),
            Err(TermError::MonthsOutOfRange { min: 12, max: 36 })
        );
        assert_eq!(parse_months(PartType::Subscription, "36"), Ok(36));
        assert_eq!(
            parse_months(PartType::MonthlyLicense, "x"),
            Err(TermError::MonthsOutOfRange { min: 1, max: 36 })
        );
        assert_eq!(
            parse_months(PartType::LicenseAndSns, "12"),
            Err(TermError::MonthsNotAllowed)
        );
    }
}
