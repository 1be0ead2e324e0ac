//! Checks order reference numbers the way the portal does (format and check digit), and draws one:
//! `cargo run -p entitle-core --example check_reference -- EN-12345-67894 [more]`.

use entitle_core::order::OrderReference;

fn main() {
    let typed: Vec<String> = std::env::args().skip(1).collect();
    let drawn = OrderReference::from_payload(123_456_789);
    println!("a reference made from the payload 123456789: {drawn}");
    let mut mistyped = drawn.to_string();
    // One digit changed: the check digit catches it.
    let last = mistyped
        .pop()
        .map_or('0', |c| if c == '1' { '2' } else { '1' });
    mistyped.push(last);
    for input in [drawn.to_string(), mistyped].into_iter().chain(typed) {
        match OrderReference::parse(&input) {
            Ok(r) => println!("{input:>20}  valid (payload {})", r.payload()),
            Err(e) => println!("{input:>20}  refused: {e}"),
        }
    }
}
