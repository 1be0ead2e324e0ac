//! `/account/security`: change the password (the current one required; other browsers are signed
//! out), and — for vendor staff — two-step verification: set up an authenticator app, make new
//! recovery codes, or turn it off (administrators must keep it).

use entitle_core::dto::{SecuritySettings, TotpEnrolment};
use entitle_core::validation::{Explain as _, Password, SecondFactorCode};
use leptos::ev;
use leptos::prelude::*;

use crate::api;
use crate::i18n::use_locale;
use crate::pages::second_factor::{AuthenticatorSetup, RecoveryCodeList};
use crate::session::RequireSession;
use crate::ui::{Skeleton, error_text, tx};

/// The security page, loaded the first time it opens.
pub struct SecurityRoute;

crate::pages::grouped_route!(
    account,
    SecurityRoute,
    security_route_view,
    security_route_preload,
    { view! { <RequireSession><SecurityPage/></RequireSession> }.into_any() }
);

#[component]
fn SecurityPage() -> impl IntoView {
    let locale = use_locale();
    let reload = RwSignal::new(0u32);
    let settings = LocalResource::new(move || {
        reload.track();
        api::security_settings()
    });
    view! {
        <section class="page narrow">
            <h1>{move || tx(locale.get(), "Password and security", "Kata sandi dan keamanan")}</h1>
            <ChangePassword/>
            {move || {
                let l = locale.get();
                match settings.get() {
                    None => view! { <Skeleton lines=2/> }.into_any(),
                    Some(Err(e)) => view! { <p class="alert error" role="alert">{error_text(&e, l)}</p> }.into_any(),
                    Some(Ok(s)) if !s.second_factor_available => ().into_any(),
                    Some(Ok(s)) => view! { <TwoStep settings=s reload=reload/> }.into_any(),
                }
            }}
        </section>
    }
}

/// The field errors of a failed request, by field name.
fn field_error(err: &api::ApiError, field: &str) -> Option<String> {
    err.fields()
        .into_iter()
        .find(|(f, _, _)| f == field)
        .map(|(_, _, m)| m)
}

#[component]
fn ChangePassword() -> impl IntoView {
    let locale = use_locale();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let current_error = RwSignal::new(None::<String>);
    let new_error = RwSignal::new(None::<String>);
    let general = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |e: ev::SubmitEvent| {
        e.prevent_default();
        let l = locale.get_untracked();
        let (c, n) = (current.get_untracked(), new.get_untracked());
        current_error.set(c.is_empty().then(|| {
            tx(
                l,
                "Enter your current password",
                "Masukkan kata sandi Anda saat ini",
            )
            .to_owned()
        }));
        new_error.set(Password::parse(&n).err().map(|e| e.message(l)));
        done.set(false);
        general.set(None);
        if c.is_empty() || new_error.get_untracked().is_some() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::change_password(&c, &n).await {
                Ok(()) => {
                    current.set(String::new());
                    new.set(String::new());
                    done.set(true);
                }
                Err(err) => {
                    current_error.set(field_error(&err, "current_password"));
                    new_error.set(field_error(&err, "new_password"));
                    if err.fields().is_empty() {
                        general.set(Some(error_text(&err, l)));
                    }
                }
            }
            busy.set(false);
        });
    };
    view! {
        <h2>{move || tx(locale.get(), "Change your password", "Ubah kata sandi")}</h2>
        <div class="alert success" role="status" id="password-changed" hidden=move || !done.get()>
            <p>{move || tx(locale.get(),
                "Your password was changed. Any other browser signed in to your account was signed out.",
                "Kata sandi Anda telah diubah. Peramban lain yang masuk ke akun Anda telah dikeluarkan.")}</p>
        </div>
        <p class="alert error" role="alert" hidden=move || general.get().is_none()>{move || general.get()}</p>
        <form class="stack" novalidate on:submit=submit>
            <div class="field">
                <label for="current-password">{move || tx(locale.get(), "Current password", "Kata sandi saat ini")}</label>
                <input id="current-password" type="password" autocomplete="current-password"
                    aria-describedby="current-password-error"
                    aria-invalid=move || current_error.get().is_some().to_string()
                    bind:value=current/>
                <p class="field-error" id="current-password-error">{move || current_error.get()}</p>
            </div>
            <div class="field">
                <label for="new-password">{move || tx(locale.get(), "New password", "Kata sandi baru")}</label>
                <input id="new-password" type="password" autocomplete="new-password"
                    aria-describedby="new-password-hint new-password-error"
                    aria-invalid=move || new_error.get().is_some().to_string()
                    bind:value=new/>
                <p class="hint" id="new-password-hint">{move || tx(locale.get(),
                    "At least 8 characters. A phrase of a few words is easy to remember and hard to guess.",
                    "Minimal 8 karakter. Frasa beberapa kata mudah diingat dan sulit ditebak.")}</p>
                <p class="field-error" id="new-password-error">{move || new_error.get()}</p>
            </div>
            <button type="submit" class="primary" disabled=move || busy.get()>
                {move || tx(locale.get(), "Change password", "Ubah kata sandi")}
            </button>
        </form>
    }
}

