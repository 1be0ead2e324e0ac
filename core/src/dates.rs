//! Calendar dates as people and the API write them: `2027-03-31` (ISO 8601 calendar date).
//!
//! Written by hand rather than with `time`'s formatting machinery, which would add tens of kilobytes to
//! the browser build for one fixed format. Used by serde on every date of the API types
//! (`#[serde(with = "crate::dates::iso")]`).

use time::{Date, Month};

/// Why a string is not a `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a date is written YYYY-MM-DD, e.g. 2027-03-31")]
pub struct DateError;

/// Parses `YYYY-MM-DD` (a real calendar date, year 1–9999).
///
/// # Errors
/// [`DateError`].
pub fn parse(s: &str) -> Result<Date, DateError> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(DateError);
    }
    let num = |r: std::ops::Range<usize>| -> Result<u32, DateError> {
        let part = &s[r];
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().map_err(|_| DateError)
        } else {
            Err(DateError)
        }
    };
    let year = i32::try_from(num(0..4)?).map_err(|_| DateError)?;
    let month =
        Month::try_from(u8::try_from(num(5..7)?).map_err(|_| DateError)?).map_err(|_| DateError)?;
    let day = u8::try_from(num(8..10)?).map_err(|_| DateError)?;
    if year == 0 {
        return Err(DateError);
    }
    Date::from_calendar_date(year, month, day).map_err(|_| DateError)
}

/// Formats as `YYYY-MM-DD`; sorts correctly as text.
#[must_use]
pub fn format(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// serde for `Date` fields.
#[cfg(feature = "serde")]
pub mod iso {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    /// Serialises as `YYYY-MM-DD`.
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format(*d))
    }

    /// Reads `YYYY-MM-DD`.
    ///
    /// # Errors
    /// When the text is not a date.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        super::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// serde for `Option<Date>` fields.
#[cfg(feature = "serde")]
pub mod iso_option {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    /// Serialises as `YYYY-MM-DD` or `null`.
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&super::format(*d)),
            None => s.serialize_none(),
        }
    }

    /// Reads `YYYY-MM-DD` or `null`.
    ///
    /// # Errors
    /// When the text is not a date.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let s = <Option<std::borrow::Cow<'de, str>>>::deserialize(d)?;
        s.map(|s| super::parse(&s).map_err(serde::de::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use time::macros::date;

    #[test]
    fn dates_round_trip_through_their_iso_form() {
        assert_eq!(format(date!(2027 - 03 - 01)), "2027-03-01");
        assert_eq!(parse("2028-02-29"), Ok(date!(2028 - 02 - 29)));
        for bad in [
            "2027-02-29",
            "2027-13-01",
            "2027-1-01",
            "27-01-01",
            "2027/01/01",
            "0000-01-01",
            "2027-01-0x",
            "",
        ] {
            assert_eq!(parse(bad), Err(DateError), "{bad}");
        }
    }

    #[cfg(feature = "serde")]
    #[test]
    fn api_dates_are_iso_strings_in_json() {
        let line = crate::pricing::Discount {
            percent: rust_decimal::Decimal::TEN,
            valid_until: date!(2027 - 01 - 31),
        };
        let json = serde_json::to_string(&line).unwrap();
        assert_eq!(json, r#"{"percent":"10","valid_until":"2027-01-31"}"#);
        assert_eq!(
            serde_json::from_str::<crate::pricing::Discount>(&json).unwrap(),
            line
        );
    }
}
