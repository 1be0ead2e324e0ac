//! The pricing engine's rules, one test per rule and edge.

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
        vec![
            Explanation::Level {
                level: PriceLevel::D,
                held: PriceLevel::D,
                lifted: false
            },
            Explanation::CoTermed {
                until: date!(2027 - 03 - 31)
            }
        ]
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
    assert_eq!(q.explanations(0)[0], Explanation::ExpressListPrice);
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
        "co-termed to the site's anniversary on 31 Mar 2027: prorated 120/365 days"
    );
}

#[test]
fn s_and_s_bought_from_the_catalog_is_co_termed_to_the_sites_anniversary() {
    // Today 23 Nov 2026, anniversary 31 Mar 2027: 128 days, not a year from today.
    let q = one(
        LineRequest::new(pn("E0AAALL"), 1, Term::Standard),
        &customer(),
    )
    .unwrap();
    let l = &q.lines[0];
    assert_eq!(l.coverage_start, Some(date!(2026 - 11 - 23)));
    assert_eq!(l.coverage_end, Some(date!(2027 - 03 - 31)));
    assert_eq!(l.prorated_days, Some(128));
    // 180 × 128 / 365 = 63.123… → 63.12
    assert_eq!(l.extended.amount(), d("63.12"));
    assert!(q.explanations(0).contains(&Explanation::Prorated {
        days: 128,
        of: 365,
        until: date!(2027 - 03 - 31)
    }));
}

#[test]
fn a_new_licence_includes_s_and_s_until_the_anniversary_and_says_so() {
    let q = one(
        LineRequest::new(pn("D0AAALL"), 1, Term::Standard),
        &customer(),
    )
    .unwrap();
    let l = &q.lines[0];
    assert_eq!(l.coverage_end, Some(date!(2027 - 03 - 31)));
    assert_eq!(l.prorated_days, None, "the licence price is not prorated");
    let text = q.explanations(0)[1].text(crate::locale::Locale::En);
    assert_eq!(
        text,
        "includes S&S until the site's anniversary on 31 Mar 2027, when all its coverage renews"
    );
}

#[test]
fn a_stored_anniversary_that_has_passed_rolls_on_to_the_next_one() {
    let today = date!(2026 - 11 - 23);
    assert_eq!(
        next_anniversary(date!(2027 - 03 - 31), today),
        date!(2027 - 03 - 31)
    );
    assert_eq!(
        next_anniversary(date!(2024 - 03 - 31), today),
        date!(2027 - 03 - 31)
    );
    assert_eq!(
        next_anniversary(date!(2026 - 11 - 23), today),
        date!(2027 - 11 - 23),
        "on the anniversary itself the next one is a year on"
    );
    assert_eq!(
        next_anniversary(date!(2024 - 02 - 29), today),
        date!(2027 - 02 - 28)
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
    assert!(
        q.explanations(0)
            .iter()
            .any(|e| matches!(e, Explanation::DiscountExpired { .. }))
    );
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

#[cfg(feature = "serde")]
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn each_explanations_kind_is_the_name_it_has_in_json() {
    let d = date!(2027 - 03 - 31);
    let part = PartNumber::parse("E0ABCLL").unwrap();
    for e in [
        Explanation::Level {
            level: PriceLevel::E,
            held: PriceLevel::D,
            lifted: true,
        },
        Explanation::ExpressListPrice,
        Explanation::Prorated {
            days: 120,
            of: 365,
            until: d,
        },
        Explanation::CoTermed { until: d },
        Explanation::Reinstated {
            instead_of: part,
            lapsed_on: d,
        },
        Explanation::Months { months: 12 },
        Explanation::Discount {
            percent: Decimal::TEN,
            valid_until: d,
        },
        Explanation::DiscountExpired {
            percent: Decimal::TEN,
            valid_until: d,
        },
        Explanation::Tax {
            name: "PPN".into(),
            rate: Decimal::new(12, 2),
            base_numerator: 11,
            base_denominator: 12,
        },
    ] {
        let json = serde_json::to_value(&e).unwrap();
        let name = json
            .as_str()
            .map(str::to_owned)
            .or_else(|| json.as_object().and_then(|o| o.keys().next().cloned()))
            .unwrap();
        assert_eq!(e.kind(), name);
    }
}
