//! Features: what the line labeler sees of each line — its length against
//! the column, its first and last characters, its cues, the blank lines
//! around it, and the same of the lines above and below.
//!
//! Every feature is one value of one template (`len=5-6`, `cue@-1=byline-line`,
//! `last@-1|first=comma|cjk`); the templates and their values are fixed, so
//! a feature is an index into one table of weights, and its name is what
//! `--explain` and the model file show. Nothing here depends on the words
//! of a particular page: lengths, character classes and cues only.

use std::sync::LazyLock;

use super::Lexicon;
use super::cues::{Cue, Cues};
use super::lines::{Line, Shape, Sheet};

const LEN: &[&str] = &["1", "2", "3", "4", "5-6", "7-9", "10-12", "13-16", "17-20", "21-28", "29-40", "41-60", "61+"];
const FILL: &[&str] = &["none", "<25", "25-50", "50-75", "75-88", "88-97", "97-103", "103-120", ">120"];
/// Cells a line is short of the column: `full` within a cell either way,
/// `2-3` a character moved on by line-breaking rules, `4-5` the first line
/// of an indented paragraph, then wider gaps.
const DEFICIT: &[&str] = &["none", "wider", "full", "2-3", "4-5", "6-9", "10-19", "20+"];
const CLASS: &[&str] = &[
    "cjk",
    "digit",
    "latin",
    "stop",
    "comma",
    "colon",
    "open-quote",
    "close-quote",
    "open-bracket",
    "close-bracket",
    "dash",
    "bullet",
    "other",
];
const GAP: &[&str] = &["0", "1", "2+"];
const YES: &[&str] = &["yes"];
const EDGE: &[&str] = &["first", "second", "last", "second-last"];
/// The kinds of page ([`page_kind`]): a dump with one paragraph a line and
/// no blank lines, the same with blank lines between blocks, hard-wrapped at
/// a column's width, and hard-wrapped with blank lines at column ends.
pub const PAGE_KINDS: &[&str] = &["plain", "blank-separated", "wrapped", "wrapped-blank-separated"];
const PAGE: &[&str] = PAGE_KINDS;
const ENDS: &[&str] = &["open", "ended"];
/// Lines since the last headline-shaped line above (pages of one paragraph a line).
const SINCE: &[&str] = &["1", "2", "3", "4-6", "7-12", "13+"];
/// Where a neighbour's value is missing (above the first line, below the last).
const NONE: &str = "-";

/// Lines with up to this many characters are compared for an even length
/// (the lines of a headline broken over several lines are balanced).
const BALANCED_MAX_CHARS: usize = 30;

/// One feature template: a name and the values it can take.
#[derive(Debug)]
pub struct Template {
    /// As in the model file: `len@-1`, `last@-1|first`.
    pub name: String,
    /// The value names, in index order.
    pub values: Vec<String>,
    /// Index of the template's first value in the feature table.
    pub offset: usize,
}

/// The fixed set of templates and the feature table they span.
#[derive(Debug)]
pub struct FeatureSet {
    templates: Vec<Template>,
    size: usize,
}

/// Template ids, in the order of [`FeatureSet::templates`].
#[derive(Debug, Clone, Copy)]
#[repr(usize)]
enum T {
    Bias,
    Page,
    Edge,
    LenPrev,
    Len,
    LenNext,
    FillPrev,
    Fill,
    FillNext,
    DefPrev,
    Def,
    DefNext,
    FirstPrev,
    First,
    FirstNext,
    LastPrev,
    Last,
    LastNext,
    CuePrev2,
    CuePrev,
    Cue,
    CueNext,
    CueNext2,
    Gap,
    GapNext,
    Break,
    BreakNext,
    Indent,
    IndentNext,
    WordCut,
    BalancedPrev,
    BalancedNext,
    LastPrevFirst,
    DefPrevLastPrev,
    DefPrevDef,
    LenPrevLen,
    LenLenNext,
    PageGap,
    PageGapNext,
    EndsPrevPageGap,
    Def2Last2,
    Def3Last3,
    LastPrevDef,
    EndsPrevDefPrevDef,
    LastDefNext,
    ResumeLast,
    ResumeWordCut,
    ResumeEndsFirst,
    SinceHead,
    PeopleCues,
    PeopleCuesPrev,
    PeopleCuesNext,
    PageWordCut,
    PageResumeWordCut,
    PageLastPrevFirst,
    PageLenPrev,
    LenLast,
    PageLen,
    PageCue,
    CueFirstPrev,
}

