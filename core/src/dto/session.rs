//! Accounts and sessions: roles, sign-in, the user's sites and privileges, password reset.

use super::*;

/// Who a signed-in account is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A user of one or more customer sites.
    Customer,
    /// Vendor sales representative.
    SalesRep,
    /// Vendor renewal representative.
    RenewalRep,
    /// Vendor administrator.
    Admin,
}

impl Role {
    /// The stable code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::SalesRep => "sales_rep",
            Role::RenewalRep => "renewal_rep",
            Role::Admin => "admin",
        }
    }

    /// Parses a stable code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Role> {
        [
            Role::Customer,
            Role::SalesRep,
            Role::RenewalRep,
            Role::Admin,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }

    /// Vendor staff (sales rep, renewal rep, admin).
    #[must_use]
    pub const fn is_staff(self) -> bool {
        !matches!(self, Role::Customer)
    }
}

/// `POST /api/v1/session`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    /// E-mail address.
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S", max_length = 254))]
    pub email: String,
    /// Password.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1024))]
    pub password: String,
}

/// What a user may do at a site.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Privileges {
    /// Buy and renew.
    pub buy: bool,
    /// See quotes and renewals.
    pub view_quotes: bool,
    /// See orders and reports.
    pub view_orders: bool,
}

/// A site the signed-in user has access to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSummary {
    /// Customer number.
    pub customer_number: String,
    /// Site name.
    pub name: String,
    /// Organisation name.
    pub organisation: String,
    /// Country.
    pub country: crate::country::CountryCode,
    /// Currency.
    pub currency: Currency,
    /// The user is the site's primary contact.
    pub primary: bool,
    /// What the user may do there.
    pub privileges: Privileges,
    /// The site's sales representative, to contact when the catalog has no answer.
    pub sales_rep: Contact,
    /// The Business Partner that serves the site, if any (contact them first).
    pub business_partner: Option<Contact>,
}

/// The signed-in user: `GET`/`POST /api/v1/session`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// E-mail address.
    pub email: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Send this in the `X-CSRF-Token` header of every change.
    pub csrf_token: String,
    /// Sites the user may act for (customers only).
    pub sites: Vec<SiteSummary>,
    /// Today on the server's clock (UTC): the day the browser's own checks (card expiry, quote
    /// validity) use, so both sides agree whatever the visitor's calendar or time zone says.
    #[serde(with = "crate::dates::iso")]
    pub today: time::Date,
}

/// `POST /api/v1/password-reset`: mail a reset link.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    /// The account's e-mail address.
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S", max_length = 254))]
    pub email: String,
}

/// `POST /api/v1/password-reset/confirm`: set a new password with the mailed token.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirm {
    /// The token from the link.
    pub token: String,
    /// The new password: 8 to 128 characters, not one of the most common passwords.
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub password: String,
}

impl std::fmt::Debug for PasswordResetConfirm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordResetConfirm { •••• }")
    }
}
