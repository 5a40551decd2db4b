//! `lurescan serve`: an HTTP/JSON service, so that programs in any language can score records with one loaded model.
//!
//! [`Service::handle`] turns one request (method, URL, body) into a [`Reply`] without touching sockets; [`run`] is the
//! thin loop around it: a `tiny_http` server whose worker threads share one [`Service`] (and so one `Classifier`).

use crate::args::UsageError;
use crate::model::ModelArgs;
use crate::output::count;
use anyhow::{anyhow, Context, Result};
use clap::builder::RangedU64ValueParser;
use lurescan::input::Row;
use lurescan::record::json_kind;
use lurescan::wire::{RowId, ScoredRow};
use lurescan::{BertConfig, Classifier, Prediction, RecordError, ScoreOptions, Settings};
use serde::Serialize;
use serde_json::Value;
use std::io::Read;
use std::net::ToSocketAddrs;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Instant;
use tiny_http::{Header, Request, Response, Server};

const EXAMPLES: &str = r#"Examples:
  Serve a model on the default address, one worker per core:
    lurescan serve

  Score one record, then a batch (one prediction per record, in order):
    curl -s localhost:8080/v1/score -d '{"id": "a1", "text": "Job in Dubai, send passport copy"}'
    curl -s localhost:8080/v1/score -d '{"records": [{"text": "..."}, {"title": "Nurse", "description": "..."}]}'

Endpoints:
  POST /v1/score   body: one record object, or {"records": [record, ...]}
                   (at most --max-records). A record has `text` or posting
                   fields (title, description, ...) and an optional `id`, as
                   in `lurescan score`. Answer: {"predictions": [{"id", "score",
                   "label", "error"}, ...]}; id is the record's id, else its
                   position from 1. A record that cannot be scored gets `error`
                   and null score/label; the others are still scored.
  GET  /v1/health  {"status": "ok", "model": {name, threshold,
                   message_threshold, max_length}}; message_threshold is
                   null when the model has none or --threshold is given
  GET  /v1/model   the model's config.json and lurescan.json, and the serving
                   settings.

Errors are JSON {"error": "..."}: 400 broken JSON or wrong shape, 404 unknown
path, 405 wrong method, 413 body over --max-body or too many records, 500 the
model failed. One log line per request goes to stderr."#;

const SERVE_EXIT_CODES: &str = "\
Exit codes (it serves until it is stopped, e.g. with Ctrl-C):
  1  stopped with an error: the model could not be loaded, the address is
     in use or not allowed, or the server stopped accepting connections.
     A request that fails gets its HTTP error and never stops the server.
  2  usage: unknown flag, bad value (e.g. an --addr that is not HOST:PORT).";
#[derive(Debug, clap::Args)]
#[command(after_help = format!("{EXAMPLES}\n\n{SERVE_EXIT_CODES}"))]
pub struct ServeArgs {
    /// Address to listen on. Port 0 takes any free port; the address in use is printed to stderr as
    /// `listening on http://ADDR`. Use 0.0.0.0:PORT to accept other machines (there is no authentication).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub addr: String,

    /// Largest request body accepted, in bytes; a larger one gets 413.
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_body: usize,

    /// Most records accepted in one request; more get 413.
    #[arg(long, value_name = "N", default_value_t = 1000,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=1_000_000))]
    pub max_records: usize,

    /// The model; --threads also sets how many requests are handled at once.
    #[command(flatten)]
    pub model: ModelArgs,
}

