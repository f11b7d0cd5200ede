//! Runs the whole core, and one plain jieba `cut`, on a page a number of
//! times, for a profiler to count. Made for callgrind, which can count only
//! the two marked functions:
//!
//! ```text
//! cargo build --release --example profile_core
//! valgrind --tool=callgrind --toggle-collect='*profile_core::core_once*' \
//!     target/release/examples/profile_core seeds/000_cccc709a122f3acc.txt 10
//! valgrind --tool=callgrind --toggle-collect='*profile_core::cut_once*' \
//!     target/release/examples/profile_core seeds/000_cccc709a122f3acc.txt 10
//! ```
//!
//! Each run first warms the tagger up (what it remembers of words) with one
//! page that is not counted, as a running service would be. Given several
//! pages, each round goes through all of them (`profile_core A B C 1`:
//! every page once, as a stream of different pages).

use std::hint::black_box;

use newsdesk::core::page::PageMeta;
use newsdesk::core::route::Routes;
use newsdesk::core::tag::{TagData, Tagger};
use newsdesk::core::{Limits, Output, Plan, decode, process};

const MAX: usize = 1 << 20;

/// The counted run of [`whole`].
#[inline(never)]
fn core_once(bytes: &[u8], tagger: &Tagger) -> usize {
    whole(bytes, tagger)
}

/// What a worker does with one page's bytes, without NATS.
#[inline(never)]
fn whole(bytes: &[u8], tagger: &Tagger) -> usize {
    let output = Output::Messages { prefix: "news", routes: Routes { regions: true }, max_payload: MAX };
    let plan = Plan { tagger, max_page_bytes: MAX, limits: Limits::default(), output };
    process(bytes, &PageMeta::default(), &plan).expect("the page is processed").messages.len()
}

/// One plain jieba cut of the page text, with HMM as the core uses it.
#[inline(never)]
fn cut_once(text: &str, tagger: &Tagger) -> usize {
    tagger.jieba().cut(text, true).len()
}

/// A page read and decoded once.
struct Input {
    bytes: Vec<u8>,
    text: String,
}

fn main() {
    // `profile_core PAGE [TIMES]` runs one page TIMES times; with more
    // pages (`profile_core A B C … [TIMES]`) each round goes through all of
    // them, so what the tagger remembers of words (their IDF and part of
    // speech) is what a stream of different pages leaves, not one page's.
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let times: usize = match args.last().and_then(|n| n.parse().ok()) {
        Some(n) => {
            args.pop();
            n
        }
        None => 10,
    };
    if args.is_empty() {
        args.push("seeds/000_cccc709a122f3acc.txt".into());
    }
    let tagger = Tagger::new(TagData::default()).expect("default tag data");
    let inputs: Vec<Input> = args
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let text = decode::decode(&bytes, &PageMeta::default(), MAX).expect("the page decodes").text;
            Input { bytes, text }
        })
        .collect();
    let messages = whole(&inputs[0].bytes, &tagger);
    let (mut core, mut cut) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    for _ in 0..times {
        for input in &inputs {
            let t = std::time::Instant::now();
            black_box(core_once(black_box(&input.bytes), &tagger));
            core += t.elapsed();
            let t = std::time::Instant::now();
            black_box(cut_once(black_box(&input.text), &tagger));
            cut += t.elapsed();
        }
    }
    let runs = (times * inputs.len()).max(1) as f64;
    let per = |d: std::time::Duration| d.as_secs_f64() * 1e3 / runs;
    println!(
        "{messages} messages on the first page; mean of {runs} page runs: core {:.3} ms, cut {:.3} ms, core/cut {:.2}",
        per(core),
        per(cut),
        per(core) / per(cut)
    );
}
