//! Black-box tests of the real server on a real socket, each run on SQLite and on PostgreSQL.

mod common;

use serde_json::Value;
use sqlx::Row;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn items(body: &Value) -> &Vec<Value> {
    body["items"].as_array().expect("items array")
}

on_both_backends!(health_reports_ok_and_names_the_backend, |app| {
    let (status, body) = app.get_json("/api/v1/health").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], app.db.backend.name());
});

on_both_backends!(
    a_catalog_search_returns_only_parts_containing_every_word,
    |app| {
        let (status, body) = app
            .get_json("/api/v1/catalog/parts?q=Guardian%20pvu&per_page=100")
            .await;
        assert_eq!(status, 200);
        let parts = items(&body);
        assert!(!parts.is_empty());
        assert_eq!(body["total"].as_u64().unwrap(), parts.len() as u64);
        for p in parts {
            let d = p["description"].as_str().unwrap();
            assert!(d.contains("Guardian") && d.contains("(PVU)"), "{d}");
            assert_eq!(p["metric"], "pvu");
            assert_eq!(p["level"], "BL");
            assert_eq!(p["price"]["currency"], "USD");
            assert_eq!(p["price"], p["list_price"]);
        }
    }
);

on_both_backends!(catalog_pages_cover_every_match_exactly_once, |app| {
    let (_, first) = app
        .get_json("/api/v1/catalog/parts?category=Storage&per_page=100")
        .await;
    let total = first["total"].as_u64().unwrap();
    assert!(total > 100, "Storage has {total} parts");
    let mut seen = std::collections::HashSet::new();
    let mut page = 1;
    loop {
        let (_, body) = app
            .get_json(&format!(
                "/api/v1/catalog/parts?category=Storage&per_page=100&page={page}"
            ))
            .await;
        let parts = items(&body);
        if parts.is_empty() {
            break;
        }
        for p in parts {
            assert_eq!(p["category"], "Storage");
            assert!(
                seen.insert(p["part_number"].as_str().unwrap().to_owned()),
                "duplicate {}",
                p["part_number"]
            );
        }
        page += 1;
    }
    assert_eq!(seen.len() as u64, total);
});

on_both_backends!(catalog_filters_by_licence_type_and_metric, |app| {
    let (_, body) = app
        .get_json("/api/v1/catalog/parts?part_type=subscription&metric=install&per_page=100")
        .await;
    let parts = items(&body);
    assert!(!parts.is_empty());
    for p in parts {
        assert_eq!(p["part_type"], "subscription");
        assert_eq!(p["metric"], "install");
    }
});

on_both_backends!(sorting_by_price_orders_the_results, |app| {
    for (sort, ascending) in [("price_asc", true), ("price_desc", false)] {
        let (_, body) = app
            .get_json(&format!(
                "/api/v1/catalog/parts?q=vault&sort={sort}&per_page=100&currency=IDR"
            ))
            .await;
        let prices: Vec<rust_decimal::Decimal> = items(&body)
            .iter()
            .map(|p| p["price"]["amount"].as_str().unwrap().parse().unwrap())
            .collect();
        assert!(prices.len() > 2);
        assert!(
            prices.windows(2).all(|w| if ascending {
                w[0] <= w[1]
            } else {
                w[0] >= w[1]
            }),
            "{sort}: {prices:?}"
        );
    }
});

on_both_backends!(
    search_text_with_like_wildcards_matches_them_literally,
    |app| {
        let (status, body) = app.get_json("/api/v1/catalog/parts?q=%25").await;
        assert_eq!(status, 200);
        assert_eq!(body["total"], 0);
        let (_, body) = app.get_json("/api/v1/catalog/parts?q=_").await;
        assert_eq!(body["total"], 0);
    }
);

