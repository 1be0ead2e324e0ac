//! The renewal engine on both databases: quotes issued 90 days before the anniversary and not a day
//! earlier, co-termed, with reinstatement lines; each issued exactly once even with two engines running
//! at once; a dead engine's claim taken over when its lease runs out; auto-renew on the anniversary
//! unless turned off; the price level recomputed at the end of a points term.

mod common;

use entitle_server::engine::Engine;
use reqwest::Method;
use serde_json::json;
use sqlx::Row;
use time::Duration;

/// Days from the demo's `TODAY` at which Jakarta (anniversary in 30 days, so next in 395) and München
/// (45 days, next in 410) come due again, while Surabaya (440), Bandung (450), Austin (425) and Portland
/// (445) do not.
const LATER: i64 = 330;

async fn quotes_due_on(app: &common::TestApp, customer: &str, due: time::Date) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM renewal_quotes q JOIN sites s ON s.id = q.site_id \
         WHERE s.customer_number = $1 AND q.due_date = $2",
    )
    .bind(customer)
    .bind(entitle_server::db::format_date(due))
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

async fn site_id(app: &common::TestApp, customer: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM sites WHERE customer_number = $1")
        .bind(customer)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// An engine of the app's server, sharing its clock.
fn engine(app: &common::TestApp) -> Engine {
    Engine::new(app.db.clone(), app.clock.clone(), common::PUBLIC_URL)
}

/// Sets the server's clock to midday of `day` and runs one engine there.
async fn run_on(app: &common::TestApp, day: time::Date) -> entitle_server::engine::RunReport {
    app.hand.set_day(day);
    engine(app).run_once().await.unwrap()
}

on_both_backends!(
    the_demo_quotes_are_issued_once_and_running_again_issues_nothing,
    |app| {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM renewal_quotes")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(count, 6, "every site due within 90 days has its quote");
        let report = run_on(app, common::TODAY).await;
        assert_eq!(report.issued, 0, "{report:?}");
        let again: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM renewal_quotes")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(again, 6);
    }
);

on_both_backends!(
    a_quote_is_issued_ninety_days_before_the_anniversary_and_not_a_day_earlier,
    |app| {
        let next = common::TODAY + Duration::days(395);
        run_on(app, next - Duration::days(91)).await;
        assert_eq!(
            quotes_due_on(app, "7034521", next).await,
            0,
            "91 days before"
        );
        let report = run_on(app, next - Duration::days(90)).await;
        assert!(report.issued >= 1, "{report:?}");
        assert_eq!(
            quotes_due_on(app, "7034521", next).await,
            1,
            "90 days before"
        );
        let notices: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Renewal quote %Jakarta HQ%' AND body LIKE $1",
        )
        .bind(format!("%{}/renewals/RQ%", common::PUBLIC_URL))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(
            notices, 4,
            "this year's notice and next year's, each with its deep link, to the primary contact and the viewer"
        );
    }
);

on_both_backends!(
    two_engines_running_at_once_issue_each_quote_exactly_once,
    |app| {
        let today = common::TODAY + Duration::days(LATER);
        let (a, b) = (engine(app), engine(app));
        app.hand.set_day(today);
        let (ra, rb) = tokio::join!(a.run_once(), b.run_once());
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        assert_eq!(ra.issued + rb.issued, 2, "{ra:?} {rb:?}");
        for (customer, days) in [("7034521", 395), ("9120450", 410)] {
            let due = common::TODAY + Duration::days(days);
            assert_eq!(quotes_due_on(app, customer, due).await, 1, "{customer}");
        }
        // A third engine later the same day finds nothing to do.
        assert_eq!(run_on(app, today).await.issued, 0);
    }
);

