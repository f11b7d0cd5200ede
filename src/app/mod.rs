//! The service: pull pages from JetStream, run the core on each, publish the
//! articles, acknowledge the page once — and stop gracefully.

pub mod http;
pub mod metrics;
pub mod micro;
pub mod outcome;
pub mod worker;

use std::future::Future;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use async_nats::Client;
use async_nats::jetstream::{self, AckKind};
use futures::StreamExt;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tracing::{Instrument, error, info, warn};

use crate::bus::{self, BusError, FirstConnect};
use crate::core::tag::Tagger;
use crate::settings::Settings;
use outcome::Outcome;
use worker::Shared;

/// How long one pull request waits for pages before asking again.
const PULL_EXPIRY: Duration = Duration::from_millis(500);

/// Why the service stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Connecting or setting up JetStream failed.
    #[error(transparent)]
    Bus(#[from] BusError),
    /// The tagging data could not be loaded.
    #[error("loading tagging data: {0}")]
    Tagger(String),
    /// The HTTP address could not be bound.
    #[error("cannot listen on {addr} (http_listen): {source}")]
    Http {
        /// The configured address.
        addr: String,
        /// Why.
        source: std::io::Error,
    },
}

/// A switch that turns on when `when` resolves, for every part that must
/// stop then to watch.
fn stop_switch(when: impl Future<Output = ()> + Send + 'static) -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    tokio::spawn(async move {
        when.await;
        let _ = tx.send(true);
    });
    rx
}

/// Resolves once `rx`'s switch is on.
async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}

/// Runs the service until `shutdown` resolves: stop pulling, finish and
/// acknowledge the pages in flight, flush. Serves `/healthz`, `/readyz` and
/// `/metrics` on `http_listen` and the micro service on `parse_subject`
/// (each unless empty).
///
/// # Errors
/// [`AppError`] when the HTTP address cannot be bound or JetStream cannot be set up.
pub async fn run(
    settings: Settings,
    client: Client,
    tagger: Arc<Tagger>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), AppError> {
    let metrics = Arc::new(metrics::Metrics::new(client.clone()));
    let stop_rx = stop_switch(shutdown);
    let http = if settings.service.http_listen.is_empty() {
        None
    } else {
        // Bound before anything else, so a taken port fails the start, loudly.
        let listener = tokio::net::TcpListener::bind(settings.service.http_listen.as_str())
            .await
            .map_err(|source| AppError::Http { addr: settings.service.http_listen.to_string(), source })?;
        Some(tokio::spawn(http::serve(listener, metrics.clone(), stopped(stop_rx.clone()))))
    };
    let js = jetstream::new(client.clone());
    // JetStream may not be there yet (a cluster electing its leader, NATS
    // starting in compose): retry, not ready meanwhile. A configuration that
    // differs from the server's streams is an operator's call: stop.
    let mut delay = Duration::from_millis(250);
    let consumer = loop {
        let setup = async {
            bus::ensure_streams(&js, &settings).await?;
            bus::pages_consumer(&js, &settings).await
        };
        match setup.await {
            Ok(c) => break c,
            Err(e @ BusError::Drift { .. }) => return Err(e.into()),
            Err(e) => {
                warn!(error = %e, retry_in_ms = delay.as_millis() as u64, "JetStream setup failed; retrying");
                metrics.set_setup_error(e.to_string());
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    _ = stopped(stop_rx.clone()) => return Ok(()),
                }
                delay = (delay * 2).min(Duration::from_secs(5));
            }
        }
    };
    metrics.set_streams_ready(true);
    let micro = if settings.service.parse_subject.is_empty() {
        None
    } else {
        Some(micro::start(&client, &settings, tagger.clone(), metrics.clone()).await?)
    };
    let shared = Arc::new(Shared {
        js,
        settings: settings.clone(),
        tagger,
        client: client.clone(),
        cpu: Semaphore::new(settings.cpu_workers()),
    });
    let permits = Arc::new(Semaphore::new(settings.delivery.concurrency));
    let mut tasks = JoinSet::new();
    info!(durable = %settings.streams.durable, subjects = %settings.pages_subjects(), concurrency = settings.delivery.concurrency, cpu_workers = settings.cpu_workers(), "newsdesk serving");

    while !*stop_rx.borrow() {
        while tasks.try_join_next().is_some() {}
        // Wait for a free worker (or shutdown), then ask for as many pages as there are free workers.
        let mut stop = stop_rx.clone();
        let first = tokio::select! {
            p = permits.clone().acquire_owned() => p.expect("semaphore is never closed"),
            _ = stop.wait_for(|s| *s) => break,
        };
        let want = 1 + permits.available_permits();
        let mut batch = match consumer.batch().max_messages(want).expires(PULL_EXPIRY).messages().await {
            Ok(b) => b,
            Err(e) => {
                warn!(error = %e, "pull request failed; retrying");
                drop(first);
                tokio::time::sleep(PULL_EXPIRY).await;
                continue;
            }
        };
        let mut first = Some(first);
        // A batch is drained to its end even during shutdown: its pages are delivered already.
        while let Some(next) = batch.next().await {
            let msg = match next {
                Ok(m) => m,
                Err(e) => {
                    warn!(error = %e, "pull batch interrupted");
                    break;
                }
            };
            let permit = match first.take() {
                Some(p) => p,
                None => permits.clone().acquire_owned().await.expect("semaphore is never closed"),
            };
            let shared = shared.clone();
            let (seq, delivered) = msg.info().map(|i| (i.stream_sequence, i.delivered)).unwrap_or((0, 1));
            let span = tracing::info_span!("page", seq, subject = %msg.subject, page_id = tracing::field::Empty);
            let metrics = metrics.clone();
            tasks.spawn(
                async move {
                    let started = std::time::Instant::now();
                    metrics.started(delivered);
                    let outcome =
                        with_progress(&msg, shared.settings.ack_wait(), worker::try_page(&shared, &msg)).await;
                    acknowledge(&msg, &outcome).await;
                    metrics.finished(&outcome, started.elapsed());
                    drop(permit);
                }
                .instrument(span),
            );
        }
    }
    info!(in_flight = tasks.len(), "shutting down: finishing pages in flight");
    metrics.set_streams_ready(false);
    if let Some(service) = micro
        && let Err(e) = service.stop().await
    {
        warn!(error = %e, "micro service did not stop cleanly");
    }
    while tasks.join_next().await.is_some() {}
    if let Some(http) = http {
        let _ = http.await;
    }
    if let Err(e) = client.flush().await {
        warn!(error = %e, "flush failed");
    }
    info!("newsdesk stopped");
    Ok(())
}

