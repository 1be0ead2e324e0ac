//! Countries (ISO 3166-1 alpha-2) and the per-country rules that are data: tax and payment methods.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

/// An ISO 3166-1 alpha-2 country code, upper-case, e.g. `ID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "ID"))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct CountryCode([u8; 2]);

/// Why a string is not a [`CountryCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a country code is two letters (ISO 3166-1 alpha-2)")]
pub struct CountryCodeError;

impl CountryCode {
    /// Indonesia.
    pub const ID: CountryCode = CountryCode(*b"ID");
    /// United States.
    pub const US: CountryCode = CountryCode(*b"US");
    /// Germany.
    pub const DE: CountryCode = CountryCode(*b"DE");
    /// United Kingdom.
    pub const GB: CountryCode = CountryCode(*b"GB");
    /// Japan.
    pub const JP: CountryCode = CountryCode(*b"JP");

    /// The country's name in `locale` (CLDR's, see `scripts/country-names.py`), for people:
    /// addresses, the review step, documents. The code itself for one that ISO 3166-1 does not assign.
    #[must_use]
    pub fn name(&self, locale: crate::locale::Locale) -> &str {
        use crate::locale::Locale;
        match crate::country_names::NAMES.binary_search_by(|(code, ..)| code.cmp(&self.0)) {
            Ok(i) => {
                let (_, en, id, de) = crate::country_names::NAMES[i];
                match locale {
                    Locale::En => en,
                    Locale::Id => id,
                    Locale::De => de,
                }
            }
            Err(_) => self.as_str(),
        }
    }

    /// The code as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl FromStr for CountryCode {
    type Err = CountryCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.trim().as_bytes();
        if b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic) {
            Ok(CountryCode([
                b[0].to_ascii_uppercase(),
                b[1].to_ascii_uppercase(),
            ]))
        } else {
            Err(CountryCodeError)
        }
    }
}

impl TryFrom<String> for CountryCode {
    type Error = CountryCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> String {
        c.as_str().to_owned()
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A country's sales tax (VAT, GST, PPN …) as data.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TaxRule {
    /// The country it applies to.
    pub country: CountryCode,
    /// What people call it, e.g. "PPN".
    pub name: String,
    /// The statutory rate, e.g. `0.12`.
    pub rate: Decimal,
    /// The share of the price the rate applies to, as an exact fraction `numerator / denominator`:
    /// `1/1` almost everywhere; `11/12` for Indonesia's PPN since 2025 (12 % on 11/12 of the price =
    /// 11 % effective). A fraction, not a decimal, because 11/12 has no exact decimal form.
    pub base_numerator: u32,
    /// See [`TaxRule::base_numerator`].
    pub base_denominator: u32,
}

impl TaxRule {
    /// The tax on a net amount, unrounded: `net × rate × numerator / denominator`.
    #[must_use]
    pub fn tax_on(&self, net: Decimal) -> Decimal {
        net * self.rate * Decimal::from(self.base_numerator)
            / Decimal::from(self.base_denominator.max(1))
    }

    /// The share of the price taxed, as a decimal (for display).
    #[must_use]
    pub fn base_fraction(&self) -> Decimal {
        Decimal::from(self.base_numerator) / Decimal::from(self.base_denominator.max(1))
    }
}

/// The tax rules by country. A country without a rule is charged no tax (e.g. US sales tax is collected
/// by the reseller, not on this portal).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TaxTable {
    rules: Vec<TaxRule>,
}

impl TaxTable {
    /// A table from rules; a later rule for the same country replaces an earlier one.
    #[must_use]
    pub fn new(rules: Vec<TaxRule>) -> Self {
        let mut table = TaxTable::default();
        for r in rules {
            table.rules.retain(|x| x.country != r.country);
            table.rules.push(r);
        }
        table
    }

    /// The rates Entitle ships with (see README "Domain data"): ID PPN 12 % on 11/12, DE USt 19 %,
    /// GB VAT 20 %, JP consumption tax 10 %, SG GST 9 %, AU GST 10 %; none for US.
    #[must_use]
    pub fn standard() -> Self {
        let rule = |c: &str, name: &str, rate: i64, num: u32, den: u32| TaxRule {
            country: c.parse().unwrap_or(CountryCode::US),
            name: name.to_owned(),
            rate: Decimal::new(rate, 2),
            base_numerator: num,
            base_denominator: den,
        };
        TaxTable::new(vec![
            rule("ID", "PPN", 12, 11, 12),
            rule("DE", "USt", 19, 1, 1),
            rule("GB", "VAT", 20, 1, 1),
            rule("JP", "消費税", 10, 1, 1),
            rule("SG", "GST", 9, 1, 1),
            rule("AU", "GST", 10, 1, 1),
        ])
    }

    /// The rule for a country, if it has one.
    #[must_use]
    pub fn rule_for(&self, country: CountryCode) -> Option<&TaxRule> {
        self.rules.iter().find(|r| r.country == country)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn country_codes_are_two_letters_upper_cased() {
        assert_eq!("id".parse::<CountryCode>(), Ok(CountryCode::ID));
        assert!("IDN".parse::<CountryCode>().is_err());
        assert!("1D".parse::<CountryCode>().is_err());
    }

    #[test]
    fn the_name_table_is_sorted_by_code_and_names_every_country_in_every_language() {
        let names = &crate::country_names::NAMES;
        assert!(names.windows(2).all(|w| w[0].0 < w[1].0));
        for (code, en, id, de) in names {
            assert!(code.iter().all(u8::is_ascii_uppercase));
            assert!(!en.is_empty() && !id.is_empty() && !de.is_empty());
        }
    }

    #[test]
    fn countries_are_named_in_the_readers_language_and_unknown_ones_by_code() {
        use crate::locale::Locale;
        assert_eq!(CountryCode::DE.name(Locale::En), "Germany");
        assert_eq!(CountryCode::DE.name(Locale::Id), "Jerman");
        assert_eq!(CountryCode::DE.name(Locale::De), "Deutschland");
        assert_eq!(CountryCode::ID.name(Locale::De), "Indonesien");
        assert_eq!(
            "KR".parse::<CountryCode>().unwrap().name(Locale::Id),
            "Korea Selatan"
        );
        assert_eq!(
            "CI".parse::<CountryCode>().unwrap().name(Locale::De),
            "Côte d’Ivoire"
        );
        assert_eq!("ZZ".parse::<CountryCode>().unwrap().name(Locale::En), "ZZ");
    }

    #[test]
    fn indonesian_ppn_is_eleven_percent_effective() {
        let t = TaxTable::standard();
        let ppn = t.rule_for(CountryCode::ID).unwrap();
        assert_eq!(ppn.tax_on(Decimal::from(1_200)), Decimal::from(132));
        assert!(t.rule_for(CountryCode::US).is_none());
    }
}
