//! Prices a renewal with co-termination and reinstatement, and explains each line:
//! `cargo run -p entitle-core --example price_renewal`.
//!
//! An Indonesian relationship customer at level E renews two products. One's S&S is bought from the
//! catalog today, so it is co-termed: it covers today up to the site's anniversary and is prorated by
//! days/365. The other's coverage lapsed months ago, so its renewal part is replaced by the reinstatement
//! part, covering a year from today. PPN applies on the 11/12 base.

use entitle_core::catalog::{PartNumber, PartType, PriceLevel};
use entitle_core::locale::Locale;
use entitle_core::money::Currency;
use entitle_core::pricing::{
    AgreementKind, CustomerContext, LineRequest, PartPrices, PriceBook, PricingRules, Term, price,
};
use rust_decimal::Decimal;
use time::macros::date;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let renewal = PartNumber::parse("E0ABCLL")?;
    let reinstatement = PartNumber::parse("D0ABCLL")?;
    let lapsed = PartNumber::parse("E0XYZLL")?;
    let lapsed_reinstatement = PartNumber::parse("D0XYZLL")?;

    let mut book = PriceBook::default();
    for (part, kind, points, unit) in [
        (&renewal, PartType::AnnualSnsRenewal, 10, "1500000.00"),
        (&reinstatement, PartType::SnsReinstatement, 12, "1950000.00"),
        (&lapsed, PartType::AnnualSnsRenewal, 4, "800000.00"),
        (
            &lapsed_reinstatement,
            PartType::SnsReinstatement,
            5,
            "1040000.00",
        ),
    ] {
        let mut prices = PartPrices::new(*part, kind, points).with_price(
            Currency::Idr,
            PriceLevel::E,
            unit.parse::<Decimal>()?,
        );
        if part == &renewal {
            prices = prices.with_reinstatement(reinstatement);
        }
        if part == &lapsed {
            prices = prices.with_reinstatement(lapsed_reinstatement);
        }
        book.insert(prices);
    }

    // "Today" is the caller's: the rules never read a clock.
    let customer = CustomerContext {
        agreement: AgreementKind::Relationship,
        level: PriceLevel::E,
        points: 1_200,
        country: "ID".parse()?,
        currency: Currency::Idr,
        anniversary: date!(2027 - 03 - 31),
        today: date!(2026 - 12 - 01),
    };
    let lines = [
        // Bought today from the catalog: co-termed to the anniversary (31 March), prorated.
        LineRequest::new(renewal, 2, Term::Standard),
        // Coverage that ran out on 30 June 2026: reinstated for a year from today.
        LineRequest::new(
            lapsed,
            1,
            Term::Coverage {
                start: date!(2026 - 06 - 30),
                end: date!(2027 - 03 - 31),
            },
        ),
    ];
    let quote = price(&book, &customer, &lines, &PricingRules::standard())?;

    let en = Locale::En;
    for (i, line) in quote.lines.iter().enumerate() {
        println!(
            "{} × {}  {}",
            line.quantity,
            line.part,
            en.money(&line.extended)
        );
        for why in quote.explanations(i) {
            println!("    {}", why.text(en));
        }
    }
    println!("Subtotal {}", en.money(&quote.subtotal));
    println!("Tax      {}", en.money(&quote.tax));
    println!("Total    {}", en.money(&quote.total));

    // The rows add up: totals are sums of the rounded lines.
    let sum = quote
        .lines
        .iter()
        .map(|l| l.total.amount())
        .sum::<Decimal>();
    assert_eq!(sum, quote.total.amount());
    Ok(())
}
