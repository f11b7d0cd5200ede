//! Tag: regions, topics and keywords for each article draft.
//!
//! The [`Tagger`] is built once at start (jieba with the user dictionary, the
//! gazetteer and its name index, the topic taxonomy) and shared read-only by every
//! worker.

pub mod gazetteer;
pub mod home;
pub mod keywords;
pub mod names;
pub mod topics;

use jieba_rs::Jieba;

use super::article::{Article, Draft, Kind, Region, SCHEMA_VERSION, TopicTag};
use super::page::Page;
use super::subject::RegionCode;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PapersFile {
    #[serde(default)]
    papers: std::collections::BTreeMap<String, RegionCode>,
}

/// Parses the paper table; every region must be in the gazetteer.
fn parse_papers(
    text: &str,
    gazetteer: &gazetteer::Gazetteer,
) -> Result<std::collections::HashMap<String, RegionCode>, TagError> {
    let file: PapersFile = toml::from_str(text).map_err(|e| TagError::Papers(e.to_string()))?;
    for (paper, code) in &file.papers {
        if gazetteer.get(code.as_str()).is_none() {
            return Err(TagError::Papers(format!("{paper}: {code} is not in the gazetteer")));
        }
    }
    Ok(file.papers.into_iter().collect())
}

/// The embedded default gazetteer (`config/gazetteer.tsv`).
pub const DEFAULT_GAZETTEER: &str = include_str!("../../../config/gazetteer.tsv");
/// The embedded default topic taxonomy (`config/topics.toml`).
pub const DEFAULT_TOPICS: &str = include_str!("../../../config/topics.toml");
/// The embedded default stop words (`config/stopwords.txt`).
pub const DEFAULT_STOPWORDS: &str = include_str!("../../../config/stopwords.txt");
/// The embedded default list of short place names that are ordinary words.
pub const DEFAULT_PLACE_STOPWORDS: &str = include_str!("../../../config/place_stopwords.txt");
/// The embedded default paper → home region table (`config/papers.toml`).
pub const DEFAULT_PAPERS: &str = include_str!("../../../config/papers.toml");
/// The embedded default table of former division names (`config/former_names.tsv`).
pub const DEFAULT_FORMER_NAMES: &str = include_str!("../../../config/former_names.tsv");
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
    /// The paper table is malformed or names an unknown region.
    #[error("papers: {0}")]
    Papers(String),
    /// A row of the former-names table is malformed or names an unknown code.
    #[error("former names line {line}: {reason}")]
    FormerNames {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The splitter's model or cue words are malformed.
    #[error("{0}")]
    Split(#[from] crate::core::split::SplitDataError),
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
    /// Paper → home region table (TOML).
    pub papers: &'a str,
    /// Former division names → current codes (TSV).
    pub former_names: &'a str,
    /// The splitter's line-role model (`config/line_roles.model`).
    pub line_model: &'a str,
    /// The splitter's layout cue words (`config/layout_cues.toml`).
    pub layout_cues: &'a str,
}

impl Default for TagData<'static> {
    fn default() -> Self {
        TagData {
            gazetteer: DEFAULT_GAZETTEER,
            topics: DEFAULT_TOPICS,
            stopwords: DEFAULT_STOPWORDS,
            userdict: DEFAULT_USERDICT,
            place_stopwords: DEFAULT_PLACE_STOPWORDS,
            papers: DEFAULT_PAPERS,
            former_names: DEFAULT_FORMER_NAMES,
            line_model: crate::core::split::model::DEFAULT_LINE_MODEL,
            layout_cues: crate::core::split::cues::DEFAULT_LAYOUT_CUES,
        }
    }
}

