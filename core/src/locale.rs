//! Formatting for people: numbers, money and dates in English (`en`), Bahasa Indonesia (`id`) and
//! German (`de`).
//!
//! Kept in `core` so the confirmation page, the PDF receipt and the e-mails format alike.

use std::fmt::Write as _;
use std::str::FromStr;

use rust_decimal::Decimal;
use time::Date;

use crate::money::{Currency, Money};

/// A UI language.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Bahasa Indonesia.
    Id,
    /// German.
    De,
}

impl Locale {
    /// Every language.
    pub const ALL: [Locale; 3] = [Locale::En, Locale::Id, Locale::De];

    /// BCP 47 tag for `<html lang>`.
    #[must_use]
    pub const fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Id => "id",
            Locale::De => "de",
        }
    }

    /// The language's name in that language, as a language switcher lists it.
    #[must_use]
    pub const fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Id => "Bahasa Indonesia",
            Locale::De => "Deutsch",
        }
    }

    /// The language to write in to someone Entitle knows only the country of (a Business Partner, a
    /// billing contact who has no account): German in Germany, Austria, Switzerland and Liechtenstein,
    /// Indonesian in Indonesia, else English.
    #[must_use]
    pub fn of_country(country: crate::country::CountryCode) -> Locale {
        match country.as_str() {
            "DE" | "AT" | "CH" | "LI" => Locale::De,
            "ID" => Locale::Id,
            _ => Locale::En,
        }
    }

    /// Group and decimal separators.
    const fn separators(self) -> (char, char) {
        match self {
            Locale::En => (',', '.'),
            Locale::Id | Locale::De => ('.', ','),
        }
    }

    /// A rate given as a fraction (`0.12`) as the percent number people read (`12`, `7,5`), with the
    /// decimals it has and no trailing zeros; the `%` sign is left to the sentence.
    #[must_use]
    pub fn percent(self, fraction: Decimal) -> String {
        let pct = (fraction * Decimal::ONE_HUNDRED).normalize();
        self.number(pct, pct.scale())
    }

    /// Formats a number with `dp` decimals (half-up) and digit grouping.
    #[must_use]
    pub fn number(self, value: Decimal, dp: u32) -> String {
        let (group, decimal) = self.separators();
        let rounded =
            value.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        let text = format!("{:.*}", dp as usize, rounded.abs());
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let mut out = String::with_capacity(text.len() + text.len() / 3 + 2);
        if rounded.is_sign_negative() && !rounded.is_zero() {
            out.push('-');
        }
        let digits = int.len();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (digits - i) % 3 == 0 {
                out.push(group);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(decimal);
            out.push_str(frac);
        }
        out
    }

    /// Formats money, rounded to the currency's minor units: `$1,234.56` (en), `Rp 1.234.567,00` and
    /// `1.234,56 €` (id), `1.234,56 €` and `1.234,56 $` (de).
    #[must_use]
    pub fn money(self, m: &Money) -> String {
        let number = self.number(m.amount(), m.currency().minor_units());
        let (prefix, suffix) = currency_affixes(self, m.currency());
        let mut out = String::with_capacity(number.len() + 6);
        out.push_str(prefix);
        out.push_str(&number);
        out.push_str(suffix);
        out
    }

    /// Formats a date as people write it: `31 Mar 2027` / `31 Mar 2027` (`Agu`, `Okt`, `Des` in `id`) /
    /// `31. März 2027`.
    #[must_use]
    pub fn date(self, d: Date) -> String {
        const EN: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        const ID: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
        ];
        // CLDR's abbreviated German months: four letters stay whole, the others take a full stop.
        const DE: [&str; 12] = [
            "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.",
            "Dez.",
        ];
        let names = match self {
            Locale::En => EN,
            Locale::Id => ID,
            Locale::De => DE,
        };
        let month = names[usize::from(u8::from(d.month())) - 1];
        let mut out = String::with_capacity(12);
        let _ = match self {
            Locale::De => write!(out, "{}. {month} {}", d.day(), d.year()),
            Locale::En | Locale::Id => write!(out, "{} {month} {}", d.day(), d.year()),
        };
        out
    }
}

