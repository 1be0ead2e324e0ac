//! The purchase-order document of an order paid by purchase order: upload once (PDF, at most 5 MB),
//! download by anyone who may see the order.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use entitle_core::dto::ErrorBody;
use entitle_core::order::{OrderReference, PaymentMethod};
use entitle_core::validation::Explain as _;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::db::access::Privilege;
use crate::db::po_documents;
use crate::error::{ApiError, ApiPath, ApiResult};

/// Largest PO document.
pub const MAX_PO_BYTES: usize = 5 * 1024 * 1024;

/// The PO-document routes (with their own body limit).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload, download))
        // The envelope on top of the document: headers are not counted, a little slack is enough.
        .layer(DefaultBodyLimit::max(MAX_PO_BYTES + 1024))
        .layer(axum::middleware::from_fn_with_state(
            MAX_PO_BYTES + 1024,
            crate::body_limit::refuse_announced_oversize,
        ))
}

/// The order `reference` if the user may see it with `privilege`: (order id, payment method).
async fn order_of(
    state: &AppState,
    user: &CurrentUser,
    reference: &str,
    privilege: Privilege,
) -> ApiResult<(i64, PaymentMethod)> {
    let reference = OrderReference::parse(reference)
        .map_err(|e| ApiError::field("reference", e.code(), e.message(crate::locale::current())))?;
    let mut conn = state.db.acquire().await?;
    po_documents::order_for(
        &mut conn,
        user.id,
        user.role,
        privilege,
        &reference.to_string(),
    )
    .await?
    .ok_or(ApiError::NotFound("order"))
}

/// A file name safe to echo in a header and to save: the last path segment, printable ASCII, no
/// leading dot, at most 100 characters, and always ending in `.pdf` — what is stored is a PDF, so a
/// download never lands as `passwd` or `setup.exe` on someone's disk.
fn safe_filename(raw: &str) -> String {
    let name: String = raw
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .filter(|c| !matches!(c, '"' | ';'))
        .take(96)
        .collect();
    let name = name.trim().trim_start_matches('.').trim();
    if name.is_empty() {
        return "purchase-order.pdf".to_owned();
    }
    if name.to_ascii_lowercase().ends_with(".pdf") {
        name.to_owned()
    } else {
        format!("{name}.pdf")
    }
}

#[utoipa::path(put, path = "/orders/{reference}/po-document", tag = "orders", security(("session" = [], "csrf" = [])),
    params(("reference" = String, Path), ("X-Filename" = Option<String>, Header, description = "the document's file name")),
    request_body(content = Vec<u8>, content_type = "application/pdf", description = "the PDF, at most 5 MB"),
    responses((status = 201, description = "stored"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "already attached, or the order is not paid by purchase order", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, description = "not a PDF", body = ErrorBody)))]
#[tracing::instrument(skip(state, user, headers, body), fields(bytes = body.as_ref().map_or(0, Bytes::len)))]
async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(reference): ApiPath<String>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<StatusCode> {
    // A body over the limit without an announced length is cut off while it is read: the same answer,
    // in the API's error shape, as one whose Content-Length announced it.
    let body = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge {
                max_bytes: MAX_PO_BYTES,
            }
        } else {
            ApiError::BadRequest(r.body_text())
        }
    })?;
    let (order_id, method) = order_of(&state, &user, &reference, Privilege::Buy).await?;
    if method != PaymentMethod::PurchaseOrder {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::PoNotPurchaseOrder,
            message: "this order is not paid by purchase order".into(),
        });
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if body.len() > MAX_PO_BYTES {
        return Err(ApiError::TooLarge {
            max_bytes: MAX_PO_BYTES,
        });
    }
    // Both the declared type and the parsed content must say PDF: a renamed file is refused.
    if !content_type.starts_with("application/pdf") {
        return Err(ApiError::UnsupportedMedia {
            message: "attach the purchase order as a PDF file".into(),
        });
    }
    if let Err(why) = crate::pdf_check::check_off_thread(body.clone()).await {
        tracing::info!(%why, "purchase-order upload refused");
        return Err(ApiError::UnsupportedMedia {
            message: "attach the purchase order as a PDF file: this one cannot be read as a PDF"
                .into(),
        });
    }
    let filename = safe_filename(
        headers
            .get("x-filename")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    );
    let mut conn = state.db.acquire().await?;
    let attached = po_documents::attach(
        &mut conn,
        &po_documents::NewPoDocument {
            order_id,
            filename: &filename,
            content: &body,
            uploaded_by: user.id,
            at: state.clock.now_unix(),
        },
    )
    .await?;
    if !attached {
        return Err(ApiError::Conflict {
            code: entitle_core::dto::ErrorCode::PoAlreadyAttached,
            message: "a purchase-order document is already attached".into(),
        });
    }
    Ok(StatusCode::CREATED)
}

#[utoipa::path(get, path = "/orders/{reference}/po-document", tag = "orders", security(("session" = [])),
    params(("reference" = String, Path)),
    responses((status = 200, description = "the PDF", content_type = "application/pdf"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip(state, user))]
async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(reference): ApiPath<String>,
) -> ApiResult<impl IntoResponse> {
    let (order_id, _) = order_of(&state, &user, &reference, Privilege::ViewOrders).await?;
    let mut conn = state.db.acquire().await?;
    let (filename, content) = po_documents::get(&mut conn, order_id)
        .await?
        .ok_or(ApiError::NotFound("purchase-order document"))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", safe_filename(&filename)),
            ),
        ],
        content,
    ))
}

#[cfg(test)]
mod tests {
    use super::safe_filename;

    #[test]
    fn file_names_are_reduced_to_a_safe_last_segment() {
        assert_eq!(safe_filename("C:\\Users\\me\\PO 42.pdf"), "PO 42.pdf");
        assert_eq!(safe_filename("a\"b;c\r\n.pdf"), "abc.pdf");
        assert_eq!(safe_filename(""), "purchase-order.pdf");
        assert_eq!(safe_filename(".."), "purchase-order.pdf");
    }

    #[test]
    fn a_stored_name_always_ends_in_pdf() {
        assert_eq!(safe_filename("../../etc/passwd"), "passwd.pdf");
        assert_eq!(safe_filename("setup.exe"), "setup.exe.pdf");
        assert_eq!(safe_filename(".htaccess"), "htaccess.pdf");
        assert_eq!(safe_filename("PO-7.PDF"), "PO-7.PDF");
        assert!(safe_filename(&"x".repeat(300)).ends_with(".pdf"));
        assert!(safe_filename(&"x".repeat(300)).len() <= 100);
    }
}
