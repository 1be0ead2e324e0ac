//! The renewal engine's rules (docs/domain.md §5), shared by the server's scheduled job and anyone reusing
//! the core: when a renewal quote is due, which lines it carries (co-termed to the site's anniversary,
//! reinstatement for lapsed coverage), where auto-renew is allowed, and how the price level is
//! recomputed at each anniversary.

use time::{Date, Duration};

use crate::catalog::{PartNumber, PriceLevel};
use crate::country::CountryCode;
use crate::pricing::{AgreementKind, LineRequest, Term};

/// Days before the anniversary at which the renewal quote is issued.
pub const NOTICE_DAYS: i64 = 90;

/// Countries where a renewal quote may renew by itself on the anniversary (as data: consumer-contract
/// rules differ by country; Indonesia requires an explicit order for each renewal).
pub const AUTO_RENEW_COUNTRIES: [CountryCode; 4] = [
    CountryCode::US,
    CountryCode::GB,
    CountryCode::DE,
    CountryCode::JP,
];

/// Whether auto-renew may be offered to a site in `country`.
#[must_use]
pub fn auto_renew_allowed(country: CountryCode) -> bool {
    AUTO_RENEW_COUNTRIES.contains(&country)
}

/// The same day one year later (28 February for 29 February).
#[must_use]
pub fn one_year_after(d: Date) -> Date {
    d.replace_year(d.year() + 1)
        .or_else(|_| (d - Duration::days(1)).replace_year(d.year() + 1))
        .unwrap_or(d)
}

/// The anniversary on or after `today`, given any past or future anniversary of the site.
#[must_use]
pub fn next_anniversary(anniversary: Date, today: Date) -> Date {
    let mut a = anniversary;
    while a < today {
        a = one_year_after(a);
    }
    a
}

/// Whether the quote for the anniversary `due` should be issued on `today`: from [`NOTICE_DAYS`] before
/// it, up to the day itself.
#[must_use]
pub fn quote_due(due: Date, today: Date) -> bool {
    today <= due && due - Duration::days(NOTICE_DAYS) <= today
}

/// Days before coverage ends from which it counts as due for renewal (the coverage page).
pub const DUE_WITHIN_DAYS: i64 = 90;

/// Whether coverage ending on `end` (exclusive: the first day not covered) has **lapsed** on `today`, so
/// that only reinstatement is possible: `grace_days` after `end` have passed. On `end` itself a renewal
/// still starts without a gap, so it is not lapsed. The one definition used by the coverage page, the
/// engine's quote lines and pricing.
#[must_use]
pub fn has_lapsed(end: Date, today: Date, grace_days: u32) -> bool {
    end + Duration::days(i64::from(grace_days)) < today
}

/// Where coverage ending on `end` stands on `today` (no grace period, as the standard pricing rules).
#[must_use]
pub fn coverage_state(end: Date, today: Date) -> crate::dto::CoverageState {
    use crate::dto::CoverageState;
    if has_lapsed(end, today, 0) {
        CoverageState::Lapsed
    } else if end <= today + Duration::days(DUE_WITHIN_DAYS) {
        CoverageState::Due
    } else {
        CoverageState::Active
    }
}

/// One S&S entitlement as the engine sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    /// The entitlement's id (returned with its lines).
    pub id: i64,
    /// Its annual S&S renewal part.
    pub renewal_part: PartNumber,
    /// Units.
    pub quantity: u32,
    /// The day coverage ends (exclusive).
    pub end: Date,
}

/// A line the quote for anniversary `due` carries, and the entitlement it renews.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedLine {
    /// The entitlement.
    pub entitlement: i64,
    /// What to price. Lapsed coverage is asked for as a renewal from the day it lapsed; pricing turns
    /// it into the reinstatement part (coverage restarting on the order date).
    pub request: LineRequest,
}

/// The lines of the renewal quote for anniversary `due`, issued on `today`:
///
/// - coverage ending on the anniversary renews for the year after it;
/// - coverage ending before the anniversary but not lapsed is **co-termed**: a prorated line up to the
///   anniversary, then the year after it;
/// - coverage that lapsed before `today` gets a reinstatement line;
/// - coverage running past the anniversary is not due.
#[must_use]
pub fn plan_lines(coverages: &[Coverage], due: Date, today: Date) -> Vec<PlannedLine> {
    let year = Term::Coverage {
        start: due,
        end: one_year_after(due),
    };
    let mut out = Vec::new();
    for c in coverages {
        let line = |term| PlannedLine {
            entitlement: c.id,
            request: LineRequest::new(c.renewal_part, c.quantity, term),
        };
        if c.end > due {
            continue;
        }
        if has_lapsed(c.end, today, 0) {
            out.push(line(Term::Coverage {
                start: c.end,
                end: one_year_after(c.end).min(due.max(c.end + Duration::days(1))),
            }));
            continue;
        }
        if c.end < due {
            out.push(line(Term::Coverage {
                start: c.end,
                end: due,
            }));
        }
        out.push(line(year));
    }
    out
}

