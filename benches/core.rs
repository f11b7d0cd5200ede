//! The core, stage by stage, on every page in `seeds/`: decode, split, tag
//! regions, tag topics + keywords, route + serialise, the whole core, and
//! one plain jieba `cut` of the same text. Ends by printing the ratio
//! whole core / jieba cut per page (from criterion's median estimates).
//!
//! `cargo bench --bench core`

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group};
use newsdesk::core::page::PageMeta;
use newsdesk::core::route::{Routes, audit, route};
use newsdesk::core::tag::{TagData, Tagger};
use newsdesk::core::{Limits, Output, Plan, decode, process, process_page};

const MAX_PAGE: usize = 1 << 20;
const MAX_PAYLOAD: usize = 1 << 20;
const ROUTES: Routes = Routes { regions: true };

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir).expect("seeds/").map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}

/// What a worker does with one page's bytes, without NATS.
fn whole(bytes: &[u8], tagger: &Tagger) -> usize {
    let output = Output::Messages { prefix: "news", routes: ROUTES, max_payload: MAX_PAYLOAD };
    let plan = Plan { tagger, max_page_bytes: MAX_PAGE, limits: Limits::default(), output };
    process(bytes, &PageMeta::default(), &plan).unwrap().messages.len()
}

fn stages(c: &mut Criterion) {
    let tagger = Tagger::new(TagData::default()).unwrap();
    for (name, bytes) in seeds() {
        let mut g = c.benchmark_group(&name);
        let page = decode::decode(&bytes, &PageMeta::default(), MAX_PAGE).unwrap();
        let drafts = tagger.splitter().split(&page.text, tagger.jieba()).unwrap().articles;
        let processed = process_page(&page, &tagger, &Limits::default()).unwrap();

        g.bench_function("decode", |b| b.iter(|| decode::decode(black_box(&bytes), &PageMeta::default(), MAX_PAGE)));
        g.bench_function("split", |b| b.iter(|| tagger.splitter().split(black_box(&page.text), tagger.jieba())));
        g.bench_function("tag_regions", |b| {
            b.iter(|| drafts.iter().map(|d| tagger.regions(&page, d).len()).sum::<usize>())
        });
        g.bench_function("tag_topics_keywords", |b| {
            b.iter(|| drafts.iter().map(|d| tagger.topics_and_keywords(d).1.len()).sum::<usize>())
        });
        g.bench_function("route_serialise", |b| {
            b.iter(|| {
                let mut n = 0;
                for a in &processed.articles {
                    n += route(black_box(a), "news", ROUTES).unwrap().len();
                }
                n + audit(page.reference(), &processed, "news", MAX_PAYLOAD).unwrap().payload.len()
            })
        });
        g.bench_function("whole", |b| b.iter(|| whole(black_box(&bytes), &tagger)));
        g.bench_function("jieba_cut", |b| b.iter(|| tagger.jieba().cut(black_box(&page.text), true).len()));
        g.finish();
    }
}

/// criterion's median estimate of one benchmark, in nanoseconds.
fn median_ns(group: &str, function: &str) -> Option<f64> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let path = target.join("criterion").join(group).join(function).join("new").join("estimates.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    v["median"]["point_estimate"].as_f64()
}

fn ratios() {
    println!("\nwhole core / jieba cut of the same text (medians):");
    for (name, _) in seeds() {
        match (median_ns(&name, "whole"), median_ns(&name, "jieba_cut")) {
            (Some(core), Some(cut)) => {
                println!("  {name}: core {:.3} ms, cut {:.3} ms, ratio {:.2}", core / 1e6, cut / 1e6, core / cut)
            }
            _ => println!("  {name}: not measured in this run"),
        }
    }
}

criterion_group!(benches, stages);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    ratios();
}
