//! The vendor's desk: change requests and re-issues, quote requests to price, order fulfilment, the
//! audit log.

use super::*;

/// (Renewal reps, admins) renewal quotes customers changed, waiting for a re-issue.
///
/// # Errors
/// [`ApiError`]: 403 for other users.
pub async fn change_requests() -> Result<Vec<ChangeRequestView>, ApiError> {
    get("/desk/change-requests").await
}

/// (Renewal reps, admins) issues the next version of a changed renewal quote.
///
/// # Errors
/// [`ApiError`]: 409 not waiting for a re-issue, 422 per line.
pub async fn reissue(
    quote_number: &str,
    req: &ReissueQuote,
) -> Result<RenewalQuoteDetail, ApiError> {
    send_json(
        Request::post(&format!(
            "{BASE}/desk/renewals/{}/reissue",
            enc(quote_number)
        )),
        req,
    )
    .await
}

/// (Sales reps, admins) quote requests, waiting ones first.
///
/// # Errors
/// [`ApiError`]: 403 for other users.
pub async fn desk_quote_requests() -> Result<Vec<QuoteRequestView>, ApiError> {
    get("/desk/quote-requests").await
}

/// (Sales reps, admins) sends the quote: discount, validity, note.
///
/// # Errors
/// [`ApiError`]: 422 per field, 409 decided already.
pub async fn send_quote(number: &str, req: &SendQuote) -> Result<QuoteRequestView, ApiError> {
    send_json(
        Request::post(&format!("{BASE}/desk/quote-requests/{}/quote", enc(number))),
        req,
    )
    .await
}

/// Which page of the desk's order list to ask for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderPage {
    /// Only this status; `None`: received and processing (the work to do).
    pub status: Option<OrderStatus>,
    /// A reference, a customer number or part of a site name; empty: all.
    pub search: String,
    /// Orders to skip.
    pub offset: u32,
    /// Orders per page; `None`: the server's most.
    pub limit: Option<u32>,
}

/// (Staff) orders to fulfil, a page at a time.
///
/// # Errors
/// [`ApiError`]: 403 for customers.
pub async fn desk_orders(page: &OrderPage) -> Result<Vec<OrderView>, ApiError> {
    let mut q = format!(
        "/desk/orders?offset={}&q={}",
        page.offset,
        enc(&page.search)
    );
    if let Some(s) = page.status {
        q.push_str("&status=");
        q.push_str(s.code());
    }
    if let Some(n) = page.limit {
        q.push_str(&format!("&limit={n}"));
    }
    get(&q).await
}

/// (Staff) moves an order on, or cancels it with a reason.
///
/// # Errors
/// [`ApiError`]: 409 not allowed from its status, 422 no reason.
pub async fn change_order_status(
    reference: &str,
    req: &ChangeOrderStatus,
) -> Result<OrderView, ApiError> {
    send_json(
        Request::post(&format!("{BASE}/desk/orders/{}/status", enc(reference))),
        req,
    )
    .await
}

/// (Admins) the audit log, newest first; `before` is the last id of the previous page.
///
/// # Errors
/// [`ApiError`]: 403 for everyone but admins.
pub async fn audit_log(before: Option<i64>, action: &str) -> Result<Vec<AuditEntry>, ApiError> {
    let mut q = format!("/desk/audit?limit=50&action={}", enc(action));
    if let Some(b) = before {
        q.push_str(&format!("&before={b}"));
    }
    get(&q).await
}
