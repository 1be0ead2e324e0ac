//! The page header: brand, navigation, the signed-in user with sign-out, and the language switcher.

use entitle_core::locale::Locale;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::i18n::{Key, choose_locale, locale_signal, t, use_locale};
use crate::session::{SessionState, use_session};
use crate::ui::{current_site, site_switcher, tx};

/// The header shown on every page. Its navigation shows what the signed-in user may use at the current
/// site and nothing else; on a phone it collapses behind a menu button.
#[component]
pub fn Header() -> impl IntoView {
    let locale = use_locale();
    let writable = locale_signal();
    let session = use_session();
    let navigate = use_navigate();
    let open = RwSignal::new(false);
    let sign_out = Action::new_local(move |(): &()| async move { crate::api::sign_out().await });
    // A sign-out that did not reach the server (offline) left the session open there: the person is
    // told and may try again, rather than believing they are signed out.
    let sign_out_failed = RwSignal::new(false);
    Effect::new(move |_| {
        let Some(result) = sign_out.value().get() else {
            return;
        };
        // Drafts may hold addresses; the next person at this browser must not see them.
        crate::drafts::clear_all("");
        match result {
            // Ended now, or already ended on the server (401).
            Ok(()) | Err(crate::api::ApiError::Api { status: 401, .. }) => {
                sign_out_failed.set(false);
                session.0.set(SessionState::SignedOut);
                navigate("/catalog", leptos_router::NavigateOptions::default());
            }
            Err(_) => {
                sign_out_failed.set(true);
                // The menu would cover the message.
                if let Some(menu) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.query_selector(".account-menu[open]").ok().flatten())
                {
                    let _ = menu.remove_attribute("open");
                }
            }
        }
    });
    let current = current_site();
    let links = move || {
        let l = locale.get();
        let mut links = vec![("/catalog", t(l, Key::NavCatalog))];
        if let SessionState::SignedIn(info) = session.0.get() {
            if info.role.is_staff() {
                links.push(("/desk", tx(l, "Desk", "Meja kerja")));
            } else {
                let may = current.get().map(|s| s.privileges).unwrap_or_default();
                if may.view_quotes || may.buy {
                    links.push(("/renewals", t(l, Key::NavRenewals)));
                    links.push(("/coverage", tx(l, "Coverage", "Cakupan")));
                    links.push(("/quotes", tx(l, "Quotes", "Penawaran")));
                }
                if may.view_orders || may.buy {
                    links.push(("/orders", tx(l, "Orders", "Pesanan")));
                }
                if may.buy {
                    links.push(("/cart", tx(l, "Cart", "Keranjang")));
                }
            }
        }
        links
            .into_iter()
            .map(|(href, name)| view! { <li><A href=href>{name}</A></li> })
            .collect_view()
    };
    view! {
        <header class="site-header" class:open=move || open.get()>
            <a class="brand" href="/">"Entitle"</a>
            <button type="button" class="menu-button" aria-controls="main-nav"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {move || tx(locale.get(), "Menu", "Menu")}
            </button>
            <nav id="main-nav" aria-label=move || t(locale.get(), Key::MainNavigation) on:click=move |_| open.set(false)>
                <ul>{links}</ul>
            </nav>
            <SiteSwitcher/>
            <div class="account">
                {move || match session.0.get() {
                    SessionState::SignedIn(info) => {
                        let l = locale.get();
                        let site = current.get();
                        let may_buy = site.as_ref().is_some_and(|s| s.privileges.buy);
                        let primary = site.as_ref().is_some_and(|s| s.primary);
                        let customer = !info.role.is_staff();
                        view! {
                            <details class="account-menu">
                                <summary>
                                    <span class="visually-hidden">{t(l, Key::SignedInAs)}" "</span>
                                    <span class="who">{info.name.clone()}</span>
                                </summary>
                                // A choice closes the menu, as a menu does (a <details> stays open otherwise,
                                // over the page it just opened).
                                <ul on:click=move |ev| {
                                    open.set(false);
                                    if let Some(menu) = ev.target()
                                        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                                        .and_then(|el| el.closest("details").ok().flatten()) {
                                        let _ = menu.remove_attribute("open");
                                    }
                                }>
                                    {(customer && may_buy).then(|| view! { <li><A href="/saved-carts">{tx(l, "Saved carts", "Keranjang tersimpan")}</A></li> })}
                                    {(customer && primary).then(|| view! { <li><A href="/site-users">{tx(l, "Site users", "Pengguna situs")}</A></li> })}
                                    {customer.then(|| view! { <li><A href="/access-requests">{tx(l, "Access to sites", "Akses ke situs")}</A></li> })}
                                    <li><A href="/account/security">{tx(l, "Password and security", "Kata sandi dan keamanan")}</A></li>
                                    <li>
                                        <button type="button" class="link" on:click=move |_| { sign_out.dispatch(()); }>
                                            {t(l, Key::NavSignOut)}
                                        </button>
                                    </li>
                                </ul>
                            </details>
                        }.into_any()
                    }
                    SessionState::SignedOut => view! { <A href="/sign-in">{t(locale.get(), Key::NavSignIn)}</A> }.into_any(),
                    SessionState::Loading => ().into_any(),
                }}
            </div>
            <label class="lang">
                <span class="visually-hidden">{move || t(locale.get(), Key::Language)}</span>
                <select on:change=move |ev| {
                    if let Ok(l) = event_target_value(&ev).parse::<Locale>() {
                        let signed_in = matches!(session.0.get_untracked(), SessionState::SignedIn(_));
                        choose_locale(writable, l, signed_in);
                    }
                }>
                    <option value="en" selected=move || locale.get() == Locale::En>"English"</option>
                    <option value="id" selected=move || locale.get() == Locale::Id>"Bahasa Indonesia"</option>
                </select>
            </label>
        </header>
        {move || sign_out_failed.get().then(|| {
            let l = locale.get();
            view! {
                <div class="alert error sign-out-failed" role="alert">
                    <p>
                        <strong>{tx(l, "You are still signed in. ", "Anda masih masuk. ")}</strong>
                        {tx(l,
                            "Signing out needs a connection to the server, and it could not be reached. Your session stays open until you sign out while connected (or for 30 minutes without use).",
                            "Keluar memerlukan koneksi ke server, dan server tidak dapat dihubungi. Sesi Anda tetap terbuka sampai Anda keluar saat terhubung (atau selama 30 menit tanpa aktivitas).")}
                    </p>
                    <button type="button" class="small" on:click=move |_| { sign_out.dispatch(()); }>
                        {tx(l, "Sign out again", "Keluar lagi")}
                    </button>
                </div>
            }
        })}
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
