//! The checkout form's rules, in one place for the browser (live, per step of the wizard) and the server
//! (on what it receives): every problem is reported against its field, with the field's path in the
//! [`PlaceOrder`] request (`billing.address.postal_code`, `payment.number`, …).

use time::Date;

use crate::country::CountryCode;
use crate::dto::{BillingDetails, PaymentInput, PlaceOrder, ShippingDetails};
use crate::locale::Locale;
use crate::order::{PaymentMethod, payment_methods};
use crate::validation::{
    Address, CardError, CardNumber, CardholderName, Email, Expiry, Explain, FieldError, Npwp,
    PurchaseOrderNumber, SecurityCode, TermsAccepted,
};

/// Why one field is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A general field rule (required, format, length …).
    Field(FieldError),
    /// A card rule.
    Card(CardError),
    /// The billing address is not in the site's country (tax and payment methods follow the site).
    WrongCountry(CountryCode),
    /// The terms were accepted in a version that is no longer current.
    TermsOutdated,
    /// The payment method is not offered in the site's country.
    MethodNotAllowed(PaymentMethod, CountryCode),
}

impl Explain for Problem {
    fn code(&self) -> &'static str {
        match self {
            Problem::Field(e) => e.code(),
            Problem::Card(e) => e.code(),
            Problem::WrongCountry(_) => "address.country",
            Problem::TermsOutdated => "terms.outdated",
            Problem::MethodNotAllowed(..) => "payment.method_not_allowed",
        }
    }

    fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (Problem::Field(e), l) => e.message(l),
            (Problem::Card(e), l) => e.message(l),
            (Problem::WrongCountry(c), Locale::En) => {
                format!("the billing address must be in the site's country ({c})")
            }
            (Problem::WrongCountry(c), Locale::Id) => {
                format!("Alamat penagihan harus berada di negara situs ({c})")
            }
            (Problem::TermsOutdated, Locale::En) => {
                "the terms and conditions changed; read the current version and accept it".into()
            }
            (Problem::TermsOutdated, Locale::Id) => {
                "Syarat dan ketentuan telah berubah; baca versi terbaru lalu setujui".into()
            }
            (Problem::MethodNotAllowed(m, c), Locale::En) => {
                format!("{} is not offered in {c}", m.code())
            }
            (Problem::MethodNotAllowed(m, c), Locale::Id) => {
                format!("{} tidak tersedia di {c}", m.code())
            }
            (Problem::WrongCountry(c), Locale::De) => {
                format!("Die Rechnungsadresse muss im Land des Standorts liegen ({c})")
            }
            (Problem::TermsOutdated, Locale::De) => {
                "Die Geschäftsbedingungen haben sich geändert; lesen und akzeptieren Sie die aktuelle Fassung".into()
            }
            (Problem::MethodNotAllowed(m, c), Locale::De) => {
                format!("{} wird in {c} nicht angeboten", m.code())
            }
        }
    }
}

/// Problems by field path, in the order the form shows the fields.
pub type Problems = Vec<(String, Problem)>;

/// A payment whose every field passed: the card fields exist only in memory, for the processor.
#[derive(Debug)]
pub enum ValidPayment {
    /// A card.
    Card {
        /// The number.
        number: CardNumber,
        /// The expiry.
        expiry: Expiry,
        /// The security code.
        code: SecurityCode,
        /// The name on the card.
        name: CardholderName,
    },
    /// A purchase order.
    PurchaseOrder(PurchaseOrderNumber),
    /// A bank transfer.
    BankTransfer,
}

impl ValidPayment {
    /// Which method this is.
    #[must_use]
    pub const fn method(&self) -> PaymentMethod {
        match self {
            ValidPayment::Card { .. } => PaymentMethod::Card,
            ValidPayment::PurchaseOrder(_) => PaymentMethod::PurchaseOrder,
            ValidPayment::BankTransfer => PaymentMethod::BankTransfer,
        }
    }
}

