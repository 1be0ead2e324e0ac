//! Validation unit tests, including the table of known card numbers per brand.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;
use crate::catalog::Metric;
use crate::country::CountryCode;
use time::macros::date;

/// Published test numbers of each scheme (valid), and near misses (invalid).
const VALID_CARDS: [(&str, CardBrand); 16] = [
    ("4111 1111 1111 1111", CardBrand::Visa),
    ("4012888888881881", CardBrand::Visa),
    ("4222222222222", CardBrand::Visa),
    ("5555 5555 5555 4444", CardBrand::Mastercard),
    ("5105105105105100", CardBrand::Mastercard),
    ("2221000000000009", CardBrand::Mastercard),
    ("2720 9999 9999 9996", CardBrand::Mastercard),
    ("3782 822463 10005", CardBrand::Amex),
    ("371449635398431", CardBrand::Amex),
    ("6011111111111117", CardBrand::Discover),
    ("6445644564456445", CardBrand::Discover),
    ("3530111333300000", CardBrand::Jcb),
    ("3566002020360505", CardBrand::Jcb),
    ("30569309025904", CardBrand::Diners),
    ("36227206271667", CardBrand::Diners),
    ("6200000000000005", CardBrand::UnionPay),
];

#[test]
fn known_test_card_numbers_parse_to_their_brand() {
    for (number, brand) in VALID_CARDS {
        let card = CardNumber::parse(number).unwrap_or_else(|e| panic!("{number}: {e}"));
        assert_eq!(card.brand(), brand, "{number}");
    }
}

#[test]
fn a_card_number_failing_luhn_is_rejected() {
    assert_eq!(
        CardNumber::parse("4111 1111 1111 1112"),
        Err(CardError::Luhn)
    );
    assert_eq!(CardNumber::parse("5555555555554445"), Err(CardError::Luhn));
    assert_eq!(CardNumber::parse("378282246310006"), Err(CardError::Luhn));
}

#[test]
fn a_unionpay_number_without_a_luhn_digit_is_accepted() {
    assert!(!luhn_valid("6212345678901234"));
    assert_eq!(
        CardNumber::parse("6212345678901234").unwrap().brand(),
        CardBrand::UnionPay
    );
}

#[test]
fn wrong_lengths_name_the_brand() {
    assert_eq!(
        CardNumber::parse("411111111111111"),
        Err(CardError::WrongLength {
            brand: CardBrand::Visa
        })
    );
    assert_eq!(
        CardNumber::parse("37828224631000"),
        Err(CardError::WrongLength {
            brand: CardBrand::Amex
        })
    );
    assert_eq!(
        CardNumber::parse("22210000000000"),
        Err(CardError::WrongLength {
            brand: CardBrand::Mastercard
        })
    );
}

#[test]
fn numbers_of_no_known_brand_or_with_letters_are_rejected() {
    assert_eq!(
        CardNumber::parse("9111111111111111"),
        Err(CardError::UnknownBrand)
    );
    assert_eq!(
        CardNumber::parse("2720999999999999a"),
        Err(CardError::NotDigits)
    );
    assert_eq!(CardNumber::parse("  "), Err(CardError::Empty));
    // 2721 is just past the Mastercard 2-series.
    assert_eq!(
        CardNumber::parse("2721000000000004"),
        Err(CardError::UnknownBrand)
    );
}

#[test]
fn the_brand_is_detected_from_the_first_digits_typed() {
    assert_eq!(CardBrand::detect("4"), Some(CardBrand::Visa));
    assert_eq!(CardBrand::detect("34"), Some(CardBrand::Amex));
    assert_eq!(CardBrand::detect("2221"), Some(CardBrand::Mastercard));
    assert_eq!(CardBrand::detect("2"), None);
    assert_eq!(CardBrand::detect(""), None);
}

#[test]
fn card_numbers_are_grouped_for_display_by_brand() {
    assert_eq!(
        format_card_number("4111111111111111"),
        "4111 1111 1111 1111"
    );
    assert_eq!(format_card_number("378282246310005"), "3782 822463 10005");
    assert_eq!(format_card_number("41111"), "4111 1");
    assert_eq!(format_card_number("4111-1111 11"), "4111 1111 11");
}

#[test]
fn the_masked_card_shows_only_brand_and_last_four() {
    let card = CardNumber::parse("4111 1111 1111 1111").unwrap();
    assert_eq!(card.masked().to_string(), "Visa •••• 1111");
    let debug = format!("{card:?}");
    assert!(!debug.contains("41111111"), "{debug}");
    let code = SecurityCode::parse("123", CardBrand::Visa).unwrap();
    assert!(!format!("{code:?}").contains("123"));
}

