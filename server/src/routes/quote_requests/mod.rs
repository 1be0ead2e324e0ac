//! Quote requests: a customer sends the catalog lines of a site's cart, with a note, to their sales rep;
//! the rep prices it in the desk (discount %, validity date, note) and sends the quote; the customer
//! accepts it into the cart (its discount applies while it is valid) or declines it. A quote past its
//! validity date can't be accepted or ordered.

use axum::extract::State;
use axum::http::StatusCode;
use entitle_core::catalog::PartNumber;
use entitle_core::dto::{
    CartView, CreateQuoteRequest, QuoteRequestLine, QuoteRequestStatus, QuoteRequestView, Role,
    SendQuote,
};
use entitle_core::money::Currency;
use entitle_core::pricing::Term;
use entitle_core::quote::QuoteTerms;
use entitle_core::quote_request::{QuoteRequestEvent, effective_status};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::db::access::Privilege;
use crate::db::cart::{AcceptedQuote, CartLineRow};
use crate::db::quote_requests::{self, StoredRequest};
use crate::db::{access, cart, format_date};
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
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(detail))
        .routes(routes!(accept))
        .routes(routes!(decline))
        .routes(routes!(desk_list))
        .routes(routes!(send_quote))
}

fn internal(what: &str) -> ApiError {
    ApiError::Internal(format!("bad {what} in database"))
}

/// The requests as their customer and the desk see them: lines read in one query, one price book per
/// currency, each priced at its site's level today with the rep's discount while it is valid (what
/// accepting it would put in the cart). A part withdrawn since shows without prices.
async fn views(state: &AppState, requests: Vec<StoredRequest>) -> ApiResult<Vec<QuoteRequestView>> {
    let today = state.clock.today();
    let ids: Vec<i64> = requests.iter().map(|r| r.id).collect();
    let mut lines = quote_requests::lines_of(&mut *state.db.acquire().await?, &ids).await?;
    let mut sites: BTreeMap<i64, access::SiteAccess> = BTreeMap::new();
    for r in &requests {
        if let std::collections::btree_map::Entry::Vacant(slot) = sites.entry(r.site_id) {
            let site = access::site_by_id(&state.db.pool, r.site_id)
                .await?
                .ok_or_else(|| internal("site"))?;
            slot.insert(site);
        }
    }
    let mut parts: BTreeMap<Currency, Vec<PartNumber>> = BTreeMap::new();
    for r in &requests {
        let currency = sites[&r.site_id].summary.currency;
        let wanted = parts.entry(currency).or_default();
        wanted.extend(lines.get(&r.id).into_iter().flatten().map(|l| l.part));
    }
    let mut books = BTreeMap::new();
    for (currency, mut wanted) in parts {
        wanted.sort();
        wanted.dedup();
        books.insert(
            currency,
            cart::price_book(&state.db.pool, &wanted, currency).await?,
        );
    }
    let mut out = Vec::with_capacity(requests.len());
    for r in requests {
        let site = &sites[&r.site_id];
        let own = lines.remove(&r.id).unwrap_or_default();
        out.push(view(r, own, site, &books[&site.summary.currency], today));
    }
    Ok(out)
}

fn view(
    r: StoredRequest,
    lines: Vec<quote_requests::RequestLine>,
    site: &access::SiteAccess,
    book: &entitle_core::pricing::PriceBook,
    today: time::Date,
) -> QuoteRequestView {
    let status = effective_status(r.status, r.valid_until, today);
    let cart_rows: Vec<CartLineRow> = lines
        .into_iter()
        .map(|l| CartLineRow {
            id: l.id,
            part: l.part,
            description: l.description,
            quantity: l.quantity,
            term: l
                .months
                .map_or(Term::Standard, |months| Term::Months { months }),
            renewal_line_id: None,
            renewal_unit_minor: None,
            quote: None,
            part_type: l.part_type,
            metric: l.metric,
            // Priced as the quote stands for these very lines once accepted.
            quote_request: r.valid_until.map(|valid_until| AcceptedQuote {
                id: r.id,
                number: String::new(),
                status: QuoteRequestStatus::Accepted,
                discount_bp: r.discount_bp.unwrap_or(0),
                valid_until: Some(valid_until),
                quoted: Some((l.part.as_str().to_owned(), l.quantity)),
            }),
        })
        .collect();
    let priced = cart::price_with(book, site, cart_rows.clone(), today).ok();
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
    QuoteRequestView {
        number: r.number,
        site: r.customer_number,
        status,
        note: r.note,
        lines,
        discount_percent: r.discount_bp.map(|bp| Decimal::new(bp, 2)),
        valid_until: r.valid_until,
        rep_note: r.rep_note,
        created_at: r.created_at,
        site_name: r.site_name,
        requested_by: r.requester,
        subtotal: view.map(|v| v.subtotal),
        discount: view.map(|v| v.discount),
        net: view.and_then(|v| v.subtotal.checked_sub(&v.discount).ok()),
        money: view.map(|v| v.summary.clone()),
    }
}