fn with_none(values: &[&str]) -> Vec<String> {
    std::iter::once(NONE).chain(values.iter().copied()).map(String::from).collect()
}

fn plain(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

fn cross(a: &[String], b: &[String]) -> Vec<String> {
    a.iter().flat_map(|x| b.iter().map(move |y| format!("{x}|{y}"))).collect()
}

fn cross3(a: &[String], b: &[String], c: &[String]) -> Vec<String> {
    cross(&cross(a, b), c)
}

static FEATURES: LazyLock<FeatureSet> = LazyLock::new(|| {
    let cues: Vec<String> = Cue::ALL.iter().map(|c| c.name().to_string()).collect();
    let len = with_none(LEN);
    let fill = with_none(FILL);
    let def = with_none(DEFICIT);
    let class = with_none(CLASS);
    let gap = with_none(GAP);
    let page = plain(PAGE);
    let defs: Vec<(&str, Vec<String>)> = vec![
        ("bias", plain(YES)),
        ("page", page.clone()),
        ("edge", plain(EDGE)),
        ("len@-1", len.clone()),
        ("len", len.clone()),
        ("len@+1", len.clone()),
        ("fill@-1", fill.clone()),
        ("fill", fill.clone()),
        ("fill@+1", fill.clone()),
        ("deficit@-1", def.clone()),
        ("deficit", def.clone()),
        ("deficit@+1", def.clone()),
        ("first@-1", class.clone()),
        ("first", class.clone()),
        ("first@+1", class.clone()),
        ("last@-1", class.clone()),
        ("last", class.clone()),
        ("last@+1", class.clone()),
        ("cue@-2", cues.clone()),
        ("cue@-1", cues.clone()),
        ("cue", cues.clone()),
        ("cue@+1", cues.clone()),
        ("cue@+2", cues.clone()),
        ("gap", gap.clone()),
        ("gap@+1", gap.clone()),
        ("page-break", plain(YES)),
        ("page-break@+1", plain(YES)),
        ("indented", plain(YES)),
        ("indented@+1", plain(YES)),
        ("word-cut", plain(YES)),
        ("balanced@-1", plain(YES)),
        ("balanced@+1", plain(YES)),
        ("last@-1|first", cross(&class, &class)),
        ("deficit@-1|last@-1", cross(&def, &class)),
        ("deficit@-1|deficit", cross(&def, &def)),
        ("len@-1|len", cross(&len, &len)),
        ("len|len@+1", cross(&len, &len)),
        ("page|gap", cross(&page, &gap)),
        ("page|gap@+1", cross(&page, &gap)),
        ("ends@-1|page|gap", cross3(&with_none(ENDS), &page, &gap)),
        ("deficit@-2|last@-2", cross(&def, &class)),
        ("deficit@-3|last@-3", cross(&def, &class)),
        ("last@-1|deficit", cross(&class, &def)),
        ("ends@-1|deficit@-1|deficit", cross3(&with_none(ENDS), &def, &def)),
        ("last|deficit@+1", cross(&class, &def)),
        ("resume-last", class.clone()),
        ("resume-word-cut", plain(YES)),
        ("resume-ends|first", cross(&with_none(ENDS), &class)),
        ("since-headline", with_none(SINCE)),
        ("people-cues", people_signatures()),
        ("people-cues@-1", people_signatures()),
        ("people-cues@+1", people_signatures()),
        ("page|word-cut", page.clone()),
        ("page|resume-word-cut", page.clone()),
        ("page|last@-1|first", cross3(&page, &class, &class)),
        ("page|len@-1", cross(&page, &len)),
        ("len|last", cross(&len, &class)),
        ("page|len", cross(&page, &len)),
        ("page|cue", cross(&page, &cues)),
        ("cue|first@-1", cross(&cues, &class)),
    ];
    let mut templates = Vec::new();
    let mut offset = 0;
    for (name, values) in defs {
        let n = values.len();
        templates.push(Template { name: name.to_string(), values, offset });
        offset += n;
    }
    FeatureSet { templates, size: offset }
});

impl FeatureSet {
    /// The feature set this build computes.
    pub fn get() -> &'static FeatureSet {
        &FEATURES
    }

    /// Number of features (rows of the weight table).
    pub fn len(&self) -> usize {
        self.size
    }

    /// Whether there are no features (never).
    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    /// The templates, in table order.
    pub fn templates(&self) -> &[Template] {
        &self.templates
    }

    /// A feature's name: `template=value`.
    pub fn name(&self, feature: usize) -> String {
        let t = self.templates.partition_point(|t| t.offset <= feature) - 1;
        let t = &self.templates[t];
        format!("{}={}", t.name, t.values[feature - t.offset])
    }

    /// A fingerprint of the templates and their values: a model trained for
    /// another feature set is refused at load.
    pub fn fingerprint(&self) -> String {
        use std::hash::{Hash, Hasher};
        // FNV-1a: stable across builds and platforms, unlike std's hasher.
        struct Fnv(u64);
        impl Hasher for Fnv {
            fn finish(&self) -> u64 {
                self.0
            }
            fn write(&mut self, bytes: &[u8]) {
                for b in bytes {
                    self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
                }
            }
        }
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        for t in &self.templates {
            t.name.hash(&mut h);
            t.values.hash(&mut h);
        }
        format!("{:016x}", h.finish())
    }

    fn index(&self, t: T, value: usize) -> u32 {
        let t = &self.templates[t as usize];
        debug_assert!(value < t.values.len(), "{} has no value {value}", t.name);
        (t.offset + value) as u32
    }
}

