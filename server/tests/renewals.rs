//! Renewals and coverage: what each account sees, on both databases over a real socket.

mod common;

use serde_json::Value;

fn quote_numbers(groups: &Value) -> Vec<(String, String)> {
    groups
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["quotes"].as_array().unwrap().iter())
        .map(|q| {
            (
                q["customer_number"].as_str().unwrap().to_owned(),
                q["quote_number"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

on_both_backends!(
    a_customer_sees_the_renewals_awaiting_action_at_their_own_sites_only,
    |app| {
        let s = app.sign_in("primary@nusantara.example").await;
        let (status, groups) = app.get_as(&s, "/api/v1/renewals").await;
        assert_eq!(status, 200);
        assert_eq!(groups.as_array().unwrap().len(), 1);
        assert_eq!(groups[0]["key"], "awaiting");
        let sites: Vec<String> = quote_numbers(&groups).into_iter().map(|(c, _)| c).collect();
        assert_eq!(sites, ["7034521", "7034522", "7034523"]);
        let q = &groups[0]["quotes"][0];
        assert_eq!(q["status"], "issued");
        assert_eq!(q["channel"], "online");
        assert_eq!(q["subtotal"]["currency"], "IDR");
        assert!(q["lines"].as_u64().unwrap() > 0);

        let viewer = app.sign_in("viewer@nusantara.example").await;
        let (_, groups) = app.get_as(&viewer, "/api/v1/renewals").await;
        let sites: Vec<String> = quote_numbers(&groups).into_iter().map(|(c, _)| c).collect();
        assert_eq!(sites, ["7034521"], "the viewer has one site");
    }
);

on_both_backends!(renewals_group_by_due_month_and_by_agreement, |app| {
    let s = app.sign_in("primary@nusantara.example").await;
    let (_, by_month) = app.get_as(&s, "/api/v1/renewals?group=month").await;
    let keys: Vec<&str> = by_month
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(
        keys.iter().all(|k| k.len() == 7 && k.as_bytes()[4] == b'-'),
        "{keys:?}"
    );
    assert!(keys[0] < keys[1]);
    let (_, by_agreement) = app.get_as(&s, "/api/v1/renewals?group=agreement").await;
    assert_eq!(by_agreement.as_array().unwrap().len(), 1);
    assert_eq!(by_agreement[0]["key"], "PA-0084512");
    assert_eq!(by_agreement[0]["title"], "PT Nusantara Data");
    let (status, body) = app.get_as(&s, "/api/v1/renewals?group=weekday").await;
    assert_eq!(status, 400, "{body}");
});

on_both_backends!(
    a_renewal_quote_shows_account_information_sales_rep_and_lines_priced_by_core,
    |app| {
        let s = app.sign_in("primary@nusantara.example").await;
        let (_, groups) = app.get_as(&s, "/api/v1/renewals").await;
        let (_, number) = quote_numbers(&groups).remove(0);
        let (status, q) = app.get_as(&s, &format!("/api/v1/renewals/{number}")).await;
        assert_eq!(status, 200, "{q}");
        assert_eq!(q["summary"]["quote_number"], number.as_str());
        assert_eq!(q["summary"]["customer_number"], "7034521");
        assert_eq!(q["summary"]["agreement_number"], "PA-0084512");
        assert_eq!(q["sales_rep"]["name"], "Rina Wijaya");
        assert_eq!(q["sales_rep"]["email"], "sales@entitle.example");
        assert!(q["business_partner"].is_null());
        let lines = q["lines"].as_array().unwrap();
        assert!(!lines.is_empty());
        let dec = |v: &Value| {
            v["amount"]
                .as_str()
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap()
        };
        let sum: rust_decimal::Decimal = lines.iter().map(|l| dec(&l["extended"])).sum();
        assert_eq!(dec(&q["subtotal"]), sum);
        assert_eq!(
            dec(&q["subtotal"]),
            dec(&q["summary"]["subtotal"]),
            "the stored quote and core agree"
        );
        // PPN: 12 % on 11/12 — 11 % effective, rounded per line.
        let tax = dec(&q["tax"]);
        let expected = sum * rust_decimal::Decimal::new(11, 2);
        assert!(
            (tax - expected).abs() <= rust_decimal::Decimal::from(lines.len()),
            "{tax} vs {expected}"
        );
        assert!(
            lines[0]["explanations"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["tax"]["name"] == "PPN")
        );
    }
);

on_both_backends!(another_customers_quote_is_not_found, |app| {
    let owner = app.sign_in("primary@nusantara.example").await;
    let (_, groups) = app.get_as(&owner, "/api/v1/renewals").await;
    let (_, number) = quote_numbers(&groups).remove(0);
    for stranger in ["buyer@express.example", "buyer@partnered.example"] {
        let s = app.sign_in(stranger).await;
        let (status, body) = app.get_as(&s, &format!("/api/v1/renewals/{number}")).await;
        assert_eq!(status, 404, "{stranger}: {body}");
        assert_eq!(body["error"]["code"], "not_found");
    }
    let viewer = app.sign_in("viewer@nusantara.example").await;
    let (_, groups) = app.get_as(&owner, "/api/v1/renewals").await;
    let (_, surabaya) = quote_numbers(&groups).remove(1);
    assert_eq!(
        app.get_as(&viewer, &format!("/api/v1/renewals/{surabaya}"))
            .await
            .0,
        404
    );
});

on_both_backends!(
    a_partner_owned_renewal_points_to_the_business_partner,
    |app| {
        let s = app.sign_in("buyer@partnered.example").await;
        let (_, groups) = app.get_as(&s, "/api/v1/renewals").await;
        let q = &groups[0]["quotes"][0];
        assert_eq!(q["channel"], "business_partner");
        let (_, detail) = app
            .get_as(
                &s,
                &format!("/api/v1/renewals/{}", q["quote_number"].as_str().unwrap()),
            )
            .await;
        assert_eq!(
            detail["business_partner"]["name"],
            "Rheinland IT Partner AG"
        );
        assert_eq!(detail["subtotal"]["currency"], "EUR");
    }
);

on_both_backends!(staff_see_the_quotes_of_the_customers_they_own, |app| {
    for email in [
        "renewals@entitle.example",
        "sales@entitle.example",
        "admin@entitle.example",
    ] {
        let s = app.sign_in(email).await;
        let (status, groups) = app.get_as(&s, "/api/v1/renewals?group=agreement").await;
        assert_eq!(status, 200);
        assert_eq!(quote_numbers(&groups).len(), 6, "{email}");
        assert_eq!(
            groups.as_array().unwrap().len(),
            4,
            "{email}: one group per agreement"
        );
    }
});

on_both_backends!(
    coverage_lists_lapsed_due_and_active_entitlements_of_the_users_sites,
    |app| {
        // Two more Jakarta entitlements: one ending in 200 days (active), one in 500 (beyond a year).
        let today = app.today();
        for days in [200, 500] {
            sqlx::query(
                "INSERT INTO entitlements (site_id, licence_part, renewal_part, quantity, coverage_start, coverage_end) \
                 SELECT site_id, licence_part, renewal_part, 1, $1, $2 FROM entitlements \
                 WHERE site_id = (SELECT id FROM sites WHERE customer_number = '7034521') ORDER BY id LIMIT 1",
            )
            .bind(entitle_server::db::format_date(today))
            .bind(entitle_server::db::format_date(today + time::Duration::days(days)))
            .execute(&app.db.pool)
            .await
            .unwrap();
        }
        let s = app.sign_in("primary@nusantara.example").await;
        let (status, items) = app.get_as(&s, "/api/v1/coverage").await;
        assert_eq!(status, 200);
        let items = items.as_array().unwrap();
        let count = |state: &str| items.iter().filter(|i| i["state"] == state).count();
        assert_eq!(count("lapsed"), 3);
        assert_eq!(count("due"), 8 + 6 + 5);
        assert_eq!(
            count("active"),
            1,
            "the one ending in 200 days; 500 is beyond a year"
        );
        assert!(
            items
                .iter()
                .all(|i| i["customer_number"].as_str().unwrap().starts_with("70345"))
        );
        let (_, soon) = app.get_as(&s, "/api/v1/coverage?within_days=150").await;
        assert_eq!(
            soon.as_array()
                .unwrap()
                .iter()
                .filter(|i| i["state"] == "active")
                .count(),
            0,
            "within 150 days nothing active ends"
        );
        let p = app.sign_in("buyer@partnered.example").await;
        let (_, theirs) = app.get_as(&p, "/api/v1/coverage").await;
        assert!(
            theirs
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i["channel"] == "business_partner")
        );
    }
);

on_both_backends!(renewals_export_as_csv, |app| {
    let s = app.sign_in("primary@nusantara.example").await;
    let res = app
        .client
        .get(app.url("/api/v1/renewals.csv"))
        .header("cookie", &s.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let text = res.text().await.unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert!(rows[0].starts_with("quote_number,status,version,customer_number"));
    assert_eq!(rows.len(), 4);
    assert!(
        rows[1].contains(",7034521,Jakarta HQ,PT Nusantara Data,PA-0084512,"),
        "{}",
        rows[1]
    );
    assert!(rows[1].ends_with(",IDR,online"));
});

on_both_backends!(renewals_need_a_session, |app| {
    for path in [
        "/api/v1/renewals",
        "/api/v1/renewals.csv",
        "/api/v1/renewals/RQ2640137",
        "/api/v1/coverage",
    ] {
        let (status, body) = app.get_json(path).await;
        assert_eq!(status, 401, "{path}");
        assert_eq!(body["error"]["code"], "unauthorized");
    }
});

on_both_backends!(
    a_stored_renewal_line_or_coverage_that_does_not_parse_is_an_error_not_a_guess,
    |app| {
        let s = app.sign_in("primary@nusantara.example").await;
        let (_, groups) = app.get_as(&s, "/api/v1/renewals").await;
        let (_, number) = quote_numbers(&groups).remove(0);
        let path = format!("/api/v1/renewals/{number}");
        assert_eq!(app.get_as(&s, &path).await.0, 200);
        assert_eq!(app.get_as(&s, "/api/v1/coverage").await.0, 200);
        sqlx::query("UPDATE renewal_quote_lines SET coverage_end = 'next year'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (status, err) = app.get_as(&s, &path).await;
        assert_eq!(status, 500, "{err}");
        assert_eq!(err["error"]["code"], "internal");
        sqlx::query("UPDATE entitlements SET coverage_start = 'long ago'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (status, err) = app.get_as(&s, "/api/v1/coverage").await;
        assert_eq!(status, 500, "{err}");
    }
);