pub fn run(args: ServeArgs) -> Result<()> {
    let classifier = args.model.load()?;
    let workers = args.model.threads.unwrap_or_else(|| thread::available_parallelism().map_or(2, |n| n.get()));
    let name = model_name(&classifier, args.model.model.as_deref());
    let service = Arc::new(Service::new(
        classifier,
        name,
        args.model.score_options(),
        Limits { max_body: args.max_body, max_records: args.max_records },
    ));
    if args.addr.to_socket_addrs().is_err() {
        return Err(UsageError(format!(
            "--addr {} is not an address to listen on: give HOST:PORT, e.g. 127.0.0.1:8080 (port 0: any free port)",
            args.addr
        ))
        .into());
    }
    let server = Server::http(args.addr.as_str()).map_err(|e| {
        anyhow!("cannot listen on {}: {e} (pass another --addr, or port 0 for any free port)", args.addr)
    })?;
    let addr = server.server_addr().to_ip().context("the server is not listening on a TCP address")?;
    let server = Arc::new(server);
    eprintln!("lurescan serve: listening on http://{addr} ({}, model {})", count(workers, "worker"), service.name);

    // The first worker to stop ends the service: workers stop only when the server can no longer accept
    // connections (tiny_http then stops accepting for good), so restarting is the only way back.
    let (stopped, first_stop) = mpsc::channel();
    for i in 0..workers {
        let (server, service, stopped) = (Arc::clone(&server), Arc::clone(&service), stopped.clone());
        thread::Builder::new()
            .name(format!("serve-{i}"))
            .spawn(move || {
                let _ = stopped.send(work(&server, &service));
            })
            .context("cannot start the worker threads")?;
    }
    let error = first_stop.recv().expect("workers report when they stop");
    Err(error).context("the server stopped accepting connections")
}

/// tiny_http 0.12 drains an unread request body when the request is dropped, with one allocation the size of the
/// declared remainder, so a request declaring an absurd Content-Length aborts the whole process (tiny-http#252; an
/// upstream fix, tiny-http#290, is not released). A request declaring more than this (or `--max-body`, if larger)
/// gets its 413 through `Request::upgrade`, whose stream is then leaked on purpose: one connection is lost (a socket
/// and a tiny_http thread) instead of the service.
const DRAIN_LIMIT: usize = 64 << 20;

/// One worker: takes requests off the shared server until it cannot accept any more.
fn work(server: &Server, service: &Service) -> std::io::Error {
    loop {
        let mut request = match server.recv() {
            Ok(request) => request,
            Err(e) => return e,
        };
        let started = Instant::now();
        let method = request.method().as_str().to_string();
        let url = request.url().to_string();
        let undrainable = request.body_length().is_some_and(|len| len > service.limits.max_body.max(DRAIN_LIMIT));
        let reply = if undrainable {
            service.body_too_large()
        } else {
            panic::catch_unwind(AssertUnwindSafe(|| service.handle(&method, &url, &mut request))).unwrap_or_else(|_| {
                Reply::error(500, "internal error while handling the request (see the server's log)")
            })
        };
        // Logged before the answer is sent, so that a client holding the answer can rely on the line being there.
        eprintln!(
            "{method} {url} {} {} {:.1} ms",
            reply.status,
            count(reply.records, "record"),
            started.elapsed().as_secs_f64() * 1e3
        );
        // Always a Content-Length, never chunked: the answer is in memory anyway, and the simplest clients cope.
        let mut response = Response::from_data(reply.body)
            .with_chunked_threshold(usize::MAX)
            .with_status_code(reply.status)
            .with_header(header("Content-Type", "application/json"));
        if let Some(allow) = reply.allow {
            response.add_header(header("Allow", allow));
        }
        if undrainable {
            eprintln!("lurescan serve: dropped the connection of {method} {url} unread (its declared body is too large to drain)");
            std::mem::forget(request.upgrade("none", response));
        } else if let Err(e) = request.respond(response) {
            eprintln!("lurescan serve: cannot send the answer to {method} {url}: {e}");
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name, value).expect("a valid ASCII header")
}

/// The model's `name` from lurescan.json, else its folder's name.
fn model_name(classifier: &Classifier, dir: Option<&Path>) -> String {
    if let Some(Value::String(name)) = classifier.settings().extra.get("name") {
        return name.clone();
    }
    match dir {
        Some(dir) => dir
            .canonicalize()
            .unwrap_or_else(|_| dir.to_path_buf())
            .file_name()
            .map_or_else(|| dir.display().to_string(), |name| name.to_string_lossy().into_owned()),
        None => "built-in".to_string(),
    }
}

/// A request body: its declared length, and the bytes, read only once the request is known to want them (reading a
/// `tiny_http` body first answers `Expect: 100-continue`).
pub trait Body {
    fn declared_len(&self) -> Option<usize>;
    fn reader(&mut self) -> &mut dyn Read;
}

impl Body for Request {
    fn declared_len(&self) -> Option<usize> {
        self.body_length()
    }
    fn reader(&mut self) -> &mut dyn Read {
        self.as_reader()
    }
}

/// What a request may ask of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_body: usize,
    pub max_records: usize,
}

