//! Route: which subjects an article goes out on, with which headers and id.
//!
//! Each article is published once per topic on `<prefix>.articles.topic.<slug>`,
//! or once on `<prefix>.articles.topic.unsorted` when it has no topic. The
//! `Nats-Msg-Id` is `<page id>:<seq>:<slug>`: stable across redeliveries, so
//! JetStream drops the duplicates a redelivered page would otherwise create.

use serde::Serialize;

use super::Processed;
use super::article::{Article, Kind, PageRef};
use super::subject::{InvalidValue, Subject};
use super::tag::topics::UNSORTED;

/// Header carrying the JetStream de-duplication id.
pub const HEADER_MSG_ID: &str = "Nats-Msg-Id";
/// Header carrying the article id.
pub const HEADER_ARTICLE_ID: &str = "Newsdesk-Article-Id";
/// Header carrying the page id.
pub const HEADER_PAGE_ID: &str = "Newsdesk-Page-Id";
/// Header carrying the topic this copy was routed for.
pub const HEADER_TOPIC: &str = "Newsdesk-Topic";
/// Header carrying the article's region codes, comma-separated.
pub const HEADER_REGIONS: &str = "Newsdesk-Regions";
/// Header carrying the reason a page was dead-lettered.
pub const HEADER_ERROR: &str = "Newsdesk-Error";

/// One message to publish.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    /// Where it goes.
    pub subject: Subject,
    /// Headers, `Nats-Msg-Id` first.
    pub headers: Vec<(&'static str, String)>,
    /// The article JSON.
    pub payload: Vec<u8>,
}

impl Outgoing {
    /// The message's de-duplication id.
    pub fn msg_id(&self) -> &str {
        self.headers.iter().find(|(k, _)| *k == HEADER_MSG_ID).map_or("", |(_, v)| v.as_str())
    }
}

/// The subject of articles on topic `slug`.
///
/// # Errors
/// [`InvalidValue`] when the prefix or slug is not a valid subject token.
pub fn topic_subject(prefix: &str, slug: &str) -> Result<Subject, InvalidValue> {
    Subject::join(prefix, &["articles", "topic", slug])
}

/// The messages for one article.
///
/// # Errors
/// [`InvalidValue`] when the prefix or a topic slug is not a valid subject token.
pub fn route(article: &Article, prefix: &str) -> Result<Vec<Outgoing>, InvalidValue> {
    let payload = serde_json::to_vec(article).expect("an article always serialises");
    let regions = article.regions.iter().map(|r| r.code.as_str()).collect::<Vec<_>>().join(",");
    let mut slugs: Vec<&str> = article.topics.iter().map(|t| t.slug.as_str()).collect();
    if slugs.is_empty() {
        slugs.push(UNSORTED);
    }
    slugs
        .into_iter()
        .map(|slug| {
            Ok(Outgoing {
                subject: topic_subject(prefix, slug)?,
                headers: vec![
                    (HEADER_MSG_ID, format!("{}:{}:{}", article.page.id, article.seq, slug)),
                    (HEADER_ARTICLE_ID, article.id.clone()),
                    (HEADER_PAGE_ID, article.page.id.clone()),
                    (HEADER_TOPIC, slug.to_string()),
                    (HEADER_REGIONS, regions.clone()),
                ],
                payload: payload.clone(),
            })
        })
        .collect()
}

/// The page record published on `<prefix>.audit.pages`: where each line of
/// the page went, and the articles it became (ids and titles, not whole articles).
#[derive(Debug, Clone, Serialize)]
pub struct PageRecord<'a> {
    /// Always 1.
    pub schema: u32,
    /// The page.
    pub page: PageRef,
    /// Lines that belong to no article.
    pub furniture: &'a [String],
    /// Every line with its role and article index.
    pub lines: Vec<LineRecord<'a>>,
    /// The articles, in page order.
    pub articles: Vec<ArticleRecord<'a>>,
}

/// One line of the page in the audit record.
#[derive(Debug, Clone, Serialize)]
pub struct LineRecord<'a> {
    /// The line.
    pub text: &'a str,
    /// The role it was given.
    pub role: &'a str,
    /// Index into `articles`; null for furniture.
    pub article: Option<usize>,
}

/// One article in the audit record.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleRecord<'a> {
    /// Article id.
    pub id: &'a str,
    /// Order on the page.
    pub seq: usize,
    /// Kind.
    pub kind: Kind,
    /// Headline.
    pub title: Option<&'a str>,
    /// Topic slugs (empty: unsorted).
    pub topics: Vec<&'a str>,
    /// Region codes.
    pub regions: Vec<&'a str>,
}

/// Builds the page record of a processed page.
pub fn page_record<'a>(page: PageRef, processed: &'a Processed) -> PageRecord<'a> {
    PageRecord {
        schema: super::article::SCHEMA_VERSION,
        page,
        furniture: &processed.furniture,
        lines: processed.lines.iter().map(|l| LineRecord { text: &l.text, role: l.role, article: l.article }).collect(),
        articles: processed
            .articles
            .iter()
            .map(|a| ArticleRecord {
                id: &a.id,
                seq: a.seq,
                kind: a.kind,
                title: a.heads.title.as_deref(),
                topics: a.topics.iter().map(|t| t.slug.as_str()).collect(),
                regions: a.regions.iter().map(|r| r.code.as_str()).collect(),
            })
            .collect(),
    }
}

/// The audit message of a processed page on `<prefix>.audit.pages`.
///
/// # Errors
/// [`InvalidValue`] when the prefix is not a valid subject.
pub fn audit(page: PageRef, processed: &Processed, prefix: &str) -> Result<Outgoing, InvalidValue> {
    let id = page.id.clone();
    let payload = serde_json::to_vec(&page_record(page, processed)).expect("a page record always serialises");
    Ok(Outgoing {
        subject: Subject::join(prefix, &["audit", "pages"])?,
        headers: vec![(HEADER_MSG_ID, format!("audit:{id}")), (HEADER_PAGE_ID, id)],
        payload,
    })
}
