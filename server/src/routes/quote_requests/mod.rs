//! Quote requests: a customer sends the catalog lines of a site's cart, with a note, to their sales rep;
//! the rep prices it in the desk (discount %, validity date, note) and sends the quote; the customer
//! accepts it into the cart (its discount applies while it is valid) or declines it. A quote past its
//! validity date can't be accepted or ordered.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use entitle_core::catalog::PartNumber;
use entitle_core::dto::{
    CartView, CreateQuoteRequest, QuoteRequestLine, QuoteRequestStatus, QuoteRequestView, Role,
    SendQuote,
};
use entitle_core::pricing::Term;
use entitle_core::quote::QuoteTerms;
use entitle_core::quote_request::{QuoteRequestEvent, effective_status};
use rust_decimal::Decimal;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::db::access::{Privilege, site_scope};
use crate::db::cart::{AcceptedQuote, CartLineRow};
use crate::db::{access, cart, format_date, parse_date};
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult, checked_text};
use crate::routes::cart::buyer_site;
use entitle_core::dto::ErrorBody;
use entitle_core::validation::TextField;

mod customer;
mod desk;

// The handlers, and the OpenAPI path items utoipa generates beside them.
pub use customer::*;
pub use desk::*;

/// The quote-request routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quote-requests", get(list).post(create))
        .route("/quote-requests/{number}", get(detail))
        .route("/quote-requests/{number}/accept", post(accept))
        .route("/quote-requests/{number}/decline", post(decline))
        .route("/desk/quote-requests", get(desk_list))
        .route("/desk/quote-requests/{number}/quote", post(send_quote))
}

fn internal(what: &str) -> ApiError {
    ApiError::Internal(format!("bad {what} in database"))
}

async fn view(state: &AppState, r: &AnyRow) -> ApiResult<QuoteRequestView> {
    let id: i64 = r.try_get("id")?;
    let rows = sqlx::query(
        "SELECT l.id, l.part_number, l.quantity, l.months, p.description, p.part_type, p.metric FROM quote_request_lines l \
         JOIN parts p ON p.part_number = l.part_number WHERE l.request_id = $1 ORDER BY l.id",
    )
    .bind(id)
    .fetch_all(&state.db.pool)
    .await?;
    let discount_bp: Option<i64> = r.try_get("discount_bp")?;
    let (stored, valid_until) = stored_status(r)?;
    let today = state.clock.today();
    let status = effective_status(stored, valid_until, today);
    let mut cart_rows = Vec::with_capacity(rows.len());
    for l in &rows {
        let months = l
            .try_get::<Option<i64>, _>("months")?
            .and_then(|m| u16::try_from(m).ok());
        cart_rows.push(CartLineRow {
            id: l.try_get("id")?,
            part: PartNumber::parse(&l.try_get::<String, _>("part_number")?)
                .map_err(|_| internal("part"))?,
            description: l.try_get("description")?,
            quantity: u32::try_from(l.try_get::<i64, _>("quantity")?)
                .map_err(|_| internal("quantity"))?,
            term: months.map_or(Term::Standard, |months| Term::Months { months }),
            renewal_line_id: None,
            renewal_unit_minor: None,
            quote: None,
            part_type: l
                .try_get::<String, _>("part_type")?
                .parse()
                .map_err(|_| internal("part type"))?,
            metric: l.try_get::<String, _>("metric")?.parse().ok(),
            quote_request: valid_until.map(|valid_until| AcceptedQuote {
                id,
                number: String::new(),
                discount_bp: discount_bp.unwrap_or(0),
                valid_until,
            }),
        });
    }
    // Priced at the site's level today, with the rep's discount while it is valid: what accepting it
    // would put in the cart. A part withdrawn since shows without prices.
    let site = access::site_by_id(&state.db.pool, r.try_get("site_id")?)
        .await?
        .ok_or_else(|| internal("site"))?;
    let priced = cart::price_cart(&state.db.pool, &site, cart_rows.clone(), today)
        .await?
        .ok();
    let lines = cart_rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let p = priced.as_ref().and_then(|p| p.view.lines.get(i));
            QuoteRequestLine {
                part_number: row.part,
                description: row.description.clone(),
                quantity: row.quantity,
                months: match row.term {
                    Term::Months { months } => Some(months),
                    _ => None,
                },
                unit_price: p.map(|p| p.unit_price),
                extended: p.map(|p| p.extended),
                discount: p.map(|p| p.discount),
            }
        })
        .collect();
    let view = priced.as_ref().map(|p| &p.view);
    Ok(QuoteRequestView {
        number: r.try_get("number")?,
        site: r.try_get("customer_number")?,
        status,
        note: r.try_get("note")?,
        lines,
        discount_percent: discount_bp.map(|bp| Decimal::new(bp, 2)),
        valid_until,
        rep_note: r.try_get("rep_note")?,
        created_at: r.try_get("created_at")?,
        site_name: r.try_get("site_name")?,
        requested_by: r.try_get("requester")?,
        subtotal: view.map(|v| v.subtotal),
        discount: view.map(|v| v.discount),
        net: view.and_then(|v| v.subtotal.checked_sub(&v.discount).ok()),
    })
}