/// What one line looks like, measured once: the values the templates read.
#[derive(Debug, Clone, Copy)]
struct Obs {
    len: usize,
    fill: usize,
    deficit: usize,
    first: usize,
    last: usize,
    cues: Cues,
    gap: usize,
    page_break: bool,
    indented: bool,
    ends: bool,
    chars: usize,
}

fn len_bucket(n: usize) -> usize {
    match n {
        0 | 1 => 0,
        2 => 1,
        3 => 2,
        4 => 3,
        5..=6 => 4,
        7..=9 => 5,
        10..=12 => 6,
        13..=16 => 7,
        17..=20 => 8,
        21..=28 => 9,
        29..=40 => 10,
        41..=60 => 11,
        _ => 12,
    }
}

fn fill_bucket(shape: &Shape, line: &Line) -> usize {
    if shape.column.is_none() {
        return 0;
    }
    match shape.fill(line) {
        0..25 => 1,
        25..50 => 2,
        50..75 => 3,
        75..88 => 4,
        88..97 => 5,
        97..=103 => 6,
        104..=120 => 7,
        _ => 8,
    }
}

fn deficit_bucket(shape: &Shape, line: &Line) -> usize {
    let Some(col) = shape.column else { return 0 };
    let d = col as i64 - line.cells as i64;
    match d {
        ..-1 => 1,
        -1..=1 => 2,
        2..=3 => 3,
        4..=5 => 4,
        6..=9 => 5,
        10..=19 => 6,
        _ => 7,
    }
}

