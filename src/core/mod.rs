//! The pure core: bytes in, articles and routed messages out. No I/O, no async.
//!
//! `decode` turns a payload into a [`page::Page`], `split` cuts the page into
//! article drafts, `tag` adds regions, topics and keywords, `route` says on
//! which subjects each article goes out. [`process`] runs the whole chain.

pub mod article;
pub mod decode;
pub mod page;
pub mod route;
pub mod split;
pub mod subject;
pub mod tag;
pub mod text;

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
}

/// Splits and tags one decoded page.
///
/// # Errors
/// [`split::SplitError`] when the page holds no recognisable article.
pub fn process_page(page: &Page, tagger: &Tagger) -> Result<Processed, CoreError> {
    let split = split::split(&page.text, tagger.jieba())?;
    let articles = split.articles.into_iter().enumerate().map(|(seq, draft)| tagger.tag(page, seq, draft)).collect();
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

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use proptest::prelude::*;

    use super::*;
    use crate::core::page::PageMeta;
    use crate::core::tag::TagData;

    static TAGGER: LazyLock<Tagger> = LazyLock::new(|| Tagger::new(TagData::default()).unwrap());

    /// Lines made of the pieces page dumps are made of, in any order.
    fn page_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("本报讯(记者 张三)".to_string()),
            Just("本报记者 李四".to_string()),
            Just("——".to_string()),
            Just("图为活动现场。王五 摄".to_string()),
            Just("（资料照片）".to_string()),
            Just("（张晨曦参与采写）".to_string()),
            Just("◆".to_string()),
            Just("闻喜县".to_string()),
            Just("巡察".to_string()),
            Just("第3版".to_string()),
            Just("\u{3000}\u{3000}".to_string()),
            Just("\u{c}".to_string()),
            "[\\u{4e00}-\\u{4e80}，。！？“”（）()、 ]{0,30}",
        ];
        prop::collection::vec((piece, prop::sample::select(vec!["", "\n", "\n\n", "\n\n\n", " "])), 0..40)
            .prop_map(|v| v.into_iter().map(|(p, sep)| format!("{p}{sep}")).collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn any_bytes_decode_or_fail_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            if let Ok(page) = decode::decode(&bytes, &PageMeta::default(), 1 << 20) {
                let _ = process_page(&page, &TAGGER);
            }
        }

        #[test]
        fn page_like_text_never_panics_and_keeps_order(text in page_text()) {
            let page = crate::core::page::Page::new(&text, PageMeta::default());
            if let Ok(done) = process_page(&page, &TAGGER) {
                prop_assert!(!done.articles.is_empty());
                for (i, a) in done.articles.iter().enumerate() {
                    prop_assert_eq!(a.seq, i);
                    prop_assert!(!a.body.contains("\n\n\n"), "paragraphs are separated by one blank line");
                    let route = route::route(a, "news").unwrap();
                    prop_assert_eq!(route.len(), a.topics.len().max(1));
                }
            }
        }
    }
}
