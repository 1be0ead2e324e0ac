//! What the audit log records, in words: every action the server writes has a stable code (stored,
//! and used to filter the log) and a sentence for the people who read the log, in both languages.

use crate::locale::Locale;

/// An action written to the audit log.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum AuditAction {
    /// The renewal engine issued a renewal quote.
    QuoteIssued,
    /// A renewal quote passed its validity date.
    QuoteExpired,
    /// A customer changed a renewal quote in the cart; it went back to the rep.
    QuoteChangeRequested,
    /// The renewal rep issued a new version of a quote.
    QuoteReissued,
    /// A customer chose how to renew (online, rep, partner).
    QuoteChannelChosen,
    /// A customer turned automatic renewal on or off.
    QuoteAutoRenewSet,
    /// A customer placed an order.
    OrderPlaced,
    /// The renewal engine placed an order for an automatic renewal.
    OrderAutoRenewed,
    /// Staff moved an order on or cancelled it.
    OrderStatusChanged,
    /// A sales rep priced a quote request.
    QuoteRequestQuoted,
    /// A customer accepted a priced quote request into the cart.
    QuoteRequestAccepted,
    /// A customer declined a priced quote request.
    QuoteRequestDeclined,
    /// A customer changed an accepted quote's line in the cart; the request went back to the sales rep.
    QuoteRequestChangeRequested,
    /// A customer took an accepted quote's lines out of the cart.
    QuoteRequestRemoved,
    /// A priced quote request passed its validity date.
    QuoteRequestExpired,
    /// A site administrator approved an access request.
    AccessApproved,
    /// A site administrator rejected an access request.
    AccessRejected,
    /// A site administrator changed a user's privileges.
    PrivilegesChanged,
    /// A user reset their password through the e-mailed link.
    PasswordReset,
    /// An organisation's price level changed at its anniversary.
    OrganisationLevelChanged,
    /// A user signed in (with the second factor when their account has one).
    SignedIn,
    /// A sign-in failed: a wrong password, or an e-mail address without an account.
    SignInFailed,
    /// Too many failures: sign-ins for the address wait (the back-off started).
    SignInThrottled,
    /// A signed-in user changed their password.
    PasswordChanged,
    /// A user turned on two-step verification (an authenticator app).
    MfaEnabled,
    /// A user turned off two-step verification.
    MfaDisabled,
    /// A wrong authentication or recovery code.
    MfaFailed,
    /// A user signed in with one of their recovery codes.
    MfaRecoveryCodeUsed,
    /// A user made new recovery codes (the old ones stop working).
    MfaRecoveryCodesRenewed,
}

/// The groups the log can be filtered by (the code prefix and its name).
pub const GROUPS: [(&str, &str, &str, &str); 9] = [
    (
        "quote.",
        "Renewal quotes",
        "Penawaran perpanjangan",
        "Verlängerungsangebote",
    ),
    ("order.", "Orders", "Pesanan", "Bestellungen"),
    (
        "quote_request.",
        "Quote requests",
        "Permintaan penawaran",
        "Angebotsanfragen",
    ),
    (
        "access.",
        "Access requests",
        "Permintaan akses",
        "Zugriffsanfragen",
    ),
    ("privileges.", "Privileges", "Hak akses", "Berechtigungen"),
    (
        "organisation.",
        "Price levels",
        "Tingkat harga",
        "Preisstufen",
    ),
    ("password.", "Passwords", "Kata sandi", "Passwörter"),
    ("auth.", "Sign-ins", "Masuk", "Anmeldungen"),
    (
        "mfa.",
        "Two-step verification",
        "Verifikasi dua langkah",
        "Bestätigung in zwei Schritten",
    ),
];

impl AuditAction {
    /// Every action.
    pub const ALL: [AuditAction; 29] = [
        AuditAction::QuoteIssued,
        AuditAction::QuoteExpired,
        AuditAction::QuoteChangeRequested,
        AuditAction::QuoteReissued,
        AuditAction::QuoteChannelChosen,
        AuditAction::QuoteAutoRenewSet,
        AuditAction::OrderPlaced,
        AuditAction::OrderAutoRenewed,
        AuditAction::OrderStatusChanged,
        AuditAction::QuoteRequestQuoted,
        AuditAction::QuoteRequestAccepted,
        AuditAction::QuoteRequestDeclined,
        AuditAction::QuoteRequestChangeRequested,
        AuditAction::QuoteRequestRemoved,
        AuditAction::QuoteRequestExpired,
        AuditAction::AccessApproved,
        AuditAction::AccessRejected,
        AuditAction::PrivilegesChanged,
        AuditAction::PasswordReset,
        AuditAction::OrganisationLevelChanged,
        AuditAction::SignedIn,
        AuditAction::SignInFailed,
        AuditAction::SignInThrottled,
        AuditAction::PasswordChanged,
        AuditAction::MfaEnabled,
        AuditAction::MfaDisabled,
        AuditAction::MfaFailed,
        AuditAction::MfaRecoveryCodeUsed,
        AuditAction::MfaRecoveryCodesRenewed,
    ];

