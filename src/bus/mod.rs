//! The bus: connecting to NATS, the JetStream streams and the pages consumer,
//! and publishing with acknowledgement. The only module besides `app` and
//! `cli` that knows async-nats.

use std::time::Duration;

use async_nats::jetstream::{self, Context, consumer::PullConsumer, stream};
use async_nats::{Client, ConnectOptions, HeaderMap};
use futures::future::join_all;

use crate::core::page::PageMeta;
use crate::core::route::Outgoing;
use crate::core::subject::RegionCode;
use crate::settings::Settings;

/// Header naming the paper of a published page.
pub const HEADER_PAPER: &str = "Newsdesk-Paper";
/// Header naming the issue date of a published page.
pub const HEADER_DATE: &str = "Newsdesk-Date";
/// Header naming the page number of a published page.
pub const HEADER_PAGE: &str = "Newsdesk-Page";
/// Header naming the paper's home region (6-digit code).
pub const HEADER_HOME_REGION: &str = "Newsdesk-Home-Region";

/// Failures at the edge: connecting, stream setup, publishing.
#[derive(Debug, thiserror::Error)]
pub enum BusError {
    /// The server could not be reached or refused us.
    #[error("cannot connect to NATS at {url}: {reason}")]
    Connect {
        /// The configured URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// A credentials or certificate file could not be used.
    #[error("cannot use {what}: {reason}")]
    Credentials {
        /// Which setting.
        what: &'static str,
        /// Why.
        reason: String,
    },
    /// Creating or looking up a stream or consumer failed.
    #[error("JetStream setup failed ({what}): {reason}")]
    Setup {
        /// What was being set up.
        what: String,
        /// Why.
        reason: String,
    },
    /// An existing stream or consumer differs from the configuration.
    #[error(
        "{what} exists with {found}, but the configuration asks for {wanted}; \
         fix the configuration, or set adapt_to_config = true (NEWSDESK_ADAPT_TO_CONFIG) to update it"
    )]
    Drift {
        /// Which stream or consumer.
        what: String,
        /// What the server has.
        found: String,
        /// What the configuration asks for.
        wanted: String,
    },
    /// A publish was not acknowledged by JetStream.
    #[error("publish to {subject} failed: {reason}")]
    Publish {
        /// Where it went.
        subject: String,
        /// Why.
        reason: String,
    },
    /// No stream answered a publish: none holds the subject, or (in a
    /// cluster) its stream is electing a leader.
    #[error("publish to {subject} failed: no stream answered (none holds the subject, or it has no leader)")]
    Unavailable {
        /// Where it went.
        subject: String,
    },
}

/// How hard to try the first connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstConnect {
    /// Fail at once when the server does not answer (CLI commands).
    Once,
    /// Keep trying until the server answers (the service in compose).
    Retry,
}

/// The longest wait between two first-connection attempts.
const CONNECT_RETRY_MAX: Duration = Duration::from_secs(5);

/// Connects with the configured authentication and TLS; later disconnects
/// are retried forever and logged. With [`FirstConnect::Retry`] the first
/// connection is tried until it succeeds, with backoff, logging the URL and
/// the reason once (and again when the reason changes); the caller races it
/// with its shutdown signal.
///
/// # Errors
/// [`BusError::Connect`] or [`BusError::Credentials`].
pub async fn connect(settings: &Settings, name: &str, first: FirstConnect) -> Result<Client, BusError> {
    let url = redacted_url(&settings.nats.url);
    let addrs = server_addrs(&settings.nats.url).map_err(|reason| BusError::Connect { url: url.clone(), reason })?;
    let mut delay = Duration::from_millis(250);
    let mut reported: Option<String> = None;
    loop {
        let opts = options(settings, name).await?;
        match opts.connect(addrs.clone()).await {
            Ok(client) => {
                if reported.is_some() {
                    tracing::info!(url = %url, "connected to NATS");
                }
                return Ok(client);
            }
            Err(e) => {
                let reason = e.to_string();
                if first == FirstConnect::Once {
                    return Err(BusError::Connect { url, reason });
                }
                if reported.as_deref() != Some(reason.as_str()) {
                    tracing::warn!(url = %url, reason = %reason, "cannot connect to NATS; retrying until it answers");
                    reported = Some(reason);
                }
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(CONNECT_RETRY_MAX);
            }
        }
    }
}

