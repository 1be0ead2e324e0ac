//! The connection: whether the browser is online, waiting for it to come back, and the offline banner.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::ui::tx;

/// Whether the browser believes it is online (`navigator.onLine`).
#[must_use]
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Resolves on the next `online` event, or after `timeout_ms` when given.
async fn online_event(timeout_ms: Option<i32>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let opts = web_sys::AddEventListenerOptions::new();
        opts.set_once(true);
        let _ = window.add_event_listener_with_callback_and_add_event_listener_options(
            "online", &resolve, &opts,
        );
        if let Some(ms) = timeout_ms {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits until the browser is online again (returns at once when it is).
pub async fn until_online() {
    while !online() {
        online_event(None).await;
    }
}

/// After a failed request: waits for the connection to come back, or a few seconds when the browser
/// thinks it is online (the server may have been unreachable for a moment).
pub async fn until_online_or_retry() {
    if online() {
        online_event(Some(3_000)).await;
    } else {
        until_online().await;
    }
}

/// Waits `ms` milliseconds.
pub async fn sleep_ms(ms: i32) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A banner at the top of every page while the browser is offline.
#[component]
pub fn OfflineBanner() -> impl IntoView {
    let locale = crate::i18n::use_locale();
    let is_online = RwSignal::new(online());
    if let Some(w) = web_sys::window() {
        for (name, value) in [("online", true), ("offline", false)] {
            let cb = Closure::<dyn Fn()>::new(move || is_online.set(value));
            let _ = w.add_event_listener_with_callback(name, cb.as_ref().unchecked_ref());
            // The banner lives as long as the app.
            cb.forget();
        }
    }
    // The live region is always in the page so that screen readers announce the banner when it
    // appears (a region inserted together with its text is often not read).
    view! {
        <div class="offline-region" role="status" aria-live="polite">
            {move || {
                (!is_online.get()).then(|| {
                    let l = locale.get();
                    view! {
                        <div class="offline-banner" id="offline-banner">
                            <strong>{tx(l, "You are offline.", "Anda sedang offline.")}</strong>
                            " "
                            {tx(l, "What you type is kept on this device and sent when the connection returns.",
                                "Yang Anda ketik disimpan di perangkat ini dan dikirim saat koneksi kembali.")}
                        </div>
                    }
                })
            }}
        </div>
    }
}
