//! `lurescan serve`: parses the flags into [`lurescan_server::Config`] and calls [`lurescan_server::run`]; the
//! service itself (router, batching queue, limits, metrics) lives in the `lurescan-server` crate.

use crate::common::UsageError;
use crate::model::ModelArgs;
use anyhow::Result;
use clap::builder::RangedU64ValueParser;
use clap::ValueEnum;
use lurescan::Classifier;
use lurescan_server::{Config, Limits, LogFormat, Model};
use serde_json::Value;
use std::fmt;
use std::net::ToSocketAddrs;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

const EXAMPLES: &str = r#"Examples:
  Serve the built-in model on the default address:
    lurescan serve

  Score one record, then a batch (one prediction per record, in order):
    curl -s localhost:8080/v1/score -d '{"id": "a1", "text": "Job in Dubai, send passport copy"}'
    curl -s localhost:8080/v1/score -d '{"records": [{"text": "..."}, {"title": "Nurse", "description": "..."}]}'
  With the indicators found, the words that moved the score and the contacts:
    curl -s localhost:8080/v1/score -d '{"records": [{"text": "..."}], "explain": true}'

Endpoints:
  POST /v1/score      body: one record object, or {"records": [record, ...]}
                      (at most --max-client-batch), optionally with
                      "explain": true, "top_terms": K, "top_terms_for":
                      "lure"|"all"|"none", "region": "KH" (as --region of
                      score). A record has `text` or posting
                      fields (title, description, ...) and an optional `id`,
                      as in `lurescan score`. Answer: {"predictions": [{"id",
                      "score", "label", "error"}, ...]}, plus `flags`,
                      `top_terms` and `contacts` with explain (and
                      `exemplar_margin` and `nearest_typology` with a model
                      that has exemplars, as the built-in default). A record that
                      cannot be scored gets `error` and null score/label; the
                      others are scored. Another key beside "records" is a 400.
  GET  /v1/health     200 {"status": "ok", "model": {...}} once the model is
                      loaded; 503 "loading" before, 503 "stopping" on shutdown
  GET  /v1/model      the model's config.json and lurescan.json, the limits
  GET  /metrics       Prometheus metrics: requests by route and status, queue
                      depth, batch sizes, records scored, queue and inference
                      time histograms
  GET  /openapi.json  the OpenAPI 3.1 document of this API

How requests are scored: handlers queue them; one worker takes the waiting
requests, up to --max-batch-tokens tokens, and scores them together on
--threads threads of its own, so many small concurrent requests cost about as
much as one large one. A larger request is scored --max-batch-tokens at a
time, and requests that arrive meanwhile go between its batches.

What protects the service (each limit answers at once, nothing queues without
bound): 429 + Retry-After past --max-concurrent-requests; 413 past --max-body
(connection closed) or --max-client-batch; 503 + close past
--max-connections; 431 for a head over 16 KiB; connections closed after
--header-timeout (slow head), --body-timeout (408, slow body) and
--idle-timeout (silent). Errors are JSON {"error": "..."} saying what to do.

Logs: one line per request on stderr (id, method, path, status, records, ms);
a request id from x-request-id is kept (else one is made) and sent back. Logs
never block or fail the service: when stderr is slow, full or closed, lines
are dropped and counted in /metrics. SIGTERM or Ctrl-C: health turns 503
"stopping" and, after --shutdown-delay (none by default; give a load
balancer's health-check period, e.g. 10s, so that it stops sending requests
first), new connections are refused and requests in progress finish (within
--shutdown-timeout)."#;

const SERVE_EXIT_CODES: &str = "\
Exit codes (it serves until SIGTERM or Ctrl-C):
  0  stopped by a signal, after finishing the requests in progress.
  1  could not start: the model could not be loaded, or the address is in
     use or not allowed; or stopped at --shutdown-timeout with requests
     still in progress (their clients got no answer). A request that fails
     gets its HTTP error and never stops the server.
  2  usage: unknown flag, bad value (e.g. an --addr that is not HOST:PORT).";

