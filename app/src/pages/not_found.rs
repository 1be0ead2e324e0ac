//! The page for an unknown address.

use leptos::prelude::*;

use crate::i18n::{Key, t, use_locale};

/// "Page not found", with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="page">
            <h1>{move || t(locale.get(), Key::NotFoundTitle)}</h1>
            <p><a href="/catalog">{move || t(locale.get(), Key::BackToCatalog)}</a></p>
        </section>
    }
}
