//! Parse, don't validate: newtypes that can only hold valid values, each failure a typed error with a
//! stable code and a message in English and Bahasa Indonesia.
//!
//! The browser runs these as the customer types; the server runs the same ones on what it receives.

pub mod card;
pub mod contact;
pub mod password;
pub mod second_factor;
pub mod text;

use crate::locale::Locale;

pub use card::{
    CardBrand, CardError, CardNumber, CardholderName, Expiry, MaskedCard, SecurityCode,
    format_card_number, luhn_valid,
};
pub use contact::{
    Address, AddressInput, CustomerNumber, Email, FieldError, Npwp, PurchaseOrderNumber,
    QUANTITY_BOUNDS, Quantity, TermsAccepted,
};
pub use password::{Password, PasswordError};
pub use second_factor::{SecondFactorCode, SecondFactorError};
pub use text::TextField;

/// An error a person can read, in either language, with a stable code.
pub trait Explain {
    /// Stable machine code, e.g. `card.luhn`.
    fn code(&self) -> &'static str;
    /// The message in `locale`.
    fn message(&self, locale: Locale) -> String;
}

impl Explain for CardError {
    fn code(&self) -> &'static str {
        CardError::code(self)
    }

    fn message(&self, locale: Locale) -> String {
        match locale {
            Locale::En => self.to_string(),
            Locale::Id => match self {
                CardError::Empty => "Masukkan nomor kartu".into(),
                CardError::NotDigits => "Nomor kartu hanya berisi angka".into(),
                CardError::UnknownBrand => "Jenis kartu ini tidak diterima".into(),
                CardError::WrongLength { brand } => format!(
                    "Nomor {} terdiri dari {} digit",
                    brand.name(),
                    brand
                        .lengths()
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                CardError::Luhn => {
                    "Nomor kartu tidak valid; periksa apakah ada digit yang salah ketik".into()
                }
                CardError::ExpiryMonth => "Pilih bulan kedaluwarsa".into(),
                CardError::ExpiryYear => "Pilih tahun kedaluwarsa".into(),
                CardError::Expired => "Kartu ini sudah kedaluwarsa".into(),
                CardError::ExpiryTooFar => "Periksa tahun kedaluwarsa".into(),
                CardError::SecurityCodeLength { expected } => {
                    format!("Kode keamanan terdiri dari {expected} digit")
                }
                CardError::NameEmpty => "Masukkan nama yang tertera pada kartu".into(),
                CardError::NameInvalid => {
                    "Masukkan nama persis seperti yang tercetak pada kartu".into()
                }
            },
        }
    }
}

impl Explain for FieldError {
    fn code(&self) -> &'static str {
        FieldError::code(self)
    }

    fn message(&self, locale: Locale) -> String {
        match locale {
            Locale::En => self.to_string(),
            Locale::Id => match self {
                FieldError::Required => "Kolom ini wajib diisi".into(),
                FieldError::TooLong { max } => format!("Maksimal {max} karakter"),
                FieldError::Email => "Masukkan alamat email seperti nama@contoh.com".into(),
                FieldError::PurchaseOrder => "Gunakan huruf, angka, spasi, dan - / . _ saja".into(),
                FieldError::PostalCode { example } => {
                    format!("Masukkan kode pos seperti {example}")
                }
                FieldError::Npwp => {
                    "NPWP terdiri dari 16 digit (atau format lama 99.999.999.9-999.999)".into()
                }
                FieldError::Quantity { min, max } => {
                    format!("Masukkan jumlah dari {min} sampai {max}")
                }
                FieldError::TermsNotAccepted => {
                    "Baca dan setujui syarat dan ketentuan untuk melanjutkan".into()
                }
                FieldError::CustomerNumber { max } => {
                    format!("Nomor pelanggan hanya berisi angka (paling banyak {max})")
                }
            },
        }
    }
}