const SELECT: &str = "SELECT q.id, q.site_id, q.user_id, q.number, q.status, q.note, q.discount_bp, q.valid_until, q.rep_note, \
    q.created_at, s.customer_number, s.name AS site_name, u.email AS requester \
    FROM quote_requests q JOIN sites s ON s.id = q.site_id JOIN users u ON u.id = q.user_id";

/// The requests the user may see, in `order`.
async fn listed(
    state: &AppState,
    user: &CurrentUser,
    order: &str,
) -> ApiResult<Vec<QuoteRequestView>> {
    let sql = format!(
        "{SELECT} WHERE {} ORDER BY {order}",
        site_scope(user.role, Privilege::ViewQuotes)
    );
    let rows = sqlx::query(&sql)
        .bind(user.id)
        .fetch_all(&state.db.pool)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(view(state, r).await?);
    }
    Ok(out)
}

/// Loads a request the user may see, inside a write transaction.
async fn load_for_update(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: &CurrentUser,
    number: &str,
    privilege: Privilege,
) -> ApiResult<AnyRow> {
    let sql = format!(
        "{SELECT} WHERE q.number = $2 AND {}",
        site_scope(user.role, privilege)
    );
    sqlx::query(&sql)
        .bind(user.id)
        .bind(number.trim())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(ApiError::NotFound("quote request"))
}

async fn reload(state: &AppState, id: i64) -> ApiResult<QuoteRequestView> {
    let r = sqlx::query(&format!("{SELECT} WHERE q.id = $1"))
        .bind(id)
        .fetch_one(&state.db.pool)
        .await?;
    view(state, &r).await
}

/// The stored status and validity date of a request row.
fn stored_status(r: &AnyRow) -> ApiResult<(QuoteRequestStatus, Option<time::Date>)> {
    let status = QuoteRequestStatus::from_code(&r.try_get::<String, _>("status")?)
        .ok_or_else(|| internal("status"))?;
    let valid_until = r
        .try_get::<Option<String>, _>("valid_until")?
        .map(|d| parse_date(&d))
        .transpose()?;
    Ok((status, valid_until))
}

/// The status `event` leads to from the request's status on `today` (core's life cycle), or the 409
/// that says why not.
fn step(r: &AnyRow, event: QuoteRequestEvent, today: time::Date) -> ApiResult<QuoteRequestStatus> {
    let (stored, valid_until) = stored_status(r)?;
    effective_status(stored, valid_until, today)
        .apply(event)
        .map_err(|e| ApiError::Conflict {
            code: e.code(),
            message: match (e.code(), valid_until) {
                (entitle_core::dto::ErrorCode::QuoteExpired, Some(until)) => format!(
                    "quote {} expired on {}; ask your sales rep for a new one",
                    r.try_get::<String, _>("number").unwrap_or_default(),
                    format_date(until)
                ),
                _ => e.message(),
            },
        })
}

async fn notify_rep(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    now: i64,
    site_id: i64,
    number: &str,
    user: &CurrentUser,
    what: &str,
) -> ApiResult<()> {
    let rep: String = sqlx::query_scalar(
        "SELECT u.email FROM sites s JOIN users u ON u.id = s.sales_rep_id WHERE s.id = $1",
    )
    .bind(site_id)
    .fetch_one(&mut **tx)
    .await?;
    crate::db::journal::queue_mail(
        tx,
        now,
        "quote_request_decided",
        rep,
        format!("Quote {number}: the customer {what}"),
        format!("{} ({}) {what}.\n", user.name, user.email),
    )
    .await?;
    Ok(())
}

/// Sales reps (their own customers) and admins work quote requests.
fn sales_staff(user: &CurrentUser) -> ApiResult<()> {
    match user.role {
        Role::SalesRep | Role::Admin => Ok(()),
        Role::Customer | Role::RenewalRep => Err(ApiError::Forbidden),
    }
}
