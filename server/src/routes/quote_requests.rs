//! Quote requests: a customer sends the catalog lines of a site's cart, with a note, to their sales rep;
//! both sides can list and read them. Pricing and answering them is the rep desk's work.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use entitle_core::catalog::PartNumber;
use entitle_core::dto::{
    CreateQuoteRequest, QuoteRequestLine, QuoteRequestStatus, QuoteRequestView,
};
use rust_decimal::Decimal;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::db::access::{Privilege, site_scope};
use crate::db::{cart, now_unix, parse_date};
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::routes::cart::buyer_site;
use entitle_core::dto::ErrorBody;

/// Longest note.
pub const MAX_NOTE: usize = 2_000;

/// The quote-request routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quote-requests", get(list).post(create))
        .route("/quote-requests/{number}", get(detail))
}

fn internal(what: &str) -> ApiError {
    ApiError::Internal(format!("bad {what} in database"))
}

async fn view(state: &AppState, r: &AnyRow) -> ApiResult<QuoteRequestView> {
    let id: i64 = r.try_get("id")?;
    let lines = sqlx::query(
        "SELECT l.part_number, l.quantity, l.months, p.description FROM quote_request_lines l \
         JOIN parts p ON p.part_number = l.part_number WHERE l.request_id = $1 ORDER BY l.id",
    )
    .bind(id)
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|l| {
        Ok(QuoteRequestLine {
            part_number: PartNumber::parse(&l.try_get::<String, _>("part_number")?)
                .map_err(|_| internal("part"))?,
            description: l.try_get("description")?,
            quantity: u32::try_from(l.try_get::<i64, _>("quantity")?)
                .map_err(|_| internal("quantity"))?,
            months: l
                .try_get::<Option<i64>, _>("months")?
                .and_then(|m| u16::try_from(m).ok()),
        })
    })
    .collect::<ApiResult<Vec<_>>>()?;
    let status: String = r.try_get("status")?;
    Ok(QuoteRequestView {
        number: r.try_get("number")?,
        site: r.try_get("customer_number")?,
        status: QuoteRequestStatus::from_code(&status).ok_or_else(|| internal("status"))?,
        note: r.try_get("note")?,
        lines,
        discount_percent: r
            .try_get::<Option<i64>, _>("discount_bp")?
            .map(|bp| Decimal::new(bp, 2)),
        valid_until: r
            .try_get::<Option<String>, _>("valid_until")?
            .map(|d| parse_date(&d))
            .transpose()?,
        rep_note: r.try_get("rep_note")?,
        created_at: r.try_get("created_at")?,
    })
}

const SELECT: &str = "SELECT q.id, q.number, q.status, q.note, q.discount_bp, q.valid_until, q.rep_note, q.created_at, \
    s.customer_number FROM quote_requests q JOIN sites s ON s.id = q.site_id";

#[utoipa::path(get, path = "/api/v1/quote-requests", tag = "quotes", security(("session" = [])), responses((status = 200, body = Vec<QuoteRequestView>), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<ApiJson<Vec<QuoteRequestView>>> {
    let sql = format!(
        "{SELECT} WHERE {} ORDER BY q.created_at DESC, q.id DESC",
        site_scope(user.role, Privilege::ViewQuotes)
    );
    let rows = sqlx::query(&sql)
        .bind(user.id)
        .fetch_all(&state.db.pool)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(view(&state, r).await?);
    }
    Ok(ApiJson(out))
}

#[utoipa::path(get, path = "/api/v1/quote-requests/{number}", tag = "quotes", security(("session" = [])), params(("number" = String, Path)), responses((status = 200, body = QuoteRequestView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(number): ApiPath<String>,
) -> ApiResult<ApiJson<QuoteRequestView>> {
    let sql = format!(
        "{SELECT} WHERE q.number = $2 AND {}",
        site_scope(user.role, Privilege::ViewQuotes)
    );
    let r = sqlx::query(&sql)
        .bind(user.id)
        .bind(number.trim())
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or(ApiError::NotFound("quote request"))?;
    Ok(ApiJson(view(&state, &r).await?))
}

#[utoipa::path(post, path = "/api/v1/quote-requests", tag = "quotes", security(("session" = [], "csrf" = [])), request_body = CreateQuoteRequest, responses((status = 201, body = QuoteRequestView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<CreateQuoteRequest>,
) -> ApiResult<(StatusCode, ApiJson<QuoteRequestView>)> {
    let site = buyer_site(&state, &user, &req.site).await?;
    let note = req.note.trim();
    if note.chars().count() > MAX_NOTE {
        return Err(ApiError::field(
            "note",
            "field.too_long",
            format!("at most {MAX_NOTE} characters"),
        ));
    }
    let now = now_unix();
    let mut tx = state.db.begin_write().await?;
    let cart_id = cart::active_cart(&mut tx, user.id, site.site_id).await?;
    let lines = sqlx::query("SELECT id, part_number, quantity, months FROM cart_lines WHERE cart_id = $1 AND renewal_line_id IS NULL ORDER BY id")
        .bind(cart_id)
        .fetch_all(&mut *tx)
        .await?;
    if lines.is_empty() {
        return Err(ApiError::Unprocessable {
            code: "cart.empty",
            message: "add the parts you want quoted to the cart first".into(),
        });
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO quote_requests (number, site_id, user_id, status, note, created_at) VALUES ($1, $2, $3, 'submitted', $4, $5) RETURNING id",
    )
    // A temporary unique number, replaced by one derived from the id below.
    .bind(format!("tmp-{}", crate::auth::new_token()))
    .bind(site.site_id)
    .bind(user.id)
    .bind(note)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let number = format!("QR-{id:06}");
    sqlx::query("UPDATE quote_requests SET number = $1 WHERE id = $2")
        .bind(&number)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for l in &lines {
        sqlx::query("INSERT INTO quote_request_lines (request_id, part_number, quantity, months) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(l.try_get::<String, _>("part_number")?)
            .bind(l.try_get::<i64, _>("quantity")?)
            .bind(l.try_get::<Option<i64>, _>("months")?)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM cart_lines WHERE cart_id = $1 AND renewal_line_id IS NULL")
        .bind(cart_id)
        .execute(&mut *tx)
        .await?;
    let rep: String = sqlx::query_scalar(
        "SELECT u.email FROM sites s JOIN users u ON u.id = s.sales_rep_id WHERE s.id = $1",
    )
    .bind(site.site_id)
    .fetch_one(&mut *tx)
    .await?;
    crate::db::journal::queue_mail(&mut tx, "quote_request", rep, format!("Quote request {number} from {}", site.summary.organisation), format!(
            "{} ({}) asks for a quote for {} ({}), {} line(s).\n\nNote: {}\n\nPrice it in the desk.",
            user.name,
            user.email,
            site.summary.name,
            site.summary.customer_number,
            lines.len(),
            if note.is_empty() { "(none)" } else { note }
        )).await?;
    tx.commit().await?;
    let r = sqlx::query(&format!("{SELECT} WHERE q.id = $1"))
        .bind(id)
        .fetch_one(&state.db.pool)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(view(&state, &r).await?)))
}
