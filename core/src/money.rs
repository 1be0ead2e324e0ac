//! Money: a [`Decimal`] amount in an ISO 4217 [`Currency`]. Never `f64`.
//!
//! Lines are rounded once, half-up, to the currency's minor units; totals are sums of rounded lines.
//! Arithmetic across currencies is a [`MoneyError`], never a panic.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

/// The currencies Entitle prices in, with their ISO 4217 minor units.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "UPPERCASE"))]
pub enum Currency {
    /// US dollar, 2 minor units.
    Usd,
    /// Euro, 2 minor units.
    Eur,
    /// Indonesian rupiah, 2 minor units (ISO 4217; prices are shown with ",00").
    Idr,
    /// Japanese yen, no minor units.
    Jpy,
    /// Pound sterling, 2 minor units.
    Gbp,
    /// Singapore dollar, 2 minor units.
    Sgd,
    /// Australian dollar, 2 minor units.
    Aud,
}

impl Currency {
    /// Every supported currency.
    pub const ALL: [Currency; 7] = [
        Currency::Usd,
        Currency::Eur,
        Currency::Idr,
        Currency::Jpy,
        Currency::Gbp,
        Currency::Sgd,
        Currency::Aud,
    ];

    /// The ISO 4217 alphabetic code, e.g. `"IDR"`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Idr => "IDR",
            Currency::Jpy => "JPY",
            Currency::Gbp => "GBP",
            Currency::Sgd => "SGD",
            Currency::Aud => "AUD",
        }
    }

    /// Position in [`Currency::ALL`], for table lookups.
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Digits after the decimal point (ISO 4217 "minor unit").
    #[must_use]
    pub const fn minor_units(self) -> u32 {
        match self {
            Currency::Jpy => 0,
            _ => 2,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A currency code that Entitle does not price in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown currency code {0:?}")]
pub struct UnknownCurrency(pub String);

impl FromStr for Currency {
    type Err = UnknownCurrency;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownCurrency(s.to_owned()))
    }
}

/// Errors of money arithmetic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Two amounts in different currencies were combined.
    #[error("cannot combine {left} with {right}")]
    CurrencyMismatch {
        /// The currency of the left operand.
        left: Currency,
        /// The currency of the right operand.
        right: Currency,
    },
    /// The result does not fit the decimal type (about 7.9 × 10²⁸).
    #[error("amount out of range")]
    Overflow,
}

/// An amount of money in one currency.
///
/// Serialised as `{"amount": "1234.50", "currency": "USD"}` — the amount is a decimal string so no JSON
/// reader turns it into a binary float.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// Money of an exact amount (not rounded).
    #[must_use]
    pub const fn new(amount: Decimal, currency: Currency) -> Self {
        Money { amount, currency }
    }

    /// Zero in `currency`.
    #[must_use]
    pub const fn zero(currency: Currency) -> Self {
        Money {
            amount: Decimal::ZERO,
            currency,
        }
    }

    /// Money from integer minor units, as stored in the database (`12345` USD → `123.45`).
    #[must_use]
    pub fn from_minor(minor: i64, currency: Currency) -> Self {
        Money {
            amount: Decimal::new(minor, currency.minor_units()),
            currency,
        }
    }

    /// The amount in integer minor units, rounded half-up first.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] when the amount does not fit an `i64` of minor units.
    pub fn to_minor(&self) -> Result<i64, MoneyError> {
        let scaled = self.rounded().amount * Decimal::from(10_i64.pow(self.currency.minor_units()));
        i64::try_from(scaled.trunc()).map_err(|_| MoneyError::Overflow)
    }

    /// The decimal amount.
    #[must_use]
    pub const fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    #[must_use]
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// Rounded half-up (away from zero at the midpoint) to the currency's minor units.
    #[must_use]
    pub fn rounded(&self) -> Self {
        Money {
            amount: self.amount.round_dp_with_strategy(
                self.currency.minor_units(),
                RoundingStrategy::MidpointAwayFromZero,
            ),
            currency: self.currency,
        }
    }

    /// `self + other`.
    ///
    /// # Errors
    /// [`MoneyError::CurrencyMismatch`] or [`MoneyError::Overflow`].
    pub fn checked_add(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_add(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            amount,
            currency: self.currency,
        })
    }

    /// `self - other`.
    ///
    /// # Errors
    /// [`MoneyError::CurrencyMismatch`] or [`MoneyError::Overflow`].
    pub fn checked_sub(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_sub(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            amount,
            currency: self.currency,
        })
    }

    /// `self × factor`, unrounded.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`].
    pub fn checked_mul(&self, factor: Decimal) -> Result<Money, MoneyError> {
        let amount = self
            .amount
            .checked_mul(factor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            amount,
            currency: self.currency,
        })
    }

    /// Sum of amounts that must all be in `currency`.
    ///
    /// # Errors
    /// [`MoneyError::CurrencyMismatch`] or [`MoneyError::Overflow`].
    pub fn sum<'a>(
        currency: Currency,
        items: impl IntoIterator<Item = &'a Money>,
    ) -> Result<Money, MoneyError> {
        items
            .into_iter()
            .try_fold(Money::zero(currency), |acc, m| acc.checked_add(m))
    }

    fn same_currency(&self, other: &Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        }
    }

    /// Splits `self` (rounded to minor units) across `weights` so the parts are each in whole minor units
    /// and sum exactly to `self`: largest-remainder method, ties to the earlier weight.
    ///
    /// Used to spread an order-level discount or tax across lines. Zero or empty weights split evenly.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] for amounts beyond `i64` minor units.
    pub fn allocate(&self, weights: &[Decimal]) -> Result<Vec<Money>, MoneyError> {
        if weights.is_empty() {
            return Ok(Vec::new());
        }
        let total_minor = self.to_minor()?;
        let weights: Vec<Decimal> = if weights.iter().all(|w| *w <= Decimal::ZERO) {
            vec![Decimal::ONE; weights.len()]
        } else {
            weights.iter().map(|w| (*w).max(Decimal::ZERO)).collect()
        };
        let weight_sum: Decimal = weights.iter().sum();
        let total = Decimal::from(total_minor);
        let mut parts = Vec::with_capacity(weights.len());
        let mut remainders = Vec::with_capacity(weights.len());
        let mut allocated: i64 = 0;
        for (i, w) in weights.iter().enumerate() {
            let exact = total.checked_mul(*w).ok_or(MoneyError::Overflow)? / weight_sum;
            // Floor toward negative infinity so a negative total also distributes correctly.
            let floor = exact.floor();
            let part = i64::try_from(floor).map_err(|_| MoneyError::Overflow)?;
            allocated += part;
            parts.push(part);
            remainders.push((exact - floor, i));
        }
        // Hand the leftover minor units to the largest remainders (stable: earlier index wins a tie).
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let leftover = usize::try_from(total_minor - allocated).unwrap_or(0);
        for (_, i) in remainders.into_iter().take(leftover) {
            parts[i] += 1;
        }
        Ok(parts
            .into_iter()
            .map(|p| Money::from_minor(p, self.currency))
            .collect())
    }
}

