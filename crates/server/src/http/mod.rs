//! The HTTP API: the `router`, its handlers, and the middleware every request goes through (request id, one log
//! line, metrics). Scoring requests are admitted to the [`crate::queue`] or refused with 429; every other endpoint
//! answers from memory, so health checks and scrapes stay fast under any load.

mod openapi;
pub mod types;

pub use openapi::ApiDoc;

use crate::log::printable;
use crate::queue::QueueError;
use crate::Shared;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use http_body_util::BodyExt;
use lurescan::contacts::Region;
use lurescan::explain::{ExplainOptions, Explanation, OcclusionOptions, TermsFor};
use lurescan::input::{keep_number_id_text, read_repeated_keys, Row};
use lurescan::record::json_kind;
use lurescan::wire::{RowId, ScoredRow};
use lurescan::{Prediction, RecordError};
use serde::Serialize;
use serde_json::Value;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;
use types::{ErrorResponse, Health, ModelInfo, ModelSummary, ScoreResponse, Serving};

/// The routes, in the order `/openapi.json` lists them; a path outside them counts as `other` in the metrics.
pub const ROUTES: [&str; 5] = ["/v1/score", "/v1/health", "/v1/model", "/metrics", "/openapi.json"];

/// Most top terms a request may ask for per record (occlusion removes at most 64 units).
const MAX_TOP_TERMS: usize = 64;

const SEND: &str = r#"send one record such as {"id": "a1", "text": "..."} or a batch {"records": [{...}, {...}]}"#;

/// The request header carrying a request's id; a sane one sent by the client is kept, else one is made.
pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The service's routes on `state`.
pub(crate) fn router(state: Arc<Shared>) -> Router {
    let read_only = |handler: MethodRouter<Arc<Shared>>| {
        handler.fallback(|method: Method| async move { not_allowed(method, "GET") })
    };
    Router::new()
        .route("/v1/score", post(score).fallback(|method: Method| async move { not_allowed(method, "POST") }))
        .route("/v1/health", read_only(get(health)))
        .route("/v1/model", read_only(get(model)))
        .route("/metrics", read_only(get(metrics)))
        .route("/openapi.json", read_only(get(openapi::document)))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(Arc::clone(&state), observe))
        .with_state(state)
}

/// How many records a response scored, for the log line.
#[derive(Debug, Clone, Copy)]
struct Records(usize);

/// Gives every request an id (echoed in `x-request-id`), then counts and logs it once answered.
async fn observe(State(state): State<Arc<Shared>>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|id| {
            (1..=64).contains(&id.len())
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        })
        .map(str::to_string)
        .unwrap_or_else(|| state.next_request_id());
    let value = HeaderValue::from_str(&id).expect("request ids are visible ASCII");
    request.headers_mut().insert(REQUEST_ID.clone(), value.clone());
    let method = request.method().clone();
    let route = ROUTES.into_iter().find(|route| *route == request.uri().path()).unwrap_or("other");
    let path = printable(request.uri().path(), 120);

    let mut response = next.run(request).await;
    response.headers_mut().insert(REQUEST_ID.clone(), value);
    let status = response.status().as_u16();
    let records = response.extensions().get::<Records>().map_or(0, |r| r.0);
    let elapsed = started.elapsed();
    state.metrics.request(route, status, elapsed);
    let ms = (elapsed.as_secs_f64() * 1e4).round() / 10.0;
    if status >= 500 {
        tracing::warn!(id, %method, path, status, records, ms, "request");
    } else {
        tracing::info!(id, %method, path, status, records, ms, "request");
    }
    response
}

/// A JSON answer.
fn json(status: StatusCode, body: &impl Serialize) -> Response {
    let bytes = serde_json::to_vec(body).expect("answers serialize to JSON");
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], bytes).into_response()
}

/// `{"error": message}`.
fn error(status: StatusCode, message: impl Into<String>) -> Response {
    json(status, &ErrorResponse { error: message.into() })
}

