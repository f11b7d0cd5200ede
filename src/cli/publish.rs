//! `newsdesk publish`: page dump files, directories or stdin to NATS.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use async_nats::jetstream;
use bytes::Bytes;

use super::PublishArgs;
use crate::bus::{self, FirstConnect, HEADER_DATE, HEADER_HOME_REGION, HEADER_PAGE, HEADER_PAPER};
use crate::core::page::{PageMeta, content_id};
use crate::core::route::HEADER_MSG_ID;
use crate::core::subject::Subject;
use crate::settings::Settings;

/// One page to publish: where it came from and its bytes.
pub struct PageFile {
    /// Shown in the report (`-` for stdin).
    pub label: String,
    /// The payload.
    pub bytes: Vec<u8>,
}

/// Reads files, directories (their `.txt` and `.json` files, sorted) and `-`.
///
/// # Errors
/// When a path cannot be read or a directory holds no page.
pub fn collect(paths: &[PathBuf]) -> anyhow::Result<Vec<PageFile>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).context("reading stdin")?;
            out.push(PageFile { label: "-".into(), bytes });
        } else if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("reading directory {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && f.extension().is_some_and(|x| x == "txt" || x == "json"))
                .collect();
            files.sort();
            if files.is_empty() {
                bail!("{} holds no .txt or .json page dump", p.display());
            }
            for f in files {
                out.push(read(&f)?);
            }
        } else {
            out.push(read(p)?);
        }
    }
    Ok(out)
}

fn read(p: &Path) -> anyhow::Result<PageFile> {
    let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
    Ok(PageFile { label: p.display().to_string(), bytes })
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
    let subject = Subject::join(&settings.subject_prefix, &["pages", &args.token])?.to_string();
    let pages = collect(&args.paths)?;
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
