//! Catalog queries: search with filters, paging and sorting; categories; one part.

use super::error::{DbError, DbResult};
use entitle_core::catalog::{Category, Metric, PartNumber, PartType, PriceLevel};
use entitle_core::dto::{CatalogSort, CategoryCount, PartSummary, ValidCatalogQuery};
use entitle_core::money::{Currency, Money};
use sqlx::{AnyPool, FromRow, Row};

use super::Backend;

/// A text value bound to a numbered placeholder.
enum Bind {
    Text(String),
}

/// Builds a WHERE clause with `$n` placeholders numbered in order, portable to both backends.
#[derive(Default)]
struct Filters {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Filters {
    fn placeholder(&mut self, b: Bind) -> String {
        self.binds.push(b);
        format!("${}", self.binds.len())
    }

    fn add(&mut self, template: &str, b: Bind) {
        let p = self.placeholder(b);
        self.clauses.push(template.replace('?', &p));
    }

    fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" AND {}", self.clauses.join(" AND "))
        }
    }

    fn bind_all<'q>(
        &'q self,
        mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for b in &self.binds {
            q = match b {
                Bind::Text(s) => q.bind(s.as_str()),
            };
        }
        q
    }
}

/// The words of a search as full-text terms: lower-cased runs of letters and digits (so no user text
/// reaches the FTS5 or tsquery syntax), at most eight.
fn search_terms(q: &str) -> Vec<String> {
    q.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_owned)
        .collect()
}

/// Whose prices a catalog shows.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    /// Currency of the prices.
    pub currency: Currency,
    /// Level of the prices.
    pub level: PriceLevel,
    /// For a customer's site: renewal and reinstatement parts appear only where the site holds coverage
    /// of them (new customers see new-licence parts only).
    pub coverage_site: Option<i64>,
}

/// What decides which parts match a search and in which order (everything but the page and the site).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MatchKey {
    /// The search's full-text terms ([`search_terms`]); empty for browsing.
    pub terms: Vec<String>,
    /// Category filter.
    pub category: Option<String>,
    /// Licence type filter.
    pub part_type: Option<PartType>,
    /// Metric filter.
    pub metric: Option<Metric>,
    /// Currency of the prices (a part without a price in it does not match).
    pub currency: Currency,
    /// Level of the prices (sorting by price uses this level's).
    pub level: PriceLevel,
    /// Order.
    pub sort: CatalogSort,
}

impl MatchKey {
    /// The key of `query` seen at `currency` and `level`; `None` when the search text has no words (only
    /// punctuation: nothing can match).
    #[must_use]
    pub fn of(query: &ValidCatalogQuery, currency: Currency, level: PriceLevel) -> Option<Self> {
        let terms = query.q.as_deref().map(search_terms).unwrap_or_default();
        if query.q.is_some() && terms.is_empty() {
            return None;
        }
        Some(MatchKey {
            terms,
            category: query.category.as_ref().map(|c| c.as_str().to_owned()),
            part_type: query.part_type,
            metric: query.metric,
            currency,
            level,
            sort: query.sort,
        })
    }
}

/// One matching part: its number and type (renewal and reinstatement parts are shown only to sites that
/// hold their coverage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// Part number.
    pub part_number: PartNumber,
    /// Type.
    pub part_type: PartType,
}

