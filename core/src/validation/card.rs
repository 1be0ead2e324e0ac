//! Payment cards: number (brand and Luhn), expiry, security code and cardholder name.
//!
//! The card number and the security code are never `Serialize`, and their `Debug` output is masked, so
//! they cannot end up in a log line or a database row by accident. Only [`MaskedCard`] is stored.

use std::fmt;

use time::{Date, Month};

/// A card scheme, recognised from the number's prefix.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum CardBrand {
    /// Visa: 4…; 13, 16, 18 or 19 digits.
    Visa,
    /// Mastercard: 51–55 and 2221–2720; 16 digits.
    Mastercard,
    /// American Express: 34, 37; 15 digits; 4-digit code on the front.
    Amex,
    /// Discover: 6011, 644–649, 65; 16 or 19 digits.
    Discover,
    /// JCB: 3528–3589; 16–19 digits.
    Jcb,
    /// Diners Club: 300–305, 36, 38, 39; 14, 16 or 19 digits.
    Diners,
    /// UnionPay: 62; 14–19 digits; some numbers carry no Luhn check digit.
    UnionPay,
}

impl CardBrand {
    /// Every brand.
    pub const ALL: [CardBrand; 7] = [
        CardBrand::Visa,
        CardBrand::Mastercard,
        CardBrand::Amex,
        CardBrand::Discover,
        CardBrand::Jcb,
        CardBrand::Diners,
        CardBrand::UnionPay,
    ];

    /// The stable code (JSON and database), e.g. `amex`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            CardBrand::Visa => "visa",
            CardBrand::Mastercard => "mastercard",
            CardBrand::Amex => "amex",
            CardBrand::Discover => "discover",
            CardBrand::Jcb => "jcb",
            CardBrand::Diners => "diners",
            CardBrand::UnionPay => "union_pay",
        }
    }

    /// Parses a stable code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<CardBrand> {
        CardBrand::ALL.into_iter().find(|b| b.code() == code)
    }

    /// What people call it.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            CardBrand::Visa => "Visa",
            CardBrand::Mastercard => "Mastercard",
            CardBrand::Amex => "American Express",
            CardBrand::Discover => "Discover",
            CardBrand::Jcb => "JCB",
            CardBrand::Diners => "Diners Club",
            CardBrand::UnionPay => "UnionPay",
        }
    }

    /// The lengths a number of this brand may have.
    #[must_use]
    pub const fn lengths(self) -> &'static [usize] {
        match self {
            CardBrand::Visa => &[13, 16, 18, 19],
            CardBrand::Mastercard => &[16],
            CardBrand::Amex => &[15],
            CardBrand::Discover => &[16, 19],
            CardBrand::Jcb => &[16, 17, 18, 19],
            CardBrand::Diners => &[14, 16, 19],
            CardBrand::UnionPay => &[14, 15, 16, 17, 18, 19],
        }
    }

    /// Digits of the security code: 4 on the front for American Express, else 3 on the back.
    #[must_use]
    pub const fn security_code_len(self) -> usize {
        match self {
            CardBrand::Amex => 4,
            _ => 3,
        }
    }

    /// Whether the number must pass the Luhn check.
    #[must_use]
    pub const fn requires_luhn(self) -> bool {
        !matches!(self, CardBrand::UnionPay)
    }

    /// Digit groups for display while typing: 4-6-5 for Amex, 4-6-4 for 14-digit Diners, else fours.
    #[must_use]
    pub const fn groups(self, len: usize) -> &'static [usize] {
        match (self, len) {
            (CardBrand::Amex, _) => &[4, 6, 5],
            (CardBrand::Diners, 14) => &[4, 6, 4],
            _ => &[4, 4, 4, 4, 3],
        }
    }

    /// The brand a number (or the first digits typed so far) belongs to, if any is certain yet.
    #[must_use]
    pub fn detect(digits: &str) -> Option<CardBrand> {
        let prefix = |n: usize| digits.get(..n).and_then(|p| p.parse::<u32>().ok());
        let in_range =
            |n: usize, lo: u32, hi: u32| prefix(n).is_some_and(|p| (lo..=hi).contains(&p));
        if digits.starts_with('4') {
            Some(CardBrand::Visa)
        } else if in_range(2, 51, 55) || in_range(4, 2221, 2720) {
            Some(CardBrand::Mastercard)
        } else if in_range(2, 34, 34) || in_range(2, 37, 37) {
            Some(CardBrand::Amex)
        } else if in_range(4, 6011, 6011) || in_range(3, 644, 649) || in_range(2, 65, 65) {
            Some(CardBrand::Discover)
        } else if in_range(4, 3528, 3589) {
            Some(CardBrand::Jcb)
        } else if in_range(3, 300, 305) || in_range(2, 36, 36) || in_range(2, 38, 39) {
            Some(CardBrand::Diners)
        } else if in_range(2, 62, 62) {
            Some(CardBrand::UnionPay)
        } else {
            None
        }
    }
}

