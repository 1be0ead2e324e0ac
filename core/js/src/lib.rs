//! # entitle-core-js
//!
//! `entitle-core`'s rules for JavaScript: the npm package `@entitle/core`, built by
//! `scripts/build-core-js.sh` with wasm-bindgen. A partner's quoting tool or a storefront in TypeScript
//! gets the same price, the same validation code and message, and the same order-reference check as the
//! portal, because it runs the same Rust.
//!
//! This file only moves values across the wasm boundary (JSON-shaped objects in and out, via
//! `serde-wasm-bindgen`); the functions themselves are in [`rules`], which the shared case table
//! (`core/js/cases.json`) tests natively (`tests/cases.rs`) and in Node (`tests/cases.test.mjs`).
//!
//! Conventions of the JavaScript API:
//! * inputs and outputs are plain objects with snake_case fields, as in the portal's HTTP API;
//! * money and rates are decimal strings, dates `YYYY-MM-DD` strings;
//! * a check answers `{status: "valid", value}` or `{status: "invalid", problems: [{field, code,
//!   message}]}` — refusing input is an answer, not an exception;
//! * an input of the wrong shape (a missing field, a number where a string belongs) throws a `TypeError`
//!   saying what is wrong: that is a bug in the caller, not something to show a customer.

#![deny(missing_docs)]

pub mod rules;
pub mod types;

use entitle_core::locale::Locale;
use entitle_core::money::Currency;
use entitle_core::validation::CardBrand;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use crate::types::{AddressFields, CartInput, DateStyle};

// The closed vocabularies of the catalog, declared from their codes in entitle-core (see
// `vocabulary!` in core/src/catalog.rs). The other enums' declarations come from tsify's derive.
#[wasm_bindgen(typescript_custom_section)]
const PART_TYPE: &str = entitle_core::catalog::PartType::TYPESCRIPT;
#[wasm_bindgen(typescript_custom_section)]
const PRICE_LEVEL: &str = entitle_core::catalog::PriceLevel::TYPESCRIPT;
#[wasm_bindgen(typescript_custom_section)]
const METRIC: &str = entitle_core::catalog::Metric::TYPESCRIPT;

/// Reads a JSON-shaped argument; a wrong shape is the caller's bug, thrown as a `TypeError`.
fn read<T: DeserializeOwned>(what: &str, value: JsValue) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| js_sys_type_error(&format!("{what}: {e}")))
}

fn js_sys_type_error(message: &str) -> JsValue {
    // A `TypeError`, like the engine's own for a wrong argument.
    let error = js_sys::TypeError::new(message);
    error.into()
}

/// Writes an answer the way `JSON.parse` would build it (`null` for a missing value, plain objects).
fn write<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_sys_type_error(&e.to_string()))
}

/// The language argument: `"en"` (also when left out), `"id"` or `"de"`.
fn locale(value: JsValue) -> Result<Locale, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Locale::En);
    }
    read("locale", value)
}

/// Prices a cart as the portal does: price level (lifted by the order's own points), co-termination to
/// the site's anniversary, reinstatement of lapsed S&S, proration, months, a rep's discounts and the
/// country's tax; every line explained in `input.locale`. Totals are sums of the rounded lines.
#[wasm_bindgen(js_name = priceCart, unchecked_return_type = "Checked<PricedCart>")]
pub fn price_cart(
    #[wasm_bindgen(unchecked_param_type = "CartInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let input: CartInput = read("priceCart(input)", input)?;
    write(&rules::price_cart(&input))
}

/// Checks a card number as typed: the brand from its prefix, the length for that brand, the Luhn check.
#[wasm_bindgen(js_name = checkCardNumber, unchecked_return_type = "Checked<CardNumberInfo>")]
pub fn check_card_number(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "Locale | undefined")] lang: JsValue,
) -> Result<JsValue, JsValue> {
    write(&rules::check_card_number(input, locale(lang)?))
}

/// Checks a card's expiry month and year against `today` (`YYYY-MM-DD`).
#[wasm_bindgen(js_name = checkExpiry, unchecked_return_type = "Checked<ExpiryInfo>")]
pub fn check_expiry(
    month: &str,
    year: &str,
    today: &str,
    #[wasm_bindgen(unchecked_param_type = "Locale | undefined")] lang: JsValue,
) -> Result<JsValue, JsValue> {
    write(&rules::check_expiry(month, year, today, locale(lang)?))
}

/// Checks a security code for the card's brand; the code is never echoed back.
#[wasm_bindgen(js_name = checkSecurityCode, unchecked_return_type = "Checked<boolean>")]
pub fn check_security_code(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "CardBrand")] brand: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Locale | undefined")] lang: JsValue,
) -> Result<JsValue, JsValue> {
    let brand: CardBrand = read("checkSecurityCode(brand)", brand)?;
    write(&rules::check_security_code(input, brand, locale(lang)?))
}

