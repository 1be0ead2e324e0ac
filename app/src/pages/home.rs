//! The portal's home (`/`). Signed out: what the portal is for, and the catalog search. Signed in: a
//! dashboard — renewals due (how many, the nearest due date), coverage lapsing, the cart (items and
//! total), recent orders and open quote requests — each a link to its page. Staff go to the desk.
//! A lazily loaded route like every other screen, so the first load stays small.

use entitle_core::dto::{CoverageState, QuoteRequestStatus};
use entitle_core::locale::Locale;
use leptos::ev;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::i18n::{Key, t, use_locale};
use crate::session::{SessionState, use_session};
use crate::ui::{current_site, tx};

/// The home page, loaded the first time it opens.
pub struct HomeRoute;

crate::pages::grouped_route!(start, HomeRoute, home_route_view, home_route_preload, {
    view! { <HomePage/> }.into_any()
});

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let locale = use_locale();
    let session = use_session();
    view! {
        <section class="page home">
            {move || match session.0.get() {
                SessionState::SignedIn(info) if info.role.is_staff() => view! {
                    <h1>{tx(locale.get(), "Welcome", "Selamat datang")}</h1>
                    <p><A href="/desk" attr:class="button primary">{tx(locale.get(), "Open the desk", "Buka meja kerja")}</A></p>
                }.into_any(),
                SessionState::SignedIn(info) => view! {
                    <h1>{format!("{}, {}", tx(locale.get(), "Welcome", "Selamat datang"), info.name)}</h1>
                    <Dashboard/>
                    <CatalogSearch/>
                }.into_any(),
                _ => view! {
                    <h1>{tx(locale.get(), "Licences and Subscription & Support", "Lisensi serta Subscription & Support")}</h1>
                    <p class="lead">{tx(locale.get(),
                        "Buy licences at your organisation's price level, renew Subscription & Support before it lapses, and track your orders — all in one place.",
                        "Beli lisensi dengan tingkat harga organisasi Anda, perpanjang Subscription & Support sebelum berakhir, dan lacak pesanan Anda — semuanya di satu tempat.")}</p>
                    <CatalogSearch/>
                    <p>
                        <A href="/sign-in" attr:class="button primary">{t(locale.get(), Key::NavSignIn)}</A>
                        " "
                        <span class="muted">{tx(locale.get(), "to see your renewals, quotes and orders.", "untuk melihat perpanjangan, penawaran, dan pesanan Anda.")}</span>
                    </p>
                }.into_any(),
            }}
        </section>
    }
}

/// The catalog search box.
#[component]
fn CatalogSearch() -> impl IntoView {
    let locale = use_locale();
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
        <form class="home-search" role="search" on:submit=search>
            <label for="home-search">{move || t(locale.get(), Key::SearchLabel)}</label>
            <div class="inline">
                <input id="home-search" type="search" prop:value=move || q.get()
                    placeholder=move || t(locale.get(), Key::SearchPlaceholder)
                    on:input=move |e| q.set(event_target_value(&e))/>
                <button type="submit" class="primary">{move || t(locale.get(), Key::SearchButton)}</button>
            </div>
        </form>
    }
}

/// One dashboard tile: a link, a figure and a line under it; "…" while loading, "–" if it failed.
fn tile(
    l: Locale,
    id: &'static str,
    href: &'static str,
    title: &'static str,
    figure: Option<Result<(String, String), ()>>,
) -> impl IntoView {
    let (figure, detail) = match figure {
        None => ("…".to_owned(), String::new()),
        Some(Err(())) => (
            "–".to_owned(),
            tx(l, "Could not be loaded", "Tidak dapat dimuat").to_owned(),
        ),
        Some(Ok(f)) => f,
    };
    view! {
        <li id=id>
            <A href=href>{title}</A>
            <p class="figure">{figure}</p>
            <p class="muted">{detail}</p>
        </li>
    }
}

