//! Route: which subjects an article goes out on, with which headers and id.
//!
//! Each article is published once per topic on `<prefix>.articles.topic.<slug>`,
//! or once on `<prefix>.articles.topic.unsorted` when it has no topic, and once
//! per region on `<prefix>.articles.region.<province>.<city>.<county>`. The
//! `Nats-Msg-Id` is `<page id>:<seq>:<slug>` (`…:region:<p>.<c>.<county>`):
//! stable across redeliveries, so JetStream drops the duplicates a redelivered
//! page would otherwise create.

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
/// Header carrying the region subject tokens a region copy was routed for.
pub const HEADER_REGION: &str = "Newsdesk-Region";
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

/// Which copies of an article go out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Routes {
    /// Also publish each article once per region on `<prefix>.articles.region.<p>.<c>.<county>`.
    pub regions: bool,
}

impl Default for Routes {
    fn default() -> Self {
        Routes { regions: true }
    }
}

/// The region subject tokens of a division code: province, city and county
/// codes (6 digits, from the code itself), `0` for a level the region is above
/// (`140000.140800.140823`, `140000.140800.0`, `140000.0.0`); a township goes
/// under its county.
pub fn region_tokens(code: &str) -> Option<[String; 3]> {
    if code.len() < 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let province = format!("{}0000", &code[..2]);
    if &code[2..6] == "0000" {
        return Some([province, "0".into(), "0".into()]);
    }
    let city = format!("{}00", &code[..4]);
    if &code[4..6] == "00" {
        return Some([province, city, "0".into()]);
    }
    Some([province, city, code[..6].to_string()])
}

/// The subject of articles about the region with `tokens` (see [`region_tokens`]).
///
/// # Errors
/// [`InvalidValue`] when the prefix is not a valid subject.
pub fn region_subject(prefix: &str, tokens: &[String; 3]) -> Result<Subject, InvalidValue> {
    Subject::join(prefix, &["articles", "region", &tokens[0], &tokens[1], &tokens[2]])
}

/// The messages for one article: once per topic (or once as unsorted), and
/// once per distinct county-level region when `routes.regions` is on.
///
/// # Errors
/// [`InvalidValue`] when the prefix or a topic slug is not a valid subject token.
pub fn route(article: &Article, prefix: &str, routes: Routes) -> Result<Vec<Outgoing>, InvalidValue> {
    let payload = serde_json::to_vec(article).expect("an article always serialises");
    let regions = article.regions.iter().map(|r| r.code.as_str()).collect::<Vec<_>>().join(",");
    let common = |id: String| {
        vec![
            (HEADER_MSG_ID, id),
            (HEADER_ARTICLE_ID, article.id.clone()),
            (HEADER_PAGE_ID, article.page.id.clone()),
            (HEADER_REGIONS, regions.clone()),
        ]
    };
    let mut slugs: Vec<&str> = article.topics.iter().map(|t| t.slug.as_str()).collect();
    if slugs.is_empty() {
        slugs.push(UNSORTED);
    }
    let mut out = Vec::new();
    for slug in slugs {
        let mut headers = common(format!("{}:{}:{}", article.page.id, article.seq, slug));
        headers.push((HEADER_TOPIC, slug.to_string()));
        out.push(Outgoing { subject: topic_subject(prefix, slug)?, headers, payload: payload.clone() });
    }
    if routes.regions {
        let mut seen = std::collections::BTreeSet::new();
        for tokens in article.regions.iter().filter_map(|r| region_tokens(&r.code)) {
            if !seen.insert(tokens.clone()) {
                continue;
            }
            let key = tokens.join(".");
            let mut headers = common(format!("{}:{}:region:{key}", article.page.id, article.seq));
            headers.push((HEADER_REGION, key));
            out.push(Outgoing { subject: region_subject(prefix, &tokens)?, headers, payload: payload.clone() });
        }
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_tokens_follow_the_code() {
        let t = |c: &str| region_tokens(c).map(|t| t.join("."));
        assert_eq!(t("140823").as_deref(), Some("140000.140800.140823"));
        assert_eq!(t("140823204").as_deref(), Some("140000.140800.140823"), "a township goes under its county");
        assert_eq!(t("140800").as_deref(), Some("140000.140800.0"));
        assert_eq!(t("140000").as_deref(), Some("140000.0.0"));
        assert_eq!(t("110119").as_deref(), Some("110000.110100.110119"));
        assert_eq!(t("14"), None);
    }
}
