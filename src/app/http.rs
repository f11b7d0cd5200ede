//! The operators' HTTP endpoints: `/healthz` (the process answers),
//! `/readyz` (connected to NATS, streams and consumer in place) and
//! `/metrics` (Prometheus text format).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;

use super::metrics::Metrics;

/// Serves the endpoints on `listener` until `stop` resolves.
pub async fn serve(listener: TcpListener, metrics: Arc<Metrics>, stop: impl Future<Output = ()> + Send + 'static) {
    let addr = listener.local_addr().map_or_else(|_| "?".to_string(), |a: SocketAddr| a.to_string());
    let router = Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .with_state(metrics);
    tracing::info!(addr = %addr, "HTTP health and metrics listening");
    if let Err(e) = axum::serve(listener, router).with_graceful_shutdown(stop).await {
        tracing::error!(error = %e, "HTTP server failed");
    }
}

async fn readyz(State(m): State<Arc<Metrics>>) -> impl IntoResponse {
    match m.ready() {
        Ok(()) => (StatusCode::OK, "ready\n".to_string()),
        Err(why) => (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {why}\n")),
    }
}

/// The content type of OpenMetrics text, what `/metrics` serves.
pub const OPENMETRICS_CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

async fn metrics_text(State(m): State<Arc<Metrics>>) -> impl IntoResponse {
    // The body is OpenMetrics text (it ends in `# EOF`): say so.
    ([(header::CONTENT_TYPE, OPENMETRICS_CONTENT_TYPE)], m.render())
}
