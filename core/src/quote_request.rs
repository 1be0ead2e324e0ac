//! The life cycle of a quote request: a customer asks the sales rep to price the cart's catalog lines,
//! the rep sends a quote (a discount valid until a date), and the customer accepts it into the cart or
//! declines it. A sent quote expires after its validity date.
//!
//! ```text
//! submitted ──send──▶ quoted ──accept──▶ accepted
//!     │                │  ▲ ╲──decline─▶ declined
//!     └───decline──────┼──┼──▶ declined
//!                      │  └──send (correct it, or quote again)──┐
//!                      └──expire──▶ expired ─────────────────────┘
//! accepted ──change──▶ submitted   (the customer changed a quoted line in the cart: back to the rep;
//!                                   the same from submitted, quoted or expired while its lines are there)
//! accepted ──remove──▶ quoted      (the customer took the quote out of the cart: it may be accepted again)
//! ```
//!
//! A quote's discount was given for its lines as quoted: once accepted they are fixed in the cart, like
//! the lines of a renewal quote. A change sends the whole request back to the rep.
//!
//! The stored status is only half the truth: a quote past its validity date is expired from that day
//! on, whether or not anything has written it yet. [`effective_status`] says what it is on a day; every
//! step is decided on that.

use time::Date;

pub use crate::dto::QuoteRequestStatus;
use crate::error_code::ErrorCode;
use crate::quote::is_valid_on;

/// What can happen to a quote request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteRequestEvent {
    /// The sales rep sends (or corrects, or renews) the quote.
    SendQuote,
    /// The customer puts the quoted lines into the cart.
    Accept,
    /// The customer declines.
    Decline,
    /// The validity date passed.
    Expire,
    /// The customer changed a quoted line in the cart: the rep prices the request again.
    RequestChange,
    /// The customer took the quote's lines out of the cart.
    RemoveFromCart,
}

/// A step the life cycle does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct IllegalRequestStep {
    /// The status on the day of the attempt.
    pub from: QuoteRequestStatus,
    /// What was attempted.
    pub event: QuoteRequestEvent,
}

impl IllegalRequestStep {
    /// Stable code for the API: `quote.expired` when accepting an expired quote (the customer should
    /// ask for a new one), else `quote_request.not_open`.
    #[must_use]
    pub const fn code(&self) -> ErrorCode {
        match (self.from, self.event) {
            (QuoteRequestStatus::Expired, QuoteRequestEvent::Accept) => ErrorCode::QuoteExpired,
            _ => ErrorCode::QuoteRequestNotOpen,
        }
    }

    /// An English sentence for people.
    #[must_use]
    pub fn message(&self) -> String {
        match (self.from, self.event) {
            (QuoteRequestStatus::Expired, QuoteRequestEvent::Accept) => {
                "this quote has expired; ask your sales rep for a new one".to_owned()
            }
            (QuoteRequestStatus::Submitted, QuoteRequestEvent::Accept) => {
                "this quote request has not been quoted yet".to_owned()
            }
            (from, _) => format!(
                "this quote request is {}; nothing more can be done with it",
                from.code()
            ),
        }
    }
}

/// The status of a request stored as `stored`, quoted until `valid_until`, on `today`: a quote past its
/// validity date is expired.
#[must_use]
pub fn effective_status(
    stored: QuoteRequestStatus,
    valid_until: Option<Date>,
    today: Date,
) -> QuoteRequestStatus {
    match (stored, valid_until) {
        (QuoteRequestStatus::Quoted, Some(until)) if !is_valid_on(until, today) => {
            QuoteRequestStatus::Expired
        }
        (status, _) => status,
    }
}

