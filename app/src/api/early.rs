//! The answers boot.js asked for before the app ran (`public/boot.js`): the session and the first
//! screen's data, fetched while the main module was still downloading, so that screen does not wait
//! for a second round of requests once the app starts.
//!
//! Each answer is kept under `"<language> <path>"`, the language being the one the client would send,
//! and taken once by the first GET of exactly that path. A change sent by the app forgets them all:
//! from then on an answer asked for before it may be stale.

use gloo_net::http::Response;
use wasm_bindgen::{JsCast, JsValue};

use super::ApiError;

const GLOBAL: &str = "entitleEarly";

fn answers() -> Option<js_sys::Map> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(GLOBAL))
        .ok()?
        .dyn_into::<js_sys::Map>()
        .ok()
}

/// The early answer to `GET url` in `language`, if boot.js asked for exactly that (taken once).
pub(super) async fn take(url: &str, language: &str) -> Option<Result<Response, ApiError>> {
    let map = answers()?;
    let key = JsValue::from_str(&format!("{language} {url}"));
    let promise = map.get(&key).dyn_into::<js_sys::Promise>().ok()?;
    map.delete(&key);
    Some(match wasm_bindgen_futures::JsFuture::from(promise).await {
        Ok(res) => res
            .dyn_into::<web_sys::Response>()
            .map(Response::from)
            .map_err(|_| ApiError::Network("not a response".to_owned())),
        Err(e) => Err(ApiError::Network(
            e.as_string()
                .unwrap_or_else(|| "the request failed".to_owned()),
        )),
    })
}

/// Forgets every early answer not taken yet (called before the app sends a change).
pub(super) fn forget_all() {
    if let Some(map) = answers() {
        map.clear();
    }
}
