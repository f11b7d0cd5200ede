//! Keywords: TF-IDF over jieba tokens with a Chinese stop-word list.

use std::collections::BTreeSet;
use std::sync::RwLock;

use foldhash::{HashMap, HashSet};
use jieba_rs::{Jieba, KeywordExtract, KeywordExtractConfig, TfIdf};

/// How many keywords each article gets.
pub const KEYWORDS_PER_ARTICLE: usize = 8;

/// Parts of speech a keyword may have: nouns, place and organisation names,
/// verbal nouns, idioms.
const KEYWORD_POS: &[&str] = &["n", "nr", "ns", "nt", "nz", "vn", "l", "j"];

/// Most words whose IDF is remembered; the memory is cleared when full.
const IDF_CACHE_WORDS: usize = 200_000;

/// TF-IDF keyword extraction with the stop words of `config/stopwords.txt`.
pub struct KeywordExtractor {
    tfidf: TfIdf,
    /// IDF by word: jieba-rs keeps its table private, so each word's IDF is
    /// asked of it once (a one-word extraction) and remembered.
    idf: RwLock<HashMap<String, f64>>,
    /// The stop words, hashed (jieba-rs keeps them in a BTreeSet).
    stop: HashSet<String>,
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
        let stop: HashSet<String> = words.iter().cloned().collect();
        let config = KeywordExtractConfig::builder().set_stop_words(words).min_keyword_length(2).use_hmm(true).build();
        let mut tfidf = TfIdf::default();
        *tfidf.config_mut() = config;
        KeywordExtractor { tfidf, idf: RwLock::new(HashMap::default()), stop }
    }

    /// The top keywords of `text`, most characteristic first (segments `text`).
    pub fn extract(&self, jieba: &Jieba, text: &str) -> Vec<String> {
        let tags = jieba.tag(text, true);
        self.extract_tagged(jieba, tags.iter().map(|t| (t.word, t.tag)))
    }

    /// The top keywords of an already segmented text, given as (word, part of
    /// speech): term frequency over the tokens, inverse document frequency from
    /// jieba-rs's table (looked up word by word, no second segmentation of the text).
    pub fn extract_tagged<'a>(&self, jieba: &Jieba, tokens: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<String> {
        let config = self.tfidf.config();
        let mut tf: HashMap<&str, usize> = HashMap::default();
        let mut total = 0usize;
        for (word, pos) in tokens {
            if KEYWORD_POS.contains(&pos)
                && word.chars().count() >= config.min_keyword_length()
                && !self.stop.contains(word)
            {
                *tf.entry(word).or_default() += 1;
                total += 1;
            }
        }
        let mut scored: Vec<(f64, &str)> =
            tf.into_iter().map(|(word, n)| (n as f64 * self.idf_of(jieba, word) / total.max(1) as f64, word)).collect();
        // Best first, ties by the word: the first few picked out, then put in order.
        let order = |a: &(f64, &str), b: &(f64, &str)| b.0.total_cmp(&a.0).then(a.1.cmp(b.1));
        if scored.len() > KEYWORDS_PER_ARTICLE {
            scored.select_nth_unstable_by(KEYWORDS_PER_ARTICLE, order);
            scored.truncate(KEYWORDS_PER_ARTICLE);
        }
        scored.sort_by(order);
        scored.into_iter().map(|(_, w)| w.to_string()).collect()
    }

    /// The IDF of one word (0 for a word jieba-rs would not take as a keyword).
    fn idf_of(&self, jieba: &Jieba, word: &str) -> f64 {
        if let Some(&idf) = self.idf.read().unwrap_or_else(|e| e.into_inner()).get(word) {
            return idf;
        }
        // One word alone: its TF-IDF weight is its IDF.
        let idf = self.tfidf.extract_keywords(jieba, word, 1, Vec::new()).first().map_or(0.0, |k| k.weight);
        let mut cache = self.idf.write().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= IDF_CACHE_WORDS {
            cache.clear();
        }
        cache.insert(word.to_string(), idf);
        idf
    }
}