/// An answer: status, JSON body, and how many records it scored (for the log).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub records: usize,
    /// The `Allow` header of a 405.
    pub allow: Option<&'static str>,
}

impl Reply {
    fn json(status: u16, body: &impl Serialize) -> Reply {
        let body = serde_json::to_vec(body).expect("answers serialise to JSON");
        Reply { status, body, records: 0, allow: None }
    }

    fn error(status: u16, message: impl Into<String>) -> Reply {
        #[derive(Serialize)]
        struct Error {
            error: String,
        }
        Reply::json(status, &Error { error: message.into() })
    }
}

const SEND: &str = r#"send one record such as {"id": "a1", "text": "..."} or a batch {"records": [{...}, {...}]}"#;

/// The model and settings behind the endpoints; shared by all workers.
pub struct Service {
    classifier: Classifier,
    name: String,
    options: ScoreOptions,
    limits: Limits,
}

#[derive(Serialize)]
struct ModelSummary<'a> {
    name: &'a str,
    threshold: f32,
    /// The messages' own threshold (records with only `text`): null when the model has none or --threshold is set.
    message_threshold: Option<f32>,
    max_length: usize,
}

impl Service {
    pub fn new(classifier: Classifier, name: String, options: ScoreOptions, limits: Limits) -> Self {
        Service { classifier, name, options, limits }
    }

    /// Answers one request; `url` may carry a query string, which is ignored.
    pub fn handle(&self, method: &str, url: &str, body: &mut dyn Body) -> Reply {
        let path = url.split_once('?').map_or(url, |(path, _)| path);
        let read_only = matches!(method, "GET" | "HEAD");
        match path {
            "/v1/score" if method == "POST" => match self.read_body(body) {
                Ok(bytes) => self.score(&bytes),
                Err(reply) => reply,
            },
            "/v1/health" if read_only => self.health(),
            "/v1/model" if read_only => self.model(),
            "/v1/score" => Reply { allow: Some("POST"), ..Reply::error(405, format!("{method} {path}: use POST")) },
            "/v1/health" | "/v1/model" => {
                Reply { allow: Some("GET, HEAD"), ..Reply::error(405, format!("{method} {path}: use GET")) }
            }
            _ => Reply::error(404, format!("no endpoint {path}: use POST /v1/score, GET /v1/health or GET /v1/model")),
        }
    }

    fn body_too_large(&self) -> Reply {
        let max = self.limits.max_body;
        Reply::error(413, format!("the body is over {max} bytes (--max-body); split the records into several requests"))
    }

    /// The whole body, or the 400/413 answer when it cannot be read or is over `max_body`.
    fn read_body(&self, body: &mut dyn Body) -> Result<Vec<u8>, Reply> {
        let max = self.limits.max_body;
        if body.declared_len().is_some_and(|len| len > max) {
            return Err(self.body_too_large());
        }
        let mut bytes = Vec::new();
        body.reader()
            .take(max as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Reply::error(400, format!("cannot read the body: {e}")))?;
        if bytes.len() > max {
            return Err(self.body_too_large());
        }
        Ok(bytes)
    }

