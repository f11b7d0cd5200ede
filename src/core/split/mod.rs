//! Split: a page dump into article drafts.
//!
//! Lines are classified on their own ([`classify`]), then a small state
//! machine walks them: a run of headline-like lines followed by a byline or a
//! dateline opens an article; bylines, captions and credits attach to the
//! article being built; a paragraph cut by a column gap is rejoined with the
//! line that continues it; a short text with a photo credit after a wide gap
//! becomes a photo item. Layout rules only: nothing here knows a paper.

pub mod classify;
pub mod people;
pub mod unwrap;

use classify::{Line, Role, is_column_label, open_quotes, title_with_column};

use crate::core::article::{Byline, Caption, Draft, Kind};
use crate::core::text::{char_len, close_gaps, ends_sentence, is_cjk, squeeze_spaces};

/// Tells whether a string is a dictionary word; used to see a word cut in two
/// by a column gap (`青` / `年学子`).
pub trait Lexicon {
    /// Whether `w` is a known word.
    fn is_word(&self, w: &str) -> bool;
}

/// A lexicon that knows no words (column gaps are then judged by punctuation alone).
pub struct NoLexicon;

impl Lexicon for NoLexicon {
    fn is_word(&self, _: &str) -> bool {
        false
    }
}

impl Lexicon for jieba_rs::Jieba {
    fn is_word(&self, w: &str) -> bool {
        self.has_word(w)
    }
}

/// Why a page yields no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// Nothing on the page looks like an article (no paragraph of Chinese text).
    #[error("no recognisable article in {lines} lines of text")]
    NoArticles {
        /// Non-empty lines on the page.
        lines: usize,
    },
}

/// The page cut up: its articles and the lines that belong to none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SplitPage {
    /// Article drafts in page order.
    pub articles: Vec<Draft>,
    /// Header, footer and navigation lines, and fragments that formed no article.
    pub furniture: Vec<String>,
    /// Each (logical) line of the page, the role it was given and its article.
    pub lines: Vec<LineFate>,
}

/// Where one line of the page went: `newsdesk parse --explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFate {
    /// The line (hard-wrapped lines rejoined).
    pub text: String,
    /// furniture, kicker, title, subtitle, column, byline, dateline, body,
    /// subhead, caption, credit or brief.
    pub role: &'static str,
    /// Index of the article it went to; `None` for furniture.
    pub article: Option<usize>,
}

/// Fewest Chinese characters a paragraph needs for its article to count.
const MIN_ARTICLE_CJK: usize = 8;
/// A photo item's text is short: at most this many paragraphs …
const PHOTO_MAX_PARAGRAPHS: usize = 3;
/// … and this many characters.
const PHOTO_MAX_CHARS: usize = 300;
/// A label above its own headline is a column label up to this length, else a kicker.
const OWN_COLUMN_MAX_CHARS: usize = 4;
/// A paragraph that a credit line turns into a caption is at most this long.
const CAPTION_MAX_CHARS: usize = 80;

#[derive(Debug, Clone)]
struct Para {
    text: String,
    subhead: bool,
    /// Blank lines above its first line.
    gap: usize,
    /// The page lines its text came from (it may move to another builder).
    lines: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
struct Builder {
    d: Draft,
    paras: Vec<Para>,
    brief: bool,
    column_own_line: bool,
    /// Where a photo item might start: the first paragraph after a wide gap.
    photo_mark: Option<usize>,
    /// Position on the page (articles reopened across a page jump keep theirs).
    order: usize,
    /// Ended with a jump line (`（下转第8版）`): continued after `（上接…）`.
    jumped: bool,
    /// Page lines it took that are in no paragraph (captions, credits, datelines).
    lines: Vec<usize>,
}

impl Builder {
    fn body_started(&self) -> bool {
        !self.paras.is_empty()
    }