#[derive(Debug, clap::Args)]
#[command(after_help = format!("{EXAMPLES}\n\n{SERVE_EXIT_CODES}"))]
pub struct ServeArgs {
    /// Address to listen on. Port 0 takes any free port; `listening on http://ADDR` is printed to stdout and logged
    /// once bound (before the model is loaded). Use 0.0.0.0:PORT to accept other machines (there is no
    /// authentication).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub addr: String,

    /// Largest request body, in bytes; a larger one gets 413 and its connection is closed.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_body,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_body: usize,

    /// Most records in one request; more get 413.
    #[arg(long, alias = "max-records", value_name = "N", default_value_t = Limits::default().max_client_batch,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=1_000_000))]
    pub max_client_batch: usize,

    /// Scoring requests queued or being scored at once; one more gets 429 with Retry-After.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_concurrent_requests,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=1_000_000))]
    pub max_concurrent_requests: usize,

    /// Tokens per forward batch, summed over the records the worker takes from waiting requests (a larger request
    /// is scored this many tokens at a time, with the requests that arrive meanwhile scored between its batches).
    /// Also how long a small request can wait behind a large one: about one batch's time.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_batch_tokens,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_batch_tokens: usize,

    /// Open connections; one more is answered 503 and closed.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_connections,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=1_000_000))]
    pub max_connections: usize,

    /// Time a client has to send a request head (then the connection is closed), e.g. 10s or 500ms.
    #[arg(long, value_name = "TIME", default_value_t = Time(Limits::default().header_timeout))]
    pub header_timeout: Time,

    /// Time a client has to send a request body (then 408 and the connection is closed).
    #[arg(long, value_name = "TIME", default_value_t = Time(Limits::default().body_timeout))]
    pub body_timeout: Time,

    /// Time a connection may stay silent with no request in progress before it is closed.
    #[arg(long, value_name = "TIME", default_value_t = Time(Limits::default().idle_timeout))]
    pub idle_timeout: Time,

    /// On SIGTERM or Ctrl-C, time given to requests in progress before stopping anyway.
    #[arg(long, value_name = "TIME", default_value_t = Time(Limits::default().shutdown_timeout))]
    pub shutdown_timeout: Time,

    /// On SIGTERM or Ctrl-C, time to go on serving with /v1/health at 503 "stopping" before new connections are
    /// refused, so that a load balancer that polls health takes the instance out of rotation first.
    /// None by default (0): the listener closes at once.
    #[arg(long, value_name = "TIME", value_parser = Time::or_zero)]
    pub shutdown_delay: Option<Time>,

    /// Log lines as text or one JSON object a line.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = LogLines::Text)]
    pub log_format: LogLines,

    /// The model; --threads sets the inference threads (the HTTP side has two of its own).
    #[command(flatten)]
    pub model: ModelArgs,
}

/// How log lines look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogLines {
    /// `2026-12-01T23:50:00Z  INFO request id=… method=POST path=/v1/score status=200 records=1 ms=3.2`
    Text,
    /// One JSON object a line, with the same fields.
    Json,
}

/// A duration written as a number and a unit: `500ms`, `10s`, `2m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Time(pub Duration);

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.as_millis();
        match ms {
            ms if ms % 60_000 == 0 && ms > 0 => write!(f, "{}m", ms / 60_000),
            ms if ms % 1000 == 0 => write!(f, "{}s", ms / 1000),
            ms => write!(f, "{ms}ms"),
        }
    }
}

impl FromStr for Time {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let time = Time::or_zero(s)?;
        if time.0.is_zero() {
            return Err(format!("`{}`: give a time above 0", s.trim()));
        }
        Ok(time)
    }
}