on_both_backends!(a_part_is_found_by_its_number_in_any_case, |app| {
    let (_, list) = app.get_json("/api/v1/catalog/parts?per_page=1").await;
    let pn = list["items"][0]["part_number"].as_str().unwrap().to_owned();
    let (status, part) = app
        .get_json(&format!(
            "/api/v1/catalog/parts/{}?currency=EUR",
            pn.to_lowercase()
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(part["part_number"], pn.as_str());
    assert_eq!(part["price"]["currency"], "EUR");
});

on_both_backends!(bad_requests_get_the_one_error_shape, |app| {
    let cases = [
        ("/api/v1/catalog/parts?page=abc", 400, "bad_request"),
        ("/api/v1/catalog/parts?unknown=1", 400, "bad_request"),
        ("/api/v1/catalog/parts?part_type=nope", 400, "bad_request"),
        ("/api/v1/catalog/parts?per_page=1000", 422, "validation"),
        ("/api/v1/catalog/parts/TOOLONGPART", 422, "validation"),
        ("/api/v1/catalog/parts/ZZZZZZZ", 404, "not_found"),
        ("/api/v1/no-such-endpoint", 404, "not_found"),
    ];
    for (path, status, code) in cases {
        let (got, body) = app.get_json(path).await;
        assert_eq!(got, status, "{path}: {body}");
        assert_eq!(body["error"]["code"], code, "{path}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{path}"
        );
    }
    let (_, body) = app
        .get_json("/api/v1/catalog/parts?per_page=1000&page=0")
        .await;
    let fields = body["error"]["fields"].as_object().unwrap();
    assert!(
        fields.contains_key("per_page") && fields.contains_key("page"),
        "{body}"
    );
});

on_both_backends!(
    the_demo_data_holds_the_documented_customers_and_accounts,
    |app| {
        let pool = &app.db.pool;
        let orgs: Vec<String> = sqlx::query("SELECT name FROM organisations ORDER BY name")
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>("name"))
            .collect();
        assert_eq!(
            orgs,
            [
                "Cascade Robotics",
                "Express Labs",
                "PT Nusantara Data",
                "Partnered GmbH"
            ]
        );
        let nusantara_sites: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sites s JOIN organisations o ON o.id = s.organisation_id WHERE o.name = 'PT Nusantara Data'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
        assert_eq!(nusantara_sites, 3);
        for email in [
            "primary@nusantara.example",
            "viewer@nusantara.example",
            "buyer@express.example",
            "buyer@partnered.example",
            "buyer@cascade.example",
            "renewals@entitle.example",
            "sales@entitle.example",
            "admin@entitle.example",
        ] {
            let hash: String =
                sqlx::query_scalar("SELECT password_hash FROM users WHERE email = $1")
                    .bind(email)
                    .fetch_one(pool)
                    .await
                    .unwrap_or_else(|e| panic!("{email}: {e}"));
            assert!(
                entitle_server::password::verify("entitle-demo", &hash),
                "{email}"
            );
        }
        // Quotes exist exactly for the sites whose coverage ends within 90 days, with priced lines.
        let quoted: Vec<String> = sqlx::query(
        "SELECT s.customer_number FROM renewal_quotes q JOIN sites s ON s.id = q.site_id ORDER BY s.customer_number",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get::<String, _>("customer_number"))
    .collect();
        assert_eq!(
            quoted,
            [
                "7034521", "7034522", "7034523", "8812001", "8812014", "9120450"
            ]
        );
        let unpriced: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM renewal_quote_lines WHERE extended_minor <= 0",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(unpriced, 0);
        let lapsed: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM entitlements WHERE coverage_end < $1")
                .bind(entitle_server::db::format_date(app.today()))
                .fetch_one(pool)
                .await
                .unwrap();
        assert_eq!(lapsed, 4);
        // Loading again changes nothing.
        assert!(
            !entitle_server::db::demo::load_if_empty(&app.db, &app.clock, common::PUBLIC_URL)
                .await
                .unwrap()
        );
    }
);

on_both_backends!(
    the_app_is_served_precompressed_with_cache_headers_and_an_spa_fallback,
    |app| {
        let res = app
            .client
            .get(app.url("/"))
            .header("accept-encoding", "br")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-encoding"], "br");
        assert_eq!(res.headers()["cache-control"], "no-cache");
        let res = app
            .client
            .get(app.url("/catalog?q=x"))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-encoding"], "gzip");
        // A missing asset is a 404, not the app's index.html (a stale chunk must fail loudly).
        let missing = app.get("/assets/0123456789abcdef/gone.wasm").await;
        assert_eq!(missing.status(), 404);
        let res = app.get("/assets/0123456789abcdef/main.css").await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(res.headers()["content-type"], "text/css; charset=utf-8");
        // Revalidation: the same content answers 304 without a body; HEAD has the length, no body.
        let etag = res.headers()["etag"].clone();
        let again = app
            .client
            .get(app.url("/assets/0123456789abcdef/main.css"))
            .header("if-none-match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304);
        let head = app.client.head(app.url("/")).send().await.unwrap();
        assert_eq!(head.status(), 200);
        assert_eq!(head.headers()["content-type"], "text/html; charset=utf-8");
        assert_eq!(head.bytes().await.unwrap().len(), 0);
        let post = app
            .client
            .post(app.url("/index.html"))
            .send()
            .await
            .unwrap();
        assert_eq!(post.status(), 405);
        for h in [
            "content-security-policy",
            "x-content-type-options",
            "referrer-policy",
        ] {
            assert!(res.headers().contains_key(h), "{h} missing");
        }
        assert!(
            res.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'")
        );
        assert!(
            !res.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("unsafe-inline")
        );
    }
);

mod sqlite_only {
    use super::*;

    #[tokio::test]
    async fn a_sqlite_database_uses_wal_durable_commits_and_foreign_keys() {
        let db = common::TestDb::new(common::Kind::Sqlite).await;
        let pool = entitle_server::db::Db::open(&db.url, 2).await.unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&pool.pool)
            .await
            .unwrap();
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&pool.pool)
            .await
            .unwrap();
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&pool.pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(fk, 1);
        assert_eq!(sync, 2, "FULL");
        let bad = sqlx::query("INSERT INTO site_access (user_id, site_id) VALUES (999, 999)")
            .execute(&pool.pool)
            .await;
        assert!(bad.is_err(), "foreign keys are enforced");
    }

    #[tokio::test]
    async fn a_missing_sqlite_directory_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/nested/deeper/e.db", dir.path().display());
        entitle_server::db::Db::open(&url, 1).await.unwrap();
        assert!(dir.path().join("nested/deeper/e.db").is_file());
    }
}

