//! `GET /openapi.json`: the OpenAPI 3.1 document of the API, generated from the handlers' annotations and the wire
//! types' schemas (the library's [`lurescan::wire::ScoredRow`] among them), so it cannot drift from the code.

use super::types;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;
use utoipa::OpenApi;

/// The API's OpenAPI document: `ApiDoc::openapi()`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "lurescan",
        description = "Scores job postings and recruitment messages for how likely each is a fraudulent job offer or trafficking lure. One prediction per record; indicators and top terms on request.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(super::score, super::health, super::model, super::metrics, document),
    components(schemas(
        types::ScoreRequest,
        types::ScoreBatch,
        types::RecordBody,
        types::IdBody,
        types::ScoreResponse,
        types::ErrorResponse,
        types::Health,
        types::ModelSummary,
        types::ModelInfo,
        types::Serving,
    )),
    tags(
        (name = "scoring", description = "Scoring records"),
        (name = "operations", description = "Readiness, model information, metrics and this document")
    )
)]
pub struct ApiDoc;

#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "operations",
    responses((status = 200, description = "This document", content_type = "application/json", body = serde_json::Value))
)]
pub(super) async fn document() -> Response {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    let text = DOCUMENT.get_or_init(|| ApiDoc::openapi().to_pretty_json().expect("the OpenAPI document serializes"));
    ([(header::CONTENT_TYPE, "application/json")], text.as_str()).into_response()
}
