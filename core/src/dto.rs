//! The JSON shapes of the `/api/v1` HTTP API, shared by the browser client and the server so neither can
//! drift from the other. Query types also carry their own validation and query-string encoding.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::catalog::{Category, Metric, PartNumber, PartType, PriceLevel};
pub use crate::error_code::ErrorCode;
use crate::money::{Currency, Money};

/// The body of every API error: `{ "error": { "code", "message", "fields"? } }`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `validation`, `not_found`, `quote.expired`.
    pub code: ErrorCode,
    /// A sentence for people (English).
    pub message: String,
    /// Per-field problems, by field name, for validation errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, Vec<FieldError>>>,
}

/// One problem with one field.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Stable code the UI translates, e.g. `card.luhn`.
    pub code: String,
    /// English message.
    pub message: String,
}

impl ErrorBody {
    /// An error without field details.
    #[must_use]
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody {
            error: ErrorDetail {
                code,
                message: message.into(),
                fields: None,
            },
        }
    }
}

/// `GET /api/v1/health`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `"ok"` when the database answers.
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// The server's version.
    pub version: String,
}

/// Sort orders of the catalog.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogSort {
    /// Best text match first (part number order without a search text).
    #[default]
    Relevance,
    /// By part number.
    PartNumber,
    /// Cheapest first.
    PriceAsc,
    /// Dearest first.
    PriceDesc,
}

impl CatalogSort {
    /// The query-string code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            CatalogSort::Relevance => "relevance",
            CatalogSort::PartNumber => "part_number",
            CatalogSort::PriceAsc => "price_asc",
            CatalogSort::PriceDesc => "price_desc",
        }
    }
}

/// `GET /api/v1/catalog/parts` query parameters.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams), into_params(parameter_in = Query))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogQuery {
    /// Words to find in the part number, product or description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Only this category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Only this licence type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_type: Option<PartType>,
    /// Only this metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    /// 1-based page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Results per page (1–100, default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
    /// Sort order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<CatalogSort>,
    /// Price in this currency (signed-out visitors; a signed-in customer always sees the site's currency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// The customer number of the site to price for (signed-in customers; default: their first site).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
}

/// Limits of a catalog query.
pub mod catalog_limits {
    /// Default results per page.
    pub const DEFAULT_PER_PAGE: u32 = 20;
    /// Most results per page.
    pub const MAX_PER_PAGE: u32 = 100;
    /// Longest search text, in characters.
    pub const MAX_QUERY_CHARS: usize = 100;
    /// Highest page number (keeps OFFSET cheap).
    pub const MAX_PAGE: u32 = 10_000;
}

/// Page sizes of the audit log (`GET /api/v1/desk/audit?limit=`).
pub mod audit_limits {
    /// Entries per page when none is asked for.
    pub const DEFAULT_LIMIT: u32 = 50;
    /// Most entries per page.
    pub const MAX_LIMIT: u32 = 200;

    /// The page size to use for `asked`: the default when absent, else within 1 and [`MAX_LIMIT`].
    #[must_use]
    pub fn page_size(asked: Option<u32>) -> u32 {
        asked.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
    }
}

/// A catalog query whose values are within limits, with defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCatalogQuery {
    /// Trimmed search words, if any.
    pub q: Option<String>,
    /// Category filter.
    pub category: Option<Category>,
    /// Licence type filter.
    pub part_type: Option<PartType>,
    /// Metric filter.
    pub metric: Option<Metric>,
    /// 1-based page.
    pub page: u32,
    /// Results per page.
    pub per_page: u32,
    /// Sort order.
    pub sort: CatalogSort,
    /// Requested currency.
    pub currency: Option<Currency>,
    /// Requested site (customer number).
    pub site: Option<String>,
}

