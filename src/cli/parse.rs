//! `newsdesk parse`: the core on one file, offline.

use std::io::Read;
use std::process::ExitCode;

use anyhow::Context;

use super::{ParseArgs, load_tagger};
use crate::core::{decode, process_page};
use crate::settings::Settings;

/// Prints the page's articles (or its page record) as JSON.
///
/// # Errors
/// When the file cannot be read, decoded or split.
pub fn run(settings: &Settings, args: &ParseArgs) -> anyhow::Result<ExitCode> {
    let bytes = if args.file.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b)?;
        b
    } else {
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?
    };
    let tagger = load_tagger(settings)?;
    let page = decode::decode(&bytes, &args.meta.meta(settings), settings.max_page_bytes)?;
    if args.explain {
        let explained = tagger.splitter().explain(&page.text, tagger.jieba());
        print!("{}", explain(&explained));
        return Ok(ExitCode::SUCCESS);
    }
    let processed = process_page(&page, &tagger, &settings.limits())?;
    let out = if args.page_record {
        serde_json::to_string_pretty(&processed.parsed(page.reference()))?
    } else {
        serde_json::to_string_pretty(&processed.articles)?
    };
    println!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// One row per line: number, label (`+` when it goes on with the line
/// above's element), article (`-` for furniture), the text, and why: the
/// label's score against the runner-up and the features that weighed most
/// for it; then the articles.
pub fn explain(e: &crate::core::split::Explained) -> String {
    use std::fmt::Write;
    let mut out =
        String::from("line  role        article  text  [score, runner-up: features for the role over the runner-up]\n");
    for (i, (l, (label, why))) in e.page.lines.iter().zip(&e.reasons).enumerate() {
        let art = l.article.map_or("-".to_string(), |a| format!("#{a}"));
        let text: String = l.text.chars().take(40).collect();
        let more = if l.text.chars().count() > 40 { "…" } else { "" };
        let role = format!("{}{}", l.role, if label.continues { "+" } else { "" });
        let reason = match why.rule {
            Some(rule) => format!("rule: {rule}"),
            None => {
                let f: Vec<String> = why.features.iter().map(|(n, w)| format!("{n} {w:+.1}")).collect();
                format!("{:.1}, {} {:.1}: {}", why.score, why.runner_up.0.name(), why.runner_up.1, f.join(", "))
            }
        };
        let _ = writeln!(out, "{:>4}  {:<10}  {:<7}  {text}{more}  [{reason}]", i + 1, role, art);
    }
    for (i, a) in e.page.articles.iter().enumerate() {
        let title = a.heads.title.as_deref().unwrap_or("(no headline)");
        let _ = writeln!(out, "#{i}: {:?} {title}", a.kind.unwrap_or(crate::core::article::Kind::News));
    }
    out
}
