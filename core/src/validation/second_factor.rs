//! What a person types at the second step of signing in: the six-digit code their authenticator app
//! shows (RFC 6238), or one of their one-time recovery codes. Spaces and dashes are ignored, so a code
//! copied as "123 456" or "k7m2q-x9pwd" is read as it was meant.

use std::fmt;

use crate::locale::Locale;

/// Letters and digits of recovery codes: lower-case, without the look-alikes 0/o, 1/l/i.
pub const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
/// Characters of a recovery code (about 49 bits).
pub const RECOVERY_LEN: usize = 10;
/// Digits of an authenticator code.
pub const TOTP_DIGITS: usize = 6;

/// A code in one of the two shapes. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub enum SecondFactorCode {
    /// Six digits from an authenticator app.
    Totp(String),
    /// A recovery code, normalised (lower-case, no separators).
    Recovery(String),
}

/// Why the input is not a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SecondFactorError {
    /// Nothing typed.
    #[error("enter the code from your authenticator app")]
    Empty,
    /// Neither six digits nor a recovery code.
    #[error("enter the 6-digit code from your authenticator app, or a recovery code")]
    Malformed,
}

impl SecondFactorError {
    /// Stable code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            SecondFactorError::Empty => "field.required",
            SecondFactorError::Malformed => "mfa.code_format",
        }
    }
}

impl super::Explain for SecondFactorError {
    fn code(&self) -> &'static str {
        SecondFactorError::code(*self)
    }

    fn message(&self, locale: Locale) -> String {
        match (locale, self) {
            (Locale::En, e) => capitalise(&e.to_string()),
            (Locale::Id, SecondFactorError::Empty) => {
                "Masukkan kode dari aplikasi autentikator Anda".to_owned()
            }
            (Locale::Id, SecondFactorError::Malformed) => {
                "Masukkan kode 6 digit dari aplikasi autentikator Anda, atau kode pemulihan"
                    .to_owned()
            }
            (Locale::De, SecondFactorError::Empty) => {
                "Geben Sie den Code aus Ihrer Authentifizierungs-App ein".to_owned()
            }
            (Locale::De, SecondFactorError::Malformed) => {
                "Geben Sie den 6-stelligen Code aus Ihrer Authentifizierungs-App oder einen Wiederherstellungscode ein"
                    .to_owned()
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

impl SecondFactorCode {
    /// Reads what was typed.
    ///
    /// # Errors
    /// [`SecondFactorError`].
    pub fn parse(input: &str) -> Result<Self, SecondFactorError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_lowercase();
        if compact.is_empty() {
            return Err(SecondFactorError::Empty);
        }
        if compact.len() == TOTP_DIGITS && compact.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(SecondFactorCode::Totp(compact));
        }
        if compact.len() == RECOVERY_LEN && compact.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))
        {
            return Ok(SecondFactorCode::Recovery(compact));
        }
        Err(SecondFactorError::Malformed)
    }

    /// Only an authenticator code (to confirm a new authenticator, a recovery code proves nothing).
    ///
    /// # Errors
    /// [`SecondFactorError`].
    pub fn parse_totp(input: &str) -> Result<String, SecondFactorError> {
        match Self::parse(input)? {
            SecondFactorCode::Totp(code) => Ok(code),
            SecondFactorCode::Recovery(_) => Err(SecondFactorError::Malformed),
        }
    }
}

impl fmt::Debug for SecondFactorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecondFactorCode::Totp(_) => f.write_str("Totp(••••••)"),
            SecondFactorCode::Recovery(_) => f.write_str("Recovery(••••••••••)"),
        }
    }
}

/// A recovery code as it is shown to be written down: two groups of five ("k7m2q-x9pwd").
#[must_use]
pub fn format_recovery_code(code: &str) -> String {
    if code.len() == RECOVERY_LEN && code.is_ascii() {
        format!("{}-{}", &code[..5], &code[5..])
    } else {
        code.to_owned()
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn six_digits_are_an_authenticator_code_whatever_the_spacing() {
        assert_eq!(
            SecondFactorCode::parse(" 123 456 "),
            Ok(SecondFactorCode::Totp("123456".into()))
        );
        assert_eq!(SecondFactorCode::parse_totp("123-456"), Ok("123456".into()));
    }

    #[test]
    fn a_recovery_code_is_read_in_either_case_with_or_without_its_dash() {
        let expected = Ok(SecondFactorCode::Recovery("k7m2qx9pwd".into()));
        assert_eq!(SecondFactorCode::parse("k7m2q-x9pwd"), expected);
        assert_eq!(SecondFactorCode::parse("K7M2QX9PWD"), expected);
        assert_eq!(format_recovery_code("k7m2qx9pwd"), "k7m2q-x9pwd");
        assert_eq!(
            SecondFactorCode::parse_totp("k7m2q-x9pwd"),
            Err(SecondFactorError::Malformed)
        );
    }

    #[test]
    fn anything_else_is_refused_with_a_reason() {
        assert_eq!(SecondFactorCode::parse("  "), Err(SecondFactorError::Empty));
        for bad in ["12345", "1234567", "abcdef", "k7m2q-x9pw0", "１２３４５６"] {
            assert_eq!(
                SecondFactorCode::parse(bad),
                Err(SecondFactorError::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn debug_does_not_show_the_code() {
        let code = SecondFactorCode::parse("654321").unwrap();
        assert!(!format!("{code:?}").contains("654321"));
    }
}