/// The signed-in customer's dashboard.
#[component]
fn Dashboard() -> impl IntoView {
    let locale = use_locale();
    let site = current_site();
    let may = move || site.get().map(|s| s.privileges).unwrap_or_default();
    let renewals = LocalResource::new(|| api::renewals("awaiting"));
    let coverage = LocalResource::new(api::coverage);
    let orders = LocalResource::new(api::recent_orders);
    let requests = LocalResource::new(api::quote_requests);
    let cart = LocalResource::new(move || {
        let site = site.get().filter(|s| s.privileges.buy);
        async move {
            match site {
                Some(s) => Some(api::cart(&s.customer_number).await),
                None => None,
            }
        }
    });
    view! {
        <ul class="tiles dashboard">
            {move || {
                let l = locale.get();
                let may = may();
                let renewals_tile = (may.view_quotes || may.buy).then(|| {
                    let figure = renewals.get().map(|r| r.map_err(|_| ()).map(|groups| {
                        let open: Vec<_> = groups.iter().flat_map(|g| &g.quotes)
                            .filter(|q| q.status.is_open_to_customer()).collect();
                        let next = open.iter().map(|q| q.due_date).min();
                        (open.len().to_string(), next.map_or_else(
                            || tx(l, "Nothing due", "Tidak ada yang jatuh tempo").to_owned(),
                            |d| format!("{} {}", tx(l, "Next due", "Jatuh tempo berikutnya"), l.date(d))))
                    }));
                    tile(l, "dash-renewals", "/renewals", tx(l, "Renewals due", "Perpanjangan jatuh tempo"), figure)
                });
                let coverage_tile = (may.view_quotes || may.buy).then(|| {
                    let figure = coverage.get().map(|r| r.map_err(|_| ()).map(|items| {
                        let due = items.iter().filter(|c| c.state == CoverageState::Due).count();
                        let lapsed = items.iter().filter(|c| c.state == CoverageState::Lapsed).count();
                        (due.to_string(), format!("{lapsed} {}", tx(l, "already lapsed", "sudah berakhir")))
                    }));
                    tile(l, "dash-coverage", "/coverage", tx(l, "Coverage lapsing", "Cakupan akan berakhir"), figure)
                });
                let cart_tile = may.buy.then(|| {
                    let figure = cart.get().map(|c| match c {
                        Some(Ok(c)) => Ok((
                            c.lines.len().to_string(),
                            format!("{} {}", tx(l, "Total", "Total"), l.money(&c.total)),
                        )),
                        _ => Err(()),
                    });
                    tile(l, "dash-cart", "/cart", tx(l, "Cart", "Keranjang"), figure)
                });
                let orders_tile = (may.view_orders || may.buy).then(|| {
                    let figure = orders.get().map(|r| r.map_err(|_| ()).map(|list| {
                        let latest = list.first().map_or_else(
                            || tx(l, "None in the last 30 days", "Tidak ada dalam 30 hari terakhir").to_owned(),
                            |o| format!("{} {}", tx(l, "Latest", "Terbaru"), o.reference));
                        (list.len().to_string(), latest)
                    }));
                    tile(l, "dash-orders", "/orders", tx(l, "Recent orders", "Pesanan terbaru"), figure)
                });
                let requests_tile = (may.view_quotes || may.buy).then(|| {
                    let figure = requests.get().map(|r| r.map_err(|_| ()).map(|list| {
                        let open = list.iter().filter(|q| q.status.is_open()).count();
                        let ready = list.iter().filter(|q| q.status == QuoteRequestStatus::Quoted).count();
                        (open.to_string(), format!("{ready} {}", tx(l, "ready to accept", "siap diterima")))
                    }));
                    tile(l, "dash-quotes", "/quotes", tx(l, "Open quote requests", "Permintaan penawaran terbuka"), figure)
                });
                view! { {renewals_tile} {coverage_tile} {cart_tile} {orders_tile} {requests_tile} }
            }}
        </ul>
    }
}