impl QuoteRequestStatus {
    /// The status after `event` (decide on the [`effective_status`]).
    ///
    /// # Errors
    /// [`IllegalRequestStep`] for any step the life cycle does not allow.
    pub fn apply(self, event: QuoteRequestEvent) -> Result<QuoteRequestStatus, IllegalRequestStep> {
        use QuoteRequestEvent as E;
        use QuoteRequestStatus as S;
        let next = match (self, event) {
            // A rep may correct a quote the customer has not acted on yet, or quote again after it
            // expired.
            (S::Submitted | S::Quoted | S::Expired, E::SendQuote) => S::Quoted,
            (S::Quoted, E::Accept) => S::Accepted,
            (S::Submitted | S::Quoted, E::Decline) => S::Declined,
            (S::Quoted, E::Expire) => S::Expired,
            // Also after a first change (the rep has not answered, or answered and the customer has not
            // accepted yet): the request stays with the rep with the newest quantities.
            (S::Accepted | S::Submitted | S::Quoted | S::Expired, E::RequestChange) => S::Submitted,
            (S::Accepted, E::RemoveFromCart) => S::Quoted,
            (from, event) => return Err(IllegalRequestStep { from, event }),
        };
        Ok(next)
    }

    /// Whether nothing more can happen to it, except to an accepted quote's lines in the cart.
    #[must_use]
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            QuoteRequestStatus::Accepted | QuoteRequestStatus::Declined
        )
    }

    /// Whether it waits for the sales rep (the desk lists these first).
    #[must_use]
    pub const fn waits_for_rep(self) -> bool {
        matches!(self, QuoteRequestStatus::Submitted)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use time::Duration;
    use time::macros::date;

    use super::*;

    const ALL: [QuoteRequestStatus; 5] = [
        QuoteRequestStatus::Submitted,
        QuoteRequestStatus::Quoted,
        QuoteRequestStatus::Accepted,
        QuoteRequestStatus::Declined,
        QuoteRequestStatus::Expired,
    ];

    #[test]
    fn a_quote_is_valid_through_its_last_day_and_expired_the_day_after() {
        let until = date!(2027 - 02 - 28);
        let q = QuoteRequestStatus::Quoted;
        assert_eq!(effective_status(q, Some(until), until), q);
        assert_eq!(
            effective_status(q, Some(until), until + Duration::days(1)),
            QuoteRequestStatus::Expired
        );
        assert_eq!(
            effective_status(
                QuoteRequestStatus::Accepted,
                Some(until),
                until + Duration::days(9)
            ),
            QuoteRequestStatus::Accepted,
            "an accepted quote stays accepted"
        );
    }

    #[test]
    fn the_customer_accepts_or_declines_a_quote_and_then_nothing_more_happens() {
        use QuoteRequestEvent as E;
        use QuoteRequestStatus as S;
        assert_eq!(S::Submitted.apply(E::SendQuote), Ok(S::Quoted));
        assert_eq!(S::Quoted.apply(E::Accept), Ok(S::Accepted));
        assert_eq!(S::Quoted.apply(E::Decline), Ok(S::Declined));
        assert_eq!(S::Submitted.apply(E::Decline), Ok(S::Declined));
        assert_eq!(S::Expired.apply(E::SendQuote), Ok(S::Quoted));
        assert_eq!(S::Accepted.apply(E::RequestChange), Ok(S::Submitted));
        assert_eq!(S::Accepted.apply(E::RemoveFromCart), Ok(S::Quoted));
        assert_eq!(S::Quoted.apply(E::RequestChange), Ok(S::Submitted));
        assert!(S::Declined.apply(E::RequestChange).is_err());
        for s in ALL.into_iter().filter(|s| *s != S::Accepted) {
            assert!(
                s.apply(E::RemoveFromCart).is_err(),
                "{s:?}: only an accepted quote is in a cart"
            );
        }
        for s in ALL.into_iter().filter(|s| s.is_final()) {
            for e in [E::SendQuote, E::Accept, E::Decline, E::Expire] {
                let err = s.apply(e).unwrap_err();
                assert_eq!(err.code(), ErrorCode::QuoteRequestNotOpen, "{s:?} {e:?}");
            }
        }
    }

    #[test]
    fn an_expired_quote_cannot_be_accepted_and_says_so() {
        let err = QuoteRequestStatus::Expired
            .apply(QuoteRequestEvent::Accept)
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::QuoteExpired);
        assert!(err.to_string().contains("expired"), "{err}");
        let err = QuoteRequestStatus::Submitted
            .apply(QuoteRequestEvent::Accept)
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::QuoteRequestNotOpen);
    }
}
