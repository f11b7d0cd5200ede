//! What operators see: `/healthz`, `/readyz`, `/metrics`, and the NATS micro
//! service (`$SRV.*` verbs and the `newsdesk.parse` endpoint).

use std::time::Duration;

use async_nats::jetstream;
use newsdesk::core::{decode, page::PageMeta, process_page};

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_readiness_and_metrics_follow_the_service() {
    let mut server = NatsServer::start();
    let mut settings = settings(&server, "ops_http");
    let port = free_port();
    settings.service.http_listen = format!("127.0.0.1:{port}").parse().unwrap();
    let js = jetstream::new(client(&server).await);
    let service = Service::start(&settings).await;
    wait_for(20, "/readyz to answer 200", || async { http_get(port, "/readyz").await.map(|r| r.0) == Some(200) }).await;
    let head = http_head(port, "/metrics").await.unwrap();
    assert!(head.to_ascii_lowercase().contains("content-type: application/openmetrics-text"), "{head}");
    let (_, fresh) = http_get(port, "/metrics").await.unwrap();
    for sample in [
        "newsdesk_dead_letters_total{reason=\"decode\"}",
        "newsdesk_dead_letters_total{reason=\"exhausted\"}",
        "newsdesk_pages_total{outcome=\"retried\"}",
    ] {
        assert_eq!(metric(&fresh, sample), Some(0.0), "{sample} at 0 before any page\n{fresh}");
    }
    assert_eq!(http_get(port, "/healthz").await, Some((200, "ok\n".into())));

    let subject = format!("{}.pages.ops", settings.streams.subject_prefix);
    publish(&js, &subject, SEED.as_bytes(), &[]).await;
    publish(&js, &subject, b"", &[]).await;
    wait_drained(&js, &settings, 30).await;
    let expected = process_page(
        &decode::decode(SEED.as_bytes(), &PageMeta::default(), settings.limits.max_page_bytes).unwrap(),
        &TAGGER,
        &settings.limits(),
    )
    .unwrap();
    let inspection = expected.articles.iter().filter(|a| a.topics.iter().any(|t| t.slug == "inspection")).count();

    let (status, text) = http_get(port, "/metrics").await.unwrap();
    assert_eq!(status, 200);
    let m = |s: &str| metric(&text, s).unwrap_or_else(|| panic!("{s} missing from\n{text}"));
    assert_eq!(m("newsdesk_pages_total{outcome=\"done\"}"), 1.0);
    assert_eq!(m("newsdesk_pages_total{outcome=\"dead_lettered\"}"), 1.0);
    assert_eq!(m("newsdesk_dead_letters_total{reason=\"decode\"}"), 1.0);
    assert_eq!(m("newsdesk_articles_total"), expected.articles.len() as f64);
    assert_eq!(m("newsdesk_articles_published_total{topic=\"inspection\"}"), inspection as f64);
    assert_eq!(m("newsdesk_page_processing_seconds_count"), 2.0);
    assert_eq!(m("newsdesk_pages_in_flight"), 0.0);
    assert_eq!(m("newsdesk_redeliveries_total"), 0.0);

    // NATS gone: alive but not ready; back: ready again.
    server.stop();
    wait_for(20, "/readyz to answer 503", || async { http_get(port, "/readyz").await.map(|r| r.0) == Some(503) }).await;
    let (_, why) = http_get(port, "/readyz").await.unwrap();
    assert!(why.contains("not connected to NATS"), "{why}");
    assert_eq!(http_get(port, "/healthz").await.map(|r| r.0), Some(200));
    server.restart();
    wait_for(30, "/readyz to answer 200 again", || async { http_get(port, "/readyz").await.map(|r| r.0) == Some(200) })
        .await;

    service.shutdown().await;
    assert_eq!(http_get(port, "/healthz").await, None, "the HTTP server stops with the service");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_micro_service_parses_on_request_and_reports_its_counters() {
    let server = NatsServer::start();
    let settings = settings(&server, "ops_micro");
    let client = client(&server).await;
    let js = jetstream::new(client.clone());
    let service = Service::start(&settings).await;
    wait_for(20, "the micro service to answer PING", || async {
        client.request("$SRV.PING.newsdesk", "".into()).await.is_ok()
    })
    .await;

    // A page in, its articles out, without any stream.
    let reply = client.request(settings.service.parse_subject.clone(), SEED.as_bytes().to_vec().into()).await.unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&reply.payload).unwrap();
    let offline = process_page(
        &decode::decode(SEED.as_bytes(), &PageMeta::default(), settings.limits.max_page_bytes).unwrap(),
        &TAGGER,
        &settings.limits(),
    )
    .unwrap();
    let articles = parsed["articles"].as_array().unwrap();
    assert_eq!(articles.len(), offline.articles.len());
    assert_eq!(articles[0]["title"], serde_json::json!(offline.articles[0].heads.title));
    assert!(parsed["page"]["id"].is_string());

    // A bad page gets a service error with the reason.
    let bad = client.request(settings.service.parse_subject.clone(), "".into()).await.unwrap();
    let h = bad.headers.expect("error headers");
    assert_eq!(h.get("Nats-Service-Error-Code").unwrap().as_str(), "400");
    assert!(h.get("Nats-Service-Error").unwrap().as_str().starts_with("decode:"), "{h:?}");

    // INFO names the endpoint; STATS carries the page counters.
    publish(&js, &format!("{}.pages.ops", settings.streams.subject_prefix), SEED.as_bytes(), &[]).await;
    publish(&js, &format!("{}.pages.ops", settings.streams.subject_prefix), b"\0\0", &[]).await;
    wait_drained(&js, &settings, 30).await;
    let info: serde_json::Value =
        serde_json::from_slice(&client.request("$SRV.INFO.newsdesk", "".into()).await.unwrap().payload).unwrap();
    assert_eq!(info["name"], "newsdesk");
    assert_eq!(info["endpoints"][0]["subject"], settings.service.parse_subject.as_str());
    let stats: serde_json::Value =
        serde_json::from_slice(&client.request("$SRV.STATS.newsdesk", "".into()).await.unwrap().payload).unwrap();
    let endpoint = &stats["endpoints"][0];
    assert_eq!(endpoint["num_requests"], 2, "{stats}");
    assert_eq!(endpoint["num_errors"], 1, "{stats}");
    assert_eq!(endpoint["data"]["pages"], 1, "{stats}");
    assert_eq!(endpoint["data"]["dead_letters"], 1, "{stats}");
    assert_eq!(endpoint["data"]["articles"], offline.articles.len(), "{stats}");

    service.shutdown().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(client.request("$SRV.PING.newsdesk", "".into()).await.is_err(), "the service deregisters on shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_that_cannot_set_up_its_streams_says_why_and_retries() {
    let server = NatsServer::start();
    let mut settings = settings(&server, "ops_setup");
    let port = free_port();
    settings.service.http_listen = format!("127.0.0.1:{port}").parse().unwrap();
    let js = jetstream::new(client(&server).await);
    // Another stream already owns the pages subjects: the pages stream cannot be made.
    js.create_stream(jetstream::stream::Config {
        name: "SQUATTER".into(),
        subjects: vec![format!("{}.pages.>", settings.streams.subject_prefix)],
        ..Default::default()
    })
    .await
    .unwrap();
    let service = Service::start(&settings).await;
    wait_for(20, "/readyz to say why it is not ready", || async {
        http_get(port, "/readyz").await.is_some_and(|(code, why)| code == 503 && why.contains("overlap"))
    })
    .await;
    assert_eq!(http_get(port, "/healthz").await.map(|r| r.0), Some(200), "alive while not ready");

    js.delete_stream("SQUATTER").await.unwrap();
    wait_for(30, "/readyz to answer 200", || async { http_get(port, "/readyz").await.map(|r| r.0) == Some(200) }).await;
    publish(&js, &format!("{}.pages.ops", settings.streams.subject_prefix), SEED.as_bytes(), &[]).await;
    wait_drained(&js, &settings, 30).await;
    assert!(stream_len(&js, &settings.streams.articles).await > 0);
    service.shutdown().await;
}
