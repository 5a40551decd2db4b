//! Prometheus metrics of the service, rendered as the text exposition format (version 0.0.4) at `GET /metrics`.
//!
//! A handful of fixed series, kept in atomics and one small map: recording never allocates on the scoring path
//! except for a new (route, status) pair, and routes are the service's own (unknown paths count as `other`), so
//! the label sets stay bounded whatever clients send.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the time histograms, in seconds.
const SECONDS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];
/// Upper bounds of the batch-size histogram, in records.
const RECORDS: [f64; 12] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0, 4096.0];
/// Upper bounds of the batch-tokens histogram.
const TOKENS: [f64; 10] = [64.0, 256.0, 1024.0, 2048.0, 4096.0, 8192.0, 16384.0, 32768.0, 65536.0, 262144.0];

/// A cumulative histogram with fixed buckets; the sum is kept in micro-units so that it fits an atomic integer.
#[derive(Debug)]
pub struct Histogram {
    bounds: &'static [f64],
    counts: Vec<AtomicU64>,
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Histogram {
    fn new(bounds: &'static [f64]) -> Self {
        Histogram {
            bounds,
            counts: bounds.iter().map(|_| AtomicU64::new(0)).collect(),
            count: AtomicU64::new(0),
            sum_micros: AtomicU64::new(0),
        }
    }

    pub fn observe(&self, value: f64) {
        // Only the first bucket that holds the value is counted; rendering accumulates.
        if let Some(i) = self.bounds.iter().position(|&bound| value <= bound) {
            self.counts[i].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add((value.max(0.0) * 1e6) as u64, Ordering::Relaxed);
    }

    pub fn observe_duration(&self, duration: Duration) {
        self.observe(duration.as_secs_f64());
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        let mut cumulative = 0;
        for (bound, count) in self.bounds.iter().zip(&self.counts) {
            cumulative += count.load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {cumulative}");
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(out, "{name}_sum {}", self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6);
        let _ = writeln!(out, "{name}_count {count}");
    }
}

/// Every metric the service exports.
#[derive(Debug)]
pub struct Metrics {
    /// Finished requests by (route, status).
    requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    /// Scoring requests admitted and not yet answered (queued or being scored).
    pub queue_requests: AtomicU64,
    /// Records of those requests.
    pub queue_records: AtomicU64,
    /// Open connections.
    pub connections: AtomicU64,
    /// Connections refused because `max_connections` were open.
    pub connections_refused: AtomicU64,
    /// Records scored (including those that came back as error rows).
    pub records_scored: AtomicU64,
    /// Scoring requests refused with 429 because `max_concurrent_requests` were admitted.
    pub rejected_overloaded: AtomicU64,
    /// Log lines dropped because stderr could not keep up or is gone.
    pub log_lines_dropped: AtomicU64,
    /// Records per forward batch formed by the queue.
    pub batch_records: Histogram,
    /// Tokens per forward batch.
    pub batch_tokens: Histogram,
    /// Time a request waited in the queue before its batch started.
    pub queue_seconds: Histogram,
    /// Time the model took for one batch (tokenizing excluded, explanations included).
    pub inference_seconds: Histogram,
    /// Time from a request's head to its answer, for every route.
    pub request_seconds: Histogram,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            requests: Mutex::default(),
            queue_requests: AtomicU64::new(0),
            queue_records: AtomicU64::new(0),
            connections: AtomicU64::new(0),
            connections_refused: AtomicU64::new(0),
            records_scored: AtomicU64::new(0),
            rejected_overloaded: AtomicU64::new(0),
            log_lines_dropped: AtomicU64::new(0),
            batch_records: Histogram::new(&RECORDS),
            batch_tokens: Histogram::new(&TOKENS),
            queue_seconds: Histogram::new(&SECONDS),
            inference_seconds: Histogram::new(&SECONDS),
            request_seconds: Histogram::new(&SECONDS),
        }
    }
}

impl Metrics {
    /// Counts one finished request; `route` is one of the service's routes or `other`.
    pub fn request(&self, route: &'static str, status: u16, elapsed: Duration) {
        *self.requests.lock().unwrap_or_else(|e| e.into_inner()).entry((route, status)).or_default() += 1;
        self.request_seconds.observe_duration(elapsed);
    }

