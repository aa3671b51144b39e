//! The HTTP server around the router: each connection is served by hyper with a deadline
//! for a request's headers (slow or silent clients are closed, not kept), and shutdown is
//! graceful up to a deadline, after which the connections still open are closed so the
//! process ends in time.
//!
//! It speaks HTTP/1.1 only: browsers use nothing else over plain HTTP, and a TLS proxy or
//! load balancer in front speaks HTTP/2 to them. (Telling HTTP/2 from HTTP/1 first means
//! waiting for bytes with no deadline, which would let silent clients stay.)

use std::{convert::Infallible, future::Future, pin::pin, time::Duration};

use axum::{Router, body::Body, extract::ConnectInfo};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use tokio::net::TcpListener;
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use tower::ServiceExt;

/// How connections are timed.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// A connection gets this long to send a request's headers, also when it sits idle
    /// between requests.
    pub header_timeout: Duration,
    /// After the shutdown signal, requests in flight get this long to finish.
    pub shutdown_timeout: Duration,
}

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting, lets the
/// requests in flight finish for up to `timing.shutdown_timeout`, and closes what is left.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    timing: Timing,
    shutdown: impl Future<Output = ()>,
) {
    let connections = TaskTracker::new();
    // Asks connections to finish their current request and close.
    let draining = CancellationToken::new();
    // Closes connections at once.
    let closing = CancellationToken::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was
                    // accepted: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let service = router
            .clone()
            .map_request(move |mut req: axum::http::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req.map(Body::new)
            });
        connections.spawn(connection(
            stream,
            service,
            timing,
            draining.clone(),
            closing.clone(),
        ));
    }
    drop(listener);
    connections.close();
    draining.cancel();
    let open = connections.len();
    if tokio::time::timeout(timing.shutdown_timeout, connections.wait())
        .await
        .is_err()
    {
        tracing::warn!(
            open = connections.len(),
            of = open,
            "shutdown deadline passed: closing the connections still open"
        );
        closing.cancel();
        connections.wait().await;
    }
}

/// Serves one connection until it ends, is drained, or is closed.
async fn connection<S>(
    stream: tokio::net::TcpStream,
    service: S,
    timing: Timing,
    draining: CancellationToken,
    closing: CancellationToken,
) where
    S: tower::Service<
            axum::http::Request<Incoming>,
            Response = axum::response::Response,
            Error = Infallible,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(timing.header_timeout);
    let conn = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
    let mut conn = pin!(conn);
    let mut drained = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                return;
            }
            () = draining.cancelled(), if !drained => {
                drained = true;
                conn.as_mut().graceful_shutdown();
            }
            () = closing.cancelled() => return,
        }
    }
}
