//! A cart as a whole: renewal lines at the prices the vendor issued, the cart's totals, and whether it
//! can be checked out. The server prices every cart and every auto-renewal order with these, so the
//! cart, the order and the engine can't disagree.

use time::Date;

use super::{
    CustomerContext, LineRequest, PartPrices, PriceBook, PricedQuote, PricingError, PricingRules,
    Term, price,
};
use crate::catalog::{PartNumber, PartType, PriceLevel};
use crate::money::{Currency, Money};
use crate::quote::is_valid_on;

/// A line of an issued renewal quote: its part and the unit price the vendor issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssuedPrice {
    /// The renewal, co-term or reinstatement part.
    pub part: PartNumber,
    /// Its type (a reinstatement restarts coverage on the pricing day).
    pub part_type: PartType,
    /// The unit price on the quote.
    pub unit: Money,
}

/// Prices one line of an issued renewal quote at its issued unit price, **whatever the customer's level
/// is now** (an issued price holds while the quote is valid), so proration, tax and explanations come
/// from the same engine as every other price.
///
/// The line is priced as of its coverage start (or the quote's due date `due`) when that is earlier than
/// the context's today, so an issued renewal or co-term line never turns into a reinstatement while the
/// quote is valid; a reinstatement line restarts coverage on the context's today.
///
/// # Errors
/// The pricing error, e.g. a coverage term that does not fit.
pub fn price_issued(
    context: &CustomerContext,
    issued: IssuedPrice,
    quantity: u32,
    term: Term,
    due: Date,
) -> Result<PricedQuote, PricingError> {
    let today = context.today;
    let mut book = PriceBook::default();
    let mut prices = PartPrices::new(issued.part, issued.part_type, 0);
    for level in PriceLevel::ALL {
        prices.set_price(issued.unit.currency(), *level, issued.unit.amount());
    }
    book.insert(prices);
    let (as_of, term) = match (issued.part_type, term) {
        (PartType::SnsReinstatement, _) => (today, Term::Standard),
        (_, Term::Coverage { start, .. }) => (today.min(start), term),
        (_, term) => (today.min(due), term),
    };
    let context = CustomerContext {
        today: as_of,
        ..*context
    };
    price(
        &book,
        &context,
        &[LineRequest::new(issued.part, quantity, term)],
        &PricingRules::standard(),
    )
}

/// The money rows of a cart or an order: what every screen's summary shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Sum of extended prices.
    pub subtotal: Money,
    /// Sum of discounts.
    pub discount: Money,
    /// Sum of taxes.
    pub tax: Money,
    /// What is paid: subtotal − discount + tax.
    pub total: Money,
    /// Points earned.
    pub points: u64,
}

impl Totals {
    /// Nothing yet, in `currency`.
    #[must_use]
    pub const fn zero(currency: Currency) -> Self {
        let zero = Money::zero(currency);
        Totals {
            subtotal: zero,
            discount: zero,
            tax: zero,
            total: zero,
            points: 0,
        }
    }

    /// Adds the totals of a priced set of lines.
    ///
    /// # Errors
    /// [`PricingError::Money`] when the lines are in another currency (a cart is in one currency; a
    /// mismatch is a fault to report, never to skip) or the sum overflows.
    pub fn add(&mut self, quote: &PricedQuote) -> Result<(), PricingError> {
        *self = Totals {
            subtotal: self.subtotal.checked_add(&quote.subtotal)?,
            discount: self.discount.checked_add(&quote.discount)?,
            tax: self.tax.checked_add(&quote.tax)?,
            total: self.total.checked_add(&quote.total)?,
            points: self.points.saturating_add(quote.points),
        };
        Ok(())
    }

    /// The totals of several priced sets of lines in `currency`.
    ///
    /// # Errors
    /// As [`Totals::add`].
    pub fn of<'a>(
        currency: Currency,
        quotes: impl IntoIterator<Item = &'a PricedQuote>,
    ) -> Result<Self, PricingError> {
        let mut totals = Totals::zero(currency);
        for q in quotes {
            totals.add(q)?;
        }
        Ok(totals)
    }
}

/// A quote the cart holds lines of: a renewal quote, or a sales rep's quote accepted into the cart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldQuote<'a> {
    /// Its number.
    pub number: &'a str,
    /// A renewal quote the customer changed: it waits for the rep to re-issue it.
    pub change_requested: bool,
    /// Its last valid day.
    pub valid_until: Date,
}

/// Why a cart can't be checked out yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Blockers {
    /// The cart has no lines.
    pub empty: bool,
    /// Renewal quotes waiting for the rep to re-issue them.
    pub change_requested: Vec<String>,
    /// Quotes past their validity date.
    pub expired: Vec<String>,
}