/// The level a relationship customer holds for the term starting at an anniversary, from the points
/// earned over the term that ended: special levels (ED, GV) are kept; express agreements stay at BL.
#[must_use]
pub fn level_for_next_term(agreement: AgreementKind, held: PriceLevel, points: u64) -> PriceLevel {
    match agreement {
        AgreementKind::Express => PriceLevel::Bl,
        AgreementKind::Relationship if !held.is_earned() => held,
        AgreementKind::Relationship => PriceLevel::for_points(points),
    }
}

/// How the renewals page groups the quotes awaiting review or action (`?group=` of
/// `GET /api/v1/renewals`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum RenewalGrouping {
    /// One group of everything awaiting review or action.
    #[default]
    Awaiting,
    /// By due month (`2027-01`).
    Month,
    /// By agreement (the organisation's name as the title).
    Agreement,
}

impl RenewalGrouping {
    /// Every grouping, in the order the page offers them.
    pub const ALL: [RenewalGrouping; 3] = [
        RenewalGrouping::Awaiting,
        RenewalGrouping::Month,
        RenewalGrouping::Agreement,
    ];

    /// The stable code (`?group=`).
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            RenewalGrouping::Awaiting => "awaiting",
            RenewalGrouping::Month => "month",
            RenewalGrouping::Agreement => "agreement",
        }
    }

    /// Parses a code; anything else is `None`.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }

    /// Groups `quotes` (already in due-date order, which each group keeps), groups in key order.
    #[must_use]
    pub fn group(
        self,
        quotes: Vec<crate::dto::RenewalQuoteSummary>,
    ) -> Vec<crate::dto::RenewalGroup> {
        let mut groups: std::collections::BTreeMap<String, crate::dto::RenewalGroup> =
            std::collections::BTreeMap::new();
        for quote in quotes {
            let (key, title) = match self {
                RenewalGrouping::Awaiting => (
                    self.code().to_owned(),
                    "Awaiting review or action".to_owned(),
                ),
                RenewalGrouping::Month => {
                    let k = format!(
                        "{:04}-{:02}",
                        quote.due_date.year(),
                        u8::from(quote.due_date.month())
                    );
                    (k.clone(), k)
                }
                RenewalGrouping::Agreement => {
                    (quote.agreement_number.clone(), quote.organisation.clone())
                }
            };
            groups
                .entry(key.clone())
                .or_insert_with(|| crate::dto::RenewalGroup {
                    key,
                    title,
                    quotes: Vec::new(),
                })
                .quotes
                .push(quote);
        }
        groups.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use time::macros::date;

    use super::*;

    #[test]
    fn coverage_on_its_last_day_is_due_and_lapses_the_day_after() {
        use crate::dto::CoverageState;
        let end = date!(2027 - 03 - 31);
        assert_eq!(coverage_state(end, end), CoverageState::Due);
        assert!(!has_lapsed(end, end, 0));
        assert_eq!(
            coverage_state(end, end + Duration::days(1)),
            CoverageState::Lapsed
        );
        assert!(!has_lapsed(end, end + Duration::days(30), 30));
        assert!(has_lapsed(end, end + Duration::days(31), 30));
        assert_eq!(
            coverage_state(end, end - Duration::days(DUE_WITHIN_DAYS)),
            CoverageState::Due
        );
        assert_eq!(
            coverage_state(end, end - Duration::days(DUE_WITHIN_DAYS + 1)),
            CoverageState::Active
        );
    }

    #[test]
    fn renewals_group_by_due_month_or_agreement_keeping_due_date_order() {
        use crate::dto::{RenewalChannel, RenewalQuoteSummary};
        use crate::money::{Currency, Money};
        let quote = |number: &str, agreement: &str, due: Date| RenewalQuoteSummary {
            quote_number: number.to_owned(),
            status: crate::quote::QuoteStatus::Issued,
            version: 1,
            customer_number: "7034521".to_owned(),
            site_name: "Jakarta HQ".to_owned(),
            organisation: format!("Org {agreement}"),
            agreement_number: agreement.to_owned(),
            due_date: due,
            valid_until: due,
            lines: 1,
            subtotal: Money::zero(Currency::Usd),
            channel: RenewalChannel::Online,
        };
        let quotes = vec![
            quote("RQ1", "PA-2", date!(2027 - 01 - 05)),
            quote("RQ2", "PA-1", date!(2027 - 01 - 20)),
            quote("RQ3", "PA-2", date!(2027 - 02 - 01)),
        ];
        let months = RenewalGrouping::Month.group(quotes.clone());
        assert_eq!(
            months.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(),
            ["2027-01", "2027-02"]
        );
        assert_eq!(months[0].quotes[1].quote_number, "RQ2");
        let by_agreement = RenewalGrouping::Agreement.group(quotes.clone());
        assert_eq!(by_agreement[1].key, "PA-2");
        assert_eq!(by_agreement[1].title, "Org PA-2");
        assert_eq!(by_agreement[1].quotes.len(), 2);
        let all = RenewalGrouping::Awaiting.group(quotes);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].key, "awaiting");
        for g in RenewalGrouping::ALL {
            assert_eq!(RenewalGrouping::from_code(g.code()), Some(g));
        }
        assert_eq!(RenewalGrouping::from_code("year"), None);
    }

    fn part() -> PartNumber {
        PartNumber::parse("E0ABCLL").unwrap()
    }

    fn cov(id: i64, end: Date) -> Coverage {
        Coverage {
            id,
            renewal_part: part(),
            quantity: 10,
            end,
        }
    }

    #[test]
    fn the_quote_is_due_from_ninety_days_before_the_anniversary_through_the_day_itself() {
        let due = date!(2027 - 03 - 31);
        assert!(!quote_due(due, date!(2026 - 12 - 30)));
        assert!(quote_due(due, date!(2026 - 12 - 31)));
        assert!(quote_due(due, due));
        assert!(!quote_due(due, date!(2027 - 04 - 01)));
    }

    #[test]
    fn coverage_ending_on_the_anniversary_renews_for_the_following_year() {
        let due = date!(2027 - 03 - 31);
        let lines = plan_lines(&[cov(1, due)], due, date!(2027 - 01 - 15));
        assert_eq!(lines.len(), 1);
        assert_eq!(
            lines[0].request.term,
            Term::Coverage {
                start: due,
                end: date!(2028 - 03 - 31)
            }
        );
    }

    #[test]
    fn coverage_ending_before_the_anniversary_is_co_termed_then_renewed() {
        let due = date!(2027 - 03 - 31);
        let lines = plan_lines(&[cov(7, date!(2027 - 02 - 10))], due, date!(2027 - 01 - 15));
        let terms: Vec<Term> = lines.iter().map(|l| l.request.term).collect();
        assert_eq!(
            terms,
            vec![
                Term::Coverage {
                    start: date!(2027 - 02 - 10),
                    end: due
                },
                Term::Coverage {
                    start: due,
                    end: date!(2028 - 03 - 31)
                },
            ]
        );
        assert!(lines.iter().all(|l| l.entitlement == 7));
    }

    #[test]
    fn lapsed_coverage_is_asked_from_the_day_it_lapsed_so_pricing_reinstates_it() {
        let due = date!(2027 - 03 - 31);
        let lines = plan_lines(&[cov(3, date!(2026 - 03 - 31))], due, date!(2027 - 01 - 15));
        assert_eq!(lines.len(), 1);
        match lines[0].request.term {
            Term::Coverage { start, end } => {
                assert_eq!(start, date!(2026 - 03 - 31));
                assert!(end > start && end <= one_year_after(start));
            }
            other => panic!("unexpected term {other:?}"),
        }
    }

    #[test]
    fn coverage_running_past_the_anniversary_is_not_due() {
        let due = date!(2027 - 03 - 31);
        assert!(
            plan_lines(&[cov(1, date!(2027 - 06 - 30))], due, date!(2027 - 01 - 15)).is_empty()
        );
    }

    #[test]
    fn the_next_anniversary_is_today_or_later() {
        assert_eq!(
            next_anniversary(date!(2024 - 02 - 29), date!(2026 - 11 - 24)),
            date!(2027 - 02 - 28)
        );
        assert_eq!(
            next_anniversary(date!(2026 - 11 - 24), date!(2026 - 11 - 24)),
            date!(2026 - 11 - 24)
        );
    }

    #[test]
    fn the_level_follows_the_points_of_the_term_that_ended() {
        let r = AgreementKind::Relationship;
        assert_eq!(level_for_next_term(r, PriceLevel::E, 120), PriceLevel::Bl);
        assert_eq!(level_for_next_term(r, PriceLevel::D, 5_200), PriceLevel::G);
        assert_eq!(level_for_next_term(r, PriceLevel::Gv, 0), PriceLevel::Gv);
        assert_eq!(
            level_for_next_term(AgreementKind::Express, PriceLevel::Bl, 20_000),
            PriceLevel::Bl
        );
    }

    #[test]
    fn indonesia_does_not_allow_auto_renew() {
        assert!(!auto_renew_allowed(CountryCode::ID));
        assert!(auto_renew_allowed(CountryCode::US));
    }
}
