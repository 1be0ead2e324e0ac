//! Parse, don't validate: newtypes that can only hold valid values, each failure a typed error with a
//! stable code and a message in English, Bahasa Indonesia and German.
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

/// An error a person can read, in every language, with a stable code.
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
            Locale::De => match self {
                CardError::Empty => "Geben Sie die Kartennummer ein".into(),
                CardError::NotDigits => "Eine Kartennummer besteht nur aus Ziffern".into(),
                CardError::UnknownBrand => "Diese Kartenart wird nicht angenommen".into(),
                CardError::WrongLength { brand } => format!(
                    "Eine {}-Nummer hat {} Ziffern",
                    brand.name(),
                    brand
                        .lengths()
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                CardError::Luhn => {
                    "Diese Kartennummer ist ungültig; prüfen Sie sie auf Tippfehler".into()
                }
                CardError::ExpiryMonth => "Wählen Sie den Monat des Ablaufdatums".into(),
                CardError::ExpiryYear => "Wählen Sie das Jahr des Ablaufdatums".into(),
                CardError::Expired => "Diese Karte ist abgelaufen".into(),
                CardError::ExpiryTooFar => "Prüfen Sie das Jahr des Ablaufdatums".into(),
                CardError::SecurityCodeLength { expected } => {
                    format!("Der Sicherheitscode hat {expected} Ziffern")
                }
                CardError::NameEmpty => "Geben Sie den Namen auf der Karte ein".into(),
                CardError::NameInvalid => {
                    "Geben Sie den Namen genau so ein, wie er auf der Karte steht".into()
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
            Locale::De => match self {
                FieldError::Required => "Dieses Feld ist erforderlich".into(),
                FieldError::TooLong { max } => format!("Höchstens {max} Zeichen"),
                FieldError::Email => {
                    "Geben Sie eine E-Mail-Adresse wie name@beispiel.de ein".into()
                }
                FieldError::PurchaseOrder => {
                    "Verwenden Sie nur Buchstaben, Ziffern, Leerzeichen und - / . _".into()
                }
                FieldError::PostalCode { example } => {
                    format!("Geben Sie eine Postleitzahl wie {example} ein")
                }
                FieldError::Npwp => {
                    "Eine NPWP hat 16 Ziffern (oder die alte Form 99.999.999.9-999.999)".into()
                }
                FieldError::Quantity { min, max } => {
                    format!("Geben Sie eine Menge von {min} bis {max} ein")
                }
                FieldError::TermsNotAccepted => {
                    "Lesen und akzeptieren Sie die Geschäftsbedingungen, um fortzufahren".into()
                }
                FieldError::CustomerNumber { max } => {
                    format!("Eine Kundennummer besteht nur aus Ziffern (höchstens {max})")
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
            (Locale::De, PasswordError::TooShort { min }) => {
                format!("Verwenden Sie mindestens {min} Zeichen")
            }
            (Locale::De, PasswordError::TooLong { max }) => {
                format!("Verwenden Sie höchstens {max} Zeichen")
            }
            (Locale::De, PasswordError::Common) => {
                "Dieses Passwort ist zu verbreitet; wählen Sie ein anderes".into()
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
            (Locale::De, E::WrongLength { len }) => {
                format!("Eine Teilenummer hat 7 Zeichen, nicht {len}")
            }
            (Locale::De, E::InvalidCharacter) => {
                "Eine Teilenummer besteht nur aus den Buchstaben A–Z und Ziffern".into()
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
            Locale::De => "Ein Datum wird JJJJ-MM-TT geschrieben, z. B. 2027-03-31".into(),
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
            Locale::De => "Ein Ländercode besteht aus zwei Buchstaben (ISO 3166-1 alpha-2)".into(),
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
            (Locale::De, E::Format) => "Eine Bestellreferenz hat die Form EN-48312-09275".into(),
            (Locale::De, E::CheckDigit) => {
                "In dieser Bestellreferenz ist ein Tippfehler; prüfen Sie die Ziffern".into()
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
        // Lines are counted from 1 for people (the error holds the 0-based index).
        match (locale, self) {
            (Locale::En, E::ZeroQuantity { index }) => {
                format!("Line {}: quantity must be at least 1", index + 1)
            }
            (Locale::En, E::InvalidTerm { index, reason }) => {
                format!("Line {}: {}", index + 1, reason.message(Locale::En))
            }
            (Locale::En, E::InvalidDiscount { index }) => format!(
                "Line {}: a discount is more than 0 and at most 100 percent",
                index + 1
            ),
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
            (Locale::De, E::UnknownPart { part }) => {
                format!("Teil {part} ist nicht im Katalog")
            }
            (Locale::De, E::NoPrice { part, currency, .. }) => {
                format!("Für Teil {part} gibt es keinen Preis in {currency}")
            }
            (Locale::De, E::ZeroQuantity { index }) => {
                format!("Position {}: Die Menge muss mindestens 1 sein", index + 1)
            }
            (Locale::De, E::InvalidTerm { index, reason }) => {
                format!("Position {}: {}", index + 1, reason.message(Locale::De))
            }
            (Locale::De, E::NoReinstatementPart { part, .. }) => {
                format!(
                    "Die Laufzeit von {part} ist abgelaufen und kann nicht online wiederhergestellt werden"
                )
            }
            (Locale::De, E::InvalidDiscount { index }) => {
                format!("Position {}: ungültiger Rabatt", index + 1)
            }
            (Locale::De, E::Money(_)) => "Die Preisberechnung ist fehlgeschlagen".into(),
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
            (Locale::De, E::MonthsRequired) => {
                "Dieses Teil wird monatsweise verkauft: Geben Sie die Anzahl der Monate an".into()
            }
            (Locale::De, E::MonthsNotAllowed) => {
                "Dieses Teil wird nicht monatsweise verkauft".into()
            }
            (Locale::De, E::MonthsOutOfRange { min, max }) => {
                format!("Wählen Sie {min} bis {max} Monate")
            }
            (Locale::De, E::EmptyCoverage) => "Die Laufzeit muss nach ihrem Beginn enden".into(),
            (Locale::De, E::CoverageTooLong) => "Die Laufzeit beträgt höchstens ein Jahr".into(),
            (Locale::De, E::CoverageNotAllowed) => {
                "Nur S&S-Teile haben einen Laufzeitzeitraum".into()
            }
        }
    }
}

#[cfg(test)]
mod tests;