/// Runs `work` on a page, telling JetStream every third of the ack wait that
/// the page is still in progress, so a page slowed by a struggling server
/// (publishes waiting out their timeout) is not redelivered to another
/// worker meanwhile: its deliveries count real retries only.
async fn with_progress(msg: &jetstream::Message, ack_wait: Duration, work: impl Future<Output = Outcome>) -> Outcome {
    tokio::pin!(work);
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + ack_wait / 3, ack_wait / 3);
    loop {
        tokio::select! {
            outcome = &mut work => return outcome,
            _ = tick.tick() => {
                if let Err(e) = msg.ack_with(AckKind::Progress).await {
                    warn!(error = %e, "in-progress acknowledgement not sent");
                }
            }
        }
    }
}

/// Sends the one acknowledgement the outcome decides.
async fn acknowledge(msg: &jetstream::Message, outcome: &Outcome) {
    let result = match outcome {
        Outcome::Done { .. } => msg.double_ack().await,
        Outcome::DeadLettered { .. } => msg.double_ack_with(AckKind::Term).await,
        Outcome::Retry { delay, .. } => msg.ack_with(AckKind::Nak(Some(*delay))).await,
    };
    if let Err(e) = result {
        // The page stays unacknowledged and is redelivered after the ack wait;
        // its article messages de-duplicate by Nats-Msg-Id.
        warn!(error = %e, "acknowledgement not confirmed; the page will be redelivered");
    }
}

/// Resolves on SIGINT or SIGTERM.
pub async fn signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => info!("SIGINT received"),
        _ = term => info!("SIGTERM received"),
    }
}

/// `newsdesk serve`: connect (retrying until NATS answers), load the tagger,
/// run until SIGINT/SIGTERM, drain.
///
/// # Errors
/// [`AppError`] when setup fails.
pub async fn serve_until_signal(settings: Settings) -> anyhow::Result<ExitCode> {
    // The signal is watched from the start: SIGTERM while NATS is not there
    // yet (or while the tagger loads) ends the process at once, with 0.
    let stop_rx = stop_switch(signal());
    let data = settings.tag_data()?;
    let start = async {
        // A thread of its own, not the runtime's blocking pool: a signal
        // while it loads exits at once instead of waiting for it.
        let (loaded_tx, loaded_rx) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let _ = loaded_tx.send(Tagger::new(data.as_data()));
        });
        let tagger = loaded_rx.await?.map_err(|e| AppError::Tagger(e.to_string()))?;
        if let Some(code) = &settings.service.home_region
            && tagger.gazetteer().get(code.as_str()).is_none()
        {
            anyhow::bail!("invalid configuration: home_region {code}: no division of the gazetteer has this code");
        }
        let client = bus::connect(&settings, "newsdesk", FirstConnect::Retry).await?;
        anyhow::Ok((tagger, client))
    };
    let (tagger, client) = tokio::select! {
        started = start => started?,
        _ = stopped(stop_rx.clone()) => {
            info!("stopped before connecting to NATS");
            return Ok(ExitCode::SUCCESS);
        }
    };
    run(settings, client.clone(), Arc::new(tagger), stopped(stop_rx)).await?;
    if let Err(e) = client.drain().await {
        warn!(error = %e, "drain failed");
    }
    Ok(ExitCode::SUCCESS)
}
