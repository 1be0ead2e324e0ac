//! Two-step verification, password changes and the audit trail of sign-ins, over the real socket on
//! both databases.

mod common;

use common::send;
use entitle_server::db::demo::DEMO_ADMIN_TOTP_SECRET;
use entitle_server::second_factor::code_at;
use reqwest::Method;
use serde_json::{Value, json};

const ADMIN: &str = "admin@entitle.example";

async fn post(app: &common::TestApp, path: &str, body: Value) -> (u16, Value, bool) {
    let res = app
        .client
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let cookie = res.headers().get("set-cookie").is_some();
    (status, res.json().await.unwrap_or(Value::Null), cookie)
}

/// The first step: the password. Returns the 202 answer.
async fn password_step(app: &common::TestApp, email: &str, password: &str) -> Value {
    let (status, body, cookie) = post(
        app,
        "/api/v1/session",
        json!({"email": email, "password": password}),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    assert!(!cookie, "no session before the second step");
    body
}

async fn second_step(app: &common::TestApp, challenge: &Value, code: &str) -> (u16, Value, bool) {
    post(
        app,
        "/api/v1/session/second-factor",
        json!({"challenge": challenge["challenge"], "code": code}),
    )
    .await
}

async fn audit_count(app: &common::TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

on_both_backends!(
    an_administrator_is_signed_in_only_with_a_code_from_the_authenticator,
    |app| {
        let challenge = password_step(app, ADMIN, "entitle-demo").await;
        assert_eq!(challenge["step"], "verify");
        assert_eq!(challenge["enrolment"], Value::Null);

        let (status, body, cookie) = second_step(app, &challenge, "000000").await;
        assert_eq!((status, cookie), (401, false), "{body}");
        assert_eq!(body["error"]["code"], "mfa.invalid_code");
        let (status, body, _) = second_step(app, &challenge, "not a code").await;
        assert_eq!(status, 422);
        assert_eq!(
            body["error"]["fields"]["code"][0]["code"],
            "mfa.code_format"
        );

        let now = app.clock.now_unix();
        let code = code_at(DEMO_ADMIN_TOTP_SECRET, now).unwrap();
        let (status, body, cookie) = second_step(app, &challenge, &code).await;
        assert_eq!((status, cookie), (200, true), "{body}");
        assert_eq!(body["session"]["role"], "admin");
        assert_eq!(body["recovery_codes"], json!([]));

        // The challenge is used up, and the same code does not work twice.
        let (status, body, _) = second_step(app, &challenge, &code).await;
        assert_eq!(status, 401);
        assert_eq!(body["error"]["code"], "mfa.challenge_expired");
        let again = password_step(app, ADMIN, "entitle-demo").await;
        let (status, body, _) = second_step(app, &again, &code).await;
        assert_eq!(status, 401, "a replayed code: {body}");
        // The next step's code (one step of drift is allowed) does.
        let next = code_at(DEMO_ADMIN_TOTP_SECRET, now + 30).unwrap();
        let (status, _, _) = second_step(app, &again, &next).await;
        assert_eq!(status, 200);

        assert_eq!(audit_count(app, "auth.sign_in").await, 2);
        assert_eq!(audit_count(app, "mfa.fail").await, 2);
    }
);

on_both_backends!(
    a_sign_in_waits_ten_minutes_for_its_second_step_and_takes_five_wrong_codes,
    |app| {
        let challenge = password_step(app, ADMIN, "entitle-demo").await;
        for _ in 0..5 {
            let (status, _, _) = second_step(app, &challenge, "111111").await;
            assert_eq!(status, 401);
        }
        let right = code_at(DEMO_ADMIN_TOTP_SECRET, app.clock.now_unix()).unwrap();
        let (status, body, _) = second_step(app, &challenge, &right).await;
        assert_eq!(status, 401);
        assert_eq!(body["error"]["code"], "mfa.challenge_expired");

        // New sign-ins do not buy more guesses: the account's own count starts its back-off with the
        // next wrong code, and then refuses even the right one.
        let fresh = password_step(app, ADMIN, "entitle-demo").await;
        let (status, _, _) = second_step(app, &fresh, "111111").await;
        assert_eq!(status, 401);
        let (status, _, _) = second_step(app, &fresh, &right).await;
        assert_eq!(status, 429);

        app.hand.advance(time::Duration::hours(2));
        let late = password_step(app, ADMIN, "entitle-demo").await;
        app.hand.advance(time::Duration::minutes(11));
        let code = app.authenticator_code(ADMIN).await;
        let (status, body, _) = second_step(app, &late, &code).await;
        assert_eq!(status, 401);
        assert_eq!(body["error"]["code"], "mfa.challenge_expired");
        assert!(audit_count(app, "auth.throttled").await >= 1);
    }
);

on_both_backends!(
    an_administrator_without_an_authenticator_sets_one_up_before_being_signed_in,
    |app| {
        sqlx::query("UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL WHERE email = $1")
            .bind(ADMIN)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let challenge = password_step(app, ADMIN, "entitle-demo").await;
        assert_eq!(challenge["step"], "enrol");
        let secret = challenge["enrolment"]["secret"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            challenge["enrolment"]["otpauth_uri"]
                .as_str()
                .unwrap()
                .starts_with("otpauth://totp/Entitle:admin%40entitle.example?")
        );
        assert!(
            challenge["enrolment"]["qr_svg"]
                .as_str()
                .unwrap()
                .contains("<svg")
        );

        let now = app.clock.now_unix();
        let (status, body, _) = second_step(app, &challenge, "abcde-fghjk").await;
        assert_eq!(
            status, 401,
            "a recovery code cannot confirm an authenticator: {body}"
        );
        let (status, body, cookie) =
            second_step(app, &challenge, &code_at(&secret, now).unwrap()).await;
        assert_eq!((status, cookie), (200, true), "{body}");
        let codes: Vec<String> = serde_json::from_value(body["recovery_codes"].clone()).unwrap();
        assert_eq!(codes.len(), 10);
        assert_eq!(audit_count(app, "mfa.enable").await, 1);

        // From now on the new authenticator is asked; a recovery code works once.
        let next = password_step(app, ADMIN, "entitle-demo").await;
        assert_eq!(next["step"], "verify");
        let (status, body, _) = second_step(app, &next, &codes[3].to_uppercase()).await;
        assert_eq!(status, 200, "{body}");
        let again = password_step(app, ADMIN, "entitle-demo").await;
        let (status, _, _) = second_step(app, &again, &codes[3]).await;
        assert_eq!(status, 401, "used already");
        assert_eq!(audit_count(app, "mfa.recovery_code_used").await, 1);
        let stored: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM recovery_codes WHERE code_hash = $1 OR code_hash = $2",
        )
        .bind(codes[0].replace('-', ""))
        .bind(&codes[0])
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(stored, 0, "only hashes are stored");
    }
);

on_both_backends!(
    staff_turn_two_step_verification_on_and_off_and_administrators_keep_it,
    |app| {
        let rep = app.sign_in("sales@entitle.example").await;
        let (status, settings) = app.get_as(&rep, "/api/v1/account/security").await;
        assert_eq!(status, 200);
        assert_eq!(
            settings,
            json!({"second_factor_available": true, "second_factor_required": false,
                   "second_factor_enabled": false, "recovery_codes_left": 0})
        );
        let (status, body) = send(
            app,
            &rep,
            Method::POST,
            "/api/v1/account/second-factor/confirm",
            json!({"code": "123456"}),
        )
        .await;
        assert_eq!(status, 409, "nothing being set up: {body}");
        let (status, enrolment) = send(
            app,
            &rep,
            Method::POST,
            "/api/v1/account/second-factor",
            json!({}),
        )
        .await;
        assert_eq!(status, 200, "{enrolment}");
        let secret = enrolment["secret"].as_str().unwrap().to_owned();
        let (status, body) = send(
            app,
            &rep,
            Method::POST,
            "/api/v1/account/second-factor/confirm",
            json!({"code": "000000"}),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            body["error"]["fields"]["code"][0]["code"],
            "mfa.invalid_code"
        );
        let code = code_at(&secret, app.clock.now_unix()).unwrap();
        let (status, codes) = send(
            app,
            &rep,
            Method::POST,
            "/api/v1/account/second-factor/confirm",
            json!({"code": code}),
        )
        .await;
        assert_eq!(status, 200, "{codes}");
        assert_eq!(codes["codes"].as_array().unwrap().len(), 10);
        let (_, settings) = app.get_as(&rep, "/api/v1/account/security").await;
        assert_eq!(settings["second_factor_enabled"], true);
        assert_eq!(settings["recovery_codes_left"], 10);

        // Signing in now takes the second step.
        let challenge = password_step(app, "sales@entitle.example", "entitle-demo").await;
        assert_eq!(challenge["step"], "verify");

        // New recovery codes and turning it off need the password.
        let (status, body) = send(
            app,
            &rep,
            Method::POST,
            "/api/v1/account/recovery-codes",
            json!({"password": "wrong"}),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(
            body["error"]["fields"]["password"][0]["code"],
            "password.wrong"
        );
        let (status, renewed) = send(
            app,
            &rep,
            Method::POST,
            "/api/v1/account/recovery-codes",
            json!({"password": "entitle-demo"}),
        )
        .await;
        assert_eq!(status, 200);
        assert_ne!(renewed["codes"], codes["codes"]);
        let (status, _) = send(
            app,
            &rep,
            Method::DELETE,
            "/api/v1/account/second-factor",
            json!({"password": "wrong"}),
        )
        .await;
        assert_eq!(status, 422);
        let (status, _) = send(
            app,
            &rep,
            Method::DELETE,
            "/api/v1/account/second-factor",
            json!({"password": "entitle-demo"}),
        )
        .await;
        assert_eq!(status, 204);
        let (status, _, _) = post(
            app,
            "/api/v1/session",
            json!({"email": "sales@entitle.example", "password": "entitle-demo"}),
        )
        .await;
        assert_eq!(status, 200, "off again");
        assert_eq!(audit_count(app, "mfa.disable").await, 1);
        assert_eq!(audit_count(app, "mfa.recovery_codes_renewed").await, 1);

        let admin = app.sign_in(ADMIN).await;
        let (status, body) = send(
            app,
            &admin,
            Method::DELETE,
            "/api/v1/account/second-factor",
            json!({"password": "entitle-demo"}),
        )
        .await;
        assert_eq!(status, 409);
        assert_eq!(body["error"]["code"], "mfa.required");
        let (_, settings) = app.get_as(&admin, "/api/v1/account/security").await;
        assert_eq!(settings["second_factor_required"], true);
        assert_eq!(settings["second_factor_enabled"], true);

        let customer = app.sign_in("buyer@express.example").await;
        let (status, _) = send(
            app,
            &customer,
            Method::POST,
            "/api/v1/account/second-factor",
            json!({}),
        )
        .await;
        assert_eq!(status, 403);
        let (_, settings) = app.get_as(&customer, "/api/v1/account/security").await;
        assert_eq!(settings["second_factor_available"], false);
    }
);

on_both_backends!(
    a_signed_in_user_changes_their_password_by_giving_the_current_one,
    |app| {
        let here = app.sign_in("buyer@express.example").await;
        let elsewhere = app.sign_in("buyer@express.example").await;
        let change = |current: &'static str, new: &'static str| {
            send(
                app,
                &here,
                Method::POST,
                "/api/v1/account/password",
                json!({"current_password": current, "new_password": new}),
            )
        };
        let (status, body) = change("not-it", "a much better passphrase").await;
        assert_eq!(status, 422);
        assert_eq!(
            body["error"]["fields"]["current_password"][0]["code"],
            "password.wrong"
        );
        // On the long list, far down the ranking: refused by the server.
        let (status, body) = change("entitle-demo", "wonderwoman").await;
        assert_eq!(status, 422);
        assert_eq!(
            body["error"]["fields"]["new_password"][0]["code"],
            "password.common"
        );
        let (status, body) = change("entitle-demo", "entitle-demo").await;
        assert_eq!(status, 422);
        assert_eq!(
            body["error"]["fields"]["new_password"][0]["code"],
            "password.common"
        );

        let (status, body) = change("entitle-demo", "a much better passphrase").await;
        assert_eq!(status, 204, "{body}");
        assert_eq!(
            app.get_as(&here, "/api/v1/session").await.0,
            200,
            "this browser stays signed in"
        );
        assert_eq!(
            app.get_as(&elsewhere, "/api/v1/session").await.0,
            401,
            "the others are signed out"
        );
        let (status, _, _) = post(
            app,
            "/api/v1/session",
            json!({"email": "buyer@express.example", "password": "entitle-demo"}),
        )
        .await;
        assert_eq!(status, 401);
        let (status, _, _) = post(
            app,
            "/api/v1/session",
            json!({"email": "buyer@express.example", "password": "a much better passphrase"}),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(audit_count(app, "password.change").await, 1);
        let mails: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'password_changed' AND recipient = 'buyer@express.example'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(mails, 1, "the owner is told");
    }
);

on_both_backends!(sign_ins_and_their_failures_are_in_the_audit_log, |app| {
    for _ in 0..6 {
        post(
            app,
            "/api/v1/session",
            json!({"email": "buyer@express.example", "password": "nope"}),
        )
        .await;
    }
    post(
        app,
        "/api/v1/session",
        json!({"email": "nobody@nowhere.example", "password": "nope"}),
    )
    .await;
    app.sign_in("viewer@nusantara.example").await;
    assert_eq!(audit_count(app, "auth.sign_in_failed").await, 7);
    assert_eq!(audit_count(app, "auth.sign_in").await, 1);
    assert_eq!(
        audit_count(app, "auth.throttled").await,
        1,
        "the back-off started once"
    );
    let admin = app.sign_in(ADMIN).await;
    let (status, page) = app
        .get_as(&admin, "/api/v1/desk/audit?action=auth.&limit=5")
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page.as_array().unwrap().len(), 5, "paged");
    assert!(
        page.as_array()
            .unwrap()
            .iter()
            .all(|e| e["action"].as_str().unwrap().starts_with("auth."))
    );
});