on_both_backends!(
    a_live_claim_is_left_alone_and_taken_over_once_its_lease_runs_out,
    |app| {
        let today = common::TODAY + Duration::days(LATER);
        let due = common::TODAY + Duration::days(395);
        let jakarta = site_id(app, "7034521").await;
        app.hand.set_day(today);
        let now = app.clock.now_unix();
        sqlx::query(
            "INSERT INTO renewal_claims (site_id, due_date, holder, lease_until) VALUES ($1, $2, 'crashed', $3)",
        )
        .bind(jakarta)
        .bind(entitle_server::db::format_date(due))
        .bind(now + 600)
        .execute(&app.db.pool)
        .await
        .unwrap();
        let report = run_on(app, today).await;
        assert_eq!(report.issued, 1, "only München: Jakarta is claimed");
        assert_eq!(quotes_due_on(app, "7034521", due).await, 0);
        sqlx::query("UPDATE renewal_claims SET lease_until = $1 WHERE holder = 'crashed'")
            .bind(now - 1)
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(run_on(app, today).await.issued, 1);
        assert_eq!(quotes_due_on(app, "7034521", due).await, 1);
    }
);

/// Makes the database refuse any renewal quote for `site` (a trigger), as a write that fails would.
async fn refuse_quotes_for(app: &common::TestApp, site: i64) {
    let statements = match app.db.backend {
        entitle_server::db::Backend::Sqlite => vec![format!(
            "CREATE TRIGGER refuse_quote BEFORE INSERT ON renewal_quotes WHEN NEW.site_id = {site} \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        )],
        entitle_server::db::Backend::Postgres => vec![
            format!(
                "CREATE FUNCTION refuse_quote() RETURNS trigger AS $$ BEGIN IF NEW.site_id = {site} THEN \
                 RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            ),
            "CREATE TRIGGER refuse_quote BEFORE INSERT ON renewal_quotes FOR EACH ROW EXECUTE FUNCTION refuse_quote()"
                .to_owned(),
        ],
    };
    for sql in statements {
        sqlx::query(&sql).execute(&app.db.pool).await.unwrap();
    }
}

on_both_backends!(
    a_quote_that_cannot_be_written_costs_only_its_own_site_not_the_others_written_with_it,
    |app| {
        // Jakarta and München come due the same day and are written in one batch.
        let today = common::TODAY + Duration::days(LATER);
        refuse_quotes_for(app, site_id(app, "7034521").await).await;
        let report = run_on(app, today).await;
        assert_eq!(report.issued, 1, "{report:?}");
        let (jakarta, munchen) = (
            common::TODAY + Duration::days(395),
            common::TODAY + Duration::days(410),
        );
        assert_eq!(quotes_due_on(app, "7034521", jakarta).await, 0);
        assert_eq!(quotes_due_on(app, "9120450", munchen).await, 1);
        let notices: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Verlängerungsangebot %' AND subject LIKE $1",
        )
        // Partnered GmbH's buyer chose German: the notice is German, its date written the German way.
        .bind(format!(
            "%{}",
            entitle_core::locale::Locale::De.long_date(munchen)
        ))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(notices >= 1, "München's notice is queued with its quote");
    }
);

on_both_backends!(
    lapsed_coverage_is_reinstated_and_coverage_ending_early_is_co_termed,
    |app| {
        // Jakarta's demo quote: 8 entitlements renew, 2 lapsed a year ago are reinstated.
        let s = app.sign_in("primary@nusantara.example").await;
        let (_, groups) = app.get_as(&s, "/api/v1/renewals").await;
        let jakarta = groups[0]["quotes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["customer_number"] == "7034521")
            .unwrap()["quote_number"]
            .as_str()
            .unwrap()
            .to_owned();
        let (status, detail) = app.get_as(&s, &format!("/api/v1/renewals/{jakarta}")).await;
        assert_eq!(status, 200, "{detail}");
        let lines = detail["lines"].as_array().unwrap();
        assert_eq!(lines.len(), 10);
        let reinstatement_parts: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM renewal_quote_lines l JOIN renewal_quotes q ON q.id = l.quote_id \
             JOIN parts p ON p.part_number = l.part_number WHERE q.quote_number = $1 AND p.part_type = 'sns_reinstatement'",
        )
        .bind(&jakarta)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(reinstatement_parts, 2);
        // A reinstatement restarts coverage on the order date (today), for a year; renewals start on
        // the anniversary.
        let due = detail["summary"]["due_date"].as_str().unwrap().to_owned();
        let restarted: Vec<_> = lines
            .iter()
            .filter(|l| l["coverage_start"] != json!(due))
            .collect();
        assert_eq!(restarted.len(), 2, "{lines:?}");
        let date = |v: &serde_json::Value| entitle_core::dates::parse(v.as_str().unwrap()).unwrap();
        let start = date(&restarted[0]["coverage_start"]);
        assert!(start >= common::TODAY);
        assert_eq!(
            date(&restarted[0]["coverage_end"]),
            entitle_core::renewal::one_year_after(start)
        );

        // München gets an entitlement that ends 15 days before its next anniversary.
        let munich = site_id(app, "9120450").await;
        let next = common::TODAY + Duration::days(410);
        let ends = next - Duration::days(15);
        let part: String = sqlx::query_scalar(
            "SELECT renewal_part FROM entitlements WHERE site_id = $1 ORDER BY id LIMIT 1",
        )
        .bind(munich)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO entitlements (site_id, licence_part, renewal_part, quantity, coverage_start, coverage_end) \
             SELECT site_id, licence_part, renewal_part, 3, $1, $2 FROM entitlements WHERE site_id = $3 AND renewal_part = $4 LIMIT 1",
        )
        .bind(entitle_server::db::format_date(ends - Duration::days(365)))
        .bind(entitle_server::db::format_date(ends))
        .bind(munich)
        .bind(&part)
        .execute(&app.db.pool)
        .await
        .unwrap();
        run_on(app, common::TODAY + Duration::days(LATER)).await;
        let rows = sqlx::query(
            "SELECT l.coverage_start, l.coverage_end, l.unit_minor, l.extended_minor FROM renewal_quote_lines l \
             JOIN renewal_quotes q ON q.id = l.quote_id WHERE q.site_id = $1 AND q.due_date = $2 AND l.quantity = 3 ORDER BY l.id",
        )
        .bind(munich)
        .bind(entitle_server::db::format_date(next))
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        let terms: Vec<(String, String)> = rows
            .iter()
            .map(|r| (r.get("coverage_start"), r.get("coverage_end")))
            .collect();
        let d = |d: time::Date| entitle_server::db::format_date(d);
        assert_eq!(
            terms,
            vec![
                (d(ends), d(next)),
                (d(next), d(entitle_core::renewal::one_year_after(next)))
            ],
            "a 15-day co-term line up to the anniversary, then the year after it"
        );
        let (short, full): (i64, i64) =
            (rows[0].get("extended_minor"), rows[1].get("extended_minor"));
        let unit: i64 = rows[0].get("unit_minor");
        assert_eq!(full, unit * 3);
        // 15/365 of the annual price, rounded half-up once.
        let expected = (rust_decimal::Decimal::from(unit * 3 * 15)
            / rust_decimal::Decimal::from(365))
        .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        assert_eq!(rust_decimal::Decimal::from(short), expected);
    }
);

on_both_backends!(
    a_quote_renews_itself_on_the_anniversary_once_the_customer_consented,
    |app| {
        // Austin (US, auto-renew allowed) is due in 60 days; Jakarta (Indonesia) may not auto-renew.
        let s = app.sign_in("buyer@express.example").await;
        let (_, groups) = app.get_as(&s, "/api/v1/renewals").await;
        let quote = groups[0]["quotes"][0]["quote_number"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, detail) = app.get_as(&s, &format!("/api/v1/renewals/{quote}")).await;
        assert_eq!(
            detail["auto_renew"],
            json!(false),
            "off until the customer turns it on"
        );
        assert_eq!(detail["auto_renew_consent"], json!(null));
        let terms = detail["terms_version"].as_str().unwrap().to_owned();
        assert!(!terms.is_empty());
        let switch = |who: &common::Session, body: serde_json::Value| {
            app.with(
                who,
                Method::PUT,
                &format!("/api/v1/renewals/{quote}/auto-renew"),
            )
            .json(&body)
            .send()
        };
        // Staff may not switch it, not even the site's renewal rep or an admin.
        for staff in ["renewals@entitle.example", "admin@entitle.example"] {
            let rep = app.sign_in(staff).await;
            let res = switch(
                &rep,
                json!({"enabled": true, "accept_terms": true, "terms_version": terms}),
            )
            .await
            .unwrap();
            assert_eq!(res.status(), 403, "{staff}");
        }
        // The customer must accept the current terms to turn it on.
        let res = switch(&s, json!({"enabled": true})).await.unwrap();
        assert_eq!(res.status(), 422);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            body["error"]["fields"]["accept_terms"][0]["code"], "terms.not_accepted",
            "{body}"
        );
        let res = switch(
            &s,
            json!({"enabled": true, "accept_terms": true, "terms_version": "1999-01"}),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), 422);
        let res = switch(
            &s,
            json!({"enabled": true, "accept_terms": true, "terms_version": terms}),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), 200);
        let detail: serde_json::Value = res.json().await.unwrap();
        assert_eq!(detail["auto_renew"], json!(true));
        assert_eq!(
            detail["auto_renew_consent"]["by_email"],
            "buyer@express.example"
        );
        assert_eq!(detail["auto_renew_consent"]["terms_version"], json!(terms));
        assert_eq!(
            detail["auto_renew_consent"]["at"],
            json!(app.clock.now_unix())
        );
        let p = app.sign_in("primary@nusantara.example").await;
        let (_, groups) = app.get_as(&p, "/api/v1/renewals").await;
        let jakarta = groups[0]["quotes"][0]["quote_number"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, detail) = app.get_as(&p, &format!("/api/v1/renewals/{jakarta}")).await;
        assert_eq!(
            detail["auto_renew"],
            json!(null),
            "not offered in Indonesia"
        );
        let res = app
            .with(
                &p,
                Method::PUT,
                &format!("/api/v1/renewals/{jakarta}/auto-renew"),
            )
            .json(&json!({"enabled": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        // München (Germany allows it) renews through its Business Partner: no auto-renew either.
        let m = app.sign_in("buyer@partnered.example").await;
        let (_, groups) = app.get_as(&m, "/api/v1/renewals").await;
        let munich = groups[0]["quotes"][0]["quote_number"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, detail) = app.get_as(&m, &format!("/api/v1/renewals/{munich}")).await;
        assert_eq!(detail["auto_renew"], json!(null), "the partner renews it");

        // Without billing details on file it cannot renew: the customer is told, once.
        let due = common::TODAY + Duration::days(60);
        run_on(app, due).await;
        run_on(app, due).await;
        let told: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'auto_renew_failed'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(told, 1);

        // With the billing details of an earlier order it renews at the quoted price, once.
        let billing = json!({"address": {"name": "Express Labs", "line1": "500 Congress Ave", "line2": "", "city": "Austin", "region": "TX",
            "postal_code": "78701", "country": "US"}, "contact_name": "Jordan Reyes", "email": "buyer@express.example",
            "phone": "", "tax_id": ""});
        let austin = site_id(app, "8812001").await;
        let buyer: i64 =
            sqlx::query_scalar("SELECT id FROM users WHERE email = 'buyer@express.example'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        sqlx::query(
            "INSERT INTO orders (reference, site_id, user_id, status, currency, price_level, subtotal_minor, discount_minor, \
             tax_minor, total_minor, points, billing_json, terms_version, created_at, updated_at) \
             VALUES ($1, $2, $3, 'completed', 'USD', 'BL', 0, 0, 0, 0, 0, $4, '2026-01', 0, 0)",
        )
        .bind(entitle_core::order::OrderReference::from_payload(1).to_string())
        .bind(austin)
        .bind(buyer)
        .bind(billing.to_string())
        .execute(&app.db.pool)
        .await
        .unwrap();
        // Two months on, the morning's session has long ended: sign in again.
        let s = app.sign_in("buyer@express.example").await;
        let (_, before) = app.get_as(&s, &format!("/api/v1/renewals/{quote}")).await;
        let (e1, e2) = (engine(app), engine(app));
        app.hand.set_day(due);
        let (a, b) = tokio::join!(e1.run_once(), e2.run_once());
        assert_eq!(a.unwrap().auto_renewed + b.unwrap().auto_renewed, 1);
        let (_, orders) = app.get_as(&s, "/api/v1/orders").await;
        let renewed: Vec<_> = orders
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["renewal_quote"] == json!(quote))
            .collect();
        assert_eq!(renewed.len(), 1, "{orders}");
        assert_eq!(renewed[0]["auto_renewed"], json!(true));
        assert_eq!(renewed[0]["total"], before["total"], "at the quoted price");
        let (by, version): (String, String) = sqlx::query_as(
            "SELECT u.email, t.version FROM terms_acceptances t JOIN users u ON u.id = t.user_id \
             JOIN orders o ON o.id = t.order_id WHERE o.reference = $1",
        )
        .bind(renewed[0]["reference"].as_str().unwrap())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(
            (by.as_str(), version),
            ("buyer@express.example", terms),
            "the consent is the order's acceptance"
        );
        let (_, after) = app.get_as(&s, &format!("/api/v1/renewals/{quote}")).await;
        assert_eq!(after["summary"]["status"], "ordered");
    }
);

