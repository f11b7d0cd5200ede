//! Cues: what a line's text says about its role on its own — a dateline, a
//! byline, a photo credit, a page header, a bullet, end punctuation …
//!
//! Each cue is a pattern that is exact about what it matches (a `本报讯（记者
//! 张三）` opening, a `第6版` header, a `（下转第8版）` jump) but not about
//! the role: the labeler weighs the cues of a line and of its neighbours
//! together with its layout. The cues of a line are computed once.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;

use super::people;
use crate::core::text::{ends_sentence, is_cjk, is_space};

/// The embedded default cue words (`config/layout_cues.toml`).
pub const DEFAULT_LAYOUT_CUES: &str = include_str!("../../../config/layout_cues.toml");

/// Longest line a header, footer or navigation pattern is tried on.
const FURNITURE_MAX_CHARS: usize = 40;
/// Longest line taken for a caption by its opening (`图为…`).
const CAPTION_MAX_CHARS: usize = 160;
/// Share of a line's characters, in percent, that chrome phrases must make
/// up for the line to be chrome through and through (not a headline that a
/// web page glued its metadata to).
const CHROME_MOSTLY_PERCENT: usize = 40;
/// Fewest space-separated single characters that make a line spaced out
/// (`学 习 贯 彻`, a headline set letter by letter).
const SPACED_OUT_MIN: usize = 4;

