//! `newsdesk health`: asks a running service's `/readyz` (or `/healthz`)
//! and exits 0 when it answers 200 — the compose healthcheck, with no curl
//! in the image.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};

use super::HealthArgs;
use crate::settings::Settings;

/// Runs the probe.
///
/// # Errors
/// When no address is known or nothing answers.
pub fn run(settings: &Settings, args: &HealthArgs) -> anyhow::Result<ExitCode> {
    let addr = match &args.addr {
        Some(a) => a.clone(),
        None if settings.service.http_listen.is_empty() => {
            bail!("http_listen is empty: the service serves no HTTP to ask")
        }
        None => settings.service.http_listen.to_string(),
    };
    let mut addr: SocketAddr = addr.parse().with_context(|| format!("{addr:?} is not host:port"))?;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let path = if args.live { "/healthz" } else { "/readyz" };
    let (status, body) = get(addr, path).with_context(|| format!("asking http://{addr}{path}"))?;
    print!("{body}");
    Ok(if status == 200 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// One HTTP/1.1 GET: (status, body).
pub(super) fn get(addr: SocketAddr, path: &str) -> anyhow::Result<(u16, String)> {
    let timeout = Duration::from_secs(3);
    let mut s = TcpStream::connect_timeout(&addr, timeout)?;
    s.set_read_timeout(Some(timeout))?;
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes())?;
    let mut raw = String::new();
    s.read_to_string(&mut raw)?;
    let status = raw.split_whitespace().nth(1).and_then(|c| c.parse().ok()).context("not an HTTP response")?;
    Ok((status, raw.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default()))
}
