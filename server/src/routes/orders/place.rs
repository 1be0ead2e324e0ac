//! Placing an order: validate everything (per field) and price the cart with `entitle-core` (client
//! prices are never read), reading only → take the idempotency key and record the card charge as
//! pending, in one commit (a key taken before is answered instead) → charge the card through the
//! processor → write the order, lines, payment (token, brand, last four, expiry only), terms acceptance,
//! quote status and the confirmation mail, and complete the key, in one transaction.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use entitle_core::checkout::{ValidOrder, ValidPayment, check_order};
use entitle_core::dto::{
    BillingDetails, FieldError as FieldMessage, OrderView, PaymentInput, PlaceOrder,
    ShippingDetails, TermsView,
};
use entitle_core::order::{OrderReference, PaymentMethod};
use entitle_core::quote::QuoteEvent;
use entitle_core::validation::{CardNumber, Expiry, Explain, MaskedCard};
use sha2::{Digest, Sha256};

use super::current_terms;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::db::{cart, idempotency, payments};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::payments::ChargeRequest;
use crate::routes::cart::buyer_site;
use entitle_core::dto::ErrorBody;

type Fields = BTreeMap<String, Vec<FieldMessage>>;

/// Checks every field with `entitle-core` (the same rules the browser runs), each problem against its
/// field, messages in the request's language.
fn validate(
    req: &PlaceOrder,
    country: entitle_core::country::CountryCode,
    terms_version: &str,
    today: time::Date,
) -> Result<ValidOrder, Fields> {
    check_order(req, country, terms_version, today).map_err(|problems| {
        let mut fields = Fields::new();
        for (field, p) in problems {
            fields.entry(field).or_default().push(FieldMessage {
                code: p.code().to_owned(),
                message: p.message(crate::locale::current()),
            });
        }
        fields
    })
}

/// A fingerprint of the request for the idempotency check, without the card number or security code
/// (brand and last four stand in for the card, so a different card is a different request).
fn request_hash(req: &PlaceOrder) -> String {
    let mut redacted = req.clone();
    if let PaymentInput::Card {
        number,
        security_code,
        ..
    } = &mut redacted.payment
    {
        *number = CardNumber::parse(number)
            .map(|c| c.masked().to_string())
            .unwrap_or_default();
        security_code.clear();
    }
    let json = serde_json::to_vec(&redacted).unwrap_or_default();
    crate::auth::token_hash(&String::from_utf8_lossy(&Sha256::digest(&json)))
}

/// The outcome of taking an idempotency key.
enum Key {
    /// Ours: go ahead.
    Fresh,
    /// Already answered: replay.
    Done(u16, String),
    /// Already placed this order: answer it.
    Placed(String),
}

/// What a request with fingerprint `hash` does with its key, as taking it found it.
fn key_state(taken: idempotency::Taken, hash: &str) -> ApiResult<Key> {
    match taken {
        idempotency::Taken::Fresh => Ok(Key::Fresh),
        idempotency::Taken::Before { request_hash, .. } if request_hash != hash => {
            Err(ApiError::Unprocessable {
                code: entitle_core::dto::ErrorCode::IdempotencyMismatch,
                message: "this Idempotency-Key was used for a different order".into(),
            })
        }
        idempotency::Taken::Before { answer: None, .. } => Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::IdempotencyInProgress,
            message: "this order is still being placed".into(),
        }),
        idempotency::Taken::Before {
            answer: Some(idempotency::Answer::Stored(status, body)),
            ..
        } => Ok(Key::Done(status, body)),
        idempotency::Taken::Before {
            answer: Some(idempotency::Answer::Order(reference)),
            ..
        } => Ok(Key::Placed(reference)),
    }
}

async fn release_key(state: &AppState, user_id: i64, key: &str) {
    // A request that failed before changing anything frees its key, so the customer can correct it and retry.
    let released = match state.db.acquire().await {
        Ok(mut conn) => idempotency::release(&mut conn, user_id, key).await,
        Err(e) => Err(e),
    };
    if let Err(e) = released {
        tracing::error!(error = %e, "could not release an idempotency key");
    }
}

