//! Bylines, datelines, captions and credits: who wrote, where from, who shot.

use std::sync::LazyLock;

use regex::Regex;

use crate::core::article::Byline;
use crate::core::text::{close_gaps, ends_sentence, is_cjk, is_space, trim};

/// Role words that open a group of names, longest first.
const ROLES: &[(&str, Role)] = &[
    ("特约记者", Role::Reporter),
    ("见习记者", Role::Reporter),
    ("实习记者", Role::Reporter),
    ("首席记者", Role::Reporter),
    ("记者", Role::Reporter),
    ("通讯员", Role::Correspondent),
    ("实习生", Role::Correspondent),
    ("摄影", Role::Photographer),
    ("作者", Role::Author),
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Reporter,
    Correspondent,
    Author,
    Photographer,
}

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<dl>本报讯|(?:本报|新华社|中新社|人民网|央视网)[^\s（(，,。：:]{0,16}?电|[^\s（(，,。：:“”]{2,12}?讯)\s*[（(](?P<inner>[^（）()]{1,60})[）)]\s*",
    )
    .unwrap()
});

/// The longest dateline [`DATELINE`] and [`DATELINE_BARE`] take, in characters:
/// a three-character agency, sixteen more, and 电.
const DATELINE_MAX_CHARS: usize = 20;

static DATELINE_BARE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<dl>本报讯|(?:本报|新华社|中新社)[^\s（(，,。：:]{1,16}?电)\s+\S").unwrap());

/// `本报北京4月16日电` alone on its line.
static DATELINE_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:本报讯|(?:本报|新华社|中新社|人民网|央视网)[^\s（(，,。：:]{1,16}?电)$").unwrap()
});

/// `【新华社北京11月11日电】`: a dateline in square brackets.
static DATELINE_BRACKET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^【(?P<dl>[^【】\s]{2,24}?[电讯])(?:\s*[（(](?P<inner>[^（）()]{1,60})[）)])?】\s*").unwrap()
});

/// `本报讯 记者张三、通讯员李四报道：`: the reporters named before `报道`.
static DATELINE_REPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<dl>本报讯|[^\s（(，,。：:“”]{2,12}?讯)\s*(?P<who>[^：:。，,（(]{1,60}?)报道\s*[：:]\s*").unwrap()
});

/// Spaced-out role words: `记 者`, `通 讯 员` (padded like names).
static SPACED_ROLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"记\s+者|通\s*讯\s+员|通\s+讯\s*员|作\s+者|摄\s+影").unwrap());

static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:本报|新华社)?(?:记者|通讯员|特约摄影)?)\s*(?P<names>[\p{Han}·\s、]{1,16}?)\s*[/／]?\s*摄(?:影)?\s*(?:[（(][^（）()]{1,12}[）)])?$").unwrap()
});

static SUPPLIED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(]?(?:[\p{Han}]{0,12}(?:供图|提供)|资料照片|资料图片|资料图|新华社发|[\p{Han}]{2,8}供)[）)]?$")
        .unwrap()
});

/// A dateline lead: `本报讯(记者 邢智轩)近日，…` split into its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct DatelineLead {
    /// `本报讯`, `本报北京4月16日电` …
    pub dateline: String,
    /// People named in the parentheses, `printed` holding the parentheses as printed.
    pub byline: Byline,
    /// The paragraph text after the dateline.
    pub rest: String,
}