macro_rules! cues {
    ($($(#[doc = $doc:literal])* $name:ident = $label:literal,)*) => {
        /// One cue a line's text can carry.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u8)]
        pub enum Cue {
            $($(#[doc = $doc])* $name,)*
        }

        impl Cue {
            /// Every cue, in bit order.
            pub const ALL: &'static [Cue] = &[$(Cue::$name,)*];
            /// The cue's name in features and `--explain`.
            pub fn name(self) -> &'static str {
                match self { $(Cue::$name => $label,)* }
            }
        }
    };
}

cues! {
    /// `本报讯（记者 张三）…`, `本报北京4月16日电 …`: a paragraph opening with a dateline.
    DatelineLead = "dateline-lead",
    /// The dateline is all the line holds (`本报北京4月16日电`).
    DatelineAlone = "dateline-alone",
    /// Opens like a dateline, maybe going on on the next line (`本报讯（记者 张`).
    DatelineOpening = "dateline-opening",
    /// `本报记者 张三`, `记者 张三 李四`, `文/张三`.
    BylineLine = "byline-line",
    /// Bare names: `王  博`, `祝大伟  高洪刚`.
    NameLine = "name-line",
    /// An author signing with an office: `国家图书馆古籍馆馆长  陈红彦`.
    SignedWithOffice = "signed-with-office",
    /// `（张三参与采写）`, `(郭颖 天乐)`.
    Attribution = "attribution",
    /// A photo credit alone: `张三 摄`, `受访者供图`, `（资料照片）`.
    CreditLine = "credit-line",
    /// A caption with its credit: `图为活动现场。李博文 摄`.
    InlineCaption = "inline-caption",
    /// A caption opening: `图①：`, `图为`, `上图：`.
    CaptionOpening = "caption-opening",
    /// An editors' line: `责任编辑：张三`.
    Editor = "editor",
    /// A page number: `第6版`, `06版`, `A1`.
    PageNumber = "page-number",
    /// An issue date: `2025年4月17日 星期四`.
    IssueDate = "issue-date",
    /// A weekday: `星期四`, `周四`.
    Weekday = "weekday",
    /// Nothing but an issue date, a weekday and a page number (`2018年1月25日 星期`).
    DateOnly = "date-only",
    /// A clock time: `00:45`, `10：30`.
    ClockTime = "clock-time",
    /// E-paper navigation or web chrome (`config/layout_cues.toml`).
    Chrome = "chrome",
    /// Chrome phrases make up much of the line (`用微信扫描二维码分享至朋友圈`).
    ChromeMostly = "chrome-mostly",
    /// `（下转第8版）`.
    JumpOut = "jump-out",
    /// `（上接第7版）`.
    JumpIn = "jump-in",
    /// Opens with a bullet: `◆`, `■`, `▲`.
    Bullet = "bullet",
    /// Opens with a web page's list bullet: `•`.
    WebBullet = "web-bullet",
    /// Opens with an author's mark: `□张三`, `文/张三`.
    AuthorMark = "author-mark",
    /// Opens with a number: `一、`, `1.`, `（一）`, `①`.
    Numbered = "numbered",
    /// Opens with a dash: `——副题`.
    DashStart = "dash-start",
    /// Ends with a dash: `苏绣代表性传承人邹英姿——`.
    DashEnd = "dash-end",
    /// The whole line in square brackets: `【绝活看点】`.
    Bracketed = "bracketed",
    /// Opens with a square bracket: `【新华社北京电】…`.
    BracketOpen = "bracket-open",
    /// A headline with its column: `标题（栏目）`.
    TitleWithColumn = "title-with-column",
    /// Two to six Chinese characters and nothing else: a column label's shape.
    LabelShape = "label-shape",
    /// A sentence-final stop inside the line (not only at its end).
    InnerStop = "inner-stop",
    /// Ends a sentence (`。`, `！`, `？`, seen through closing quotes).
    EndsSentence = "ends-sentence",
    /// Ends with a comma or an enumeration comma.
    EndsComma = "ends-comma",
    /// Ends with a colon or a semicolon.
    EndsColon = "ends-colon",
    /// More opening than closing quotes or brackets.
    OpenQuote = "open-quote",
    /// Chinese text, a space, Chinese text: a headline in two halves, padded names.
    SpacedHalves = "spaced-halves",
    /// Characters spaced out one by one.
    SpacedOut = "spaced-out",
    /// `记者` or `通讯员` somewhere in the line.
    ReporterWord = "reporter-word",
    /// Opens with 本报 / 记者 / 通讯员 / 新华社.
    OpensReport = "opens-report",
    /// Ends with 摄 / 供图 / 摄影.
    EndsCredit = "ends-credit",
    /// A date (`4月16日`, `2025年`).
    HasDate = "has-date",
    /// Digits, Latin letters and punctuation only.
    NoChinese = "no-chinese",
    /// Opens with a lead word (`近日，`, `记者从`).
    LeadWord = "lead-word",
    /// Opens with a date or year and a comma: `1956年，`, `4月16日，`.
    OpensWithDate = "opens-with-date",
    /// Opens with an opening quote.
    OpensQuote = "opens-quote",
    /// The line repeats another line of the page word for word.
    Repeated = "repeated",
}

/// The cues of one line, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cues(u64);

impl Cues {
    /// Whether the line carries `cue`.
    pub fn has(self, cue: Cue) -> bool {
        self.0 & (1 << cue as u8) != 0
    }

    /// Adds `cue`.
    pub fn set(&mut self, cue: Cue) {
        self.0 |= 1 << cue as u8;
    }

    /// The cues carried, in bit order.
    pub fn iter(self) -> impl Iterator<Item = Cue> {
        // Pops the lowest set bit: as many steps as the line has cues.
        let mut bits = self.0;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let at = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                Cue::ALL[at]
            })
        })
    }
}

/// The editable word lists behind the `chrome`, `editor` and `lead` cues.
#[derive(Debug, Clone)]
pub struct CueWords {
    chrome: AhoCorasick,
    editor: Words,
    lead: Words,
    office: Vec<String>,
}

/// Words a line may open with, and their first characters: a line whose
/// first character opens none of them is not compared with each.
#[derive(Debug, Clone)]
struct Words {
    words: Vec<String>,
    firsts: Vec<char>,
}

impl Words {
    fn new(words: Vec<String>) -> Words {
        let words: Vec<String> = words.into_iter().filter(|w| !w.is_empty()).collect();
        let mut firsts: Vec<char> = words.iter().filter_map(|w| w.chars().next()).collect();
        firsts.sort_unstable();
        firsts.dedup();
        Words { words, firsts }
    }