/// Checks the name as printed on the card.
#[wasm_bindgen(js_name = checkCardholderName, unchecked_return_type = "Checked<string>")]
pub fn check_cardholder_name(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "Locale | undefined")] lang: JsValue,
) -> Result<JsValue, JsValue> {
    write(&rules::check_cardholder_name(input, locale(lang)?))
}

/// Checks an e-mail address.
#[wasm_bindgen(js_name = checkEmail, unchecked_return_type = "Checked<string>")]
pub fn check_email(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "Locale | undefined")] lang: JsValue,
) -> Result<JsValue, JsValue> {
    write(&rules::check_email(input, locale(lang)?))
}

/// Checks a purchase order number.
#[wasm_bindgen(js_name = checkPoNumber, unchecked_return_type = "Checked<string>")]
pub fn check_po_number(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "Locale | undefined")] lang: JsValue,
) -> Result<JsValue, JsValue> {
    write(&rules::check_po_number(input, locale(lang)?))
}

/// Checks an Indonesian tax ID (NPWP).
#[wasm_bindgen(js_name = checkNpwp, unchecked_return_type = "Checked<NpwpInfo>")]
pub fn check_npwp(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "Locale | undefined")] lang: JsValue,
) -> Result<JsValue, JsValue> {
    write(&rules::check_npwp(input, locale(lang)?))
}

/// Checks a billing or shipping address for its country; every problem is reported with its field.
#[wasm_bindgen(js_name = checkAddress, unchecked_return_type = "Checked<AddressFields>")]
pub fn check_address(
    #[wasm_bindgen(unchecked_param_type = "AddressFields")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Locale | undefined")] lang: JsValue,
) -> Result<JsValue, JsValue> {
    let input: AddressFields = read("checkAddress(address)", input)?;
    write(&rules::check_address(&input, locale(lang)?))
}

/// Whether addresses in `country` need a state, province or prefecture.
#[wasm_bindgen(js_name = regionRequired)]
#[must_use]
pub fn region_required(country: &str) -> bool {
    rules::region_required(country)
}

/// The payment methods of `country`, its default first.
#[wasm_bindgen(js_name = paymentMethods, unchecked_return_type = "PaymentMethod[]")]
pub fn payment_methods(country: &str) -> Result<JsValue, JsValue> {
    write(&rules::payment_methods(country))
}

/// Checks an order reference as a person types it: its form and its check digit.
#[wasm_bindgen(js_name = checkOrderReference, unchecked_return_type = "Checked<ReferenceInfo>")]
pub fn check_order_reference(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "Locale | undefined")] lang: JsValue,
) -> Result<JsValue, JsValue> {
    write(&rules::check_order_reference(input, locale(lang)?))
}

/// The order reference of a nine-digit number, with its check digit: `EN-48312-09275`.
#[wasm_bindgen(js_name = orderReference)]
#[must_use]
pub fn order_reference(payload: u32) -> String {
    rules::order_reference(payload)
}

/// Formats an amount (a decimal string) as the portal shows it: `$1,234.50`, `Rp 1.234.567,00`.
/// Throws a `RangeError` when `amount` is not a decimal number.
#[wasm_bindgen(js_name = formatMoney)]
pub fn format_money(
    amount: &str,
    #[wasm_bindgen(unchecked_param_type = "Currency")] currency: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Locale | undefined")] lang: JsValue,
) -> Result<String, JsValue> {
    let currency: Currency = read("formatMoney(currency)", currency)?;
    rules::format_money(amount, currency, locale(lang)?).map_err(range_error)
}

/// Formats a `YYYY-MM-DD` date: `31 Mar 2027` (`"short"`, the default) or `31 March 2027` (`"long"`).
/// Throws a `RangeError` when `date` is not a real date.
#[wasm_bindgen(js_name = formatDate)]
pub fn format_date(
    date: &str,
    #[wasm_bindgen(unchecked_param_type = "Locale | undefined")] lang: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DateStyle | undefined")] style: JsValue,
) -> Result<String, JsValue> {
    let style: DateStyle = if style.is_undefined() || style.is_null() {
        DateStyle::default()
    } else {
        read("formatDate(style)", style)?
    };
    rules::format_date(date, locale(lang)?, style).map_err(range_error)
}

/// Formats a month of a year as a heading: `January 2027`, `Januari 2027`.
#[wasm_bindgen(js_name = formatMonth)]
pub fn format_month(
    year: i32,
    month: u8,
    #[wasm_bindgen(unchecked_param_type = "Locale | undefined")] lang: JsValue,
) -> Result<String, JsValue> {
    rules::format_month(year, month, locale(lang)?).map_err(range_error)
}

fn range_error(message: String) -> JsValue {
    js_sys::RangeError::new(&message).into()
}
