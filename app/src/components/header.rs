//! The page header: brand, navigation, the signed-in user with sign-out, and the language switcher.

use entitle_core::locale::Locale;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::i18n::{Key, locale_signal, set_locale, t, use_locale};
use crate::session::{SessionState, use_session};
use crate::ui::{current_site, site_switcher, tx};

/// The header shown on every page.
#[component]
pub fn Header() -> impl IntoView {
    let locale = use_locale();
    let writable = locale_signal();
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = Action::new_local(move |(): &()| async move { crate::api::sign_out().await });
    Effect::new(move |_| {
        if sign_out.value().get().is_some() {
            // Drafts may hold addresses; the next person at this browser must not see them.
            crate::drafts::clear_all("");
            session.0.set(SessionState::SignedOut);
            navigate("/catalog", leptos_router::NavigateOptions::default());
        }
    });
    view! {
        <header class="site-header">
            <a class="brand" href="/">"Entitle"</a>
            <nav aria-label=move || t(locale.get(), Key::MainNavigation)>
                <A href="/catalog">{move || t(locale.get(), Key::NavCatalog)}</A>
                <A href="/renewals">{move || t(locale.get(), Key::NavRenewals)}</A>
                <A href="/quotes">{move || tx(locale.get(), "Quotes", "Penawaran")}</A>
                <A href="/orders">{move || tx(locale.get(), "Orders", "Pesanan")}</A>
                <A href="/cart">{move || tx(locale.get(), "Cart", "Keranjang")}</A>
                {move || matches!(session.0.get(), SessionState::SignedIn(ref i) if i.role != entitle_core::dto::Role::Customer)
                    .then(|| view! { <A href="/desk">{tx(locale.get(), "Desk", "Meja kerja")}</A> })}
            </nav>
            <SiteSwitcher/>
            <div class="account">
                {move || match session.0.get() {
                    SessionState::SignedIn(info) => view! {
                        <span class="who">{format!("{} {}", t(locale.get(), Key::SignedInAs), info.name)}</span>
                        <button type="button" class="link" on:click=move |_| { sign_out.dispatch(()); }>
                            {t(locale.get(), Key::NavSignOut)}
                        </button>
                    }.into_any(),
                    SessionState::SignedOut => view! { <A href="/sign-in">{t(locale.get(), Key::NavSignIn)}</A> }.into_any(),
                    SessionState::Loading => ().into_any(),
                }}
            </div>
            <label class="lang">
                <span class="visually-hidden">{move || t(locale.get(), Key::Language)}</span>
                <select on:change=move |ev| {
                    if let Ok(l) = event_target_value(&ev).parse::<Locale>() {
                        set_locale(writable, l);
                    }
                }>
                    <option value="en" selected=move || locale.get() == Locale::En>"English"</option>
                    <option value="id" selected=move || locale.get() == Locale::Id>"Bahasa Indonesia"</option>
                </select>
            </label>
        </header>
    }
}

/// For users of several sites: which site they are buying for (the cart, checkout and prices follow).
#[component]
fn SiteSwitcher() -> impl IntoView {
    let locale = use_locale();
    let session = use_session();
    let current = current_site();
    let switch_site = site_switcher();
    move || {
        let SessionState::SignedIn(info) = session.0.get() else {
            return None;
        };
        (info.sites.len() > 1).then(|| {
            let chosen = current.get().map(|s| s.customer_number).unwrap_or_default();
            view! {
                <label class="site-switcher">
                    <span>{tx(locale.get(), "Site", "Situs")}</span>
                    <select id="site-switcher" on:change={
                        let switch_site = switch_site.clone();
                        move |e| switch_site(&event_target_value(&e))
                    }>
                        {info.sites.iter().map(|s| {
                            let selected = s.customer_number == chosen;
                            view! {
                                <option value=s.customer_number.clone() selected=selected>
                                    {format!("{} ({})", s.name, s.customer_number)}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </label>
            }
        })
    }
}