/// An error after which the connection cannot be trusted (unread or half-read body): answered, then closed.
fn error_and_close(status: StatusCode, message: impl Into<String>) -> Response {
    let mut response = error(status, message);
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

fn not_allowed(method: Method, allowed: &'static str) -> Response {
    let allow = if allowed == "GET" { "GET, HEAD" } else { allowed };
    let mut response = error(StatusCode::METHOD_NOT_ALLOWED, format!("{method} is not allowed here: use {allowed}"));
    response.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
    response
}

/// 404, naming the path only when it is short and plain: letters, digits, `/`, `-`, `_`, `.` and `~`. A long path,
/// or one with percent-escapes (`%1b` is an escape character once a client decodes it) or any other character, is
/// not echoed back.
async fn not_found(request: Request) -> Response {
    let path = request.uri().path();
    let plain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~');
    let shown = if path.len() <= 64 && path.bytes().all(plain) {
        format!("no endpoint {path}")
    } else {
        "no such endpoint".to_string()
    };
    error(
        StatusCode::NOT_FOUND,
        format!("{shown}: use POST /v1/score, GET /v1/health, GET /v1/model, GET /metrics or GET /openapi.json"),
    )
}

fn body_too_large(max: usize) -> Response {
    error_and_close(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the body is over {max} bytes (--max-body); split the records into several requests"),
    )
}

/// The declared body length: `Ok(None)` without one; `Err` for a value that is not one non-negative integer, such
/// as a list (`2, 2`). hyper refuses most bad values before a handler runs (with its own 400, or 431 for the two
/// largest `u64`, which it reserves); several `Content-Length` lines that differ get its 400, several that agree
/// reach a handler as one line (RFC 9110 §8.6 allows that, the framing being the same). The duplicate check below
/// still guards the router when it is mounted behind another server.
#[allow(clippy::result_large_err)] // the error is the answer to send, as the handlers' own
fn content_length(headers: &HeaderMap) -> Result<Option<u64>, Response> {
    let mut values = headers.get_all(header::CONTENT_LENGTH).iter();
    let Some(first) = values.next() else { return Ok(None) };
    let bad = || error_and_close(StatusCode::BAD_REQUEST, "send exactly one Content-Length, a non-negative integer");
    if values.next().is_some() {
        return Err(bad());
    }
    let text = first.to_str().map_err(|_| bad())?;
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    text.parse().map(Some).map_err(|_| bad())
}

/// The whole body, read within `body_timeout` and `max_body`, or the answer saying why not.
async fn read_body(state: &Shared, headers: &HeaderMap, body: Body) -> Result<Bytes, Response> {
    let max = state.limits.max_body;
    if content_length(headers)?.is_some_and(|len| len > max as u64) {
        return Err(body_too_large(max));
    }
    let read = async {
        let mut body = body;
        let mut bytes = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| {
                error_and_close(
                    StatusCode::BAD_REQUEST,
                    format!("cannot read the body: {}", printable(&e.to_string(), 200)),
                )
            })?;
            if let Ok(data) = frame.into_data() {
                if bytes.len() + data.len() > max {
                    return Err(body_too_large(max));
                }
                bytes.extend_from_slice(&data);
            }
        }
        Ok(Bytes::from(bytes))
    };
    match tokio::time::timeout(state.limits.body_timeout, read).await {
        Ok(result) => result,
        Err(_) => Err(error_and_close(
            StatusCode::REQUEST_TIMEOUT,
            format!("the body did not arrive within {:?} (--body-timeout)", state.limits.body_timeout),
        )),
    }
}

/// What to add to the error of a body that does not parse when its `Content-Type` says it is not JSON (a CSV file or
/// a form posted as it is): the service reads any body as JSON, whatever its type says, so a JSON body with a wrong or
/// missing type (curl's `-d` sends `application/x-www-form-urlencoded`) is still scored.
fn not_json_hint(content_type: &str) -> Option<String> {
    let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media.is_empty() || media.ends_with("json") || media.ends_with("+json") {
        return None;
    }
    let shown = printable(&media, 60);
    Some(match media.as_str() {
        "text/csv" | "text/tab-separated-values" | "application/csv" => format!(
            " (it was sent as {shown}: the service reads JSON; score a CSV file with `lurescan score FILE.csv`, or send its \
             rows as JSON records)"
        ),
        _ => format!(" (it was sent as {shown}: the service reads JSON, such as Content-Type: application/json)"),
    })
}

