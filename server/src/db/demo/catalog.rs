//! The demo catalog: about 2,100 parts from a seeded generator, priced at every level in USD, EUR and
//! IDR.

use super::*;

/// Price of each level as a share of list price (BL), in percent. Data a vendor would tune.
const LEVEL_PERCENT: [(PriceLevel, i64); 6] = [
    (PriceLevel::Bl, 100),
    (PriceLevel::D, 97),
    (PriceLevel::E, 94),
    (PriceLevel::F, 91),
    (PriceLevel::G, 88),
    (PriceLevel::H, 85),
];

/// Demo exchange rates from USD list prices: (currency, rate, round to this many major units).
const FX: [(Currency, &str, i64); 3] = [
    (Currency::Usd, "1", 0),
    (Currency::Eur, "0.92", 0),
    (Currency::Idr, "16250", 1_000),
];

const CATEGORIES: [(&str, [&str; 5]); 10] = [
    (
        "Analytics",
        [
            "Insight Studio",
            "Report Server",
            "Dashboard Hub",
            "Data Explorer",
            "Forecast Engine",
        ],
    ),
    (
        "Security",
        [
            "Guardian",
            "Access Manager",
            "Threat Monitor",
            "Key Vault",
            "Identity Hub",
        ],
    ),
    (
        "Database",
        [
            "Data Server",
            "Replication Kit",
            "Query Accelerator",
            "Cluster Manager",
            "Archive Store",
        ],
    ),
    (
        "Integration",
        [
            "Message Bus",
            "API Gateway",
            "Event Streams",
            "File Transfer",
            "App Connect",
        ],
    ),
    (
        "Automation",
        [
            "Workflow",
            "Robotic Tasks",
            "Decision Rules",
            "Job Scheduler",
            "Process Miner",
        ],
    ),
    (
        "Infrastructure",
        [
            "Observability",
            "Capacity Planner",
            "Backup Manager",
            "Patch Center",
            "Service Desk",
        ],
    ),
    (
        "Collaboration",
        [
            "Mail Server",
            "Team Spaces",
            "Document Center",
            "Meeting Rooms",
            "Forms Builder",
        ],
    ),
    (
        "Development Tools",
        [
            "Code Studio",
            "Test Workbench",
            "Build Farm",
            "Application Server",
            "Runtime",
        ],
    ),
    (
        "Storage",
        [
            "Object Store",
            "File Scale",
            "Tape Library Manager",
            "Data Mover",
            "Storage Insights",
        ],
    ),
    (
        "AI and Data Science",
        [
            "Model Studio",
            "Vector Search",
            "Speech Services",
            "Vision Kit",
            "Notebook Server",
        ],
    ),
];

const BRANDS: [&str; 14] = [
    "Apex", "Cobalt", "Delta", "Falcon", "Granite", "Harbor", "Lumen", "Meridian", "Nimbus",
    "Orbit", "Quartz", "Summit", "Vertex", "Zenith",
];

const EDITIONS: [&str; 4] = ["Standard", "Enterprise", "Advanced", "Essentials"];

/// Products in the demo catalog; each yields 3–6 parts.
const PRODUCTS: usize = 560;

/// SplitMix64: tiny, fast and the same on every platform and crate version.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub(super) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// One generated part with its prices in minor units.
#[derive(Debug, Clone)]
pub struct DemoPart {
    /// Part number.
    pub part_number: PartNumber,
    /// Product name.
    pub product: String,
    /// Description.
    pub description: String,
    /// Category.
    pub category: &'static str,
    /// Type.
    pub part_type: PartType,
    /// Metric.
    pub metric: Metric,
    /// Points per unit.
    pub points: u32,
    /// For renewal parts, their reinstatement part.
    pub reinstatement_part: Option<PartNumber>,
    /// (currency, level, unit price in minor units).
    pub prices: Vec<(Currency, PriceLevel, i64)>,
}

fn base36(mut n: u64, width: usize) -> String {
    const DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = DIGITS[(n % 36) as usize];
        n /= 36;
    }
    String::from_utf8(out).unwrap_or_default()
}

fn type_phrase(t: PartType) -> &'static str {
    match t {
        PartType::LicenseAndSns => "License + SW Subscription & Support 12 Months",
        PartType::AnnualSnsRenewal => "Annual SW Subscription & Support Renewal 12 Months",
        PartType::SnsReinstatement => "SW Subscription & Support Reinstatement 12 Months",
        PartType::FixedTermLicense => "Fixed Term License + SW Subscription & Support 12 Months",
        PartType::MonthlyLicense => "Monthly License",
        PartType::Subscription => "Subscription per Month (12 to 36 Months)",
    }
}

