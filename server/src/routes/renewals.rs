//! Renewals: quotes awaiting action (all, by month, by agreement), one quote with its account
//! information and sales representative, coverage coming due, and a CSV export.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use entitle_core::dto::{
    CoverageItem, OfflineChannel, RenewalChannelRequest, RenewalGroup, RenewalQuoteDetail,
    SetAutoRenew,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::db::renewals as q;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use entitle_core::dto::ErrorBody;

/// The renewal routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(export_csv))
        .routes(routes!(detail))
        .routes(routes!(choose_channel))
        .routes(routes!(set_auto_renew))
        .routes(routes!(coverage))
}

#[utoipa::path(put, path = "/renewals/{quote_number}/auto-renew", tag = "renewals", security(("session" = [], "csrf" = [])), params(("quote_number" = String, Path)), request_body = SetAutoRenew, responses((status = 200, description = "the quote with the new setting", body = RenewalQuoteDetail), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "staff may not switch a customer's auto-renew", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "the quote is closed", body = ErrorBody), (status = 422, description = "the site's country does not allow auto-renew, or the terms were not accepted in their current version", body = ErrorBody)))]
/// Turns auto-renew on or off for a renewal quote, where the country allows it. It places a binding
/// order, so only a customer who may buy for the site switches it — never staff — and turning it on
/// takes their acceptance of the current terms of sale, recorded with it (who, when, which terms).
#[tracing::instrument(skip(state, user))]
async fn set_auto_renew(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(quote_number): ApiPath<String>,
    ApiJson(req): ApiJson<SetAutoRenew>,
) -> ApiResult<ApiJson<RenewalQuoteDetail>> {
    if user.role != entitle_core::dto::Role::Customer {
        return Err(ApiError::Forbidden);
    }
    let mut tx = state.db.begin_write().await?;
    let quote = q::for_buyer(&mut tx, user.id, user.role, quote_number.trim())
        .await?
        .ok_or(ApiError::NotFound("renewal quote"))?;
    if quote.status.is_final() {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::QuoteClosed,
            message: format!("this quote is {}", quote.status.code()),
        });
    }
    let country = &quote.country;
    if !country
        .parse()
        .is_ok_and(entitle_core::renewal::auto_renew_allowed)
    {
        return Err(ApiError::Unprocessable {
            code: entitle_core::dto::ErrorCode::AutoRenewNotAllowed,
            message: format!(
                "auto-renew is not offered in {country}; renew online before the due date"
            ),
        });
    }
    if quote.bp_email.is_some() {
        return Err(ApiError::Unprocessable {
            code: entitle_core::dto::ErrorCode::AutoRenewBusinessPartner,
            message: "your Business Partner handles this renewal; ask them to renew it".into(),
        });
    }
    let number = quote.quote_number;
    let now = state.clock.now_unix();
    let terms = crate::db::terms::current_version(&mut tx).await?;
    let consent = if req.enabled {
        check_consent(&req, &terms)?;
        Some(q::Consent {
            user_id: user.id,
            terms_version: &terms,
            at: now,
        })
    } else {
        None
    };
    q::set_auto_renew(&mut tx, quote.id, consent).await?;
    crate::db::journal::audit(
        &mut tx,
        now,
        Some(user.id),
        entitle_core::audit::AuditAction::QuoteAutoRenewSet,
        &number,
        if req.enabled {
            format!("on, terms {terms} accepted")
        } else {
            "off".to_owned()
        },
    )
    .await?;
    crate::db::commit(tx).await?;
    q::detail(
        &state.db.pool,
        user.id,
        user.role,
        &number,
        state.clock.today(),
    )
    .await?
    .map(ApiJson)
    .ok_or(ApiError::NotFound("renewal quote"))
}

/// Turning auto-renew on needs "I agree" to the terms shown, and those must be the current ones (the
/// same rule as an order's, from `entitle-core`).
fn check_consent(req: &SetAutoRenew, current: &str) -> ApiResult<()> {
    use entitle_core::validation::Explain;
    let problems =
        entitle_core::checkout::check_terms(req.accept_terms, &req.terms_version, current);
    if problems.is_empty() {
        return Ok(());
    }
    let mut fields = std::collections::BTreeMap::<String, Vec<_>>::new();
    for (field, p) in problems {
        fields
            .entry(field)
            .or_default()
            .push(entitle_core::dto::FieldError {
                code: p.code().to_owned(),
                message: p.message(crate::locale::current()),
            });
    }
    Err(ApiError::Validation(fields))
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ListParams {
    #[serde(default)]
    group: entitle_core::renewal::RenewalGrouping,
}

#[utoipa::path(get, path = "/renewals", tag = "renewals", security(("session" = [])), params(("group" = Option<entitle_core::renewal::RenewalGrouping>, Query, description = "awaiting (default), month or agreement")), responses((status = 200, body = Vec<RenewalGroup>), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<ApiJson<Vec<RenewalGroup>>> {
    let quotes = q::list(&state.db.pool, user.id, user.role, true).await?;
    Ok(ApiJson(params.group.group(quotes)))
}