/// Recognises a paragraph that opens with a dateline and a parenthesised byline.
pub fn dateline_lead(line: &str) -> Option<DatelineLead> {
    let line = trim(line);
    // Both patterns end their dateline with 讯 or 电 within its first
    // DATELINE_MAX_CHARS characters: most lines are turned away here.
    if !line.chars().take(DATELINE_MAX_CHARS + 2).any(|c| c == '讯' || c == '电') {
        return None;
    }
    if line.starts_with('【')
        && let Some(c) = DATELINE_BRACKET.captures(line)
    {
        let m = c.get(0).expect("the match");
        let mut byline = c.name("inner").map(|i| parse_people(i.as_str())).unwrap_or_default();
        let dl = c.name("dl").expect("group dl");
        let printed = trim(&line[dl.end()..m.end()]).trim_end_matches('】');
        if !printed.is_empty() {
            byline.printed.push(trim(printed).to_string());
        }
        return Some(DatelineLead {
            dateline: dl.as_str().to_string(),
            byline,
            rest: trim(&line[m.end()..]).to_string(),
        });
    }
    if line.contains("报道")
        && let Some(c) = DATELINE_REPORT.captures(line)
    {
        let m = c.get(0).expect("the match");
        let mut byline = parse_people(&c["who"]);
        if byline_is_empty(&byline) {
            byline.authors = names(&c["who"]);
        }
        if !byline_is_empty(&byline) {
            let dl = c.name("dl").expect("group dl");
            byline.printed.push(trim(&line[dl.end()..m.end()]).to_string());
            return Some(DatelineLead {
                dateline: dl.as_str().to_string(),
                byline,
                rest: trim(&line[m.end()..]).to_string(),
            });
        }
    }
    if let Some(c) = DATELINE.captures(line) {
        let inner = &c["inner"];
        let mut byline = parse_people(inner);
        if byline_is_empty(&byline) {
            // `本报讯（郭颖 天乐）`: names alone in the brackets sign the report.
            match attribution(&format!("（{inner}）")) {
                Some((names, false)) if !inner.contains('报') => byline.authors = names,
                _ => return None,
            }
        }
        // The patterns stop where the paragraph's text starts (the rest of a
        // line is never matched, so a long paragraph costs no more than a short one).
        let (dl, rest) = (c.name("dl").expect("group dl"), c.get(0).expect("the match").end());
        byline.printed.push(trim(&line[dl.end()..rest]).to_string());
        return Some(DatelineLead { dateline: dl.as_str().to_string(), byline, rest: trim(&line[rest..]).to_string() });
    }
    // `本报讯近日，…`: 本报讯 says it all, with or without a space after it.
    if let Some(rest) = line.strip_prefix("本报讯").filter(|r| !r.is_empty() && !r.starts_with(['（', '(', '】']))
    {
        return Some(DatelineLead {
            dateline: "本报讯".to_string(),
            byline: Byline::default(),
            rest: trim(rest).to_string(),
        });
    }
    if DATELINE_ALONE.is_match(line) {
        return Some(DatelineLead { dateline: line.to_string(), byline: Byline::default(), rest: String::new() });
    }
    let c = DATELINE_BARE.captures(line)?;
    // The match ends with the text's first character.
    let m = c.get(0).expect("the match");
    let rest = &line[m.end() - m.as_str().chars().next_back().map_or(0, char::len_utf8)..];
    Some(DatelineLead { dateline: c["dl"].to_string(), byline: Byline::default(), rest: trim(rest).to_string() })
}

/// `本报讯（记者 张`, `【新华社北京`: a line that opens the way datelines
/// do, also when the dateline goes on on the next line.
pub fn dateline_opening(line: &str) -> bool {
    static OPEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:【(?:新华社|本报|中新社)|(?:本报讯|(?:本报|新华社|中新社|人民网|央视网)[^\s（(，,。：:]{0,16}?电|[^\s（(，,。：:“”]{2,12}?讯)\s*[（(])").unwrap()
    });
    let line = trim(line);
    line.chars().take(DATELINE_MAX_CHARS + 2).any(|c| matches!(c, '讯' | '电' | '【')) && OPEN.is_match(line)
}

/// Longest byline line, in characters: a few role words and names with
/// their padding; a longer line is text.
pub const BYLINE_MAX_CHARS: usize = 40;
/// Longest photo credit line, in characters: names, 摄 and an agency.
pub const CREDIT_MAX_CHARS: usize = 30;