/// The character class of `c`, an index into the class values.
fn class(c: Option<char>) -> usize {
    let Some(c) = c else { return 12 };
    match c {
        '。' | '！' | '？' | '!' | '?' | '…' | '.' => 3,
        '，' | ',' | '、' => 4,
        '：' | ':' | '；' | ';' => 5,
        '“' | '‘' | '「' | '『' | '"' => 6,
        '”' | '’' | '」' | '』' => 7,
        '（' | '(' | '【' | '《' | '〔' | '[' | '〈' => 8,
        '）' | ')' | '】' | '》' | '〕' | ']' | '〉' => 9,
        '—' | '-' | '－' | '–' => 10,
        c if super::cues::BULLETS.contains(&c) || super::cues::WEB_BULLETS.contains(&c) => 11,
        c if c.is_ascii_digit() || ('０'..='９').contains(&c) => 1,
        c if c.is_ascii_alphabetic() => 2,
        c if crate::core::text::is_cjk(c) => 0,
        _ => 12,
    }
}

/// The kind of a page, an index into [`PAGE_KINDS`].
pub fn page_kind(shape: &Shape) -> usize {
    usize::from(shape.blank_separated) + 2 * usize::from(shape.column.is_some())
}

/// The active features of every line, flat, with each line's range, and
/// the kind of page they are on.
#[derive(Debug, Clone, Default)]
pub struct LineFeatures {
    /// The page's kind ([`PAGE_KINDS`]): each kind has its own transitions.
    pub page: usize,
    /// Feature indices of all lines, line after line.
    pub indices: Vec<u32>,
    /// Where each line's indices start (one more entry than lines).
    pub starts: Vec<usize>,
}

