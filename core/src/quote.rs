//! The renewal-quote life cycle: issued → (change requested → re-issued) → in cart → ordered; or
//! expired / cancelled. An illegal step is an error, and only a quote whose lines are exactly as the
//! vendor issued them can be checked out.

use time::Date;

/// Where a renewal quote stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
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

    /// No step leads out of a final status (but a cancelled order gives an ordered quote back, see
    /// [`QuoteEvent::OrderCancelled`]).
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
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
    /// The order placed from it was cancelled: the quote goes back to the customer.
    OrderCancelled,
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
        QuoteEvent::OrderCancelled => "go back to the customer",
    }
}

impl IllegalTransition {
    /// Stable code for the API: `quote.change_requested` when the rep must act first, else
    /// `quote.illegal_transition`.
    #[must_use]
    pub const fn code(&self) -> crate::error_code::ErrorCode {
        use crate::error_code::ErrorCode as C;
        match (self.from, self.event) {
            (QuoteStatus::ChangeRequested, QuoteEvent::AddToCart | QuoteEvent::Order) => {
                C::QuoteChangeRequested
            }
            (QuoteStatus::Expired, _) => C::QuoteExpired,
            _ => C::QuoteIllegalTransition,
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
            // The one way back from "ordered": the order was cancelled before it was fulfilled.
            (S::Ordered, E::OrderCancelled) => {
                if reissued {
                    S::Reissued
                } else {
                    S::Issued
                }
            }
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

/// The longest a sales rep's quote may stay valid, in days from the day it is sent.
pub const MAX_QUOTE_VALIDITY_DAYS: i64 = 180;

/// Why a rep's quote terms are not acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QuoteTermsError {
    /// The discount is not a number.
    #[error("enter the discount as a number of percent, e.g. 12.5")]
    DiscountNotNumber,
    /// Outside 0–100 %.
    #[error("the discount must be from 0 to 100 percent")]
    DiscountOutOfRange,
    /// More than two decimals.
    #[error("use at most two decimals")]
    DiscountTooPrecise,
    /// No validity date.
    #[error("choose the last day the quote can be ordered")]
    ValidUntilMissing,
    /// The validity date is before today.
    #[error("the quote must be valid at least until today")]
    ValidUntilPast,
    /// Too far ahead.
    #[error("a quote can be valid for at most {max_days} days")]
    ValidUntilTooFar {
        /// The limit.
        max_days: i64,
    },
}

impl QuoteTermsError {
    /// Stable code for the API.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            QuoteTermsError::DiscountNotNumber => "discount.not_number",
            QuoteTermsError::DiscountOutOfRange => "discount.out_of_range",
            QuoteTermsError::DiscountTooPrecise => "discount.too_precise",
            QuoteTermsError::ValidUntilMissing => "valid_until.missing",
            QuoteTermsError::ValidUntilPast => "valid_until.past",
            QuoteTermsError::ValidUntilTooFar { .. } => "valid_until.too_far",
        }
    }
}

