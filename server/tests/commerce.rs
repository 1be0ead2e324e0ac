//! Carts, change requests, checkout and orders, on both databases over a real socket.

mod common;

use common::{dec, send};

use reqwest::Method;
use serde_json::{Value, json};
use sqlx::Row;

/// The first licence + S&S part of the catalog.
async fn a_licence(app: &common::TestApp) -> String {
    let (_, body) = app
        .get_json("/api/v1/catalog/parts?part_type=license_sns&per_page=1")
        .await;
    body["items"][0]["part_number"].as_str().unwrap().to_owned()
}

async fn place(
    app: &common::TestApp,
    s: &common::Session,
    key: &str,
    body: &Value,
) -> (u16, Value) {
    let res = app
        .with(s, Method::POST, "/api/v1/orders")
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn order_body(site: &str, country: &str, payment: Value) -> Value {
    let (postal, region, tax_id) = match country {
        "ID" => ("12190", "DKI Jakarta", "0123456789012345"),
        "US" => ("78701", "TX", ""),
        _ => ("80331", "", ""),
    };
    json!({
        "site": site,
        "billing": {
            "address": { "name": "Buyer Co", "line1": "Main Street 1", "city": "City", "region": region, "postal_code": postal, "country": country },
            "contact_name": "Pat Buyer", "email": "pat@buyer.example", "phone": "+1 555 0100", "tax_id": tax_id
        },
        "accept_terms": true,
        "terms_version": "2026-01",
        "payment": payment
    })
}

fn visa() -> Value {
    json!({ "method": "card", "number": "4111 1111 1111 1111", "exp_month": "12", "exp_year": "2030", "security_code": "987", "name": "Pat Buyer" })
}

on_both_backends!(
    a_catalog_line_is_priced_at_the_customers_level_with_indonesian_tax,
    |app| {
        let s = app.sign_in("primary@nusantara.example").await;
        let part = a_licence(app).await;
        let (status, cart) = send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/lines",
            json!({"site": "7034521", "part_number": part, "quantity": 3}),
        )
        .await;
        assert_eq!(status, 201, "{cart}");
        assert_eq!(cart["currency"], "IDR");
        assert_eq!(cart["level"], "E");
        let line = &cart["lines"][0];
        assert_eq!(line["part_number"], part.as_str());
        assert_eq!(
            dec(&line["extended"]),
            dec(&line["unit_price"]) * rust_decimal::Decimal::from(3)
        );
        assert_eq!(
            dec(&cart["total"]),
            dec(&cart["subtotal"]) + dec(&cart["tax"])
        );
        assert!(
            line["explanations"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e.get("tax").is_some())
        );
        assert_eq!(cart["can_check_out"], true);
        let (_, again) = app.get_as(&s, "/api/v1/cart?site=7034521").await;
        assert_eq!(again, cart, "the cart reads back the same");
    }
);

on_both_backends!(
    the_cart_and_the_order_show_one_money_summary_with_the_tax_rate_and_base_charged,
    |app| {
        let s = app.sign_in("primary@nusantara.example").await;
        let part = a_licence(app).await;
        let (status, cart) = send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/lines",
            json!({"site": "7034521", "part_number": part, "quantity": 2}),
        )
        .await;
        assert_eq!(status, 201, "{cart}");
        let summary = &cart["summary"];
        assert_eq!(summary["subtotal"], cart["subtotal"]);
        assert_eq!(summary["total"], cart["total"]);
        assert_eq!(summary["tax_rule"]["name"], "PPN");
        assert_eq!(summary["tax_rule"]["base_numerator"], 11);
        assert_eq!(
            dec(&summary["net"]),
            dec(&summary["subtotal"]) - dec(&summary["discount"])
        );
        assert_eq!(
            dec(&summary["net"]) + dec(&summary["tax"]),
            dec(&summary["total"]),
            "the rows add up"
        );
        // A new licence's S&S is co-termed to the site's anniversary and the line says so.
        let line = &cart["lines"][0];
        assert!(
            line["explanations"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e.get("co_termed").is_some()),
            "{line}"
        );
        let (status, order) = place(app, &s, "summary", &order_body("7034521", "ID", visa())).await;
        assert_eq!(status, 201, "{order}");
        assert_eq!(
            order["summary"]["tax_rule"], summary["tax_rule"],
            "the rule is kept with the order"
        );
        assert_eq!(order["summary"]["total"], summary["total"]);
        let reference = order["reference"].as_str().unwrap();
        let (_, again) = app.get_as(&s, &format!("/api/v1/orders/{reference}")).await;
        assert_eq!(again["summary"], order["summary"], "it reads back the same");
    }
);

on_both_backends!(
    checkout_starts_from_the_organisation_and_the_user_then_from_the_last_order,
    |app| {
        let s = app.sign_in("primary@nusantara.example").await;
        let (status, options) = app.get_as(&s, "/api/v1/checkout?site=7034521").await;
        assert_eq!(status, 200, "{options}");
        let billing = &options["billing"];
        assert_eq!(billing["address"]["name"], "PT Nusantara Data");
        assert_eq!(billing["address"]["country"], "ID");
        assert_eq!(billing["address"]["line1"], "");
        assert_eq!(billing["email"], "primary@nusantara.example");
        assert!(!billing["contact_name"].as_str().unwrap().is_empty());

        let part = a_licence(app).await;
        send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/lines",
            json!({"site": "7034521", "part_number": part, "quantity": 1}),
        )
        .await;
        let body = order_body("7034521", "ID", visa());
        let (status, order) = place(app, &s, "prefill", &body).await;
        assert_eq!(status, 201, "{order}");
        let (_, options) = app.get_as(&s, "/api/v1/checkout?site=7034521").await;
        assert_eq!(
            options["billing"], order["billing"],
            "the next checkout starts from the last order's details"
        );
    }
);

on_both_backends!(
    the_terms_are_shown_in_the_readers_language_and_accepted_by_version,
    |app| {
        let s = app.sign_in("primary@nusantara.example").await;
        let terms = |lang: &'static str| {
            let req = app
                .with(&s, Method::GET, "/api/v1/checkout?site=7034521")
                .header("accept-language", lang);
            async move {
                let res = req.send().await.unwrap();
                assert_eq!(res.status(), 200);
                let options: Value = res.json().await.unwrap();
                options["terms"].clone()
            }
        };
        let (english, indonesian, german, other) = (
            terms("en").await,
            terms("id").await,
            terms("de-DE").await,
            terms("fr").await,
        );
        assert_eq!(english["title"], "Terms and conditions of sale");
        assert_eq!(indonesian["title"], "Syarat dan ketentuan penjualan");
        assert_eq!(german["title"], "Allgemeine Verkaufsbedingungen");
        assert!(
            german["body"]
                .as_str()
                .unwrap()
                .contains("Bestellungen sind mit dem Absenden verbindlich")
        );
        assert_eq!(english["version"], german["version"]);
        assert!(
            indonesian["body"]
                .as_str()
                .unwrap()
                .contains("Pesanan mengikat")
        );
        assert_eq!(
            english["version"], indonesian["version"],
            "one version, read in two languages"
        );
        assert_eq!(
            other, english,
            "a language without a translation reads the published text"
        );
    }
);