    /// The last paragraph stops mid-sentence: the next text line continues it.
    fn last_open(&self) -> bool {
        self.paras.last().is_some_and(|p| !p.subhead && !ends_sentence(&p.text))
    }

    fn push_para(&mut self, text: &str, gap: usize, line: usize) {
        let after_sentence = self.paras.last().is_some_and(|p| ends_sentence(&p.text));
        let wide_gap = gap >= 2 && after_sentence;
        // A dated news item does not open a later paragraph like a lead (近日，…):
        // such text is likely the next item, a photo item when a credit follows.
        let second_lead = self.d.heads.dateline.is_some()
            && self.paras.len() >= 2
            && after_sentence
            && classify::opens_news_lead(text);
        if wide_gap || second_lead {
            self.photo_mark = Some(self.paras.len());
        }
        self.paras.push(Para { text: text.to_string(), subhead: false, gap, lines: vec![line] });
    }

    fn append(&mut self, text: &str, line: usize) {
        if let Some(p) = self.paras.last_mut() {
            p.text.push_str(text);
            p.lines.push(line);
        }
    }

    fn push_subhead(&mut self, text: &str) {
        let t = squeeze_spaces(text);
        self.d.subheads.push(t.clone());
        self.paras.push(Para { text: t, subhead: true, gap: 0, lines: Vec::new() });
    }

    fn authors_only(&self) -> bool {
        let b = &self.d.byline;
        !b.authors.is_empty()
            && b.reporters.is_empty()
            && b.correspondents.is_empty()
            && self.d.heads.dateline.is_none()
    }

    fn has_people(&self) -> bool {
        let b = &self.d.byline;
        !(b.reporters.is_empty() && b.correspondents.is_empty() && b.authors.is_empty())
    }

    fn add_caption(&mut self, text: String, credit: Option<String>, photographers: Vec<String>) {
        add_unique(&mut self.d.byline.photographers, photographers);
        self.d.captions.push(Caption { text, credit });
    }

    fn finish(mut self) -> Draft {
        self.d.paragraphs = self.paras.iter().map(|p| p.text.clone()).collect();
        self.d.kind = Some(self.kind());
        self.d
    }

    fn kind(&self) -> Kind {
        let d = &self.d;
        let paras = self.paras.iter().filter(|p| !p.subhead).count();
        if self.brief {
            Kind::Brief
        } else if d.heads.title.is_none() && !d.captions.is_empty() {
            Kind::Photo
        } else if d.heads.dateline.is_some() {
            Kind::News
        } else if d.heads.column.is_some() && self.authors_only() {
            if self.column_own_line { Kind::Column } else { Kind::Commentary }
        } else if !d.subheads.is_empty()
            || d.heads.column.is_some()
            || (d.heads.kicker.is_some() && paras >= 8)
            || paras >= 15
        {
            Kind::Feature
        } else {
            Kind::News
        }
    }

    /// Whether the draft holds a real article (some Chinese prose or a photo).
    fn recognisable(&self) -> bool {
        let prose =
            self.paras.iter().any(|p| !p.subhead && p.text.chars().filter(|c| is_cjk(*c)).count() >= MIN_ARTICLE_CJK);
        prose || (!self.d.captions.is_empty() && self.d.captions.iter().any(|c| char_len(&c.text) >= MIN_ARTICLE_CJK))
    }