on_both_backends!(
    a_signed_in_customer_sees_prices_at_their_level_in_their_sites_currency,
    |app| {
        let s = app.sign_in("primary@nusantara.example").await;
        let (status, body) = app
            .get_as(&s, "/api/v1/catalog/parts?q=guardian&currency=USD")
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            body["currency"], "IDR",
            "a customer always sees the site's currency"
        );
        assert_eq!(body["level"], "E");
        assert_eq!(body["site"], "7034521");
        let first = &items(&body)[0];
        let e_price: i64 = sqlx::query_scalar("SELECT unit_minor FROM part_prices WHERE part_number = $1 AND currency = 'IDR' AND level = 'E'")
        .bind(first["part_number"].as_str().unwrap())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let shown: rust_decimal::Decimal =
            first["price"]["amount"].as_str().unwrap().parse().unwrap();
        assert_eq!(shown, rust_decimal::Decimal::new(e_price, 2));
        assert_ne!(first["price"], first["list_price"]);
    }
);

on_both_backends!(an_express_customer_always_sees_list_price, |app| {
    let s = app.sign_in("buyer@express.example").await;
    let (_, body) = app.get_as(&s, "/api/v1/catalog/parts?q=guardian").await;
    assert_eq!(body["currency"], "USD");
    assert_eq!(body["level"], "BL");
    for p in items(&body) {
        assert_eq!(p["price"], p["list_price"]);
    }
});

on_both_backends!(
    a_customer_can_price_for_their_other_sites_but_not_another_customers,
    |app| {
        let s = app.sign_in("primary@nusantara.example").await;
        let (status, body) = app.get_as(&s, "/api/v1/catalog/parts?site=7034523").await;
        assert_eq!(status, 200);
        assert_eq!(body["site"], "7034523");
        let (status, body) = app.get_as(&s, "/api/v1/catalog/parts?site=8812001").await;
        assert_eq!(status, 404, "{body}");
        assert_eq!(body["error"]["code"], "not_found");
    }
);

on_both_backends!(
    renewal_parts_appear_only_where_the_site_holds_that_coverage,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        let (_, body) = app
            .get_as(
                &s,
                "/api/v1/catalog/parts?part_type=sns_renewal&per_page=100",
            )
            .await;
        let shown: std::collections::BTreeSet<String> = items(&body)
            .iter()
            .map(|p| p["part_number"].as_str().unwrap().to_owned())
            .collect();
        let held: std::collections::BTreeSet<String> = sqlx::query(
        "SELECT DISTINCT e.renewal_part FROM entitlements e JOIN sites s ON s.id = e.site_id WHERE s.customer_number = '8812001'",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get::<String, _>(0))
    .collect();
        assert!(!held.is_empty());
        assert_eq!(shown, held);
        // Visitors browse the whole public price list.
        let (_, all) = app
            .get_json("/api/v1/catalog/parts?part_type=sns_renewal&per_page=1")
            .await;
        assert!(all["total"].as_u64().unwrap() > held.len() as u64);
    }
);

