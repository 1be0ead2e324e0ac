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

#[utoipa::path(get, path = "/api/v1/quote-requests", tag = "quotes", security(("session" = [])), responses((status = 200, body = Vec<QuoteRequestView>), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<ApiJson<Vec<QuoteRequestView>>> {
    Ok(ApiJson(
        listed(&state, &user, "q.created_at DESC, q.id DESC").await?,
    ))
}

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
    let note = checked_text("note", TextField::QuoteRequestNote, &req.note)?;
    let note = note.as_str();
    let now = state.clock.now_unix();
    let mut tx = state.db.begin_write().await?;
    let cart_id = cart::active_cart(&mut tx, state.clock.now_unix(), user.id, site.site_id).await?;
    let lines = sqlx::query("SELECT id, part_number, quantity, months FROM cart_lines WHERE cart_id = $1 AND renewal_line_id IS NULL ORDER BY id")
        .bind(cart_id)
        .fetch_all(&mut *tx)
        .await?;
    if lines.is_empty() {
        return Err(ApiError::Unprocessable {
            code: entitle_core::dto::ErrorCode::CartEmpty,
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
    crate::db::journal::queue_mail(&mut tx, state.clock.now_unix(), "quote_request", rep, format!("Quote request {number} from {}", site.summary.organisation), format!(
            "{} ({}) asks for a quote for {} ({}), {} line(s).\n\nNote: {}\n\nPrice it in the desk:\n\n{}/desk/quote-requests\n",
            user.name,
            user.email,
            site.summary.name,
            site.summary.customer_number,
            lines.len(),
            if note.is_empty() { "(none)" } else { note },
            state.public_url.trim_end_matches('/')
        )).await?;
    tx.commit().await?;
    let r = sqlx::query(&format!("{SELECT} WHERE q.id = $1"))
        .bind(id)
        .fetch_one(&state.db.pool)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(view(&state, &r).await?)))
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

#[utoipa::path(post, path = "/api/v1/quote-requests/{number}/accept", tag = "quotes", security(("session" = [], "csrf" = [])), params(("number" = String, Path)), responses((status = 200, description = "the site's cart with the quote's lines", body = CartView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "no buy privilege", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "not quoted, or expired", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn accept(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(number): ApiPath<String>,
) -> ApiResult<ApiJson<CartView>> {
    if user.role != Role::Customer {
        return Err(ApiError::Forbidden);
    }
    let mut tx = state.db.begin_write().await?;
    let r = load_for_update(&mut tx, &user, &number, Privilege::ViewQuotes).await?;
    let id: i64 = r.try_get("id")?;
    let number: String = r.try_get("number")?;
    let site = buyer_site(&state, &user, &r.try_get::<String, _>("customer_number")?).await?;
    let next = match step(&r, QuoteRequestEvent::Accept, state.clock.today()) {
        Ok(next) => next,
        Err(e) => {
            // Seen expired: record it, so the desk and reports see what the customer saw.
            if stored_status(&r)?.0 == QuoteRequestStatus::Quoted {
                crate::db::quote_requests::expire_if_quoted(&mut tx, id, state.clock.today())
                    .await?;
                tx.commit().await?;
            }
            return Err(e);
        }
    };
    let cart_id = cart::active_cart(&mut tx, state.clock.now_unix(), user.id, site.site_id).await?;
    let now = state.clock.now_unix();
    for l in sqlx::query("SELECT part_number, quantity, months FROM quote_request_lines WHERE request_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(&mut *tx)
        .await?
    {
        let months: Option<i64> = l.try_get("months")?;
        sqlx::query(
            "INSERT INTO cart_lines (cart_id, part_number, quantity, term_kind, months, quote_request_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(cart_id)
        .bind(l.try_get::<String, _>("part_number")?)
        .bind(l.try_get::<i64, _>("quantity")?)
        .bind(if months.is_some() { "months" } else { "standard" })
        .bind(months)
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE quote_requests SET status = $1, decided_at = $2 WHERE id = $3")
        .bind(next.code())
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    crate::db::journal::audit(
        &mut tx,
        state.clock.now_unix(),
        Some(user.id),
        "quote_request.accept",
        &number,
        "into the cart",
    )
    .await?;
    notify_rep(
        &mut tx,
        state.clock.now_unix(),
        r.try_get("site_id")?,
        &number,
        &user,
        "accepted it into the cart",
    )
    .await?;
    tx.commit().await?;
    Ok(ApiJson(
        crate::routes::cart::cart_view(&state, &user, &site).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/quote-requests/{number}/decline", tag = "quotes", security(("session" = [], "csrf" = [])), params(("number" = String, Path)), responses((status = 200, body = QuoteRequestView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "no buy privilege", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "already decided", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn decline(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(number): ApiPath<String>,
) -> ApiResult<ApiJson<QuoteRequestView>> {
    if user.role != Role::Customer {
        return Err(ApiError::Forbidden);
    }
    let mut tx = state.db.begin_write().await?;
    let r = load_for_update(&mut tx, &user, &number, Privilege::Buy).await?;
    let id: i64 = r.try_get("id")?;
    let number: String = r.try_get("number")?;
    let next = step(&r, QuoteRequestEvent::Decline, state.clock.today())?;
    sqlx::query("UPDATE quote_requests SET status = $1, decided_at = $2 WHERE id = $3")
        .bind(next.code())
        .bind(state.clock.now_unix())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    crate::db::journal::audit(
        &mut tx,
        state.clock.now_unix(),
        Some(user.id),
        "quote_request.decline",
        &number,
        "",
    )
    .await?;
    notify_rep(
        &mut tx,
        state.clock.now_unix(),
        r.try_get("site_id")?,
        &number,
        &user,
        "declined it",
    )
    .await?;
    tx.commit().await?;
    Ok(ApiJson(reload(&state, id).await?))
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

#[utoipa::path(get, path = "/api/v1/desk/quote-requests", tag = "desk", security(("session" = [])), responses((status = 200, description = "waiting requests first, then the rest, newest first", body = Vec<QuoteRequestView>), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not a sales rep or admin", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn desk_list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<ApiJson<Vec<QuoteRequestView>>> {
    sales_staff(&user)?;
    Ok(ApiJson(
        listed(
            &state,
            &user,
            "CASE WHEN q.status = 'submitted' THEN 0 ELSE 1 END, q.created_at DESC, q.id DESC",
        )
        .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/desk/quote-requests/{number}/quote", tag = "desk", security(("session" = [], "csrf" = [])), params(("number" = String, Path)), request_body = SendQuote, responses((status = 200, description = "the quote as the customer now sees it", body = QuoteRequestView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not a sales rep or admin", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "accepted or declined already", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip(state, user, req))]
async fn send_quote(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(req): ApiJson<SendQuote>,
) -> ApiResult<ApiJson<QuoteRequestView>> {
    sales_staff(&user)?;
    let mut fields: std::collections::BTreeMap<String, Vec<entitle_core::dto::FieldError>> =
        std::collections::BTreeMap::new();
    let terms = QuoteTerms::new(req.discount_percent, req.valid_until, state.clock.today())
        .map_err(|problems| {
            for (field, e) in problems {
                fields
                    .entry(field.to_owned())
                    .or_default()
                    .push(entitle_core::dto::FieldError {
                        code: e.code().to_owned(),
                        message: e.to_string(),
                    });
            }
        });
    if let Err(e) = TextField::RepNote.check(&req.note) {
        fields
            .entry("note".into())
            .or_default()
            .push(entitle_core::dto::FieldError {
                code: e.code().to_owned(),
                message: e.to_string(),
            });
    }
    let terms = match terms {
        Ok(t) if fields.is_empty() => t,
        _ => return Err(ApiError::Validation(fields)),
    };
    let mut tx = state.db.begin_write().await?;
    let r = load_for_update(&mut tx, &user, &number, Privilege::ViewQuotes).await?;
    let id: i64 = r.try_get("id")?;
    let number: String = r.try_get("number")?;
    let next = step(&r, QuoteRequestEvent::SendQuote, state.clock.today())?;
    let note = req.note.trim();
    sqlx::query(
        "UPDATE quote_requests SET status = $1, discount_bp = $2, valid_until = $3, rep_note = $4, \
         quoted_at = $5, quoted_by = $6 WHERE id = $7",
    )
    .bind(next.code())
    .bind(terms.basis_points())
    .bind(format_date(terms.valid_until()))
    .bind(note)
    .bind(state.clock.now_unix())
    .bind(user.id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    crate::db::journal::audit(
        &mut tx,
        state.clock.now_unix(),
        Some(user.id),
        "quote_request.quote",
        &number,
        format!(
            "{} % off, valid until {}",
            terms.discount_percent(),
            format_date(terms.valid_until())
        ),
    )
    .await?;
    let customer: String = r.try_get("requester")?;
    let note_text = if note.is_empty() {
        String::new()
    } else {
        format!("A note from your sales representative:\n{note}\n\n")
    };
    crate::db::journal::queue_mail(
        &mut tx,
        state.clock.now_unix(),
        "quote_sent",
        customer,
        format!("Your quote {number} is ready"),
        format!(
            "Hello,\n\nyour sales representative {} priced quote request {number}: {} % off, valid until {}.\n\n{note_text}Open it to accept it into your cart or decline it:\n\n{}/quotes#{number}\n",
            user.name,
            terms.discount_percent(),
            format_date(terms.valid_until()),
            state.public_url.trim_end_matches('/')
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(ApiJson(reload(&state, id).await?))
}
