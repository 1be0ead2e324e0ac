//! The package's functions as plain Rust: each takes the JSON-shaped inputs of [`crate::types`], calls
//! `entitle-core`, and answers in the same shapes. `lib.rs` only moves values across the wasm boundary,
//! so the shared case table (`cases.json`) checks these very functions natively and in Node.

use entitle_core::catalog::PartNumber;
use entitle_core::country::CountryCode;
use entitle_core::dates;
use entitle_core::locale::Locale;
use entitle_core::money::{Currency, Money};
use entitle_core::order::{self, OrderReference, PaymentMethod};
use entitle_core::pricing::{
    self, CustomerContext, Discount, LineRequest, PartPrices, PriceBook, PricingError,
    PricingRules, Term,
};
use entitle_core::validation::{
    Address, AddressInput, CardBrand, CardNumber, CardholderName, Email, Expiry, Explain, Npwp,
    PurchaseOrderNumber, SecurityCode,
};
use rust_decimal::Decimal;
use time::Date;

use crate::types::{
    AddressFields, CardNumberInfo, CartInput, CartLine, Checked, DateStyle, ExpiryInfo, LineTerm,
    NpwpInfo, PricedCart, PricedCartLine, Problem, Reason, ReferenceInfo, TaxRuleView,
};

/// A refusal from any of core's explained errors.
fn refused<T>(field: &str, e: &impl Explain, locale: Locale) -> Checked<T> {
    Checked::problem(field, e.code(), e.message(locale))
}

fn problem(field: String, e: &impl Explain, locale: Locale) -> Problem {
    Problem {
        field,
        code: e.code().to_owned(),
        message: e.message(locale),
    }
}

/// Collects the problems of reading the input, so one answer names them all.
struct Reader {
    locale: Locale,
    problems: Vec<Problem>,
}

impl Reader {
    fn part(&mut self, field: String, s: &str) -> Option<PartNumber> {
        PartNumber::parse(s)
            .map_err(|e| self.problems.push(problem(field, &e, self.locale)))
            .ok()
    }

    fn date(&mut self, field: String, s: &str) -> Option<Date> {
        dates::parse(s)
            .map_err(|e| self.problems.push(problem(field, &e, self.locale)))
            .ok()
    }

    fn country(&mut self, field: String, s: &str) -> Option<CountryCode> {
        s.parse::<CountryCode>()
            .map_err(|e| self.problems.push(problem(field, &e, self.locale)))
            .ok()
    }

    fn term(&mut self, field: &str, t: &LineTerm) -> Option<Term> {
        Some(match t {
            LineTerm::Standard => Term::Standard,
            LineTerm::Months { months } => Term::Months { months: *months },
            LineTerm::Coverage { start, end } => {
                let start = self.date(format!("{field}.start"), start);
                let end = self.date(format!("{field}.end"), end);
                Term::Coverage {
                    start: start?,
                    end: end?,
                }
            }
        })
    }

    fn line(&mut self, index: usize, l: &CartLine) -> Option<LineRequest> {
        let at = format!("lines[{index}]");
        let part = self.part(format!("{at}.part"), &l.part);
        let term = self.term(&format!("{at}.term"), &l.term);
        let discount = match &l.discount {
            None => Some(None),
            Some(d) => self
                .date(format!("{at}.discount.valid_until"), &d.valid_until)
                .map(|valid_until| {
                    Some(Discount {
                        percent: d.percent,
                        valid_until,
                    })
                }),
        };
        let mut line = LineRequest::new(part?, l.quantity, term?);
        line.discount = discount?;
        Some(line)
    }
}