    /// Every piece of text the builder holds, for the furniture list when it is dropped.
    fn texts(&self) -> Vec<String> {
        let d = &self.d;
        let h = &d.heads;
        let column = h.column.iter().filter(|_| !self.brief);
        [&h.kicker, &h.title, &h.subtitle, &h.dateline]
            .into_iter()
            .flatten()
            .chain(column)
            .cloned()
            .chain(d.byline.printed.iter().cloned())
            .chain(self.paras.iter().map(|p| p.text.clone()))
            .chain(d.captions.iter().flat_map(|c| std::iter::once(c.text.clone()).chain(c.credit.clone())))
            .filter(|t| !t.is_empty())
            .collect()
    }
}

fn add_unique(list: &mut Vec<String>, names: Vec<String>) {
    for n in names {
        if !list.contains(&n) {
            list.push(n);
        }
    }
}

fn merge_byline(into: &mut Byline, from: Byline) {
    into.printed.extend(from.printed);
    add_unique(&mut into.reporters, from.reporters);
    add_unique(&mut into.correspondents, from.correspondents);
    add_unique(&mut into.authors, from.authors);
    add_unique(&mut into.photographers, from.photographers);
    add_unique(&mut into.contributors, from.contributors);
}

/// Splits a page's text into article drafts.
///
/// # Errors
/// [`SplitError::NoArticles`] when no part of the page reads as an article.
pub fn split(text: &str, lexicon: &dyn Lexicon) -> Result<SplitPage, SplitError> {
    let lines = classify::lines(text);
    let blank_separated = lines.iter().filter(|l| l.gap > 0).count() * 5 >= lines.len();
    let mut s = Splitter {
        lines: &lines,
        blank_separated,
        lexicon,
        done: Vec::new(),
        cur: None,
        furniture: Vec::new(),
        next_order: 0,
        brief_label: None,
        fates: vec![None; lines.len()],
    };
    s.run();
    let Splitter { done, cur, mut furniture, fates, .. } = s;
    let mut builders: Vec<Builder> = done.into_iter().chain(cur).collect();
    builders.sort_by_key(|b| b.order);
    let mut articles = Vec::new();
    let mut index_of = foldhash::HashMap::default();
    for b in builders {
        if b.recognisable() {
            index_of.insert(b.order, articles.len());
            articles.push(b.finish());
        } else {
            furniture.extend(b.texts());
        }
    }
    if articles.is_empty() {
        return Err(SplitError::NoArticles { lines: lines.len() });
    }
    let lines = lines
        .iter()
        .zip(fates)
        .map(|(l, f)| {
            let (role, order) = f.unwrap_or(("furniture", None));
            let article = order.and_then(|o| index_of.get(&o).copied());
            LineFate { text: l.text.clone(), role: if article.is_none() { "furniture" } else { role }, article }
        })
        .collect();
    Ok(SplitPage { articles, furniture, lines })
}

struct Splitter<'a> {
    lines: &'a [Line],
    /// Whether blank lines set the page's blocks apart (most dumps) or not (indented dumps).
    blank_separated: bool,
    lexicon: &'a dyn Lexicon,
    done: Vec<Builder>,
    cur: Option<Builder>,
    next_order: usize,
    furniture: Vec<String>,
    /// The label of a news-in-brief block (`要闻简报`), column of its `◆` items.
    brief_label: Option<String>,
    /// Per line: its role and the order of the builder it went to.
    fates: Vec<Option<(&'static str, Option<usize>)>>,
}

impl Splitter<'_> {
    fn run(&mut self) {
        let mut i = 0;
        while i < self.lines.len() {
            let next = self.step(i);
            for k in i..next.max(i + 1) {
                if self.fates[k].is_none() {
                    self.fates[k] = Some(self.fate_of(k));
                }
            }
            i = next;
        }
        self.place_moved_lines();
    }

