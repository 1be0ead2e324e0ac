//! The words of every mail Entitle sends, in the recipient's language.
//!
//! Each kind of mail is a struct of the facts it tells (dates and money unformatted), and one askama
//! text template per language in `server/templates/letters/<lang>/`: its first line is the subject,
//! the rest the plain-text body. The HTML part is the same text poured into one layout
//! (`letters/layout.html`): paragraphs, line breaks and links, escaped by askama. So a translator
//! edits one file per mail and language, and askama refuses to compile a template that names a
//! field the struct does not have.

use askama::Template;
use entitle_core::locale::Locale;
use entitle_core::money::Money;
use entitle_core::order::OrderStatus;
use time::Date;

use crate::notices::NoticeKind;

/// Formats for templates, in the mail's language (templates call `f.date(m.due)`).
#[derive(Debug, Clone, Copy)]
pub struct Formats(pub Locale);

impl Formats {
    /// `1 January 2027` / `1 Januari 2027` / `1. Januar 2027`.
    #[must_use]
    pub fn date(&self, d: &Date) -> String {
        self.0.long_date(*d)
    }

    /// Money as the language writes it.
    #[must_use]
    pub fn money(&self, m: &Money) -> String {
        self.0.money(m)
    }

    /// A percent number (`12.5` → `12,5` in Indonesian and German), without the sign.
    #[must_use]
    pub fn percent(&self, pct: &rust_decimal::Decimal) -> String {
        let pct = pct.normalize();
        self.0.number(pct, pct.scale())
    }
}

/// A mail ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
}

/// A template that did not render, or whose first line is not a subject.
#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    /// askama failed (a formatting error in a field).
    #[error("mail template: {0}")]
    Template(#[from] askama::Error),
    /// The template does not start with a subject line and a blank line.
    #[error("mail template {0} has no subject line")]
    NoSubject(&'static str),
}

/// A kind of mail.
pub trait Letter {
    /// The stable kind, stored with the message (`order_confirmation`).
    fn kind(&self) -> &'static str;
    /// The subject line, a blank line, then the body, in `l`.
    ///
    /// # Errors
    /// askama's.
    fn render_text(&self, l: Locale) -> askama::Result<String>;
}

/// `letter` in `l`: subject, plain text and HTML.
///
/// # Errors
/// [`LetterError`] when a template does not render.
pub fn render(letter: &impl Letter, l: Locale) -> Result<Rendered, LetterError> {
    let all = letter.render_text(l)?;
    let all = all.trim_start();
    let (subject, body) = all
        .split_once("\n\n")
        .filter(|(s, _)| !s.trim().is_empty() && !s.contains('\n'))
        .ok_or(LetterError::NoSubject(letter.kind()))?;
    let text = tidy(body);
    let html = Layout {
        lang: l.tag(),
        subject: subject.trim(),
        paragraphs: paragraphs(&text),
        footer: footer(l),
    }
    .render()?;
    Ok(Rendered {
        subject: subject.trim().to_owned(),
        text,
        html,
    })
}

/// Trailing spaces and runs of blank lines (left by optional parts of a template) taken out.
fn tidy(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut blank = 0;
    for line in body.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out.push('\n');
    out
}

/// What the HTML layout draws: a paragraph is lines, a line is pieces of text and links.
type Paragraph = Vec<Vec<Piece>>;

/// A run of text, or a link (shown as its address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The text.
    pub text: String,
    /// Whether it is an `http(s)://` address.
    pub link: bool,
}

fn paragraphs(text: &str) -> Vec<Paragraph> {
    text.split("\n\n")
        .map(|p| p.lines().map(pieces).collect())
        .collect()
}

fn pieces(line: &str) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for (i, word) in line.split(' ').enumerate() {
        let space = if i > 0 { " " } else { "" };
        if word.starts_with("https://") || word.starts_with("http://") {
            // The space before a link stays with the text before it.
            if !space.is_empty() {
                match out.last_mut() {
                    Some(last) if !last.link => last.text.push(' '),
                    _ => out.push(Piece {
                        text: " ".into(),
                        link: false,
                    }),
                }
            }
            out.push(Piece {
                text: word.to_owned(),
                link: true,
            });
        } else {
            match out.last_mut() {
                Some(last) if !last.link => {
                    last.text.push_str(space);
                    last.text.push_str(word);
                }
                _ => out.push(Piece {
                    text: format!("{space}{word}"),
                    link: false,
                }),
            }
        }
    }
    out
}

const fn footer(l: Locale) -> &'static str {
    match l {
        Locale::En => {
            "Entitle sent this message because of your account. Please do not reply to it."
        }
        Locale::Id => "Entitle mengirim pesan ini terkait akun Anda. Mohon jangan membalasnya.",
        Locale::De => {
            "Entitle hat Ihnen diese Nachricht wegen Ihres Kontos gesendet. Bitte antworten Sie nicht darauf."
        }
    }
}