fn json_response(status: u16, body: String) -> Response {
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

#[utoipa::path(post, path = "/orders", tag = "orders", security(("session" = [], "csrf" = [])), params(("Idempotency-Key" = String, Header, description = "unique per order; the same key and body return the same order")), request_body = PlaceOrder, responses((status = 201, body = OrderView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 402, description = "the card was declined, or the payment failed (nothing stays charged)", body = ErrorBody), (status = 409, description = "a quote waits for a rep, the cart changed since it was reviewed (`cart_revision`), or the same key is still in progress", body = ErrorBody), (status = 422, description = "invalid fields, or the key was used for another body", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user = user.id))]
pub(super) async fn place(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<PlaceOrder>,
) -> ApiResult<Response> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 100)
        .ok_or_else(|| {
            ApiError::BadRequest(
                "send a unique Idempotency-Key header (1–100 characters) with each order".into(),
            )
        })?
        .to_owned();
    let hash = request_hash(&req);
    let order = match prepare(&state, &user, &req).await {
        Ok(order) => order,
        // A retry of a placed order finds its cart emptied: a key taken before answers first.
        Err(e) => {
            return match key_answer(&state, &user, &key, &hash).await? {
                Some(answer) => Ok(answer),
                None => Err(e),
            };
        }
    };
    // The key is taken only now, in the commit that records the card charge as pending: one durable
    // write fewer per order, and a refused order never holds its key. A key taken meanwhile (a retry,
    // or the order placed before) is answered here, with nothing written.
    let taken = claim(&state, &user, &key, &hash, &order).await?;
    if let Some(replayed) = answer_for(&state, &user, taken).await? {
        return Ok(replayed);
    }
    match place_order(&state, &user, &req, &key, order).await {
        Ok(reference) => placed(&state, &user, &reference).await,
        Err(e) => {
            release_key(&state, user.id, &key).await;
            Err(e)
        }
    }
}

/// The answer owed to a request whose `key` was taken before (a read: nothing is taken): `None` when
/// the key is free.
async fn key_answer(
    state: &AppState,
    user: &CurrentUser,
    key: &str,
    hash: &str,
) -> ApiResult<Option<Response>> {
    let found = idempotency::find(
        &mut *state.db.acquire().await?,
        user.id,
        key,
        state.clock.now_unix(),
    )
    .await?;
    match found {
        None => Ok(None),
        Some(taken) => answer_for(state, user, key_state(taken, hash)?).await,
    }
}

/// The answer to a request whose key was taken before (`None`: the key is ours now).
async fn answer_for(state: &AppState, user: &CurrentUser, key: Key) -> ApiResult<Option<Response>> {
    match key {
        Key::Fresh => Ok(None),
        Key::Done(status, body) => Ok(Some(json_response(status, body))),
        Key::Placed(reference) => {
            let reference = reference
                .parse::<OrderReference>()
                .map_err(|e| ApiError::Internal(format!("stored order reference: {e}")))?;
            placed(state, user, &reference).await.map(Some)
        }
    }
}

/// The 201 answer for a placed order: the order as it is now, seen by its buyer (who may lack the
/// privilege to view orders in general).
async fn placed(
    state: &AppState,
    user: &CurrentUser,
    reference: &OrderReference,
) -> ApiResult<Response> {
    let view = crate::db::orders::list_on(
        &mut *state.db.acquire().await?,
        user.id,
        user.role,
        crate::db::access::Privilege::Buy,
        &crate::db::orders::OrderQuery::one(reference),
    )
    .await?
    .into_iter()
    .next()
    .ok_or(ApiError::NotFound("order"))?;
    let body = serde_json::to_string(&view).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(json_response(201, body))
}