impl Locale {
    /// The full name of a month: `January` / `Januari` / `Januar`.
    #[must_use]
    pub const fn month_name(self, month: time::Month) -> &'static str {
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        const ID: [&str; 12] = [
            "Januari",
            "Februari",
            "Maret",
            "April",
            "Mei",
            "Juni",
            "Juli",
            "Agustus",
            "September",
            "Oktober",
            "November",
            "Desember",
        ];
        const DE: [&str; 12] = [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ];
        let i = month as usize - 1;
        match self {
            Locale::En => EN[i],
            Locale::Id => ID[i],
            Locale::De => DE[i],
        }
    }

    /// A month of a year as a heading: `January 2027` / `Januari 2027` / `Januar 2027`.
    #[must_use]
    pub fn month_year(self, year: i32, month: time::Month) -> String {
        format!("{} {year}", self.month_name(month))
    }

    /// A date written out, as documents print it: `1 January 2027` / `1 Januari 2027` /
    /// `1. Januar 2027`.
    #[must_use]
    pub fn long_date(self, d: Date) -> String {
        let month = self.month_name(d.month());
        match self {
            Locale::De => format!("{}. {month} {}", d.day(), d.year()),
            Locale::En | Locale::Id => format!("{} {month} {}", d.day(), d.year()),
        }
    }

    /// A month key of the API (`2027-01`) as a heading in this language; `None` when it is not one.
    #[must_use]
    pub fn month_key(self, key: &str) -> Option<String> {
        let (year, month) = key.split_once('-')?;
        let (year, month): (i32, u8) = (year.parse().ok()?, month.parse().ok()?);
        Some(self.month_year(year, time::Month::try_from(month).ok()?))
    }
}

/// What goes before and after the number for a currency in a locale.
const fn currency_affixes(locale: Locale, currency: Currency) -> (&'static str, &'static str) {
    match (locale, currency) {
        (Locale::En, Currency::Usd) => ("$", ""),
        (Locale::Id, Currency::Usd) => ("US$", ""),
        (Locale::En, Currency::Eur) => ("€", ""),
        // Continental style, as people in Indonesia and Europe read euro prices.
        (Locale::Id, Currency::Eur) => ("", " €"),
        // German puts every currency after the amount (CLDR), with the symbols a German reader knows.
        (Locale::De, Currency::Usd) => ("", " $"),
        (Locale::De, Currency::Eur) => ("", " €"),
        (Locale::De, Currency::Idr) => ("", " IDR"),
        (Locale::De, Currency::Jpy) => ("", " ¥"),
        (Locale::De, Currency::Gbp) => ("", " £"),
        (Locale::De, Currency::Sgd) => ("", " SGD"),
        (Locale::De, Currency::Aud) => ("", " AU$"),
        (_, Currency::Idr) => ("Rp ", ""),
        (_, Currency::Jpy) => ("¥", ""),
        (_, Currency::Gbp) => ("£", ""),
        (_, Currency::Sgd) => ("S$", ""),
        (_, Currency::Aud) => ("A$", ""),
    }
}

/// An unknown language tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {0:?}")]
pub struct UnknownLocale(pub String);