#[test]
fn a_card_is_valid_through_the_last_day_of_its_expiry_month() {
    assert!(Expiry::parse("11", "2026", date!(2026 - 11 - 30)).is_ok());
    assert_eq!(
        Expiry::parse("11", "2026", date!(2026 - 12 - 01)),
        Err(CardError::Expired)
    );
    assert_eq!(
        Expiry::parse("02", "28", date!(2028 - 02 - 29))
            .unwrap()
            .last_valid_day(),
        date!(2028 - 02 - 29)
    );
    assert_eq!(
        Expiry::parse("13", "2027", date!(2026 - 11 - 23)),
        Err(CardError::ExpiryMonth)
    );
    assert_eq!(
        Expiry::parse("1", "207", date!(2026 - 11 - 23)),
        Err(CardError::ExpiryYear)
    );
    assert_eq!(
        Expiry::parse("1", "2060", date!(2026 - 11 - 23)),
        Err(CardError::ExpiryTooFar)
    );
}

#[test]
fn the_security_code_has_four_digits_for_amex_and_three_for_others() {
    assert!(SecurityCode::parse("1234", CardBrand::Amex).is_ok());
    assert_eq!(
        SecurityCode::parse("123", CardBrand::Amex),
        Err(CardError::SecurityCodeLength { expected: 4 })
    );
    assert!(SecurityCode::parse("123", CardBrand::Mastercard).is_ok());
    assert_eq!(
        SecurityCode::parse("12a", CardBrand::Visa),
        Err(CardError::SecurityCodeLength { expected: 3 })
    );
}

#[test]
fn cardholder_names_are_trimmed_and_reject_digits() {
    assert_eq!(
        CardholderName::parse("  Dewi   Lestari ").unwrap().as_str(),
        "Dewi Lestari"
    );
    assert_eq!(CardholderName::parse(""), Err(CardError::NameEmpty));
    assert_eq!(CardholderName::parse("R2D2"), Err(CardError::NameInvalid));
}

#[test]
fn emails_need_a_local_part_and_a_dotted_domain() {
    assert_eq!(
        Email::parse(" Dewi@Nusantara.EXAMPLE ").unwrap().as_str(),
        "Dewi@nusantara.example"
    );
    for bad in [
        "dewi",
        "dewi@",
        "@x.com",
        "dewi@localhost",
        "de wi@x.com",
        "dewi@x..com",
        "dewi@-x.com",
    ] {
        assert_eq!(Email::parse(bad), Err(FieldError::Email), "{bad}");
    }
    assert_eq!(Email::parse(""), Err(FieldError::Required));
}

#[test]
fn purchase_order_numbers_allow_common_separators_only() {
    assert!(PurchaseOrderNumber::parse("PO-2026/0042.A_1").is_ok());
    assert_eq!(
        PurchaseOrderNumber::parse("PO#1"),
        Err(FieldError::PurchaseOrder)
    );
    assert_eq!(
        PurchaseOrderNumber::parse(&"9".repeat(36)),
        Err(FieldError::TooLong { max: 35 })
    );
}

#[test]
fn npwp_accepts_sixteen_digits_and_the_old_dotted_form() {
    assert_eq!(
        Npwp::parse("0123 4567 8901 2345").unwrap().to_string(),
        "0123 4567 8901 2345"
    );
    let old = Npwp::parse("01.234.567.8-901.234").unwrap();
    assert_eq!(old.digits(), "012345678901234");
    assert_eq!(old.to_string(), "01.234.567.8-901.234");
    assert!(Npwp::parse("012345678901234").is_ok());
    for bad in [
        "01.234.567.8-901.23",
        "0123456789012",
        "01-234-567-8-901-234",
        "0123456789O12345",
    ] {
        assert_eq!(Npwp::parse(bad), Err(FieldError::Npwp), "{bad}");
    }
}

fn address(country: CountryCode, postal: &str, region: &str) -> AddressInput {
    AddressInput {
        name: "PT Nusantara Data".into(),
        line1: "Jl. Jend. Sudirman Kav. 52".into(),
        line2: String::new(),
        city: "Jakarta".into(),
        region: region.into(),
        postal_code: postal.into(),
        country,
    }
}

