//! The pricing engine: from a price book, a customer and requested lines to priced lines and totals.
//!
//! The rules (DOMAIN.md §4), in the order they are applied to each line:
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

use std::collections::HashMap;
use std::fmt;

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
    pub anniversary: Date,
    /// The pricing date.
    pub today: Date,
}

/// The unit prices and points of one part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartPrices {
    /// The part.
    pub part: PartNumber,
    /// What it sells.
    pub part_type: PartType,
    /// Points earned per unit bought.
    pub points_per_unit: u32,
    /// For an S&S renewal part: the part that reinstates it once lapsed.
    pub reinstatement_part: Option<PartNumber>,
    prices: Vec<(Currency, PriceLevel, Decimal)>,
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
            prices: Vec::new(),
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
        self.prices
            .retain(|(c, l, _)| !(*c == currency && *l == level));
        self.prices.push((currency, level, unit));
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
        self.prices
            .iter()
            .find(|(c, l, _)| *c == currency && *l == level)
            .map(|(_, _, p)| Money::new(*p, currency))
    }
}

/// The parts a pricing run may use, by part number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceBook {
    parts: HashMap<PartNumber, PartPrices>,
}

impl PriceBook {
    /// Adds or replaces a part.
    pub fn insert(&mut self, prices: PartPrices) {
        self.parts.insert(prices.part.clone(), prices);
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
        start: Date,
        /// The day coverage ends (exclusive), normally the site's anniversary.
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
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
        until: Date,
    },
    /// Lapsed S&S replaced by its reinstatement part.
    Reinstated {
        /// The renewal part asked for.
        instead_of: PartNumber,
        /// When coverage lapsed.
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
        valid_until: Date,
    },
    /// A quote discount that is no longer valid and was not applied.
    DiscountExpired {
        /// Percent that would have applied.
        percent: Decimal,
        /// The day it ended.
        valid_until: Date,
    },
    /// Tax charged on the line.
    Tax {
        /// Tax name, e.g. "PPN".
        name: String,
        /// Statutory rate.
        rate: Decimal,
        /// Share of the price taxed.
        base_fraction: Decimal,
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
                base_fraction,
            } if *base_fraction == Decimal::ONE => {
                write!(f, "{name} {}%", (rate * Decimal::ONE_HUNDRED).normalize())
            }
            Explanation::Tax {
                name,
                rate,
                base_fraction,
            } => write!(
                f,
                "{name} {}% on {}% of the price",
                (rate * Decimal::ONE_HUNDRED).normalize(),
                (base_fraction * Decimal::ONE_HUNDRED)
                    .round_dp(2)
                    .normalize()
            ),
        }
    }
}

/// A priced line.
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
    /// Unit price at that level (per month for monthly parts).
    pub unit_price: Money,
    /// Months multiplied in (1 for non-monthly parts).
    pub months: u16,
    /// Covered days / 365 when prorated, else 1.
    pub proration: Decimal,
    /// Coverage start, for S&S lines.
    pub coverage_start: Option<Date>,
    /// Coverage end (exclusive), for S&S lines.
    pub coverage_end: Option<Date>,
    /// unit × quantity × months × proration, rounded.
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
    /// Why it costs this.
    pub explanations: Vec<Explanation>,
}