impl CatalogQuery {
    /// Checks the limits and fills defaults; every problem is reported against its field.
    ///
    /// # Errors
    /// A map of field name → problems.
    pub fn validate(&self) -> Result<ValidCatalogQuery, BTreeMap<String, Vec<FieldError>>> {
        use catalog_limits::{DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, MAX_QUERY_CHARS};
        let mut fields: BTreeMap<String, Vec<FieldError>> = BTreeMap::new();
        let mut fail = |field: &str, code: &str, message: String| {
            fields
                .entry(field.to_owned())
                .or_default()
                .push(FieldError {
                    code: code.to_owned(),
                    message,
                });
        };
        let q = self
            .q
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        if q.as_ref()
            .is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS)
        {
            fail(
                "q",
                "catalog.query_too_long",
                format!("at most {MAX_QUERY_CHARS} characters"),
            );
        }
        let category = match self
            .category
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(c) => match Category::parse(c) {
                Ok(c) => Some(c),
                Err(e) => {
                    fail("category", "catalog.category", e.to_string());
                    None
                }
            },
        };
        let page = self.page.unwrap_or(1);
        if page == 0 || page > MAX_PAGE {
            fail(
                "page",
                "catalog.page",
                format!("a page from 1 to {MAX_PAGE}"),
            );
        }
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        if per_page == 0 || per_page > MAX_PER_PAGE {
            fail(
                "per_page",
                "catalog.per_page",
                format!("from 1 to {MAX_PER_PAGE} results per page"),
            );
        }
        if !fields.is_empty() {
            return Err(fields);
        }
        Ok(ValidCatalogQuery {
            q,
            category,
            part_type: self.part_type,
            metric: self.metric,
            page,
            per_page,
            sort: self.sort.unwrap_or_default(),
            currency: self.currency,
            site: self
                .site
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        })
    }

    /// The query string (without `?`), parameters in a fixed order, values percent-encoded.
    #[must_use]
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(q) = self.q.as_deref().filter(|s| !s.trim().is_empty()) {
            pairs.push(("q", q.to_owned()));
        }
        if let Some(c) = self.category.as_deref().filter(|s| !s.is_empty()) {
            pairs.push(("category", c.to_owned()));
        }
        if let Some(t) = self.part_type {
            pairs.push(("part_type", t.code().to_owned()));
        }
        if let Some(m) = self.metric {
            pairs.push(("metric", m.code().to_owned()));
        }
        if let Some(p) = self.page {
            pairs.push(("page", p.to_string()));
        }
        if let Some(p) = self.per_page {
            pairs.push(("per_page", p.to_string()));
        }
        if let Some(s) = self.sort {
            pairs.push(("sort", s.code().to_owned()));
        }
        if let Some(c) = self.currency {
            pairs.push(("currency", c.code().to_owned()));
        }
        if let Some(s) = self.site.as_deref().filter(|s| !s.is_empty()) {
            pairs.push(("site", s.to_owned()));
        }
        let mut out = String::new();
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(k);
            out.push('=');
            percent_encode_into(&mut out, v);
        }
        out
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn percent_encode_into(out: &mut String, value: &str) {
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// One part in a catalog listing, priced for the viewer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartSummary {
    /// Part number.
    pub part_number: PartNumber,
    /// Product name.
    pub product: String,
    /// What the part is.
    pub description: String,
    /// Category.
    pub category: Category,
    /// Licence type.
    pub part_type: PartType,
    /// Licence metric.
    pub metric: Metric,
    /// The level `price` is at.
    pub level: PriceLevel,
    /// Unit price at `level` (per month for monthly parts).
    pub price: Money,
    /// Unit list price (BL), for comparison.
    pub list_price: Money,
    /// Points per unit.
    pub points: u32,
}

/// A page of catalog results.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogPage {
    /// The parts on this page.
    pub items: Vec<PartSummary>,
    /// Matches in all pages.
    pub total: u64,
    /// This page (1-based).
    pub page: u32,
    /// Page size.
    pub per_page: u32,
    /// The currency prices are in.
    pub currency: Currency,
    /// The level prices are at.
    pub level: PriceLevel,
    /// The site the prices are for (signed-in customers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
}

impl CatalogPage {
    /// How many pages the results fill.
    #[must_use]
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(u64::from(self.per_page.max(1)))
    }
}

