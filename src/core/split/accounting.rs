//! Accounting: the nothing-lost invariant, checked on a split page.

use super::SplitPage;
use crate::core::article::Kind;

/// Layout marks the splitter may strip: the brackets around column labels,
/// credits, attributions and bracketed datelines, the dash before a
/// subtitle, the bullet of a brief.
pub const LAYOUT_MARKS: &[char] = &[
    '（', '）', '(', ')', '【', '】', '〔', '〕', '[', ']', '—', '－', '-', '◆', '◇', '■', '□', '▲', '△', '●', '•',
    '★', '☆', '▶', '►',
];

/// Checks the nothing-lost invariant: every non-whitespace character of
/// `text` stands in exactly one place of `page` — an article's headline
/// fields, printed byline, paragraphs or captions, or the furniture — except
/// [`LAYOUT_MARKS`], which may be dropped. Derived views are not places of
/// their own: `subheads` repeat body paragraphs, the name lists are read from
/// `byline.printed`, and a brief's column repeats its block label (furniture).
///
/// # Errors
/// A description of the characters lost, or duplicated or invented.
pub fn check_accounting(text: &str, page: &SplitPage) -> Result<(), String> {
    let mut counts: std::collections::BTreeMap<char, i64> = std::collections::BTreeMap::new();
    let keep = |c: &char| !crate::core::text::is_space(*c) && *c != '\u{feff}';
    for c in text.chars().filter(keep) {
        *counts.entry(c).or_default() += 1;
    }
    let mut take = |s: &str| {
        for c in s.chars().filter(keep) {
            *counts.entry(c).or_default() -= 1;
        }
    };
    for a in &page.articles {
        let h = &a.heads;
        for f in [&h.kicker, &h.title, &h.subtitle, &h.dateline].into_iter().flatten() {
            take(f);
        }
        if a.kind != Some(Kind::Brief) {
            h.column.iter().for_each(|c| take(c));
        }
        a.byline.printed.iter().for_each(|p| take(p));
        a.paragraphs.iter().for_each(|p| take(p));
        for c in &a.captions {
            take(&c.text);
            c.credit.iter().for_each(|x| take(x));
        }
    }
    page.furniture.iter().for_each(|f| take(f));
    let lost: String =
        counts.iter().filter(|(c, n)| **n > 0 && !LAYOUT_MARKS.contains(c)).map(|(c, n)| format!("{c}×{n} ")).collect();
    let extra: String = counts.iter().filter(|(_, n)| **n < 0).map(|(c, n)| format!("{c}×{} ", -n)).collect();
    if lost.is_empty() && extra.is_empty() {
        Ok(())
    } else {
        Err(format!("lost: [{}] duplicated or invented: [{}]", lost.trim(), extra.trim()))
    }
}
