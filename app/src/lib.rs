//! # entitle-app
//!
//! The customer portal in the browser: a Leptos client-side app. It renders and calls; the rules
//! (validation, pricing, formatting) come from `entitle-core`, so the browser gives the same answers as
//! the server.

pub mod api;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod session;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::header::Header;
use crate::i18n::{Key, t, use_locale};

/// The whole app: header, routes, and the pages.
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_locale();
    session::provide_session();
    let locale = use_locale();
    view! {
        <Router>
            <a class="skip-link" href="#main">{move || t(locale.get(), Key::SkipToContent)}</a>
            <Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::catalog::CatalogPage/>
                    <Route path=path!("/catalog") view=pages::catalog::CatalogPage/>
                    <Route path=path!("/sign-in") view=pages::sign_in::SignInPage/>
                    <Route path=path!("/renewals") view=pages::renewals::RenewalsPage/>
                </Routes>
            </main>
        </Router>
    }
}
