//! Assemble: the page's blocks, in order, into article drafts — one small
//! state machine over the roles the labeler gave.
//!
//! A headline block (column label, kicker, title, subtitle) after an
//! article's text opens the next article; bylines, datelines, paragraphs,
//! subheads, captions and credits go to the article being built; a bullet
//! opens a news-in-brief item; a short text closed by a credited caption
//! after a wide gap is a photo item of its own; `（下转…）` / `（上接…）`
//! carry an article across pages. Where each line went is recorded when its
//! block is placed.

use std::sync::LazyLock;

use regex::Regex;

use super::cues::{BULLETS, CueWords, WEB_BULLETS};
use super::people::{self, DatelineLead};
use super::roles::Role;
use super::unwrap::Block;
use crate::core::article::{Byline, Caption, Draft, Kind};
use crate::core::text::{char_len, close_gaps, ends_sentence, is_cjk, squeeze_spaces, trim};

/// The author a web page's metadata bar names (`作者:丁一`, `记者:张三、李四`).
static METADATA_AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:作者|记者|文)\s*[:：]\s*(?P<names>[\p{Han}·]{2,4}(?:、[\p{Han}·]{2,4})*)").unwrap()
});

/// Fewest Chinese characters a paragraph needs for its article to count.
const MIN_ARTICLE_CJK: usize = 8;
/// A photo item's text is short: at most this many paragraphs …
const PHOTO_MAX_PARAGRAPHS: usize = 3;
/// … and this many characters.
const PHOTO_MAX_CHARS: usize = 300;
/// A paragraph that a credit line turns into a caption is at most this long.
const CAPTION_MAX_CHARS: usize = 80;
/// Blank lines above a paragraph that set it apart as a new item (a photo
/// item under the article above) when the paragraph above ended a sentence.
const WIDE_GAP: usize = 2;
/// Longest standing column label, in characters (`廉洁史话`, `人民论坛`).
pub const COLUMN_LABEL_MAX_CHARS: usize = 6;
/// Longest `◆` headline before the item's text on the same line.
const BRIEF_TITLE_MAX_CHARS: usize = 40;

/// Where one line of the page went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fate {
    /// The role of the block it is part of.
    pub role: Role,
    /// The builder (article in the making) it went to; `None` for furniture.
    pub builder: Option<usize>,
}

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
}

impl Builder {
    fn body_started(&self) -> bool {
        !self.paras.is_empty()
    }

    /// Whether the text so far holds more than headlines: paragraphs or pictures.
    fn has_content(&self) -> bool {
        self.body_started() || !self.d.captions.is_empty()
    }

    fn has_people(&self) -> bool {
        let b = &self.d.byline;
        !(b.reporters.is_empty() && b.correspondents.is_empty() && b.authors.is_empty())
    }

    fn authors_only(&self) -> bool {
        let b = &self.d.byline;
        !b.authors.is_empty()
            && b.reporters.is_empty()
            && b.correspondents.is_empty()
            && self.d.heads.dateline.is_none()
    }

    fn push_para(&mut self, text: &str, gap: usize, lines: &[usize]) {
        let after_sentence = self.paras.last().is_some_and(|p| ends_sentence(&p.text));
        let wide_gap = gap >= WIDE_GAP && after_sentence;
        // A dated news item does not open a later paragraph like a lead (近日，…):
        // such text is likely the next item, a photo item when a credit follows.
        let second_lead =
            self.d.heads.dateline.is_some() && self.paras.len() >= 2 && after_sentence && opens_news_lead(text);
        if wide_gap || second_lead {
            self.photo_mark = Some(self.paras.len());
        }
        self.paras.push(Para { text: text.to_string(), subhead: false, gap, lines: lines.to_vec() });
    }

    fn add_caption(&mut self, text: String, credit: Option<String>, photographers: Vec<String>) {
        add_unique(&mut self.d.byline.photographers, photographers);
        self.d.captions.push(Caption { text, credit });
    }

