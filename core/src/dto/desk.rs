//! The desk and site administration: site users and access decisions, access requests, the audit log,
//! change requests and re-issues.

use super::*;

/// Page sizes of the audit log (`GET /api/v1/desk/audit?limit=`).
pub mod audit_limits {
    /// Entries per page when none is asked for.
    pub const DEFAULT_LIMIT: u32 = 50;
    /// Most entries per page.
    pub const MAX_LIMIT: u32 = 200;

    /// The page size to use for `asked`: the default when absent, else within 1 and [`MAX_LIMIT`].
    #[must_use]
    pub fn page_size(asked: Option<u32>) -> u32 {
        asked.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
    }
}

/// A user of a site as its primary contact manages them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SiteUserView {
    /// User id.
    pub user_id: i64,
    /// E-mail.
    pub email: String,
    /// Name.
    pub name: String,
    /// Whether they are the site's primary contact.
    pub primary: bool,
    /// What they may do.
    pub privileges: Privileges,
}

/// `POST /api/v1/access-requests/{id}/decision`: the primary contact approves (with privileges) or
/// rejects a request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct DecideAccessRequest {
    /// Approve (true) or reject (false).
    pub approve: bool,
    /// The privileges granted when approving.
    #[cfg_attr(feature = "serde", serde(default))]
    pub privileges: Privileges,
}

/// One entry of the audit log.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AuditEntry {
    /// Id (newest first; pass the last id as `before` for the next page).
    pub id: i64,
    /// When (unix seconds).
    pub at: i64,
    /// Who (e-mail), or `None` for the system (renewal engine).
    pub actor: Option<String>,
    /// What, e.g. `quote.reissue`.
    pub action: String,
    /// On what, e.g. a quote number.
    pub subject: String,
    /// Details.
    pub detail: String,
}

/// `POST /api/v1/access-requests`: ask a site's primary contact for access.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct CreateAccessRequest {
    /// The site's customer number.
    pub customer_number: String,
    /// Why (up to 1,000 characters).
    #[cfg_attr(feature = "serde", serde(default))]
    pub message: String,
}

/// An access request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AccessRequestView {
    /// Id.
    pub id: i64,
    /// Customer number asked for.
    pub customer_number: String,
    /// Site name: for the requester only once approved (a request tells nobody what a number they have
    /// no access to is called, or whether it exists).
    #[cfg_attr(feature = "serde", serde(default))]
    pub site_name: Option<String>,
    /// Who asks.
    pub requester_email: String,
    /// Their message.
    pub message: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// When (unix seconds).
    pub created_at: i64,
}

/// One change a customer asked for on a renewal line, against the issued version.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RequestedChange {
    /// The renewal line (of the version the customer saw).
    pub line_id: i64,
    /// Its part.
    pub part_number: PartNumber,
    /// Part description.
    pub description: String,
    /// Quantity as issued.
    pub issued_quantity: u32,
    /// Quantity asked for; `None` when the customer deleted the line.
    pub requested_quantity: Option<u32>,
    /// When (Unix seconds).
    pub requested_at: i64,
}

/// `GET /api/v1/desk/change-requests`: a renewal quote the customer changed, waiting for the rep.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ChangeRequestView {
    /// The quote as issued.
    pub quote: RenewalQuoteSummary,
    /// Who asked (e-mail addresses).
    pub requested_by: Vec<String>,
    /// The changes, latest per line.
    pub changes: Vec<RequestedChange>,
}

/// One line of a re-issue: the quantity the rep settles on (0 drops the line).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ReissueLine {
    /// The line of the current version.
    pub line_id: i64,
    /// New quantity; 0 removes the line.
    pub quantity: u32,
}

/// `POST /api/v1/desk/renewals/{quote_number}/reissue`: issue a new version of a changed quote. Without
/// `lines` the customer's changes are accepted as asked; listed lines take the rep's quantities.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ReissueQuote {
    /// The rep's quantities, overriding the customer's request per line.
    #[cfg_attr(feature = "serde", serde(default))]
    pub lines: Vec<ReissueLine>,
    /// A note for the customer, added to the notice (up to 2,000 characters).
    #[cfg_attr(feature = "serde", serde(default))]
    pub note: String,
}