#[utoipa::path(get, path = "/renewals/{quote_number}", tag = "renewals", security(("session" = [])), params(("quote_number" = String, Path)), responses((status = 200, body = RenewalQuoteDetail), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(quote_number): ApiPath<String>,
) -> ApiResult<ApiJson<RenewalQuoteDetail>> {
    q::detail(
        &state.db.pool,
        user.id,
        user.role,
        quote_number.trim(),
        state.clock.today(),
    )
    .await?
    .map(ApiJson)
    .ok_or(ApiError::NotFound("renewal quote"))
}

#[utoipa::path(post, path = "/renewals/{quote_number}/channel", tag = "renewals", security(("session" = [], "csrf" = [])), params(("quote_number" = String, Path)), request_body = RenewalChannelRequest, responses((status = 202, description = "request mailed"), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
/// Asks the Business Partner or the renewal rep to handle a renewal: the request goes out by mail.
#[tracing::instrument(skip(state, user))]
async fn choose_channel(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(quote_number): ApiPath<String>,
    ApiJson(req): ApiJson<RenewalChannelRequest>,
) -> ApiResult<axum::http::StatusCode> {
    crate::error::checked_text(
        "note",
        entitle_core::validation::TextField::ChannelNote,
        &req.note,
    )?;
    let mut conn = state.db.acquire().await?;
    let quote = q::for_buyer(&mut conn, user.id, user.role, quote_number.trim())
        .await?
        .ok_or(ApiError::NotFound("renewal quote"))?;
    drop(conn);
    if !quote.status.is_open_to_customer() {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::QuoteClosed,
            message: format!("this quote is {}", quote.status.code()),
        });
    }
    let recipient = match req.channel {
        OfflineChannel::RenewalRep => quote.rep_email.clone(),
        OfflineChannel::BusinessPartner => quote.bp_email.clone().ok_or_else(|| ApiError::Unprocessable {
            code: entitle_core::dto::ErrorCode::QuoteNoBusinessPartner,
            message: "no Business Partner handles this site's renewals; renew online or through your renewal rep".into(),
        })?,
    };
    let number = quote.quote_number.clone();
    let mut tx = state.db.begin_write().await?;
    crate::db::journal::queue_mail(
        &mut tx,
        state.clock.now_unix(),
        &recipient,
        &crate::letters::RenewalChannel {
            number: number.clone(),
            requester: user.name.clone(),
            requester_email: user.email.clone(),
            site: quote.site_name.clone(),
            customer_number: quote.customer_number.clone(),
            note: req.note.trim().to_owned(),
        },
        crate::locale::current(),
    )
    .await?;
    crate::db::journal::audit(
        &mut tx,
        state.clock.now_unix(),
        Some(user.id),
        entitle_core::audit::AuditAction::QuoteChannelChosen,
        &number,
        format!(
            "{} ({recipient})",
            match req.channel {
                entitle_core::dto::OfflineChannel::BusinessPartner =>
                    "Through the Business Partner",
                entitle_core::dto::OfflineChannel::RenewalRep =>
                    "Through the renewal representative",
            }
        ),
    )
    .await?;
    crate::db::commit(tx).await?;
    Ok(axum::http::StatusCode::ACCEPTED)
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CoverageParams {
    within_days: Option<u16>,
}

#[utoipa::path(get, path = "/coverage", tag = "renewals", security(("session" = [])), params(("within_days" = Option<u16>, Query)), responses((status = 200, body = Vec<CoverageItem>), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn coverage(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(params): ApiQuery<CoverageParams>,
) -> ApiResult<ApiJson<Vec<CoverageItem>>> {
    let within = i64::from(params.within_days.unwrap_or(365).min(3_650));
    Ok(ApiJson(
        q::coverage(
            &state.db.pool,
            user.id,
            user.role,
            state.clock.today(),
            within,
        )
        .await?,
    ))
}

/// Quotes a CSV field when it holds a separator, a quote or a line break; neutralises a leading
/// `= + - @` so a spreadsheet does not run it as a formula.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[utoipa::path(get, path = "/renewals.csv", tag = "renewals", security(("session" = [])), responses((status = 200, description = "CSV of every renewal quote the user may see", content_type = "text/csv"), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn export_csv(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<impl IntoResponse> {
    let quotes = q::list(&state.db.pool, user.id, user.role, false).await?;
    let mut out = String::from(
        "quote_number,status,version,customer_number,site,organisation,agreement,due_date,valid_until,lines,subtotal,currency,channel\r\n",
    );
    for r in &quotes {
        let fields = [
            csv_field(&r.quote_number),
            r.status.code().to_owned(),
            r.version.to_string(),
            csv_field(&r.customer_number),
            csv_field(&r.site_name),
            csv_field(&r.organisation),
            csv_field(&r.agreement_number),
            crate::db::format_date(r.due_date),
            crate::db::format_date(r.valid_until),
            r.lines.to_string(),
            q::csv_amount(&r.subtotal),
            r.subtotal.currency().code().to_owned(),
            match r.channel {
                entitle_core::dto::RenewalChannel::Online => "online".to_owned(),
                entitle_core::dto::RenewalChannel::BusinessPartner => "business_partner".to_owned(),
            },
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"renewals.csv\"",
            ),
        ],
        out,
    ))
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
    }
}
