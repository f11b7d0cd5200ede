//! Graceful shutdown: pages in flight are finished and acknowledged, the rest
//! wait in the stream for the next start; nothing is lost or left unacked.

use async_nats::jetstream;

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_leaves_nothing_unacked_and_a_restart_finishes_the_rest() {
    let server = NatsServer::start();
    let mut settings = settings(&server, "shutdown");
    settings.delivery.concurrency = 2;
    settings.delivery.ack_wait_secs = 60; // an unacked page would stay visible for the whole test
    let client = client(&server).await;
    let js = jetstream::new(client.clone());
    ensure_streams(&js, &settings).await;
    let subject = format!("{}.pages.many", settings.streams.subject_prefix);
    let pages = 40;
    for i in 0..pages {
        let page = format!("{SEED}\n\n第{i}期\n");
        publish(&js, &subject, page.as_bytes(), &[]).await;
    }
    let service = Service::start(&settings).await;
    wait_for(20, "the first articles", || async { stream_len(&js, &settings.streams.articles).await > 0 }).await;
    service.shutdown().await;

    let (pending, ack_pending) = consumer_backlog(&js, &settings).await.unwrap();
    assert_eq!(ack_pending, 0, "no page is left delivered but unacknowledged");
    assert!(pending < pages, "some pages were processed before shutdown");

    let service = Service::start(&settings).await;
    wait_drained(&js, &settings, 60).await;
    service.shutdown().await;
    let ids: std::collections::HashSet<String> = stream_messages(&js, &settings.streams.articles)
        .await
        .iter()
        .map(|m| m.headers.get("Newsdesk-Page-Id").unwrap().as_str().to_string())
        .collect();
    assert_eq!(ids.len() as u64, pages, "every page produced its articles");
}