    /// The role line `k` took and the builder it went to, read off the builders.
    fn fate_of(&self, k: usize) -> (&'static str, Option<usize>) {
        let line = &self.lines[k];
        let text = &line.text;
        let all = self.done.iter().chain(self.cur.as_ref()).rev();
        let role = match &line.role {
            Role::Furniture => return ("furniture", None),
            Role::Caption { .. } => "caption",
            Role::Credit { .. } => "credit",
            // Bylines join the article being built and never move.
            Role::Byline(_) | Role::Names(_) | Role::Attribution { .. } => {
                return ("byline", self.cur.as_ref().map(|b| b.order));
            }
            Role::Dateline(_) => "dateline",
            Role::Brief(_) => "brief",
            Role::Body(_) => "body",
            Role::Head(_) | Role::Subtitle(_) => {
                let bare = close_gaps(text.trim_start_matches(['—', '-']));
                for b in all.clone() {
                    let h = &b.d.heads;
                    let has = |f: &Option<String>| f.as_deref().is_some_and(|v| close_gaps(v).contains(&bare));
                    let role = if has(&h.title) || h.title.as_deref().is_some_and(|t| !t.is_empty() && bare.contains(t))
                    {
                        Some("title")
                    } else if has(&h.kicker) {
                        Some("kicker")
                    } else if has(&h.subtitle) {
                        Some("subtitle")
                    } else if has(&h.column) || bare.contains(h.column.as_deref().unwrap_or("\u{0}")) {
                        Some("column")
                    } else if b.d.subheads.iter().any(|x| close_gaps(x) == bare) {
                        Some("subhead")
                    } else if b.paras.iter().any(|p| p.text.contains(text.as_str())) {
                        // Text that looked like a headline: placed at the end, like all body text.
                        return ("body", None);
                    } else {
                        None
                    };
                    if let Some(r) = role {
                        return (r, Some(b.order));
                    }
                }
                if self.brief_label.as_deref() == Some(bare.as_str()) {
                    // The label of a news-in-brief block: column of the items below it.
                    return ("column", Some(self.next_order));
                }
                "body"
            }
        };
        // Body text and captions may still move (photo items, jumps): placed at the end.
        (role, None)
    }

    /// After the walk: the builder holding each body, caption, credit or
    /// dateline line. Each builder recorded the lines it took, and paragraphs
    /// carry theirs when they move to another (photo items).
    fn place_moved_lines(&mut self) {
        for b in self.done.iter().chain(self.cur.as_ref()) {
            for &k in b.lines.iter().chain(b.paras.iter().flat_map(|p| &p.lines)) {
                if let Some((role, None)) = self.fates[k]
                    && role != "furniture"
                {
                    self.fates[k] = Some((role, Some(b.order)));
                }
            }
        }
    }

    fn start(&mut self, mut b: Builder) {
        if let Some(prev) = self.cur.take() {
            self.done.push(prev);
        }
        b.order = self.next_order;
        self.next_order += 1;
        self.cur = Some(b);
    }

    fn cur(&mut self) -> &mut Builder {
        if self.cur.is_none() {
            self.start(Builder::default());
        }
        self.cur.as_mut().expect("just started")
    }

    /// A jump line: `（下转第8版）` marks the current article as continued;
    /// `（上接第7版）` reopens the last article so marked (a repeated headline
    /// printed just above the jump line is dropped to the furniture).
    fn jump(&mut self, text: &str) {
        if classify::is_jump_out(text) {
            if let Some(b) = self.cur.as_mut() {
                b.jumped = true;
            }
            return;
        }
        if !classify::is_jump_in(text) {
            return;
        }
        let Some(pos) = self.done.iter().rposition(|b| b.jumped) else { return };
        let mut reopened = self.done.remove(pos);
        reopened.jumped = false;
        if let Some(cur) = self.cur.take() {
            if cur.body_started() || cur.has_people() {
                self.done.push(cur);
            } else {
                self.furniture.extend(cur.texts());
            }
        }
        self.cur = Some(reopened);
    }

