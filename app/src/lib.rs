//! # entitle-app
//!
//! The customer portal in the browser: a Leptos client-side app. It renders and calls; the rules
//! (validation, pricing, formatting) come from `entitle-core`, so the browser gives the same answers as
//! the server.

pub mod api;
pub mod clock;
pub mod components;
pub mod drafts;
pub mod i18n;
pub mod network;
pub mod pages;
pub mod session;
pub mod ui;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, path};

use crate::components::header::Header;
use crate::i18n::{Key, t, use_locale};

/// The whole app: header, routes, and the pages.
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_locale();
    session::provide_session();
    ui::provide_current_site();
    drafts::forget_lasting_drafts();
    let locale = use_locale();
    view! {
        <Router>
            <a class="skip-link" href="#main">{move || t(locale.get(), Key::SkipToContent)}</a>
            <Header/>
            <network::OfflineBanner/>
            <main id="main" tabindex="-1">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view={Lazy::<pages::home::HomeRoute>::new()}/>
                    <Route path=path!("/catalog") view={Lazy::<pages::catalog::CatalogRoute>::new()}/>
                    <Route path=path!("/catalog/parts/:part") view={Lazy::<pages::part::PartRoute>::new()}/>
                    <Route path=path!("/sign-in") view={Lazy::<pages::sign_in::SignInRoute>::new()}/>
                    <Route path=path!("/renewals") view={Lazy::<pages::renewals::RenewalsRoute>::new()}/>
                    <Route path=path!("/renewals/:quote") view={Lazy::<pages::quote::QuoteRoute>::new()}/>
                    <Route path=path!("/coverage") view={Lazy::<pages::coverage::CoverageRoute>::new()}/>
                    <Route path=path!("/quotes") view={Lazy::<pages::quotes::QuotesRoute>::new()}/>
                    <Route path=path!("/saved-carts") view={Lazy::<pages::quotes::SavedCartsRoute>::new()}/>
                    <Route path=path!("/reset-password") view={Lazy::<pages::account::ResetPasswordRoute>::new()}/>
                    <Route path=path!("/access-requests") view={Lazy::<pages::account::AccessRequestsRoute>::new()}/>
                    <Route path=path!("/account/security") view={Lazy::<pages::security::SecurityRoute>::new()}/>
                    <Route path=path!("/site-users") view={Lazy::<pages::site_users::SiteUsersRoute>::new()}/>
                    <Route path=path!("/desk") view={Lazy::<pages::desk::DeskRoute>::new()}/>
                    <Route path=path!("/desk/change-requests") view={Lazy::<pages::desk::ChangeRequestsRoute>::new()}/>
                    <Route path=path!("/desk/quote-requests") view={Lazy::<pages::desk_work::DeskQuoteRequestsRoute>::new()}/>
                    <Route path=path!("/desk/orders") view={Lazy::<pages::desk_work::DeskOrdersRoute>::new()}/>
                    <Route path=path!("/desk/audit") view={Lazy::<pages::desk_work::AuditRoute>::new()}/>
                    <Route path=path!("/cart") view={Lazy::<pages::cart::CartRoute>::new()}/>
                    <Route path=path!("/checkout") view={Lazy::<pages::checkout::CheckoutRoute>::new()}/>
                    <Route path=path!("/orders") view={Lazy::<pages::orders::OrdersRoute>::new()}/>
                    <Route path=path!("/orders/:reference") view={Lazy::<pages::orders::OrderRoute>::new()}/>
                </Routes>
            </main>
        </Router>
    }
}