/// Prices a cart exactly as the portal does (level, co-termination, reinstatement, proration, months,
/// discounts, tax), explaining every line in `input.locale`.
#[must_use]
pub fn price_cart(input: &CartInput) -> Checked<PricedCart> {
    let locale = input.locale;
    let mut r = Reader {
        locale,
        problems: Vec::new(),
    };
    let mut book = PriceBook::default();
    for (i, entry) in input.price_list.iter().enumerate() {
        let part = r.part(format!("price_list[{i}].part"), &entry.part);
        let reinstatement = entry
            .reinstatement_part
            .as_deref()
            .map(|p| r.part(format!("price_list[{i}].reinstatement_part"), p));
        let Some(part) = part else { continue };
        let mut prices = PartPrices::new(part, entry.part_type, entry.points_per_unit);
        for p in &entry.prices {
            prices.set_price(p.currency, p.level, p.amount);
        }
        if let Some(Some(reinstatement)) = reinstatement {
            prices = prices.with_reinstatement(reinstatement);
        }
        book.insert(prices);
    }
    let c = &input.customer;
    let country = r.country("customer.country".into(), &c.country);
    let anniversary = r.date("customer.anniversary".into(), &c.anniversary);
    let today = r.date("customer.today".into(), &c.today);
    let lines: Vec<Option<LineRequest>> = input
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| r.line(i, l))
        .collect();
    let (Some(country), Some(anniversary), Some(today), true) =
        (country, anniversary, today, r.problems.is_empty())
    else {
        return Checked::Invalid {
            problems: r.problems,
        };
    };
    let lines: Vec<LineRequest> = lines.into_iter().flatten().collect();
    let customer = CustomerContext {
        agreement: c.agreement,
        level: c.level,
        points: u64::from(c.points),
        country,
        currency: c.currency,
        anniversary,
        today,
    };
    match pricing::price(&book, &customer, &lines, &PricingRules::standard()) {
        Ok(quote) => Checked::Valid {
            value: priced_cart(&quote, locale),
        },
        Err(e) => {
            let field = match &e {
                PricingError::ZeroQuantity { index }
                | PricingError::InvalidTerm { index, .. }
                | PricingError::InvalidDiscount { index } => format!("lines[{index}]"),
                _ => "lines".to_owned(),
            };
            Checked::problem(&field, Explain::code(&e), e.message(locale))
        }
    }
}

fn amount(m: &Money) -> String {
    m.amount().to_string()
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn priced_cart(q: &pricing::PricedQuote, locale: Locale) -> PricedCart {
    let lines = q
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| PricedCartLine {
            part: l.part.to_string(),
            part_type: l.part_type,
            quantity: l.quantity,
            level: l.level,
            unit_price: amount(&l.unit_price),
            months: l.months,
            prorated_days: l.prorated_days.and_then(|d| u32::try_from(d).ok()),
            coverage_start: l.coverage_start.map(dates::format),
            coverage_end: l.coverage_end.map(dates::format),
            reinstates: l.reinstatement.map(|r| r.instead_of.to_string()),
            extended: amount(&l.extended),
            discount: amount(&l.discount),
            net: amount(&l.net),
            tax: amount(&l.tax),
            total: amount(&l.total),
            points: clamp(l.points),
            explanations: q
                .explanations(i)
                .iter()
                .map(|e| Reason {
                    kind: e.kind().to_owned(),
                    text: e.text(locale),
                })
                .collect(),
        })
        .collect();
    PricedCart {
        currency: q.total.currency(),
        level: q.level,
        lines,
        subtotal: amount(&q.subtotal),
        discount: amount(&q.discount),
        net: amount(&q.net),
        tax: amount(&q.tax),
        total: amount(&q.total),
        points: clamp(q.points),
        tax_rule: q.tax_rule.as_ref().map(|t| TaxRuleView {
            name: t.name.clone(),
            rate: t.rate.to_string(),
            base_numerator: t.base_numerator,
            base_denominator: t.base_denominator,
        }),
    }
}

