//! The renewal-quote life cycle: issued → (change requested → re-issued) → in cart → ordered; or
//! expired / cancelled. An illegal step is an error, and only a quote whose lines are exactly as the
//! vendor issued them can be checked out.

use serde::{Deserialize, Serialize};
use time::Date;

/// Where a renewal quote stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    /// Issued by the vendor, waiting for the customer.
    Issued,
    /// The customer changed or deleted a line; the rep must review and re-issue it.
    ChangeRequested,
    /// The rep issued a new version after a change request.
    Reissued,
    /// In the customer's cart, unchanged.
    InCart,
    /// Ordered.
    Ordered,
    /// Passed its validity date.
    Expired,
    /// Withdrawn by the vendor or declined by the customer.
    Cancelled,
}

impl QuoteStatus {
    /// Every status.
    pub const ALL: [QuoteStatus; 7] = [
        QuoteStatus::Issued,
        QuoteStatus::ChangeRequested,
        QuoteStatus::Reissued,
        QuoteStatus::InCart,
        QuoteStatus::Ordered,
        QuoteStatus::Expired,
        QuoteStatus::Cancelled,
    ];

    /// The stable code (JSON and database).
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            QuoteStatus::Issued => "issued",
            QuoteStatus::ChangeRequested => "change_requested",
            QuoteStatus::Reissued => "reissued",
            QuoteStatus::InCart => "in_cart",
            QuoteStatus::Ordered => "ordered",
            QuoteStatus::Expired => "expired",
            QuoteStatus::Cancelled => "cancelled",
        }
    }

    /// Parses a stable code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<QuoteStatus> {
        QuoteStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// No step leads out of a final status.
    #[must_use]
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            QuoteStatus::Ordered | QuoteStatus::Expired | QuoteStatus::Cancelled
        )
    }

    /// The customer may act on it (add to cart, renew, ask for changes).
    #[must_use]
    pub const fn is_open_to_customer(self) -> bool {
        matches!(
            self,
            QuoteStatus::Issued | QuoteStatus::Reissued | QuoteStatus::InCart
        )
    }
}

/// Something that happens to a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteEvent {
    /// The customer puts it in the cart.
    AddToCart,
    /// The customer takes it out of the cart unchanged.
    RemoveFromCart,
    /// The customer edits or deletes a line: the change goes back to the rep.
    RequestChange,
    /// The rep issues a new version.
    Reissue,
    /// The order is placed.
    Order,
    /// The validity date passed.
    Expire,
    /// The vendor withdraws it or the customer declines it.
    Cancel,
}

/// A step the life cycle does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a quote that is {} cannot {}", .from.code(), event_text(*.event))]
pub struct IllegalTransition {
    /// The status it was in.
    pub from: QuoteStatus,
    /// What was attempted.
    pub event: QuoteEvent,
}

const fn event_text(e: QuoteEvent) -> &'static str {
    match e {
        QuoteEvent::AddToCart => "be added to the cart",
        QuoteEvent::RemoveFromCart => "be taken out of the cart",
        QuoteEvent::RequestChange => "be changed",
        QuoteEvent::Reissue => "be re-issued",
        QuoteEvent::Order => "be ordered",
        QuoteEvent::Expire => "expire",
        QuoteEvent::Cancel => "be cancelled",
    }
}

impl IllegalTransition {
    /// Stable code for the API: `quote.change_requested` when the rep must act first, else
    /// `quote.illegal_transition`.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match (self.from, self.event) {
            (QuoteStatus::ChangeRequested, QuoteEvent::AddToCart | QuoteEvent::Order) => {
                "quote.change_requested"
            }
            (QuoteStatus::Expired, _) => "quote.expired",
            _ => "quote.illegal_transition",
        }
    }
}

