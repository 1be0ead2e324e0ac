//! The rep desk's API (staff only): the queue of renewal quotes customers changed, and re-issuing a
//! new version of one — the customer's changes accepted or adjusted, history kept, the customer
//! notified with the deep link, the stale cart lines taken out so the new version is what gets ordered.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use entitle_core::dto::{AuditEntry, ChangeRequestView, ReissueQuote, RenewalQuoteDetail, Role};
use entitle_core::quote::{QuoteEvent, QuoteStatus};
use sqlx::Row;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::db::renewals as q;
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::notices::{NoticeKind, queue_with_note};
use entitle_core::dto::ErrorBody;

/// The desk routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/desk/change-requests", get(change_requests))
        .route("/desk/renewals/{quote_number}/reissue", post(reissue))
        .route("/desk/audit", get(audit_log))
}

/// `?before=&limit=` of the audit log.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditPage {
    /// Entries older than this id (the last id of the previous page).
    pub before: Option<i64>,
    /// How many (1–200, default 50).
    pub limit: Option<u32>,
    /// Only actions starting with this, e.g. `quote.` or `privileges.`.
    pub action: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/desk/audit", tag = "desk", security(("session" = [])), params(AuditPage), responses((status = 200, description = "newest first", body = Vec<AuditEntry>), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not an admin", body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn audit_log(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::error::ApiQuery(page): crate::error::ApiQuery<AuditPage>,
) -> ApiResult<ApiJson<Vec<AuditEntry>>> {
    if user.role != Role::Admin {
        return Err(ApiError::Forbidden);
    }
    let limit = i64::from(entitle_core::dto::audit_limits::page_size(page.limit));
    let rows = sqlx::query(
        "SELECT l.id, l.at, l.action, l.subject, l.detail, u.email FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id \
         WHERE ($1 = 0 OR l.id < $1) AND l.action LIKE $2 ORDER BY l.id DESC LIMIT $3",
    )
    .bind(page.before.unwrap_or(0))
    .bind(format!(
        "{}%",
        page.action.unwrap_or_default().replace(['%', '_'], "")
    ))
    .bind(limit)
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AuditEntry {
                id: r.try_get("id")?,
                at: r.try_get("at")?,
                actor: r.try_get("email")?,
                action: r.try_get("action")?,
                subject: r.try_get("subject")?,
                detail: r.try_get("detail")?,
            })
        })
        .collect::<ApiResult<Vec<_>>>()
        .map(ApiJson)
}

/// Renewal reps and admins work renewal quotes; everyone else is refused.
fn renewal_staff(user: &CurrentUser) -> ApiResult<()> {
    match user.role {
        Role::RenewalRep | Role::Admin => Ok(()),
        Role::Customer | Role::SalesRep => Err(ApiError::Forbidden),
    }
}

#[utoipa::path(get, path = "/api/v1/desk/change-requests", tag = "desk", security(("session" = [])), responses((status = 200, body = Vec<ChangeRequestView>), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not a renewal rep or admin", body = ErrorBody)))]
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