    /// The stable code stored in the log (grouped by the part before the dot).
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            AuditAction::QuoteIssued => "quote.issue",
            AuditAction::QuoteExpired => "quote.expire",
            AuditAction::QuoteChangeRequested => "quote.change_requested",
            AuditAction::QuoteReissued => "quote.reissue",
            AuditAction::QuoteChannelChosen => "quote.channel",
            AuditAction::QuoteAutoRenewSet => "quote.auto_renew",
            AuditAction::OrderPlaced => "order.placed",
            AuditAction::OrderAutoRenewed => "order.auto_renew",
            AuditAction::OrderStatusChanged => "order.status",
            AuditAction::QuoteRequestQuoted => "quote_request.quote",
            AuditAction::QuoteRequestAccepted => "quote_request.accept",
            AuditAction::QuoteRequestDeclined => "quote_request.decline",
            AuditAction::QuoteRequestChangeRequested => "quote_request.change_requested",
            AuditAction::QuoteRequestRemoved => "quote_request.remove",
            AuditAction::QuoteRequestExpired => "quote_request.expire",
            AuditAction::AccessApproved => "access.approve",
            AuditAction::AccessRejected => "access.reject",
            AuditAction::PrivilegesChanged => "privileges.change",
            AuditAction::PasswordReset => "password.reset",
            AuditAction::OrganisationLevelChanged => "organisation.level",
            AuditAction::SignedIn => "auth.sign_in",
            AuditAction::SignInFailed => "auth.sign_in_failed",
            AuditAction::SignInThrottled => "auth.throttled",
            AuditAction::PasswordChanged => "password.change",
            AuditAction::MfaEnabled => "mfa.enable",
            AuditAction::MfaDisabled => "mfa.disable",
            AuditAction::MfaFailed => "mfa.fail",
            AuditAction::MfaRecoveryCodeUsed => "mfa.recovery_code_used",
            AuditAction::MfaRecoveryCodesRenewed => "mfa.recovery_codes_renewed",
        }
    }

    /// The action with this code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// What happened, as a sentence fragment for the log ("Quote re-issued").
    #[must_use]
    pub const fn text(self, locale: Locale) -> &'static str {
        let (en, id, de) = match self {
            AuditAction::QuoteIssued => (
                "Renewal quote issued",
                "Penawaran perpanjangan diterbitkan",
                "Verlängerungsangebot ausgestellt",
            ),
            AuditAction::QuoteExpired => (
                "Renewal quote expired",
                "Penawaran perpanjangan kedaluwarsa",
                "Verlängerungsangebot abgelaufen",
            ),
            AuditAction::QuoteChangeRequested => (
                "Customer asked for a change",
                "Pelanggan meminta perubahan",
                "Kunde hat eine Änderung angefragt",
            ),
            AuditAction::QuoteReissued => (
                "Renewal quote re-issued",
                "Penawaran diterbitkan ulang",
                "Verlängerungsangebot neu ausgestellt",
            ),
            AuditAction::QuoteChannelChosen => (
                "Renewal channel chosen",
                "Saluran perpanjangan dipilih",
                "Verlängerungsweg gewählt",
            ),
            AuditAction::QuoteAutoRenewSet => (
                "Automatic renewal set",
                "Perpanjangan otomatis diatur",
                "Automatische Verlängerung eingestellt",
            ),
            AuditAction::OrderPlaced => ("Order placed", "Pesanan dibuat", "Bestellung aufgegeben"),
            AuditAction::OrderAutoRenewed => (
                "Order placed by automatic renewal",
                "Pesanan dibuat oleh perpanjangan otomatis",
                "Bestellung durch automatische Verlängerung aufgegeben",
            ),
            AuditAction::OrderStatusChanged => (
                "Order status changed",
                "Status pesanan diubah",
                "Bestellstatus geändert",
            ),
            AuditAction::QuoteRequestQuoted => {
                ("Quote sent", "Penawaran dikirim", "Angebot gesendet")
            }
            AuditAction::QuoteRequestAccepted => (
                "Quote accepted into the cart",
                "Penawaran diterima ke keranjang",
                "Angebot in den Warenkorb übernommen",
            ),
            AuditAction::QuoteRequestDeclined => {
                ("Quote declined", "Penawaran ditolak", "Angebot abgelehnt")
            }
            AuditAction::QuoteRequestChangeRequested => (
                "Customer changed an accepted quote",
                "Pelanggan mengubah penawaran yang diterima",
                "Kunde hat ein angenommenes Angebot geändert",
            ),
            AuditAction::QuoteRequestRemoved => (
                "Quote taken out of the cart",
                "Penawaran dikeluarkan dari keranjang",
                "Angebot aus dem Warenkorb genommen",
            ),
            AuditAction::QuoteRequestExpired => (
                "Quote expired",
                "Penawaran kedaluwarsa",
                "Angebot abgelaufen",
            ),
            AuditAction::AccessApproved => {
                ("Access approved", "Akses disetujui", "Zugriff genehmigt")
            }
            AuditAction::AccessRejected => {
                ("Access rejected", "Akses ditolak", "Zugriff abgelehnt")
            }
            AuditAction::PrivilegesChanged => (
                "Privileges changed",
                "Hak akses diubah",
                "Berechtigungen geändert",
            ),
            AuditAction::PasswordReset => (
                "Password reset",
                "Kata sandi diatur ulang",
                "Passwort zurückgesetzt",
            ),
            AuditAction::OrganisationLevelChanged => (
                "Price level changed",
                "Tingkat harga diubah",
                "Preisstufe geändert",
            ),
            AuditAction::SignedIn => ("Signed in", "Masuk", "Angemeldet"),
            AuditAction::SignInFailed => {
                ("Failed sign-in", "Gagal masuk", "Fehlgeschlagene Anmeldung")
            }
            AuditAction::SignInThrottled => (
                "Attempts paused after repeated failures",
                "Masuk dijeda setelah kegagalan berulang",
                "Versuche nach wiederholten Fehlern pausiert",
            ),
            AuditAction::PasswordChanged => {
                ("Password changed", "Kata sandi diubah", "Passwort geändert")
            }
            AuditAction::MfaEnabled => (
                "Authenticator turned on",
                "Verifikasi dua langkah diaktifkan",
                "Authentifizierungs-App eingeschaltet",
            ),
            AuditAction::MfaDisabled => (
                "Authenticator turned off",
                "Verifikasi dua langkah dinonaktifkan",
                "Authentifizierungs-App ausgeschaltet",
            ),
            AuditAction::MfaFailed => (
                "Wrong authentication code",
                "Kode autentikasi salah",
                "Falscher Bestätigungscode",
            ),
            AuditAction::MfaRecoveryCodeUsed => (
                "Recovery code used",
                "Kode pemulihan digunakan",
                "Wiederherstellungscode verwendet",
            ),
            AuditAction::MfaRecoveryCodesRenewed => (
                "New recovery codes made",
                "Kode pemulihan baru dibuat",
                "Neue Wiederherstellungscodes erstellt",
            ),
        };
        match locale {
            Locale::En => en,
            Locale::Id => id,
            Locale::De => de,
        }
    }

    /// The words for a stored code; a code this build does not know is shown as it is.
    #[must_use]
    pub fn describe(code: &str, locale: Locale) -> String {
        Self::from_code(code).map_or_else(|| code.to_owned(), |a| a.text(locale).to_owned())
    }
}

