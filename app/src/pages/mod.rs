//! One module per page.

pub mod catalog;
pub mod not_found;
