//! The rep desk's API: the change-request queue and re-issuing a changed renewal quote, on both
//! databases, black-box over HTTP.

mod common;

use reqwest::Method;
use serde_json::{Value, json};

async fn send(
    app: &common::TestApp,
    s: &common::Session,
    method: Method,
    path: &str,
    body: Value,
) -> (u16, Value) {
    let res = app.with(s, method, path).json(&body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

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