impl fmt::Display for Money {
    /// Plain, locale-neutral form: `"1234.50 USD"`. Use [`crate::locale`] for what people read.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.rounded().amount, self.currency)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn usd(s: &str) -> Money {
        Money::new(s.parse().unwrap(), Currency::Usd)
    }

    #[test]
    fn a_half_cent_rounds_up_away_from_zero() {
        assert_eq!(usd("2.345").rounded(), usd("2.35"));
        assert_eq!(usd("-2.345").rounded(), usd("-2.35"));
        assert_eq!(usd("2.3449").rounded(), usd("2.34"));
    }

    #[test]
    fn yen_rounds_to_whole_units() {
        let m = Money::new("1234.5".parse().unwrap(), Currency::Jpy);
        assert_eq!(m.rounded().amount(), Decimal::from(1235));
        assert_eq!(m.to_minor().unwrap(), 1235);
    }

    #[test]
    fn adding_two_currencies_is_an_error_not_a_panic() {
        let eur = Money::new(Decimal::ONE, Currency::Eur);
        assert_eq!(
            usd("1").checked_add(&eur),
            Err(MoneyError::CurrencyMismatch {
                left: Currency::Usd,
                right: Currency::Eur
            })
        );
    }

    #[test]
    fn minor_units_round_trip_for_storage() {
        let m = Money::from_minor(123_456, Currency::Idr);
        assert_eq!(m.amount(), "1234.56".parse::<Decimal>().unwrap());
        assert_eq!(m.to_minor().unwrap(), 123_456);
    }

    #[test]
    fn allocation_gives_the_extra_cent_to_the_largest_remainder() {
        let parts = usd("10.00")
            .allocate(&[Decimal::ONE, Decimal::ONE, Decimal::ONE])
            .unwrap();
        assert_eq!(parts, vec![usd("3.34"), usd("3.33"), usd("3.33")]);
    }

    #[test]
    fn allocation_with_zero_weights_splits_evenly() {
        let parts = usd("0.02")
            .allocate(&[Decimal::ZERO, Decimal::ZERO])
            .unwrap();
        assert_eq!(parts, vec![usd("0.01"), usd("0.01")]);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn money_serialises_its_amount_as_a_decimal_string() {
        let json = serde_json::to_string(&usd("12.30")).unwrap();
        assert_eq!(json, r#"{"amount":"12.30","currency":"USD"}"#);
        let back: Money = serde_json::from_str(&json).unwrap();
        assert_eq!(back, usd("12.30"));
    }

    #[test]
    fn currency_codes_parse_case_insensitively_and_unknown_ones_are_rejected() {
        assert_eq!("idr".parse::<Currency>(), Ok(Currency::Idr));
        assert!("XYZ".parse::<Currency>().is_err());
    }
}
