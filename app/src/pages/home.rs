//! The portal's home (`/`): search the catalog, and the way to renewals, quotes, the cart and orders.
//! Deliberately small: it is the only screen in the first-load module besides sign-in, so the portal
//! opens fast; every other screen is a lazily loaded chunk.

use leptos::ev;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::i18n::{Key, t, use_locale};
use crate::session::{SessionState, use_session};
use crate::ui::tx;

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let locale = use_locale();
    let session = use_session();
    let navigate = use_navigate();
    let q = RwSignal::new(String::new());
    let search = move |e: ev::SubmitEvent| {
        e.prevent_default();
        let mut target = String::from("/catalog");
        let text = q.get_untracked();
        if !text.trim().is_empty() {
            target.push_str("?q=");
            entitle_core::dto::percent_encode_into(&mut target, text.trim());
        }
        navigate(&target, Default::default());
    };
    view! {
        <section class="page home">
            <h1>{move || tx(locale.get(), "Licences and Subscription & Support", "Lisensi serta Subscription & Support")}</h1>
            <form class="home-search" role="search" on:submit=search>
                <label for="home-search">{move || t(locale.get(), Key::SearchLabel)}</label>
                <div class="inline">
                    <input id="home-search" type="search" prop:value=move || q.get()
                        placeholder=move || t(locale.get(), Key::SearchPlaceholder)
                        on:input=move |e| q.set(event_target_value(&e))/>
                    <button type="submit" class="primary">{move || t(locale.get(), Key::SearchButton)}</button>
                </div>
            </form>
            <ul class="tiles">
                <li><a href="/renewals">{move || t(locale.get(), Key::NavRenewals)}</a></li>
                <li><a href="/coverage">{move || tx(locale.get(), "Coverage due", "Cakupan jatuh tempo")}</a></li>
                <li><a href="/quotes">{move || tx(locale.get(), "Quotes", "Penawaran")}</a></li>
                <li><a href="/cart">{move || tx(locale.get(), "Cart", "Keranjang")}</a></li>
                <li><a href="/orders">{move || tx(locale.get(), "Orders", "Pesanan")}</a></li>
            </ul>
            {move || (session.0.get() == SessionState::SignedOut).then(|| view! {
                <p><a href="/sign-in">{t(locale.get(), Key::NavSignIn)}</a></p>
            })}
        </section>
    }
}
