//! The order receipt as a one-page PDF: the order reference, date, site, payment (card masked), the
//! items and the totals. Written by hand with the PDF base-14 Helvetica font, so no layout engine or
//! font file is needed; text is encoded in WinAnsi (Windows-1252), which covers the languages and
//! currency signs Entitle shows.

use std::fmt::Write as _;

use entitle_core::dto::OrderView;
use entitle_core::locale::Locale;
use entitle_core::order::PaymentMethod;
use entitle_core::pricing::summary::RowKind;

/// Page size (A4, points) and layout.
const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 50.0;
const LINE: f32 = 14.0;
/// Items that fit on the one page; the rest are summarised in a line.
const MAX_ITEMS: usize = 34;

/// Encodes text for a PDF string in WinAnsi, escaping what PDF strings need escaped.
fn pdf_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        let byte: u8 = match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                c as u8
            }
            ' '..='~' => c as u8,
            '€' => 0x80,
            '…' => 0x85,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '\u{a0}'..='\u{ff}' => u8::try_from(u32::from(c)).unwrap_or(b'?'),
            _ => b'?',
        };
        if byte.is_ascii() {
            out.push(char::from(byte));
        } else {
            // Octal escapes keep the file ASCII whatever the byte.
            let _ = write!(out, "\\{byte:03o}");
        }
    }
    out
}

struct Page {
    content: String,
    y: f32,
}

impl Page {
    fn text(&mut self, x: f32, size: f32, bold: bool, s: &str) {
        let font = if bold { "F2" } else { "F1" };
        let _ = writeln!(
            self.content,
            "BT /{font} {size} Tf {x:.1} {:.1} Td ({}) Tj ET",
            self.y,
            pdf_text(s)
        );
    }

    fn right(&mut self, right_edge: f32, size: f32, bold: bool, s: &str) {
        // Helvetica digits and most letters are about 0.55 em wide: close enough to right-align figures.
        let width = s.chars().count() as f32 * size * 0.55;
        self.text(right_edge - width, size, bold, s);
    }

    /// A horizontal line between the previous text line and the current one.
    fn rule(&mut self) {
        let y = self.y + LINE - 4.0;
        let _ = writeln!(
            self.content,
            "{MARGIN:.1} {y:.1} m {:.1} {y:.1} l 0.5 w S",
            PAGE_W - MARGIN
        );
    }

    fn down(&mut self, lines: f32) {
        self.y -= LINE * lines;
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

/// The receipt of `order` as PDF bytes, in English, dates and money formatted by `entitle-core`.
#[must_use]
pub fn render(order: &OrderView, placed_on: time::Date) -> Vec<u8> {
    let l = Locale::En;
    let mut p = Page {
        content: String::new(),
        y: PAGE_H - MARGIN,
    };
    p.text(MARGIN, 20.0, true, "Entitle — Order confirmation");
    p.down(2.0);
    p.text(
        MARGIN,
        12.0,
        true,
        &format!("Order reference: {}", order.reference),
    );
    p.down(1.2);
    p.text(
        MARGIN,
        10.0,
        false,
        &format!(
            "Placed on {}   ·   Status: {}",
            l.date(placed_on),
            order.status.code()
        ),
    );
    p.down(1.0);
    p.text(
        MARGIN,
        10.0,
        false,
        &format!("Site: {} (customer number {})", order.site_name, order.site),
    );
    if let Some(q) = &order.renewal_quote {
        p.down(1.0);
        p.text(MARGIN, 10.0, false, &format!("Renewal quote: {q}"));
    }
    p.down(1.0);
    let payment = match order.payment.method {
        PaymentMethod::Card => format!(
            "Paid by card: {}{}",
            order
                .payment
                .card
                .as_ref()
                .map_or_else(String::new, ToString::to_string),
            order
                .payment
                .card_expiry
                .as_ref()
                .map_or_else(String::new, |e| format!(", expires {e}"))
        ),
        PaymentMethod::PurchaseOrder => format!(
            "Purchase order {}",
            order.payment.po_number.clone().unwrap_or_default()
        ),
        PaymentMethod::BankTransfer => "Bank transfer against invoice".to_owned(),
    };
    p.text(MARGIN, 10.0, false, &payment);
    p.down(1.0);
    let b = &order.billing;
    p.text(
        MARGIN,
        10.0,
        false,
        &truncate(
            &format!(
                "Bill to: {}, {}, {} {} {}, {}",
                b.contact_name,
                b.address.name,
                b.address.line1,
                b.address.postal_code,
                b.address.city,
                b.address.country
            ),
            95,
        ),
    );
    p.down(2.0);
    p.text(MARGIN, 9.0, true, "Part");
    p.text(MARGIN + 62.0, 9.0, true, "Description");
    p.right(PAGE_W - MARGIN - 130.0, 9.0, true, "Qty");
    p.right(PAGE_W - MARGIN, 9.0, true, "Amount");
    p.down(1.0);
    p.rule();
    for line in order.lines.iter().take(MAX_ITEMS) {
        p.text(MARGIN, 9.0, false, line.part_number.as_str());
        p.text(MARGIN + 62.0, 9.0, false, &truncate(&line.description, 58));
        p.right(
            PAGE_W - MARGIN - 130.0,
            9.0,
            false,
            &l.number(line.quantity.into(), 0),
        );
        p.right(PAGE_W - MARGIN, 9.0, false, &l.money(&line.extended));
        p.down(1.0);
    }
    if order.lines.len() > MAX_ITEMS {
        p.text(
            MARGIN + 62.0,
            9.0,
            false,
            &format!(
                "… and {} more items (see the order in Entitle)",
                order.lines.len() - MAX_ITEMS
            ),
        );
        p.down(1.0);
    }
    p.rule();
    p.down(0.5);
    // The same rows as every screen: entitle-core's summary, with the tax's rate and base.
    for row in order.summary.rows() {
        let bold = row.kind == RowKind::Total;
        p.right(
            PAGE_W - MARGIN - 130.0,
            10.0,
            bold,
            &order.summary.label(row.kind, l),
        );
        p.right(PAGE_W - MARGIN, 10.0, bold, &l.money(&row.amount));
        p.down(1.2);
    }
    if let Some(instructions) = &order.payment.bank_instructions {
        p.down(1.0);
        p.text(MARGIN, 9.0, false, &truncate(instructions, 110));
    }
    p.down(2.0);
    p.text(
        MARGIN,
        8.0,
        false,
        "Keep this receipt as your record of the order.",
    );
    document(&p.content)
}

/// Wraps a content stream in a complete one-page PDF with the two Helvetica fonts.
fn document(content: &str) -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>"
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        let _ = write!(out, "{} 0 obj\n{body}\nendobj\n", i + 1);
    }
    let xref = out.len();
    let _ = write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for o in offsets {
        let _ = writeln!(out, "{o:010} 00000 n ");
    }
    let _ = write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::pdf_text;

    #[test]
    fn pdf_strings_escape_delimiters_and_encode_win_ansi() {
        assert_eq!(pdf_text("a(b)c\\"), "a\\(b\\)c\\\\");
        assert_eq!(pdf_text("1.234,56 €"), "1.234,56 \\200");
        assert_eq!(pdf_text("München"), "M\\374nchen");
        assert_eq!(pdf_text("日本"), "??");
        assert_eq!(pdf_text("a…"), "a\\205");
    }
}