/// USD list price (whole dollars) of a licence unit of this metric, before the product's own factor.
fn metric_base_usd(m: Metric) -> u64 {
    match m {
        Metric::Pvu => 60,
        Metric::AuthorizedUser => 180,
        Metric::ConcurrentUser => 540,
        Metric::VirtualProcessorCore => 2_400,
        Metric::ResourceValueUnit => 90,
        Metric::Install => 3_600,
        Metric::ClientDevice => 45,
    }
}

fn prices_from_usd(usd_cents: i64) -> Vec<(Currency, PriceLevel, i64)> {
    let mut out = Vec::with_capacity(FX.len() * LEVEL_PERCENT.len());
    for (currency, rate, round_to) in FX {
        let rate: Decimal = rate.parse().unwrap_or(Decimal::ONE);
        let list = Decimal::new(usd_cents, 2) * rate;
        let list = if round_to > 0 {
            (list / Decimal::from(round_to)).round() * Decimal::from(round_to)
        } else {
            list.round_dp(2)
        };
        for (level, pct) in LEVEL_PERCENT {
            let unit = Money::new(list * Decimal::new(pct, 2), currency);
            if let Ok(minor) = unit.to_minor() {
                out.push((currency, level, minor));
            }
        }
    }
    out
}

/// The demo catalog (the same every time).
#[must_use]
pub fn catalog() -> Vec<DemoPart> {
    catalog_of(0)
}

/// The demo catalog grown to at least `min_parts` parts (more products of the same kinds; the first
/// ones are the standard catalog's).
#[must_use]
pub fn catalog_of(min_parts: usize) -> Vec<DemoPart> {
    let mut rng = Rng(0x00E7_17E1);
    let metrics = Metric::ALL;
    let mut parts = Vec::with_capacity(min_parts.max(PRODUCTS * 4));
    // Codes are four base-36 digits: at most 36⁴ products.
    for i in 0..1_679_616_usize {
        if i >= PRODUCTS && parts.len() >= min_parts {
            break;
        }
        let (category, nouns) = CATEGORIES[i % CATEGORIES.len()];
        let noun = nouns[(i / CATEGORIES.len()) % nouns.len()];
        let brand = BRANDS[(i / (CATEGORIES.len() * nouns.len())) % BRANDS.len()];
        let edition = EDITIONS[(i * 7 / 3) % EDITIONS.len()];
        let metric = metrics[i % metrics.len()];
        let product = format!("{brand} {noun}");
        // A bijection of 0..36⁴ (7919 is prime to 36), so codes are unique but not sequential.
        let code = base36((i as u64 * 7_919 + 1_296) % 1_679_616, 4);
        let licence_usd = metric_base_usd(metric) * rng.range(50, 400) / 100;
        let licence_cents = i64::try_from(licence_usd * 100).unwrap_or(i64::MAX);
        let points = u32::try_from((licence_usd / 40).max(1)).unwrap_or(1);
        let pn = |prefix: char, suffix: &str| PartNumber::parse(&format!("{prefix}{code}{suffix}"));
        let (Ok(licence), Ok(renewal), Ok(reinstatement)) =
            (pn('D', "LL"), pn('E', "LL"), pn('D', "RL"))
        else {
            continue;
        };
        let mut push =
            |part_number: PartNumber, part_type: PartType, cents: i64, points: u32, reinst| {
                parts.push(DemoPart {
                    part_number,
                    description: format!(
                        "{product} {edition} {} {}",
                        metric.label(),
                        type_phrase(part_type)
                    ),
                    product: product.clone(),
                    category,
                    part_type,
                    metric,
                    points,
                    reinstatement_part: reinst,
                    prices: prices_from_usd(cents),
                });
            };
        // S&S renewal ≈ 20 % of the licence a year; reinstatement ≈ 3 × the renewal.
        let renewal_cents = licence_cents / 5;
        push(
            licence,
            PartType::LicenseAndSns,
            licence_cents,
            points,
            None,
        );
        push(
            reinstatement,
            PartType::SnsReinstatement,
            renewal_cents * 3,
            points / 4,
            None,
        );
        push(
            renewal,
            PartType::AnnualSnsRenewal,
            renewal_cents,
            (points / 5).max(1),
            Some(reinstatement),
        );
        if i % 3 == 0
            && let Ok(p) = pn('D', "FL")
        {
            push(
                p,
                PartType::FixedTermLicense,
                licence_cents * 2 / 5,
                points / 2,
                None,
            );
        }
        if i % 4 == 1
            && let Ok(p) = pn('D', "ML")
        {
            push(p, PartType::MonthlyLicense, licence_cents / 25, 0, None);
        }
        if i % 5 == 2
            && let Ok(p) = pn('D', "SL")
        {
            push(p, PartType::Subscription, licence_cents / 30, 1, None);
        }
    }
    parts
}

