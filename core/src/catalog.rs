//! Catalog vocabulary: part numbers, part types, licence metrics, categories and price levels.

use std::fmt;
use std::str::FromStr;

/// A 7-character part number of upper-case letters and digits, e.g. `D0ABCLL`.
///
/// By convention `D…` parts are licences and `E…` parts are S&S renewals; the part's [`PartType`] is
/// authoritative, the prefix is only a hint for people.
///
/// Stored inline as seven ASCII bytes, so it is `Copy` and cheap to hash: the pricing engine looks one up
/// for every line.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "D0ABCLL"))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct PartNumber([u8; PartNumber::LEN]);

/// Why a string is not a [`PartNumber`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartNumberError {
    /// Not exactly seven characters.
    #[error("a part number has 7 characters, not {len}")]
    WrongLength {
        /// The number of characters given.
        len: usize,
    },
    /// A character other than A–Z or 0–9.
    #[error("a part number has only letters A–Z and digits")]
    InvalidCharacter,
}

impl PartNumberError {
    /// Stable code for UIs and the API.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            PartNumberError::WrongLength { .. } => "part_number.length",
            PartNumberError::InvalidCharacter => "part_number.character",
        }
    }
}

impl PartNumber {
    /// The length of every part number.
    pub const LEN: usize = 7;

    /// Parses a part number; surrounding white space is ignored and letters are upper-cased.
    ///
    /// # Errors
    /// [`PartNumberError`] when it is not 7 letters and digits.
    pub fn parse(s: &str) -> Result<Self, PartNumberError> {
        let s = s.trim();
        let len = s.chars().count();
        if len != Self::LEN {
            return Err(PartNumberError::WrongLength { len });
        }
        let mut bytes = [0_u8; Self::LEN];
        for (slot, c) in bytes.iter_mut().zip(s.chars()) {
            if !c.is_ascii_alphanumeric() {
                return Err(PartNumberError::InvalidCharacter);
            }
            // Checked ASCII just above, so the byte is the character.
            *slot = u8::try_from(c.to_ascii_uppercase())
                .map_err(|_| PartNumberError::InvalidCharacter)?;
        }
        Ok(PartNumber(bytes))
    }

    /// The part number as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII letters and digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Display for PartNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for PartNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PartNumber({})", self.as_str())
    }
}

impl FromStr for PartNumber {
    type Err = PartNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PartNumber::parse(s)
    }
}

impl TryFrom<String> for PartNumber {
    type Error = PartNumberError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        PartNumber::parse(&s)
    }
}

impl From<PartNumber> for String {
    fn from(p: PartNumber) -> String {
        p.as_str().to_owned()
    }
}

