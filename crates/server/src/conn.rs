//! Connections: the accept loop and what each connection may cost. A connection is a task, never a thread; at most
//! `max_connections` are open (one more is answered 503 and closed at once); hyper closes one whose request head is
//! not complete within `header_timeout` or exceeds `max_header_bytes`; a watchdog closes one that stays silent for
//! `idle_timeout` with no request in progress. On shutdown the listener closes first (new connections are
//! refused), then each connection finishes the request in progress and closes.

use crate::limits::Limits;
use crate::metrics::Metrics;
use axum::body::Body;
use axum::http::header::{HeaderValue, CONTENT_TYPE};
use axum::http::{Request, Response, StatusCode};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Milliseconds since the first call, as a clock atomics can hold.
fn now_ms() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_millis() as u64
}

/// When a connection last moved bytes, and how many of its requests are in progress.
#[derive(Debug)]
struct Activity {
    last_ms: AtomicU64,
    in_flight: AtomicUsize,
}

impl Activity {
    fn new() -> Activity {
        Activity { last_ms: AtomicU64::new(now_ms()), in_flight: AtomicUsize::new(0) }
    }

    fn touch(&self) {
        self.last_ms.store(now_ms(), Ordering::Relaxed);
    }

    /// Resolves once the connection has been silent for `timeout` with no request in progress. A request waiting
    /// for its batch moves no bytes and is not idle; its client is bounded by the queue instead.
    async fn idle(&self, timeout: Duration) {
        let timeout_ms = timeout.as_millis() as u64;
        loop {
            let silent = now_ms().saturating_sub(self.last_ms.load(Ordering::Relaxed));
            if silent >= timeout_ms && self.in_flight.load(Ordering::Relaxed) == 0 {
                return;
            }
            let wait = if silent >= timeout_ms { timeout_ms } else { timeout_ms - silent };
            tokio::time::sleep(Duration::from_millis(wait.max(10))).await;
        }
    }
}

/// A TCP stream that records its activity.
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.stream).poll_read(cx, buf);
        if matches!(poll, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        poll
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.stream).poll_write(cx, buf);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        poll
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// The router as a hyper service for one connection: counts its requests in progress, and turns a panic in a
/// handler into a 500 for that request alone.
#[derive(Clone)]
struct Service {
    app: Router,
    activity: Arc<Activity>,
}

/// Decrements the in-progress count even when hyper drops the request's future.
struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

impl hyper::service::Service<Request<Incoming>> for Service {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Body>, Infallible>> + Send>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        self.activity.in_flight.fetch_add(1, Ordering::Relaxed);
        let in_flight = InFlight(Arc::clone(&self.activity));
        let app = self.app.clone();
        let client_id =
            request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(|id| crate::log::printable(id, 64));
        let dropped =
            Dropped { method: request.method().to_string(), path: request.uri().path().to_string(), client_id };
        Box::pin(async move {
            let _in_flight = in_flight;
            let mut handled = AbortOnDrop { task: tokio::spawn(app.oneshot(request.map(Body::new))), dropped };
            let joined = (&mut handled.task).await;
            Ok(match joined {
                Ok(Ok(response)) => response,
                Ok(Err(never)) => match never {},
                Err(_) => {
                    tracing::error!("a handler panicked; answered 500");
                    let mut response =
                        Response::new(Body::from(r#"{"error":"internal error (see the server's log)"}"#));
                    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                    response
                }
            })
        })
    }
}

/// The handler's task, aborted when the request's future is dropped first: hyper drops it when the client hangs up
/// before its answer, and the handler must go with it, since the queued work it waits for (a batch not started, the
/// explanations not yet computed) is then dropped too instead of being done for nobody.
struct AbortOnDrop<T> {
    task: tokio::task::JoinHandle<T>,
    dropped: Dropped,
}

/// What the log says of a request whose client hung up: the handler that would have logged it is gone.
struct Dropped {
    method: String,
    path: String,
    client_id: Option<String>,
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        if self.task.is_finished() {
            return;
        }
        self.task.abort();
        let Dropped { method, path, client_id } = &self.dropped;
        let id = client_id.as_deref().unwrap_or("-");
        tracing::info!(
            id,
            method,
            path,
            status = 499,
            "request: the client hung up before its answer; its work was dropped"
        );
    }
}

/// How a shutdown went: the instant its time runs out (`shutdown_timeout` after the stop), and whether requests
/// were still in progress then (their clients get no answer).
pub(crate) struct Shutdown {
    pub deadline: tokio::time::Instant,
    pub abandoned: bool,
}

/// Accepts connections until `stop` resolves, then lets the open ones finish within `limits.shutdown_timeout`.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    metrics: Arc<Metrics>,
    stop: impl Future<Output = ()>,
) -> Shutdown {
    let open = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(limits.max_header_bytes.max(8192))
        .keep_alive(true);
    let builder = Arc::new(builder);
    tokio::pin!(stop);
    loop {
        let (stream, _peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors or the like: wait rather than spin; the open connections go on.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(permit) = Arc::clone(&open).try_acquire_owned() else {
            metrics.connections_refused.fetch_add(1, Ordering::Relaxed);
            tokio::spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity::new());
        let service = Service { app: app.clone(), activity: Arc::clone(&activity) };
        let io = TokioIo::new(Watched { stream, activity: Arc::clone(&activity) });
        let connection = graceful.watch(builder.serve_connection(io, service));
        let metrics = Arc::clone(&metrics);
        let idle_timeout = limits.idle_timeout;
        tokio::spawn(async move {
            metrics.connections.fetch_add(1, Ordering::Relaxed);
            tokio::select! {
                _ = connection => {}
                () = activity.idle(idle_timeout) => {}
            }
            metrics.connections.fetch_sub(1, Ordering::Relaxed);
            drop(permit);
        });
    }
    drop(listener);
    let deadline = tokio::time::Instant::now() + limits.shutdown_timeout;
    tracing::info!("stopped accepting connections; finishing the requests in progress");
    let abandoned = tokio::time::timeout_at(deadline, graceful.shutdown()).await.is_err();
    if abandoned {
        tracing::warn!(timeout = ?limits.shutdown_timeout, "requests still in progress at the shutdown timeout; stopping anyway");
    }
    Shutdown { deadline, abandoned }
}

/// Answers a connection over `max_connections` with 503 and closes it, without reading it.
async fn refuse(mut stream: TcpStream) {
    const BODY: &str = r#"{"error":"too many open connections (--max-connections); retry in a moment"}"#;
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
}
