//! Split: a page dump into article drafts, in named passes over one line model.
//!
//! ```text
//! text ─lines─▶ Sheet ─cues─▶ Cues ─features─▶ LineFeatures ─roles─▶ Label per line
//!      ─unwrap─▶ Blocks ─assemble─▶ drafts + where each line went ─accounting─▶ nothing lost
//! ```
//!
//! - [`lines`] reads the text into lines (gap above, page break,
//!   indentation, width) and the page's shape (hard-wrapped at a column's
//!   width or one paragraph a line);
//! - [`cues`] and [`features`] describe each line and its neighbours;
//! - [`roles`] gives every line one role with a linear-chain labeler whose
//!   weights ([`model`], `config/line_roles.model`) were learned from
//!   labelled pages ([`train`]);
//! - [`unwrap`] rejoins the lines that go on with a line above into blocks;
//! - [`assemble`] turns the blocks into articles and records where each
//!   line went;
//! - [`accounting`] checks that every character ended up in one place.
//!
//! Layout only: nothing here knows a paper.

pub mod accounting;
pub mod assemble;
pub mod cues;
pub mod explain;
pub mod features;
pub mod lines;
pub mod model;
pub mod people;
pub mod roles;
pub mod train;
pub mod unwrap;

pub use accounting::{LAYOUT_MARKS, check_accounting};
use cues::CueWords;
use model::LineModel;
use roles::{Label, Reason};

use crate::core::article::Draft;

/// Tells whether a string is a dictionary word; used to see a word cut in two
/// by a line end (`青` / `年学子`).
pub trait Lexicon {
    /// Whether `w` is a known word.
    fn is_word(&self, w: &str) -> bool;
}

/// A lexicon that knows no words.
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

/// Why the splitter's data cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitDataError {
    /// The line model is malformed or made for other features.
    #[error("line model: {0}")]
    Model(#[from] model::ModelError),
    /// The cue word lists are malformed.
    #[error("layout cues: {0}")]
    Cues(String),
}

/// The page cut up: its articles and the lines that belong to none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SplitPage {
    /// Article drafts in page order.
    pub articles: Vec<Draft>,
    /// Header, footer and navigation lines, and fragments that formed no article.
    pub furniture: Vec<String>,
    /// Each line of the page, the role it was given and its article.
    pub lines: Vec<LineFate>,
}

/// Where one line of the page went: `newsdesk parse --explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFate {
    /// The line as printed (trimmed).
    pub text: String,
    /// furniture, jump, column, kicker, title, subtitle, byline, dateline,
    /// body, subhead, caption, credit or brief: the role of the element it
    /// is part of.
    pub role: &'static str,
    /// Whether it goes on with the element of a line above.
    pub continues: bool,
    /// Index of the article it went to; `None` for furniture.
    pub article: Option<usize>,
}

/// The splitter: the labeler's model and the cue words, loaded once.
#[derive(Debug, Clone)]
pub struct Splitter {
    model: LineModel,
    cues: CueWords,
}

/// A page split with the reasons for each line's role.
#[derive(Debug, Clone)]
pub struct Explained {
    /// The split page.
    pub page: SplitPage,
    /// Per line: the label and why.
    pub reasons: Vec<(Label, Reason)>,
}

impl Splitter {
    /// The splitter from a model file and cue word lists (TOML).
    ///
    /// # Errors
    /// [`SplitDataError`] when either is malformed.
    pub fn new(model: &str, cues: &str) -> Result<Splitter, SplitDataError> {
        Ok(Splitter { model: LineModel::parse(model)?, cues: CueWords::parse(cues).map_err(SplitDataError::Cues)? })
    }

    /// The splitter with the embedded model and cue words.
    pub fn embedded() -> Splitter {
        Splitter::new(model::DEFAULT_LINE_MODEL, cues::DEFAULT_LAYOUT_CUES).expect("the embedded line model loads")
    }

    /// The labeler's model.
    pub fn model(&self) -> &LineModel {
        &self.model
    }

    /// Splits a page's text into article drafts.
    ///
    /// # Errors
    /// [`SplitError::NoArticles`] when no part of the page reads as an article.
    pub fn split(&self, text: &str, lexicon: &dyn Lexicon) -> Result<SplitPage, SplitError> {
        let page = self.run(text, lexicon, false).page;
        if page.articles.is_empty() {
            return Err(SplitError::NoArticles { lines: page.lines.len() });
        }
        Ok(page)
    }

    /// Splits a page and says why each line got its role; also a page
    /// without articles, to show why it has none.
    pub fn explain(&self, text: &str, lexicon: &dyn Lexicon) -> Explained {
        self.run(text, lexicon, true)
    }

    fn run(&self, text: &str, lexicon: &dyn Lexicon, explain: bool) -> Explained {
        let sheet = lines::read(text);
        let cues = cues::cues_of(sheet.lines.iter().map(|l| l.text.as_str()), &self.cues);
        let features = features::features(&sheet, &cues, lexicon);
        let reasons = if explain { roles::label_explained(&features, &cues, &self.model) } else { Vec::new() };
        let labels: Vec<Label> = if explain {
            reasons.iter().map(|(l, _)| *l).collect()
        } else {
            roles::label(&features, &cues, &self.model)
        };
        let blocks = unwrap::unwrap(&sheet.lines, &labels);
        // A line goes on with the element above when unwrap joined it to a
        // block begun on an earlier line.
        let mut continues = vec![false; sheet.lines.len()];
        for b in &blocks {
            for &k in b.lines.iter().skip(1) {
                continues[k] = true;
            }
        }
        let assembled = assemble::assemble(&blocks, sheet.lines.len(), &self.cues);
        let lines = sheet
            .lines
            .into_iter()
            .zip(assembled.lines)
            .zip(continues)
            .map(|((line, (role, article)), continues)| LineFate {
                text: line.text,
                role: role.name(),
                continues,
                article,
            })
            .collect();
        Explained { page: SplitPage { articles: assembled.articles, furniture: assembled.furniture, lines }, reasons }
    }
}

#[cfg(test)]
mod tests;