fn parse_address(
    prefix: &str,
    address: &crate::validation::AddressInput,
    out: &mut Problems,
) -> Option<Address> {
    match Address::parse(address.clone()) {
        Ok(a) => Some(a),
        Err(errors) => {
            for (f, e) in errors {
                out.push((format!("{prefix}.address.{f}"), Problem::Field(e)));
            }
            None
        }
    }
}

/// Longest contact name (as an address line).
pub const MAX_CONTACT_NAME: usize = crate::validation::Address::MAX_LINE;
/// Longest telephone number as typed (with spaces, `+`, extensions).
pub const MAX_PHONE: usize = 40;
/// Longest tax ID outside Indonesia (VAT numbers, EINs; the NPWP has its own rule).
pub const MAX_TAX_ID: usize = 40;

fn required_text(field: &str, value: &str, out: &mut Problems) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        out.push((field.to_owned(), Problem::Field(FieldError::Required)));
        return None;
    }
    bounded_text(field, v, MAX_CONTACT_NAME, out)
}

/// `value` trimmed, unless it is longer than `max` characters: every text an order stores is bounded.
fn bounded_text(field: &str, value: &str, max: usize, out: &mut Problems) -> Option<String> {
    let v = value.trim();
    if v.chars().count() > max {
        out.push((
            field.to_owned(),
            Problem::Field(FieldError::TooLong { max }),
        ));
        return None;
    }
    Some(v.to_owned())
}

/// Billing details that passed every check, in their parsed forms — address, e-mail, NPWP — and
/// trimmed: what an order stores, never the request as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBilling {
    /// The address, in the site's country.
    pub address: Address,
    /// The contact person.
    pub contact_name: String,
    /// Where the confirmation goes.
    pub email: Email,
    /// The telephone (free form).
    pub phone: String,
    /// The NPWP in Indonesia (16 digits), elsewhere the tax ID as given.
    pub tax_id: String,
}

/// Ship-to details that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidShipping {
    /// The ship-to address.
    pub address: Address,
    /// The ship-to contact.
    pub contact_name: String,
    /// The ship-to e-mail.
    pub email: Email,
}

impl From<&ValidBilling> for BillingDetails {
    fn from(b: &ValidBilling) -> Self {
        BillingDetails {
            address: b.address.fields().clone(),
            contact_name: b.contact_name.clone(),
            email: b.email.as_str().to_owned(),
            phone: b.phone.clone(),
            tax_id: b.tax_id.clone(),
        }
    }
}

impl From<&ValidShipping> for ShippingDetails {
    fn from(s: &ValidShipping) -> Self {
        ShippingDetails {
            address: s.address.fields().clone(),
            contact_name: s.contact_name.clone(),
            email: s.email.as_str().to_owned(),
        }
    }
}

/// Parses billing details for a site in `country`, every problem against its field.
///
/// # Errors
/// Every problem, in the order the form shows the fields.
pub fn parse_billing(
    billing: &BillingDetails,
    country: CountryCode,
) -> Result<ValidBilling, Problems> {
    let mut out = Problems::new();
    let address = parse_address("billing", &billing.address, &mut out);
    if billing.address.country != country {
        out.push((
            "billing.address.country".into(),
            Problem::WrongCountry(country),
        ));
    }
    let contact_name = required_text("billing.contact_name", &billing.contact_name, &mut out);
    let email = Email::parse(&billing.email)
        .map_err(|e| out.push(("billing.email".into(), Problem::Field(e))))
        .ok();
    let tax_id = if country == CountryCode::ID {
        Npwp::parse(&billing.tax_id)
            .map(|n| n.digits().to_owned())
            .map_err(|e| out.push(("billing.tax_id".into(), Problem::Field(e))))
            .ok()
    } else {
        bounded_text("billing.tax_id", &billing.tax_id, MAX_TAX_ID, &mut out)
    };
    let phone = bounded_text("billing.phone", &billing.phone, MAX_PHONE, &mut out);
    match (address, contact_name, email, tax_id, phone) {
        (Some(address), Some(contact_name), Some(email), Some(tax_id), Some(phone))
            if out.is_empty() =>
        {
            Ok(ValidBilling {
                address,
                contact_name,
                email,
                phone,
                tax_id,
            })
        }
        _ => Err(out),
    }
}

