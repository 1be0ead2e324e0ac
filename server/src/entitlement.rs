//! The proof of entitlement of a fulfilled order, as a PDF in the reader's language: the document a
//! customer shows in a licence audit. It names the organisation, the site and its customer number, the
//! order and the day it was fulfilled, and each part with its quantity, licence metric and coverage.

use entitle_core::catalog::Metric;
use entitle_core::dto::OrderView;
use entitle_core::locale::Locale;

use crate::pdf::{Align, Layout, MARGIN, PAGE_W, RenderError, draw, faces, wrap};

/// Columns: part, description (with the metric under it), quantity, coverage.
const COL_DESC: f32 = MARGIN + 96.0;
const COL_QTY_RIGHT: f32 = PAGE_W - MARGIN - 150.0;
const COL_COVERAGE: f32 = PAGE_W - MARGIN - 140.0;
const DESC_WIDTH: f32 = COL_QTY_RIGHT - 40.0 - COL_DESC;

struct Words {
    title: &'static str,
    intro: &'static str,
    organisation: &'static str,
    site: &'static str,
    customer_number: &'static str,
    order: &'static str,
    fulfilled: &'static str,
    part: &'static str,
    description: &'static str,
    quantity: &'static str,
    coverage: &'static str,
    metric: &'static str,
    perpetual: &'static str,
    months: &'static str,
    keep: &'static str,
    page: &'static str,
    of: &'static str,
}

const fn words(l: Locale) -> Words {
    match l {
        Locale::En => Words {
            title: "Proof of entitlement",
            intro: "This document confirms the licences and Subscription & Support the customer below is entitled to under this order.",
            organisation: "Customer",
            site: "Site",
            customer_number: "Customer number",
            order: "Order reference",
            fulfilled: "Fulfilled on",
            part: "Part",
            description: "Description",
            quantity: "Qty",
            coverage: "Coverage",
            metric: "Licence metric",
            perpetual: "perpetual licence",
            months: "months",
            keep: "Keep this document with your licence records; show it in a licence audit.",
            page: "Page",
            of: "of",
        },
        Locale::Id => Words {
            title: "Bukti hak penggunaan",
            intro: "Dokumen ini menegaskan lisensi serta Subscription & Support yang menjadi hak pelanggan di bawah ini berdasarkan pesanan ini.",
            organisation: "Pelanggan",
            site: "Situs",
            customer_number: "Nomor pelanggan",
            order: "Nomor referensi pesanan",
            fulfilled: "Dipenuhi pada",
            part: "Nomor komponen",
            description: "Deskripsi",
            quantity: "Jml",
            coverage: "Masa dukungan",
            metric: "Metrik lisensi",
            perpetual: "lisensi permanen",
            months: "bulan",
            keep: "Simpan dokumen ini bersama catatan lisensi Anda; tunjukkan saat audit lisensi.",
            page: "Halaman",
            of: "dari",
        },
        Locale::De => Words {
            title: "Nutzungsnachweis",
            intro: "Dieses Dokument bestätigt die Lizenzen sowie Subscription & Support, auf die der unten genannte Kunde aus dieser Bestellung Anspruch hat.",
            organisation: "Kunde",
            site: "Standort",
            customer_number: "Kundennummer",
            order: "Bestellreferenz",
            fulfilled: "Erfüllt am",
            part: "Teilenummer",
            description: "Beschreibung",
            quantity: "Menge",
            coverage: "Laufzeit",
            metric: "Lizenzmetrik",
            perpetual: "unbefristete Lizenz",
            months: "Monate",
            keep: "Bewahren Sie dieses Dokument bei Ihren Lizenzunterlagen auf; legen Sie es bei einer Lizenzprüfung vor.",
            page: "Seite",
            of: "von",
        },
    }
}

/// The proof of entitlement of `order`, fulfilled on `fulfilled_on`; `metric_of` gives each line's
/// licence metric (by position; `None` for a part no longer in the catalog), in `l`.
///
/// # Errors
/// Only if the embedded font or the PDF writer fails, which no order can cause.
pub fn render(
    order: &OrderView,
    metric_of: &[Option<Metric>],
    fulfilled_on: time::Date,
    l: Locale,
) -> Result<Vec<u8>, RenderError> {
    let faces = faces().ok_or_else(|| RenderError("the embedded font".into()))?;
    let w = words(l);
    let mut p = Layout::new(faces);
    let width = PAGE_W - 2.0 * MARGIN;
    p.paragraph(MARGIN, width, 18.0, true, w.title);
    p.gap(6.0);
    p.paragraph(MARGIN, width, 10.0, false, w.intro);
    p.gap(6.0);
    for (label, value) in [
        (w.organisation, order.organisation.clone()),
        (w.site, order.site_name.clone()),
        (w.customer_number, order.site.clone()),
        (w.order, order.reference.to_string()),
        (w.fulfilled, l.long_date(fulfilled_on)),
    ] {
        p.paragraph(MARGIN, width, 10.0, false, &format!("{label}: {value}"));
    }
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
        (COL_COVERAGE, 9.0, true, w.coverage.to_owned(), Align::Left),
    ];
    p.room(9.0 * 1.4 * 3.0);
    p.y += 9.0 * 1.4;
    for (x, size, bold, text, align) in &heading {
        p.put(*x, *size, *bold, text, *align);
    }
    p.rule();
    p.y += 9.0 * 0.6;
    p.repeat = heading;
    for (i, line) in order.lines.iter().enumerate() {
        let mut rows = wrap(p.face(false), &line.description, 9.0, DESC_WIDTH);
        if let Some(m) = metric_of.get(i).copied().flatten() {
            rows.extend(wrap(
                p.face(false),
                &format!("{}: {}", w.metric, m.name(l)),
                9.0,
                DESC_WIDTH,
            ));
        }
        let coverage = match (line.coverage_start, line.coverage_end) {
            (Some(from), Some(to)) => vec![format!("{} –", l.date(from)), l.date(to)],
            _ if line.months > 0 => vec![format!("{} {}", line.months, w.months)],
            _ => vec![w.perpetual.to_owned()],
        };
        let height = rows.len().max(coverage.len());
        p.room(9.0 * 1.4 * height as f32 + 3.0);
        p.gap(3.0);
        for r in 0..height {
            p.y += 9.0 * 1.4;
            if r == 0 {
                p.put(MARGIN, 9.0, false, line.part_number.as_str(), Align::Left);
                let qty = l.number(line.quantity.into(), 0);
                p.put(COL_QTY_RIGHT, 9.0, false, &qty, Align::Right);
            }
            if let Some(text) = rows.get(r) {
                p.put(COL_DESC, 9.0, false, text, Align::Left);
            }
            if let Some(text) = coverage.get(r) {
                p.put(COL_COVERAGE, 9.0, false, text, Align::Left);
            }
        }
    }
    p.repeat = Vec::new();
    p.gap(18.0);
    p.paragraph(MARGIN, width, 8.0, false, w.keep);
    draw(&p.pages, faces, w.page, w.of)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_headings_fit_their_columns_in_every_language() {
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
                bold.width(w.coverage, 9.0) < PAGE_W - MARGIN - COL_COVERAGE,
                "{}",
                w.coverage
            );
        }
    }
}
