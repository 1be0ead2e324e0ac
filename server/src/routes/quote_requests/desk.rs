//! The sales rep's side in the desk: the waiting requests, and sending the quote.

use super::*;
use entitle_core::validation::Explain as _;

#[utoipa::path(get, path = "/desk/quote-requests", tag = "desk", security(("session" = [])), responses((status = 200, description = "waiting requests first, then the rest, newest first", body = Vec<QuoteRequestView>), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not a sales rep or admin", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub(super) async fn desk_list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<ApiJson<Vec<QuoteRequestView>>> {
    sales_staff(&user)?;
    Ok(ApiJson(
        listed(&state, &user, quote_requests::ListOrder::WaitingFirst).await?,
    ))
}

#[utoipa::path(post, path = "/desk/quote-requests/{number}/quote", tag = "desk", security(("session" = [], "csrf" = [])), params(("number" = String, Path)), request_body = SendQuote, responses((status = 200, description = "the quote as the customer now sees it", body = QuoteRequestView), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not a sales rep or admin", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "accepted or declined already", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip(state, user, req))]
pub(super) async fn send_quote(
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
                        message: e.message(crate::locale::current()),
                    });
            }
        });
    if let Err(e) = TextField::RepNote.check(&req.note) {
        fields
            .entry("note".into())
            .or_default()
            .push(entitle_core::dto::FieldError {
                code: e.code().to_owned(),
                message: e.message(crate::locale::current()),
            });
    }
    let terms = match terms {
        Ok(t) if fields.is_empty() => t,
        _ => return Err(ApiError::Validation(fields)),
    };
    let mut tx = state.db.begin_write().await?;
    let r = load_for_update(&mut tx, &user, &number, Privilege::ViewQuotes).await?;
    let (id, number) = (r.id, r.number.clone());
    let next = step(&r, QuoteRequestEvent::SendQuote, state.clock.today())?;
    let note = req.note.trim();
    quote_requests::quote(
        &mut tx,
        id,
        &quote_requests::RepQuote {
            status: next,
            discount_bp: terms.basis_points(),
            valid_until: terms.valid_until(),
            note,
            by: user.id,
            at: state.clock.now_unix(),
        },
    )
    .await?;
    crate::db::journal::audit(
        &mut tx,
        state.clock.now_unix(),
        Some(user.id),
        entitle_core::audit::AuditAction::QuoteRequestQuoted,
        &number,
        format!(
            "{}% off, valid until {}",
            entitle_core::locale::Locale::En
                .percent(terms.discount_percent() / rust_decimal::Decimal::ONE_HUNDRED),
            entitle_core::locale::Locale::En.date(terms.valid_until())
        ),
    )
    .await?;
    let customer = r.requester;
    crate::db::journal::queue_mail(
        &mut tx,
        state.clock.now_unix(),
        customer,
        &crate::letters::QuoteSent {
            number: number.clone(),
            rep: user.name.clone(),
            discount_percent: terms.discount_percent(),
            valid_until: terms.valid_until(),
            note: note.to_owned(),
            link: format!("{}/quotes#{number}", state.public_url.trim_end_matches('/')),
        },
        entitle_core::locale::Locale::En,
    )
    .await?;
    crate::db::commit(tx).await?;
    Ok(ApiJson(reload(&state, id).await?))
}
