//! Unwrap: the labelled lines rejoined into blocks — a headline broken over
//! lines is one headline, a paragraph hard-wrapped at the column's width is
//! one paragraph again, also across a column end, a caption printed in the
//! middle of it or a page break.
//!
//! A line the labeler marked as going on (`title+`, `body+`) joins the
//! latest block of its role; captions, credits and page furniture printed
//! between the two pieces stay blocks of their own. A paragraph that goes on
//! after a `（上接第7版）` line resumes the article that jumped, which the
//! assembler knows; the block says so. A sentence a picture interrupted goes
//! on below the picture even where the labeler saw a new paragraph.

use super::lines::Line;
use super::roles::{Label, Role};
use crate::core::text::is_cjk;

/// Consecutive lines that form one element of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What it is.
    pub role: Role,
    /// Its lines' texts, joined.
    pub text: String,
    /// The page lines it is made of, in order.
    pub lines: Vec<usize>,
    /// Blank lines above its first line.
    pub gap: usize,
    /// Its text goes on with a paragraph of an article that jumped to this page.
    pub resumes: bool,
}

/// Whether a block of role `between` may stand between a block of role
/// `role` and a line that continues it.
fn may_stand_between(role: Role, between: Role) -> bool {
    match role {
        Role::Body | Role::Dateline | Role::Brief | Role::Subhead => {
            matches!(between, Role::Caption | Role::Credit | Role::Furniture)
        }
        Role::Title | Role::Kicker | Role::Subtitle => matches!(between, Role::Furniture | Role::Column),
        _ => between == Role::Furniture,
    }
}

/// Whether a line continuing `role` may join a block of role `block`.
fn joins(role: Role, block: Role) -> bool {
    if role == Role::Body { block.is_text() } else { role == block }
}

/// Whether a paragraph's text stops in the middle of a sentence: it ends in
/// a character, a digit, an opening quote or a comma, not in final
/// punctuation, a colon or a closer.
fn stops_mid_sentence(text: &str) -> bool {
    text.trim_end().chars().next_back().is_some_and(|c| {
        is_cjk(c) || c.is_alphanumeric() || matches!(c, '“' | '‘' | '「' | '『' | '《' | '（' | '(' | '，' | ',' | '、')
    })
}

/// The text block a body line printed after a picture would go on with: the
/// latest block, when only captions, credits and page furniture (at least
/// one caption or credit) stand between, and that block's text stops
/// mid-sentence. A picture set into a column interrupts a sentence; the
/// sentence does not end because of it, so the line below goes on with it
/// whatever the labeler said.
fn interrupted_by_picture(blocks: &[Block]) -> Option<usize> {
    let mut picture = false;
    for (k, b) in blocks.iter().enumerate().rev() {
        match b.role {
            Role::Caption | Role::Credit => picture = true,
            Role::Furniture => {}
            r if r.is_text() => return (picture && stops_mid_sentence(&b.text)).then_some(k),
            _ => return None,
        }
    }
    None
}

/// Rejoins labelled lines into blocks, in page order.
pub fn unwrap(lines: &[Line], labels: &[Label]) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for (i, (line, label)) in lines.iter().zip(labels).enumerate() {
        if label.role == Role::Body
            && !label.continues
            && let Some(k) = interrupted_by_picture(&blocks)
        {
            let b = &mut blocks[k];
            join(&mut b.text, &line.text, Role::Body);
            b.lines.push(i);
            continue;
        }
        if label.continues {
            let mut resumes = false;
            let mut target = None;
            for (k, b) in blocks.iter().enumerate().rev() {
                if joins(label.role, b.role) && !resumes {
                    target = Some(k);
                    break;
                }
                if b.role == Role::Jump && label.role == Role::Body {
                    resumes = true;
                    break;
                }
                if !may_stand_between(label.role, b.role) {
                    break;
                }
            }
            if let Some(k) = target {
                let b = &mut blocks[k];
                join(&mut b.text, &line.text, label.role);
                b.lines.push(i);
                continue;
            }
            blocks.push(Block { role: label.role, text: line.text.clone(), lines: vec![i], gap: line.gap, resumes });
            continue;
        }
        blocks.push(Block { role: label.role, text: line.text.clone(), lines: vec![i], gap: line.gap, resumes: false });
    }
    blocks
}

