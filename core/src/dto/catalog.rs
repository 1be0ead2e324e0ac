//! The catalog: search query (with its validation and query-string encoding), results and categories.

use super::*;

/// Sort orders of the catalog.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct CatalogQuery {
    /// Words to find in the part number, product or description.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    #[cfg_attr(feature = "openapi", param(max_length = 100), schema(max_length = 100))]
    pub q: Option<String>,
    /// Only this category.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub category: Option<String>,
    /// Only this licence type.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub part_type: Option<PartType>,
    /// Only this metric.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub metric: Option<Metric>,
    /// 1-based page.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    #[cfg_attr(
        feature = "openapi",
        param(minimum = 1, maximum = 10_000),
        schema(minimum = 1, maximum = 10_000)
    )]
    pub page: Option<u32>,
    /// Results per page (1–100, default 20).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    #[cfg_attr(
        feature = "openapi",
        param(minimum = 1, maximum = 100),
        schema(minimum = 1, maximum = 100)
    )]
    pub per_page: Option<u32>,
    /// Sort order.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub sort: Option<CatalogSort>,
    /// Price in this currency (signed-out visitors; a signed-in customer always sees the site's currency).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub currency: Option<Currency>,
    /// The customer number of the site to price for (signed-in customers; default: their first site).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    #[cfg_attr(
        feature = "openapi",
        param(pattern = "^([0-9]{1,10})?$"),
        schema(pattern = "^([0-9]{1,10})?$")
    )]
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

/// One part in a catalog listing, priced for the viewer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

    #[cfg(feature = "serde")]
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