on_both_backends!(bad_cart_lines_are_refused_with_field_errors, |app| {
    let s = app.sign_in("primary@nusantara.example").await;
    let part = a_licence(app).await;
    let (status, body) = send(
        app,
        &s,
        Method::POST,
        "/api/v1/cart/lines",
        json!({"site": "7034521", "part_number": part, "quantity": 0}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["error"]["fields"]["quantity"][0]["code"],
        "quantity.range"
    );
    let (_, monthly) = app
        .get_json("/api/v1/catalog/parts?part_type=monthly&per_page=1")
        .await;
    let m = monthly["items"][0]["part_number"].as_str().unwrap();
    let (status, body) = send(
        app,
        &s,
        Method::POST,
        "/api/v1/cart/lines",
        json!({"site": "7034521", "part_number": m, "quantity": 1}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"]["fields"]["months"].is_array());
    let (status, _) = send(
        app,
        &s,
        Method::POST,
        "/api/v1/cart/lines",
        json!({"site": "7034521", "part_number": m, "quantity": 1, "months": 3}),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = send(
        app,
        &s,
        Method::POST,
        "/api/v1/cart/lines",
        json!({"site": "8812001", "part_number": part, "quantity": 1}),
    )
    .await;
    assert_eq!(status, 404, "another customer's site");
    let viewer = app.sign_in("viewer@nusantara.example").await;
    let (status, _) = send(
        app,
        &viewer,
        Method::POST,
        "/api/v1/cart/lines",
        json!({"site": "7034521", "part_number": part, "quantity": 1}),
    )
    .await;
    assert_eq!(status, 403, "no buy privilege");
    let res = app
        .with(&s, Method::POST, "/api/v1/cart/lines")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
});

async fn renewal_quote(app: &common::TestApp, s: &common::Session) -> String {
    let (_, groups) = app.get_as(s, "/api/v1/renewals").await;
    groups[0]["quotes"][0]["quote_number"]
        .as_str()
        .unwrap()
        .to_owned()
}

on_both_backends!(
    editing_a_renewal_line_sends_it_back_to_the_rep_and_blocks_checkout,
    |app| {
        let s = app.sign_in("primary@nusantara.example").await;
        let quote = renewal_quote(app, &s).await;
        let (status, cart) = send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/renewal",
            json!({"quote_number": quote}),
        )
        .await;
        assert_eq!(status, 201, "{cart}");
        let lines = cart["lines"].as_array().unwrap();
        assert!(lines.iter().all(|l| l["renewal_quote"] == quote.as_str()));
        let (_, detail) = app.get_as(&s, &format!("/api/v1/renewals/{quote}")).await;
        assert_eq!(detail["summary"]["status"], "in_cart");
        assert_eq!(
            dec(&cart["subtotal"]),
            dec(&detail["subtotal"]),
            "priced as issued"
        );
        let (status, body) = send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/renewal",
            json!({"quote_number": quote}),
        )
        .await;
        assert_eq!(status, 409, "{body}");

        let line_id = lines[0]["id"].as_i64().unwrap();
        let issued = lines[0]["quantity"].as_u64().unwrap();
        // Updating to the quantity it already has changes nothing: no request goes to the rep.
        let (status, cart) = send(
            app,
            &s,
            Method::PATCH,
            &format!("/api/v1/cart/lines/{line_id}"),
            json!({ "quantity": issued }),
        )
        .await;
        assert_eq!(status, 200, "{cart}");
        assert_eq!(cart["can_check_out"], true, "{cart}");
        assert_eq!(cart["change_requested"], json!([]));
        let (_, detail) = app.get_as(&s, &format!("/api/v1/renewals/{quote}")).await;
        assert_eq!(detail["summary"]["status"], "in_cart");

        let changed = if issued == 1 { 2 } else { 1 };
        let (status, cart) = send(
            app,
            &s,
            Method::PATCH,
            &format!("/api/v1/cart/lines/{line_id}"),
            json!({ "quantity": changed }),
        )
        .await;
        assert_eq!(status, 200, "{cart}");
        assert_eq!(cart["can_check_out"], false);
        assert_eq!(cart["change_requested"], json!([quote]));
        let (_, detail) = app.get_as(&s, &format!("/api/v1/renewals/{quote}")).await;
        assert_eq!(detail["summary"]["status"], "change_requested");
        let mail: String =
            sqlx::query_scalar("SELECT recipient FROM outbox WHERE kind = 'change_request'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(mail, "renewals@entitle.example");
        let changes: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM quote_change_requests WHERE action = 'quantity' AND quantity = 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(changes, 1);
        let (status, body) =
            place(app, &s, "k-blocked", &order_body("7034521", "ID", visa())).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["error"]["code"], "quote.change_requested");
    }
);

on_both_backends!(a_partner_owned_renewal_cannot_be_put_in_the_cart, |app| {
    let s = app.sign_in("buyer@partnered.example").await;
    let quote = renewal_quote(app, &s).await;
    let (status, body) = send(
        app,
        &s,
        Method::POST,
        "/api/v1/cart/renewal",
        json!({"quote_number": quote}),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(body["error"]["code"], "quote.business_partner");
});

on_both_backends!(
    checking_out_with_a_card_places_one_order_and_keeps_only_the_masked_card,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        let part = a_licence(app).await;
        send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/lines",
            json!({"site": "8812001", "part_number": part, "quantity": 2}),
        )
        .await;
        let (_, cart) = app.get_as(&s, "/api/v1/cart?site=8812001").await;
        let body = order_body("8812001", "US", visa());
        let (status, order) = place(app, &s, "order-1", &body).await;
        assert_eq!(status, 201, "{order}");
        let reference = order["reference"].as_str().unwrap().to_owned();
        assert!(
            reference.starts_with("EN-") && reference.len() == 14,
            "{reference}"
        );
        assert_eq!(order["status"], "received");
        assert_eq!(
            order["payment"]["card"],
            json!({"brand": "visa", "last4": "1111"})
        );
        assert_eq!(order["payment"]["card_expiry"], "12/2030");
        assert_eq!(order["total"], cart["total"], "the server's price");
        assert_eq!(order["lines"][0]["part_number"], part.as_str());

        // The same key and body give back the same order; nothing is placed twice.
        let (status, again) = place(app, &s, "order-1", &body).await;
        assert_eq!(status, 201);
        assert_eq!(again, order);
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(orders, 1);
        // The same key with another body is refused.
        let (status, err) = place(
            app,
            &s,
            "order-1",
            &order_body(
                "8812001",
                "US",
                json!({"method": "purchase_order", "po_number": "PO-1"}),
            ),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(err["error"]["code"], "idempotency.mismatch");

        // No full card number or security code anywhere.
        let row = sqlx::query("SELECT processor_token, card_brand, card_last4 FROM payments")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert!(
            row.get::<String, _>("processor_token")
                .starts_with("sandbox_")
        );
        assert_eq!(row.get::<String, _>("card_last4"), "1111");
        for (table, column) in [
            ("idempotency_keys", "response_body"),
            ("idempotency_keys", "request_hash"),
            ("outbox", "body"),
            ("audit_log", "detail"),
            ("orders", "billing_json"),
        ] {
            let hits: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {column} LIKE '%4111111111111111%' OR {column} LIKE '%4111 1111%' OR {column} LIKE '%\"987\"%'"))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            assert_eq!(hits, 0, "{table}.{column}");
        }
        // The cart is empty, the confirmation mail is queued, the order is listed and found by reference.
        let (_, cart) = app.get_as(&s, "/api/v1/cart?site=8812001").await;
        assert_eq!(cart["lines"], json!([]));
        let mails: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'order_confirmation' AND recipient = 'pat@buyer.example'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(mails, 1);
        let (_, recent) = app.get_as(&s, "/api/v1/orders").await;
        assert_eq!(recent[0]["reference"], reference.as_str());
        let (status, found) = app
            .get_as(&s, &format!("/api/v1/orders/{}", reference.to_lowercase()))
            .await;
        assert_eq!(status, 200);
        assert_eq!(found, order);
        let other = app.sign_in("primary@nusantara.example").await;
        assert_eq!(
            app.get_as(&other, &format!("/api/v1/orders/{reference}"))
                .await
                .0,
            404
        );
        // A retry of the order once the cart holds lines again: the retry is answered with the order, and nothing is
        // charged, recorded or taken from the cart.
        send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/lines",
            json!({"site": "8812001", "part_number": part, "quantity": 3}),
        )
        .await;
        let (status, again) = place(app, &s, "order-1", &body).await;
        assert_eq!((status, &again), (201, &order));
        let charges: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM card_charges")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!((charges, app.sandbox.charges().len()), (1, 1));
        let (_, refilled) = app.get_as(&s, "/api/v1/cart?site=8812001").await;
        assert_eq!(refilled["lines"][0]["quantity"], 3, "{refilled}");
    }
);

on_both_backends!(
    a_declined_card_places_nothing_and_the_customer_can_retry,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        let part = a_licence(app).await;
        send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/lines",
            json!({"site": "8812001", "part_number": part, "quantity": 1}),
        )
        .await;
        for (number, code) in [
            ("4000000000000002", "payment.declined"),
            ("4000000000009995", "payment.insufficient_funds"),
            ("4000000000000119", "payment.timeout"),
        ] {
            let mut card = visa();
            card["number"] = json!(number);
            let (status, body) =
                place(app, &s, "retry-key", &order_body("8812001", "US", card)).await;
            assert_eq!(status, 402, "{body}");
            assert_eq!(body["error"]["code"], code);
        }
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(orders, 0);
        let (_, cart) = app.get_as(&s, "/api/v1/cart?site=8812001").await;
        assert_eq!(
            cart["lines"].as_array().unwrap().len(),
            1,
            "the cart is kept"
        );
        let (status, _) = place(app, &s, "retry-key", &order_body("8812001", "US", visa())).await;
        assert_eq!(status, 201);
    }
);