    /// Whether `t` (first character `first`) opens with one of the words followed by one of `then`.
    fn open(&self, t: &str, first: char, then: &[char]) -> bool {
        self.firsts.binary_search(&first).is_ok() && self.words.iter().any(|w| opens_with_word(t, w, then))
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CueFile {
    chrome: Vec<String>,
    editor: Vec<String>,
    lead: Vec<String>,
    office: Vec<String>,
}

impl CueWords {
    /// Where the first chrome phrase starts in `t` (byte offset), if any.
    pub fn chrome_at(&self, t: &str) -> Option<usize> {
        self.chrome.find(t).map(|m| m.start())
    }

    /// Reads the cue words from TOML (`chrome`, `editor`, `lead` lists).
    ///
    /// # Errors
    /// A message naming what is malformed.
    pub fn parse(text: &str) -> Result<CueWords, String> {
        let f: CueFile = toml::from_str(text).map_err(|e| e.to_string())?;
        // Leftmost-longest, for the longest phrase where phrases overlap and
        // because only a leftmost kind gets the SIMD prefilter (Teddy): the
        // phrases open with the same few UTF-8 lead bytes as all Chinese
        // text, which leaves a byte prefilter nothing to skip.
        let chrome = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostLongest)
            .build(f.chrome.iter().filter(|w| !w.is_empty()))
            .map_err(|e| e.to_string())?;
        Ok(CueWords { chrome, editor: Words::new(f.editor), lead: Words::new(f.lead), office: f.office })
    }
}

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s|[:：/])(?:第\s*[0-9一二三四五六七八九十]{1,3}\s*版|[A-Da-d]?[0-9]{1,2}\s*版|[A-D][0-9]{1,2}(?:\s|$|[:：]))")
        .unwrap()
});
static ISSUE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d\d[-./]\d{1,2}[-./]\d{1,2}").unwrap()
});
static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:星期|周)[一二三四五六日天]").unwrap());
static CLOCK_TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^0-9])[0-2]?[0-9][:：][0-5][0-9](?:$|[^0-9])").unwrap());
/// What a page header's date may hold besides the date itself.
static DATE_REST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"星期[一二三四五六日天]?|周[一二三四五六日天]|第\s*[0-9一二三四五六七八九十]{1,3}\s*版|[0-9]{1,2}\s*版")
        .unwrap()
});
/// Characters that may be left of a date-only line once its date parts are gone.
const DATE_ONLY_REST_CHARS: usize = 2;
static OPENS_WITH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:19|20)?\d{2,4}\s*年(?:\d{1,2}\s*月(?:\d{1,2}\s*日)?)?|\d{1,2}\s*月\d{1,2}\s*日(?:上午|下午|晚上?)?)[，,]").unwrap()
});
static HAS_DATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}\s*年").unwrap());
static JUMP_OUT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[（(](?:下转|转)第?.{1,4}版[）)]$").unwrap());
static JUMP_IN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[（(](?:上接|接)第?.{1,4}版[）)]$").unwrap());
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[0-9]{1,2}[、.．]\D|[（(][一二三四五六七八九十0-9]{1,3}[）)]|[①-⑳])",
    )
    .unwrap()
});

/// Bullets that open a news-in-brief item (`◆我市召开…`).
pub const BULLETS: &[char] = &['◆', '◇', '■', '▲', '△', '●', '★', '☆', '▶', '►'];
/// Bullets of web pages' lists and link bars (`• 51阅读`).
pub const WEB_BULLETS: &[char] = &['•', '·', '・', '◎', '○'];

/// The cues of every line of a page (`texts` top to bottom).
pub fn cues_of<'a>(texts: impl Iterator<Item = &'a str>, words: &CueWords) -> Vec<Cues> {
    let texts: Vec<&str> = texts.collect();
    let mut seen: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    for t in &texts {
        *seen.entry(t).or_default() += 1;
    }
    texts
        .iter()
        .map(|t| {
            let mut c = cues(t, words);
            if seen.get(t).is_some_and(|n| *n > 1) && t.chars().count() >= 4 {
                c.set(Cue::Repeated);
            }
            c
        })
        .collect()
}