on_both_backends!(
    auto_renew_places_nothing_once_the_customer_who_consented_may_no_longer_buy,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        let (_, groups) = app.get_as(&s, "/api/v1/renewals").await;
        let quote = groups[0]["quotes"][0]["quote_number"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, detail) = app.get_as(&s, &format!("/api/v1/renewals/{quote}")).await;
        let res = app
            .with(&s, Method::PUT, &format!("/api/v1/renewals/{quote}/auto-renew"))
            .json(&json!({"enabled": true, "accept_terms": true, "terms_version": detail["terms_version"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        sqlx::query(
            "UPDATE site_access SET can_buy = 0 WHERE user_id = (SELECT id FROM users WHERE email = 'buyer@express.example')",
        )
        .execute(&app.db.pool)
        .await
        .unwrap();
        let report = run_on(app, common::TODAY + Duration::days(60)).await;
        assert_eq!(report.auto_renewed, 0);
        let told: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'auto_renew_failed'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(told, 0, "nothing was attempted");
    }
);

on_both_backends!(
    a_quote_with_auto_renew_turned_off_is_not_ordered_and_expires_after_its_due_date,
    |app| {
        let s = app.sign_in("buyer@express.example").await;
        let (_, groups) = app.get_as(&s, "/api/v1/renewals").await;
        let quote = groups[0]["quotes"][0]["quote_number"]
            .as_str()
            .unwrap()
            .to_owned();
        let res = app
            .with(
                &s,
                Method::PUT,
                &format!("/api/v1/renewals/{quote}/auto-renew"),
            )
            .json(&json!({"enabled": false}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let detail: serde_json::Value = res.json().await.unwrap();
        assert_eq!(detail["auto_renew"], json!(false));
        let due = common::TODAY + Duration::days(60);
        let report = run_on(app, due).await;
        assert_eq!(report.auto_renewed, 0);
        let report = run_on(app, due + Duration::days(1)).await;
        assert!(report.expired >= 1, "{report:?}");
        let s = app.sign_in("buyer@express.example").await;
        let (_, after) = app.get_as(&s, &format!("/api/v1/renewals/{quote}")).await;
        assert_eq!(after["summary"]["status"], "expired");
        let audit: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'quote.auto_renew'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(audit, 1);
    }
);

on_both_backends!(
    the_price_level_follows_the_points_of_the_term_that_ended,
    |app| {
        // The first run sets each organisation's points term to end on its first site anniversary:
        // München's, in 45 days.
        run_on(app, common::TODAY).await;
        sqlx::query("UPDATE organisations SET points = 5200 WHERE agreement_number = 'PA-0311977'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        run_on(app, common::TODAY + Duration::days(44)).await;
        let level: String = sqlx::query_scalar(
            "SELECT price_level FROM organisations WHERE agreement_number = 'PA-0311977'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(level, "D", "the term has not ended yet");
        run_on(app, common::TODAY + Duration::days(45)).await;
        let row = sqlx::query(
            "SELECT price_level, points FROM organisations WHERE agreement_number = 'PA-0311977'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(row.get::<String, _>("price_level"), "G");
        assert_eq!(
            row.get::<i64, _>("points"),
            0,
            "a new term starts from zero"
        );
        let nusantara: String = sqlx::query_scalar(
            "SELECT price_level FROM organisations WHERE agreement_number = 'PA-0084512'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(nusantara, "E", "1,840 points keep E");
    }
);