on_both_backends!(every_invalid_checkout_field_is_reported_at_once, |app| {
    let s = app.sign_in("primary@nusantara.example").await;
    let part = a_licence(app).await;
    send(
        app,
        &s,
        Method::POST,
        "/api/v1/cart/lines",
        json!({"site": "7034521", "part_number": part, "quantity": 1}),
    )
    .await;
    let mut body = order_body(
        "7034521",
        "ID",
        json!({"method": "card", "number": "4111 1111 1111 1112", "exp_month": "13", "exp_year": "2030", "security_code": "12", "name": ""}),
    );
    body["billing"]["address"]["postal_code"] = json!("1219");
    body["billing"]["tax_id"] = json!("123");
    body["billing"]["email"] = json!("nope");
    body["accept_terms"] = json!(false);
    let (status, err) = place(app, &s, "bad-1", &body).await;
    assert_eq!(status, 422, "{err}");
    let fields = err["error"]["fields"].as_object().unwrap();
    for f in [
        "billing.address.postal_code",
        "billing.tax_id",
        "billing.email",
        "accept_terms",
        "payment.number",
        "payment.exp_month",
        "payment.name",
    ] {
        assert!(fields.contains_key(f), "{f} missing: {err}");
    }
    assert_eq!(fields["payment.number"][0]["code"], "card.luhn");
    assert_eq!(fields["billing.tax_id"][0]["code"], "npwp.invalid");
    let (status, err) = place(
        app,
        &s,
        "bad-2",
        &order_body(
            "7034521",
            "ID",
            json!({"method": "purchase_order", "po_number": ""}),
        ),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        err["error"]["fields"]["payment.po_number"][0]["code"],
        "field.required"
    );
    let res = app
        .with(&s, Method::POST, "/api/v1/orders")
        .json(&order_body("7034521", "ID", visa()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400, "an order needs an Idempotency-Key");
});

on_both_backends!(payment_methods_follow_the_sites_country, |app| {
    let id = app.sign_in("primary@nusantara.example").await;
    let (_, opts) = app.get_as(&id, "/api/v1/checkout?site=7034521").await;
    assert_eq!(
        opts["payment_methods"],
        json!(["card", "purchase_order", "bank_transfer"])
    );
    assert_eq!(opts["terms"]["version"], "2026-01");
    let us = app.sign_in("buyer@express.example").await;
    let (_, opts) = app.get_as(&us, "/api/v1/checkout?site=8812001").await;
    assert_eq!(opts["payment_methods"], json!(["card", "purchase_order"]));
    let part = a_licence(app).await;
    send(
        app,
        &us,
        Method::POST,
        "/api/v1/cart/lines",
        json!({"site": "8812001", "part_number": part, "quantity": 1}),
    )
    .await;
    let (status, err) = place(
        app,
        &us,
        "bt",
        &order_body("8812001", "US", json!({"method": "bank_transfer"})),
    )
    .await;
    assert_eq!(status, 422);
    assert!(err["error"]["fields"]["payment.method"].is_array());
    send(
        app,
        &id,
        Method::POST,
        "/api/v1/cart/lines",
        json!({"site": "7034521", "part_number": part, "quantity": 1}),
    )
    .await;
    let (status, order) = place(
        app,
        &id,
        "bt",
        &order_body("7034521", "ID", json!({"method": "bank_transfer"})),
    )
    .await;
    assert_eq!(status, 201, "{order}");
    assert!(
        order["payment"]["bank_instructions"]
            .as_str()
            .unwrap()
            .contains("quoting the order reference")
    );
});

on_both_backends!(
    a_renewal_quote_checked_out_by_purchase_order_becomes_ordered,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        let quote = renewal_quote(app, &s).await;
        send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/renewal",
            json!({"quote_number": quote}),
        )
        .await;
        let (status, order) = place(
            app,
            &s,
            "po-1",
            &order_body(
                "8812001",
                "US",
                json!({"method": "purchase_order", "po_number": "PO-2026/0042"}),
            ),
        )
        .await;
        assert_eq!(status, 201, "{order}");
        assert_eq!(order["renewal_quote"], quote.as_str());
        assert_eq!(order["payment"]["po_number"], "PO-2026/0042");
        assert!(order["payment"]["card"].is_null());
        let (_, detail) = app.get_as(&s, &format!("/api/v1/renewals/{quote}")).await;
        assert_eq!(detail["summary"]["status"], "ordered");
        let (_, awaiting) = app.get_as(&s, "/api/v1/renewals").await;
        assert_eq!(
            awaiting,
            json!([]),
            "an ordered quote no longer awaits action"
        );
    }
);