/// The keys of a batch body: its records and the options.
const BATCH_KEYS: [&str; 5] = ["records", "explain", "top_terms", "top_terms_for", "region"];

/// What a `/v1/score` body asks for.
struct ScoreBody {
    items: Vec<Value>,
    explain: Option<ExplainOptions>,
}

/// Reads a `/v1/score` body, or says what is wrong with it and what to send instead.
fn parse_score_body(body: &[u8], batch_size: usize) -> Result<ScoreBody, String> {
    // A byte-order mark (Windows tools write one) is skipped, as `lurescan score` skips it.
    let body = lurescan::input::strip_bom(body);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(format!("the body is empty; {SEND}"));
    }
    if lurescan::input::looks_like_utf16(body) {
        return Err(
            "the body is UTF-16 text (a UTF-16 byte order mark, or NUL bytes between the letters): send UTF-8 \
             JSON (convert a file with iconv -f UTF-16 -t UTF-8)"
                .to_string(),
        );
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        format!("the body is not valid UTF-8: the byte at offset {} is not; send UTF-8 JSON", e.valid_up_to())
    })?;
    // A lone surrogate escape (an emoji cut in two) is read as U+FFFD, and a number too large for a float as a
    // string of its digits, as `lurescan score` reads them: the body is scanned for them only when it does not parse.
    let value: Value = serde_json::from_str(text)
        .or_else(|_| serde_json::from_str(&lurescan::input::repair_json(text)))
        .map_err(|e| format!("the body is not valid JSON ({e}); {SEND}"))?;
    let mut object = match value {
        Value::Object(object) => object,
        Value::Array(_) => return Err(r#"found a bare JSON array: wrap it as {"records": [...]}"#.to_string()),
        other => return Err(format!("expected a JSON object, found {}; {SEND}", json_kind(&other))),
    };
    let batch = object.contains_key("records");
    // In a batch, a key beside `records` is an option or a mistake (`"explian": true`, a record's `text` outside
    // it): said, not ignored. (One record's other keys are its fields.)
    if let Some(unknown) = object.keys().filter(|_| batch).find(|k| !BATCH_KEYS.contains(&k.as_str())) {
        return Err(format!(
            "unknown key `{}` beside `records`: a batch takes {}; a record's fields go inside `records`",
            printable(unknown, 40),
            BATCH_KEYS.map(|k| format!("`{k}`")).join(", ")
        ));
    }
    // One record's other keys are its fields, but a key a typo away from an option (`explian`, `top_term`) is the
    // option misspelt: said, as a batch says it, not taken for a field nobody reads.
    if let Some(misspelt) = object.keys().filter(|_| !batch).find(|k| {
        !BATCH_KEYS.contains(&k.as_str())
            && lurescan::Field::from_name(k).is_none()
            && BATCH_KEYS[1..].iter().any(|option| edit_distance(&k.to_ascii_lowercase(), option) <= 2)
    }) {
        let option = BATCH_KEYS[1..].iter().min_by_key(|o| edit_distance(&misspelt.to_ascii_lowercase(), o)).unwrap();
        return Err(format!(
            "unknown key `{}`: did you mean `{option}`? (a record's fields are text and the posting fields; the options \
             are {})",
            printable(misspelt, 40),
            BATCH_KEYS[1..].iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    let explain = match object.get("explain") {
        // `null` is absent, as the OpenAPI document's optional fields say.
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::Bool(true)) => true,
        Some(other) => return Err(format!("`explain` must be true or false, found {}", json_kind(other))),
    };
    // An option that only explanations read is a mistake without them, not something to ignore.
    if !explain && !matches!(object.get("explain"), Some(Value::Bool(false))) {
        if let Some(option) =
            ["top_terms", "top_terms_for", "region"].into_iter().find(|k| object.get(*k).is_some_and(|v| !v.is_null()))
        {
            return Err(format!("`{option}` is read only with `\"explain\": true`: add it, or leave `{option}` out"));
        }
    }
    let mut options = ExplainOptions {
        occlusion: OcclusionOptions { batch_size, ..OcclusionOptions::default() },
        ..ExplainOptions::default()
    };
    // The same options for one record as for a batch: a record's other keys are its fields.
    if let Some(k) = object.get("top_terms").filter(|k| !k.is_null()) {
        options.top_terms = k
            .as_u64()
            .filter(|&k| k as usize <= MAX_TOP_TERMS)
            .ok_or_else(|| format!("`top_terms` must be an integer from 0 to {MAX_TOP_TERMS}"))?
            as usize;
    }
    if let Some(which) = object.get("top_terms_for").filter(|which| !which.is_null()) {
        options.terms_for = which
            .as_str()
            .and_then(|s| s.parse::<TermsFor>().ok())
            .ok_or_else(|| "`top_terms_for` must be \"lure\", \"all\" or \"none\"".to_string())?;
    }
    // The country whose national phone numbers the contacts are read as (`score --region`).
    if let Some(region) = object.get("region").filter(|region| !region.is_null()) {
        let region = region
            .as_str()
            .ok_or_else(|| format!("`region` must be a string such as \"KH\", found {}", json_kind(region)))?;
        options.contacts.region = Some(region.parse::<Region>().map_err(|e| format!("`region`: {e}"))?);
    }
    let mut items = if batch {
        match object.remove("records") {
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(format!(
                    "`records` must be an array of record objects, found {}; {SEND}",
                    json_kind(&other)
                ))
            }
            None => unreachable!("checked above"),
        }
    } else {
        // The options are not the record's: a record with no field names only its own keys as not read.
        for option in &BATCH_KEYS[1..] {
            object.remove(*option);
        }
        vec![Value::Object(object)]
    };
    // As `lurescan score` reads a record: number ids as the body wrote them (`1e2`, not `100.0`), and a key named
    // twice as a CSV column named twice (the first id, the texts joined), which serde_json's map has lost: each
    // record's text is read a second time, without copying it.
    if let Some(texts) = record_texts(body, batch).filter(|texts| texts.len() == items.len()) {
        for (item, text) in items.iter_mut().zip(texts) {
            if let Value::Object(fields) = item {
                keep_number_id_text(fields, text);
                read_repeated_keys(fields, text);
            }
        }
    }
    Ok(ScoreBody { items, explain: explain.then_some(options) })
}

/// Levenshtein distance between two short keys (in characters).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// The JSON text of each record of a `/v1/score` body that has parsed: the body itself for one record, each member
/// of `records` for a batch.
fn record_texts(body: &[u8], batch: bool) -> Option<Vec<&str>> {
    #[derive(serde::Deserialize)]
    struct Batch<'a> {
        #[serde(borrow)]
        records: Vec<&'a serde_json::value::RawValue>,
    }
    let body = std::str::from_utf8(body).ok()?;
    if !batch {
        return Some(vec![body]);
    }
    let records = serde_json::from_str::<Batch>(body).ok()?.records;
    Some(records.into_iter().map(|record| record.get()).collect())
}

