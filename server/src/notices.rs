//! Renewal notices and reminders: one mail per kind and quote version to every user of the site who
//! may see quotes, with a deep link that opens the quote right after sign-in.

use entitle_core::locale::Locale;
use sqlx::AnyConnection;

use crate::db::notices as stored;

/// Which renewal mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// The quote was issued (about 90 days before coverage ends).
    Notice,
    /// 60 days before coverage ends.
    Reminder60,
    /// 30 days before coverage ends.
    Reminder30,
    /// The rep re-issued the quote after a change request.
    Reissued,
}

impl NoticeKind {
    /// The kind its mail is stored under in the outbox.
    #[must_use]
    pub const fn outbox_kind(self) -> &'static str {
        match self {
            NoticeKind::Notice => "renewal_notice",
            NoticeKind::Reminder60 => "renewal_reminder_60",
            NoticeKind::Reminder30 => "renewal_reminder_30",
            NoticeKind::Reissued => "renewal_reissued",
        }
    }

    /// The stable code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            NoticeKind::Notice => "notice",
            NoticeKind::Reminder60 => "reminder_60",
            NoticeKind::Reminder30 => "reminder_30",
            NoticeKind::Reissued => "reissued",
        }
    }
}

/// The link that opens a renewal quote (after sign-in when signed out).
#[must_use]
pub fn quote_link(public_url: &str, quote_number: &str) -> String {
    format!(
        "{}/renewals/{quote_number}",
        public_url.trim_end_matches('/')
    )
}

/// The link that opens an order (after sign-in when signed out).
#[must_use]
pub fn order_link(public_url: &str, reference: &str) -> String {
    format!("{}/orders/{reference}", public_url.trim_end_matches('/'))
}

/// Queues the `kind` mail of a quote's current version, once. Returns whether it was queued now.
///
/// # Errors
/// Database errors.
pub async fn queue(
    tx: &mut AnyConnection,
    at: i64,
    quote_id: i64,
    kind: NoticeKind,
    public_url: &str,
) -> crate::db::DbResult<bool> {
    queue_with_note(tx, at, quote_id, kind, public_url, "").await
}

/// [`queue`], with a note from the rep added to the mail (when not empty).
///
/// # Errors
/// Database errors.
pub async fn queue_with_note(
    tx: &mut AnyConnection,
    at: i64,
    quote_id: i64,
    kind: NoticeKind,
    public_url: &str,
    note: &str,
) -> crate::db::DbResult<bool> {
    let q = stored::quote(tx, quote_id).await?;
    if !stored::record_once(tx, quote_id, kind.code(), q.version, at).await? {
        return Ok(false);
    }
    let letter = crate::letters::RenewalNotice {
        kind,
        number: q.quote_number.clone(),
        site: q.site_name.clone(),
        customer_number: q.customer_number.clone(),
        due: crate::db::parse_date(&q.due_date)?,
        partner: q.bp_name.clone(),
        note: note.trim().to_owned(),
        link: quote_link(public_url, &q.quote_number),
    };
    let recipients = stored::quote_readers(tx, q.site_id).await?;
    for to in recipients {
        // Every reader is an account: each gets the mail in their own language.
        crate::db::journal::queue_mail(tx, at, to, &letter, Locale::En).await?;
    }
    Ok(true)
}

/// Days before the due date at which each reminder goes out.
pub const REMINDERS: [(i64, NoticeKind); 2] =
    [(30, NoticeKind::Reminder30), (60, NoticeKind::Reminder60)];

/// Queues the reminders that are due on `today` for quotes still waiting for the customer: the 60-day
/// reminder from 60 days before the due date, the 30-day one from 30 days before. Each goes once per
/// quote version, whichever server runs this, and a quote first seen inside 30 days gets only the
/// 30-day one. Returns how many reminders were queued.
///
/// # Errors
/// Database errors.
pub async fn queue_due_reminders(
    db: &crate::db::Db,
    clock: &crate::clock::Clock,
    public_url: &str,
) -> crate::db::DbResult<usize> {
    let today = clock.today();
    let mut queued = 0;
    let mut tx = db.begin_write().await?;
    for (i, (days, kind)) in REMINDERS.iter().enumerate() {
        let until = today + time::Duration::days(*days);
        // The earlier (closer) reminder window excludes the later one, so at 25 days only the 30-day
        // reminder is sent, not both.
        let after = REMINDERS
            .get(i.wrapping_sub(1))
            .map(|(d, _)| today + time::Duration::days(*d));
        let ids = stored::awaiting_customer_due(&mut tx, today, until, after).await?;
        for id in ids {
            if queue(&mut tx, clock.now_unix(), id, *kind, public_url).await? {
                queued += 1;
            }
        }
    }
    crate::db::commit(tx).await?;
    Ok(queued)
}
