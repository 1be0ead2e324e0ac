//! The one typed client of the `/api/v1` API. Every request the app makes goes through here, with the
//! request and response types of `entitle_core::dto`.

use std::cell::RefCell;

use entitle_core::dto::{
    AccessRequestView, AddCartLine, AddRenewalToCart, AuditEntry, CartView, CatalogPage,
    CatalogQuery, CategoryCount, ChangeOrderStatus, ChangeRequestView, CheckoutOptions,
    CoverageItem, CreateAccessRequest, CreateQuoteRequest, DecideAccessRequest, ErrorBody,
    ErrorCode, OrderView, PartSummary, PasswordResetConfirm, PasswordResetRequest, PlaceOrder,
    Privileges, QuoteRequestView, ReissueQuote, RenewalChannelRequest, RenewalGroup,
    RenewalQuoteDetail, SaveCart, SavedCartView, SendQuote, SessionInfo, SetAutoRenew,
    SignInRequest, SiteUserView, UpdateCartLine,
};
use entitle_core::order::OrderStatus;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

thread_local! {
    /// The session's CSRF token, sent with every change (the browser sends the session cookie itself).
    static CSRF: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Remembers (or forgets) the CSRF token of the current session.
pub fn set_csrf(token: Option<String>) {
    CSRF.with(|c| *c.borrow_mut() = token);
}

fn with_csrf(b: RequestBuilder) -> RequestBuilder {
    match CSRF.with(|c| c.borrow().clone()) {
        Some(t) => b.header("X-CSRF-Token", &t),
        None => b,
    }
}

/// The API's path prefix (same origin as the app).
pub const BASE: &str = "/api/v1";

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request did not reach the server (offline, DNS, connection refused …).
    Network(String),
    /// The server answered with an error in the API's error shape.
    Api {
        /// HTTP status.
        status: u16,
        /// The error body.
        body: ErrorBody,
    },
    /// The server answered something unreadable.
    Decode(String),
}

