//! The binary as users run it.

use std::process::{Command, Stdio};
use std::time::Duration;

use async_nats::jetstream;
use newsdesk::core::article::Article;

use crate::harness::*;

const SEED_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/000_cccc709a122f3acc.txt");

#[test]
fn parse_prints_the_seed_pages_eight_articles() {
    let out = newsdesk().args(["parse", "--paper", "运城日报", SEED_PATH]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let articles: Vec<Article> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(articles.len(), 8);
    assert!(articles.iter().all(|a| a.schema == 1 && a.page.paper.as_deref() == Some("运城日报")));
    let record = newsdesk().args(["parse", "--page-record", SEED_PATH]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&record.stdout).unwrap();
    assert_eq!(v["articles"].as_array().unwrap().len(), 8);
    assert!(v["page"]["id"].is_string() && v["furniture"].is_array());
}

#[test]
fn parse_refuses_a_page_over_a_limit_saying_why_once() {
    let out = newsdesk().args(["parse", SEED_PATH]).env("NEWSDESK_MAX_ARTICLES", "2").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("newsdesk: limit: 8 articles on one page, over the limit of 2"), "{err}");
    assert_eq!(err.matches("over the limit").count(), 1, "{err}");
}

#[test]
fn parse_explain_shows_each_lines_role_and_article() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/furniture.txt");
    let out = newsdesk().args(["parse", "--explain", fixture]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let row = |needle: &str| text.lines().find(|l| l.ends_with(needle)).unwrap_or_else(|| panic!("{needle} in {text}"));
    assert!(text.lines().any(|l| l.trim_start().starts_with("why: furniture by rule")), "{text}");
    assert!(text.lines().any(|l| l.trim_start().starts_with("why: title ") && l.contains(" over ")), "{text}");
    assert!(row("清河市举办职业技能大赛").contains("title") && row("清河市举办职业技能大赛").contains("#0"));
    assert!(row("第2版").contains("furniture"));
    assert!(row("（下转第二版）").contains("furniture"));
    assert!(row("大赛设置电工、焊工、数控车工等十二个比赛项目。").contains("body"));
}

#[test]
fn config_redacts_secrets_and_names_invalid_keys() {
    let out = newsdesk().args(["config"]).env("NEWSDESK_NATS_TOKEN", "s3cret-token").output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        shown.contains("[nats]\nurl = ") && shown.contains("[redacted]") && !shown.contains("s3cret-token"),
        "{shown}"
    );
    let bad = newsdesk().args(["config"]).env("NEWSDESK_MAX_PAGE_BYTES", "lots").output().unwrap();
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("limits.max_page_bytes (from environment variable NEWSDESK_MAX_PAGE_BYTES)"), "{err}");
    let k8s = newsdesk().args(["config"]).env("NEWSDESK_PORT", "tcp://10.0.0.7:8080").output().unwrap();
    assert!(k8s.status.success(), "an unknown NEWSDESK_ variable is no failure");
    assert!(String::from_utf8_lossy(&k8s.stderr).contains("NEWSDESK_PORT is not a newsdesk setting"));
}

