//! newsdesk as a NATS micro service: `nats micro ls/info/stats newsdesk`
//! show it with its counters, and the request/reply endpoint (by default
//! `newsdesk.parse`) answers a page with its articles — splitting a page
//! without a stream.

use std::sync::Arc;

use async_nats::Client;
use async_nats::service::{self, Service, ServiceExt};
use bytes::Bytes;
use futures::StreamExt;
use tokio::sync::Semaphore;

use super::metrics::Metrics;
use crate::bus::{self, BusError};
use crate::core::tag::Tagger;
use crate::core::{Output, Plan, process};
use crate::settings::Settings;

/// The micro service's name, as `nats micro ls` lists it.
pub const SERVICE_NAME: &str = "newsdesk";

/// Registers the service and answers parse requests until it is stopped.
///
/// # Errors
/// [`BusError::Setup`] when the service or endpoint cannot be registered.
pub async fn start(
    client: &Client,
    settings: &Settings,
    tagger: Arc<Tagger>,
    metrics: Arc<Metrics>,
) -> Result<Service, BusError> {
    let setup = |e: async_nats::Error| BusError::Setup { what: "micro service".into(), reason: e.to_string() };
    let service = client
        .service_builder()
        .description("Splits newspaper page dumps into tagged articles")
        .stats_handler(move |_endpoint, _stats| serde_json::to_value(metrics.totals()).unwrap_or_default())
        .start(SERVICE_NAME, env!("CARGO_PKG_VERSION"))
        .await
        .map_err(setup)?;
    let mut endpoint =
        service.endpoint_builder().name("parse").add(&settings.service.parse_subject).await.map_err(setup)?;
    let workers = Arc::new(Semaphore::new(settings.cpu_workers()));
    let home = settings.service.home_region.clone();
    let max = settings.limits.max_page_bytes;
    let limits = settings.limits();
    let client = client.clone();
    tracing::info!(subject = %settings.service.parse_subject, "micro service {SERVICE_NAME} answering parse requests");
    tokio::spawn(async move {
        while let Some(request) = endpoint.next().await {
            let Ok(permit) = workers.clone().acquire_owned().await else { break };
            let tagger = tagger.clone();
            let max_payload = super::worker::max_payload(&client);
            let meta = bus::page_meta(request.message.headers.as_ref(), home.as_ref());
            tokio::spawn(async move {
                let payload = request.message.payload.clone();
                let answer = tokio::task::spawn_blocking(move || -> Result<Bytes, String> {
                    let meta = meta.map_err(|e| format!("decode: invalid metadata header: {e}"))?;
                    let plan = Plan { tagger: &tagger, max_page_bytes: max, limits, output: Output::Articles };
                    let done = process(&payload, &meta, &plan).map_err(|e| e.to_string())?;
                    serde_json::to_vec(&done.processed.parsed(done.page.reference()))
                        .map(Bytes::from)
                        .map_err(|e| e.to_string())
                })
                .await
                .unwrap_or_else(|e| Err(format!("worker panicked: {e}")));
                let response = match answer {
                    Ok(reply) if reply.len() > max_payload => Err(service::error::Error {
                        status: format!(
                            "the reply is {} bytes, over the server's max_payload of {max_payload}",
                            reply.len()
                        ),
                        code: 413,
                    }),
                    Ok(reply) => Ok(reply),
                    Err(status) => Err(service::error::Error { status, code: 400 }),
                };
                if let Err(e) = request.respond(response).await {
                    tracing::warn!(error = %e, "parse reply not sent");
                }
                drop(permit);
            });
        }
    });
    Ok(service)
}
