//! Entitle server.
fn main() {}
