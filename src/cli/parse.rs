//! `newsdesk parse`: the core on one file, offline.

use std::io::Read;
use std::process::ExitCode;

use anyhow::Context;

use super::{ParseArgs, load_tagger};
use crate::core::{Output, Plan, decode, process};
use crate::settings::Settings;

/// Prints the page's articles (or its page record) as JSON.
///
/// # Errors
/// When the file cannot be read, decoded or split.
pub fn run(settings: &Settings, args: &ParseArgs) -> anyhow::Result<ExitCode> {
    let tagger = load_tagger(settings)?;
    args.meta.check_against(tagger.gazetteer())?;
    let bytes = if args.file.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b)?;
        b
    } else {
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?
    };
    let meta = args.meta.meta(settings);
    if args.explain {
        let page = decode::decode(&bytes, &meta, settings.limits.max_page_bytes)?;
        let explained = tagger.splitter().explain(&page.text, tagger.jieba());
        print!("{}", crate::core::split::explain::explain(&explained, true));
        return Ok(ExitCode::SUCCESS);
    }
    let plan = Plan {
        tagger: &tagger,
        max_page_bytes: settings.limits.max_page_bytes,
        limits: settings.limits(),
        output: Output::Articles,
    };
    let done = process(&bytes, &meta, &plan)?;
    let out = if args.page_record {
        serde_json::to_string_pretty(&done.processed.parsed(done.page.reference()))?
    } else {
        serde_json::to_string_pretty(&done.processed.articles)?
    };
    println!("{out}");
    Ok(ExitCode::SUCCESS)
}
