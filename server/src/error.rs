//! The server's one error type. Every failure of an API request becomes `{ "error": { "code", "message",
//! "fields"? } }` with a fitting status; details of internal errors are logged, never sent.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::FromRequestParts;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use entitle_core::dto::{ErrorBody, ErrorCode, ErrorDetail, FieldError};
use entitle_core::validation::Explain as _;
use serde::de::DeserializeOwned;

/// Everything an API handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed (bad JSON, bad query string, bad path).
    #[error("{0}")]
    BadRequest(String),
    /// The body is larger than the endpoint accepts.
    #[error("the request body is too large (at most {max_bytes} bytes)")]
    TooLarge {
        /// The limit.
        max_bytes: usize,
    },
    /// The URL is longer than the server reads.
    #[error("the URL is too long (at most {max_bytes} bytes of path and query)")]
    UriTooLong {
        /// The limit.
        max_bytes: usize,
    },
    /// The body's media type is not accepted.
    #[error("{message}")]
    UnsupportedMedia {
        /// What to send instead.
        message: String,
    },
    /// Field values are invalid.
    #[error("some fields are invalid")]
    Validation(BTreeMap<String, Vec<FieldError>>),
    /// No such thing (or not visible to this user).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The route does not take this method.
    #[error("this endpoint does not take that HTTP method")]
    MethodNotAllowed,
    /// No valid session.
    #[error("sign in first")]
    Unauthorized,
    /// Signed in but not allowed.
    #[error("you may not do this")]
    Forbidden,
    /// A change without the session's CSRF token.
    #[error("the request is missing its X-CSRF-Token; reload the page and try again")]
    CsrfFailed,
    /// Wrong e-mail or password.
    #[error("the e-mail address or password is not right")]
    InvalidCredentials,
    /// The second step of a sign-in failed: a wrong code (`mfa.invalid_code`) or a challenge that is
    /// over (`mfa.challenge_expired`). 401: no session comes of it.
    #[error("{}", .0.message(entitle_core::locale::Locale::En))]
    SecondFactor(ErrorCode),
    /// Too many attempts (sign-ins, reset requests) for an e-mail address or from one client.
    #[error("too many attempts; try again in {}", wait_text(*retry_after))]
    TooManyAttempts {
        /// Seconds until the next attempt is taken (sent as `Retry-After`).
        retry_after: i64,
    },
    /// The state of the thing forbids the change.
    #[error("{message}")]
    Conflict {
        /// Machine code, e.g. `quote.change_requested`.
        code: ErrorCode,
        /// What to tell people.
        message: String,
    },
    /// A rule of `entitle-core` refused the request.
    #[error("{message}")]
    Unprocessable {
        /// Machine code from core.
        code: ErrorCode,
        /// What to tell people.
        message: String,
    },
    /// The payment processor refused or failed the charge.
    #[error("{message}")]
    PaymentFailed {
        /// Machine code, e.g. `payment.declined`.
        code: ErrorCode,
        /// What to tell people.
        message: String,
    },
    /// A database failure (logged; the client sees a generic message).
    #[error("database error")]
    Database(#[from] crate::db::DbError),
    /// Anything else unexpected (logged; the client sees a generic message).
    #[error("internal error: {0}")]
    Internal(String),
}

/// Checks free text against core's limits for `kind`; a problem is a 422 on `field`. Returns the text
/// trimmed.
///
/// # Errors
/// [`ApiError::Validation`] on `field`.
pub fn checked_text(
    field: &str,
    kind: entitle_core::validation::TextField,
    input: &str,
) -> Result<String, ApiError> {
    kind.check(input)
        .map_err(|e| ApiError::field(field, e.code(), e.message(crate::locale::current())))
}

impl ApiError {
    /// A validation error on one field.
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        let mut fields = BTreeMap::new();
        fields.insert(
            field.to_owned(),
            vec![FieldError {
                code: code.to_owned(),
                message: message.into(),
            }],
        );
        ApiError::Validation(fields)
    }

    fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            ApiError::TooLarge { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge)
            }
            ApiError::UriTooLong { .. } => (StatusCode::URI_TOO_LONG, ErrorCode::UriTooLong),
            ApiError::UnsupportedMedia { .. } => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
            ),
            ApiError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            ApiError::MethodNotAllowed => {
                (StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed)
            }
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            ApiError::CsrfFailed => (StatusCode::FORBIDDEN, ErrorCode::Csrf),
            ApiError::InvalidCredentials => {
                (StatusCode::UNAUTHORIZED, ErrorCode::InvalidCredentials)
            }
            ApiError::TooManyAttempts { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyAttempts)
            }
            ApiError::SecondFactor(code) => (StatusCode::UNAUTHORIZED, *code),
            ApiError::Conflict { code, .. } => (StatusCode::CONFLICT, *code),
            ApiError::Unprocessable { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, *code),
            ApiError::PaymentFailed { code, .. } => (StatusCode::PAYMENT_REQUIRED, *code),
            ApiError::Database(_) | ApiError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = match &self {
            ApiError::Database(e) => {
                tracing::error!(error = %e, "database error");
                "something went wrong on our side; please try again".to_owned()
            }
            ApiError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                "something went wrong on our side; please try again".to_owned()
            }
            other => other.to_string(),
        };
        let retry_after = match &self {
            ApiError::TooManyAttempts { retry_after } => Some(*retry_after),
            _ => None,
        };
        let fields = match self {
            ApiError::Validation(fields) => Some(fields),
            _ => None,
        };
        let mut response = (
            status,
            Json(ErrorBody {
                error: ErrorDetail {
                    code,
                    message,
                    fields,
                },
            }),
        )
            .into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.max(1).into());
        }
        response
    }
}