pub(super) async fn insert_catalog(tx: &mut Tx, parts: &[DemoPart]) -> DbResult<()> {
    // Reinstatement parts are referenced by renewal parts, so they must exist first.
    let mut ordered: Vec<&DemoPart> = parts
        .iter()
        .filter(|p| p.reinstatement_part.is_none())
        .collect();
    ordered.extend(parts.iter().filter(|p| p.reinstatement_part.is_some()));
    let rows: Vec<(&DemoPart, String)> = ordered
        .into_iter()
        .map(|p| {
            let search = format!(
                "{} {} {} {} {} {}",
                p.part_number,
                p.product,
                p.description,
                p.category,
                p.metric.label(),
                p.part_type.label()
            )
            .to_lowercase();
            (p, search)
        })
        .collect();
    insert_batched(
        tx,
        "parts (part_number, product, description, category, part_type, metric, points, reinstatement_part, search_text)",
        9,
        &rows,
        |q, (p, search)| {
            q.bind(p.part_number.as_str())
                .bind(p.product.as_str())
                .bind(p.description.as_str())
                .bind(p.category)
                .bind(p.part_type.code())
                .bind(p.metric.code())
                .bind(i64::from(p.points))
                .bind(p.reinstatement_part.as_ref().map(|r| r.as_str().to_owned()))
                .bind(search.as_str())
        },
    )
    .await?;
    let prices: Vec<(&str, Currency, PriceLevel, i64)> = parts
        .iter()
        .flat_map(|p| {
            p.prices
                .iter()
                .map(move |(c, l, m)| (p.part_number.as_str(), *c, *l, *m))
        })
        .collect();
    insert_batched(
        tx,
        "part_prices (part_number, currency, level, unit_minor)",
        4,
        &prices,
        |q, row| {
            q.bind(row.0)
                .bind(row.1.code())
                .bind(row.2.code())
                .bind(row.3)
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_demo_catalog_has_over_2000_unique_parts_in_every_type_and_metric() {
        let parts = catalog();
        assert!(parts.len() >= 2_000, "{} parts", parts.len());
        let numbers: HashSet<_> = parts.iter().map(|p| p.part_number).collect();
        assert_eq!(numbers.len(), parts.len(), "part numbers are unique");
        let categories: HashSet<_> = parts.iter().map(|p| p.category).collect();
        assert!(categories.len() >= 8);
        for t in PartType::ALL {
            assert!(parts.iter().any(|p| p.part_type == *t), "{t:?} missing");
        }
        for m in Metric::ALL {
            assert!(parts.iter().any(|p| p.metric == *m), "{m:?} missing");
        }
    }

    #[test]
    fn every_demo_part_has_a_price_at_every_earned_level_in_usd_eur_and_idr() {
        for p in catalog() {
            assert_eq!(p.prices.len(), 18, "{}", p.part_number);
            for c in [Currency::Usd, Currency::Eur, Currency::Idr] {
                for l in PriceLevel::earned() {
                    assert!(
                        p.prices
                            .iter()
                            .any(|(pc, pl, m)| *pc == c && *pl == l && *m > 0)
                    );
                }
            }
        }
    }

    #[test]
    fn a_scaled_catalog_has_the_parts_asked_for_unique_and_starts_with_the_standard_one() {
        let standard = catalog();
        let big = catalog_of(50_000);
        assert!(big.len() >= 50_000 && big.len() < 50_010, "{}", big.len());
        let numbers: HashSet<_> = big.iter().map(|p| p.part_number).collect();
        assert_eq!(numbers.len(), big.len());
        assert!(
            standard
                .iter()
                .zip(&big)
                .all(|(a, b)| a.part_number == b.part_number)
        );
    }

    #[test]
    fn the_demo_catalog_is_the_same_every_time() {
        let a: Vec<_> = catalog()
            .into_iter()
            .map(|p| (p.part_number, p.prices))
            .collect();
        let b: Vec<_> = catalog()
            .into_iter()
            .map(|p| (p.part_number, p.prices))
            .collect();
        assert_eq!(a, b);
    }

    #[test]
    fn higher_levels_never_cost_more_than_lower_ones() {
        for p in catalog().iter().take(200) {
            for c in [Currency::Usd, Currency::Eur, Currency::Idr] {
                let at: Vec<i64> = PriceLevel::earned()
                    .map(|l| {
                        p.prices
                            .iter()
                            .find(|(pc, pl, _)| *pc == c && *pl == l)
                            .map_or(0, |x| x.2)
                    })
                    .collect();
                assert!(
                    at.windows(2).all(|w| w[0] >= w[1]),
                    "{} {c}: {at:?}",
                    p.part_number
                );
            }
        }
    }
}
