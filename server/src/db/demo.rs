//! Deterministic demo data: a catalog of about 2,100 parts, three customer organisations, their users,
//! reps, entitlements and renewal quotes. The same `today` always yields the same data; dates are laid
//! out relative to it so renewals are always coming due. See README "Demo data".

use super::error::{DbError, DbResult};
use entitle_core::catalog::{Metric, PartNumber, PartType, PriceLevel};
use entitle_core::money::{Currency, Money};
use entitle_core::pricing::AgreementKind;
use rust_decimal::Decimal;
use sqlx::{Any, Transaction};
use time::{Date, Duration};

use super::{Db, format_date};
use crate::password;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "entitle-demo";

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
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
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
    let mut rng = Rng(0x00E7_17E1);
    let metrics = Metric::ALL;
    let mut parts = Vec::with_capacity(PRODUCTS * 4);
    for i in 0..PRODUCTS {
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

/// The demo price book, for pricing demo quotes with `entitle-core`.
fn add_years(d: Date, years: i32) -> Date {
    d.replace_year(d.year() + years)
        .unwrap_or_else(|_| d + Duration::days(365 * i64::from(years)))
}

/// Loads the demo data if the database has no parts yet, and queues the renewal notices of its quotes with
/// links to `public_url`. Returns whether it loaded anything.
///
/// # Errors
/// Database errors; nothing is written unless everything is (one transaction).
pub async fn load_if_empty(
    db: &Db,
    clock: &crate::clock::Clock,
    public_url: &str,
) -> DbResult<bool> {
    let today = clock.today();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM parts")
        .fetch_one(&db.pool)
        .await?;
    if n > 0 {
        return Ok(false);
    }
    let hash = password::hash(DEMO_PASSWORD)
        .map_err(|e| DbError::Internal(format!("hashing failed: {e}")))?;
    let mut tx = db.begin_write().await?;
    let parts = catalog();
    insert_catalog(&mut tx, &parts).await?;
    // Each licence part's S&S renewal part (same product code), for the entitlements new licences create.
    sqlx::query(
        "UPDATE parts SET renewal_part = (SELECT r.part_number FROM parts r WHERE r.part_type = 'sns_renewal' \
         AND substr(r.part_number, 2, 4) = substr(parts.part_number, 2, 4) ORDER BY r.part_number LIMIT 1) \
         WHERE part_type IN ('license_sns', 'fixed_term')",
    )
    .execute(&mut *tx)
    .await?;
    insert_customers(&mut tx, &parts, today, clock.now_unix(), &hash).await?;
    tx.commit().await?;
    // The renewal engine issues the quotes that are due and queues their notices (its hourly runs do
    // the rest: reminders, auto-renew, anniversaries).
    crate::engine::Engine::new(db.clone(), clock.clone(), public_url)
        .issue_due()
        .await
        .map_err(|e| match e {
            crate::engine::EngineError::Db(e) => e,
            crate::engine::EngineError::Rule(m) => DbError::Internal(m),
        })?;
    tracing::info!(parts = parts.len(), "demo data loaded");
    Ok(true)
}

/// Inserts rows in multi-row batches: `columns` per row, values produced by `bind_row`.
async fn insert_batched<T>(
    tx: &mut Transaction<'_, Any>,
    table_and_columns: &str,
    columns: usize,
    rows: &[T],
    bind_row: impl for<'q> Fn(
        sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
        &'q T,
    ) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
) -> DbResult<()> {
    const ROWS_PER_STATEMENT: usize = 200;
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut sql = format!("INSERT INTO {table_and_columns} VALUES ");
        let mut n = 0;
        for (r, _) in chunk.iter().enumerate() {
            if r > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..columns {
                n += 1;
                if c > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("${n}"));
            }
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for row in chunk {
            q = bind_row(q, row);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

async fn insert_catalog(tx: &mut Transaction<'_, Any>, parts: &[DemoPart]) -> DbResult<()> {
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

/// A demo customer site.
struct SiteSpec {
    name: &'static str,
    customer_number: &'static str,
    /// Days from today to the anniversary.
    anniversary_in_days: i64,
    /// Active entitlements to create.
    entitlements: usize,
    /// Lapsed entitlements (coverage ended at the last anniversary).
    lapsed: usize,
}

/// A demo customer account.
struct UserSpec {
    email: &'static str,
    name: &'static str,
    /// Primary contact of its sites.
    primary: bool,
    can_buy: bool,
    can_view_quotes: bool,
    can_view_orders: bool,
    /// Access to the organisation's first site only (else to all).
    first_site_only: bool,
}

struct OrgSpec {
    name: &'static str,
    agreement_number: &'static str,
    kind: AgreementKind,
    level: PriceLevel,
    points: i64,
    country: &'static str,
    currency: Currency,
    partner: bool,
    sites: &'static [SiteSpec],
    users: &'static [UserSpec],
}

const ORGS: [OrgSpec; 4] = [
    OrgSpec {
        name: "PT Nusantara Data",
        agreement_number: "PA-0084512",
        kind: AgreementKind::Relationship,
        level: PriceLevel::E,
        points: 1_840,
        country: "ID",
        currency: Currency::Idr,
        partner: false,
        sites: &[
            SiteSpec {
                name: "Jakarta HQ",
                customer_number: "7034521",
                anniversary_in_days: 30,
                entitlements: 8,
                lapsed: 2,
            },
            SiteSpec {
                name: "Surabaya",
                customer_number: "7034522",
                anniversary_in_days: 75,
                entitlements: 6,
                lapsed: 0,
            },
            SiteSpec {
                name: "Bandung",
                customer_number: "7034523",
                anniversary_in_days: 85,
                entitlements: 5,
                lapsed: 1,
            },
        ],
        users: &[
            UserSpec {
                email: "primary@nusantara.example",
                name: "Dewi Lestari",
                primary: true,
                can_buy: true,
                can_view_quotes: true,
                can_view_orders: true,
                first_site_only: false,
            },
            UserSpec {
                email: "viewer@nusantara.example",
                name: "Budi Santoso",
                primary: false,
                can_buy: false,
                can_view_quotes: true,
                can_view_orders: true,
                first_site_only: true,
            },
        ],
    },
    OrgSpec {
        name: "Express Labs",
        agreement_number: "EX-0200417",
        kind: AgreementKind::Express,
        level: PriceLevel::Bl,
        points: 0,
        country: "US",
        currency: Currency::Usd,
        partner: false,
        sites: &[SiteSpec {
            name: "Austin",
            customer_number: "8812001",
            anniversary_in_days: 60,
            entitlements: 4,
            lapsed: 1,
        }],
        users: &[UserSpec {
            email: "buyer@express.example",
            name: "Jordan Reyes",
            primary: true,
            can_buy: true,
            can_view_quotes: true,
            can_view_orders: true,
            first_site_only: false,
        }],
    },
    OrgSpec {
        name: "Partnered GmbH",
        agreement_number: "PA-0311977",
        kind: AgreementKind::Relationship,
        level: PriceLevel::D,
        points: 640,
        country: "DE",
        currency: Currency::Eur,
        partner: true,
        sites: &[SiteSpec {
            name: "München",
            customer_number: "9120450",
            anniversary_in_days: 45,
            entitlements: 5,
            lapsed: 0,
        }],
        users: &[UserSpec {
            email: "buyer@partnered.example",
            name: "Lena Hoffmann",
            primary: true,
            can_buy: true,
            can_view_quotes: true,
            can_view_orders: true,
            first_site_only: false,
        }],
    },
    // A second customer where auto-renew is offered (United States, no Business Partner), so the
    // auto-renew journey and the change-request journey each have a quote of their own.
    OrgSpec {
        name: "Cascade Robotics",
        agreement_number: "EX-0200533",
        kind: AgreementKind::Express,
        level: PriceLevel::Bl,
        points: 0,
        country: "US",
        currency: Currency::Usd,
        partner: false,
        sites: &[SiteSpec {
            name: "Portland",
            customer_number: "8812014",
            anniversary_in_days: 80,
            entitlements: 3,
            lapsed: 0,
        }],
        users: &[UserSpec {
            email: "buyer@cascade.example",
            name: "Morgan Lee",
            primary: true,
            can_buy: true,
            can_view_quotes: true,
            can_view_orders: true,
            first_site_only: false,
        }],
    },
];

/// Staff: (email, name, phone, role).
const STAFF: [(&str, &str, &str, &str); 3] = [
    (
        "sales@entitle.example",
        "Rina Wijaya",
        "+62 21 5550 1100",
        "sales_rep",
    ),
    (
        "renewals@entitle.example",
        "Arif Pratama",
        "+62 21 5550 1200",
        "renewal_rep",
    ),
    (
        "admin@entitle.example",
        "Sam Admin",
        "+1 512 555 0100",
        "admin",
    ),
];

async fn insert_returning_id<'q>(
    tx: &mut Transaction<'_, Any>,
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
) -> DbResult<i64> {
    use sqlx::Row;
    Ok(q.fetch_one(&mut **tx).await?.try_get::<i64, _>(0)?)
}

async fn insert_customers(
    tx: &mut Transaction<'_, Any>,
    parts: &[DemoPart],
    today: Date,
    now: i64,
    hash: &str,
) -> DbResult<()> {
    let mut rng = Rng(0x5EED_0F0E_A7E5);
    let mut staff_ids = Vec::new();
    for (email, name, phone, role) in STAFF {
        let q = sqlx::query(
            "INSERT INTO users (email, name, phone, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(email)
        .bind(name)
        .bind(phone)
        .bind(hash)
        .bind(role)
        .bind(now);
        staff_ids.push(insert_returning_id(tx, q).await?);
    }
    let (sales_id, renewal_id) = (staff_ids[0], staff_ids[1]);
    let partner_id = insert_returning_id(
        tx,
        sqlx::query(
            "INSERT INTO business_partners (name, email, phone) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind("Rheinland IT Partner AG")
        .bind("renewals@rheinland-it.example")
        .bind("+49 221 555 0190"),
    )
    .await?;

    let licences: Vec<&DemoPart> = parts
        .iter()
        .filter(|p| p.part_type == PartType::LicenseAndSns)
        .collect();

    for org in &ORGS {
        let org_id = insert_returning_id(
            tx,
            sqlx::query(
                "INSERT INTO organisations (name, agreement_number, agreement_kind, price_level, points, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(org.name)
            .bind(org.agreement_number)
            .bind(match org.kind {
                AgreementKind::Relationship => "relationship",
                AgreementKind::Express => "express",
            })
            .bind(org.level.code())
            .bind(org.points)
            .bind(now),
        )
        .await?;
        let mut site_ids = Vec::new();
        for site in org.sites {
            let anniversary = today + Duration::days(site.anniversary_in_days);
            let site_id = insert_returning_id(
                tx,
                sqlx::query(
                    "INSERT INTO sites (organisation_id, customer_number, name, country, currency, anniversary, \
                     business_partner_id, sales_rep_id, renewal_rep_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(org_id)
                .bind(site.customer_number)
                .bind(site.name)
                .bind(org.country)
                .bind(org.currency.code())
                .bind(format_date(anniversary))
                .bind(org.partner.then_some(partner_id))
                .bind(sales_id)
                .bind(renewal_id),
            )
            .await?;
            site_ids.push(site_id);

            for k in 0..site.entitlements + site.lapsed {
                let licence =
                    licences[usize::try_from(rng.range(0, licences.len() as u64 - 1)).unwrap_or(0)];
                let renewal = parts
                    .iter()
                    .find(|p| {
                        p.part_type == PartType::AnnualSnsRenewal
                            && p.part_number.as_str()[1..5] == licence.part_number.as_str()[1..5]
                    })
                    .map_or_else(|| licence.part_number, |p| p.part_number);
                let quantity = if licence.metric == Metric::Pvu {
                    rng.range(1, 40) * 10
                } else {
                    rng.range(1, 60)
                };
                let lapsed = k >= site.entitlements;
                let end = if lapsed {
                    add_years(anniversary, -1)
                } else {
                    anniversary
                };
                let start = add_years(end, -1);
                sqlx::query(
                    "INSERT INTO entitlements (site_id, licence_part, renewal_part, quantity, coverage_start, coverage_end) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(site_id)
                .bind(licence.part_number.as_str())
                .bind(renewal.as_str())
                .bind(i64::try_from(quantity).unwrap_or(1))
                .bind(format_date(start))
                .bind(format_date(end))
                .execute(&mut **tx)
                .await?;
            }
        }
        for u in org.users {
            let user_id = insert_returning_id(
                tx,
                sqlx::query(
                    "INSERT INTO users (email, name, password_hash, role, created_at) VALUES ($1, $2, $3, 'customer', $4) RETURNING id",
                )
                .bind(u.email)
                .bind(u.name)
                .bind(hash)
                .bind(now),
            )
            .await?;
            let sites = if u.first_site_only {
                &site_ids[..1]
            } else {
                &site_ids[..]
            };
            for site_id in sites {
                sqlx::query(
                    "INSERT INTO site_access (user_id, site_id, is_primary, can_buy, can_view_quotes, can_view_orders) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(user_id)
                .bind(*site_id)
                .bind(i64::from(u.primary))
                .bind(i64::from(u.can_buy))
                .bind(i64::from(u.can_view_quotes))
                .bind(i64::from(u.can_view_orders))
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    Ok(())
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