/// A category with how many parts it has.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCount {
    /// Category.
    pub category: Category,
    /// Parts in it.
    pub parts: u64,
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn the_audit_log_pages_fifty_by_default_and_at_most_two_hundred() {
        use audit_limits::page_size;
        assert_eq!(page_size(None), 50);
        assert_eq!(page_size(Some(0)), 1);
        assert_eq!(page_size(Some(120)), 120);
        assert_eq!(page_size(Some(5_000)), 200);
    }

    #[test]
    fn an_empty_catalog_query_gets_the_defaults() {
        let v = CatalogQuery::default().validate().unwrap();
        assert_eq!(
            (v.page, v.per_page, v.sort),
            (1, 20, CatalogSort::Relevance)
        );
        assert_eq!(v.q, None);
    }

    #[test]
    fn every_out_of_range_catalog_parameter_is_reported_on_its_field() {
        let q = CatalogQuery {
            q: Some("x".repeat(101)),
            page: Some(0),
            per_page: Some(500),
            ..Default::default()
        };
        let errors = q.validate().unwrap_err();
        assert_eq!(
            errors.keys().map(String::as_str).collect::<Vec<_>>(),
            ["page", "per_page", "q"]
        );
    }

    #[test]
    fn the_query_string_percent_encodes_values() {
        let q = CatalogQuery {
            q: Some("db2 & co".into()),
            part_type: Some(PartType::AnnualSnsRenewal),
            page: Some(2),
            ..Default::default()
        };
        assert_eq!(
            q.to_query_string(),
            "q=db2%20%26%20co&part_type=sns_renewal&page=2"
        );
    }

    #[test]
    fn pages_round_up() {
        let page = CatalogPage {
            items: vec![],
            total: 41,
            page: 1,
            per_page: 20,
            currency: Currency::Usd,
            level: PriceLevel::Bl,
            site: None,
        };
        assert_eq!(page.pages(), 3);
    }

    #[test]
    fn the_error_body_has_the_documented_shape() {
        let json =
            serde_json::to_value(ErrorBody::new(ErrorCode::NotFound, "no such part")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "not_found", "message": "no such part"}})
        );
    }
}

/// Who a signed-in account is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A user of one or more customer sites.
    Customer,
    /// Vendor sales representative.
    SalesRep,
    /// Vendor renewal representative.
    RenewalRep,
    /// Vendor administrator.
    Admin,
}

impl Role {
    /// The stable code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::SalesRep => "sales_rep",
            Role::RenewalRep => "renewal_rep",
            Role::Admin => "admin",
        }
    }

    /// Parses a stable code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Role> {
        [
            Role::Customer,
            Role::SalesRep,
            Role::RenewalRep,
            Role::Admin,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }

    /// Vendor staff (sales rep, renewal rep, admin).
    #[must_use]
    pub const fn is_staff(self) -> bool {
        !matches!(self, Role::Customer)
    }
}

/// `POST /api/v1/session`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    /// E-mail address.
    pub email: String,
    /// Password.
    pub password: String,
}

/// What a user may do at a site.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Privileges {
    /// Buy and renew.
    pub buy: bool,
    /// See quotes and renewals.
    pub view_quotes: bool,
    /// See orders and reports.
    pub view_orders: bool,
}

/// A site the signed-in user has access to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSummary {
    /// Customer number.
    pub customer_number: String,
    /// Site name.
    pub name: String,
    /// Organisation name.
    pub organisation: String,
    /// Country.
    pub country: crate::country::CountryCode,
    /// Currency.
    pub currency: Currency,
    /// The user is the site's primary contact.
    pub primary: bool,
    /// What the user may do there.
    pub privileges: Privileges,
    /// The site's sales representative, to contact when the catalog has no answer.
    pub sales_rep: Contact,
    /// The Business Partner that serves the site, if any (contact them first).
    pub business_partner: Option<Contact>,
}

/// The signed-in user: `GET`/`POST /api/v1/session`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// E-mail address.
    pub email: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Send this in the `X-CSRF-Token` header of every change.
    pub csrf_token: String,
    /// Sites the user may act for (customers only).
    pub sites: Vec<SiteSummary>,
    /// Today on the server's clock (UTC): the day the browser's own checks (card expiry, quote
    /// validity) use, so both sides agree whatever the visitor's calendar or time zone says.
    #[serde(with = "crate::dates::iso")]
    pub today: time::Date,
}