    fn score(&self, body: &[u8]) -> Reply {
        let items = match parse_records(body) {
            Ok(items) => items,
            Err(message) => return Reply::error(400, message),
        };
        if items.len() > self.limits.max_records {
            return Reply::error(
                413,
                format!(
                    "{} records in one request, the limit is {} (--max-records); split them into several requests",
                    items.len(),
                    self.limits.max_records
                ),
            );
        }

        // As in `lurescan score`: only readable records go to the model, the others keep their place and their id.
        let mut ids = Vec::with_capacity(items.len());
        let mut records = Vec::with_capacity(items.len());
        let mut read_errors = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let number = index as u64 + 1;
            let fields = match item {
                Value::Object(map) => Ok(map),
                other => Err(RecordError::NotAnObject(json_kind(&other))),
            };
            let row = Row { number, line: number, fields };
            ids.push(RowId::or_number(row.id(), number));
            match row.record() {
                Ok(record) => {
                    records.push(record);
                    read_errors.push(None);
                }
                Err(error) => read_errors.push(Some(error)),
            }
        }
        let mut predictions = match self.classifier.predict(&records, &self.options) {
            Ok(predictions) => predictions.into_iter(),
            Err(e) => return Reply::error(500, format!("the model failed: {e}")),
        };
        // The same rows as `lurescan score` writes, without `input` and `line`.
        let rows: Vec<ScoredRow> = ids
            .into_iter()
            .zip(read_errors)
            .map(|(id, read_error)| {
                let result: Result<Prediction, RecordError> = match read_error {
                    Some(error) => Err(error),
                    None => predictions.next().expect("Classifier::predict returns one result per record"),
                };
                ScoredRow::new(id, result)
            })
            .collect();

        #[derive(Serialize)]
        struct Answer {
            predictions: Vec<ScoredRow>,
        }
        let records = rows.len();
        Reply { records, ..Reply::json(200, &Answer { predictions: rows }) }
    }

    fn summary(&self) -> ModelSummary<'_> {
        let settings = self.classifier.settings();
        ModelSummary {
            name: &self.name,
            threshold: self.options.threshold.unwrap_or(settings.threshold),
            message_threshold: settings.message_threshold.filter(|_| self.options.threshold.is_none()),
            max_length: settings.max_length,
        }
    }

    fn health(&self) -> Reply {
        #[derive(Serialize)]
        struct Health<'a> {
            status: &'static str,
            model: ModelSummary<'a>,
        }
        Reply::json(200, &Health { status: "ok", model: self.summary() })
    }

    fn model(&self) -> Reply {
        #[derive(Serialize)]
        struct Serving {
            threshold: f32,
            batch_size: usize,
            max_body: usize,
            max_records: usize,
        }
        #[derive(Serialize)]
        struct Model<'a> {
            name: &'a str,
            config: &'a BertConfig,
            settings: &'a Settings,
            serving: Serving,
        }
        let serving = Serving {
            threshold: self.summary().threshold,
            batch_size: self.options.batch_size,
            max_body: self.limits.max_body,
            max_records: self.limits.max_records,
        };
        Reply::json(
            200,
            &Model {
                name: &self.name,
                config: self.classifier.config(),
                settings: self.classifier.settings(),
                serving,
            },
        )
    }
}

