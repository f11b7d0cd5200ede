//! `newsdesk publish`: page dump files, directories or stdin to NATS.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use async_nats::jetstream;
use bytes::Bytes;

use super::PublishArgs;
use crate::bus::{self, FirstConnect, HEADER_DATE, HEADER_HOME_REGION, HEADER_PAGE, HEADER_PAPER};
use crate::core::decode::{self, DecodeError};
use crate::core::page::{PageMeta, content_id};
use crate::core::route::HEADER_MSG_ID;
use crate::core::subject::Subject;
use crate::settings::Settings;

/// One page to publish: where it came from and its bytes.
pub struct PageFile {
    /// Shown in the report (`-` for stdin, `paper.pdf#3` for a PDF's page 3).
    pub label: String,
    /// The payload.
    pub bytes: Vec<u8>,
    /// Its page number, when it is a page of a PDF.
    pub pdf_page: Option<usize>,
}

/// Reads files, directories (their `.txt`, `.json` and `.pdf` files, sorted)
/// and `-`; a PDF (known by its bytes) gives one page dump per page with
/// text, or only page `page` when given (`--page`: for a PDF, the number of
/// the page to publish).
///
/// # Errors
/// When a path cannot be read, a directory holds no page, a PDF cannot be
/// read, or `page` is no page number for a PDF.
pub fn collect(paths: &[PathBuf], page: Option<&str>) -> anyhow::Result<Vec<PageFile>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).context("reading stdin")?;
            out.push(PageFile { label: "-".into(), bytes, pdf_page: None });
        } else if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("reading directory {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    let ext = f.extension().map(|x| x.to_string_lossy().to_ascii_lowercase());
                    f.is_file() && ext.is_some_and(|x| x == "txt" || x == "json" || x == "pdf")
                })
                .collect();
            files.sort();
            if files.is_empty() {
                bail!("{} holds no .txt, .json or .pdf page dump", p.display());
            }
            for f in files {
                read(&f, page, &mut out)?;
            }
        } else {
            read(p, page, &mut out)?;
        }
    }
    Ok(out)
}

fn read(p: &Path, page: Option<&str>, out: &mut Vec<PageFile>) -> anyhow::Result<()> {
    let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
    if !super::pdf::is_pdf(&bytes) {
        out.push(PageFile { label: p.display().to_string(), bytes, pdf_page: None });
        return Ok(());
    }
    let only = page
        .map(|n| {
            n.trim().parse::<usize>().ok().filter(|n| *n >= 1).with_context(|| {
                format!("--page {n:?}: for a PDF, --page is the number of the page to publish (1, 2, …)")
            })
        })
        .transpose()?;
    let pages = super::pdf::pages(p, only)?;
    if pages.is_empty() {
        bail!("{}: no page has text (a scanned PDF needs OCR first)", p.display());
    }
    for page in pages {
        out.push(PageFile {
            label: format!("{}#{}", p.display(), page.number),
            bytes: page.text.into_bytes(),
            pdf_page: Some(page.number),
        });
    }
    Ok(())
}

/// Refuses pages with nothing to publish and warns about pages the service
/// will dead-letter (binary, not text, too large), before anything is sent.
///
/// # Errors
/// Naming the first empty page.
pub fn check(pages: &[PageFile], max_page_bytes: usize) -> anyhow::Result<()> {
    for p in pages {
        match decode::decode(&p.bytes, &PageMeta::default(), max_page_bytes) {
            Ok(_) => {}
            Err(DecodeError::Empty) => bail!("{} is empty: nothing to publish", p.label),
            Err(e) => eprintln!(
                "newsdesk publish: warning: {}: {e}; publishing it anyway, the service will dead-letter it",
                p.label
            ),
        }
    }
    Ok(())
}

/// Publishes pages to `subject` with metadata headers and `Nats-Msg-Id` =
/// content hash; returns per page its id, stream sequence and whether
/// JetStream saw it as a duplicate.
///
/// # Errors
/// When a publish is not acknowledged.
pub async fn publish_pages(
    js: &jetstream::Context,
    subject: &str,
    meta: &PageMeta,
    pages: &[PageFile],
    timeout: std::time::Duration,
) -> anyhow::Result<Vec<(String, u64, bool)>> {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(v) = &meta.paper {
        pairs.push((HEADER_PAPER, v.clone()));
    }
    if let Some(v) = &meta.date {
        pairs.push((HEADER_DATE, v.clone()));
    }
    if let Some(v) = &meta.page {
        pairs.push((HEADER_PAGE, v.clone()));
    }
    if let Some(v) = &meta.home_region {
        pairs.push((HEADER_HOME_REGION, v.to_string()));
    }
    let mut results = Vec::new();
    for p in pages {
        let id = content_id(&p.bytes);
        let mut h = pairs.clone();
        if let Some(n) = p.pdf_page {
            h.retain(|(k, _)| *k != HEADER_PAGE);
            h.push((HEADER_PAGE, n.to_string()));
        }
        h.push((HEADER_MSG_ID, id.clone()));
        let ack = js
            .publish_with_headers(subject.to_string(), bus::headers(&h), Bytes::from(p.bytes.clone()))
            .await
            .with_context(|| format!("publishing {}", p.label))?;
        let ack = tokio::time::timeout(timeout, ack)
            .await
            .with_context(|| format!("no acknowledgement for {} in time", p.label))?
            .with_context(|| format!("publishing {}", p.label))?;
        results.push((id, ack.sequence, ack.duplicate));
    }
    Ok(results)
}

/// Runs `newsdesk publish`.
///
/// # Errors
/// When NATS is unreachable or a page cannot be read or published.
pub async fn run(settings: &Settings, args: &PublishArgs) -> anyhow::Result<ExitCode> {
    let subject = Subject::join(&settings.streams.subject_prefix, &["pages", &args.token])?.to_string();
    args.meta.check(settings)?;
    let pages = collect(&args.paths, args.meta.page.as_deref())?;
    check(&pages, settings.limits.max_page_bytes)?;
    let client = bus::connect(settings, "newsdesk-publish", FirstConnect::Once).await?;
    let js = jetstream::new(client.clone());
    bus::ensure_streams(&js, settings).await?;
    let results = publish_pages(&js, &subject, &args.meta.meta(settings), &pages, settings.publish_timeout()).await?;
    for (p, (id, seq, dup)) in pages.iter().zip(&results) {
        let note = if *dup { " (duplicate: already in the stream)" } else { "" };
        println!("published {} -> {subject} ({} bytes, id {id}, seq {seq}){note}", p.label, p.bytes.len());
    }
    client.flush().await?;
    Ok(ExitCode::SUCCESS)
}
