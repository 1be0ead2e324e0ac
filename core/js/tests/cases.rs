//! The shared case table (`core/js/cases.json`) run natively against the functions the npm package
//! exports; `cases.test.mjs` runs the same table against the built package in Node.

use entitle_core::locale::Locale;
use entitle_core_js::rules;
use entitle_core_js::types::{AddressFields, CartInput, DateStyle};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn arg<T: DeserializeOwned>(args: &[Value], i: usize) -> T {
    serde_json::from_value(args.get(i).cloned().unwrap_or(Value::Null))
        .unwrap_or_else(|e| panic!("argument {i} of {args:?}: {e}"))
}

fn text(args: &[Value], i: usize) -> String {
    arg(args, i)
}

/// The language argument as the package reads it: left out means English.
fn locale(args: &[Value], i: usize) -> Locale {
    args.get(i)
        .filter(|v| !v.is_null())
        .map_or(Locale::En, |_| arg(args, i))
}

fn answer<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).expect("every answer is JSON")
}

/// Calls the Rust function behind the package's JavaScript function `name`.
fn call(name: &str, a: &[Value]) -> Value {
    match name {
        "priceCart" => answer(rules::price_cart(&arg::<CartInput>(a, 0))),
        "checkCardNumber" => answer(rules::check_card_number(&text(a, 0), locale(a, 1))),
        "checkExpiry" => answer(rules::check_expiry(
            &text(a, 0),
            &text(a, 1),
            &text(a, 2),
            locale(a, 3),
        )),
        "checkSecurityCode" => answer(rules::check_security_code(
            &text(a, 0),
            arg(a, 1),
            locale(a, 2),
        )),
        "checkCardholderName" => answer(rules::check_cardholder_name(&text(a, 0), locale(a, 1))),
        "checkEmail" => answer(rules::check_email(&text(a, 0), locale(a, 1))),
        "checkPoNumber" => answer(rules::check_po_number(&text(a, 0), locale(a, 1))),
        "checkNpwp" => answer(rules::check_npwp(&text(a, 0), locale(a, 1))),
        "checkAddress" => answer(rules::check_address(
            &arg::<AddressFields>(a, 0),
            locale(a, 1),
        )),
        "regionRequired" => answer(rules::region_required(&text(a, 0))),
        "paymentMethods" => answer(rules::payment_methods(&text(a, 0))),
        "checkOrderReference" => answer(rules::check_order_reference(&text(a, 0), locale(a, 1))),
        "orderReference" => answer(rules::order_reference(arg(a, 0))),
        "formatMoney" => answer(rules::format_money(&text(a, 0), arg(a, 1), locale(a, 2)).unwrap()),
        "formatDate" => {
            let style = a
                .get(2)
                .map_or(DateStyle::Short, |_| arg::<DateStyle>(a, 2));
            answer(rules::format_date(&text(a, 0), locale(a, 1), style).unwrap())
        }
        "formatMonth" => answer(rules::format_month(arg(a, 0), arg(a, 1), locale(a, 2)).unwrap()),
        other => panic!("cases.json names a function the package does not have: {other}"),
    }
}

#[test]
fn every_shared_case_answers_exactly_what_the_table_expects() {
    let table: Value =
        serde_json::from_str(include_str!("../cases.json")).expect("cases.json is JSON");
    let cases = table["cases"].as_array().expect("a list of cases");
    assert!(cases.len() >= 40, "the table lost cases: {}", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let args = case["args"].as_array().cloned().unwrap_or_default();
        let got = call(case["fn"].as_str().unwrap_or(""), &args);
        if got != case["expected"] {
            failures.push(json!({"case": name, "expected": case["expected"], "got": got}));
        }
    }
    assert!(
        failures.is_empty(),
        "{}",
        serde_json::to_string_pretty(&failures).unwrap()
    );
}

#[test]
fn every_function_the_package_exports_has_a_case() {
    let table: Value = serde_json::from_str(include_str!("../cases.json")).unwrap();
    let lib = include_str!("../src/lib.rs");
    for exported in lib
        .split("js_name = ")
        .skip(1)
        .filter_map(|s| s.split(|c: char| !c.is_alphanumeric()).next())
    {
        assert!(
            table["cases"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["fn"] == exported),
            "no case in cases.json calls {exported}"
        );
    }
}