    /// Handles the line at `i`; returns the index of the next unhandled line.
    fn step(&mut self, i: usize) -> usize {
        let line = &self.lines[i];
        match &line.role {
            Role::Furniture => {
                self.furniture.push(line.text.clone());
                self.jump(&line.text);
            }
            Role::Brief(t) => {
                let mut b = Builder { brief: true, ..Builder::default() };
                b.d.heads.column = self.brief_label.clone();
                let (head, rest) = match t.split_once(['　', ' ']) {
                    Some((h, r)) if !r.trim().is_empty() => (h, Some(r.trim())),
                    _ => (t.as_str(), None),
                };
                // `◆标题 正文` or `◆标题` (text on the next lines) or `◆正文。`
                if char_len(head) <= classify::HEAD_MAX_CHARS && matches!(classify::classify(head), Role::Head(_)) {
                    b.d.heads.title = Some(close_gaps(head));
                    match rest {
                        Some(rest) => match people::dateline_lead(rest) {
                            Some(d) => {
                                b.d.heads.dateline = Some(d.dateline);
                                merge_byline(&mut b.d.byline, d.byline);
                                b.push_para(&d.rest, 0, i);
                            }
                            None => b.push_para(rest, 0, i),
                        },
                        None => b.lines.push(i),
                    }
                } else {
                    b.push_para(t, 0, i);
                }
                self.start(b);
            }
            Role::Credit { credit, photographers } => self.credit(credit.clone(), photographers.clone(), i),
            Role::Caption { text, credit, photographers } => {
                let mut credit = credit.clone();
                let mut photographers = photographers.clone();
                let mut next = i + 1;
                if credit.is_none()
                    && let Some(Line { role: Role::Credit { credit: c, photographers: p }, .. }) = self.lines.get(i + 1)
                {
                    credit = Some(c.clone());
                    photographers = p.clone();
                    next = i + 2;
                }
                self.caption(text.clone(), credit, photographers, i..next);
                return next;
            }
            Role::Attribution { names, contributed } => {
                let b = self.cur();
                b.d.byline.printed.push(line.text.clone());
                if *contributed || b.has_people() {
                    add_unique(&mut b.d.byline.contributors, names.clone());
                } else {
                    add_unique(&mut b.d.byline.authors, names.clone());
                }
            }
            Role::Dateline(d) => {
                let fresh = self.cur.as_ref().is_none_or(|b| b.body_started() || b.d.heads.dateline.is_some());
                if fresh {
                    self.start(Builder::default());
                }
                let b = self.cur();
                b.d.heads.dateline = Some(d.dateline.clone());
                merge_byline(&mut b.d.byline, d.byline.clone());
                if d.rest.is_empty() {
                    b.lines.push(i);
                } else {
                    b.push_para(&d.rest, line.gap, i);
                }
            }
            Role::Byline(by) => {
                let fresh = self.cur.as_ref().is_none_or(|b| b.body_started() && b.has_people());
                if fresh {
                    self.start(Builder::default());
                }
                let b = self.cur();
                merge_byline(&mut b.d.byline, by.clone());
                b.d.byline.printed.push(line.text.clone());
            }
            Role::Names(names) => {
                let under_head = self
                    .cur
                    .as_ref()
                    .is_some_and(|b| !b.body_started() && b.d.heads.title.is_some() && !b.has_people());
                if under_head {
                    let b = self.cur();
                    add_unique(&mut b.d.byline.authors, names.clone());
                    b.d.byline.printed.push(line.text.clone());
                } else {
                    return self.head(i);
                }
            }
            Role::Subtitle(_) | Role::Head(_) => return self.head(i),
            Role::Body(t) => self.body(t, line.gap, i),
        }
        i + 1
    }

    fn body(&mut self, t: &str, gap: usize, line: usize) {
        let b = self.cur();
        if b.last_open() {
            b.append(t, line);
        } else {
            b.push_para(t, gap, line);
        }
    }