impl crate::validation::Explain for QuoteTermsError {
    fn code(&self) -> &'static str {
        QuoteTermsError::code(self)
    }

    fn message(&self, locale: crate::locale::Locale) -> String {
        use crate::locale::Locale;
        match (locale, self) {
            (Locale::En, e) => e.to_string(),
            (Locale::Id, QuoteTermsError::DiscountNotNumber) => {
                "Masukkan diskon sebagai angka persen, mis. 12,5".into()
            }
            (Locale::Id, QuoteTermsError::DiscountOutOfRange) => {
                "Diskon harus antara 0 dan 100 persen".into()
            }
            (Locale::Id, QuoteTermsError::DiscountTooPrecise) => {
                "Gunakan paling banyak dua angka desimal".into()
            }
            (Locale::Id, QuoteTermsError::ValidUntilMissing) => {
                "Pilih hari terakhir penawaran dapat dipesan".into()
            }
            (Locale::Id, QuoteTermsError::ValidUntilPast) => {
                "Penawaran harus berlaku setidaknya sampai hari ini".into()
            }
            (Locale::Id, QuoteTermsError::ValidUntilTooFar { max_days }) => {
                format!("Penawaran berlaku paling lama {max_days} hari")
            }
            (Locale::De, QuoteTermsError::DiscountNotNumber) => {
                "Geben Sie den Rabatt als Prozentzahl ein, z. B. 12,5".into()
            }
            (Locale::De, QuoteTermsError::DiscountOutOfRange) => {
                "Der Rabatt liegt zwischen 0 und 100 Prozent".into()
            }
            (Locale::De, QuoteTermsError::DiscountTooPrecise) => {
                "Verwenden Sie höchstens zwei Nachkommastellen".into()
            }
            (Locale::De, QuoteTermsError::ValidUntilMissing) => {
                "Wählen Sie den letzten Tag, an dem das Angebot bestellt werden kann".into()
            }
            (Locale::De, QuoteTermsError::ValidUntilPast) => {
                "Das Angebot muss mindestens bis heute gültig sein".into()
            }
            (Locale::De, QuoteTermsError::ValidUntilTooFar { max_days }) => {
                format!("Ein Angebot gilt höchstens {max_days} Tage")
            }
        }
    }
}

/// A sales rep's terms for a quote request: a discount of 0–100 % (two decimals at most) and the last
/// day it can be ordered, from today up to [`MAX_QUOTE_VALIDITY_DAYS`] ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteTerms {
    discount_percent: rust_decimal::Decimal,
    valid_until: Date,
}

impl QuoteTerms {
    /// Checks terms sent on `today`; every problem is reported with its field
    /// (`discount_percent`, `valid_until`).
    ///
    /// # Errors
    /// The problems, by field.
    pub fn new(
        discount_percent: rust_decimal::Decimal,
        valid_until: Option<Date>,
        today: Date,
    ) -> Result<Self, Vec<(&'static str, QuoteTermsError)>> {
        let mut problems = Vec::new();
        if discount_percent.is_sign_negative()
            || discount_percent > rust_decimal::Decimal::ONE_HUNDRED
        {
            problems.push(("discount_percent", QuoteTermsError::DiscountOutOfRange));
        } else if discount_percent.normalize().scale() > 2 {
            problems.push(("discount_percent", QuoteTermsError::DiscountTooPrecise));
        }
        match valid_until {
            None => problems.push(("valid_until", QuoteTermsError::ValidUntilMissing)),
            Some(d) if d < today => problems.push(("valid_until", QuoteTermsError::ValidUntilPast)),
            Some(d) if d > today + time::Duration::days(MAX_QUOTE_VALIDITY_DAYS) => {
                problems.push((
                    "valid_until",
                    QuoteTermsError::ValidUntilTooFar {
                        max_days: MAX_QUOTE_VALIDITY_DAYS,
                    },
                ))
            }
            Some(_) => {}
        }
        match (problems.is_empty(), valid_until) {
            (true, Some(valid_until)) => Ok(QuoteTerms {
                discount_percent: discount_percent.normalize(),
                valid_until,
            }),
            _ => Err(problems),
        }
    }

    /// [`QuoteTerms::new`] from what a form holds: the percent as typed (`12.5` or `12,5`) and an ISO
    /// date (empty when not chosen).
    ///
    /// # Errors
    /// The problems, by field.
    pub fn parse(
        discount_percent: &str,
        valid_until: &str,
        today: Date,
    ) -> Result<Self, Vec<(&'static str, QuoteTermsError)>> {
        let text = discount_percent.trim().trim_end_matches('%').trim();
        let percent = if text.is_empty() {
            Ok(rust_decimal::Decimal::ZERO)
        } else {
            text.replace(',', ".")
                .parse::<rust_decimal::Decimal>()
                .map_err(|_| QuoteTermsError::DiscountNotNumber)
        };
        let date = match valid_until.trim() {
            "" => None,
            d => crate::dates::parse(d).ok(),
        };
        let missing_date = date.is_none() && !valid_until.trim().is_empty();
        match percent {
            Ok(p) => QuoteTerms::new(p, date, today).map_err(|mut e| {
                if missing_date {
                    e.retain(|(f, _)| *f != "valid_until");
                    e.push(("valid_until", QuoteTermsError::ValidUntilMissing));
                }
                e
            }),
            Err(not_number) => {
                let mut e = QuoteTerms::new(rust_decimal::Decimal::ZERO, date, today)
                    .err()
                    .unwrap_or_default();
                e.insert(0, ("discount_percent", not_number));
                Err(e)
            }
        }
    }