/// How a renewal is to be completed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RenewalChannel {
    /// Online, in this portal.
    Online,
    /// Through the site's Business Partner (the customer sees it but renews there).
    BusinessPartner,
}

/// A person to contact.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Telephone.
    pub phone: String,
}

/// A renewal quote in a list.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalQuoteSummary {
    /// Quote number.
    pub quote_number: String,
    /// Status.
    pub status: crate::quote::QuoteStatus,
    /// Version (2 and up after a re-issue).
    pub version: u32,
    /// Site customer number.
    pub customer_number: String,
    /// Site name.
    pub site_name: String,
    /// Organisation.
    pub organisation: String,
    /// Agreement number.
    pub agreement_number: String,
    /// The renewal due date (the site's anniversary).
    #[serde(with = "crate::dates::iso")]
    pub due_date: time::Date,
    /// Last day it may be ordered.
    #[serde(with = "crate::dates::iso")]
    pub valid_until: time::Date,
    /// Number of lines.
    pub lines: u32,
    /// Total before tax, priced by `entitle-core`.
    pub subtotal: Money,
    /// Online or through the Business Partner.
    pub channel: RenewalChannel,
}

/// A group of renewal quotes (by month, by agreement, or all awaiting action).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalGroup {
    /// `2026-12`, an agreement number, or `awaiting`.
    pub key: String,
    /// What to show as the group's heading (agreement: organisation name; month: the key).
    pub title: String,
    /// The quotes, by due date.
    pub quotes: Vec<RenewalQuoteSummary>,
}

/// One line of a renewal quote.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalLine {
    /// Line id (for edits).
    pub id: i64,
    /// Renewal part.
    pub part_number: PartNumber,
    /// Description.
    pub description: String,
    /// Units.
    pub quantity: u32,
    /// Coverage start.
    #[serde(with = "crate::dates::iso")]
    pub coverage_start: time::Date,
    /// Coverage end (exclusive).
    #[serde(with = "crate::dates::iso")]
    pub coverage_end: time::Date,
    /// Unit price.
    pub unit_price: Money,
    /// Extended price.
    pub extended: Money,
    /// Tax on the line.
    pub tax: Money,
    /// Why it costs this (English; the app translates from the structured form).
    pub explanations: Vec<crate::pricing::Explanation>,
}

/// A renewal quote with everything the seed's quote page shows.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalQuoteDetail {
    /// The list fields.
    pub summary: RenewalQuoteSummary,
    /// The price level of the quote.
    pub level: PriceLevel,
    /// Account information tab: customer number and renewal due date are in `summary`; the site's
    /// country here.
    pub country: crate::country::CountryCode,
    /// Sales representative tab.
    pub sales_rep: Contact,
    /// The renewal rep who reviews changes.
    pub renewal_rep: Contact,
    /// The Business Partner that owns this renewal, if any.
    pub business_partner: Option<Contact>,
    /// Whether the quote renews by itself on the anniversary; `None` where the site's country does
    /// not allow auto-renew.
    #[serde(default)]
    pub auto_renew: Option<bool>,
    /// The lines.
    pub lines: Vec<RenewalLine>,
    /// Sum of extended prices.
    pub subtotal: Money,
    /// Tax.
    pub tax: Money,
    /// Total.
    pub total: Money,
}

/// Where a site's S&S coverage stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageState {
    /// Ends more than 90 days from now.
    Active,
    /// Ends within 90 days: due for renewal.
    Due,
    /// Ended: only reinstatement is possible.
    Lapsed,
}

/// One entitlement's coverage.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageItem {
    /// Site customer number.
    pub customer_number: String,
    /// Site name.
    pub site_name: String,
    /// Licence part.
    pub licence_part: PartNumber,
    /// Product.
    pub product: String,
    /// Renewal part.
    pub renewal_part: PartNumber,
    /// Units.
    pub quantity: u32,
    /// Coverage start.
    #[serde(with = "crate::dates::iso")]
    pub coverage_start: time::Date,
    /// Coverage end (exclusive).
    #[serde(with = "crate::dates::iso")]
    pub coverage_end: time::Date,
    /// Active, due or lapsed.
    pub state: CoverageState,
    /// Renewed online or through the Business Partner.
    pub channel: RenewalChannel,
    /// The partner's name, if the partner owns the renewal.
    pub business_partner: Option<String>,
}