/// The cues of one trimmed line, judged on its own.
pub fn cues(t: &str, words: &CueWords) -> Cues {
    let mut c = Cues::default();
    let scan = Scan::of(t);
    let n = scan.chars;
    let first = t.chars().next().unwrap_or(' ');
    let last = t.chars().next_back().unwrap_or(' ');
    let mut set = |cue: Cue, on: bool| {
        if on {
            c.set(cue);
        }
    };
    if let Some(d) = people::dateline_lead(t) {
        set(Cue::DatelineLead, true);
        set(Cue::DatelineAlone, d.rest.is_empty());
    }
    set(Cue::DatelineOpening, people::dateline_opening(t));
    // Each recogniser turns away long lines itself; asking first saves its call.
    set(Cue::BylineLine, n <= people::BYLINE_MAX_CHARS && people::byline_line(t).is_some());
    set(Cue::NameLine, people::name_line(t).is_some());
    set(Cue::SignedWithOffice, n <= SIGNATURE_MAX_CHARS && signed_with_office(t, &words.office));
    set(Cue::Attribution, people::attribution(t).is_some());
    set(Cue::CreditLine, n <= people::CREDIT_MAX_CHARS && people::credit_line(t).is_some());
    set(Cue::InlineCaption, scan.credit_word && people::inline_caption(t).is_some());
    set(Cue::CaptionOpening, n <= CAPTION_MAX_CHARS && people::caption_opening(t));
    set(Cue::Editor, words.editor.open(t, first, &[':', '：', ' ', '\u{3000}']));
    if n <= FURNITURE_MAX_CHARS {
        set(Cue::PageNumber, t.contains('版') && PAGE_NUMBER.is_match(t) || is_bare_page_number(t));
        // Cheap tests first: a regex only where its words or digits are.
        let issue_date = if scan.ascii_digit { ISSUE_DATE.find(t) } else { None };
        set(Cue::IssueDate, issue_date.is_some());
        set(Cue::Weekday, scan.weekday_word && WEEKDAY.is_match(t));
        if let Some(m) = issue_date {
            let rest = format!("{}{}", &t[..m.start()], &t[m.end()..]);
            let rest = DATE_REST.replace_all(&rest, "");
            set(Cue::DateOnly, rest.chars().filter(|c| !is_space(*c)).count() <= DATE_ONLY_REST_CHARS);
        }
        let bracketed = t.starts_with(['（', '(']);
        set(Cue::JumpOut, bracketed && JUMP_OUT.is_match(t));
        set(Cue::JumpIn, bracketed && JUMP_IN.is_match(t));
    }
    let chrome: usize = words.chrome.find_iter(t).map(|m| t[m.start()..m.end()].chars().count()).sum();
    set(Cue::Chrome, chrome > 0);
    set(Cue::ChromeMostly, chrome > 0 && chrome * 100 >= n * CHROME_MOSTLY_PERCENT);
    set(Cue::ClockTime, scan.colon && scan.ascii_digit && CLOCK_TIME.is_match(t));
    set(Cue::Bullet, t.starts_with(BULLETS));
    set(Cue::WebBullet, t.starts_with(WEB_BULLETS));
    set(Cue::AuthorMark, ["□", "文/", "文／", "文|", "文｜"].iter().any(|m| t.starts_with(m)));
    set(Cue::Numbered, opens_numbered(first) && NUMBERED.is_match(t));
    set(Cue::DashStart, t.starts_with(['—', '－']) || t.starts_with("--"));
    set(Cue::DashEnd, n > 2 && (t.ends_with('—') || t.ends_with("--")));
    let inner = t.trim_start_matches(['【', '〔', '[']).trim_end_matches(['】', '〕', ']']);
    set(
        Cue::Bracketed,
        t.starts_with(['【', '〔', '[']) && t.ends_with(['】', '〕', ']']) && !inner.contains(['【', '】']),
    );
    set(Cue::BracketOpen, t.starts_with(['【', '〔']));
    set(Cue::TitleWithColumn, super::assemble::title_with_column(t).is_some());
    set(Cue::LabelShape, (2..=6).contains(&n) && t.chars().all(|c| is_cjk(c) || c == '·'));
    // A stop before the line's closing stops and brackets.
    let closing = t.trim_end_matches(crate::core::text::is_closer).trim_end_matches(['。', '！', '？', '!', '?']).len();
    set(Cue::InnerStop, scan.first_stop.is_some_and(|at| at < closing));
    set(Cue::EndsSentence, ends_sentence(t));
    set(Cue::EndsComma, matches!(last, '，' | ',' | '、'));
    set(Cue::EndsColon, matches!(last, '：' | ':' | '；' | ';'));
    set(Cue::OpenQuote, scan.quotes > 0);
    set(Cue::SpacedHalves, scan.tokens >= 2 && scan.tokens_all_han);
    set(Cue::SpacedOut, scan.tokens >= SPACED_OUT_MIN && scan.single_char_tokens * 4 >= scan.tokens * 3);
    set(Cue::ReporterWord, scan.reporter_word && (t.contains("记者") || t.contains("通讯员")));
    set(
        Cue::OpensReport,
        ["本报", "记者", "通讯员", "新华社", "中新社", "特约", "【新华社", "（记者", "(记者"]
            .iter()
            .any(|w| t.starts_with(w)),
    );
    set(
        Cue::EndsCredit,
        t.ends_with('摄') || t.ends_with("供图") || t.ends_with("摄影") || t.ends_with("摄）") || t.ends_with("摄)"),
    );
    set(Cue::HasDate, scan.date_word && scan.numeric && HAS_DATE.is_match(t));
    set(Cue::NoChinese, !scan.han);
    set(Cue::LeadWord, words.lead.open(t, first, &['，', ',', '：', '从', '获']) || t.starts_with("记者从"));
    set(Cue::OpensQuote, matches!(first, '“' | '"' | '「' | '‘'));
    set(Cue::OpensWithDate, first.is_ascii_digit() && OPENS_WITH_DATE.is_match(t));
    c
}

