//! # entitle-core
//!
//! The domain rules of Entitle — a portal where a software vendor's customers buy licences and renew
//! Subscription & Support (S&S) — as a pure library with no I/O. The browser app (compiled to wasm32) and
//! the server both depend on it, so a price, a validation message or a state change is computed by the
//! same code on both sides.
//!
//! * [`money`] — decimal money in an ISO 4217 currency, half-up rounding, exact allocation.
//! * [`catalog`] — part numbers, part types, licence metrics and price levels (thresholds as data).
//! * [`country`] — country codes and the tax table.
//! * [`pricing`] — the pricing engine: level, co-termination, reinstatement, terms, discounts, tax.
//! * [`validation`] — parse-don't-validate newtypes for cards, contacts, addresses, NPWP, quantities and
//!   terms, each error with a stable code and English and Indonesian messages.
//! * [`quote`] — the renewal-quote life cycle.
//! * [`order`] — order states, order reference numbers with a check digit, payment methods per country.
//! * [`locale`] — number, money and date formatting for English, Bahasa Indonesia and German.
//! * [`dto`] — the JSON shapes of the HTTP API, shared by the client and the server.
//!
//! Everything is deterministic and free of I/O: the caller passes "today" in. Money never touches
//! `f64`.
//!
//! ## The model
//!
//! **Price levels and points.** Every part has a unit price per [`catalog::PriceLevel`], from list
//! price `BL` down through `D`…`H`. A customer with a *relationship* agreement
//! ([`pricing::AgreementKind::Relationship`]) holds the level its points earned over the last term
//! ([`catalog::LEVEL_THRESHOLDS`]: 500 points for `D`, 1,000 for `E` …); each part earns
//! [`pricing::PartPrices::points_per_unit`], and an order whose own points reach a higher level is
//! priced at that level on every line ([`pricing::order_level`]). *Express* agreements always pay `BL`;
//! the special levels `ED` (academic) and `GV` (government) are granted, not earned.
//!
//! **Co-termination and proration.** All of a site's Subscription & Support renews on one day, its
//! anniversary ([`pricing::CustomerContext::anniversary`]). S&S bought between anniversaries covers
//! only the days up to the next one and is prorated by covered days / 365 ([`pricing::DAYS_PER_YEAR`],
//! [`pricing::Term::Coverage`]); a new licence's included S&S is co-termed the same way
//! ([`pricing::Explanation::CoTermed`]). S&S whose coverage lapsed is not renewed but reinstated: the
//! renewal part is replaced by its reinstatement part for a year from today
//! ([`pricing::Reinstatement`]).
//!
//! **Rounding and tax.** Each line is rounded once, half-up, to the currency's minor units
//! ([`money::Money`]); a rep's discount ([`pricing::Discount`]) comes off the rounded line, and tax is
//! charged per line on what remains, from the country's [`country::TaxRule`] — a rate on a share of the
//! price, which is 11/12 for Indonesia's PPN of 12 %. Totals are sums of the rounded lines
//! ([`pricing::PricedQuote`]), so the rows on a screen always add up. Each line carries the facts that
//! explain its price ([`pricing::PricedLine::explanations`]), in either language.
//!
//! **Validation.** Input is parsed into types that can only hold valid values ([`validation`]); each
//! refusal has a stable code and a message in English, Bahasa Indonesia and German
//! ([`validation::Explain`]). The same code runs in the browser as the customer types and on the server on
//! what it receives. The rules are also published for JavaScript as the npm package `@entitle/core`
//! (the workspace crate `entitle-core-js`).
//!
//! ## Pricing a renewal quote
//!
//! ```
//! use entitle_core::catalog::{PartNumber, PartType, PriceLevel};
//! use entitle_core::money::Currency;
//! use entitle_core::pricing::{
//!     AgreementKind, CustomerContext, LineRequest, PartPrices, PriceBook, PricingRules, Term, price,
//! };
//! use rust_decimal::Decimal;
//! use time::macros::date;
//!
//! let renewal = PartNumber::parse("E0ABCLL").unwrap();
//! let mut book = PriceBook::default();
//! book.insert(
//!     PartPrices::new(renewal.clone(), PartType::AnnualSnsRenewal, 10)
//!         .with_price(Currency::Idr, PriceLevel::E, Decimal::new(1_500_000_00, 2)),
//! );
//! let customer = CustomerContext {
//!     agreement: AgreementKind::Relationship,
//!     level: PriceLevel::E,
//!     points: 1_200,
//!     country: "ID".parse().unwrap(),
//!     currency: Currency::Idr,
//!     anniversary: date!(2027 - 03 - 31),
//!     today: date!(2026 - 12 - 01),
//! };
//! // Two renewals of one year's S&S, from the anniversary to the next one.
//! let line = LineRequest::new(renewal, 2, Term::Coverage { start: date!(2027 - 03 - 31), end: date!(2028 - 03 - 31) });
//! let quote = price(&book, &customer, &[line], &PricingRules::standard()).unwrap();
//! assert_eq!(quote.subtotal.amount(), Decimal::new(3_000_000_00, 2));
//! // Indonesia: PPN 12 % on a base of 11/12 of the price, i.e. 11 % effective.
//! assert_eq!(quote.tax.amount(), Decimal::new(330_000_00, 2));
//! assert_eq!(quote.total.amount(), Decimal::new(3_330_000_00, 2));
//! ```

#![deny(missing_docs)]

pub mod audit;
pub mod catalog;
pub mod checkout;
pub mod country;
mod country_names;
pub mod dates;
pub mod dto;
pub mod error_code;
pub mod locale;
pub mod money;
pub mod navigation;
pub mod order;
pub mod pricing;
pub mod quote;
pub mod quote_request;
pub mod renewal;
pub mod validation;

// The unit tests also run in headless Chromium (`wasm-bindgen-test-runner`), as part of the test command.
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