impl FromStr for Locale {
    type Err = UnknownLocale;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let primary = s.split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "en" => Ok(Locale::En),
            "id" | "in" => Ok(Locale::Id),
            "de" => Ok(Locale::De),
            _ => Err(UnknownLocale(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use time::macros::date;

    fn money(s: &str, c: Currency) -> Money {
        Money::new(s.parse().unwrap(), c)
    }

    #[test]
    fn a_rate_is_shown_as_the_percent_charged_in_each_language() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(Locale::En.percent(d("0.12")), "12");
        assert_eq!(Locale::Id.percent(d("0.12")), "12");
        assert_eq!(Locale::En.percent(d("0.075")), "7.5");
        assert_eq!(Locale::Id.percent(d("0.075")), "7,5");
        assert_eq!(Locale::Id.percent(d("0")), "0");
    }

    #[test]
    fn money_is_formatted_the_way_each_language_writes_it() {
        assert_eq!(
            Locale::En.money(&money("1234.56", Currency::Usd)),
            "$1,234.56"
        );
        assert_eq!(
            Locale::Id.money(&money("1234567", Currency::Idr)),
            "Rp 1.234.567,00"
        );
        assert_eq!(
            Locale::Id.money(&money("1234.56", Currency::Eur)),
            "1.234,56 €"
        );
        assert_eq!(
            Locale::En.money(&money("1234567", Currency::Idr)),
            "Rp 1,234,567.00"
        );
        assert_eq!(Locale::En.money(&money("1234.5", Currency::Jpy)), "¥1,235");
        assert_eq!(Locale::En.money(&money("0.5", Currency::Usd)), "$0.50");
        assert_eq!(
            Locale::De.money(&money("1234.56", Currency::Eur)),
            "1.234,56 €"
        );
        assert_eq!(
            Locale::De.money(&money("1234.5", Currency::Usd)),
            "1.234,50 $"
        );
        assert_eq!(
            Locale::De.money(&money("1234567", Currency::Idr)),
            "1.234.567,00 IDR"
        );
        assert_eq!(Locale::De.percent("0.19".parse().unwrap()), "19");
        assert_eq!(Locale::De.percent("0.075".parse().unwrap()), "7,5");
        assert_eq!(
            Locale::En.money(&money("-1000", Currency::Usd)),
            "$-1,000.00"
        );
    }

    #[test]
    fn numbers_group_thousands() {
        assert_eq!(Locale::En.number(Decimal::from(999), 0), "999");
        assert_eq!(Locale::En.number(Decimal::from(1000), 0), "1,000");
        assert_eq!(Locale::Id.number(Decimal::from(1_000_000), 0), "1.000.000");
    }

    #[test]
    fn dates_use_the_languages_month_names() {
        assert_eq!(Locale::En.date(date!(2027 - 08 - 01)), "1 Aug 2027");
        assert_eq!(Locale::Id.date(date!(2027 - 08 - 01)), "1 Agu 2027");
        assert_eq!(Locale::De.date(date!(2027 - 08 - 01)), "1. Aug. 2027");
        assert_eq!(Locale::De.date(date!(2027 - 03 - 31)), "31. März 2027");
    }

    #[test]
    fn months_and_written_out_dates_read_in_each_language() {
        assert_eq!(
            Locale::En.long_date(date!(2027 - 01 - 01)),
            "1 January 2027"
        );
        assert_eq!(
            Locale::Id.long_date(date!(2027 - 01 - 01)),
            "1 Januari 2027"
        );
        assert_eq!(
            Locale::Id.long_date(date!(2027 - 08 - 17)),
            "17 Agustus 2027"
        );
        assert_eq!(
            Locale::De.long_date(date!(2027 - 01 - 01)),
            "1. Januar 2027"
        );
        assert_eq!(
            Locale::De.month_key("2027-03").as_deref(),
            Some("März 2027")
        );
        assert_eq!(
            Locale::En.month_key("2027-01").as_deref(),
            Some("January 2027")
        );
        assert_eq!(
            Locale::Id.month_key("2026-12").as_deref(),
            Some("Desember 2026")
        );
        for bad in [
            "",
            "2027",
            "2027-13",
            "2027-00",
            "x-01",
            "2027-01-01",
            "2027-é",
        ] {
            assert_eq!(Locale::En.month_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_country_gives_the_language_to_write_in() {
        use crate::country::CountryCode;
        assert_eq!(Locale::of_country(CountryCode::DE), Locale::De);
        assert_eq!(Locale::of_country(CountryCode::ID), Locale::Id);
        assert_eq!(Locale::of_country(CountryCode::JP), Locale::En);
    }

    #[test]
    fn language_tags_parse_by_their_primary_subtag() {
        assert_eq!("id-ID".parse::<Locale>(), Ok(Locale::Id));
        assert_eq!("en_GB".parse::<Locale>(), Ok(Locale::En));
        assert_eq!("de-AT".parse::<Locale>(), Ok(Locale::De));
        assert!("fr".parse::<Locale>().is_err());
    }
}