/// Whether `digits` (ASCII digits only) passes the Luhn mod-10 check.
#[must_use]
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0_u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b.wrapping_sub(b'0'));
        if d > 9 {
            return false;
        }
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// Keeps the digits of what was typed, dropping the spaces and dashes people put between groups.
fn digits_of(input: &str) -> Result<String, CardError> {
    let mut out = String::with_capacity(19);
    for c in input.chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '-' | '\u{a0}' => {}
            _ => return Err(CardError::NotDigits),
        }
    }
    Ok(out)
}

/// Groups digits for display as they are typed: `4111 1111 1111 1111`, `3782 822463 10005`.
#[must_use]
pub fn format_card_number(input: &str) -> String {
    let digits: String = input
        .chars()
        .filter(char::is_ascii_digit)
        .take(19)
        .collect();
    let groups =
        CardBrand::detect(&digits).map_or(&[4, 4, 4, 4, 3][..], |b| b.groups(digits.len()));
    let mut out = String::with_capacity(digits.len() + 4);
    let mut rest = digits.as_str();
    for g in groups {
        if rest.is_empty() {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        let (head, tail) = rest.split_at((*g).min(rest.len()));
        out.push_str(head);
        rest = tail;
    }
    out
}

/// Why a card detail is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    /// Nothing entered.
    #[error("enter the card number")]
    Empty,
    /// A character other than digits, spaces and dashes.
    #[error("a card number has only digits")]
    NotDigits,
    /// No known brand starts like this.
    #[error("this card type is not accepted")]
    UnknownBrand,
    /// The brand's numbers are not this long.
    #[error("a {} number has {} digits", .brand.name(), lengths_text(.brand.lengths()))]
    WrongLength {
        /// The detected brand.
        brand: CardBrand,
    },
    /// The check digit does not match: a digit is mistyped.
    #[error("this card number is not valid; check for a mistyped digit")]
    Luhn,
    /// Month not 1–12.
    #[error("choose the expiry month")]
    ExpiryMonth,
    /// Year missing or not a year.
    #[error("choose the expiry year")]
    ExpiryYear,
    /// The card expired.
    #[error("this card has expired")]
    Expired,
    /// Expiry more than 20 years ahead: a typo.
    #[error("check the expiry year")]
    ExpiryTooFar,
    /// Wrong number of digits in the security code.
    #[error("the security code has {expected} digits")]
    SecurityCodeLength {
        /// Digits expected for the brand.
        expected: usize,
    },
    /// Cardholder name missing.
    #[error("enter the name on the card")]
    NameEmpty,
    /// Cardholder name too long or containing digits or control characters.
    #[error("enter the name as printed on the card")]
    NameInvalid,
}

fn lengths_text(l: &[usize]) -> String {
    l.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl CardError {
    /// Stable code for UIs and the API.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            CardError::Empty => "card.empty",
            CardError::NotDigits => "card.not_digits",
            CardError::UnknownBrand => "card.unknown_brand",
            CardError::WrongLength { .. } => "card.length",
            CardError::Luhn => "card.luhn",
            CardError::ExpiryMonth => "card.expiry_month",
            CardError::ExpiryYear => "card.expiry_year",
            CardError::Expired => "card.expired",
            CardError::ExpiryTooFar => "card.expiry_too_far",
            CardError::SecurityCodeLength { .. } => "card.security_code",
            CardError::NameEmpty => "card.name_empty",
            CardError::NameInvalid => "card.name_invalid",
        }
    }
}

/// A card number that has a known brand, a valid length and (where the brand uses it) a valid Luhn
/// check digit. Deliberately not `Serialize`; `Debug` shows only the brand and last four digits.
#[derive(Clone, PartialEq, Eq)]
pub struct CardNumber {
    digits: String,
    brand: CardBrand,
}

impl CardNumber {
    /// Parses a card number as typed (spaces and dashes allowed).
    ///
    /// # Errors
    /// [`CardError`]: empty, not digits, unknown brand, wrong length, failed Luhn check.
    pub fn parse(input: &str) -> Result<Self, CardError> {
        let digits = digits_of(input)?;
        if digits.is_empty() {
            return Err(CardError::Empty);
        }
        let brand = CardBrand::detect(&digits).ok_or(CardError::UnknownBrand)?;
        if !brand.lengths().contains(&digits.len()) {
            return Err(CardError::WrongLength { brand });
        }
        if brand.requires_luhn() && !luhn_valid(&digits) {
            return Err(CardError::Luhn);
        }
        Ok(CardNumber { digits, brand })
    }

