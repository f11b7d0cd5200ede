//! What the service counts, and whether it is ready: read by `/metrics`,
//! `/readyz` and the NATS micro service's stats.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_nats::Client;
use async_nats::connection::State;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use super::outcome::Outcome;

type Labels = Vec<(&'static str, String)>;

/// The `outcome` labels of `newsdesk_pages_total`.
const PAGE_OUTCOMES: &[&str] = &["done", "dead_lettered", "retried"];

/// The service's counters and its readiness.
pub struct Metrics {
    registry: Registry,
    pages: Family<Labels, Counter>,
    articles: Counter,
    published: Family<Labels, Counter>,
    dead_letters: Family<Labels, Counter>,
    redeliveries: Counter,
    seconds: Histogram,
    in_flight: Gauge,
    client: Client,
    streams_ready: AtomicBool,
    setup_error: std::sync::Mutex<Option<String>>,
}

/// Totals for the micro service's stats.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Totals {
    /// Pages whose articles were all published.
    pub pages: u64,
    /// Articles on those pages.
    pub articles: u64,
    /// Pages dead-lettered.
    pub dead_letters: u64,
    /// Pages retried after a transient failure.
    pub retries: u64,
    /// Pages being processed now.
    pub in_flight: i64,
}

impl Metrics {
    /// Metrics for a service using `client`.
    pub fn new(client: Client) -> Metrics {
        let mut registry = Registry::with_prefix("newsdesk");
        let pages = Family::<Labels, Counter>::default();
        registry.register("pages", "Pages processed, by outcome (done, dead_lettered, retried)", pages.clone());
        let articles = Counter::default();
        registry.register("articles", "Articles split from pages that were done", articles.clone());
        let published = Family::<Labels, Counter>::default();
        registry.register(
            "articles_published",
            "Article messages acknowledged by JetStream, by topic",
            published.clone(),
        );
        let dead_letters = Family::<Labels, Counter>::default();
        registry.register("dead_letters", "Pages dead-lettered, by reason", dead_letters.clone());
        let redeliveries = Counter::default();
        registry.register("redeliveries", "Page deliveries after the first", redeliveries.clone());
        let seconds = Histogram::new(exponential_buckets(0.001, 2.0, 14));
        registry.register("page_processing_seconds", "Time from delivery to acknowledgement decision", seconds.clone());
        let in_flight = Gauge::default();
        registry.register("pages_in_flight", "Pages being processed now", in_flight.clone());
        // Every labelled counter whose labels are known is there from the start, at 0.
        for outcome in PAGE_OUTCOMES {
            drop(pages.get_or_create(&vec![("outcome", outcome.to_string())]));
        }
        for reason in super::worker::DEAD_LETTER_REASONS {
            drop(dead_letters.get_or_create(&vec![("reason", reason.to_string())]));
        }
        Metrics {
            registry,
            pages,
            articles,
            published,
            dead_letters,
            redeliveries,
            seconds,
            in_flight,
            client,
            streams_ready: AtomicBool::new(false),
            setup_error: std::sync::Mutex::new(None),
        }
    }

    /// A page was delivered (`delivered` times so far) and work starts on it.
    pub fn started(&self, delivered: i64) {
        self.in_flight.inc();
        if delivered > 1 {
            self.redeliveries.inc();
        }
    }

    /// A page's outcome is decided after `took`.
    pub fn finished(&self, outcome: &Outcome, took: Duration) {
        self.in_flight.dec();
        self.seconds.observe(took.as_secs_f64());
        let label = match outcome {
            Outcome::Done { articles, topics, .. } => {
                self.articles.inc_by(*articles as u64);
                for (topic, n) in topics {
                    self.published.get_or_create(&vec![("topic", topic.clone())]).inc_by(*n as u64);
                }
                "done"
            }
            Outcome::DeadLettered { kind, .. } => {
                self.dead_letters.get_or_create(&vec![("reason", (*kind).to_string())]).inc();
                "dead_lettered"
            }
            Outcome::Retry { .. } => "retried",
        };
        self.pages.get_or_create(&vec![("outcome", label.to_string())]).inc();
    }

    /// Streams and consumer are in place (or, on shutdown, no longer served).
    pub fn set_streams_ready(&self, ready: bool) {
        self.streams_ready.store(ready, Ordering::Relaxed);
        if ready {
            *self.setup_error.lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
    }

    /// Why the last attempt to set up streams and consumer failed.
    pub fn set_setup_error(&self, why: String) {
        *self.setup_error.lock().unwrap_or_else(|e| e.into_inner()) = Some(why);
    }

    /// Connected to NATS, with streams and consumer in place.
    pub fn ready(&self) -> Result<(), String> {
        if self.client.connection_state() != State::Connected {
            return Err("not connected to NATS".into());
        }
        if !self.streams_ready.load(Ordering::Relaxed) {
            return Err(match &*self.setup_error.lock().unwrap_or_else(|e| e.into_inner()) {
                Some(why) => format!("streams and consumer not in place: {why}"),
                None => "streams and consumer not in place".into(),
            });
        }
        Ok(())
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        encode(&mut out, &self.registry).expect("writing to a String cannot fail");
        out
    }

    /// The totals the micro service reports.
    pub fn totals(&self) -> Totals {
        let outcome = |o: &str| self.pages.get_or_create(&vec![("outcome", o.to_string())]).get();
        Totals {
            pages: outcome("done"),
            articles: self.articles.get(),
            dead_letters: outcome("dead_lettered"),
            retries: outcome("retried"),
            in_flight: self.in_flight.get(),
        }
    }
}