    fn kind(&self) -> Kind {
        let d = &self.d;
        let paras = self.paras.iter().filter(|p| !p.subhead).count();
        if self.brief {
            Kind::Brief
        } else if d.heads.title.is_none()
            && (!d.captions.is_empty() || (!d.byline.photographers.is_empty() && !self.has_people()))
        {
            // Text under a picture without a headline: captioned, or signed
            // by the photographer alone.
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
        prose || self.d.captions.iter().any(|c| char_len(&c.text) >= MIN_ARTICLE_CJK)
    }

    /// A byline printed at the end of the last paragraph (`……。（记者 张三）`)
    /// moves to the byline.
    fn take_end_byline(&mut self) {
        let Some(p) = self.paras.iter_mut().rev().find(|p| !p.subhead) else { return };
        let Some((text, printed)) = people::end_byline(&p.text) else { return };
        let by = people::parse_printed(&printed);
        p.text = text;
        merge_byline(&mut self.d.byline, by);
        self.d.byline.printed.push(printed);
    }

    fn finish(mut self) -> Draft {
        self.take_end_byline();
        self.d.paragraphs = self.paras.iter().map(|p| p.text.clone()).collect();
        self.d.kind = Some(self.kind());
        self.d
    }

    /// Every piece of text the builder holds, for the furniture when it is dropped.
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

/// Whether a paragraph opens the way news leads do (`近日，`, `日前，`).
pub fn opens_news_lead(t: &str) -> bool {
    ["近日，", "近日,", "日前，", "日前,"].iter().any(|p| t.starts_with(p))
}

/// Whether a line can be a standing column label: a short run of Chinese
/// characters (`廉洁史话`, `【纵横谈】`).
pub fn is_column_label(t: &str) -> bool {
    let inner = t.trim_start_matches(['【', '[', '〔']).trim_end_matches(['】', ']', '〕']);
    let n = char_len(inner);
    (2..=COLUMN_LABEL_MAX_CHARS).contains(&n) && inner.chars().all(|c| is_cjk(c) || c == '·')
}

/// Splits `标题（栏目）` into title and column label.
pub fn title_with_column(t: &str) -> Option<(String, String)> {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?P<title>.{4,}?)\s*[（(](?P<col>[^（）()]{2,24})[）)]$").unwrap());
    if !t.ends_with(['）', ')']) {
        return None;
    }
    let c = RE.captures(t)?;
    let col = &c["col"];
    // A column label is words, not a figure or a note (`（2025年）`, `（上）`).
    let words = col.chars().filter(|c| is_cjk(*c)).count();
    (words >= 2 && !col.chars().any(|c| c.is_ascii_digit()) && !matches!(col, "上" | "下" | "中"))
        .then(|| (trim(&c["title"]).to_string(), col.to_string()))
}

/// The page assembled: drafts with their builders' order, the furniture, and
/// each line's fate.
#[derive(Debug, Clone, Default)]
pub struct Assembled {
    /// Article drafts in page order.
    pub articles: Vec<Draft>,
    /// Header, footer and navigation lines, and fragments that formed no article.
    pub furniture: Vec<String>,
    /// Each page line's role and article index (`None` for furniture).
    pub lines: Vec<(Role, Option<usize>)>,
}

/// Assembles the blocks of a page of `lines` lines into drafts; `cues`
/// finds web chrome glued to a headline.
pub fn assemble(blocks: &[Block], lines: usize, cues: &CueWords) -> Assembled {
    let mut a = Assembler {
        cues,
        done: Vec::new(),
        cur: None,
        next_order: 0,
        furniture: Vec::new(),
        brief_label: None,
        fates: vec![Fate { role: Role::Furniture, builder: None }; lines],
    };
    for (i, b) in blocks.iter().enumerate() {
        a.place(b, blocks.get(i + 1));
    }
    let Assembler { done, cur, mut furniture, mut fates, .. } = a;
    let mut builders: Vec<Builder> = done.into_iter().chain(cur).collect();
    builders.sort_by_key(|b| b.order);
    let mut articles = Vec::new();
    let mut index_of = foldhash::HashMap::default();
    for mut b in builders {
        if b.recognisable() {
            // A headline printed alone is the title, whatever its place
            // suggested (a kicker with no title under it).
            if b.d.heads.title.is_none() && b.d.heads.kicker.is_some() && !b.brief {
                b.d.heads.title = b.d.heads.kicker.take().map(|k| close_gaps(&k));
                for f in fates.iter_mut().filter(|f| f.builder == Some(b.order) && f.role == Role::Kicker) {
                    f.role = Role::Title;
                }
            }
            index_of.insert(b.order, articles.len());
            articles.push(b.finish());
        } else {
            furniture.extend(b.texts());
        }
    }
    let lines = fates
        .into_iter()
        .map(|f| match f.builder.and_then(|o| index_of.get(&o).copied()) {
            Some(k) => (f.role, Some(k)),
            None => (Role::Furniture, None),
        })
        .collect();
    Assembled { articles, furniture, lines }
}

struct Assembler<'c> {
    cues: &'c CueWords,
    done: Vec<Builder>,
    cur: Option<Builder>,
    next_order: usize,
    furniture: Vec<String>,
    /// The label of a news-in-brief block (`要闻简报`), column of its `◆` items.
    brief_label: Option<String>,
    fates: Vec<Fate>,
}