/// Parses ship-to details.
///
/// # Errors
/// Every problem, in the order the form shows the fields.
pub fn parse_shipping(shipping: &ShippingDetails) -> Result<ValidShipping, Problems> {
    let mut out = Problems::new();
    let address = parse_address("shipping", &shipping.address, &mut out);
    let contact_name = required_text("shipping.contact_name", &shipping.contact_name, &mut out);
    let email = Email::parse(&shipping.email)
        .map_err(|e| out.push(("shipping.email".into(), Problem::Field(e))))
        .ok();
    match (address, contact_name, email) {
        (Some(address), Some(contact_name), Some(email)) => Ok(ValidShipping {
            address,
            contact_name,
            email,
        }),
        _ => Err(out),
    }
}

/// The first step of the wizard: billing (address in the site's `country`, contact, e-mail, NPWP in
/// Indonesia), the optional ship-to, and the terms (accepted, in the `current_terms` version).
#[must_use]
pub fn check_details(
    billing: &BillingDetails,
    shipping: Option<&ShippingDetails>,
    accept_terms: bool,
    terms_version: &str,
    country: CountryCode,
    current_terms: &str,
) -> Problems {
    parse_details(
        billing,
        shipping,
        accept_terms,
        terms_version,
        country,
        current_terms,
    )
    .err()
    .unwrap_or_default()
}

/// [`check_details`], giving the parsed details when every check passed.
///
/// # Errors
/// Every problem, in the order the form shows the fields.
pub fn parse_details(
    billing: &BillingDetails,
    shipping: Option<&ShippingDetails>,
    accept_terms: bool,
    terms_version: &str,
    country: CountryCode,
    current_terms: &str,
) -> Result<(ValidBilling, Option<ValidShipping>), Problems> {
    let mut out = Problems::new();
    let billing = parse_billing(billing, country)
        .map_err(|p| out.extend(p))
        .ok();
    let shipping = shipping.and_then(|s| parse_shipping(s).map_err(|p| out.extend(p)).ok());
    out.extend(check_terms(accept_terms, terms_version, current_terms));
    match (billing, out.is_empty()) {
        (Some(b), true) => Ok((b, shipping)),
        _ => Err(out),
    }
}

/// The terms of sale: accepted ("I agree"), in the `current_terms` version — for an order, and for
/// turning on auto-renew (which places one).
#[must_use]
pub fn check_terms(accept_terms: bool, terms_version: &str, current_terms: &str) -> Problems {
    if let Err(e) = TermsAccepted::parse(accept_terms) {
        vec![("accept_terms".into(), Problem::Field(e))]
    } else if terms_version != current_terms {
        vec![("terms_version".into(), Problem::TermsOutdated)]
    } else {
        Vec::new()
    }
}

/// The payment step: a method offered in `country`, and its fields (card number, expiry as of `today`,
/// security code for the card's brand, name; or the PO number).
///
/// # Errors
/// Every problem, by field.
pub fn check_payment(
    payment: &PaymentInput,
    country: CountryCode,
    today: Date,
) -> Result<ValidPayment, Problems> {
    let mut out = Problems::new();
    let method = match payment {
        PaymentInput::Card { .. } => PaymentMethod::Card,
        PaymentInput::PurchaseOrder { .. } => PaymentMethod::PurchaseOrder,
        PaymentInput::BankTransfer => PaymentMethod::BankTransfer,
    };
    if !payment_methods(country).contains(&method) {
        out.push((
            "payment.method".into(),
            Problem::MethodNotAllowed(method, country),
        ));
    }
    let valid = match payment {
        PaymentInput::Card {
            number,
            exp_month,
            exp_year,
            security_code,
            name,
        } => {
            let mut card = |field: &str, e: CardError| out.push((field.into(), Problem::Card(e)));
            let number = CardNumber::parse(number)
                .map_err(|e| card("payment.number", e))
                .ok();
            let expiry = Expiry::parse(exp_month, exp_year, today)
                .map_err(|e| {
                    let f = if matches!(e, CardError::ExpiryMonth) {
                        "payment.exp_month"
                    } else {
                        "payment.exp_year"
                    };
                    card(f, e);
                })
                .ok();
            let code = number.as_ref().and_then(|n| {
                SecurityCode::parse(security_code, n.brand())
                    .map_err(|e| card("payment.security_code", e))
                    .ok()
            });
            let name = CardholderName::parse(name)
                .map_err(|e| card("payment.name", e))
                .ok();
            match (number, expiry, code, name) {
                (Some(number), Some(expiry), Some(code), Some(name)) => Some(ValidPayment::Card {
                    number,
                    expiry,
                    code,
                    name,
                }),
                _ => None,
            }
        }
        PaymentInput::PurchaseOrder { po_number } => PurchaseOrderNumber::parse(po_number)
            .map(ValidPayment::PurchaseOrder)
            .map_err(|e| out.push(("payment.po_number".into(), Problem::Field(e))))
            .ok(),
        PaymentInput::BankTransfer => Some(ValidPayment::BankTransfer),
    };
    match valid {
        Some(p) if out.is_empty() => Ok(p),
        _ => Err(out),
    }
}

