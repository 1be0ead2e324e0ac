//! Refusing a body by its announced size, before reading any of it.
//!
//! `DefaultBodyLimit` stops reading once a body passes the limit, but only after reading that much;
//! a client announcing 2 MiB then gets its connection closed while it is still sending, and often
//! sees a broken pipe instead of our 413. Answering from `Content-Length` alone is cheaper for the
//! server and gives every client the error shape. Bodies without a length (chunked) are still
//! capped by `DefaultBodyLimit`.

use axum::extract::{Request, State};
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Middleware for `axum::middleware::from_fn_with_state(max_bytes, refuse_announced_oversize)`.
pub async fn refuse_announced_oversize(
    State(max_bytes): State<usize>,
    req: Request,
    next: Next,
) -> Response {
    let announced = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match announced {
        Some(n) if n > max_bytes as u64 => ApiError::TooLarge { max_bytes }.into_response(),
        _ => next.run(req).await,
    }
}
