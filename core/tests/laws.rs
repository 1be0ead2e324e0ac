//! Laws of the domain rules, checked on generated inputs (native only: proptest does not build for wasm32).
#![cfg(not(target_arch = "wasm32"))]

use entitle_core::catalog::{PartNumber, PartType, PriceLevel};
use entitle_core::country::CountryCode;
use entitle_core::dto::CatalogQuery;
use entitle_core::money::{Currency, Money};
use entitle_core::order::OrderReference;
use entitle_core::pricing::{
    AgreementKind, CustomerContext, Discount, LineRequest, PartPrices, PriceBook, PricingRules,
    Term, price,
};
use entitle_core::validation::{
    Address, AddressInput, CardBrand, CardNumber, CardholderName, Email, Expiry, Npwp,
    PurchaseOrderNumber, Quantity, SecurityCode, format_card_number,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use time::{Date, Duration, macros::date};

fn currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(Currency::ALL.to_vec())
}

fn part(i: usize, prefix: char) -> PartNumber {
    PartNumber::parse(&format!("{prefix}{i:06}")).unwrap()
}

/// A book of 20 licences and 20 renewals with prices of up to four decimals in `currency`.
fn book(currency: Currency, unit_cents: &[i64]) -> PriceBook {
    let mut book = PriceBook::default();
    for (i, cents) in unit_cents.iter().enumerate() {
        let mut lic = PartPrices::new(part(i, 'D'), PartType::LicenseAndSns, 3);
        let mut ren = PartPrices::new(part(i, 'E'), PartType::AnnualSnsRenewal, 1);
        for level in PriceLevel::earned() {
            lic.set_price(currency, level, Decimal::new(*cents, 4));
            ren.set_price(currency, level, Decimal::new(*cents / 5 + 1, 4));
        }
        book.insert(lic);
        book.insert(ren);
    }
    book
}

fn customer(currency: Currency, country: &str, today: Date) -> CustomerContext {
    CustomerContext {
        agreement: AgreementKind::Relationship,
        level: PriceLevel::E,
        points: 1_000,
        country: country.parse().unwrap(),
        currency,
        anniversary: today + Duration::days(100),
        today,
    }
}

prop_compose! {
    fn lines()(specs in prop::collection::vec((0usize..20, 1u32..5_000, any::<bool>(), 1i64..=365, prop::option::of(1u32..=10_000)), 1..40))
        -> Vec<LineRequest> {
        let today = date!(2026 - 11 - 23);
        specs.into_iter().map(|(i, qty, renewal, days, discount_bp)| {
            let mut l = if renewal {
                LineRequest::new(part(i, 'E'), qty, Term::Coverage { start: today, end: today + Duration::days(days) })
            } else {
                LineRequest::new(part(i, 'D'), qty, Term::Standard)
            };
            if let Some(bp) = discount_bp {
                l = l.with_discount(Discount { percent: Decimal::new(i64::from(bp), 2), valid_until: today });
            }
            l
        }).collect()
    }
}

