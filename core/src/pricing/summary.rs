//! The money block every screen and document shows under its lines: subtotal, discount, tax (with its
//! rate and the amount it applies to) and total. One type, built here from priced lines, so the quote,
//! the cart, the review step, the confirmation, the order page and the PDF receipt show the same rows
//! and the rows add up.

use super::PricedQuote;
use super::cart::Totals;
use crate::country::TaxRule;
use crate::locale::Locale;
use crate::money::{Money, MoneyError};

/// The money rows of a quote, cart or order.
///
/// Lines are shown at their extended price (before discount and tax), so the lines add up to
/// `subtotal`; then `subtotal − discount = net`, `net`'s tax is `tax`, and `net + tax = total`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MoneySummary {
    /// Sum of the lines' extended prices.
    pub subtotal: Money,
    /// Sum of the lines' discounts (zero when none applies).
    pub discount: Money,
    /// `subtotal − discount`: what tax is charged on.
    pub net: Money,
    /// The tax rule charged, if the country has one.
    pub tax_rule: Option<TaxRule>,
    /// Sum of the lines' taxes.
    pub tax: Money,
    /// What is paid: `net + tax`.
    pub total: Money,
    /// Points earned.
    pub points: u64,
}

/// Which row of a [`MoneySummary`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// Sum of the lines.
    Subtotal,
    /// Discount taken off (shown negative).
    Discount,
    /// Tax charged.
    Tax,
    /// What is paid.
    Total,
}

/// One row to show: what it is and its signed amount (a discount is negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SummaryRow {
    /// Which row.
    pub kind: RowKind,
    /// Signed amount: the rows before `Total` add up to it.
    pub amount: Money,
}

impl MoneySummary {
    /// The summary of totals charged under `tax_rule`.
    ///
    /// # Errors
    /// [`MoneyError`] when the discount is in another currency than the subtotal (never for totals built
    /// by [`Totals::add`]).
    pub fn new(totals: &Totals, tax_rule: Option<TaxRule>) -> Result<Self, MoneyError> {
        Ok(MoneySummary {
            subtotal: totals.subtotal,
            discount: totals.discount,
            net: totals.subtotal.checked_sub(&totals.discount)?,
            tax_rule,
            tax: totals.tax,
            total: totals.total,
            points: totals.points,
        })
    }

    /// The summary of one priced set of lines.
    #[must_use]
    pub fn of_quote(quote: &PricedQuote) -> Self {
        MoneySummary {
            subtotal: quote.subtotal,
            discount: quote.discount,
            net: quote.net,
            tax_rule: quote.tax_rule.clone(),
            tax: quote.tax,
            total: quote.total,
            points: quote.points,
        }
    }

    /// The rows to show, in order. The discount row is left out when nothing is discounted; the tax row
    /// is always shown (zero where the country charges none), so a customer sees that none was added.
    #[must_use]
    pub fn rows(&self) -> Vec<SummaryRow> {
        let mut rows = Vec::with_capacity(4);
        rows.push(SummaryRow {
            kind: RowKind::Subtotal,
            amount: self.subtotal,
        });
        if !self.discount.amount().is_zero() {
            rows.push(SummaryRow {
                kind: RowKind::Discount,
                amount: Money::new(-self.discount.amount(), self.discount.currency()),
            });
        }
        rows.push(SummaryRow {
            kind: RowKind::Tax,
            amount: self.tax,
        });
        rows.push(SummaryRow {
            kind: RowKind::Total,
            amount: self.total,
        });
        rows
    }

    /// Whether the rows before the total add up to it exactly (they always do for a summary built
    /// from priced lines; a check for data read back from storage).
    #[must_use]
    pub fn adds_up(&self) -> bool {
        let sum = self
            .rows()
            .iter()
            .filter(|r| r.kind != RowKind::Total)
            .map(|r| r.amount.amount())
            .sum::<rust_decimal::Decimal>();
        sum == self.total.amount() && self.net.amount() + self.tax.amount() == sum
    }

