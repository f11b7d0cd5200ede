//! Tags articles that are already split (gold articles), so tagging can be
//! measured apart from splitting. Reads JSON lines on stdin, one article each:
//!
//! ```json
//! {"title": "…", "subtitle": null, "kicker": null, "dateline": "本报讯", "body": ["…", "…"],
//!  "paper": "运城日报", "home_region": "140800"}
//! ```
//!
//! and writes one line per article: `{"topics": [...], "regions": [...]}` as
//! the service would tag them. Used by `scripts/measure_tags.py`. With
//! `--tokens` it writes the article's words as the tagger segments them
//! instead, `{"tokens": [[word, part of speech], ...]}` (headline first), for
//! `scripts/mine_topic_terms.py`; with `--scores` every topic's score before
//! the thresholds, `{"scores": {slug: score}}`, for
//! `scripts/calibrate_topics.py`.
//!
//! ```text
//! cargo run --release --example tag_articles [-- --tokens] < articles.jsonl > tags.jsonl
//! ```
//!
//! `NEWSDESK_TOPICS_PATH` and `NEWSDESK_USERDICT_PATH` name data files to use instead of the embedded
//! ones (as the service reads them), so a taxonomy edit is measured without a
//! rebuild.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use newsdesk::core::article::{Draft, Heads};
use newsdesk::core::page::{Page, PageMeta};
use newsdesk::core::subject::RegionCode;
use newsdesk::core::tag::{TagData, Tagger};

#[derive(serde::Deserialize)]
struct Input {
    title: Option<String>,
    subtitle: Option<String>,
    kicker: Option<String>,
    dateline: Option<String>,
    body: Vec<String>,
    paper: Option<String>,
    home_region: Option<String>,
}

fn read_env(var: &str) -> Result<Option<String>, String> {
    match std::env::var_os(var) {
        None => Ok(None),
        Some(p) => std::fs::read_to_string(&p).map(Some).map_err(|e| format!("{}: {e}", p.to_string_lossy())),
    }
}

fn run() -> Result<(), String> {
    let topics = read_env("NEWSDESK_TOPICS_PATH")?;
    let userdict = read_env("NEWSDESK_USERDICT_PATH")?;
    let mut data = TagData::default();
    if let Some(t) = &topics {
        data.topics = t;
    }
    if let Some(u) = &userdict {
        data.userdict = u;
    }
    let tagger = Tagger::new(data).map_err(|e| e.to_string())?;
    let tokens_only = std::env::args().skip(1).any(|a| a == "--tokens");
    let scores_only = std::env::args().skip(1).any(|a| a == "--scores");
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (no, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line.map_err(|e| e.to_string())?;
        if line.trim().is_empty() {
            continue;
        }
        let a: Input = serde_json::from_str(&line).map_err(|e| format!("line {}: {e}", no + 1))?;
        if tokens_only {
            let text: Vec<&str> = [&a.kicker, &a.title, &a.subtitle]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .chain(a.body.iter().map(String::as_str))
                .collect();
            let joined = text.join("\n");
            let tokens: Vec<(&str, &str)> =
                tagger.jieba().tag(&joined, true).into_iter().map(|t| (t.word, t.tag)).collect();
            writeln!(out, "{}", serde_json::json!({ "tokens": tokens })).map_err(|e| e.to_string())?;
            continue;
        }
        let home_region = a.home_region.as_deref().map(RegionCode::parse).transpose().map_err(|e| e.to_string())?;
        let page = Page::new("", PageMeta { paper: a.paper, home_region, ..PageMeta::default() });
        let draft = Draft {
            heads: Heads { title: a.title, subtitle: a.subtitle, kicker: a.kicker, column: None, dateline: a.dateline },
            paragraphs: a.body,
            ..Draft::default()
        };
        if scores_only {
            let scores = tagger.topic_scores(&draft);
            let map: serde_json::Map<String, serde_json::Value> = tagger
                .taxonomy()
                .topics()
                .iter()
                .zip(&scores)
                .map(|(t, s)| (t.slug.to_string(), serde_json::json!(s.score)))
                .collect();
            writeln!(out, "{}", serde_json::json!({ "scores": map })).map_err(|e| e.to_string())?;
            continue;
        }
        let home = tagger.page_home(&page, &[], std::slice::from_ref(&draft));
        let article = tagger.tag(&page, 0, draft, home.as_ref());
        let row = serde_json::json!({ "topics": article.topics, "regions": article.regions });
        writeln!(out, "{row}").map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tag_articles: {e}");
            ExitCode::FAILURE
        }
    }
}