/// Recognises a byline line such as `本报记者 曹欣怡`,
/// `本报通讯员  喻  松  本报记者  徐  靖` or `文/张三`.
pub fn byline_line(line: &str) -> Option<Byline> {
    let line = trim(line);
    if line.chars().count() > BYLINE_MAX_CHARS || crate::core::text::ends_sentence(line) {
        return None;
    }
    if let Some(rest) = line.strip_prefix("文/").or_else(|| line.strip_prefix("文／")) {
        let names = names(rest);
        return (!names.is_empty()).then(|| Byline { authors: names, ..Byline::default() });
    }
    let first_role = ROLES.iter().filter_map(|(w, _)| line.find(w)).min()?;
    // What stands before the first role word is an organisation (本报, 东莞日报), short and without spaces.
    let prefix = &line[..first_role];
    if prefix.chars().count() > 10 || prefix.chars().any(is_space) || prefix.chars().any(|c| !is_cjk(c)) {
        return None;
    }
    let b = parse_people(line);
    (!byline_is_empty(&b)).then_some(b)
}

/// Recognises a line of bare names: `王  博`, `祝大伟  高洪刚`, `欣 文`.
/// Only meaningful right under a headline; the caller decides.
pub fn name_line(line: &str) -> Option<Vec<String>> {
    let line = trim(line);
    if !names_shape(line) {
        return None;
    }
    // [`names_shape`] has held the tokens to Han names, few and short.
    let tokens: Vec<&str> = line.split(is_space).filter(|t| !t.is_empty()).collect();
    if tokens.len() < 2 {
        return None;
    }
    let han: usize = tokens.iter().map(|t| t.chars().count()).sum();
    // Role words are not names: `本报记者 张三` is a byline, `张三 摄` a credit.
    let role_word =
        tokens.iter().any(|t| ROLES.iter().any(|(w, _)| t.contains(w)) || t.ends_with('摄') || t.contains("本报"));
    if han > 14 || role_word {
        return None;
    }
    Some(merge_single_chars(&tokens))
}

/// Most names a line of bare names holds.
const NAME_LINE_MAX_NAMES: usize = 6;
/// Longest name of such a line, in characters (a four-character name, or a
/// compound surname with a two-character given name).
const NAME_MAX_HAN: usize = 4;

/// One pass over `line`: only Han characters, `·` and white space, in at
/// most [`NAME_LINE_MAX_NAMES`] runs of at most [`NAME_MAX_HAN`] characters.
/// Turns away the page's prose at its first long run, before anything is
/// collected.
fn names_shape(line: &str) -> bool {
    let (mut runs, mut run) = (0, 0);
    for c in line.chars() {
        if is_space(c) {
            run = 0;
        } else if is_cjk(c) || c == '·' {
            if run == 0 {
                runs += 1;
            }
            run += 1;
            if run > NAME_MAX_HAN || runs > NAME_LINE_MAX_NAMES {
                return false;
            }
        } else {
            return false;
        }
    }
    true
}

/// Recognises an end-of-article attribution: `（张晨曦参与采写）`, `(郭颖 天乐)`.
/// Returns the names and whether they only contributed.
pub fn attribution(line: &str) -> Option<(Vec<String>, bool)> {
    let line = trim(line);
    let inner = line
        .strip_prefix('（')
        .or_else(|| line.strip_prefix('('))?
        .strip_suffix('）')
        .or_else(|| line.strip_prefix('（').or_else(|| line.strip_prefix('(')).and_then(|s| s.strip_suffix(')')))?;
    for marker in ["参与采写", "参与报道", "对本文亦有贡献", "参与"] {
        if let Some(names_part) = inner.strip_suffix(marker) {
            // `（本报记者王梓参与采写）`: who they are is not part of the name.
            let names_part = names_part.strip_prefix("本报").unwrap_or(names_part);
            let names_part = ROLES.iter().find_map(|(w, _)| names_part.strip_prefix(w)).unwrap_or(names_part);
            let n = names(names_part);
            return (!n.is_empty()).then_some((n, true));
        }
    }
    let tokens: Vec<&str> = inner.split(|c: char| is_space(c) || c == '、').filter(|t| !t.is_empty()).collect();
    let ok = !tokens.is_empty() && tokens.iter().all(|t| t.chars().all(is_cjk) && (2..=4).contains(&t.chars().count()));
    ok.then(|| (tokens.iter().map(|t| t.to_string()).collect(), false))
}

