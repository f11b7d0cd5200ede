//! The ledger: which messages each routed page must have in the articles and
//! audit streams, and which of them the streams no longer hold. What
//! `newsdesk verify` reports and `newsdesk replay` restores. Pure: the edge
//! reads the streams and hands over what they hold.
//!
//! A page's messages are known from its page record (the topics and regions
//! each article was routed for when it was routed, whatever the configuration
//! says now) or, when the record itself is gone, from processing the page
//! again; the record is then one of the missing messages.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use super::route::{Copy, Routes, audit_msg_id, audit_subject, copies};
use super::subject::{InvalidValue, Subject};
use super::{Processed, article::PageRef};

/// A page record as read back from the audit stream: only what says which
/// copies were published.
#[derive(Debug, Clone, Deserialize)]
pub struct RecordedPage {
    /// The page.
    pub page: PageRef,
    /// Its articles.
    pub articles: Vec<RecordedArticle>,
}

/// One article of a [`RecordedPage`].
#[derive(Debug, Clone, Deserialize)]
pub struct RecordedArticle {
    /// Order on the page.
    pub seq: usize,
    /// Topic slugs (empty: unsorted).
    #[serde(default)]
    pub topics: Vec<String>,
    /// Region codes.
    #[serde(default)]
    pub regions: Vec<String>,
}

/// One message a page must have: where and under which id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// The subject it was published on.
    pub subject: Subject,
    /// Its `Nats-Msg-Id`.
    pub msg_id: String,
}

impl From<Copy> for Expected {
    fn from(c: Copy) -> Self {
        Expected { subject: c.subject, msg_id: c.msg_id }
    }
}

/// The messages of a page its record names: every article's copies and the
/// record itself.
///
/// # Errors
/// [`InvalidValue`] when the prefix or a recorded slug is not a subject token.
pub fn expected_from_record(
    record: &RecordedPage,
    prefix: &str,
    routes: Routes,
) -> Result<Vec<Expected>, InvalidValue> {
    let articles = record
        .articles
        .iter()
        .map(|a| (a.seq, a.topics.iter().map(String::as_str), a.regions.iter().map(String::as_str)));
    expected_of(&record.page.id, articles, prefix, routes)
}

/// The messages of a page processed again (its record being gone).
///
/// # Errors
/// [`InvalidValue`] when the prefix or a slug is not a subject token.
pub fn expected_from_processed(
    page_id: &str,
    processed: &Processed,
    prefix: &str,
    routes: Routes,
) -> Result<Vec<Expected>, InvalidValue> {
    let articles = processed
        .articles
        .iter()
        .map(|a| (a.seq, a.topics.iter().map(|t| t.slug.as_str()), a.regions.iter().map(|r| r.code.as_str())));
    expected_of(page_id, articles, prefix, routes)
}

/// The page record's id, then every article's copies, from each article's
/// position, topic slugs and region codes.
fn expected_of<'a, T, R>(
    page_id: &str,
    articles: impl Iterator<Item = (usize, T, R)>,
    prefix: &str,
    routes: Routes,
) -> Result<Vec<Expected>, InvalidValue>
where
    T: Iterator<Item = &'a str>,
    R: Iterator<Item = &'a str>,
{
    let mut out = vec![Expected { subject: audit_subject(prefix)?, msg_id: audit_msg_id(page_id) }];
    for (seq, topics, regions) in articles {
        out.extend(copies(page_id, seq, topics, regions, prefix, routes)?.into_iter().map(Expected::from));
    }
    Ok(out)
}

/// A page as the pages stream holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPage {
    /// Its sequence in the pages stream.
    pub seq: u64,
    /// The subject it was published on.
    pub subject: String,
    /// Its id (content hash of the decoded text).
    pub id: String,
}

/// How a page's expected messages were known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// From its page record.
    Record,
    /// From processing the page again: its record is missing.
    Reprocessed,
}

/// A page some of whose messages are missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The page.
    pub page: StoredPage,
    /// How many messages it should have.
    pub expected: usize,
    /// The ones the streams do not hold, in routing order.
    pub missing: Vec<Expected>,
    /// Where the expectation came from.
    pub source: Source,
}

/// What the streams hold, gathered by the edge.
#[derive(Debug, Default)]
pub struct Holdings {
    /// Expected messages of each page id that has a page record.
    pub recorded: HashMap<String, Vec<Expected>>,
    /// Ids of every message in the articles and audit streams.
    pub stored: HashSet<String>,
}

impl Holdings {
    /// The messages of `page` the streams do not hold, given its `expected`
    /// messages; `None` when nothing is missing.
    pub fn gap(&self, page: &StoredPage, expected: &[Expected], source: Source) -> Option<Gap> {
        let missing: Vec<Expected> = expected.iter().filter(|e| !self.stored.contains(&e.msg_id)).cloned().collect();
        (!missing.is_empty()).then(|| Gap { page: page.clone(), expected: expected.len(), missing, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> RecordedPage {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_record_names_each_copy_and_itself() {
        let r = record(
            r#"{"schema":1,"page":{"id":"00ff","paper":null,"date":null,"page":null},"furniture":[],"lines":[],
                "articles":[{"id":"a","seq":0,"kind":"article","title":"t","topics":["inspection","governance"],
                             "regions":["140823","140823204"]},
                            {"id":"b","seq":1,"kind":"brief","title":null,"topics":[],"regions":[]}]}"#,
        );
        let ids: Vec<String> =
            expected_from_record(&r, "news", Routes::default()).unwrap().into_iter().map(|e| e.msg_id).collect();
        assert_eq!(
            ids,
            [
                "audit:00ff",
                "00ff:0:inspection",
                "00ff:0:governance",
                "00ff:0:region:140000.140800.140823",
                "00ff:1:unsorted"
            ]
        );
        let no_regions = expected_from_record(&r, "news", Routes { regions: false }).unwrap();
        assert_eq!(no_regions.len(), 4);
        assert_eq!(no_regions[1].subject.as_str(), "news.articles.topic.inspection");
    }

    #[test]
    fn a_gap_lists_only_what_is_not_stored() {
        let page = StoredPage { seq: 7, subject: "news.pages.x".into(), id: "00ff".into() };
        let r = record(
            r#"{"page":{"id":"00ff","paper":null,"date":null,"page":null},
                "articles":[{"seq":0,"topics":["party"],"regions":[]},{"seq":1,"topics":["culture"],"regions":[]}]}"#,
        );
        let expected = expected_from_record(&r, "news", Routes::default()).unwrap();
        let mut h = Holdings::default();
        h.stored.extend(["audit:00ff".to_string(), "00ff:0:party".to_string()]);
        let gap = h.gap(&page, &expected, Source::Record).expect("one is missing");
        assert_eq!(gap.expected, 3);
        assert_eq!(gap.missing.iter().map(|e| e.msg_id.as_str()).collect::<Vec<_>>(), ["00ff:1:culture"]);
        h.stored.insert("00ff:1:culture".into());
        assert_eq!(h.gap(&page, &expected, Source::Record), None);
    }
}
