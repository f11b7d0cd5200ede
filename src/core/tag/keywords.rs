//! Keywords: TF-IDF over jieba tokens with a Chinese stop-word list.
//!
//! A keyword must be a noun-like word (its part of speech in
//! [`KEYWORD_POS`]). Tagging every word of an article with its part of
//! speech costs more than segmenting it: for each word jieba does not know
//! (a name its HMM put together, 邢智轩) it runs a second, part-of-speech
//! HMM. So the extractor works from the plain segmentation and asks jieba-rs
//! about a word the first time it meets it, alone: whether its part of
//! speech makes it a keyword and its IDF, in one question, remembered
//! ([`WordFacts`]). A running service meets most of a newspaper's words
//! again and again.

use std::collections::BTreeSet;
use std::sync::RwLock;

use foldhash::{HashMap, HashSet};
use jieba_rs::{Jieba, KeywordExtract, KeywordExtractConfig, TfIdf};

/// How many keywords each article gets.
pub const KEYWORDS_PER_ARTICLE: usize = 8;

/// Parts of speech a keyword may have: nouns, place and organisation names,
/// verbal nouns, idioms.
const KEYWORD_POS: &[&str] = &["n", "nr", "ns", "nt", "nz", "vn", "l", "j"];

/// Most words whose facts are remembered; the memory is cleared when full
/// (53 different real pages, each met once, asked about 13,173 distinct words).
const WORD_MEMORY: usize = 200_000;

/// What the extractor remembers of a word.
#[derive(Debug, Clone, Copy, PartialEq)]
struct WordFacts {
    /// Whether its part of speech is in [`KEYWORD_POS`].
    keyword_pos: bool,
    /// Its inverse document frequency (0 when it is no keyword).
    idf: f64,
}