/// How long ago `then` was, in whole days, as people say it: "today", "1 day", "12 days".
#[must_use]
pub fn age(then: time::Date, today: time::Date, locale: Locale) -> String {
    let days = (today - then).whole_days().max(0);
    match (days, locale) {
        (0, Locale::En) => "today".to_owned(),
        (0, Locale::Id) => "hari ini".to_owned(),
        (1, Locale::En) => "1 day".to_owned(),
        (n, Locale::En) => format!("{n} days"),
        (n, Locale::Id) => format!("{n} hari"),
        (0, Locale::De) => "heute".to_owned(),
        (1, Locale::De) => "1 Tag".to_owned(),
        (n, Locale::De) => format!("{n} Tage"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_unique_code_that_reads_back() {
        let mut codes: Vec<&str> = AuditAction::ALL.iter().map(|a| a.code()).collect();
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(a.code()), Some(a));
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), AuditAction::ALL.len());
    }

    #[test]
    fn every_action_is_described_in_words_in_every_language() {
        for a in AuditAction::ALL {
            for l in Locale::ALL {
                let text = a.text(l);
                assert!(!text.contains('.') && !text.contains('_'), "{text}");
                assert!(text.starts_with(|c: char| c.is_uppercase()), "{text}");
            }
            assert_ne!(a.text(Locale::En), a.text(Locale::Id), "{a:?}");
            assert_ne!(a.text(Locale::En), a.text(Locale::De), "{a:?}");
        }
        assert_eq!(
            AuditAction::describe("quote.reissue", Locale::En),
            "Renewal quote re-issued"
        );
        assert_eq!(
            AuditAction::describe("something.new", Locale::En),
            "something.new"
        );
    }

    #[test]
    fn every_action_falls_in_exactly_one_filter_group() {
        for a in AuditAction::ALL {
            let groups = GROUPS
                .iter()
                .filter(|(prefix, _, _, _)| a.code().starts_with(prefix));
            assert_eq!(groups.count(), 1, "{a:?}");
        }
    }

    #[test]
    fn age_is_counted_in_days_as_people_say_it() {
        let d = time::macros::date!(2030 - 03 - 10);
        assert_eq!(age(d, d, Locale::En), "today");
        assert_eq!(age(d, d + time::Duration::days(1), Locale::En), "1 day");
        assert_eq!(age(d, d + time::Duration::days(12), Locale::Id), "12 hari");
        assert_eq!(age(d + time::Duration::days(2), d, Locale::En), "today");
    }
}
