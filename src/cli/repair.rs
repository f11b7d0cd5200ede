//! `newsdesk verify` and `newsdesk replay`: find the pages whose article
//! messages or page records a server lost, and publish exactly those again.
//!
//! The streams are read back (pages and dead letters in full or headers only,
//! articles headers only, page records in full); [`crate::core::ledger`] says
//! what each page must have and what is missing.

use std::collections::{HashMap, HashSet};
use std::process::ExitCode;

use async_nats::HeaderMap;
use async_nats::jetstream::{self, Context};
use serde::Serialize;

use super::{ReplayArgs, VerifyArgs};
use crate::bus::{self, FirstConnect};
use crate::core::ledger::{self, Expected, Gap, Holdings, RecordedPage, Source, StoredPage};
use crate::core::page::PageMeta;
use crate::core::route::{HEADER_MSG_ID, HEADER_REPLAYED_ID, Outgoing};
use crate::core::tag::Tagger;
use crate::core::{Output, Plan, Routed, decode, process};
use crate::settings::Settings;

/// What a look over the streams found.
#[derive(Debug, Default, Serialize)]
pub struct Survey {
    /// Pages in the pages stream (since the start time).
    pub pages: usize,
    /// Pages checked against their page record.
    pub recorded: usize,
    /// Pages checked by processing them again (their record is missing).
    pub reprocessed: usize,
    /// Pages on the dead-letter stream.
    pub dead_lettered: usize,
    /// Pages past the consumer's ack floor: the service may still be at work on them.
    pub pending: usize,
    /// Pages whose text was published again later (checked at their first sequence).
    pub republished: usize,
    /// Pages the core refuses that are not on the dead-letter stream either.
    #[serde(skip)]
    pub unaccounted: Vec<(StoredPage, String)>,
    /// Messages the pages checked must have.
    pub expected: usize,
    /// Message ids stored more than once in the articles stream.
    pub duplicates: usize,
    /// Pages missing messages.
    #[serde(skip)]
    pub gaps: Vec<Gap>,
}

impl Survey {
    /// Messages missing in all.
    pub fn missing(&self) -> usize {
        self.gaps.iter().map(|g| g.missing.len()).sum()
    }
}

/// The `Nats-Msg-Id` of a stored message, or the id `replay` gave it.
fn message_id(headers: Option<&HeaderMap>) -> Option<String> {
    let h = headers?;
    h.get(HEADER_MSG_ID).or_else(|| h.get(HEADER_REPLAYED_ID)).map(|v| v.as_str().to_string())
}

