//! The authorization matrix: every endpoint that reads or changes customer data, tried by every other
//! account on another customer's objects, answers 404 (never the object), and without a session 401.

mod common;

use reqwest::Method;
use serde_json::{Value, json};

struct Owned {
    quote: String,
    cart_line: i64,
    saved_cart: i64,
    quote_request: String,
    order: String,
}

/// Makes one of each object for the Nusantara primary contact at site 7034521.
async fn objects_of_nusantara(app: &common::TestApp) -> Owned {
    let s = app.sign_in("primary@nusantara.example").await;
    let send = |m: Method, path: &str, body: Value| {
        let req = app.with(&s, m, path).json(&body);
        async move {
            let res = req.send().await.unwrap();
            assert!(res.status().is_success(), "{}", res.status());
            res.json::<Value>().await.unwrap_or(Value::Null)
        }
    };
    let (_, list) = app
        .get_json("/api/v1/catalog/parts?part_type=license_sns&per_page=1")
        .await;
    let part = list["items"][0]["part_number"].as_str().unwrap().to_owned();
    let (_, groups) = app.get_as(&s, "/api/v1/renewals").await;
    let quote = groups[0]["quotes"][0]["quote_number"]
        .as_str()
        .unwrap()
        .to_owned();
    // An order, a saved cart, a quote request, and a line left in the cart.
    send(
        Method::POST,
        "/api/v1/cart/lines",
        json!({"site": "7034521", "part_number": part, "quantity": 1}),
    )
    .await;
    let order = app
        .with(&s, Method::POST, "/api/v1/orders")
        .header("idempotency-key", "authz")
        .json(&json!({
            "site": "7034521",
            "billing": {"address": {"name": "PT", "line1": "Jl. 1", "city": "Jakarta", "region": "DKI", "postal_code": "12190", "country": "ID"},
                        "contact_name": "Dewi", "email": "dewi@nusantara.example", "tax_id": "0123456789012345"},
            "accept_terms": true, "terms_version": "2026-01",
            "payment": {"method": "bank_transfer"}
        }))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    send(
        Method::POST,
        "/api/v1/cart/lines",
        json!({"site": "7034521", "part_number": part, "quantity": 2}),
    )
    .await;
    let saved = send(
        Method::POST,
        "/api/v1/carts",
        json!({"site": "7034521", "name": "mine"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    send(
        Method::POST,
        "/api/v1/cart/lines",
        json!({"site": "7034521", "part_number": part, "quantity": 3}),
    )
    .await;
    let qr = send(
        Method::POST,
        "/api/v1/quote-requests",
        json!({"site": "7034521"}),
    )
    .await["number"]
        .as_str()
        .unwrap()
        .to_owned();
    let cart = send(
        Method::POST,
        "/api/v1/cart/lines",
        json!({"site": "7034521", "part_number": part, "quantity": 4}),
    )
    .await;
    let cart_line = cart["lines"][0]["id"].as_i64().unwrap();
    Owned {
        quote,
        cart_line,
        saved_cart: saved,
        quote_request: qr,
        order,
    }
}

fn requests(o: &Owned) -> Vec<(Method, String, Value)> {
    vec![
        (
            Method::GET,
            format!("/api/v1/renewals/{}", o.quote),
            Value::Null,
        ),
        (
            Method::POST,
            format!("/api/v1/renewals/{}/channel", o.quote),
            json!({"channel": "renewal_rep"}),
        ),
        (
            Method::POST,
            "/api/v1/cart/renewal".into(),
            json!({"quote_number": o.quote}),
        ),
        (Method::GET, "/api/v1/cart?site=7034521".into(), Value::Null),
        (
            Method::GET,
            "/api/v1/checkout?site=7034521".into(),
            Value::Null,
        ),
        (
            Method::GET,
            "/api/v1/carts?site=7034521".into(),
            Value::Null,
        ),
        (
            Method::POST,
            "/api/v1/cart/lines".into(),
            json!({"site": "7034521", "part_number": "D0000LL", "quantity": 1}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/cart/lines/{}", o.cart_line),
            json!({"quantity": 9}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/cart/lines/{}", o.cart_line),
            Value::Null,
        ),
        (
            Method::POST,
            format!("/api/v1/carts/{}/open", o.saved_cart),
            json!({}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/carts/{}", o.saved_cart),
            Value::Null,
        ),
        (
            Method::GET,
            format!("/api/v1/quote-requests/{}", o.quote_request),
            Value::Null,
        ),
        (
            Method::GET,
            format!("/api/v1/orders/{}", o.order),
            Value::Null,
        ),
        (
            Method::GET,
            "/api/v1/catalog/parts?site=7034521".into(),
            Value::Null,
        ),
    ]
}

async fn call(
    app: &common::TestApp,
    s: Option<&common::Session>,
    m: &Method,
    path: &str,
    body: &Value,
) -> (u16, Value) {
    let mut req = match s {
        Some(s) => app.with(s, m.clone(), path),
        None => app.client.request(m.clone(), app.url(path)),
    };
    if !body.is_null() {
        req = req.json(body);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

on_both_backends!(no_account_reaches_another_customers_objects, |app| {
    let owned = objects_of_nusantara(app).await;
    for stranger in ["buyer@express.example", "buyer@partnered.example"] {
        let s = app.sign_in(stranger).await;
        for (m, path, body) in requests(&owned) {
            let (status, answer) = call(app, Some(&s), &m, &path, &body).await;
            assert_eq!(status, 404, "{stranger} {m} {path}: {answer}");
            assert_eq!(
                answer["error"]["code"], "not_found",
                "{stranger} {m} {path}"
            );
        }
    }
    // Nothing was changed by the attempts.
    let owner = app.sign_in("primary@nusantara.example").await;
    let (_, cart) = app.get_as(&owner, "/api/v1/cart?site=7034521").await;
    assert_eq!(cart["lines"][0]["quantity"], 4);
    let (_, saved) = app.get_as(&owner, "/api/v1/carts?site=7034521").await;
    assert_eq!(saved.as_array().unwrap().len(), 1);
});

on_both_backends!(a_view_only_user_reads_but_cannot_buy_at_their_site, |app| {
    let owned = objects_of_nusantara(app).await;
    let v = app.sign_in("viewer@nusantara.example").await;
    assert_eq!(
        app.get_as(&v, &format!("/api/v1/renewals/{}", owned.quote))
            .await
            .0,
        200
    );
    assert_eq!(
        app.get_as(&v, &format!("/api/v1/orders/{}", owned.order))
            .await
            .0,
        200
    );
    for (m, path, body) in requests(&owned) {
        let (status, answer) = call(app, Some(&v), &m, &path, &body).await;
        let read_only = m == Method::GET
            && (path.starts_with("/api/v1/renewals/")
                || path.starts_with("/api/v1/orders/")
                || path.starts_with("/api/v1/quote-requests/")
                || path.starts_with("/api/v1/catalog"));
        if read_only {
            assert_eq!(status, 200, "{m} {path}: {answer}");
        } else {
            assert!(
                status == 403 || status == 404,
                "{m} {path}: {status} {answer}"
            );
        }
    }
});

on_both_backends!(staff_have_no_cart_but_read_the_customers_they_own, |app| {
    let owned = objects_of_nusantara(app).await;
    for email in [
        "sales@entitle.example",
        "renewals@entitle.example",
        "admin@entitle.example",
    ] {
        let s = app.sign_in(email).await;
        assert_eq!(
            app.get_as(&s, &format!("/api/v1/renewals/{}", owned.quote))
                .await
                .0,
            200,
            "{email}"
        );
        assert_eq!(
            app.get_as(&s, &format!("/api/v1/orders/{}", owned.order))
                .await
                .0,
            200,
            "{email}"
        );
        assert_eq!(
            app.get_as(
                &s,
                &format!("/api/v1/quote-requests/{}", owned.quote_request)
            )
            .await
            .0,
            200,
            "{email}"
        );
        let (status, _) = call(
            app,
            Some(&s),
            &Method::GET,
            "/api/v1/cart?site=7034521",
            &Value::Null,
        )
        .await;
        assert_eq!(status, 403, "{email}");
    }
});

on_both_backends!(
    without_a_session_every_protected_endpoint_answers_401,
    |app| {
        let owned = objects_of_nusantara(app).await;
        for (m, path, body) in requests(&owned) {
            if path.starts_with("/api/v1/catalog") {
                continue; // the catalog is public
            }
            let (status, answer) = call(app, None, &m, &path, &body).await;
            assert_eq!(status, 401, "{m} {path}");
            assert_eq!(answer["error"]["code"], "unauthorized");
        }
        for (m, path) in [
            (Method::GET, "/api/v1/orders"),
            (Method::GET, "/api/v1/coverage"),
            (Method::GET, "/api/v1/quote-requests"),
            (Method::POST, "/api/v1/orders"),
            (Method::POST, "/api/v1/carts"),
        ] {
            let (status, _) = call(app, None, &m, path, &json!({})).await;
            assert_eq!(status, 401, "{m} {path}");
        }
    }
);
