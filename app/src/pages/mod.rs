//! One module per page. Every page but the catalog (the landing page) and sign-in is a lazily loaded
//! route: its code is a separate wasm chunk fetched the first time it opens.

pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod not_found;
pub mod orders;
pub mod part;
pub mod quote;
pub mod renewals;
pub mod sign_in;