/// Declares a closed vocabulary: an enum with a stable snake_case code (used in JSON, the database and
/// URLs) and an English label, plus `ALL`, `code()`, `label()`, `FromStr` and `Display`.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $err:literal { $($(#[$vmeta:meta])* $variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub enum $name {
            $($(#[$vmeta])* #[cfg_attr(feature = "serde", serde(rename = $code))] $variant,)+
        }

        // Written by hand: the derive does not see a `rename` passed through this macro and documented
        // the Rust names (`LicenseAndSns`) instead of the codes the API speaks (`license_sns`).
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some(concat!("A ", $err, " code.")))
                    .enum_values(Some([$($code),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        // Written out for the same reason; the npm package (core/js) puts it in its declarations.
        #[cfg(feature = "typescript")]
        impl $name {
            /// The TypeScript declaration of the codes, e.g. `export type PriceLevel = | "BL" | "D" …;`.
            pub const TYPESCRIPT: &'static str =
                concat!("export type ", stringify!($name), " =" $(, " | \"", $code, "\"")+, ";");
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code used in JSON, the database and URLs.
            #[must_use]
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// Position in [`Self::ALL`], for table lookups.
            #[must_use]
            pub const fn index(self) -> usize {
                self as usize
            }

            /// The English label (the app translates by code).
            #[must_use]
            pub const fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL.iter().copied().find(|v| v.code() == s)
                    .ok_or_else(|| UnknownCode { kind: $err, code: s.to_owned() })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

/// A code that is not in a closed vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {code:?}")]
pub struct UnknownCode {
    /// What kind of code it should have been, e.g. "part type".
    pub kind: &'static str,
    /// The code given.
    pub code: String,
}

vocabulary! {
    /// How a part is sold: what it grants and for how long.
    PartType, "part type" {
        /// A perpetual licence with the first 12 months of S&S.
        LicenseAndSns => "license_sns", "Licence + S&S 12 months";
        /// Twelve more months of S&S for a licence already held.
        AnnualSnsRenewal => "sns_renewal", "Annual S&S renewal";
        /// Restores lapsed S&S for 12 months from the order date.
        SnsReinstatement => "sns_reinstatement", "S&S reinstatement 12 months";
        /// A licence with S&S for a fixed term.
        FixedTermLicense => "fixed_term", "Fixed-term licence + S&S";
        /// A licence paid by the month.
        MonthlyLicense => "monthly", "Monthly licence";
        /// A subscription of 12 to 36 months (12 minimum, no early end).
        Subscription => "subscription", "Subscription";
    }
}

impl PartType {
    /// Whether the part covers the customer's existing licences (shown only where they hold coverage).
    #[must_use]
    pub const fn is_coverage_part(self) -> bool {
        matches!(
            self,
            PartType::AnnualSnsRenewal | PartType::SnsReinstatement
        )
    }
}

vocabulary! {
    /// The unit a licence is counted in.
    Metric, "licence metric" {
        /// Processor value units.
        Pvu => "pvu", "Processor Value Unit (PVU)";
        /// A named person.
        AuthorizedUser => "authorized_user", "Authorized User";
        /// Users at the same time.
        ConcurrentUser => "concurrent_user", "Concurrent User";
        /// A virtual processor core.
        VirtualProcessorCore => "vpc", "Virtual Processor Core";
        /// Resource value units.
        ResourceValueUnit => "rvu", "Resource Value Unit";
        /// One installation.
        Install => "install", "Install";
        /// One client device.
        ClientDevice => "client_device", "Client Device";
    }
}
impl Metric {
    /// The metric's name in `locale`, as screens and documents print it.
    #[must_use]
    pub const fn name(self, locale: crate::locale::Locale) -> &'static str {
        use crate::locale::Locale;
        match (locale, self) {
            (Locale::En, m) => m.label(),
            (Locale::Id, Metric::Pvu) => "Processor Value Unit (PVU)",
            (Locale::Id, Metric::AuthorizedUser) => "Pengguna Resmi",
            (Locale::Id, Metric::ConcurrentUser) => "Pengguna Bersamaan",
            (Locale::Id, Metric::VirtualProcessorCore) => "Inti Prosesor Virtual",
            (Locale::Id, Metric::ResourceValueUnit) => "Resource Value Unit",
            (Locale::Id, Metric::Install) => "Instalasi",
            (Locale::Id, Metric::ClientDevice) => "Perangkat Klien",
            (Locale::De, Metric::Pvu) => "Processor Value Unit (PVU)",
            (Locale::De, Metric::AuthorizedUser) => "Berechtigter Benutzer",
            (Locale::De, Metric::ConcurrentUser) => "Gleichzeitiger Benutzer",
            (Locale::De, Metric::VirtualProcessorCore) => "Virtueller Prozessorkern",
            (Locale::De, Metric::ResourceValueUnit) => "Resource Value Unit",
            (Locale::De, Metric::Install) => "Installation",
            (Locale::De, Metric::ClientDevice) => "Client-Gerät",
        }
    }
}

vocabulary! {
    /// A customer's volume price level. `Ed` (academic) and `Gv` (government) are special levels granted by
    /// agreement, not earned by points.
    PriceLevel, "price level" {
        /// Base level (fewer than 500 points; always for express agreements).
        Bl => "BL", "BL";
        /// 500–999 points.
        D => "D", "D";
        /// 1,000–2,499 points.
        E => "E", "E";
        /// 2,500–4,999 points.
        F => "F", "F";
        /// 5,000–9,999 points.
        G => "G", "G";
        /// 10,000 points and more.
        H => "H", "H";
        /// Academic.
        Ed => "ED", "ED (academic)";
        /// Government.
        Gv => "GV", "GV (government)";
    }
}

/// The points each earned level starts at, lowest first. Data, not code: a vendor changes these.
pub const LEVEL_THRESHOLDS: [(PriceLevel, u64); 6] = [
    (PriceLevel::Bl, 0),
    (PriceLevel::D, 500),
    (PriceLevel::E, 1_000),
    (PriceLevel::F, 2_500),
    (PriceLevel::G, 5_000),
    (PriceLevel::H, 10_000),
];

impl PriceLevel {
    /// The earned level for a number of points over the last term.
    #[must_use]
    pub fn for_points(points: u64) -> PriceLevel {
        LEVEL_THRESHOLDS
            .iter()
            .rev()
            .find(|(_, min)| points >= *min)
            .map_or(PriceLevel::Bl, |(level, _)| *level)
    }

    /// Whether the level is earned by points (the special ED and GV levels are not).
    #[must_use]
    pub const fn is_earned(self) -> bool {
        !matches!(self, PriceLevel::Ed | PriceLevel::Gv)
    }

    /// The earned levels, lowest first — the columns of a price list.
    pub fn earned() -> impl Iterator<Item = PriceLevel> {
        LEVEL_THRESHOLDS.iter().map(|(l, _)| *l)
    }
}

/// A catalog category (product family), e.g. "Security". Categories are data kept by the vendor, so this
/// is an open set: any non-empty name of at most 80 characters.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct Category(String);

/// Why a string is not a [`Category`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a category name has 1 to 80 characters")]
pub struct CategoryError;

impl Category {
    /// Parses a category name (trimmed; 1–80 characters).
    ///
    /// # Errors
    /// [`CategoryError`] when empty or too long.
    pub fn parse(s: &str) -> Result<Self, CategoryError> {
        let s = s.trim();
        if s.is_empty() || s.chars().count() > 80 {
            return Err(CategoryError);
        }
        Ok(Category(s.to_owned()))
    }

    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Category {
    type Error = CategoryError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Category::parse(&s)
    }
}

impl From<Category> for String {
    fn from(c: Category) -> String {
        c.0
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn a_part_number_is_trimmed_and_upper_cased() {
        assert_eq!(PartNumber::parse(" d0abcll ").unwrap().as_str(), "D0ABCLL");
    }

    #[test]
    fn a_part_number_of_the_wrong_length_is_rejected_with_its_length() {
        assert_eq!(
            PartNumber::parse("D0ABC"),
            Err(PartNumberError::WrongLength { len: 5 })
        );
        assert_eq!(
            PartNumber::parse("D0ABC-L"),
            Err(PartNumberError::InvalidCharacter)
        );
        assert_eq!(
            PartNumber::parse("D0ÄBCLL"),
            Err(PartNumberError::InvalidCharacter)
        );
    }

    #[test]
    fn points_map_to_the_levels_of_the_threshold_table() {
        assert_eq!(PriceLevel::for_points(0), PriceLevel::Bl);
        assert_eq!(PriceLevel::for_points(499), PriceLevel::Bl);
        assert_eq!(PriceLevel::for_points(500), PriceLevel::D);
        assert_eq!(PriceLevel::for_points(999), PriceLevel::D);
        assert_eq!(PriceLevel::for_points(1_000), PriceLevel::E);
        assert_eq!(PriceLevel::for_points(2_499), PriceLevel::E);
        assert_eq!(PriceLevel::for_points(2_500), PriceLevel::F);
        assert_eq!(PriceLevel::for_points(5_000), PriceLevel::G);
        assert_eq!(PriceLevel::for_points(9_999), PriceLevel::G);
        assert_eq!(PriceLevel::for_points(10_000), PriceLevel::H);
    }

    #[test]
    fn vocabulary_codes_round_trip() {
        for t in PartType::ALL {
            assert_eq!(t.code().parse::<PartType>().unwrap(), *t);
        }
        for m in Metric::ALL {
            assert_eq!(m.code().parse::<Metric>().unwrap(), *m);
        }
        for l in PriceLevel::ALL {
            assert_eq!(l.code().parse::<PriceLevel>().unwrap(), *l);
        }
        assert!("nope".parse::<Metric>().is_err());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn vocabulary_serialises_as_its_code() {
        assert_eq!(
            serde_json::to_string(&PartType::AnnualSnsRenewal).unwrap(),
            r#""sns_renewal""#
        );
        assert_eq!(serde_json::to_string(&Metric::Pvu).unwrap(), r#""pvu""#);
    }
}
