//! The same page delivered twice creates no duplicate article.

use std::collections::HashSet;

use async_nats::jetstream;

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_the_same_page_twice_stores_each_article_once() {
    let server = NatsServer::start();
    let settings = settings(&server, "dedup");
    let client = client(&server).await;
    let js = jetstream::new(client.clone());
    ensure_streams(&js, &settings).await;
    let subject = format!("{}.pages.dup", settings.streams.subject_prefix);
    // Twice, without a page-level Nats-Msg-Id, so both copies reach the service.
    publish(&js, &subject, SEED.as_bytes(), &[]).await;
    publish(&js, &subject, SEED.as_bytes(), &[]).await;
    assert_eq!(stream_len(&js, &settings.streams.pages).await, 2);

    let service = Service::start(&settings).await;
    wait_drained(&js, &settings, 20).await;
    service.shutdown().await;

    // What one copy routes, computed offline.
    let expected = expected_msg_ids([SEED.as_bytes()], &settings);
    let ids = stored_headers(&js, &settings.streams.articles, "Nats-Msg-Id").await;
    assert_eq!(ids.len(), expected.len(), "no duplicates: {ids:?}");
    assert_eq!(ids.into_iter().collect::<HashSet<_>>(), expected);
}
