//! Every error code the API answers with (`{"error": {"code": …}}`), as one enum shared by the server
//! that sends them and every client that acts on them. Each is serialised as its stable dotted string,
//! e.g. `quote.expired`; a client that meets a code newer than itself reads it as
//! [`ErrorCode::Unknown`]. Field-level codes (`card.luhn`, `field.required`) come from the validation
//! types themselves and stay in each field's list.

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, )*) => {
        /// A stable, machine-readable error code of the API.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub enum ErrorCode {
            $( $(#[$doc])* #[cfg_attr(feature = "serde", serde(rename = $code))] $variant, )*
            /// A code this version does not know (sent by a newer server). Never sent by this one.
            #[cfg_attr(feature = "serde", serde(rename = "unknown", other))]
            Unknown,
        }

        impl ErrorCode {
            /// Every code the server may send.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as sent.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                    ErrorCode::Unknown => "unknown",
                }
            }
        }
    };
}

error_codes! {
    /// The request is malformed (JSON, query string or path).
    BadRequest = "bad_request",
    /// The body is larger than the endpoint accepts.
    PayloadTooLarge = "payload_too_large",
    /// The URL (path and query) is longer than the server reads.
    UriTooLong = "uri_too_long",
    /// The request's header fields are larger than the server reads.
    HeadersTooLarge = "headers_too_large",
    /// The endpoint does not take this HTTP method.
    MethodNotAllowed = "method_not_allowed",
    /// The body's media type is not accepted.
    UnsupportedMediaType = "unsupported_media_type",
    /// Fields are invalid: see `fields`.
    Validation = "validation",
    /// No such thing, or not visible to this user.
    NotFound = "not_found",
    /// No valid session.
    Unauthorized = "unauthorized",
    /// Signed in but not allowed.
    Forbidden = "forbidden",
    /// A change without the session's CSRF token.
    Csrf = "csrf",
    /// Wrong e-mail address or password.
    InvalidCredentials = "invalid_credentials",
    /// Too many attempts (sign-ins, password-reset requests): wait `Retry-After` seconds.
    TooManyAttempts = "too_many_attempts",
    /// The authentication or recovery code is wrong (or was used already).
    MfaInvalidCode = "mfa.invalid_code",
    /// The sign-in's second step took too long or was tried too often: sign in again.
    MfaChallengeExpired = "mfa.challenge_expired",
    /// Administrators must keep two-step verification on.
    MfaRequired = "mfa.required",
    /// Two-step verification is not in the state the change needs (on already, not set up, off).
    MfaState = "mfa.state",
    /// Something failed on the server's side.
    Internal = "internal",
    /// The access request was decided already.
    AccessDecided = "access.decided",
    /// The user holds access to the site already.
    AccessHeld = "access.held",
    /// An access request to the site is waiting already.
    AccessPending = "access.pending",
    /// A primary contact's privileges are fixed.
    AccessPrimary = "access.primary",
    /// A Business Partner owns the renewal: no auto-renew.
    AutoRenewBusinessPartner = "auto_renew.business_partner",
    /// The site's country does not allow auto-renew.
    AutoRenewNotAllowed = "auto_renew.not_allowed",
    /// The cart has no lines to order or quote.
    CartEmpty = "cart.empty",
    /// The cart is not the one the customer reviewed (its revision differs): review it again.
    CartChanged = "cart.changed",
    /// A saved cart of that name exists.
    CartNameTaken = "cart.name_taken",
    /// The same idempotency key is still being processed.
    IdempotencyInProgress = "idempotency.in_progress",
    /// The idempotency key was used with another body.
    IdempotencyMismatch = "idempotency.mismatch",
    /// The order changed while this was decided: reload.
    OrderChanged = "order.changed",
    /// The order cannot move to that status.
    OrderIllegalTransition = "order.illegal_transition",
    /// The invoice or proof of entitlement exists only once the order is completed.
    OrderDocumentNotReady = "order.document_not_ready",
    /// The order's purchase-order document is attached already.
    PoAlreadyAttached = "po.already_attached",
    /// The order is not paid by purchase order.
    PoNotPurchaseOrder = "po.not_purchase_order",
    /// A Business Partner handles this renewal.
    QuoteBusinessPartner = "quote.business_partner",
    /// The customer changed the quote: the renewal rep re-issues it first.
    QuoteChangeRequested = "quote.change_requested",
    /// The quote changed while this was decided: reload.
    QuoteChanged = "quote.changed",
    /// The quote is closed (ordered, expired or cancelled).
    QuoteClosed = "quote.closed",
    /// The quote passed its validity date.
    QuoteExpired = "quote.expired",
    /// The site has no Business Partner to hand the renewal to.
    QuoteNoBusinessPartner = "quote.no_business_partner",
    /// The renewal quote's life cycle does not allow this step.
    QuoteIllegalTransition = "quote.illegal_transition",
    /// The quote request was decided already.
    QuoteRequestNotOpen = "quote_request.not_open",
    /// A sales rep's quote in the cart was changed after it was accepted: the rep prices it again.
    QuoteRequestChanged = "quote_request.changed",
    /// A re-issue would leave the quote without lines.
    ReissueEmpty = "reissue.empty",
    /// The card was declined.
    PaymentDeclined = "payment.declined",
    /// The card has insufficient funds.
    PaymentInsufficientFunds = "payment.insufficient_funds",
    /// The payment processor did not answer in time; nothing was charged.
    PaymentTimeout = "payment.timeout",
    /// The payment service failed during the charge; any authorisation was voided, nothing was charged.
    PaymentFailed = "payment.failed",
    /// A part is not in the catalog.
    PricingUnknownPart = "pricing.unknown_part",
    /// A part has no price at the level in the currency.
    PricingNoPrice = "pricing.no_price",
    /// A quantity of zero.
    PricingZeroQuantity = "pricing.zero_quantity",
    /// A term that does not fit the part.
    PricingInvalidTerm = "pricing.invalid_term",
    /// Lapsed coverage whose part has no reinstatement part.
    PricingNoReinstatementPart = "pricing.no_reinstatement_part",
    /// A discount outside 0–100 %.
    PricingInvalidDiscount = "pricing.invalid_discount",
    /// Arithmetic failed (overflow or mixed currencies).
    PricingArithmetic = "pricing.arithmetic",
}