on_both_backends!(order_look_up_checks_the_reference_before_searching, |app| {
    let s = app.sign_in("buyer@express.example").await;
    let (status, body) = app.get_as(&s, "/api/v1/orders/EN-12345-67890").await;
    assert!(status == 422 || status == 404, "{body}");
    let valid = entitle_core::order::OrderReference::from_payload(123_456_789).to_string();
    let (status, body) = app.get_as(&s, &format!("/api/v1/orders/{valid}")).await;
    assert_eq!(status, 404, "{body}");
    let typo = format!(
        "{}{}",
        &valid[..13],
        if valid.ends_with('0') { '1' } else { '0' }
    );
    let (status, body) = app.get_as(&s, &format!("/api/v1/orders/{typo}")).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["error"]["fields"]["reference"][0]["code"],
        "order_ref.check_digit"
    );
});

on_both_backends!(a_cart_saved_under_a_name_can_be_reopened_later, |app| {
    let s = app.sign_in("primary@nusantara.example").await;
    let part = a_licence(app).await;
    send(
        app,
        &s,
        Method::POST,
        "/api/v1/cart/lines",
        json!({"site": "7034521", "part_number": part, "quantity": 4}),
    )
    .await;
    let (status, saved) = send(
        app,
        &s,
        Method::POST,
        "/api/v1/carts",
        json!({"site": "7034521", "name": "Q1 expansion"}),
    )
    .await;
    assert_eq!(status, 201, "{saved}");
    assert_eq!(saved["lines"], 1);
    let (_, cart) = app.get_as(&s, "/api/v1/cart?site=7034521").await;
    assert_eq!(
        cart["lines"],
        json!([]),
        "saving moves the lines out of the cart"
    );
    let (status, dup) = send(
        app,
        &s,
        Method::POST,
        "/api/v1/carts",
        json!({"site": "7034521", "name": "Q1 expansion"}),
    )
    .await;
    assert!(status == 409 || status == 422, "{dup}");
    let (status, _) = send(
        app,
        &s,
        Method::POST,
        "/api/v1/carts",
        json!({"site": "7034521", "name": "  "}),
    )
    .await;
    assert_eq!(status, 422);
    let (_, list) = app.get_as(&s, "/api/v1/carts?site=7034521").await;
    assert_eq!(list[0]["name"], "Q1 expansion");
    let id = list[0]["id"].as_i64().unwrap();
    let other = app.sign_in("buyer@express.example").await;
    assert_eq!(
        send(
            app,
            &other,
            Method::POST,
            &format!("/api/v1/carts/{id}/open"),
            json!({})
        )
        .await
        .0,
        404
    );
    let (status, cart) = send(
        app,
        &s,
        Method::POST,
        &format!("/api/v1/carts/{id}/open"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{cart}");
    assert_eq!(cart["lines"][0]["quantity"], 4);
    let (_, list) = app.get_as(&s, "/api/v1/carts?site=7034521").await;
    assert_eq!(list, json!([]));
});

on_both_backends!(
    a_cart_sent_as_a_quote_request_reaches_the_sales_rep,
    |app| {
        let s = app.sign_in("primary@nusantara.example").await;
        let part = a_licence(app).await;
        let (status, body) = send(
            app,
            &s,
            Method::POST,
            "/api/v1/quote-requests",
            json!({"site": "7034521", "note": "x"}),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/lines",
            json!({"site": "7034521", "part_number": part, "quantity": 250}),
        )
        .await;
        let (status, qr) = send(
            app,
            &s,
            Method::POST,
            "/api/v1/quote-requests",
            json!({"site": "7034521", "note": "Volume pricing for 250 users?"}),
        )
        .await;
        assert_eq!(status, 201, "{qr}");
        let number = qr["number"].as_str().unwrap().to_owned();
        assert!(number.starts_with("QR-"));
        assert_eq!(qr["status"], "submitted");
        assert_eq!(qr["lines"][0]["quantity"], 250);
        let mail: String =
            sqlx::query_scalar("SELECT recipient FROM outbox WHERE kind = 'quote_request'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(mail, "sales@entitle.example");
        let (_, mine) = app.get_as(&s, "/api/v1/quote-requests").await;
        assert_eq!(mine[0]["number"], number.as_str());
        let rep = app.sign_in("sales@entitle.example").await;
        assert_eq!(
            app.get_as(&rep, &format!("/api/v1/quote-requests/{number}"))
                .await
                .0,
            200
        );
        let stranger = app.sign_in("buyer@express.example").await;
        assert_eq!(
            app.get_as(&stranger, &format!("/api/v1/quote-requests/{number}"))
                .await
                .0,
            404
        );
    }
);

on_both_backends!(
    a_customer_can_ask_the_renewal_rep_or_the_partner_to_handle_a_renewal,
    |app| {
        let s = app.sign_in("primary@nusantara.example").await;
        let quote = renewal_quote(app, &s).await;
        let (status, _) = send(
            app,
            &s,
            Method::POST,
            &format!("/api/v1/renewals/{quote}/channel"),
            json!({"channel": "renewal_rep", "note": "Call me"}),
        )
        .await;
        assert_eq!(status, 202);
        let (status, body) = send(
            app,
            &s,
            Method::POST,
            &format!("/api/v1/renewals/{quote}/channel"),
            json!({"channel": "business_partner"}),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["code"], "quote.no_business_partner");
        let p = app.sign_in("buyer@partnered.example").await;
        let pq = renewal_quote(app, &p).await;
        let (status, _) = send(
            app,
            &p,
            Method::POST,
            &format!("/api/v1/renewals/{pq}/channel"),
            json!({"channel": "business_partner"}),
        )
        .await;
        assert_eq!(status, 202);
        let recipients: Vec<String> = sqlx::query_scalar(
            "SELECT recipient FROM outbox WHERE kind = 'renewal_channel' ORDER BY id",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(
            recipients,
            ["renewals@entitle.example", "renewals@rheinland-it.example"]
        );
        let viewer = app.sign_in("viewer@nusantara.example").await;
        let (status, _) = send(
            app,
            &viewer,
            Method::POST,
            &format!("/api/v1/renewals/{quote}/channel"),
            json!({"channel": "renewal_rep"}),
        )
        .await;
        assert_eq!(status, 404, "the viewer may not buy or renew");
    }
);

on_both_backends!(
    a_purchase_order_pdf_can_be_attached_once_and_downloaded,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        let part = a_licence(app).await;
        send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/lines",
            json!({"site": "8812001", "part_number": part, "quantity": 1}),
        )
        .await;
        let (_, order) = place(
            app,
            &s,
            "po-doc",
            &order_body(
                "8812001",
                "US",
                json!({"method": "purchase_order", "po_number": "PO-77"}),
            ),
        )
        .await;
        let reference = order["reference"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/orders/{reference}/po-document");
        let pdf = include_bytes!("fixtures/purchase-order.pdf").to_vec();
        let put = |body: Vec<u8>, ct: &'static str| {
            app.with(&s, Method::PUT, &path)
                .header("content-type", ct)
                .header("x-filename", "../../etc/passwd")
                .body(body)
                .send()
        };
        let res = put(b"GIF89a not a pdf".to_vec(), "application/pdf")
            .await
            .unwrap();
        assert_eq!(res.status(), 415);
        // Only the first bytes of a PDF: parsed, and refused.
        let res = put(
            b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n".to_vec(),
            "application/pdf",
        )
        .await
        .unwrap();
        assert_eq!(res.status(), 415);
        let mut truncated = pdf.clone();
        truncated.truncate(pdf.len() / 2);
        let res = put(truncated, "application/pdf").await.unwrap();
        assert_eq!(res.status(), 415);
        let res = put(pdf.clone(), "image/png").await.unwrap();
        assert_eq!(res.status(), 415);
        let mut big = pdf.clone();
        big.resize(5 * 1024 * 1024 + 10, b' ');
        let once = reqwest::Client::builder().no_proxy().build().unwrap();
        let res = once
            .put(app.url(&path))
            .header("cookie", &s.cookie)
            .header("x-csrf-token", &s.csrf)
            .header("content-type", "application/pdf")
            .body(big)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 413);
        assert_eq!(
            put(pdf.clone(), "application/pdf").await.unwrap().status(),
            201
        );
        assert_eq!(
            put(pdf.clone(), "application/pdf").await.unwrap().status(),
            409,
            "attached once"
        );
        let res = app
            .client
            .get(app.url(&path))
            .header("cookie", &s.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert_eq!(
            res.headers()["content-disposition"],
            "attachment; filename=\"passwd.pdf\"",
            "the last segment of the name, always ending in .pdf"
        );
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);
        let stranger = app.sign_in("primary@nusantara.example").await;
        let res = app
            .client
            .get(app.url(&path))
            .header("cookie", &stranger.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
    }
);

on_both_backends!(
    an_order_still_being_placed_under_the_same_key_answers_409,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        let body = order_body("8812001", "US", visa());
        let user_id: i64 =
            sqlx::query_scalar("SELECT id FROM users WHERE email = 'buyer@express.example'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        // What a concurrent request holding the key looks like.
        let (_, first) = place(app, &s, "probe", &body).await;
        assert_eq!(first["error"]["code"], "cart.empty");
        let hash: Option<String> = sqlx::query_scalar(
            "SELECT request_hash FROM idempotency_keys WHERE idem_key = 'probe'",
        )
        .fetch_optional(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(hash, None, "a failed request frees its key");
        let part = a_licence(app).await;
        send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/lines",
            json!({"site": "8812001", "part_number": part, "quantity": 1}),
        )
        .await;
        let (status, order) = place(app, &s, "busy", &body).await;
        assert_eq!(status, 201);
        sqlx::query("UPDATE idempotency_keys SET state = 'in_progress' WHERE user_id = $1 AND idem_key = 'busy'")
        .bind(user_id)
        .execute(&app.db.pool)
        .await
        .unwrap();
        let (status, err) = place(app, &s, "busy", &body).await;
        assert_eq!(status, 409, "{err}");
        assert_eq!(err["error"]["code"], "idempotency.in_progress");
        assert!(order["reference"].is_string());
    }
);

on_both_backends!(
    shipping_details_are_checked_and_kept_with_the_order,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        let part = a_licence(app).await;
        send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/lines",
            json!({"site": "8812001", "part_number": part, "quantity": 1}),
        )
        .await;
        let mut body = order_body("8812001", "US", visa());
        body["shipping"] = json!({"address": {"name": "Lab 2", "line1": "Second St 2", "city": "Austin", "region": "TX", "postal_code": "7870", "country": "US"}, "contact_name": "", "email": "ops@lab.example"});
        let (status, err) = place(app, &s, "ship-1", &body).await;
        assert_eq!(status, 422);
        let fields = err["error"]["fields"].as_object().unwrap();
        assert!(
            fields.contains_key("shipping.address.postal_code")
                && fields.contains_key("shipping.contact_name"),
            "{err}"
        );
        body["shipping"]["address"]["postal_code"] = json!("78702");
        body["shipping"]["contact_name"] = json!("Ops Desk");
        // Kept as parsed, not as typed: trimmed, the e-mail's domain in lower case.
        body["billing"]["contact_name"] = json!("  Pat Buyer ");
        body["billing"]["email"] = json!("Pat@Buyer.EXAMPLE");
        body["billing"]["address"]["city"] = json!(" Austin ");
        let (status, order) = place(app, &s, "ship-2", &body).await;
        assert_eq!(status, 201, "{order}");
        assert_eq!(order["shipping"]["contact_name"], "Ops Desk");
        assert_eq!(order["billing"]["email"], "Pat@buyer.example");
        assert_eq!(order["billing"]["contact_name"], "Pat Buyer");
        assert_eq!(order["billing"]["address"]["city"], "Austin");
    }
);

