//! The rep desk's API and the primary contact's, on both databases, black-box over HTTP: the
//! change-request queue and re-issuing a changed renewal quote; pricing quote requests and the
//! customer's accept / decline; order fulfilment; access decisions, privileges and the audit log.

mod common;

use common::{dec, send};

use reqwest::Method;
use serde_json::{Value, json};

/// Puts the first Nusantara renewal quote in the cart and asks for quantity 1 on its first line.
/// Returns (quote number, the changed line's id on the quote, its issued quantity, line count).
async fn customer_changes_a_line(
    app: &common::TestApp,
    s: &common::Session,
) -> (String, i64, u64, usize) {
    let (_, groups) = app.get_as(s, "/api/v1/renewals").await;
    let quote = groups[0]["quotes"][0]["quote_number"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, detail) = app.get_as(s, &format!("/api/v1/renewals/{quote}")).await;
    let quote_line = detail["lines"][0]["id"].as_i64().unwrap();
    let issued = detail["lines"][0]["quantity"].as_u64().unwrap();
    let count = detail["lines"].as_array().unwrap().len();
    let (status, cart) = send(
        app,
        s,
        Method::POST,
        "/api/v1/cart/renewal",
        json!({"quote_number": quote}),
    )
    .await;
    assert_eq!(status, 201, "{cart}");
    let cart_line = cart["lines"][0]["id"].as_i64().unwrap();
    let (status, cart) = send(
        app,
        s,
        Method::PATCH,
        &format!("/api/v1/cart/lines/{cart_line}"),
        json!({"quantity": 1}),
    )
    .await;
    assert_eq!(status, 200, "{cart}");
    assert_eq!(cart["change_requested"], json!([quote]));
    (quote, quote_line, issued, count)
}

on_both_backends!(
    a_renewal_rep_sees_the_change_against_the_issued_quantity_and_reissues_it,
    |app| {
        let customer = app.sign_in("primary@nusantara.example").await;
        let (quote, line, issued, count) = customer_changes_a_line(app, &customer).await;

        let rep = app.sign_in("renewals@entitle.example").await;
        let (status, queue) = app.get_as(&rep, "/api/v1/desk/change-requests").await;
        assert_eq!(status, 200, "{queue}");
        let item = queue
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["quote"]["quote_number"] == quote.as_str())
            .expect("the changed quote is in the queue");
        assert_eq!(item["requested_by"], json!(["primary@nusantara.example"]));
        assert_eq!(item["changes"][0]["line_id"], line);
        assert_eq!(item["changes"][0]["issued_quantity"], issued);
        assert_eq!(item["changes"][0]["requested_quantity"], 1);

        let (status, detail) = send(
            app,
            &rep,
            Method::POST,
            &format!("/api/v1/desk/renewals/{quote}/reissue"),
            json!({"note": "Reduced to one unit as asked."}),
        )
        .await;
        assert_eq!(status, 200, "{detail}");
        assert_eq!(detail["summary"]["status"], "reissued");
        assert_eq!(detail["summary"]["version"], 2);
        assert_eq!(detail["lines"].as_array().unwrap().len(), count);
        assert_eq!(detail["lines"][0]["quantity"], 1);

        // The customer's stale lines left the cart; the quote can be checked out after adding it again.
        let (_, cart) = app.get_as(&customer, "/api/v1/cart?site=7034521").await;
        assert_eq!(cart["lines"], json!([]));
        assert_eq!(cart["change_requested"], json!([]));
        let (status, cart) = send(
            app,
            &customer,
            Method::POST,
            "/api/v1/cart/renewal",
            json!({"quote_number": quote}),
        )
        .await;
        assert_eq!(status, 201, "{cart}");
        assert_eq!(cart["can_check_out"], true);
        assert_eq!(cart["lines"][0]["quantity"], 1);

        // Notified with the deep link and the rep's note; the action is audited; history is kept.
        let body: String = sqlx::query_scalar(
            "SELECT body FROM outbox WHERE kind = 'renewal_reissued' AND recipient = 'primary@nusantara.example'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(body.contains(&format!("/renewals/{quote}")), "{body}");
        assert!(body.contains("Reduced to one unit as asked."), "{body}");
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'quote.reissue' AND subject = $1",
        )
        .bind(&quote)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(audited, 1);
        let versions: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT l.version) FROM renewal_quote_lines l JOIN renewal_quotes q ON q.id = l.quote_id WHERE q.quote_number = $1",
        )
        .bind(&quote)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(versions, 2);

        // Re-issuing again is refused: the quote no longer waits for the rep.
        let (status, body) = send(
            app,
            &rep,
            Method::POST,
            &format!("/api/v1/desk/renewals/{quote}/reissue"),
            json!({}),
        )
        .await;
        assert_eq!(status, 409, "{body}");
    }
);