impl Assembler<'_> {
    /// Records that the lines of `block` went to the current builder as `role`.
    fn record(&mut self, lines: &[usize], role: Role) {
        let builder = self.cur.as_ref().map(|b| b.order);
        for &k in lines {
            self.fates[k] = Fate { role, builder };
        }
    }

    fn set_aside(&mut self, b: &Block, role: Role) {
        self.furniture.push(b.text.clone());
        for &k in &b.lines {
            self.fates[k] = Fate { role, builder: None };
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

    fn place(&mut self, b: &Block, next: Option<&Block>) {
        match b.role {
            // Names in brackets right after an article's text sign it
            // (`（张三 李四）`), however plain the line looked.
            Role::Furniture if self.cur.as_ref().is_some_and(Builder::body_started) && signs_the_text(&b.text) => {
                self.byline(&Block { role: Role::Byline, ..b.clone() })
            }
            // A web page's metadata bar on its own line under the headline
            // (`刊发日期:… 作者:小杰`) names the author.
            Role::Furniture
                if self.cur.as_ref().is_some_and(|c| c.d.heads.title.is_some() && !c.has_content())
                    && self.cues.chrome_at(&b.text) == Some(0)
                    && METADATA_AUTHOR.is_match(&b.text) =>
            {
                self.metadata(&b.text);
                self.record(&b.lines, Role::Byline);
            }
            Role::Furniture => self.set_aside(b, Role::Furniture),
            Role::Jump => {
                self.set_aside(b, Role::Jump);
                self.jump(&b.text);
            }
            // `标题（栏目）` is a headline with its column, whatever it looked like.
            Role::Column if char_len(&b.text) > COLUMN_LABEL_MAX_CHARS + 2 && title_with_column(&b.text).is_some() => {
                self.head(&Block { role: Role::Title, ..b.clone() })
            }
            Role::Column => self.column(b, next),
            Role::Kicker | Role::Title | Role::Subtitle => self.head(b),
            Role::Byline => self.byline(b),
            Role::Dateline => self.dateline(b),
            Role::Body => self.body(b),
            Role::Subhead => {
                let t = squeeze_spaces(&b.text);
                let cur = self.cur();
                cur.d.subheads.push(t.clone());
                cur.paras.push(Para { text: t, subhead: true, gap: b.gap, lines: b.lines.clone() });
                self.record(&b.lines, Role::Subhead);
            }
            Role::Caption => self.caption_block(b, next.is_some_and(|n| n.role == Role::Credit)),
            Role::Credit => self.credit(b),
            Role::Brief => self.brief(b),
        }
    }

    /// A jump line: `（下转第8版）` marks the current article as continued;
    /// `（上接第7版）` reopens the last article so marked (a headline printed
    /// again just above the jump line is dropped to the furniture).
    fn jump(&mut self, text: &str) {
        let t = trim(text);
        if t.contains("下转") || t.starts_with("（转") || t.starts_with("(转") {
            if let Some(b) = self.cur.as_mut() {
                b.jumped = true;
            }
            return;
        }
        let Some(pos) = self.done.iter().rposition(|b| b.jumped) else { return };
        let mut reopened = self.done.remove(pos);
        reopened.jumped = false;
        if let Some(cur) = self.cur.take() {
            if cur.has_content() || cur.has_people() {
                self.done.push(cur);
            } else {
                let order = cur.order;
                self.furniture.extend(cur.texts());
                for f in self.fates.iter_mut().filter(|f| f.builder == Some(order)) {
                    *f = Fate { role: Role::Furniture, builder: None };
                }
            }
        }
        self.cur = Some(reopened);
    }

    /// A column label: of the article whose headline follows or that is
    /// being headed, or of the article just ended when that one is signed by
    /// its author and has none (a label printed after its article).
    fn column(&mut self, b: &Block, next: Option<&Block>) {
        let label = close_gaps(b.text.trim_matches(['【', '】', '〔', '〕', '[', ']', '（', '）', '(', ')']));
        if next.is_some_and(|n| n.role == Role::Brief) {
            // The label goes to the furniture once; each item repeats it as its column.
            self.brief_label = Some(label);
            self.set_aside(b, Role::Column);
            return;
        }
        self.brief_label = None;
        if let Some(cur) = self.cur.as_mut()
            && cur.d.heads.column.is_none()
            && !cur.brief
            && (!cur.has_content() || cur.authors_only())
        {
            cur.d.heads.column = Some(label);
            cur.column_own_line = true;
            self.record(&b.lines, Role::Column);
            return;
        }
        self.start(Builder { column_own_line: true, ..Builder::default() });
        self.cur().d.heads.column = Some(label);
        self.record(&b.lines, Role::Column);
    }

    /// A kicker, title or subtitle: fills the headline of the article being
    /// built, or opens the next article once that one has text (or already
    /// has this part of its headline).
    fn head(&mut self, b: &Block) {
        let opens = self.cur.as_ref().is_none_or(|c| {
            let h = &c.d.heads;
            c.has_content()
                || c.brief
                || match b.role {
                    Role::Title => h.title.is_some(),
                    Role::Kicker => h.kicker.is_some() && h.title.is_some(),
                    _ => false,
                }
        });
        if opens {
            self.brief_label = None;
            self.start(Builder::default());
        }
        // A web page's metadata bar glued to its headline (`……称号刊发日期:… 作者:丁一`).
        let mut text = b.text.clone();
        if b.role == Role::Title
            && let Some(at) = self.cues.chrome_at(&text).filter(|at| *at > 0)
        {
            let meta = text.split_off(at);
            self.metadata(&meta);
        }
        let h = &mut self.cur().d.heads;
        match b.role {
            Role::Title => {
                let text = squeeze_spaces(&text);
                match title_with_column(&text) {
                    Some((title, column)) if h.column.is_none() => {
                        h.title = Some(close_gaps(&title));
                        h.column = Some(column);
                    }
                    _ => h.title = Some(close_gaps(&text)),
                }
            }
            Role::Kicker => join_head(&mut h.kicker, &squeeze_spaces(&b.text)),
            _ => join_head(&mut h.subtitle, &squeeze_spaces(b.text.trim_start_matches(['—', '－', '-']))),
        }
        self.record(&b.lines, b.role);
    }

    /// A metadata bar (`刊发日期:2024-03-11 阅读次数: 作者:丁一 …`): furniture,
    /// but for the author it names, who signs the current article.
    fn metadata(&mut self, meta: &str) {
        let Some(c) = METADATA_AUTHOR.captures(meta) else {
            self.furniture.push(meta.to_string());
            return;
        };
        let m = c.get(0).expect("the match");
        for piece in [&meta[..m.start()], &meta[m.end()..]] {
            if !trim(piece).is_empty() {
                self.furniture.push(trim(piece).to_string());
            }
        }
        let printed = m.as_str().to_string();
        let mut by = people::parse_printed(&printed);
        if by.authors.is_empty() && by.reporters.is_empty() {
            by.authors = people::names(&c["names"]);
        }
        let cur = self.cur();
        merge_byline(&mut cur.d.byline, by);
        cur.d.byline.printed.push(printed);
    }

    fn byline(&mut self, b: &Block) {
        let mut by = people::parse_printed(&b.text);
        let cur = self.cur();
        // Names in brackets after the text of a signed article helped it along.
        if cur.body_started() && cur.has_people() && people::attribution(&b.text).is_some() {
            by.contributors.append(&mut by.authors);
        }
        merge_byline(&mut cur.d.byline, by);
        cur.d.byline.printed.push(trim(&b.text).to_string());
        self.record(&b.lines, Role::Byline);
    }

    fn dateline(&mut self, b: &Block) {
        let Some(DatelineLead { dateline, byline, rest }) = people::dateline_lead(&b.text) else {
            return self.body(&Block { role: Role::Body, ..b.clone() });
        };
        let fresh = self.cur.as_ref().is_none_or(|c| c.body_started() || c.d.heads.dateline.is_some());
        if fresh {
            self.start(Builder::default());
        }
        let cur = self.cur();
        cur.d.heads.dateline = Some(dateline);
        merge_byline(&mut cur.d.byline, byline);
        if !rest.is_empty() {
            cur.push_para(&rest, b.gap, &b.lines);
        }
        self.record(&b.lines, Role::Dateline);
    }

    fn body(&mut self, b: &Block) {
        let text = strip_bullet(&b.text);
        let cur = self.cur();
        if b.resumes
            && let Some(p) = cur.paras.last_mut().filter(|p| !p.subhead)
        {
            p.text.push_str(text);
            p.lines.extend(&b.lines);
        } else {
            cur.push_para(text, b.gap, &b.lines);
        }
        self.record(&b.lines, Role::Body);
    }

    /// A `◆` item: an article of its own under the block's label; `◆标题 正文`,
    /// `◆标题` (text on the next lines) or `◆正文。`.
    fn brief(&mut self, b: &Block) {
        let mut nb = Builder { brief: true, ..Builder::default() };
        nb.d.heads.column = self.brief_label.clone();
        self.start(nb);
        let t = strip_bullet(&b.text).to_string();
        let (head, rest) = match t.split_once(['　', ' ']) {
            Some((h, r)) if !trim(r).is_empty() => (h.to_string(), Some(trim(r).to_string())),
            _ => (t.clone(), None),
        };
        let headline =
            char_len(&head) <= BRIEF_TITLE_MAX_CHARS && !ends_sentence(&head) && !head.contains(['，', ',', '。']);
        let cur = self.cur();
        if headline {
            cur.d.heads.title = Some(close_gaps(&head));
            if let Some(rest) = rest {
                match people::dateline_lead(&rest) {
                    Some(d) => {
                        cur.d.heads.dateline = Some(d.dateline);
                        merge_byline(&mut cur.d.byline, d.byline);
                        cur.push_para(&d.rest, 0, &b.lines);
                    }
                    None => cur.push_para(&rest, 0, &b.lines),
                }
            }
        } else {
            match people::dateline_lead(&t) {
                Some(d) => {
                    cur.d.heads.dateline = Some(d.dateline);
                    merge_byline(&mut cur.d.byline, d.byline);
                    cur.push_para(&d.rest, 0, &b.lines);
                }
                None => cur.push_para(&t, 0, &b.lines),
            }
        }
        self.record(&b.lines, Role::Brief);
    }

    /// A caption block; `credit_follows` when a credit line comes next (it
    /// closes a photo item as much as a credit on the caption's own line).
    fn caption_block(&mut self, b: &Block, credit_follows: bool) {
        let (text, credit, photographers) =
            people::inline_caption(&b.text).unwrap_or_else(|| (trim(&b.text).to_string(), None, Vec::new()));
        self.split_photo_item(credit_follows || credit.is_some());
        self.caption(text, credit, photographers, &b.lines, &[]);
    }

    /// A credit line: the credit of the caption just above, or a caption of
    /// its own with the short paragraph above as its text, or the credit of
    /// a picture without a caption.
    fn credit(&mut self, b: &Block) {
        // The last line of a caption may carry the credit: `知识。 张三 摄`.
        let (tail, credit, photographers) = match people::inline_caption(&b.text) {
            Some((tail, Some(credit), photographers)) => (Some(tail), credit, photographers),
            _ => {
                let credit = trim(&b.text).trim_matches(['（', '）', '(', ')']).to_string();
                let photographers = people::credit_line(&b.text).unwrap_or_else(|| people::credit_names(&credit));
                (None, credit, photographers)
            }
        };
        let Some(cur) = self.cur.as_mut() else {
            if photographers.is_empty() || tail.is_some() {
                self.set_aside(b, Role::Furniture);
                return;
            }
            // The credit of a picture printed above the first article's
            // text (`范少伟/摄`): it signs that article, which starts here.
            let mut first = Builder::default();
            first.d.byline.photographers = photographers;
            first.d.byline.printed.push(trim(&b.text).to_string());
            self.start(first);
            self.record(&b.lines, Role::Credit);
            return;
        };
        if let Some(c) = cur.d.captions.last_mut().filter(|c| c.credit.is_none()) {
            if let Some(tail) = &tail {
                c.text.push_str(tail);
            }
            c.credit = Some(credit);
            add_unique(&mut cur.d.byline.photographers, photographers);
            self.record(&b.lines, Role::Credit);
            return;
        }
        if let Some(tail) = tail {
            // A caption of one line with its credit, taken for a credit line.
            self.caption(tail, Some(credit), photographers, &b.lines, &[]);
            return;
        }
        // A caption printed at the end of the paragraph above (`……欢迎。图为……。`).
        if let Some(p) = cur.paras.last_mut().filter(|p| !p.subhead)
            && let Some(at) = caption_sentence(&p.text)
        {
            let text = p.text.split_off(at);
            self.caption(text, Some(credit), photographers, &[], &b.lines);
            return;
        }
        // Otherwise the short paragraph just above is the caption's text.
        let n = cur.paras.len();
        let candidate = cur.paras.last().is_some_and(|p| {
            !p.subhead
                && char_len(&p.text) <= CAPTION_MAX_CHARS
                && ends_sentence(&p.text)
                && (n == 1 || p.gap >= WIDE_GAP)
        });
        if candidate {
            let p = cur.paras.pop().expect("a last paragraph");
            if cur.photo_mark == Some(cur.paras.len()) {
                cur.photo_mark = None;
            }
            self.caption(p.text, Some(credit), photographers, &p.lines, &b.lines);
            return;
        }
        // A picture without a caption: its photographers sign the article.
        self.caption(String::new(), Some(credit), photographers, &[], &b.lines);
    }

    /// A caption (text from `lines`, credit from `credit_lines`), in the
    /// photo item it closes or the current article.
    fn caption(
        &mut self,
        text: String,
        credit: Option<String>,
        photographers: Vec<String>,
        lines: &[usize],
        credit_lines: &[usize],
    ) {
        self.split_photo_item(!photographers.is_empty() || credit.is_some());
        self.cur().add_caption(text, credit, photographers);
        self.record(lines, Role::Caption);
        self.record(credit_lines, Role::Credit);
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
        let cur = self.cur.as_ref().expect("just started");
        let order = cur.order;
        let moved: Vec<usize> = cur.paras.iter().flat_map(|p| p.lines.iter().copied()).collect();
        for k in moved {
            self.fates[k].builder = Some(order);
        }
    }
}

/// Where a caption sentence starts at the end of a paragraph: after a
/// sentence end, opening like a caption (`图为`, `图①：`), and the last
/// sentence of the paragraph.
fn caption_sentence(text: &str) -> Option<usize> {
    let mut at = None;
    for (i, c) in text.char_indices() {
        if matches!(c, '。' | '！' | '？') {
            let next = i + c.len_utf8();
            if next < text.len() && people::caption_opening(&text[next..]) {
                at = Some(next);
            }
        }
    }
    let at = at?;
    let tail = &text[at..];
    (ends_sentence(tail)
        && char_len(tail) <= CAPTION_MAX_CHARS
        && !tail.trim_end_matches(['。', '！', '？']).contains('。'))
    .then_some(at)
}

/// `（张三 李四）`, `（张三参与采写）`: bracketed names and nothing else (not a
/// credit such as `（资料照片）`).
fn signs_the_text(t: &str) -> bool {
    people::attribution(t).is_some() && people::credit_line(t).is_none() && !t.contains("新华社")
}

/// Adds a headline line to a kicker or subtitle printed over several blocks.
fn join_head(field: &mut Option<String>, text: &str) {
    match field {
        Some(f) => {
            f.push(' ');
            f.push_str(text);
        }
        None => *field = Some(text.to_string()),
    }
}

/// The text without a leading bullet (`◆`, `•`) and the space after it.
fn strip_bullet(t: &str) -> &str {
    let s = trim(t);
    match s.strip_prefix(BULLETS).or_else(|| s.strip_prefix(WEB_BULLETS)) {
        Some(rest) => trim(rest),
        None => s,
    }
}