#[test]
fn every_subcommand_has_help() {
    for sub in ["serve", "publish", "tail", "parse", "demo", "config", "topics", "verify", "replay", "health", "bench"]
    {
        let out = newsdesk().args([sub, "--help"]).output().unwrap();
        assert!(out.status.success(), "{sub} --help");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"), "{sub}");
    }
    let topics = newsdesk().arg("topics").output().unwrap();
    let listed = String::from_utf8_lossy(&topics.stdout);
    for slug in ["inspection", "governance", "party-building", "government", "unsorted"] {
        assert!(listed.lines().any(|l| l.starts_with(slug)), "{slug} in {listed}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_publish_and_tail_then_sigterm_exits_cleanly() {
    let server = NatsServer::start();
    let mut s = settings(&server, "cli_serve");
    s.service.http_listen = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let health = |live: bool| {
        let mut c = newsdesk();
        env_for(&mut c, &s);
        c.arg("health").args(live.then_some("--live")).output().unwrap()
    };
    assert!(!health(true).status.success(), "health fails while nothing serves");
    let mut serve = newsdesk();
    env_for(&mut serve, &s);
    let mut serve = serve.arg("serve").stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();

    let mut tail = newsdesk();
    env_for(&mut tail, &s);
    let mut tail = tail
        .args(["tail", "inspection", "--json", "--count", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // tail says on stderr when it has subscribed; the page goes out after that.
    let stderr = tail.stderr.take().unwrap();
    tokio::task::spawn_blocking(move || {
        use std::io::BufRead;
        let mut lines = std::io::BufReader::new(stderr).lines();
        for line in lines.by_ref() {
            if line.unwrap().contains("following") {
                break;
            }
        }
        // Keep draining so tail never blocks on a full pipe.
        for _ in lines {}
    });
    let client = client(&server).await;
    wait_for(20, "serve to create its consumer", || async {
        consumer_backlog(&jetstream::new(client.clone()), &s).await.is_some()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let ready = health(false);
    assert!(ready.status.success(), "{}", String::from_utf8_lossy(&ready.stdout));
    assert_eq!(String::from_utf8_lossy(&ready.stdout), "ready\n");

    let mut publish = newsdesk();
    env_for(&mut publish, &s);
    let out = publish.args(["publish", "--paper", "运城日报", "--home-region", "140800", SEED_PATH]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("{}.pages.default", s.streams.subject_prefix)));

    let tail = tokio::task::spawn_blocking(move || tail.wait_with_output()).await.unwrap().unwrap();
    let line = String::from_utf8_lossy(&tail.stdout);
    let a: Article = serde_json::from_str(line.trim()).unwrap();
    assert!(a.heads.title.unwrap().contains("巡察"));

    let js = jetstream::new(client.clone());
    wait_drained(&js, &s, 20).await;
    let status = Command::new("kill").args(["-TERM", &serve.id().to_string()]).status().unwrap();
    assert!(status.success());
    let out = tokio::task::spawn_blocking(move || {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(st) = serve.try_wait().unwrap() {
                return st;
            }
            assert!(std::time::Instant::now() < deadline, "serve did not stop after SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    })
    .await
    .unwrap();
    assert!(out.success(), "serve exits 0 after SIGTERM: {out:?}");
    assert!(!health(true).status.success(), "health fails once serve is gone");
    assert_eq!(consumer_backlog(&js, &s).await, Some((0, 0)));

    // `tail --all` replays the stored articles; `--region` keeps those of 闻喜县 (140823) and below.
    let mut replay = newsdesk();
    env_for(&mut replay, &s);
    let out = replay
        .args(["tail", "--all", "--json", "--region", "140823", "--count", "1"])
        .stderr(Stdio::null())
        .output()
        .unwrap();
    let a: Article = serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim()).unwrap();
    assert!(a.regions.iter().all(|r| r.code.starts_with("140823")), "{:?}", a.regions);
    assert_eq!(a.heads.title.as_deref(), Some("十五届闻喜县委开展第九轮巡察动员"));
}

#[test]
fn demo_runs_against_a_given_server() {
    let server = NatsServer::start();
    let out = newsdesk().arg("demo").env("NEWSDESK_NATS_URL", server.url()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("十五届闻喜县委开展第九轮巡察动员"), "{stdout}");
    assert!(stdout.contains("烟火巷陌间的治理答卷"), "{stdout}");
}

#[test]
fn demo_finds_nats_server_in_sbin_or_explains_how_to_get_one() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = newsdesk()
        .arg("demo")
        .env("NEWSDESK_NATS_URL", format!("nats://127.0.0.1:{port}"))
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    // With nats-server in /usr/sbin the demo still finds it; the hint only shows without one.
    if std::path::Path::new("/usr/sbin/nats-server").exists()
        || std::path::Path::new("/usr/local/sbin/nats-server").exists()
    {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    } else {
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("apt-get install nats-server"));
    }
}

#[test]
fn parse_output_matches_the_shipped_json_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../schema/article.schema.json")).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    assert!(!validator.is_valid(&serde_json::json!({"schema": 2})), "the schema rejects what it should");
    for page in [SEED_PATH, concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/short_news.txt")] {
        let out = newsdesk().args(["parse", "--date", "2025-05-06", "--page", "3", page]).output().unwrap();
        let articles: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert!(!articles.is_empty());
        for a in &articles {
            let errors: Vec<String> = validator.iter_errors(a).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{page}: {errors:?}");
        }
    }
}

#[test]
fn bench_runs_the_service_end_to_end_and_reports() {
    let server = NatsServer::start();
    let out = newsdesk()
        .args(["bench", "--pages", "30", "--rate", "20", "--rate-secs", "1"])
        .env("NEWSDESK_NATS_URL", server.url())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    for needle in
        ["ready after start", "as fast as possible: 30 pages", "steady 20 pages/s: 20 pages", "p99", "peak RSS"]
    {
        assert!(text.contains(needle), "{needle:?} missing from\n{text}");
    }
}
