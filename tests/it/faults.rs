//! Faults: nothing lost and nothing duplicated when NATS restarts mid-run.

use std::collections::HashSet;

use async_nats::jetstream;
use newsdesk::core::page::PageMeta;
use newsdesk::core::route::route;
use newsdesk::core::{decode, process_page};

use crate::harness::*;

const SHORT: &str = include_str!("../fixtures/short_news.txt");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nats_restart_mid_run_loses_and_duplicates_nothing() {
    let mut server = NatsServer::start();
    let settings = settings(&server, "nats_restart");
    let client = client(&server).await;
    let js = jetstream::new(client.clone());
    ensure_streams(&js, &settings).await;
    let subject = format!("{}.pages.fault", settings.subject_prefix);
    let pages: Vec<String> = (0..200).map(|i| format!("{SHORT}\n（第{i}期）\n")).collect();
    for p in &pages {
        publish(&js, &subject, p.as_bytes(), &[]).await;
    }
    // Every message the pages should produce, computed offline.
    let expected: HashSet<String> = pages
        .iter()
        .flat_map(|p| {
            let page = decode::decode(p.as_bytes(), &PageMeta::default(), settings.max_page_bytes).unwrap();
            let done = process_page(&page, &TAGGER, &settings.limits()).unwrap();
            done.articles
                .iter()
                .flat_map(|a| route(a, &settings.subject_prefix, settings.routes()).unwrap())
                .collect::<Vec<_>>()
        })
        .map(|o| o.msg_id().to_string())
        .collect();

    let service = Service::start(&settings).await;
    wait_for(30, "the first articles", || async { stream_len(&js, &settings.articles_stream).await > 0 }).await;
    let (pending, in_flight) = consumer_backlog(&js, &settings).await.unwrap();
    eprintln!("stopping nats-server with {pending} pages pending and {in_flight} in flight");
    assert!(pending + in_flight as u64 > 0, "the restart happens mid-run");
    server.stop();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    server.restart();
    wait_drained(&js, &settings, 50).await;
    service.shutdown().await;

    let stored: Vec<String> = stream_messages(&js, &settings.articles_stream)
        .await
        .iter()
        .map(|m| m.headers.get("Nats-Msg-Id").unwrap().as_str().to_string())
        .collect();
    let unique: HashSet<String> = stored.iter().cloned().collect();
    eprintln!(
        "pages sent {}, article messages expected {}, found {}, duplicates {}",
        pages.len(),
        expected.len(),
        unique.len(),
        stored.len() - unique.len()
    );
    assert_eq!(stored.len(), unique.len(), "no duplicates");
    assert_eq!(unique, expected, "every article message of every page, once");
    assert_eq!(stream_len(&js, &settings.dead_stream).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_service_restarted_loses_and_duplicates_nothing() {
    let server = NatsServer::start();
    let settings = settings(&server, "crash");
    let client = client(&server).await;
    let js = jetstream::new(client.clone());
    ensure_streams(&js, &settings).await;
    let subject = format!("{}.pages.crash", settings.subject_prefix);
    let pages: Vec<String> = (0..500).map(|i| format!("{SHORT}\n（第{i}期）\n")).collect();
    for p in &pages {
        publish(&js, &subject, p.as_bytes(), &[]).await;
    }
    let expected: HashSet<String> = pages
        .iter()
        .flat_map(|p| {
            let page = decode::decode(p.as_bytes(), &PageMeta::default(), settings.max_page_bytes).unwrap();
            let done = process_page(&page, &TAGGER, &settings.limits()).unwrap();
            done.articles
                .iter()
                .flat_map(|a| route(a, &settings.subject_prefix, settings.routes()).unwrap())
                .collect::<Vec<_>>()
        })
        .map(|o| o.msg_id().to_string())
        .collect();

    let serve = || {
        let mut c = newsdesk();
        env_for(&mut c, &settings);
        c.arg("serve").stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap()
    };
    let mut first = serve();
    wait_for(30, "the first articles", || async { stream_len(&js, &settings.articles_stream).await > 0 }).await;
    let (pending, in_flight) = consumer_backlog(&js, &settings).await.unwrap();
    first.kill().unwrap(); // SIGKILL: no graceful shutdown
    first.wait().unwrap();
    eprintln!("killed newsdesk with {pending} pages pending and {in_flight} in flight");
    assert!(pending + in_flight as u64 > 0, "the crash happens mid-run");

    let mut second = serve();
    wait_drained(&js, &settings, 50).await;
    second.kill().unwrap();
    second.wait().unwrap();

    let stored: Vec<String> = stream_messages(&js, &settings.articles_stream)
        .await
        .iter()
        .map(|m| m.headers.get("Nats-Msg-Id").unwrap().as_str().to_string())
        .collect();
    let unique: HashSet<String> = stored.iter().cloned().collect();
    eprintln!(
        "pages sent {}, article messages expected {}, found {}, duplicates {}",
        pages.len(),
        expected.len(),
        unique.len(),
        stored.len() - unique.len()
    );
    assert_eq!(stored.len(), unique.len(), "no duplicates");
    assert_eq!(unique, expected, "every article message of every page, once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_share_the_pages_and_one_finishes_after_the_other_dies() {
    let server = NatsServer::start();
    let settings = settings(&server, "scale_out");
    let client = client(&server).await;
    let js = jetstream::new(client.clone());
    ensure_streams(&js, &settings).await;
    let subject = format!("{}.pages.scale", settings.subject_prefix);
    let pages: Vec<String> = (0..300).map(|i| format!("{SHORT}\n（第{i}期）\n")).collect();
    let logs = tempfile::tempdir().unwrap();
    let replica = |name: &str| {
        let log = std::fs::File::create(logs.path().join(name)).unwrap();
        let mut c = newsdesk();
        env_for(&mut c, &settings);
        c.arg("serve").env("NEWSDESK_CONCURRENCY", "2").stdout(std::process::Stdio::null()).stderr(log).spawn().unwrap()
    };
    let routed =
        |name: &str| std::fs::read_to_string(logs.path().join(name)).unwrap_or_default().matches("page routed").count();
    let mut a = replica("a.log");
    let mut b = replica("b.log");
    // Both replicas pull before the pages go out, so both get a share.
    let serving =
        |name: &str| std::fs::read_to_string(logs.path().join(name)).unwrap_or_default().contains("newsdesk serving");
    wait_for(30, "both replicas to serve", || async { serving("a.log") && serving("b.log") }).await;
    for p in &pages {
        publish(&js, &subject, p.as_bytes(), &[]).await;
    }
    wait_for(30, "both replicas to route pages", || async { routed("a.log") > 0 && routed("b.log") > 0 }).await;
    a.kill().unwrap();
    a.wait().unwrap();
    let (pending, in_flight) = consumer_backlog(&js, &settings).await.unwrap();
    eprintln!("killed replica a with {pending} pages pending and {in_flight} in flight");
    wait_drained(&js, &settings, 50).await;
    b.kill().unwrap();
    b.wait().unwrap();

    let stored: Vec<String> = stream_messages(&js, &settings.articles_stream)
        .await
        .iter()
        .map(|m| m.headers.get("Newsdesk-Page-Id").unwrap().as_str().to_string())
        .collect();
    let unique: HashSet<&String> = stored.iter().collect();
    eprintln!(
        "pages sent {}, routed by a {}, by b {}, pages with articles {}, duplicates {}",
        pages.len(),
        routed("a.log"),
        routed("b.log"),
        unique.len(),
        stored.len() - unique.len()
    );
    assert_eq!(unique.len(), pages.len(), "every page's article stored");
    assert_eq!(stored.len(), pages.len(), "each once (one article, one topic per page)");
    assert!(routed("a.log") > 0 && routed("b.log") > 0, "both replicas did work");
}