/// The connection options: name, authentication, TLS, reconnect policy and
/// the events logged after the first connection.
async fn options(settings: &Settings, name: &str) -> Result<ConnectOptions, BusError> {
    let mut opts = ConnectOptions::new()
        .name(name)
        .connection_timeout(Duration::from_secs(5))
        .max_reconnects(None)
        .reconnect_delay_callback(|attempt| Duration::from_millis((100 * 2u64.pow(attempt.min(5) as u32)).min(2000)))
        .event_callback(|event| async move {
            match event {
                async_nats::Event::Connected => tracing::info!("connected to NATS"),
                async_nats::Event::Disconnected => tracing::warn!("disconnected from NATS; reconnecting"),
                other => tracing::debug!(event = %other, "NATS event"),
            }
        });
    if let Some(token) = &settings.nats.token {
        opts = opts.token(token.expose().to_string());
    }
    if let (Some(user), Some(pass)) = (&settings.nats.user, &settings.nats.password) {
        opts = opts.user_and_password(user.clone(), pass.expose().to_string());
    }
    if let Some(seed) = &settings.nats.nkey {
        opts = opts.nkey(seed.expose().to_string());
    }
    if let Some(path) = &settings.nats.creds {
        opts = opts
            .credentials_file(path)
            .await
            .map_err(|e| BusError::Credentials { what: "nats_creds", reason: format!("{}: {e}", path.display()) })?;
    }
    if let Some(ca) = &settings.nats.tls_ca {
        opts = opts.add_root_certificates(ca.clone()).require_tls(true);
    }
    if let (Some(cert), Some(key)) = (&settings.nats.tls_cert, &settings.nats.tls_key) {
        opts = opts.add_client_certificate(cert.clone(), key.clone()).require_tls(true);
    }
    if settings.nats.tls_required {
        opts = opts.require_tls(true);
    }
    Ok(opts)
}