impl Time {
    /// A time as [`Time::from_str`] reads it, 0 included (`0`, `0s`: none).
    fn or_zero(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (number, unit) = s.split_at(split);
        let n: u64 = number.parse().map_err(|_| format!("`{s}` is not a time: write e.g. 500ms, 10s or 2m"))?;
        let duration = match unit {
            "ms" => Duration::from_millis(n),
            "s" | "" => Duration::from_secs(n),
            "m" => Duration::from_secs(n * 60),
            _ => return Err(format!("`{s}`: the unit must be ms, s or m (e.g. 500ms, 10s, 2m)")),
        };
        Ok(Time(duration))
    }
}

pub fn run(args: ServeArgs) -> Result<()> {
    if args.addr.to_socket_addrs().is_err() {
        return Err(UsageError(format!(
            "--addr {} is not an address to listen on: give HOST:PORT, e.g. 127.0.0.1:8080 (port 0: any free port)",
            args.addr
        ))
        .into());
    }
    // A folder that is not there fails now, before `listening on` tells a waiting script the service is up.
    args.model.check_exists()?;
    // As `score` sizes its pool: --threads, else RAYON_NUM_THREADS, else one per core.
    let threads = args
        .model
        .threads
        .or_else(|| std::env::var("RAYON_NUM_THREADS").ok()?.parse().ok().filter(|&n: &usize| n > 0))
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let config = Config {
        addr: args.addr.clone(),
        limits: Limits {
            max_concurrent_requests: args.max_concurrent_requests,
            max_client_batch: args.max_client_batch,
            max_batch_tokens: args.max_batch_tokens,
            max_body: args.max_body,
            max_connections: args.max_connections,
            header_timeout: args.header_timeout.0,
            body_timeout: args.body_timeout.0,
            idle_timeout: args.idle_timeout.0,
            shutdown_timeout: args.shutdown_timeout.0,
            shutdown_delay: args.shutdown_delay.map_or(Duration::ZERO, |delay| delay.0),
            ..Limits::default()
        },
        threads,
        score: args.model.score_options(),
        log_format: match args.log_format {
            LogLines::Text => LogFormat::Text,
            LogLines::Json => LogFormat::Json,
        },
    };
    let model = args.model.clone();
    let load = move || -> Result<Model, String> {
        let classifier = model.load_model().map_err(|e| format!("{e:#}"))?;
        let name = model_name(&classifier, model.model.as_deref());
        Ok(Model { classifier, name })
    };
    lurescan_server::run(config, load)?;
    Ok(())
}

/// The model's `name` from lurescan.json, else its folder's name; the built-in default is `base`, as `-m base` names it,
/// so that `/v1/health` and `/v1/model` tell which built-in model answers.
fn model_name(classifier: &Classifier, dir: Option<&Path>) -> String {
    if let Some(Value::String(name)) = classifier.settings().extra.get("name") {
        return name.clone();
    }
    match dir {
        Some(dir) => dir
            .canonicalize()
            .unwrap_or_else(|_| PathBuf::from(dir))
            .file_name()
            .map_or_else(|| dir.display().to_string(), |name| name.to_string_lossy().into_owned()),
        None => "base".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_and_print_with_their_unit() {
        assert_eq!("500ms".parse::<Time>(), Ok(Time(Duration::from_millis(500))));
        assert_eq!("10s".parse::<Time>(), Ok(Time(Duration::from_secs(10))));
        assert_eq!("10".parse::<Time>(), Ok(Time(Duration::from_secs(10))));
        assert_eq!("2m".parse::<Time>(), Ok(Time(Duration::from_secs(120))));
        assert!("0s".parse::<Time>().is_err());
        assert!("1h".parse::<Time>().unwrap_err().contains("ms, s or m"));
        assert!("soon".parse::<Time>().is_err());
        for text in ["500ms", "10s", "2m", "1500ms"] {
            assert_eq!(text.parse::<Time>().unwrap().to_string(), text);
        }
    }
}
