//! Operations endpoints: `/healthz` (the process is up), `/readyz` (the database answers
//! and the disk and material store can take new data) and `/metrics` (Prometheus text),
//! plus the middleware that records request metrics.

use std::{net::SocketAddr, sync::OnceLock, time::Instant};

use axum::{
    Router,
    extract::{ConnectInfo, MatchedPath, Request, State},
    http::{StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::state::AppState;

/// The process-wide metrics recorder (installed once; every app in the process shares it).
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets(&[
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                ])
                .ok()?
                .install_recorder()
                .ok()
        })
        .as_ref()
}

/// Installs the recorder; call once at start.
pub fn init_metrics() {
    let _ = handle();
}

/// The health checks (outside sessions and the database-backed context).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// `/metrics` for the addresses `metrics_allow` lists (everyone else gets 404), on the main
/// address or on `metrics_listen`.
pub fn metrics_router() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers, and the places new data goes can take it (the data
/// directory when it holds the SQLite database, and the material store). 200 with every
/// part `ok`, else 503 naming what is wrong (`unreachable`, `full`, `unavailable`).
async fn readyz(State(state): State<AppState>) -> Response {
    let database = if crate::db::ping(state.db()).await {
        "ok"
    } else {
        "unreachable"
    };
    let data_dir = if state.config().database_url.starts_with("sqlite:") {
        match probe_dir(&state.config().data_dir).await {
            Ok(()) => "ok",
            Err(e) if is_full(&e) => "full",
            Err(_) => "unavailable",
        }
    } else {
        "ok"
    };
    let materials = match state.materials().check_writable().await {
        Ok(()) => "ok",
        Err(e) => {
            tracing::warn!(error = %e, cause = ?e, "material store not ready");
            match e.fault() {
                Some(mahir_content::store::StoreFault::Full) => "full",
                _ => "unavailable",
            }
        }
    };
    let ready = [database, data_dir, materials].iter().all(|s| *s == "ok");
    let body = serde_json::json!({
        "status": if ready { "ready" } else { "not_ready" },
        "database": database,
        "data_dir": data_dir,
        "materials": materials,
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(body)).into_response()
}

/// Writes, syncs and removes a small file in `dir`.
async fn probe_dir(dir: &std::path::Path) -> std::io::Result<()> {
    let probe = dir.join(".readyz-probe");
    tokio::task::spawn_blocking(move || mahir_content::store::write_probe(&probe))
        .await
        .map_err(std::io::Error::other)?
}

fn is_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    )
}

async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
) -> Response {
    let ip = peer.ip().to_canonical();
    if !state.config().metrics_allow.iter().any(|n| n.contains(&ip)) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let body = handle().map(|h| h.render()).unwrap_or_default();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// Middleware: counts requests and records their latency by route template and status.
pub async fn track(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().to_string();
    let start = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(start.elapsed().as_secs_f64());
    res
}