/// Everything the core loads once and shares read-only: the splitter's
/// line model and the tagging data.
pub struct Tagger {
    splitter: crate::core::split::Splitter,
    jieba: Jieba,
    papers: std::collections::HashMap<String, RegionCode>,
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
        let gazetteer = gazetteer::Gazetteer::parse(data.gazetteer, data.place_stopwords, data.former_names)?;
        for name in gazetteer.dictionary_names() {
            jieba.add_word(name, Some(2000), Some("ns"));
        }
        let topics = topics::Taxonomy::parse(data.topics)?;
        // Topic terms are words too (基层治理, 巡察组), unless jieba knows them already.
        for term in topics.terms() {
            if !jieba.has_word(term) {
                jieba.add_word(term, Some(2000), Some("n"));
            }
        }
        let keywords = keywords::KeywordExtractor::new(data.stopwords);
        let papers = parse_papers(data.papers, &gazetteer)?;
        let splitter = crate::core::split::Splitter::new(data.line_model, data.layout_cues)?;
        Ok(Tagger { splitter, jieba, papers, gazetteer, topics, keywords })
    }

    /// The page's home region: the one it names, else its paper's from the table.
    pub fn home_region(&self, meta: &crate::core::page::PageMeta) -> Option<RegionCode> {
        meta.home_region.clone().or_else(|| meta.paper.as_ref().and_then(|p| self.papers.get(p.trim()).cloned()))
    }

    /// The splitter, with its line model.
    pub fn splitter(&self) -> &crate::core::split::Splitter {
        &self.splitter
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

    /// Tags one draft, making it an article of `page` at position `seq`;
    /// `home` is the page's home region ([`Tagger::page_home`]).
    pub fn tag(&self, page: &Page, seq: usize, d: Draft, home: Option<&gazetteer::Home>) -> Article {
        let (head, body) = texts(&d);
        let regions = self.regions_of(&d, &head, &body, home);
        self.tag_with_regions(page, seq, d, head, body, regions)
    }

    /// Tags the drafts of a page, with the home region [`Tagger::page_home`]
    /// finds. When finding it meant reading every draft's regions (the
    /// county that dominates the page), the gazetteer's readings are kept, so
    /// it reads each article once whatever the home turns out to be.
    pub fn tag_page(&self, page: &Page, furniture: &[String], drafts: Vec<Draft>) -> Vec<Article> {
        let PageHome { home, read } = self.page_home_and_readings(page, furniture, &drafts);
        if read.len() != drafts.len() {
            return drafts.into_iter().enumerate().map(|(seq, d)| self.tag(page, seq, d, home.as_ref())).collect();
        }
        drafts
            .into_iter()
            .zip(read)
            .enumerate()
            .map(|(seq, (d, (reading, unhomed)))| {
                let regions = match &home {
                    None => unhomed,
                    Some(home) => self.gazetteer.regions(&reading, Some(home)),
                };
                let (head, body) = texts(&d);
                self.tag_with_regions(page, seq, d, head, body, regions)
            })
            .collect()
    }

    fn tag_with_regions(
        &self,
        page: &Page,
        seq: usize,
        d: Draft,
        head: String,
        body: String,
        regions: Vec<Region>,
    ) -> Article {
        let (topics, keywords) = self.topics_and_keywords_of(&head, &body);
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

    /// The regions of a draft (one stage of [`Tagger::tag`], public for
    /// benchmarks), with the home region the page's metadata gives.
    pub fn regions(&self, page: &Page, d: &Draft) -> Vec<Region> {
        let (head, body) = texts(d);
        let home = self.home_region(&page.meta).map(gazetteer::Home::given);
        self.regions_of(d, &head, &body, home.as_ref())
    }

    /// The topics and keywords of a draft (one stage of [`Tagger::tag`],
    /// public for benchmarks): the text is segmented once for both.
    pub fn topics_and_keywords(&self, d: &Draft) -> (Vec<TopicTag>, Vec<String>) {
        let (head, body) = texts(d);
        self.topics_and_keywords_of(&head, &body)
    }

    /// Every topic's score for a draft before the thresholds, in taxonomy
    /// order (for calibrating them: `examples/tag_articles --scores`).
    pub fn topic_scores(&self, d: &Draft) -> Vec<topics::TopicScore> {
        let (head, body) = texts(d);
        let head_words: Vec<&str> = self.jieba.cut(&head, true).into_iter().map(|w| w.word).collect();
        let body_words: Vec<&str> = self.jieba.cut(&body, true).into_iter().map(|w| w.word).collect();
        self.topics.scores(&head_words, &body_words, body.chars().count())
    }

    fn regions_of(&self, d: &Draft, head: &str, body: &str, home: Option<&gazetteer::Home>) -> Vec<Region> {
        self.gazetteer.regions(&self.read(d, head, body), home)
    }

    /// The gazetteer's reading of a draft.
    fn read(&self, d: &Draft, head: &str, body: &str) -> gazetteer::Reading {
        let lead = d.paragraphs.first().map(String::as_str).unwrap_or("");
        self.gazetteer.read(head, d.heads.dateline.as_deref().unwrap_or(""), lead, body)
    }

    /// The page's home region: the one its metadata names or its paper's
    /// (see [`Tagger::home_region`]); failing those, the one the page shows
    /// ([`home::infer`]: the paper's name in its header or furniture, else the
    /// county that dominates its articles), said in the evidence.
    pub fn page_home(&self, page: &Page, furniture: &[String], drafts: &[Draft]) -> Option<gazetteer::Home> {
        self.page_home_and_readings(page, furniture, drafts).home
    }

    /// [`Tagger::page_home`], keeping the gazetteer's reading of every draft
    /// and its regions without a home region when it read them all.
    fn page_home_and_readings(&self, page: &Page, furniture: &[String], drafts: &[Draft]) -> PageHome {
        if let Some(code) = self.home_region(&page.meta) {
            return PageHome { home: Some(gazetteer::Home::given(code)), read: Vec::new() };
        }
        let mut read = Vec::with_capacity(drafts.len());
        let home = home::infer(&self.gazetteer, &page.text, furniture, drafts, |d| {
            let (head, body) = texts(d);
            let reading = self.read(d, &head, &body);
            let regions = self.gazetteer.regions(&reading, None);
            read.push((reading, regions.clone()));
            regions
        });
        if read.len() != drafts.len() {
            read.clear();
        }
        PageHome { home, read }
    }

    fn topics_and_keywords_of(&self, head: &str, body: &str) -> (Vec<TopicTag>, Vec<String>) {
        let head_words: Vec<&str> = self.jieba.cut(head, true).into_iter().map(|t| t.word).collect();
        let body_words: Vec<&str> = self.jieba.cut(body, true).into_iter().map(|t| t.word).collect();
        let topics = self.topics.score(&head_words, &body_words, body.chars().count());
        let keywords = self.keywords.extract_words(&self.jieba, head_words.iter().chain(&body_words).copied());
        (topics, keywords)
    }
}

/// A page's home region, and, when looking for it read every draft, the
/// gazetteer's reading of each and its regions without a home region (else
/// nothing).
struct PageHome {
    home: Option<gazetteer::Home>,
    read: Vec<(gazetteer::Reading, Vec<Region>)>,
}

/// The head (kicker, title, subtitle) and body text of a draft.
fn texts(d: &Draft) -> (String, String) {
    let head: Vec<&str> =
        [&d.heads.kicker, &d.heads.title, &d.heads.subtitle].into_iter().flatten().map(String::as_str).collect();
    (head.join("\n"), d.paragraphs.join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::article::Heads;
    use crate::core::page::PageMeta;

    #[test]
    fn tagging_a_page_at_once_gives_what_tagging_each_draft_gives() {
        let t = Tagger::new(TagData::default()).unwrap();
        let pages = [
            include_str!("../../../seeds/000_cccc709a122f3acc.txt"),
            include_str!("../../../tests/fixtures/briefs.txt"),
            include_str!("../../../tests/fixtures/headlines.txt"),
            include_str!("../../../tests/fixtures/pdf_page.txt"),
            "今日浮山  2024年5月6日\n\n我县召开巡察工作动员会\n\n本报讯 近日，我县召开第五轮巡察工作动员会。\n",
            // No paper name: the county most named is the home (闻喜县), and
            // 我县 and 东镇 resolve only with it.
            "第2版  2024年5月6日\n\n闻喜县推进基层治理\n\n本报讯 近日，闻喜县召开基层治理推进会，我县各乡镇参加。\n\n\
             闻喜县启动春季植树\n\n本报讯 闻喜县东镇群众参加义务植树，我县今春植树十万株。\n",
        ];
        for text in pages {
            for meta in [PageMeta::default(), PageMeta { paper: Some("运城日报".into()), ..PageMeta::default() }] {
                let page = Page::new(text, meta);
                let split = t.splitter().split(&page.text, t.jieba()).unwrap();
                let home = t.page_home(&page, &split.furniture, &split.articles);
                if text.starts_with("第2版") && page.meta.paper.is_none() {
                    let home = home.as_ref().expect("the dominant county");
                    assert_eq!(home.code.as_str(), "140823", "闻喜县");
                }
                let one_by_one: Vec<Article> = split
                    .articles
                    .clone()
                    .into_iter()
                    .enumerate()
                    .map(|(seq, d)| t.tag(&page, seq, d, home.as_ref()))
                    .collect();
                assert_eq!(t.tag_page(&page, &split.furniture, split.articles), one_by_one);
            }
        }
    }

    #[test]
    fn the_paper_names_the_home_region_unless_the_page_does() {
        let t = Tagger::new(TagData::default()).unwrap();
        let meta = |paper: &str, home: Option<&str>| PageMeta {
            paper: Some(paper.into()),
            home_region: home.map(|h| RegionCode::parse(h).unwrap()),
            ..PageMeta::default()
        };
        assert_eq!(t.home_region(&meta("运城日报", None)).unwrap().as_str(), "140800");
        assert_eq!(t.home_region(&meta("运城日报", Some("140823"))).unwrap().as_str(), "140823");
        assert_eq!(t.home_region(&meta("人民日报", None)), None);
    }

    #[test]
    fn place_names_and_domain_terms_come_out_as_one_token() {
        let t = Tagger::new(TagData::default()).unwrap();
        let words: Vec<&str> =
            t.jieba().cut("县委巡察组进驻后宫乡，推进基层治理和志愿服务", false).iter().map(|w| w.word).collect();
        for w in ["巡察组", "后宫乡", "基层治理", "志愿服务"] {
            assert!(words.contains(&w), "{w} in {words:?}");
        }
    }

    #[test]
    fn keywords_skip_stop_words() {
        let t = Tagger::new(TagData::default()).unwrap();
        let kw = t.keywords.extract(
            t.jieba(),
            "近日，记者从县委获悉，巡察组进驻后宫乡，巡察组将开展常规巡察。我们表示，工作进行了部署。",
        );
        assert!(kw.contains(&"巡察组".to_string()), "{kw:?}");
        for stop in ["近日", "记者", "我们", "表示", "进行"] {
            assert!(!kw.contains(&stop.to_string()), "{stop} in {kw:?}");
        }
    }

    /// Topics of county-paper briefs of the kinds the first taxonomy missed
    /// (sentences written for this test).
    #[test]
    fn briefs_with_a_clear_subject_get_their_topic() {
        let t = Tagger::new(TagData::default()).unwrap();
        let topic = |title: &str, body: &str| -> Vec<String> {
            let d = Draft {
                heads: Heads { title: Some(title.into()), ..Heads::default() },
                paragraphs: vec![body.into()],
                ..Draft::default()
            };
            t.topics_and_keywords(&d).0.into_iter().map(|x| x.slug).collect()
        };
        let cases = [
            (
                "我县安排节日期间护林防火工作",
                "10月1日，副县长主持召开会议，安排部署假期森林防火和安全防范工作。",
                "safety",
            ),
            ("县直机关职工篮球赛开赛", "由县总工会主办的职工篮球赛在县体育馆开赛，16支代表队参赛。", "culture"),
            ("我县召开巩固衔接工作调度会", "会议听取各乡镇工作汇报，副县长对下一步重点工作作出安排。", "government"),
            ("社区居民义务劳动清理垃圾", "40余名居民参加义务劳动，清理了小区里的垃圾。", "volunteer"),
            ("县纪委开展作风问题专项整治", "聚焦形式主义、官僚主义，纠治四风，严肃查处违规违纪问题。", "integrity"),
            ("城区全面禁放烟花爆竹", "春节前，各社区宣传烟花爆竹禁限放规定，居民签署承诺书。", "safety"),
        ];
        for (title, body, want) in cases {
            assert!(topic(title, body).iter().any(|s| s == want), "{title}: {:?}, want {want}", topic(title, body));
        }
    }

    #[test]
    fn the_home_region_comes_from_the_page_when_no_one_names_it() {
        let t = Tagger::new(TagData::default()).unwrap();
        let text = "今日浮山  2024年5月6日\n\n我县召开会议\n\n本报讯 我县召开安全生产会议，县委书记出席。\n";
        let page = Page::new(text, PageMeta::default());
        let draft = Draft {
            paragraphs: vec!["我县召开安全生产会议，县委书记出席。".into()], ..Draft::default()
        };
        let home = t.page_home(&page, &["今日浮山  2024年5月6日".into()], std::slice::from_ref(&draft)).unwrap();
        assert_eq!(home.code.as_str(), "141027", "浮山县");
        let article = t.tag(&page, 0, draft, Some(&home));
        assert_eq!(article.regions[0].code, "141027");
        let via = article.regions[0].evidence[0].via.as_deref().unwrap();
        assert!(via.contains("今日浮山"), "{via}");
        let named = Page::new(
            text,
            PageMeta { home_region: Some(RegionCode::parse("140823").unwrap()), ..PageMeta::default() },
        );
        assert_eq!(t.page_home(&named, &[], &[]).unwrap().code.as_str(), "140823", "the publisher's word wins");
    }

    #[test]
    fn a_paper_table_naming_an_unknown_region_is_refused() {
        let data = TagData { papers: "[papers]\n\"某报\" = \"999999\"\n", ..TagData::default() };
        assert!(Tagger::new(data).err().unwrap().to_string().contains("某报"));
    }
}