    /// The brand.
    #[must_use]
    pub const fn brand(&self) -> CardBrand {
        self.brand
    }

    /// The last four digits.
    #[must_use]
    pub fn last4(&self) -> &str {
        &self.digits[self.digits.len() - 4..]
    }

    /// The digits, for handing to the payment processor only.
    #[must_use]
    pub fn expose_digits(&self) -> &str {
        &self.digits
    }

    /// What may be shown and stored: brand and last four.
    #[must_use]
    pub fn masked(&self) -> MaskedCard {
        MaskedCard {
            brand: self.brand,
            last4: self.last4().to_owned(),
        }
    }
}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardNumber({} •••• {})", self.brand.name(), self.last4())
    }
}

/// A card as it may be displayed and stored: brand and last four digits.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MaskedCard {
    /// Brand.
    pub brand: CardBrand,
    /// Last four digits.
    pub last4: String,
}

impl fmt::Display for MaskedCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} •••• {}", self.brand.name(), self.last4)
    }
}

/// A card expiry that is still valid: through the last day of the printed month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Expiry {
    /// Month 1–12.
    pub month: u8,
    /// Four-digit year.
    pub year: i32,
}

impl Expiry {
    /// How far ahead an expiry may be before it is taken for a typo.
    pub const MAX_YEARS_AHEAD: i32 = 20;

    /// Parses month and year as chosen or typed (`"7"`/`"07"`, `"2029"`/`"29"`) against `today`.
    ///
    /// # Errors
    /// [`CardError::ExpiryMonth`], [`CardError::ExpiryYear`], [`CardError::Expired`] or
    /// [`CardError::ExpiryTooFar`].
    pub fn parse(month: &str, year: &str, today: Date) -> Result<Self, CardError> {
        let month: u8 = month.trim().parse().map_err(|_| CardError::ExpiryMonth)?;
        if !(1..=12).contains(&month) {
            return Err(CardError::ExpiryMonth);
        }
        let y = year.trim();
        let mut year: i32 = y.parse().map_err(|_| CardError::ExpiryYear)?;
        match y.len() {
            2 => year += 2000,
            4 => {}
            _ => return Err(CardError::ExpiryYear),
        }
        let e = Expiry { month, year };
        if e.last_valid_day() < today {
            return Err(CardError::Expired);
        }
        if year > today.year() + Self::MAX_YEARS_AHEAD {
            return Err(CardError::ExpiryTooFar);
        }
        Ok(e)
    }

    /// The last day the card can be used.
    #[must_use]
    pub fn last_valid_day(&self) -> Date {
        let m = Month::try_from(self.month).unwrap_or(Month::December);
        let days = m.length(self.year);
        Date::from_calendar_date(self.year, m, days).unwrap_or(Date::MIN)
    }
}

impl fmt::Display for Expiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}/{}", self.month, self.year)
    }
}

/// A security code (CVV/CVC/CID) of the right length for the brand. Never stored; `Debug` is masked.
#[derive(Clone, PartialEq, Eq)]
pub struct SecurityCode(String);

impl SecurityCode {
    /// Parses a code for `brand`.
    ///
    /// # Errors
    /// [`CardError::SecurityCodeLength`] when not exactly the brand's number of digits.
    pub fn parse(input: &str, brand: CardBrand) -> Result<Self, CardError> {
        let s = input.trim();
        let expected = brand.security_code_len();
        if s.len() != expected || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CardError::SecurityCodeLength { expected });
        }
        Ok(SecurityCode(s.to_owned()))
    }

    /// The digits, for handing to the payment processor only.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecurityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecurityCode(•••)")
    }
}

/// The name as printed on the card: 2–100 characters, no digits or control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CardholderName(String);

impl CardholderName {
    /// Parses a cardholder name (trimmed, inner white space collapsed).
    ///
    /// # Errors
    /// [`CardError::NameEmpty`] or [`CardError::NameInvalid`].
    pub fn parse(input: &str) -> Result<Self, CardError> {
        let s = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.is_empty() {
            return Err(CardError::NameEmpty);
        }
        let n = s.chars().count();
        if !(2..=100).contains(&n) || s.chars().any(|c| c.is_ascii_digit() || c.is_control()) {
            return Err(CardError::NameInvalid);
        }
        Ok(CardholderName(s))
    }

    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
