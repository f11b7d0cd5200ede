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
    args.meta.check(settings)?;
    let bytes = if args.file.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b)?;
        b
    } else {
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?
    };
    let tagger = load_tagger(settings)?;
    let page = decode::decode(&bytes, &args.meta.meta(settings), settings.limits.max_page_bytes)?;
    if args.explain {
        let explained = tagger.splitter().explain(&page.text, tagger.jieba());
        print!("{}", crate::core::split::explain::explain(&explained, true));
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