/// "30 seconds", "2 minutes": how long to wait, rounded up to whole minutes past a minute.
fn wait_text(secs: i64) -> String {
    if secs <= 60 {
        format!("{} seconds", secs.max(1))
    } else {
        format!("{} minutes", (secs + 59) / 60)
    }
}

impl From<crate::throttle::Throttled> for ApiError {
    fn from(t: crate::throttle::Throttled) -> Self {
        ApiError::TooManyAttempts {
            retry_after: t.retry_after,
        }
    }
}

impl From<crate::db::quotes::StepError> for ApiError {
    fn from(e: crate::db::quotes::StepError) -> Self {
        use crate::db::quotes::StepError;
        match e {
            StepError::Illegal(e) => ApiError::Conflict {
                code: e.code(),
                message: e.to_string(),
            },
            StepError::Changed => ApiError::Conflict {
                code: ErrorCode::QuoteChanged,
                message: e.to_string(),
            },
            StepError::Db(e) => ApiError::Database(e),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::JsonDataError(e) => {
                ApiError::BadRequest(format!("invalid JSON body: {}", e.body_text()))
            }
            JsonRejection::JsonSyntaxError(_) => {
                ApiError::BadRequest("the body is not valid JSON".to_owned())
            }
            JsonRejection::MissingJsonContentType(_) => {
                ApiError::BadRequest("send the body as application/json".to_owned())
            }
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge {
                max_bytes: crate::MAX_BODY_BYTES,
            },
            other => ApiError::BadRequest(other.body_text()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::BadRequest(format!("invalid query parameters: {}", r.body_text()))
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::BadRequest(format!("invalid path: {}", r.body_text()))
    }
}

/// `axum::Json` whose rejection is an [`ApiError`], so bad JSON gets the one error shape. Text holding
/// the NUL character (U+0000) is refused here, for every body: PostgreSQL cannot store it, and no person
/// types it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

/// Whether `content_type` is JSON (`application/json`, or `application/…+json`), as `axum::Json` asks.
fn is_json(content_type: Option<&axum::http::HeaderValue>) -> bool {
    let Some(essence) = content_type
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
    else {
        return false;
    };
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Whether a JSON text holds the escape `\u0000` (a NUL in a string; JSON cannot hold a raw one). A
/// backslash typed by a person is itself escaped (`\\u0000`), so only an odd run of backslashes counts.
#[must_use]
pub fn json_has_nul(body: &[u8]) -> bool {
    let mut backslashes = 0usize;
    for (i, b) in body.iter().enumerate() {
        if *b == b'\\' {
            backslashes += 1;
            continue;
        }
        if backslashes % 2 == 1 && *b == b'u' && body.get(i + 1..i + 5) == Some(b"0000") {
            return true;
        }
        backslashes = 0;
    }
    false
}

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(req.headers().get(axum::http::header::CONTENT_TYPE)) {
            return Err(ApiError::BadRequest(
                "send the body as application/json".to_owned(),
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|r| {
                if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::TooLarge {
                        max_bytes: crate::MAX_BODY_BYTES,
                    }
                } else {
                    ApiError::BadRequest(r.body_text())
                }
            })?;
        if json_has_nul(&bytes) {
            return Err(nul_refused());
        }
        let Json(value) = Json::<T>::from_bytes(&bytes)?;
        Ok(ApiJson(value))
    }
}

/// The answer to text holding the NUL character, in the body, the path or the query.
#[must_use]
pub fn nul_refused() -> ApiError {
    ApiError::BadRequest("text may not contain the NUL character (U+0000)".to_owned())
}

/// The longest path and query the server reads: as much as common proxies pass (8 KiB); no route needs
/// more. hyper itself refuses a URL over 64 KiB before any of this runs (see `crate::listener`).
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Refuses a request whose URL is longer than [`MAX_URI_BYTES`], or whose path or query holds an
/// encoded NUL (`%00`), before any handler or database sees it.
pub async fn refuse_bad_uri(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let uri = req.uri();
    let length = uri.path_and_query().map_or(0, |pq| pq.as_str().len());
    if length > MAX_URI_BYTES {
        return ApiError::UriTooLong {
            max_bytes: MAX_URI_BYTES,
        }
        .into_response();
    }
    let has_nul = |s: &str| {
        s.as_bytes()
            .windows(3)
            .any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0')
    };
    if has_nul(uri.path()) || uri.query().is_some_and(has_nul) {
        return nul_refused().into_response();
    }
    next.run(req).await
}

impl<T: serde::Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

/// `axum::extract::Query` whose rejection is an [`ApiError`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(v) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(ApiQuery(v))
    }
}

/// `axum::extract::Path` whose rejection is an [`ApiError`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(v) =
            axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(ApiPath(v))
    }
}

/// The result type of handlers.
pub type ApiResult<T> = Result<T, ApiError>;
