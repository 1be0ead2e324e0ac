//! Why a line costs what it costs: the reasons a UI shows (and translates by variant).

use super::*;

/// One reason a line costs what it costs, for a UI to show (and translate by variant).
///
/// In JSON it is externally tagged — `{"tax": {"name": "PPN", …}}`, `"express_list_price"` — rather than
/// carrying a `kind` field: reading an internally tagged enum needs serde to buffer every value first,
/// which costs the browser build far more code.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Explanation {
    /// The level the line is priced at, and whether the order's own points lifted it.
    Level {
        /// The level used.
        level: PriceLevel,
        /// The customer's level before the order.
        held: PriceLevel,
        /// True when the order's points reached `level`.
        lifted: bool,
    },
    /// Express agreements pay list price.
    ExpressListPrice,
    /// Coverage shorter than a year, prorated.
    Prorated {
        /// Days covered.
        days: i64,
        /// The divisor (365).
        of: i64,
        /// The end of coverage (the anniversary).
        #[serde(with = "crate::dates::iso")]
        until: Date,
    },
    /// Lapsed S&S replaced by its reinstatement part.
    Reinstated {
        /// The renewal part asked for.
        instead_of: PartNumber,
        /// When coverage lapsed.
        #[serde(with = "crate::dates::iso")]
        lapsed_on: Date,
    },
    /// Monthly price × months.
    Months {
        /// How many months.
        months: u16,
    },
    /// A quote discount applied.
    Discount {
        /// Percent off.
        percent: Decimal,
        /// Valid through.
        #[serde(with = "crate::dates::iso")]
        valid_until: Date,
    },
    /// A quote discount that is no longer valid and was not applied.
    DiscountExpired {
        /// Percent that would have applied.
        percent: Decimal,
        /// The day it ended.
        #[serde(with = "crate::dates::iso")]
        valid_until: Date,
    },
    /// Tax charged on the line.
    Tax {
        /// Tax name, e.g. "PPN".
        name: String,
        /// Statutory rate.
        rate: Decimal,
        /// Numerator of the share of the price taxed.
        base_numerator: u32,
        /// Denominator of the share of the price taxed.
        base_denominator: u32,
    },
}

impl fmt::Display for Explanation {
    /// English text; the app renders its own translations from the variant.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Explanation::Level {
                level,
                held,
                lifted: true,
            } => {
                write!(
                    f,
                    "price level {} (lifted from {} by this order's points)",
                    level.code(),
                    held.code()
                )
            }
            Explanation::Level { level, .. } => write!(f, "price level {}", level.code()),
            Explanation::ExpressListPrice => f.write_str("express agreement: list price (BL)"),
            Explanation::Prorated { days, of, until } => {
                write!(f, "prorated {days}/{of} days to anniversary {until}")
            }
            Explanation::Reinstated {
                instead_of,
                lapsed_on,
            } => {
                write!(
                    f,
                    "coverage lapsed on {lapsed_on}: reinstated instead of renewing {instead_of}"
                )
            }
            Explanation::Months { months } => write!(f, "{months} months"),
            Explanation::Discount {
                percent,
                valid_until,
            } => {
                write!(f, "{percent}% quote discount, valid through {valid_until}")
            }
            Explanation::DiscountExpired {
                percent,
                valid_until,
            } => {
                write!(
                    f,
                    "{percent}% quote discount expired on {valid_until}, not applied"
                )
            }
            Explanation::Tax {
                name,
                rate,
                base_numerator,
                base_denominator,
            } => {
                let pct = (rate * Decimal::ONE_HUNDRED).normalize();
                if base_numerator == base_denominator {
                    write!(f, "{name} {pct}%")
                } else {
                    write!(
                        f,
                        "{name} {pct}% on {base_numerator}/{base_denominator} of the price"
                    )
                }
            }
        }
    }
}
