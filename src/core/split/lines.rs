//! Lines: the page text read into one [`Line`] per printed line, and the
//! page's [`Shape`] (is it hard-wrapped, how wide is its column).
//!
//! This is the one place the text is cut into lines; every later pass works
//! on these lines by index.

use crate::core::text::{is_space, trim};

/// Fewest lines of the column width that make a dump hard-wrapped …
const MIN_WRAPPED_LINES: usize = 8;
/// … and the share of the page's longer lines they must be: a dump with one
/// paragraph per line has lines of every width, a `pdftotext` dump has most
/// of its lines as wide as the column.
const MIN_WRAPPED_SHARE: f64 = 0.35;
/// A column is at most this many half-em cells wide (45 characters): wider
/// lines are paragraphs printed on one line, not a column of a printed page.
const MAX_COLUMN_CELLS: usize = 90;
/// Lines shorter than this many characters say nothing about the column
/// width (headlines, bylines, the ends of paragraphs).
const MIN_MEASURED_CHARS: usize = 6;
/// A page whose lines are set apart by blank lines in at least one case in
/// this many is blank-separated (one block a paragraph, the usual dump).
const BLANK_SEPARATED_ONE_IN: usize = 5;

/// One printed line of the page: its text and how it sits on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line, trimmed of white space (including U+3000).
    pub text: String,
    /// Blank lines between this line and the one above.
    pub gap: usize,
    /// Whether a form feed (a page break of the PDF) came before it.
    pub page_break: bool,
    /// White space before the text, in half-em cells (U+3000 counts two).
    pub indent: usize,
    /// Characters in the text.
    pub chars: usize,
    /// Display width of the text in half-em cells: two for CJK and
    /// full-width characters, one for ASCII and other narrow ones.
    pub cells: usize,
}

/// What the whole page looks like: a dump with one paragraph per line, or
/// hard-wrapped at a column's width like `pdftotext` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape {
    /// The column width in cells when the page is hard-wrapped.
    pub column: Option<usize>,
    /// Whether blank lines set the page's blocks apart.
    pub blank_separated: bool,
}

impl Shape {
    /// A line's width against the column, in percent (0 when the page is not hard-wrapped).
    pub fn fill(&self, line: &Line) -> usize {
        self.column.map_or(0, |c| line.cells * 100 / c.max(1))
    }
}

/// The page read into lines, with its shape.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sheet {
    /// The non-empty lines, top to bottom.
    pub lines: Vec<Line>,
    /// The page's shape.
    pub shape: Shape,
}

/// Display width of a character in half-em cells.
pub fn cell_width(c: char) -> usize {
    if (c as u32) < 0x1100 { 1 } else { 2 }
}

/// Display width of a string in half-em cells.
pub fn cells(s: &str) -> usize {
    s.chars().map(cell_width).sum()
}

/// Reads page text (line ends already `\n`) into lines and its shape.
pub fn read(text: &str) -> Sheet {
    let mut lines = Vec::new();
    let mut gap = 0;
    let mut page_break = false;
    for piece in text.split('\n') {
        // A form feed may stand alone or open the first line of the next page.
        let mut raw = piece;
        while let Some(rest) = raw.strip_prefix('\u{c}') {
            page_break = true;
            gap = 0;
            raw = rest;
        }
        if raw.contains('\u{c}') {
            // A form feed inside a line: the rest of the line is on the next page.
            let mut parts = raw.split('\u{c}');
            let first = parts.next().unwrap_or("");
            push(&mut lines, first, &mut gap, &mut page_break);
            for p in parts {
                page_break = true;
                gap = 0;
                if !trim(p).is_empty() {
                    push(&mut lines, p, &mut gap, &mut page_break);
                }
            }
            continue;
        }
        push(&mut lines, raw, &mut gap, &mut page_break);
    }
    let shape = shape_of(&lines);
    Sheet { lines, shape }
}

fn push(lines: &mut Vec<Line>, raw: &str, gap: &mut usize, page_break: &mut bool) {
    let text = trim(raw);
    if text.is_empty() {
        *gap += 1;
        return;
    }
    let lead = &raw[..raw.len() - raw.trim_start_matches(is_space).len()];
    // Characters and cells in one pass over the text.
    let (chars, wide) = text.chars().fold((0, 0), |(n, w), c| (n + 1, w + cell_width(c) - 1));
    lines.push(Line {
        text: text.to_string(),
        gap: *gap,
        page_break: *page_break,
        indent: cells(lead),
        chars,
        cells: chars + wide,
    });
    *gap = 0;
    *page_break = false;
}

/// The most common value, counting each value together with the one just
/// below it (lines a cell short of the edge); returns the upper value of the
/// pair and its count.
fn mode(values: impl Iterator<Item = usize>) -> Option<(usize, usize)> {
    let mut counts = std::collections::BTreeMap::new();
    for v in values {
        *counts.entry(v).or_insert(0usize) += 1;
    }
    let (w, n) =
        counts.keys().map(|&w| (w, counts[&w] + counts.get(&(w + 1)).unwrap_or(&0))).max_by_key(|&(w, n)| (n, w))?;
    Some((if counts.contains_key(&(w + 1)) { w + 1 } else { w }, n))
}

fn shape_of(lines: &[Line]) -> Shape {
    let measured: Vec<usize> = lines.iter().filter(|l| l.chars >= MIN_MEASURED_CHARS).map(|l| l.cells).collect();
    let column = mode(measured.iter().copied()).and_then(|(w, n)| {
        let wrapped =
            n >= MIN_WRAPPED_LINES && n as f64 >= MIN_WRAPPED_SHARE * measured.len() as f64 && w <= MAX_COLUMN_CELLS;
        wrapped.then_some(w)
    });
    let blank_separated = lines.iter().filter(|l| l.gap > 0).count() * BLANK_SEPARATED_ONE_IN >= lines.len();
    Shape { column, blank_separated }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_gaps_page_breaks_and_indentation() {
        let s = read("甲\n\n\n\u{3000}\u{3000}乙\u{c}\n丙\n\u{c}丁");
        let texts: Vec<&str> = s.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, vec!["甲", "乙", "丙", "丁"]);
        assert_eq!(s.lines.iter().map(|l| l.gap).collect::<Vec<_>>(), vec![0, 2, 0, 0]);
        assert_eq!(s.lines.iter().map(|l| l.page_break).collect::<Vec<_>>(), vec![false, false, true, true]);
        assert_eq!(s.lines[1].indent, 4);
    }

    #[test]
    fn a_hard_wrapped_dump_has_a_column_and_a_paragraph_dump_has_none() {
        let wrapped = "某县开展安全检查\n\n近日，某县组织应急管理\n、消防等部门开展安全生\n产大检查，重点检查企业\n消防设施。\n检查组要求，各企业要压\n实主体责任，及时整改隐\n\n患，确保安全。\n县里还将开展回头看，对\n整改情况逐一核实，确保\n不留死角落实到位到人。\n";
        let s = read(wrapped);
        assert_eq!(s.shape.column, Some(22));
        assert_eq!(s.shape.fill(&s.lines[1]), 100);
        let plain = "标题\n\n第一段很长很长的正文内容在这里。\n\n第二段也是正文。\n";
        assert_eq!(read(plain).shape.column, None);
        assert!(read(plain).shape.blank_separated);
    }

    #[test]
    fn display_width_counts_wide_characters_twice() {
        assert_eq!(cells("ab中文，"), 8);
    }
}
