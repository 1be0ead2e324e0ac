//! Sign-in, sessions, lockout and CSRF, on both databases over a real socket.

mod common;

use serde_json::json;

async fn sign_in_raw(
    app: &common::TestApp,
    email: &str,
    password: &str,
) -> (u16, serde_json::Value) {
    let res = app
        .client
        .post(app.url("/api/v1/session"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

on_both_backends!(
    signing_in_sets_an_httponly_samesite_cookie_and_lists_the_users_sites,
    |app| {
        let res = app
            .client
            .post(app.url("/api/v1/session"))
            .json(&json!({ "email": " Primary@Nusantara.example ", "password": "entitle-demo" }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(cookie.starts_with("entitle_session="), "{cookie}");
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
                && cookie.contains("Path=/"),
            "{cookie}"
        );
        let token = cookie
            .split(';')
            .next()
            .unwrap()
            .trim_start_matches("entitle_session=");
        assert_eq!(token.len(), 64);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["role"], "customer");
        assert_eq!(body["name"], "Dewi Lestari");
        let sites: Vec<&str> = body["sites"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["customer_number"].as_str().unwrap())
            .collect();
        assert_eq!(sites, ["7034521", "7034522", "7034523"]);
        assert_eq!(
            body["sites"][0]["privileges"],
            json!({"buy": true, "view_quotes": true, "view_orders": true})
        );
        // Only the token's hash is stored.
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE token_hash = $1")
            .bind(token)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(stored, 0);
    }
);

on_both_backends!(
    the_current_session_is_returned_and_each_sign_in_gets_a_new_token,
    |app| {
        let a = app.sign_in("viewer@nusantara.example").await;
        let b = app.sign_in("viewer@nusantara.example").await;
        assert_ne!(a.cookie, b.cookie);
        assert_ne!(a.csrf, b.csrf);
        let (status, me) = app.get_as(&a, "/api/v1/session").await;
        assert_eq!(status, 200);
        assert_eq!(me["email"], "viewer@nusantara.example");
        assert_eq!(me["sites"].as_array().unwrap().len(), 1);
        assert_eq!(me["sites"][0]["privileges"]["buy"], false);
    }
);

on_both_backends!(
    a_wrong_password_and_an_unknown_email_get_the_same_answer,
    |app| {
        let (s1, b1) = sign_in_raw(app, "primary@nusantara.example", "wrong-password").await;
        let (s2, b2) = sign_in_raw(app, "nobody@nowhere.example", "wrong-password").await;
        assert_eq!((s1, s2), (401, 401));
        assert_eq!(b1, b2);
        assert_eq!(b1["error"]["code"], "invalid_credentials");
    }
);

on_both_backends!(empty_credentials_are_reported_per_field, |app| {
    let (status, body) = sign_in_raw(app, "", "x").await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["email"].is_array());
    let (status, body) = sign_in_raw(app, "a@b.example", "").await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["password"].is_array());
});

/// A sign-in from `client` (through the test proxy's `X-Forwarded-For`).
async fn sign_in_from(
    app: &common::TestApp,
    client: &str,
    email: &str,
    password: &str,
) -> (u16, Option<String>, serde_json::Value) {
    let res = app
        .client
        .post(app.url("/api/v1/session"))
        .header("x-forwarded-for", format!("10.9.9.9, {client}"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let retry = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, retry, res.json().await.unwrap())
}

on_both_backends!(
    failed_sign_ins_back_off_without_a_lock_and_unknown_addresses_get_the_same_answers,
    |app| {
        for email in ["buyer@express.example", "nobody@nowhere.example"] {
            for i in 1..=6 {
                let (status, body) = sign_in_raw(app, email, "not-it").await;
                assert_eq!(status, 401, "{email} attempt {i}: {body}");
            }
            let (status, body) = sign_in_raw(app, email, "not-it").await;
            assert_eq!(status, 429, "{email}");
            assert_eq!(body["error"]["code"], "too_many_attempts");
            assert!(
                body["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("30 seconds"),
                "{body}"
            );
        }
        // Even the right password waits out the back-off…
        let (status, _) = sign_in_raw(app, "buyer@express.example", "entitle-demo").await;
        assert_eq!(status, 429);
        // …which is short, and grows with each failure after it (30 s, then 60 s).
        app.hand.advance(time::Duration::seconds(31));
        let (status, _) = sign_in_raw(app, "buyer@express.example", "not-it").await;
        assert_eq!(status, 401);
        let (status, body) = sign_in_raw(app, "buyer@express.example", "entitle-demo").await;
        assert_eq!(status, 429);
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("60 seconds"),
            "{body}"
        );
        app.hand.advance(time::Duration::seconds(61));
        let (status, _) = sign_in_raw(app, "buyer@express.example", "entitle-demo").await;
        assert_eq!(status, 200, "then it signs in");
        // Other accounts were never affected.
        let (status, _) = sign_in_raw(app, "buyer@partnered.example", "entitle-demo").await;
        assert_eq!(status, 200);
        // Failures are forgotten an hour after the last one.
        for _ in 0..5 {
            sign_in_raw(app, "buyer@cascade.example", "not-it").await;
        }
        app.hand.advance(time::Duration::minutes(61));
        for i in 1..=6 {
            let (status, _) = sign_in_raw(app, "buyer@cascade.example", "not-it").await;
            assert_eq!(status, 401, "attempt {i} after the decay");
        }
    }
);

on_both_backends!(
    parallel_guesses_are_counted_before_any_password_is_checked,
    |app| {
        let guesses = (0..20).map(|i| {
            sign_in_raw(
                app,
                "buyer@express.example",
                if i == 19 { "entitle-demo" } else { "not-it" },
            )
        });
        let answers = futures_util::future::join_all(guesses).await;
        let checked = answers.iter().filter(|(s, _)| *s != 429).count();
        assert_eq!(
            checked, 6,
            "five free attempts and the one that starts the back-off: {answers:?}"
        );
    }
);

on_both_backends!(a_successful_sign_in_resets_the_failure_count, |app| {
    for _ in 0..5 {
        sign_in_raw(app, "buyer@partnered.example", "not-it").await;
    }
    app.sign_in("buyer@partnered.example").await;
    for _ in 0..6 {
        let (status, _) = sign_in_raw(app, "buyer@partnered.example", "not-it").await;
        assert_eq!(status, 401);
    }
});

on_both_backends!(
    a_stranger_failing_on_purpose_does_not_keep_the_owner_out,
    spawn = common::spawn_app_behind_proxy,
    |app| {
        for _ in 0..7 {
            sign_in_from(app, "198.51.100.1", "admin@entitle.example", "guess").await;
        }
        let (status, retry, _) =
            sign_in_from(app, "198.51.100.1", "admin@entitle.example", "guess").await;
        assert_eq!(status, 429);
        assert!(retry.unwrap().parse::<i64>().unwrap() >= 1);
        let (status, _, body) =
            sign_in_from(app, "203.0.113.5", "admin@entitle.example", "entitle-demo").await;
        assert_eq!(
            status, 202,
            "the owner, from their own address, gets to the second step: {body}"
        );
    }
);

on_both_backends!(
    one_address_gets_ten_sign_in_attempts_a_minute_whatever_the_accounts,
    spawn = common::spawn_app_behind_proxy,
    |app| {
        for i in 0..10 {
            let (status, _, _) = sign_in_from(
                app,
                "198.51.100.2",
                &format!("user{i}@spray.example"),
                "guess",
            )
            .await;
            assert_eq!(status, 401, "attempt {i}");
        }
        let (status, retry, body) =
            sign_in_from(app, "198.51.100.2", "user99@spray.example", "guess").await;
        assert_eq!(status, 429, "{body}");
        assert!(retry.is_some());
        let (status, _, _) =
            sign_in_from(app, "198.51.100.3", "buyer@express.example", "entitle-demo").await;
        assert_eq!(status, 200, "another address is not held up");
    }
);

on_both_backends!(
    without_a_session_protected_endpoints_answer_401_in_the_error_shape,
    |app| {
        let (status, body) = app.get_json("/api/v1/session").await;
        assert_eq!(status, 401);
        assert_eq!(body["error"]["code"], "unauthorized");
        let res = app
            .client
            .get(app.url("/api/v1/session"))
            .header("cookie", "entitle_session=forged")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
    }
);

on_both_backends!(
    signing_out_needs_the_csrf_token_and_ends_the_session,
    |app| {
        let s = app.sign_in("primary@nusantara.example").await;
        let res = app
            .client
            .delete(app.url("/api/v1/session"))
            .header("cookie", &s.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "csrf");
        let res = app
            .client
            .delete(app.url("/api/v1/session"))
            .header("cookie", &s.cookie)
            .header("x-csrf-token", "wrong")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let res = app
            .with(&s, reqwest::Method::DELETE, "/api/v1/session")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 204);
        assert!(
            res.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
        let (status, _) = app.get_as(&s, "/api/v1/session").await;
        assert_eq!(status, 401);
    }
);

mod timeouts {
    use super::*;
    use entitle_server::auth::AuthSettings;

    async fn idle_session_ends(kind: common::Kind) {
        let db = common::TestDb::new(kind).await;
        let (app, _site) = common::spawn_app_with(
            &db,
            AuthSettings {
                idle_secs: 600,
                ..AuthSettings::default()
            },
        )
        .await;
        let s = app.sign_in("primary@nusantara.example").await;
        assert_eq!(app.get_as(&s, "/api/v1/session").await.0, 200);
        // Age the session in the database rather than sleeping.
        sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 700")
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(app.get_as(&s, "/api/v1/session").await.0, 401);
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(left, 0, "the ended session is deleted");
        app.db.pool.close().await;
        db.drop_db().await;
    }

    async fn absolute_timeout_ends(kind: common::Kind) {
        let db = common::TestDb::new(kind).await;
        let (app, _site) = common::spawn_app(&db).await;
        let s = app.sign_in("primary@nusantara.example").await;
        sqlx::query("UPDATE sessions SET expires_at = created_at")
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(app.get_as(&s, "/api/v1/session").await.0, 401);
        app.db.pool.close().await;
        db.drop_db().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_idle_session_ends_on_sqlite() {
        idle_session_ends(common::Kind::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_idle_session_ends_on_postgres() {
        idle_session_ends(common::Kind::Postgres).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_session_ends_at_its_absolute_timeout_on_sqlite() {
        absolute_timeout_ends(common::Kind::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_session_ends_at_its_absolute_timeout_on_postgres() {
        absolute_timeout_ends(common::Kind::Postgres).await;
    }
}

on_both_backends!(
    the_session_tells_the_browser_the_servers_today_and_it_moves_with_the_clock,
    |app| {
        let day = |d: time::Date| json!(entitle_server::db::format_date(d));
        let s = app.sign_in("buyer@express.example").await;
        assert_eq!(s.body["today"], day(common::TODAY), "the sign-in answer");
        // The clock stands at midday UTC: eleven hours on is still today, thirteen is tomorrow.
        app.hand.advance(time::Duration::minutes(20));
        let (_, now) = app.get_as(&s, "/api/v1/session").await;
        assert_eq!(now["today"], day(common::TODAY), "the session answer");
        app.hand.advance(time::Duration::hours(11));
        let s = app.sign_in("buyer@express.example").await;
        assert_eq!(s.body["today"], day(common::TODAY));
        app.hand.advance(time::Duration::hours(2));
        let s = app.sign_in("buyer@express.example").await;
        assert_eq!(
            s.body["today"],
            day(common::TODAY + time::Duration::days(1))
        );
    }
);

on_both_backends!(
    a_session_ends_after_its_idle_limit_on_the_servers_clock,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        app.hand.advance(time::Duration::minutes(29));
        assert_eq!(app.get_as(&s, "/api/v1/session").await.0, 200);
        app.hand.advance(time::Duration::minutes(31));
        assert_eq!(app.get_as(&s, "/api/v1/session").await.0, 401);
    }
);
