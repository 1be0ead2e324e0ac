//! Who pays and where: e-mail, purchase-order number, billing address by country, Indonesian tax ID
//! (NPWP), licence quantities by metric, and acceptance of the terms.

use std::fmt;

use crate::catalog::Metric;
use crate::country::CountryCode;

/// Why a contact, address or order detail is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// A required field is empty.
    #[error("this field is required")]
    Required,
    /// Longer than allowed.
    #[error("at most {max} characters")]
    TooLong {
        /// Maximum characters.
        max: usize,
    },
    /// Not an e-mail address.
    #[error("enter an e-mail address like name@example.com")]
    Email,
    /// A purchase-order number with characters other than letters, digits and `-/._ `.
    #[error("use letters, digits, spaces and - / . _ only")]
    PurchaseOrder,
    /// Postal code not in the country's format.
    #[error("enter a postal code like {example}")]
    PostalCode {
        /// An example of the expected format.
        example: &'static str,
    },
    /// NPWP not 16 digits nor the old 15-digit form.
    #[error("an NPWP has 16 digits (or the old form 99.999.999.9-999.999)")]
    Npwp,
    /// Quantity outside the metric's bounds.
    #[error("enter a quantity from {min} to {max}")]
    Quantity {
        /// Smallest quantity.
        min: u32,
        /// Largest quantity.
        max: u32,
    },
    /// The terms and conditions were not accepted.
    #[error("read and accept the terms and conditions to continue")]
    TermsNotAccepted,
    /// A customer number with other characters than digits, or too long.
    #[error("a customer number has digits only (at most {max})")]
    CustomerNumber {
        /// The most digits.
        max: usize,
    },
}

impl FieldError {
    /// Stable code for UIs and the API.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            FieldError::Required => "field.required",
            FieldError::TooLong { .. } => "field.too_long",
            FieldError::Email => "email.invalid",
            FieldError::PurchaseOrder => "po.invalid",
            FieldError::PostalCode { .. } => "address.postal_code",
            FieldError::Npwp => "npwp.invalid",
            FieldError::Quantity { .. } => "quantity.range",
            FieldError::TermsNotAccepted => "terms.not_accepted",
            FieldError::CustomerNumber { .. } => "customer_number.invalid",
        }
    }
}

fn required(input: &str, max: usize) -> Result<String, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::Required);
    }
    if s.chars().count() > max {
        return Err(FieldError::TooLong { max });
    }
    Ok(s.to_owned())
}

/// An e-mail address (structure checked; delivery is the real test). Lower-cased domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct Email(String);

impl Email {
    /// Parses an address: one `@`, a local part of 1–64 characters without spaces, a domain of dot-separated
    /// labels of letters, digits and hyphens with at least one dot; 254 characters at most.
    ///
    /// # Errors
    /// [`FieldError::Required`], [`FieldError::TooLong`] or [`FieldError::Email`].
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = required(input, 254)?;
        let (local, domain) = s.rsplit_once('@').ok_or(FieldError::Email)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && local
                .chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && c != ',' && c != ';');
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if !(local_ok && domain_ok) {
            return Err(FieldError::Email);
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    /// The address.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key an account is found by: the address as typed at sign-in, a password reset or an
    /// invitation, trimmed and lower-cased **whole**. Mail is delivered to [`Email::as_str`] (whose local
    /// part keeps its case, as RFC 5321 allows servers to honour), but two accounts never differ by case
    /// alone, so every look-up of a user by address goes through this one function.
    #[must_use]
    pub fn account_key(input: &str) -> String {
        input.trim().to_lowercase()
    }
}

impl TryFrom<String> for Email {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Email::parse(&s)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A customer's purchase-order number: 1–35 letters, digits, spaces and `-/._`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct PurchaseOrderNumber(String);

impl PurchaseOrderNumber {
    /// Longest PO number (the common EDI limit).
    pub const MAX: usize = 35;

    /// Parses a PO number.
    ///
    /// # Errors
    /// [`FieldError::Required`], [`FieldError::TooLong`] or [`FieldError::PurchaseOrder`].
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = required(input, Self::MAX)?;
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '.' | '_' | ' '))
        {
            return Err(FieldError::PurchaseOrder);
        }
        Ok(PurchaseOrderNumber(s))
    }

    /// The number.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PurchaseOrderNumber {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        PurchaseOrderNumber::parse(&s)
    }
}

impl From<PurchaseOrderNumber> for String {
    fn from(p: PurchaseOrderNumber) -> String {
        p.0
    }
}

/// Indonesia's company tax ID: 16 digits since 2024, or the older 15 digits written
/// `99.999.999.9-999.999`. Kept as digits only.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct Npwp(String);