/// A priced set of lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedQuote {
    /// The lines, in request order.
    pub lines: Vec<PricedLine>,
    /// The level the order was priced at.
    pub level: PriceLevel,
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
    pub const fn code(&self) -> &'static str {
        match self {
            PricingError::UnknownPart { .. } => "pricing.unknown_part",
            PricingError::NoPrice { .. } => "pricing.no_price",
            PricingError::ZeroQuantity { .. } => "pricing.zero_quantity",
            PricingError::InvalidTerm { .. } => "pricing.invalid_term",
            PricingError::NoReinstatementPart { .. } => "pricing.no_reinstatement_part",
            PricingError::InvalidDiscount { .. } => "pricing.invalid_discount",
            PricingError::Money(_) => "pricing.arithmetic",
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
    for (index, (line, r)) in lines.iter().zip(resolved).enumerate() {
        priced.push(price_line(customer, level, line, r, index, tax_rule)?);
    }
    let sum = |f: fn(&PricedLine) -> &Money| Money::sum(currency, priced.iter().map(f));
    let subtotal = sum(|l| &l.extended)?;
    let discount = sum(|l| &l.discount)?;
    let net = sum(|l| &l.net)?;
    let tax = sum(|l| &l.tax)?;
    let total = net.checked_add(&tax)?;
    let points = priced.iter().map(|l| l.points).sum();
    Ok(PricedQuote {
        lines: priced,
        level,
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
        .ok_or_else(|| PricingError::UnknownPart {
            part: line.part.clone(),
        })?;
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
            let grace = Duration::days(i64::from(rules.grace_days));
            if start + grace < customer.today {
                // Lapsed: renewing is no longer possible, coverage restarts today.
                let reinstatement = part.reinstatement_part.as_ref().ok_or_else(|| {
                    PricingError::NoReinstatementPart {
                        part: part.part.clone(),
                        lapsed_on: start,
                    }
                })?;
                let rpart = book
                    .get(reinstatement)
                    .ok_or_else(|| PricingError::UnknownPart {
                        part: reinstatement.clone(),
                    })?;
                resolved.part = rpart;
                resolved.reinstated = Some((part.part.clone(), start));
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

fn price_line(
    customer: &CustomerContext,
    level: PriceLevel,
    line: &LineRequest,
    r: Resolved<'_>,
    index: usize,
    tax_rule: Option<&TaxRule>,
) -> Result<PricedLine, PricingError> {
    let currency = customer.currency;
    let part = r.part;
    let unit_price = part
        .unit_price(currency, level)
        .ok_or_else(|| PricingError::NoPrice {
            part: part.part.clone(),
            currency,
            level,
        })?;
    let mut explanations = Vec::with_capacity(3);
    if customer.agreement == AgreementKind::Express {
        explanations.push(Explanation::ExpressListPrice);
    } else {
        explanations.push(Explanation::Level {
            level,
            held: customer.level,
            lifted: level != customer.level,
        });
    }
    if let Some((instead_of, lapsed_on)) = r.reinstated {
        explanations.push(Explanation::Reinstated {
            instead_of,
            lapsed_on,
        });
    }

    let mut proration = Decimal::ONE;
    if part.part_type == PartType::AnnualSnsRenewal
        && let Some((start, end)) = r.coverage
    {
        let days = (end - start).whole_days();
        if days < DAYS_PER_YEAR {
            proration = Decimal::from(days) / Decimal::from(DAYS_PER_YEAR);
            explanations.push(Explanation::Prorated {
                days,
                of: DAYS_PER_YEAR,
                until: end,
            });
        }
    }
    if matches!(
        part.part_type,
        PartType::MonthlyLicense | PartType::Subscription
    ) {
        explanations.push(Explanation::Months { months: r.months });
    }

    let extended = unit_price
        .checked_mul(Decimal::from(line.quantity))?
        .checked_mul(Decimal::from(r.months))?
        .checked_mul(proration)?
        .rounded();

    let mut discount = Money::zero(currency);
    if let Some(d) = line.discount {
        if d.percent <= Decimal::ZERO || d.percent > Decimal::ONE_HUNDRED {
            return Err(PricingError::InvalidDiscount { index });
        }
        if customer.today <= d.valid_until {
            discount = extended
                .checked_mul(d.percent / Decimal::ONE_HUNDRED)?
                .rounded();
            explanations.push(Explanation::Discount {
                percent: d.percent,
                valid_until: d.valid_until,
            });
        } else {
            explanations.push(Explanation::DiscountExpired {
                percent: d.percent,
                valid_until: d.valid_until,
            });
        }
    }
    let net = extended.checked_sub(&discount)?;
    let tax = match tax_rule {
        Some(rule) => {
            explanations.push(Explanation::Tax {
                name: rule.name.clone(),
                rate: rule.rate,
                base_fraction: rule.base_fraction,
            });
            Money::new(rule.tax_on(net.amount()), currency).rounded()
        }
        None => Money::zero(currency),
    };
    let total = net.checked_add(&tax)?;
    Ok(PricedLine {
        part: part.part.clone(),
        part_type: part.part_type,
        quantity: line.quantity,
        level,
        unit_price,
        months: r.months,
        proration,
        coverage_start: r.coverage.map(|c| c.0),
        coverage_end: r.coverage.map(|c| c.1),
        extended,
        discount,
        net,
        tax,
        total,
        points: u64::from(part.points_per_unit) * u64::from(line.quantity),
        explanations,
    })
}