#[utoipa::path(
    post,
    path = "/v1/score",
    tag = "scoring",
    request_body(content = types::ScoreRequest, description = "One record, or a batch as {\"records\": [...]}"),
    responses(
        (status = 200, description = "One prediction per record, in order; a record that cannot be scored has `error` set and null `score` and `label`", body = ScoreResponse,
         headers(("x-request-id" = String, description = "The request's id, as logged"))),
        (status = 400, description = "Broken JSON, a wrong shape or bad options; the connection is closed when the body could not be read", body = ErrorResponse),
        (status = 408, description = "The body did not arrive within --body-timeout; the connection is closed", body = ErrorResponse),
        (status = 413, description = "The body is over --max-body (the connection is closed) or the batch over --max-client-batch", body = ErrorResponse),
        (status = 415, description = "The body is compressed (a Content-Encoding other than identity); the connection is closed", body = ErrorResponse),
        (status = 429, description = "--max-concurrent-requests are already queued or being scored; retry after Retry-After seconds", body = ErrorResponse,
         headers(("Retry-After" = u32, description = "Seconds to wait"))),
        (status = 500, description = "The model failed on the batch", body = ErrorResponse),
        (status = 503, description = "The model could not be loaded, or the service is stopping", body = ErrorResponse),
    )
)]
async fn score(State(state): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    // A compressed body would otherwise be answered "not valid JSON", which sends a client looking in the wrong place.
    if let Some(encoding) = headers.get(header::CONTENT_ENCODING) {
        let encoding = String::from_utf8_lossy(encoding.as_bytes());
        if !encoding.trim().eq_ignore_ascii_case("identity") {
            return error_and_close(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "the body is sent with Content-Encoding: {}; the service reads it uncompressed: send plain JSON",
                    printable(&encoding, 40)
                ),
            );
        }
    }
    let bytes = match read_body(&state, &headers, body).await {
        Ok(bytes) => bytes,
        Err(response) => return response,
    };
    let ScoreBody { items, explain } = match parse_score_body(&bytes, state.options.batch_size) {
        Ok(body) => body,
        Err(message) => {
            let hint =
                headers.get(header::CONTENT_TYPE).and_then(|t| not_json_hint(&String::from_utf8_lossy(t.as_bytes())));
            return error(StatusCode::BAD_REQUEST, message + hint.as_deref().unwrap_or(""));
        }
    };
    drop(bytes);
    let max = state.limits.max_client_batch;
    if items.len() > max {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "{} records in one request, the limit is {max} (--max-client-batch); split them into several requests",
                items.len()
            ),
        );
    }
    if state.stopping.load(Ordering::Relaxed) {
        return error_and_close(StatusCode::SERVICE_UNAVAILABLE, "the service is stopping; send the request elsewhere");
    }
    let Some(admission) = state.queue.admit(items.len()) else {
        state.metrics.rejected_overloaded.fetch_add(1, Ordering::Relaxed);
        let mut response = error(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "{} requests are already being scored (--max-concurrent-requests); retry in a moment",
                state.limits.max_concurrent_requests
            ),
        );
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    };

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
        let row = Row { number, line: number, fields, unreadable_id: None };
        ids.push(RowId::or_number(row.id(), number));
        match row.record() {
            Ok(record) => {
                records.push(record);
                read_errors.push(None);
            }
            Err(error) => read_errors.push(Some(error)),
        }
    }
    let explained = explain.is_some();
    let (predictions, explanations, evidence) = if records.is_empty() {
        (Vec::new(), Vec::new(), Vec::new())
    } else {
        match state.queue.score(admission, records, explain).await {
            Ok(scored) => (scored.predictions, scored.explanations, scored.evidence),
            Err(e @ QueueError::Model(_)) => return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
            Err(e @ QueueError::Stopped(_)) => return error_and_close(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
        }
    };
    let mut predictions = predictions.into_iter();
    let mut explanations = explanations.into_iter();
    let mut evidence = evidence.into_iter();
    let rows: Vec<ScoredRow> = ids
        .into_iter()
        .zip(read_errors)
        .map(|(id, read_error)| {
            let (result, explanation, evidence): (Result<Prediction, RecordError>, _, _) = match read_error {
                Some(error) => (Err(error), None, None),
                None => (
                    predictions.next().expect("one prediction per record"),
                    explanations.next(),
                    evidence.next().flatten(),
                ),
            };
            let row = ScoredRow::new(id, result);
            if !explained {
                return row;
            }
            let row = row.with_explanation(explanation.unwrap_or_else(|| Explanation {
                flags: Vec::new(),
                top_terms: Vec::new(),
                contacts: Vec::new(),
            }));
            match evidence {
                Some(evidence) => row.with_exemplar_evidence(evidence),
                None => row,
            }
        })
        .collect();
    let n = rows.len();
    let mut response = json(StatusCode::OK, &ScoreResponse { predictions: rows });
    response.extensions_mut().insert(Records(n));
    response
}