/// What the two-step section is doing.
#[derive(Clone, PartialEq)]
enum Mode {
    Idle,
    SettingUp(TotpEnrolment),
    ShowCodes(Vec<String>),
    /// Asking the password to turn it off (`true`) or to make new codes (`false`).
    Confirming(bool),
}

#[component]
fn TwoStep(settings: SecuritySettings, reload: RwSignal<u32>) -> impl IntoView {
    let locale = use_locale();
    let mode = RwSignal::new(Mode::Idle);
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let settings = StoredValue::new(settings);

    let start = move |_| {
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::start_second_factor().await {
                Ok(e) => mode.set(Mode::SettingUp(e)),
                Err(err) => error.set(Some(error_text(&err, locale.get_untracked()))),
            }
            busy.set(false);
        });
    };
    let confirm = move |e: ev::SubmitEvent| {
        e.prevent_default();
        let l = locale.get_untracked();
        let typed = code.get_untracked();
        if let Err(err) = SecondFactorCode::parse_totp(&typed) {
            error.set(Some(err.message(l)));
            return;
        }
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::confirm_second_factor(&typed).await {
                Ok(codes) => {
                    code.set(String::new());
                    mode.set(Mode::ShowCodes(codes.codes));
                }
                Err(err) => error.set(Some(crate::ui::first_message(&err, l))),
            }
            busy.set(false);
        });
    };
    let with_password = move |e: ev::SubmitEvent| {
        e.prevent_default();
        let l = locale.get_untracked();
        let Mode::Confirming(turn_off) = mode.get_untracked() else {
            return;
        };
        let typed = password.get_untracked();
        if typed.is_empty() {
            error.set(Some(
                tx(l, "Enter your password", "Masukkan kata sandi Anda").to_owned(),
            ));
            return;
        }
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let outcome = if turn_off {
                api::turn_off_second_factor(&typed)
                    .await
                    .map(|()| Mode::Idle)
            } else {
                api::renew_recovery_codes(&typed)
                    .await
                    .map(|c| Mode::ShowCodes(c.codes))
            };
            match outcome {
                Ok(next) => {
                    password.set(String::new());
                    let refresh = next == Mode::Idle;
                    mode.set(next);
                    if refresh {
                        reload.update(|n| *n += 1);
                    }
                }
                Err(err) => error.set(Some(crate::ui::first_message(&err, l))),
            }
            busy.set(false);
        });
    };

    move || {
        let l = locale.get();
        let s = settings.get_value();
        // New codes are shown before the settings are read again: it is on by then.
        let on = s.second_factor_enabled || matches!(mode.get(), Mode::ShowCodes(_));
        let status = if on {
            tx(
                l,
                "On: signing in takes a code from your authenticator app.",
                "Aktif: masuk memerlukan kode dari aplikasi autentikator Anda.",
            )
        } else {
            tx(
                l,
                "Off: signing in takes only your password.",
                "Nonaktif: masuk hanya memerlukan kata sandi Anda.",
            )
        };
        let body = match mode.get() {
            Mode::ShowCodes(codes) => view! {
                <RecoveryCodeList codes=codes/>
                <button type="button" class="primary" on:click=move |_| { mode.set(Mode::Idle); reload.update(|n| *n += 1); }>
                    {tx(l, "Done", "Selesai")}
                </button>
            }.into_any(),
            Mode::SettingUp(enrolment) => view! {
                <AuthenticatorSetup enrolment=enrolment/>
                <form class="stack" novalidate on:submit=confirm>
                    <div class="field">
                        <label for="setup-code">{tx(l, "Code from the app", "Kode dari aplikasi")}</label>
                        <input id="setup-code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="20"
                            aria-describedby="setup-code-error" aria-invalid=move || error.get().is_some().to_string()
                            bind:value=code/>
                        <p class="field-error" id="setup-code-error">{move || error.get()}</p>
                    </div>
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || busy.get()>{tx(l, "Turn on", "Aktifkan")}</button>
                        <button type="button" class="secondary" on:click=move |_| { mode.set(Mode::Idle); error.set(None); }>{tx(l, "Cancel", "Batal")}</button>
                    </div>
                </form>
            }.into_any(),
            Mode::Confirming(turn_off) => view! {
                <form class="stack" novalidate on:submit=with_password>
                    <div class="field">
                        <label for="confirm-password">{tx(l, "Your password", "Kata sandi Anda")}</label>
                        <input id="confirm-password" type="password" autocomplete="current-password"
                            aria-describedby="confirm-password-error" aria-invalid=move || error.get().is_some().to_string()
                            bind:value=password/>
                        <p class="field-error" id="confirm-password-error">{move || error.get()}</p>
                    </div>
                    <div class="actions">
                        <button type="submit" class=if turn_off { "danger" } else { "primary" } disabled=move || busy.get()>
                            {if turn_off { tx(l, "Turn off two-step verification", "Nonaktifkan verifikasi dua langkah") } else { tx(l, "Make new recovery codes", "Buat kode pemulihan baru") }}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| { mode.set(Mode::Idle); error.set(None); }>{tx(l, "Cancel", "Batal")}</button>
                    </div>
                </form>
            }.into_any(),
            Mode::Idle if s.second_factor_enabled => view! {
                <p id="recovery-left" class=if s.recovery_codes_left <= 2 { "alert warning" } else { "" }>
                    {format!("{} {}", s.recovery_codes_left, tx(l, "unused recovery codes left.", "kode pemulihan belum dipakai."))}
                    {(s.recovery_codes_left <= 2).then(|| format!(" {}", tx(l, "Make new ones before you run out.", "Buat kode baru sebelum habis.")))}
                </p>
                <p class="alert error" role="alert" hidden=move || error.get().is_none()>{move || error.get()}</p>
                <div class="actions">
                    <button type="button" class="secondary" on:click=move |_| { error.set(None); mode.set(Mode::Confirming(false)); }>
                        {tx(l, "Make new recovery codes", "Buat kode pemulihan baru")}
                    </button>
                    {(!s.second_factor_required).then(|| view! {
                        <button type="button" class="secondary" on:click=move |_| { error.set(None); mode.set(Mode::Confirming(true)); }>
                            {tx(l, "Turn off", "Nonaktifkan")}
                        </button>
                    })}
                </div>
            }.into_any(),
            Mode::Idle => view! {
                <p class="alert error" role="alert" hidden=move || error.get().is_none()>{move || error.get()}</p>
                <button type="button" class="primary" on:click=start disabled=move || busy.get()>
                    {tx(l, "Set up two-step verification", "Siapkan verifikasi dua langkah")}
                </button>
            }.into_any(),
        };
        view! {
            <h2>{tx(l, "Two-step verification", "Verifikasi dua langkah")}</h2>
            <p id="two-step-status">{status}</p>
            {s.second_factor_required.then(|| view! {
                <p class="hint">{tx(l, "Administrators must keep it on.", "Administrator wajib tetap mengaktifkannya.")}</p>
            })}
            {body}
        }.into_any()
    }
}
