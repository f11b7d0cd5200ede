//! Tag: regions, topics and keywords for each article draft.
//!
//! The [`Tagger`] is built once at start (jieba with the user dictionary, the
//! gazetteer automaton, the topic taxonomy) and shared read-only by every
//! worker.

pub mod gazetteer;
pub mod keywords;
pub mod topics;

use jieba_rs::Jieba;

use super::article::{Article, Draft, Kind, SCHEMA_VERSION};
use super::page::Page;

/// The embedded default gazetteer (`config/gazetteer.tsv`).
pub const DEFAULT_GAZETTEER: &str = include_str!("../../../config/gazetteer.tsv");
/// The embedded default topic taxonomy (`config/topics.toml`).
pub const DEFAULT_TOPICS: &str = include_str!("../../../config/topics.toml");
/// The embedded default stop words (`config/stopwords.txt`).
pub const DEFAULT_STOPWORDS: &str = include_str!("../../../config/stopwords.txt");
/// The embedded default list of short place names that are ordinary words.
pub const DEFAULT_PLACE_STOPWORDS: &str = include_str!("../../../config/place_stopwords.txt");
/// The embedded default jieba user dictionary (`config/userdict.txt`).
pub const DEFAULT_USERDICT: &str = include_str!("../../../config/userdict.txt");

/// Why the tagging data could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum TagError {
    /// A gazetteer row is malformed.
    #[error("gazetteer line {line}: {reason}")]
    Gazetteer {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The topic taxonomy is malformed.
    #[error("topics: {0}")]
    Topics(String),
    /// The user dictionary is malformed.
    #[error("user dictionary: {0}")]
    UserDict(String),
}

/// The data files the tagger is built from (texts, so tests and the CLI can
/// pass their own).
#[derive(Debug, Clone, Copy)]
pub struct TagData<'a> {
    /// Gazetteer TSV.
    pub gazetteer: &'a str,
    /// Topic taxonomy TOML.
    pub topics: &'a str,
    /// Stop words, one a line.
    pub stopwords: &'a str,
    /// jieba user dictionary.
    pub userdict: &'a str,
    /// Short place names that are ordinary words.
    pub place_stopwords: &'a str,
}

impl Default for TagData<'static> {
    fn default() -> Self {
        TagData {
            gazetteer: DEFAULT_GAZETTEER,
            topics: DEFAULT_TOPICS,
            stopwords: DEFAULT_STOPWORDS,
            userdict: DEFAULT_USERDICT,
            place_stopwords: DEFAULT_PLACE_STOPWORDS,
        }
    }
}

/// Everything tagging needs, loaded once.
pub struct Tagger {
    jieba: Jieba,
    gazetteer: gazetteer::Gazetteer,
    topics: topics::Taxonomy,
    keywords: keywords::KeywordExtractor,
}

impl Tagger {
    /// Builds a tagger from data texts.
    ///
    /// # Errors
    /// [`TagError`] naming the file and line that is malformed.
    pub fn new(data: TagData<'_>) -> Result<Tagger, TagError> {
        let mut jieba = Jieba::new();
        jieba.load_dict(&mut data.userdict.as_bytes()).map_err(|e| TagError::UserDict(e.to_string()))?;
        let gazetteer = gazetteer::Gazetteer::parse(data.gazetteer, data.place_stopwords)?;
        for name in gazetteer.dictionary_names() {
            jieba.add_word(name, Some(2000), Some("ns"));
        }
        let topics = topics::Taxonomy::parse(data.topics)?;
        let keywords = keywords::KeywordExtractor::new(data.stopwords);
        Ok(Tagger { jieba, gazetteer, topics, keywords })
    }

    /// The segmenter, also the splitter's lexicon.
    pub fn jieba(&self) -> &Jieba {
        &self.jieba
    }

    /// The topic taxonomy.
    pub fn taxonomy(&self) -> &topics::Taxonomy {
        &self.topics
    }

    /// The gazetteer.
    pub fn gazetteer(&self) -> &gazetteer::Gazetteer {
        &self.gazetteer
    }

    /// Tags one draft, making it an article of `page` at position `seq`.
    pub fn tag(&self, page: &Page, seq: usize, d: Draft) -> Article {
        let body = d.paragraphs.join("\n\n");
        let head: Vec<&str> =
            [&d.heads.kicker, &d.heads.title, &d.heads.subtitle].into_iter().flatten().map(String::as_str).collect();
        let head = head.join("\n");
        let lead = d.paragraphs.first().map(String::as_str).unwrap_or("");
        let home = page.meta.home_region.as_ref();
        let regions = self.gazetteer.tag(&head, d.heads.dateline.as_deref().unwrap_or(""), lead, &body, home);
        let topics = self.topics.score(&head, &body);
        let keywords = self.keywords.extract(&self.jieba, &format!("{head}\n{body}"));
        Article {
            schema: SCHEMA_VERSION,
            id: format!("{}-{:02}", page.id, seq),
            page: page.reference(),
            seq,
            kind: d.kind.unwrap_or(Kind::News),
            heads: d.heads,
            byline: d.byline,
            body,
            subheads: d.subheads,
            captions: d.captions,
            regions,
            topics,
            keywords,
        }
    }
}