/// Appends a continuation line's text: bylines keep a space between their
/// lines (names are read from the words), Latin words keep one too; Chinese
/// text runs on.
fn join(text: &mut String, more: &str, role: Role) {
    let ascii = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if role == Role::Byline || (ascii(text.chars().next_back()) && ascii(more.chars().next())) {
        text.push(' ');
    }
    text.push_str(more);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::split::lines::read;

    fn blocks(text: &str, labels: &[&str]) -> Vec<(Role, String, bool)> {
        let sheet = read(text);
        let labels: Vec<Label> = labels.iter().map(|n| Label::parse(n).unwrap()).collect();
        unwrap(&sheet.lines, &labels).into_iter().map(|b| (b.role, b.text, b.resumes)).collect()
    }

    #[test]
    fn a_paragraph_is_rejoined_around_a_caption_and_a_column_end() {
        let got = blocks(
            "绣出“像\n素级”作品\n邹英姿，非遗项目苏绣代表\n性传承人。\n在继承传统绣法的\n\n邹英姿正在刺绣。\n余乐摄\n基础上，形成风格。\n",
            &["title", "title+", "body", "body+", "body", "caption", "credit", "body+"],
        );
        assert_eq!(
            got,
            vec![
                (Role::Title, "绣出“像素级”作品".into(), false),
                (Role::Body, "邹英姿，非遗项目苏绣代表性传承人。".into(), false),
                (Role::Body, "在继承传统绣法的基础上，形成风格。".into(), false),
                (Role::Caption, "邹英姿正在刺绣。".into(), false),
                (Role::Credit, "余乐摄".into(), false),
            ]
        );
    }

    #[test]
    fn a_sentence_a_picture_interrupted_goes_on_below_it_and_an_ended_one_does_not() {
        let got = blocks(
            "一层纸膜铺在帘上。“抄\n王秀英在抄纸。\n李阳摄\n纸靠的是手感。”她说。\n图为新作。\n张三摄\n今年她58岁。\n",
            &["body", "caption", "credit", "body", "caption", "credit", "body"],
        );
        let texts: Vec<&str> = got.iter().filter(|b| b.0 == Role::Body).map(|b| b.1.as_str()).collect();
        assert_eq!(texts, vec!["一层纸膜铺在帘上。“抄纸靠的是手感。”她说。", "今年她58岁。"]);
        let without_picture = blocks("一层纸膜铺在帘上，\n纸靠的是手感。\n", &["body", "body"]);
        assert_eq!(without_picture.len(), 2, "only a picture is taken to interrupt a sentence");
    }

    #[test]
    fn a_dateline_paragraph_goes_on_and_bylines_keep_their_spaces() {
        let got = blocks(
            "本报记者 张三 李\n四\n本报讯（记者 王五）近日，某县\n召开会议。\n",
            &["byline", "byline+", "dateline", "body+"],
        );
        assert_eq!(
            got,
            vec![
                (Role::Byline, "本报记者 张三 李 四".into(), false),
                (Role::Dateline, "本报讯（记者 王五）近日，某县召开会议。".into(), false),
            ]
        );
    }

    #[test]
    fn text_after_a_jump_resumes_the_article_that_jumped_and_a_stray_continuation_starts_a_block() {
        let got = blocks(
            "某县召开会议，部署\n（下转第2版）\n（上接第1版）\n全县春耕工作。\n标题\n接着的文字。\n",
            &["body", "jump", "jump", "body+", "title", "body+"],
        );
        assert_eq!(got[3], (Role::Body, "全县春耕工作。".into(), true));
        assert_eq!(got[5], (Role::Body, "接着的文字。".into(), false));
    }
}