/// A photo credit standing on its own line: `郑志波摄（人民视觉）`, `余  乐摄`,
/// `受访者供图`, `（资料照片）`. Returns the photographers (possibly none).
pub fn credit_line(line: &str) -> Option<Vec<String>> {
    let line = trim(line);
    if line.chars().count() > CREDIT_MAX_CHARS {
        return None;
    }
    // [`CREDIT`] needs 摄; [`SUPPLIED`] needs 供, 资 or 发.
    if line.contains('摄')
        && let Some(c) = CREDIT.captures(line)
    {
        let n = names(&c["names"]);
        if !n.is_empty() && n.iter().all(|x| (2..=4).contains(&x.chars().count())) {
            return Some(n);
        }
    }
    (line.contains(['供', '资', '发']) && SUPPLIED.is_match(line)).then(Vec::new)
}

/// A caption with its credit in one line: `图为活动现场。李博文 摄`,
/// `星河社区举办插花活动。(资料照片)`. Returns (text, credit, photographers).
pub fn inline_caption(line: &str) -> Option<(String, Option<String>, Vec<String>)> {
    let line = trim(line);
    // Both ways end in [`credit_line`], which needs one of these.
    // (One `contains` per character: each is a fast byte search.)
    let credit_word = line.contains('摄') || line.contains('供') || line.contains('资') || line.contains('发');
    if !credit_word || line.chars().count() > 160 {
        return None;
    }
    // Credit in trailing brackets.
    if let Some(open) = line.rfind(['（', '(']) {
        let tail = &line[open..];
        if (tail.ends_with('）') || tail.ends_with(')')) && open > 0 {
            let inner = tail.trim_start_matches(['（', '(']).trim_end_matches(['）', ')']);
            if let Some(photographers) = credit_line(inner) {
                let text = trim(&line[..open]).to_string();
                if crate::core::text::ends_sentence(&text) {
                    return Some((text, Some(inner.to_string()), photographers));
                }
            }
        }
    }
    // Credit after the last full stop: `……。李博文 摄`.
    let cut = line.rfind(['。', '！', '？'])?;
    let after = &line[cut..];
    let stop_len = after.chars().next().map_or(0, char::len_utf8);
    let credit = trim(&after[stop_len..]);
    if credit.is_empty() {
        return None;
    }
    let photographers = credit_line(credit)?;
    Some((line[..cut + stop_len].to_string(), Some(credit.to_string()), photographers))
}

/// Whether a line is a picture caption by its opening: `图①：`, `图为`, `图1 `, `上图：`.
pub fn caption_opening(line: &str) -> bool {
    static OPEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[上下左右]{0,2}图[①-⑳0-9一二三四五六七八九十]*\s*[：:]|图[①-⑳]\s|图为|图片[：:])").unwrap()
    });
    let line = trim(line);
    // Every way of [`OPEN`] starts with one of these.
    line.starts_with(['上', '下', '左', '右', '图']) && OPEN.is_match(line)
}

/// Author marks that open a signature: `文/张三`, `□张三`, `文｜张三`.
const AUTHOR_MARKS: &[&str] = &["文/", "文／", "文|", "文｜", "□", "■", "口"];

