//! Why a line costs what it costs: the reasons a UI shows (and translates by variant).

use super::*;

/// One reason a line costs what it costs, for a UI to show (and translate by variant).
///
/// In JSON it is externally tagged — `{"tax": {"name": "PPN", …}}`, `"express_list_price"` — rather than
/// carrying a `kind` field: reading an internally tagged enum needs serde to buffer every value first,
/// which costs the browser build far more code.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
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
        #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
        until: Date,
    },
    /// The S&S included with a new licence runs until the site's anniversary, when all of the site's
    /// coverage renews.
    CoTermed {
        /// The anniversary coverage ends on.
        #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
        until: Date,
    },
    /// Lapsed S&S replaced by its reinstatement part.
    Reinstated {
        /// The renewal part asked for.
        instead_of: PartNumber,
        /// When coverage lapsed.
        #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
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
        #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
        valid_until: Date,
    },
    /// A quote discount that is no longer valid and was not applied.
    DiscountExpired {
        /// Percent that would have applied.
        percent: Decimal,
        /// The day it ended.
        #[cfg_attr(feature = "serde", serde(with = "crate::dates::iso"))]
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

impl Explanation {
    /// The variant's stable code, as in JSON: `level`, `express_list_price`, `prorated`, `co_termed`,
    /// `reinstated`, `months`, `discount`, `discount_expired`, `tax`.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Explanation::Level { .. } => "level",
            Explanation::ExpressListPrice => "express_list_price",
            Explanation::Prorated { .. } => "prorated",
            Explanation::CoTermed { .. } => "co_termed",
            Explanation::Reinstated { .. } => "reinstated",
            Explanation::Months { .. } => "months",
            Explanation::Discount { .. } => "discount",
            Explanation::DiscountExpired { .. } => "discount_expired",
            Explanation::Tax { .. } => "tax",
        }
    }

    /// The reason as a phrase in `locale`, with dates, rates and percentages written the way that
    /// language writes them (the app, the e-mails and the documents all show this text).
    #[must_use]
    pub fn text(&self, locale: crate::locale::Locale) -> String {
        let en = locale == crate::locale::Locale::En;
        let date = |d: &Date| locale.date(*d);
        match self {
            Explanation::Level {
                level,
                held,
                lifted: true,
            } => {
                let (l, h) = (level.code(), held.code());
                if en {
                    format!("price level {l} (lifted from {h} by this order's points)")
                } else {
                    format!("tingkat harga {l} (naik dari {h} karena poin pesanan ini)")
                }
            }
            Explanation::Level { level, .. } => {
                let l = level.code();
                if en {
                    format!("price level {l}")
                } else {
                    format!("tingkat harga {l}")
                }
            }
            Explanation::ExpressListPrice => if en {
                "express agreement: list price (BL)"
            } else {
                "perjanjian express: harga daftar (BL)"
            }
            .to_owned(),
            Explanation::CoTermed { until } => {
                let u = date(until);
                if en {
                    format!(
                        "includes S&S until the site's anniversary on {u}, when all its coverage renews"
                    )
                } else {
                    format!(
                        "termasuk S&S sampai ulang tahun situs pada {u}, saat semua cakupannya diperpanjang"
                    )
                }
            }
            Explanation::Prorated { days, of, until } => {
                let u = date(until);
                if en {
                    format!("co-termed to the site's anniversary on {u}: prorated {days}/{of} days")
                } else {
                    format!("disamakan dengan ulang tahun situs pada {u}: prorata {days}/{of} hari")
                }
            }
            Explanation::Reinstated {
                instead_of,
                lapsed_on,
            } => {
                let d = date(lapsed_on);
                if en {
                    format!(
                        "coverage ended on {d} and was not renewed in time, so it can no longer be renewed ({instead_of}): it is reinstated from the order date"
                    )
                } else {
                    format!(
                        "cakupan berakhir pada {d} dan tidak diperpanjang tepat waktu, sehingga tidak dapat diperpanjang lagi ({instead_of}): dipulihkan mulai tanggal pesanan"
                    )
                }
            }
            Explanation::Months { months } => {
                if en {
                    format!("{months} months")
                } else {
                    format!("{months} bulan")
                }
            }
            Explanation::Discount {
                percent,
                valid_until,
            } => {
                let (p, d) = (locale.number(*percent, percent.scale()), date(valid_until));
                if en {
                    format!("{p}% quote discount, valid through {d}")
                } else {
                    format!("diskon penawaran {p}%, berlaku sampai {d}")
                }
            }
            Explanation::DiscountExpired {
                percent,
                valid_until,
            } => {
                let (p, d) = (locale.number(*percent, percent.scale()), date(valid_until));
                if en {
                    format!("{p}% quote discount expired on {d}, not applied")
                } else {
                    format!("diskon {p}% tidak berlaku lagi sejak {d}")
                }
            }
            Explanation::Tax {
                name,
                rate,
                base_numerator,
                base_denominator,
            } => {
                let pct = locale.percent(*rate);
                let (n, d) = (base_numerator, base_denominator);
                match (en, n == d) {
                    (_, true) => format!("{name} {pct}%"),
                    (true, false) => format!("{name} {pct}% on {n}/{d} of the price"),
                    (false, false) => format!("{name} {pct}% atas {n}/{d} harga"),
                }
            }
        }
    }
}

impl fmt::Display for Explanation {
    /// The English text ([`Explanation::text`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(crate::locale::Locale::En))
    }
}
