//! Pieces of two-step verification shown both at sign-in and on the security page: the authenticator
//! to set up (QR code and key), and recovery codes to write down.

use entitle_core::dto::TotpEnrolment;
use leptos::prelude::*;

use crate::i18n::use_locale;
use crate::ui::tx;

/// The key in groups of four, as people type it into an app.
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The QR code as an image source (a data URI: the SVG is plain ASCII).
fn qr_source(svg: &str) -> String {
    let encoded = web_sys::window()
        .and_then(|w| w.btoa(svg).ok())
        .unwrap_or_default();
    format!("data:image/svg+xml;base64,{encoded}")
}

/// Set up an authenticator: scan the code, or type the key.
#[component]
pub fn AuthenticatorSetup(
    /// The key, its URI and QR code.
    enrolment: TotpEnrolment,
) -> impl IntoView {
    let locale = use_locale();
    let src = qr_source(&enrolment.qr_svg);
    let key = grouped(&enrolment.secret);
    view! {
        <div class="authenticator-setup">
            <ol class="steps-list">
                <li>{move || tx(locale.get(),
                    "Open an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, 1Password, …).",
                    "Buka aplikasi autentikator di ponsel Anda (Google Authenticator, Microsoft Authenticator, 1Password, …).")}</li>
                <li>{move || tx(locale.get(),
                    "Scan this QR code, or type the key below.",
                    "Pindai kode QR ini, atau ketik kunci di bawah.")}</li>
                <li>{move || tx(locale.get(),
                    "Enter the 6-digit code the app shows.",
                    "Masukkan kode 6 digit yang ditampilkan aplikasi.")}</li>
            </ol>
            <img class="qr" src=src width="200" height="200"
                alt=move || tx(locale.get(), "QR code for your authenticator app", "Kode QR untuk aplikasi autentikator Anda")/>
            <p class="secret">
                <span>{move || tx(locale.get(), "Key: ", "Kunci: ")}</span>
                <code id="totp-secret">{key}</code>
            </p>
        </div>
    }
}

/// Recovery codes to keep somewhere safe; each signs in once when the phone is not at hand.
#[component]
pub fn RecoveryCodeList(
    /// The codes, as shown ("k7m2q-x9pwd").
    codes: Vec<String>,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="alert warning recovery-codes" role="status">
            <h2>{move || tx(locale.get(), "Save your recovery codes", "Simpan kode pemulihan Anda")}</h2>
            <p>{move || tx(locale.get(),
                "If you lose your phone, each of these codes signs you in once. Print them or keep them in a password manager: they are shown only now.",
                "Jika ponsel Anda hilang, setiap kode ini dapat dipakai masuk satu kali. Cetak atau simpan di pengelola kata sandi: kode hanya ditampilkan sekarang.")}</p>
            <ol class="codes" id="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ol>
        </div>
    }
}