/// A URL list fit to log: a user and password inside a URL
/// (`nats://user:secret@host:4222`) become `***`.
pub fn redacted_url(urls: &str) -> String {
    urls.split(',')
        .map(|u| match (u.find("://"), u.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => format!("{}***{}", &u[..scheme + 3], &u[at..]),
            (None, Some(at)) => format!("***{}", &u[at..]),
            _ => u.to_string(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The servers of a comma-separated URL list (one URL per cluster node).
fn server_addrs(urls: &str) -> Result<Vec<async_nats::ServerAddr>, String> {
    urls.split(',')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(|u| u.parse::<async_nats::ServerAddr>().map_err(|e| format!("{u:?} is not a NATS URL: {e}")))
        .collect()
}

/// Creates the pages, articles and dead-letter streams if they are missing.
///
/// # Errors
/// [`BusError::Setup`] when JetStream is off or a stream cannot be created.
pub async fn ensure_streams(js: &Context, settings: &Settings) -> Result<(), BusError> {
    for (name, subject, what) in [
        (&settings.streams.pages, settings.pages_subjects(), "page dumps"),
        (&settings.streams.articles, settings.articles_subjects(), "tagged articles"),
        (&settings.streams.dead, settings.dead_subjects(), "dead letters"),
        (&settings.streams.audit, settings.audit_subjects(), "page records"),
    ] {
        let setup = |e: String| BusError::Setup { what: format!("stream {name}"), reason: e };
        let wanted = stream::Config {
            name: name.to_string(),
            subjects: vec![subject],
            description: Some(format!("newsdesk {what}")),
            duplicate_window: Duration::from_secs(120),
            num_replicas: settings.streams.replicas,
            ..Default::default()
        };
        let existing = match js.get_or_create_stream(wanted.clone()).await {
            Ok(s) => s,
            // Another process creating it at the same moment (replicas or a
            // publisher starting together) can get ours refused as overlapping
            // its subjects (seen once in CI): then the stream is there, theirs.
            Err(e) => js.get_stream(name.as_str()).await.map_err(|_| setup(e.to_string()))?,
        };
        let found = &existing.cached_info().config;
        let drift = stream_drift(found, &wanted);
        if let Some((found, wanted_text)) = drift {
            if !settings.streams.adapt_to_config {
                return Err(BusError::Drift { what: format!("stream {name}"), found, wanted: wanted_text });
            }
            let mut update = existing.cached_info().config.clone();
            update.subjects = wanted.subjects.clone();
            update.retention = wanted.retention;
            update.num_replicas = wanted.num_replicas;
            js.update_stream(update).await.map_err(|e| setup(e.to_string()))?;
            tracing::warn!(stream = %name, was = %found, now = %wanted_text, "stream adapted to the configuration");
        }
    }
    Ok(())
}

/// How an existing stream differs from the wanted one (subjects, retention, replicas).
fn stream_drift(found: &stream::Config, wanted: &stream::Config) -> Option<(String, String)> {
    let mut a = found.subjects.clone();
    let mut b = wanted.subjects.clone();
    a.sort();
    b.sort();
    let replicas = |c: &stream::Config| c.num_replicas.max(1);
    (a != b || found.retention != wanted.retention || replicas(found) != replicas(wanted)).then(|| {
        (
            format!("subjects {a:?}, retention {:?}, replicas {}", found.retention, replicas(found)),
            format!("subjects {b:?}, retention {:?}, replicas {}", wanted.retention, replicas(wanted)),
        )
    })
}

/// The durable pull consumer on the pages stream (explicit ack).
///
/// # Errors
/// [`BusError::Setup`].
pub async fn pages_consumer(js: &Context, settings: &Settings) -> Result<PullConsumer, BusError> {
    let what = format!("consumer {}", settings.streams.durable);
    let setup = |e: String| BusError::Setup { what: what.clone(), reason: e };
    let stream = js.get_stream(&settings.streams.pages).await.map_err(|e| setup(e.to_string()))?;
    let wanted = jetstream::consumer::pull::Config {
        durable_name: Some(settings.streams.durable.to_string()),
        description: Some("newsdesk page splitter".into()),
        ack_policy: jetstream::consumer::AckPolicy::Explicit,
        ack_wait: settings.ack_wait(),
        // Unlimited on the server: newsdesk counts deliveries itself and
        // dead-letters at `max_deliver`, so a page is never dropped silently.
        max_deliver: -1,
        max_ack_pending: settings.delivery.max_ack_pending,
        filter_subject: settings.pages_subjects(),
        ..Default::default()
    };
    let consumer: PullConsumer = stream
        .get_or_create_consumer(&settings.streams.durable, wanted.clone())
        .await
        .map_err(|e| setup(e.to_string()))?;
    let found = &consumer.cached_info().config;
    let describe = |filter: &str, ack_wait: Duration, pending: i64, deliver: i64| {
        format!("filter {filter:?}, ack_wait {}s, max_ack_pending {pending}, max_deliver {deliver}", ack_wait.as_secs())
    };
    let (f, w) = (
        describe(&found.filter_subject, found.ack_wait, found.max_ack_pending, found.max_deliver),
        describe(&wanted.filter_subject, wanted.ack_wait, wanted.max_ack_pending, wanted.max_deliver),
    );
    if f == w {
        return Ok(consumer);
    }
    if !settings.streams.adapt_to_config {
        return Err(BusError::Drift { what, found: f, wanted: w });
    }
    let updated = stream.create_consumer(wanted).await.map_err(|e| setup(e.to_string()))?;
    tracing::warn!(consumer = %settings.streams.durable, was = %f, now = %w, "consumer adapted to the configuration");
    Ok(updated)
}

/// Builds a header map from pairs.
pub fn headers(pairs: &[(&str, String)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        // Header values are one line.
        let v: String = v.chars().map(|c| if c == '\r' || c == '\n' { ' ' } else { c }).collect();
        h.insert(*k, v.as_str());
    }
    h
}

/// Reads page metadata from message headers; `home` (the configured
/// `home_region`) stands in when no home-region header is given.
///
/// # Errors
/// [`crate::core::subject::InvalidValue`] when the home-region header is not
/// a code or the date header is not a `YYYY-MM-DD` day.
pub fn page_meta(
    h: Option<&HeaderMap>,
    home: Option<&RegionCode>,
) -> Result<PageMeta, crate::core::subject::InvalidValue> {
    let get = |k: &str| h.and_then(|h| h.get(k)).map(|v| v.as_str().trim().to_string()).filter(|v| !v.is_empty());
    Ok(PageMeta {
        paper: get(HEADER_PAPER),
        date: get(HEADER_DATE).map(|d| crate::core::subject::issue_date(&d)).transpose()?,
        page: get(HEADER_PAGE),
        home_region: get(HEADER_HOME_REGION).map(|c| RegionCode::parse(&c)).transpose()?.or_else(|| home.cloned()),
    })
}

/// Publishes all messages, then waits for every JetStream acknowledgement
/// (each within `timeout`). Succeeds only when all were acknowledged
/// (duplicates included: they are already stored).
///
/// # Errors
/// [`BusError::Publish`] for the first message that was not acknowledged.
pub async fn publish_all(js: &Context, out: &[Outgoing], timeout: Duration) -> Result<usize, BusError> {
    let mut pending = Vec::with_capacity(out.len());
    for o in out {
        let fail = |reason: String| BusError::Publish { subject: o.subject.to_string(), reason };
        let ack = tokio::time::timeout(
            timeout,
            js.publish_with_headers(o.subject.to_string(), headers(&o.headers), o.payload.clone()),
        )
        .await
        .map_err(|_| fail("timed out sending".into()))?
        .map_err(|e| fail(e.to_string()))?;
        pending.push((o.subject.to_string(), ack));
    }
    let acks = join_all(pending.into_iter().map(|(subject, ack)| async move {
        match tokio::time::timeout(timeout, ack).await {
            Ok(Ok(a)) => Ok(a.duplicate),
            Ok(Err(e)) if e.kind() == jetstream::context::PublishErrorKind::StreamNotFound => {
                Err(BusError::Unavailable { subject })
            }
            Ok(Err(e)) => Err(BusError::Publish { subject, reason: e.to_string() }),
            Err(_) => Err(BusError::Publish { subject, reason: "no acknowledgement in time".into() }),
        }
    }))
    .await;
    let mut fresh = 0;
    for a in acks {
        if !a? {
            fresh += 1;
        }
    }
    Ok(fresh)
}

/// One message read back from a stream.
#[derive(Debug)]
pub struct Stored {
    /// Its sequence in the stream.
    pub seq: u64,
    /// The subject it was published on.
    pub subject: String,
    /// Its headers.
    pub headers: Option<HeaderMap>,
    /// Its payload (empty when read headers only).
    pub payload: bytes::Bytes,
}

/// How long a stream read waits for the next message before it gives up: the
/// server sends a stored message at once, so silence this long is a fault.
const SCAN_IDLE: Duration = Duration::from_secs(10);

/// Reads every message of stream `name` stored at or after `since` (all when
/// `None`), in order, with an ordered consumer, and hands each to `each`;
/// `headers_only` leaves the payloads on the server. Returns how many were read.
///
/// # Errors
/// [`BusError::Setup`] when the stream or the consumer cannot be used, or the
/// server stops sending before the end.
pub async fn scan_stream(
    js: &Context,
    name: &str,
    since: Option<time::OffsetDateTime>,
    headers_only: bool,
    mut each: impl FnMut(Stored),
) -> Result<u64, BusError> {
    use futures::StreamExt;
    let setup = |e: String| BusError::Setup { what: format!("reading stream {name}"), reason: e };
    let stream = js.get_stream(name).await.map_err(|e| setup(e.to_string()))?;
    let deliver_policy = match since {
        Some(start_time) => jetstream::consumer::DeliverPolicy::ByStartTime { start_time },
        None => jetstream::consumer::DeliverPolicy::All,
    };
    let config = jetstream::consumer::pull::OrderedConfig { deliver_policy, headers_only, ..Default::default() };
    let consumer = stream.create_consumer(config).await.map_err(|e| setup(e.to_string()))?;
    if consumer.cached_info().num_pending == 0 {
        return Ok(0);
    }
    let mut messages = consumer.messages().await.map_err(|e| setup(e.to_string()))?;
    let mut read = 0;
    let mut last_seq = 0;
    loop {
        let Ok(next) = tokio::time::timeout(SCAN_IDLE, messages.next()).await else {
            // Silence: the messages still to come were removed meanwhile
            // (retention, a purge), or the server stopped sending.
            let rest = jetstream::consumer::pull::OrderedConfig {
                deliver_policy: jetstream::consumer::DeliverPolicy::ByStartSequence { start_sequence: last_seq + 1 },
                headers_only: true,
                ..Default::default()
            };
            let left = stream.create_consumer(rest).await.map_err(|e| setup(e.to_string()))?;
            if left.cached_info().num_pending == 0 {
                return Ok(read);
            }
            return Err(setup(format!("no message for {}s after {read}", SCAN_IDLE.as_secs())));
        };
        let Some(message) = next else { return Err(setup(format!("the server ended the read after {read}"))) };
        let message = message.map_err(|e| setup(e.to_string()))?;
        let info = message.info().map_err(|e| setup(e.to_string()))?;
        let (seq, pending) = (info.stream_sequence, info.pending);
        last_seq = seq;
        let message = message.split().0;
        each(Stored { seq, subject: message.subject.to_string(), headers: message.headers, payload: message.payload });
        read += 1;
        if pending == 0 {
            return Ok(read);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn credentials_in_a_url_are_not_shown() {
        assert_eq!(super::redacted_url("nats://u:hunter2@a:4222,nats://b:4222"), "nats://***@a:4222,nats://b:4222");
        assert_eq!(super::redacted_url("tok@a:4222"), "***@a:4222");
        assert_eq!(super::redacted_url("nats://127.0.0.1:4222"), "nats://127.0.0.1:4222");
    }

    #[test]
    fn a_cluster_is_a_comma_separated_url_list() {
        let addrs = super::server_addrs("nats://a:4222, nats://b:4222,tls://c:4223").unwrap();
        assert_eq!(addrs.len(), 3);
        assert_eq!(addrs[2].host(), "c");
        assert!(super::server_addrs("nats://a:4222,http://b:1").is_err());
    }

    #[test]
    fn replicas_are_part_of_a_streams_drift() {
        let wanted = super::stream::Config { subjects: vec!["a.>".into()], num_replicas: 3, ..Default::default() };
        let found = super::stream::Config { num_replicas: 1, ..wanted.clone() };
        let (was, want) = super::stream_drift(&found, &wanted).expect("drift");
        assert!(was.contains("replicas 1") && want.contains("replicas 3"), "{was} / {want}");
        assert!(super::stream_drift(&wanted, &wanted).is_none());
        // A server reports 1 replica where 0 (the default) was asked.
        let default = super::stream::Config { num_replicas: 0, ..wanted.clone() };
        assert!(super::stream_drift(&found, &default).is_none());
    }
}