on_both_backends!(a_user_can_ask_a_sites_primary_contact_for_access, |app| {
    let v = app.sign_in("viewer@nusantara.example").await;
    let (status, req) = send(
        app,
        &v,
        Method::POST,
        "/api/v1/access-requests",
        json!({"customer_number": "7034522", "message": "I run Surabaya's licences"}),
    )
    .await;
    assert_eq!(status, 201, "{req}");
    assert_eq!(req["status"], "pending");
    assert_eq!(req["site_name"], json!(null), "no name before approval");
    let (status, again) = send(
        app,
        &v,
        Method::POST,
        "/api/v1/access-requests",
        json!({"customer_number": "7034522"}),
    )
    .await;
    assert_eq!(status, 409, "{again}");
    assert_eq!(again["error"]["code"], "access.pending");
    let (status, held) = send(
        app,
        &v,
        Method::POST,
        "/api/v1/access-requests",
        json!({"customer_number": "7034521"}),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(held["error"]["code"], "access.held");
    // A number no site has gets the same answer: stored, waiting, nameless.
    let (status, unknown) = send(
        app,
        &v,
        Method::POST,
        "/api/v1/access-requests",
        json!({"customer_number": "0000000", "message": "I run Surabaya's licences"}),
    )
    .await;
    assert_eq!(status, 201, "{unknown}");
    let shape = |v: &Value| {
        let mut v = v.clone();
        for k in ["id", "customer_number", "created_at"] {
            v.as_object_mut().unwrap().remove(k);
        }
        v
    };
    assert_eq!(shape(&unknown), shape(&req));
    let to: Vec<String> =
        sqlx::query_scalar("SELECT recipient FROM outbox WHERE kind = 'access_request'")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        to,
        ["primary@nusantara.example"],
        "only a real site's primary hears of it"
    );
    let (_, mine) = app.get_as(&v, "/api/v1/access-requests").await;
    assert_eq!(mine.as_array().unwrap().len(), 2);
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .all(|r| r["site_name"].is_null())
    );

    // Once approved, the requester sees the site's name.
    let p = app.sign_in("primary@nusantara.example").await;
    let (status, decided) = send(
        app,
        &p,
        Method::POST,
        &format!("/api/v1/access-requests/{}/decision", req["id"]),
        json!({"approve": true, "privileges": {"buy": false, "view_quotes": true, "view_orders": false}}),
    )
    .await;
    assert_eq!(status, 200, "{decided}");
    let (_, mine) = app.get_as(&v, "/api/v1/access-requests").await;
    let approved = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["customer_number"] == "7034522")
        .unwrap();
    assert_eq!(approved["site_name"], "Surabaya");

    // Requests are throttled per requester: a few, then a wait.
    let mut answers = Vec::new();
    for n in 1..=8 {
        let (status, _) = send(
            app,
            &v,
            Method::POST,
            "/api/v1/access-requests",
            json!({"customer_number": format!("99900{n:02}")}),
        )
        .await;
        answers.push(status);
    }
    assert!(answers.contains(&429), "{answers:?}");
});