/// Reads the streams and works out every page's gaps.
///
/// The order matters: the consumer's ack floor first, so every page at or
/// below it had its page record and articles acknowledged before the reads
/// start; then page records, dead letters, pages, articles.
///
/// # Errors
/// When a stream cannot be read.
pub async fn survey(
    js: &Context,
    settings: &Settings,
    tagger: &Tagger,
    since: Option<time::OffsetDateTime>,
) -> anyhow::Result<Survey> {
    let (prefix, routes) = (settings.streams.subject_prefix.as_str(), settings.routes());
    let ack_floor = ack_floor(js, settings).await?;

    // Records and articles are read whole, whatever `since` says: a page
    // published again after `since` (dropped as a duplicate) has its record
    // and articles from the first time.
    let mut holdings = Holdings::default();
    let mut bad_records = 0usize;
    bus::scan_stream(js, &settings.streams.audit, None, false, |m| {
        match serde_json::from_slice::<RecordedPage>(&m.payload) {
            Ok(record) => match ledger::expected_from_record(&record, prefix, routes) {
                Ok(expected) => drop(holdings.recorded.insert(record.page.id.clone(), expected)),
                Err(_) => bad_records += 1,
            },
            Err(_) => bad_records += 1,
        }
        if let Some(id) = message_id(m.headers.as_ref()) {
            holdings.stored.insert(id);
        }
    })
    .await?;
    if bad_records > 0 {
        tracing::warn!(records = bad_records, stream = %settings.streams.audit, "messages that are not page records were skipped");
    }

    let dead_prefix = format!("dead:{}:", settings.streams.pages);
    let mut dead: HashSet<u64> = HashSet::new();
    bus::scan_stream(js, &settings.streams.dead, None, true, |m| {
        if let Some(seq) = message_id(m.headers.as_ref()).and_then(|id| id.strip_prefix(&dead_prefix)?.parse().ok()) {
            dead.insert(seq);
        }
    })
    .await?;

    let mut survey = Survey::default();
    let mut owed: Vec<(StoredPage, Vec<Expected>, Source)> = Vec::new();
    let mut seen_ids: HashSet<String> = HashSet::new();
    bus::scan_stream(js, &settings.streams.pages, since, false, |m| {
        survey.pages += 1;
        if dead.contains(&m.seq) {
            survey.dead_lettered += 1;
            return;
        }
        // Past the ack floor the service may still be at work on the page
        // (its record stored, an article publish being retried): left alone.
        if m.seq > ack_floor {
            survey.pending += 1;
            return;
        }
        let page = |id: &str| StoredPage { seq: m.seq, subject: m.subject.clone(), id: id.to_string() };
        // The id is the text's hash: decoded without the headers' metadata,
        // so a header today's checks refuse does not hide the page's record.
        let id = match decode::decode(&m.payload, &PageMeta::default(), settings.limits.max_page_bytes) {
            Ok(p) => p.id,
            Err(e) => return survey.unaccounted.push((page(""), format!("decode: {e}"))),
        };
        // The same page published twice (after the de-duplication window)
        // has one set of messages: checked once, at its first sequence.
        if !seen_ids.insert(id.clone()) {
            survey.republished += 1;
            return;
        }
        if let Some(expected) = holdings.recorded.get(&id) {
            survey.recorded += 1;
            owed.push((page(&id), expected.clone(), Source::Record));
            return;
        }
        let processed = reprocess(&m, settings, tagger, None).and_then(|again| {
            ledger::expected_from_processed(&id, &again.processed, prefix, routes).map_err(|e| e.to_string())
        });
        match processed {
            Ok(expected) => {
                survey.reprocessed += 1;
                owed.push((page(&id), expected, Source::Reprocessed));
            }
            Err(reason) => survey.unaccounted.push((page(&id), reason)),
        }
    })
    .await?;

    bus::scan_stream(js, &settings.streams.articles, None, true, |m| {
        if let Some(id) = message_id(m.headers.as_ref())
            && !holdings.stored.insert(id)
        {
            survey.duplicates += 1;
        }
    })
    .await?;

    for (page, expected, source) in owed {
        survey.expected += expected.len();
        survey.gaps.extend(holdings.gap(&page, &expected, source));
    }
    Ok(survey)
}

/// The pages stream sequence up to which the service's consumer has
/// acknowledged every page.
///
/// # Errors
/// When the consumer does not exist or cannot be read.
async fn ack_floor(js: &Context, settings: &Settings) -> anyhow::Result<u64> {
    let stream = js.get_stream(&settings.streams.pages).await?;
    let durable = &settings.streams.durable;
    match stream.consumer_info(durable.as_str()).await {
        Ok(info) => Ok(info.ack_floor.stream_sequence),
        Err(e) if e.kind() == jetstream::context::ConsumerInfoErrorKind::NotFound => anyhow::bail!(
            "stream {} has no consumer {durable}: no newsdesk has consumed these pages, \
             or NEWSDESK_DURABLE names another consumer",
            settings.streams.pages
        ),
        Err(e) => anyhow::bail!("cannot read consumer {durable}: {e}"),
    }
}

/// Processes a stored page again, as the service would: with its headers'
/// metadata, the messages it gives now (its articles' copies and its page
/// record) when `max_payload` is given.
fn reprocess(
    m: &bus::Stored,
    settings: &Settings,
    tagger: &Tagger,
    max_payload: Option<usize>,
) -> Result<Routed, String> {
    let meta = bus::page_meta(m.headers.as_ref(), settings.service.home_region.as_ref())
        .map_err(|e| format!("decode: invalid metadata header: {e}"))?;
    let output = match max_payload {
        Some(max_payload) => {
            Output::Messages { prefix: &settings.streams.subject_prefix, routes: settings.routes(), max_payload }
        }
        None => Output::Articles,
    };
    let plan = Plan { tagger, max_page_bytes: settings.limits.max_page_bytes, limits: settings.limits(), output };
    process(&m.payload, &meta, &plan).map_err(|e| e.to_string())
}