fn summary(state: &Shared) -> Option<ModelSummary> {
    let loaded = state.model.get()?;
    let settings = loaded.classifier.settings();
    Some(ModelSummary {
        name: loaded.name.clone(),
        threshold: state.options.threshold.unwrap_or(settings.threshold),
        message_threshold: settings.message_threshold.filter(|_| state.options.threshold.is_none()),
        max_length: settings.max_length,
    })
}

#[utoipa::path(
    get,
    path = "/v1/health",
    tag = "operations",
    responses(
        (status = 200, description = "Ready: the model is loaded and requests are accepted", body = Health),
        (status = 503, description = "Not ready: the model is still loading (`loading`) or the service is stopping (`stopping`)", body = Health),
    )
)]
async fn health(State(state): State<Arc<Shared>>) -> Response {
    let model = summary(&state);
    let stopping = state.stopping.load(Ordering::Relaxed) || state.draining.load(Ordering::Relaxed);
    let (status, code) = match (&model, stopping) {
        (_, true) => ("stopping", StatusCode::SERVICE_UNAVAILABLE),
        (None, false) => ("loading", StatusCode::SERVICE_UNAVAILABLE),
        (Some(_), false) => ("ok", StatusCode::OK),
    };
    json(code, &Health { status: status.to_string(), model })
}