/// The text of a PDF as a reader's viewer extracts it (poppler's `pdftotext`), white space folded.
fn pdf_text(pdf: &[u8]) -> String {
    use std::io::Write as _;
    let mut child = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext (Debian's poppler-utils, installed by ./dev.sh test)");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext could not read the PDF");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

async fn receipt(app: &common::TestApp, s: &common::Session, path: &str) -> (u16, Vec<u8>) {
    let res = app
        .client
        .get(app.url(path))
        .header("cookie", &s.cookie)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    if status == 200 {
        assert_eq!(res.headers()["content-type"], "application/pdf");
    }
    (status, res.bytes().await.unwrap().to_vec())
}

on_both_backends!(
    the_order_receipt_is_a_pdf_with_the_reference_and_the_masked_card,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        let part = a_licence(app).await;
        send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/lines",
            json!({"site": "8812001", "part_number": part, "quantity": 2}),
        )
        .await;
        let (_, order) = place(app, &s, "receipt", &order_body("8812001", "US", visa())).await;
        let reference = order["reference"].as_str().unwrap();
        let path = format!("/api/v1/orders/{reference}/receipt.pdf");
        let (status, pdf) = receipt(app, &s, &path).await;
        assert_eq!(status, 200);
        assert!(pdf.starts_with(b"%PDF-"));
        let text = pdf_text(&pdf);
        assert!(
            text.contains(&format!("Order reference: {reference}")),
            "{text}"
        );
        assert!(text.contains("Visa •••• 1111"), "{text}");
        assert!(text.contains(&part), "{text}");
        assert!(text.contains("Page 1 of 1"), "{text}");
        assert!(text.contains("Total"), "{text}");
        assert!(!String::from_utf8_lossy(&pdf).contains("4111111111111111"));
        assert!(!text.contains("4111111111111111"));
        // In the app's language when the link names it.
        let (_, pdf) = receipt(app, &s, &format!("{path}?lang=id")).await;
        let text = pdf_text(&pdf);
        assert!(
            text.contains(&format!("Nomor referensi pesanan: {reference}")),
            "{text}"
        );
        assert!(text.contains("Halaman 1 dari 1"), "{text}");
        assert_eq!(receipt(app, &s, &format!("{path}?lang=xx")).await.0, 400);
        let stranger = app.sign_in("primary@nusantara.example").await;
        assert_eq!(receipt(app, &stranger, &path).await.0, 404);
    }
);

on_both_backends!(
    a_receipt_prints_every_letter_wraps_long_descriptions_and_numbers_every_page,
    |app| {
        // München, in euros, with a description far longer than its column and enough lines for
        // several pages.
        let s = app.sign_in("buyer@partnered.example").await;
        let (_, page) = app
            .get_json("/api/v1/catalog/parts?part_type=license_sns&per_page=45")
            .await;
        let parts: Vec<String> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["part_number"].as_str().unwrap().to_owned())
            .collect();
        assert!(parts.len() >= 40, "{}", parts.len());
        let long = "Übergroße Lizenz für Rechenzentren — Zweigstelle Köln, Düsseldorf und München; \
                    enthält Wartung, Aktualisierungen und Unterstützung rund um die Uhr (24×7), ohne Aufpreis";
        sqlx::query("UPDATE parts SET description = $1 WHERE part_number = $2")
            .bind(long)
            .bind(&parts[0])
            .execute(&app.db.pool)
            .await
            .unwrap();
        for part in &parts {
            let (status, body) = send(
                app,
                &s,
                Method::POST,
                "/api/v1/cart/lines",
                json!({"site": "9120450", "part_number": part, "quantity": 1}),
            )
            .await;
            assert_eq!(status, 201, "{body}");
        }
        let mut body = order_body("9120450", "DE", visa());
        body["billing"]["address"]["city"] = json!("München");
        body["billing"]["contact_name"] = json!("Jürgen Weiß");
        let (status, order) = place(app, &s, "receipt-long", &body).await;
        assert_eq!(status, 201, "{order}");
        let reference = order["reference"].as_str().unwrap();
        let (_, pdf) = receipt(app, &s, &format!("/api/v1/orders/{reference}/receipt.pdf")).await;
        let text = pdf_text(&pdf);
        assert!(text.contains("München"), "{text}");
        assert!(text.contains("Jürgen Weiß"), "{text}");
        assert!(text.contains(" €"), "{text}");
        // The whole description, over several lines of its column.
        let folded: String = long.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains(&folded), "{text}");
        let pages = text.matches("Page ").count();
        assert!(pages >= 2, "{pages} pages");
        for i in 1..=pages {
            assert!(text.contains(&format!("Page {i} of {pages}")), "{text}");
        }
        for part in &parts {
            assert!(text.contains(part.as_str()), "{part} missing");
        }
        // The table's heading comes again on every page.
        assert_eq!(text.matches("Description").count(), pages, "{text}");
    }
);

