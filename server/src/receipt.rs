//! The order receipt as a PDF, in the reader's language: the order reference, date, status, site,
//! payment (card masked), billing, every item and the totals.
//!
//! Drawn with `krilla` in DejaVu Sans (embedded and subset, with a ToUnicode map), so every letter a
//! customer's name or address can hold prints — ü, é, €, Rp — and can be copied or searched. Long
//! descriptions and addresses wrap instead of being cut; an order of many lines runs over as many pages
//! as it needs, the table's heading repeated, and every page says "Page i of n".

use entitle_core::dto::OrderView;
use entitle_core::locale::Locale;
use entitle_core::order::{OrderStatus, PaymentMethod};
use entitle_core::pricing::summary::RowKind;

use crate::pdf::{Align, Layout, MARGIN, PAGE_W, RenderError, draw, faces, wrap};

/// Columns of the items table: part, description, quantity (right edge), amount (right edge).
const COL_DESC: f32 = MARGIN + 96.0;
const COL_QTY_RIGHT: f32 = PAGE_W - MARGIN - 110.0;
const COL_AMOUNT_RIGHT: f32 = PAGE_W - MARGIN;
const DESC_WIDTH: f32 = COL_QTY_RIGHT - 40.0 - COL_DESC;

/// The receipt's own words, in each language. A new language fails to compile until it has them.
struct Words {
    title: &'static str,
    reference: &'static str,
    placed_on: &'static str,
    status: &'static str,
    site: &'static str,
    customer_number: &'static str,
    renewal_quote: &'static str,
    paid_by_card: &'static str,
    expires: &'static str,
    purchase_order: &'static str,
    bank_transfer: &'static str,
    bill_to: &'static str,
    ship_to: &'static str,
    part: &'static str,
    description: &'static str,
    quantity: &'static str,
    amount: &'static str,
    keep: &'static str,
    page: &'static str,
    of: &'static str,
}

const fn words(l: Locale) -> Words {
    match l {
        Locale::En => Words {
            title: "Entitle — Order confirmation",
            reference: "Order reference",
            placed_on: "Placed on",
            status: "Status",
            site: "Site",
            customer_number: "customer number",
            renewal_quote: "Renewal quote",
            paid_by_card: "Paid by card",
            expires: "expires",
            purchase_order: "Purchase order",
            bank_transfer: "Bank transfer against invoice",
            bill_to: "Bill to",
            ship_to: "Ship to",
            part: "Part",
            description: "Description",
            quantity: "Qty",
            amount: "Amount",
            keep: "Keep this receipt as your record of the order.",
            page: "Page",
            of: "of",
        },
        Locale::Id => Words {
            title: "Entitle — Konfirmasi pesanan",
            reference: "Nomor referensi pesanan",
            placed_on: "Dipesan pada",
            status: "Status",
            site: "Situs",
            customer_number: "nomor pelanggan",
            renewal_quote: "Penawaran perpanjangan",
            paid_by_card: "Dibayar dengan kartu",
            expires: "berlaku s.d.",
            purchase_order: "Pesanan pembelian (PO)",
            bank_transfer: "Transfer bank sesuai faktur",
            bill_to: "Ditagihkan kepada",
            ship_to: "Dikirim kepada",
            part: "Nomor komponen",
            description: "Deskripsi",
            quantity: "Jml",
            amount: "Jumlah",
            keep: "Simpan tanda terima ini sebagai catatan pesanan Anda.",
            page: "Halaman",
            of: "dari",
        },
        Locale::De => Words {
            title: "Entitle — Bestellbestätigung",
            reference: "Bestellreferenz",
            placed_on: "Bestellt am",
            status: "Status",
            site: "Standort",
            customer_number: "Kundennummer",
            renewal_quote: "Verlängerungsangebot",
            paid_by_card: "Bezahlt mit Karte",
            expires: "gültig bis",
            purchase_order: "Bestellschein",
            bank_transfer: "Überweisung gegen Rechnung",
            bill_to: "Rechnungsempfänger",
            ship_to: "Lieferung an",
            part: "Teilenummer",
            description: "Beschreibung",
            quantity: "Menge",
            amount: "Betrag",
            keep: "Bewahren Sie diese Bestätigung als Nachweis Ihrer Bestellung auf.",
            page: "Seite",
            of: "von",
        },
    }
}

