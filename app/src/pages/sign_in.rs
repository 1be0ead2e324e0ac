//! Sign-in, with a way back: `?return_to=/renewals/RQ26…` (from a renewal-notice link) is followed right
//! after signing in.

use leptos::html;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use entitle_core::dto::{SecondFactorChallenge, SecondFactorStep, SessionInfo};
use entitle_core::validation::{Explain as _, SecondFactorCode};

use crate::api::{self, ApiError, SignInOutcome};
use crate::i18n::{Key, t, use_locale};
use crate::pages::second_factor::{AuthenticatorSetup, RecoveryCodeList};
use crate::session::{SessionState, safe_return_to, use_session};
use crate::ui::tx;

/// Moves focus to the error summary once it is shown (next frame: it is still hidden right now), so
/// screen readers announce it and keyboard users start from it.
fn focus_summary(summary: NodeRef<html::Div>) {
    request_animation_frame(move || {
        if let Some(el) = summary.get_untracked() {
            let _ = el.focus();
        }
    });
}

/// The sign-in page, loaded the first time it opens (most visits never need it).
pub struct SignInRoute;

crate::pages::grouped_route!(
    start,
    SignInRoute,
    sign_in_route_view,
    sign_in_route_preload,
    { view! { <SignInPage/> }.into_any() }
);

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    let locale = use_locale();
    let session = use_session();
    let query = use_query_map();
    let return_to = Memo::new(move |_| safe_return_to(query.get().get("return_to")));
    let navigate = use_navigate();

    // Already signed in (or just signed in): go where the customer was heading.
    let go = navigate.clone();
    Effect::new(move |_| {
        if let SessionState::SignedIn(info) = session.0.get() {
            // Without a place to return to, staff start at the desk and customers at their renewals.
            let asked = query.get_untracked().get("return_to").is_some();
            let target = if !asked && info.role != entitle_core::dto::Role::Customer {
                "/desk".to_owned()
            } else {
                return_to.get_untracked()
            };
            go(
                &target,
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            );
        }
    });

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let email_error = RwSignal::new(None::<&'static str>);
    let password_error = RwSignal::new(None::<&'static str>);
    let summary = RwSignal::new(None::<Key>);
    let summary_ref = NodeRef::<html::Div>::new();
    // The second step, when the password was right and the account has (or needs) an authenticator.
    let challenge = RwSignal::new(None::<SecondFactorChallenge>);

    let submit = Action::new_local(move |(e, p): &(String, String)| {
        let (e, p) = (e.clone(), p.clone());
        async move { api::sign_in(&e, &p).await }
    });
    Effect::new(move |_| {
        if let Some(result) = submit.value().get() {
            match result {
                Ok(SignInOutcome::SignedIn(info)) => session.0.set(SessionState::SignedIn(info)),
                Ok(SignInOutcome::SecondStep(next)) => {
                    password.set(String::new());
                    challenge.set(Some(next));
                }
                Err(err) => {
                    let key = match (&err, err.status()) {
                        (_, Some(429)) => Key::TooManyAttempts,
                        (ApiError::Network(_), _) => Key::ErrorNetwork,
                        (_, Some(401)) => Key::InvalidCredentials,
                        _ => Key::ErrorGeneric,
                    };
                    summary.set(Some(key));
                    focus_summary(summary_ref);
                }
            }
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (e, p) = (email.get_untracked(), password.get_untracked());
        email_error.set(
            e.trim()
                .is_empty()
                .then_some(Key::FieldRequired)
                .map(|k| t(locale.get_untracked(), k)),
        );
        password_error.set(
            p.is_empty()
                .then_some(Key::FieldRequired)
                .map(|k| t(locale.get_untracked(), k)),
        );
        if e.trim().is_empty() || p.is_empty() {
            summary.set(Some(Key::ErrorSummary));
            focus_summary(summary_ref);
            return;
        }
        summary.set(None);
        submit.dispatch((e, p));
    };

    let password_form = move || {
        view! {
            <section class="page narrow">
                <h1>{move || t(locale.get(), Key::SignInTitle)}</h1>
                <div class="alert error" role="alert" tabindex="-1" node_ref=summary_ref hidden=move || summary.get().is_none()>
                    <h2>{move || t(locale.get(), Key::ErrorSummary)}</h2>
                    <p>{move || summary.get().map(|k| t(locale.get(), k))}</p>
                </div>
                <form class="stack" on:submit=on_submit novalidate>
                    <div class="field">
                        <label for="email">{move || t(locale.get(), Key::Email)}</label>
                        <input id="email" name="email" type="email" autocomplete="username" required
                            aria-invalid=move || email_error.get().is_some().to_string()
                            aria-describedby="email-error"
                            bind:value=email/>
                        <p id="email-error" class="field-error">{move || email_error.get()}</p>
                    </div>
                    <div class="field">
                        <label for="password">{move || t(locale.get(), Key::Password)}</label>
                        <input id="password" name="password" type="password" autocomplete="current-password" required
                            aria-invalid=move || password_error.get().is_some().to_string()
                            aria-describedby="password-error"
                            bind:value=password/>
                        <p id="password-error" class="field-error">{move || password_error.get()}</p>
                    </div>
                    <button type="submit" class="primary" disabled=move || submit.pending().get()>
                        {move || t(locale.get(), if submit.pending().get() { Key::SigningIn } else { Key::SignInButton })}
                    </button>
                </form>
                <p><a href="/reset-password">{move || t(locale.get(), Key::ForgotPassword)}</a></p>
            </section>
        }
    };
    let start_again = move || {
        challenge.set(None);
        summary.set(None);
    };
    move || match challenge.get() {
        None => password_form().into_any(),
        Some(next) => view! { <SecondStep challenge=next start_again=start_again/> }.into_any(),
    }
}

/// The second step of signing in: a code from the authenticator app (or a recovery code), or — for an
/// administrator without one — setting the app up first, then writing down the recovery codes.
#[component]
fn SecondStep(
    challenge: SecondFactorChallenge,
    start_again: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let locale = use_locale();
    let session = use_session();
    let enrolling = challenge.step == SecondFactorStep::Enrol;
    let token = challenge.challenge.clone();
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let expired = RwSignal::new(false);
    // After an enrolment: the new session waits until the codes are saved.
    let keep = RwSignal::new(None::<(SessionInfo, Vec<String>)>);
    let input_ref = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input_ref.get() {
            let _ = el.focus();
        }
    });

    let verify = Action::new_local(move |typed: &String| {
        let (token, typed) = (token.clone(), typed.clone());
        async move { api::second_factor(&token, &typed).await }
    });
    Effect::new(move |_| {
        if let Some(result) = verify.value().get() {
            let l = locale.get_untracked();
            match result {
                Ok(done) if done.recovery_codes.is_empty() => {
                    session.0.set(SessionState::SignedIn(done.session));
                }
                Ok(done) => keep.set(Some((done.session, done.recovery_codes))),
                Err(err) => {
                    if err.code() == Some(entitle_core::dto::ErrorCode::MfaChallengeExpired) {
                        expired.set(true);
                    }
                    code.set(String::new());
                    error.set(Some(crate::ui::first_message(&err, l)));
                }
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = locale.get_untracked();
        let typed = code.get_untracked();
        let parsed = if enrolling {
            SecondFactorCode::parse_totp(&typed).map(|_| ())
        } else {
            SecondFactorCode::parse(&typed).map(|_| ())
        };
        match parsed {
            Err(e) => error.set(Some(e.message(l))),
            Ok(()) => {
                error.set(None);
                verify.dispatch(typed);
            }
        }
    };
    let enrolment = challenge.enrolment.clone();
    move || {
        let l = locale.get();
        if let Some((info, codes)) = keep.get() {
            return view! {
                <section class="page narrow">
                    <h1>{tx(l, "Two-step verification is on", "Verifikasi dua langkah aktif")}</h1>
                    <RecoveryCodeList codes=codes/>
                    <button type="button" class="primary" on:click=move |_| session.0.set(SessionState::SignedIn(info.clone()))>
                        {tx(l, "I have saved them — continue", "Sudah saya simpan — lanjutkan")}
                    </button>
                </section>
            }.into_any();
        }
        let again = start_again.clone();
        view! {
            <section class="page narrow">
                <h1>{if enrolling { tx(l, "Set up two-step verification", "Siapkan verifikasi dua langkah") } else { tx(l, "Two-step verification", "Verifikasi dua langkah") }}</h1>
                <p class="lead">{if enrolling {
                    tx(l, "Administrators sign in with a code from an authenticator app as well as their password.",
                          "Administrator masuk dengan kode dari aplikasi autentikator selain kata sandi.")
                } else {
                    tx(l, "Enter the 6-digit code from your authenticator app.",
                          "Masukkan kode 6 digit dari aplikasi autentikator Anda.")
                }}</p>
                {enrolling.then(|| enrolment.clone().map(|e| view! { <AuthenticatorSetup enrolment=e/> }))}
                <form class="stack" on:submit=on_submit novalidate>
                    <div class="field">
                        <label for="code">{if enrolling { tx(l, "Code from the app", "Kode dari aplikasi") } else { tx(l, "Authentication code", "Kode autentikasi") }}</label>
                        <input id="code" name="code" type="text" inputmode=if enrolling { "numeric" } else { "text" }
                            autocomplete="one-time-code" spellcheck="false" autocapitalize="off" maxlength="20"
                            node_ref=input_ref
                            aria-invalid=move || error.get().is_some().to_string()
                            aria-describedby="code-hint code-error"
                            bind:value=code/>
                        <p class="hint" id="code-hint">{if enrolling {
                            tx(l, "Six digits; a new one every 30 seconds.", "Enam digit; berganti setiap 30 detik.")
                        } else {
                            tx(l, "No phone at hand? Enter one of your recovery codes instead.", "Tidak membawa ponsel? Masukkan salah satu kode pemulihan Anda.")
                        }}</p>
                        <p id="code-error" class="field-error" role="alert">{move || error.get()}</p>
                    </div>
                    <button type="submit" class="primary" disabled=move || verify.pending().get() || expired.get()>
                        {move || if verify.pending().get() { tx(locale.get(), "Checking…", "Memeriksa…") } else { tx(locale.get(), "Verify", "Verifikasi") }}
                    </button>
                </form>
                <p><button type="button" class="link" on:click=move |_| again()>{tx(l, "Sign in again", "Masuk lagi")}</button></p>
            </section>
        }.into_any()
    }
}