/// Connects and loads what both commands need.
async fn open(settings: &Settings) -> anyhow::Result<(async_nats::Client, Context, Tagger)> {
    let tagger = super::load_tagger(settings)?;
    let client = bus::connect(settings, "newsdesk-verify", FirstConnect::Once).await?;
    let js = jetstream::new(client.clone());
    for name in [&settings.streams.pages, &settings.streams.articles, &settings.streams.audit, &settings.streams.dead] {
        js.get_stream(name.as_str()).await.map_err(|e| {
            anyhow::anyhow!("stream {name} cannot be read at {}: {e}", bus::redacted_url(&settings.nats.url))
        })?;
    }
    Ok((client, js, tagger))
}

/// One line per page with missing messages, and one per message.
fn print_gap(g: &Gap) {
    let how = match g.source {
        Source::Record => "per its page record",
        Source::Reprocessed => "page record missing too; expected messages from processing the page again",
    };
    println!(
        "page {} (pages stream #{}, {}): {} of {} messages missing ({how})",
        g.page.id,
        g.page.seq,
        g.page.subject,
        g.missing.len(),
        g.expected
    );
    for e in &g.missing {
        println!("  {}  {}", e.subject, e.msg_id);
    }
}

/// The summary line of a survey.
fn summary(s: &Survey, since: Option<time::OffsetDateTime>) -> String {
    let since = since.map_or_else(String::new, |t| format!(" since {}", rfc3339(t)));
    format!(
        "{} pages{since}: {} checked against their page record, {} processed again, {} dead-lettered, {} not yet processed, \
         {} published again; {} messages expected, {} missing from {} pages; {} duplicates",
        s.pages,
        s.recorded,
        s.reprocessed,
        s.dead_lettered,
        s.pending,
        s.republished,
        s.expected,
        s.missing(),
        s.gaps.len(),
        s.duplicates
    )
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|_| t.to_string())
}

/// One gap as a JSON line (`verify --json`).
#[derive(Serialize)]
struct GapLine<'a> {
    page_id: &'a str,
    stream_sequence: u64,
    subject: &'a str,
    expected: usize,
    missing: Vec<MissingLine<'a>>,
    page_record: bool,
}

#[derive(Serialize)]
struct MissingLine<'a> {
    subject: &'a str,
    msg_id: &'a str,
}

