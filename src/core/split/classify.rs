//! Lines and their roles: what each line of a page dump looks like on its own.

use std::sync::LazyLock;

use regex::Regex;

use super::people::{self, DatelineLead};
use crate::core::article::Byline;
use crate::core::text::{char_len, ends_sentence, is_cjk, trim};

/// Longest line that can still be a headline, kicker or subtitle.
pub const HEAD_MAX_CHARS: usize = 48;

/// Longest line that can be a standing column label (`廉洁史话`).
pub const COLUMN_LABEL_MAX_CHARS: usize = 6;

/// What a line is, judged on its own.
#[derive(Debug, Clone, PartialEq)]
pub enum Role {
    /// Page header/footer: paper name, page number, editors, jump lines.
    Furniture,
    /// A caption, possibly with its credit (`图①：…`, `…。李博文 摄`).
    Caption { text: String, credit: Option<String>, photographers: Vec<String> },
    /// A credit line on its own (`郑志波摄（人民视觉）`).
    Credit { credit: String, photographers: Vec<String> },
    /// A paragraph that opens with a dateline (`本报讯(记者 …)`).
    Dateline(DatelineLead),
    /// A byline line (`本报记者 曹欣怡`).
    Byline(Byline),
    /// Bare names (`王  博`): a byline when right under a headline.
    Names(Vec<String>),
    /// `（张晨曦参与采写）`: people credited at the end.
    Attribution { names: Vec<String>, contributed: bool },
    /// A line opening with a dash: a subtitle (副题).
    Subtitle(String),
    /// A `◆` item of a news-in-brief block.
    Brief(String),
    /// A short line without sentence-final punctuation.
    Head(String),
    /// Body text.
    Body(String),
}

/// A non-empty line of the page with its role and the blank lines above it.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The line, trimmed.
    pub text: String,
    /// Blank lines between this line and the previous one.
    pub gap: usize,
    /// Whether a form feed (page break) came before it.
    pub page_break: bool,
    /// Whether the line started with indentation.
    pub indented: bool,
    /// What it looks like.
    pub role: Role,
}

static FURNITURE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"^(?:责任编辑|本版责编|责编|版式设计|美术编辑|图片编辑|本版编辑|编辑|校对|组版|制图)\s*[:：]",
        r"^第\s*[0-9一二三四五六七八九十]+\s*版(?:\s|$|[:：])",
        r"^[0-9]{1,2}\s*版$",
        r"^(?:上一版|下一版|上一篇|下一篇|返回目录|本期共\s*\d+\s*版|版面导航|往期回顾)$",
        r"^[（(](?:下转|上接|转|接)第?.{1,4}版[）)]$",
        r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期|周)[一二三四五六日天](?:\s.*)?$",
        r"^(?:星期|周)[一二三四五六日天]$",
    ]
    .iter()
    .map(|r| Regex::new(r).unwrap())
    .collect()
});

/// A physical line of the dump before classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawLine {
    /// The line, trimmed.
    pub text: String,
    /// Blank lines between this line and the previous one.
    pub gap: usize,
    /// Whether a form feed (page break) came before it.
    pub page_break: bool,
    /// Whether the line started with indentation.
    pub indented: bool,
}

/// Cuts text into non-empty physical lines with their gaps.
pub fn raw_lines(text: &str) -> Vec<RawLine> {
    let mut out = Vec::new();
    let mut gap = 0;
    let mut page_break = false;
    let text = text.replace('\u{c}', "\n\u{c}\n");
    for raw in text.split('\n') {
        if raw == "\u{c}" {
            page_break = true;
            gap = 0;
            continue;
        }
        let t = trim(raw);
        if t.is_empty() {
            gap += 1;
            continue;
        }
        let indented = raw.starts_with(['\u{3000}', ' ', '\t']);
        out.push(RawLine { text: t.to_string(), gap, page_break, indented });
        gap = 0;
        page_break = false;
    }
    out
}

/// Cuts text into logical lines (hard-wrapped paragraphs rejoined, see
/// [`super::unwrap`]) and classifies each.
pub fn lines(text: &str) -> Vec<Line> {
    super::unwrap::unwrap(raw_lines(text))
        .into_iter()
        .map(|r| {
            let role = classify(&r.text);
            Line { text: r.text, gap: r.gap, page_break: r.page_break, indented: r.indented, role }
        })
        .collect()
}

