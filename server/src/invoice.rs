//! The invoice of a completed order, as a PDF in the reader's language: seller and buyer with their tax
//! IDs, the invoice number and date, every item with its unit price, and the totals as every screen
//! shows them (entitle-core's summary). In Indonesia the tax line states PPN 12 % on the 11/12 base
//! (DPP) and the buyer's NPWP is printed.

use entitle_core::dto::OrderView;
use entitle_core::locale::Locale;
use entitle_core::pricing::summary::RowKind;

use crate::pdf::{Align, Layout, MARGIN, PAGE_W, RenderError, draw, faces, wrap};

/// The seller, as invoices name it (`ENTITLE_SELLER_*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seller {
    /// Legal name.
    pub name: String,
    /// Address on one line.
    pub address: String,
    /// Tax ID (VAT ID).
    pub tax_id: String,
}

impl Default for Seller {
    fn default() -> Self {
        Seller {
            name: "Entitle Software GmbH".into(),
            address: "Leopoldstraße 12, 80802 München, Deutschland".into(),
            tax_id: "DE 812 345 678".into(),
        }
    }
}

/// Columns: part, description, quantity, unit price, amount (the last three right-aligned).
const COL_DESC: f32 = MARGIN + 96.0;
const COL_QTY_RIGHT: f32 = PAGE_W - MARGIN - 200.0;
const COL_UNIT_RIGHT: f32 = PAGE_W - MARGIN - 100.0;
/// The right edge of the totals' labels: clear of the widest amount (`Rp 999.999.999,99` in bold).
const LABEL_RIGHT: f32 = PAGE_W - MARGIN - 125.0;
const COL_AMOUNT_RIGHT: f32 = PAGE_W - MARGIN;
const DESC_WIDTH: f32 = COL_QTY_RIGHT - 34.0 - COL_DESC;

/// The invoice's own words in each language; a new language fails to compile until it has them.
struct Words {
    title: &'static str,
    number: &'static str,
    date: &'static str,
    order: &'static str,
    seller: &'static str,
    buyer: &'static str,
    tax_id: &'static str,
    npwp: &'static str,
    site: &'static str,
    part: &'static str,
    description: &'static str,
    quantity: &'static str,
    unit_price: &'static str,
    amount: &'static str,
    dpp: &'static str,
    paid: &'static str,
    page: &'static str,
    of: &'static str,
}

const fn words(l: Locale) -> Words {
    match l {
        Locale::En => Words {
            title: "Invoice",
            number: "Invoice number",
            date: "Invoice date",
            order: "Order reference",
            seller: "Seller",
            buyer: "Bill to",
            tax_id: "Tax ID",
            npwp: "NPWP",
            site: "Site",
            part: "Part",
            description: "Description",
            quantity: "Qty",
            unit_price: "Unit price",
            amount: "Amount",
            dpp: "Tax base (DPP, 11/12 of the net amount)",
            paid: "Payment",
            page: "Page",
            of: "of",
        },
        Locale::Id => Words {
            title: "Faktur",
            number: "Nomor faktur",
            date: "Tanggal faktur",
            order: "Nomor referensi pesanan",
            seller: "Penjual",
            buyer: "Ditagihkan kepada",
            tax_id: "Nomor pajak",
            npwp: "NPWP",
            site: "Situs",
            part: "Nomor komponen",
            description: "Deskripsi",
            quantity: "Jml",
            unit_price: "Harga satuan",
            amount: "Jumlah",
            dpp: "Dasar pengenaan pajak (DPP, 11/12 dari jumlah neto)",
            paid: "Pembayaran",
            page: "Halaman",
            of: "dari",
        },
        Locale::De => Words {
            title: "Rechnung",
            number: "Rechnungsnummer",
            date: "Rechnungsdatum",
            order: "Bestellreferenz",
            seller: "Verkäufer",
            buyer: "Rechnungsempfänger",
            tax_id: "USt-IdNr.",
            npwp: "NPWP",
            site: "Standort",
            part: "Teilenummer",
            description: "Beschreibung",
            quantity: "Menge",
            unit_price: "Einzelpreis",
            amount: "Betrag",
            dpp: "Bemessungsgrundlage (DPP, 11/12 des Nettobetrags)",
            paid: "Zahlung",
            page: "Seite",
            of: "von",
        },
    }
}

/// The invoice number of an order: its reference with an `R-` prefix, so one order has one invoice.
#[must_use]
pub fn number(order: &OrderView) -> String {
    format!("R-{}", order.reference)
}