    /// A credit line (line `line`): the credit of the caption just above, or
    /// a caption of its own with the short paragraph above as its text.
    fn credit(&mut self, credit: String, photographers: Vec<String>, line: usize) {
        let Some(b) = self.cur.as_mut() else {
            self.furniture.push(credit);
            return;
        };
        // A caption printed just before, still without credit, takes it.
        if let Some(c) = b.d.captions.last_mut().filter(|c| c.credit.is_none()) {
            c.credit = Some(credit);
            add_unique(&mut b.d.byline.photographers, photographers);
            b.lines.push(line);
            return;
        }
        // Otherwise the short paragraph just above is the caption's text.
        let n = b.paras.len();
        let candidate = b.paras.last().is_some_and(|p| {
            !p.subhead && char_len(&p.text) <= CAPTION_MAX_CHARS && ends_sentence(&p.text) && (n == 1 || p.gap >= 2)
        });
        let para = if candidate { b.paras.pop() } else { None };
        if candidate && b.photo_mark == Some(b.paras.len()) {
            b.photo_mark = None;
        }
        let (text, mut lines) = para.map(|p| (p.text, p.lines)).unwrap_or_default();
        lines.push(line);
        self.caption(text, Some(credit), photographers, lines);
    }

    /// A caption made of `lines`, in the photo item it closes or the current article.
    fn caption(
        &mut self,
        text: String,
        credit: Option<String>,
        photographers: Vec<String>,
        lines: impl IntoIterator<Item = usize>,
    ) {
        self.split_photo_item(!photographers.is_empty() || credit.is_some());
        let b = self.cur();
        b.add_caption(text, credit, photographers);
        b.lines.extend(lines);
    }

    /// A short text after a wide gap, closed by a credited caption, is a photo
    /// item of its own, not the end of the article above it.
    fn split_photo_item(&mut self, credited: bool) {
        let Some(b) = self.cur.as_mut() else { return };
        let Some(mark) = b.photo_mark else { return };
        let tail = &b.paras[mark..];
        let short = (1..=PHOTO_MAX_PARAGRAPHS).contains(&tail.len())
            && tail.iter().all(|p| !p.subhead)
            && tail.iter().map(|p| char_len(&p.text)).sum::<usize>() <= PHOTO_MAX_CHARS;
        if !(credited && short && mark > 0) {
            return;
        }
        let paras = b.paras.split_off(mark);
        b.photo_mark = None;
        self.start(Builder { paras, ..Builder::default() });
    }

    /// A line whose text continues past a column gap although it looks like a headline.
    fn broken_body(&self, i: usize) -> bool {
        let Some(b) = self.cur.as_ref() else { return false };
        if !b.body_started() {
            return false;
        }
        let t = &self.lines[i].text;
        if open_quotes(t) > 0 {
            return true;
        }
        let Some(Line { role: Role::Body(next), .. }) = self.lines.get(i + 1) else { return false };
        if !t.contains(['，', ',']) {
            return false;
        }
        let tail: Vec<char> = t.chars().rev().take(2).collect();
        let head: Vec<char> = next.chars().take(2).collect();
        let (Some(&l1), Some(&f1)) = (tail.first(), head.first()) else { return false };
        let mut probes = vec![format!("{l1}{f1}")];
        if let Some(&f2) = head.get(1) {
            probes.push(format!("{l1}{f1}{f2}"));
        }
        if let Some(&l2) = tail.get(1) {
            probes.push(format!("{l2}{l1}{f1}"));
        }
        probes.iter().any(|w| self.lexicon.is_word(w))
    }