#[utoipa::path(post, path = "/api/v1/desk/renewals/{quote_number}/reissue", tag = "desk", security(("session" = [], "csrf" = [])), params(("quote_number" = String, Path)), request_body = ReissueQuote, responses((status = 200, description = "the new version", body = RenewalQuoteDetail), (status = 400, description = "malformed request", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody), (status = 403, description = "not a renewal rep or admin", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "the quote is not waiting for a re-issue", body = ErrorBody), (status = 422, body = ErrorBody)))]
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
    let scope = crate::db::access::site_scope(user.role, crate::db::access::Privilege::ViewQuotes);
    let row = sqlx::query(&format!(
        "SELECT q.id, q.status, q.version FROM renewal_quotes q JOIN sites s ON s.id = q.site_id \
         WHERE q.quote_number = $2 AND {scope}"
    ))
    .bind(user.id)
    .bind(&quote_number)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound("renewal quote"))?;
    let quote_id: i64 = row.try_get("id")?;
    let version: i64 = row.try_get("version")?;
    let status = QuoteStatus::from_code(&row.try_get::<String, _>("status")?)
        .ok_or_else(|| ApiError::Internal("bad quote status".into()))?;
    crate::db::quotes::transition(&mut tx, quote_id, status, QuoteEvent::Reissue, version > 1)
        .await?;

    let lines = sqlx::query(
        "SELECT id, entitlement_id, part_number, quantity, coverage_start, coverage_end, unit_minor \
         FROM renewal_quote_lines WHERE quote_id = $1 AND version = $2 ORDER BY id",
    )
    .bind(quote_id)
    .bind(version)
    .fetch_all(&mut *tx)
    .await?;
    // The customer's requests, oldest first: the latest per line wins.
    let mut wanted: BTreeMap<i64, u32> = BTreeMap::new();
    for c in sqlx::query(
        "SELECT renewal_line_id, action, quantity FROM quote_change_requests \
         WHERE quote_id = $1 AND version = $2 ORDER BY requested_at, id",
    )
    .bind(quote_id)
    .bind(version)
    .fetch_all(&mut *tx)
    .await?
    {
        let qty = if c.try_get::<String, _>("action")? == "delete" {
            0
        } else {
            c.try_get::<Option<i64>, _>("quantity")?
                .and_then(|q| u32::try_from(q).ok())
                .unwrap_or(0)
        };
        wanted.insert(c.try_get("renewal_line_id")?, qty);
    }
    let mut fields: BTreeMap<String, Vec<entitle_core::dto::FieldError>> = BTreeMap::new();
    for (i, l) in req.lines.iter().enumerate() {
        if !lines
            .iter()
            .any(|r| r.try_get::<i64, _>("id").is_ok_and(|id| id == l.line_id))
        {
            fields
                .entry(format!("lines.{i}.line_id"))
                .or_default()
                .push(entitle_core::dto::FieldError {
                    code: "reissue.unknown_line".into(),
                    message: "not a line of this quote's current version".into(),
                });
        } else if l.quantity > 1_000_000 {
            fields
                .entry(format!("lines.{i}.quantity"))
                .or_default()
                .push(entitle_core::dto::FieldError {
                    code: "quantity.too_large".into(),
                    message: "at most 1,000,000".into(),
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
        let id: i64 = l.try_get("id")?;
        let issued = u32::try_from(l.try_get::<i64, _>("quantity")?).unwrap_or(0);
        let quantity = wanted.get(&id).copied().unwrap_or(issued);
        if quantity != issued {
            changes.push(format!(
                "{} {issued}→{quantity}",
                l.try_get::<String, _>("part_number")?
            ));
        }
        if quantity == 0 {
            continue;
        }
        let unit: i64 = l.try_get("unit_minor")?;
        sqlx::query(
            "INSERT INTO renewal_quote_lines (quote_id, version, entitlement_id, part_number, quantity, coverage_start, coverage_end, unit_minor, extended_minor) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(quote_id)
        .bind(next)
        .bind(l.try_get::<i64, _>("entitlement_id")?)
        .bind(l.try_get::<String, _>("part_number")?)
        .bind(i64::from(quantity))
        .bind(l.try_get::<String, _>("coverage_start")?)
        .bind(l.try_get::<String, _>("coverage_end")?)
        .bind(unit)
        .bind(unit.saturating_mul(i64::from(quantity)))
        .execute(&mut *tx)
        .await?;
        kept += 1;
    }
    if kept == 0 {
        return Err(ApiError::Unprocessable {
            code: entitle_core::dto::ErrorCode::ReissueEmpty,
            message: "a re-issued quote needs at least one line; cancel the quote instead".into(),
        });
    }
    sqlx::query("UPDATE renewal_quotes SET version = $1, issued_at = $2 WHERE id = $3")
        .bind(next)
        .bind(state.clock.now_unix())
        .bind(quote_id)
        .execute(&mut *tx)
        .await?;
    // The customer's cart still holds the old version's lines: take them out; the notice brings the
    // customer back to the new version.
    sqlx::query(
        "DELETE FROM cart_lines WHERE renewal_line_id IN \
         (SELECT id FROM renewal_quote_lines WHERE quote_id = $1 AND version = $2)",
    )
    .bind(quote_id)
    .bind(version)
    .execute(&mut *tx)
    .await?;
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
        "quote.reissue",
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
    tx.commit().await?;
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