/// TF-IDF keyword extraction with the stop words of `config/stopwords.txt`.
pub struct KeywordExtractor {
    tfidf: TfIdf,
    /// Facts by word: jieba-rs keeps its IDF table and its dictionary's parts
    /// of speech private, so each word's are asked of it once and remembered.
    facts: RwLock<HashMap<String, WordFacts>>,
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
        KeywordExtractor { tfidf, facts: RwLock::new(HashMap::default()), stop }
    }

    /// The top keywords of `text`, most characteristic first (segments `text`).
    pub fn extract(&self, jieba: &Jieba, text: &str) -> Vec<String> {
        let words = jieba.cut(text, true);
        self.extract_words(jieba, words.iter().map(|t| t.word))
    }

    /// The top keywords of an already segmented text (jieba's `cut` with its
    /// HMM): term frequency over the words, inverse document frequency from
    /// jieba-rs's table, noun-like words only; no second segmentation of the text.
    pub fn extract_words<'a>(&self, jieba: &Jieba, words: impl Iterator<Item = &'a str>) -> Vec<String> {
        let min_len = self.tfidf.config().min_keyword_length();
        let mut tf: HashMap<&str, usize> = HashMap::default();
        for word in words {
            if word.chars().nth(min_len - 1).is_some() && !self.stop.contains(word) {
                *tf.entry(word).or_default() += 1;
            }
        }
        let facts = self.facts_of(jieba, tf.keys().copied());
        // Term frequency times IDF (the division by the article's length
        // would not change the order); best first, ties by the word.
        let mut scored: Vec<(f64, &str)> = tf
            .iter()
            .zip(&facts)
            .filter(|(_, f)| f.keyword_pos)
            .map(|((&word, &n), f)| (n as f64 * f.idf, word))
            .collect();
        let order = |a: &(f64, &str), b: &(f64, &str)| b.0.total_cmp(&a.0).then(a.1.cmp(b.1));
        if scored.len() > KEYWORDS_PER_ARTICLE {
            scored.select_nth_unstable_by(KEYWORDS_PER_ARTICLE, order);
            scored.truncate(KEYWORDS_PER_ARTICLE);
        }
        scored.sort_unstable_by(order);
        scored.into_iter().map(|(_, w)| w.to_string()).collect()
    }

    /// The facts of each word, in order: remembered ones under one read lock,
    /// the others asked of jieba-rs and remembered under one write lock.
    fn facts_of<'a>(&self, jieba: &Jieba, words: impl Iterator<Item = &'a str>) -> Vec<WordFacts> {
        let mut out = Vec::new();
        let mut missing = Vec::new();
        {
            let memory = self.facts.read().unwrap_or_else(|e| e.into_inner());
            for (i, word) in words.enumerate() {
                match memory.get(word) {
                    Some(&f) => out.push(f),
                    None => {
                        out.push(WordFacts { keyword_pos: false, idf: 0.0 });
                        missing.push((i, word));
                    }
                }
            }
        }
        if missing.is_empty() {
            return out;
        }
        for &(i, word) in &missing {
            out[i] = self.first_facts(jieba, word);
        }
        let mut memory = self.facts.write().unwrap_or_else(|e| e.into_inner());
        if memory.len() + missing.len() > WORD_MEMORY {
            memory.clear();
        }
        for (i, word) in missing {
            memory.insert(word.to_string(), out[i]);
        }
        out
    }

    /// What jieba-rs says of a word met for the first time, alone: a
    /// one-word TF-IDF extraction that admits only [`KEYWORD_POS`] gives the
    /// word back, weighted by its IDF, when its part of speech is a
    /// keyword's (from the dictionary, or guessed for a word jieba does not
    /// know), and nothing otherwise.
    fn first_facts(&self, jieba: &Jieba, word: &str) -> WordFacts {
        let allowed = KEYWORD_POS.iter().map(|p| p.to_string()).collect();
        match &self.tfidf.extract_keywords(jieba, word, 1, allowed)[..] {
            [k] if k.keyword == word => WordFacts { keyword_pos: true, idf: k.weight },
            _ => WordFacts { keyword_pos: false, idf: 0.0 },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(jieba: &Jieba, text: &str) -> Vec<String> {
        jieba.cut(text, true).into_iter().map(|t| t.word.to_string()).collect()
    }

    /// What jieba's own tagging of the whole text makes of it: the keywords
    /// the extractor gave when it asked for every word's part of speech.
    fn with_full_tagging(x: &KeywordExtractor, jieba: &Jieba, text: &str) -> Vec<String> {
        let mut tf: HashMap<String, usize> = HashMap::default();
        for t in jieba.tag(text, true) {
            if KEYWORD_POS.contains(&t.tag) && t.word.chars().count() >= 2 && !x.stop.contains(t.word) {
                *tf.entry(t.word.to_string()).or_default() += 1;
            }
        }
        let idf = |w: &str| x.tfidf.extract_keywords(jieba, w, 1, Vec::new()).first().map_or(0.0, |k| k.weight);
        let mut ranked: Vec<(f64, String)> = tf.into_iter().map(|(w, n)| (n as f64 * idf(&w), w)).collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.into_iter().take(KEYWORDS_PER_ARTICLE).map(|(_, w)| w).collect()
    }

    const ARTICLE: &str = "本报讯（记者 邢智轩）近日，县委第三巡察组进驻后宫乡，对乡党委开展常规巡察。\
        巡察组组长侯建斌表示，巡察组将聚焦基层治理和群众身边的不正之风，推动问题整改。\
        乡党委书记卫小锋说，全乡将全力配合巡察工作，以巡察整改促进乡村振兴。";

    #[test]
    fn keywords_are_those_full_tagging_gives_and_stay_so_once_remembered() {
        let jieba = Jieba::new();
        let x = KeywordExtractor::new("表示\n近日\n记者\n");
        let want = with_full_tagging(&x, &jieba, ARTICLE);
        assert!(want.len() >= 5, "{want:?}");
        let first = x.extract(&jieba, ARTICLE);
        assert_eq!(first, want);
        assert_eq!(x.extract(&jieba, ARTICLE), want, "from remembered facts");
    }

    #[test]
    fn each_word_is_asked_about_once_and_an_unknown_name_can_be_a_keyword() {
        let jieba = Jieba::new();
        let x = KeywordExtractor::new("表示\n近日\n记者\n");
        let keywords = x.extract(&jieba, ARTICLE);
        let unknown: Vec<String> =
            words(&jieba, ARTICLE).into_iter().filter(|w| w.chars().count() >= 2 && !jieba.has_word(w)).collect();
        assert!(!unknown.is_empty(), "the article has words jieba does not know");
        let remembered = x.facts.read().unwrap().clone();
        assert!(unknown.iter().all(|w| remembered.contains_key(w.as_str())), "{unknown:?}");
        assert!(unknown.iter().any(|w| remembered[w.as_str()].keyword_pos), "a name among {unknown:?}");
        let tagged = |pos: &str| {
            jieba
                .tag(ARTICLE, true)
                .into_iter()
                .find(|t| t.tag == pos && t.word.chars().count() >= 2 && !x.stop.contains(t.word))
        };
        let (verb, noun) = (tagged("v").unwrap().word, tagged("n").unwrap().word);
        assert!(!remembered[verb].keyword_pos, "a verb: {verb}");
        assert!(remembered[noun].keyword_pos && remembered[noun].idf > 0.0, "a noun: {noun}");
        assert_eq!(x.extract(&jieba, ARTICLE), keywords);
        assert_eq!(*x.facts.read().unwrap(), remembered, "nothing asked again");
    }

    #[test]
    fn verbs_and_stop_words_are_never_keywords() {
        let jieba = Jieba::new();
        let x = KeywordExtractor::new("乡村振兴\n");
        let keywords = x.extract(&jieba, ARTICLE);
        for not in ["开展", "推动", "聚焦", "乡村振兴"] {
            assert!(!keywords.iter().any(|k| k == not), "{not} in {keywords:?}");
        }
    }
}