on_both_backends!(
    the_rep_can_settle_on_other_quantities_but_not_on_an_empty_quote,
    |app| {
        let customer = app.sign_in("primary@nusantara.example").await;
        let (quote, line, _, _) = customer_changes_a_line(app, &customer).await;
        let rep = app.sign_in("renewals@entitle.example").await;
        let path = format!("/api/v1/desk/renewals/{quote}/reissue");

        let (status, body) = send(
            app,
            &rep,
            Method::POST,
            &path,
            json!({"lines": [{"line_id": 999_999, "quantity": 2}]}),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            body["error"]["fields"]["lines.0.line_id"][0]["code"],
            "reissue.unknown_line"
        );

        let (_, detail) = app.get_as(&rep, &format!("/api/v1/renewals/{quote}")).await;
        let all: Vec<Value> = detail["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| json!({"line_id": l["id"], "quantity": 0}))
            .collect();
        let (status, body) = send(app, &rep, Method::POST, &path, json!({ "lines": all })).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["code"], "reissue.empty");

        let (status, detail) = send(
            app,
            &rep,
            Method::POST,
            &path,
            json!({"lines": [{"line_id": line, "quantity": 3}]}),
        )
        .await;
        assert_eq!(status, 200, "{detail}");
        assert_eq!(detail["lines"][0]["quantity"], 3);
    }
);

on_both_backends!(customers_and_sales_reps_cannot_use_the_desk, |app| {
    for email in ["primary@nusantara.example", "sales@entitle.example"] {
        let s = app.sign_in(email).await;
        let (status, body) = app.get_as(&s, "/api/v1/desk/change-requests").await;
        assert_eq!(status, 403, "{email}: {body}");
        let (status, body) = send(
            app,
            &s,
            Method::POST,
            "/api/v1/desk/renewals/RQ1/reissue",
            json!({}),
        )
        .await;
        assert_eq!(status, 403, "{email}: {body}");
    }
    let (status, _) = app.get_json("/api/v1/desk/change-requests").await;
    assert_eq!(status, 401);
});