/// The whole order: [`check_details`] and [`check_payment`] together, as the server runs them.
///
/// # Errors
/// Every problem of both steps, by field.
pub fn check_order(
    req: &PlaceOrder,
    country: CountryCode,
    current_terms: &str,
    today: Date,
) -> Result<ValidOrder, Problems> {
    let details = parse_details(
        &req.billing,
        req.shipping.as_ref(),
        req.accept_terms,
        &req.terms_version,
        country,
        current_terms,
    );
    match (details, check_payment(&req.payment, country, today)) {
        (Ok((billing, shipping)), Ok(payment)) => Ok(ValidOrder {
            billing,
            shipping,
            payment,
        }),
        (Ok(_), Err(problems)) => Err(problems),
        (Err(problems), Ok(_)) => Err(problems),
        (Err(mut problems), Err(more)) => {
            problems.extend(more);
            Err(problems)
        }
    }
}

/// An order request whose every field passed, parsed.
#[derive(Debug)]
pub struct ValidOrder {
    /// The billing details.
    pub billing: ValidBilling,
    /// The ship-to details, when given.
    pub shipping: Option<ValidShipping>,
    /// The payment.
    pub payment: ValidPayment,
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::validation::AddressInput;

    fn billing(country: CountryCode) -> BillingDetails {
        BillingDetails {
            address: AddressInput {
                name: "PT Nusantara Data".into(),
                line1: "Jl. Sudirman 1".into(),
                line2: String::new(),
                city: "Jakarta".into(),
                region: "DKI Jakarta".into(),
                postal_code: "10220".into(),
                country,
            },
            contact_name: "Siti Rahma".into(),
            email: "siti@example.id".into(),
            phone: String::new(),
            tax_id: "01.234.567.8-901.000".into(),
        }
    }

    #[test]
    fn every_billing_text_has_a_maximum() {
        let long = |n: usize| "x".repeat(n);
        let mut typed = billing(CountryCode::US);
        typed.address.region = "TX".into();
        typed.address.postal_code = "78701".into();
        typed.contact_name = long(MAX_CONTACT_NAME + 1);
        typed.phone = long(MAX_PHONE + 1);
        typed.tax_id = long(MAX_TAX_ID + 1);
        let problems = parse_billing(&typed, CountryCode::US).unwrap_err();
        for (field, max) in [
            ("billing.contact_name", MAX_CONTACT_NAME),
            ("billing.phone", MAX_PHONE),
            ("billing.tax_id", MAX_TAX_ID),
        ] {
            assert!(
                problems.contains(&(
                    field.to_owned(),
                    Problem::Field(FieldError::TooLong { max })
                )),
                "{field}: {problems:?}"
            );
        }
        // At the maximum, everything is taken.
        typed.contact_name = long(MAX_CONTACT_NAME);
        typed.phone = long(MAX_PHONE);
        typed.tax_id = long(MAX_TAX_ID);
        assert!(parse_billing(&typed, CountryCode::US).is_ok());
    }