proptest! {
    #[test]
    fn totals_equal_the_sums_of_the_rounded_lines(
        c in currency(),
        cents in prop::collection::vec(1i64..100_000_000, 20),
        lines in lines(),
        country in prop::sample::select(vec!["ID", "US", "DE", "GB", "JP"]),
    ) {
        let today = date!(2026 - 11 - 23);
        let q = price(&book(c, &cents), &customer(c, country, today), &lines, &PricingRules::standard()).unwrap();
        let sum = |f: fn(&entitle_core::pricing::PricedLine) -> Money| Money::sum(c, q.lines.iter().map(f).collect::<Vec<_>>().iter()).unwrap();
        prop_assert_eq!(q.subtotal, sum(|l| l.extended));
        prop_assert_eq!(q.discount, sum(|l| l.discount));
        prop_assert_eq!(q.tax, sum(|l| l.tax));
        prop_assert_eq!(q.total, q.net.checked_add(&q.tax).unwrap());
        prop_assert_eq!(q.net, q.subtotal.checked_sub(&q.discount).unwrap());
        for l in &q.lines {
            prop_assert_eq!(l.extended, l.extended.rounded(), "lines are in whole minor units");
            prop_assert_eq!(l.tax, l.tax.rounded());
        }
    }

    #[test]
    fn proration_never_exceeds_the_full_price(
        c in currency(),
        cents in 1i64..1_000_000_000,
        qty in 1u32..100_000,
        days in 1i64..=366,
    ) {
        let today = date!(2026 - 11 - 23);
        let b = book(c, &[cents]);
        let term = Term::Coverage { start: today, end: today + Duration::days(days) };
        let full = Term::Coverage { start: today, end: date!(2027 - 11 - 23) };
        let cust = customer(c, "US", today);
        let rules = PricingRules::standard();
        if let (Ok(part), Ok(year)) = (
            price(&b, &cust, &[LineRequest::new(part(0, 'E'), qty, term)], &rules),
            price(&b, &cust, &[LineRequest::new(part(0, 'E'), qty, full)], &rules),
        ) {
            prop_assert!(part.subtotal.amount() <= year.subtotal.amount());
            prop_assert!(part.lines[0].proration() <= Decimal::ONE);
        }
    }

    #[test]
    fn allocation_sums_exactly_and_each_share_is_within_one_minor_unit(
        c in currency(),
        minor in -10_000_000_000i64..10_000_000_000,
        weights in prop::collection::vec(0i64..1_000_000, 1..30),
    ) {
        let total = Money::from_minor(minor, c);
        let w: Vec<Decimal> = weights.iter().map(|x| Decimal::from(*x)).collect();
        let parts = total.allocate(&w).unwrap();
        prop_assert_eq!(parts.len(), w.len());
        prop_assert_eq!(Money::sum(c, parts.iter()).unwrap(), total);
        let wsum: Decimal = w.iter().sum();
        if wsum > Decimal::ZERO {
            let unit = Decimal::new(1, c.minor_units());
            for (p, wi) in parts.iter().zip(&w) {
                let exact = total.amount() * wi / wsum;
                prop_assert!((p.amount() - exact).abs() <= unit, "{} vs {}", p.amount(), exact);
            }
        }
    }

    #[cfg(feature = "serde")]
    #[test]
    fn parsing_what_is_displayed_gives_back_the_value(
        pn in "[A-Z0-9]{7}",
        payload in 0u64..=999_999_999,
        minor in any::<i64>(),
        c in currency(),
        npwp in "[0-9]{16}",
    ) {
        let p = PartNumber::parse(&pn).unwrap();
        prop_assert_eq!(PartNumber::parse(&p.to_string()).unwrap(), p);
        let r = OrderReference::from_payload(payload);
        prop_assert_eq!(OrderReference::parse(&r.to_string()).unwrap(), r);
        let m = Money::from_minor(minor, c);
        let json = serde_json::to_string(&m).unwrap();
        prop_assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
        prop_assert_eq!(m.to_minor().unwrap(), minor);
        let n = Npwp::parse(&npwp).unwrap();
        prop_assert_eq!(Npwp::parse(&n.to_string()).unwrap(), n);
    }

    #[test]
    fn no_validator_panics_on_arbitrary_text(s in any::<String>(), t in any::<String>(), b in any::<bool>()) {
        let today = date!(2026 - 11 - 23);
        let _ = CardNumber::parse(&s);
        let _ = format_card_number(&s);
        let _ = CardBrand::detect(&s);
        let _ = Expiry::parse(&s, &t, today);
        let _ = SecurityCode::parse(&s, CardBrand::Amex);
        let _ = CardholderName::parse(&s);
        let _ = Email::parse(&s);
        let _ = PurchaseOrderNumber::parse(&s);
        let _ = Npwp::parse(&s);
        let _ = PartNumber::parse(&s);
        let _ = OrderReference::parse(&s);
        let _ = s.parse::<Currency>();
        let _ = s.parse::<CountryCode>();
        let _ = Quantity::parse(&s, entitle_core::catalog::Metric::Pvu);
        let _ = CatalogQuery { q: Some(s.clone()), category: Some(t.clone()), ..Default::default() }.validate();
        let _ = Address::parse(AddressInput {
            name: s.clone(), line1: t.clone(), line2: s.clone(), city: t.clone(), region: s.clone(),
            postal_code: if b { s.clone() } else { t.clone() }, country: CountryCode::GB,
        });
    }

    #[test]
    fn the_reference_check_digit_catches_every_single_error_and_adjacent_transposition(payload in 0u64..=999_999_999) {
        let digits: Vec<u8> = OrderReference::from_payload(payload).to_string()[3..].replace('-', "").into_bytes();
        let as_ref = |d: &[u8]| format!("EN{}", String::from_utf8(d.to_vec()).unwrap());
        for i in 0..digits.len() {
            for wrong in b'0'..=b'9' {
                if wrong != digits[i] {
                    let mut d = digits.clone();
                    d[i] = wrong;
                    prop_assert!(OrderReference::parse(&as_ref(&d)).is_err(), "substitution at {}", i);
                }
            }
            if i + 1 < digits.len() && digits[i] != digits[i + 1] {
                let mut d = digits.clone();
                d.swap(i, i + 1);
                prop_assert!(OrderReference::parse(&as_ref(&d)).is_err(), "transposition at {}", i);
            }
        }
    }
}

#[test]
fn luhn_valid_numbers_survive_formatting_for_display() {
    for n in [
        "4111111111111111",
        "378282246310005",
        "5555555555554444",
        "30569309025904",
    ] {
        let shown = format_card_number(n);
        assert_eq!(CardNumber::parse(&shown).unwrap().expose_digits(), n);
    }
}
