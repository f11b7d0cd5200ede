//! The seed page end to end.

use async_nats::jetstream;
use futures::StreamExt;
use newsdesk::core::article::Article;

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_page_reaches_inspection_and_governance_subjects() {
    let server = NatsServer::start();
    let settings = settings(&server, "pipeline");
    let client = client(&server).await;
    let js = jetstream::new(client.clone());
    let mut inspection =
        client.subscribe(format!("{}.articles.topic.inspection", settings.streams.subject_prefix)).await.unwrap();
    let mut governance =
        client.subscribe(format!("{}.articles.topic.governance", settings.streams.subject_prefix)).await.unwrap();
    client.flush().await.unwrap();
    let service = Service::start(&settings).await;
    ensure_streams(&js, &settings).await;
    publish(
        &js,
        &format!("{}.pages.x", settings.streams.subject_prefix),
        SEED.as_bytes(),
        &[("Newsdesk-Paper", "运城日报")],
    )
    .await;

    let msg = tokio::time::timeout(std::time::Duration::from_secs(20), inspection.next())
        .await
        .expect("an inspection article")
        .unwrap();
    let a: Article = serde_json::from_slice(&msg.payload).unwrap();
    assert_eq!(a.heads.title.as_deref(), Some("十五届闻喜县委开展第九轮巡察动员"));
    assert_eq!(a.topics[0].slug, "inspection");
    assert!(a.regions.iter().any(|r| r.path.contains(&"闻喜县".to_string())), "{:?}", a.regions);
    assert_eq!(a.page.paper.as_deref(), Some("运城日报"));
    let h = msg.headers.unwrap();
    assert_eq!(h.get("Nats-Msg-Id").unwrap().as_str(), format!("{}:{}:inspection", a.page.id, a.seq));
    assert_eq!(h.get("Newsdesk-Article-Id").unwrap().as_str(), a.id);
    assert_eq!(h.get("Newsdesk-Topic").unwrap().as_str(), "inspection");
    assert!(h.get("Newsdesk-Regions").unwrap().as_str().contains("140823"));

    let mut titles = Vec::new();
    for _ in 0..2 {
        let m = tokio::time::timeout(std::time::Duration::from_secs(20), governance.next())
            .await
            .expect("governance articles")
            .unwrap();
        let a: Article = serde_json::from_slice(&m.payload).unwrap();
        titles.push(a.heads.title.unwrap_or_default());
    }
    assert!(titles.contains(&"烟火巷陌间的治理答卷".to_string()), "{titles:?}");
    assert!(titles.contains(&"万荣县孤峰社区携手企业办实事解民忧".to_string()), "{titles:?}");

    wait_drained(&js, &settings, 20).await;
    // Every article of the page is stored once per topic (or once as unsorted).
    let stored = stream_messages(&js, &settings.streams.articles).await;
    let ids: std::collections::HashSet<String> =
        stored.iter().map(|m| m.headers.get("Newsdesk-Article-Id").unwrap().as_str().to_string()).collect();
    assert_eq!(ids.len(), 8, "eight articles on the seed page");

    // Region copies: a subscriber to 运城 (140800) gets the 闻喜 (140823) article.
    let region = format!("{}.articles.region.140000.140800.", settings.streams.subject_prefix);
    let in_yuncheng: Vec<&str> = stored
        .iter()
        .filter(|m| m.subject.starts_with(&region))
        .map(|m| m.headers.get("Newsdesk-Article-Id").unwrap().as_str())
        .collect();
    let wenxi = stored
        .iter()
        .find(|m| m.subject.as_str() == format!("{region}140823"))
        .expect("the 闻喜 article on its county subject");
    let a: Article = serde_json::from_slice(&wenxi.payload).unwrap();
    assert_eq!(a.heads.title.as_deref(), Some("十五届闻喜县委开展第九轮巡察动员"));
    assert!(in_yuncheng.len() >= 6, "the page's 运城 articles: {in_yuncheng:?}");

    // The page record: every line of the page and where it went.
    let audit = stream_messages(&js, &settings.streams.audit).await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].subject.as_str(), format!("{}.audit.pages", settings.streams.subject_prefix));
    let record: serde_json::Value = serde_json::from_slice(&audit[0].payload).unwrap();
    assert_eq!(record["articles"].as_array().unwrap().len(), 8);
    assert_eq!(record["articles"][2]["title"], "十五届闻喜县委开展第九轮巡察动员");
    assert_eq!(record["articles"][2]["topics"][0], "inspection");
    let lines = record["lines"].as_array().unwrap();
    assert_eq!(lines.len(), SEED.lines().filter(|l| !l.trim().is_empty()).count());
    assert!(lines.iter().all(|l| l["article"].is_u64()), "each line of the seed page went to an article");
    service.shutdown().await;
}
