//! Sign-in, with a way back: `?return_to=/renewals/RQ26…` (from a renewal-notice link) is followed right
//! after signing in.

use leptos::html;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, ApiError};
use crate::i18n::{Key, t, use_locale};
use crate::session::{SessionState, safe_return_to, use_session};

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

    let submit = Action::new_local(move |(e, p): &(String, String)| {
        let (e, p) = (e.clone(), p.clone());
        async move { api::sign_in(&e, &p).await }
    });
    Effect::new(move |_| {
        if let Some(result) = submit.value().get() {
            match result {
                Ok(info) => session.0.set(SessionState::SignedIn(info)),
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
}
