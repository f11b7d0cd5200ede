//! `newsdesk parse` on every labelled page of a set in one process (the
//! tagger loads once): for each GOLD_DIR/NAME.json, parses its page in
//! PAGES_DIR with the paper and home region the gold names (as
//! `../shared/eval/score.py` passes them) and writes OUT_DIR/NAME.json, the
//! page's articles as a JSON array, for
//! `score.py --cmd 'cat OUT_DIR/$(basename {page} .txt).json'`.
//! Used by `scripts/measure_split.sh`.
//!
//! ```text
//! cargo run --release --example parse_many -- GOLD_DIR PAGES_DIR OUT_DIR
//! ```

use std::path::Path;
use std::process::ExitCode;

use newsdesk::core::page::PageMeta;
use newsdesk::core::subject::RegionCode;
use newsdesk::core::tag::{TagData, Tagger};
use newsdesk::core::{Limits, decode, process_page};

fn parse(path: &Path, meta: &PageMeta, tagger: &Tagger) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let page = decode::decode(&bytes, meta, usize::MAX).map_err(|e| e.to_string())?;
    let done = process_page(&page, tagger, &Limits::default()).map_err(|e| e.to_string())?;
    serde_json::to_string(&done.articles).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [gold, pages, out] = args.as_slice() else {
        eprintln!("usage: parse_many GOLD_DIR PAGES_DIR OUT_DIR");
        return ExitCode::from(2);
    };
    let tagger = Tagger::new(TagData::default()).expect("embedded data loads");
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
