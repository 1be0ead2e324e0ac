use entitle_core::locale::Locale;
use entitle_core::money::{Currency, Money};
use entitle_core::order::OrderStatus;
use time::macros::date;

use super::*;
use crate::notices::NoticeKind;

const LINK: &str = "https://portal.example/renewals/RQ-1";

fn euros(s: &str) -> Money {
    Money::new(s.parse().unwrap(), Currency::Eur)
}

/// A mail rendered in a language, and the facts it must show.
type Sample = (Box<dyn Fn(Locale) -> Rendered>, Vec<&'static str>);

/// One of every mail, with each variant its template branches on, and the facts each must show.
fn every_letter() -> Vec<Sample> {
    fn boxed<L: Letter + 'static>(l: L, facts: Vec<&'static str>) -> Sample {
        (Box::new(move |loc| render(&l, loc).unwrap()), facts)
    }
    let mut all = Vec::new();
    for kind in [
        NoticeKind::Notice,
        NoticeKind::Reminder60,
        NoticeKind::Reminder30,
        NoticeKind::Reissued,
    ] {
        for partner in [None, Some("Rheinland IT Partner AG".to_owned())] {
            all.push(boxed(
                RenewalNotice {
                    kind,
                    number: "RQ-1".into(),
                    site: "München".into(),
                    customer_number: "9120450".into(),
                    due: date!(2027 - 01 - 01),
                    partner: partner.clone(),
                    note: "Bitte bis Freitag.".into(),
                    link: LINK.into(),
                },
                vec!["RQ-1", "München", "9120450", LINK, "Bitte bis Freitag."],
            ));
        }
    }
    all.push(boxed(
        PartnerRenewal {
            partner: "Jonas Weber".into(),
            number: "RQ-1".into(),
            organisation: "Partnered GmbH".into(),
            site: "München".into(),
            customer_number: "9120450".into(),
            due: date!(2027 - 01 - 01),
        },
        vec!["Jonas Weber", "RQ-1", "Partnered GmbH", "München"],
    ));
    all.push(boxed(
        AutoRenewFailed {
            number: "RQ-1".into(),
            link: LINK.into(),
        },
        vec!["RQ-1", LINK],
    ));
    all.push(boxed(
        AutoRenewed {
            number: "RQ-1".into(),
            site: "München".into(),
            customer_number: "9120450".into(),
            reference: "EN-48312-09275".into(),
            total: euros("1234.56"),
            link: "https://portal.example/orders/EN-48312-09275".into(),
        },
        vec![
            "RQ-1",
            "EN-48312-09275",
            "https://portal.example/orders/EN-48312-09275",
        ],
    ));
    all.push(boxed(
        OrderConfirmation {
            reference: "EN-48312-09275".into(),
            site: "München".into(),
            customer_number: "9120450".into(),
            total: euros("1234.56"),
            link: "https://portal.example/orders/EN-48312-09275".into(),
        },
        vec!["EN-48312-09275", "München", "9120450"],
    ));
    for status in [
        OrderStatus::Received,
        OrderStatus::Processing,
        OrderStatus::Completed,
        OrderStatus::Cancelled,
    ] {
        for refunded in [false, true] {
            all.push(boxed(
                OrderStatusChanged {
                    reference: "EN-48312-09275".into(),
                    status,
                    refunded,
                    reason: if status == OrderStatus::Cancelled {
                        "Doppelt bestellt".into()
                    } else {
                        String::new()
                    },
                    reopened: (status == OrderStatus::Cancelled).then(|| "RQ-1".into()),
                    reopened_link: LINK.into(),
                    link: "https://portal.example/orders/EN-48312-09275".into(),
                },
                if status == OrderStatus::Cancelled {
                    vec!["EN-48312-09275", "Doppelt bestellt", "RQ-1", LINK]
                } else {
                    vec!["EN-48312-09275"]
                },
            ));
        }
    }
    for approved in [true, false] {
        all.push(boxed(
            AccessDecision {
                approved,
                site: "München".into(),
                customer_number: "9120450".into(),
                buy: true,
                view_quotes: false,
                view_orders: true,
                link: "https://portal.example/".into(),
            },
            vec!["München", "9120450"],
        ));
    }
    all.push(boxed(
        AccessRequested {
            requester: "Lena Hoffmann".into(),
            requester_email: "lena@partnered.example".into(),
            site: "München".into(),
            customer_number: "9120450".into(),
            message: String::new(),
            link: "https://portal.example/site-users".into(),
        },
        vec![
            "Lena Hoffmann",
            "lena@partnered.example",
            "https://portal.example/site-users",
        ],
    ));
    for lines in [1, 3] {
        all.push(boxed(
            QuoteRequested {
                number: "QR-7".into(),
                requester: "Lena Hoffmann".into(),
                requester_email: "lena@partnered.example".into(),
                organisation: "Partnered GmbH".into(),
                site: "München".into(),
                customer_number: "9120450".into(),
                lines,
                note: "Für das neue Team".into(),
                link: "https://portal.example/desk/quote-requests".into(),
            },
            vec!["QR-7", "Partnered GmbH", "Für das neue Team"],
        ));
    }
    for decision in [
        QuoteDecision::Accepted,
        QuoteDecision::Declined,
        QuoteDecision::Changed(4000),
    ] {
        all.push(boxed(
            QuoteRequestDecided {
                number: "QR-7".into(),
                customer: "Lena Hoffmann".into(),
                customer_email: "lena@partnered.example".into(),
                decision,
            },
            vec!["QR-7", "Lena Hoffmann"],
        ));
    }
    all.push(boxed(
        QuoteSent {
            number: "QR-7".into(),
            rep: "Sam Lee".into(),
            discount_percent: "12.5".parse().unwrap(),
            valid_until: date!(2027 - 03 - 31),
            note: String::new(),
            link: "https://portal.example/quotes#QR-7".into(),
        },
        vec!["QR-7", "Sam Lee", "https://portal.example/quotes#QR-7"],
    ));
    all.push(boxed(
        RenewalChannel {
            number: "RQ-1".into(),
            requester: "Lena Hoffmann".into(),
            requester_email: "lena@partnered.example".into(),
            site: "München".into(),
            customer_number: "9120450".into(),
            note: String::new(),
        },
        vec!["RQ-1", "Lena Hoffmann", "München"],
    ));
    all.push(boxed(
        ChangeRequested {
            number: "RQ-1".into(),
            requester: "Lena Hoffmann".into(),
            requester_email: "lena@partnered.example".into(),
            customer: "Partnered GmbH — München".into(),
        },
        vec!["RQ-1", "Lena Hoffmann", "Partnered GmbH — München"],
    ));
    all.push(boxed(
        PasswordReset {
            name: "Lena Hoffmann".into(),
            link: "https://portal.example/reset-password?token=abc".into(),
        },
        vec![
            "Lena Hoffmann",
            "https://portal.example/reset-password?token=abc",
        ],
    ));
    all.push(boxed(
        PasswordChanged {
            name: "Lena Hoffmann".into(),
            reset_link: "https://portal.example/reset-password".into(),
        },
        vec!["Lena Hoffmann", "https://portal.example/reset-password"],
    ));
    all
}

