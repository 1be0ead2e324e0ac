//! Exact money arithmetic in minor units: decimal mantissas multiply as integers, the one division
//! comes last, rounded half away from zero.

use super::*;

pub(super) fn pow10(n: u32) -> Option<i128> {
    10_i128.checked_pow(n)
}

/// `numerator / denominator` rounded half away from zero, in exact integers.
pub(super) fn div_half_up(numerator: i128, denominator: i128) -> Option<i128> {
    if denominator == 0 {
        return None;
    }
    // Almost every line fits 64 bits, where division is a single instruction instead of a library call.
    if let (Ok(n), Ok(d)) = (i64::try_from(numerator), i64::try_from(denominator))
        && n != i64::MIN
        && d != i64::MIN
    {
        let (q, r) = (n / d, n % d);
        let round_away = r.unsigned_abs() * 2 >= d.unsigned_abs();
        return Some(i128::from(if round_away {
            q + n.signum() * d.signum()
        } else {
            q
        }));
    }
    let (q, r) = (numerator / denominator, numerator % denominator);
    let round_away = r.checked_abs()?.checked_mul(2)? >= denominator.checked_abs()?;
    Some(if round_away {
        q + numerator.signum() * denominator.signum()
    } else {
        q
    })
}

/// `amount × Π factors ÷ divisor`, rounded half-up to the currency's minor units, computed exactly in
/// integers: the decimal mantissas multiply, and the one division happens last.
pub(super) fn scaled_minor(
    amount: Decimal,
    factors: &[Decimal],
    divisor: i128,
    minor_units: u32,
) -> Option<i128> {
    let mut numerator = amount.mantissa();
    let mut scale = amount.scale();
    for f in factors {
        numerator = numerator.checked_mul(f.mantissa())?;
        scale += f.scale();
    }
    let numerator = numerator.checked_mul(pow10(minor_units)?)?;
    div_half_up(numerator, pow10(scale)?.checked_mul(divisor)?)
}

pub(super) fn minor_to_money(minor: i128, currency: Currency) -> Result<Money, PricingError> {
    let minor = i64::try_from(minor).map_err(|_| MoneyError::Overflow)?;
    Ok(Money::from_minor(minor, currency))
}
