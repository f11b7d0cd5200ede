//! One page, one step: decode, split, tag, route, publish, and the outcome.

use std::sync::Arc;

use async_nats::jetstream::{self, Context};
use bytes::Bytes;
use tracing::{info, warn};

use super::outcome::{Outcome, backoff, exhausted};
use crate::bus::{self, BusError};
use crate::core::route::{HEADER_ERROR, HEADER_MSG_ID, HEADER_TOPIC, Outgoing};
use crate::core::tag::Tagger;
use crate::core::{CoreError, Output, Plan, process};
use crate::settings::Settings;

/// What a worker needs, shared by all workers.
pub struct Shared {
    /// JetStream context.
    pub js: Context,
    /// Settings.
    pub settings: Settings,
    /// The tagger, loaded once.
    pub tagger: Arc<Tagger>,
    /// The connection (for the server's `max_payload`).
    pub client: async_nats::Client,
    /// Slots for the CPU work (split and tag), `cpu_workers` of them: more
    /// pages may wait for acknowledgements than there are cores.
    pub cpu: tokio::sync::Semaphore,
}

/// The largest message the server takes; NATS's default until the server has said.
pub fn max_payload(client: &async_nats::Client) -> usize {
    match client.server_info().max_payload {
        0 => 1 << 20,
        n => n,
    }
}

/// Why the core refused a page, or why it could not be processed: permanent.
#[derive(Debug, thiserror::Error)]
enum Permanent {
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error("worker panicked: {0}")]
    Panic(String),
}

/// Every reason a page is dead-lettered for, as `/metrics` labels it: the
/// kinds of [`Permanent`] and `exhausted` (delivered `max_deliver` times).
pub const DEAD_LETTER_REASONS: &[&str] = &["decode", "split", "limit", "route", "panic", "exhausted"];

impl Permanent {
    /// The metrics label of this failure (one of [`DEAD_LETTER_REASONS`]).
    fn kind(&self) -> &'static str {
        match self {
            Permanent::Core(CoreError::Decode(_)) => "decode",
            Permanent::Core(CoreError::Split(_)) => "split",
            Permanent::Core(CoreError::Limit(_)) => "limit",
            Permanent::Core(CoreError::Route(_)) => "route",
            Permanent::Panic(_) => "panic",
        }
    }
}

/// Processes one delivered page and returns its outcome (not yet acknowledged).
pub async fn try_page(shared: &Shared, msg: &jetstream::Message) -> Outcome {
    let delivered = msg.info().map(|i| i.delivered).unwrap_or(1);
    let settings = &shared.settings;
    let header_meta = match bus::page_meta(msg.headers.as_ref(), settings.service.home_region.as_ref()) {
        Ok(m) => m,
        Err(e) => {
            let reason = format!("decode: invalid metadata header: {e}");
            return dead_letter(shared, msg, "decode", &reason, delivered).await;
        }
    };
    let payload = msg.payload.clone();
    let tagger = shared.tagger.clone();
    let max_page_bytes = settings.limits.max_page_bytes;
    let prefix = settings.streams.subject_prefix.clone();
    let routes = settings.routes();
    let limits = settings.limits();
    let started = std::time::Instant::now();
    let max_payload = max_payload(&shared.client);
    let slot = shared.cpu.acquire().await.expect("the CPU semaphore is never closed");
    let result = tokio::task::spawn_blocking(move || -> Result<_, Permanent> {
        let output = Output::Messages { prefix: &prefix, routes, max_payload };
        let plan = Plan { tagger: &tagger, max_page_bytes, limits, output };
        let routed = process(&payload, &header_meta, &plan)?;
        Ok((routed.page.id, routed.processed.articles.len(), routed.messages))
    })
    .await
    .unwrap_or_else(|e| Err(Permanent::Panic(e.to_string())));
    drop(slot);
    let (page_id, articles, out) = match result {
        Ok(v) => v,
        Err(e) => return dead_letter(shared, msg, e.kind(), &e.to_string(), delivered).await,
    };
    tracing::Span::current().record("page_id", page_id.as_str());
    match publish_patiently(shared, &out).await {
        Ok(stored) => {
            info!(articles, messages = out.len(), stored, ms = started.elapsed().as_millis() as u64, "page routed");
            Outcome::Done { articles, stored, topics: topic_counts(&out) }
        }
        Err(e) => transient(shared, msg, &e, delivered).await,
    }
}