impl ErrorCode {
    /// What to tell a customer when the API answers with this code, in `locale`: written for people
    /// (no codes, no developer wording), saying what happened and what to do. The server's own
    /// `message` is for developers and logs.
    #[must_use]
    pub const fn message(self, locale: crate::locale::Locale) -> &'static str {
        use ErrorCode as E;
        let (en, id, de) = match self {
            E::BadRequest
            | E::UnsupportedMediaType
            | E::MethodNotAllowed
            | E::UriTooLong
            | E::HeadersTooLarge => (
                "Something in the request was not understood. Reload the page and try again.",
                "Ada bagian permintaan yang tidak dipahami. Muat ulang halaman dan coba lagi.",
                "Ein Teil der Anfrage wurde nicht verstanden. Laden Sie die Seite neu und versuchen Sie es noch einmal.",
            ),
            E::PayloadTooLarge => (
                "That is too large to send. For a document, use a PDF or image of at most 5 MB.",
                "Terlalu besar untuk dikirim. Untuk dokumen, gunakan PDF atau gambar paling besar 5 MB.",
                "Das ist zu groß zum Senden. Verwenden Sie für ein Dokument eine PDF-Datei oder ein Bild von höchstens 5 MB.",
            ),
            E::Validation => (
                "Some details need correcting: see the messages next to the fields.",
                "Beberapa data perlu diperbaiki: lihat pesan di samping kolomnya.",
                "Einige Angaben müssen korrigiert werden: Beachten Sie die Hinweise neben den Feldern.",
            ),
            E::NotFound => (
                "We could not find that. It may have been removed, or it belongs to a site you don't have access to.",
                "Kami tidak menemukannya. Mungkin sudah dihapus, atau milik situs yang tidak dapat Anda akses.",
                "Das haben wir nicht gefunden. Es wurde vielleicht entfernt oder gehört zu einem Standort, auf den Sie keinen Zugriff haben.",
            ),
            E::Unauthorized => (
                "Your session has ended. Sign in again to continue.",
                "Sesi Anda telah berakhir. Masuk lagi untuk melanjutkan.",
                "Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an, um fortzufahren.",
            ),
            E::Forbidden => (
                "Your account doesn't have permission for this. Ask your site's primary contact for access.",
                "Akun Anda tidak memiliki izin untuk ini. Minta akses kepada kontak utama situs Anda.",
                "Ihr Konto ist dazu nicht berechtigt. Bitten Sie den Hauptansprechpartner Ihres Standorts um Zugriff.",
            ),
            E::Csrf => (
                "For your security this page must be reloaded before you continue.",
                "Demi keamanan, muat ulang halaman ini sebelum melanjutkan.",
                "Zu Ihrer Sicherheit muss diese Seite neu geladen werden, bevor Sie fortfahren.",
            ),
            E::InvalidCredentials => (
                "The e-mail address or password is not right.",
                "Alamat email atau kata sandi tidak benar.",
                "Die E-Mail-Adresse oder das Passwort ist nicht richtig.",
            ),
            E::MfaInvalidCode => (
                "That code is not right. Enter the current code from your authenticator app, or one of your recovery codes.",
                "Kode itu tidak benar. Masukkan kode terbaru dari aplikasi autentikator Anda, atau salah satu kode pemulihan.",
                "Dieser Code ist nicht richtig. Geben Sie den aktuellen Code aus Ihrer Authentifizierungs-App oder einen Ihrer Wiederherstellungscodes ein.",
            ),
            E::MfaChallengeExpired => (
                "This sign-in took too long or had too many wrong codes. Sign in again.",
                "Proses masuk ini terlalu lama atau terlalu banyak kode yang salah. Silakan masuk lagi.",
                "Diese Anmeldung hat zu lange gedauert oder es wurden zu viele falsche Codes eingegeben. Melden Sie sich erneut an.",
            ),
            E::MfaRequired => (
                "Administrators must keep two-step verification on.",
                "Administrator wajib tetap mengaktifkan verifikasi dua langkah.",
                "Administratoren müssen die Bestätigung in zwei Schritten eingeschaltet lassen.",
            ),
            E::MfaState => (
                "Two-step verification changed in the meantime. Reload the page and try again.",
                "Verifikasi dua langkah berubah sementara itu. Muat ulang halaman dan coba lagi.",
                "Die Bestätigung in zwei Schritten wurde inzwischen geändert. Laden Sie die Seite neu und versuchen Sie es noch einmal.",
            ),
            E::TooManyAttempts => (
                "Too many attempts. Wait a few minutes and try again; you can also reset your password.",
                "Terlalu banyak percobaan. Tunggu beberapa menit lalu coba lagi; Anda juga dapat mengatur ulang kata sandi.",
                "Zu viele Versuche. Warten Sie einige Minuten und versuchen Sie es dann erneut; Sie können Ihr Passwort auch zurücksetzen.",
            ),
            E::Internal | E::Unknown => (
                "Something went wrong on our side. Nothing was lost; please try again in a moment.",
                "Terjadi kesalahan di sistem kami. Tidak ada yang hilang; silakan coba lagi sebentar lagi.",
                "Bei uns ist ein Fehler aufgetreten. Es ging nichts verloren; bitte versuchen Sie es gleich noch einmal.",
            ),
            E::AccessDecided => (
                "This access request has already been answered.",
                "Permintaan akses ini sudah dijawab.",
                "Diese Zugriffsanfrage wurde bereits beantwortet.",
            ),
            E::AccessHeld => (
                "You already have access to this site.",
                "Anda sudah memiliki akses ke situs ini.",
                "Sie haben bereits Zugriff auf diesen Standort.",
            ),
            E::AccessPending => (
                "You have already asked for access to this site; the primary contact will answer.",
                "Anda sudah meminta akses ke situs ini; kontak utama akan menjawab.",
                "Sie haben den Zugriff auf diesen Standort bereits angefragt; der Hauptansprechpartner wird antworten.",
            ),
            E::AccessPrimary => (
                "The primary contact's access can't be changed here.",
                "Akses kontak utama tidak dapat diubah di sini.",
                "Der Zugriff des Hauptansprechpartners kann hier nicht geändert werden.",
            ),
            E::AutoRenewBusinessPartner => (
                "Your Business Partner handles this renewal, so it can't renew automatically.",
                "Mitra Bisnis Anda menangani perpanjangan ini, jadi tidak dapat diperpanjang otomatis.",
                "Ihr Business Partner betreut diese Verlängerung, daher kann sie nicht automatisch verlängert werden.",
            ),
            E::AutoRenewNotAllowed => (
                "Automatic renewal is not available in your site's country.",
                "Perpanjangan otomatis tidak tersedia di negara situs Anda.",
                "Die automatische Verlängerung ist im Land Ihres Standorts nicht verfügbar.",
            ),
            E::CartEmpty => (
                "Your cart is empty. Add something first.",
                "Keranjang Anda kosong. Tambahkan sesuatu terlebih dahulu.",
                "Ihr Warenkorb ist leer. Legen Sie zuerst etwas hinein.",
            ),
            E::CartNameTaken => (
                "You already have a saved cart with this name. Choose another name.",
                "Anda sudah memiliki keranjang tersimpan dengan nama ini. Pilih nama lain.",
                "Sie haben bereits einen gespeicherten Warenkorb mit diesem Namen. Wählen Sie einen anderen Namen.",
            ),
            E::IdempotencyInProgress => (
                "Your order is still being sent. Wait a moment; it will not be placed twice.",
                "Pesanan Anda masih dikirim. Tunggu sebentar; pesanan tidak akan dibuat dua kali.",
                "Ihre Bestellung wird noch gesendet. Warten Sie einen Moment; sie wird nicht doppelt aufgegeben.",
            ),
            E::IdempotencyMismatch => (
                "Your order changed while it was being sent. Review it and submit again.",
                "Pesanan Anda berubah saat dikirim. Tinjau dan kirim lagi.",
                "Ihre Bestellung hat sich beim Senden geändert. Prüfen Sie sie und senden Sie sie erneut.",
            ),
            E::OrderChanged | E::QuoteChanged => (
                "Someone else changed this in the meantime. Reload the page to see the latest.",
                "Orang lain mengubahnya sementara itu. Muat ulang halaman untuk melihat yang terbaru.",
                "Jemand anderes hat dies inzwischen geändert. Laden Sie die Seite neu, um den aktuellen Stand zu sehen.",
            ),
            E::OrderDocumentNotReady => (
                "This document is ready once the order is completed. The receipt is available now.",
                "Dokumen ini tersedia setelah pesanan selesai. Tanda terima sudah tersedia sekarang.",
                "Dieses Dokument steht bereit, sobald die Bestellung abgeschlossen ist. Die Bestätigung ist schon jetzt verfügbar.",
            ),
            E::OrderIllegalTransition => (
                "This order can't be moved to that status any more.",
                "Pesanan ini tidak dapat dipindahkan ke status itu lagi.",
                "Diese Bestellung kann nicht mehr in diesen Status versetzt werden.",
            ),
            E::PoAlreadyAttached => (
                "A purchase-order document is already attached to this order.",
                "Dokumen purchase order sudah dilampirkan pada pesanan ini.",
                "An diese Bestellung ist bereits ein Bestellschein angehängt.",
            ),
            E::PoNotPurchaseOrder => (
                "This order is not paid by purchase order, so no document can be attached.",
                "Pesanan ini tidak dibayar dengan purchase order, jadi dokumen tidak dapat dilampirkan.",
                "Diese Bestellung wird nicht per Bestellschein bezahlt, daher kann kein Dokument angehängt werden.",
            ),
            E::QuoteBusinessPartner => (
                "Your Business Partner handles this renewal. Contact them to renew.",
                "Mitra Bisnis Anda menangani perpanjangan ini. Hubungi mereka untuk memperpanjang.",
                "Ihr Business Partner betreut diese Verlängerung. Wenden Sie sich zum Verlängern an ihn.",
            ),
            E::QuoteChangeRequested => (
                "You changed this quote; your renewal representative will re-issue it. You can order it then.",
                "Anda mengubah penawaran ini; perwakilan perpanjangan akan menerbitkannya kembali. Setelah itu Anda dapat memesannya.",
                "Sie haben dieses Angebot geändert; Ihr Ansprechpartner für Verlängerungen stellt es neu aus. Danach können Sie es bestellen.",
            ),
            E::QuoteClosed => (
                "This quote can no longer be used: it was ordered, has expired or was cancelled.",
                "Penawaran ini tidak dapat digunakan lagi: sudah dipesan, kedaluwarsa, atau dibatalkan.",
                "Dieses Angebot kann nicht mehr verwendet werden: Es wurde bestellt, ist abgelaufen oder wurde storniert.",
            ),
            E::QuoteExpired => (
                "This quote has expired. Ask your representative for a new one.",
                "Penawaran ini sudah kedaluwarsa. Minta penawaran baru kepada perwakilan Anda.",
                "Dieses Angebot ist abgelaufen. Bitten Sie Ihren Ansprechpartner um ein neues.",
            ),
            E::QuoteNoBusinessPartner => (
                "No Business Partner serves this site. Renew online or through the renewal representative.",
                "Tidak ada Mitra Bisnis yang melayani situs ini. Perpanjang secara online atau melalui perwakilan perpanjangan.",
                "Kein Business Partner betreut diesen Standort. Verlängern Sie online oder über Ihren Ansprechpartner für Verlängerungen.",
            ),
            E::QuoteIllegalTransition => (
                "This can't be done with the quote as it stands now. Reload the page to see where it is.",
                "Ini tidak dapat dilakukan pada penawaran saat ini. Muat ulang halaman untuk melihat statusnya.",
                "Das ist mit dem Angebot in seinem jetzigen Stand nicht möglich. Laden Sie die Seite neu, um den Stand zu sehen.",
            ),
            E::QuoteRequestNotOpen => (
                "This quote request has already been answered.",
                "Permintaan penawaran ini sudah dijawab.",
                "Diese Angebotsanfrage wurde bereits beantwortet.",
            ),
            E::QuoteRequestChanged => (
                "A quote in your cart was changed and went back to your sales representative. You can check it out once you accept their new quote under Quotes.",
                "Penawaran di keranjang Anda diubah dan dikirim kembali ke perwakilan penjualan. Anda dapat melanjutkan ke pembayaran setelah menerima penawaran baru mereka di Penawaran.",
                "Ein Angebot in Ihrem Warenkorb wurde geändert und ging an Ihren Vertriebsmitarbeiter zurück. Sie können es bestellen, sobald Sie sein neues Angebot unter „Angebote“ annehmen.",
            ),
            E::ReissueEmpty => (
                "A re-issued quote needs at least one line with a quantity.",
                "Penawaran yang diterbitkan ulang memerlukan setidaknya satu baris dengan jumlah.",
                "Ein neu ausgestelltes Angebot braucht mindestens eine Position mit einer Menge.",
            ),
            E::PaymentDeclined => (
                "Your card was declined. Nothing was charged: check the details or use another card.",
                "Kartu Anda ditolak. Tidak ada tagihan: periksa datanya atau gunakan kartu lain.",
                "Ihre Karte wurde abgelehnt. Es wurde nichts belastet: Prüfen Sie die Angaben oder verwenden Sie eine andere Karte.",
            ),
            E::PaymentInsufficientFunds => (
                "Your card was declined for insufficient funds. Nothing was charged: use another card.",
                "Kartu Anda ditolak karena dana tidak cukup. Tidak ada tagihan: gunakan kartu lain.",
                "Ihre Karte wurde mangels Deckung abgelehnt. Es wurde nichts belastet: Verwenden Sie eine andere Karte.",
            ),
            E::PaymentTimeout => (
                "The card payment did not go through in time. Nothing was charged; please try again.",
                "Pembayaran kartu tidak selesai tepat waktu. Tidak ada tagihan; silakan coba lagi.",
                "Die Kartenzahlung wurde nicht rechtzeitig abgeschlossen. Es wurde nichts belastet; bitte versuchen Sie es noch einmal.",
            ),
            E::PaymentFailed => (
                "The card payment could not be completed. Nothing was charged; please try again.",
                "Pembayaran kartu tidak dapat diselesaikan. Tidak ada tagihan; silakan coba lagi.",
                "Die Kartenzahlung konnte nicht abgeschlossen werden. Es wurde nichts belastet; bitte versuchen Sie es noch einmal.",
            ),
            E::CartChanged => (
                "Your cart changed since you reviewed it. Check it again before you place the order.",
                "Keranjang Anda berubah sejak Anda memeriksanya. Periksa lagi sebelum melakukan pemesanan.",
                "Ihr Warenkorb hat sich seit Ihrer Prüfung geändert. Prüfen Sie ihn erneut, bevor Sie bestellen.",
            ),
            E::PricingUnknownPart => (
                "A product is no longer in the catalog. Remove it from the cart.",
                "Ada produk yang tidak lagi ada di katalog. Hapus dari keranjang.",
                "Ein Produkt ist nicht mehr im Katalog. Entfernen Sie es aus dem Warenkorb.",
            ),
            E::PricingNoPrice => (
                "A product has no price for your site. Ask your sales representative.",
                "Ada produk yang tidak memiliki harga untuk situs Anda. Tanyakan kepada perwakilan penjualan.",
                "Für ein Produkt gibt es keinen Preis für Ihren Standort. Fragen Sie Ihren Vertriebsmitarbeiter.",
            ),
            E::PricingZeroQuantity => (
                "Enter a quantity of at least 1.",
                "Masukkan jumlah paling sedikit 1.",
                "Geben Sie eine Menge von mindestens 1 ein.",
            ),
            E::PricingInvalidTerm => (
                "That term doesn't fit this product. Choose the months or coverage it offers.",
                "Jangka waktu itu tidak sesuai untuk produk ini. Pilih jumlah bulan atau cakupan yang tersedia.",
                "Diese Laufzeit passt nicht zu diesem Produkt. Wählen Sie die angebotenen Monate oder Laufzeit.",
            ),
            E::PricingNoReinstatementPart => (
                "This coverage has lapsed and can't be reinstated online. Contact your renewal representative.",
                "Cakupan ini sudah berakhir dan tidak dapat dipulihkan secara online. Hubungi perwakilan perpanjangan.",
                "Diese Laufzeit ist abgelaufen und kann nicht online wiederhergestellt werden. Wenden Sie sich an Ihren Ansprechpartner für Verlängerungen.",
            ),
            E::PricingInvalidDiscount => (
                "The discount must be more than 0 % and at most 100 %.",
                "Diskon harus lebih dari 0 % dan paling banyak 100 %.",
                "Der Rabatt muss größer als 0 % und höchstens 100 % sein.",
            ),
            E::PricingArithmetic => (
                "These amounts are too large to price together. Split the order.",
                "Jumlah ini terlalu besar untuk dihitung bersama. Pisahkan pesanan.",
                "Diese Beträge sind zu groß, um sie zusammen zu berechnen. Teilen Sie die Bestellung auf.",
            ),
        };
        match locale {
            crate::locale::Locale::En => en,
            crate::locale::Locale::Id => id,
            crate::locale::Locale::De => de,
        }
    }
}

