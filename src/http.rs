//! The operators' HTTP endpoint (`[http] listen`, off when unset), for a
//! monitoring system rather than people: `/healthz` (the process answers),
//! `/readyz` (the store answers and every configured chat platform is
//! connected, or waits as a standby while another process runs it, which
//! the answer says; 503 with a plain reason otherwise) and `/metrics` in
//! Prometheus's text format. It serves nothing else, and nothing it says
//! names a person, couple, room or what anyone wrote.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::engine::Engine;
use crate::metrics::StoreFigures;
use crate::store::{outbox, schedules};

/// What `/readyz` checks beside the store: the platforms this process runs.
#[derive(Clone, Debug, Default)]
pub struct Readiness {
    pub platforms: Vec<&'static str>,
}

/// Serves on `listener` until `shutdown`.
pub async fn serve(
    listener: TcpListener,
    engine: Arc<Engine>,
    readiness: Readiness,
    shutdown: impl Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    let readiness = Arc::new(readiness);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => return,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(error) => {
                tracing::warn!(%error, "cannot accept an HTTP connection");
                continue;
            }
        };
        let (engine, readiness) = (engine.clone(), readiness.clone());
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let (engine, readiness) = (engine.clone(), readiness.clone());
                async move { Ok::<_, Infallible>(answer(&engine, &readiness, &request).await) }
            });
            if let Err(error) = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                tracing::debug!(%error, "an HTTP connection ended with an error");
            }
        });
    }
}

/// Binds `listen` (checked by `check-config`), saying where in the log.
pub async fn bind(listen: &str) -> anyhow::Result<TcpListener> {
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen for HTTP on {listen}"))?;
    tracing::info!(address = %listen, "serving /healthz, /readyz and /metrics");
    Ok(listener)
}

async fn answer(
    engine: &Engine,
    readiness: &Readiness,
    request: &Request<Incoming>,
) -> Response<Full<Bytes>> {
    if request.method() != Method::GET {
        return plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET is served\n".into(),
        );
    }
    match request.uri().path() {
        "/healthz" => plain(StatusCode::OK, "ok\n".into()),
        "/readyz" => match not_ready(engine, readiness).await {
            None => plain(StatusCode::OK, ready_text(engine, readiness)),
            Some(reasons) => plain(StatusCode::SERVICE_UNAVAILABLE, reasons),
        },
        "/metrics" => match metrics_text(engine).await {
            Ok(text) => {
                let mut response = plain(StatusCode::OK, text);
                response.headers_mut().insert(
                    hyper::header::CONTENT_TYPE,
                    hyper::header::HeaderValue::from_static(
                        "application/openmetrics-text; version=1.0.0; charset=utf-8",
                    ),
                );
                response
            }
            Err(error) => {
                tracing::error!(error.cause_chain = ?error, "cannot gather the metrics");
                plain(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "cannot gather the metrics\n".into(),
                )
            }
        },
        _ => plain(
            StatusCode::NOT_FOUND,
            "not found: try /healthz, /readyz or /metrics\n".into(),
        ),
    }
}

/// One line per reason the process is not ready, or `None`.
async fn not_ready(engine: &Engine, readiness: &Readiness) -> Option<String> {
    let mut reasons = Vec::new();
    if let Err(error) = store_answers(engine).await {
        tracing::warn!(error.cause_chain = ?error, "the store does not answer");
        reasons.push("store: not answering".to_owned());
    }
    for platform in &readiness.platforms {
        let metrics = engine.metrics();
        if !metrics.is_connected(platform) && !metrics.is_standby(platform) {
            reasons.push(format!("{platform}: not connected"));
        }
    }
    (!reasons.is_empty()).then(|| reasons.join("\n") + "\n")
}

/// "ready", and a line for each platform this process holds in standby.
fn ready_text(engine: &Engine, readiness: &Readiness) -> String {
    let mut text = "ready\n".to_owned();
    for platform in &readiness.platforms {
        if engine.metrics().is_standby(platform) {
            text.push_str(&format!("{platform}: standby, another process runs it\n"));
        }
    }
    text
}

async fn store_answers(engine: &Engine) -> anyhow::Result<()> {
    let mut tx = engine.store().begin().await?;
    let _: i64 = sqlx::query_scalar("SELECT 1")
        .fetch_one(&mut *tx)
        .await
        .context("SELECT 1 failed")?;
    tx.commit().await?;
    Ok(())
}

async fn metrics_text(engine: &Engine) -> anyhow::Result<String> {
    let now = engine.clock().now();
    let mut tx = engine.store().begin().await?;
    let (pending, failed, oldest) = outbox::figures(&mut tx, now).await?;
    let lag = schedules::lag_seconds(&mut tx, now).await?;
    tx.commit().await?;
    engine.metrics().render(StoreFigures {
        outbox_pending: pending,
        outbox_failed: failed,
        oldest_pending_seconds: oldest as f64,
        scheduler_lag_seconds: lag as f64,
    })
}

fn plain(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
