//! The one integration-test harness: real `nats-server` processes on free
//! ports with their own store directories, per-test subjects and streams,
//! the service run in-process with a oneshot shutdown, and polling helpers.

#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use async_nats::jetstream::{self, Context};
use async_nats::{Client, HeaderMap};
use bytes::Bytes;
use newsdesk::app::{self, AppError};
use newsdesk::core::tag::{TagData, Tagger};
use newsdesk::settings::Settings;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The seed page (a real 运城日报-style page).
pub const SEED: &str = include_str!("../../seeds/000_cccc709a122f3acc.txt");

/// The tagger, loaded once for all tests of the binary.
pub static TAGGER: LazyLock<Arc<Tagger>> =
    LazyLock::new(|| Arc::new(Tagger::new(TagData::default()).expect("embedded data loads")));

/// A nats-server child process with JetStream; killed on drop.
pub struct NatsServer {
    child: Option<Child>,
    port: u16,
    dir: tempfile::TempDir,
    config: Option<PathBuf>,
}

/// The nats-server the tests run: `NEWSDESK_TEST_NATS_SERVER` when set (how
/// `scripts/test-nats-releases.sh` runs the suite on each pinned release),
/// else the first on `PATH`, else Debian's `/usr/sbin`.
fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("NEWSDESK_TEST_NATS_SERVER") {
        let p = PathBuf::from(p);
        assert!(p.is_file(), "NEWSDESK_TEST_NATS_SERVER={} is not a file", p.display());
        return p;
    }
    for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .chain(["/usr/sbin".into(), "/usr/local/sbin".into()])
    {
        let p = dir.join("nats-server");
        if p.is_file() {
            return p;
        }
    }
    panic!("nats-server is not installed: `apt-get install nats-server` (.ci/run does it)");
}

/// The version the tests' nats-server reports (`nats-server: v2.15.1` → `2.15.1`).
pub fn server_version() -> &'static str {
    static VERSION: LazyLock<String> = LazyLock::new(|| {
        let out = Command::new(binary()).arg("--version").output().expect("nats-server --version runs");
        let text = String::from_utf8_lossy(&out.stdout);
        text.trim().rsplit(' ').next().unwrap_or("").trim_start_matches('v').to_string()
    });
    &VERSION
}

impl NatsServer {
    /// Starts a server on a free port with a fresh store directory.
    pub fn start() -> NatsServer {
        Self::start_with(|_| String::new())
    }

    /// Starts a server whose configuration file `config` writes, given the
    /// server's directory (for key and certificate files).
    pub fn start_with(config: impl FnOnce(&std::path::Path) -> String) -> NatsServer {
        let dir = tempfile::tempdir().unwrap();
        let text = config(dir.path());
        let config = (!text.is_empty()).then(|| {
            let path = dir.path().join("server.conf");
            std::fs::write(&path, text).unwrap();
            path
        });
        let mut s = NatsServer { child: None, port: free_port(), dir, config };
        s.spawn();
        s
    }

