//! The customer's side: send the cart as a quote request, follow it, accept the quote into the cart or
//! decline it.

use super::*;

#[utoipa::path(get, path = "/quote-requests", tag = "quotes", security(("session" = [])), responses((status = 200, body = Vec<QuoteRequestView>), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
pub(super) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<ApiJson<Vec<QuoteRequestView>>> {
    Ok(ApiJson(
        listed(&state, &user, quote_requests::ListOrder::Newest).await?,
    ))
}

#[utoipa::path(get, path = "/quote-requests/{number}", tag = "quotes", security(("session" = [])), params(("number" = String, Path)), responses((status = 200, body = QuoteRequestView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
pub(super) async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(number): ApiPath<String>,
) -> ApiResult<ApiJson<QuoteRequestView>> {
    let r = quote_requests::find(
        &mut *state.db.acquire().await?,
        user.id,
        user.role,
        Privilege::ViewQuotes,
        number.trim(),
    )
    .await?
    .ok_or(ApiError::NotFound("quote request"))?;
    let mut views = views(&state, vec![r]).await?;
    Ok(ApiJson(
        views.pop().ok_or_else(|| internal("quote request"))?,
    ))
}

#[utoipa::path(post, path = "/quote-requests", tag = "quotes", security(("session" = [], "csrf" = [])), request_body = CreateQuoteRequest, responses((status = 201, body = QuoteRequestView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
pub(super) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<CreateQuoteRequest>,
) -> ApiResult<(StatusCode, ApiJson<QuoteRequestView>)> {
    let site = buyer_site(&state, &user, &req.site).await?;
    let note = checked_text("note", TextField::QuoteRequestNote, &req.note)?;
    let note = note.as_str();
    let now = state.clock.now_unix();
    let mut tx = state.db.begin_write().await?;
    let cart_id = cart::active_cart(&mut tx, now, user.id, site.site_id).await?;
    let placeholder = format!("tmp-{}", crate::auth::new_token());
    let Some((id, number, line_count)) = quote_requests::create_from_cart(
        &mut tx,
        cart_id,
        site.site_id,
        user.id,
        note,
        now,
        &placeholder,
    )
    .await?
    else {
        return Err(ApiError::Unprocessable {
            code: entitle_core::dto::ErrorCode::CartEmpty,
            message: "add the parts you want quoted to the cart first".into(),
        });
    };
    let rep = quote_requests::sales_rep_email(&mut tx, site.site_id).await?;
    crate::db::journal::queue_mail(
        &mut tx,
        now,
        rep,
        &crate::letters::QuoteRequested {
            number: number.clone(),
            requester: user.name.clone(),
            requester_email: user.email.clone(),
            organisation: site.summary.organisation.clone(),
            site: site.summary.name.clone(),
            customer_number: site.summary.customer_number.clone(),
            lines: line_count,
            note: note.to_owned(),
            link: format!(
                "{}/desk/quote-requests",
                state.public_url.trim_end_matches('/')
            ),
        },
        entitle_core::locale::Locale::En,
    )
    .await?;
    crate::db::commit(tx).await?;
    Ok((StatusCode::CREATED, ApiJson(reload(&state, id).await?)))
}

#[utoipa::path(post, path = "/quote-requests/{number}/accept", tag = "quotes", security(("session" = [], "csrf" = [])), params(("number" = String, Path)), responses((status = 200, description = "the site's cart with the quote's lines", body = CartView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "no buy privilege", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "not quoted, or expired", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
pub(super) async fn accept(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(number): ApiPath<String>,
) -> ApiResult<ApiJson<CartView>> {
    if user.role != Role::Customer {
        return Err(ApiError::Forbidden);
    }
    let mut tx = state.db.begin_write().await?;
    let r = load_for_update(&mut tx, &user, &number, Privilege::ViewQuotes).await?;
    let (id, number) = (r.id, r.number.clone());
    let site = buyer_site(&state, &user, &r.customer_number).await?;
    let next = match step(&r, QuoteRequestEvent::Accept, state.clock.today()) {
        Ok(next) => next,
        Err(e) => {
            // Seen expired: record it, so the desk and reports see what the customer saw.
            if r.status == QuoteRequestStatus::Quoted {
                crate::db::quote_requests::expire_if_quoted(&mut tx, id, state.clock.today())
                    .await?;
                crate::db::commit(tx).await?;
            }
            return Err(e);
        }
    };
    let cart_id = cart::active_cart(&mut tx, state.clock.now_unix(), user.id, site.site_id).await?;
    let now = state.clock.now_unix();
    quote_requests::add_to_cart(&mut tx, id, cart_id, now).await?;
    quote_requests::decide(&mut tx, id, next, now).await?;
    crate::db::journal::audit(
        &mut tx,
        now,
        Some(user.id),
        entitle_core::audit::AuditAction::QuoteRequestAccepted,
        &number,
        "into the cart",
    )
    .await?;
    notify_rep(
        &mut tx,
        now,
        r.site_id,
        &number,
        &user,
        crate::letters::QuoteDecision::Accepted,
    )
    .await?;
    crate::db::commit(tx).await?;
    Ok(ApiJson(
        crate::routes::cart::cart_view(&state, &user, &site).await?,
    ))
}

#[utoipa::path(post, path = "/quote-requests/{number}/decline", tag = "quotes", security(("session" = [], "csrf" = [])), params(("number" = String, Path)), responses((status = 200, body = QuoteRequestView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "no buy privilege", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "already decided", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
pub(super) async fn decline(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(number): ApiPath<String>,
) -> ApiResult<ApiJson<QuoteRequestView>> {
    if user.role != Role::Customer {
        return Err(ApiError::Forbidden);
    }
    let mut tx = state.db.begin_write().await?;
    let r = load_for_update(&mut tx, &user, &number, Privilege::Buy).await?;
    let (id, number) = (r.id, r.number.clone());
    let next = step(&r, QuoteRequestEvent::Decline, state.clock.today())?;
    quote_requests::decide(&mut tx, id, next, state.clock.now_unix()).await?;
    crate::db::journal::audit(
        &mut tx,
        state.clock.now_unix(),
        Some(user.id),
        entitle_core::audit::AuditAction::QuoteRequestDeclined,
        &number,
        "",
    )
    .await?;
    notify_rep(
        &mut tx,
        state.clock.now_unix(),
        r.site_id,
        &number,
        &user,
        crate::letters::QuoteDecision::Declined,
    )
    .await?;
    crate::db::commit(tx).await?;
    Ok(ApiJson(reload(&state, id).await?))
}
