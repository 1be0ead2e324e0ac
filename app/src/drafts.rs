//! Drafts: what the customer types (addresses, contacts, PO fields, quote requests, cart quantities)
//! saved as they type and restored after a reload or a lost connection.
//!
//! They live in the tab's sessionStorage, not localStorage: they may hold e-mail addresses, phone
//! numbers, tax IDs and the cardholder's name, and the browser forgets them when the tab is closed,
//! whether or not the person signed out. Never the card number or the security code: the checkout
//! form keeps those in memory only. Drafts are removed once the server has what they held, and all of
//! them at sign-out (another person may use the browser next).

const PREFIX: &str = "entitle.draft.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

/// Removes drafts an earlier version kept in localStorage (they outlived the tab).
pub fn forget_lasting_drafts() {
    let Some(s) = crate::i18n::storage() else {
        return;
    };
    let len = s.length().unwrap_or(0);
    let keys: Vec<String> = (0..len)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(PREFIX))
        .collect();
    for k in keys {
        let _ = s.remove_item(&k);
    }
}

/// The draft saved under `key`, if any.
#[must_use]
pub fn load(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(&format!("{PREFIX}{key}")).ok().flatten())
}

/// Saves `value` under `key` (a full or private-mode storage is ignored: the form still works).
pub fn save(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(&format!("{PREFIX}{key}"), value);
    }
}

/// Removes the draft under `key`.
pub fn clear(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&format!("{PREFIX}{key}"));
    }
}

/// Removes every draft whose key starts with `prefix` (all drafts with `""`).
pub fn clear_all(prefix: &str) {
    let Some(s) = storage() else { return };
    let full = format!("{PREFIX}{prefix}");
    let len = s.length().unwrap_or(0);
    let keys: Vec<String> = (0..len)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(&full))
        .collect();
    for k in keys {
        let _ = s.remove_item(&k);
    }
}

/// Loads a draft stored as JSON.
#[must_use]
pub fn load_json<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    load(key).and_then(|v| serde_json::from_str(&v).ok())
}

/// Saves a draft as JSON.
pub fn save_json<T: serde::Serialize>(key: &str, value: &T) {
    if let Ok(v) = serde_json::to_string(value) {
        save(key, &v);
    }
}
