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
pub mod summary;

mod book;
mod error;
mod exact;
mod explanation;
#[cfg(test)]
mod tests;

pub use book::{PartPrices, PriceBook};
pub use error::{PricingError, TermError, parse_months};
use exact::{div_half_up, minor_to_money, pow10, scaled_minor};
pub use explanation::Explanation;

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use rust_decimal::Decimal;
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
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum AgreementKind {
    /// Volume pricing: points earn price levels.
    Relationship,
    /// One site, list price (BL) only.
    Express,
}

/// Everything about the buyer that changes a price.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
    #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
    pub anniversary: Date,
    /// The pricing date.
    #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
    pub today: Date,
}

/// How long a line runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum Term {
    /// The part's own term: 12 months for licence + S&S, fixed-term and reinstatement parts; the year up
    /// to the anniversary (prorated) for an S&S renewal.
    Standard,
    /// S&S coverage over `[start, end)`, prorated by days/365 when shorter than a year.
    Coverage {
        /// First covered day.
        #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
        start: Date,
        /// The day coverage ends (exclusive), normally the site's anniversary.
        #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
        end: Date,
    },
    /// A number of months, for monthly licences and subscriptions.
    Months {
        /// How many months.
        months: u16,
    },
}

/// A rep's percentage off a line, valid until a date (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Discount {
    /// Percent off, `0 < percent ≤ 100`.
    pub percent: Decimal,
    /// The last day the discount may be ordered at.
    #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
    pub valid_until: Date,
}

/// One line to price.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

/// A lapsed renewal replaced by its reinstatement part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Reinstatement {
    /// The renewal part asked for.
    pub instead_of: PartNumber,
    /// When coverage lapsed.
    #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
    pub lapsed_on: Date,
}

/// A priced line. The fields are the facts; [`PricedLine::explanations`] turns them into reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
    #[cfg_attr(feature = "serde", serde(default, with = "crate::dates::iso_option"))]
    pub coverage_start: Option<Date>,
    /// Coverage end (exclusive), for S&S lines.
    #[cfg_attr(feature = "serde", serde(default, with = "crate::dates::iso_option"))]
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
        if let (PartType::LicenseAndSns, Some(until)) = (self.part_type, self.coverage_end) {
            out.push(Explanation::CoTermed { until });
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

/// The first anniversary after `today`: `anniversary` itself when it is still ahead, else rolled on a
/// year at a time (a site's stored anniversary may be the one just passed).
#[must_use]
pub fn next_anniversary(anniversary: Date, today: Date) -> Date {
    let mut next = anniversary;
    if next <= today {
        let years = today.year() - next.year();
        next = next
            .replace_year(next.year() + years)
            .unwrap_or_else(|_| next + Duration::days(DAYS_PER_YEAR * i64::from(years)));
        while next <= today {
            next = one_year_after(next);
        }
    }
    next
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
                // S&S bought from the catalog is co-termed: it covers today up to the site's next
                // anniversary, prorated, so all of the site's coverage renews on one day.
                _ => (
                    customer.today,
                    next_anniversary(customer.anniversary, customer.today),
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
        (PartType::LicenseAndSns, Term::Standard) => {
            // The S&S that comes with a new licence is co-termed to the site's anniversary too. The
            // part's price is kept: it is the licence's price, and the price book has no separate
            // S&S share to prorate (docs/domain.md §4).
            resolved.coverage = Some((
                customer.today,
                next_anniversary(customer.anniversary, customer.today),
            ));
        }
        (PartType::FixedTermLicense, Term::Standard) => {
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