    /// The run of headline-like lines at `i` and whether it opens an article.
    fn head_run(&self, i: usize) -> (usize, bool) {
        let mut j = i;
        let mut names = false;
        let mut subtitle_after_head = false;
        let mut titled_column = false;
        let mut heads = 0;
        while let Some(line) = self.lines.get(j) {
            match &line.role {
                Role::Head(t) => {
                    heads += 1;
                    titled_column |= title_with_column(t).is_some();
                }
                Role::Subtitle(_) => subtitle_after_head |= heads > 0,
                Role::Names(_) if heads > 0 => {
                    names = true;
                    j += 1;
                    break;
                }
                _ => break,
            }
            j += 1;
        }
        let mut k = j;
        while matches!(self.lines.get(k).map(|l| &l.role), Some(Role::Caption { .. } | Role::Credit { .. })) {
            k += 1;
        }
        let next = self.lines.get(k).map(|l| &l.role);
        let followed = matches!(next, Some(Role::Byline(_) | Role::Dateline(_)));
        // A dated news item has no subheads: a headline after its text opens the next item.
        let after_news = self.cur.as_ref().is_some_and(|b| b.d.heads.dateline.is_some() && b.body_started());
        // Text that opens like a news lead (近日，/日前，) under a headline starts an item.
        let lead = matches!(next, Some(Role::Body(t)) if classify::opens_news_lead(t));
        let hard = names || subtitle_after_head || titled_column || followed;
        // The soft signals yield to text cut by a column gap.
        let soft = (after_news || lead) && !self.cur.as_ref().is_some_and(Builder::last_open) && !self.broken_body(i);
        (j, hard || soft)
    }

    fn head(&mut self, i: usize) -> usize {
        let (end, opens) = self.head_run(i);
        let line = &self.lines[i];
        // A label right above `◆` items names the news-in-brief block.
        if matches!(self.lines.get(i + 1).map(|l| &l.role), Some(Role::Brief(_))) && matches!(line.role, Role::Head(_))
        {
            // The label goes to the furniture once; each item repeats it as its column.
            self.brief_label = Some(close_gaps(&line.text));
            self.furniture.push(line.text.clone());
            self.fates[i] = Some(("furniture", None));
            return i + 1;
        }
        let text = match &line.role {
            Role::Head(t) | Role::Subtitle(t) => t.clone(),
            _ => line.text.clone(),
        };
        if !opens {
            if let Some(b) = self.cur.as_mut().filter(|b| b.last_open()) {
                b.append(&line.text, i);
                return i + 1;
            }
            if self.broken_body(i) {
                self.cur().push_para(&line.text, line.gap, i);
                return i + 1;
            }
            let last_on_page = end >= self.lines.len() || self.head_run(end).1;
            if let Some(b) = self.cur.as_mut() {
                if !b.body_started() && (b.d.heads.title.is_some() || b.has_people()) {
                    under_byline(b, &line.role, &text);
                } else if b.body_started() {
                    if is_column_label(&text) && last_on_page && b.d.heads.column.is_none() && !b.brief && end == i + 1
                    {
                        b.d.heads.column = Some(text);
                        b.column_own_line = true;
                    } else {
                        b.push_subhead(&line.text);
                    }
                } else {
                    return self.open_article(i, end.max(i + 1));
                }
                return i + 1;
            }
        }
        self.open_article(i, end.max(i + 1))
    }

    /// Opens an article from the headline run `[i, end)`.
    fn open_article(&mut self, i: usize, end: usize) -> usize {
        self.brief_label = None;
        let run = &self.lines[i..end];
        let mut b = Builder::default();
        let mut heads: Vec<String> = Vec::new();
        let mut subtitles: Vec<String> = Vec::new();
        for (k, line) in run.iter().enumerate() {
            match &line.role {
                Role::Head(t) if k == 0 && run.len() >= 2 && is_column_label(t) => {
                    // A label above a headline: the column of the article above
                    // when that one is signed and has none, else of this one.
                    let prev = self
                        .cur
                        .as_mut()
                        .filter(|p| p.d.heads.column.is_none() && p.authors_only() && p.body_started());
                    match prev {
                        Some(p) => {
                            p.d.heads.column = Some(t.clone());
                            p.column_own_line = true;
                        }
                        // Above its own headline only a very short label is a
                        // column (`史海钩沉`); a longer one is a kicker (`聚焦民生实事`).
                        None if char_len(t) <= OWN_COLUMN_MAX_CHARS => {
                            b.d.heads.column = Some(t.clone());
                            b.column_own_line = true;
                        }
                        None => heads.push(t.clone()),
                    }
                }
                // On a page whose blocks are set apart by blank lines, headline
                // lines with none between them are one headline broken over lines.
                Role::Head(t)
                    if k > 0
                        && line.gap == 0
                        && self.blank_separated
                        && matches!(run[k - 1].role, Role::Head(_))
                        && !heads.is_empty() =>
                {
                    if let Some(last) = heads.last_mut() {
                        last.push_str(t);
                    }
                }
                Role::Head(t) => heads.push(t.clone()),
                Role::Subtitle(t) => subtitles.push(t.clone()),
                Role::Names(n) => {
                    add_unique(&mut b.d.byline.authors, n.clone());
                    b.d.byline.printed.push(line.text.clone());
                }
                _ => heads.push(line.text.clone()),
            }
        }
        assign_heads(&mut b, heads);
        if !subtitles.is_empty() {
            // Dash subtitles come first; a long line after the title joins them.
            subtitles.extend(b.d.heads.subtitle.take());
            b.d.heads.subtitle = Some(squeeze_spaces(&subtitles.join(" ")));
        }
        self.start(b);
        end
    }
}