    /// The discount in percent.
    #[must_use]
    pub const fn discount_percent(&self) -> rust_decimal::Decimal {
        self.discount_percent
    }

    /// The last day it can be ordered.
    #[must_use]
    pub const fn valid_until(&self) -> Date {
        self.valid_until
    }

    /// The discount in hundredths of a percent (how it is stored).
    #[must_use]
    pub fn basis_points(&self) -> i64 {
        use rust_decimal::prelude::ToPrimitive;
        (self.discount_percent * rust_decimal::Decimal::ONE_HUNDRED)
            .to_i64()
            .unwrap_or(0)
    }

    /// The pricing discount, or `None` for 0 %.
    #[must_use]
    pub fn discount(&self) -> Option<crate::pricing::Discount> {
        (!self.discount_percent.is_zero()).then_some(crate::pricing::Discount {
            percent: self.discount_percent,
            valid_until: self.valid_until,
        })
    }
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
        assert_eq!(
            err.code(),
            crate::error_code::ErrorCode::QuoteChangeRequested
        );
        assert_eq!(
            s.apply(E::AddToCart, false).unwrap_err().code(),
            crate::error_code::ErrorCode::QuoteChangeRequested
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
    fn a_cancelled_order_gives_the_quote_back_to_the_customer() {
        assert_eq!(
            S::Ordered.apply(E::OrderCancelled, false).unwrap(),
            S::Issued
        );
        assert_eq!(
            S::Ordered.apply(E::OrderCancelled, true).unwrap(),
            S::Reissued
        );
        for from in [S::Issued, S::InCart, S::Expired, S::Cancelled] {
            assert!(from.apply(E::OrderCancelled, false).is_err(), "{from:?}");
        }
    }

    #[test]
    fn nothing_leads_out_of_a_final_status_but_a_cancelled_order() {
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
    #[test]
    fn a_reps_terms_need_a_discount_from_0_to_100_and_a_date_within_180_days() {
        use time::macros::date;
        let today = date!(2026 - 11 - 24);
        let ok = QuoteTerms::parse("12,5 %", "2026-12-31", today).unwrap();
        assert_eq!(ok.basis_points(), 1_250);
        assert_eq!(ok.discount().unwrap().valid_until, date!(2026 - 12 - 31));
        assert!(
            QuoteTerms::parse("", "2026-11-24", today)
                .unwrap()
                .discount()
                .is_none()
        );
        let codes = |r: Result<QuoteTerms, Vec<(&'static str, QuoteTermsError)>>| {
            r.unwrap_err()
                .iter()
                .map(|(f, e)| format!("{f}:{}", e.code()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes(QuoteTerms::parse("101", "2026-11-23", today)),
            [
                "discount_percent:discount.out_of_range",
                "valid_until:valid_until.past"
            ]
        );
        assert_eq!(
            codes(QuoteTerms::parse("ten", "", today)),
            [
                "discount_percent:discount.not_number",
                "valid_until:valid_until.missing"
            ]
        );
        assert_eq!(
            codes(QuoteTerms::parse("1.125", "2027-06-01", today)),
            [
                "discount_percent:discount.too_precise",
                "valid_until:valid_until.too_far"
            ]
        );
        assert_eq!(
            codes(QuoteTerms::parse("-1", "31/12/2026", today)),
            [
                "discount_percent:discount.out_of_range",
                "valid_until:valid_until.missing"
            ]
        );
    }
}