impl QuoteStatus {
    /// The status after `event`, where `reissued` tells whether the quote's current version came from a
    /// re-issue (so taking it out of the cart goes back to the right place).
    ///
    /// # Errors
    /// [`IllegalTransition`] for any step the life cycle does not allow.
    pub fn apply(
        self,
        event: QuoteEvent,
        reissued: bool,
    ) -> Result<QuoteStatus, IllegalTransition> {
        use QuoteEvent as E;
        use QuoteStatus as S;
        let next = match (self, event) {
            (S::Issued | S::Reissued, E::AddToCart) => S::InCart,
            (S::InCart, E::RemoveFromCart) => {
                if reissued {
                    S::Reissued
                } else {
                    S::Issued
                }
            }
            (S::Issued | S::Reissued | S::InCart, E::RequestChange) => S::ChangeRequested,
            // A rep may also re-issue an untouched quote (e.g. a corrected price).
            (S::ChangeRequested | S::Issued | S::Reissued, E::Reissue) => S::Reissued,
            (S::InCart, E::Order) => S::Ordered,
            (s, E::Expire) if !s.is_final() => S::Expired,
            (s, E::Cancel) if !s.is_final() => S::Cancelled,
            (from, event) => return Err(IllegalTransition { from, event }),
        };
        Ok(next)
    }
}

/// Whether a quote valid through `valid_until` may still be ordered on `today`.
#[must_use]
pub fn is_valid_on(valid_until: Date, today: Date) -> bool {
    today <= valid_until
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use QuoteEvent as E;
    use QuoteStatus as S;

    #[test]
    fn the_seeds_happy_path_goes_from_issued_to_ordered() {
        let s = S::Issued.apply(E::AddToCart, false).unwrap();
        assert_eq!(s, S::InCart);
        assert_eq!(s.apply(E::Order, false).unwrap(), S::Ordered);
    }

    #[test]
    fn an_edited_quote_cannot_be_ordered_until_the_rep_reissues_it() {
        let s = S::InCart.apply(E::RequestChange, false).unwrap();
        assert_eq!(s, S::ChangeRequested);
        let err = s.apply(E::Order, false).unwrap_err();
        assert_eq!(err.code(), "quote.change_requested");
        assert_eq!(
            s.apply(E::AddToCart, false).unwrap_err().code(),
            "quote.change_requested"
        );
        let s = s.apply(E::Reissue, false).unwrap();
        assert_eq!(s, S::Reissued);
        let s = s.apply(E::AddToCart, true).unwrap();
        assert_eq!(s.apply(E::Order, true).unwrap(), S::Ordered);
    }

    #[test]
    fn taking_a_quote_out_of_the_cart_returns_it_to_its_issued_state() {
        assert_eq!(
            S::InCart.apply(E::RemoveFromCart, false).unwrap(),
            S::Issued
        );
        assert_eq!(
            S::InCart.apply(E::RemoveFromCart, true).unwrap(),
            S::Reissued
        );
    }

    #[test]
    fn nothing_leads_out_of_a_final_status() {
        for from in [S::Ordered, S::Expired, S::Cancelled] {
            for event in [
                E::AddToCart,
                E::RemoveFromCart,
                E::RequestChange,
                E::Reissue,
                E::Order,
                E::Expire,
                E::Cancel,
            ] {
                assert!(from.apply(event, false).is_err(), "{from:?} {event:?}");
            }
        }
    }

    #[test]
    fn only_a_quote_in_the_cart_can_be_ordered() {
        for from in S::ALL {
            assert_eq!(
                from.apply(E::Order, false).is_ok(),
                from == S::InCart,
                "{from:?}"
            );
        }
    }

    #[test]
    fn a_quote_is_valid_through_its_last_day() {
        use time::macros::date;
        assert!(is_valid_on(date!(2027 - 01 - 31), date!(2027 - 01 - 31)));
        assert!(!is_valid_on(date!(2027 - 01 - 31), date!(2027 - 02 - 01)));
    }

    #[test]
    fn status_codes_round_trip() {
        for s in S::ALL {
            assert_eq!(S::from_code(s.code()), Some(s));
        }
    }
}
