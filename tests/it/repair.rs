//! `verify` finds exactly the messages a server lost, `replay --missing`
//! restores exactly those, and a second `verify` is clean.

use std::collections::HashSet;

use async_nats::jetstream;

use crate::harness::*;

const SEED: &str = include_str!("../../seeds/000_cccc709a122f3acc.txt");
const SHORT: &str = include_str!("../fixtures/short_news.txt");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_finds_exactly_the_deleted_messages_and_replay_restores_exactly_those() {
    let server = NatsServer::start();
    let settings = settings(&server, "repair");
    let js = jetstream::new(client(&server).await);
    ensure_streams(&js, &settings).await;
    let mut pages: Vec<String> = (0..12).map(|i| format!("{SHORT}\n（第{i}期）\n")).collect();
    pages.push(SEED.to_string());
    let subject = format!("{}.pages.repair", settings.streams.subject_prefix);
    for p in &pages {
        publish(&js, &subject, p.as_bytes(), &[]).await;
    }
    // The first page once more, as a publisher repeating itself after the
    // de-duplication window would store it: one page, checked once.
    publish(&js, &subject, pages[0].as_bytes(), &[]).await;
    let service = Service::start(&settings).await;
    wait_drained(&js, &settings, 60).await;
    service.shutdown().await;

    let (code, out, err) = run_newsdesk(&settings, &["verify"]);
    assert_eq!(code, 0, "nothing is missing yet: {out}{err}");
    assert!(out.contains("14 pages") && out.contains("1 published again") && out.contains("0 missing"), "{out}");

    // Behind newsdesk's back: delete every fifth article message and one page record.
    let articles = js.get_stream(&settings.streams.articles).await.unwrap();
    let stored = stream_messages(&js, &settings.streams.articles).await;
    let mut deleted = HashSet::new();
    for m in stored.iter().step_by(5) {
        assert!(articles.delete_message(m.sequence).await.unwrap());
        deleted.insert(m.headers.get("Nats-Msg-Id").unwrap().as_str().to_string());
    }
    let audit = js.get_stream(&settings.streams.audit).await.unwrap();
    let records = stream_messages(&js, &settings.streams.audit).await;
    let record = &records[3];
    assert!(audit.delete_message(record.sequence).await.unwrap());
    deleted.insert(record.headers.get("Nats-Msg-Id").unwrap().as_str().to_string());
    // The article messages of the page whose record is gone are found by
    // processing it again; delete one of them too.
    let orphan = record.headers.get("Newsdesk-Page-Id").unwrap().as_str().to_string();
    if let Some(m) = stored.iter().find(|m| {
        m.headers.get("Newsdesk-Page-Id").unwrap().as_str() == orphan
            && !deleted.contains(m.headers.get("Nats-Msg-Id").unwrap().as_str())
    }) {
        assert!(articles.delete_message(m.sequence).await.unwrap());
        deleted.insert(m.headers.get("Nats-Msg-Id").unwrap().as_str().to_string());
    }

    let (code, text, _) = run_newsdesk(&settings, &["verify"]);
    assert_eq!(code, 1);
    eprintln!("{text}");
    let (code, out, err) = run_newsdesk(&settings, &["verify", "--json"]);
    assert_eq!(code, 1, "missing messages make verify fail: {out}{err}");
    let mut found = HashSet::new();
    let mut summary = None;
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v.get("summary").is_some() {
            summary = Some(v);
            continue;
        }
        assert!(v["page_id"].is_string() && v["stream_sequence"].as_u64().unwrap() >= 1);
        for m in v["missing"].as_array().unwrap() {
            assert!(m["subject"].as_str().unwrap().starts_with(&*settings.streams.subject_prefix));
            found.insert(m["msg_id"].as_str().unwrap().to_string());
        }
        if v["page_id"] == orphan.as_str() {
            assert_eq!(v["page_record"], false, "{v}");
        }
    }
    let summary = summary.expect("a summary line");
    eprintln!(
        "deleted {} messages ({} article messages, 1 page record); verify found {}",
        deleted.len(),
        deleted.len() - 1,
        found.len()
    );
    assert_eq!(found, deleted, "verify reports exactly the deleted messages");
    assert_eq!(summary["missing"], deleted.len());
    assert_eq!(summary["summary"]["duplicates"], 0);
    assert_eq!(summary["summary"]["republished"], 1);

    let (code, out, err) = run_newsdesk(&settings, &["replay", "--missing"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!("replay: {} messages restored, 0 not restored", deleted.len())), "{out}");
    eprintln!("{}", out.lines().last().unwrap_or_default());

    let held: Vec<String> = held_msg_ids(&js, &settings.streams.articles).await;
    let unique: HashSet<String> = held.iter().cloned().collect();
    assert_eq!(held.len(), unique.len(), "replay published no duplicate");
    let expected = expected_msg_ids(pages.iter().map(|p| p.as_bytes()), &settings);
    assert_eq!(unique, expected, "every article message is back, once");
    let held_records: HashSet<String> = held_msg_ids(&js, &settings.streams.audit).await.into_iter().collect();
    assert_eq!(held_records.len(), pages.len(), "every page record is back");
    eprintln!("replay restored {} messages", deleted.len());

    let (code, out, err) = run_newsdesk(&settings, &["verify"]);
    assert_eq!(code, 0, "a second verify is clean: {out}{err}");
    assert!(out.contains("0 missing from 0 pages; 0 duplicates"), "{out}");

    let (code, out, _) = run_newsdesk(&settings, &["replay", "ffffffffffffffff"]);
    assert_eq!(code, 0);
    assert!(out.contains("page ffffffffffffffff: nothing missing"), "{out}");
}
