//! Route: which subjects an article goes out on, with which headers and id.
//!
//! Each article is published once per topic on `<prefix>.articles.topic.<slug>`,
//! or once on `<prefix>.articles.topic.unsorted` when it has no topic, and once
//! per region on `<prefix>.articles.region.<province>.<city>.<county>`. The
//! `Nats-Msg-Id` is `<page id>:<seq>:<slug>` (`…:region:<p>.<c>.<county>`):
//! stable across redeliveries, so JetStream drops the duplicates a redelivered
//! page would otherwise create.

use serde::Serialize;

use super::article::{Article, Kind, PageRef};
use super::subject::{InvalidValue, Subject};
use super::tag::topics::UNSORTED;
use super::{LimitError, Processed};

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
/// Header carrying the id of a message `newsdesk replay` restored while the
/// server still remembered its `Nats-Msg-Id` (and would have dropped it as a
/// duplicate): the message goes out without `Nats-Msg-Id` and with this.
pub const HEADER_REPLAYED_ID: &str = "Newsdesk-Msg-Id";
/// Header carrying the reason a page was dead-lettered.
pub const HEADER_ERROR: &str = "Newsdesk-Error";

/// One message to publish.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    /// Where it goes.
    pub subject: Subject,
    /// Headers, `Nats-Msg-Id` first.
    pub headers: Vec<(&'static str, String)>,
    /// The article JSON, shared by an article's copies.
    pub payload: bytes::Bytes,
}

impl Outgoing {
    /// Bytes the message takes against the server's `max_payload`: payload
    /// and headers (with the header block's framing).
    pub fn wire_bytes(&self) -> usize {
        let headers: usize = self.headers.iter().map(|(k, v)| k.len() + v.len() + 4).sum();
        self.payload.len() + headers + "NATS/1.0\r\n\r\n".len()
    }

    /// The message's de-duplication id.
    pub fn msg_id(&self) -> &str {
        self.headers.iter().find(|(k, _)| *k == HEADER_MSG_ID).map_or("", |(_, v)| v.as_str())
    }
}

