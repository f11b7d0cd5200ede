//! Transient failures and slow pages: a page whose articles JetStream does not
//! acknowledge is retried with a growing delay (`Nak` with backoff) and
//! dead-lettered with the reason after `max_deliver` deliveries; a slow page
//! does not hold up the pages behind it.

use async_nats::jetstream;

use crate::harness::*;

const SHORT: &str = include_str!("../fixtures/short_news.txt");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_publish_timeout_is_retried_with_backoff_then_dead_lettered() {
    let server = NatsServer::start();
    let mut settings = settings(&server, "transient");
    // A publish waits longer than JetStream waits for an ack: the page's
    // in-progress acks keep it from being redelivered while it waits.
    settings.delivery.ack_wait_secs = 1;
    settings.delivery.publish_timeout_secs = 2;
    settings.delivery.max_deliver = 3;
    settings.delivery.retry_delay_ms = 200;
    let port = free_port();
    settings.service.http_listen = format!("127.0.0.1:{port}").parse().unwrap();
    let client = client(&server).await;
    let js = jetstream::new(client.clone());
    let service = Service::start(&settings).await;
    wait_for(20, "the service to be ready", || async { http_get(port, "/readyz").await.map(|r| r.0) == Some(200) })
        .await;

    // The articles stream goes away and something that never answers listens
    // on its subjects: every article publish now times out unacknowledged.
    js.delete_stream(&settings.streams.articles).await.unwrap();
    let mut black_hole = client.subscribe(format!("{}.articles.>", settings.streams.subject_prefix)).await.unwrap();
    client.flush().await.unwrap();
    let subject = format!("{}.pages.transient", settings.streams.subject_prefix);
    publish(&js, &subject, SHORT.as_bytes(), &[]).await;

    wait_for(30, "the dead letter", || async { stream_len(&js, &settings.streams.dead).await == 1 }).await;
    let dead = &stream_messages(&js, &settings.streams.dead).await[0];
    let header = |k: &str| dead.headers.get(k).unwrap().as_str().to_string();
    assert_eq!(header("Newsdesk-Deliveries"), "3");
    let reason = header("Newsdesk-Error");
    assert!(reason.starts_with("gave up after 3 deliveries: publish to"), "{reason}");
    assert!(reason.contains("no acknowledgement in time"), "{reason}");
    assert_eq!(&dead.payload[..], SHORT.as_bytes(), "the page itself is kept");
    wait_drained(&js, &settings, 10).await;
    let (_, text) = http_get(port, "/metrics").await.unwrap();
    assert_eq!(metric(&text, "newsdesk_pages_total{outcome=\"retried\"}"), Some(2.0), "{text}");
    assert_eq!(metric(&text, "newsdesk_redeliveries_total"), Some(2.0), "{text}");
    assert_eq!(metric(&text, "newsdesk_dead_letters_total{reason=\"exhausted\"}"), Some(1.0), "{text}");

    // JetStream back: the same page republished goes through.
    black_hole.unsubscribe().await.unwrap();
    ensure_streams(&js, &settings).await;
    publish(&js, &subject, SHORT.as_bytes(), &[]).await;
    wait_for(20, "the page's articles", || async { stream_len(&js, &settings.streams.articles).await > 0 }).await;
    wait_drained(&js, &settings, 10).await;
    assert_eq!(stream_len(&js, &settings.streams.dead).await, 1);
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_without_a_leader_is_waited_for_within_one_delivery() {
    let server = NatsServer::start();
    let mut settings = settings(&server, "leaderless");
    settings.delivery.retry_delay_ms = 1000;
    let port = free_port();
    settings.service.http_listen = format!("127.0.0.1:{port}").parse().unwrap();
    let js = jetstream::new(client(&server).await);
    let service = Service::start(&settings).await;
    wait_for(20, "the service to be ready", || async { http_get(port, "/readyz").await.map(|r| r.0) == Some(200) })
        .await;

    // No stream answers on the article subjects, as while a cluster elects
    // a stream leader; it is back a moment later.
    js.delete_stream(&settings.streams.articles).await.unwrap();
    publish(&js, &format!("{}.pages.leaderless", settings.streams.subject_prefix), SHORT.as_bytes(), &[]).await;
    wait_for(20, "the page to be taken", || async { consumer_backlog(&js, &settings).await == Some((0, 1)) }).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    ensure_streams(&js, &settings).await;

    wait_for(20, "the page's articles", || async { stream_len(&js, &settings.streams.articles).await > 0 }).await;
    wait_drained(&js, &settings, 10).await;
    let (_, text) = http_get(port, "/metrics").await.unwrap();
    assert_eq!(metric(&text, "newsdesk_pages_total{outcome=\"done\"}"), Some(1.0), "{text}");
    assert_eq!(metric(&text, "newsdesk_redeliveries_total"), Some(0.0), "published again within the delivery: {text}");
    assert_eq!(stream_len(&js, &settings.streams.dead).await, 0);
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_page_does_not_hold_up_the_pages_behind_it() {
    let server = NatsServer::start();
    let mut settings = settings(&server, "slow");
    settings.delivery.concurrency = 2;
    settings.delivery.cpu_workers = 2;
    settings.limits.max_articles = 5000;
    let js = jetstream::new(client(&server).await);
    ensure_streams(&js, &settings).await;
    // The slow page: about 2,500 short articles in just under 1 MB.
    let mut slow = String::new();
    let mut i = 0;
    while slow.len() < 900_000 {
        slow.push_str(&format!("{SHORT}\n（第{i}期）\n"));
        i += 1;
    }
    let quick: Vec<String> = (0..10).map(|i| format!("{SHORT}\n（快讯{i}）\n")).collect();
    let subject = format!("{}.pages.slow", settings.streams.subject_prefix);
    publish(&js, &subject, slow.as_bytes(), &[]).await;
    for p in &quick {
        publish(&js, &subject, p.as_bytes(), &[]).await;
    }

    let service = Service::start(&settings).await;
    wait_drained(&js, &settings, 50).await;
    service.shutdown().await;

    // The page records are published as each page finishes: the slow page's comes last.
    let finished = stored_headers(&js, &settings.streams.audit, "Newsdesk-Page-Id").await;
    let slow_id = newsdesk::core::decode::decode(slow.as_bytes(), &Default::default(), settings.limits.max_page_bytes)
        .unwrap()
        .id;
    eprintln!(
        "slow page of {i} articles finished {} of {}",
        finished.iter().position(|p| *p == slow_id).unwrap() + 1,
        finished.len()
    );
    assert_eq!(finished.len(), quick.len() + 1);
    assert_eq!(finished.last(), Some(&slow_id), "the ten quick pages finished while the slow one was processed");
    let expected = expected_msg_ids(quick.iter().map(|p| p.as_bytes()).chain([slow.as_bytes()]), &settings);
    assert_eq!(stream_len(&js, &settings.streams.articles).await, expected.len() as u64);
}