#[derive(Template)]
#[template(path = "letters/layout.html")]
struct Layout<'a> {
    lang: &'a str,
    subject: &'a str,
    paragraphs: Vec<Paragraph>,
    footer: &'a str,
}

/// Declares a kind of mail: its struct, and the three templates (en, id, de) that render it.
macro_rules! letter {
    ($(#[$doc:meta])* $name:ident (|$m:ident| $kind:expr) { $($(#[$fdoc:meta])* $field:ident : $ty:ty),* $(,)? }
     en = $en:tt, id = $id:tt, de = $de:tt) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name {
            $($(#[$fdoc])* pub $field: $ty),*
        }

        const _: () = {
            // `f` is there for the templates that format a date or money; not all of them do.
            #[derive(Template)]
            #[template(path = $en, escape = "none")]
            #[allow(dead_code)]
            struct En<'a> { m: &'a $name, f: Formats }
            #[derive(Template)]
            #[template(path = $id, escape = "none")]
            #[allow(dead_code)]
            struct Id<'a> { m: &'a $name, f: Formats }
            #[derive(Template)]
            #[template(path = $de, escape = "none")]
            #[allow(dead_code)]
            struct De<'a> { m: &'a $name, f: Formats }

            impl Letter for $name {
                fn kind(&self) -> &'static str {
                    let $m = self;
                    $kind
                }

                fn render_text(&self, l: Locale) -> askama::Result<String> {
                    let f = Formats(l);
                    match l {
                        Locale::En => En { m: self, f }.render(),
                        Locale::Id => Id { m: self, f }.render(),
                        Locale::De => De { m: self, f }.render(),
                    }
                }
            }
        };
    };
}

letter! {
    /// A renewal quote was issued, is due in 60 or 30 days, or was re-issued: to every user of the site
    /// who may see quotes.
    RenewalNotice(|m| m.kind.outbox_kind()) {
        /// Which of the four.
        kind: NoticeKind,
        /// The quote number.
        number: String,
        /// The site's name.
        site: String,
        /// The site's customer number.
        customer_number: String,
        /// When coverage ends.
        due: Date,
        /// The Business Partner who handles the renewal, if one does.
        partner: Option<String>,
        /// The renewal rep's note (may be empty).
        note: String,
        /// Opens the quote (after sign-in).
        link: String,
    }
    en = "letters/en/renewal_notice.txt", id = "letters/id/renewal_notice.txt", de = "letters/de/renewal_notice.txt"
}

letter! {
    /// A renewal quote of a customer a Business Partner serves was issued: to the partner.
    PartnerRenewal(|_m| "renewal_partner") {
        /// The partner's contact name.
        partner: String,
        /// The quote number.
        number: String,
        /// The customer's organisation.
        organisation: String,
        /// The site's name.
        site: String,
        /// The site's customer number.
        customer_number: String,
        /// When coverage ends.
        due: Date,
    }
    en = "letters/en/partner_renewal.txt", id = "letters/id/partner_renewal.txt", de = "letters/de/partner_renewal.txt"
}

letter! {
    /// A quote set to renew automatically could not (no billing details): to the buyer.
    AutoRenewFailed(|_m| "auto_renew_failed") {
        /// The quote number.
        number: String,
        /// Opens the quote.
        link: String,
    }
    en = "letters/en/auto_renew_failed.txt", id = "letters/id/auto_renew_failed.txt", de = "letters/de/auto_renew_failed.txt"
}

letter! {
    /// A quote renewed automatically into an order: to the buyer.
    AutoRenewed(|_m| "order_confirmation") {
        /// The quote number.
        number: String,
        /// The site's name.
        site: String,
        /// The site's customer number.
        customer_number: String,
        /// The order reference.
        reference: String,
        /// The order total.
        total: Money,
        /// Opens the order.
        link: String,
    }
    en = "letters/en/auto_renewed.txt", id = "letters/id/auto_renewed.txt", de = "letters/de/auto_renewed.txt"
}

letter! {
    /// An order was placed: to the buyer's billing contact.
    OrderConfirmation(|_m| "order_confirmation") {
        /// The order reference.
        reference: String,
        /// The site's name.
        site: String,
        /// The site's customer number.
        customer_number: String,
        /// The order total.
        total: Money,
        /// Opens the order.
        link: String,
    }
    en = "letters/en/order_confirmation.txt", id = "letters/id/order_confirmation.txt", de = "letters/de/order_confirmation.txt"
}

letter! {
    /// The desk moved an order to another status: to the buyer.
    OrderStatusChanged(|_m| "order_status") {
        /// The order reference.
        reference: String,
        /// The new status.
        status: OrderStatus,
        /// Whether a card payment was refunded (cancelled orders).
        refunded: bool,
        /// Why it was cancelled (may be empty).
        reason: String,
        /// A renewal quote the cancellation opened again.
        reopened: Option<String>,
        /// Opens that quote.
        reopened_link: String,
        /// Opens the order.
        link: String,
    }
    en = "letters/en/order_status.txt", id = "letters/id/order_status.txt", de = "letters/de/order_status.txt"
}