    /// The server's directory.
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    fn spawn(&mut self) {
        let store = self.dir.path().join("store");
        let log =
            std::fs::OpenOptions::new().create(true).append(true).open(self.dir.path().join("server.log")).unwrap();
        let mut cmd = Command::new(binary());
        if let Some(config) = &self.config {
            cmd.arg("-c").arg(config);
        }
        let child = cmd
            .args(["-a", "127.0.0.1", "-p", &self.port.to_string(), "-js", "-sd"])
            .arg(&store)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("nats-server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "nats-server did not listen on {}", self.port);
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The client URL.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Kills the server (the store stays).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts it again on the same port and store.
    pub fn restart(&mut self) {
        self.stop();
        self.spawn();
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Three nats-servers on 127.0.0.1 joined by routes into one JetStream cluster.
pub struct NatsCluster {
    /// The nodes, `n1`, `n2`, `n3`.
    pub nodes: Vec<NatsServer>,
}

impl NatsCluster {
    /// Starts the three nodes.
    pub fn start() -> NatsCluster {
        let routes: Vec<u16> = (0..3).map(|_| free_port()).collect();
        let list = routes.iter().map(|p| format!("nats-route://127.0.0.1:{p}")).collect::<Vec<_>>().join(", ");
        let nodes = (0..3)
            .map(|i| {
                NatsServer::start_with(|_| {
                    format!(
                        "server_name: n{}\ncluster {{\n  name: newsdesk-test\n  listen: 127.0.0.1:{}\n  routes: [{list}]\n}}\n",
                        i + 1,
                        routes[i]
                    )
                })
            })
            .collect();
        NatsCluster { nodes }
    }

    /// Every node's URL, comma-separated, as `nats_url` takes them.
    pub fn urls(&self) -> String {
        self.nodes.iter().map(NatsServer::url).collect::<Vec<_>>().join(",")
    }
}

/// Settings with subjects, streams and durable of their own for test `name`.
pub fn settings(server: &NatsServer, name: &str) -> Settings {
    let mut s = Settings::default();
    let token = name.replace('_', "-");
    s.nats.url = server.url();
    s.streams.subject_prefix = format!("t-{token}").parse().unwrap();
    s.streams.pages = format!("T_{name}_PAGES").to_uppercase().parse().unwrap();
    s.streams.articles = format!("T_{name}_ARTICLES").to_uppercase().parse().unwrap();
    s.streams.dead = format!("T_{name}_DEAD").to_uppercase().parse().unwrap();
    s.streams.audit = format!("T_{name}_AUDIT").to_uppercase().parse().unwrap();
    s.streams.durable = format!("newsdesk-{token}").parse().unwrap();
    s.delivery.ack_wait_secs = 5;
    s.delivery.retry_delay_ms = 200;
    s.service.http_listen = "127.0.0.1:0".parse().unwrap();
    s
}

/// A free TCP port on 127.0.0.1 (for a test's HTTP endpoints).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A plain client.
pub async fn client(server: &NatsServer) -> Client {
    async_nats::connect(server.url()).await.expect("test client connects")
}

/// The service running in-process.
pub struct Service {
    stop: Option<oneshot::Sender<()>>,
    handle: JoinHandle<Result<(), AppError>>,
}

impl Service {
    /// Starts `app::run` with its own connection.
    pub async fn start(settings: &Settings) -> Service {
        let client =
            newsdesk::bus::connect(settings, "newsdesk-test", newsdesk::bus::FirstConnect::Once).await.unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let tagger = TAGGER.clone();
        let handle = tokio::spawn(app::run(settings.clone(), client, tagger, async move {
            let _ = rx.await;
        }));
        Service { stop: Some(tx), handle }
    }

    /// Asks for a graceful shutdown and waits for it.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        tokio::time::timeout(Duration::from_secs(30), self.handle)
            .await
            .expect("service stops in time")
            .unwrap()
            .unwrap();
    }
}

/// Creates the streams (as `publish` does) so pages can be published before the service runs.
pub async fn ensure_streams(js: &Context, settings: &Settings) {
    newsdesk::bus::ensure_streams(js, settings).await.unwrap();
}

/// Publishes a page and waits for the stream's acknowledgement.
pub async fn publish(js: &Context, subject: &str, payload: &[u8], headers: &[(&str, &str)]) {
    let mut h = HeaderMap::new();
    for (k, v) in headers {
        h.insert(*k, *v);
    }
    js.publish_with_headers(subject.to_string(), h, Bytes::copy_from_slice(payload)).await.unwrap().await.unwrap();
}

/// Polls `check` every 50 ms until it is true or `secs` pass.
pub async fn wait_for<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Messages stored in a stream.
pub async fn stream_len(js: &Context, name: &str) -> u64 {
    js.get_stream(name).await.unwrap().info().await.unwrap().state.messages
}

/// All messages of a stream, in order. Test streams delete nothing, so every
/// sequence is read, retrying while a cluster moves its leader.
pub async fn stream_messages(js: &Context, name: &str) -> Vec<jetstream::message::StreamMessage> {
    let mut stream = js.get_stream(name).await.unwrap();
    let last = stream.info().await.unwrap().state.last_sequence;
    let mut out = Vec::new();
    for seq in 1..=last {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match stream.get_raw_message(seq).await {
                Ok(m) => break out.push(m),
                Err(e) if Instant::now() < deadline => {
                    eprintln!("reading {name} #{seq}: {e}; retrying");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("cannot read {name} #{seq}: {e}"),
            }
        }
    }
    out
}

/// (pending, ack pending) of the service's durable consumer; `None` before it exists.
pub async fn consumer_backlog(js: &Context, settings: &Settings) -> Option<(u64, usize)> {
    let stream = js.get_stream(&settings.streams.pages).await.ok()?;
    let mut c: jetstream::consumer::PullConsumer = stream.get_consumer(&settings.streams.durable).await.ok()?;
    let info = c.info().await.ok()?;
    Some((info.num_pending, info.num_ack_pending))
}

/// Waits until the service has acknowledged every page in its stream.
pub async fn wait_drained(js: &Context, settings: &Settings, secs: u64) {
    wait_for(secs, "every page to be acknowledged", || async { consumer_backlog(js, settings).await == Some((0, 0)) })
        .await;
}

/// The newsdesk binary under test, with a clean configuration environment.
pub fn newsdesk() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_newsdesk"));
    for (k, _) in std::env::vars() {
        if k.starts_with("NEWSDESK_") || k == "NATS_URL" {
            c.env_remove(k);
        }
    }
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// Runs a newsdesk client command on the test's settings and waits for it:
/// (exit code, stdout, stderr).
pub fn run_newsdesk(s: &Settings, args: &[&str]) -> (i32, String, String) {
    let mut c = newsdesk();
    env_for(&mut c, s);
    let out = c.args(args).output().expect("newsdesk runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The message ids a stream holds, read as `newsdesk verify` reads them (past
/// deleted sequences): `Nats-Msg-Id`, or the id `replay` gave a message the
/// server's de-duplication window would have dropped. Every message has one.
pub async fn held_msg_ids(js: &Context, stream: &str) -> Vec<String> {
    let mut ids = Vec::new();
    newsdesk::bus::scan_stream(js, stream, None, true, |m| {
        let h = m.headers.as_ref().expect("newsdesk's messages have headers");
        let id = h.get("Nats-Msg-Id").or_else(|| h.get("Newsdesk-Msg-Id")).expect("a message id");
        ids.push(id.as_str().to_string());
    })
    .await
    .unwrap();
    ids
}

/// Points a newsdesk command at the test's server, subjects and streams.
pub fn env_for(c: &mut std::process::Command, s: &Settings) {
    c.envs(s.service_env())
        .env("NEWSDESK_ACK_WAIT_SECS", s.delivery.ack_wait_secs.to_string())
        .env("NEWSDESK_CONCURRENCY", s.delivery.concurrency.to_string())
        .env("NEWSDESK_CPU_WORKERS", s.delivery.cpu_workers.to_string());
}

/// Starts `newsdesk serve` for the test's settings, its log going to `stderr`.
pub fn spawn_serve(s: &Settings, stderr: std::process::Stdio) -> std::process::Child {
    let mut c = newsdesk();
    env_for(&mut c, s);
    c.arg("serve").stdout(std::process::Stdio::null()).stderr(stderr).spawn().expect("newsdesk serve starts")
}

/// The `Nats-Msg-Id`s the service should store for these pages, computed offline with the core.
pub fn expected_msg_ids<'a>(
    pages: impl IntoIterator<Item = &'a [u8]>,
    s: &Settings,
) -> std::collections::HashSet<String> {
    use newsdesk::core::{Output, Plan, page::PageMeta, process};
    let output = Output::Messages { prefix: &s.streams.subject_prefix, routes: s.routes(), max_payload: 1 << 20 };
    let plan = Plan { tagger: &TAGGER, max_page_bytes: s.limits.max_page_bytes, limits: s.limits(), output };
    let mut ids = std::collections::HashSet::new();
    for bytes in pages {
        let done = process(bytes, &PageMeta::default(), &plan).unwrap();
        // The article copies; the page record (last) goes to the audit stream.
        let articles = &done.messages[..done.messages.len() - 1];
        ids.extend(articles.iter().map(|o| o.msg_id().to_string()));
    }
    ids
}

/// One header of every message stored in a stream, in order.
pub async fn stored_headers(js: &Context, stream: &str, header: &str) -> Vec<String> {
    stream_messages(js, stream).await.iter().map(|m| m.headers.get(header).unwrap().as_str().to_string()).collect()
}

/// The whole HTTP/1.1 response to a GET, as text.
async fn http_raw(port: u16, path: &str) -> Option<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.ok()?;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut raw)).await.ok()?.ok()?;
    Some(String::from_utf8_lossy(&raw).into_owned())
}

/// A plain HTTP/1.1 GET on 127.0.0.1: (status, body); `None` when nothing answers.
pub async fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let text = http_raw(port, path).await?;
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Some((status, body))
}

/// The status line and headers of an HTTP GET.
pub async fn http_head(port: u16, path: &str) -> Option<String> {
    http_raw(port, path).await?.split_once("\r\n\r\n").map(|(h, _)| h.to_string())
}

/// The value of one sample line (`name{labels} value`) of a Prometheus text page.
pub fn metric(text: &str, sample: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(sample)?.strip_prefix(' ')?.trim().parse().ok())
}
