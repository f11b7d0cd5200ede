//! `newsdesk demo`: the one-command tour.
//!
//! Uses the NATS at the configured URL, or starts a private `nats-server`
//! with JetStream in a temporary directory when none answers; runs the
//! service on demo-only streams and subjects (so a production deployment on
//! the same server is not touched), publishes `seeds/`, prints the inspection
//! and governance articles as they arrive, cleans up and exits.

use std::collections::HashSet;
use std::net::TcpListener;
use std::process::{Child, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use async_nats::jetstream;
use futures::StreamExt;

use super::DemoArgs;
use super::publish::{collect, publish_pages};
use super::tail::summary;
use crate::bus::{self, FirstConnect};
use crate::core::article::Article;
use crate::core::page::PageMeta;
use crate::core::route::{HEADER_ARTICLE_ID, topic_subject};
use crate::core::tag::Tagger;
use crate::core::{Output, Plan, process};
use crate::settings::Settings;

/// Topics the demo prints.
const DEMO_TOPICS: &[&str] = &["inspection", "governance"];

/// A `nats-server` the demo started itself; killed on drop.
struct OwnServer {
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nats_server_binary() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/usr/local/sbin".into()])
        .map(|d| d.join("nats-server"))
        .find(|p| p.is_file())
}

async fn start_own_server() -> anyhow::Result<(OwnServer, String)> {
    let Some(bin) = nats_server_binary() else {
        bail!(
            "no NATS server answers and no nats-server binary is on PATH.\n\
             Get one and run the demo again:\n  \
             sudo apt-get install nats-server        # Debian/Ubuntu: then `newsdesk demo` starts it itself\n  \
             docker run -d -p 4222:4222 nats -js     # or run NATS with JetStream in docker\n\
             or point newsdesk at a server: NEWSDESK_NATS_URL=nats://host:4222 newsdesk demo"
        )
    };
    let dir = tempfile::tempdir()?;
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let child = std::process::Command::new(&bin)
        .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let server = OwnServer { child, _dir: dir };
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("{} did not start listening on port {port}", bin.display());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eprintln!("demo: started {} with JetStream on 127.0.0.1:{port}", bin.display());
    Ok((server, format!("nats://127.0.0.1:{port}")))
}

/// Runs `newsdesk demo`.
///
/// # Errors
/// When no NATS can be had, or the seeds cannot be read.
pub async fn run(settings: Settings, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let pages = collect(std::slice::from_ref(&args.seeds), None)
        .with_context(|| "the demo publishes the page dumps in seeds/")?;
    let mut settings = super::sandbox_settings(settings, "demo");
    let mut own = None;
    let client = match bus::connect(&settings, "newsdesk-demo", FirstConnect::Once).await {
        Ok(c) => {
            eprintln!("demo: using the NATS server at {}", crate::bus::redacted_url(&settings.nats.url));
            c
        }
        Err(e) => {
            eprintln!("demo: {e}");
            let (server, url) = start_own_server().await?;
            own = Some(server);
            settings.nats.url = url;
            bus::connect(&settings, "newsdesk-demo", FirstConnect::Once).await?
        }
    };
    let js = jetstream::new(client.clone());
    super::delete_sandbox_streams(&js, &settings).await;
    bus::ensure_streams(&js, &settings).await?;

    eprintln!("demo: loading the tagger (gazetteer, topics, jieba)…");
    let data = settings.tag_data()?;
    let tagger = Arc::new(tokio::task::spawn_blocking(move || Tagger::new(data.as_data())).await??);

    // What the service will route, computed offline, so the demo knows when it has seen everything.
    let mut expected: HashSet<String> = HashSet::new();
    let plan = Plan {
        tagger: &tagger,
        max_page_bytes: settings.limits.max_page_bytes,
        limits: settings.limits(),
        output: Output::Articles,
    };
    for p in &pages {
        if let Ok(done) = process(&p.bytes, &PageMeta::default(), &plan) {
            expected.extend(
                done.processed
                    .articles
                    .iter()
                    .filter(|a| a.topics.iter().any(|t| DEMO_TOPICS.contains(&t.slug.as_str())))
                    .map(|a| a.id.clone()),
            );
        }
    }

    let mut subs = Vec::new();
    for t in DEMO_TOPICS {
        subs.push(client.subscribe(topic_subject(&settings.streams.subject_prefix, t)?.to_string()).await?);
    }
    let mut arrivals = futures::stream::select_all(subs);

    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let service = tokio::spawn(crate::app::run(settings.clone(), client.clone(), tagger, async move {
        let _ = stop_rx.await;
    }));

    let subject = settings.page_subject("seeds");
    let results = publish_pages(&js, &subject, &PageMeta::default(), &pages, settings.publish_timeout()).await?;
    for (p, (id, _, _)) in pages.iter().zip(&results) {
        eprintln!("demo: published {} on {subject} (page {id})", p.label);
    }
    eprintln!("demo: waiting for {} articles on topics {} …\n", expected.len(), DEMO_TOPICS.join(" and "));

    let mut seen: HashSet<String> = HashSet::new();
    let deadline = tokio::time::sleep(Duration::from_secs(args.timeout_secs));
    tokio::pin!(deadline);
    while !expected.is_subset(&seen) {
        let msg = tokio::select! {
            m = arrivals.next() => match m { Some(m) => m, None => break },
            _ = &mut deadline => break,
        };
        let id = msg.headers.as_ref().and_then(|h| h.get(HEADER_ARTICLE_ID)).map(|v| v.to_string()).unwrap_or_default();
        if !seen.insert(id) {
            continue;
        }
        if let Ok(a) = serde_json::from_slice::<Article>(&msg.payload) {
            println!("{} on {}\n{}\n", a.id, msg.subject, summary(&a));
        }
    }
    let _ = stop_tx.send(());
    service.await??;
    super::delete_sandbox_streams(&js, &settings).await;
    client.drain().await?;
    drop(own);
    let missing = expected.difference(&seen).count();
    if missing > 0 {
        bail!("{missing} expected articles did not arrive within {}s", args.timeout_secs);
    }
    eprintln!(
        "demo: done — {} articles routed to {}. Run `newsdesk serve` for the real thing.",
        seen.len(),
        DEMO_TOPICS.join(" and ")
    );
    Ok(ExitCode::SUCCESS)
}
