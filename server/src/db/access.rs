//! Who may see what: the sites a user can act for, with privileges and pricing context.

use super::error::{DbError, DbResult};
use entitle_core::catalog::PriceLevel;
use entitle_core::country::CountryCode;
use entitle_core::dto::{Contact, Privileges, SiteSummary};
use entitle_core::money::Currency;
use entitle_core::pricing::AgreementKind;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

/// A site a user has access to, with everything pricing needs.
#[derive(Debug, Clone)]
pub struct SiteAccess {
    /// Site id.
    pub site_id: i64,
    /// Organisation id.
    pub organisation_id: i64,
    /// What the customer sees.
    pub summary: SiteSummary,
    /// Agreement kind.
    pub agreement: AgreementKind,
    /// The organisation's price level.
    pub level: PriceLevel,
    /// Points over the last term.
    pub points: u64,
    /// The site's anniversary.
    pub anniversary: time::Date,
}

fn bad(what: &'static str) -> DbError {
    DbError::corrupt(what, "does not parse")
}

fn site_access(r: &AnyRow) -> DbResult<SiteAccess> {
    let flag = |c: &str| r.try_get::<i64, _>(c).map(|v| v != 0);
    let country: String = r.try_get("country")?;
    let currency: String = r.try_get("currency")?;
    let kind: String = r.try_get("agreement_kind")?;
    let level: String = r.try_get("price_level")?;
    Ok(SiteAccess {
        site_id: r.try_get("site_id")?,
        organisation_id: r.try_get("organisation_id")?,
        summary: SiteSummary {
            customer_number: r.try_get("customer_number")?,
            name: r.try_get("site_name")?,
            organisation: r.try_get("organisation")?,
            country: country.parse::<CountryCode>().map_err(|_| bad("country"))?,
            currency: currency.parse::<Currency>().map_err(|_| bad("currency"))?,
            primary: flag("is_primary")?,
            privileges: Privileges {
                buy: flag("can_buy")?,
                view_quotes: flag("can_view_quotes")?,
                view_orders: flag("can_view_orders")?,
            },
            sales_rep: Contact {
                name: r.try_get("sr_name")?,
                email: r.try_get("sr_email")?,
                phone: r.try_get("sr_phone")?,
            },
            business_partner: match r.try_get::<Option<String>, _>("bp_name")? {
                Some(name) => Some(Contact {
                    name,
                    email: r
                        .try_get::<Option<String>, _>("bp_email")?
                        .unwrap_or_default(),
                    phone: r
                        .try_get::<Option<String>, _>("bp_phone")?
                        .unwrap_or_default(),
                }),
                None => None,
            },
        },
        agreement: if kind == "express" {
            AgreementKind::Express
        } else {
            AgreementKind::Relationship
        },
        level: level.parse().map_err(|_| bad("price level"))?,
        points: super::error::stored("points", r.try_get::<i64, _>("points")?)?,
        anniversary: super::parse_date(&r.try_get::<String, _>("anniversary")?)?,
    })
}

/// What [`site_access`] reads: a site, its organisation, sales rep and Business Partner, and the
/// privileges of the `site_access` row aliased `a` that the caller joins (0 where none matches).
const SITE_COLUMNS: &str = "SELECT s.id AS site_id, s.organisation_id, s.customer_number, s.name AS site_name, \
    s.country, s.currency, s.anniversary, o.name AS organisation, o.agreement_kind, o.price_level, o.points, \
    COALESCE(a.is_primary, 0) AS is_primary, COALESCE(a.can_buy, 0) AS can_buy, \
    COALESCE(a.can_view_quotes, 0) AS can_view_quotes, COALESCE(a.can_view_orders, 0) AS can_view_orders, \
    sr.name AS sr_name, sr.email AS sr_email, COALESCE(sr.phone, '') AS sr_phone, \
    bp.name AS bp_name, bp.email AS bp_email, bp.phone AS bp_phone";

/// The joins [`SITE_COLUMNS`] needs after `sites s` (and the caller's `site_access a`).
const SITE_JOINS: &str = "JOIN organisations o ON o.id = s.organisation_id \
    JOIN users sr ON sr.id = s.sales_rep_id LEFT JOIN business_partners bp ON bp.id = s.business_partner_id";

/// The sites `user_id` can act for, by customer number.
#[tracing::instrument(skip(pool))]
pub async fn sites_of(pool: &AnyPool, user_id: i64) -> DbResult<Vec<SiteAccess>> {
    let rows = sqlx::query(&format!(
        "{SITE_COLUMNS} FROM site_access a JOIN sites s ON s.id = a.site_id {SITE_JOINS} \
         WHERE a.user_id = $1 ORDER BY s.customer_number"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(site_access).collect()
}

/// A site by id with its pricing context, for staff (no privileges of their own) and the engine.
///
/// # Errors
/// Database errors.
pub async fn site_by_id(pool: &AnyPool, site_id: i64) -> DbResult<Option<SiteAccess>> {
    // No user: a LEFT JOIN that never matches leaves every privilege 0.
    let row = sqlx::query(&format!(
        "{SITE_COLUMNS} FROM sites s LEFT JOIN site_access a ON a.site_id = s.id AND 1 = 0 {SITE_JOINS} \
         WHERE s.id = $1"
    ))
    .bind(site_id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(site_access).transpose()
}

/// A privilege on a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privilege {
    /// Buy and renew.
    Buy,
    /// See quotes and renewals.
    ViewQuotes,
    /// See orders.
    ViewOrders,
}

/// A SQL condition on the sites table aliased `s`, true for the sites `$1` (the user id) may see with
/// `privilege`: a customer's sites where they hold it, a rep's own customers, every site for an admin.
/// Every customer-data query is scoped with this, so another customer's data is simply not found.
#[must_use]
pub fn site_scope(role: entitle_core::dto::Role, privilege: Privilege) -> &'static str {
    use entitle_core::dto::Role;
    match (role, privilege) {
        (Role::Customer, Privilege::Buy) => {
            "s.id IN (SELECT site_id FROM site_access WHERE user_id = $1 AND can_buy = 1)"
        }
        (Role::Customer, Privilege::ViewQuotes) => {
            "s.id IN (SELECT site_id FROM site_access WHERE user_id = $1 AND can_view_quotes = 1)"
        }
        (Role::Customer, Privilege::ViewOrders) => {
            "s.id IN (SELECT site_id FROM site_access WHERE user_id = $1 AND can_view_orders = 1)"
        }
        (Role::SalesRep, _) => "s.sales_rep_id = $1",
        (Role::RenewalRep, _) => "s.renewal_rep_id = $1",
        // The user id is still bound, so every scope takes the same parameters.
        (Role::Admin, _) => "$1 = $1",
    }
}
