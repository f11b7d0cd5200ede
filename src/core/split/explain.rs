//! Explain: a split page as text, one row a line — its role (with `+` when
//! it goes on with the element of a line above), its article, its text —
//! and, on request, why the labeler chose the role: its score against the
//! runner-up and the features that weighed most for it.
//!
//! `newsdesk parse --explain` prints it with the reasons; the golden
//! snapshots of `tests/fixtures/*` keep the rows without them, so that a
//! change that moves a line shows in review while a retrained model's new
//! weights alone do not.

use std::fmt::Write;

use super::Explained;
use crate::core::article::Kind;

/// Characters of a line's text shown in a row.
const SHOWN_CHARS: usize = 48;

/// The page as rows; `reasons` adds a `why:` row under each line.
pub fn explain(e: &Explained, reasons: bool) -> String {
    let mut out = String::from("line  role         article  text\n");
    for (i, l) in e.page.lines.iter().enumerate() {
        let art = l.article.map_or("-".to_string(), |a| format!("#{a}"));
        let text: String = l.text.chars().take(SHOWN_CHARS).collect();
        let more = if l.text.chars().count() > SHOWN_CHARS { "…" } else { "" };
        let role = format!("{}{}", l.role, if l.continues { "+" } else { "" });
        let _ = writeln!(out, "{:>4}  {:<11}  {:<7}  {text}{more}", i + 1, role, art);
        if let Some((label, why)) = e.reasons.get(i).filter(|_| reasons) {
            match why.rule {
                Some(rule) => {
                    let _ = writeln!(out, "      why: {} by rule: {rule}", label.name());
                }
                None => {
                    let f: Vec<String> = why.features.iter().map(|(n, w)| format!("{n} {w:+.2}")).collect();
                    let _ = writeln!(
                        out,
                        "      why: {} {:.2} over {} {:.2}: {}",
                        label.name(),
                        why.score,
                        why.runner_up.0.name(),
                        why.runner_up.1,
                        f.join(", ")
                    );
                }
            }
        }
    }
    for (i, a) in e.page.articles.iter().enumerate() {
        let title = a.heads.title.as_deref().unwrap_or("(no headline)");
        let _ = writeln!(out, "#{i}: {:?} {title}", a.kind.unwrap_or(Kind::News));
    }
    out
}