    /// The label of a row in `locale`. The tax row names the tax, its rate and what it is charged on:
    /// "VAT 20% on £1,200.00", "PPN 12% atas 11/12 dari Rp 1.200.000".
    #[must_use]
    pub fn label(&self, kind: RowKind, locale: Locale) -> String {
        match kind {
            RowKind::Subtotal => match locale {
                Locale::En | Locale::Id => "Subtotal",
                Locale::De => "Zwischensumme",
            }
            .to_owned(),
            RowKind::Discount => match locale {
                Locale::En => "Discount",
                Locale::Id => "Diskon",
                Locale::De => "Rabatt",
            }
            .to_owned(),
            RowKind::Total => match locale {
                Locale::En | Locale::Id => "Total",
                Locale::De => "Gesamtbetrag",
            }
            .to_owned(),
            RowKind::Tax => match &self.tax_rule {
                None => match locale {
                    Locale::En => "Tax",
                    Locale::Id => "Pajak",
                    Locale::De => "Steuer",
                }
                .to_owned(),
                Some(rule) => {
                    let pct = locale.percent(rule.rate);
                    let net = locale.money(&self.net);
                    let whole = rule.base_numerator == rule.base_denominator;
                    let (n, d) = (rule.base_numerator, rule.base_denominator);
                    let name = &rule.name;
                    match (locale, whole) {
                        (Locale::En, true) => format!("{name} {pct}% on {net}"),
                        (Locale::En, false) => format!("{name} {pct}% on {n}/{d} of {net}"),
                        (Locale::Id, true) => format!("{name} {pct}% atas {net}"),
                        (Locale::Id, false) => format!("{name} {pct}% atas {n}/{d} dari {net}"),
                        (Locale::De, true) => format!("{name} {pct} % auf {net}"),
                        (Locale::De, false) => format!("{name} {pct} % auf {n}/{d} von {net}"),
                    }
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use rust_decimal::Decimal;

    use super::*;
    use crate::country::{CountryCode, TaxTable};
    use crate::money::Currency;

    fn idr(amount: i64) -> Money {
        Money::new(Decimal::from(amount), Currency::Idr)
    }

    fn summary_with_discount() -> MoneySummary {
        let totals = Totals {
            subtotal: idr(1_200_000),
            discount: idr(120_000),
            tax: idr(118_800),
            total: idr(1_198_800),
            points: 3,
        };
        let ppn = TaxTable::standard().rule_for(CountryCode::ID).cloned();
        MoneySummary::new(&totals, ppn).unwrap()
    }

    #[test]
    fn a_discounted_summary_shows_four_rows_that_add_up() {
        let s = summary_with_discount();
        let rows = s.rows();
        let kinds: Vec<_> = rows.iter().map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            [
                RowKind::Subtotal,
                RowKind::Discount,
                RowKind::Tax,
                RowKind::Total
            ]
        );
        assert_eq!(rows[1].amount, idr(-120_000));
        assert_eq!(s.net, idr(1_080_000));
        assert!(s.adds_up());
    }

    #[test]
    fn the_discount_row_is_left_out_when_nothing_is_discounted() {
        let totals = Totals {
            subtotal: idr(100),
            discount: idr(0),
            tax: idr(0),
            total: idr(100),
            points: 0,
        };
        let s = MoneySummary::new(&totals, None).unwrap();
        assert_eq!(s.rows().len(), 3);
        assert!(s.adds_up());
        assert_eq!(s.label(RowKind::Tax, Locale::En), "Tax");
    }

    #[test]
    fn a_summary_that_does_not_add_up_is_caught() {
        let mut s = summary_with_discount();
        s.total = idr(1_318_800);
        assert!(!s.adds_up());
    }

    #[test]
    fn the_tax_row_names_the_rate_charged_and_what_it_is_charged_on() {
        let s = summary_with_discount();
        assert_eq!(
            s.label(RowKind::Tax, Locale::En),
            "PPN 12% on 11/12 of Rp 1,080,000.00"
        );
        assert_eq!(
            s.label(RowKind::Tax, Locale::Id),
            "PPN 12% atas 11/12 dari Rp 1.080.000,00"
        );
        assert_eq!(
            s.label(RowKind::Tax, Locale::De),
            "PPN 12 % auf 11/12 von 1.080.000,00 IDR"
        );
        assert_eq!(s.label(RowKind::Total, Locale::De), "Gesamtbetrag");
    }
}