/// Judges one trimmed line on its own.
pub fn classify(t: &str) -> Role {
    let n = char_len(t);
    if n <= 30 && FURNITURE.iter().any(|r| r.is_match(t)) {
        return Role::Furniture;
    }
    if let Some(rest) = t.strip_prefix(['◆', '◇', '■', '●']) {
        return Role::Brief(trim(rest).to_string());
    }
    if let Some(photographers) = people::credit_line(t) {
        return Role::Credit { credit: t.trim_matches(['（', '）', '(', ')']).to_string(), photographers };
    }
    if let Some((names, contributed)) = people::attribution(t) {
        return Role::Attribution { names, contributed };
    }
    if let Some((text, credit, photographers)) = people::inline_caption(t) {
        return Role::Caption { text, credit, photographers };
    }
    if people::caption_opening(t) && n <= 160 {
        return Role::Caption { text: t.to_string(), credit: None, photographers: Vec::new() };
    }
    if let Some(d) = people::dateline_lead(t) {
        return Role::Dateline(d);
    }
    if let Some(b) = people::byline_line(t) {
        return Role::Byline(b);
    }
    if let Some(names) = people::name_line(t) {
        return Role::Names(names);
    }
    if (t.starts_with("——") || t.starts_with('—') || t.starts_with("--")) && n <= HEAD_MAX_CHARS + 10 {
        return Role::Subtitle(trim(t.trim_start_matches(['—', '-'])).to_string());
    }
    // A headline never ends with a comma: such a line is text cut by a column gap.
    // Nor does it hold a full stop: a line with one is text.
    let ends_mid_sentence = t.ends_with(['，', ',', '、']) || t.trim_end_matches(['。']).contains(['。', '；']);
    if n <= HEAD_MAX_CHARS && !ends_sentence(t) && !ends_mid_sentence {
        return Role::Head(t.to_string());
    }
    Role::Body(t.to_string())
}

/// Whether a paragraph opens the way news leads do (`近日，`, `日前，`).
pub fn opens_news_lead(t: &str) -> bool {
    ["近日，", "近日,", "日前，", "日前,"].iter().any(|p| t.starts_with(p))
}

/// `（下转第8版）`: the article goes on on another page.
pub fn is_jump_out(t: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[（(](?:下转|转)第?.{1,4}版[）)]$").unwrap());
    RE.is_match(t)
}

/// `（上接第7版）`: the article of an earlier page goes on here.
pub fn is_jump_in(t: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[（(](?:上接|接)第?.{1,4}版[）)]$").unwrap());
    RE.is_match(t)
}

/// Whether a headline-like line can be a standing column label: a short run of
/// Chinese characters (`廉洁史话`, `【纵横谈】`).
pub fn is_column_label(t: &str) -> bool {
    let inner = t.trim_start_matches(['【', '[', '〔']).trim_end_matches(['】', ']', '〕']);
    let n = char_len(inner);
    (2..=COLUMN_LABEL_MAX_CHARS).contains(&n) && inner.chars().all(|c| is_cjk(c) || c == '·')
}

/// Splits `标题（栏目）` into title and column label.
pub fn title_with_column(t: &str) -> Option<(String, String)> {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?P<title>.{4,}?)\s*[（(](?P<col>[^（）()]{2,12})[）)]$").unwrap());
    let c = RE.captures(t)?;
    let col = &c["col"];
    // A column label is words, not a figure or a note (`（2025年）`, `（上）`).
    let words = col.chars().filter(|c| is_cjk(*c)).count();
    (words >= 2 && !col.chars().any(|c| c.is_ascii_digit()) && !matches!(col, "上" | "下" | "中"))
        .then(|| (trim(&c["title"]).to_string(), col.to_string()))
}

/// Balance of opening minus closing quotes and brackets: > 0 means the line
/// stops inside a quotation (a sentence broken by a column gap).
pub fn open_quotes(t: &str) -> i32 {
    let mut depth = 0;
    for c in t.chars() {
        match c {
            '“' | '（' | '《' | '「' | '『' => depth += 1,
            '”' | '）' | '》' | '」' | '』' => depth -= 1,
            _ => {}
        }
    }
    depth
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_of_typical_lines() {
        assert!(matches!(classify("烟火巷陌间的治理答卷"), Role::Head(_)));
        assert!(matches!(classify("——盐湖区北城街道星河社区创新基层治理的实践"), Role::Subtitle(_)));
        assert!(matches!(classify("本报记者 曹欣怡"), Role::Byline(_)));
        assert!(matches!(classify("近日,十五届闻喜县委第九轮巡察动员部署会议召开。"), Role::Body(_)));
        assert!(matches!(classify("本报讯(记者 邢智轩)近日,会议召开。"), Role::Dateline(_)));
        assert!(matches!(classify("版式设计：张丹峰"), Role::Furniture));
        assert!(matches!(classify("第3版"), Role::Furniture));
        assert!(matches!(classify("（下转第二版）"), Role::Furniture));
        assert!(matches!(classify("（资料照片）"), Role::Credit { .. }));
        assert!(matches!(classify("◆我市召开安全生产会议"), Role::Brief(_)));
        assert!(matches!(classify("王  博"), Role::Names(_)));
        assert!(matches!(classify("社区还主动收集各小区居民的具体建议,"), Role::Body(_)));
    }

    #[test]
    fn column_labels_and_titles() {
        assert!(is_column_label("廉洁史话"));
        assert!(!is_column_label("十五届闻喜县委开展"));
        assert_eq!(
            title_with_column("岭南小镇“长”出超百亿元潮玩产业（神州看点）"),
            Some(("岭南小镇“长”出超百亿元潮玩产业".to_string(), "神州看点".to_string()))
        );
        assert_eq!(title_with_column("发展规划（2025年）"), None);
    }

    #[test]
    fn lines_keep_gaps_and_page_breaks() {
        let l = lines("甲\n\n\n乙\u{c}\n丙\r");
        assert_eq!(l.iter().map(|x| x.gap).take(2).collect::<Vec<_>>(), vec![0, 2]);
        assert!(l[2].page_break && !l[1].page_break);
    }
}
