//! `newsdesk tail`: print articles as they arrive on topic subjects.

use std::collections::{HashSet, VecDeque};
use std::process::ExitCode;

use async_nats::jetstream::{self, consumer::DeliverPolicy, consumer::push::OrderedConfig};
use futures::StreamExt;

use super::TailArgs;
use super::known::printable;
use crate::bus::{self, FirstConnect};
use crate::core::article::Article;
use crate::core::route::{HEADER_ARTICLE_ID, topic_subject};
use crate::core::subject::{RegionCode, Subject};
use crate::settings::Settings;

/// Article ids remembered to print each article once (it arrives once per topic).
const SEEN_CAPACITY: usize = 10_000;

/// Whether an article is tagged with `region` or a division below it.
pub fn in_region(article: &Article, region: &RegionCode) -> bool {
    let code = region.as_str();
    let prefix = if code.len() == 6 { code.trim_end_matches("00").trim_end_matches("00") } else { code };
    article.regions.iter().any(|r| r.code.starts_with(prefix))
}

/// One line per article: title, topics, regions, first line of the body.
pub fn summary(a: &Article) -> String {
    let topics: Vec<&str> = a.topics.iter().map(|t| t.slug.as_str()).collect();
    let regions: Vec<String> = a.regions.iter().map(|r| format!("{}({})", r.name, r.code)).collect();
    let lead: String = a.lead().chars().take(60).collect();
    format!(
        "[{}] {}\n    topics: {}  regions: {}\n    {}",
        if topics.is_empty() { "unsorted".to_string() } else { topics.join(",") },
        a.heads.title.as_deref().unwrap_or("(photo)"),
        if topics.is_empty() { "-".to_string() } else { topics.join(", ") },
        if regions.is_empty() { "-".to_string() } else { regions.join(", ") },
        lead
    )
}

/// Runs `newsdesk tail`.
///
/// # Errors
/// When NATS is unreachable or a topic is not a valid subject token.
pub async fn run(settings: &Settings, args: &TailArgs) -> anyhow::Result<ExitCode> {
    if !args.topics.is_empty() {
        super::known::check_topics(&super::known::taxonomy(settings)?, &args.topics)?;
    }
    if let Some(region) = &args.region {
        super::known::check_region(&super::known::gazetteer(settings)?, region, "--region")?;
    }
    let client = bus::connect(settings, "newsdesk-tail", FirstConnect::Once).await?;
    let subjects: Vec<String> = if args.topics.is_empty() {
        vec![Subject::join(&settings.streams.subject_prefix, &["articles", "topic"])?.to_string() + ".*"]
    } else {
        args.topics
            .iter()
            .map(|t| topic_subject(&settings.streams.subject_prefix, t).map(|s| s.to_string()))
            .collect::<Result<_, _>>()?
    };
    // One ordered consumer per subject on the articles stream: nats-server 2.9
    // takes one filter per consumer. `--all` replays what is stored.
    let js = jetstream::new(client.clone());
    bus::ensure_streams(&js, settings).await?;
    let stream = js.get_stream(&settings.streams.articles).await?;
    let policy = if args.all { DeliverPolicy::All } else { DeliverPolicy::New };
    let mut feeds = Vec::new();
    for s in &subjects {
        let consumer = stream
            .create_consumer(OrderedConfig {
                deliver_subject: client.new_inbox(),
                filter_subject: s.clone(),
                deliver_policy: policy,
                ..Default::default()
            })
            .await?;
        feeds.push(consumer.messages().await?);
    }
    eprintln!("newsdesk tail: following {}", subjects.join(", "));
    let mut messages = futures::stream::select_all(feeds);
    let mut seen: HashSet<String> = HashSet::new();
    let mut order: VecDeque<String> = VecDeque::new();
    let mut printed = 0usize;
    let mut stop = std::pin::pin!(crate::app::signal());
    loop {
        let msg = tokio::select! {
            m = messages.next() => match m {
                Some(Ok(m)) => m,
                Some(Err(e)) => {
                    eprintln!("newsdesk tail: {e}; resuming");
                    continue;
                }
                None => break,
            },
            _ = &mut stop => break,
        };
        let id = msg.headers.as_ref().and_then(|h| h.get(HEADER_ARTICLE_ID)).map(|v| v.to_string()).unwrap_or_default();
        if !id.is_empty() && !seen.insert(id.clone()) {
            continue;
        }
        order.push_back(id);
        if order.len() > SEEN_CAPACITY
            && let Some(old) = order.pop_front()
        {
            seen.remove(&old);
        }
        let article: Article = match serde_json::from_slice(&msg.payload) {
            Ok(a) => a,
            Err(e) => {
                eprintln!(
                    "newsdesk tail: skipping a message on {} that is not an article: {}",
                    msg.subject,
                    printable(&e.to_string(), false)
                );
                continue;
            }
        };
        if let Some(r) = &args.region
            && !in_region(&article, r)
        {
            continue;
        }
        if args.json {
            println!("{}", printable(&String::from_utf8_lossy(&msg.payload), false));
        } else {
            println!("{}", printable(&summary(&article), true));
        }
        printed += 1;
        if args.count.is_some_and(|c| printed >= c) {
            break;
        }
    }
    Ok(ExitCode::SUCCESS)
}
