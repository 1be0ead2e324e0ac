//! Retention: the scheduled pass purges what is no longer needed, leaves everything else, and is safe
//! when several servers run it at once; the audit log cannot be changed or emptied.

mod common;

use common::send;
use entitle_server::db::retention::Purge;
use entitle_server::retention::{Policy, Report, run_once};
use reqwest::Method;
use serde_json::json;

async fn count(app: &common::TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// A finished idempotency record of `user`, as a placed order leaves it.
async fn idempotency_record(app: &common::TestApp, user: i64, key: &str) {
    sqlx::query(
        "INSERT INTO idempotency_keys (user_id, idem_key, request_hash, state, response_status, \
         response_body, created_at) VALUES ($1, $2, 'h', 'done', 201, '{}', $3)",
    )
    .bind(user)
    .bind(key)
    .bind(app.clock.now_unix())
    .execute(&app.db.pool)
    .await
    .unwrap();
}

on_both_backends!(
    the_retention_pass_purges_only_what_is_past_its_period,
    |app| {
        let policy = Policy::default();
        // A session, a reset token, a sent and an unsent mail, an idempotency record and two access
        // requests — one for a number no site has.
        let buyer = app.sign_in("buyer@express.example").await;
        let viewer = app.sign_in("viewer@nusantara.example").await;
        let res = app
            .client
            .post(app.url("/api/v1/password-reset"))
            .json(&json!({"email": "buyer@express.example"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 202);
        for number in ["7034522", "0000000"] {
            let (status, body) = send(
                app,
                &viewer,
                Method::POST,
                "/api/v1/access-requests",
                json!({"customer_number": number}),
            )
            .await;
            assert_eq!(status, 201, "{body}");
        }
        let sent = count(app, "SELECT MAX(id) FROM outbox").await;
        entitle_server::db::outbox::mark_sent(
            &mut app.db.pool.acquire().await.unwrap(),
            sent,
            app.clock.now_unix(),
        )
        .await
        .unwrap();
        let user = count(
            app,
            "SELECT id FROM users WHERE email = 'buyer@express.example'",
        )
        .await;
        idempotency_record(app, user, "yesterday").await;
        let audit = count(app, "SELECT COUNT(*) FROM audit_log").await;
        let unsent = count(app, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await;
        assert!(unsent > 0);

        // Nothing is due yet: the pass deletes nothing of today's.
        let report = run_once(&app.state, &policy).await.unwrap();
        assert_eq!(report, Report::default(), "{report:?}");
        assert_eq!(app.get_as(&buyer, "/api/v1/session").await.0, 200);

        // An hour on: the sessions are idle past their limit and the reset token has expired.
        app.hand
            .advance(time::Duration::hours(1) + time::Duration::minutes(1));
        let report = run_once(&app.state, &policy).await.unwrap();
        assert_eq!(report.of(Purge::Sessions), 2, "{report:?}");
        assert_eq!(report.of(Purge::ResetTokens), 1, "{report:?}");
        assert_eq!(report.of(Purge::IdempotencyKeys), 0, "{report:?}");
        assert_eq!(count(app, "SELECT COUNT(*) FROM sessions").await, 0);
        assert_eq!(count(app, "SELECT COUNT(*) FROM password_resets").await, 0);

        // A day on: the idempotency record goes; the sent mail stays a week.
        app.hand.advance(time::Duration::hours(24));
        let fresh = app.sign_in("buyer@express.example").await;
        idempotency_record(app, user, "today").await;
        let report = run_once(&app.state, &policy).await.unwrap();
        assert_eq!(report.of(Purge::IdempotencyKeys), 1, "{report:?}");
        assert_eq!(report.of(Purge::SentMail), 0, "{report:?}");
        assert_eq!(
            count(
                app,
                "SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = 'today'"
            )
            .await,
            1
        );
        assert_eq!(
            app.get_as(&fresh, "/api/v1/session").await.0,
            200,
            "a live session stays"
        );

        // A week on: the sent mail goes, the unsent ones stay.
        app.hand.advance(time::Duration::days(7));
        let report = run_once(&app.state, &policy).await.unwrap();
        assert_eq!(report.of(Purge::SentMail), 1, "{report:?}");
        assert_eq!(
            count(app, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await,
            unsent
        );

        // A month on: the request nobody can approve goes; the one a site administrator can see stays.
        app.hand.advance(time::Duration::days(23));
        let report = run_once(&app.state, &policy).await.unwrap();
        assert_eq!(report.of(Purge::UnmatchedAccessRequests), 1, "{report:?}");
        assert_eq!(
            count(
                app,
                "SELECT COUNT(*) FROM access_requests WHERE customer_number = '7034522'"
            )
            .await,
            1
        );
        // The audit log lost nothing.
        assert!(count(app, "SELECT COUNT(*) FROM audit_log").await >= audit);
    }
);

on_both_backends!(
    several_servers_running_the_pass_at_once_delete_each_row_once,
    |app| {
        let user = count(
            app,
            "SELECT id FROM users WHERE email = 'buyer@express.example'",
        )
        .await;
        let rows = 1_200;
        let mut tx = app.db.pool.begin().await.unwrap();
        for i in 0..rows {
            sqlx::query(
                "INSERT INTO idempotency_keys (user_id, idem_key, request_hash, state, created_at) \
                 VALUES ($1, $2, 'h', 'in_progress', $3)",
            )
            .bind(user)
            .bind(format!("k{i}"))
            .bind(app.clock.now_unix())
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        app.hand.advance(time::Duration::days(2));
        let policy = Policy::default();
        let (a, b, c) = tokio::join!(
            run_once(&app.state, &policy),
            run_once(&app.state, &policy),
            run_once(&app.state, &policy)
        );
        let deleted: u64 = [a.unwrap(), b.unwrap(), c.unwrap()]
            .iter()
            .map(|r| r.of(Purge::IdempotencyKeys))
            .sum();
        assert_eq!(deleted, rows, "every row deleted exactly once");
        assert_eq!(count(app, "SELECT COUNT(*) FROM idempotency_keys").await, 0);
    }
);

on_both_backends!(the_audit_log_cannot_be_changed_or_emptied, |app| {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, subject, detail) VALUES (0, NULL, 'password.reset', 'x', 'y')",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let before = count(app, "SELECT COUNT(*) FROM audit_log").await;
    let id = count(app, "SELECT MAX(id) FROM audit_log").await;
    for sql in [
        format!("UPDATE audit_log SET detail = 'nothing happened' WHERE id = {id}"),
        format!("DELETE FROM audit_log WHERE id = {id}"),
        "DELETE FROM audit_log".to_owned(),
    ] {
        let err = sqlx::query(&sql)
            .execute(&app.db.pool)
            .await
            .expect_err(&sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    if app.db.backend.name() == "postgres" {
        let err = sqlx::query("TRUNCATE audit_log")
            .execute(&app.db.pool)
            .await
            .expect_err("truncate");
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    assert_eq!(count(app, "SELECT COUNT(*) FROM audit_log").await, before);
    // Adding goes on as before.
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, subject, detail) VALUES (0, NULL, 'password.reset', 'x', 'y')",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM audit_log").await,
        before + 1
    );
});