letter! {
    /// A primary contact decided an access request: to the requester.
    AccessDecision(|_m| "access_decision") {
        /// Approved or not.
        approved: bool,
        /// The site's name.
        site: String,
        /// The site's customer number.
        customer_number: String,
        /// What may be done: buy and renew.
        buy: bool,
        /// See quotes and renewals.
        view_quotes: bool,
        /// See orders.
        view_orders: bool,
        /// The portal's address.
        link: String,
    }
    en = "letters/en/access_decision.txt", id = "letters/id/access_decision.txt", de = "letters/de/access_decision.txt"
}

letter! {
    /// Someone asked for access to a site: to its primary contacts.
    AccessRequested(|_m| "access_request") {
        /// Who asks.
        requester: String,
        /// Their e-mail address.
        requester_email: String,
        /// The site's name.
        site: String,
        /// The site's customer number.
        customer_number: String,
        /// Their message (may be empty).
        message: String,
        /// Where to decide.
        link: String,
    }
    en = "letters/en/access_request.txt", id = "letters/id/access_request.txt", de = "letters/de/access_request.txt"
}

letter! {
    /// A customer asked for a quote: to the site's sales rep.
    QuoteRequested(|_m| "quote_request") {
        /// The request number.
        number: String,
        /// Who asks.
        requester: String,
        /// Their e-mail address.
        requester_email: String,
        /// The customer's organisation.
        organisation: String,
        /// The site's name.
        site: String,
        /// The site's customer number.
        customer_number: String,
        /// How many lines.
        lines: usize,
        /// Their note (may be empty).
        note: String,
        /// Where to price it.
        link: String,
    }
    en = "letters/en/quote_request.txt", id = "letters/id/quote_request.txt", de = "letters/de/quote_request.txt"
}

/// What a customer did with a sales rep's quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteDecision {
    /// Took it into the cart.
    Accepted,
    /// Declined it.
    Declined,
    /// Changed a line of it in the cart, to this quantity.
    Changed(u32),
}

letter! {
    /// A customer accepted, declined or changed a sales rep's quote: to the rep.
    QuoteRequestDecided(|_m| "quote_request_decided") {
        /// The quote number.
        number: String,
        /// Who.
        customer: String,
        /// Their e-mail address.
        customer_email: String,
        /// What they did.
        decision: QuoteDecision,
    }
    en = "letters/en/quote_request_decided.txt", id = "letters/id/quote_request_decided.txt", de = "letters/de/quote_request_decided.txt"
}

letter! {
    /// A sales rep priced a quote request: to the customer who asked.
    QuoteSent(|_m| "quote_sent") {
        /// The quote number.
        number: String,
        /// The rep's name.
        rep: String,
        /// The discount in percent (`12.5`).
        discount_percent: rust_decimal::Decimal,
        /// The last day it can be ordered.
        valid_until: Date,
        /// The rep's note (may be empty).
        note: String,
        /// Opens it.
        link: String,
    }
    en = "letters/en/quote_sent.txt", id = "letters/id/quote_sent.txt", de = "letters/de/quote_sent.txt"
}

letter! {
    /// A customer asked the renewal rep or their Business Partner to handle a renewal.
    RenewalChannel(|_m| "renewal_channel") {
        /// The quote number.
        number: String,
        /// Who asks.
        requester: String,
        /// Their e-mail address.
        requester_email: String,
        /// The site's name.
        site: String,
        /// The site's customer number.
        customer_number: String,
        /// Their note (may be empty).
        note: String,
    }
    en = "letters/en/renewal_channel.txt", id = "letters/id/renewal_channel.txt", de = "letters/de/renewal_channel.txt"
}

letter! {
    /// A customer changed a renewal quote in the cart: to the renewal rep.
    ChangeRequested(|_m| "change_request") {
        /// The quote number.
        number: String,
        /// Who changed it.
        requester: String,
        /// Their e-mail address.
        requester_email: String,
        /// The customer.
        customer: String,
    }
    en = "letters/en/change_request.txt", id = "letters/id/change_request.txt", de = "letters/de/change_request.txt"
}

letter! {
    /// Someone asked to reset an account's password: to its owner, with the one-time link.
    PasswordReset(|_m| "password_reset") {
        /// The owner's name.
        name: String,
        /// The one-time link.
        link: String,
    }
    en = "letters/en/password_reset.txt", id = "letters/id/password_reset.txt", de = "letters/de/password_reset.txt"
}

letter! {
    /// An account's password was changed: to its owner.
    PasswordChanged(|_m| "password_changed") {
        /// The owner's name.
        name: String,
        /// Where to reset it if it was not them.
        reset_link: String,
    }
    en = "letters/en/password_changed.txt", id = "letters/id/password_changed.txt", de = "letters/de/password_changed.txt"
}

#[cfg(test)]
mod tests;