on_both_backends!(
    a_stored_order_that_does_not_parse_is_an_error_not_a_guess,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        let part = a_licence(app).await;
        send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/lines",
            json!({"site": "8812001", "part_number": part, "quantity": 1}),
        )
        .await;
        let body = order_body("8812001", "US", visa());
        let (status, order) = place(app, &s, "parse-1", &body).await;
        assert_eq!(status, 201, "{order}");
        let reference = order["reference"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/orders/{reference}");
        assert_eq!(app.get_as(&s, &path).await.0, 200);
        // A payment method no version of Entitle wrote: the order is not shown as a card payment.
        sqlx::query("UPDATE payments SET method = 'cash'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (status, err) = app.get_as(&s, &path).await;
        assert_eq!(status, 500, "{err}");
        assert_eq!(err["error"]["code"], "internal");
        sqlx::query("UPDATE payments SET method = 'card'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        // A quantity that does not fit is refused the same way, not read as 0.
        sqlx::query("UPDATE order_lines SET quantity = -3")
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(app.get_as(&s, &path).await.0, 500);
    }
);

/// Puts one licence in Austin's cart; returns the cart as priced.
async fn austin_cart(app: &common::TestApp, s: &common::Session) -> Value {
    let part = a_licence(app).await;
    let (status, cart) = send(
        app,
        s,
        Method::POST,
        "/api/v1/cart/lines",
        json!({"site": "8812001", "part_number": part, "quantity": 1}),
    )
    .await;
    assert_eq!(status, 201, "{cart}");
    cart
}

fn card(number: &str) -> Value {
    json!({ "method": "card", "number": number, "exp_month": "12", "exp_year": "2030", "security_code": "987", "name": "Pat Buyer" })
}

/// The card charges the server recorded, by reference: status.
async fn recorded_charges(app: &common::TestApp) -> Vec<(String, String)> {
    sqlx::query_as("SELECT reference, status FROM card_charges ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

async fn orders_of_austin(app: &common::TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders o JOIN sites s ON s.id = o.site_id WHERE s.customer_number = '8812001'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

on_both_backends!(
    a_charge_that_fails_after_the_processor_authorised_it_is_voided_and_the_order_can_be_retried,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        austin_cart(app, &s).await;
        let body = order_body("8812001", "US", card("4000 0000 0000 0101"));
        let (status, answer) = place(app, &s, "fails-after-auth", &body).await;
        assert_eq!(status, 402, "{answer}");
        assert_eq!(answer["error"]["code"], "payment.failed");
        let ledger = app.sandbox.charges();
        assert_eq!(ledger.len(), 1, "the processor authorised it");
        assert!(
            ledger.values().all(|c| c.voided),
            "and it was voided: {ledger:?}"
        );
        let recorded = recorded_charges(app).await;
        assert_eq!(recorded.len(), 1);
        assert_eq!(recorded[0].1, "voided");
        assert_eq!(orders_of_austin(app).await, 0);

        // The key was freed and the cart kept: the same key with another card places the order once.
        let body = order_body("8812001", "US", visa());
        let (status, order) = place(app, &s, "fails-after-auth", &body).await;
        assert_eq!(status, 201, "{order}");
        let reference = order["reference"].as_str().unwrap();
        let ledger = app.sandbox.charges();
        assert_eq!(ledger.len(), 2);
        assert!(!ledger[reference].voided);
        assert_eq!(
            recorded_charges(app).await[1],
            (reference.to_owned(), "captured".to_owned())
        );
    }
);

on_both_backends!(
    an_order_that_cannot_be_written_after_the_charge_leaves_nothing_charged,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        austin_cart(app, &s).await;
        // The sandbox answers this card with a token the database refuses: the order's transaction
        // fails after the card was charged.
        let body = order_body("8812001", "US", card("4000 0000 0000 0259"));
        let (status, answer) = place(app, &s, "write-fails", &body).await;
        assert_eq!(status, 500, "{answer}");
        let ledger = app.sandbox.charges();
        assert_eq!(ledger.len(), 1);
        assert!(ledger.values().all(|c| c.voided), "{ledger:?}");
        assert_eq!(recorded_charges(app).await[0].1, "voided");
        assert_eq!(orders_of_austin(app).await, 0);
        let (_, cart) = app.get_as(&s, "/api/v1/cart?site=8812001").await;
        assert_eq!(
            cart["lines"].as_array().unwrap().len(),
            1,
            "the cart is kept"
        );

        let (status, order) =
            place(app, &s, "write-fails", &order_body("8812001", "US", visa())).await;
        assert_eq!(status, 201, "{order}");
        assert_eq!(orders_of_austin(app).await, 1);
    }
);

on_both_backends!(
    a_request_cut_off_mid_charge_frees_its_key_later_and_reconciliation_voids_its_charge,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        austin_cart(app, &s).await;
        // The processor authorises this card and then stops answering; the client gives up.
        let hanging = order_body("8812001", "US", card("4000 0000 0000 0341"));
        let cut_off = app
            .with(&s, Method::POST, "/api/v1/orders")
            .header("idempotency-key", "cut-off")
            .timeout(std::time::Duration::from_secs(2))
            .json(&hanging)
            .send()
            .await;
        assert!(cut_off.is_err(), "the client timed out");
        assert_eq!(recorded_charges(app).await[0].1, "pending");
        assert_eq!(
            app.sandbox.charges().len(),
            1,
            "authorised at the processor"
        );

        // While the request may still be alive, the key is busy…
        let (status, answer) = place(app, &s, "cut-off", &hanging).await;
        assert_eq!(status, 409, "{answer}");
        assert_eq!(answer["error"]["code"], "idempotency.in_progress");
        // …and the reconciliation pass leaves its charge alone.
        let report = entitle_server::reconcile::run_once(&app.state)
            .await
            .unwrap();
        assert_eq!(report.voided, 0);

        // Once it is long dead, a retry with the key takes it over and places the order once…
        app.hand.advance(time::Duration::minutes(11));
        let good = order_body("8812001", "US", visa());
        let (status, order) = place(app, &s, "cut-off", &good).await;
        assert_eq!(status, 201, "{order}");
        let (status, again) = place(app, &s, "cut-off", &good).await;
        assert_eq!((status, &again["reference"]), (201, &order["reference"]));
        assert_eq!(orders_of_austin(app).await, 1);

        // …and the pass voids the dead request's charge (and nothing else).
        let report = entitle_server::reconcile::run_once(&app.state)
            .await
            .unwrap();
        assert_eq!(report.voided, 1, "{report:?}");
        let ledger = app.sandbox.charges();
        let reference = order["reference"].as_str().unwrap();
        assert!(!ledger[reference].voided);
        assert!(
            ledger
                .iter()
                .filter(|(r, _)| *r != reference)
                .all(|(_, c)| c.voided),
            "{ledger:?}"
        );
        let again = entitle_server::reconcile::run_once(&app.state)
            .await
            .unwrap();
        assert_eq!(again, entitle_server::reconcile::Report::default());
    }
);

on_both_backends!(
    an_order_is_placed_only_for_the_cart_the_customer_reviewed,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        let reviewed = austin_cart(app, &s).await;
        let revision = reviewed["revision"].as_str().unwrap().to_owned();
        assert!(!revision.is_empty());
        // Another tab adds a line after the review.
        let (_, parts) = app
            .get_json("/api/v1/catalog/parts?part_type=license_sns&per_page=2")
            .await;
        let other = parts["items"][1]["part_number"].as_str().unwrap();
        let (status, changed) = send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/lines",
            json!({"site": "8812001", "part_number": other, "quantity": 1}),
        )
        .await;
        assert_eq!(status, 201);
        assert_ne!(changed["revision"], reviewed["revision"]);

        let mut body = order_body("8812001", "US", visa());
        body["cart_revision"] = json!(revision);
        let (status, answer) = place(app, &s, "reviewed", &body).await;
        assert_eq!(status, 409, "{answer}");
        assert_eq!(answer["error"]["code"], "cart.changed");
        assert!(app.sandbox.charges().is_empty(), "nothing was charged");

        body["cart_revision"] = changed["revision"].clone();
        let (status, order) = place(app, &s, "reviewed", &body).await;
        assert_eq!(status, 201, "{order}");
        assert_eq!(order["lines"].as_array().unwrap().len(), 2);
    }
);

