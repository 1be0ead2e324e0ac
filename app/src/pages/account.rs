//! Account pages: forgotten password (`/reset-password`: ask for a link, then choose a new password with
//! the link's token) and access to more sites (`/access-requests`: ask the site's primary contact).

use entitle_core::validation::{Email, Explain, Password};
use leptos::ev;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::i18n::{Key, t, use_locale};
use crate::session::RequireSession;
use crate::ui::{Skeleton, error_text, tx};

/// The password reset page, loaded the first time it opens.
pub struct ResetPasswordRoute;

crate::pages::grouped_route!(
    start,
    ResetPasswordRoute,
    reset_password_route_view,
    reset_password_route_preload,
    { view! { <ResetPasswordPage/> }.into_any() }
);

/// The access requests page, loaded the first time it opens.
pub struct AccessRequestsRoute;

crate::pages::grouped_route!(
    account,
    AccessRequestsRoute,
    access_requests_route_view,
    access_requests_route_preload,
    { view! { <RequireSession><AccessRequestsPage/></RequireSession> }.into_any() }
);

#[component]
fn ResetPasswordPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let token = move || query.read().get("token").filter(|t| !t.is_empty());
    view! {
        <section class="page narrow">
            <h1>{move || tx(locale.get(), "Reset your password", "Atur ulang kata sandi")}</h1>
            {move || match token() {
                None => view! { <AskForLink/> }.into_any(),
                Some(tok) => view! { <ChooseNew token=tok/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn AskForLink() -> impl IntoView {
    let locale = use_locale();
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let sent = RwSignal::new(false);
    let submit = move |e: ev::SubmitEvent| {
        e.prevent_default();
        let l = locale.get_untracked();
        let value = email.get_untracked();
        if let Err(err) = Email::parse(&value) {
            error.set(Some(err.message(l)));
            return;
        }
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::request_password_reset(&value).await {
                Ok(()) => sent.set(true),
                Err(e) => error.set(Some(error_text(&e, l))),
            }
        });
    };
    move || {
        let l = locale.get();
        if sent.get() {
            return view! {
                <p class="alert success" role="status" id="reset-sent">{tx(l,
                    "If this address belongs to an account, we sent it a link to choose a new password. The link works once, for one hour.",
                    "Jika alamat ini terdaftar, kami mengirim tautan untuk memilih kata sandi baru. Tautan berlaku sekali, selama satu jam.")}</p>
            }.into_any();
        }
        view! {
            <form class="stack" novalidate on:submit=submit>
                <div class="field">
                    <label for="reset-email">{t(l, Key::Email)}</label>
                    <input id="reset-email" type="email" autocomplete="email" aria-describedby="reset-email-error"
                        aria-invalid=move || error.get().is_some().then_some("true")
                        prop:value=move || email.get() on:input=move |e| email.set(event_target_value(&e))/>
                    <p class="field-error" id="reset-email-error" role="alert">{move || error.get()}</p>
                </div>
                <button type="submit" class="primary">{tx(l, "Send me a link", "Kirimi saya tautan")}</button>
                <p><A href="/sign-in">{t(l, Key::NavSignIn)}</A></p>
            </form>
        }.into_any()
    }
}

#[component]
fn ChooseNew(token: String) -> impl IntoView {
    let locale = use_locale();
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let submit = move |e: ev::SubmitEvent| {
        e.prevent_default();
        let l = locale.get_untracked();
        let value = password.get_untracked();
        if let Err(err) = Password::parse(&value) {
            error.set(Some(err.message(l)));
            return;
        }
        error.set(None);
        let token = token.clone();
        leptos::task::spawn_local(async move {
            match api::confirm_password_reset(&token, &value).await {
                Ok(()) => done.set(true),
                Err(e) => error.set(Some(crate::ui::first_message(&e, l))),
            }
        });
    };
    move || {
        let l = locale.get();
        if done.get() {
            return view! {
                <div class="alert success" role="status" id="reset-done">
                    <p>{tx(l, "Your password was changed. Sign in with the new one.", "Kata sandi Anda telah diubah. Masuk dengan kata sandi baru.")}</p>
                    <p><A href="/sign-in">{t(l, Key::NavSignIn)}</A></p>
                </div>
            }.into_any();
        }
        view! {
            <form class="stack" novalidate on:submit=submit.clone()>
                <div class="field">
                    <label for="new-password">{tx(l, "New password", "Kata sandi baru")}</label>
                    <input id="new-password" type="password" autocomplete="new-password"
                        aria-describedby="new-password-hint new-password-error"
                        aria-invalid=move || error.get().is_some().then_some("true")
                        prop:value=move || password.get() on:input=move |e| password.set(event_target_value(&e))/>
                    <p class="hint" id="new-password-hint">{tx(l, "At least 8 characters.", "Minimal 8 karakter.")}</p>
                    <p class="field-error" id="new-password-error" role="alert">{move || error.get()}</p>
                </div>
                <button type="submit" class="primary">{tx(l, "Change password", "Ubah kata sandi")}</button>
            </form>
        }.into_any()
    }
}

#[component]
fn AccessRequestsPage() -> impl IntoView {
    let locale = use_locale();
    let reload = RwSignal::new(0u32);
    let mine = LocalResource::new(move || {
        reload.track();
        api::access_requests()
    });
    let customer = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |e: ev::SubmitEvent| {
        e.prevent_default();
        let l = locale.get_untracked();
        let number =
            match entitle_core::validation::CustomerNumber::parse(&customer.get_untracked()) {
                Ok(n) => n.as_str().to_owned(),
                Err(e) => {
                    error.set(Some(e.message(l)));
                    return;
                }
            };
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::request_access(&number, &message.get_untracked()).await {
                Ok(()) => {
                    customer.set(String::new());
                    message.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(error_text(&e, l))),
            }
        });
    };
    view! {
        <section class="page">
            <h1>{move || tx(locale.get(), "Access to more sites", "Akses ke situs lain")}</h1>
            <p class="lead">{move || tx(locale.get(), "Ask the primary contact of a site to give you access. You can see it once they approve.", "Minta kontak utama sebuah situs untuk memberi Anda akses. Situs akan terlihat setelah disetujui.")}</p>
            <form class="stack narrow" novalidate on:submit=submit>
                <div class="field">
                    <label for="access-customer">{move || t(locale.get(), Key::CustomerNumber)}</label>
                    <input id="access-customer" type="text" inputmode="numeric" aria-describedby="access-customer-error"
                        aria-invalid=move || error.get().is_some().then_some("true")
                        prop:value=move || customer.get() on:input=move |e| customer.set(event_target_value(&e))/>
                    <p class="field-error" id="access-customer-error" role="alert">{move || error.get()}</p>
                </div>
                <div class="field">
                    <label for="access-message">{move || tx(locale.get(), "Message (optional)", "Pesan (opsional)")}</label>
                    <textarea id="access-message" rows="3" maxlength=entitle_core::validation::TextField::AccessMessage.max_len()
                        prop:value=move || message.get() on:input=move |e| message.set(event_target_value(&e))></textarea>
                </div>
                <button type="submit" class="primary">{move || tx(locale.get(), "Request access", "Minta akses")}</button>
            </form>
            {move || crate::ui::current_site().get().filter(|s| s.primary).map(|s| view! {
                <p><A href="/site-users">{format!("{} {} ({})", tx(locale.get(), "Manage the users of", "Kelola pengguna"), s.name, s.customer_number)}</A></p>
            })}
            <h2>{move || tx(locale.get(), "Your requests", "Permintaan Anda")}</h2>
            {move || {
                let l = locale.get();
                match mine.get() {
                    None => view! { <Skeleton lines=2/> }.into_any(),
                    Some(Err(e)) => view! { <p class="alert error" role="alert">{error_text(&e, l)}</p> }.into_any(),
                    Some(Ok(v)) if v.is_empty() => view! { <p class="empty">{tx(l, "None yet.", "Belum ada.")}</p> }.into_any(),
                    Some(Ok(v)) => view! {
                        <ul id="access-requests">
                            {v.into_iter().map(|r| view! {
                                <li>{format!("{} — {}", r.site_name.as_ref().map_or_else(|| r.customer_number.clone(), |name| format!("{name} ({})", r.customer_number)), match r.status.as_str() {
                                    "pending" => tx(l, "waiting for the primary contact", "menunggu kontak utama"),
                                    "approved" => tx(l, "approved", "disetujui"),
                                    "rejected" => tx(l, "rejected", "ditolak"),
                                    _ => "",
                                })}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            }}
        </section>
    }
}