/// The invoice of `order`, completed on `completed_on`, from `seller`, in `l`.
///
/// # Errors
/// Only if the embedded font or the PDF writer fails, which no order can cause.
pub fn render(
    order: &OrderView,
    completed_on: time::Date,
    seller: &Seller,
    l: Locale,
) -> Result<Vec<u8>, RenderError> {
    let faces = faces().ok_or_else(|| RenderError("the embedded font".into()))?;
    let w = words(l);
    let mut p = Layout::new(faces);
    let width = PAGE_W - 2.0 * MARGIN;
    p.paragraph(MARGIN, width, 18.0, true, w.title);
    p.gap(6.0);
    p.paragraph(
        MARGIN,
        width,
        11.0,
        true,
        &format!("{}: {}", w.number, number(order)),
    );
    p.paragraph(
        MARGIN,
        width,
        10.0,
        false,
        &format!(
            "{}: {}   ·   {}: {}",
            w.date,
            l.long_date(completed_on),
            w.order,
            order.reference
        ),
    );
    p.gap(8.0);
    p.paragraph(MARGIN, width, 10.0, true, w.seller);
    p.paragraph(
        MARGIN,
        width,
        10.0,
        false,
        &format!("{}, {}", seller.name, seller.address),
    );
    p.paragraph(
        MARGIN,
        width,
        10.0,
        false,
        &format!("{}: {}", w.tax_id, seller.tax_id),
    );
    p.gap(6.0);
    let b = &order.billing;
    p.paragraph(MARGIN, width, 10.0, true, w.buyer);
    p.paragraph(
        MARGIN,
        width,
        10.0,
        false,
        &format!(
            "{} ({}), {}, {}, {} {}, {}",
            b.address.name,
            b.contact_name,
            b.address.line1,
            b.address.line2,
            b.address.postal_code,
            b.address.city,
            b.address.country.name(l)
        )
        .replace(", ,", ","),
    );
    let indonesian = b.address.country.as_str() == "ID";
    if !b.tax_id.trim().is_empty() {
        let label = if indonesian { w.npwp } else { w.tax_id };
        p.paragraph(
            MARGIN,
            width,
            10.0,
            false,
            &format!("{label}: {}", b.tax_id.trim()),
        );
    }
    p.paragraph(
        MARGIN,
        width,
        10.0,
        false,
        &format!("{}: {} ({})", w.site, order.site_name, order.site),
    );
    p.gap(10.0);
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
            COL_UNIT_RIGHT,
            9.0,
            true,
            w.unit_price.to_owned(),
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
        p.room(9.0 * 1.4 * description.len() as f32 + 3.0);
        p.gap(3.0);
        for (i, row) in description.iter().enumerate() {
            p.y += 9.0 * 1.4;
            if i == 0 {
                p.put(MARGIN, 9.0, false, line.part_number.as_str(), Align::Left);
                let qty = l.number(line.quantity.into(), 0);
                p.put(COL_QTY_RIGHT, 9.0, false, &qty, Align::Right);
                let unit = l.money(&line.unit_price);
                p.put(COL_UNIT_RIGHT, 9.0, false, &unit, Align::Right);
                let amount = l.money(&line.extended);
                p.put(COL_AMOUNT_RIGHT, 9.0, false, &amount, Align::Right);
            }
            p.put(COL_DESC, 9.0, false, row, Align::Left);
        }
    }
    p.repeat = Vec::new();
    let summary = &order.summary;
    let rows = summary.rows();
    p.room(10.0 * 1.6 * (rows.len() as f32 + 3.0));
    p.rule();
    p.gap(4.0);
    for row in rows {
        let bold = row.kind == RowKind::Total;
        p.y += 10.0 * 1.6;
        p.put(
            LABEL_RIGHT,
            10.0,
            bold,
            &summary.label(row.kind, l),
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
    // Indonesian VAT is charged on a base of 11/12 of the net amount: the invoice states that base.
    if let Some(rule) = summary
        .tax_rule
        .as_ref()
        .filter(|r| r.base_numerator != r.base_denominator)
    {
        let base = summary.net.amount() * rust_decimal::Decimal::from(rule.base_numerator)
            / rust_decimal::Decimal::from(rule.base_denominator);
        let base = entitle_core::money::Money::new(base, summary.net.currency());
        p.y += 10.0 * 1.6;
        p.put(LABEL_RIGHT, 9.0, false, w.dpp, Align::Right);
        p.put(COL_AMOUNT_RIGHT, 9.0, false, &l.money(&base), Align::Right);
    }
    p.gap(16.0);
    let paid = match order.payment.method {
        entitle_core::order::PaymentMethod::Card => order
            .payment
            .card
            .as_ref()
            .map_or_else(String::new, ToString::to_string),
        entitle_core::order::PaymentMethod::PurchaseOrder => {
            format!("PO {}", order.payment.po_number.clone().unwrap_or_default())
        }
        entitle_core::order::PaymentMethod::BankTransfer => {
            order.payment.bank_instructions.clone().unwrap_or_default()
        }
    };
    if !paid.trim().is_empty() {
        p.paragraph(MARGIN, width, 9.0, false, &format!("{}: {paid}", w.paid));
    }
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
            assert!(
                bold.width(w.unit_price, 9.0) < COL_UNIT_RIGHT - COL_QTY_RIGHT - 6.0,
                "{}",
                w.unit_price
            );
            // The widest total the demo's currencies reach stays clear of its label.
            let widest = l.money(&entitle_core::money::Money::new(
                rust_decimal::Decimal::new(99_999_999_999, 2),
                entitle_core::money::Currency::Idr,
            ));
            assert!(
                bold.width(&widest, 10.0) < COL_AMOUNT_RIGHT - LABEL_RIGHT - 6.0,
                "{widest}"
            );
        }
    }
}