/// Every part matching `key`, best first (or in the key's order).
///
/// Every word of the search text must start a word of the part number, product, description, category,
/// metric or licence type (full-text index: FTS5 on SQLite, tsvector on PostgreSQL). One query, no
/// per-row subquery: the rank comes from the index scan itself.
#[tracing::instrument(level = "debug", skip(pool))]
pub async fn matches(pool: &AnyPool, backend: Backend, key: &MatchKey) -> DbResult<Vec<Match>> {
    let mut f = Filters::default();
    // The first two placeholders are the price joins.
    let cur = f.placeholder(Bind::Text(key.currency.code().to_owned()));
    let lvl = f.placeholder(Bind::Text(key.level.code().to_owned()));
    let mut from = "parts p".to_owned();
    let mut rank = None;
    if !key.terms.is_empty() {
        match backend {
            Backend::Sqlite => {
                let fts: Vec<String> = key.terms.iter().map(|t| format!("\"{t}\"*")).collect();
                let p = f.placeholder(Bind::Text(fts.join(" AND ")));
                from = format!(
                    "(SELECT part_number, rank FROM parts_fts WHERE parts_fts MATCH {p}) m \
                     JOIN parts p ON p.part_number = m.part_number"
                );
                // FTS5's rank is bm25: lower is better.
                rank = Some("m.rank".to_owned());
            }
            Backend::Postgres => {
                let tsq: Vec<String> = key.terms.iter().map(|t| format!("{t}:*")).collect();
                let p = f.placeholder(Bind::Text(tsq.join(" & ")));
                f.clauses
                    .push(format!("p.search_vector @@ to_tsquery('simple', {p})"));
                // ts_rank grows with relevance; negated, ascending order puts the best first, as bm25 does.
                rank = Some(format!(
                    "-ts_rank(p.search_vector, to_tsquery('simple', {p}))"
                ));
            }
        }
    }
    if let Some(c) = &key.category {
        f.add("p.category = ?", Bind::Text(c.clone()));
    }
    if let Some(t) = key.part_type {
        f.add("p.part_type = ?", Bind::Text(t.code().to_owned()));
    }
    if let Some(m) = key.metric {
        f.add("p.metric = ?", Bind::Text(m.code().to_owned()));
    }
    let order = match (key.sort, rank) {
        (CatalogSort::Relevance, Some(rank)) => format!("{rank}, p.part_number"),
        (CatalogSort::Relevance | CatalogSort::PartNumber, _) => "p.part_number".to_owned(),
        (CatalogSort::PriceAsc, _) => "pr.unit_minor ASC, p.part_number".to_owned(),
        (CatalogSort::PriceDesc, _) => "pr.unit_minor DESC, p.part_number".to_owned(),
    };
    let sql = format!(
        "SELECT p.part_number, p.part_type FROM {from} \
          JOIN part_prices pr ON pr.part_number = p.part_number AND pr.currency = {cur} AND pr.level = {lvl} \
          JOIN part_prices bl ON bl.part_number = p.part_number AND bl.currency = {cur} AND bl.level = 'BL' \
          WHERE 1 = 1{} ORDER BY {order}",
        f.where_sql()
    );
    // Row by row: a browse of the whole catalog is 50,000 rows, which need not all be held at once.
    let mut rows = f.bind_all(sqlx::query(&sql)).fetch(pool);
    let mut out = Vec::new();
    while let Some(r) = futures_util::TryStreamExt::try_next(&mut rows).await? {
        let part_number: &str = r.try_get(0)?;
        let part_type: &str = r.try_get(1)?;
        out.push(Match {
            part_number: decode("part number", PartNumber::parse(part_number))?,
            part_type: decode("part type", part_type.parse::<PartType>())?,
        });
    }
    Ok(out)
}

/// The renewal and reinstatement parts of the coverage a site holds (the coverage parts it may see).
#[tracing::instrument(level = "debug", skip(pool))]
pub async fn coverage_parts_of(
    pool: &AnyPool,
    site_id: i64,
) -> DbResult<std::collections::HashSet<PartNumber>> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT e.renewal_part, rp.reinstatement_part FROM entitlements e \
         JOIN parts rp ON rp.part_number = e.renewal_part WHERE e.site_id = $1",
    )
    .bind(site_id)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .flat_map(|(renewal, reinstatement)| std::iter::once(renewal).chain(reinstatement))
        .map(|p| decode("part number", PartNumber::parse(&p)))
        .collect()
}

/// The parts `numbers`, priced for `currency` and `level`, in the order given (a part no longer priced
/// is left out).
#[tracing::instrument(level = "debug", skip(pool))]
pub async fn priced(
    pool: &AnyPool,
    numbers: &[PartNumber],
    currency: Currency,
    level: PriceLevel,
) -> DbResult<Vec<PartSummary>> {
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (0..numbers.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = format!(
        "SELECT p.part_number, p.product, p.description, p.category, p.part_type, p.metric, p.points, \
                pr.unit_minor AS price_minor, bl.unit_minor AS list_minor \
         FROM parts p \
         JOIN part_prices pr ON pr.part_number = p.part_number AND pr.currency = $1 AND pr.level = $2 \
         JOIN part_prices bl ON bl.part_number = p.part_number AND bl.currency = $1 AND bl.level = 'BL' \
         WHERE p.part_number IN ({})",
        list.join(", ")
    );
    let mut q = sqlx::query(&sql).bind(currency.code()).bind(level.code());
    for n in numbers {
        q = q.bind(n.as_str());
    }
    let mut found: std::collections::HashMap<PartNumber, PartSummary> = q
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            let s = part_summary(PartRow::from_row(r)?, currency, level)?;
            Ok((s.part_number, s))
        })
        .collect::<DbResult<_>>()?;
    Ok(numbers.iter().filter_map(|n| found.remove(n)).collect())
}