    #[test]
    fn billing_details_are_stored_parsed_and_normalised_not_as_typed() {
        let mut typed = billing(CountryCode::ID);
        typed.contact_name = "  Siti Rahma ".into();
        typed.email = "Siti@Example.ID".into();
        typed.address.city = " Jakarta ".into();
        let valid = parse_billing(&typed, CountryCode::ID).unwrap();
        let stored = BillingDetails::from(&valid);
        assert_eq!(stored.contact_name, "Siti Rahma");
        assert_eq!(stored.email, "Siti@example.id");
        assert_eq!(stored.address.city, "Jakarta");
        assert_eq!(stored.tax_id, "012345678901000", "NPWP as its digits");
        // What is stored parses again to the same thing.
        assert_eq!(parse_billing(&stored, CountryCode::ID).unwrap(), valid);
    }

    fn today() -> Date {
        crate::dates::parse("2026-11-23").expect("a date")
    }

    #[test]
    fn complete_indonesian_details_with_terms_accepted_pass() {
        let p = check_details(
            &billing(CountryCode::ID),
            None,
            true,
            "v1",
            CountryCode::ID,
            "v1",
        );
        assert_eq!(p, Problems::new());
    }

    #[test]
    fn each_missing_detail_is_reported_against_its_own_field() {
        let mut b = billing(CountryCode::ID);
        b.address.postal_code = String::new();
        b.contact_name = " ".into();
        b.email = "siti@".into();
        b.tax_id = "123".into();
        let fields: Vec<String> = check_details(&b, None, false, "v1", CountryCode::ID, "v1")
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            [
                "billing.address.postal_code",
                "billing.contact_name",
                "billing.email",
                "billing.tax_id",
                "accept_terms"
            ]
        );
    }

    #[test]
    fn a_billing_address_outside_the_sites_country_and_old_terms_are_refused() {
        let p = check_details(
            &billing(CountryCode::ID),
            None,
            true,
            "v0",
            CountryCode::US,
            "v1",
        );
        let codes: Vec<&str> = p.iter().map(|(_, e)| e.code()).collect();
        assert!(codes.contains(&"address.country"), "{codes:?}");
        assert!(codes.contains(&"terms.outdated"), "{codes:?}");
    }

    #[test]
    fn a_valid_card_passes_and_a_mistyped_one_names_each_field() {
        let good = PaymentInput::Card {
            number: "4111 1111 1111 1111".into(),
            exp_month: "12".into(),
            exp_year: "2030".into(),
            security_code: "123".into(),
            name: "Siti Rahma".into(),
        };
        assert!(matches!(
            check_payment(&good, CountryCode::US, today()),
            Ok(ValidPayment::Card { .. })
        ));
        let bad = PaymentInput::Card {
            number: "4111 1111 1111 1112".into(),
            exp_month: "13".into(),
            exp_year: "2030".into(),
            security_code: "1".into(),
            name: String::new(),
        };
        let fields: Vec<String> = check_payment(&bad, CountryCode::US, today())
            .expect_err("invalid")
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            ["payment.number", "payment.exp_month", "payment.name"]
        );
    }

    #[test]
    fn a_method_the_country_does_not_offer_is_refused_in_both_languages() {
        assert!(!payment_methods(CountryCode::US).contains(&PaymentMethod::BankTransfer));
        let problems = check_payment(&PaymentInput::BankTransfer, CountryCode::US, today())
            .expect_err("not offered in the US");
        assert_eq!(problems[0].0, "payment.method");
        assert_eq!(problems[0].1.code(), "payment.method_not_allowed");
        assert!(problems[0].1.message(Locale::Id).contains("tidak tersedia"));
        assert!(check_payment(&PaymentInput::BankTransfer, CountryCode::ID, today()).is_ok());
    }

    #[test]
    fn an_empty_purchase_order_number_is_reported_on_its_field() {
        let po = PaymentInput::PurchaseOrder {
            po_number: String::new(),
        };
        let err = check_payment(&po, CountryCode::US, today()).expect_err("empty PO");
        assert_eq!(err[0].0, "payment.po_number");
    }
}