#[test]
fn postal_codes_follow_each_countrys_format() {
    let ok = [
        (CountryCode::ID, "12190", "DKI Jakarta"),
        (CountryCode::US, "78701-1234", "TX"),
        (CountryCode::DE, "80331", ""),
        (CountryCode::GB, "sw1a 1aa", ""),
        (CountryCode::GB, "M1 1AE", ""),
        (CountryCode::JP, "100-0001", "Tokyo"),
    ];
    for (c, p, r) in ok {
        assert!(Address::parse(address(c, p, r)).is_ok(), "{c} {p}");
    }
    let bad = [
        (CountryCode::ID, "1219"),
        (CountryCode::US, "7870"),
        (CountryCode::DE, "8033A"),
        (CountryCode::GB, "SW1A1A"),
        (CountryCode::JP, "1000-001"),
        // A character of more than one byte where a hyphen or digit is expected (this panicked).
        (CountryCode::US, "1234é5678"),
        (CountryCode::JP, "12é4567"),
    ];
    for (c, p) in bad {
        let errors = Address::parse(address(c, p, "X")).unwrap_err();
        assert!(
            matches!(errors[..], [("postal_code", FieldError::PostalCode { .. })]),
            "{c} {p}: {errors:?}"
        );
    }
}

#[test]
fn every_missing_address_field_is_reported() {
    let mut input = address(CountryCode::US, "", "");
    (input.name, input.line1, input.city) = (String::new(), " ".into(), String::new());
    let fields: Vec<&str> = Address::parse(input)
        .unwrap_err()
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(fields, ["name", "line1", "city", "region", "postal_code"]);
}

#[test]
fn quantities_are_bounded_per_metric() {
    assert_eq!(Quantity::parse("250", Metric::Pvu).unwrap().get(), 250);
    assert_eq!(
        Quantity::parse("0", Metric::Install),
        Err(FieldError::Quantity {
            min: 1,
            max: 50_000
        })
    );
    assert_eq!(
        Quantity::parse("x", Metric::Install),
        Err(FieldError::Quantity {
            min: 1,
            max: 50_000
        })
    );
    assert_eq!(
        Quantity::parse("", Metric::Install),
        Err(FieldError::Required)
    );
}

#[test]
fn terms_must_be_accepted() {
    assert!(TermsAccepted::parse(true).is_ok());
    assert_eq!(
        TermsAccepted::parse(false),
        Err(FieldError::TermsNotAccepted)
    );
}

#[test]
fn every_error_has_a_code_and_a_message_in_every_language() {
    let errors: Vec<Box<dyn Explain>> = vec![
        Box::new(CardError::Luhn),
        Box::new(CardError::SecurityCodeLength { expected: 4 }),
        Box::new(CardError::WrongLength {
            brand: CardBrand::Amex,
        }),
        Box::new(FieldError::Npwp),
        Box::new(FieldError::PostalCode { example: "10110" }),
        Box::new(crate::catalog::PartNumberError::InvalidCharacter),
        Box::new(crate::order::OrderReferenceError::CheckDigit),
        Box::new(crate::pricing::PricingError::ZeroQuantity { index: 0 }),
        Box::new(crate::pricing::TermError::MonthsOutOfRange { min: 12, max: 36 }),
        Box::new(FieldError::CustomerNumber { max: 10 }),
        Box::new(crate::quote::QuoteTermsError::ValidUntilPast),
    ];
    for e in errors {
        assert!(e.code().contains('.'));
        let (en, id, de) = (
            e.message(Locale::En),
            e.message(Locale::Id),
            e.message(Locale::De),
        );
        assert!(!en.is_empty() && !id.is_empty() && en != id, "{}", e.code());
        assert!(!de.is_empty() && de != en && de != id, "{}", e.code());
    }
    assert_eq!(
        CardError::SecurityCodeLength { expected: 4 }.message(Locale::Id),
        "Kode keamanan terdiri dari 4 digit"
    );
    assert_eq!(
        CardError::SecurityCodeLength { expected: 4 }.message(Locale::De),
        "Der Sicherheitscode hat 4 Ziffern"
    );
}

#[test]
fn pricing_errors_count_lines_from_one_for_people() {
    let e = crate::pricing::PricingError::ZeroQuantity { index: 0 };
    assert_eq!(e.message(Locale::En), "Line 1: quantity must be at least 1");
    assert_eq!(e.message(Locale::Id), "Baris 1: jumlah minimal 1");
    assert_eq!(
        e.message(Locale::De),
        "Position 1: Die Menge muss mindestens 1 sein"
    );
}

#[test]
fn customer_numbers_are_digits_only() {
    assert_eq!(
        CustomerNumber::parse(" 7034521 ").unwrap().as_str(),
        "7034521"
    );
    assert_eq!(CustomerNumber::parse(""), Err(FieldError::Required));
    assert_eq!(
        CustomerNumber::parse("70-34521"),
        Err(FieldError::CustomerNumber { max: 10 })
    );
    assert_eq!(
        CustomerNumber::parse("12345678901"),
        Err(FieldError::CustomerNumber { max: 10 })
    );
}

