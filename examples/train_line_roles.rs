//! Trains the splitter's line labeler from pages whose lines carry their
//! roles (the JSON lines `scripts/align_line_roles.py` writes), and writes
//! the model file. Run by `scripts/train_line_roles.sh`; see there.
//!
//! ```text
//! cargo run --release --example train_line_roles -- \
//!     --out config/line_roles.model [--epochs 12] [--seed 1] [--runs 1] [--about TEXT]… \
//!     [--repeat train.jsonl=N]… [--check held-out.jsonl]… train.jsonl…
//! ```
//!
//! Each page is read back from its file the way the service reads a page
//! (decoded, cut into lines); a page whose lines differ from the labelled
//! ones is left out with a warning. `--check` files are not trained on:
//! the line accuracy on them is printed after training.

use std::collections::BTreeMap;
use std::process::ExitCode;

use newsdesk::core::decode;
use newsdesk::core::page::PageMeta;
use newsdesk::core::split::cues::{CueWords, DEFAULT_LAYOUT_CUES, cues_of};
use newsdesk::core::split::features::features;
use newsdesk::core::split::lines::read;
use newsdesk::core::split::model::LineModel;
use newsdesk::core::split::roles::{LABELS, Label, label};
use newsdesk::core::split::train::{CrfOptions, Example, train_averaged, train_crf};
use newsdesk::core::tag::{TagData, Tagger};

struct Page {
    path: String,
    example: Example,
    cues: Vec<newsdesk::core::split::cues::Cues>,
}

fn load(file: &str, tagger: &Tagger, words: &CueWords) -> Result<Vec<Page>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    let mut out = Vec::new();
    for (no, line) in text.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("{file}:{}: {e}", no + 1))?;
        let path = v["page"].as_str().ok_or(format!("{file}:{}: no page", no + 1))?.to_string();
        let texts: Vec<&str> = v["lines"].as_array().into_iter().flatten().filter_map(|x| x.as_str()).collect();
        let names: Vec<&str> = v["labels"].as_array().into_iter().flatten().filter_map(|x| x.as_str()).collect();
        let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
        let page = match decode::decode(&bytes, &PageMeta::default(), usize::MAX) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{path}: left out: {e}");
                continue;
            }
        };
        let sheet = read(&page.text);
        let same = sheet.lines.len() == texts.len() && sheet.lines.iter().zip(&texts).all(|(l, t)| l.text == *t);
        if !same {
            eprintln!(
                "{path}: left out: its lines read differently than labelled ({} vs {})",
                sheet.lines.len(),
                texts.len()
            );
            continue;
        }
        let labels: Option<Vec<usize>> = names.iter().map(|n| Label::parse(n).map(Label::index)).collect();
        let Some(labels) = labels else {
            eprintln!("{path}: left out: an unknown label in {names:?}");
            continue;
        };
        let cues = cues_of(sheet.lines.iter().map(|l| l.text.as_str()), words);
        let f = features(&sheet, &cues, tagger.jieba());
        out.push(Page { path, example: Example { cues: cues.clone(), features: f, labels }, cues });
    }
    Ok(out)
}

