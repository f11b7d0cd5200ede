//! `newsdesk bench`: the service end to end against a real NATS server.
//! Starts `newsdesk serve` as a child process on bench-only streams, times
//! how soon it is ready, then publishes pages — as fast as it can, then at a
//! steady rate — and watches the pages come out: pages/s, articles/s,
//! latency from publishing a page to its record arriving, which newsdesk
//! publishes after the page's last article (p50, p99), and the service's
//! peak RSS.

use std::collections::HashMap;
use std::process::{ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use async_nats::jetstream;
use bytes::Bytes;
use futures::StreamExt;
use tokio::sync::Mutex;

use super::BenchArgs;
use crate::bus::{self, FirstConnect};
use crate::core::decode;
use crate::core::page::PageMeta;
use crate::core::route::HEADER_PAGE_ID;
use crate::settings::Settings;

/// Publishes not yet acknowledged by JetStream, at most, while flooding.
const PUBLISH_WINDOW: usize = 256;

/// What became of each published page, as the subscriber sees it.
#[derive(Default)]
struct Tracker {
    published: HashMap<String, Instant>,
    /// (latency, articles) of each page whose record arrived.
    done: Vec<(Duration, usize)>,
    finished_at: Option<Instant>,
}

/// One run's figures.
struct Figures {
    pages: usize,
    secs: f64,
    articles: usize,
    p50: Duration,
    p99: Duration,
    max: Duration,
}

/// Runs the benchmark and prints its report.
///
/// # Errors
/// When NATS cannot be reached, the service does not start, or pages go missing.
pub async fn run(settings: Settings, args: &BenchArgs) -> anyhow::Result<ExitCode> {
    let base = std::fs::read(&args.page).with_context(|| format!("reading {}", args.page.display()))?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut s = super::sandbox_settings(settings, "bench");
    s.service.http_listen =
        crate::settings::ListenAddr::parse(&format!("127.0.0.1:{port}")).map_err(anyhow::Error::msg)?;
    let client = bus::connect(&s, "newsdesk-bench", FirstConnect::Once).await?;
    let js = jetstream::new(client.clone());
    super::delete_sandbox_streams(&js, &s).await;
    bus::ensure_streams(&js, &s).await?;

    let total = args.pages + args.rate * args.rate_secs;
    eprintln!("bench: preparing {total} pages like {}", args.page.display());
    let pages = make_pages(&base, total, s.limits.max_page_bytes)?;

    // newsdesk publishes a page's record after the last of its article
    // messages, on the same connection: the record's arrival marks the page
    // done (watching every article copy would load the machine being measured).
    let tracker = Arc::new(Mutex::new(Tracker::default()));
    let mut sub = client.subscribe(format!("{}.audit.pages", s.streams.subject_prefix)).await?;
    client.flush().await?;
    let watcher = {
        let tracker = tracker.clone();
        tokio::spawn(async move {
            while let Some(m) = sub.next().await {
                let now = Instant::now();
                let Some(page) = m.headers.as_ref().and_then(|h| h.get(HEADER_PAGE_ID)).map(|v| v.to_string()) else {
                    continue;
                };
                let n = serde_json::from_slice::<serde_json::Value>(&m.payload)
                    .ok()
                    .and_then(|v| v["articles"].as_array().map(Vec::len))
                    .unwrap_or(0);
                let mut t = tracker.lock().await;
                if let Some(start) = t.published.get(&page).copied() {
                    t.done.push((now.saturating_duration_since(start), n));
                    t.finished_at = Some(now);
                }
            }
        })
    };

    // The service, as a separate process, on the bench streams.
    let started = Instant::now();
    let mut service = tokio::process::Command::new(std::env::current_exe()?)
        .arg("serve")
        .envs(s.service_env())
        .env("NEWSDESK_LOG_LEVEL", "warn")
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("starting newsdesk serve")?;
    let pid = service.id().context("the service has a pid")?;
    let addr: std::net::SocketAddr = s.service.http_listen.parse()?;
    loop {
        if matches!(super::health::get(addr, "/readyz"), Ok((200, _))) {
            break;
        }
        if let Some(status) = service.try_wait()? {
            bail!("newsdesk serve exited before it was ready: {status}");
        }
        if started.elapsed() > Duration::from_secs(60) {
            bail!("newsdesk serve was not ready within 60 s");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let ready = started.elapsed();
    eprintln!("bench: service ready {} ms after start", ready.as_millis());

    let subject = format!("{}.pages.bench", s.streams.subject_prefix);
    let (flood, steady) = pages.split_at(args.pages);
    eprintln!("bench: publishing {} pages as fast as possible", flood.len());
    let nats_pid = args.nats_pid.or_else(|| local_nats_server(&s.nats.url));
    let cpu = CpuUse::start(pid, nats_pid);
    let throughput = flood_run(&js, &subject, flood, &tracker).await?;
    let flood_cpu = cpu.stop();
    eprintln!("bench: publishing {} pages at {} pages/s", steady.len(), args.rate);
    let cpu = CpuUse::start(pid, nats_pid);
    let rate = rate_run(&js, &subject, steady, args.rate, &tracker).await?;
    let rate_cpu = cpu.stop();
    let peak_rss = peak_rss_kib(pid);

    service.kill().await.ok();
    watcher.abort();
    let dead = js.get_stream(&s.streams.dead).await?.info().await?.state.messages;
    if !args.keep {
        super::delete_sandbox_streams(&js, &s).await;
    }

    println!(
        "newsdesk bench: {} ({} bytes a page), nats {}",
        args.page.display(),
        base.len(),
        crate::bus::redacted_url(&s.nats.url)
    );
    println!("  ready after start            {:>8} ms", ready.as_millis());
    report("as fast as possible", &throughput, flood_cpu);
    report(&format!("steady {} pages/s", args.rate), &rate, rate_cpu);
    match peak_rss {
        Some(kib) => println!("  service peak RSS             {:>8.1} MiB", kib as f64 / 1024.0),
        None => println!("  service peak RSS             (not available: no /proc)"),
    }
    if dead > 0 {
        bail!("{dead} pages were dead-lettered");
    }
    Ok(ExitCode::SUCCESS)
}

fn report(what: &str, f: &Figures, cpu: Option<Cpu>) {
    println!("  {what}: {} pages in {:.2} s", f.pages, f.secs);
    println!("    pages/s                    {:>10.0}", f.pages as f64 / f.secs);
    println!("    articles/s                 {:>10.0}", f.articles as f64 / f.secs);
    println!(
        "    publish → page done        p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms(f.p50),
        ms(f.p99),
        ms(f.max)
    );
    if let Some(c) = cpu.filter(|_| f.pages > 0) {
        let per_page = |secs: f64| secs * 1000.0 / f.pages as f64;
        println!("    service CPU a page         {:>10.2} ms", per_page(c.service_secs));
        match c.nats_secs {
            Some(n) => {
                println!("    nats-server CPU a page     {:>10.2} ms ({:.2} cores)", per_page(n), n / c.wall_secs)
            }
            None => println!("    nats-server CPU a page     (not measured: no local nats-server found; --nats-pid)"),
        }
        println!(
            "    machine busy               {:>10.2} of {} cores (service {:.2}; stolen by the hypervisor {:.2})",
            c.busy_cores,
            c.cores,
            c.service_secs / c.wall_secs,
            c.stolen_cores
        );
    }
}

/// CPU used during a run: by the service, and by the whole machine (NATS,
/// this benchmark and anything else running), from `/proc`; time the
/// hypervisor gave another guest (steal) is not the machine's work and is
/// counted apart.
#[derive(Debug, Clone, Copy)]
struct Cpu {
    service_secs: f64,
    nats_secs: Option<f64>,
    busy_cores: f64,
    stolen_cores: f64,
    cores: usize,
    wall_secs: f64,
}

/// Readings at the start of a run.
struct CpuUse {
    pid: u32,
    nats_pid: Option<u32>,
    at: Instant,
    service: Option<u64>,
    nats: Option<u64>,
    machine: Option<MachineTicks>,
}

/// Clock ticks a second in `/proc` (`USER_HZ`, 100 on Linux).
const USER_HZ: f64 = 100.0;

impl CpuUse {
    fn start(pid: u32, nats_pid: Option<u32>) -> CpuUse {
        CpuUse {
            pid,
            nats_pid,
            at: Instant::now(),
            service: process_ticks(pid),
            nats: nats_pid.and_then(process_ticks),
            machine: machine_ticks(),
        }
    }

    fn stop(self) -> Option<Cpu> {
        let service = process_ticks(self.pid)?.checked_sub(self.service?)?;
        let (now, then) = (machine_ticks()?, self.machine?);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let share = |a: u64, b: u64| a.saturating_sub(b) as f64 / (now.all - then.all).max(1) as f64 * cores as f64;
        let wall_secs = self.at.elapsed().as_secs_f64().max(1e-9);
        let nats = self.nats_pid.and_then(process_ticks).zip(self.nats).map(|(b, a)| b.saturating_sub(a));
        Some(Cpu {
            service_secs: service as f64 / USER_HZ,
            nats_secs: nats.map(|t| t as f64 / USER_HZ),
            busy_cores: share(now.busy, then.busy),
            stolen_cores: share(now.steal, then.steal),
            cores,
            wall_secs,
        })
    }
}

/// The nats-server process on this machine serving `url`: the only one
/// running, or the one whose command line names the URL's port. `None` for a
/// remote server or when it cannot be told apart (then `--nats-pid`).
fn local_nats_server(url: &str) -> Option<u32> {
    let first = url.split(',').next()?.trim();
    let host_port = first.rsplit("://").next()?.rsplit('@').next()?;
    let (host, port) = host_port.rsplit_once(':').unwrap_or((host_port, "4222"));
    if !matches!(host, "127.0.0.1" | "localhost" | "::1" | "[::1]" | "0.0.0.0") {
        return None;
    }
    let mut servers = Vec::new();
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|p| p.parse::<u32>().ok()) else { continue };
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        if comm.trim() == "nats-server" {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let args: Vec<String> =
                cmdline.split(|b| *b == 0).map(|a| String::from_utf8_lossy(a).into_owned()).collect();
            servers.push((pid, args.iter().any(|a| a == port || a.ends_with(&format!(":{port}")))));
        }
    }
    match servers.as_slice() {
        [(pid, _)] => Some(*pid),
        many => {
            let named: Vec<u32> = many.iter().filter(|(_, names)| *names).map(|(p, _)| *p).collect();
            (named.len() == 1).then(|| named[0])
        }
    }
}

/// User and system clock ticks of a process, all its threads.
fn process_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The name (field 2) may hold spaces; fields 14 and 15 follow its ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// Busy and all clock ticks of the machine (`/proc/stat`, every core).
/// The machine's clock ticks since boot, all cores together.
#[derive(Debug, Clone, Copy)]
struct MachineTicks {
    /// Working: user, nice, system, irq, softirq.
    busy: u64,
    /// Taken by the hypervisor for other guests.
    steal: u64,
    /// Everything, idle and iowait included.
    all: u64,
}

fn machine_ticks() -> Option<MachineTicks> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let ticks: Vec<u64> = stat.lines().next()?.split_whitespace().skip(1).filter_map(|t| t.parse().ok()).collect();
    // user nice system idle iowait irq softirq steal …
    let all: u64 = ticks.iter().take(8).sum();
    let idle = ticks.get(3)? + ticks.get(4)?;
    let steal = *ticks.get(7)?;
    Some(MachineTicks { busy: all - idle - steal, steal, all })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `n` distinct pages: the base page with a page-number line of its own.
fn make_pages(base: &[u8], n: usize, max: usize) -> anyhow::Result<Vec<(String, Bytes)>> {
    let text = decode::decode(base, &PageMeta::default(), max)?.text;
    (0..n)
        .map(|i| {
            let page = format!("{text}\n\n第{}版\n", i + 1);
            // The id the service will give it: of the decoded text.
            let id = decode::decode(page.as_bytes(), &PageMeta::default(), max)?.id;
            Ok((id, Bytes::from(page)))
        })
        .collect()
}

async fn publish_one(
    js: &jetstream::Context,
    subject: &str,
    (id, bytes): &(String, Bytes),
    tracker: &Mutex<Tracker>,
) -> anyhow::Result<jetstream::context::PublishAckFuture> {
    tracker.lock().await.published.insert(id.clone(), Instant::now());
    Ok(js.publish(subject.to_string(), bytes.clone()).await?)
}

async fn flood_run(
    js: &jetstream::Context,
    subject: &str,
    pages: &[(String, Bytes)],
    tracker: &Arc<Mutex<Tracker>>,
) -> anyhow::Result<Figures> {
    let before = tracker.lock().await.done.len();
    let start = Instant::now();
    let mut acks = std::collections::VecDeque::new();
    for p in pages {
        acks.push_back(publish_one(js, subject, p, tracker).await?);
        if acks.len() >= PUBLISH_WINDOW
            && let Some(a) = acks.pop_front()
        {
            a.await?;
        }
    }
    for a in acks {
        a.await?;
    }
    finish(tracker, before, pages.len(), start).await
}

async fn rate_run(
    js: &jetstream::Context,
    subject: &str,
    pages: &[(String, Bytes)],
    rate: usize,
    tracker: &Arc<Mutex<Tracker>>,
) -> anyhow::Result<Figures> {
    if pages.is_empty() || rate == 0 {
        return Ok(Figures {
            pages: 0,
            secs: 1.0,
            articles: 0,
            p50: Duration::ZERO,
            p99: Duration::ZERO,
            max: Duration::ZERO,
        });
    }
    let before = tracker.lock().await.done.len();
    let start = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate as f64));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut acks = Vec::with_capacity(pages.len());
    for p in pages {
        tick.tick().await;
        let ack = publish_one(js, subject, p, tracker).await?;
        acks.push(tokio::spawn(async move { ack.await.map(|_| ()) }));
    }
    for a in acks {
        a.await??;
    }
    finish(tracker, before, pages.len(), start).await
}

/// Waits for the page records of the run's pages and sums up.
async fn finish(tracker: &Mutex<Tracker>, before: usize, n: usize, start: Instant) -> anyhow::Result<Figures> {
    let deadline = Instant::now() + Duration::from_secs(60 + n as u64 / 20);
    loop {
        let t = tracker.lock().await;
        if t.done.len() >= before + n {
            let mut lat: Vec<Duration> = t.done[before..].iter().map(|d| d.0).collect();
            lat.sort();
            let pct = |p: f64| lat[((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1];
            let end = t.finished_at.unwrap_or_else(Instant::now);
            return Ok(Figures {
                pages: n,
                secs: end.saturating_duration_since(start).as_secs_f64().max(1e-9),
                articles: t.done[before..].iter().map(|d| d.1).sum(),
                p50: pct(0.50),
                p99: pct(0.99),
                max: *lat.last().unwrap_or(&Duration::ZERO),
            });
        }
        if Instant::now() > deadline {
            bail!("only {} of {n} pages came out", t.done.len() - before);
        }
        drop(t);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Peak resident memory of a process (`VmHWM`), in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")?.trim().strip_suffix("kB")?.trim().parse().ok())
}
