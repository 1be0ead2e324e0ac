//! Why lines can't be priced, and what is wrong with a term.

use super::*;

/// Why a set of lines can't be priced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    /// The part is not in the price book.
    #[error("part {part} is not in the catalog")]
    UnknownPart {
        /// The part.
        part: PartNumber,
    },
    /// The part has no price at the level in the currency.
    #[error("part {part} has no {currency} price at level {level:?}")]
    NoPrice {
        /// The part.
        part: PartNumber,
        /// The currency asked for.
        currency: Currency,
        /// The level asked for.
        level: PriceLevel,
    },
    /// Quantity must be at least one.
    #[error("line {index}: quantity must be at least 1")]
    ZeroQuantity {
        /// Line index (0-based).
        index: usize,
    },
    /// The term does not fit the part type.
    #[error("line {index}: {reason}")]
    InvalidTerm {
        /// Line index (0-based).
        index: usize,
        /// What is wrong.
        reason: TermError,
    },
    /// A lapsed renewal whose part has no reinstatement part.
    #[error("coverage of {part} lapsed on {lapsed_on} and the part has no reinstatement part")]
    NoReinstatementPart {
        /// The renewal part.
        part: PartNumber,
        /// When coverage lapsed.
        lapsed_on: Date,
    },
    /// A discount outside `0 < p ≤ 100`.
    #[error("line {index}: a discount is more than 0 and at most 100 percent")]
    InvalidDiscount {
        /// Line index (0-based).
        index: usize,
    },
    /// Arithmetic failed (overflow or mixed currencies).
    #[error(transparent)]
    Money(#[from] MoneyError),
}

impl PricingError {
    /// Stable code for UIs and the API.
    #[must_use]
    pub const fn code(&self) -> crate::error_code::ErrorCode {
        use crate::error_code::ErrorCode as C;
        match self {
            PricingError::UnknownPart { .. } => C::PricingUnknownPart,
            PricingError::NoPrice { .. } => C::PricingNoPrice,
            PricingError::ZeroQuantity { .. } => C::PricingZeroQuantity,
            PricingError::InvalidTerm { .. } => C::PricingInvalidTerm,
            PricingError::NoReinstatementPart { .. } => C::PricingNoReinstatementPart,
            PricingError::InvalidDiscount { .. } => C::PricingInvalidDiscount,
            PricingError::Money(_) => C::PricingArithmetic,
        }
    }
}

/// What is wrong with a line's [`Term`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    /// Monthly parts and subscriptions need a number of months.
    #[error("this part is sold by the month: give a number of months")]
    MonthsRequired,
    /// Months on a part that is not monthly.
    #[error("this part is not sold by the month")]
    MonthsNotAllowed,
    /// Months outside the allowed range.
    #[error("between {min} and {max} months")]
    MonthsOutOfRange {
        /// Minimum months.
        min: u16,
        /// Maximum months.
        max: u16,
    },
    /// Coverage end not after its start.
    #[error("coverage must end after it starts")]
    EmptyCoverage,
    /// Coverage longer than a year.
    #[error("coverage is at most one year")]
    CoverageTooLong,
    /// A coverage period on a part that is not S&S.
    #[error("only S&S parts take a coverage period")]
    CoverageNotAllowed,
}

impl TermError {
    /// Stable code for the API and the UI.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            TermError::MonthsRequired => "term.months_required",
            TermError::MonthsNotAllowed => "term.months_not_allowed",
            TermError::MonthsOutOfRange { .. } => "term.months_out_of_range",
            TermError::EmptyCoverage => "term.empty_coverage",
            TermError::CoverageTooLong => "term.coverage_too_long",
            TermError::CoverageNotAllowed => "term.coverage_not_allowed",
        }
    }
}

/// The months a customer typed for a part of `part_type`: 1–36 for a monthly licence, 12–36 for a
/// subscription; any other part takes no months.
///
/// # Errors
/// [`TermError::MonthsOutOfRange`] for a number outside the range (or not a number),
/// [`TermError::MonthsNotAllowed`] for a part not sold by the month.
pub fn parse_months(part_type: PartType, input: &str) -> Result<u16, TermError> {
    let (min, max) = match part_type {
        PartType::MonthlyLicense => (1, MAX_MONTHLY_MONTHS),
        PartType::Subscription => SUBSCRIPTION_MONTHS,
        _ => return Err(TermError::MonthsNotAllowed),
    };
    input
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|m| (min..=max).contains(m))
        .ok_or(TermError::MonthsOutOfRange { min, max })
}