/// Attempts at publishing a page's messages within one delivery while no
/// stream answers, before the page is handed back for redelivery.
const UNAVAILABLE_ATTEMPTS: i64 = 4;

/// Publishes a page's messages. While no stream answers (a cluster electing a
/// new leader after losing a node), waits with backoff and publishes again
/// within this delivery (the page stays in progress meanwhile, and repeated
/// messages are dropped by their ids), so a failover does not use up the
/// page's deliveries and send it to the dead letters.
async fn publish_patiently(shared: &Shared, out: &[Outgoing]) -> Result<usize, BusError> {
    let s = &shared.settings;
    let mut attempt = 1;
    loop {
        match bus::publish_all(&shared.js, out, s.publish_timeout()).await {
            Err(e @ BusError::Unavailable { .. }) if attempt < UNAVAILABLE_ATTEMPTS => {
                let delay = backoff(std::time::Duration::from_millis(s.delivery.retry_delay_ms), attempt);
                warn!(error = %e, attempt, delay_ms = delay.as_millis() as u64, "no stream answered; publishing again");
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
            done => return done,
        }
    }
}

/// How many article messages went to each topic.
fn topic_counts(out: &[Outgoing]) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for o in out {
        let Some((_, topic)) = o.headers.iter().find(|(k, _)| *k == HEADER_TOPIC) else { continue };
        match counts.iter_mut().find(|(t, _)| t == topic) {
            Some((_, n)) => *n += 1,
            None => counts.push((topic.clone(), 1)),
        }
    }
    counts
}

/// A transient failure: retry later, or dead-letter when deliveries are used up.
async fn transient(shared: &Shared, msg: &jetstream::Message, e: &BusError, delivered: i64) -> Outcome {
    let s = &shared.settings;
    if exhausted(delivered, s.delivery.max_deliver) {
        let reason = format!("gave up after {delivered} deliveries: {e}");
        return dead_letter(shared, msg, "exhausted", &reason, delivered).await;
    }
    let delay = backoff(std::time::Duration::from_millis(s.delivery.retry_delay_ms), delivered);
    warn!(error = %e, delivered, delay_ms = delay.as_millis() as u64, "page will be retried");
    Outcome::Retry { reason: e.to_string(), delay }
}

/// Publishes the original payload to the dead-letter subject with the reason.
async fn dead_letter(
    shared: &Shared,
    msg: &jetstream::Message,
    kind: &'static str,
    reason: &str,
    delivered: i64,
) -> Outcome {
    let s = &shared.settings;
    let info = msg.info().ok();
    let seq = info.as_ref().map_or(0, |i| i.stream_sequence);
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(h) = msg.headers.as_ref() {
        for (k, vs) in h.iter() {
            let k: &str = k.as_ref();
            if k.eq_ignore_ascii_case(HEADER_MSG_ID) || k.starts_with("Nats-") {
                continue;
            }
            if let Some(v) = vs.first() {
                pairs.push((k, v.as_str().to_string()));
            }
        }
    }
    pairs.push((HEADER_ERROR, reason.to_string()));
    pairs.push((HEADER_MSG_ID, format!("dead:{}:{seq}", s.streams.pages)));
    pairs.push(("Newsdesk-Source-Subject", msg.subject.to_string()));
    pairs.push(("Newsdesk-Source-Sequence", seq.to_string()));
    pairs.push(("Newsdesk-Deliveries", delivered.to_string()));
    let headers = bus::headers(&pairs);
    let sent = async {
        let ack = shared.js.publish_with_headers(s.dead_subject(), headers, Bytes::from(msg.payload.to_vec())).await?;
        ack.await?;
        Ok::<_, async_nats::Error>(())
    };
    match tokio::time::timeout(s.publish_timeout(), sent).await {
        Ok(Ok(())) => {
            warn!(reason, "page dead-lettered");
            Outcome::DeadLettered { kind, reason: reason.to_string() }
        }
        Ok(Err(e)) => retry_dead_letter(s, reason, &e.to_string(), delivered),
        Err(_) => retry_dead_letter(s, reason, "no acknowledgement in time", delivered),
    }
}

fn retry_dead_letter(s: &Settings, reason: &str, why: &str, delivered: i64) -> Outcome {
    let delay = backoff(std::time::Duration::from_millis(s.delivery.retry_delay_ms), delivered);
    warn!(reason, error = why, "dead letter not stored; page will be retried");
    Outcome::Retry { reason: format!("{reason} (dead letter not stored: {why})"), delay }
}