/// Words of the English templates that a translated mail must not contain.
const ENGLISH: [&str; 14] = [
    "Hello", " the ", " your ", "Your ", " is ", " was ", " and ", "Order ", "quote ", " renew",
    "Thank", "Sign in", " to ", "You ",
];

#[test]
fn every_mail_renders_in_every_language_with_its_facts_a_subject_and_an_html_part() {
    let letters = every_letter();
    assert!(letters.len() >= 30, "{}", letters.len());
    for (i, (letter, facts)) in letters.iter().enumerate() {
        let en = letter(Locale::En);
        for l in Locale::ALL {
            let m = letter(l);
            let who = format!("letter {i} in {l:?}: {m:#?}");
            assert!(!m.subject.is_empty() && !m.subject.contains('\n'), "{who}");
            for leftover in ["{{", "}}", "{%", "%}", "\n\n\n", " ,", " ."] {
                assert!(!m.text.contains(leftover), "{leftover:?} in {who}");
            }
            let whole = format!("{}\n{}", m.subject, m.text);
            for fact in facts {
                assert!(whole.contains(fact), "{fact} missing from {who}");
                assert!(
                    m.html.contains(&fact.replace('&', "&#38;")) || m.html.contains(fact),
                    "{fact} missing from the HTML of {who}"
                );
            }
            assert!(m.html.starts_with("<!DOCTYPE html>"), "{who}");
            assert!(
                m.html.contains(&format!("<html lang=\"{}\">", l.tag())),
                "{who}"
            );
            for link in facts.iter().filter(|f| f.starts_with("https://")) {
                assert!(
                    m.html.contains(&format!("<a href=\"{link}\"")),
                    "{link} not a link in {who}"
                );
            }
            if l != Locale::En {
                assert_ne!(m.subject, en.subject, "{who}");
                assert_ne!(m.text, en.text, "{who}");
                for word in ENGLISH {
                    let text = format!("{} {}", m.subject, m.text);
                    assert!(!text.contains(word), "English {word:?} in {who}");
                }
            }
        }
    }
}