#[test]
fn indonesian_us_and_japanese_addresses_need_a_region() {
    assert!(Address::region_required(CountryCode::ID));
    assert!(Address::region_required(CountryCode::JP));
    assert!(!Address::region_required(CountryCode::DE));
    assert!(!Address::region_required(CountryCode::GB));
}

#[test]
fn an_account_is_found_by_its_address_in_any_case_while_mail_keeps_the_local_part() {
    assert_eq!(
        Email::account_key("  Primary@Nusantara.EXAMPLE "),
        "primary@nusantara.example"
    );
    assert_eq!(
        Email::parse("Jordan.Reyes@Express.Example")
            .unwrap()
            .as_str(),
        "Jordan.Reyes@express.example"
    );
    assert_eq!(
        Email::account_key(
            Email::parse("Jordan.Reyes@Express.Example")
                .unwrap()
                .as_str()
        ),
        Email::account_key("jordan.reyes@express.example")
    );
}

/// No validator panics on any text, whatever its characters: the same code runs on the server (a panic
/// drops the connection) and in the browser (a panic stops the app). A corpus of tricky text runs on
/// both targets; generated text (proptest) on the native one.
mod no_panic {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    const COUNTRIES: [CountryCode; 5] = [
        CountryCode::ID,
        CountryCode::US,
        CountryCode::DE,
        CountryCode::GB,
        CountryCode::JP,
    ];
    const TEXTS: [TextField; 6] = [
        TextField::QuoteRequestNote,
        TextField::RepNote,
        TextField::ChannelNote,
        TextField::CancelReason,
        TextField::CartName,
        TextField::AccessMessage,
    ];

    fn run_every_validator(s: &str, t: &str) {
        let today = date!(2030 - 06 - 15);
        let _ = CardNumber::parse(s);
        let _ = Expiry::parse(s, t, today);
        for brand in CardBrand::ALL {
            let _ = SecurityCode::parse(s, brand);
        }
        let _ = CardholderName::parse(s);
        let _ = Email::parse(s);
        let _ = Email::account_key(s);
        let _ = PurchaseOrderNumber::parse(s);
        let _ = Npwp::parse(s);
        let _ = CustomerNumber::parse(s);
        let _ = Password::parse(s);
        for m in Metric::ALL {
            let _ = Quantity::parse(s, *m);
        }
        for f in TEXTS {
            let _ = f.check(s);
        }
        for country in COUNTRIES {
            let mut input = address(country, s, t);
            input.line1 = t.to_owned();
            let _ = Address::parse(input);
        }
        let _ = crate::catalog::PartNumber::parse(s);
        let _ = crate::order::OrderReference::parse(s);
        let _ = crate::quote::QuoteTerms::parse(s, t, today);
        let _ = crate::dates::parse(s);
        let _ = s.parse::<crate::locale::Locale>();
        let _ = s.parse::<CountryCode>();
        let _ = format_card_number(s);
    }

    #[test]
    fn no_validator_panics_on_a_corpus_of_tricky_text() {
        let corpus = [
            "",
            " ",
            "\u{0}",
            "1234é5678",
            "12é4567",
            "é",
            "日本語",
            "\u{1F600}",
            "-",
            "--",
            "12345-",
            "-1234",
            "123-4567",
            "1234\u{301}5678",
            "\u{200B}",
            "\u{FEFF}12190",
            "%00",
            "\\u0000",
            "99.999.999.9-999.999",
            "4111 1111 1111 1111é",
            "RQ\u{0}2640001",
            "ß",
            "İ",
            "ﬃ",
            "\r\n",
            "\t",
            "0",
            "00000000000000000000000000",
            "-0",
            "1e309",
            "NaN",
            "2026-02-30",
            "9999-99-99",
            "+1",
            "١٢٣",
            "１２３４５",
        ];
        for s in corpus {
            for t in corpus {
                run_every_validator(s, t);
            }
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1_000))]

        #[test]
        fn no_validator_panics_on_any_unicode_text(s in "(?s).{0,40}", t in "(?s).{0,12}") {
            run_every_validator(&s, &t);
        }

        #[test]
        fn no_validator_panics_on_digits_mixed_with_wide_characters(
            s in "[0-9a-zA-Z \\-.éß€日本\u{1F600}\u{0}]{0,20}",
            t in "[0-9 \\-/é日]{0,6}",
        ) {
            run_every_validator(&s, &t);
        }
    }
}