/// The records of a `/v1/score` body, or what is wrong with it and what to send instead.
fn parse_records(body: &[u8]) -> Result<Vec<Value>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(format!("the body is empty; {SEND}"));
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("the body is not valid JSON ({e}); {SEND}"))?;
    match value {
        Value::Object(mut object) => match object.remove("records") {
            Some(Value::Array(items)) => Ok(items),
            Some(other) => {
                Err(format!("`records` must be an array of record objects, found {}; {SEND}", json_kind(&other)))
            }
            None => Ok(vec![Value::Object(object)]),
        },
        Value::Array(_) => Err(r#"found a bare JSON array: wrap it as {"records": [...]}"#.to_string()),
        other => Err(format!("expected a JSON object, found {}; {SEND}", json_kind(&other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// A body that records whether the handler read it.
    struct TestBody {
        declared: Option<usize>,
        bytes: Cursor<Vec<u8>>,
        read: bool,
    }

    impl Body for TestBody {
        fn declared_len(&self) -> Option<usize> {
            self.declared
        }
        fn reader(&mut self) -> &mut dyn Read {
            self.read = true;
            &mut self.bytes
        }
    }

    fn service(limits: Limits) -> Service {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../infer/tests/fixtures/tiny-bert");
        let classifier = Classifier::load(&dir).expect("the tiny fixture model loads");
        Service::new(classifier, "tiny".into(), ScoreOptions::default(), limits)
    }

    const LIMITS: Limits = Limits { max_body: 200, max_records: 3 };

    /// (status, JSON answer, whether the body was read); `declared` as a client would send Content-Length.
    fn call(service: &Service, method: &str, url: &str, body: &str, declared: bool) -> (u16, Value, bool) {
        let mut body = TestBody {
            declared: declared.then_some(body.len()),
            bytes: Cursor::new(body.as_bytes().to_vec()),
            read: false,
        };
        let reply = service.handle(method, url, &mut body);
        let answer = serde_json::from_slice(&reply.body).expect("answers are JSON");
        (reply.status, answer, body.read)
    }

    #[test]
    fn routes_and_methods_are_checked_before_the_body_is_read() {
        let service = service(LIMITS);
        let (status, answer, read) = call(&service, "GET", "/v1/score", "{}", true);
        assert_eq!((status, read), (405, false), "{answer}");
        let reply = service.handle(
            "PUT",
            "/v1/health",
            &mut TestBody { declared: None, bytes: Cursor::default(), read: false },
        );
        assert_eq!((reply.status, reply.allow), (405, Some("GET, HEAD")));
        let (status, answer, read) = call(&service, "POST", "/v2/score", "{}", true);
        assert_eq!((status, read), (404, false));
        assert!(answer["error"].as_str().unwrap().contains("POST /v1/score"), "{answer}");
        let (status, answer, _) = call(&service, "GET", "/v1/health?verbose=1", "", false);
        assert_eq!(status, 200);
        assert_eq!(answer["model"]["name"], "tiny");
        assert_eq!(answer["model"]["max_length"], 32);
    }

    #[test]
    fn bodies_and_batches_over_the_limits_get_413() {
        let service = service(LIMITS);
        let long = format!(r#"{{"text": "{}"}}"#, "a".repeat(300));
        // Declared too long: refused unread.
        let (status, _, read) = call(&service, "POST", "/v1/score", &long, true);
        assert_eq!((status, read), (413, false));
        // Not declared (chunked): refused once more than the limit has arrived.
        assert_eq!(call(&service, "POST", "/v1/score", &long, false).0, 413);
        let at_limit = format!(r#"{{"text": "{}"}}"#, "a".repeat(200 - 12));
        assert_eq!(at_limit.len(), 200);
        assert_eq!(call(&service, "POST", "/v1/score", &at_limit, false).0, 200);

        let batch = |n: usize| format!(r#"{{"records": [{}]}}"#, vec![r#"{"text":"x"}"#; n].join(","));
        let (status, answer, _) = call(&service, "POST", "/v1/score", &batch(3), true);
        assert_eq!((status, answer["predictions"].as_array().map(Vec::len)), (200, Some(3)));
        let (status, answer, _) = call(&service, "POST", "/v1/score", &batch(4), true);
        assert_eq!(status, 413);
        assert!(answer["error"].as_str().unwrap().contains("--max-records"), "{answer}");
    }

    #[test]
    fn wrong_shapes_get_400_saying_what_to_send() {
        let service = service(LIMITS);
        for (body, expected) in [
            ("", "the body is empty"),
            ("{\"text\": ", "the body is not valid JSON"),
            ("[{\"text\": \"x\"}]", r#"wrap it as {"records": [...]}"#),
            ("{\"records\": {\"text\": \"x\"}}", "`records` must be an array"),
            ("\"just text\"", "expected a JSON object, found a string"),
        ] {
            let (status, answer, _) = call(&service, "POST", "/v1/score", body, true);
            assert_eq!(status, 400, "{body:?} -> {answer}");
            let error = answer["error"].as_str().unwrap();
            assert!(error.contains(expected), "{body:?} -> {error}");
        }
        let (status, answer, _) = call(&service, "POST", "/v1/score", r#"{"records": []}"#, true);
        assert_eq!((status, answer), (200, serde_json::json!({"predictions": []})));
    }
}