/// `POST /api/v1/cart/lines`: add a catalog part to the cart of a site.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddCartLine {
    /// Customer number of the site buying.
    pub site: String,
    /// The part.
    pub part_number: PartNumber,
    /// Units.
    pub quantity: u32,
    /// Months, for monthly licences and subscriptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<u16>,
}

/// `POST /api/v1/cart/renewal`: put a renewal quote's lines in the cart, priced as issued.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddRenewalToCart {
    /// The renewal quote.
    pub quote_number: String,
}

/// `PATCH /api/v1/cart/lines/{id}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateCartLine {
    /// New quantity.
    pub quantity: u32,
}

/// One priced cart line.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLineView {
    /// Line id.
    pub id: i64,
    /// Part.
    pub part_number: PartNumber,
    /// Description.
    pub description: String,
    /// Part type.
    pub part_type: PartType,
    /// The part's licence metric (what a quantity counts), for checking an edited quantity.
    #[serde(default)]
    pub metric: Option<Metric>,
    /// Units.
    pub quantity: u32,
    /// Months (1 unless monthly).
    pub months: u16,
    /// Coverage start, for S&S.
    #[serde(default, with = "crate::dates::iso_option")]
    pub coverage_start: Option<time::Date>,
    /// Coverage end, for S&S.
    #[serde(default, with = "crate::dates::iso_option")]
    pub coverage_end: Option<time::Date>,
    /// Unit price.
    pub unit_price: Money,
    /// Extended price.
    pub extended: Money,
    /// Discount.
    pub discount: Money,
    /// Tax.
    pub tax: Money,
    /// Total.
    pub total: Money,
    /// Pricing reasons.
    pub explanations: Vec<crate::pricing::Explanation>,
    /// The renewal quote the line came from.
    pub renewal_quote: Option<String>,
    /// The sales rep's quote this line was accepted from (its discount applies while valid).
    #[serde(default)]
    pub quote_request: Option<String>,
}

/// The cart of a site, priced by the server with `entitle-core`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartView {
    /// Customer number.
    pub site: String,
    /// Currency.
    pub currency: Currency,
    /// Level the cart is priced at.
    pub level: PriceLevel,
    /// Lines.
    pub lines: Vec<CartLineView>,
    /// Sum of extended prices.
    pub subtotal: Money,
    /// Sum of discounts.
    pub discount: Money,
    /// Sum of taxes.
    pub tax: Money,
    /// Grand total.
    pub total: Money,
    /// Points the order would earn.
    pub points: u64,
    /// Renewal quotes in the cart that wait for the rep after a change: checkout is blocked.
    pub change_requested: Vec<String>,
    /// Quotes (renewal quotes or a sales rep's quotes) in the cart that are past their validity date:
    /// checkout is blocked until their lines are removed or a new quote is issued.
    #[serde(default)]
    pub expired_quotes: Vec<String>,
    /// Whether the cart can be checked out now.
    pub can_check_out: bool,
}

/// The terms and conditions in force.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsView {
    /// Version to accept.
    pub version: String,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
}

/// `GET /api/v1/checkout?site=`: what checkout offers the site.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutOptions {
    /// The site's country.
    pub country: crate::country::CountryCode,
    /// Allowed methods, the default first.
    pub payment_methods: Vec<crate::order::PaymentMethod>,
    /// The terms to accept.
    pub terms: TermsView,
}

/// Billing details of an order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillingDetails {
    /// Billing address.
    pub address: crate::validation::AddressInput,
    /// Contact person.
    pub contact_name: String,
    /// Contact e-mail (the confirmation goes here).
    pub email: String,
    /// Contact telephone.
    #[serde(default)]
    pub phone: String,
    /// Company tax ID (NPWP in Indonesia, required there).
    #[serde(default)]
    pub tax_id: String,
}