on_both_backends!(oversized_and_malformed_bodies_get_the_error_shape, |app| {
    let s = app.sign_in("primary@nusantara.example").await;
    // A raw socket: announce a 2 MiB body and send only its first bytes. The server answers from
    // the announced length alone, so the test never races it over a body it refuses to read.
    let announced = 2 * 1024 * 1024;
    let mut sock = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let head = format!(
        "POST /api/v1/session HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\n\
         content-length: {announced}\r\nconnection: close\r\n\r\n{{\"email\": \"aaaa",
        app.addr
    );
    sock.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    // The server answers without waiting for the body, then closes the connection.
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        sock.read_to_end(&mut answer),
    )
    .await
    .expect("an answer before the body is sent")
    .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let json = &answer[answer.find("\r\n\r\n").expect("a body") + 4..];
    let body: Value = serde_json::from_str(json).unwrap();
    assert_eq!(body["error"]["code"], "payload_too_large");
    let cases = [
        (
            "{\"site\": \"7034521\", \"part_number\": \"D0ABCLL\", \"quantity\": \"two\"}",
            400,
        ),
        (
            "{\"site\": \"7034521\", \"part_number\": \"D0ABCLL\", \"quantity\": 1, \"price\": 1}",
            400,
        ),
        ("[1, 2, 3]", 400),
        (
            "{\"site\": \"7034521\", \"part_number\": \"bad!\", \"quantity\": 1}",
            400,
        ),
    ];
    for (body, status) in cases {
        let res = app
            .with(&s, reqwest::Method::POST, "/api/v1/cart/lines")
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), status, "{body}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["code"], "bad_request", "{body}");
    }
    let res = app
        .with(&s, reqwest::Method::POST, "/api/v1/cart/lines")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400, "a body without a JSON content type");
    let res = app
        .with(
            &s,
            reqwest::Method::PATCH,
            "/api/v1/cart/lines/not-a-number",
        )
        .json(&serde_json::json!({"quantity": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["error"]["code"], "bad_request");
});

on_both_backends!(
    the_full_text_search_finds_word_prefixes_and_ranks_the_best_match_first,
    |app| {
        let (_, some) = app
            .get_json("/api/v1/catalog/parts?part_type=license_sns&per_page=1&page=7")
            .await;
        let pn = some["items"][0]["part_number"].as_str().unwrap().to_owned();
        let (_, found) = app
            .get_json(&format!("/api/v1/catalog/parts?q={}", pn.to_lowercase()))
            .await;
        assert_eq!(found["items"][0]["part_number"], pn.as_str(), "{found}");
        let (_, prefix) = app
            .get_json("/api/v1/catalog/parts?q=guard&per_page=100")
            .await;
        let (_, whole) = app
            .get_json("/api/v1/catalog/parts?q=guardian&per_page=100")
            .await;
        assert_eq!(
            prefix["total"], whole["total"],
            "a word prefix finds the word"
        );
        let (_, none) = app.get_json("/api/v1/catalog/parts?q=uardian").await;
        assert_eq!(none["total"], 0, "matching starts at word boundaries");
        let (status, odd) = app
            .get_json("/api/v1/catalog/parts?q=%22guardian%22%20OR%20*%20NEAR(")
            .await;
        assert_eq!(status, 200, "search syntax in the text is taken literally");
        assert_eq!(odd["total"], 0, "{odd}");
    }
);

