//! Validates a checkout form as the portal does, field by field, with each problem's stable code and
//! its message in English and Bahasa Indonesia: `cargo run -p entitle-core --example validate_checkout`.

use entitle_core::checkout::check_order;
use entitle_core::dto::PlaceOrder;
use entitle_core::locale::Locale;
use entitle_core::validation::Explain;
use time::macros::date;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The request as the browser sends it: a Jakarta billing address with a short postal code, a
    // mistyped card number and an expired card.
    let order: PlaceOrder = serde_json::from_str(
        r#"{
            "site": "7034521",
            "billing": {
                "address": { "name": "PT Nusantara Data", "line1": "Jl. Sudirman 1", "city": "Jakarta",
                             "postal_code": "1019", "country": "ID" },
                "contact_name": "Dewi Lestari",
                "email": "dewi@nusantara.example",
                "phone": "+62 21 555 0100",
                "tax_id": "01.234.567.8-901.000"
            },
            "accept_terms": true,
            "terms_version": "2026-01",
            "payment": { "method": "card", "number": "4111 1111 1111 1112", "exp_month": "01",
                         "exp_year": "2026", "security_code": "123", "name": "Dewi Lestari" }
        }"#,
    )?;
    // The site's country, the terms version on show and "today" come from the caller.
    match check_order(&order, "ID".parse()?, "2026-01", date!(2026 - 12 - 01)) {
        Ok(_) => println!("the order is acceptable"),
        Err(problems) => {
            for (field, problem) in problems {
                println!("{field} [{}]", problem.code());
                println!("    en: {}", problem.message(Locale::En));
                println!("    id: {}", problem.message(Locale::Id));
            }
        }
    }
    Ok(())
}