fn decode<T, E: std::fmt::Display>(what: &'static str, r: Result<T, E>) -> DbResult<T> {
    r.map_err(|e| DbError::corrupt(what, e))
}

/// A part with its price at the viewer's level and its list price.
#[derive(Debug, sqlx::FromRow)]
struct PartRow {
    part_number: String,
    product: String,
    description: String,
    category: String,
    part_type: String,
    metric: String,
    points: i64,
    price_minor: i64,
    list_minor: i64,
}

fn part_summary(r: PartRow, currency: Currency, level: PriceLevel) -> DbResult<PartSummary> {
    Ok(PartSummary {
        part_number: decode("part number", PartNumber::parse(&r.part_number))?,
        product: r.product,
        description: r.description,
        category: decode("category", Category::parse(&r.category))?,
        part_type: decode("part type", r.part_type.parse::<PartType>())?,
        metric: decode("metric", r.metric.parse::<Metric>())?,
        level,
        price: Money::from_minor(r.price_minor, currency),
        list_price: Money::from_minor(r.list_minor, currency),
        points: super::error::stored("points", r.points)?,
    })
}

/// Every category with its number of parts, by name.
#[tracing::instrument(level = "debug", skip(pool))]
pub async fn categories(pool: &AnyPool) -> DbResult<Vec<CategoryCount>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT category, COUNT(*) AS n FROM parts GROUP BY category ORDER BY category",
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(category, n)| {
            Ok(CategoryCount {
                category: decode("category", Category::parse(&category))?,
                parts: super::error::stored("category count", n)?,
            })
        })
        .collect()
}

/// One part priced at `level` in `currency`, if it exists.
#[tracing::instrument(level = "debug", skip(pool))]
pub async fn part(
    pool: &AnyPool,
    part: &PartNumber,
    currency: Currency,
    level: PriceLevel,
) -> DbResult<Option<PartSummary>> {
    let row: Option<PartRow> = sqlx::query_as(
        "SELECT p.part_number, p.product, p.description, p.category, p.part_type, p.metric, p.points, \
                pr.unit_minor AS price_minor, bl.unit_minor AS list_minor \
         FROM parts p \
         JOIN part_prices pr ON pr.part_number = p.part_number AND pr.currency = $1 AND pr.level = $2 \
         JOIN part_prices bl ON bl.part_number = p.part_number AND bl.currency = $1 AND bl.level = 'BL' \
         WHERE p.part_number = $3",
    )
    .bind(currency.code())
    .bind(level.code())
    .bind(part.as_str())
    .fetch_optional(pool)
    .await?;
    row.map(|r| part_summary(r, currency, level)).transpose()
}

/// What the cart needs of a part to take a line of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartForCart {
    /// Description.
    pub description: String,
    /// Type.
    pub part_type: PartType,
    /// Licence metric.
    pub metric: Metric,
}

/// The part `part` as the cart needs it.
///
/// # Errors
/// Database errors; a stored type or metric that is not one.
pub async fn part_for_cart(
    conn: &mut sqlx::AnyConnection,
    part: &PartNumber,
) -> DbResult<Option<PartForCart>> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT description, part_type, metric FROM parts WHERE part_number = $1")
            .bind(part.as_str())
            .fetch_optional(conn)
            .await?;
    row.map(|(description, part_type, metric)| {
        Ok(PartForCart {
            description,
            part_type: decode("part type", part_type.parse())?,
            metric: decode("metric", metric.parse())?,
        })
    })
    .transpose()
}

/// Whether the site holds coverage that `part` renews or reinstates (renewal parts are sold only to
/// customers who hold what they renew).
///
/// # Errors
/// Database errors.
pub async fn site_holds_coverage_of(
    conn: &mut sqlx::AnyConnection,
    site_id: i64,
    part: &PartNumber,
) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM entitlements e JOIN parts rp ON rp.part_number = e.renewal_part \
         WHERE e.site_id = $1 AND (e.renewal_part = $2 OR rp.reinstatement_part = $2)",
    )
    .bind(site_id)
    .bind(part.as_str())
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}