/// A card number as typed (spaces and dashes allowed): brand from the prefix, length for the brand,
/// Luhn check.
#[must_use]
pub fn check_card_number(input: &str, locale: Locale) -> Checked<CardNumberInfo> {
    match CardNumber::parse(input) {
        Ok(card) => {
            let brand = card.brand();
            Checked::Valid {
                value: CardNumberInfo {
                    brand,
                    brand_name: brand.name().to_owned(),
                    last4: card.last4().to_owned(),
                    security_code_length: u32::try_from(brand.security_code_len())
                        .unwrap_or(u32::MAX),
                },
            }
        }
        Err(e) => refused("number", &e, locale),
    }
}

/// A card's expiry month and year (`"7"`/`"07"`, `"2029"`/`"29"`) against `today` (`YYYY-MM-DD`).
#[must_use]
pub fn check_expiry(month: &str, year: &str, today: &str, locale: Locale) -> Checked<ExpiryInfo> {
    let today = match dates::parse(today) {
        Ok(d) => d,
        Err(e) => return refused("today", &e, locale),
    };
    match Expiry::parse(month, year, today) {
        Ok(e) => Checked::Valid {
            value: ExpiryInfo {
                month: e.month,
                year: e.year,
                last_valid_day: dates::format(e.last_valid_day()),
            },
        },
        Err(e) => {
            let field = match e {
                entitle_core::validation::CardError::ExpiryMonth => "exp_month",
                _ => "exp_year",
            };
            refused(field, &e, locale)
        }
    }
}

/// A security code for the card's brand (4 digits for American Express, else 3). The code itself is
/// never echoed back.
#[must_use]
pub fn check_security_code(input: &str, brand: CardBrand, locale: Locale) -> Checked<bool> {
    match SecurityCode::parse(input, brand) {
        Ok(_) => Checked::Valid { value: true },
        Err(e) => refused("security_code", &e, locale),
    }
}

/// The name as printed on the card.
#[must_use]
pub fn check_cardholder_name(input: &str, locale: Locale) -> Checked<String> {
    match CardholderName::parse(input) {
        Ok(n) => Checked::Valid {
            value: n.as_str().to_owned(),
        },
        Err(e) => refused("name", &e, locale),
    }
}

/// An e-mail address.
#[must_use]
pub fn check_email(input: &str, locale: Locale) -> Checked<String> {
    match Email::parse(input) {
        Ok(e) => Checked::Valid {
            value: e.as_str().to_owned(),
        },
        Err(e) => refused("email", &e, locale),
    }
}

/// A purchase order number.
#[must_use]
pub fn check_po_number(input: &str, locale: Locale) -> Checked<String> {
    match PurchaseOrderNumber::parse(input) {
        Ok(p) => Checked::Valid {
            value: p.as_str().to_owned(),
        },
        Err(e) => refused("po_number", &e, locale),
    }
}

/// An Indonesian tax ID (NPWP): 16 digits, or the old 15-digit dotted form.
#[must_use]
pub fn check_npwp(input: &str, locale: Locale) -> Checked<NpwpInfo> {
    match Npwp::parse(input) {
        Ok(n) => Checked::Valid {
            value: NpwpInfo {
                digits: n.digits().to_owned(),
                formatted: n.to_string(),
            },
        },
        Err(e) => refused("tax_id", &e, locale),
    }
}

/// A billing or shipping address: required fields, lengths, the region where the country uses one,
/// and the postal code's form for the country. Every problem is reported, each with its field.
#[must_use]
pub fn check_address(input: &AddressFields, locale: Locale) -> Checked<AddressFields> {
    let country = match input.country.parse::<CountryCode>() {
        Ok(c) => c,
        Err(e) => return refused("country", &e, locale),
    };
    let typed = AddressInput {
        name: input.name.clone(),
        line1: input.line1.clone(),
        line2: input.line2.clone(),
        city: input.city.clone(),
        region: input.region.clone(),
        postal_code: input.postal_code.clone(),
        country,
    };
    match Address::parse(typed) {
        Ok(a) => {
            let f = a.fields();
            Checked::Valid {
                value: AddressFields {
                    name: f.name.clone(),
                    line1: f.line1.clone(),
                    line2: f.line2.clone(),
                    city: f.city.clone(),
                    region: f.region.clone(),
                    postal_code: f.postal_code.clone(),
                    country: f.country.to_string(),
                },
            }
        }
        Err(errors) => Checked::Invalid {
            problems: errors
                .into_iter()
                .map(|(field, e)| problem(field.to_owned(), &e, locale))
                .collect(),
        },
    }
}

