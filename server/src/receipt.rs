//! The order receipt as a PDF, in the reader's language: the order reference, date, status, site,
//! payment (card masked), billing, every item and the totals.
//!
//! Drawn with `krilla` in DejaVu Sans (embedded and subset, with a ToUnicode map), so every letter a
//! customer's name or address can hold prints — ü, é, €, Rp — and can be copied or searched. Long
//! descriptions and addresses wrap instead of being cut; an order of many lines runs over as many pages
//! as it needs, the table's heading repeated, and every page says "Page i of n".

use std::sync::OnceLock;

use entitle_core::dto::OrderView;
use entitle_core::locale::Locale;
use entitle_core::order::{OrderStatus, PaymentMethod};
use entitle_core::pricing::summary::RowKind;
use krilla::Document;
use krilla::geom::{PathBuilder, Point};
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::{Font, TextDirection};

/// Page size (A4, points) and layout.
const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 50.0;
/// Where the footer's baseline sits, and the lowest a line of content may go.
const FOOTER_Y: f32 = PAGE_H - 30.0;
const BOTTOM: f32 = PAGE_H - 60.0;
/// Columns of the items table: part, description, quantity (right edge), amount (right edge).
const COL_DESC: f32 = MARGIN + 96.0;
const COL_QTY_RIGHT: f32 = PAGE_W - MARGIN - 110.0;
const COL_AMOUNT_RIGHT: f32 = PAGE_W - MARGIN;
const DESC_WIDTH: f32 = COL_QTY_RIGHT - 40.0 - COL_DESC;

const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// A face of the embedded font: for drawing (krilla) and for measuring (rustybuzz).
struct Face {
    font: Font,
    shaper: rustybuzz::Face<'static>,
}

impl Face {
    fn load(data: &'static [u8]) -> Option<Face> {
        Some(Face {
            font: Font::new(data.to_vec().into(), 0)?,
            shaper: rustybuzz::Face::from_slice(data, 0)?,
        })
    }

    /// The width of `text` at `size` points, shaped as it will be drawn.
    fn width(&self, text: &str, size: f32) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        let shaped = rustybuzz::shape(&self.shaper, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / f32::from(self.shaper.units_per_em().max(1) as u16)
    }
}

/// Both faces, parsed once (the font files are part of the binary, so they always parse).
fn faces() -> Option<&'static (Face, Face)> {
    static FACES: OnceLock<Option<(Face, Face)>> = OnceLock::new();
    FACES
        .get_or_init(|| Some((Face::load(REGULAR)?, Face::load(BOLD)?)))
        .as_ref()
}

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
            purchase_order: "Purchase order (PO)",
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

/// One thing drawn on a page (y grows downwards, as krilla measures).
enum Mark {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        text: String,
    },
    Rule {
        y: f32,
    },
}

/// Lays marks out on pages, starting a new page when the next line would not fit.
struct Layout<'f> {
    faces: &'f (Face, Face),
    pages: Vec<Vec<Mark>>,
    y: f32,
    /// Drawn at the top of every page after the first (the items table's heading).
    repeat: Vec<(f32, f32, bool, String, Align)>,
}

#[derive(Clone, Copy)]
enum Align {
    Left,
    Right,
}

impl<'f> Layout<'f> {
    fn face(&self, bold: bool) -> &'f Face {
        if bold { &self.faces.1 } else { &self.faces.0 }
    }

    /// Makes room for a block `height` high, on a new page when it does not fit on this one.
    fn room(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.pages.push(Vec::new());
            self.y = MARGIN;
            let repeat = std::mem::take(&mut self.repeat);
            let size = repeat.first().map_or(0.0, |r| r.1);
            if !repeat.is_empty() {
                self.y += size * 1.4;
                for (x, size, bold, text, align) in &repeat {
                    self.put(*x, *size, *bold, text, *align);
                }
                self.rule();
                self.y += size * 0.6;
            }
            self.repeat = repeat;
        }
    }

    fn put(&mut self, x: f32, size: f32, bold: bool, text: &str, align: Align) {
        let x = match align {
            Align::Left => x,
            Align::Right => x - self.face(bold).width(text, size),
        };
        let y = self.y;
        if let Some(page) = self.pages.last_mut() {
            page.push(Mark::Text {
                x,
                y,
                size,
                bold,
                text: text.to_owned(),
            });
        }
    }

    /// A paragraph from the left margin, wrapped to `width`.
    fn paragraph(&mut self, x: f32, width: f32, size: f32, bold: bool, text: &str) {
        for line in wrap(self.face(bold), text, size, width) {
            self.room(size * 1.4);
            self.y += size * 1.4;
            self.put(x, size, bold, &line, Align::Left);
        }
    }

    fn gap(&mut self, points: f32) {
        self.y += points;
    }

    fn rule(&mut self) {
        self.y += 4.0;
        let y = self.y;
        if let Some(page) = self.pages.last_mut() {
            page.push(Mark::Rule { y });
        }
    }
}