#[utoipa::path(
    get,
    path = "/v1/model",
    tag = "operations",
    responses(
        (status = 200, description = "The model folder's config.json and lurescan.json, and the serving settings", body = ModelInfo),
        (status = 503, description = "The model is still loading", body = ErrorResponse),
    )
)]
async fn model(State(state): State<Arc<Shared>>) -> Response {
    let (Some(loaded), Some(summary)) = (state.model.get(), summary(&state)) else {
        return error(StatusCode::SERVICE_UNAVAILABLE, "the model is still loading; see GET /v1/health");
    };
    let limits = &state.limits;
    json(
        StatusCode::OK,
        &ModelInfo {
            name: loaded.name.clone(),
            config: serde_json::to_value(loaded.classifier.config()).expect("a config serializes"),
            settings: serde_json::to_value(loaded.classifier.settings()).expect("settings serialize"),
            serving: Serving {
                threshold: summary.threshold,
                batch_size: state.options.batch_size,
                max_body: limits.max_body,
                max_records: limits.max_client_batch,
                max_client_batch: limits.max_client_batch,
                max_concurrent_requests: limits.max_concurrent_requests,
                max_batch_tokens: limits.max_batch_tokens,
            },
        },
    )
}

#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    responses((status = 200, description = "Prometheus text exposition format 0.0.4", content_type = "text/plain", body = String))
)]
async fn metrics(State(state): State<Arc<Shared>>) -> Response {
    state.metrics.log_lines_dropped.store(crate::log::dropped(), Ordering::Relaxed);
    let text = state.metrics.render();
    ([(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"))], text)
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_sent_as_something_other_than_json_is_named_so_in_its_error() {
        assert_eq!(not_json_hint("application/json"), None);
        assert_eq!(not_json_hint("application/json; charset=utf-8"), None);
        assert_eq!(not_json_hint("application/problem+json"), None);
        assert_eq!(not_json_hint(""), None);
        let csv = not_json_hint("text/csv; header=present").unwrap();
        assert!(csv.contains("sent as text/csv") && csv.contains("lurescan score FILE.csv"), "{csv}");
        let form = not_json_hint("application/x-www-form-urlencoded").unwrap();
        assert!(
            form.contains("sent as application/x-www-form-urlencoded") && form.contains("application/json"),
            "{form}"
        );
    }

    #[test]
    fn bodies_of_the_wrong_shape_say_what_to_send() {
        for (body, expected) in [
            ("", "the body is empty"),
            ("{\"text\": ", "the body is not valid JSON"),
            ("[{\"text\": \"x\"}]", r#"wrap it as {"records": [...]}"#),
            ("{\"records\": {\"text\": \"x\"}}", "`records` must be an array"),
            ("\"just text\"", "expected a JSON object, found a string"),
            ("{\"records\": [], \"explain\": \"yes\"}", "`explain` must be true or false"),
            ("{\"records\": [], \"explain\": true, \"top_terms\": 65}", "`top_terms` must be an integer"),
            ("{\"records\": [], \"explain\": true, \"top_terms_for\": \"x\"}", "`top_terms_for` must be"),
            ("{\"records\": [], \"top_terms\": 3}", "`top_terms` is read only with `\"explain\": true`"),
            ("{\"text\": \"x\", \"top_terms_for\": \"all\"}", "`top_terms_for` is read only with"),
            ("{\"text\": \"x\", \"explian\": true}", "unknown key `explian`: did you mean `explain`?"),
            ("{\"text\": \"x\", \"Explain\": true}", "did you mean `explain`?"),
            ("{\"text\": \"x\", \"top_term\": 3}", "did you mean `top_terms`?"),
        ] {
            let error = parse_score_body(body.as_bytes(), 32).err().unwrap_or_else(|| panic!("{body:?} was accepted"));
            assert!(error.contains(expected), "{body:?} -> {error}");
        }
    }

    #[test]
    fn a_body_that_is_not_utf8_says_so() {
        let error = parse_score_body(b"{\"text\": \"caf\xff\"}", 32).err().unwrap();
        assert!(error.contains("not valid UTF-8: the byte at offset 13"), "{error}");
    }

    #[test]
    fn number_ids_keep_the_text_the_body_wrote() {
        let id = |body: &str, at: usize| {
            let items = parse_score_body(body.as_bytes(), 32).unwrap().items;
            Row { number: 1, line: 1, fields: Ok(items[at].as_object().unwrap().clone()), unreadable_id: None }.id()
        };
        let batch =
            "{\"records\": [{\"id\": 1e2, \"text\": \"a\"},\n {\"id\": 12345678901234567890123}, {\"id\": -0}]}";
        assert_eq!(id(batch, 0).as_deref(), Some("1e2"));
        assert_eq!(id(batch, 1).as_deref(), Some("12345678901234567890123"));
        assert_eq!(id(batch, 2).as_deref(), Some("-0"));
        assert_eq!(id(r#"{"text": "a", "id": 18446744073709551617}"#, 0).as_deref(), Some("18446744073709551617"));
    }

    #[test]
    fn a_key_named_twice_is_read_as_lurescan_score_reads_it() {
        for body in [
            r#"{"id": 1, "id": 2, "text": "a", "text": "b"}"#,
            r#"{"records": [{"id": 1, "text": "a", "id": 2, "text": "b"}]}"#,
        ] {
            let items = parse_score_body(body.as_bytes(), 32).unwrap().items;
            let row =
                Row { number: 1, line: 1, fields: Ok(items[0].as_object().unwrap().clone()), unreadable_id: None };
            assert_eq!(row.id().as_deref(), Some("1"), "{body}");
            assert_eq!(row.record().unwrap().get(lurescan::Field::Text), Some("a\nb"), "{body}");
        }
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let body = parse_score_body("\u{feff}{\"text\": \"x\"}".as_bytes(), 32).unwrap();
        assert_eq!(body.items.len(), 1);
        let Err(message) = parse_score_body("\u{feff}".as_bytes(), 32) else { panic!("a lone mark is an empty body") };
        assert!(message.contains("the body is empty"), "{message}");
    }

    #[test]
    fn explain_applies_to_a_single_record_and_to_batches() {
        let one = parse_score_body(br#"{"text": "x", "explain": true}"#, 32).unwrap();
        assert_eq!(one.items.len(), 1);
        assert_eq!(one.explain.as_ref().map(|e| e.top_terms), Some(8));
        let one = parse_score_body(br#"{"text": "x", "explain": true, "top_terms": 0, "top_terms_for": "all"}"#, 32);
        let explain = one.unwrap().explain.unwrap();
        assert_eq!((explain.top_terms, explain.terms_for), (0, TermsFor::All), "a single record's options count too");
        for bad in [r#"{"text": "x", "explain": true, "top_terms": -1}"#, r#"{"text": "x", "top_terms_for": "bogus"}"#]
        {
            assert!(parse_score_body(bad.as_bytes(), 32).is_err(), "{bad} was accepted");
        }
        let batch = parse_score_body(
            br#"{"records": [{"text": "x"}, 3], "explain": true, "top_terms": 2, "top_terms_for": "all"}"#,
            16,
        )
        .unwrap();
        assert_eq!(batch.items.len(), 2);
        let explain = batch.explain.unwrap();
        assert_eq!((explain.top_terms, explain.terms_for, explain.occlusion.batch_size), (2, TermsFor::All, 16));
        assert!(parse_score_body(br#"{"records": []}"#, 32).unwrap().explain.is_none());
        // null is absent (schemathesis sends it for the document's optional fields).
        assert!(parse_score_body(br#"{"text": "x", "explain": null}"#, 32).unwrap().explain.is_none());
        let nulls = br#"{"records": [], "explain": true, "top_terms": null, "top_terms_for": null}"#;
        assert_eq!(parse_score_body(nulls, 32).unwrap().explain.map(|e| e.top_terms), Some(8));
        // Explanations turned off by a flag the client sets keep their options, unread.
        let off = parse_score_body(br#"{"text": "x", "explain": false, "top_terms": 3}"#, 32).unwrap();
        assert!(off.explain.is_none());
        // A single record's options are not its fields.
        let one = parse_score_body(br#"{"txt": "x", "explain": true, "top_terms": 3}"#, 32).unwrap();
        assert_eq!(one.items, [serde_json::json!({"txt": "x"})]);
    }

    #[test]
    fn a_region_reads_national_numbers_as_score_region_does() {
        let one = parse_score_body(br#"{"text": "call 012 345 678", "explain": true, "region": "KH"}"#, 32).unwrap();
        assert_eq!(one.items, [serde_json::json!({"text": "call 012 345 678"})]);
        assert_eq!(one.explain.unwrap().contacts.region, Some("KH".parse().unwrap()));
        let batch = parse_score_body(br#"{"records": [], "explain": true, "region": "+855"}"#, 32).unwrap();
        assert_eq!(batch.explain.unwrap().contacts.region, Some("KH".parse().unwrap()));
        for (body, expected) in [
            (&br#"{"records": [], "explain": true, "region": "XX"}"#[..], "`region`: unknown region `XX`"),
            (br#"{"records": [], "explain": true, "region": 855}"#, "`region` must be a string"),
            (br#"{"records": [], "region": "KH"}"#, "`region` is read only with `\"explain\": true`"),
        ] {
            let error = parse_score_body(body, 32).err().unwrap_or_else(|| panic!("{}", String::from_utf8_lossy(body)));
            assert!(error.contains(expected), "{error}");
        }
    }

    #[test]
    fn content_length_must_be_one_non_negative_integer() {
        let mut headers = HeaderMap::new();
        assert!(matches!(content_length(&headers), Ok(None)));
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("12"));
        assert!(matches!(content_length(&headers), Ok(Some(12))));
        headers.append(header::CONTENT_LENGTH, HeaderValue::from_static("12"));
        assert!(content_length(&headers).is_err(), "a duplicate, even an equal one");
        for bad in ["-1", "+1", "1.0", "", "0x10", "99999999999999999999999"] {
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from_str(bad).unwrap());
            assert!(content_length(&headers).is_err(), "{bad:?} was accepted");
        }
    }
}
