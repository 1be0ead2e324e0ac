//! Passwords: long enough, not too long, not one of the passwords everybody tries first. No composition
//! rules (NIST SP 800-63B): length and a blocklist protect better than "one digit and one symbol".

use std::fmt;

/// Why a password is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Fewer than [`Password::MIN`] characters.
    #[error("use at least {min} characters")]
    TooShort {
        /// Minimum characters.
        min: usize,
    },
    /// More than [`Password::MAX`] characters.
    #[error("use at most {max} characters")]
    TooLong {
        /// Maximum characters.
        max: usize,
    },
    /// On the list of common passwords.
    #[error("this password is too common; choose another")]
    Common,
}

impl PasswordError {
    /// Stable code for UIs and the API.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            PasswordError::TooShort { .. } => "password.too_short",
            PasswordError::TooLong { .. } => "password.too_long",
            PasswordError::Common => "password.common",
        }
    }
}

/// The most common passwords of 8 characters or more, from public breach-frequency lists (lower-case),
/// with this product's own obvious ones. Always checked, in the browser too.
const COMMON: &[&str] = &[
    "password",
    "12345678",
    "123456789",
    "1234567890",
    "qwertyuiop",
    "password1",
    "iloveyou",
    "11111111",
    "00000000",
    "87654321",
    "abcd1234",
    "qwerty123",
    "1q2w3e4r",
    "1qaz2wsx",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "welcome1",
    "welcome123",
    "admin123",
    "administrator",
    "passw0rd",
    "p@ssw0rd",
    "password123",
    "password12",
    "trustno1",
    "superman",
    "starwars",
    "whatever",
    "letmein1",
    "qwertyui",
    "asdfghjk",
    "zxcvbnm1",
    "michael1",
    "jennifer",
    "computer",
    "internet",
    "monkey123",
    "dragon123",
    "master123",
    "shadow12",
    "12341234",
    "123123123",
    "1234qwer",
    "q1w2e3r4",
    "qazwsxedc",
    "aaaaaaaa",
    "changeme",
    "secret123",
    "entitle-demo",
    "entitle1",
    "12344321",
    "987654321",
    "123qweasd",
    "iloveyou1",
];

/// Every password of 8 characters or more among the 30,000 most common in public breach corpora
/// (11,611 of them — the 30,000 include shorter ones, which the length rule refuses anyway), one per
/// line, lower-case. The ranking is the one the `zxcvbn` project publishes (MIT licence).
///
/// Behind the `common-passwords` feature: 109 kB is more than the browser's whole download budget
/// allows, so the app checks the short list above and the server — which enables the feature — the
/// whole list, answering a field error the form shows like its own.
#[cfg(feature = "common-passwords")]
const COMMON_LIST: &str = include_str!("../../data/common-passwords.txt");

/// Whether the lower-cased `password` is on a list of common passwords.
fn is_common(lower: &str) -> bool {
    if COMMON.contains(&lower) {
        return true;
    }
    #[cfg(feature = "common-passwords")]
    if COMMON_LIST.lines().any(|line| line == lower) {
        return true;
    }
    false
}

/// A password that meets the policy. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Fewest characters.
    pub const MIN: usize = 8;
    /// Most characters (argon2 takes any length; this bounds the work per sign-in).
    pub const MAX: usize = 128;

    /// Checks a new password.
    ///
    /// # Errors
    /// [`PasswordError`].
    pub fn parse(input: &str) -> Result<Self, PasswordError> {
        let n = input.chars().count();
        if n < Self::MIN {
            return Err(PasswordError::TooShort { min: Self::MIN });
        }
        if n > Self::MAX {
            return Err(PasswordError::TooLong { max: Self::MAX });
        }
        if is_common(&input.to_lowercase()) {
            return Err(PasswordError::Common);
        }
        Ok(Password(input.to_owned()))
    }

    /// The password, for hashing only.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(••••)")
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn a_password_needs_eight_characters_and_may_have_a_hundred_and_twenty_eight() {
        assert_eq!(
            Password::parse("short"),
            Err(PasswordError::TooShort { min: 8 })
        );
        assert!(Password::parse("eight ch").is_ok());
        assert!(Password::parse(&"x".repeat(64)).is_ok());
        assert!(Password::parse(&"é".repeat(128)).is_ok());
        assert_eq!(
            Password::parse(&"x".repeat(129)),
            Err(PasswordError::TooLong { max: 128 })
        );
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert_eq!(Password::parse("Password1"), Err(PasswordError::Common));
        assert_eq!(Password::parse("12345678"), Err(PasswordError::Common));
        assert!(Password::parse("correct horse battery staple").is_ok());
    }

    #[cfg(feature = "common-passwords")]
    #[test]
    fn the_full_list_holds_more_than_ten_thousand_common_passwords() {
        assert!(COMMON_LIST.lines().count() >= 10_000);
        // Far down the ranking, and in any case.
        for common in ["qwertyuiop12", "wonderwoman", "Thecakeisalie", "jasmine123"] {
            assert_eq!(
                Password::parse(common),
                Err(PasswordError::Common),
                "{common}"
            );
        }
        assert!(
            COMMON_LIST
                .lines()
                .all(|l| l.chars().count() >= Password::MIN && l == l.to_lowercase())
        );
    }

    #[test]
    fn no_composition_rules_apply() {
        assert!(Password::parse("alllowercaseletters").is_ok());
    }

    #[test]
    fn debug_does_not_show_the_password() {
        assert!(!format!("{:?}", Password::parse("sekrit-pass-42").unwrap()).contains("sekrit"));
    }
}
