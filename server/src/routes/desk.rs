//! The rep desk's API (staff only): the queue of renewal quotes customers changed, and re-issuing a
//! new version of one — the customer's changes accepted or adjusted, history kept, the customer
//! notified with the deep link, the stale cart lines taken out so the new version is what gets ordered.

use std::collections::BTreeMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use axum::extract::State;
use entitle_core::dto::{AuditEntry, ChangeRequestView, ReissueQuote, RenewalQuoteDetail, Role};
use entitle_core::quote::QuoteEvent;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::db::renewals as q;
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::notices::{NoticeKind, queue_with_note};
use entitle_core::dto::ErrorBody;

/// The desk routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(change_requests))
        .routes(routes!(reissue))
        .routes(routes!(audit_log))
}

/// `?before=&limit=` of the audit log.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditPage {
    /// Entries older than this id (the last id of the previous page).
    pub before: Option<i64>,
    /// How many (1–200, default 50).
    pub limit: Option<u32>,
    /// Only actions starting with this, e.g. `quote.` or `privileges.`.
    pub action: Option<String>,
}

#[utoipa::path(get, path = "/desk/audit", tag = "desk", security(("session" = [])), params(AuditPage), responses((status = 200, description = "newest first", body = Vec<AuditEntry>), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not an admin", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn audit_log(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::error::ApiQuery(page): crate::error::ApiQuery<AuditPage>,
) -> ApiResult<ApiJson<Vec<AuditEntry>>> {
    if user.role != Role::Admin {
        return Err(ApiError::Forbidden);
    }
    let limit = entitle_core::dto::audit_limits::page_size(page.limit);
    let mut conn = state.db.acquire().await?;
    let entries = crate::db::journal::audit_page(
        &mut conn,
        page.before,
        page.action.as_deref().unwrap_or_default(),
        limit,
    )
    .await?;
    Ok(ApiJson(entries))
}

/// Renewal reps and admins work renewal quotes; everyone else is refused.
fn renewal_staff(user: &CurrentUser) -> ApiResult<()> {
    match user.role {
        Role::RenewalRep | Role::Admin => Ok(()),
        Role::Customer | Role::SalesRep => Err(ApiError::Forbidden),
    }
}

#[utoipa::path(get, path = "/desk/change-requests", tag = "desk", security(("session" = [])), responses((status = 200, body = Vec<ChangeRequestView>), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not a renewal rep or admin", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn change_requests(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<ApiJson<Vec<ChangeRequestView>>> {
    renewal_staff(&user)?;
    Ok(ApiJson(
        q::change_requests(&state.db.pool, user.id, user.role).await?,
    ))
}

#[utoipa::path(post, path = "/desk/renewals/{quote_number}/reissue", tag = "desk", security(("session" = [], "csrf" = [])), params(("quote_number" = String, Path)), request_body = ReissueQuote, responses((status = 200, description = "the new version", body = RenewalQuoteDetail), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not a renewal rep or admin", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "the quote is not waiting for a re-issue", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip(state, user, req))]
async fn reissue(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(quote_number): ApiPath<String>,
    ApiJson(req): ApiJson<ReissueQuote>,
) -> ApiResult<ApiJson<RenewalQuoteDetail>> {
    renewal_staff(&user)?;
    crate::error::checked_text(
        "note",
        entitle_core::validation::TextField::RepNote,
        &req.note,
    )?;
    let quote_number = quote_number.trim().to_owned();
    let mut tx = state.db.begin_write().await?;
    let quote = crate::db::quotes::for_staff(&mut tx, user.id, user.role, &quote_number)
        .await?
        .ok_or(ApiError::NotFound("renewal quote"))?;
    let (quote_id, version) = (quote.id, quote.version);
    crate::db::quotes::transition(
        &mut tx,
        quote_id,
        quote.status,
        QuoteEvent::Reissue,
        version > 1,
    )
    .await?;
    let lines = crate::db::quotes::version_lines(&mut tx, quote_id, version).await?;
    let mut wanted = crate::db::quotes::requested_quantities(&mut tx, quote_id, version).await?;
    let mut fields: BTreeMap<String, Vec<entitle_core::dto::FieldError>> = BTreeMap::new();
    for (i, l) in req.lines.iter().enumerate() {
        if !lines.iter().any(|r| r.id == l.line_id) {
            fields
                .entry(format!("lines.{i}.line_id"))
                .or_default()
                .push(entitle_core::dto::FieldError {
                    code: "reissue.unknown_line".into(),
                    message: crate::locale::tx(
                        "Not a line of this quote's current version",
                        "Bukan baris versi penawaran ini yang berlaku",
                        "Keine Position der aktuellen Fassung dieses Angebots",
                    )
                    .into(),
                });
        } else if l.quantity > 1_000_000 {
            fields
                .entry(format!("lines.{i}.quantity"))
                .or_default()
                .push(entitle_core::dto::FieldError {
                    code: "quantity.too_large".into(),
                    message: crate::locale::tx(
                        "Enter at most 1,000,000",
                        "Masukkan paling banyak 1.000.000",
                        "Geben Sie höchstens 1.000.000 ein",
                    )
                    .into(),
                });
        } else {
            wanted.insert(l.line_id, l.quantity);
        }
    }
    if !fields.is_empty() {
        return Err(ApiError::Validation(fields));
    }

    let next = version + 1;
    let mut kept = 0usize;
    let mut changes = Vec::new();
    for l in &lines {
        let issued = u32::try_from(l.quantity).unwrap_or(0);
        let quantity = wanted.get(&l.id).copied().unwrap_or(issued);
        if quantity != issued {
            changes.push(format!("{} {issued}→{quantity}", l.part_number));
        }
        if quantity == 0 {
            continue;
        }
        crate::db::quotes::insert_version_line(&mut tx, quote_id, next, l, quantity).await?;
        kept += 1;
    }
    if kept == 0 {
        return Err(ApiError::Unprocessable {
            code: entitle_core::dto::ErrorCode::ReissueEmpty,
            message: "a re-issued quote needs at least one line; cancel the quote instead".into(),
        });
    }
    crate::db::quotes::publish_version(&mut tx, quote_id, next, state.clock.now_unix()).await?;
    queue_with_note(
        &mut tx,
        state.clock.now_unix(),
        quote_id,
        NoticeKind::Reissued,
        &state.public_url,
        &req.note,
    )
    .await?;
    crate::db::journal::audit(
        &mut tx,
        state.clock.now_unix(),
        Some(user.id),
        entitle_core::audit::AuditAction::QuoteReissued,
        &quote_number,
        format!(
            "version {version} → {next}; {}",
            if changes.is_empty() {
                "no quantity changed".to_owned()
            } else {
                changes.join(", ")
            }
        ),
    )
    .await?;
    crate::db::commit(tx).await?;
    q::detail(
        &state.db.pool,
        user.id,
        user.role,
        &quote_number,
        state.clock.today(),
    )
    .await?
    .map(ApiJson)
    .ok_or(ApiError::NotFound("renewal quote"))
}