/// Whether `c` can open a [`NUMBERED`] item: a numeral, a digit, a bracket
/// or a circled number (the regex's first characters).
fn opens_numbered(c: char) -> bool {
    matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '0'..='9' | '（' | '(' | '①'..='⑳')
}

/// What one pass over a line's characters finds: the counts and the
/// characters that gate the cues' regexes, so that each cue does not scan
/// the line again.
struct Scan {
    chars: usize,
    /// White-space-separated tokens.
    tokens: usize,
    single_char_tokens: usize,
    /// Every token holds a Han character.
    tokens_all_han: bool,
    /// [`open_quotes`].
    quotes: i32,
    /// Byte offset of the first `。！？；`.
    first_stop: Option<usize>,
    han: bool,
    ascii_digit: bool,
    /// Any digit, full-width too (what `\d` in [`HAS_DATE`] takes).
    numeric: bool,
    /// `:` or `：` ([`CLOCK_TIME`]).
    colon: bool,
    /// `年` or `月` ([`HAS_DATE`]).
    date_word: bool,
    /// `星` or `周` ([`WEEKDAY`]).
    weekday_word: bool,
    /// `摄`, `供`, `资` or `发` ([`people::inline_caption`]).
    credit_word: bool,
    /// `记` or `讯` (`记者`, `通讯员`).
    reporter_word: bool,
}

/// The ideographs that gate a regex, as bits over U+4E00..=U+9FFF: one
/// load and test an ideograph, where comparing each with eight characters
/// cost the scan most of its time.
static GATE_WORDS: [u64; 328] = {
    let mut bits = [0u64; 328];
    let words = ['年', '月', '星', '周', '记', '讯', '摄', '供', '资', '发'];
    let mut i = 0;
    while i < words.len() {
        let at = words[i] as usize - 0x4e00;
        bits[at / 64] |= 1 << (at % 64);
        i += 1;
    }
    bits
};

