//! The JSON bodies of the HTTP API, with their OpenAPI schemas in one place. A prediction is the library's own
//! [`ScoredRow`] (the row `lurescan score` writes, without `input` and `line`). The request types only describe the
//! accepted bodies for the OpenAPI document: the handler reads a body leniently as JSON values and each record with
//! [`lurescan::input::Row`], as `lurescan score` reads a JSONL line, so that one broken record gets an error row
//! instead of failing its whole batch.

use lurescan::explain::TermsFor;
use lurescan::wire::ScoredRow;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// A record as `lurescan score` reads it from JSONL: `text` (a message) or posting fields, and an optional `id`.
/// Keys are matched ignoring ASCII case; other keys are ignored; numbers and booleans are read as their text. A
/// record with no text, a field that is an object or an array, or an element that is not an object gets an error
/// row; the other records are still scored.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"id": "a1", "text": "Job in Dubai, salary 3000 USD, send passport copy"}))]
pub struct RecordBody {
    /// Echoed back as a string; without it a record is numbered from 1 in the request.
    #[schema(value_type = Option<IdBody>)]
    pub id: Option<Value>,
    /// A message, or any text not split into posting fields.
    pub text: Option<String>,
    pub title: Option<String>,
    pub location: Option<String>,
    pub department: Option<String>,
    pub salary_range: Option<String>,
    pub employment_type: Option<String>,
    pub industry: Option<String>,
    pub function: Option<String>,
    pub company_profile: Option<String>,
    pub description: Option<String>,
    pub requirements: Option<String>,
    pub benefits: Option<String>,
    /// With a single record: add `flags`, `top_terms` and the rest of an explanation to its prediction (see
    /// [`ScoreBatch::explain`]).
    pub explain: Option<bool>,
    /// With a single record and `explain`: top terms, 0 for none (at most 64). Without `explain`, a 400.
    #[schema(default = 8, maximum = 64)]
    pub top_terms: Option<usize>,
    /// With a single record and `explain`: `lure` (top terms only if labelled lure), `all`, or `none`. Without
    /// `explain`, a 400.
    pub top_terms_for: Option<TermsFor>,
    /// With a single record and `explain`: read national phone numbers as numbers of this country (`KH`, `TH`, a
    /// calling code such as `+855`), as `score --region` does. Without `explain`, a 400.
    #[schema(example = "KH")]
    pub region: Option<String>,
}

/// A record's id as sent: a string or a number.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum IdBody {
    Text(String),
    Number(f64),
}

/// Several records scored together; one prediction per record, in order. No other key is accepted beside these: a
/// typo (`explian`) is a 400 that names it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ScoreBatch {
    /// At most `--max-client-batch` records.
    pub records: Vec<RecordBody>,
    /// Add `flags` (the indicators found, with their evidence), `top_terms` (the words that moved the score) and
    /// `contacts` to each prediction, and with a model that has exemplars `exemplar_margin` and `nearest_typology`,
    /// as `lurescan score --explain` does. Top terms cost up to 65 model passes per record.
    #[serde(default)]
    pub explain: bool,
    /// With `explain`: top terms per record, 0 for none (at most 64). Without `explain`, a 400.
    #[schema(default = 8, maximum = 64)]
    pub top_terms: Option<usize>,
    /// With `explain`: which records get top terms: `lure` (labelled lure), `all`, or `none`. Without `explain`, a
    /// 400.
    pub top_terms_for: Option<TermsFor>,
    /// With `explain`: read national phone numbers as numbers of this country (`KH`, `TH`, a calling code such as
    /// `+855`), so that `contacts` are E.164, as `score --region` does. Without `explain`, a 400.
    #[schema(example = "KH")]
    pub region: Option<String>,
}

/// The body of `POST /v1/score`: one record, or `{"records": [...]}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)] // one per request, read and taken apart at once: boxing would buy nothing
pub enum ScoreRequest {
    Batch(ScoreBatch),
    One(RecordBody),
}

/// The answer of `POST /v1/score`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScoreResponse {
    /// One per record, in the order sent: `id`, `score`, `label`, `error`, and with `explain` also `flags` and
    /// `top_terms`.
    pub predictions: Vec<ScoredRow>,
}

/// Every error answer: what went wrong and what to send instead.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"error": "the body is not valid JSON (EOF while parsing at line 1 column 9)"}))]
pub struct ErrorResponse {
    pub error: String,
}

/// The model being served, in brief.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ModelSummary {
    /// `name` in the model's lurescan.json, else its folder's name, `built-in` for the default model.
    pub name: String,
    /// Score at or above which a record is labelled `lure`.
    pub threshold: f32,
    /// The lower threshold for messages (records with only `text`); null when the model has none or the server's
    /// `--threshold` overrides it.
    pub message_threshold: Option<f32>,
    /// Tokens the model reads of each record.
    pub max_length: usize,
}

/// `GET /v1/health`: `ok` (200) once the model is loaded; `loading` or `stopping` (503) otherwise.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: String,
    /// Null until the model is loaded.
    pub model: Option<ModelSummary>,
}

/// The serving settings in force.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Serving {
    pub threshold: f32,
    pub batch_size: usize,
    pub max_body: usize,
    /// The former name of `max_client_batch`, kept for older clients.
    pub max_records: usize,
    pub max_client_batch: usize,
    pub max_concurrent_requests: usize,
    pub max_batch_tokens: usize,
}

/// `GET /v1/model`: the model folder's `config.json` and `lurescan.json`, and the serving settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelInfo {
    pub name: String,
    #[schema(value_type = Object)]
    pub config: Value,
    #[schema(value_type = Object)]
    pub settings: Value,
    pub serving: Serving,
}