/// The people a printed byline names, by role: `本报记者 张三  李四`,
/// `（记 者:黄德丰 汪 丹）`, `文/张三`, `□张三`, `王  博`, `（张三参与采写）`,
/// `张三 摄`. The `printed` list is left to the caller.
pub fn parse_printed(text: &str) -> Byline {
    let t = trim(text);
    let t = t.strip_prefix(['（', '(']).and_then(|x| x.strip_suffix(['）', ')'])).unwrap_or(t);
    let t =
        SPACED_ROLE.replace_all(t, |c: &regex::Captures| c[0].chars().filter(|c| !is_space(*c)).collect::<String>());
    let t = trim(&t);
    let marked = ROLES.iter().any(|(w, _)| t.contains(w));
    if let Some((names, contributed)) = attribution(&format!("（{t}）")).filter(|(_, c)| *c || !marked) {
        return if contributed {
            Byline { contributors: names, ..Byline::default() }
        } else {
            Byline { authors: names, ..Byline::default() }
        };
    }
    for mark in AUTHOR_MARKS {
        if let Some(rest) = t.strip_prefix(mark) {
            let mut b = parse_people(rest);
            if byline_is_empty(&b) {
                b.authors = names(rest);
            }
            return b;
        }
    }
    if let Some(n) = credit_line(t).filter(|n| !n.is_empty()) {
        return Byline { photographers: n, ..Byline::default() };
    }
    let mut b = parse_people(t);
    if t.ends_with('摄') || t.ends_with("摄影") {
        // `本报记者 王波 通讯员 刘潇 摄`: everyone named took the pictures.
        let all =
            [std::mem::take(&mut b.reporters), std::mem::take(&mut b.correspondents), std::mem::take(&mut b.authors)];
        for names in all {
            for n in names {
                let n = n.trim_end_matches("摄影").trim_end_matches('摄').to_string();
                if !n.is_empty() && !b.photographers.contains(&n) {
                    b.photographers.push(n);
                }
            }
        }
    }
    if !byline_is_empty(&b) {
        return b;
    }
    // `全国政协委员、国家图书馆古籍馆馆长  陈红彦`: offices, then the name
    // that signs.
    let words: Vec<&str> = t.split(|c: char| is_space(c) || c == '、').filter(|w| !w.is_empty()).collect();
    if let [offices @ .., signer] = words.as_slice()
        && offices.iter().any(|w| w.chars().count() > NAME_MAX_CHARS)
    {
        return Byline { authors: names(signer), ..Byline::default() };
    }
    Byline { authors: names(t), ..Byline::default() }
}

/// The longest Chinese name in characters (`欧阳明明`); a longer word in a
/// signature is an office or a place.
const NAME_MAX_CHARS: usize = 4;

/// A byline printed in brackets at the end of a paragraph (`……。（记者 张三）`,
/// `……。（张三 李四）`): the paragraph without it, and the byline as printed.
pub fn end_byline(paragraph: &str) -> Option<(String, String)> {
    let p = trim(paragraph);
    if !p.ends_with(['）', ')']) {
        return None;
    }
    let open = p.rfind(['（', '('])?;
    let (before, printed) = (trim(&p[..open]), &p[open..]);
    let inner = printed.trim_start_matches(['（', '(']).trim_end_matches(['）', ')']);
    if inner.chars().count() > 40 || inner.contains(['（', '(']) {
        return None;
    }
    let inner = SPACED_ROLE
        .replace_all(inner, |c: &regex::Captures| c[0].chars().filter(|c| !is_space(*c)).collect::<String>());
    let marked = ROLES.iter().any(|(w, r)| *r != Role::Photographer && inner.contains(w))
        || AUTHOR_MARKS.iter().any(|m| inner.starts_with(m));
    let by = parse_printed(&inner);
    let people = !(by.reporters.is_empty() && by.correspondents.is_empty() && by.authors.is_empty());
    // Bare names only close an article after a full stop: `（张三 李四）`.
    let bare = !marked && ends_sentence(before) && attribution(printed).is_some_and(|(_, contributed)| !contributed);
    ((marked && people) || bare).then(|| (before.to_string(), printed.to_string()))
}

/// The names in a credit (`张三 摄`, `新华社记者 李四摄`); none for `资料照片`.
pub fn credit_names(credit: &str) -> Vec<String> {
    credit_line(credit).unwrap_or_default()
}