/// How the customer pays, as entered. The card fields travel once, to the server, which hands them to
/// the payment processor and keeps only brand, last four and expiry. `Debug` never shows them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum PaymentInput {
    /// Credit card.
    Card {
        /// Card number as typed.
        number: String,
        /// Expiry month.
        exp_month: String,
        /// Expiry year.
        exp_year: String,
        /// Security code.
        security_code: String,
        /// Name on the card.
        name: String,
    },
    /// Purchase order.
    PurchaseOrder {
        /// The customer's PO number.
        po_number: String,
    },
    /// Bank transfer against the invoice.
    BankTransfer,
}

impl std::fmt::Debug for PaymentInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PaymentInput::Card { .. } => f.write_str("PaymentInput::Card { •••• }"),
            PaymentInput::PurchaseOrder { po_number } => {
                write!(f, "PaymentInput::PurchaseOrder {{ {po_number} }}")
            }
            PaymentInput::BankTransfer => f.write_str("PaymentInput::BankTransfer"),
        }
    }
}

/// Where the licence keys and media go, when not to the billing contact.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShippingDetails {
    /// Ship-to address.
    pub address: crate::validation::AddressInput,
    /// Ship-to contact.
    pub contact_name: String,
    /// Ship-to e-mail (electronic delivery).
    pub email: String,
}

/// `POST /api/v1/orders` (with an `Idempotency-Key` header): check out the site's cart.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceOrder {
    /// Customer number of the site.
    pub site: String,
    /// Billing details.
    pub billing: BillingDetails,
    /// Shipping details, when they differ from billing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<ShippingDetails>,
    /// "I agree" to the terms.
    pub accept_terms: bool,
    /// The version of the terms shown.
    pub terms_version: String,
    /// Payment.
    pub payment: PaymentInput,
}

/// How an order was paid, as it may be shown.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    /// Method.
    pub method: crate::order::PaymentMethod,
    /// The card, masked.
    pub card: Option<crate::validation::MaskedCard>,
    /// Card expiry `MM/YYYY`.
    pub card_expiry: Option<String>,
    /// The PO number.
    pub po_number: Option<String>,
    /// Where to transfer the money.
    pub bank_instructions: Option<String>,
    /// The file name of the attached purchase-order document, once uploaded.
    #[serde(default)]
    pub po_document: Option<String>,
    /// The card payment was refunded (the order was cancelled).
    #[serde(default)]
    pub refunded: bool,
}

/// One line of an order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineView {
    /// Part.
    pub part_number: PartNumber,
    /// Description.
    pub description: String,
    /// Units.
    pub quantity: u32,
    /// Months.
    pub months: u16,
    /// Coverage start.
    #[serde(default, with = "crate::dates::iso_option")]
    pub coverage_start: Option<time::Date>,
    /// Coverage end.
    #[serde(default, with = "crate::dates::iso_option")]
    pub coverage_end: Option<time::Date>,
    /// Unit price.
    pub unit_price: Money,
    /// Extended price.
    pub extended: Money,
    /// Tax.
    pub tax: Money,
}

/// An order as the customer sees it (the confirmation page and the order look-up).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    /// Order reference number.
    pub reference: crate::order::OrderReference,
    /// Status.
    pub status: crate::order::OrderStatus,
    /// When it was placed (unix seconds).
    pub placed_at: i64,
    /// Customer number.
    pub site: String,
    /// Site name.
    pub site_name: String,
    /// The renewal quote it ordered, if any.
    pub renewal_quote: Option<String>,
    /// Lines.
    pub lines: Vec<OrderLineView>,
    /// Subtotal.
    pub subtotal: Money,
    /// Discount.
    pub discount: Money,
    /// Tax.
    pub tax: Money,
    /// Total.
    pub total: Money,
    /// Payment.
    pub payment: PaymentView,
    /// Billing details as entered.
    pub billing: BillingDetails,
    /// Shipping details, if they differ from billing.
    pub shipping: Option<ShippingDetails>,
    /// Why it was cancelled.
    #[serde(default)]
    pub cancel_reason: Option<String>,
    /// Placed by the renewal engine (auto-renew) rather than by a person.
    #[serde(default)]
    pub auto_renewed: bool,
}

/// `POST /api/v1/password-reset`: mail a reset link.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    /// The account's e-mail address.
    pub email: String,
}