/// Places a headline-like line printed between the byline and the body:
/// a subtitle (long, with commas), a kicker banner, or a subhead.
fn under_byline(b: &mut Builder, role: &Role, text: &str) {
    let n = char_len(text);
    if matches!(role, Role::Subtitle(_)) && b.d.heads.subtitle.is_none() {
        b.d.heads.subtitle = Some(squeeze_spaces(text));
    } else if text.starts_with('【') {
        b.push_subhead(text);
    } else if b.d.heads.subtitle.is_none() && text.contains(['，', ',']) && n >= 16 {
        b.d.heads.subtitle = Some(squeeze_spaces(text));
    } else if b.d.heads.kicker.is_none() {
        b.d.heads.kicker = Some(squeeze_spaces(text));
    } else {
        b.push_subhead(text);
    }
}

/// Assigns kicker, title, subtitle and column from the headline lines of a run.
fn assign_heads(b: &mut Builder, mut heads: Vec<String>) {
    if heads.is_empty() {
        return;
    }
    if let Some(pos) = heads.iter().position(|h| title_with_column(h).is_some()) {
        let after: Vec<String> = heads.split_off(pos + 1);
        let line = heads.pop().unwrap_or_default();
        match title_with_column(&line) {
            // A column given on its own line already: the brackets stay in the title.
            Some(_) if b.d.heads.column.is_some() => b.d.heads.title = Some(close_gaps(&line)),
            Some((title, column)) => {
                b.d.heads.title = Some(close_gaps(&title));
                b.d.heads.column = Some(column);
            }
            None => b.d.heads.title = Some(close_gaps(&line)),
        }
        if !heads.is_empty() {
            b.d.heads.kicker = Some(squeeze_spaces(&heads.join(" ")));
        }
        if !after.is_empty() {
            b.d.heads.subtitle = Some(squeeze_spaces(&after.join(" ")));
        }
        return;
    }
    let long_after = |a: &str, z: &str| {
        let (la, lz) = (char_len(a), char_len(z));
        lz >= 20 && lz * 2 >= la * 3
    };
    let n = heads.len();
    if n >= 2 && long_after(&heads[n - 2], &heads[n - 1]) {
        b.d.heads.subtitle = Some(squeeze_spaces(&heads[n - 1]));
        heads.pop();
    }
    let title = heads.pop().unwrap_or_default();
    b.d.heads.title = Some(close_gaps(&title));
    if !heads.is_empty() {
        b.d.heads.kicker = Some(squeeze_spaces(&heads.join(" ")));
    }
}

/// Layout marks the splitter may strip: the brackets around column labels,
/// credits and attributions, the dash before a subtitle, the bullet of a brief.
pub const LAYOUT_MARKS: &[char] = &['（', '）', '(', ')', '—', '-', '◆', '◇', '■', '●'];

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

#[cfg(test)]
mod tests;
