//! PDF pages in: each page of an e-paper PDF becomes one page dump, its text
//! extracted with poppler's `pdftotext` (the tool page dumps are usually made
//! with) in its default reading-order mode.

use std::path::Path;
use std::process::Command;

/// The program that extracts the text.
const PDFTOTEXT: &str = "pdftotext";

/// Why a PDF gives no pages.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// pdftotext is not installed.
    #[error(
        "{path}: reading a PDF needs poppler's pdftotext, which is not installed \
         (Debian/Ubuntu: apt-get install poppler-utils poppler-data; macOS: brew install poppler)"
    )]
    Missing {
        /// The PDF.
        path: String,
    },
    /// pdftotext failed on the file.
    #[error("{path}: pdftotext failed: {reason}")]
    Failed {
        /// The PDF.
        path: String,
        /// What it said.
        reason: String,
    },
    /// The page asked for is not in the PDF.
    #[error("{path} has {pages} pages; there is no page {wanted}")]
    NoSuchPage {
        /// The PDF.
        path: String,
        /// Pages it has.
        pages: usize,
        /// The page asked for.
        wanted: usize,
    },
}

/// Whether a file is a PDF: its bytes start with `%PDF-`.
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// One page of a PDF: its number (from 1) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfPage {
    /// Page number in the PDF, from 1.
    pub number: usize,
    /// The extracted text.
    pub text: String,
}

/// The text of every page of the PDF at `path` (or only page `only`), as
/// pdftotext gives it; a page without text is left out (a photo page), and
/// its number skipped.
///
/// # Errors
/// [`PdfError`]: pdftotext missing or failing, or no page `only`.
pub fn pages(path: &Path, only: Option<usize>) -> Result<Vec<PdfPage>, PdfError> {
    let label = path.display().to_string();
    let mut cmd = Command::new(PDFTOTEXT);
    cmd.args(["-enc", "UTF-8"]);
    if let Some(n) = only {
        cmd.args(["-f", &n.to_string(), "-l", &n.to_string()]);
    }
    let out = cmd.arg(path).arg("-").output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => PdfError::Missing { path: label.clone() },
        _ => PdfError::Failed { path: label.clone(), reason: e.to_string() },
    })?;
    if !out.status.success() {
        let reason = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if let Some(n) = only
            && reason.contains("first page")
        {
            return Err(PdfError::NoSuchPage { path: label, pages: count_hint(&reason), wanted: n });
        }
        return Err(PdfError::Failed { path: label, reason });
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let first = only.unwrap_or(1);
    Ok(split_pages(&text, first))
}

/// pdftotext says `Wrong page range given: the first page (9) can not be
/// after the last page (2).`: the last page's number.
fn count_hint(reason: &str) -> usize {
    reason
        .rsplit_once("last page (")
        .and_then(|(_, rest)| rest.split(')').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Splits pdftotext's output at its form feeds (one ends each page),
/// numbering pages from `first` and leaving out the ones without text.
pub fn split_pages(text: &str, first: usize) -> Vec<PdfPage> {
    let mut parts: Vec<&str> = text.split('\u{c}').collect();
    if parts.last().is_some_and(|p| p.trim().is_empty()) {
        parts.pop();
    }
    parts
        .into_iter()
        .enumerate()
        .filter(|(_, t)| !t.trim().is_empty())
        .map(|(i, t)| PdfPage { number: first + i, text: t.to_string() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_split_at_form_feeds_and_empty_ones_skipped() {
        let p = split_pages("第一版\n标题\n\u{c}\n\u{c}第三版\n正文\n\u{c}", 1);
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].number, p[0].text.as_str()), (1, "第一版\n标题\n"));
        assert_eq!(p[1].number, 3, "the photo page keeps its number");
        assert_eq!(split_pages("只一页\n\u{c}", 4)[0].number, 4);
        assert!(is_pdf(b"%PDF-1.4\n") && !is_pdf(b"PDF"));
        assert_eq!(count_hint("Wrong page range given: the first page (9) can not be after the last page (2)."), 2);
    }
}