#[test]
fn money_and_dates_are_written_the_recipients_way() {
    let confirmation = OrderConfirmation {
        reference: "EN-48312-09275".into(),
        site: "München".into(),
        customer_number: "9120450".into(),
        total: euros("1234.56"),
        link: "https://portal.example/orders/EN-48312-09275".into(),
    };
    assert!(
        render(&confirmation, Locale::De)
            .unwrap()
            .text
            .contains("Gesamtbetrag 1.234,56 €")
    );
    assert!(
        render(&confirmation, Locale::En)
            .unwrap()
            .text
            .contains("Total €1,234.56")
    );
    let notice = RenewalNotice {
        kind: NoticeKind::Notice,
        number: "RQ-1".into(),
        site: "München".into(),
        customer_number: "9120450".into(),
        due: date!(2027 - 01 - 01),
        partner: None,
        note: String::new(),
        link: LINK.into(),
    };
    assert_eq!(
        render(&notice, Locale::De).unwrap().subject,
        "Verlängerungsangebot RQ-1: Subscription & Support für München endet am 1. Januar 2027"
    );
    assert!(
        render(&notice, Locale::Id)
            .unwrap()
            .subject
            .ends_with("1 Januari 2027")
    );
    let sent = QuoteSent {
        number: "QR-7".into(),
        rep: "Sam Lee".into(),
        discount_percent: "12.5".parse().unwrap(),
        valid_until: date!(2027 - 03 - 31),
        note: String::new(),
        link: "https://portal.example/quotes#QR-7".into(),
    };
    assert!(
        render(&sent, Locale::De)
            .unwrap()
            .text
            .contains("12,5 % Rabatt, gültig bis 31. März 2027")
    );
    assert!(
        render(&sent, Locale::En)
            .unwrap()
            .text
            .contains("12.5 % off, valid until 31 March 2027")
    );
}

#[test]
fn what_people_typed_is_escaped_in_the_html_part_and_kept_in_the_text() {
    let request = AccessRequested {
        requester: "Mallory <script>".into(),
        requester_email: "m@example.com".into(),
        site: "Jakarta HQ".into(),
        customer_number: "7034521".into(),
        message: "<b>let me in</b> & now".into(),
        link: "https://portal.example/site-users".into(),
    };
    let m = render(&request, Locale::En).unwrap();
    assert!(m.text.contains("<b>let me in</b> & now"), "{}", m.text);
    assert!(
        !m.html.contains("<b>") && !m.html.contains("<script>"),
        "{}",
        m.html
    );
    assert!(
        m.html.contains("&#60;b&#62;let me in") || m.html.contains("&lt;b&gt;let me in"),
        "{}",
        m.html
    );
}

#[test]
fn paragraphs_lines_and_links_become_html() {
    let p = paragraphs("First line\nsecond line https://x.example/a done.\n\nNext");
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].len(), 2);
    assert_eq!(
        p[0][1],
        vec![
            Piece {
                text: "second line ".into(),
                link: false
            },
            Piece {
                text: "https://x.example/a".into(),
                link: true
            },
            Piece {
                text: " done.".into(),
                link: false
            },
        ]
    );
    assert_eq!(tidy("  a  \n\n\n\nb\n\n"), "a\n\nb\n");
}

/// The "never" words of `docs/glossary.md`, per language (whole words, any case).
fn glossary_never() -> Vec<(Locale, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/glossary.md");
    let table = std::fs::read_to_string(path).expect("docs/glossary.md");
    let mut never = Vec::new();
    for row in table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| concept"))
    {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 7, "a glossary row has 7 cells: {row}");
        for (locale, cell) in Locale::ALL.into_iter().zip(&cells[4..]) {
            for word in cell.split(',').map(str::trim).filter(|w| !w.is_empty()) {
                never.push((locale, word.to_lowercase()));
            }
        }
    }
    assert!(
        never.len() >= 20,
        "the glossary lost its table: {}",
        never.len()
    );
    never
}

/// Whether `text` has `word` (lower case) as a whole word or phrase, outside its links.
fn has_word(text: &str, word: &str) -> bool {
    let text = text
        .split_whitespace()
        .filter(|w| !w.contains("://"))
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[test]
fn every_mail_and_every_message_of_core_keeps_to_the_glossary() {
    let never = glossary_never();
    let mut texts: Vec<(Locale, String, String)> = Vec::new();
    for (i, (letter, _)) in every_letter().iter().enumerate() {
        for l in Locale::ALL {
            let m = letter(l);
            texts.push((
                l,
                format!("letter {i}"),
                format!("{}\n{}", m.subject, m.text),
            ));
        }
    }
    for code in entitle_core::dto::ErrorCode::ALL {
        for l in Locale::ALL {
            texts.push((l, format!("{code:?}"), code.message(l).to_owned()));
        }
    }
    for action in entitle_core::audit::AuditAction::ALL {
        for l in Locale::ALL {
            texts.push((l, format!("{action:?}"), action.text(l).to_owned()));
        }
    }
    let mut broken = Vec::new();
    for (l, what, text) in &texts {
        for (_, word) in never.iter().filter(|(wl, _)| wl == l) {
            if has_word(text, word) {
                broken.push(format!("{what} in {l:?} says {word:?}"));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    assert!(has_word("Ihr Business Partner.", "business partner"));
    assert!(!has_word("Bestellnummern", "bestellnummer"));
    assert!(!has_word("https://portal.example/site-users", "site"));
}
