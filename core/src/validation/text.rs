//! Free-text fields people type into the portal and the desk, and their limits.
//!
//! Lengths are counted in UTF-16 code units — the unit a browser's `maxlength` counts — so the limit the
//! app sets on the field and the check the server runs refuse exactly the same text (counting Unicode
//! characters instead would let the browser stop an emoji-rich note the server accepts, or the reverse).

use super::FieldError;

/// A free-text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    /// The customer's note to the sales rep when asking for a quote.
    QuoteRequestNote,
    /// The sales rep's note sent with a quote, or the renewal rep's note with a re-issued quote.
    RepNote,
    /// The customer's note when asking a Business Partner or the renewal rep to handle a renewal.
    ChannelNote,
    /// Why staff cancel an order (shown to the customer): required.
    CancelReason,
    /// The name of a saved cart: required.
    CartName,
    /// The message with an access request to a site's primary contact.
    AccessMessage,
}

impl TextField {
    /// The most UTF-16 code units it may hold (the app's `maxlength`).
    #[must_use]
    pub const fn max_len(self) -> usize {
        match self {
            TextField::QuoteRequestNote | TextField::RepNote | TextField::ChannelNote => 2_000,
            TextField::CancelReason => 500,
            TextField::CartName => 60,
            TextField::AccessMessage => 1_000,
        }
    }

    /// Whether it may be left empty.
    #[must_use]
    pub const fn required(self) -> bool {
        matches!(self, TextField::CancelReason | TextField::CartName)
    }

    /// The text trimmed of surrounding white space, if it fits.
    ///
    /// # Errors
    /// [`FieldError::Required`] for a blank required field, [`FieldError::TooLong`] past
    /// [`TextField::max_len`].
    pub fn check(self, input: &str) -> Result<String, FieldError> {
        let text = input.trim();
        if text.is_empty() && self.required() {
            return Err(FieldError::Required);
        }
        if text.encode_utf16().count() > self.max_len() {
            return Err(FieldError::TooLong {
                max: self.max_len(),
            });
        }
        Ok(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn a_note_fits_up_to_its_limit_counted_as_the_browser_counts() {
        let max = TextField::RepNote.max_len();
        assert_eq!(
            TextField::RepNote.check(&"a".repeat(max)).unwrap().len(),
            max
        );
        assert_eq!(
            TextField::RepNote.check(&"a".repeat(max + 1)),
            Err(FieldError::TooLong { max })
        );
        // An emoji is two UTF-16 units, as in the browser's maxlength: half as many fit.
        assert!(TextField::RepNote.check(&"🙂".repeat(max / 2)).is_ok());
        assert!(TextField::RepNote.check(&"🙂".repeat(max / 2 + 1)).is_err());
        // Accented letters are one unit each.
        assert!(TextField::CartName.check(&"é".repeat(60)).is_ok());
    }

    #[test]
    fn cancelling_an_order_and_saving_a_cart_need_text_while_notes_may_be_blank() {
        assert_eq!(
            TextField::CancelReason.check("   "),
            Err(FieldError::Required)
        );
        assert_eq!(TextField::CartName.check(""), Err(FieldError::Required));
        assert_eq!(TextField::QuoteRequestNote.check("  ").unwrap(), "");
        assert_eq!(
            TextField::CancelReason.check("  customer asked  ").unwrap(),
            "customer asked"
        );
    }
}
