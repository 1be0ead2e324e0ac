//! Two-step verification: authenticator-app codes (TOTP, RFC 6238: HMAC-SHA-1, 6 digits, 30-second
//! steps, one step of drift either way) and one-time recovery codes.
//!
//! `totp-rs` computes the codes; it is given the server's [`crate::clock::Clock`] time, never its own,
//! and each accepted step is remembered so a code works once (RFC 6238 §5.2). Recovery codes are random
//! (about 49 bits each) and only their SHA-256 is stored: they are not guessable, so a slow hash would
//! add nothing.

use entitle_core::validation::second_factor::{
    RECOVERY_ALPHABET, RECOVERY_LEN, format_recovery_code,
};
use rand::Rng as _;
use totp_rs::{Algorithm, Builder, Secret, Totp};

/// The issuer an authenticator app shows next to the account.
pub const ISSUER: &str = "Entitle";
/// How many recovery codes a user gets.
pub const RECOVERY_CODES: usize = 10;
/// How long a sign-in may wait for its second step.
pub const CHALLENGE_SECS: i64 = 10 * 60;
/// Wrong codes one sign-in may take before it must start again.
pub const CHALLENGE_ATTEMPTS: i64 = 5;

/// A new authenticator key (160 random bits, as RFC 4226 recommends), base32.
#[must_use]
pub fn new_secret() -> String {
    let bytes: [u8; 20] = rand::random();
    Secret::from(bytes.to_vec()).to_base32()
}

fn totp(secret_b32: &str, account: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_b32).ok()?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        .with_account_name(account.replace(':', ""))
        .build()
        .ok()
}

/// The time step a six-digit `code` is valid for at `now` (unix seconds), if it is valid for one after
/// `last_step` (the step of the last code accepted: each is accepted once).
#[must_use]
pub fn accept(secret_b32: &str, code: &str, now: i64, last_step: Option<i64>) -> Option<i64> {
    let totp = totp(secret_b32, "")?;
    let now = u64::try_from(now).ok()?;
    // Each step of the window on its own, so a code of an already-used step is refused even when a
    // later step in the window would not match either.
    [now.saturating_sub(30), now, now + 30]
        .into_iter()
        .filter_map(|t| {
            let step = i64::try_from(t / 30).ok()?;
            (last_step.is_none_or(|last| step > last) && totp.generate(t).to_string() == code)
                .then_some(step)
        })
        .next()
}

/// The code an authenticator shows at `now` (for tests and the demo's own tooling).
#[must_use]
pub fn code_at(secret_b32: &str, now: i64) -> Option<String> {
    let totp = totp(secret_b32, "")?;
    Some(totp.generate(u64::try_from(now).ok()?).to_string())
}

/// What an authenticator app needs to be set up for `account`: the `otpauth://` URI and its QR code as
/// an SVG image.
#[must_use]
pub fn enrolment(secret_b32: &str, account: &str) -> Option<entitle_core::dto::TotpEnrolment> {
    let uri = totp(secret_b32, account)?.to_url().ok()?;
    let qr =
        qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M).ok()?;
    let svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(qrcode::render::svg::Color("#111111"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    Some(entitle_core::dto::TotpEnrolment {
        secret: secret_b32.to_owned(),
        otpauth_uri: uri,
        qr_svg: svg,
    })
}

/// Ten new recovery codes: what to show ("k7m2q-x9pwd") and what to store (their hashes).
#[must_use]
pub fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let code: String = (0..RECOVERY_LEN)
                .map(|_| {
                    char::from(RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())])
                })
                .collect();
            (format_recovery_code(&code), recovery_hash(&code))
        })
        .unzip()
}

/// The stored form of a normalised recovery code.
#[must_use]
pub fn recovery_hash(code: &str) -> String {
    // The same hex SHA-256 as session and reset tokens.
    crate::auth::token_hash(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B: the SHA-1 key "12345678901234567890".
    const RFC_KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        // The RFC gives 8 digits; the last 6 are the 6-digit code.
        for (t, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (2_000_000_000, "69279037"),
        ] {
            assert_eq!(code_at(RFC_KEY, t).unwrap(), &eight[2..], "t = {t}");
        }
    }

    #[test]
    fn a_code_is_accepted_once_within_a_step_of_drift() {
        let now = 1_800_000_015;
        let code = code_at(RFC_KEY, now).unwrap();
        let step = accept(RFC_KEY, &code, now, None).expect("current code");
        assert_eq!(accept(RFC_KEY, &code, now, Some(step)), None, "replayed");
        assert_eq!(
            accept(RFC_KEY, &code, now + 30, None),
            Some(step),
            "a step late"
        );
        assert_eq!(
            accept(RFC_KEY, &code, now + 61, None),
            None,
            "two steps late"
        );
        let next = code_at(RFC_KEY, now + 30).unwrap();
        assert_eq!(
            accept(RFC_KEY, &next, now, Some(step)),
            Some(step + 1),
            "a step early"
        );
        assert_eq!(accept("not base32!", &code, now, None), None);
    }

    #[test]
    fn an_enrolment_names_the_issuer_and_account_and_draws_the_qr_code() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        let e = enrolment(&secret, "admin@entitle.example").unwrap();
        assert!(
            e.otpauth_uri
                .starts_with("otpauth://totp/Entitle:admin%40entitle.example?")
        );
        assert!(e.otpauth_uri.contains(&format!("secret={secret}")));
        assert!(e.qr_svg.starts_with("<?xml") && e.qr_svg.contains("<svg"));
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_stored_only_as_hashes() {
        let (shown, stored) = new_recovery_codes();
        assert_eq!(shown.len(), 10);
        let mut unique = shown.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        for (code, hash) in shown.iter().zip(&stored) {
            assert_eq!(code.len(), 11);
            assert_eq!(*hash, recovery_hash(&code.replace('-', "")));
            assert!(!hash.contains(&code.replace('-', "")));
        }
    }
}