/// An order checked and priced, not yet written: nothing about it is stored.
struct Prepared {
    site: crate::db::access::SiteAccess,
    terms: TermsView,
    valid: ValidOrder,
    cart_id: i64,
    priced: cart::PricedCart,
    reference: OrderReference,
}

/// Checks every field, prices the cart with `entitle-core` and draws the order's reference; reads only.
async fn prepare(state: &AppState, user: &CurrentUser, req: &PlaceOrder) -> ApiResult<Prepared> {
    let site = buyer_site(state, user, &req.site).await?;
    let terms = current_terms(state).await?;
    let valid = validate(
        req,
        site.summary.country,
        &terms.version,
        state.clock.today(),
    )
    .map_err(ApiError::Validation)?;
    let cart_id = cart::active_cart(
        &mut *state.db.acquire().await?,
        state.clock.now_unix(),
        user.id,
        site.site_id,
    )
    .await?;
    let rows = cart::lines(&state.db.pool, cart_id).await?;
    let priced = cart::price_cart(&state.db.pool, &site, rows, state.clock.today())
        .await?
        .map_err(|e| ApiError::Unprocessable {
            code: e.code(),
            message: e.to_string(),
        })?;
    if priced.lines.is_empty() {
        return Err(ApiError::Unprocessable {
            code: entitle_core::dto::ErrorCode::CartEmpty,
            message: "the cart is empty".into(),
        });
    }
    if let Some(q) = priced.view.change_requested.first() {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::QuoteChangeRequested,
            message: format!(
                "renewal quote {q} waits for your renewal rep to review your change; it can be checked out once re-issued"
            ),
        });
    }
    if let Some(q) = priced.view.quote_requests_changed.first() {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::QuoteRequestChanged,
            message: format!(
                "quote {q} was changed after it was accepted; it can be checked out once your sales rep quotes it again and you accept the new quote"
            ),
        });
    }
    if let Some(q) = priced.view.expired_quotes.first() {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::QuoteExpired,
            message: format!(
                "quote {q} is past its validity date; remove its lines or ask for a new quote"
            ),
        });
    }
    if let Some(reviewed) = &req.cart_revision
        && *reviewed != priced.view.revision
    {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::CartChanged,
            message: "the cart changed since it was reviewed; review it again and place the order"
                .into(),
        });
    }
    let reference = new_reference(state).await?;
    Ok(Prepared {
        site,
        terms,
        valid,
        cart_id,
        priced,
        reference,
    })
}

/// Takes the new `key` and, for a card, records the pending charge — one commit, before the processor
/// is asked, so whatever happens next the charge can be found. Answers how the key was found when
/// another request took it meanwhile (then nothing is written).
async fn claim(
    state: &AppState,
    user: &CurrentUser,
    key: &str,
    hash: &str,
    order: &Prepared,
) -> ApiResult<Key> {
    let (user_id, key, hash, now) = (
        user.id,
        key.to_owned(),
        hash.to_owned(),
        state.clock.now_unix(),
    );
    let charge = matches!(order.valid.payment, ValidPayment::Card { .. })
        .then(|| (order.reference.to_string(), order.priced.view.total));
    state
        .db
        .write(crate::db::job(move |tx| {
            Box::pin(async move {
                let taken = key_state(
                    idempotency::take(tx, user_id, &key, &hash, now).await?,
                    &hash,
                )?;
                // A key taken meanwhile: nothing was written, and nothing more is.
                if let (Key::Fresh, Some((reference, amount))) = (&taken, &charge) {
                    payments::record_pending(
                        tx,
                        &payments::NewCharge {
                            reference,
                            user_id,
                            idem_key: &key,
                            amount: *amount,
                        },
                        now,
                    )
                    .await?;
                }
                Ok(taken)
            })
        }))
        .await
}

