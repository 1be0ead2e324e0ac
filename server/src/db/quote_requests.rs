//! Quote requests: a customer's cart sent to the sales rep, the rep's quote, the customer's decision,
//! and the expiry written by the renewal engine's runs and when a customer tries an expired quote (the
//! life cycle itself is `entitle_core::quote_request`).

use std::collections::BTreeMap;

use entitle_core::catalog::{Metric, PartNumber, PartType};
use entitle_core::dto::{QuoteRequestStatus, Role};
use sqlx::AnyConnection;
use time::Date;

use super::access::{Privilege, site_scope};
use super::error::{DbError, DbResult};
use super::{format_date, parse_date};

const SELECT: &str = "SELECT q.id, q.site_id, q.user_id, q.number, q.status, q.note, q.discount_bp, \
    q.valid_until, q.rep_note, q.created_at, s.customer_number, s.name AS site_name, u.email AS requester \
    FROM quote_requests q JOIN sites s ON s.id = q.site_id JOIN users u ON u.id = q.user_id";

/// A stored quote request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRequest {
    /// Its id.
    pub id: i64,
    /// The site it is for.
    pub site_id: i64,
    /// Its number, `QR-000042`.
    pub number: String,
    /// The stored status (the effective one also depends on the day: see core's `effective_status`).
    pub status: QuoteRequestStatus,
    /// The customer's note.
    pub note: String,
    /// The rep's discount in basis points of a percent, once quoted.
    pub discount_bp: Option<i64>,
    /// Valid through, once quoted.
    pub valid_until: Option<Date>,
    /// The rep's note.
    pub rep_note: Option<String>,
    /// When it was sent (unix seconds).
    pub created_at: i64,
    /// The site's customer number.
    pub customer_number: String,
    /// The site's name.
    pub site_name: String,
    /// The requester's e-mail.
    pub requester: String,
}

#[derive(Debug, sqlx::FromRow)]
struct RequestRow {
    id: i64,
    site_id: i64,
    number: String,
    status: String,
    note: String,
    discount_bp: Option<i64>,
    valid_until: Option<String>,
    rep_note: Option<String>,
    created_at: i64,
    customer_number: String,
    site_name: String,
    requester: String,
}

impl TryFrom<RequestRow> for StoredRequest {
    type Error = DbError;

    fn try_from(r: RequestRow) -> DbResult<StoredRequest> {
        Ok(StoredRequest {
            status: QuoteRequestStatus::from_code(&r.status)
                .ok_or_else(|| DbError::corrupt("quote request status", &r.status))?,
            valid_until: r.valid_until.as_deref().map(parse_date).transpose()?,
            id: r.id,
            site_id: r.site_id,
            number: r.number,
            note: r.note,
            discount_bp: r.discount_bp,
            rep_note: r.rep_note,
            created_at: r.created_at,
            customer_number: r.customer_number,
            site_name: r.site_name,
            requester: r.requester,
        })
    }
}

/// The order of a list of requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOrder {
    /// Newest first (the customer's list).
    Newest,
    /// Waiting for a quote first, then newest first (the desk's list).
    WaitingFirst,
}

/// The requests the user's role and sites let them see, with `privilege`.
///
/// # Errors
/// Database errors; stored values that do not parse.
pub async fn list(
    conn: &mut AnyConnection,
    user_id: i64,
    role: Role,
    order: ListOrder,
) -> DbResult<Vec<StoredRequest>> {
    let order = match order {
        ListOrder::Newest => "q.created_at DESC, q.id DESC",
        ListOrder::WaitingFirst => {
            "CASE WHEN q.status = 'submitted' THEN 0 ELSE 1 END, q.created_at DESC, q.id DESC"
        }
    };
    let sql = format!(
        "{SELECT} WHERE {} ORDER BY {order}",
        site_scope(role, Privilege::ViewQuotes)
    );
    let rows: Vec<RequestRow> = sqlx::query_as(&sql).bind(user_id).fetch_all(conn).await?;
    rows.into_iter().map(StoredRequest::try_from).collect()
}

/// The request `number` if the user may see it with `privilege`.
///
/// # Errors
/// Database errors; stored values that do not parse.
pub async fn find(
    conn: &mut AnyConnection,
    user_id: i64,
    role: Role,
    privilege: Privilege,
    number: &str,
) -> DbResult<Option<StoredRequest>> {
    let sql = format!(
        "{SELECT} WHERE q.number = $2 AND {}",
        site_scope(role, privilege)
    );
    let row: Option<RequestRow> = sqlx::query_as(&sql)
        .bind(user_id)
        .bind(number)
        .fetch_optional(conn)
        .await?;
    row.map(StoredRequest::try_from).transpose()
}

