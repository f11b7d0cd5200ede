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
    let processed = process_page(&page, &tagger, &settings.limits())?;
    if args.explain {
        print!("{}", explain(&processed));
        return Ok(ExitCode::SUCCESS);
    }
    let out = if args.page_record {
        serde_json::to_string_pretty(&processed.parsed(page.reference()))?
    } else {
        serde_json::to_string_pretty(&processed.articles)?
    };
    println!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// One row per line: number, role, article (`-` for furniture) and the text.
fn explain(p: &crate::core::Processed) -> String {
    let mut out = String::from("line  role       article  text\n");
    for (i, l) in p.lines.iter().enumerate() {
        let art = l.article.map_or("-".to_string(), |a| format!("#{a}"));
        let text: String = l.text.chars().take(60).collect();
        let more = if l.text.chars().count() > 60 { "…" } else { "" };
        out.push_str(&format!("{:>4}  {:<9}  {:<7}  {text}{more}\n", i + 1, l.role, art));
    }
    for (i, a) in p.articles.iter().enumerate() {
        let title = a.heads.title.as_deref().unwrap_or("(no headline)");
        out.push_str(&format!("#{i}: {:?} {title}\n", a.kind));
    }
    out
}