/// Whether a country's address needs a state, province or prefecture.
#[must_use]
pub fn region_required(country: &str) -> bool {
    country
        .parse::<CountryCode>()
        .is_ok_and(Address::region_required)
}

/// The payment methods a country may pay by, the default first.
#[must_use]
pub fn payment_methods(country: &str) -> Vec<PaymentMethod> {
    country
        .parse::<CountryCode>()
        .map(|c| order::payment_methods(c).to_vec())
        .unwrap_or_else(|_| order::DEFAULT_PAYMENT_METHODS.to_vec())
}

/// An order reference as a person types it (case, spaces and dashes don't matter; `EN` may be left
/// out): its form and its check digit.
#[must_use]
pub fn check_order_reference(input: &str, locale: Locale) -> Checked<ReferenceInfo> {
    match OrderReference::parse(input) {
        Ok(r) => Checked::Valid {
            value: ReferenceInfo {
                reference: r.to_string(),
                payload: u32::try_from(r.payload()).unwrap_or(u32::MAX),
            },
        },
        Err(e) => refused("reference", &e, locale),
    }
}

/// The order reference of a nine-digit number (taken modulo 10⁹), with its check digit.
#[must_use]
pub fn order_reference(payload: u32) -> String {
    OrderReference::from_payload(u64::from(payload)).to_string()
}

/// Why a decimal amount could not be read.
fn bad_amount(locale: Locale) -> String {
    match locale {
        Locale::En => "an amount is a decimal number such as 1234.50".into(),
        Locale::Id => "Jumlah ditulis sebagai angka desimal, misalnya 1234.50".into(),
        Locale::De => "Ein Betrag ist eine Dezimalzahl wie 1234.50".into(),
    }
}

/// An amount (a decimal string) in a currency as the portal shows it: `$1,234.50`, `Rp 1.234.567,00`,
/// rounded half-up to the currency's minor units.
///
/// # Errors
/// The message, in `locale`, when `amount` is not a decimal number.
pub fn format_money(amount: &str, currency: Currency, locale: Locale) -> Result<String, String> {
    let a: Decimal = amount.trim().parse().map_err(|_| bad_amount(locale))?;
    Ok(locale.money(&Money::new(a, currency)))
}

/// A `YYYY-MM-DD` date as the portal shows it (`31 Mar 2027`), or written out (`31 March 2027`).
///
/// # Errors
/// The message, in `locale`, when `date` is not a real `YYYY-MM-DD` date.
pub fn format_date(date: &str, locale: Locale, style: DateStyle) -> Result<String, String> {
    let d = dates::parse(date).map_err(|e| e.message(locale))?;
    Ok(match style {
        DateStyle::Short => locale.date(d),
        DateStyle::Long => locale.long_date(d),
    })
}

/// A month of a year as the portal's headings write it: `January 2027` / `Januari 2027`.
///
/// # Errors
/// When `month` is not 1–12.
pub fn format_month(year: i32, month: u8, locale: Locale) -> Result<String, String> {
    let m = time::Month::try_from(month).map_err(|_| match locale {
        Locale::En => "a month is 1 to 12".to_owned(),
        Locale::Id => "Bulan bernilai 1 sampai 12".to_owned(),
        Locale::De => "Ein Monat ist 1 bis 12".to_owned(),
    })?;
    Ok(locale.month_year(year, m))
}