/// Runs `newsdesk verify`: exit 0 when every message is there, 1 when any is missing.
///
/// # Errors
/// When NATS or a stream cannot be reached.
pub async fn verify(settings: &Settings, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let (_client, js, tagger) = open(settings).await?;
    let s = survey(&js, settings, &tagger, args.since).await?;
    for g in &s.gaps {
        if args.json {
            let line = GapLine {
                page_id: &g.page.id,
                stream_sequence: g.page.seq,
                subject: &g.page.subject,
                expected: g.expected,
                missing: g
                    .missing
                    .iter()
                    .map(|e| MissingLine { subject: e.subject.as_str(), msg_id: &e.msg_id })
                    .collect(),
                page_record: g.source == Source::Record,
            };
            println!("{}", serde_json::to_string(&line)?);
        } else {
            print_gap(g);
        }
    }
    for (page, reason) in &s.unaccounted {
        eprintln!(
            "newsdesk verify: page #{} ({}) is refused ({reason}) and is not on {}: its dead letter is missing",
            page.seq, page.subject, settings.streams.dead
        );
    }
    if args.json {
        println!("{}", serde_json::json!({ "summary": &s, "missing": s.missing(), "pages_missing": s.gaps.len() }));
    } else {
        println!("{}", summary(&s, args.since));
    }
    Ok(if s.gaps.is_empty() && s.unaccounted.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Runs `newsdesk replay`: publishes the missing messages of the pages named
/// (or of every page missing some, with `--missing`), and nothing else.
/// Exit 0 when every missing message was restored.
///
/// # Errors
/// When NATS or a stream cannot be reached, or a named page is not in the stream.
pub async fn replay(settings: &Settings, args: &ReplayArgs) -> anyhow::Result<ExitCode> {
    let (client, js, tagger) = open(settings).await?;
    let s = survey(&js, settings, &tagger, args.since).await?;
    let wanted: HashSet<&str> = args.page_ids.iter().map(String::as_str).collect();
    if !args.missing {
        let known: HashSet<&str> = s.gaps.iter().map(|g| g.page.id.as_str()).collect();
        for id in &wanted {
            if !known.contains(id) {
                println!("page {id}: nothing missing (or not in {})", settings.streams.pages);
            }
        }
    }
    let gaps: Vec<&Gap> = s.gaps.iter().filter(|g| args.missing || wanted.contains(g.page.id.as_str())).collect();
    let stream = js.get_stream(&settings.streams.pages).await?;
    let max_payload = crate::app::worker::max_payload(&client);
    let (mut restored, mut failed, mut renamed) = (0usize, 0usize, 0usize);
    for g in gaps {
        let stored = stream.get_raw_message(g.page.seq).await?;
        let m = bus::Stored {
            seq: g.page.seq,
            subject: g.page.subject.clone(),
            headers: Some(stored.headers),
            payload: stored.payload,
        };
        let out = match reprocess(&m, settings, &tagger, Some(max_payload)) {
            Ok(done) => done.messages,
            Err(reason) => {
                eprintln!("newsdesk replay: page {} cannot be processed again: {reason}", g.page.id);
                failed += g.missing.len();
                continue;
            }
        };
        let by_id: HashMap<&str, &Outgoing> = out.iter().map(|o| (o.msg_id(), o)).collect();
        let mut done = 0;
        for e in &g.missing {
            let Some(o) = by_id.get(e.msg_id.as_str()) else {
                eprintln!(
                    "newsdesk replay: page {}: {} ({}) is not among the messages the page gives now \
                     (the taxonomy or gazetteer changed since it was routed); not restored",
                    g.page.id, e.msg_id, e.subject
                );
                failed += 1;
                continue;
            };
            match republish(&js, o, settings.publish_timeout()).await {
                Ok(under_replayed_id) => {
                    done += 1;
                    renamed += usize::from(under_replayed_id);
                }
                Err(reason) => {
                    eprintln!("newsdesk replay: page {}: {} not restored: {reason}", g.page.id, e.msg_id);
                    failed += 1;
                }
            }
        }
        restored += done;
        println!("page {}: restored {done} of {} missing messages", g.page.id, g.missing.len());
    }
    let renamed = if renamed == 0 {
        String::new()
    } else {
        format!(
            " ({renamed} of them carry their id in {HEADER_REPLAYED_ID}: the server still remembered \
             their {HEADER_MSG_ID} and would have dropped them)"
        )
    };
    println!("replay: {restored} messages restored, {failed} not restored{renamed}");
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Publishes one missing message. When the server still remembers its
/// `Nats-Msg-Id` (inside the de-duplication window) and so drops it as a
/// duplicate although the stream no longer holds it, it goes out again
/// without that header, carrying its id in [`HEADER_REPLAYED_ID`]; `Ok(true)`
/// says it did.
async fn republish(js: &Context, o: &Outgoing, timeout: std::time::Duration) -> Result<bool, String> {
    let send = |headers: HeaderMap| async move {
        let ack = js
            .publish_with_headers(o.subject.to_string(), headers, o.payload.clone())
            .await
            .map_err(|e| e.to_string())?;
        tokio::time::timeout(timeout, ack)
            .await
            .map_err(|_| "no acknowledgement in time".to_string())?
            .map_err(|e| e.to_string())
    };
    let ack = send(bus::headers(&o.headers)).await?;
    if !ack.duplicate {
        return Ok(false);
    }
    let mut pairs: Vec<(&str, String)> = o.headers.iter().filter(|(k, _)| *k != HEADER_MSG_ID).cloned().collect();
    pairs.push((HEADER_REPLAYED_ID, o.msg_id().to_string()));
    let again = send(bus::headers(&pairs)).await?;
    if again.duplicate { Err("the server dropped it as a duplicate twice".into()) } else { Ok(true) }
}
