//! `newsdesk parse` on every labelled page of a set in one process (the
//! tagger loads once): for each GOLD_DIR/NAME.json, parses its page in
//! PAGES_DIR with the paper and home region the gold names (as
//! `../shared/eval/score.py` passes them) and writes OUT_DIR/NAME.json, the
//! page's articles as a JSON array, for
//! `score.py --cmd 'cat OUT_DIR/$(basename {page} .txt).json'`.
//! Used by `scripts/measure_split.sh`.
//!
//! ```text
//! cargo run --release --example parse_many -- GOLD_DIR PAGES_DIR OUT_DIR [LINE_MODEL]
//! ```
//!
//! LINE_MODEL: a line-role model file to use instead of the embedded one;
//! `NEWSDESK_TOPICS_PATH` and `NEWSDESK_USERDICT_PATH` name tagging data to
//! use instead of the embedded files.

use std::path::Path;
use std::process::ExitCode;

use newsdesk::core::page::PageMeta;
use newsdesk::core::subject::RegionCode;
use newsdesk::core::tag::{TagData, Tagger};
use newsdesk::core::{Limits, Output, Plan, process};

fn parse(path: &Path, meta: &PageMeta, tagger: &Tagger) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let plan = Plan { tagger, max_page_bytes: usize::MAX, limits: Limits::default(), output: Output::Articles };
    let done = process(&bytes, meta, &plan).map_err(|e| e.to_string())?;
    serde_json::to_string(&done.processed.articles).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (gold, pages, out, model) = match args.as_slice() {
        [g, p, o] => (g, p, o, None),
        [g, p, o, m] => (g, p, o, Some(m)),
        _ => {
            eprintln!("usage: parse_many GOLD_DIR PAGES_DIR OUT_DIR [LINE_MODEL]");
            return ExitCode::from(2);
        }
    };
    let model_text = match model.map(std::fs::read_to_string).transpose() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("{}: {e}", model.map_or("", |m| m.as_str()));
            return ExitCode::FAILURE;
        }
    };
    // Tagging data edited in the working tree, measured without a rebuild.
    let [topics, userdict] = ["NEWSDESK_TOPICS_PATH", "NEWSDESK_USERDICT_PATH"].map(|var| {
        std::env::var_os(var)
            .map(std::path::PathBuf::from)
            .map(|p| std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
    });
    let mut data = TagData::default();
    if let Some(m) = &model_text {
        data.line_model = m;
    }
    if let Some(t) = &topics {
        data.topics = t;
    }
    if let Some(u) = &userdict {
        data.userdict = u;
    }
    let tagger = match Tagger::new(data) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("{out}: {e}");
        return ExitCode::FAILURE;
    }
    let Ok(entries) = std::fs::read_dir(gold) else {
        eprintln!("{gold}: cannot read");
        return ExitCode::FAILURE;
    };
    let mut names: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    for g in names {
        let Ok(v) = std::fs::read_to_string(&g)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).map_err(|e| e.to_string()))
        else {
            eprintln!("{}: not a gold file", g.display());
            continue;
        };
        let stem = g.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let page = v["page"].as_str().map_or_else(|| format!("{stem}.txt"), str::to_string);
        let meta = PageMeta {
            paper: v["paper"].as_str().map(str::to_string),
            home_region: v["home_region"].as_str().and_then(|c| RegionCode::parse(c).ok()),
            ..PageMeta::default()
        };
        let json = parse(&Path::new(pages).join(&page), &meta, &tagger).unwrap_or_else(|e| {
            eprintln!("{page}: {e}");
            "[]".into()
        });
        let name = Path::new(&page).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or(stem);
        if let Err(e) = std::fs::write(Path::new(out).join(format!("{name}.json")), json) {
            eprintln!("{out}: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
