//! [`Limits`]: every bound that protects the service from its clients, with its default and what a client sees when
//! it is reached.

use std::time::Duration;

/// What the service accepts, and for how long it waits. Each limit names the answer a client gets past it; none of
/// them is ever unbounded, so a misbehaving or malicious client costs at most a known share of memory and time.
///
/// ```
/// use lurescan_server::Limits;
///
/// let limits = Limits { max_concurrent_requests: 64, ..Limits::default() };
/// assert_eq!(limits.max_client_batch, 1000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Scoring requests admitted at once, queued or being scored. One more gets `429 Too Many Requests` with
    /// `Retry-After`, answered at once: the queue never grows without bound. Health, metrics and the other `GET`
    /// endpoints are not counted, so they answer while scoring is saturated.
    pub max_concurrent_requests: usize,
    /// Records in one request; more get `413`. Together with `max_concurrent_requests` this bounds the queue.
    pub max_client_batch: usize,
    /// Tokens the batching worker puts in one forward batch, summed over the records it takes from several
    /// requests. A single request above it is scored this many tokens at a time, and requests that arrive meanwhile
    /// are scored between its batches (a record longer than it is a batch of its own).
    pub max_batch_tokens: usize,
    /// Largest request body, in bytes. A larger declared `Content-Length` gets `413` before the body is read, and the
    /// connection is closed (hyper answers the two largest `u64` values, which it reserves, with its own `431`, also
    /// unread and closed); a chunked body is cut off at the limit the same way.
    pub max_body: usize,
    /// Largest request head (request line and headers), in bytes; a larger one gets `431` and the connection closes.
    pub max_header_bytes: usize,
    /// Open connections. One more is answered `503` with `Retry-After` and closed at once, without a thread or a
    /// buffer: idle and stalled connections cannot exhaust the process.
    pub max_connections: usize,
    /// Time a client has to send a whole request head, from its first byte; then the connection is closed.
    pub header_timeout: Duration,
    /// Time a client has to send a whole request body, once its head is read; then `408` and the connection closes.
    pub body_timeout: Duration,
    /// Time a connection may stay silent with no request in progress (before its first request, between keep-alive
    /// requests, or while the client does not read an answer); then it is closed.
    pub idle_timeout: Duration,
    /// On SIGTERM or SIGINT: time given to requests in progress to finish before the process stops anyway.
    pub shutdown_timeout: Duration,
    /// On SIGTERM or SIGINT: time the service goes on accepting connections and scoring, with `/v1/health` at 503
    /// `stopping`, before its listener closes and the `shutdown_timeout` starts. A load balancer that polls health
    /// takes the instance out of rotation in that time, so that no client meets a refused connection. None by
    /// default.
    pub shutdown_delay: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_concurrent_requests: 512,
            max_client_batch: 1000,
            max_batch_tokens: 16_384,
            max_body: 1 << 20,
            max_header_bytes: 16 << 10,
            max_connections: 4096,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            shutdown_timeout: Duration::from_secs(30),
            shutdown_delay: Duration::ZERO,
        }
    }
}
