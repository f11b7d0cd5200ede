//! The pure core: bytes in, articles and routed messages out. No I/O, no async.
//!
//! `decode` turns a payload into a [`page::Page`], `split` cuts the page into
//! article drafts, `tag` adds regions, topics and keywords, `route` says on
//! which subjects each article goes out. [`process`] runs the whole chain.

pub mod article;
pub mod decode;
pub mod ledger;
pub mod page;
pub mod process;
pub mod route;
pub mod split;
pub mod subject;
pub mod tag;
pub mod text;

pub use process::{Output, Plan, Routed, process};

use article::Article;
use page::Page;
use tag::Tagger;

/// Why a page could not be turned into articles; one variant per stage.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The payload could not be decoded into page text.
    #[error("decode: {0}")]
    Decode(#[from] decode::DecodeError),
    /// The text could not be split into articles.
    #[error("split: {0}")]
    Split(#[from] split::SplitError),
    /// The page is past a configured limit.
    #[error("limit: {0}")]
    Limit(#[from] LimitError),
    /// A subject could not be formed (a prefix or topic slug that is no token).
    #[error("route: {0}")]
    Route(#[from] subject::InvalidValue),
}

/// Limits enforced before the expensive work (tagging), so an absurd page
/// costs little and is dead-lettered with the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest line, in characters (checked before splitting).
    pub max_line_chars: usize,
    /// Most articles on one page (checked after splitting, before tagging).
    pub max_articles: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_line_chars: 20_000, max_articles: 500 }
    }
}

/// Why a page is past a limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    /// One line is longer than `max_line_chars`.
    #[error("line {line} has {chars} characters, over the limit of {limit}")]
    LineTooLong {
        /// 1-based line number.
        line: usize,
        /// Its length.
        chars: usize,
        /// The limit.
        limit: usize,
    },
    /// The page splits into more than `max_articles` articles.
    #[error("{found} articles on one page, over the limit of {limit}")]
    TooManyArticles {
        /// Articles found.
        found: usize,
        /// The limit.
        limit: usize,
    },
    /// A message to publish is larger than the server accepts.
    #[error("the message for {subject} is {bytes} bytes, over the server's max_payload of {limit}")]
    MessageTooLarge {
        /// Where it would go.
        subject: String,
        /// Its size with headers.
        bytes: usize,
        /// The server's limit.
        limit: usize,
    },
}

/// Splits and tags one decoded page, within `limits`.
///
/// # Errors
/// [`split::SplitError`] when the page holds no recognisable article,
/// [`LimitError`] when it is past a limit.
pub fn process_page(page: &Page, tagger: &Tagger, limits: &Limits) -> Result<Processed, CoreError> {
    if let Some((i, chars)) =
        page.text.split('\n').map(|l| l.chars().count()).enumerate().find(|(_, n)| *n > limits.max_line_chars)
    {
        return Err(LimitError::LineTooLong { line: i + 1, chars, limit: limits.max_line_chars }.into());
    }
    let split = tagger.splitter().split(&page.text, tagger.jieba())?;
    if split.articles.len() > limits.max_articles {
        return Err(LimitError::TooManyArticles { found: split.articles.len(), limit: limits.max_articles }.into());
    }
    let articles = tagger.tag_page(page, &split.furniture, split.articles);
    Ok(Processed { articles, furniture: split.furniture, lines: split.lines })
}

/// A processed page: its tagged articles and the lines that belong to none.
#[derive(Debug, Clone)]
pub struct Processed {
    /// Tagged articles in page order.
    pub articles: Vec<Article>,
    /// Header, footer and stray lines.
    pub furniture: Vec<String>,
    /// Where each line of the page went.
    pub lines: Vec<split::LineFate>,
}

impl Processed {
    /// The page as one JSON document: what `newsdesk parse --page-record`
    /// prints and the `newsdesk.parse` endpoint answers.
    pub fn parsed(&self, page: article::PageRef) -> ParsedPage<'_> {
        ParsedPage { page, furniture: &self.furniture, articles: &self.articles }
    }
}

