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
//! Each run first warms the tagger up (its keyword IDF memory) with one page
//! that is not counted, as a running service would be.

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

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "seeds/000_cccc709a122f3acc.txt".into());
    let times: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let tagger = Tagger::new(TagData::default()).expect("default tag data");
    let text = decode::decode(&bytes, &PageMeta::default(), MAX).expect("the page decodes").text;
    let messages = whole(&bytes, &tagger);
    let (mut core, mut cut) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    for _ in 0..times {
        let t = std::time::Instant::now();
        black_box(core_once(black_box(&bytes), &tagger));
        core += t.elapsed();
        let t = std::time::Instant::now();
        black_box(cut_once(black_box(&text), &tagger));
        cut += t.elapsed();
    }
    let per = |d: std::time::Duration| d.as_secs_f64() * 1e3 / times.max(1) as f64;
    println!(
        "{messages} messages a page; mean of {times} runs: core {:.3} ms, cut {:.3} ms, core/cut {:.2}",
        per(core),
        per(cut),
        per(core) / per(cut)
    );
}
