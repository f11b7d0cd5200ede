//! A flood: 10,000 pages published at once. In-flight pages stay within
//! `max_ack_pending`, the service's memory stays bounded, and every page
//! comes out: one page record each and all of its article messages, once.

use std::collections::HashSet;
use std::process::Stdio;
use std::time::Duration;

use async_nats::jetstream::{self, consumer::pull::OrderedConfig};
use futures::StreamExt;
use newsdesk::core::{decode, page::PageMeta};

use crate::harness::*;

const SHORT: &str = include_str!("../fixtures/short_news.txt");
const PAGES: usize = 10_000;

/// Resident memory of a process, in KiB (`VmRSS` of /proc).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")?.trim().strip_suffix("kB")?.trim().parse().ok())
}

/// One header of every message in a stream, read with an ordered consumer.
async fn all_headers(js: &jetstream::Context, stream: &str, header: &str) -> Vec<String> {
    let s = js.get_stream(stream).await.unwrap();
    let total = s.cached_info().state.messages as usize;
    let consumer = s.create_consumer(OrderedConfig::default()).await.unwrap();
    let mut messages = consumer.messages().await.unwrap();
    let mut out = Vec::with_capacity(total);
    while out.len() < total {
        let m = tokio::time::timeout(Duration::from_secs(20), messages.next()).await.unwrap().unwrap().unwrap();
        out.push(m.headers.as_ref().and_then(|h| h.get(header)).unwrap().as_str().to_string());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_pages_at_once_stay_bounded_and_all_come_out() {
    let server = NatsServer::start();
    let mut settings = settings(&server, "flood");
    settings.delivery.max_ack_pending = 64;
    let js = jetstream::new(client(&server).await);
    ensure_streams(&js, &settings).await;
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("serve.log");
    let mut serve = spawn_serve(&settings, Stdio::from(std::fs::File::create(&log).unwrap()));
    wait_for(30, "the service to serve", || async {
        std::fs::read_to_string(&log).unwrap_or_default().contains("newsdesk serving")
    })
    .await;
    let idle_kib = rss_kib(serve.id()).unwrap();

    let pages: Vec<String> = (0..PAGES).map(|i| format!("{SHORT}\n（第{i}期）\n")).collect();
    let subject = format!("{}.pages.flood", settings.streams.subject_prefix);
    for chunk in pages.chunks(1000) {
        let mut acks = Vec::new();
        for p in chunk {
            acks.push(js.publish(subject.clone(), p.clone().into()).await.unwrap());
        }
        for ack in acks {
            ack.await.unwrap();
        }
    }

    let (mut peak_kib, mut peak_pending) = (idle_kib, 0);
    let started = std::time::Instant::now();
    loop {
        peak_kib = peak_kib.max(rss_kib(serve.id()).unwrap_or(0));
        let backlog = consumer_backlog(&js, &settings).await;
        peak_pending = peak_pending.max(backlog.map_or(0, |b| b.1));
        if backlog == Some((0, 0)) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(300), "the flood was not worked off: {backlog:?} left");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let took = started.elapsed();
    serve.kill().unwrap();
    serve.wait().unwrap();

    // Every page has its record, and all its article messages are there once.
    let ids: HashSet<String> = pages
        .iter()
        .map(|p| decode::decode(p.as_bytes(), &PageMeta::default(), settings.limits.max_page_bytes).unwrap().id)
        .collect();
    let records = all_headers(&js, &settings.streams.audit, "Newsdesk-Page-Id").await;
    let recorded: HashSet<String> = records.iter().cloned().collect();
    let per_page = expected_msg_ids([pages[0].as_bytes()], &settings).len();
    let stored = all_headers(&js, &settings.streams.articles, "Nats-Msg-Id").await;
    let unique: HashSet<&String> = stored.iter().collect();
    eprintln!(
        "pages sent {PAGES}, page records {}, article messages expected {}, found {}, duplicates {}; \
         rss idle {} MiB, peak {} MiB; most pages in flight {peak_pending}; worked off in {took:?}",
        records.len(),
        per_page * PAGES,
        unique.len(),
        stored.len() - unique.len(),
        idle_kib / 1024,
        peak_kib / 1024
    );
    assert_eq!(recorded, ids, "a page record for every page");
    assert_eq!(records.len(), PAGES, "one record per page");
    assert_eq!(stored.len(), unique.len(), "no duplicate article message");
    assert_eq!(unique.len(), per_page * PAGES, "every article message of every page");
    assert_eq!(stream_len(&js, &settings.streams.dead).await, 0);
    assert!(peak_pending <= settings.delivery.max_ack_pending as usize, "in flight {peak_pending} > max_ack_pending");
    assert!(peak_kib < idle_kib + 64 * 1024, "memory grew from {idle_kib} KiB to {peak_kib} KiB under the flood");
}
