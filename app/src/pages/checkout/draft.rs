//! What the customer types, kept as a draft (never the card number or the security code), and the
//! idempotency key that goes with it.

use super::*;

/// Everything the customer types except the card number and the security code, saved as a draft.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(super) struct Details {
    pub(super) billing_address: AddressDraft,
    pub(super) contact: String,
    pub(super) email: String,
    pub(super) phone: String,
    pub(super) tax_id: String,
    pub(super) ship_other: bool,
    pub(super) shipping_address: AddressDraft,
    pub(super) s_contact: String,
    pub(super) s_email: String,
    pub(super) accept_terms: bool,
    pub(super) method: String,
    pub(super) po_number: String,
    pub(super) exp_month: String,
    pub(super) exp_year: String,
    pub(super) card_name: String,
    /// The idempotency key of the order being submitted; kept until the order is confirmed.
    pub(super) idempotency_key: String,
}

impl Details {
    /// A new draft starting from the billing details the server suggests.
    pub(super) fn prefilled(b: &BillingDetails) -> Self {
        let a = &b.address;
        Details {
            billing_address: AddressDraft {
                name: a.name.clone(),
                line1: a.line1.clone(),
                line2: a.line2.clone(),
                city: a.city.clone(),
                region: a.region.clone(),
                postal_code: a.postal_code.clone(),
            },
            contact: b.contact_name.clone(),
            email: b.email.clone(),
            phone: b.phone.clone(),
            tax_id: b.tax_id.clone(),
            ..Details::default()
        }
    }
}

/// An address as typed, one of the two (billing, shipping) in the draft.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(super) struct AddressDraft {
    pub(super) name: String,
    pub(super) line1: String,
    pub(super) line2: String,
    pub(super) city: String,
    pub(super) region: String,
    pub(super) postal_code: String,
}

impl AddressDraft {
    /// The parts in form order: the field name (as in the API's paths) and the autocomplete token.
    pub(super) const PARTS: [(&'static str, &'static str); 6] = [
        ("name", "organization"),
        ("line1", "address-line1"),
        ("line2", "address-line2"),
        ("city", "address-level2"),
        ("region", "address-level1"),
        ("postal_code", "postal-code"),
    ];

    pub(super) fn part(&self, i: usize) -> &String {
        match i {
            0 => &self.name,
            1 => &self.line1,
            2 => &self.line2,
            3 => &self.city,
            4 => &self.region,
            _ => &self.postal_code,
        }
    }

    pub(super) fn part_mut(&mut self, i: usize) -> &mut String {
        match i {
            0 => &mut self.name,
            1 => &mut self.line1,
            2 => &mut self.line2,
            3 => &mut self.city,
            4 => &mut self.region,
            _ => &mut self.postal_code,
        }
    }

    pub(super) fn input(&self, country: CountryCode) -> AddressInput {
        AddressInput {
            name: self.name.clone(),
            line1: self.line1.clone(),
            line2: self.line2.clone(),
            city: self.city.clone(),
            region: self.region.clone(),
            postal_code: self.postal_code.clone(),
            country,
        }
    }
}

impl Details {
    pub(super) fn address_mut(&mut self, billing: bool) -> &mut AddressDraft {
        if billing {
            &mut self.billing_address
        } else {
            &mut self.shipping_address
        }
    }

    pub(super) fn address(&self, billing: bool) -> &AddressDraft {
        if billing {
            &self.billing_address
        } else {
            &self.shipping_address
        }
    }

    pub(super) fn billing(&self, country: CountryCode) -> BillingDetails {
        BillingDetails {
            address: self.billing_address.input(country),
            contact_name: self.contact.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            tax_id: self.tax_id.clone(),
        }
    }

    pub(super) fn shipping(&self, country: CountryCode) -> Option<ShippingDetails> {
        self.ship_other.then(|| ShippingDetails {
            address: self.shipping_address.input(country),
            contact_name: self.s_contact.clone(),
            email: self.s_email.clone(),
        })
    }
}

/// The card fields: in memory only, gone on reload.
#[derive(Debug, Clone, Copy)]
pub(super) struct Card {
    pub(super) number: RwSignal<String>,
    pub(super) code: RwSignal<String>,
}

pub(super) fn to_ui(l: Locale, problems: CoreProblems) -> Problems {
    problems
        .into_iter()
        .map(|(field, p)| FieldProblem {
            field: field.replace('.', "-"),
            message: p.message(l),
        })
        .collect()
}

pub(super) fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(c) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = c.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().fold(String::with_capacity(32), |mut s, b| {
        use std::fmt::Write;
        let _ = write!(s, "{b:02x}");
        s
    })
}