async fn place_with_po(app: &common::TestApp, s: &common::Session, site: &str) -> (u16, Value) {
    let body = json!({
        "site": site,
        "billing": {
            "address": { "name": "PT Nusantara Data", "line1": "Jl. Sudirman 1", "city": "Jakarta", "region": "DKI Jakarta",
                         "postal_code": "12190", "country": "ID" },
            "contact_name": "Dewi Lestari", "email": "primary@nusantara.example", "phone": "", "tax_id": "0123456789012345"
        },
        "accept_terms": true,
        "terms_version": "2026-01",
        "payment": {"method": "purchase_order", "po_number": "PO-77"}
    });
    let res = app
        .with(s, Method::POST, "/api/v1/orders")
        .header("idempotency-key", format!("k-{}", rand::random::<u64>()))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The customer puts 250 units of a licence part in the cart and sends it as a quote request.
async fn request_a_quote(app: &common::TestApp, s: &common::Session) -> String {
    let (_, parts) = app
        .get_json("/api/v1/catalog/parts?part_type=license_sns&per_page=1")
        .await;
    let part = parts["items"][0]["part_number"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, cart) = send(
        app,
        s,
        Method::POST,
        "/api/v1/cart/lines",
        json!({"site": "7034521", "part_number": part, "quantity": 250}),
    )
    .await;
    assert_eq!(status, 201, "{cart}");
    let (status, qr) = send(
        app,
        s,
        Method::POST,
        "/api/v1/quote-requests",
        json!({"site": "7034521", "note": "Volume pricing?"}),
    )
    .await;
    assert_eq!(status, 201, "{qr}");
    qr["number"].as_str().unwrap().to_owned()
}

on_both_backends!(
    a_sales_rep_prices_a_quote_request_and_the_customer_accepts_it_at_the_discount,
    |app| {
        let customer = app.sign_in("primary@nusantara.example").await;
        let number = request_a_quote(app, &customer).await;
        let renewals = app.sign_in("renewals@entitle.example").await;
        assert_eq!(
            app.get_as(&renewals, "/api/v1/desk/quote-requests").await.0,
            403
        );
        let rep = app.sign_in("sales@entitle.example").await;
        let (status, queue) = app.get_as(&rep, "/api/v1/desk/quote-requests").await;
        assert_eq!(status, 200, "{queue}");
        assert_eq!(queue[0]["number"], json!(number));
        assert_eq!(queue[0]["status"], "submitted");
        let subtotal = dec(&queue[0]["subtotal"]);
        assert!(subtotal > rust_decimal::Decimal::ZERO);

        let path = format!("/api/v1/desk/quote-requests/{number}/quote");
        let yesterday = entitle_core::dates::format(app.today() - time::Duration::days(1));
        let (status, body) = send(
            app,
            &rep,
            Method::POST,
            &path,
            json!({"discount_percent": "120", "valid_until": yesterday}),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        let fields = &body["error"]["fields"];
        assert_eq!(
            fields["discount_percent"][0]["code"],
            "discount.out_of_range"
        );
        assert_eq!(fields["valid_until"][0]["code"], "valid_until.past");

        let until = entitle_core::dates::format(app.today() + time::Duration::days(30));
        let (status, quoted) = send(
            app,
            &rep,
            Method::POST,
            &path,
            json!({"discount_percent": "12.5", "valid_until": until, "note": "Best we can do."}),
        )
        .await;
        assert_eq!(status, 200, "{quoted}");
        assert_eq!(quoted["status"], "quoted");
        assert_eq!(
            dec(&quoted["discount"]),
            (subtotal * rust_decimal::Decimal::new(125, 3)).round_dp(2)
        );
        let mail: String = sqlx::query_scalar("SELECT body FROM outbox WHERE kind = 'quote_sent'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert!(mail.contains(&format!("/quotes#{number}\n")), "{mail}");
        assert!(mail.contains("Best we can do."));

        let accept = format!("/api/v1/quote-requests/{number}/accept");
        let (status, cart) = send(app, &customer, Method::POST, &accept, json!({})).await;
        assert_eq!(status, 200, "{cart}");
        let line = &cart["lines"][0];
        assert_eq!(line["quote_request"], json!(number));
        assert_eq!(
            dec(&line["discount"]),
            (dec(&line["extended"]) * rust_decimal::Decimal::new(125, 3)).round_dp(2)
        );
        assert_eq!(cart["can_check_out"], true);
        let (status, again) = send(app, &customer, Method::POST, &accept, json!({})).await;
        assert_eq!(status, 409, "{again}");
        assert_eq!(
            app.get_as(&customer, &format!("/api/v1/quote-requests/{number}"))
                .await
                .1["status"],
            "accepted"
        );
        let (status, order) = place_with_po(app, &customer, "7034521").await;
        assert_eq!(status, 201, "{order}");
        assert_eq!(
            dec(&order["discount"]),
            dec(&line["discount"]),
            "the order keeps the quote's discount"
        );
    }
);

/// The rep quotes request `number` at `percent` for 30 days.
async fn rep_quotes(app: &common::TestApp, number: &str, percent: &str) {
    let rep = app.sign_in("sales@entitle.example").await;
    let until = entitle_core::dates::format(app.today() + time::Duration::days(30));
    let (status, quoted) = send(
        app,
        &rep,
        Method::POST,
        &format!("/api/v1/desk/quote-requests/{number}/quote"),
        json!({"discount_percent": percent, "valid_until": until}),
    )
    .await;
    assert_eq!(status, 200, "{quoted}");
}

on_both_backends!(
    a_quoted_line_changed_in_the_cart_goes_back_to_the_sales_rep_and_cannot_be_ordered_at_the_discount,
    |app| {
        let customer = app.sign_in("primary@nusantara.example").await;
        let number = request_a_quote(app, &customer).await;
        rep_quotes(app, &number, "40").await;
        let accept = format!("/api/v1/quote-requests/{number}/accept");
        let (status, cart) = send(app, &customer, Method::POST, &accept, json!({})).await;
        assert_eq!(status, 200, "{cart}");
        let line_id = cart["lines"][0]["id"].as_i64().unwrap();

        // The quote was for 250 units: 4,000 at the same 40 % goes back to the rep instead.
        let (status, cart) = send(
            app,
            &customer,
            Method::PATCH,
            &format!("/api/v1/cart/lines/{line_id}"),
            json!({"quantity": 4000}),
        )
        .await;
        assert_eq!(status, 200, "{cart}");
        assert_eq!(cart["quote_requests_changed"], json!([number]));
        assert_eq!(cart["can_check_out"], false);
        let line = &cart["lines"][0];
        assert_eq!(line["quantity"], 4000);
        assert_eq!(dec(&line["discount"]), rust_decimal::Decimal::ZERO, "no discount for what was not quoted");
        let (status, order) = place_with_po(app, &customer, "7034521").await;
        assert_eq!(status, 409, "{order}");
        assert_eq!(order["error"]["code"], "quote_request.changed");
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(orders, 0);

        // The rep sees the request again with the new quantity, and is told.
        let (_, request) = app
            .get_as(&customer, &format!("/api/v1/quote-requests/{number}"))
            .await;
        assert_eq!(request["status"], "submitted", "{request}");
        assert_eq!(request["lines"][0]["quantity"], 4000);
        let told: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE kind = 'quote_request_decided' AND subject LIKE '%changed%'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(told, 1);

        // Quoted again and accepted: the cart holds the quote once, at the new discount, and orders.
        rep_quotes(app, &number, "10").await;
        let (status, cart) = send(app, &customer, Method::POST, &accept, json!({})).await;
        assert_eq!(status, 200, "{cart}");
        assert_eq!(cart["lines"].as_array().unwrap().len(), 1, "{cart}");
        let line = &cart["lines"][0];
        assert_eq!(line["quantity"], 4000);
        assert_eq!(
            dec(&line["discount"]),
            (dec(&line["extended"]) * rust_decimal::Decimal::new(10, 2)).round_dp(2)
        );
        assert_eq!(cart["can_check_out"], true);
        let (status, order) = place_with_po(app, &customer, "7034521").await;
        assert_eq!(status, 201, "{order}");
    }
);

on_both_backends!(
    a_quoted_line_changed_behind_the_apis_back_is_refused_at_checkout,
    |app| {
        let customer = app.sign_in("primary@nusantara.example").await;
        let number = request_a_quote(app, &customer).await;
        rep_quotes(app, &number, "40").await;
        let accept = format!("/api/v1/quote-requests/{number}/accept");
        let (status, _) = send(app, &customer, Method::POST, &accept, json!({})).await;
        assert_eq!(status, 200);
        // The quantity is checked against the quoted line whenever the cart is priced, not trusted.
        sqlx::query("UPDATE cart_lines SET quantity = 100000 WHERE quote_request_id IS NOT NULL")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (status, order) = place_with_po(app, &customer, "7034521").await;
        assert_eq!(status, 409, "{order}");
        assert_eq!(order["error"]["code"], "quote_request.changed");
    }
);

on_both_backends!(
    deleting_a_quoted_line_takes_the_whole_quote_out_of_the_cart_and_it_may_be_accepted_again,
    |app| {
        let customer = app.sign_in("primary@nusantara.example").await;
        let number = request_a_quote(app, &customer).await;
        rep_quotes(app, &number, "15").await;
        let accept = format!("/api/v1/quote-requests/{number}/accept");
        let (_, cart) = send(app, &customer, Method::POST, &accept, json!({})).await;
        let line_id = cart["lines"][0]["id"].as_i64().unwrap();
        let (status, cart) = send(
            app,
            &customer,
            Method::DELETE,
            &format!("/api/v1/cart/lines/{line_id}"),
            json!({}),
        )
        .await;
        assert_eq!(status, 200, "{cart}");
        assert!(cart["lines"].as_array().unwrap().is_empty(), "{cart}");
        let (_, request) = app
            .get_as(&customer, &format!("/api/v1/quote-requests/{number}"))
            .await;
        assert_eq!(request["status"], "quoted");
        let (status, cart) = send(app, &customer, Method::POST, &accept, json!({})).await;
        assert_eq!(status, 200, "{cart}");
        assert_eq!(cart["lines"][0]["quantity"], 250);
        assert_eq!(cart["can_check_out"], true);
    }
);

on_both_backends!(
    an_expired_quote_cannot_be_accepted_or_ordered_and_a_quote_can_be_declined,
    |app| {
        let customer = app.sign_in("primary@nusantara.example").await;
        let rep = app.sign_in("sales@entitle.example").await;
        let until = entitle_core::dates::format(app.today());
        let (until, rep) = (until.as_str(), &rep);
        let quote = |number: String| async move {
            let (status, body) = send(
                app,
                rep,
                Method::POST,
                &format!("/api/v1/desk/quote-requests/{number}/quote"),
                json!({"discount_percent": "10", "valid_until": until}),
            )
            .await;
            assert_eq!(status, 200, "{body}");
        };
        let yesterday = entitle_core::dates::format(app.today() - time::Duration::days(1));
        let expire = |number: String| {
            let yesterday = yesterday.clone();
            async move {
                sqlx::query("UPDATE quote_requests SET valid_until = $1 WHERE number = $2")
                    .bind(yesterday)
                    .bind(number)
                    .execute(&app.db.pool)
                    .await
                    .unwrap();
            }
        };

        // Accepted while valid, expired in the cart: checkout is blocked.
        let first = request_a_quote(app, &customer).await;
        quote(first.clone()).await;
        let (status, _) = send(
            app,
            &customer,
            Method::POST,
            &format!("/api/v1/quote-requests/{first}/accept"),
            json!({}),
        )
        .await;
        assert_eq!(status, 200);
        expire(first.clone()).await;
        let (_, cart) = app.get_as(&customer, "/api/v1/cart?site=7034521").await;
        assert_eq!(cart["expired_quotes"], json!([first]));
        assert_eq!(cart["can_check_out"], false);
        assert_eq!(
            dec(&cart["discount"]),
            rust_decimal::Decimal::ZERO,
            "an expired discount no longer applies"
        );
        let (status, body) = place_with_po(app, &customer, "7034521").await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["error"]["code"], "quote.expired");
        let line = cart["lines"][0]["id"].as_i64().unwrap();
        send(
            app,
            &customer,
            Method::DELETE,
            &format!("/api/v1/cart/lines/{line}"),
            json!({}),
        )
        .await;

        // Expired before it was accepted: refused and shown as expired.
        let second = request_a_quote(app, &customer).await;
        quote(second.clone()).await;
        expire(second.clone()).await;
        let (status, body) = send(
            app,
            &customer,
            Method::POST,
            &format!("/api/v1/quote-requests/{second}/accept"),
            json!({}),
        )
        .await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["error"]["code"], "quote.expired");
        assert_eq!(
            app.get_as(&customer, &format!("/api/v1/quote-requests/{second}"))
                .await
                .1["status"],
            "expired"
        );

        // Declined.
        let third = request_a_quote(app, &customer).await;
        quote(third.clone()).await;
        let (status, body) = send(
            app,
            &customer,
            Method::POST,
            &format!("/api/v1/quote-requests/{third}/decline"),
            json!({}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "declined");
        let told: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'quote_request_decided'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(told, 2, "the rep hears of the acceptance and the decline");
    }
);

on_both_backends!(
    completing_a_renewal_order_extends_the_coverage_and_adds_the_points,
    |app| {
        let customer = app.sign_in("primary@nusantara.example").await;
        let (_, groups) = app.get_as(&customer, "/api/v1/renewals").await;
        let quote = groups[0]["quotes"][0]["quote_number"]
            .as_str()
            .unwrap()
            .to_owned();
        let site = groups[0]["quotes"][0]["customer_number"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, detail) = app
            .get_as(&customer, &format!("/api/v1/renewals/{quote}"))
            .await;
        let (status, _) = send(
            app,
            &customer,
            Method::POST,
            "/api/v1/cart/renewal",
            json!({"quote_number": quote}),
        )
        .await;
        assert_eq!(status, 201);
        let (status, order) = place_with_po(app, &customer, &site).await;
        assert_eq!(status, 201, "{order}");
        let reference = order["reference"].as_str().unwrap().to_owned();
        let points_before: i64 = sqlx::query_scalar(
            "SELECT points FROM organisations WHERE agreement_number = 'PA-0084512'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();

        assert_eq!(app.get_as(&customer, "/api/v1/desk/orders").await.0, 403);
        let rep = app.sign_in("renewals@entitle.example").await;
        let (status, queue) = app.get_as(&rep, "/api/v1/desk/orders").await;
        assert_eq!(status, 200, "{queue}");
        assert!(
            queue
                .as_array()
                .unwrap()
                .iter()
                .any(|o| o["reference"] == json!(reference))
        );
        let path = format!("/api/v1/desk/orders/{reference}/status");
        let (status, body) = send(
            app,
            &rep,
            Method::POST,
            &path,
            json!({"status": "completed"}),
        )
        .await;
        assert_eq!(status, 409, "received cannot jump to completed: {body}");
        let (status, body) = send(
            app,
            &rep,
            Method::POST,
            &path,
            json!({"status": "cancelled"}),
        )
        .await;
        assert_eq!(status, 422, "a cancellation needs a reason: {body}");
        let (status, body) = send(
            app,
            &rep,
            Method::POST,
            &path,
            json!({"status": "processing"}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = send(
            app,
            &rep,
            Method::POST,
            &path,
            json!({"status": "completed"}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "completed");

        // Every renewed entitlement now runs to its line's end.
        for line in detail["lines"].as_array().unwrap() {
            let ends: Vec<String> = sqlx::query_scalar(
                "SELECT e.coverage_end FROM entitlements e JOIN renewal_quote_lines l ON l.entitlement_id = e.id WHERE l.id = $1",
            )
            .bind(line["id"].as_i64().unwrap())
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
            assert_eq!(
                ends,
                vec![line["coverage_end"].as_str().unwrap().to_owned()],
                "{line}"
            );
        }
        let points_after: i64 = sqlx::query_scalar(
            "SELECT points FROM organisations WHERE agreement_number = 'PA-0084512'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let order_points: i64 =
            sqlx::query_scalar("SELECT points FROM orders WHERE reference = $1")
                .bind(&reference)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(points_after, points_before + order_points);
        let (_, seen) = app
            .get_as(&customer, &format!("/api/v1/orders/{reference}"))
            .await;
        assert_eq!(seen["status"], "completed");
        let mails: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE kind = 'order_status' AND subject LIKE $1",
        )
        .bind(format!("Order {reference}%"))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(mails, 2, "processing and completed");
        let (status, _) = send(
            app,
            &rep,
            Method::POST,
            &path,
            json!({"status": "cancelled", "reason": "late"}),
        )
        .await;
        assert_eq!(status, 409, "a completed order cannot be cancelled");
        let audit: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'order.status' AND subject = $1",
        )
        .bind(&reference)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(audit, 2);
    }
);

on_both_backends!(
    a_primary_contact_approves_access_with_privileges_rejects_another_and_admins_see_it_audited,
    |app| {
        let express = app.sign_in("buyer@express.example").await;
        let (status, req) = send(
            app,
            &express,
            Method::POST,
            "/api/v1/access-requests",
            json!({"customer_number": "7034521", "message": "I help with renewals"}),
        )
        .await;
        assert_eq!(status, 201, "{req}");
        let partnered = app.sign_in("buyer@partnered.example").await;
        let (status, other) = send(
            app,
            &partnered,
            Method::POST,
            "/api/v1/access-requests",
            json!({"customer_number": "7034521"}),
        )
        .await;
        assert_eq!(status, 201, "{other}");

        let viewer = app.sign_in("viewer@nusantara.example").await;
        assert_eq!(
            app.get_as(&viewer, "/api/v1/sites/7034521/access-requests")
                .await
                .0,
            403,
            "not the primary contact"
        );
        assert_eq!(
            app.get_as(&partnered, "/api/v1/sites/7034521/access-requests")
                .await
                .0,
            404,
            "no access at all"
        );
        let primary = app.sign_in("primary@nusantara.example").await;
        let (status, list) = app
            .get_as(&primary, "/api/v1/sites/7034521/access-requests")
            .await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list.as_array().unwrap().len(), 2);
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .all(|r| r["status"] == "pending")
        );

        let decide = |id: &Value| format!("/api/v1/access-requests/{id}/decision");
        let (status, body) = send(
            app,
            &viewer,
            Method::POST,
            &decide(&req["id"]),
            json!({"approve": true}),
        )
        .await;
        assert_eq!(status, 403, "{body}");
        let privileges = json!({"buy": false, "view_quotes": true, "view_orders": false});
        let (status, body) = send(
            app,
            &primary,
            Method::POST,
            &decide(&req["id"]),
            json!({"approve": true, "privileges": privileges}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "approved");
        let (status, _) = send(
            app,
            &primary,
            Method::POST,
            &decide(&req["id"]),
            json!({"approve": false}),
        )
        .await;
        assert_eq!(status, 409, "decided once");
        let (status, body) = send(
            app,
            &primary,
            Method::POST,
            &decide(&other["id"]),
            json!({"approve": false}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "rejected");

        // The approved user now sees the site, with exactly the privileges granted.
        let express = app.sign_in("buyer@express.example").await;
        let jakarta = express.body["sites"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["customer_number"] == "7034521")
            .cloned()
            .expect("access granted");
        assert_eq!(jakarta["privileges"], privileges);
        let (_, users) = app.get_as(&primary, "/api/v1/sites/7034521/users").await;
        let granted = users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["email"] == "buyer@express.example")
            .unwrap()
            .clone();
        let (status, changed) = send(
            app,
            &primary,
            Method::PUT,
            &format!(
                "/api/v1/sites/7034521/users/{}/privileges",
                granted["user_id"]
            ),
            json!({"buy": true, "view_quotes": true, "view_orders": true}),
        )
        .await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(changed["privileges"]["buy"], true);
        let me = users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["primary"] == true)
            .unwrap()
            .clone();
        let (status, _) = send(
            app,
            &primary,
            Method::PUT,
            &format!("/api/v1/sites/7034521/users/{}/privileges", me["user_id"]),
            json!({"buy": false, "view_quotes": false, "view_orders": false}),
        )
        .await;
        assert_eq!(status, 409, "a primary contact keeps every privilege");
        let mails: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'access_decision'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(mails, 2);

        // Admins read every decision and privilege change in the audit log; nobody else can.
        assert_eq!(app.get_as(&primary, "/api/v1/desk/audit").await.0, 403);
        assert_eq!(
            app.get_as(
                &app.sign_in("renewals@entitle.example").await,
                "/api/v1/desk/audit"
            )
            .await
            .0,
            403
        );
        let admin = app.sign_in("admin@entitle.example").await;
        let (status, log) = app
            .get_as(&admin, "/api/v1/desk/audit?action=access.")
            .await;
        assert_eq!(status, 200, "{log}");
        let actions: Vec<&str> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["access.reject", "access.approve"], "newest first");
        assert_eq!(log[1]["actor"], "primary@nusantara.example");
        assert!(
            log[1]["detail"]
                .as_str()
                .unwrap()
                .contains("quotes and renewals yes")
        );
        let (_, changes) = app
            .get_as(&admin, "/api/v1/desk/audit?action=privileges.")
            .await;
        assert_eq!(changes.as_array().unwrap().len(), 1);
        let (_, page) = app.get_as(&admin, "/api/v1/desk/audit?limit=1").await;
        assert_eq!(page.as_array().unwrap().len(), 1);
        let before = page[0]["id"].as_i64().unwrap();
        let (_, next) = app
            .get_as(
                &admin,
                &format!("/api/v1/desk/audit?limit=1&before={before}"),
            )
            .await;
        assert!(next[0]["id"].as_i64().unwrap() < before);
    }
);

/// Puts one catalog licence in Austin's cart and pays by `card`; returns the order reference.
async fn card_order(app: &common::TestApp, s: &common::Session, card: &str) -> String {
    let (_, parts) = app
        .get_json("/api/v1/catalog/parts?part_type=license_sns&per_page=1")
        .await;
    let part = parts["items"][0]["part_number"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, cart) = send(
        app,
        s,
        Method::POST,
        "/api/v1/cart/lines",
        json!({"site": "8812001", "part_number": part, "quantity": 1}),
    )
    .await;
    assert_eq!(status, 201, "{cart}");
    let body = json!({
        "site": "8812001",
        "billing": {
            "address": { "name": "Express Labs", "line1": "500 Congress Ave", "city": "Austin", "region": "TX", "postal_code": "78701", "country": "US" },
            "contact_name": "Jordan Reyes", "email": "buyer@express.example", "phone": "", "tax_id": ""
        },
        "accept_terms": true,
        "terms_version": "2026-01",
        "payment": {"method": "card", "number": card, "exp_month": "12", "exp_year": "2030", "security_code": "123", "name": "Jordan Reyes"}
    });
    let res = app
        .with(s, Method::POST, "/api/v1/orders")
        .header("idempotency-key", format!("k-{}", rand::random::<u64>()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let order: Value = res.json().await.unwrap();
    order["reference"].as_str().unwrap().to_owned()
}

on_both_backends!(
    cancelling_a_card_order_refunds_it_once_and_a_failed_refund_is_retried_until_paid,
    |app| {
        let customer = app.sign_in("buyer@express.example").await;
        let rep = app.sign_in("renewals@entitle.example").await;
        let cancel = json!({"status": "cancelled", "reason": "Customer asked"});

        let paid = card_order(app, &customer, "4111 1111 1111 1111").await;
        let (status, body) = send(
            app,
            &rep,
            Method::POST,
            &format!("/api/v1/desk/orders/{paid}/status"),
            cancel.clone(),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["payment"]["refunded"], true);
        assert_eq!(body["payment"]["refund_pending"], false);
        assert_eq!(app.sandbox.charges()[&paid].refunds.len(), 1);
        let mail: String = sqlx::query_scalar(
            "SELECT body FROM outbox WHERE kind = 'order_status' AND subject LIKE $1",
        )
        .bind(format!("Order {paid}%"))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(mail.contains("the card payment is refunded"), "{mail}");
        // Cancelling again is refused, and refunds nothing more.
        let (status, _) = send(
            app,
            &rep,
            Method::POST,
            &format!("/api/v1/desk/orders/{paid}/status"),
            cancel.clone(),
        )
        .await;
        assert_eq!(status, 409);
        assert_eq!(app.sandbox.charges()[&paid].refunds.len(), 1);

        // The processor's refunds are down: the cancellation stands, the refund waits.
        let stuck = card_order(app, &customer, "4111 1111 1111 1111").await;
        app.sandbox.fail_refunds(true);
        let (status, body) = send(
            app,
            &rep,
            Method::POST,
            &format!("/api/v1/desk/orders/{stuck}/status"),
            cancel,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "cancelled");
        assert_eq!(body["payment"]["refunded"], false);
        assert_eq!(body["payment"]["refund_pending"], true);
        let (_, seen) = app
            .get_as(&customer, &format!("/api/v1/orders/{stuck}"))
            .await;
        assert_eq!(seen["payment"]["refund_pending"], true);
        app.hand.advance(time::Duration::minutes(2));
        let report = entitle_server::reconcile::run_once(&app.state)
            .await
            .unwrap();
        assert_eq!((report.refunded, report.failed), (0, 1));
        assert!(app.sandbox.charges()[&stuck].refunds.is_empty());

        // Back up: the next pass pays it, once, and the one after has nothing to do.
        app.sandbox.fail_refunds(false);
        let report = entitle_server::reconcile::run_once(&app.state)
            .await
            .unwrap();
        assert_eq!((report.refunded, report.failed), (1, 0));
        let report = entitle_server::reconcile::run_once(&app.state)
            .await
            .unwrap();
        assert_eq!(report, entitle_server::reconcile::Report::default());
        assert_eq!(app.sandbox.charges()[&stuck].refunds.len(), 1);
        let (_, seen) = app
            .get_as(&customer, &format!("/api/v1/orders/{stuck}"))
            .await;
        assert_eq!(seen["payment"]["refunded"], true);
        assert_eq!(seen["payment"]["refund_pending"], false);
        let attempts: i64 = sqlx::query_scalar(
            "SELECT attempts FROM refunds WHERE status = 'done' ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(attempts, 2, "the request's try and the first pass failed");
    }
);

on_both_backends!(
    cancelling_a_renewal_order_gives_the_quote_back_to_the_customer,
    |app| {
        let customer = app.sign_in("primary@nusantara.example").await;
        let (_, groups) = app.get_as(&customer, "/api/v1/renewals").await;
        let quote = groups[0]["quotes"][1]["quote_number"]
            .as_str()
            .unwrap()
            .to_owned();
        let site = groups[0]["quotes"][1]["customer_number"]
            .as_str()
            .unwrap()
            .to_owned();
        let (status, _) = send(
            app,
            &customer,
            Method::POST,
            "/api/v1/cart/renewal",
            json!({"quote_number": quote}),
        )
        .await;
        assert_eq!(status, 201);
        let (status, order) = place_with_po(app, &customer, &site).await;
        assert_eq!(status, 201, "{order}");
        let reference = order["reference"].as_str().unwrap().to_owned();
        let (_, detail) = app
            .get_as(&customer, &format!("/api/v1/renewals/{quote}"))
            .await;
        assert_eq!(detail["summary"]["status"], "ordered");

        let rep = app.sign_in("renewals@entitle.example").await;
        let (status, body) = send(
            app,
            &rep,
            Method::POST,
            &format!("/api/v1/desk/orders/{reference}/status"),
            json!({"status": "cancelled", "reason": "Wrong PO number"}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let (_, detail) = app
            .get_as(&customer, &format!("/api/v1/renewals/{quote}"))
            .await;
        assert_eq!(
            detail["summary"]["status"], "issued",
            "open to the customer again"
        );
        let mail: String = sqlx::query_scalar(
            "SELECT body FROM outbox WHERE kind = 'order_status' AND subject LIKE $1",
        )
        .bind(format!("Order {reference}%"))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(
            mail.contains(&format!("Renewal quote {quote} is open again")),
            "{mail}"
        );
        let (status, cart) = send(
            app,
            &customer,
            Method::POST,
            "/api/v1/cart/renewal",
            json!({"quote_number": quote}),
        )
        .await;
        assert_eq!(status, 201, "it can be renewed again: {cart}");
    }
);

on_both_backends!(
    a_quote_left_alone_expires_at_the_engines_next_run_and_the_rep_can_quote_again,
    |app| {
        let customer = app.sign_in("primary@nusantara.example").await;
        let rep = app.sign_in("sales@entitle.example").await;
        let number = request_a_quote(app, &customer).await;
        let until = entitle_core::dates::format(app.today() + time::Duration::days(2));
        let path = format!("/api/v1/desk/quote-requests/{number}/quote");
        let terms = json!({"discount_percent": "5", "valid_until": until});
        let (status, body) = send(app, &rep, Method::POST, &path, terms).await;
        assert_eq!(status, 200, "{body}");
        let engine = entitle_server::engine::Engine::new(
            app.db.clone(),
            app.clock.clone(),
            common::PUBLIC_URL,
        );
        let stored = || async {
            sqlx::query_scalar::<_, String>("SELECT status FROM quote_requests WHERE number = $1")
                .bind(&number)
                .fetch_one(&app.db.pool)
                .await
                .unwrap()
        };
        // On its last valid day nothing happens to it.
        app.hand.advance(time::Duration::days(2));
        engine.run_once().await.unwrap();
        assert_eq!(stored().await, "quoted");
        // The day after, the engine writes the expiry and audits it.
        app.hand.advance(time::Duration::days(1));
        let report = engine.run_once().await.unwrap();
        assert!(report.expired >= 1, "{report:?}");
        assert_eq!(stored().await, "expired");
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'quote_request.expire' AND subject = $1",
        )
        .bind(&number)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(audited, 1);
        let customer = app.sign_in("primary@nusantara.example").await;
        let (status, body) = send(
            app,
            &customer,
            Method::POST,
            &format!("/api/v1/quote-requests/{number}/accept"),
            json!({}),
        )
        .await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["error"]["code"], "quote.expired");
        // The rep quotes again from today: the customer can accept it.
        let rep = app.sign_in("sales@entitle.example").await;
        let until = entitle_core::dates::format(app.today() + time::Duration::days(30));
        let terms = json!({"discount_percent": "5", "valid_until": until});
        let (status, body) = send(app, &rep, Method::POST, &path, terms).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "quoted");
        let (status, body) = send(
            app,
            &customer,
            Method::POST,
            &format!("/api/v1/quote-requests/{number}/accept"),
            json!({}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(stored().await, "accepted");
    }
);

on_both_backends!(
    the_order_queue_is_paged_and_found_by_reference_customer_number_or_site_name,
    |app| {
        let buyer = app.sign_in("buyer@express.example").await;
        let mut placed = Vec::new();
        for _ in 0..3 {
            placed.push(card_order(app, &buyer, "4111 1111 1111 1111").await);
        }
        let admin = app.sign_in("admin@entitle.example").await;
        let refs = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|o| o["reference"].as_str().unwrap().to_owned())
                .collect()
        };

        // Pages of two, oldest first, that do not overlap and together hold every order of the site.
        let (status, first) = app
            .get_as(&admin, "/api/v1/desk/orders?q=8812001&limit=2")
            .await;
        assert_eq!(status, 200, "{first}");
        let (_, second) = app
            .get_as(&admin, "/api/v1/desk/orders?q=8812001&limit=2&offset=2")
            .await;
        let (first, second) = (refs(&first), refs(&second));
        assert_eq!(first.len(), 2);
        assert!(!second.is_empty() && second.len() <= 2);
        assert!(first.iter().all(|r| !second.contains(r)));
        let (_, all) = app.get_as(&admin, "/api/v1/desk/orders?q=8812001").await;
        let all = refs(&all);
        assert_eq!(all[..2], first[..]);
        for r in &placed {
            assert!(all.contains(r), "{r} in {all:?}");
        }

        // One reference, typed in any case, finds that order alone.
        let (_, one) = app
            .get_as(
                &admin,
                &format!("/api/v1/desk/orders?q={}", placed[1].to_lowercase()),
            )
            .await;
        assert_eq!(refs(&one), [placed[1].clone()]);

        // Part of the site's name, in another case, finds its orders and no other site's.
        let site_name = one[0]["site_name"].as_str().unwrap().to_owned();
        let word: String = site_name
            .split_whitespace()
            .max_by_key(|w| w.len())
            .unwrap()
            .to_uppercase();
        let (_, by_name) = app
            .get_as(
                &admin,
                &format!("/api/v1/desk/orders?q={}", urlencode(&word)),
            )
            .await;
        let by_name = by_name.as_array().unwrap();
        assert!(by_name.len() >= 3);
        assert!(by_name.iter().all(|o| {
            o["site_name"]
                .as_str()
                .unwrap()
                .to_uppercase()
                .contains(&word)
        }));

        // A wildcard is text, not a pattern; an overlong search is refused with a reason.
        let (_, none) = app.get_as(&admin, "/api/v1/desk/orders?q=%25").await;
        assert_eq!(none.as_array().unwrap().len(), 0, "{none}");
        let (status, body) = app
            .get_as(
                &admin,
                &format!("/api/v1/desk/orders?q={}", "x".repeat(101)),
            )
            .await;
        assert_eq!(status, 422, "{body}");
    }
);

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