on_both_backends!(the_openapi_document_describes_every_endpoint, |app| {
    let (status, doc) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    // The document is built from the router (see the loop below), so there is no second list of
    // endpoints to keep in step; a few landmarks guard against the router losing a whole resource.
    let paths = doc["paths"].as_object().unwrap();
    for (method, path) in [
        ("get", "/api/v1/health"),
        ("get", "/api/v1/openapi.json"),
        ("post", "/api/v1/session"),
        ("get", "/api/v1/catalog/parts"),
        ("get", "/api/v1/renewals/{quote_number}"),
        ("post", "/api/v1/cart/lines"),
        ("post", "/api/v1/orders"),
        ("put", "/api/v1/orders/{reference}/po-document"),
        ("post", "/api/v1/desk/orders/{reference}/status"),
        (
            "put",
            "/api/v1/sites/{customer_number}/users/{user_id}/privileges",
        ),
    ] {
        assert!(
            paths[path][method].is_object(),
            "{method} {path} is not documented"
        );
    }
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path} has no responses"
            );
        }
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for s in [
        "ErrorBody",
        "CatalogPage",
        "CartView",
        "PlaceOrder",
        "OrderView",
        "RenewalQuoteDetail",
    ] {
        assert!(schemas.contains_key(s), "{s} schema missing");
    }
    assert_eq!(schemas["PartNumber"]["type"], "string");
    assert_eq!(schemas["OrderReference"]["type"], "string");
    // Every error code the server sends is listed, as its dotted string.
    let codes = serde_json::to_string(&schemas["ErrorCode"]).unwrap();
    for code in entitle_core::dto::ErrorCode::ALL {
        assert!(
            codes.contains(&format!("\"{code}\"")),
            "{code} missing from {codes}"
        );
    }
    assert!(doc["components"]["securitySchemes"]["session"].is_object());
    // The document is read from the router: every documented operation is routed (a made-up path
    // would reach the API's fallback, a wrong method would get 405).
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            let concrete = path
                .split('/')
                .map(|seg| if seg.starts_with('{') { "x" } else { seg })
                .collect::<Vec<_>>()
                .join("/");
            let res = app
                .client
                .request(method.to_uppercase().parse().unwrap(), app.url(&concrete))
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            let body = res.text().await.unwrap();
            assert_ne!(status, 405, "{method} {path} is documented but not routed");
            assert!(
                !(status == 404 && body.contains("API endpoint")),
                "{method} {path} is documented but not routed: {body}"
            );
        }
    }
    let res = app.get("/api/v1/no-such-endpoint").await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("API endpoint"));
});

on_both_backends!(
    hsts_and_secure_cookies_follow_the_setting_not_what_a_request_claims,
    |app| {
        // This app is configured for plain HTTP on 127.0.0.1: a request claiming HTTPS changes nothing.
        let claimed = app
            .client
            .get(app.url("/api/v1/health"))
            .header("x-forwarded-proto", "https")
            .send()
            .await
            .unwrap();
        assert!(!claimed.headers().contains_key("strict-transport-security"));
        assert_eq!(claimed.headers()["x-frame-options"], "DENY");
        let s = app.sign_in("primary@nusantara.example").await;
        assert!(s.cookie.starts_with("entitle_session="), "{}", s.cookie);
    }
);

mod secure_setting {
    use super::*;