    /// The text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(4096);
        let name = "lurescan_requests_total";
        let _ = writeln!(out, "# HELP {name} HTTP requests answered, by route and status.\n# TYPE {name} counter");
        for ((route, status), n) in self.requests.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let _ = writeln!(out, "{name}{{route=\"{route}\",status=\"{status}\"}} {n}");
        }
        let gauge = |out: &mut String, name: &str, help: &str, value: &AtomicU64| {
            let _ =
                writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {}", value.load(Ordering::Relaxed));
        };
        let counter = |out: &mut String, name: &str, help: &str, value: &AtomicU64| {
            let _ =
                writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}", value.load(Ordering::Relaxed));
        };
        gauge(&mut out, "lurescan_queue_requests", "Scoring requests queued or being scored.", &self.queue_requests);
        gauge(
            &mut out,
            "lurescan_queue_records",
            "Records of the requests queued or being scored.",
            &self.queue_records,
        );
        gauge(&mut out, "lurescan_connections", "Open HTTP connections.", &self.connections);
        counter(
            &mut out,
            "lurescan_connections_refused_total",
            "Connections refused with 503 because max_connections were open.",
            &self.connections_refused,
        );
        counter(
            &mut out,
            "lurescan_records_scored_total",
            "Records scored, error rows included.",
            &self.records_scored,
        );
        counter(
            &mut out,
            "lurescan_requests_rejected_total",
            "Scoring requests refused with 429 because max_concurrent_requests were admitted.",
            &self.rejected_overloaded,
        );
        counter(
            &mut out,
            "lurescan_log_lines_dropped_total",
            "Log lines dropped because stderr could not take them.",
            &self.log_lines_dropped,
        );
        self.batch_records.render(&mut out, "lurescan_batch_records", "Records per forward batch.");
        self.batch_tokens.render(&mut out, "lurescan_batch_tokens", "Tokens per forward batch.");
        self.queue_seconds.render(
            &mut out,
            "lurescan_queue_seconds",
            "Time a scoring request waited in the queue before its batch started.",
        );
        self.inference_seconds.render(&mut out, "lurescan_inference_seconds", "Time the model took for one batch.");
        self.request_seconds.render(&mut out, "lurescan_request_seconds", "Time from a request's head to its answer.");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_and_counters_keyed_by_route_and_status() {
        let metrics = Metrics::default();
        metrics.batch_records.observe(1.0);
        metrics.batch_records.observe(3.0);
        metrics.batch_records.observe(10_000.0);
        metrics.request("/v1/score", 200, Duration::from_millis(3));
        metrics.request("/v1/score", 200, Duration::from_millis(3));
        metrics.request("other", 404, Duration::ZERO);
        let text = metrics.render();
        for line in [
            "lurescan_batch_records_bucket{le=\"1\"} 1",
            "lurescan_batch_records_bucket{le=\"2\"} 1",
            "lurescan_batch_records_bucket{le=\"4\"} 2",
            "lurescan_batch_records_bucket{le=\"4096\"} 2",
            "lurescan_batch_records_bucket{le=\"+Inf\"} 3",
            "lurescan_batch_records_count 3",
            "lurescan_batch_records_sum 10004",
            "lurescan_requests_total{route=\"/v1/score\",status=\"200\"} 2",
            "lurescan_requests_total{route=\"other\",status=\"404\"} 1",
            "lurescan_request_seconds_count 3",
        ] {
            assert!(text.lines().any(|l| l == line), "no line {line:?} in\n{text}");
        }
    }
}
