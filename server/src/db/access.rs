//! Who may see what: the sites a user can act for, with privileges and pricing context.

use super::error::{DbError, DbResult};
use entitle_core::catalog::PriceLevel;
use entitle_core::country::CountryCode;
use entitle_core::dto::{Contact, Privileges, SiteSummary};
use entitle_core::money::Currency;
use entitle_core::pricing::AgreementKind;
use sqlx::AnyPool;

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

/// A row of [`SITE_COLUMNS`].
#[derive(Debug, sqlx::FromRow)]
struct SiteRow {
    site_id: i64,
    organisation_id: i64,
    customer_number: String,
    site_name: String,
    country: String,
    currency: String,
    anniversary: String,
    organisation: String,
    agreement_kind: String,
    price_level: String,
    points: i64,
    is_primary: i64,
    can_buy: i64,
    can_view_quotes: i64,
    can_view_orders: i64,
    sr_name: String,
    sr_email: String,
    sr_phone: String,
    bp_name: Option<String>,
    bp_email: Option<String>,
    bp_phone: Option<String>,
}

impl TryFrom<SiteRow> for SiteAccess {
    type Error = DbError;

    fn try_from(r: SiteRow) -> DbResult<SiteAccess> {
        Ok(SiteAccess {
            site_id: r.site_id,
            organisation_id: r.organisation_id,
            summary: SiteSummary {
                customer_number: r.customer_number,
                name: r.site_name,
                organisation: r.organisation,
                country: r
                    .country
                    .parse::<CountryCode>()
                    .map_err(|_| DbError::corrupt("country", &r.country))?,
                currency: r
                    .currency
                    .parse::<Currency>()
                    .map_err(|_| DbError::corrupt("currency", &r.currency))?,
                primary: r.is_primary != 0,
                privileges: Privileges {
                    buy: r.can_buy != 0,
                    view_quotes: r.can_view_quotes != 0,
                    view_orders: r.can_view_orders != 0,
                },
                sales_rep: Contact {
                    name: r.sr_name,
                    email: r.sr_email,
                    phone: r.sr_phone,
                },
                business_partner: r.bp_name.map(|name| Contact {
                    name,
                    email: r.bp_email.unwrap_or_default(),
                    phone: r.bp_phone.unwrap_or_default(),
                }),
            },
            agreement: match r.agreement_kind.as_str() {
                "express" => AgreementKind::Express,
                "relationship" => AgreementKind::Relationship,
                other => return Err(DbError::corrupt("agreement kind", other)),
            },
            level: r
                .price_level
                .parse()
                .map_err(|_| DbError::corrupt("price level", &r.price_level))?,
            points: super::error::stored("points", r.points)?,
            anniversary: super::parse_date(&r.anniversary)?,
        })
    }
}

/// What [`SiteRow`] reads: a site, its organisation, sales rep and Business Partner, and the
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
    let rows: Vec<SiteRow> = sqlx::query_as(&format!(
        "{SITE_COLUMNS} FROM site_access a JOIN sites s ON s.id = a.site_id {SITE_JOINS} \
         WHERE a.user_id = $1 ORDER BY s.customer_number"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(SiteAccess::try_from).collect()
}

/// A site by id with its pricing context, for staff (no privileges of their own) and the engine.
///
/// # Errors
/// Database errors.
pub async fn site_by_id(pool: &AnyPool, site_id: i64) -> DbResult<Option<SiteAccess>> {
    // No user: a LEFT JOIN that never matches leaves every privilege 0.
    let row: Option<SiteRow> = sqlx::query_as(&format!(
        "{SITE_COLUMNS} FROM sites s LEFT JOIN site_access a ON a.site_id = s.id AND 1 = 0 {SITE_JOINS} \
         WHERE s.id = $1"
    ))
    .bind(site_id)
    .fetch_optional(pool)
    .await?;
    row.map(SiteAccess::try_from).transpose()
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