    async fn secure_cookies_and_hsts_behind_a_plain_proxy(kind: common::Kind) {
        let db = common::TestDb::new(kind).await;
        // Secure is the default of the settings: behind a proxy that sets no X-Forwarded-Proto.
        let (app, _site) =
            common::spawn_app_with(&db, entitle_server::auth::AuthSettings::default()).await;
        let res = app.get("/api/v1/health").await;
        assert!(
            res.headers()["strict-transport-security"]
                .to_str()
                .unwrap()
                .starts_with("max-age=")
        );
        let res = app
            .client
            .post(app.url("/api/v1/session"))
            .json(&serde_json::json!({ "email": "primary@nusantara.example", "password": "entitle-demo" }))
            .send()
            .await
            .unwrap();
        let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(cookie.starts_with("__Host-entitle_session="), "{cookie}");
        assert!(
            cookie.contains("; Path=/;") && cookie.ends_with("; Secure"),
            "{cookie}"
        );
        assert!(!cookie.contains("Domain"), "{cookie}");
        // The prefixed cookie is the session; the old name is not read.
        let s = app.sign_in("primary@nusantara.example").await;
        assert_eq!(app.get_as(&s, "/api/v1/session").await.0, 200);
        let token = s.cookie.split_once('=').unwrap().1;
        let old_name = app
            .client
            .get(app.url("/api/v1/session"))
            .header("cookie", format!("entitle_session={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(old_name.status(), 401);
        app.db.pool.close().await;
        db.drop_db().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        secure_cookies_and_hsts_behind_a_plain_proxy(common::Kind::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        secure_cookies_and_hsts_behind_a_plain_proxy(common::Kind::Postgres).await;
    }
}

on_both_backends!(
    field_errors_are_written_in_the_language_the_request_asks_for,
    |app| {
        let message = |lang: &'static str, path: &'static str| async move {
            let res = app
                .client
                .get(app.url(path))
                .header("accept-language", lang)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 422);
            let body: Value = res.json().await.unwrap();
            (
                body["error"]["fields"]["part_number"][0]["code"].clone(),
                body["error"]["fields"]["part_number"][0]["message"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        };
        let (code_id, in_indonesian) =
            message("id-ID,id;q=0.9,en;q=0.8", "/api/v1/catalog/parts/ABC").await;
        let (code_en, in_english) = message("en-GB", "/api/v1/catalog/parts/ABC").await;
        let (_, by_default) = message("fr", "/api/v1/catalog/parts/ABC").await;
        assert_eq!(code_id, code_en, "the code does not depend on the language");
        assert_eq!(
            in_indonesian,
            "Nomor komponen terdiri dari 7 karakter, bukan 3"
        );
        assert!(
            in_english.contains('7') && in_english != in_indonesian,
            "{in_english}"
        );
        assert_eq!(by_default, in_english);

        let res = app
            .client
            .post(app.url("/api/v1/password-reset"))
            .header("accept-language", "id")
            .json(&serde_json::json!({"email": "  "}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let body: Value = res.json().await.unwrap();
        assert_eq!(
            body["error"]["fields"]["email"][0]["message"],
            "Masukkan alamat email Anda"
        );
    }
);

on_both_backends!(
    text_holding_the_nul_character_is_refused_before_it_reaches_the_database,
    |app| {
        let post = |path: &'static str, body: &'static str| async move {
            let res = app
                .client
                .post(app.url(path))
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap())
        };
        // In a JSON body (an escaped NUL), at sign-in and at a password reset.
        for (path, body) in [
            (
                "/api/v1/session",
                r#"{"email": "a\u0000@x.example", "password": "entitle-demo"}"#,
            ),
            (
                "/api/v1/password-reset",
                r#"{"email": "buyer@express.example\u0000"}"#,
            ),
        ] {
            let (status, error) = post(path, body).await;
            assert_eq!(status, 400, "{path}: {error}");
            assert_eq!(error["error"]["code"], "bad_request");
        }
        // A backslash a person typed before "u0000" is text like any other.
        let (status, _) = post(
            "/api/v1/session",
            r#"{"email": "a\\u0000@x.example", "password": "entitle-demo"}"#,
        )
        .await;
        assert_eq!(status, 401);

        // In the path and in the query.
        for path in [
            "/api/v1/catalog/parts/AB%00CDEF",
            "/api/v1/catalog/parts?q=guard%00ian",
            "/api/v1/renewals/RQ%002640001",
        ] {
            let (status, error) = app.get_json(path).await;
            assert_eq!(status, 400, "{path}: {error}");
            assert_eq!(error["error"]["code"], "bad_request");
        }
        let (status, _) = app.get_json("/api/v1/catalog/parts?q=100%25").await;
        assert_eq!(status, 200, "a percent sign is not a NUL");
    }
);

on_both_backends!(
    a_method_a_route_does_not_take_is_answered_in_the_api_error_shape,
    |app| {
        for method in [
            reqwest::Method::TRACE,
            reqwest::Method::DELETE,
            reqwest::Method::PUT,
        ] {
            let res = app
                .client
                .request(method.clone(), app.url("/api/v1/health"))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 405, "{method}");
            assert!(
                res.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("application/json"),
                "{method}"
            );
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["error"]["code"], "method_not_allowed", "{method}");
        }
    }
);

on_both_backends!(
    api_answers_are_never_stored_by_a_browser_or_proxy_but_static_files_are_cached,
    |app| {
        let customer = app.sign_in("primary@nusantara.example").await;
        for (path, session) in [
            ("/api/v1/health", None),
            ("/api/v1/session", Some(&customer)),
            ("/api/v1/cart?site=7034521", Some(&customer)),
            ("/api/v1/orders", None),
            ("/api/v1/no-such-thing", None),
        ] {
            let mut req = app.client.get(app.url(path));
            if let Some(s) = session {
                req = req.header("cookie", &s.cookie);
            }
            let res = req.send().await.unwrap();
            assert_eq!(
                res.headers()
                    .get("cache-control")
                    .map(|v| v.to_str().unwrap()),
                Some("no-store"),
                "{path} answered {}",
                res.status()
            );
        }
        let res = app.client.get(app.url("/")).send().await.unwrap();
        assert_ne!(
            res.headers()
                .get("cache-control")
                .map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "the app's own files may be cached"
        );
    }
);

/// Sends `request` as it is and reads the whole answer (the server closes the connection after these
/// errors): its status and its JSON body.
async fn raw_exchange(addr: std::net::SocketAddr, request: &[u8]) -> (u16, String, Value) {
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut read, mut write) = tcp.into_split();
    // The server may answer and stop reading before it has everything: send while reading.
    let request = request.to_vec();
    let sending = tokio::spawn(async move {
        let _ = write.write_all(&request).await;
        write
    });
    let mut answer = Vec::new();
    let read_all = read.read_to_end(&mut answer);
    tokio::time::timeout(std::time::Duration::from_secs(20), read_all)
        .await
        .expect("the server closes the connection after the answer")
        .ok();
    sending.abort();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").expect("a whole answer");
    let status = head[9..12].parse().expect("a status");
    let body = serde_json::from_str(body).unwrap_or(Value::Null);
    (status, head.to_owned(), body)
}

on_both_backends!(
    a_url_or_headers_too_long_to_read_are_answered_in_the_api_error_shape,
    |app| {
        // Over the router's 8 KiB, and over hyper's own 64 KiB (which hyper answers before the router).
        for length in [10_000, 100_000] {
            let request = format!(
                "GET /api/v1/catalog/parts?q={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "a".repeat(length)
            );
            let (status, head, body) = raw_exchange(app.addr, request.as_bytes()).await;
            assert_eq!(status, 414, "{length}: {head}");
            assert!(head.contains("content-type: application/json"), "{head}");
            assert_eq!(body["error"]["code"], "uri_too_long", "{length}");
        }
        let request = format!(
            "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: {}\r\n\r\n",
            "b".repeat(600_000)
        );
        let (status, _, body) = raw_exchange(app.addr, request.as_bytes()).await;
        assert_eq!(status, 431);
        assert_eq!(body["error"]["code"], "headers_too_large");
        let (status, _, body) = raw_exchange(app.addr, b"GET /\x01 nonsense\r\n\r\n").await;
        assert_eq!(status, 400);
        assert_eq!(body["error"]["code"], "bad_request");
        let (status, _) = app.get_json("/api/v1/health").await;
        assert_eq!(status, 200, "the server still answers");
    }
);

on_both_backends!(
    the_document_lists_part_types_metrics_and_levels_as_the_api_speaks_them,
    |app| {
        use entitle_core::catalog::{Metric, PartType, PriceLevel};
        let (status, doc) = app.get_json("/api/v1/openapi.json").await;
        assert_eq!(status, 200);
        let values = |name: &str| -> Vec<String> {
            doc["components"]["schemas"][name]["enum"]
                .as_array()
                .unwrap_or_else(|| panic!("{name} has enum values"))
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect()
        };
        let codes = |all: Vec<&str>| all.into_iter().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(
            values("PartType"),
            codes(PartType::ALL.iter().map(|p| p.code()).collect())
        );
        assert_eq!(
            values("Metric"),
            codes(Metric::ALL.iter().map(|m| m.code()).collect())
        );
        assert_eq!(
            values("PriceLevel"),
            codes(PriceLevel::ALL.iter().map(|l| l.code()).collect())
        );
        // The codes are what the catalog answers with.
        let (_, page) = app.get_json("/api/v1/catalog/parts?per_page=1").await;
        let part_type = page["items"][0]["part_type"].as_str().unwrap().to_owned();
        assert!(values("PartType").contains(&part_type), "{part_type}");
    }
);

on_both_backends!(
    the_filters_of_the_desk_lists_are_documented_as_query_parameters,
    |app| {
        let (_, doc) = app.get_json("/api/v1/openapi.json").await;
        for (path, names) in [
            (
                "/api/v1/desk/orders",
                vec!["status", "q", "offset", "limit"],
            ),
            ("/api/v1/desk/audit", vec!["before", "action", "limit"]),
        ] {
            let params = doc["paths"][path]["get"]["parameters"]
                .as_array()
                .unwrap_or_else(|| panic!("{path} has parameters"));
            for name in names {
                let p = params
                    .iter()
                    .find(|p| p["name"] == name)
                    .unwrap_or_else(|| panic!("{path} documents {name}"));
                assert_eq!(p["in"], "query", "{path} {name}");
            }
        }
    }
);
