//! One module per page. Every page but home and sign-in is a lazily loaded
//! route: its code is a separate wasm chunk fetched the first time it opens.

pub mod account;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod coverage;
pub mod desk;
pub mod desk_work;
pub mod home;
pub mod not_found;
pub mod orders;
pub mod part;
pub mod quote;
pub mod quotes;
pub mod renewals;
pub mod sign_in;
pub mod site_users;
