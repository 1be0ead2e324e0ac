//! Outgoing mail: messages are written to the `outbox` table inside the transaction that causes them,
//! and a worker delivers them over SMTP. Several servers may run the worker: each claims rows with a
//! lease in the database, so a message is sent by one of them, and retried with back-off if sending fails.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::clock::Clock;
use crate::db::{Db, outbox};

/// How long a claimed message belongs to the worker that claimed it.
const LEASE_SECS: i64 = 120;
/// Messages claimed per pass.
const BATCH: i64 = 20;
/// Attempts before a message is left for an operator (its `last_error` says why).
pub const MAX_ATTEMPTS: i64 = 8;

/// Why the mailer could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    /// The SMTP URL is not understood.
    #[error("ENTITLE_SMTP_URL is not a valid smtp:// or smtps:// URL: {0}")]
    Url(String),
    /// The sender address is not an address.
    #[error("ENTITLE_MAIL_FROM is not an e-mail address: {0}")]
    From(String),
}

/// Sends mail through one SMTP server.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mailer(from {})", self.from)
    }
}

impl Mailer {
    /// A mailer for `smtp://host:port` (plain, for local relays and tests), `smtp://…?tls=required`
    /// (STARTTLS) or `smtps://host` (TLS), with optional `user:password@` credentials.
    ///
    /// # Errors
    /// [`MailerError`] for a bad URL or sender.
    pub fn new(url: &str, from: &str) -> Result<Mailer, MailerError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailerError::Url(e.to_string()))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|e: lettre::address::AddressError| MailerError::From(e.to_string()))?;
        Ok(Mailer { transport, from })
    }

    async fn send(
        &self,
        to: &str,
        subject: &str,
        text: &str,
        html: Option<&str>,
    ) -> Result<(), String> {
        use lettre::message::{MultiPart, SinglePart};
        let to: Mailbox = to
            .parse()
            .map_err(|e: lettre::address::AddressError| format!("bad recipient: {e}"))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject);
        let message = match html {
            // Mail programs show the last part they can: the HTML, else the text.
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                text.to_owned(),
                html.to_owned(),
            )),
            None => builder.singlepart(SinglePart::plain(text.to_owned())),
        }
        .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// One delivery pass: claims due messages, sends them, records the outcome. Returns how many were sent.
///
/// # Errors
/// Database errors (sending errors are recorded on the message).
pub async fn deliver_due(db: &Db, clock: &Clock, mailer: &Mailer) -> crate::db::DbResult<usize> {
    let now = clock.now_unix();
    let claimed = outbox::claim_due(
        &mut *db.acquire().await?,
        now,
        now + LEASE_SECS,
        MAX_ATTEMPTS,
        BATCH,
    )
    .await?;
    let mut sent = 0;
    for mail in claimed {
        let (id, attempts) = (mail.id, mail.attempts);
        let outcome = mailer
            .send(
                &mail.recipient,
                &mail.subject,
                &mail.body,
                mail.html_body.as_deref(),
            )
            .await;
        match outcome {
            Ok(()) => {
                outbox::mark_sent(&mut *db.acquire().await?, id, clock.now_unix()).await?;
                sent += 1;
            }
            Err(e) => {
                // Exponential back-off: 1, 2, 4 … minutes.
                let retry_at = clock.now_unix() + 60 * (1_i64 << attempts.clamp(0, 10));
                tracing::warn!(message_id = id, attempts, error = %e, "sending mail failed; will retry");
                outbox::retry_later(&mut *db.acquire().await?, id, retry_at, &e).await?;
            }
        }
    }
    Ok(sent)
}

/// Runs [`deliver_due`] every `every` until the process ends.
pub fn spawn_worker(
    db: Db,
    clock: Clock,
    mailer: Mailer,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match deliver_due(&db, &clock, &mailer).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sent = n, "mail delivered"),
                Err(e) => tracing::error!(error = %e, "outbox pass failed"),
            }
        }
    })
}
