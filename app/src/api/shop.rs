//! The customer's side: catalog, renewals and coverage, cart and saved carts, checkout and orders,
//! quote requests.

use super::*;

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

/// The address of one of an order's PDFs (`receipt`, `invoice`, `entitlement`), in the app's language
/// (a link carries no `Accept-Language` of the app's choosing: the browser sends its own).
#[must_use]
pub fn document_url(reference: &str, document: &str, l: entitle_core::locale::Locale) -> String {
    format!(
        "{BASE}/orders/{}/{document}.pdf?lang={}",
        enc(reference),
        l.tag()
    )
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

/// Turns auto-renew on or off for a renewal quote.
///
/// # Errors
/// [`ApiError`]: 422 where the country does not allow it.
pub async fn set_auto_renew(
    quote_number: &str,
    enabled: bool,
    accept_terms: bool,
    terms_version: &str,
) -> Result<RenewalQuoteDetail, ApiError> {
    send_json(
        Request::put(&format!("{BASE}/renewals/{}/auto-renew", enc(quote_number))),
        &SetAutoRenew {
            enabled,
            accept_terms: enabled && accept_terms,
            terms_version: if enabled {
                terms_version.to_owned()
            } else {
                String::new()
            },
        },
    )
    .await
}