/// Whether `c` is one of [`GATE_WORDS`].
fn gate_word(c: char) -> bool {
    let at = (c as usize).wrapping_sub(0x4e00);
    at < 328 * 64 && GATE_WORDS[at / 64] & (1 << (at % 64)) != 0
}

impl Scan {
    fn of(t: &str) -> Scan {
        // Locals, not fields, in the loop: they stay in registers.
        let (mut chars, mut tokens, mut single_char_tokens, mut tokens_all_han) = (0, 0, 0, true);
        let (mut quotes, mut first_stop, mut han, mut numeric) = (0, None, false, false);
        let (mut ascii_digit, mut colon, mut date_word, mut weekday_word, mut credit_word, mut reporter_word) =
            (false, false, false, false, false, false);
        let (mut token_len, mut token_han) = (0usize, false);
        for (at, c) in t.char_indices() {
            chars += 1;
            if is_cjk(c) {
                // Most of a page: an ideograph goes on a token and may gate a regex.
                token_len += 1;
                token_han = true;
                han = true;
                if gate_word(c) {
                    match c {
                        '年' | '月' => date_word = true,
                        '星' | '周' => weekday_word = true,
                        '记' | '讯' => reporter_word = true,
                        _ => credit_word = true,
                    }
                }
                continue;
            }
            if is_space(c) {
                if token_len > 0 {
                    tokens += 1;
                    single_char_tokens += usize::from(token_len == 1);
                    tokens_all_han &= token_han;
                }
                (token_len, token_han) = (0, false);
                continue;
            }
            token_len += 1;
            quotes += quote_step(c);
            match c {
                '。' | '！' | '？' | '；' if first_stop.is_none() => first_stop = Some(at),
                '0'..='9' => (ascii_digit, numeric) = (true, true),
                ':' | '：' => colon = true,
                c if c.is_numeric() => numeric = true,
                _ => {}
            }
        }
        if token_len > 0 {
            tokens += 1;
            single_char_tokens += usize::from(token_len == 1);
            tokens_all_han &= token_han;
        }
        Scan {
            chars,
            tokens,
            single_char_tokens,
            tokens_all_han,
            quotes,
            first_stop,
            han,
            ascii_digit,
            numeric,
            colon,
            date_word,
            weekday_word,
            credit_word,
            reporter_word,
        }
    }
}

/// Longest signature with an office before the name, in characters.
const SIGNATURE_MAX_CHARS: usize = 48;

/// `全国政协委员、国家图书馆古籍馆馆长  陈红彦`: offices, white space, and a
/// name of two to four characters, nothing that reads as a sentence.
fn signed_with_office(t: &str, office: &[String]) -> bool {
    if t.chars().count() > SIGNATURE_MAX_CHARS || ends_sentence(t) || t.contains(['，', ',', '。']) {
        return false;
    }
    let Some((head, name)) = t.trim_end().rsplit_once(is_space) else { return false };
    let name_ok = (2..=4).contains(&name.chars().count()) && name.chars().all(|c| is_cjk(c) || c == '·');
    name_ok && office.iter().any(|w| head.contains(w.as_str()))
}

/// `t` opens with `word` followed by one of `then` (or ends with it).
fn opens_with_word(t: &str, word: &str, then: &[char]) -> bool {
    t.strip_prefix(word).is_some_and(|rest| rest.is_empty() || rest.starts_with(then))
}