/// Charges the card (its pending record is already stored) and writes the order, completing the
/// idempotency `key` with its reference in the same transaction (a crash leaves both or neither).
async fn place_order(
    state: &AppState,
    user: &CurrentUser,
    req: &PlaceOrder,
    key: &str,
    order: Prepared,
) -> ApiResult<OrderReference> {
    let Prepared {
        site,
        terms,
        valid:
            ValidOrder {
                billing,
                shipping,
                payment,
            },
        cart_id,
        priced,
        reference,
    } = order;
    let total = priced.view.total;
    let mut card_facts: Option<(MaskedCard, Expiry, String)> = None;
    if let ValidPayment::Card {
        number,
        expiry,
        code,
        name,
    } = &payment
    {
        let charged = state
            .payments
            .charge(ChargeRequest {
                card: number,
                expiry: *expiry,
                security_code: code,
                name,
                amount: total,
                reference: reference.to_string(),
            })
            .await;
        match charged {
            Ok(token) => card_facts = Some((number.masked(), *expiry, token)),
            Err(e) => {
                let settled = if e.is_refusal() {
                    payments::Settled::Declined
                } else {
                    payments::Settled::Voided
                };
                settle_unwritten(state, &reference, settled).await;
                return Err(ApiError::PaymentFailed {
                    code: e.code(),
                    message: e.to_string(),
                });
            }
        }
    }
    let (method, po) = match &payment {
        ValidPayment::Card { .. } => (PaymentMethod::Card, None),
        ValidPayment::PurchaseOrder(po) => {
            (PaymentMethod::PurchaseOrder, Some(po.as_str().to_owned()))
        }
        ValidPayment::BankTransfer => (PaymentMethod::BankTransfer, None),
    };
    // Card data stops here: from now on only the masked card, the expiry and the token exist.
    drop(payment);
    // What is stored is the parsed details (trimmed, normalised), not the request as typed.
    let billing = serde_json::to_string(&BillingDetails::from(&billing))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let shipping = shipping
        .as_ref()
        .map(|s| serde_json::to_string(&ShippingDetails::from(s)))
        .transpose()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let token = card_facts.as_ref().map(|c| c.2.clone());
    let written = write_order(
        state,
        Written {
            user_id: user.id,
            key: key.to_owned(),
            email: req.billing.email.clone(),
            site,
            terms_version: terms.version,
            cart_id,
            priced,
            reference,
            billing,
            shipping,
            payment: crate::db::orders::NewPayment {
                method,
                token: token.clone(),
                card: card_facts.map(|(card, expiry, _)| (card, expiry)),
                po_number: po,
            },
        },
    )
    .await;
    if let Err(e) = written {
        if token.is_some() {
            // The order is not written, so nothing may stay charged for it.
            settle_unwritten(state, &reference, payments::Settled::Voided).await;
        }
        return Err(e);
    }
    tracing::info!(%reference, "order placed");
    Ok(reference)
}

/// Settles the charge of an order that was not written: declined (nothing to undo), or voided at the
/// processor. A void that fails leaves the charge pending for the reconciliation pass.
async fn settle_unwritten(state: &AppState, reference: &OrderReference, how: payments::Settled) {
    let reference = reference.to_string();
    if how == payments::Settled::Voided
        && let Err(e) = state.payments.void(&reference).await
    {
        tracing::error!(%reference, error = %e, "could not void the charge of an order that was not written; reconciliation will retry");
        return;
    }
    let settled = match state.db.acquire_write().await {
        Ok(mut conn) => payments::settle(&mut conn, &reference, how, state.clock.now_unix()).await,
        Err(e) => Err(e),
    };
    if let Err(e) = settled {
        // The processor's side is settled; the record stays pending and the pass settles it again.
        tracing::error!(%reference, error = %e, "could not record a settled charge");
    }
}

/// What the order's transaction writes (owned: it runs on the write thread, see [`crate::db::Db::write`]).
struct Written {
    user_id: i64,
    key: String,
    email: String,
    site: crate::db::access::SiteAccess,
    terms_version: String,
    cart_id: i64,
    priced: cart::PricedCart,
    reference: OrderReference,
    billing: String,
    shipping: Option<String>,
    payment: crate::db::orders::NewPayment,
}

