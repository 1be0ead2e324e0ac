//! Accounts and sessions: roles, sign-in, the user's sites and privileges, password reset.

use super::*;

/// Who a signed-in account is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
    #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
    pub today: time::Date,
    /// The language the user chose (the header's switcher), if they ever chose one; mail and
    /// documents use it.
    #[cfg_attr(feature = "serde", serde(default))]
    pub locale: Option<crate::locale::Locale>,
}

/// `PUT /api/v1/account/language`: the signed-in user's language, for the screens, mail and documents.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct SetLanguage {
    /// `en`, `id` or `de`.
    pub locale: crate::locale::Locale,
}

/// `POST /api/v1/password-reset`: mail a reset link.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PasswordResetRequest {
    /// The account's e-mail address.
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S", max_length = 254))]
    pub email: String,
}

/// `POST /api/v1/password-reset/confirm`: set a new password with the mailed token.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
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

/// What the second step of a sign-in asks for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum SecondFactorStep {
    /// Enter the code from the authenticator app (or a recovery code).
    Verify,
    /// Set up an authenticator app first: administrators must have one.
    Enrol,
}

/// An authenticator app to set up: scan the QR code or type the key.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TotpEnrolment {
    /// The key (base32), for typing into the app.
    pub secret: String,
    /// The `otpauth://totp/…` URI the QR code holds.
    pub otpauth_uri: String,
    /// The QR code as an SVG image.
    pub qr_svg: String,
}

impl std::fmt::Debug for TotpEnrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpEnrolment { •••• }")
    }
}

/// `202` from `POST /api/v1/session`: the password was right and a second step is needed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SecondFactorChallenge {
    /// What to do.
    pub step: SecondFactorStep,
    /// Send this back with the code (valid for a few minutes, a few tries).
    pub challenge: String,
    /// For [`SecondFactorStep::Enrol`]: the authenticator to set up.
    pub enrolment: Option<TotpEnrolment>,
}

/// `POST /api/v1/session/second-factor`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct SecondFactorRequest {
    /// From the `202` answer.
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub challenge: String,
    /// Six digits from the authenticator app, or a recovery code (not when enrolling).
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub code: String,
}

impl std::fmt::Debug for SecondFactorRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecondFactorRequest { •••• }")
    }
}

/// `200` from `POST /api/v1/session/second-factor`: signed in. After an enrolment, the recovery codes
/// to write down (shown this once).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SecondFactorSignIn {
    /// The session.
    pub session: SessionInfo,
    /// New recovery codes ("k7m2q-x9pwd"), when the authenticator was just set up.
    pub recovery_codes: Vec<String>,
}

/// `GET /api/v1/account/security`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SecuritySettings {
    /// Two-step verification is offered to this account (vendor staff).
    pub second_factor_available: bool,
    /// It must stay on (administrators).
    pub second_factor_required: bool,
    /// It is on.
    pub second_factor_enabled: bool,
    /// Unused recovery codes left.
    pub recovery_codes_left: u32,
}

/// `POST /api/v1/account/password`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ChangePasswordRequest {
    /// The password now.
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub current_password: String,
    /// The new one: 8 to 128 characters, not one of the most common passwords.
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub new_password: String,
}

impl std::fmt::Debug for ChangePasswordRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangePasswordRequest { •••• }")
    }
}

/// `POST /api/v1/account/second-factor/confirm`: the first code from the app being set up.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ConfirmSecondFactor {
    /// Six digits.
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub code: String,
}

impl std::fmt::Debug for ConfirmSecondFactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConfirmSecondFactor { •••• }")
    }
}

/// A change to the second factor that needs the password again (turning it off, new recovery codes).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PasswordConfirmation {
    /// The account's password.
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub password: String,
}

impl std::fmt::Debug for PasswordConfirmation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordConfirmation { •••• }")
    }
}

/// New recovery codes, shown once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RecoveryCodes {
    /// Ten codes ("k7m2q-x9pwd"), each usable once.
    pub codes: Vec<String>,
}