/// `06版`, `A1`, `2`: a page number standing alone.
fn is_bare_page_number(t: &str) -> bool {
    let t = t.trim_end_matches('版');
    !t.is_empty() && t.chars().count() <= 3 && t.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Balance of opening minus closing quotes and brackets: > 0 means the line
/// stops inside a quotation (a sentence broken by a column gap).
pub fn open_quotes(t: &str) -> i32 {
    t.chars().map(quote_step).sum()
}

/// +1 for an opening quote or bracket, -1 for a closing one.
fn quote_step(c: char) -> i32 {
    match c {
        '“' | '（' | '《' | '「' | '『' | '(' => 1,
        '”' | '）' | '》' | '」' | '』' | ')' => -1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> CueWords {
        CueWords::parse(DEFAULT_LAYOUT_CUES).unwrap()
    }

    fn has(t: &str, cue: Cue) -> bool {
        cues(t, &words()).has(cue)
    }

    #[test]
    fn furniture_cues() {
        assert!(has("2025年4月17日 星期四 第6版 文化", Cue::IssueDate));
        assert!(has("2025年4月17日 星期四 第6版 文化", Cue::PageNumber));
        assert!(has("第02版:综合新闻 上一版3  4下一版", Cue::Chrome));
        assert!(has("用微信扫描二维码分享至好友和朋友圈", Cue::Chrome));
        assert!(has("责任编辑：王瑾  版式设计：赵倩", Cue::Editor));
        assert!(!has("编辑部的故事", Cue::Editor));
        assert!(has("（下转第8版）", Cue::JumpOut));
        assert!(has("（上接第1版）", Cue::JumpIn));
    }

    #[test]
    fn people_and_picture_cues() {
        assert!(has("本报讯（记者 张三）近日，会议召开。", Cue::DatelineLead));
        assert!(has("本报北京4月16日电", Cue::DatelineAlone));
        assert!(has("本报记者 白光迪", Cue::BylineLine));
        assert!(has("王  博", Cue::NameLine));
        assert!(has("余乐摄", Cue::CreditLine));
        assert!(has("图①：改造后的老街夜景。", Cue::CaptionOpening));
        assert!(has("图为活动现场。李博文 摄", Cue::InlineCaption));
    }

    #[test]
    fn shape_cues() {
        assert!(has("苏绣代表性传承人邹英姿——", Cue::DashEnd));
        assert!(has("——盐湖区北城街道星河社区创新基层治理的实践", Cue::DashStart));
        assert!(has("【绝活看点】", Cue::Bracketed));
        assert!(has("◆我市召开安全生产工作会议", Cue::Bullet));
        assert!(has("工匠绝活", Cue::LabelShape));
        assert!(has("学 习 贯 彻 全 会", Cue::SpacedOut));
        assert!(has("着眼“深化” 凸显“第一梯队”责任", Cue::SpacedHalves));
        assert!(has("近日，某县召开会议。会议强调", Cue::InnerStop));
        assert!(!has("会议强调。", Cue::InnerStop));
        assert!(has("近日，某县召开会议", Cue::LeadWord));
        assert!(has("绣出“像", Cue::OpenQuote));
    }

    #[test]
    fn gate_words_are_found_and_nothing_else() {
        for c in ['年', '月', '星', '周', '记', '讯', '摄', '供', '资', '发'] {
            assert!(gate_word(c), "{c}");
        }
        for c in ['一', '鿿', '日', '报', 'a', '1', '。', '\u{3400}', '\u{fa00}', '😀'] {
            assert!(!gate_word(c), "{c}");
        }
        assert!(Scan::of("２０２５年").numeric && !Scan::of("２０２５年").ascii_digit);
        let s = Scan::of("本报讯 记者 3月5日 摄");
        assert!(s.date_word && s.reporter_word && s.credit_word && s.ascii_digit && !s.weekday_word);
        assert_eq!((s.tokens, s.single_char_tokens, s.tokens_all_han), (4, 1, true));
    }

    #[test]
    fn cues_iterate_in_bit_order_as_set() {
        for (i, c) in Cue::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i, "{} is out of bit order", c.name());
        }
        let mut c = Cues::default();
        for cue in [Cue::Repeated, Cue::DatelineLead, Cue::Chrome] {
            c.set(cue);
        }
        let got: Vec<Cue> = c.iter().collect();
        assert_eq!(got, vec![Cue::DatelineLead, Cue::Chrome, Cue::Repeated]);
        assert_eq!(Cues::default().iter().count(), 0);
    }

    #[test]
    fn a_line_printed_twice_is_repeated() {
        let c = cues_of(["某县召开会议", "正文。", "某县召开会议"].into_iter(), &words());
        assert!(c[0].has(Cue::Repeated) && !c[1].has(Cue::Repeated) && c[2].has(Cue::Repeated));
    }
}
