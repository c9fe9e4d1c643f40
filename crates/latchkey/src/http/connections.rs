//! Accepting connections, so that a slow or greedy client costs itself and not everyone.
//!
//! - A connection must send a complete request head within the header timeout of opening, and
//!   of its previous response: a head trickled in byte by byte is cut off, and an idle
//!   keep-alive connection is closed after that long.
//! - A body must arrive within the body timeout of its head (408 after it; see
//!   [`super::extract::RawBody`]).
//! - A path with a trailing slash is served as the path without it.
//! - A client that stops reading a response for the write timeout is cut off.
//! - At most `max_connections` are open at once, and at most `max_connections_per_ip` from one
//!   address: a connection over either limit is closed as soon as it is accepted, so it never
//!   waits in the kernel's queue ahead of other clients, and the file descriptors the process
//!   may open are never exhausted.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request};
use http_body::{Body as _, Frame, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::net::TcpStream;
use tower::ServiceExt as _;

use crate::auth::throttle::client_network;

use super::client_addr::{ClientAddr, TrustedProxies};

/// A request body that fails with [`BodyTimedOut`] once its deadline passes, however the bytes
/// trickle in before it. The timer is set only if the body has to be waited for (a small body
/// usually arrives with its head).
struct DeadlineBody {
    inner: hyper::body::Incoming,
    deadline: tokio::time::Instant,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl DeadlineBody {
    fn new(inner: hyper::body::Incoming, timeout: Duration) -> Self {
        Self {
            inner,
            deadline: tokio::time::Instant::now() + timeout,
            timer: None,
        }
    }
}

/// A connection whose writes must make progress: a client that stops reading its responses
/// (its receive window full) is cut off after `timeout` without progress, rather than holding
/// its connection, and a graceful shutdown, forever.
struct WriteDeadline {
    stream: TcpStream,
    timeout: Duration,
    /// Set while a write waits; cleared by any progress.
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl WriteDeadline {
    /// `Pending` becomes a timeout error once writes have waited `timeout` in a row.
    fn check<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<std::io::Result<T>>,
    ) -> Poll<std::io::Result<T>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let timeout = self.timeout;
        let stalled = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match stalled.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for WriteDeadline {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for WriteDeadline {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.check(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.check(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let poll = Pin::new(&mut self.stream).poll_flush(cx);
        self.check(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let poll = Pin::new(&mut self.stream).poll_shutdown(cx);
        self.check(cx, poll)
    }
}

/// `req` with a trailing slash removed from its path (`/apps/x/config/` → `/apps/x/config`),
/// its query kept. Nothing else about the path changes.
fn without_trailing_slash<B>(req: &mut Request<B>) {
    let path = req.uri().path();
    if path.len() <= 1 || !path.ends_with('/') {
        return;
    }
    let trimmed = path.trim_end_matches('/');
    let trimmed = if trimmed.is_empty() { "/" } else { trimmed };
    let path_and_query = match req.uri().query() {
        Some(query) => format!("{trimmed}?{query}"),
        None => trimmed.to_owned(),
    };
    let mut parts = req.uri().clone().into_parts();
    if let Ok(pq) = path_and_query.parse() {
        parts.path_and_query = Some(pq);
        if let Ok(uri) = axum::http::Uri::from_parts(parts) {
            *req.uri_mut() = uri;
        }
    }
}

/// A request body that did not arrive within the body timeout.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive in time")]
pub struct BodyTimedOut;

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        let deadline = self.deadline;
        let timer = self
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyTimedOut)))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// How long a shutdown waits for the requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// How connections are bounded, and whose forwarding headers are believed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// From a connection's opening, or its previous response, to the end of a request head.
    pub header_timeout: Duration,
    /// From the end of a request head to the end of its body.
    pub body_timeout: Duration,
    /// How long writing a response may make no progress (the client not reading).
    pub write_timeout: Duration,
    /// Connections open at once.
    pub max_connections: usize,
    /// Connections open at once from one client address (a trusted proxy has no such limit).
    pub max_connections_per_ip: usize,
    /// Proxies whose forwarding headers name the client.
    pub trusted_proxies: TrustedProxies,
}

/// The connections open, in all and per address.
#[derive(Default)]
struct Open {
    total: usize,
    by_ip: HashMap<IpAddr, usize>,
}

/// A connection's place in [`Open`], given back when the connection ends.
struct Slot {
    open: Arc<Mutex<Open>>,
    /// The client network counted, or `None` for a trusted proxy, which counts in the total
    /// only.
    network: Option<IpAddr>,
}

impl Slot {
    /// A place for a connection from `peer`, if both limits leave room. Per address means per
    /// client network, as the rate limits count: an IPv4 address, or an IPv6 /64 (what one
    /// subscriber is usually given; a LAN behind one /64 shares its limit).
    fn take(open: &Arc<Mutex<Open>>, peer: IpAddr, limits: &ConnectionLimits) -> Option<Self> {
        let network = (!limits.trusted_proxies.trusts(peer)).then(|| client_network(peer));
        let mut counts = open.lock().unwrap_or_else(PoisonError::into_inner);
        if counts.total >= limits.max_connections {
            return None;
        }
        if let Some(network) = network {
            let from = counts.by_ip.get(&network).copied().unwrap_or(0);
            if from >= limits.max_connections_per_ip {
                return None;
            }
            counts.by_ip.insert(network, from + 1);
        }
        counts.total += 1;
        Some(Self {
            open: Arc::clone(open),
            network,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        counts.total -= 1;
        if let Some(network) = self.network
            && let Some(n) = counts.by_ip.get_mut(&network)
        {
            *n -= 1;
            if *n == 0 {
                counts.by_ip.remove(&network);
            }
        }
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` resolves; then stops accepting,
/// closes idle connections and waits for the requests in flight to be answered.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let open = Arc::new(Mutex::new(Open::default()));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    // Every connection's task, so that those still busy after the shutdown grace can be
    // stopped; finished ones are reaped as the loop goes.
    let mut tasks = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // the listener itself is fine; pause a moment rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Some(slot) = Slot::take(&open, peer.ip(), &limits) else {
            metrics::counter!("latchkey_connections_refused_total").increment(1);
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let body_timeout = limits.body_timeout;
        let proxies = limits.trusted_proxies.clone();
        let service = TowerToHyperService::new(tower::service_fn(
            move |mut req: Request<hyper::body::Incoming>| {
                without_trailing_slash(&mut req);
                let client = proxies.client(peer.ip(), req.headers());
                req.extensions_mut().insert(ConnectInfo(peer));
                req.extensions_mut().insert(ClientAddr(client));
                let req = req.map(|body| {
                    if body.is_end_stream() {
                        Body::new(body)
                    } else {
                        Body::new(DeadlineBody::new(body, body_timeout))
                    }
                });
                app.clone().oneshot(req)
            },
        ));
        let io = TokioIo::new(WriteDeadline {
            stream,
            timeout: limits.write_timeout,
            stalled: None,
        });
        let connection = graceful.watch(http.serve_connection(io, service));
        tasks.spawn(async move {
            // A client that goes away, or is cut off by a timeout, ends here; nothing to report.
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    // Requests in flight get a while to finish; a connection still busy after it is dropped.
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still busy after {SHUTDOWN_GRACE:?}: closing them");
        tasks.abort_all();
    }
    while tasks.join_next().await.is_some() {}
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_ip: usize, proxies: &str) -> ConnectionLimits {
        ConnectionLimits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
            max_connections: 100,
            max_connections_per_ip: per_ip,
            trusted_proxies: TrustedProxies::parse(
                proxies,
                super::super::client_addr::ProxyHeader::XForwardedFor,
            )
            .expect("proxies"),
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    #[test]
    fn a_64_is_one_client_and_a_trusted_proxy_takes_none_of_its_limit() {
        let open = Arc::new(Mutex::new(Open::default()));
        let limits = limits(2, "2001:db8:1:2::10");
        // Two hosts of one /64 share its two places.
        let a = Slot::take(&open, ip("2001:db8:1:2::1"), &limits).expect("a place");
        let b = Slot::take(&open, ip("2001:db8:1:2::2"), &limits).expect("a place");
        assert!(Slot::take(&open, ip("2001:db8:1:2::3"), &limits).is_none());
        // The proxy in that /64 is counted in the total only.
        let proxied: Vec<_> = (0..10)
            .map(|_| {
                Slot::take(&open, ip("2001:db8:1:2::10"), &limits).expect("no per-address limit")
            })
            .collect();
        drop(a);
        let c = Slot::take(&open, ip("2001:db8:1:2::3"), &limits).expect("a place freed");
        assert_eq!(open.lock().expect("counts").total, 12);
        drop((b, c, proxied));
        let counts = open.lock().expect("counts");
        assert_eq!(counts.total, 0);
        assert!(counts.by_ip.is_empty());
    }
}