on_both_backends!(
    a_buyer_who_may_not_view_orders_still_gets_the_replayed_order,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        sqlx::query(
            "UPDATE site_access SET can_view_orders = 0 WHERE user_id = (SELECT id FROM users WHERE email = 'buyer@express.example')",
        )
        .execute(&app.db.pool)
        .await
        .unwrap();
        austin_cart(app, &s).await;
        let body = order_body("8812001", "US", visa());
        let (status, order) = place(app, &s, "no-view", &body).await;
        assert_eq!(status, 201, "{order}");
        let (status, _) = app
            .get_as(
                &s,
                &format!("/api/v1/orders/{}", order["reference"].as_str().unwrap()),
            )
            .await;
        assert_eq!(status, 404, "the buyer may not view orders");
        let (status, replayed) = place(app, &s, "no-view", &body).await;
        assert_eq!(status, 201, "{replayed}");
        assert_eq!(replayed["reference"], order["reference"]);
        assert_eq!(app.sandbox.charges().len(), 1, "charged once");
    }
);

on_both_backends!(
    an_invoice_and_a_proof_of_entitlement_follow_a_completed_order_in_the_readers_language,
    |app| {
        let s = app.sign_in("buyer@partnered.example").await;
        let (_, page) = app
            .get_json("/api/v1/catalog/parts?part_type=license_sns&per_page=1")
            .await;
        let part = page["items"][0]["part_number"].as_str().unwrap().to_owned();
        let (status, body) = send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/lines",
            json!({"site": "9120450", "part_number": part, "quantity": 3}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let mut body = order_body("9120450", "DE", visa());
        body["billing"]["address"]["city"] = json!("München");
        body["billing"]["address"]["name"] = json!("Partnered GmbH");
        body["billing"]["tax_id"] = json!("DE 298 765 432");
        let (status, order) = place(app, &s, "invoice", &body).await;
        assert_eq!(status, 201, "{order}");
        let reference = order["reference"].as_str().unwrap().to_owned();
        let invoice = format!("/api/v1/orders/{reference}/invoice.pdf");
        let proof = format!("/api/v1/orders/{reference}/entitlement.pdf");
        // Not before the order is completed.
        for path in [&invoice, &proof] {
            assert_eq!(receipt(app, &s, path).await.0, 409, "{path}");
        }
        let rep = app.sign_in("renewals@entitle.example").await;
        for step in ["processing", "completed"] {
            let (status, answer) = send(
                app,
                &rep,
                Method::POST,
                &format!("/api/v1/desk/orders/{reference}/status"),
                json!({"status": step}),
            )
            .await;
            assert_eq!(status, 200, "{answer}");
        }
        let (status, pdf) = receipt(app, &s, &format!("{invoice}?lang=de")).await;
        assert_eq!(status, 200);
        let text = pdf_text(&pdf);
        for expected in [
            "Rechnung",
            &format!("Rechnungsnummer: R-{reference}"),
            "Entitle Software GmbH",
            "USt-IdNr.: DE 812 345 678",
            "USt-IdNr.: DE 298 765 432",
            "München",
            "Deutschland",
            " €",
            &part,
            "Gesamtbetrag",
            "Seite 1 von 1",
        ] {
            assert!(text.contains(expected), "{expected:?} missing: {text}");
        }
        assert!(!text.contains("4111111111111111"));
        // The desk downloads the same documents.
        assert_eq!(receipt(app, &rep, &invoice).await.0, 200);
        let (status, pdf) = receipt(app, &rep, &format!("{proof}?lang=de")).await;
        assert_eq!(status, 200);
        let text = pdf_text(&pdf);
        for expected in [
            "Nutzungsnachweis",
            "Kundennummer: 9120450",
            "Standort: München",
            "Partnered GmbH",
            &format!("Bestellreferenz: {reference}"),
            &part,
            "Lizenzmetrik: ",
        ] {
            assert!(text.contains(expected), "{expected:?} missing: {text}");
        }
        let (_, pdf) = receipt(app, &s, &format!("{proof}?lang=en")).await;
        let text = pdf_text(&pdf);
        assert!(
            text.contains("Proof of entitlement") && text.contains("Licence metric: "),
            "{text}"
        );
        let stranger = app.sign_in("primary@nusantara.example").await;
        assert_eq!(receipt(app, &stranger, &invoice).await.0, 404);
    }
);

on_both_backends!(
    an_indonesian_invoice_states_ppn_on_the_eleven_twelfths_base_with_the_npwp,
    |app| {
        let s = app.sign_in("primary@nusantara.example").await;
        let (_, page) = app
            .get_json("/api/v1/catalog/parts?part_type=license_sns&per_page=1")
            .await;
        let part = page["items"][0]["part_number"].as_str().unwrap().to_owned();
        let (status, body) = send(
            app,
            &s,
            Method::POST,
            "/api/v1/cart/lines",
            json!({"site": "7034521", "part_number": part, "quantity": 2}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let body = order_body(
            "7034521",
            "ID",
            json!({"method": "purchase_order", "po_number": "PO-77"}),
        );
        let (status, order) = place(app, &s, "invoice-id", &body).await;
        assert_eq!(status, 201, "{order}");
        let reference = order["reference"].as_str().unwrap().to_owned();
        let rep = app.sign_in("renewals@entitle.example").await;
        for step in ["processing", "completed"] {
            let (status, answer) = send(
                app,
                &rep,
                Method::POST,
                &format!("/api/v1/desk/orders/{reference}/status"),
                json!({"status": step}),
            )
            .await;
            assert_eq!(status, 200, "{answer}");
        }
        let (status, pdf) = receipt(
            app,
            &s,
            &format!("/api/v1/orders/{reference}/invoice.pdf?lang=id"),
        )
        .await;
        assert_eq!(status, 200);
        let text = pdf_text(&pdf);
        for expected in [
            "Faktur",
            "NPWP: 0123456789012345",
            "PPN 12% atas 11/12 dari Rp ",
            "Dasar pengenaan pajak (DPP, 11/12 dari jumlah neto)",
            "PO PO-77",
            "Halaman 1 dari 1",
        ] {
            assert!(text.contains(expected), "{expected:?} missing: {text}");
        }
    }
);