/// Writes the order, its lines and payment (capturing the card charge), the terms acceptance, the quotes'
/// new status, the confirmation mail and the audit entry, and completes the idempotency key — one
/// transaction, so a crash leaves all or nothing.
async fn write_order(state: &AppState, w: Written) -> ApiResult<()> {
    let now = state.clock.now_unix();
    // Read here: the write may run on another task, outside the request's language.
    let mail = MailContext {
        locale: crate::locale::current(),
        public_url: state.public_url.clone(),
    };
    state
        .db
        .write(crate::db::job(move |tx| {
            Box::pin(async move { write_order_in(tx, w, now, mail).await })
        }))
        .await
}

/// What the confirmation mail needs from the request: its language (for a billing contact who has no
/// account) and the portal's address.
struct MailContext {
    locale: entitle_core::locale::Locale,
    public_url: String,
}

async fn write_order_in(
    tx: &mut crate::db::Tx,
    w: Written,
    now: i64,
    mail: MailContext,
) -> ApiResult<()> {
    let Written {
        user_id,
        key,
        email,
        site,
        terms_version,
        cart_id,
        priced,
        reference,
        billing,
        shipping,
        payment,
    } = w;
    let total = priced.view.total;
    let token = payment.token.clone();
    let order = crate::db::orders::NewOrder {
        reference,
        site_id: site.site_id,
        user_id,
        renewal_quote_id: priced.quotes.first().map(|q| q.0),
        currency: priced.view.currency,
        level: priced.view.level,
        totals: priced.totals,
        tax_rule: priced.tax_rule.as_ref(),
        billing_json: &billing,
        shipping_json: shipping.as_deref(),
        terms_version: &terms_version,
        auto_renewed: false,
        at: now,
        lines: priced
            .lines
            .iter()
            .map(|(row, l)| crate::db::orders::NewOrderLine {
                priced: l,
                description: &row.description,
                renewal_line_id: row.renewal_line_id,
                quote_request_id: row.quote_request.as_ref().map(|q| q.id),
            })
            .collect(),
        payment,
    };
    let order_id = crate::db::orders::insert(tx, &order).await?;
    if let Some(token) = &token {
        payments::capture(tx, &reference.to_string(), order_id, token, now).await?;
    }
    crate::db::terms::record_acceptance(tx, user_id, &terms_version, order_id, now).await?;
    for (quote_id, _, status) in &priced.quotes {
        crate::db::quotes::transition(tx, *quote_id, *status, QuoteEvent::Order, false).await?;
    }
    cart::clear(tx, cart_id).await?;
    crate::db::journal::queue_mail(
        tx,
        now,
        email.trim(),
        &crate::letters::OrderConfirmation {
            reference: reference.to_string(),
            site: site.summary.name.clone(),
            customer_number: site.summary.customer_number.clone(),
            total,
            link: crate::notices::order_link(&mail.public_url, &reference.to_string()),
        },
        mail.locale,
    )
    .await?;
    crate::db::journal::audit(
        tx,
        now,
        Some(user_id),
        entitle_core::audit::AuditAction::OrderPlaced,
        reference.to_string(),
        format!(
            "Site {}, total {}",
            site.summary.customer_number,
            entitle_core::locale::Locale::En.money(&total)
        ),
    )
    .await?;
    idempotency::complete_with_order(tx, user_id, &key, &reference.to_string()).await?;
    Ok(())
}

async fn new_reference(state: &AppState) -> ApiResult<OrderReference> {
    for _ in 0..10 {
        let r =
            OrderReference::from_payload(rand::random::<u64>() % (OrderReference::MAX_PAYLOAD + 1));
        if !crate::db::orders::reference_taken(&mut *state.db.acquire().await?, &r).await? {
            return Ok(r);
        }
    }
    Err(ApiError::Internal(
        "could not draw a free order reference".into(),
    ))
}
