//! The customer's side: send the cart as a quote request, follow it, accept the quote into the cart or
//! decline it.

use super::*;

#[utoipa::path(get, path = "/api/v1/quote-requests", tag = "quotes", security(("session" = [])), responses((status = 200, body = Vec<QuoteRequestView>), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
pub(super) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<ApiJson<Vec<QuoteRequestView>>> {
    Ok(ApiJson(
        listed(&state, &user, "q.created_at DESC, q.id DESC").await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/quote-requests/{number}", tag = "quotes", security(("session" = [])), params(("number" = String, Path)), responses((status = 200, body = QuoteRequestView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
pub(super) async fn detail(
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
    crate::db::journal::queue_mail(&mut tx, now, "quote_request", rep, format!("Quote request {number} from {}", site.summary.organisation), format!(
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

#[utoipa::path(post, path = "/api/v1/quote-requests/{number}/accept", tag = "quotes", security(("session" = [], "csrf" = [])), params(("number" = String, Path)), responses((status = 200, description = "the site's cart with the quote's lines", body = CartView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "no buy privilege", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "not quoted, or expired", body = ErrorBody)))]
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
        now,
        Some(user.id),
        "quote_request.accept",
        &number,
        "into the cart",
    )
    .await?;
    notify_rep(
        &mut tx,
        now,
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