impl LineFeatures {
    /// The features of line `i`.
    pub fn of(&self, i: usize) -> &[u32] {
        &self.indices[self.starts[i]..self.starts[i + 1]]
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Whether there are no lines.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Computes the features of every line of `sheet`, whose cues are `cues`.
pub fn features(sheet: &Sheet, cues: &[Cues], lexicon: &dyn Lexicon) -> LineFeatures {
    let fs = FeatureSet::get();
    let shape = &sheet.shape;
    let obs: Vec<Obs> = sheet
        .lines
        .iter()
        .zip(cues)
        .map(|(l, c)| Obs {
            len: len_bucket(l.chars),
            fill: fill_bucket(shape, l),
            deficit: deficit_bucket(shape, l),
            first: class(l.text.chars().next()),
            last: class(l.text.chars().next_back()),
            cues: *c,
            gap: l.gap.min(2),
            page_break: l.page_break,
            indented: l.indent > 0,
            ends: c.has(Cue::EndsSentence),
            chars: l.chars,
        })
        .collect();
    let page = page_kind(shape);
    let n = obs.len();
    let since = since_headline(&obs, shape);
    let mut out = LineFeatures { page, indices: Vec::with_capacity(n * 64), starts: Vec::with_capacity(n + 1) };
    out.starts.push(0);
    for i in 0..n {
        let v = &mut out.indices;
        let o = &obs[i];
        let prev = i.checked_sub(1).map(|k| &obs[k]);
        let next = obs.get(i + 1);
        let mut add = |t: T, value: usize| v.push(fs.index(t, value));
        // A neighbour's value, shifted past the `-` of a missing neighbour.
        let opt = |x: Option<&Obs>, f: fn(&Obs) -> usize| x.map_or(0, |o| f(o) + 1);
        add(T::Bias, 0);
        add(T::Page, page);
        if i == 0 {
            add(T::Edge, 0);
        }
        if i == 1 {
            add(T::Edge, 1);
        }
        if i + 1 == n {
            add(T::Edge, 2);
        }
        if i + 2 == n {
            add(T::Edge, 3);
        }
        add(T::LenPrev, opt(prev, |o| o.len));
        add(T::Len, o.len + 1);
        add(T::LenNext, opt(next, |o| o.len));
        add(T::FillPrev, opt(prev, |o| o.fill));
        add(T::Fill, o.fill + 1);
        add(T::FillNext, opt(next, |o| o.fill));
        add(T::DefPrev, opt(prev, |o| o.deficit));
        add(T::Def, o.deficit + 1);
        add(T::DefNext, opt(next, |o| o.deficit));
        add(T::FirstPrev, opt(prev, |o| o.first));
        add(T::First, o.first + 1);
        add(T::FirstNext, opt(next, |o| o.first));
        add(T::LastPrev, opt(prev, |o| o.last));
        add(T::Last, o.last + 1);
        add(T::LastNext, opt(next, |o| o.last));
        for (t, k) in [(T::CuePrev2, -2), (T::CuePrev, -1), (T::Cue, 0), (T::CueNext, 1), (T::CueNext2, 2)] {
            let Some(j) = i.checked_add_signed(k).filter(|j| *j < n) else { continue };
            for c in obs[j].cues.iter() {
                add(t, c as usize);
            }
        }
        add(T::Gap, o.gap + 1);
        add(T::GapNext, opt(next, |o| o.gap));
        if o.page_break {
            add(T::Break, 0);
        }
        if next.is_some_and(|x| x.page_break) {
            add(T::BreakNext, 0);
        }
        if o.indented {
            add(T::Indent, 0);
        }
        if next.is_some_and(|x| x.indented) {
            add(T::IndentNext, 0);
        }
        if i > 0 && word_cut(&sheet.lines[i - 1].text, &sheet.lines[i].text, lexicon) {
            add(T::WordCut, 0);
            add(T::PageWordCut, page);
        }
        let balanced = |a: &Obs, b: &Obs| {
            a.chars <= BALANCED_MAX_CHARS && b.chars <= BALANCED_MAX_CHARS && a.chars.abs_diff(b.chars) <= 1
        };
        if prev.is_some_and(|p| balanced(p, o)) {
            add(T::BalancedPrev, 0);
        }
        if next.is_some_and(|x| balanced(o, x)) {
            add(T::BalancedNext, 0);
        }
        let classes = CLASS.len() + 1;
        let lens = LEN.len() + 1;
        let defs = DEFICIT.len() + 1;
        let gaps = GAP.len() + 1;
        add(T::LastPrevFirst, opt(prev, |o| o.last) * classes + o.first + 1);
        add(T::DefPrevLastPrev, opt(prev, |o| o.deficit) * classes + opt(prev, |o| o.last));
        add(T::DefPrevDef, opt(prev, |o| o.deficit) * defs + o.deficit + 1);
        add(T::LenPrevLen, opt(prev, |o| o.len) * lens + o.len + 1);
        add(T::LenLenNext, (o.len + 1) * lens + opt(next, |o| o.len));
        add(T::PageGap, page * gaps + o.gap + 1);
        add(T::PageGapNext, page * gaps + opt(next, |o| o.gap));
        add(T::EndsPrevPageGap, (opt(prev, |o| usize::from(o.ends)) * PAGE.len() + page) * gaps + o.gap + 1);
        // Two and three lines up: the paragraph a caption or credit interrupts.
        let up2 = i.checked_sub(2).map(|k| &obs[k]);
        let up3 = i.checked_sub(3).map(|k| &obs[k]);
        add(T::Def2Last2, opt(up2, |o| o.deficit) * classes + opt(up2, |o| o.last));
        add(T::Def3Last3, opt(up3, |o| o.deficit) * classes + opt(up3, |o| o.last));
        add(T::LastPrevDef, opt(prev, |o| o.last) * defs + o.deficit + 1);
        add(
            T::EndsPrevDefPrevDef,
            (opt(prev, |o| usize::from(o.ends)) * defs + opt(prev, |o| o.deficit)) * defs + o.deficit + 1,
        );
        add(T::LastDefNext, (o.last + 1) * defs + opt(next, |o| o.deficit));
        // The text a picture interrupted: the line above the caption and
        // credit lines just above this one.
        let resume = resumed(&obs, i);
        add(T::ResumeLast, opt(resume.map(|k| &obs[k]), |o| o.last));
        if let Some(k) = resume
            && word_cut(&sheet.lines[k].text, &sheet.lines[i].text, lexicon)
        {
            add(T::ResumeWordCut, 0);
            add(T::PageResumeWordCut, page);
        }
        add(T::ResumeEndsFirst, opt(resume.map(|k| &obs[k]), |o| usize::from(o.ends)) * classes + o.first + 1);
        add(T::SinceHead, since[i]);
        add(T::PeopleCues, people_signature(o.cues));
        add(T::PeopleCuesPrev, prev.map_or(0, |p| people_signature(p.cues)));
        add(T::PeopleCuesNext, next.map_or(0, |x| people_signature(x.cues)));
        add(T::PageLastPrevFirst, (page * classes + opt(prev, |o| o.last)) * classes + o.first + 1);
        add(T::PageLenPrev, page * lens + opt(prev, |o| o.len));
        add(T::LenLast, (o.len + 1) * classes + o.last + 1);
        add(T::PageLen, page * lens + o.len + 1);
        for c in o.cues.iter() {
            add(T::PageCue, page * Cue::ALL.len() + c as usize);
            add(T::CueFirstPrev, c as usize * classes + opt(prev, |o| o.first));
        }
        out.starts.push(v.len());
    }
    out
}

/// Longest line that counts as headline-shaped for [`since_headline`].
const HEADLINE_SHAPE_MAX_CHARS: usize = 30;

/// For each line, how many lines up the last headline-shaped one is (short,
/// no sentence punctuation, no byline or picture cue): a subhead comes
/// after a stretch of text, the next article's headline may come after one
/// paragraph. Only on pages of one paragraph a line (index 0 elsewhere):
/// hard-wrapped lines are all short and open.
fn since_headline(obs: &[Obs], shape: &Shape) -> Vec<usize> {
    let mut out = Vec::with_capacity(obs.len());
    let mut last: Option<usize> = None;
    for (i, o) in obs.iter().enumerate() {
        let value = match (shape.column, last) {
            (Some(_), _) | (None, None) => 0,
            (None, Some(k)) => match i - k {
                1 => 1,
                2 => 2,
                3 => 3,
                4..=6 => 4,
                7..=12 => 5,
                _ => 6,
            },
        };
        out.push(value);
        let c = o.cues;
        let shaped = o.chars <= HEADLINE_SHAPE_MAX_CHARS
            && !o.ends
            && !c.has(Cue::EndsComma)
            && !c.has(Cue::InnerStop)
            && people_signature(c) == 0;
        if shaped {
            last = Some(i);
        }
    }
    out
}

/// The cues about people and pictures, read together: `本报记者 张三 摄` is a
/// byline line that ends like a credit, which neither cue says alone.
const PEOPLE_CUES: &[Cue] = &[
    Cue::DatelineLead,
    Cue::BylineLine,
    Cue::NameLine,
    Cue::CreditLine,
    Cue::EndsCredit,
    Cue::CaptionOpening,
    Cue::InlineCaption,
    Cue::Attribution,
    Cue::ReporterWord,
];

/// A line's [`PEOPLE_CUES`] as one value: the bits of the cues it carries.
fn people_signature(c: Cues) -> usize {
    PEOPLE_CUES.iter().enumerate().filter(|(_, q)| c.has(**q)).map(|(k, _)| 1 << k).sum()
}

/// The names of every combination of [`PEOPLE_CUES`].
fn people_signatures() -> Vec<String> {
    (0..1usize << PEOPLE_CUES.len())
        .map(|m| {
            let on: Vec<&str> =
                PEOPLE_CUES.iter().enumerate().filter(|(k, _)| m & (1 << k) != 0).map(|(_, c)| c.name()).collect();
            if on.is_empty() { "none".to_string() } else { on.join("+") }
        })
        .collect()
}

/// Lines a picture's caption and credit take between two pieces of a paragraph.
const PICTURE_MAX_LINES: usize = 3;
/// Longest line taken for part of a caption when looking past a picture.
const PICTURE_LINE_MAX_CHARS: usize = 60;

/// The line whose text a picture may have interrupted above line `i`: when
/// the line just above is a credit (`张三 摄`, `…。李四 摄`), the nearest line
/// above the credit and up to two caption lines; when it opens a caption
/// (`图为……`), the line above that.
fn resumed(obs: &[Obs], i: usize) -> Option<usize> {
    let credit = |o: &Obs| o.cues.has(Cue::CreditLine) || o.cues.has(Cue::EndsCredit) || o.cues.has(Cue::InlineCaption);
    let k = i.checked_sub(1)?;
    if obs[k].cues.has(Cue::CaptionOpening) {
        // A caption without a credit line (`图为……。`): the text goes on from above it.
        return k.checked_sub(1);
    }
    if !credit(&obs[k]) {
        return None;
    }
    let mut j = k;
    for _ in 0..PICTURE_MAX_LINES {
        j = j.checked_sub(1)?;
        let o = &obs[j];
        if o.cues.has(Cue::CaptionOpening) {
            // The caption's first line: the text goes on from the line above it.
            return j.checked_sub(1);
        }
        let caption_like = o.ends && o.chars <= PICTURE_LINE_MAX_CHARS && !credit(o);
        if !caption_like {
            return Some(j);
        }
    }
    None
}

/// Whether the last character of `above` and the first of `below` make a
/// word (`青` / `年学子`): a word cut in two by a line end.
fn word_cut(above: &str, below: &str, lexicon: &dyn Lexicon) -> bool {
    let (Some(l1), Some(f1)) = (above.chars().next_back(), below.chars().next()) else { return false };
    if !crate::core::text::is_cjk(l1) || !crate::core::text::is_cjk(f1) {
        return false;
    }
    let mut buf = [0u8; 12];
    let mut probe = |cs: &[char]| {
        let mut n = 0;
        for c in cs {
            n += c.encode_utf8(&mut buf[n..]).len();
        }
        lexicon.is_word(std::str::from_utf8(&buf[..n]).unwrap_or(""))
    };
    let f2 = below.chars().nth(1).filter(|c| crate::core::text::is_cjk(*c));
    let l2 = above.chars().rev().nth(1).filter(|c| crate::core::text::is_cjk(*c));
    probe(&[l1, f1]) || f2.is_some_and(|f2| probe(&[l1, f1, f2])) || l2.is_some_and(|l2| probe(&[l2, l1, f1]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::split::NoLexicon;
    use crate::core::split::cues::{CueWords, DEFAULT_LAYOUT_CUES, cues_of};
    use crate::core::split::lines::read;

    fn names_of(text: &str, line: usize) -> Vec<String> {
        let sheet = read(text);
        let words = CueWords::parse(DEFAULT_LAYOUT_CUES).unwrap();
        let cues = cues_of(sheet.lines.iter().map(|l| l.text.as_str()), &words);
        let f = features(&sheet, &cues, &NoLexicon);
        f.of(line).iter().map(|i| FeatureSet::get().name(*i as usize)).collect()
    }

    #[test]
    fn every_template_value_has_its_own_feature() {
        let fs = FeatureSet::get();
        let mut seen = std::collections::HashSet::new();
        for i in 0..fs.len() {
            assert!(seen.insert(fs.name(i)), "{} twice", fs.name(i));
        }
        assert_eq!(fs.fingerprint(), FeatureSet::get().fingerprint());
    }

    #[test]
    fn a_line_is_seen_with_its_neighbours() {
        let names = names_of("本报记者 张三\n\n近日，某县召开会议。\n", 1);
        for f in ["len=10-12", "cue@-1=byline-line", "cue=lead-word", "last=stop", "gap=1", "edge=last", "first@+1=-"] {
            assert!(names.iter().any(|n| n == f), "{f} in {names:?}");
        }
    }
}