impl Npwp {
    /// Parses an NPWP: 16 digits (spaces allowed), or 15 digits bare or in the dotted form.
    ///
    /// # Errors
    /// [`FieldError::Required`] or [`FieldError::Npwp`].
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::Required);
        }
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let only_digits_and_spaces = s.chars().all(|c| c.is_ascii_digit() || c == ' ');
        let ok = match digits.len() {
            16 => only_digits_and_spaces,
            15 => only_digits_and_spaces || is_dotted_15(s),
            _ => false,
        };
        if ok {
            Ok(Npwp(digits))
        } else {
            Err(FieldError::Npwp)
        }
    }

    /// The digits.
    #[must_use]
    pub fn digits(&self) -> &str {
        &self.0
    }
}

/// `99.999.999.9-999.999`.
fn is_dotted_15(s: &str) -> bool {
    const SHAPE: &[u8] = b"99.999.999.9-999.999";
    s.len() == SHAPE.len()
        && s.bytes().zip(SHAPE).all(|(c, m)| {
            if *m == b'9' {
                c.is_ascii_digit()
            } else {
                c == *m
            }
        })
}

impl fmt::Display for Npwp {
    /// 16 digits grouped in fours; the old form in its dotted layout.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        if d.len() == 15 {
            write!(
                f,
                "{}.{}.{}.{}-{}.{}",
                &d[0..2],
                &d[2..5],
                &d[5..8],
                &d[8..9],
                &d[9..12],
                &d[12..15]
            )
        } else {
            write!(f, "{} {} {} {}", &d[0..4], &d[4..8], &d[8..12], &d[12..16])
        }
    }
}

impl TryFrom<String> for Npwp {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Npwp::parse(&s)
    }
}

impl From<Npwp> for String {
    fn from(n: Npwp) -> String {
        n.0
    }
}

/// A billing or shipping address as typed, before validation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AddressInput {
    /// Company or person.
    pub name: String,
    /// Street and number.
    pub line1: String,
    /// Building, floor (optional).
    #[cfg_attr(feature = "serde", serde(default))]
    pub line2: String,
    /// City.
    pub city: String,
    /// State, province or prefecture (required where the country uses it).
    #[cfg_attr(feature = "serde", serde(default))]
    pub region: String,
    /// Postal code.
    pub postal_code: String,
    /// ISO country code.
    pub country: CountryCode,
}

/// An address whose required fields are present and whose postal code fits the country.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Address(AddressInput);

/// What the postal code of a country looks like.
#[derive(Debug, Clone, Copy)]
struct PostalRule {
    country: CountryCode,
    region_required: bool,
    check: fn(&str) -> bool,
    example: &'static str,
}

