//! Whether an uploaded file really is a PDF: it is parsed (cross-reference table, trailer, catalog and
//! page tree), not just sniffed by its first bytes, so a renamed script or an HTML page with a `%PDF-`
//! prefix is refused before it is stored and later served to someone else.
//!
//! `lopdf` does the parsing: a maintained reader, used without its optional features (no rayon, no
//! clock). It runs on a blocking thread because a 5 MB document can take a while, and a panic inside
//! it becomes a refusal rather than a dropped connection.

/// Why a file is not accepted as a PDF.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotPdf {
    /// It does not even start like a PDF.
    #[error("the file does not start like a PDF")]
    NoHeader,
    /// It has no end-of-file marker: cut short.
    #[error("the file is incomplete")]
    Truncated,
    /// The reader could not make a document of it.
    #[error("the file cannot be read as a PDF: {0}")]
    Unreadable(String),
    /// It parsed, but has no catalog or no page.
    #[error("the PDF has no pages")]
    NoPages,
    /// The parser stopped abnormally.
    #[error("the PDF could not be checked")]
    CheckFailed,
}

/// Parses `bytes` as a PDF with at least one page.
///
/// # Errors
/// [`NotPdf`] saying why it is not one.
pub fn check(bytes: &[u8]) -> Result<(), NotPdf> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(NotPdf::NoHeader);
    }
    // Every writer ends the file with an end-of-file marker (ISO 32000 §7.5.5; some add a little
    // after it). The reader repairs a file cut short, but a document cut short is not the one sent.
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(NotPdf::Truncated);
    }
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| NotPdf::Unreadable(e.to_string()))?;
    doc.catalog().map_err(|_| NotPdf::NoPages)?;
    if doc.page_iter().next().is_none() {
        return Err(NotPdf::NoPages);
    }
    Ok(())
}

/// [`check`] on a blocking thread.
///
/// # Errors
/// [`NotPdf`]; [`NotPdf::CheckFailed`] when the parser panicked.
pub async fn check_off_thread(bytes: axum::body::Bytes) -> Result<(), NotPdf> {
    tokio::task::spawn_blocking(move || check(&bytes))
        .await
        .unwrap_or(Err(NotPdf::CheckFailed))
}

#[cfg(test)]
mod tests {
    use super::{NotPdf, check};

    const ONE_PAGE: &[u8] = include_bytes!("../tests/fixtures/purchase-order.pdf");

    #[test]
    fn a_real_one_page_pdf_is_accepted() {
        assert_eq!(check(ONE_PAGE), Ok(()));
    }

    #[test]
    fn a_file_that_only_starts_like_a_pdf_is_refused() {
        assert!(matches!(
            check(b"%PDF-1.4\n<script>alert(1)</script>\n%%EOF\n"),
            Err(NotPdf::Unreadable(_) | NotPdf::NoPages)
        ));
        assert!(matches!(
            check(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"),
            Err(NotPdf::Unreadable(_) | NotPdf::NoPages)
        ));
        assert_eq!(check(b"GIF89a"), Err(NotPdf::NoHeader));
        assert_eq!(check(b""), Err(NotPdf::NoHeader));
    }

    #[test]
    fn a_truncated_pdf_is_refused_without_panicking() {
        for cut in [9, 100, 300, ONE_PAGE.len() - 30] {
            assert_eq!(
                check(&ONE_PAGE[..cut]),
                Err(NotPdf::Truncated),
                "cut at {cut}"
            );
        }
        // The marker alone does not make a document.
        let mut broken = ONE_PAGE[..300].to_vec();
        broken.extend_from_slice(b"\n%%EOF\n");
        broken.splice(9..40, std::iter::repeat_n(b'x', 31));
        assert!(check(&broken).is_err());
    }
}
