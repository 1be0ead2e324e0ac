//! The demo customers: organisations, sites, users, reps, Business Partners and entitlements, laid out
//! relative to `today` so renewals are always coming due.

use super::*;

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
    /// The language its users chose, where the demo shows one other than English (Partnered GmbH's
    /// mail and documents in German); the others keep English, which the journeys are written in.
    language: Option<&'static str>,
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
        language: None,
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
        language: None,
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
        language: Some("de"),
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
        language: None,
    },
];

/// The demo administrator's authenticator key (base32). Administrators must use two-step verification,
/// so the demo's has it on already: add this key to an authenticator app (README, "Demo accounts"), or
/// let the tests compute its codes. Published on purpose — it guards demo data only.
pub const DEMO_ADMIN_TOTP_SECRET: &str = "ENTITLEDEMOADMINTOTPKEY234567ABC";

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

pub(super) async fn insert_customers(
    tx: &mut Tx,
    parts: &[DemoPart],
    today: Date,
    now: i64,
    hash: &str,
) -> DbResult<Reps> {
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
        let id = insert_returning_id(tx, q).await?;
        if role == "admin" {
            sqlx::query("UPDATE users SET totp_secret = $1, totp_enabled_at = $2 WHERE id = $3")
                .bind(DEMO_ADMIN_TOTP_SECRET)
                .bind(now)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        staff_ids.push(id);
    }
    let (sales_id, renewal_id) = (staff_ids[0], staff_ids[1]);
    let staff = Reps {
        sales: sales_id,
        renewal: renewal_id,
    };
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

    let licences = licences_with_renewals(parts);

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

            let rows = entitlement_rows(
                &mut rng,
                &licences,
                site_id,
                anniversary,
                site.entitlements,
                site.lapsed,
            );
            insert_entitlements(tx, &rows).await?;
        }
        for u in org.users {
            let user_id = insert_returning_id(
                tx,
                sqlx::query(
                    "INSERT INTO users (email, name, password_hash, role, created_at, locale, locale_set_at) \
                     VALUES ($1, $2, $3, 'customer', $4, $5, $6) RETURNING id",
                )
                .bind(u.email)
                .bind(u.name)
                .bind(hash)
                .bind(now)
                .bind(org.language.unwrap_or("en"))
                .bind(org.language.map(|_| now)),
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
    Ok(staff)
}

/// The ids of the sales and renewal reps every demo site is assigned to.
#[derive(Debug, Clone, Copy)]
pub(super) struct Reps {
    sales: i64,
    renewal: i64,
}

/// Each licence + S&S part with the S&S renewal part of the same product (itself when there is none).
fn licences_with_renewals(parts: &[DemoPart]) -> Vec<(&DemoPart, PartNumber)> {
    let renewals: std::collections::HashMap<&str, PartNumber> = parts
        .iter()
        .filter(|p| p.part_type == PartType::AnnualSnsRenewal)
        .map(|p| (&p.part_number.as_str()[1..5], p.part_number))
        .collect();
    parts
        .iter()
        .filter(|p| p.part_type == PartType::LicenseAndSns)
        .map(|p| {
            let renewal = renewals
                .get(&p.part_number.as_str()[1..5])
                .copied()
                .unwrap_or(p.part_number);
            (p, renewal)
        })
        .collect()
}

/// One entitlement row: site, licence part, renewal part, quantity, coverage start and end.
type EntitlementRow = (i64, PartNumber, PartNumber, i64, String, String);

/// `active` entitlements ending on the anniversary and `lapsed` ones that ended a year before it, of
/// random licences in random quantities.
fn entitlement_rows(
    rng: &mut Rng,
    licences: &[(&DemoPart, PartNumber)],
    site_id: i64,
    anniversary: Date,
    active: usize,
    lapsed: usize,
) -> Vec<EntitlementRow> {
    (0..active + lapsed)
        .map(|k| {
            let (licence, renewal) =
                licences[usize::try_from(rng.range(0, licences.len() as u64 - 1)).unwrap_or(0)];
            let quantity = if licence.metric == Metric::Pvu {
                rng.range(1, 40) * 10
            } else {
                rng.range(1, 60)
            };
            let end = if k >= active {
                add_years(anniversary, -1)
            } else {
                anniversary
            };
            let start = add_years(end, -1);
            (
                site_id,
                licence.part_number,
                renewal,
                i64::try_from(quantity).unwrap_or(1),
                format_date(start),
                format_date(end),
            )
        })
        .collect()
}

async fn insert_entitlements(tx: &mut Tx, rows: &[EntitlementRow]) -> DbResult<()> {
    insert_batched(
        tx,
        "entitlements (site_id, licence_part, renewal_part, quantity, coverage_start, coverage_end)",
        6,
        rows,
        |q, r| {
            q.bind(r.0)
                .bind(r.1.as_str())
                .bind(r.2.as_str())
                .bind(r.3)
                .bind(r.4.as_str())
                .bind(r.5.as_str())
        },
    )
    .await
}

/// Generated customers for load tests: `n` organisations of one site each (customer numbers 6000000 and
/// up), three entitlements per site renewing within the notice period, and one buyer per site
/// (`buyer{k}@load.example`, the demo password) who may buy, see quotes and see orders.
pub(super) async fn insert_load_sites(
    tx: &mut Tx,
    parts: &[DemoPart],
    today: Date,
    now: i64,
    hash: &str,
    reps: Reps,
    n: usize,
) -> DbResult<()> {
    // (country, currency, price level, points that earn it)
    const PLACES: [(&str, Currency, PriceLevel, i64); 3] = [
        ("US", Currency::Usd, PriceLevel::Bl, 0),
        ("ID", Currency::Idr, PriceLevel::D, 700),
        ("DE", Currency::Eur, PriceLevel::E, 1_200),
    ];
    let mut rng = Rng(0x10AD_5EED);
    let licences = licences_with_renewals(parts);
    let mut entitlements = Vec::with_capacity(n * 3);
    let mut access = Vec::with_capacity(n);
    for k in 0..n {
        let (country, currency, level, points) = PLACES[k % PLACES.len()];
        let org_id = insert_returning_id(
            tx,
            sqlx::query(
                "INSERT INTO organisations (name, agreement_number, agreement_kind, price_level, points, created_at) \
                 VALUES ($1, $2, 'relationship', $3, $4, $5) RETURNING id",
            )
            .bind(format!("Load Test Customer {k}"))
            .bind(format!("LT-{k:07}"))
            .bind(level.code())
            .bind(points)
            .bind(now),
        )
        .await?;
        // Anniversaries spread over the notice period, so every site's quote is due today.
        let anniversary = today + Duration::days(i64::try_from(rng.range(20, 85)).unwrap_or(30));
        let site_id = insert_returning_id(
            tx,
            sqlx::query(
                "INSERT INTO sites (organisation_id, customer_number, name, country, currency, anniversary, \
                 business_partner_id, sales_rep_id, renewal_rep_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8) RETURNING id",
            )
            .bind(org_id)
            .bind(format!("{}", 6_000_000 + k))
            .bind(format!("Site {k}"))
            .bind(country)
            .bind(currency.code())
            .bind(format_date(anniversary))
            .bind(reps.sales)
            .bind(reps.renewal),
        )
        .await?;
        entitlements.extend(entitlement_rows(
            &mut rng,
            &licences,
            site_id,
            anniversary,
            3,
            0,
        ));
        let user_id = insert_returning_id(
            tx,
            sqlx::query(
                "INSERT INTO users (email, name, password_hash, role, created_at) VALUES ($1, $2, $3, 'customer', $4) RETURNING id",
            )
            .bind(format!("buyer{k}@load.example"))
            .bind(format!("Load Buyer {k}"))
            .bind(hash)
            .bind(now),
        )
        .await?;
        access.push((user_id, site_id));
    }
    insert_entitlements(tx, &entitlements).await?;
    insert_batched(
        tx,
        "site_access (user_id, site_id, is_primary, can_buy, can_view_quotes, can_view_orders)",
        6,
        &access,
        |q, (user, site)| {
            q.bind(*user)
                .bind(*site)
                .bind(1_i64)
                .bind(1_i64)
                .bind(1_i64)
                .bind(1_i64)
        },
    )
    .await
}