impl Blockers {
    /// Whether nothing stands in the way of checking out.
    #[must_use]
    pub fn can_check_out(&self) -> bool {
        !self.empty && self.change_requested.is_empty() && self.expired.is_empty()
    }
}

/// What stops a cart of `line_count` lines holding `quotes` from being checked out on `today`. Each
/// quote is named once, in the order first held; a changed quote is listed as changed, not also as
/// expired (re-issuing gives it a new validity).
#[must_use]
pub fn checkout_blockers<'a>(
    line_count: usize,
    quotes: impl IntoIterator<Item = HeldQuote<'a>>,
    today: Date,
) -> Blockers {
    let mut blockers = Blockers {
        empty: line_count == 0,
        ..Blockers::default()
    };
    for q in quotes {
        let number = q.number.to_owned();
        if blockers.change_requested.contains(&number) || blockers.expired.contains(&number) {
            continue;
        }
        if q.change_requested {
            blockers.change_requested.push(number);
        } else if !is_valid_on(q.valid_until, today) {
            blockers.expired.push(number);
        }
    }
    blockers
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use time::Duration;
    use time::macros::date;

    use super::*;
    use crate::country::CountryCode;
    use crate::pricing::AgreementKind;

    fn context(today: Date) -> CustomerContext {
        CustomerContext {
            agreement: AgreementKind::Relationship,
            level: PriceLevel::E,
            points: 0,
            country: CountryCode::US,
            currency: Currency::Usd,
            anniversary: date!(2027 - 03 - 01),
            today,
        }
    }

    fn money(amount: &str, currency: Currency) -> Money {
        Money::new(amount.parse().unwrap(), currency)
    }

    fn renewal(unit: Money) -> IssuedPrice {
        IssuedPrice {
            part: PartNumber::parse("E0ABCLL").unwrap(),
            part_type: PartType::AnnualSnsRenewal,
            unit,
        }
    }

    #[test]
    fn an_issued_renewal_keeps_its_price_and_does_not_lapse_while_the_quote_is_valid() {
        let due = date!(2027 - 03 - 01);
        let term = Term::Coverage {
            start: due,
            end: date!(2028 - 03 - 01),
        };
        let unit = money("120.00", Currency::Usd);
        // Ordered five days after the old coverage ended: still a renewal from the due date.
        let p = price_issued(
            &context(due + Duration::days(5)),
            renewal(unit),
            3,
            term,
            due,
        )
        .unwrap();
        assert_eq!(p.lines[0].part_type, PartType::AnnualSnsRenewal);
        assert_eq!(p.lines[0].unit_price, unit);
        assert_eq!(p.subtotal, money("360.00", Currency::Usd));
    }

    #[test]
    fn totals_add_up_and_refuse_a_second_currency() {
        let due = date!(2027 - 03 - 01);
        let term = Term::Coverage {
            start: due,
            end: date!(2028 - 03 - 01),
        };
        let usd = price_issued(
            &context(due),
            renewal(money("100", Currency::Usd)),
            1,
            term,
            due,
        )
        .unwrap();
        let totals = Totals::of(Currency::Usd, [&usd, &usd]).unwrap();
        assert_eq!(totals.subtotal, money("200", Currency::Usd));
        assert_eq!(
            totals.total,
            totals
                .subtotal
                .checked_sub(&totals.discount)
                .unwrap()
                .checked_add(&totals.tax)
                .unwrap()
        );
        let eur = price_issued(
            &CustomerContext {
                currency: Currency::Eur,
                ..context(due)
            },
            renewal(money("100", Currency::Eur)),
            1,
            term,
            due,
        )
        .unwrap();
        assert!(matches!(
            Totals::of(Currency::Usd, [&usd, &eur]),
            Err(PricingError::Money(_))
        ));
    }

    #[test]
    fn a_cart_is_blocked_by_a_changed_or_expired_quote_and_when_empty() {
        let today = date!(2027 - 01 - 31);
        let held = |number, change_requested, valid_until| HeldQuote {
            number,
            change_requested,
            valid_until,
        };
        assert!(checkout_blockers(2, [held("RQ1", false, today)], today).can_check_out());
        let b = checkout_blockers(
            3,
            [
                held("RQ1", true, today - Duration::days(3)),
                held("RQ1", true, today - Duration::days(3)),
                held("QR2", false, today - Duration::days(1)),
            ],
            today,
        );
        assert_eq!(b.change_requested, ["RQ1"]);
        assert_eq!(b.expired, ["QR2"]);
        assert!(!b.can_check_out());
        assert!(!checkout_blockers(0, [], today).can_check_out());
    }
}
