//! Mail through a real SMTP server (aiosmtpd, started by the test) and password reset by e-mailed link.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use entitle_server::mail::{Mailer, deliver_due};
use serde_json::json;

/// A local SMTP server that stores what it receives in a maildir.
struct SmtpServer {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    fn start() -> SmtpServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let child = Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(dir.path().join("maildir"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 with aiosmtpd (installed by ./dev.sh test)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        SmtpServer { child, port, dir }
    }

    fn mailer(&self) -> Mailer {
        Mailer::new(
            &format!("smtp://127.0.0.1:{}", self.port),
            "Entitle <no-reply@entitle.example>",
        )
        .unwrap()
    }

    /// Every message received, as text with quoted-printable soft breaks and `=3D` undone.
    fn messages(&self) -> Vec<String> {
        let new: PathBuf = self.dir.path().join("maildir/new");
        let mut out: Vec<String> = std::fs::read_dir(&new)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| read_message(&e.path()))
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }
}

/// A received message as a reader sees it: its `To:`, `Subject:` (decoded) and `Content-Type:`, then
/// each part decoded from its transfer encoding (the plain text, then the HTML).
fn read_message(p: &Path) -> String {
    let raw = std::fs::read(p).unwrap();
    let mail = mailparse::parse_mail(&raw).unwrap();
    let header = |name: &str| {
        use mailparse::MailHeaderMap;
        mail.headers.get_first_value(name).unwrap_or_default()
    };
    let mut out = format!(
        "To: {}\nSubject: {}\nContent-Type: {}\n",
        header("To"),
        header("Subject"),
        mail.ctype.mimetype
    );
    let parts: Vec<&mailparse::ParsedMail> = if mail.subparts.is_empty() {
        vec![&mail]
    } else {
        mail.subparts.iter().collect()
    };
    for part in parts {
        out.push_str(&format!("\n--- {}\n", part.ctype.mimetype));
        out.push_str(&part.get_body().unwrap());
    }
    out
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

on_both_backends!(
    a_password_reset_link_arrives_by_mail_and_sets_a_new_password,
    |app| {
        sqlx::query("DELETE FROM outbox")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let smtp = SmtpServer::start();
        let old = app.sign_in("primary@nusantara.example").await;
        let res = app
            .client
            .post(app.url("/api/v1/password-reset"))
            .json(&json!({"email": "Primary@Nusantara.example"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 202);
        assert_eq!(
            deliver_due(&app.db, &app.clock, &smtp.mailer())
                .await
                .unwrap(),
            1
        );
        let messages = smtp.messages();
        assert_eq!(messages.len(), 1);
        let mail = &messages[0];
        assert!(mail.contains("To: primary@nusantara.example"), "{mail}");
        assert!(
            mail.contains("Subject: Reset your Entitle password"),
            "{mail}"
        );
        let token = mail
            .split("reset-password?token=")
            .nth(1)
            .unwrap()
            .chars()
            .take(64)
            .collect::<String>();
        assert_eq!(token.len(), 64, "{mail}");
        let kept: String =
            sqlx::query_scalar("SELECT body FROM outbox WHERE kind = 'password_reset'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert!(!kept.contains(&token), "the sent link is not kept: {kept}");

        let confirm = |token: String, password: &'static str| {
            app.client
                .post(app.url("/api/v1/password-reset/confirm"))
                .json(&json!({"token": token, "password": password}))
                .send()
        };
        let res = confirm(token.clone(), "password1").await.unwrap();
        assert_eq!(res.status(), 422, "common passwords are refused");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            body["error"]["fields"]["password"][0]["code"],
            "password.common"
        );
        assert_eq!(
            confirm(token.clone(), "a-much-better-passphrase")
                .await
                .unwrap()
                .status(),
            204
        );
        assert_eq!(
            confirm(token, "another-good-passphrase")
                .await
                .unwrap()
                .status(),
            422,
            "single use"
        );
        assert_eq!(
            app.get_as(&old, "/api/v1/session").await.0,
            401,
            "old sessions end"
        );
        let res = app
            .client
            .post(app.url("/api/v1/session"))
            .json(&json!({"email": "primary@nusantara.example", "password": "entitle-demo"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        let res = app
        .client
        .post(app.url("/api/v1/session"))
        .json(&json!({"email": "primary@nusantara.example", "password": "a-much-better-passphrase"}))
        .send()
        .await
        .unwrap();
        assert_eq!(res.status(), 200);
    }
);

async fn ask_reset(app: &common::TestApp, email: &str) -> u16 {
    app.client
        .post(app.url("/api/v1/password-reset"))
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

on_both_backends!(
    reset_requests_are_throttled_alike_for_every_address_and_a_used_link_ends_the_others,
    |app| {
        for email in ["buyer@express.example", "nobody@nowhere.example"] {
            for i in 1..=4 {
                assert_eq!(ask_reset(app, email).await, 202, "{email} request {i}");
            }
            assert_eq!(ask_reset(app, email).await, 429, "{email}: no mail bombing");
        }
        let queued: Vec<String> =
            sqlx::query_scalar("SELECT body FROM outbox WHERE kind = 'password_reset' ORDER BY id")
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(queued.len(), 4, "mails for the account only");
        let token = |body: &String| {
            body.split("reset-password?token=")
                .nth(1)
                .unwrap()
                .chars()
                .take(64)
                .collect::<String>()
        };
        let confirm = |token: String| {
            app.client
                .post(app.url("/api/v1/password-reset/confirm"))
                .json(&json!({"token": token, "password": "a-much-better-passphrase"}))
                .send()
        };
        assert_eq!(confirm(token(&queued[3])).await.unwrap().status(), 204);
        for older in &queued[..3] {
            assert_eq!(
                confirm(token(older)).await.unwrap().status(),
                422,
                "every other link of the account ended"
            );
        }
    }
);

on_both_backends!(
    asking_a_reset_for_an_unknown_email_looks_the_same_and_sends_nothing,
    |app| {
        let res = app
            .client
            .post(app.url("/api/v1/password-reset"))
            .json(&json!({"email": "nobody@nowhere.example"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 202);
        let queued: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'password_reset'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(queued, 0);
    }
);

on_both_backends!(
    an_unreachable_smtp_server_leaves_the_mail_queued_for_a_later_retry,
    |app| {
        sqlx::query("DELETE FROM outbox")
            .execute(&app.db.pool)
            .await
            .unwrap();
        app.client
            .post(app.url("/api/v1/password-reset"))
            .json(&json!({"email": "buyer@express.example"}))
            .send()
            .await
            .unwrap();
        let closed = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mailer = Mailer::new(
            &format!("smtp://127.0.0.1:{closed}"),
            "no-reply@entitle.example",
        )
        .unwrap();
        assert_eq!(deliver_due(&app.db, &app.clock, &mailer).await.unwrap(), 0);
        let row: (i64, Option<String>, Option<i64>) =
            sqlx::query_as("SELECT attempts, last_error, sent_at FROM outbox")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(row.0, 1);
        assert!(row.1.is_some_and(|e| !e.is_empty()));
        assert_eq!(row.2, None);
        // Backing off: an immediate second pass does not retry it.
        assert_eq!(deliver_due(&app.db, &app.clock, &mailer).await.unwrap(), 0);
        let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM outbox")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(attempts, 1);
        // Once the back-off has passed and the server answers, it goes out.
        sqlx::query("UPDATE outbox SET claimed_until = 0")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let smtp = SmtpServer::start();
        assert_eq!(
            deliver_due(&app.db, &app.clock, &smtp.mailer())
                .await
                .unwrap(),
            1
        );
        assert_eq!(smtp.messages().len(), 1);
    }
);

on_both_backends!(two_workers_at_once_send_each_message_exactly_once, |app| {
    let smtp = SmtpServer::start();
    sqlx::query("DELETE FROM outbox")
        .execute(&app.db.pool)
        .await
        .unwrap();
    for i in 0..12 {
        sqlx::query("INSERT INTO outbox (kind, recipient, subject, body, created_at) VALUES ('test', $1, $2, 'hello', 0)")
            .bind(format!("user{i}@example.com"))
            .bind(format!("message {i}"))
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    let (m1, m2) = (smtp.mailer(), smtp.mailer());
    let (a, b) = tokio::join!(
        deliver_due(&app.db, &app.clock, &m1),
        deliver_due(&app.db, &app.clock, &m2)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let rest = deliver_due(&app.db, &app.clock, &m1).await.unwrap();
    assert_eq!(a + b + rest, 12, "{a} + {b} + {rest}");
    assert_eq!(smtp.messages().len(), 12);
});

on_both_backends!(
    issued_renewal_quotes_send_a_notice_with_a_deep_link_once,
    |app| {
        let smtp = SmtpServer::start();
        let sent = deliver_due(&app.db, &app.clock, &smtp.mailer())
            .await
            .unwrap();
        assert!(sent >= 4, "{sent}");
        let mails = smtp.messages();
        let nusantara: Vec<&String> = mails
            .iter()
            .filter(|m| m.contains("To: primary@nusantara.example"))
            .collect();
        assert_eq!(nusantara.len(), 3, "one notice per quoted Nusantara site");
        let viewer: Vec<&String> = mails
            .iter()
            .filter(|m| m.contains("To: viewer@nusantara.example"))
            .collect();
        assert_eq!(viewer.len(), 1, "the viewer sees quotes of one site");
        let s = app.sign_in("primary@nusantara.example").await;
        let (_, groups) = app.get_as(&s, "/api/v1/renewals").await;
        let first = groups[0]["quotes"][0]["quote_number"].as_str().unwrap();
        let link = format!("{}/renewals/{first}", common::PUBLIC_URL);
        assert!(
            nusantara
                .iter()
                .any(|m| m.contains(&link) && m.contains("Subject: Renewal quote")),
            "no mail links to {link}"
        );
        let partner = mails
            .iter()
            .find(|m| m.contains("To: buyer@partnered.example"))
            .expect("partner notice");
        // Partnered GmbH's buyer chose German: subject, text and HTML part are German.
        assert!(
            partner.contains("Subject: Verlängerungsangebot RQ")
                && partner.contains(
                    "Diese Verlängerung betreut Ihr Business Partner, Rheinland IT Partner AG"
                )
                && partner.contains("--- text/html")
                && partner.contains("<html lang=\"de\">"),
            "{partner}"
        );
        let english = nusantara[0];
        assert!(
            english.contains("Content-Type: multipart/alternative")
                && english.contains("--- text/plain")
                && english.contains("Hello,")
                && english.contains("<html lang=\"en\">"),
            "{english}"
        );
        // Queuing the same notice again sends nothing more.
        let mut tx = app.db.pool.begin().await.unwrap();
        let id: i64 = sqlx::query_scalar("SELECT id FROM renewal_quotes ORDER BY id")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        let again = entitle_server::notices::queue(
            &mut tx,
            app.clock.now_unix(),
            id,
            entitle_server::notices::NoticeKind::Notice,
            common::PUBLIC_URL,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert!(!again);
        assert_eq!(
            deliver_due(&app.db, &app.clock, &smtp.mailer())
                .await
                .unwrap(),
            0
        );
    }
);

on_both_backends!(
    reminders_go_out_once_at_sixty_and_thirty_days_before_the_due_date,
    |app| {
        use entitle_server::notices::queue_due_reminders;
        // Demo quotes fall due in 30 (Jakarta), 45 (München), 60 (Austin) and 75 (Surabaya) days.
        let count = |kind: &'static str| async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM renewal_notices WHERE kind = $1")
                .bind(kind)
                .fetch_one(&app.db.pool)
                .await
                .unwrap()
        };
        queue_due_reminders(&app.db, &app.clock, common::PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(count("reminder_30").await, 1, "Jakarta is due in 30 days");
        assert_eq!(
            count("reminder_60").await,
            2,
            "München and Austin are due within 31–60 days"
        );
        // Running again (or on a second server) queues nothing new.
        assert_eq!(
            queue_due_reminders(&app.db, &app.clock, common::PUBLIC_URL)
                .await
                .unwrap(),
            0
        );
        // Fifteen days on, München and Austin enter the 30-day window; Surabaya the 60-day one.
        app.hand.advance(time::Duration::days(15));
        queue_due_reminders(&app.db, &app.clock, common::PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(count("reminder_30").await, 2, "München at 30 days");
        assert_eq!(count("reminder_60").await, 3, "Surabaya at 60 days");
        let mail: String = sqlx::query_scalar(
            "SELECT subject FROM outbox WHERE kind = 'renewal_reminder_30' ORDER BY id",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(mail.starts_with("Reminder: renewal quote"), "{mail}");
    }
);

on_both_backends!(
    the_language_a_user_chooses_is_kept_and_their_mail_is_written_in_it,
    |app| {
        let s = app.sign_in("primary@nusantara.example").await;
        let (_, before) = app.get_as(&s, "/api/v1/session").await;
        assert_eq!(before["locale"], serde_json::Value::Null, "never chosen");
        let (status, _) = common::send(
            app,
            &s,
            reqwest::Method::PUT,
            "/api/v1/account/language",
            json!({"locale": "id"}),
        )
        .await;
        assert_eq!(status, 204);
        let (_, after) = app.get_as(&s, "/api/v1/session").await;
        assert_eq!(after["locale"], "id");
        for bad in [json!({"locale": "fr"}), json!({"locale": 1}), json!({})] {
            let (status, body) = common::send(
                app,
                &s,
                reqwest::Method::PUT,
                "/api/v1/account/language",
                bad.clone(),
            )
            .await;
            assert!(status == 400 || status == 422, "{bad} → {status} {body}");
        }
        // A reset asked for from an English page still goes out in the language the owner chose.
        sqlx::query("DELETE FROM outbox")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let res = app
            .client
            .post(app.url("/api/v1/password-reset"))
            .header("Accept-Language", "en")
            .json(&json!({"email": "primary@nusantara.example"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 202);
        let (subject, body, html): (String, String, Option<String>) = sqlx::query_as(
            "SELECT subject, body, html_body FROM outbox WHERE kind = 'password_reset'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(subject, "Atur ulang kata sandi Entitle Anda");
        assert!(body.starts_with("Halo "), "{body}");
        assert!(html.unwrap().contains("<html lang=\"id\">"));
        // Nobody else's mail changed language: an address that is no account gets the fallback.
        assert_eq!(
            entitle_server::db::users::locale_of(
                &mut app.db.pool.acquire().await.unwrap(),
                "nobody@example.com"
            )
            .await
            .unwrap(),
            None
        );
    }
);
