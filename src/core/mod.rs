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
    Ok(Processed { articles, furniture: split.furniture })
}

/// A processed page: its tagged articles and the lines that belong to none.
#[derive(Debug, Clone)]
pub struct Processed {
    /// Tagged articles in page order.
    pub articles: Vec<Article>,
    /// Header, footer and stray lines.
    pub furniture: Vec<String>,
}