// Written out rather than derived: the derive does not see the `rename`s a macro passes on, and the
// document must list the codes as they are sent.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ErrorCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "A stable, machine-readable error code of the API (`unknown` is never sent).",
            ))
            .enum_values(Some(
                ErrorCode::ALL
                    .iter()
                    .map(|c| c.as_str())
                    .chain([ErrorCode::Unknown.as_str()]),
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ErrorCode {}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[cfg(feature = "serde")]
    #[test]
    fn every_code_is_sent_as_its_dotted_string_and_read_back() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::json!(code.as_str()));
            assert_eq!(serde_json::from_value::<ErrorCode>(json).unwrap(), *code);
            assert!(seen.insert(code.as_str()), "{code} twice");
        }
        assert_eq!(
            serde_json::to_value(ErrorCode::QuoteExpired).unwrap(),
            "quote.expired"
        );
    }

    #[test]
    fn every_code_has_a_message_for_customers_in_every_language() {
        use crate::locale::Locale;
        for code in ErrorCode::ALL.iter().chain([&ErrorCode::Unknown]) {
            for l in Locale::ALL {
                let m = code.message(l);
                assert!(m.ends_with('.'), "{code:?} {l:?}: {m}");
                assert!(
                    m.chars().next().is_some_and(char::is_uppercase),
                    "{code:?}: {m}"
                );
                assert!(
                    !m.contains(code.as_str()) && !m.contains('_'),
                    "{code:?} shows a code: {m}"
                );
            }
            for other in [Locale::Id, Locale::De] {
                assert_ne!(
                    code.message(Locale::En),
                    code.message(other),
                    "{code:?} is translated into {other:?}"
                );
            }
        }
    }

    #[cfg(feature = "serde")]
    #[test]
    fn a_code_from_a_newer_server_reads_as_unknown() {
        assert_eq!(
            serde_json::from_str::<ErrorCode>("\"quote.frozen\"").unwrap(),
            ErrorCode::Unknown
        );
    }
}
