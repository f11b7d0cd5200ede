//! Keywords: TF-IDF over jieba tokens with a Chinese stop-word list.

use std::collections::BTreeSet;

use jieba_rs::{Jieba, KeywordExtract, KeywordExtractConfig, TfIdf};

/// How many keywords each article gets.
pub const KEYWORDS_PER_ARTICLE: usize = 8;

/// Parts of speech a keyword may have: nouns, place and organisation names,
/// verbal nouns, idioms.
const KEYWORD_POS: &[&str] = &["n", "nr", "ns", "nt", "nz", "vn", "l", "j"];

/// TF-IDF keyword extraction with the stop words of `config/stopwords.txt`.
pub struct KeywordExtractor {
    tfidf: TfIdf,
}

impl KeywordExtractor {
    /// Builds the extractor; `stopwords` is one word a line, `#` comments.
    pub fn new(stopwords: &str) -> KeywordExtractor {
        let words: BTreeSet<String> = stopwords
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect();
        let config = KeywordExtractConfig::builder().set_stop_words(words).min_keyword_length(2).use_hmm(true).build();
        let mut tfidf = TfIdf::default();
        *tfidf.config_mut() = config;
        KeywordExtractor { tfidf }
    }

    /// The top keywords of `text`, most characteristic first.
    pub fn extract(&self, jieba: &Jieba, text: &str) -> Vec<String> {
        let pos = KEYWORD_POS.iter().map(|s| s.to_string()).collect();
        self.tfidf.extract_keywords(jieba, text, KEYWORDS_PER_ARTICLE, pos).into_iter().map(|k| k.keyword).collect()
    }
}