/// `POST /api/v1/password-reset/confirm`: set a new password with the mailed token.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirm {
    /// The token from the link.
    pub token: String,
    /// The new password.
    pub password: String,
}

impl std::fmt::Debug for PasswordResetConfirm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordResetConfirm { •••• }")
    }
}

/// `POST /api/v1/renewals/{quote_number}/channel`: renew through someone else than online.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenewalChannelRequest {
    /// Who should handle the renewal.
    pub channel: OfflineChannel,
    /// A note for them.
    #[serde(default)]
    pub note: String,
}

/// Who handles an offline renewal.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfflineChannel {
    /// The site's Business Partner.
    BusinessPartner,
    /// The vendor's renewal rep.
    RenewalRep,
}

/// `POST /api/v1/carts`: save the cart of a site under a name.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveCart {
    /// Customer number.
    pub site: String,
    /// Name, 1–60 characters, unique per site.
    pub name: String,
}

/// A saved cart.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedCartView {
    /// Id.
    pub id: i64,
    /// Customer number.
    pub site: String,
    /// Name.
    pub name: String,
    /// Lines in it.
    pub lines: u32,
    /// When it was saved (unix seconds).
    pub saved_at: i64,
}

/// `POST /api/v1/quote-requests`: send the cart of a site to the sales rep as a quote request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateQuoteRequest {
    /// Customer number.
    pub site: String,
    /// What the customer asks for (up to 2,000 characters).
    #[serde(default)]
    pub note: String,
}

/// Where a quote request stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteRequestStatus {
    /// Waiting for the sales rep.
    Submitted,
    /// The rep sent a quote.
    Quoted,
    /// The customer accepted it into the cart.
    Accepted,
    /// The customer declined it.
    Declined,
    /// The quote passed its validity date.
    Expired,
}

impl QuoteRequestStatus {
    /// The stable code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            QuoteRequestStatus::Submitted => "submitted",
            QuoteRequestStatus::Quoted => "quoted",
            QuoteRequestStatus::Accepted => "accepted",
            QuoteRequestStatus::Declined => "declined",
            QuoteRequestStatus::Expired => "expired",
        }
    }

    /// Parses a stable code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        use QuoteRequestStatus as S;
        [
            S::Submitted,
            S::Quoted,
            S::Accepted,
            S::Declined,
            S::Expired,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// One line of a quote request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteRequestLine {
    /// Part.
    pub part_number: PartNumber,
    /// Description.
    pub description: String,
    /// Units.
    pub quantity: u32,
    /// Months, for monthly parts.
    pub months: Option<u16>,
    /// Unit price at the site's level.
    #[serde(default)]
    pub unit_price: Option<Money>,
    /// Extended price before the discount.
    #[serde(default)]
    pub extended: Option<Money>,
    /// The rep's discount on this line.
    #[serde(default)]
    pub discount: Option<Money>,
}

/// A quote request as the customer (and the rep) sees it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteRequestView {
    /// Number, e.g. `QR-000123`.
    pub number: String,
    /// Customer number.
    pub site: String,
    /// Status.
    pub status: QuoteRequestStatus,
    /// The customer's note.
    pub note: String,
    /// The lines asked for.
    pub lines: Vec<QuoteRequestLine>,
    /// The rep's discount in percent, once quoted.
    pub discount_percent: Option<rust_decimal::Decimal>,
    /// Valid through, once quoted.
    #[serde(default, with = "crate::dates::iso_option")]
    pub valid_until: Option<time::Date>,
    /// The rep's note, once quoted.
    pub rep_note: Option<String>,
    /// When it was sent (unix seconds).
    pub created_at: i64,
    /// Site name.
    #[serde(default)]
    pub site_name: String,
    /// Who sent it (e-mail).
    #[serde(default)]
    pub requested_by: String,
    /// Sum of extended prices at the site's level, before the discount.
    #[serde(default)]
    pub subtotal: Option<Money>,
    /// The rep's discount in money.
    #[serde(default)]
    pub discount: Option<Money>,
    /// Subtotal less discount, before tax.
    #[serde(default)]
    pub net: Option<Money>,
}

