//! The page header: brand, navigation and the language switcher.

use entitle_core::locale::Locale;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Key, locale_signal, set_locale, t, use_locale};

/// The header shown on every page.
#[component]
pub fn Header() -> impl IntoView {
    let locale = use_locale();
    let writable = locale_signal();
    view! {
        <header class="site-header">
            <a class="brand" href="/">"Entitle"</a>
            <nav aria-label=move || t(locale.get(), Key::MainNavigation)>
                <A href="/catalog">{move || t(locale.get(), Key::NavCatalog)}</A>
            </nav>
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