fn digits_exact(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// `digits` digits, a hyphen, `tail` digits. Compared as bytes: slicing the text at a byte offset
/// would panic inside a multi-byte character ("1234é5678").
fn digits_hyphen_digits(s: &str, digits: usize, tail: usize) -> bool {
    let b = s.as_bytes();
    b.len() == digits + 1 + tail
        && b.iter().enumerate().all(|(i, c)| {
            if i == digits {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

fn us_zip(s: &str) -> bool {
    digits_exact(s, 5) || digits_hyphen_digits(s, 5, 4)
}

fn jp_postal(s: &str) -> bool {
    digits_exact(s, 7) || digits_hyphen_digits(s, 3, 4)
}

/// UK postcodes: outward code (A9, A99, AA9, AA99, A9A, AA9A) + space optional + inward code (9AA).
fn gb_postcode(s: &str) -> bool {
    let compact: String = s
        .chars()
        .filter(|c| *c != ' ')
        .collect::<String>()
        .to_ascii_uppercase();
    let b = compact.as_bytes();
    if !(5..=7).contains(&b.len()) {
        return false;
    }
    let (outward, inward) = b.split_at(b.len() - 3);
    let inward_ok = inward[0].is_ascii_digit()
        && inward[1].is_ascii_alphabetic()
        && inward[2].is_ascii_alphabetic();
    let shape: String = outward
        .iter()
        .map(|c| {
            if c.is_ascii_digit() {
                '9'
            } else if c.is_ascii_alphabetic() {
                'A'
            } else {
                '?'
            }
        })
        .collect();
    inward_ok
        && matches!(
            shape.as_str(),
            "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A"
        )
}

const POSTAL_RULES: [PostalRule; 5] = [
    PostalRule {
        country: CountryCode::ID,
        region_required: true,
        check: |s| digits_exact(s, 5),
        example: "10110",
    },
    PostalRule {
        country: CountryCode::US,
        region_required: true,
        check: us_zip,
        example: "78701",
    },
    PostalRule {
        country: CountryCode::DE,
        region_required: false,
        check: |s| digits_exact(s, 5),
        example: "80331",
    },
    PostalRule {
        country: CountryCode::GB,
        region_required: false,
        check: gb_postcode,
        example: "SW1A 1AA",
    },
    PostalRule {
        country: CountryCode::JP,
        region_required: true,
        check: jp_postal,
        example: "100-0001",
    },
];

impl Address {
    /// Longest line.
    pub const MAX_LINE: usize = 100;

    /// Whether addresses in `country` need a state, province or prefecture (what the form marks
    /// required).
    #[must_use]
    pub fn region_required(country: CountryCode) -> bool {
        POSTAL_RULES
            .iter()
            .find(|r| r.country == country)
            .is_some_and(|r| r.region_required)
    }

    /// Validates every field, reporting each problem against its field name.
    ///
    /// # Errors
    /// A list of `(field, error)`.
    pub fn parse(input: AddressInput) -> Result<Self, Vec<(&'static str, FieldError)>> {
        let mut errors = Vec::new();
        let mut check = |field: &'static str, value: &str, needed: bool| {
            let v = value.trim();
            if needed && v.is_empty() {
                errors.push((field, FieldError::Required));
            } else if v.chars().count() > Self::MAX_LINE {
                errors.push((
                    field,
                    FieldError::TooLong {
                        max: Self::MAX_LINE,
                    },
                ));
            }
        };
        let rule = POSTAL_RULES.iter().find(|r| r.country == input.country);
        check("name", &input.name, true);
        check("line1", &input.line1, true);
        check("line2", &input.line2, false);
        check("city", &input.city, true);
        check(
            "region",
            &input.region,
            rule.is_some_and(|r| r.region_required),
        );
        let postal = input.postal_code.trim();
        if postal.is_empty() {
            errors.push(("postal_code", FieldError::Required));
        } else if let Some(r) = rule
            && !(r.check)(postal)
        {
            errors.push(("postal_code", FieldError::PostalCode { example: r.example }));
        } else if postal.chars().count() > 12 {
            errors.push(("postal_code", FieldError::TooLong { max: 12 }));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let t = |s: &str| s.trim().to_owned();
        Ok(Address(AddressInput {
            name: t(&input.name),
            line1: t(&input.line1),
            line2: t(&input.line2),
            city: t(&input.city),
            region: t(&input.region),
            postal_code: postal.to_uppercase(),
            country: input.country,
        }))
    }

    /// The validated fields.
    #[must_use]
    pub fn fields(&self) -> &AddressInput {
        &self.0
    }
}

/// Allowed quantities per licence metric, as data.
pub const QUANTITY_BOUNDS: [(Metric, u32, u32); 7] = [
    (Metric::Pvu, 1, 1_000_000),
    (Metric::AuthorizedUser, 1, 250_000),
    (Metric::ConcurrentUser, 1, 100_000),
    (Metric::VirtualProcessorCore, 1, 100_000),
    (Metric::ResourceValueUnit, 1, 1_000_000),
    (Metric::Install, 1, 50_000),
    (Metric::ClientDevice, 1, 500_000),
];

/// A licence quantity within its metric's bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Quantity(u32);

impl Quantity {
    /// Parses a quantity as typed for a metric.
    ///
    /// # Errors
    /// [`FieldError::Required`] or [`FieldError::Quantity`].
    pub fn parse(input: &str, metric: Metric) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::Required);
        }
        let (min, max) = Self::bounds(metric);
        let n: u32 = s.parse().map_err(|_| FieldError::Quantity { min, max })?;
        Self::new(n, metric)
    }

    /// Checks a number against the metric's bounds.
    ///
    /// # Errors
    /// [`FieldError::Quantity`].
    pub fn new(n: u32, metric: Metric) -> Result<Self, FieldError> {
        let (min, max) = Self::bounds(metric);
        if (min..=max).contains(&n) {
            Ok(Quantity(n))
        } else {
            Err(FieldError::Quantity { min, max })
        }
    }

    /// The bounds of a metric.
    #[must_use]
    pub fn bounds(metric: Metric) -> (u32, u32) {
        QUANTITY_BOUNDS
            .iter()
            .find(|(m, _, _)| *m == metric)
            .map_or((1, 1_000_000), |(_, lo, hi)| (*lo, *hi))
    }

    /// The number.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0
    }
}

/// Proof that the customer ticked "I agree" to the terms and conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermsAccepted(());

impl TermsAccepted {
    /// Accepts only `true`.
    ///
    /// # Errors
    /// [`FieldError::TermsNotAccepted`].
    pub fn parse(agreed: bool) -> Result<Self, FieldError> {
        if agreed {
            Ok(TermsAccepted(()))
        } else {
            Err(FieldError::TermsNotAccepted)
        }
    }
}

/// A site's customer number as a person types it: digits only, at most [`CustomerNumber::MAX`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CustomerNumber(String);

impl CustomerNumber {
    /// The most digits.
    pub const MAX: usize = 10;

    /// Trims and checks a typed customer number.
    ///
    /// # Errors
    /// [`FieldError::Required`] when empty, [`FieldError::CustomerNumber`] otherwise.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::Required);
        }
        if s.len() > Self::MAX || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::CustomerNumber { max: Self::MAX });
        }
        Ok(CustomerNumber(s.to_owned()))
    }

    /// The digits.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