const fn status_name(l: Locale, s: OrderStatus) -> &'static str {
    match (l, s) {
        (Locale::En, OrderStatus::Received) => "Received",
        (Locale::En, OrderStatus::Processing) => "Processing",
        (Locale::En, OrderStatus::Completed) => "Completed",
        (Locale::En, OrderStatus::Cancelled) => "Cancelled",
        (Locale::Id, OrderStatus::Received) => "Diterima",
        (Locale::Id, OrderStatus::Processing) => "Diproses",
        (Locale::Id, OrderStatus::Completed) => "Selesai",
        (Locale::Id, OrderStatus::Cancelled) => "Dibatalkan",
        (Locale::De, OrderStatus::Received) => "Eingegangen",
        (Locale::De, OrderStatus::Processing) => "In Bearbeitung",
        (Locale::De, OrderStatus::Completed) => "Abgeschlossen",
        (Locale::De, OrderStatus::Cancelled) => "Storniert",
    }
}

/// The receipt of `order` as PDF bytes, in `l`, dates and money formatted by `entitle-core`.
///
/// # Errors
/// Only if the embedded font or the PDF writer fails, which no order can cause.
pub fn render(order: &OrderView, placed_on: time::Date, l: Locale) -> Result<Vec<u8>, RenderError> {
    let faces = faces().ok_or_else(|| RenderError("the embedded font".into()))?;
    let w = words(l);
    let mut p = Layout::new(faces);
    let text_width = PAGE_W - 2.0 * MARGIN;
    p.paragraph(MARGIN, text_width, 18.0, true, w.title);
    p.gap(8.0);
    p.paragraph(
        MARGIN,
        text_width,
        12.0,
        true,
        &format!("{}: {}", w.reference, order.reference),
    );
    p.paragraph(
        MARGIN,
        text_width,
        10.0,
        false,
        &format!(
            "{} {}   ·   {}: {}",
            w.placed_on,
            l.date(placed_on),
            w.status,
            status_name(l, order.status)
        ),
    );
    p.paragraph(
        MARGIN,
        text_width,
        10.0,
        false,
        &format!(
            "{}: {} ({} {})",
            w.site, order.site_name, w.customer_number, order.site
        ),
    );
    if let Some(q) = &order.renewal_quote {
        p.paragraph(
            MARGIN,
            text_width,
            10.0,
            false,
            &format!("{}: {q}", w.renewal_quote),
        );
    }
    let payment = match order.payment.method {
        PaymentMethod::Card => format!(
            "{}: {}{}",
            w.paid_by_card,
            order
                .payment
                .card
                .as_ref()
                .map_or_else(String::new, ToString::to_string),
            order
                .payment
                .card_expiry
                .as_ref()
                .map_or_else(String::new, |e| format!(", {} {e}", w.expires))
        ),
        PaymentMethod::PurchaseOrder => format!(
            "{} {}",
            w.purchase_order,
            order.payment.po_number.clone().unwrap_or_default()
        ),
        PaymentMethod::BankTransfer => w.bank_transfer.to_owned(),
    };
    p.paragraph(MARGIN, text_width, 10.0, false, &payment);
    let b = &order.billing;
    p.paragraph(
        MARGIN,
        text_width,
        10.0,
        false,
        &format!(
            "{}: {}, {}, {}, {} {}, {}",
            w.bill_to,
            b.contact_name,
            b.address.name,
            b.address.line1,
            b.address.postal_code,
            b.address.city,
            b.address.country.name(l)
        ),
    );
    if let Some(s) = &order.shipping {
        p.paragraph(
            MARGIN,
            text_width,
            10.0,
            false,
            &format!(
                "{}: {}, {}, {}, {} {}, {}",
                w.ship_to,
                s.contact_name,
                s.address.name,
                s.address.line1,
                s.address.postal_code,
                s.address.city,
                s.address.country.name(l)
            ),
        );
    }
    p.gap(18.0);
    let heading = vec![
        (MARGIN, 9.0, true, w.part.to_owned(), Align::Left),
        (COL_DESC, 9.0, true, w.description.to_owned(), Align::Left),
        (
            COL_QTY_RIGHT,
            9.0,
            true,
            w.quantity.to_owned(),
            Align::Right,
        ),
        (
            COL_AMOUNT_RIGHT,
            9.0,
            true,
            w.amount.to_owned(),
            Align::Right,
        ),
    ];
    p.room(9.0 * 1.4 * 3.0);
    p.y += 9.0 * 1.4;
    for (x, size, bold, text, align) in &heading {
        p.put(*x, *size, *bold, text, *align);
    }
    p.rule();
    p.y += 9.0 * 0.6;
    p.repeat = heading;
    for line in &order.lines {
        let description = wrap(p.face(false), &line.description, 9.0, DESC_WIDTH);
        // A line's rows stay together on one page, a little apart from the next line's.
        p.room(9.0 * 1.4 * description.len() as f32 + 3.0);
        p.gap(3.0);
        for (i, row) in description.iter().enumerate() {
            p.y += 9.0 * 1.4;
            if i == 0 {
                p.put(MARGIN, 9.0, false, line.part_number.as_str(), Align::Left);
                p.put(
                    COL_QTY_RIGHT,
                    9.0,
                    false,
                    &l.number(line.quantity.into(), 0),
                    Align::Right,
                );
                p.put(
                    COL_AMOUNT_RIGHT,
                    9.0,
                    false,
                    &l.money(&line.extended),
                    Align::Right,
                );
            }
            p.put(COL_DESC, 9.0, false, row, Align::Left);
        }
    }
    p.repeat = Vec::new();
    let rows = order.summary.rows();
    p.room(10.0 * 1.6 * (rows.len() as f32 + 1.0));
    p.rule();
    p.gap(4.0);
    // The same rows as every screen: entitle-core's summary, with the tax's rate and base.
    for row in rows {
        let bold = row.kind == RowKind::Total;
        p.y += 10.0 * 1.6;
        p.put(
            COL_QTY_RIGHT,
            10.0,
            bold,
            &order.summary.label(row.kind, l),
            Align::Right,
        );
        p.put(
            COL_AMOUNT_RIGHT,
            10.0,
            bold,
            &l.money(&row.amount),
            Align::Right,
        );
    }
    if let Some(instructions) = &order.payment.bank_instructions {
        p.gap(12.0);
        p.paragraph(MARGIN, text_width, 9.0, false, instructions);
    }
    p.gap(18.0);
    p.paragraph(MARGIN, text_width, 8.0, false, w.keep);
    draw(&p.pages, faces, w.page, w.of)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_items_headings_fit_their_columns_in_every_language() {
        let (_, bold) = faces().expect("the embedded font loads");
        for l in Locale::ALL {
            let w = words(l);
            assert!(
                bold.width(w.part, 9.0) < COL_DESC - MARGIN - 4.0,
                "{}",
                w.part
            );
            assert!(
                bold.width(w.description, 9.0) < DESC_WIDTH,
                "{}",
                w.description
            );
        }
    }

    #[test]
    fn every_word_of_the_receipt_exists_in_each_language() {
        for l in Locale::ALL {
            let w = words(l);
            for s in [w.title, w.reference, w.part, w.page, w.of, w.keep] {
                assert!(!s.trim().is_empty());
            }
        }
    }
}