/// One request by id.
///
/// # Errors
/// Database errors; stored values that do not parse.
pub async fn get(conn: &mut AnyConnection, id: i64) -> DbResult<Option<StoredRequest>> {
    let row: Option<RequestRow> = sqlx::query_as(&format!("{SELECT} WHERE q.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(StoredRequest::try_from).transpose()
}

/// A line of a request, with what pricing needs of its part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLine {
    /// Its id.
    pub id: i64,
    /// The part.
    pub part: PartNumber,
    /// Units.
    pub quantity: u32,
    /// Months, for parts sold by the month.
    pub months: Option<u16>,
    /// The part's description.
    pub description: String,
    /// The part's type.
    pub part_type: PartType,
    /// The part's licence metric.
    pub metric: Option<Metric>,
}

#[derive(Debug, sqlx::FromRow)]
struct LineRow {
    id: i64,
    request_id: i64,
    part_number: String,
    quantity: i64,
    months: Option<i64>,
    description: String,
    part_type: String,
    metric: String,
}

/// The lines of the requests `ids`, in one query, by request id (each in the order it was sent).
///
/// # Errors
/// Database errors; stored values that do not parse.
pub async fn lines_of(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> DbResult<BTreeMap<i64, Vec<RequestLine>>> {
    let mut out: BTreeMap<i64, Vec<RequestLine>> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT l.id, l.request_id, l.part_number, l.quantity, l.months, p.description, p.part_type, p.metric \
         FROM quote_request_lines l JOIN parts p ON p.part_number = l.part_number \
         WHERE l.request_id IN ({}) ORDER BY l.request_id, l.id",
        marks.join(", ")
    );
    let mut q = sqlx::query_as::<_, LineRow>(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    for r in q.fetch_all(conn).await? {
        let line = RequestLine {
            id: r.id,
            part: PartNumber::parse(&r.part_number)
                .map_err(|e| DbError::corrupt("part number", e))?,
            quantity: super::error::stored("quantity", r.quantity)?,
            months: r
                .months
                .map(|m| super::error::stored("months", m))
                .transpose()?,
            description: r.description,
            part_type: r
                .part_type
                .parse()
                .map_err(|e| DbError::corrupt("part type", e))?,
            metric: Some(
                r.metric
                    .parse()
                    .map_err(|e| DbError::corrupt("metric", e))?,
            ),
        };
        out.entry(r.request_id).or_default().push(line);
    }
    Ok(out)
}

/// Stores a new request with the catalog lines of cart `cart_id` (not those of an accepted quote) and
/// takes those lines out of the cart. Returns its id and number, or `None` when the cart has no catalog lines.
///
/// # Errors
/// Database errors.
pub async fn create_from_cart(
    conn: &mut AnyConnection,
    cart_id: i64,
    site_id: i64,
    user_id: i64,
    note: &str,
    at: i64,
    placeholder_number: &str,
) -> DbResult<Option<(i64, String, usize)>> {
    let lines: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT part_number, quantity, months FROM cart_lines \
         WHERE cart_id = $1 AND renewal_line_id IS NULL AND quote_request_id IS NULL ORDER BY id",
    )
    .bind(cart_id)
    .fetch_all(&mut *conn)
    .await?;
    if lines.is_empty() {
        return Ok(None);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO quote_requests (number, site_id, user_id, status, note, created_at) \
         VALUES ($1, $2, $3, 'submitted', $4, $5) RETURNING id",
    )
    // A unique number until the one derived from the id replaces it below.
    .bind(placeholder_number)
    .bind(site_id)
    .bind(user_id)
    .bind(note)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    let number = format!("QR-{id:06}");
    sqlx::query("UPDATE quote_requests SET number = $1 WHERE id = $2")
        .bind(&number)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (part, quantity, months) in &lines {
        sqlx::query(
            "INSERT INTO quote_request_lines (request_id, part_number, quantity, months) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(part)
        .bind(quantity)
        .bind(months)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM cart_lines WHERE cart_id = $1 AND renewal_line_id IS NULL AND quote_request_id IS NULL")
        .bind(cart_id)
        .execute(conn)
        .await?;
    Ok(Some((id, number, lines.len())))
}

/// Puts the lines of request `id` in cart `cart_id`, each tied to its quoted line (the discount applies
/// to those lines as quoted). Lines of the request still in a cart from an earlier acceptance are
/// replaced, so the cart holds the quote once.
///
/// # Errors
/// Database errors.
pub async fn add_to_cart(conn: &mut AnyConnection, id: i64, cart_id: i64, at: i64) -> DbResult<()> {
    remove_from_carts(&mut *conn, id).await?;
    sqlx::query(
        "INSERT INTO cart_lines (cart_id, part_number, quantity, term_kind, months, quote_request_id, quote_request_line_id, created_at) \
         SELECT $1, part_number, quantity, CASE WHEN months IS NULL THEN 'standard' ELSE 'months' END, months, request_id, id, $2 \
         FROM quote_request_lines WHERE request_id = $3 ORDER BY id",
    )
    .bind(cart_id)
    .bind(at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes every line of request `id` out of the carts (active ones; saved carts keep no quote lines).
///
/// # Errors
/// Database errors.
pub async fn remove_from_carts(conn: &mut AnyConnection, id: i64) -> DbResult<()> {
    sqlx::query("DELETE FROM cart_lines WHERE quote_request_id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The customer changed a quoted line of request `id` in the cart (`change`: the line's id and its new
/// quantity): the request goes back to the rep (`next`, from core's life cycle) without its old
/// discount and validity.
///
/// # Errors
/// Database errors.
pub async fn request_change(
    conn: &mut AnyConnection,
    id: i64,
    change: Option<(i64, u32)>,
    next: QuoteRequestStatus,
) -> DbResult<()> {
    if let Some((line_id, quantity)) = change {
        sqlx::query(
            "UPDATE quote_request_lines SET quantity = $1 WHERE id = $2 AND request_id = $3",
        )
        .bind(i64::from(quantity))
        .bind(line_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "UPDATE quote_requests SET status = $1, discount_bp = NULL, valid_until = NULL, decided_at = NULL WHERE id = $2",
    )
    .bind(next.code())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the customer's decision (`accepted` or `declined`).
///
/// # Errors
/// Database errors.
pub async fn decide(
    conn: &mut AnyConnection,
    id: i64,
    status: QuoteRequestStatus,
    at: i64,
) -> DbResult<()> {
    sqlx::query("UPDATE quote_requests SET status = $1, decided_at = $2 WHERE id = $3")
        .bind(status.code())
        .bind(at)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The rep's quote on a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepQuote<'a> {
    /// The status it moves to.
    pub status: QuoteRequestStatus,
    /// Discount in basis points of a percent.
    pub discount_bp: i64,
    /// Valid through.
    pub valid_until: Date,
    /// The rep's note.
    pub note: &'a str,
    /// The rep.
    pub by: i64,
    /// When (unix seconds).
    pub at: i64,
}

/// Stores the rep's quote on request `id`.
///
/// # Errors
/// Database errors.
pub async fn quote(conn: &mut AnyConnection, id: i64, q: &RepQuote<'_>) -> DbResult<()> {
    sqlx::query(
        "UPDATE quote_requests SET status = $1, discount_bp = $2, valid_until = $3, rep_note = $4, \
         quoted_at = $5, quoted_by = $6 WHERE id = $7",
    )
    .bind(q.status.code())
    .bind(q.discount_bp)
    .bind(format_date(q.valid_until))
    .bind(q.note)
    .bind(q.at)
    .bind(q.by)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The e-mail of the site's sales rep.
///
/// # Errors
/// Database errors.
pub async fn sales_rep_email(conn: &mut AnyConnection, site_id: i64) -> DbResult<String> {
    Ok(sqlx::query_scalar(
        "SELECT u.email FROM sites s JOIN users u ON u.id = s.sales_rep_id WHERE s.id = $1",
    )
    .bind(site_id)
    .fetch_one(conn)
    .await?)
}

/// Marks every quoted request whose validity date passed before `today` as expired, returning their
/// numbers.
///
/// # Errors
/// Database errors.
pub async fn expire_due(conn: &mut AnyConnection, today: Date) -> DbResult<Vec<String>> {
    sqlx::query_scalar(
        "UPDATE quote_requests SET status = $1 WHERE status = $2 AND valid_until < $3 RETURNING number",
    )
    .bind(QuoteRequestStatus::Expired.code())
    .bind(QuoteRequestStatus::Quoted.code())
    .bind(format_date(today))
    .fetch_all(conn)
    .await
    .map_err(Into::into)
}

/// Writes the expiry of quoted request `id` if its validity date passed before `today`. Returns whether
/// it changed anything.
///
/// # Errors
/// Database errors.
pub async fn expire_if_quoted(conn: &mut AnyConnection, id: i64, today: Date) -> DbResult<bool> {
    let changed = sqlx::query(
        "UPDATE quote_requests SET status = $1 WHERE id = $2 AND status = $3 AND valid_until < $4",
    )
    .bind(QuoteRequestStatus::Expired.code())
    .bind(id)
    .bind(QuoteRequestStatus::Quoted.code())
    .bind(format_date(today))
    .execute(conn)
    .await?
    .rows_affected();
    Ok(changed > 0)
}