impl Explain for PasswordError {
    fn code(&self) -> &'static str {
        PasswordError::code(self)
    }

    fn message(&self, locale: Locale) -> String {
        match (locale, self) {
            (Locale::En, e) => {
                // Shown as a sentence under the field.
                let text = e.to_string();
                let mut chars = text.chars();
                chars
                    .next()
                    .map(|f| f.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
            (Locale::Id, PasswordError::TooShort { min }) => {
                format!("Gunakan minimal {min} karakter")
            }
            (Locale::Id, PasswordError::TooLong { max }) => {
                format!("Gunakan maksimal {max} karakter")
            }
            (Locale::Id, PasswordError::Common) => {
                "Kata sandi ini terlalu umum; pilih yang lain".into()
            }
        }
    }
}

impl Explain for crate::catalog::PartNumberError {
    fn code(&self) -> &'static str {
        crate::catalog::PartNumberError::code(self)
    }

    fn message(&self, locale: Locale) -> String {
        use crate::catalog::PartNumberError as E;
        match (locale, self) {
            (Locale::En, e) => e.to_string(),
            (Locale::Id, E::WrongLength { len }) => {
                format!("Nomor komponen terdiri dari 7 karakter, bukan {len}")
            }
            (Locale::Id, E::InvalidCharacter) => {
                "Nomor komponen hanya berisi huruf A–Z dan angka".into()
            }
        }
    }
}

impl Explain for crate::dates::DateError {
    fn code(&self) -> &'static str {
        "date.format"
    }

    fn message(&self, locale: Locale) -> String {
        match locale {
            Locale::En => self.to_string(),
            Locale::Id => "Tanggal ditulis TTTT-BB-HH, misalnya 2027-03-31".into(),
        }
    }
}

impl Explain for crate::country::CountryCodeError {
    fn code(&self) -> &'static str {
        "country.format"
    }

    fn message(&self, locale: Locale) -> String {
        match locale {
            Locale::En => self.to_string(),
            Locale::Id => "Kode negara terdiri dari dua huruf (ISO 3166-1 alpha-2)".into(),
        }
    }
}

impl Explain for crate::order::OrderReferenceError {
    fn code(&self) -> &'static str {
        crate::order::OrderReferenceError::code(self)
    }

    fn message(&self, locale: Locale) -> String {
        use crate::order::OrderReferenceError as E;
        match (locale, self) {
            (Locale::En, e) => e.to_string(),
            (Locale::Id, E::Format) => "Nomor referensi pesanan berbentuk EN-48312-09275".into(),
            (Locale::Id, E::CheckDigit) => {
                "Nomor referensi pesanan ini salah ketik; periksa angkanya".into()
            }
        }
    }
}

impl Explain for crate::pricing::PricingError {
    fn code(&self) -> &'static str {
        crate::pricing::PricingError::code(self).as_str()
    }

    fn message(&self, locale: Locale) -> String {
        use crate::pricing::PricingError as E;
        match (locale, self) {
            (Locale::En, e) => e.to_string(),
            (Locale::Id, E::UnknownPart { part }) => {
                format!("Komponen {part} tidak ada di katalog")
            }
            (Locale::Id, E::NoPrice { part, currency, .. }) => {
                format!("Komponen {part} tidak memiliki harga dalam {currency}")
            }
            (Locale::Id, E::ZeroQuantity { index }) => {
                format!("Baris {}: jumlah minimal 1", index + 1)
            }
            (Locale::Id, E::InvalidTerm { index, .. }) => {
                format!("Baris {}: masa berlaku tidak sesuai", index + 1)
            }
            (Locale::Id, E::NoReinstatementPart { part, .. }) => {
                format!("Dukungan {part} sudah berakhir dan tidak dapat dipulihkan secara online")
            }
            (Locale::Id, E::InvalidDiscount { index }) => {
                format!("Baris {}: diskon tidak valid", index + 1)
            }
            (Locale::Id, E::Money(_)) => "Perhitungan harga gagal".into(),
        }
    }
}

impl Explain for crate::pricing::TermError {
    fn code(&self) -> &'static str {
        crate::pricing::TermError::code(self)
    }

    fn message(&self, locale: Locale) -> String {
        use crate::pricing::TermError as E;
        match (locale, self) {
            (Locale::En, E::MonthsOutOfRange { min, max }) => {
                format!("choose {min} to {max} months")
            }
            (Locale::En, e) => e.to_string(),
            (Locale::Id, E::MonthsRequired) => {
                "Komponen ini dijual per bulan: isi jumlah bulan".into()
            }
            (Locale::Id, E::MonthsNotAllowed) => "Komponen ini tidak dijual per bulan".into(),
            (Locale::Id, E::MonthsOutOfRange { min, max }) => {
                format!("Pilih {min} sampai {max} bulan")
            }
            (Locale::Id, E::EmptyCoverage) => "Cakupan harus berakhir setelah dimulai".into(),
            (Locale::Id, E::CoverageTooLong) => "Cakupan paling lama satu tahun".into(),
            (Locale::Id, E::CoverageNotAllowed) => {
                "Hanya komponen S&S yang memiliki periode cakupan".into()
            }
        }
    }
}

#[cfg(test)]
mod tests;