/// Checks every message fits the server's `max_payload`.
///
/// # Errors
/// [`LimitError::MessageTooLarge`] for the first that does not.
pub fn check_sizes(out: &[Outgoing], max_payload: usize) -> Result<(), LimitError> {
    match out.iter().find(|o| o.wire_bytes() > max_payload) {
        Some(o) => Err(LimitError::MessageTooLarge {
            subject: o.subject.to_string(),
            bytes: o.wire_bytes(),
            limit: max_payload,
        }),
        None => Ok(()),
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

/// One copy of an article: where it goes and under which id. What [`route`]
/// publishes and what `newsdesk verify` expects to find, from the article or
/// from its line in a page record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    /// The subject.
    pub subject: Subject,
    /// The `Nats-Msg-Id`.
    pub msg_id: String,
    /// The header naming what the copy was routed for, and its value:
    /// [`HEADER_TOPIC`] and a slug, or [`HEADER_REGION`] and region tokens.
    pub routed_for: (&'static str, String),
}

/// The copies of article `seq` of page `page_id` with these topic slugs (empty:
/// unsorted) and region codes: once per topic, then once per distinct
/// county-level region when `routes.regions` is on.
///
/// # Errors
/// [`InvalidValue`] when the prefix or a topic slug is not a valid subject token.
pub fn copies<'a>(
    page_id: &str,
    seq: usize,
    topics: impl IntoIterator<Item = &'a str>,
    regions: impl IntoIterator<Item = &'a str>,
    prefix: &str,
    routes: Routes,
) -> Result<Vec<Copy>, InvalidValue> {
    let mut out = Vec::new();
    for slug in topics {
        out.push(Copy {
            subject: topic_subject(prefix, slug)?,
            msg_id: format!("{page_id}:{seq}:{slug}"),
            routed_for: (HEADER_TOPIC, slug.to_string()),
        });
    }
    if out.is_empty() {
        out.push(Copy {
            subject: topic_subject(prefix, UNSORTED)?,
            msg_id: format!("{page_id}:{seq}:{UNSORTED}"),
            routed_for: (HEADER_TOPIC, UNSORTED.to_string()),
        });
    }
    if routes.regions {
        let mut seen = std::collections::BTreeSet::new();
        for tokens in regions.into_iter().filter_map(region_tokens) {
            if !seen.insert(tokens.clone()) {
                continue;
            }
            let key = tokens.join(".");
            out.push(Copy {
                subject: region_subject(prefix, &tokens)?,
                msg_id: format!("{page_id}:{seq}:region:{key}"),
                routed_for: (HEADER_REGION, key),
            });
        }
    }
    Ok(out)
}

/// The messages for one article: its [`copies`], each carrying the article JSON.
///
/// # Errors
/// [`InvalidValue`] when the prefix or a topic slug is not a valid subject token.
pub fn route(article: &Article, prefix: &str, routes: Routes) -> Result<Vec<Outgoing>, InvalidValue> {
    let payload = bytes::Bytes::from(serde_json::to_vec(article).expect("an article always serialises"));
    let regions = article.regions.iter().map(|r| r.code.as_str()).collect::<Vec<_>>().join(",");
    let copies = copies(
        &article.page.id,
        article.seq,
        article.topics.iter().map(|t| t.slug.as_str()),
        article.regions.iter().map(|r| r.code.as_str()),
        prefix,
        routes,
    )?;
    Ok(copies
        .into_iter()
        .map(|c| Outgoing {
            subject: c.subject,
            headers: vec![
                (HEADER_MSG_ID, c.msg_id),
                (HEADER_ARTICLE_ID, article.id.clone()),
                (HEADER_PAGE_ID, article.page.id.clone()),
                (HEADER_REGIONS, regions.clone()),
                c.routed_for,
            ],
            payload: payload.clone(),
        })
        .collect())
}

/// The `Nats-Msg-Id` of a page's record on `<prefix>.audit.pages`.
pub fn audit_msg_id(page_id: &str) -> String {
    format!("audit:{page_id}")
}

/// The subject of page records.
///
/// # Errors
/// [`InvalidValue`] when the prefix is not a valid subject.
pub fn audit_subject(prefix: &str) -> Result<Subject, InvalidValue> {
    Subject::join(prefix, &["audit", "pages"])
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
    /// Set when the record would be larger than a message may be: the line
    /// texts and the furniture are left out (roles and articles stay), and
    /// if that is not enough, the lines too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted: Option<&'static str>,
    /// The articles, in page order.
    pub articles: Vec<ArticleRecord<'a>>,
}

/// One line of the page in the audit record.
#[derive(Debug, Clone, Serialize)]
pub struct LineRecord<'a> {
    /// The line (left out when the record is too large).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'a str>,
    /// Its length in characters.
    pub chars: usize,
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
        lines: processed
            .lines
            .iter()
            .map(|l| LineRecord {
                text: Some(&l.text),
                chars: l.text.chars().count(),
                role: l.role,
                article: l.article,
            })
            .collect(),
        omitted: None,
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

/// The audit message of a processed page on `<prefix>.audit.pages`, made
/// to fit `max_payload` bytes: a record too large loses its line texts and
/// furniture first, then its lines (see [`PageRecord::omitted`]).
///
/// # Errors
/// [`InvalidValue`] when the prefix is not a valid subject.
pub fn audit(page: PageRef, processed: &Processed, prefix: &str, max_payload: usize) -> Result<Outgoing, InvalidValue> {
    let id = page.id.clone();
    let mut out = Outgoing {
        subject: audit_subject(prefix)?,
        headers: vec![(HEADER_MSG_ID, audit_msg_id(&id)), (HEADER_PAGE_ID, id)],
        payload: bytes::Bytes::new(),
    };
    let mut record = page_record(page, processed);
    let encode = |r: &PageRecord| bytes::Bytes::from(serde_json::to_vec(r).expect("a page record always serialises"));
    out.payload = encode(&record);
    if out.wire_bytes() > max_payload {
        record.lines.iter_mut().for_each(|l| l.text = None);
        record.furniture = &[];
        record.omitted = Some("line texts and furniture");
        out.payload = encode(&record);
    }
    if out.wire_bytes() > max_payload {
        record.lines.clear();
        record.omitted = Some("lines and furniture");
        out.payload = encode(&record);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::split::LineFate;

    fn page_of(lines: usize, chars: usize) -> (PageRef, Processed) {
        let line = |i: usize| LineFate {
            text: format!("{i}{}", "字".repeat(chars)),
            role: "body",
            continues: false,
            article: None,
        };
        let processed =
            Processed { articles: vec![], furniture: vec!["第3版".into()], lines: (0..lines).map(line).collect() };
        (PageRef { id: "0123456789abcdef".into(), paper: None, date: None, page: None }, processed)
    }

    #[test]
    fn a_page_record_too_large_for_a_message_sheds_texts_then_lines() {
        let (page, p) = page_of(100, 100);
        let full = audit(page.clone(), &p, "news", 1 << 20).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&full.payload).unwrap();
        assert!(v.get("omitted").is_none() && v["lines"][5]["text"].as_str().unwrap().starts_with('5'));

        let budget = full.wire_bytes() - 1;
        let lean = audit(page.clone(), &p, "news", budget).unwrap();
        assert!(lean.wire_bytes() <= budget);
        let v: serde_json::Value = serde_json::from_slice(&lean.payload).unwrap();
        assert_eq!(v["omitted"], "line texts and furniture");
        assert_eq!(v["lines"].as_array().unwrap().len(), 100);
        assert!(v["lines"][5].get("text").is_none() && v["lines"][5]["chars"] == 101);

        let bare = audit(page, &p, "news", 400).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&bare.payload).unwrap();
        assert_eq!(v["omitted"], "lines and furniture");
        assert_eq!(v["lines"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn a_message_over_max_payload_is_named() {
        let (page, p) = page_of(10, 10);
        let out = audit(page, &p, "news", 1 << 20).unwrap();
        assert!(check_sizes(std::slice::from_ref(&out), out.wire_bytes()).is_ok());
        let e = check_sizes(std::slice::from_ref(&out), out.wire_bytes() - 1).unwrap_err().to_string();
        assert!(e.contains("news.audit.pages") && e.contains("max_payload"), "{e}");
    }

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