/// The requests the user may see, in `order`.
async fn listed(
    state: &AppState,
    user: &CurrentUser,
    order: quote_requests::ListOrder,
) -> ApiResult<Vec<QuoteRequestView>> {
    let requests =
        quote_requests::list(&mut *state.db.acquire().await?, user.id, user.role, order).await?;
    views(state, requests).await
}

/// Loads a request the user may see with `privilege`, inside a write transaction.
async fn load_for_update(
    tx: &mut sqlx::AnyConnection,
    user: &CurrentUser,
    number: &str,
    privilege: Privilege,
) -> ApiResult<StoredRequest> {
    quote_requests::find(tx, user.id, user.role, privilege, number.trim())
        .await?
        .ok_or(ApiError::NotFound("quote request"))
}

/// One request as its customer and the desk see it.
async fn reload(state: &AppState, id: i64) -> ApiResult<QuoteRequestView> {
    let r = quote_requests::get(&mut *state.db.acquire().await?, id)
        .await?
        .ok_or(ApiError::NotFound("quote request"))?;
    views(state, vec![r])
        .await?
        .pop()
        .ok_or_else(|| internal("quote request"))
}

/// The status `event` leads to from the request's status on `today` (core's life cycle), or the 409
/// that says why not.
fn step(
    r: &StoredRequest,
    event: QuoteRequestEvent,
    today: time::Date,
) -> ApiResult<QuoteRequestStatus> {
    effective_status(r.status, r.valid_until, today)
        .apply(event)
        .map_err(|e| ApiError::Conflict {
            code: e.code(),
            message: match (e.code(), r.valid_until) {
                (entitle_core::dto::ErrorCode::QuoteExpired, Some(until)) => format!(
                    "quote {} expired on {}; ask your sales rep for a new one",
                    r.number,
                    format_date(until)
                ),
                _ => e.message(),
            },
        })
}

async fn notify_rep(
    tx: &mut sqlx::AnyConnection,
    now: i64,
    site_id: i64,
    number: &str,
    user: &CurrentUser,
    decision: crate::letters::QuoteDecision,
) -> ApiResult<()> {
    let rep = quote_requests::sales_rep_email(tx, site_id).await?;
    crate::db::journal::queue_mail(
        tx,
        now,
        rep,
        &crate::letters::QuoteRequestDecided {
            number: number.to_owned(),
            customer: user.name.clone(),
            customer_email: user.email.clone(),
            decision,
        },
        entitle_core::locale::Locale::En,
    )
    .await?;
    Ok(())
}

/// The customer changed line `line_id` of request `request_id` to `quantity` in the cart: the request
/// goes back to the sales rep with the new quantity (core's life cycle), the rep is told, and the lines
/// stay in the cart, blocked from checkout, until the customer accepts the rep's new quote.
pub(crate) async fn send_back_from_cart(
    tx: &mut sqlx::AnyConnection,
    now: i64,
    today: time::Date,
    user: &CurrentUser,
    (request_id, line_id): (i64, Option<i64>),
    quantity: u32,
) -> ApiResult<()> {
    let r = quote_requests::get(tx, request_id)
        .await?
        .ok_or(ApiError::NotFound("quote request"))?;
    let next = step(&r, QuoteRequestEvent::RequestChange, today)?;
    // A line accepted before quoted lines were linked has no quoted line to change: the rep sees the
    // request as it was and the customer's message.
    quote_requests::request_change(tx, request_id, line_id.map(|l| (l, quantity)), next).await?;
    crate::db::journal::audit(
        tx,
        now,
        Some(user.id),
        entitle_core::audit::AuditAction::QuoteRequestChangeRequested,
        &r.number,
        format!("a line changed to quantity {quantity} in the cart"),
    )
    .await?;
    notify_rep(
        tx,
        now,
        r.site_id,
        &r.number,
        user,
        crate::letters::QuoteDecision::Changed(quantity),
    )
    .await
}

/// The customer deleted a line of request `request_id` from the cart: the quote is a whole, so all
/// its lines leave the cart, and an accepted quote is quoted again (it may be accepted again while
/// valid).
pub(crate) async fn take_out_of_cart(
    tx: &mut sqlx::AnyConnection,
    now: i64,
    today: time::Date,
    user: &CurrentUser,
    request_id: i64,
) -> ApiResult<()> {
    let r = quote_requests::get(tx, request_id)
        .await?
        .ok_or(ApiError::NotFound("quote request"))?;
    quote_requests::remove_from_carts(tx, request_id).await?;
    // A request already back with the rep stays there.
    if let Ok(next) = step(&r, QuoteRequestEvent::RemoveFromCart, today) {
        quote_requests::decide(tx, request_id, next, now).await?;
    }
    crate::db::journal::audit(
        tx,
        now,
        Some(user.id),
        entitle_core::audit::AuditAction::QuoteRequestRemoved,
        &r.number,
        "its lines left the cart",
    )
    .await
    .map_err(Into::into)
}

/// Sales reps (their own customers) and admins work quote requests.
fn sales_staff(user: &CurrentUser) -> ApiResult<()> {
    match user.role {
        Role::SalesRep | Role::Admin => Ok(()),
        Role::Customer | Role::RenewalRep => Err(ApiError::Forbidden),
    }
}