/// Splits a role-marked string into a [`Byline`].
fn parse_people(s: &str) -> Byline {
    let mut marks: Vec<(usize, usize, Role)> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if let Some((w, r)) = ROLES.iter().find(|(w, _)| s[i..].starts_with(w)) {
            marks.push((i, i + w.len(), *r));
            i += w.len();
        } else {
            i += s[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    let mut b = Byline::default();
    for (k, &(_, end, role)) in marks.iter().enumerate() {
        let stop = marks.get(k + 1).map_or(s.len(), |m| m.0);
        let mut seg = &s[end..stop];
        // The organisation prefix of the next role (本报, 东莞日报) is not a name.
        for org in ["本报", "日报", "晚报", "新华社", "报社"] {
            if let Some(p) = seg.trim_end_matches(is_space).rfind(org) {
                let after = &seg[p + org.len()..];
                if trim(after).is_empty() {
                    seg = &seg[..p];
                }
            }
        }
        let seg = seg.trim_start_matches([':', '：', '/', '／']);
        let names = names(seg).into_iter().filter(|n| !n.ends_with("日报") && n != "本报");
        let list = match role {
            Role::Reporter => &mut b.reporters,
            Role::Correspondent => &mut b.correspondents,
            Role::Author => &mut b.authors,
            Role::Photographer => &mut b.photographers,
        };
        list.extend(names);
    }
    b
}

/// Names separated by spaces, `、` or commas; single characters padded apart
/// (`郑  斐`) are one name.
pub fn names(s: &str) -> Vec<String> {
    let tokens: Vec<&str> = s
        .split(|c: char| is_space(c) || matches!(c, '、' | '，' | ',' | '；' | ';'))
        .filter(|t| !t.is_empty())
        .collect();
    merge_single_chars(&tokens)
        .into_iter()
        .filter(|n| n.chars().all(|c| is_cjk(c) || c == '·'))
        .flat_map(|n| run_of_two_names(&n))
        .collect()
}

/// Characters of two three-character names printed with nothing between
/// them (`梁云霞杨军祥`): no Han name is this long, and two-character names
/// do not pair up to it.
const TWO_NAMES_RUN_CHARS: usize = 6;

/// A name, or the two names a run of [`TWO_NAMES_RUN_CHARS`] Han characters
/// holds.
fn run_of_two_names(n: &str) -> Vec<String> {
    let chars: Vec<char> = n.chars().collect();
    if chars.len() == TWO_NAMES_RUN_CHARS && chars.iter().all(|c| is_cjk(*c)) {
        let half = TWO_NAMES_RUN_CHARS / 2;
        vec![chars[..half].iter().collect(), chars[half..].iter().collect()]
    } else {
        vec![n.to_string()]
    }
}

fn merge_single_chars(tokens: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut run = String::new();
    for t in tokens {
        if t.chars().count() == 1 {
            run.push_str(t);
            if run.chars().count() == 3 {
                out.push(std::mem::take(&mut run));
            }
        } else {
            if !run.is_empty() {
                out.push(std::mem::take(&mut run));
            }
            out.push(close_gaps(t));
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

fn byline_is_empty(b: &Byline) -> bool {
    b.reporters.is_empty() && b.correspondents.is_empty() && b.authors.is_empty() && b.photographers.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dateline_with_reporter_and_correspondent() {
        let d = dateline_lead("本报讯(记者 南辽 通讯员 李亚楠)近日,万荣县举办活动。").unwrap();
        assert_eq!(d.dateline, "本报讯");
        assert_eq!(d.byline.reporters, vec!["南辽"]);
        assert_eq!(d.byline.correspondents, vec!["李亚楠"]);
        assert_eq!(d.rest, "近日,万荣县举办活动。");
    }

    #[test]
    fn an_author_signing_with_offices_is_the_last_name() {
        assert_eq!(parse_printed("全国政协委员、国家图书馆古籍馆馆长  陈红彦").authors, vec!["陈红彦"]);
        assert_eq!(parse_printed("祝大伟  高洪刚").authors, vec!["祝大伟", "高洪刚"]);
    }

    #[test]
    fn two_names_printed_as_one_run_are_two_names() {
        let d = dateline_lead("西和讯(通讯员梁云霞杨军祥)近年来,西和县改善办学条件。").unwrap();
        assert_eq!(d.byline.correspondents, vec!["梁云霞", "杨军祥"]);
        assert_eq!(names("欧阳明"), vec!["欧阳明"]);
        assert_eq!(names("司马相如"), vec!["司马相如"], "a four-character name stays one");
    }

    #[test]
    fn dateline_with_names_alone_in_its_brackets() {
        let d = dateline_lead("本报讯（郭颖 天乐）12月5日,县长主持召开会议。").unwrap();
        assert_eq!(d.byline.authors, vec!["郭颖", "天乐"]);
        assert!(d.rest.starts_with("12月5日"));
        assert!(dateline_lead("本报讯（据报道）近日召开会议。").is_none());
    }

    #[test]
    fn dateline_with_city_and_date() {
        let d = dateline_lead("本报北京4月16日电  （记者丁雅诵）记者从教育部获悉：平台建成。").unwrap();
        assert_eq!(d.dateline, "本报北京4月16日电");
        assert_eq!(d.byline.reporters, vec!["丁雅诵"]);
        assert!(d.rest.starts_with("记者从教育部"));
    }

    #[test]
    fn byline_lines_by_role_with_padding() {
        assert_eq!(byline_line("本报记者 曹欣怡").unwrap().reporters, vec!["曹欣怡"]);
        assert_eq!(byline_line("东莞日报记者  叶可欣  曹丽娟").unwrap().reporters, vec!["叶可欣", "曹丽娟"]);
        assert_eq!(byline_line("陕西日报记者  郑  斐").unwrap().reporters, vec!["郑斐"]);
        let b = byline_line("本报通讯员  喻  松  本报记者  徐  靖").unwrap();
        assert_eq!(b.correspondents, vec!["喻松"]);
        assert_eq!(b.reporters, vec!["徐靖"]);
        assert_eq!(byline_line("文/张三").unwrap().authors, vec!["张三"]);
        assert!(byline_line("记者从教育部获悉：平台建成。").is_none());
        assert!(byline_line("参与当日执勤的河津市社保中心党员王娜表示").is_none());
    }

    #[test]
    fn bare_names_merge_padded_characters() {
        assert_eq!(name_line("王  博").unwrap(), vec!["王博"]);
        assert_eq!(name_line("祝大伟  高洪刚").unwrap(), vec!["祝大伟", "高洪刚"]);
        assert_eq!(name_line("欣 文").unwrap(), vec!["欣文"]);
        assert!(name_line("廉洁史话").is_none());
        assert!(name_line("创建新时代党建引领 基层治理示范区").is_none());
    }

    #[test]
    fn credits_and_captions() {
        assert_eq!(credit_line("郑志波摄（人民视觉）").unwrap(), vec!["郑志波"]);
        assert_eq!(credit_line("余  乐摄").unwrap(), vec!["余乐"]);
        assert_eq!(credit_line("受访者供图").unwrap(), Vec::<String>::new());
        assert!(credit_line("摄影展开幕").is_none());
        let (t, c, p) = inline_caption("图为活动现场。李博文 摄").unwrap();
        assert_eq!((t.as_str(), c.as_deref(), p), ("图为活动现场。", Some("李博文 摄"), vec!["李博文".to_string()]));
        let (t, c, p) = inline_caption("星河社区举办插花活动。(资料照片)").unwrap();
        assert_eq!((t.as_str(), c.as_deref(), p.len()), ("星河社区举办插花活动。", Some("资料照片"), 0));
        assert!(inline_caption("会议强调，要聚焦重点任务。").is_none());
        assert!(caption_opening("图①：石排镇某企业负责人介绍生产情况。"));
    }

    #[test]
    fn attributions_at_the_end() {
        assert_eq!(attribution("（张晨曦参与采写）").unwrap(), (vec!["张晨曦".to_string()], true));
        assert_eq!(attribution("（本报记者王梓参与采写）").unwrap(), (vec!["王梓".to_string()], true));
        assert_eq!(attribution("(郭颖 天乐)").unwrap(), (vec!["郭颖".to_string(), "天乐".to_string()], false));
        assert!(attribution("（下转第二版）").is_none());
    }
}
