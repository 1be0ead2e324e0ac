//! What every customer document (receipt, invoice, proof of entitlement) is drawn with: A4 pages in
//! DejaVu Sans, embedded and subset with a ToUnicode map (so every letter prints and can be copied or
//! extracted), text measured with the shaping it is drawn with, paragraphs wrapped, a table heading
//! repeated on every page it runs onto, and "Page i of n" at the foot of each page.

use std::sync::OnceLock;

use krilla::Document;
use krilla::geom::{PathBuilder, Point};
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::{Font, TextDirection};

/// Page size (A4, points) and layout.
pub(crate) const PAGE_W: f32 = 595.0;
pub(crate) const PAGE_H: f32 = 842.0;
pub(crate) const MARGIN: f32 = 50.0;
/// Where the footer's baseline sits, and the lowest a line of content may go.
pub(crate) const FOOTER_Y: f32 = PAGE_H - 30.0;
pub(crate) const BOTTOM: f32 = PAGE_H - 60.0;
const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// A face of the embedded font: for drawing (krilla) and for measuring (rustybuzz).
pub(crate) struct Face {
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
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        let shaped = rustybuzz::shape(&self.shaper, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / f32::from(self.shaper.units_per_em().max(1) as u16)
    }
}

/// Both faces, parsed once (the font files are part of the binary, so they always parse).
pub(crate) fn faces() -> Option<&'static (Face, Face)> {
    static FACES: OnceLock<Option<(Face, Face)>> = OnceLock::new();
    FACES
        .get_or_init(|| Some((Face::load(REGULAR)?, Face::load(BOLD)?)))
        .as_ref()
}

/// One thing drawn on a page (y grows downwards, as krilla measures).
pub(crate) enum Mark {
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
pub(crate) struct Layout<'f> {
    pub(crate) faces: &'f (Face, Face),
    pub(crate) pages: Vec<Vec<Mark>>,
    pub(crate) y: f32,
    /// Drawn at the top of every page after the first (the items table's heading).
    pub(crate) repeat: Vec<(f32, f32, bool, String, Align)>,
}

#[derive(Clone, Copy)]
pub(crate) enum Align {
    Left,
    Right,
}

impl<'f> Layout<'f> {
    /// A layout starting at the top of a first page.
    pub(crate) fn new(faces: &'f (Face, Face)) -> Layout<'f> {
        Layout {
            faces,
            pages: vec![Vec::new()],
            y: MARGIN,
            repeat: Vec::new(),
        }
    }

    pub(crate) fn face(&self, bold: bool) -> &'f Face {
        if bold { &self.faces.1 } else { &self.faces.0 }
    }

    /// Makes room for a block `height` high, on a new page when it does not fit on this one.
    pub(crate) fn room(&mut self, height: f32) {
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

    pub(crate) fn put(&mut self, x: f32, size: f32, bold: bool, text: &str, align: Align) {
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
    pub(crate) fn paragraph(&mut self, x: f32, width: f32, size: f32, bold: bool, text: &str) {
        for line in wrap(self.face(bold), text, size, width) {
            self.room(size * 1.4);
            self.y += size * 1.4;
            self.put(x, size, bold, &line, Align::Left);
        }
    }

    pub(crate) fn gap(&mut self, points: f32) {
        self.y += points;
    }

    pub(crate) fn rule(&mut self) {
        self.y += 4.0;
        let y = self.y;
        if let Some(page) = self.pages.last_mut() {
            page.push(Mark::Rule { y });
        }
    }
}

/// Breaks `text` into lines no wider than `width`: at spaces, and inside a word only when the word
/// alone is wider than a line.
pub(crate) fn wrap(face: &Face, text: &str, size: f32, width: f32) -> Vec<String> {
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

/// Why a document could not be drawn (the embedded font did not load, or the PDF writer refused).
#[derive(Debug, thiserror::Error)]
#[error("the document could not be drawn: {0}")]
pub struct RenderError(pub(crate) String);

/// Draws the laid-out pages, each with its footer.
/// `page` and `of` are the footer's words in the document's language ("Page 2 of 3").
pub(crate) fn draw(
    pages: &[Vec<Mark>],
    faces: &(Face, Face),
    page_word: &str,
    of_word: &str,
) -> Result<Vec<u8>, RenderError> {
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
        let footer = format!("{page_word} {} {of_word} {total}", i + 1);
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
}