/// A page, its furniture and its whole articles.
#[derive(Debug, serde::Serialize)]
pub struct ParsedPage<'a> {
    /// The page.
    pub page: article::PageRef,
    /// Header, footer and stray lines.
    pub furniture: &'a [String],
    /// The tagged articles.
    pub articles: &'a [Article],
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use proptest::prelude::*;

    use super::*;
    use crate::core::page::PageMeta;
    use crate::core::tag::TagData;

    static TAGGER: LazyLock<Tagger> = LazyLock::new(|| Tagger::new(TagData::default()).unwrap());

    /// Lines made of the pieces page dumps are made of, in any order:
    /// headlines, bylines, datelines, body text (whole or broken), captions,
    /// credits, furniture, brief bullets, indentation and page breaks.
    fn page_text() -> impl Strategy<Value = String> {
        let re = |r: &str| proptest::string::string_regex(r).expect("valid regex").boxed();
        let han = "[\u{4e00}-\u{4e80}]";
        let piece = prop_oneof![
            re(&format!("{han}{{4,14}}")),                                // a headline
            re(&format!("——{han}{{6,16}}")),                              // a subtitle
            re(&format!("{han}{{4,10}}（{han}{{2,4}}）")),                // headline with column
            re(&format!("本报记者 {han}{{2,3}}")),                        // byline
            re(&format!("本报讯\\(记者 {han}{{2,3}}\\){han}{{5,20}}。")), // dateline lead
            re(&format!("{han}{{1}}  {han}{{1}}")),                       // padded author
            re(&format!("{han}{{5,30}}[，,]{han}{{3,30}}[。！？]")),      // a paragraph
            re(&format!("{han}{{5,30}}[，,]?{han}{{0,8}}")),              // a paragraph cut by a gap
            re(&format!("图为{han}{{3,10}}。{han}{{2,3}} 摄")),           // caption with credit
            re(&format!("图[①②]：{han}{{4,12}}。")),                      // numbered caption
            re(&format!("{han}{{2,3}}摄（人民视觉）")),                   // credit line
            re("\\(资料照片\\)"),
            re(&format!("（{han}{{2,3}}参与采写）")),       // attribution
            re(&format!("◆{han}{{4,10}} {han}{{6,20}}。")), // brief
            re("第[0-9]版"),                                // furniture
            re(&format!("责任编辑：{han}{{2,3}}")),
            re("（下转第[0-9]版）"),
            re("（上接第[0-9]版）"),
            re("\u{3000}\u{3000}"),
            re("\u{c}"),
            re(&format!("[{han}，。！？“”（）()、 a-z0-9]{{0,30}}")), // noise
        ];
        prop::collection::vec((piece, prop::sample::select(vec!["", "\n", "\n\n", "\n\n\n", " "])), 0..40)
            .prop_map(|v| v.into_iter().map(|(p, sep)| format!("{p}{sep}")).collect())
    }

    #[test]
    fn limits_are_enforced_before_tagging() {
        let long = format!("标题\n\n{}。\n", "长".repeat(50));
        let page = crate::core::page::Page::new(&long, PageMeta::default());
        let tight = Limits { max_line_chars: 40, max_articles: 10 };
        assert!(matches!(
            process_page(&page, &TAGGER, &tight),
            Err(CoreError::Limit(LimitError::LineTooLong { line: 3, chars: 51, limit: 40 }))
        ));
        let seed =
            crate::core::page::Page::new(include_str!("../../seeds/000_cccc709a122f3acc.txt"), PageMeta::default());
        let few = Limits { max_line_chars: 20_000, max_articles: 3 };
        assert!(matches!(
            process_page(&seed, &TAGGER, &few),
            Err(CoreError::Limit(LimitError::TooManyArticles { found: 8, limit: 3 }))
        ));
        assert_eq!(process_page(&seed, &TAGGER, &Limits::default()).unwrap().articles.len(), 8);
    }

    proptest! {
        // 300 cases a run; PROPTEST_CASES=N for a longer search.
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300)
        ))]

        #[test]
        fn any_bytes_decode_or_fail_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            if let Ok(page) = decode::decode(&bytes, &PageMeta::default(), 1 << 20) {
                let _ = process_page(&page, &TAGGER, &Limits::default());
            }
        }

        #[test]
        fn nothing_is_lost_and_splitting_is_deterministic(text in page_text()) {
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            if let Ok(page) = TAGGER.splitter().split(&text, TAGGER.jieba()) {
                if let Err(e) = split::check_accounting(&text, &page) {
                    prop_assert!(false, "{e}\n--- page ---\n{text}");
                }
                prop_assert_eq!(TAGGER.splitter().split(&text, TAGGER.jieba()).unwrap(), page);
            }
        }

        #[test]
        fn page_like_text_never_panics_and_keeps_order(text in page_text()) {
            let page = crate::core::page::Page::new(&text, PageMeta::default());
            if let Ok(done) = process_page(&page, &TAGGER, &Limits::default()) {
                prop_assert!(!done.articles.is_empty());
                for (i, a) in done.articles.iter().enumerate() {
                    prop_assert_eq!(a.seq, i);
                    prop_assert!(!a.body.contains("\n\n\n"), "paragraphs are separated by one blank line");
                    let topics_only = route::route(a, "news", route::Routes { regions: false }).unwrap();
                    prop_assert_eq!(topics_only.len(), a.topics.len().max(1));
                    let all = route::route(a, "news", route::Routes::default()).unwrap();
                    prop_assert!(all.len() >= topics_only.len() && all.len() <= topics_only.len() + a.regions.len());
                    let ids: std::collections::HashSet<&str> = all.iter().map(|o| o.msg_id()).collect();
                    prop_assert_eq!(ids.len(), all.len(), "each copy has its own Nats-Msg-Id");
                }
            }
        }
    }
}
