//! One module per page.

pub mod catalog;
pub mod not_found;
pub mod renewals;
pub mod sign_in;
