//! The client commands as people use them: PDF pages in, input checked before
//! anything is sent, quiet logs without colours, no control characters on the
//! terminal, and a service stopped while NATS is still away.

use std::io::BufRead;
use std::process::Stdio;

use async_nats::jetstream;

use crate::harness::*;

const PDF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/e_paper.pdf");
const SHORT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/short_news.txt");

/// [`run_newsdesk`], its exit told as success or not.
fn run(s: &newsdesk::settings::Settings, args: &[&str]) -> (bool, String, String) {
    let (code, out, err) = run_newsdesk(s, args);
    (code == 0, out, err)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pdf_goes_out_page_by_page_with_its_page_numbers() {
    let server = NatsServer::start();
    let s = settings(&server, "pdf_in");
    let js = jetstream::new(client(&server).await);

    let (ok, out, err) = run(&s, &["publish", "--paper", "清河日报", "--date", "2025-05-06", PDF]);
    assert!(ok, "{err}");
    assert!(out.contains("e_paper.pdf#1") && out.contains("e_paper.pdf#2"), "{out}");
    let pages = stream_messages(&js, &s.streams.pages).await;
    assert_eq!(pages.len(), 2, "one page dump per PDF page");
    for (m, n) in pages.iter().zip(["1", "2"]) {
        assert_eq!(m.headers.get("Newsdesk-Page").unwrap().as_str(), n);
        assert_eq!(m.headers.get("Newsdesk-Paper").unwrap().as_str(), "清河日报");
    }
    let first = String::from_utf8(pages[0].payload.to_vec()).unwrap();
    assert!(first.contains("某县开展安全生产大检查") && first.contains("清河日报"), "{first}");
    let page = newsdesk::core::decode::decode(&pages[0].payload, &Default::default(), 1 << 20).unwrap();
    let done = newsdesk::core::process_page(&page, &TAGGER, &s.limits()).unwrap();
    assert_eq!(done.articles[0].heads.title.as_deref(), Some("某县开展安全生产大检查"));

    let (ok, out, err) = run(&s, &["publish", "--page", "2", PDF]);
    assert!(ok, "{err}");
    assert!(out.contains("e_paper.pdf#2") && !out.contains("#1") && out.contains("duplicate"), "{out}");
    let (ok, _, err) = run(&s, &["publish", "--page", "9", PDF]);
    assert!(!ok && err.contains("has 2 pages; there is no page 9"), "{err}");
    let (ok, _, err) = run(&s, &["publish", "--page", "A3", PDF]);
    assert!(!ok && err.contains("--page is the number of the page"), "{err}");

    let mut no_poppler = newsdesk();
    env_for(&mut no_poppler, &s);
    let out = no_poppler.args(["publish", PDF]).env("PATH", "/nonexistent").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("pdftotext") && err.contains("poppler-utils"), "{err}");
    assert_eq!(stream_len(&js, &s.streams.pages).await, 2, "nothing more was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_refuses_empty_files_warns_about_binary_ones_and_is_quiet() {
    let server = NatsServer::start();
    let s = settings(&server, "publish_checks");
    let js = jetstream::new(client(&server).await);
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, " \n\n").unwrap();
    let binary = dir.path().join("photo.txt");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();

    let (ok, _, err) = run(&s, &["publish", SHORT, empty.to_str().unwrap()]);
    assert!(!ok && err.contains("empty.txt is empty: nothing to publish"), "{err}");
    let (ok, out, err) = run(&s, &["publish", binary.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(err.contains("warning") && err.contains("photo.txt") && err.contains("binary"), "{err}");
    assert!(out.contains("published"), "{out}");

    let (ok, _, err) = run(&s, &["publish", SHORT]);
    assert!(ok);
    assert_eq!(err, "", "a client command logs nothing but warnings and errors");
    let (ok, _, err) = run(&s, &["-v", "publish", SHORT]);
    assert!(ok && err.contains("INFO"), "-v shows the info lines: {err}");
    assert!(!err.contains('\u{1b}'), "no colours when stderr is not a terminal: {err:?}");
    assert_eq!(stream_len(&js, &s.streams.pages).await, 2, "the short page once (then a duplicate) and the binary one");
}

#[test]
fn unknown_topics_regions_and_dates_are_refused_before_connecting() {
    // No server at all: the checks come first.
    let s = newsdesk::settings::Settings::default();
    let s = newsdesk::settings::Settings {
        nats: newsdesk::settings::NatsSettings { url: format!("nats://127.0.0.1:{}", free_port()), ..s.nats },
        ..s
    };
    let (ok, _, err) = run(&s, &["tail", "nosuchtopic"]);
    assert!(!ok && err.contains("unknown topic \"nosuchtopic\"") && err.contains("inspection"), "{err}");
    let (ok, _, err) = run(&s, &["tail", "--region", "999999"]);
    assert!(!ok && err.contains("--region 999999: no division has this code"), "{err}");
    let (ok, _, err) = run(&s, &["parse", "--home-region", "140899", SHORT]);
    assert!(!ok && err.contains("--home-region 140899") && err.contains("the nearest are 1408"), "{err}");
    let (ok, _, err) = run(&s, &["parse", "--date", "2025-13-45", SHORT]);
    assert!(!ok && err.contains("YYYY-MM-DD"), "{err}");
    let (ok, _, err) = run(&s, &["tail", "inspection", "--count", "1"]);
    assert!(!ok && err.contains("cannot connect to NATS at nats://127.0.0.1:"), "tail says it cannot connect: {err}");
    assert_eq!(err.matches("cannot connect").count(), 1, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tail_writes_no_control_characters_to_the_terminal() {
    let server = NatsServer::start();
    let s = settings(&server, "tail_controls");
    let js = jetstream::new(client(&server).await);
    ensure_streams(&js, &s).await;
    let page = "某县开展\u{1b}[31m安全\u{7}生产大检查\n\n本报讯(记者 王明)近日，某县组织应急管理、消防等部门开展安全生产大检查\u{1b}]0;pwned\u{7}，重点检查企业消防设施。\n\n检查组要求，各企业要压实主体责任，及时整改隐患，确保安全生产形势平稳。对检查中发现的问题，要建立台账、明确时限、逐项销号，切实把各项安全措施落到实处。\n";
    publish(&js, &format!("{}.pages.x", s.streams.subject_prefix), page.as_bytes(), &[]).await;
    let service = Service::start(&s).await;
    wait_drained(&js, &s, 30).await;
    service.shutdown().await;
    for json in [false, true] {
        let mut args = vec!["tail", "--all", "--count", "1"];
        if json {
            args.push("--json");
        }
        let (ok, out, err) = run(&s, &args);
        assert!(ok, "{err}");
        assert!(out.contains("生产大检查"), "{out}");
        let controls: Vec<char> = out.chars().filter(|c| c.is_control() && *c != '\n').collect();
        assert!(controls.is_empty(), "json={json}: {controls:?} in {out:?}");
    }
}

#[test]
fn a_signal_while_nats_is_away_stops_serve_at_once_with_status_0() {
    let url = format!("nats://127.0.0.1:{}", free_port());
    let mut s = newsdesk::settings::Settings::default();
    s.nats.url = url.clone();
    s.service.http_listen = "".parse().unwrap();
    let mut c = newsdesk();
    env_for(&mut c, &s);
    let mut serve = c.arg("serve").stderr(Stdio::piped()).stdout(Stdio::null()).spawn().unwrap();
    let mut lines = std::io::BufReader::new(serve.stderr.take().unwrap()).lines();
    let mut log = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        log.push_str(&line);
        log.push('\n');
        if line.contains("cannot connect to NATS") {
            break;
        }
    }
    assert!(log.contains(&url) && log.contains("Connection refused"), "the URL and the reason: {log}");
    // A few more attempts go by, unlogged: the reason has not changed.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(std::process::Command::new("kill").args(["-TERM", &serve.id().to_string()]).status().unwrap().success());
    let status = serve.wait().unwrap();
    for line in lines {
        log.push_str(&line.unwrap());
        log.push('\n');
    }
    assert!(status.success(), "exit status 0: {status:?}\n{log}");
    assert_eq!(log.matches("cannot connect to NATS").count(), 1, "said once: {log}");
    assert!(log.contains("stopped before connecting to NATS"), "{log}");
    assert!(!log.contains('\u{1b}'), "no colours in a pipe: {log:?}");
}
