//! Prices a 10,000-line cart (target: ≤ 2 ms native). `cargo bench -p entitle-core`.
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{Criterion, criterion_group, criterion_main};
use entitle_core::catalog::{PartNumber, PartType, PriceLevel};
use entitle_core::money::Currency;
use entitle_core::pricing::{
    AgreementKind, CustomerContext, LineRequest, PartPrices, PriceBook, PricingRules, Term, price,
};
use rust_decimal::Decimal;
use time::macros::date;

fn part(i: usize, prefix: char) -> PartNumber {
    PartNumber::parse(&format!("{prefix}{i:06}")).expect("valid part number")
}

fn bench(c: &mut Criterion) {
    let mut book = PriceBook::default();
    for i in 0..2_000 {
        let mut lic = PartPrices::new(part(i, 'D'), PartType::LicenseAndSns, 5);
        let mut ren = PartPrices::new(part(i, 'E'), PartType::AnnualSnsRenewal, 1);
        for level in PriceLevel::earned() {
            lic.set_price(
                Currency::Idr,
                level,
                Decimal::new(1_234_567_890 + i as i64, 2),
            );
            ren.set_price(
                Currency::Idr,
                level,
                Decimal::new(246_913_578 + i as i64, 2),
            );
        }
        book.insert(lic);
        book.insert(ren);
    }
    let customer = CustomerContext {
        agreement: AgreementKind::Relationship,
        level: PriceLevel::E,
        points: 1_500,
        country: "ID".parse().expect("country"),
        currency: Currency::Idr,
        anniversary: date!(2027 - 03 - 31),
        today: date!(2026 - 11 - 23),
    };
    let lines: Vec<LineRequest> = (0..10_000)
        .map(|i| {
            if i % 2 == 0 {
                LineRequest::new(part(i % 2_000, 'D'), 3, Term::Standard)
            } else {
                LineRequest::new(
                    part(i % 2_000, 'E'),
                    7,
                    Term::Coverage {
                        start: date!(2026 - 12 - 01),
                        end: date!(2027 - 03 - 31),
                    },
                )
            }
        })
        .collect();
    let rules = PricingRules::standard();
    c.bench_function("price a 10,000-line cart", |b| {
        b.iter(|| price(&book, &customer, std::hint::black_box(&lines), &rules).expect("priced"));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
