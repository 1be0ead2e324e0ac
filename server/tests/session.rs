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

on_both_backends!(
    ten_failed_sign_ins_lock_the_account_for_thirty_minutes,
    |app| {
        for i in 1..=9 {
            let (status, _) = sign_in_raw(app, "buyer@express.example", "not-it").await;
            assert_eq!(status, 401, "attempt {i}");
        }
        let (status, body) = sign_in_raw(app, "buyer@express.example", "not-it").await;
        assert_eq!(status, 423);
        assert_eq!(body["error"]["code"], "account_locked");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("30 minutes")
        );
        // Even the right password is refused while locked.
        let (status, _) = sign_in_raw(app, "buyer@express.example", "entitle-demo").await;
        assert_eq!(status, 423);
        // Other accounts are unaffected.
        let (status, _) = sign_in_raw(app, "buyer@partnered.example", "entitle-demo").await;
        assert_eq!(status, 200);
    }
);

on_both_backends!(a_successful_sign_in_resets_the_failure_count, |app| {
    for _ in 0..9 {
        sign_in_raw(app, "buyer@partnered.example", "not-it").await;
    }
    app.sign_in("buyer@partnered.example").await;
    for _ in 0..9 {
        let (status, _) = sign_in_raw(app, "buyer@partnered.example", "not-it").await;
        assert_eq!(status, 401);
    }
});

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