fn accuracy(pages: &[Page], model: &LineModel) -> (usize, usize, BTreeMap<(String, String), usize>) {
    let (mut right, mut all) = (0, 0);
    let mut confusion = BTreeMap::new();
    for p in pages {
        let got = label(&p.example.features, &p.cues, model);
        for (g, k) in got.iter().zip(&p.example.labels) {
            all += 1;
            if g.index() == *k {
                right += 1;
            } else {
                *confusion.entry((LABELS[*k].name(), g.name())).or_insert(0) += 1;
            }
        }
    }
    (right, all, confusion)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut out, mut epochs, mut seed, mut runs) = (None, 12usize, 1u64, 1usize);
    let (mut about, mut check, mut inputs) = (Vec::new(), Vec::new(), Vec::new());
    let mut repeat: Vec<(String, usize)> = Vec::new();
    let (mut method, mut rate, mut l2) = ("crf".to_string(), 0.1f64, 1e-4f64);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = args.next(),
            "--epochs" => epochs = args.next().and_then(|v| v.parse().ok()).unwrap_or(epochs),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(seed),
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(runs),
            "--method" => method = args.next().unwrap_or(method),
            "--rate" => rate = args.next().and_then(|v| v.parse().ok()).unwrap_or(rate),
            "--l2" => l2 = args.next().and_then(|v| v.parse().ok()).unwrap_or(l2),
            "--about" => about.extend(args.next()),
            "--check" => check.extend(args.next()),
            "--repeat" => {
                // FILE=N: the pages of that labels file count N times (a kind of page the others outnumber).
                if let Some((f, n)) =
                    args.next().and_then(|v| v.split_once('=').map(|(f, n)| (f.to_string(), n.parse().unwrap_or(1))))
                {
                    repeat.push((f, n));
                }
            }
            _ => inputs.push(a),
        }
    }
    let Some(out) = out.filter(|_| !inputs.is_empty()) else {
        eprintln!("usage: train_line_roles --out MODEL [--epochs N] [--seed S] [--about TEXT]… [--check FILE]… FILE…");
        return ExitCode::from(2);
    };
    // The lexicon only: the embedded model may be for other features (that is why we train).
    let untrained = LineModel::zero().to_text(&[]);
    let tagger = Tagger::new(TagData { line_model: &untrained, ..TagData::default() }).expect("embedded data loads");
    let words = CueWords::parse(DEFAULT_LAYOUT_CUES).expect("embedded cue words load");
    let mut pages = Vec::new();
    let mut examples: Vec<Example> = Vec::new();
    for f in &inputs {
        let times = repeat.iter().find(|(r, _)| r == f).map_or(1, |(_, n)| *n);
        match load(f, &tagger, &words) {
            Ok(p) => {
                for _ in 0..times {
                    examples.extend(p.iter().map(|x| x.example.clone()));
                }
                pages.extend(p)
            }
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let lines: usize = pages.iter().map(|p| p.example.labels.len()).sum();
    eprintln!("training on {} pages ({} with repeats), {lines} lines, {epochs} epochs", pages.len(), examples.len());
    let seeds: Vec<u64> = (0..runs as u64).map(|k| seed + k).collect();
    let (model, reports) = if method == "perceptron" {
        train_averaged(&examples, epochs, &seeds)
    } else {
        let (m, r) = train_crf(&examples, CrfOptions { epochs, rate, l2, seed });
        (m, vec![r])
    };
    let report = &reports[0];
    let errors: Vec<String> = report.epoch_errors.iter().map(|e| format!("{:.3}", e)).collect();
    eprintln!("line errors by epoch: {}", errors.join(" "));
    let (right, all, _) = accuracy(&pages, &model);
    eprintln!("training lines right: {right}/{all} = {:.4}", right as f64 / all.max(1) as f64);
    for kind in ["/pdf-", "/noisy-"] {
        let some: Vec<&Page> = pages.iter().filter(|p| p.path.contains(kind)).collect();
        let owned: Vec<Page> = some
            .iter()
            .map(|p| Page { path: p.path.clone(), example: p.example.clone(), cues: p.cues.clone() })
            .collect();
        let (right, all, _) = accuracy(&owned, &model);
        eprintln!("  of them {kind}: {right}/{all} = {:.4}", right as f64 / all.max(1) as f64);
    }
    let clean: Vec<Page> = pages
        .iter()
        .filter(|p| !p.path.contains("/pdf-") && !p.path.contains("/noisy-"))
        .map(|p| Page { path: p.path.clone(), example: p.example.clone(), cues: p.cues.clone() })
        .collect();
    let (right, all, confusion) = accuracy(&clean, &model);
    eprintln!("  of them as they are: {right}/{all} = {:.4}", right as f64 / all.max(1) as f64);
    let mut worst: Vec<_> = confusion.into_iter().collect();
    worst.sort_by_key(|w| std::cmp::Reverse(w.1));
    for ((gold, got), n) in worst.into_iter().take(10) {
        eprintln!("  {n:>5}  {gold} taken for {got}");
    }
    for f in &check {
        match load(f, &tagger, &words) {
            Ok(held) => {
                let (right, all, confusion) = accuracy(&held, &model);
                eprintln!(
                    "{f}: {} pages, lines right {right}/{all} = {:.4}",
                    held.len(),
                    right as f64 / all.max(1) as f64
                );
                let mut worst: Vec<_> = confusion.into_iter().collect();
                worst.sort_by_key(|w| std::cmp::Reverse(w.1));
                for ((gold, got), n) in worst.into_iter().take(12) {
                    eprintln!("  {n:>5}  {gold} taken for {got}");
                }
                for p in held.iter().take(0) {
                    eprintln!("{}", p.path);
                }
            }
            Err(e) => eprintln!("{e}"),
        }
    }
    let mut header = vec![
        format!(
            "newsdesk line-role model: weights of the splitter's line labeler ({}, Viterbi).",
            if method == "perceptron" { "averaged perceptron" } else { "linear-chain CRF" }
        ),
        "Written by scripts/train_line_roles.sh; do not edit by hand, retrain.".to_string(),
        if method == "perceptron" {
            format!(
                "Trained on {} pages, {lines} lines, {epochs} epochs; the average of {runs} runs, seeds {seed}..{}.",
                pages.len(),
                seed + runs as u64 - 1
            )
        } else {
            format!("Trained on {} pages, {lines} lines, {epochs} epochs, seed {seed}.", pages.len())
        },
        format!("Training line errors by epoch (first run): {}.", errors.join(" ")),
    ];
    header.extend(about);
    for l in LABELS {
        let top: Vec<String> = model.strongest(*l, 5).into_iter().map(|(n, w)| format!("{n} {w:.1}")).collect();
        eprintln!("{:<10} {}", l.name(), top.join(", "));
    }
    if let Err(e) = std::fs::write(&out, model.to_text(&header)) {
        eprintln!("{out}: {e}");
        return ExitCode::FAILURE;
    }
    eprintln!("wrote {out}");
    ExitCode::SUCCESS
}
