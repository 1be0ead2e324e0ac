//! The JSON shapes of the `/api/v1` HTTP API, shared by the browser client and the server so neither can
//! drift from the other. Query types also carry their own validation and query-string encoding.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::catalog::{Category, Metric, PartNumber, PartType, PriceLevel};
pub use crate::error_code::ErrorCode;
use crate::money::{Currency, Money};

mod cart;
mod catalog;
mod checkout;
mod desk;
mod orders;
mod quotes;
mod renewals;
mod session;

pub use cart::*;
pub use catalog::*;
pub use checkout::*;
pub use desk::*;
pub use orders::*;
pub use quotes::*;
pub use renewals::*;
pub use session::*;

/// The body of every API error: `{ "error": { "code", "message", "fields"? } }`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `validation`, `not_found`, `quote.expired`.
    pub code: ErrorCode,
    /// A sentence for people (English).
    pub message: String,
    /// Per-field problems, by field name, for validation errors.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub fields: Option<BTreeMap<String, Vec<FieldError>>>,
}

/// One problem with one field.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FieldError {
    /// Stable code the UI translates, e.g. `card.luhn`.
    pub code: String,
    /// English message.
    pub message: String,
}

impl ErrorBody {
    /// An error without field details.
    #[must_use]
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody {
            error: ErrorDetail {
                code,
                message: message.into(),
                fields: None,
            },
        }
    }
}

/// `GET /api/v1/health`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Health {
    /// `"ok"` when the database answers.
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// The server's version.
    pub version: String,
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn percent_encode_into(out: &mut String, value: &str) {
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}
