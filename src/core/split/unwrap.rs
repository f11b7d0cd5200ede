//! Unwrap: rejoin paragraphs that a plain PDF extractor hard-wrapped.
//!
//! `pdftotext` without `-layout` writes one line per printed line, about a
//! column's width each, with no blank line between paragraphs and a blank
//! line at each column end, often mid-sentence. Such a dump is recognised by
//! its many lines of one width (the column). Then a line as wide as the column
//! runs on into the next line, across a column-end gap; a shorter line ends
//! its paragraph (or is a headline, byline, caption …); an indented line
//! starts a new paragraph; captions and furniture printed between two lines of
//! a paragraph stay lines of their own, and the splitter rejoins the sentence
//! around them. Dumps with one paragraph per line pass through unchanged.

use super::classify::{RawLine, Role, classify};
use crate::core::text::{char_len, ends_sentence};

/// Fewest lines of the column width that make a dump hard-wrapped …
const MIN_WRAPPED_LINES: usize = 8;
/// … and the share of the lines they must be.
const MIN_WRAPPED_SHARE: f64 = 0.35;
/// A column is at most this many display cells wide (one CJK character is two).
const MAX_COLUMN_CELLS: usize = 90;

/// Display width: two cells for wide (CJK, full-width) characters, one for others.
pub fn cells(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) < 0x1100 { 1 } else { 2 }).sum()
}

/// The column of a hard-wrapped dump: its width in cells and in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Most common display width.
    pub cells: usize,
    /// Most common character count.
    pub chars: usize,
}

impl Column {
    /// Whether a line fills the column (runs on into the next line).
    fn full(&self, line: &str) -> bool {
        cells(line) + 3 >= self.cells || char_len(line) + 1 >= self.chars
    }
}

/// The most common value, counting each value together with the one just
/// below it (lines one cell short of the edge); returns the upper value of the
/// pair that occurs, and its count.
fn mode(values: impl Iterator<Item = usize>) -> Option<(usize, usize)> {
    let mut counts = std::collections::BTreeMap::new();
    for v in values {
        *counts.entry(v).or_insert(0usize) += 1;
    }
    let (w, n) =
        counts.keys().map(|&w| (w, counts[&w] + counts.get(&(w + 1)).unwrap_or(&0))).max_by_key(|&(w, n)| (n, w))?;
    Some((if counts.contains_key(&(w + 1)) { w + 1 } else { w }, n))
}

/// Finds the column of a hard-wrapped dump; `None` for a dump with one paragraph per line.
pub fn detect(lines: &[RawLine]) -> Option<Column> {
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).filter(|t| char_len(t) >= 6).collect();
    let (w, n) = mode(texts.iter().map(|t| cells(t)))?;
    let (c, _) = mode(texts.iter().map(|t| char_len(t)))?;
    let wrapped = n >= MIN_WRAPPED_LINES && n as f64 >= MIN_WRAPPED_SHARE * texts.len() as f64 && w <= MAX_COLUMN_CELLS;
    wrapped.then_some(Column { cells: w, chars: c })
}

/// Lines that never join a paragraph: captions, credits, furniture, bylines, datelines.
fn stands_alone(text: &str) -> bool {
    matches!(
        classify(text),
        Role::Caption { .. }
            | Role::Credit { .. }
            | Role::Furniture
            | Role::Byline(_)
            | Role::Dateline(_)
            | Role::Brief(_)
    )
}

/// Rejoins hard-wrapped paragraphs; returns the input unchanged when the dump is not hard-wrapped.
pub fn unwrap(lines: Vec<RawLine>) -> Vec<RawLine> {
    let Some(col) = detect(&lines) else { return lines };
    let mut out: Vec<RawLine> = Vec::new();
    // The paragraph being rebuilt, and whether its last physical line filled the column.
    let mut open: Option<RawLine> = None;
    // Whether a blank line follows each line.
    let blank_after: Vec<bool> = (0..lines.len()).map(|i| lines.get(i + 1).is_some_and(|n| n.gap > 0)).collect();
    for (i, line) in lines.into_iter().enumerate() {
        let full = col.full(&line.text);
        if let Some(mut p) = open.take() {
            let joins = !line.indented
                && !line.page_break
                && !stands_alone(&line.text)
                // A full line that ends a sentence does not run on into a headline.
                && (!ends_sentence(&p.text) || full || ends_sentence(&line.text));
            if joins {
                p.text.push_str(&line.text);
                if full {
                    open = Some(p);
                } else {
                    out.push(p);
                }
                continue;
            }
            out.push(p);
        }
        // A line set apart by blank lines above and below, without a full stop,
        // is a headline or subhead as wide as the column, not a paragraph's start.
        let set_apart = line.gap > 0 && blank_after[i] && !ends_sentence(&line.text);
        if full && !stands_alone(&line.text) && !set_apart {
            open = Some(line);
        } else {
            out.push(line);
        }
    }
    out.extend(open);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::split::classify::raw_lines;

    fn texts(v: &[RawLine]) -> Vec<&str> {
        v.iter().map(|l| l.text.as_str()).collect()
    }

    /// Twelve lines of a ten-character column.
    const WRAPPED: &str = "某县开展安全检查\n\n本报记者 王明\n\n近日，某县组织应急管理\n、消防等部门开展安全生\n产大检查，重点检查企业\n消防设施。\n检查组要求，各企业要压\n实主体责任，及时整改隐\n\n患，确保安全。\n县里还将开展回头看，对\n图为检查现场。赵六 摄\n整改情况逐一核实，确保\n不留死角。\n";

    #[test]
    fn one_paragraph_per_line_passes_through() {
        let raw = raw_lines("标题\n\n第一段很长很长的正文内容在这里。\n\n第二段也是正文。\n");
        assert_eq!(unwrap(raw.clone()), raw);
    }

    #[test]
    fn hard_wrapped_paragraphs_are_rejoined_across_column_gaps_and_captions() {
        let out = unwrap(raw_lines(WRAPPED));
        assert_eq!(
            texts(&out),
            vec![
                "某县开展安全检查",
                "本报记者 王明",
                "近日，某县组织应急管理、消防等部门开展安全生产大检查，重点检查企业消防设施。",
                "检查组要求，各企业要压实主体责任，及时整改隐患，确保安全。",
                "县里还将开展回头看，对",
                "图为检查现场。赵六 摄",
                "整改情况逐一核实，确保不留死角。",
            ]
        );
    }

    #[test]
    fn display_width_counts_wide_characters_twice() {
        assert_eq!(cells("ab中文"), 6);
    }
}