/// `POST /api/v1/desk/quote-requests/{number}/quote`: the sales rep's terms, sent to the customer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendQuote {
    /// Percent off every line, 0–100 with at most two decimals.
    pub discount_percent: rust_decimal::Decimal,
    /// The last day the quote can be ordered (today up to 180 days ahead).
    #[serde(default, with = "crate::dates::iso_option")]
    pub valid_until: Option<time::Date>,
    /// A note for the customer (up to 2,000 characters).
    #[serde(default)]
    pub note: String,
}

/// `PUT /api/v1/renewals/{quote_number}/auto-renew`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetAutoRenew {
    /// Whether the quote renews by itself on the anniversary.
    pub enabled: bool,
}

/// `POST /api/v1/desk/orders/{reference}/status`: move an order on (received → processing →
/// completed) or cancel it with a reason.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeOrderStatus {
    /// The new status.
    pub status: crate::order::OrderStatus,
    /// Why, when cancelling (required then; up to 500 characters).
    #[serde(default)]
    pub reason: String,
}

/// A user of a site as its primary contact manages them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteUserView {
    /// User id.
    pub user_id: i64,
    /// E-mail.
    pub email: String,
    /// Name.
    pub name: String,
    /// Whether they are the site's primary contact.
    pub primary: bool,
    /// What they may do.
    pub privileges: Privileges,
}

/// `POST /api/v1/access-requests/{id}/decision`: the primary contact approves (with privileges) or
/// rejects a request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecideAccessRequest {
    /// Approve (true) or reject (false).
    pub approve: bool,
    /// The privileges granted when approving.
    #[serde(default)]
    pub privileges: Privileges,
}

/// One entry of the audit log.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Id (newest first; pass the last id as `before` for the next page).
    pub id: i64,
    /// When (unix seconds).
    pub at: i64,
    /// Who (e-mail), or `None` for the system (renewal engine).
    pub actor: Option<String>,
    /// What, e.g. `quote.reissue`.
    pub action: String,
    /// On what, e.g. a quote number.
    pub subject: String,
    /// Details.
    pub detail: String,
}

/// `POST /api/v1/access-requests`: ask a site's primary contact for access.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateAccessRequest {
    /// The site's customer number.
    pub customer_number: String,
    /// Why (up to 1,000 characters).
    #[serde(default)]
    pub message: String,
}

/// An access request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequestView {
    /// Id.
    pub id: i64,
    /// Customer number.
    pub customer_number: String,
    /// Site name.
    pub site_name: String,
    /// Who asks.
    pub requester_email: String,
    /// Their message.
    pub message: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// When (unix seconds).
    pub created_at: i64,
}

/// One change a customer asked for on a renewal line, against the issued version.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestedChange {
    /// The renewal line (of the version the customer saw).
    pub line_id: i64,
    /// Its part.
    pub part_number: PartNumber,
    /// Part description.
    pub description: String,
    /// Quantity as issued.
    pub issued_quantity: u32,
    /// Quantity asked for; `None` when the customer deleted the line.
    pub requested_quantity: Option<u32>,
    /// When (Unix seconds).
    pub requested_at: i64,
}

/// `GET /api/v1/desk/change-requests`: a renewal quote the customer changed, waiting for the rep.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRequestView {
    /// The quote as issued.
    pub quote: RenewalQuoteSummary,
    /// Who asked (e-mail addresses).
    pub requested_by: Vec<String>,
    /// The changes, latest per line.
    pub changes: Vec<RequestedChange>,
}

/// One line of a re-issue: the quantity the rep settles on (0 drops the line).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReissueLine {
    /// The line of the current version.
    pub line_id: i64,
    /// New quantity; 0 removes the line.
    pub quantity: u32,
}

/// `POST /api/v1/desk/renewals/{quote_number}/reissue`: issue a new version of a changed quote. Without
/// `lines` the customer's changes are accepted as asked; listed lines take the rep's quantities.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReissueQuote {
    /// The rep's quantities, overriding the customer's request per line.
    #[serde(default)]
    pub lines: Vec<ReissueLine>,
    /// A note for the customer, added to the notice (up to 2,000 characters).
    #[serde(default)]
    pub note: String,
}
