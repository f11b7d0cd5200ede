//! The one entry point of the core: a payload in, a decoded page, its
//! articles and (when asked) the messages to publish out. The worker, the
//! micro service, `parse`, `demo`, `verify`/`replay` and the benchmarks all
//! go through [`process`], so none of them stitches the stages itself.

use super::page::{Page, PageMeta};
use super::route::{Outgoing, Routes, audit, check_sizes, route};
use super::tag::Tagger;
use super::{CoreError, Limits, Processed, decode, process_page};

/// What to make of a page.
#[derive(Clone, Copy)]
pub struct Plan<'a> {
    /// The tagger (and splitter), loaded once.
    pub tagger: &'a Tagger,
    /// Largest payload taken, in bytes.
    pub max_page_bytes: usize,
    /// Line and article limits.
    pub limits: Limits,
    /// Whether to build the messages, and how.
    pub output: Output<'a>,
}

/// Whether [`process`] routes the articles.
#[derive(Debug, Clone, Copy)]
pub enum Output<'a> {
    /// The articles only (`parse`, the parse endpoint, `demo`'s summary).
    Articles,
    /// The articles and every message to publish: each article's copies,
    /// then the page record, each within `max_payload`.
    Messages {
        /// First subject token(s).
        prefix: &'a str,
        /// Which copies go out.
        routes: Routes,
        /// The server's largest message.
        max_payload: usize,
    },
}

/// A page the core is done with.
#[derive(Debug, Clone)]
pub struct Routed {
    /// The decoded page.
    pub page: Page,
    /// Its articles, furniture and line fates.
    pub processed: Processed,
    /// The messages to publish (empty for [`Output::Articles`]).
    pub messages: Vec<Outgoing>,
}

/// Decodes, splits, tags and (per `plan.output`) routes one page.
///
/// # Errors
/// [`CoreError`] naming the stage that refused the page.
pub fn process(payload: &[u8], meta: &PageMeta, plan: &Plan<'_>) -> Result<Routed, CoreError> {
    let page = decode::decode(payload, meta, plan.max_page_bytes)?;
    let processed = process_page(&page, plan.tagger, &plan.limits)?;
    let messages = match plan.output {
        Output::Articles => Vec::new(),
        Output::Messages { prefix, routes, max_payload } => {
            let mut out = Vec::with_capacity(processed.articles.len() * 3 + 1);
            for a in &processed.articles {
                out.extend(route(a, prefix, routes)?);
            }
            out.push(audit(page.reference(), &processed, prefix, max_payload)?);
            check_sizes(&out, max_payload)?;
            out
        }
    };
    Ok(Routed { page, processed, messages })
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;
    use crate::core::tag::TagData;

    static TAGGER: LazyLock<Tagger> = LazyLock::new(|| Tagger::new(TagData::default()).unwrap());
    const SEED: &str = include_str!("../../seeds/000_cccc709a122f3acc.txt");

    fn plan(output: Output<'_>) -> Plan<'_> {
        Plan { tagger: &TAGGER, max_page_bytes: 1 << 20, limits: Limits::default(), output }
    }

    #[test]
    fn one_call_gives_the_page_its_articles_and_its_messages() {
        let messages = Output::Messages { prefix: "news", routes: Routes::default(), max_payload: 1 << 20 };
        let done = process(SEED.as_bytes(), &PageMeta::default(), &plan(messages)).unwrap();
        assert_eq!(done.processed.articles.len(), 8);
        let last = done.messages.last().unwrap();
        assert_eq!(last.subject.as_str(), "news.audit.pages", "the page record goes last");
        assert!(done.messages.len() > done.processed.articles.len());
        let articles = process(SEED.as_bytes(), &PageMeta::default(), &plan(Output::Articles)).unwrap();
        assert!(articles.messages.is_empty());
        assert_eq!(articles.processed.articles, done.processed.articles);
    }

    #[test]
    fn each_stage_refuses_in_its_own_words() {
        let small = Output::Messages { prefix: "news", routes: Routes::default(), max_payload: 300 };
        let e = process(SEED.as_bytes(), &PageMeta::default(), &plan(small)).unwrap_err();
        assert!(matches!(e, CoreError::Limit(_)) && e.to_string().contains("max_payload"), "{e}");
        let bad_prefix = Output::Messages { prefix: "a b", routes: Routes::default(), max_payload: 1 << 20 };
        let e = process(SEED.as_bytes(), &PageMeta::default(), &plan(bad_prefix)).unwrap_err();
        assert!(matches!(e, CoreError::Route(_)), "{e}");
        let e = process(b"  ", &PageMeta::default(), &plan(Output::Articles)).unwrap_err();
        assert!(matches!(e, CoreError::Decode(_)), "{e}");
    }
}