/// Breaks `text` into lines no wider than `width`: at spaces, and inside a word only when the word
/// alone is wider than a line.
fn wrap(face: &Face, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if face.width(&candidate, size) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word wider than the line (a long reference or URL) is cut between characters.
        for c in word.chars() {
            line.push(c);
            if face.width(&line, size) > width && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Why a receipt could not be drawn (the embedded font did not load, or the PDF writer refused).
#[derive(Debug, thiserror::Error)]
#[error("the receipt could not be drawn: {0}")]
pub struct RenderError(String);

/// The receipt of `order` as PDF bytes, in `l`, dates and money formatted by `entitle-core`.
///
/// # Errors
/// Only if the embedded font or the PDF writer fails, which no order can cause.
pub fn render(order: &OrderView, placed_on: time::Date, l: Locale) -> Result<Vec<u8>, RenderError> {
    let faces = faces().ok_or_else(|| RenderError("the embedded font".into()))?;
    let w = words(l);
    let mut p = Layout {
        faces,
        pages: vec![Vec::new()],
        y: MARGIN,
        repeat: Vec::new(),
    };
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
    draw(&p.pages, faces, &w)
}

/// Draws the laid-out pages, each with its footer.
fn draw(pages: &[Vec<Mark>], faces: &(Face, Face), w: &Words) -> Result<Vec<u8>, RenderError> {
    let mut document = Document::new();
    let total = pages.len();
    for (i, marks) in pages.iter().enumerate() {
        let settings =
            PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| RenderError("page size".into()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let text = |surface: &mut krilla::surface::Surface<'_>,
                    x: f32,
                    y: f32,
                    size: f32,
                    bold: bool,
                    s: &str| {
            let face = if bold { &faces.1 } else { &faces.0 };
            surface.draw_text(
                Point::from_xy(x, y),
                face.font.clone(),
                size,
                s,
                false,
                TextDirection::Auto,
            );
        };
        for mark in marks {
            match mark {
                Mark::Text {
                    x,
                    y,
                    size,
                    bold,
                    text: s,
                } => text(&mut surface, *x, *y, *size, *bold, s),
                Mark::Rule { y } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(MARGIN, *y);
                    pb.line_to(PAGE_W - MARGIN, *y);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            width: 0.5,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                        surface.set_fill(Some(krilla::paint::Fill::default()));
                    }
                }
            }
        }
        let footer = format!("{} {} {} {total}", w.page, i + 1, w.of);
        let width = faces.0.width(&footer, 8.0);
        text(
            &mut surface,
            PAGE_W - MARGIN - width,
            FOOTER_Y,
            8.0,
            false,
            &footer,
        );
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| RenderError(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_at_spaces_and_a_word_longer_than_a_line_is_cut_between_letters() {
        let (regular, _) = faces().expect("the embedded font loads");
        let lines = wrap(regular, "one two three four five six seven", 10.0, 60.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert_eq!(lines.join(" "), "one two three four five six seven");
        for line in &lines {
            assert!(regular.width(line, 10.0) <= 60.0, "{line}");
        }
        let long = "x".repeat(200);
        let cut = wrap(regular, &long, 10.0, 60.0);
        assert!(cut.len() > 1);
        assert_eq!(cut.concat(), long);
        assert_eq!(wrap(regular, "", 10.0, 60.0), vec![String::new()]);
    }

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