impl ApiError {
    /// The HTTP status, when the server answered.
    #[must_use]
    pub const fn status(&self) -> Option<u16> {
        match self {
            ApiError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The per-field problems of a validation error: (field, code, English message).
    #[must_use]
    pub fn fields(&self) -> Vec<(String, String, String)> {
        match self {
            ApiError::Api { body, .. } => body
                .error
                .fields
                .iter()
                .flat_map(|m| m.iter())
                .flat_map(|(f, errs)| {
                    errs.iter()
                        .map(move |e| (f.clone(), e.code.clone(), e.message.clone()))
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl ApiError {
    /// The API's error code (`None` when the server was not reached or its answer was unreadable).
    #[must_use]
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Network(_) | ApiError::Decode(_) => None,
            ApiError::Api { body, .. } => Some(body.error.code),
        }
    }
}

async fn read<T: DeserializeOwned>(res: Response) -> Result<T, ApiError> {
    if res.ok() {
        res.json::<T>()
            .await
            .map_err(|e| ApiError::Decode(e.to_string()))
    } else {
        let status = res.status();
        match res.json::<ErrorBody>().await {
            Ok(body) => Err(ApiError::Api { status, body }),
            Err(_) => Err(ApiError::Api {
                status,
                body: ErrorBody::new(ErrorCode::Unknown, format!("the server answered {status}")),
            }),
        }
    }
}

async fn get<T: DeserializeOwned>(path_and_query: &str) -> Result<T, ApiError> {
    let res = Request::get(&format!("{BASE}{path_and_query}"))
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read(res).await
}

fn enc(value: &str) -> String {
    let mut out = String::new();
    entitle_core::dto::percent_encode_into(&mut out, value);
    out
}

/// An answer without a body (204/202): success, or the error in the API's shape.
async fn no_content(res: Response) -> Result<(), ApiError> {
    if res.ok() {
        Ok(())
    } else {
        read::<serde_json::Value>(res).await.map(|_| ())
    }
}

/// A change without a request body (DELETE, or a POST that only names its target).
async fn send_empty<T: DeserializeOwned>(b: RequestBuilder) -> Result<T, ApiError> {
    let res = with_csrf(b.header("Accept", "application/json"))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read(res).await
}

async fn send_json<B: Serialize, T: DeserializeOwned>(
    b: RequestBuilder,
    body: &B,
) -> Result<T, ApiError> {
    let req = with_csrf(b.header("Accept", "application/json"))
        .json(body)
        .map_err(|e| ApiError::Decode(e.to_string()))?;
    let res = req
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read(res).await
}

/// Signs in; remembers the CSRF token.
///
/// # Errors
/// [`ApiError`]: 401 `invalid_credentials`, 423 `account_locked`, 422 per field.
pub async fn sign_in(email: &str, password: &str) -> Result<SessionInfo, ApiError> {
    let info: SessionInfo = send_json(
        Request::post(&format!("{BASE}/session")),
        &SignInRequest {
            email: email.to_owned(),
            password: password.to_owned(),
        },
    )
    .await?;
    set_csrf(Some(info.csrf_token.clone()));
    crate::clock::agree_with_server(info.today);
    Ok(info)
}

/// The current session, or `None` when signed out.
///
/// # Errors
/// [`ApiError`] other than 401.
pub async fn current_session() -> Result<Option<SessionInfo>, ApiError> {
    match get::<SessionInfo>("/session").await {
        Ok(info) => {
            set_csrf(Some(info.csrf_token.clone()));
            crate::clock::agree_with_server(info.today);
            Ok(Some(info))
        }
        Err(e) if e.status() == Some(401) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Signs out.
///
/// # Errors
/// [`ApiError`].
pub async fn sign_out() -> Result<(), ApiError> {
    let res = with_csrf(Request::delete(&format!("{BASE}/session")))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    set_csrf(None);
    no_content(res).await
}

/// Renewal quotes awaiting action, grouped `awaiting`, `month` or `agreement`.
///
/// # Errors
/// [`ApiError`].
pub async fn renewals(group: &str) -> Result<Vec<RenewalGroup>, ApiError> {
    get(&format!("/renewals?group={group}")).await
}

/// Searches the catalog.
///
/// # Errors
/// [`ApiError`].
pub async fn search_catalog(query: &CatalogQuery) -> Result<CatalogPage, ApiError> {
    get(&format!("/catalog/parts?{}", query.to_query_string())).await
}

/// One part, priced for `site` (or the visitor's default).
///
/// # Errors
/// [`ApiError`]: 404 unknown part.
pub async fn part(part_number: &str, site: Option<&str>) -> Result<PartSummary, ApiError> {
    let mut path = format!("/catalog/parts/{}", enc(part_number));
    if let Some(s) = site {
        path.push_str("?site=");
        path.push_str(&enc(s));
    }
    get(&path).await
}

/// Lists the catalog's categories.
///
/// # Errors
/// [`ApiError`].
pub async fn categories() -> Result<Vec<CategoryCount>, ApiError> {
    get("/catalog/categories").await
}

/// One renewal quote with its priced lines and contacts.
///
/// # Errors
/// [`ApiError`]: 404 when the quote does not exist or is not visible to this user.
pub async fn renewal(quote_number: &str) -> Result<RenewalQuoteDetail, ApiError> {
    get(&format!("/renewals/{}", enc(quote_number))).await
}

/// Asks for a renewal to go through the Business Partner or the renewal rep instead of online.
///
/// # Errors
/// [`ApiError`].
pub async fn choose_channel(
    quote_number: &str,
    req: &RenewalChannelRequest,
) -> Result<(), ApiError> {
    post_no_reply(&format!("/renewals/{}/channel", enc(quote_number)), req).await
}

/// Coverage coming due (and lapsed) on the user's sites.
///
/// # Errors
/// [`ApiError`].
pub async fn coverage() -> Result<Vec<CoverageItem>, ApiError> {
    get("/coverage").await
}

/// The cart of a site, priced by the server.
///
/// # Errors
/// [`ApiError`].
pub async fn cart(site: &str) -> Result<CartView, ApiError> {
    get(&format!("/cart?site={}", enc(site))).await
}

/// Adds a catalog part to the cart of a site.
///
/// # Errors
/// [`ApiError`]: 422 per field (quantity, months).
pub async fn add_cart_line(line: &AddCartLine) -> Result<CartView, ApiError> {
    send_json(Request::post(&format!("{BASE}/cart/lines")), line).await
}

/// Puts every line of a renewal quote in the cart of its site.
///
/// # Errors
/// [`ApiError`].
pub async fn add_renewal_to_cart(quote_number: &str) -> Result<CartView, ApiError> {
    send_json(
        Request::post(&format!("{BASE}/cart/renewal")),
        &AddRenewalToCart {
            quote_number: quote_number.to_owned(),
        },
    )
    .await
}

/// Changes the quantity of a cart line (a renewal line becomes a change request).
///
/// # Errors
/// [`ApiError`].
pub async fn update_cart_line(id: i64, quantity: u32) -> Result<CartView, ApiError> {
    send_json(
        Request::patch(&format!("{BASE}/cart/lines/{id}")),
        &UpdateCartLine { quantity },
    )
    .await
}

/// Deletes a cart line (a renewal line becomes a change request).
///
/// # Errors
/// [`ApiError`].
pub async fn delete_cart_line(id: i64) -> Result<CartView, ApiError> {
    send_empty(Request::delete(&format!("{BASE}/cart/lines/{id}"))).await
}

/// What checkout needs for a site: country, payment methods, current terms.
///
/// # Errors
/// [`ApiError`].
pub async fn checkout_options(site: &str) -> Result<CheckoutOptions, ApiError> {
    get(&format!("/checkout?site={}", enc(site))).await
}

/// Places the order. The same `idempotency_key` with the same body returns the same order, so a retry
/// after a lost connection never orders twice.
///
/// # Errors
/// [`ApiError`]: 422 per field, 402 declined, 409 renewal waiting for the rep or key in progress.
pub async fn place_order(order: &PlaceOrder, idempotency_key: &str) -> Result<OrderView, ApiError> {
    send_json(
        Request::post(&format!("{BASE}/orders")).header("Idempotency-Key", idempotency_key),
        order,
    )
    .await
}

/// The user's orders from the last 30 days, newest first.
///
/// # Errors
/// [`ApiError`].
pub async fn recent_orders() -> Result<Vec<OrderView>, ApiError> {
    get("/orders").await
}

/// One order by its reference number.
///
/// # Errors
/// [`ApiError`]: 404 unknown.
pub async fn order(reference: &str) -> Result<OrderView, ApiError> {
    get(&format!("/orders/{}", enc(reference))).await
}

/// The address of an order's PDF receipt.
#[must_use]
pub fn receipt_url(reference: &str) -> String {
    format!("{BASE}/orders/{}/receipt.pdf", enc(reference))
}

/// Sends the catalog lines of a site's cart to the sales rep as a quote request (they leave the cart).
///
/// # Errors
/// [`ApiError`]: 422 `cart.empty` or a note too long.
pub async fn request_quote(site: &str, note: &str) -> Result<QuoteRequestView, ApiError> {
    send_json(
        Request::post(&format!("{BASE}/quote-requests")),
        &CreateQuoteRequest {
            site: site.to_owned(),
            note: note.to_owned(),
        },
    )
    .await
}

/// The user's quote requests, newest first.
///
/// # Errors
/// [`ApiError`].
pub async fn quote_requests() -> Result<Vec<QuoteRequestView>, ApiError> {
    get("/quote-requests").await
}

/// The saved carts of a site.
///
/// # Errors
/// [`ApiError`].
pub async fn saved_carts(site: &str) -> Result<Vec<SavedCartView>, ApiError> {
    get(&format!("/carts?site={}", enc(site))).await
}

/// Saves the catalog lines of a site's cart under a name.
///
/// # Errors
/// [`ApiError`]: 422 per field (name).
pub async fn save_cart(site: &str, name: &str) -> Result<SavedCartView, ApiError> {
    send_json(
        Request::post(&format!("{BASE}/carts")),
        &SaveCart {
            site: site.to_owned(),
            name: name.to_owned(),
        },
    )
    .await
}

/// Puts a saved cart's lines back into the cart.
///
/// # Errors
/// [`ApiError`].
pub async fn open_saved_cart(id: i64) -> Result<CartView, ApiError> {
    send_empty(Request::post(&format!("{BASE}/carts/{id}/open"))).await
}

/// Deletes a saved cart.
///
/// # Errors
/// [`ApiError`].
pub async fn delete_saved_cart(id: i64) -> Result<(), ApiError> {
    let res = with_csrf(
        Request::delete(&format!("{BASE}/carts/{id}")).header("Accept", "application/json"),
    )
    .send()
    .await
    .map_err(|e| ApiError::Network(e.to_string()))?;
    no_content(res).await
}

async fn post_no_reply<B: Serialize>(path: &str, body: &B) -> Result<(), ApiError> {
    let res =
        with_csrf(Request::post(&format!("{BASE}{path}")).header("Accept", "application/json"))
            .json(body)
            .map_err(|e| ApiError::Decode(e.to_string()))?
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
    no_content(res).await
}

/// Asks for a password-reset link (the answer is the same whether or not the account exists).
///
/// # Errors
/// [`ApiError`].
pub async fn request_password_reset(email: &str) -> Result<(), ApiError> {
    post_no_reply(
        "/password-reset",
        &PasswordResetRequest {
            email: email.to_owned(),
        },
    )
    .await
}

/// Sets a new password with the token from the mailed link.
///
/// # Errors
/// [`ApiError`]: 422 for a weak password or a used/expired token.
pub async fn confirm_password_reset(token: &str, password: &str) -> Result<(), ApiError> {
    post_no_reply(
        "/password-reset/confirm",
        &PasswordResetConfirm {
            token: token.to_owned(),
            password: password.to_owned(),
        },
    )
    .await
}

/// The user's own access requests.
///
/// # Errors
/// [`ApiError`].
pub async fn access_requests() -> Result<Vec<AccessRequestView>, ApiError> {
    get("/access-requests").await
}

/// Asks a site's primary contact for access.
///
/// # Errors
/// [`ApiError`]: 404 unknown site, 409 already held or pending.
pub async fn request_access(customer_number: &str, message: &str) -> Result<(), ApiError> {
    post_no_reply(
        "/access-requests",
        &CreateAccessRequest {
            customer_number: customer_number.to_owned(),
            message: message.to_owned(),
        },
    )
    .await
}

/// Attaches the purchase-order document (a PDF) to an order paid by purchase order.
///
/// # Errors
/// [`ApiError`]: 409 already attached, 413 too large, 415/422 not a PDF.
pub async fn upload_po_document(reference: &str, file: &web_sys::File) -> Result<(), ApiError> {
    let res = with_csrf(
        Request::put(&format!("{BASE}/orders/{}/po-document", enc(reference)))
            .header("Accept", "application/json")
            .header("Content-Type", "application/pdf")
            .header("X-Filename", &file.name()),
    )
    .body(wasm_bindgen::JsValue::from(file.clone()))
    .map_err(|e| ApiError::Decode(e.to_string()))?
    .send()
    .await
    .map_err(|e| ApiError::Network(e.to_string()))?;
    no_content(res).await
}

/// The address of an order's purchase-order document.
#[must_use]
pub fn po_document_url(reference: &str) -> String {
    format!("{BASE}/orders/{}/po-document", enc(reference))
}

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

/// Accepts a sales rep's quote into the cart of its site (its discount applies while it is valid).
///
/// # Errors
/// [`ApiError`]: 409 `quote.expired` or not quoted, 403 without the buy privilege.
pub async fn accept_quote_request(number: &str) -> Result<CartView, ApiError> {
    send_empty(Request::post(&format!(
        "{BASE}/quote-requests/{}/accept",
        enc(number)
    )))
    .await
}

/// Declines a quote (or withdraws a request not yet quoted).
///
/// # Errors
/// [`ApiError`]: 409 already decided.
pub async fn decline_quote_request(number: &str) -> Result<QuoteRequestView, ApiError> {
    send_empty(Request::post(&format!(
        "{BASE}/quote-requests/{}/decline",
        enc(number)
    )))
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

/// (Staff) orders to fulfil: `None` lists received and processing ones.
///
/// # Errors
/// [`ApiError`]: 403 for customers.
pub async fn desk_orders(status: Option<OrderStatus>) -> Result<Vec<OrderView>, ApiError> {
    match status {
        Some(s) => get(&format!("/desk/orders?status={}", s.code())).await,
        None => get("/desk/orders").await,
    }
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

/// Turns auto-renew on or off for a renewal quote.
///
/// # Errors
/// [`ApiError`]: 422 where the country does not allow it.
pub async fn set_auto_renew(
    quote_number: &str,
    enabled: bool,
) -> Result<RenewalQuoteDetail, ApiError> {
    send_json(
        Request::put(&format!("{BASE}/renewals/{}/auto-renew", enc(quote_number))),
        &SetAutoRenew { enabled },
    )
    .await
}

/// (Primary contacts) the access requests of a site.
///
/// # Errors
/// [`ApiError`]: 403 when not its primary contact.
pub async fn site_access_requests(site: &str) -> Result<Vec<AccessRequestView>, ApiError> {
    get(&format!("/sites/{}/access-requests", enc(site))).await
}

/// (Primary contacts) approves with privileges, or rejects, an access request.
///
/// # Errors
/// [`ApiError`]: 409 decided already.
pub async fn decide_access_request(
    id: i64,
    req: &DecideAccessRequest,
) -> Result<AccessRequestView, ApiError> {
    send_json(
        Request::post(&format!("{BASE}/access-requests/{id}/decision")),
        req,
    )
    .await
}

/// (Primary contacts) the users of a site with their privileges.
///
/// # Errors
/// [`ApiError`]: 403 when not its primary contact.
pub async fn site_users(site: &str) -> Result<Vec<SiteUserView>, ApiError> {
    get(&format!("/sites/{}/users", enc(site))).await
}

/// (Primary contacts) sets a user's privileges on a site.
///
/// # Errors
/// [`ApiError`]: 409 for a primary contact.
pub async fn set_privileges(
    site: &str,
    user_id: i64,
    privileges: &Privileges,
) -> Result<SiteUserView, ApiError> {
    send_json(
        Request::put(&format!(
            "{BASE}/sites/{}/users/{user_id}/privileges",
            enc(site)
        )),
        privileges,
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
