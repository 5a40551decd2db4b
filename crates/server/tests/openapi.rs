//! `/openapi.json` is a well-formed OpenAPI 3.1 document that lists every route, and the server's real answers
//! (successes and errors) validate against the schemas it declares, with no undocumented field.

mod common;

use common::TestServer;
use lurescan_server::Limits;
use serde_json::{json, Value};

/// Checks `value` against `schema` (the subset of JSON Schema utoipa writes: $ref, type, properties, required,
/// items, oneOf/anyOf/allOf, enum), strictly: an object may not carry properties its schema does not list unless the
/// schema lists none. Returns the problems found, with their JSON paths.
fn validate(doc: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.strip_prefix("#/components/schemas/").expect("local schema refs");
        let target = &doc["components"]["schemas"][name];
        assert!(!target.is_null(), "{reference} does not resolve");
        return validate(doc, target, value, at, problems);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let matching = options
                .iter()
                .filter(|option| {
                    let mut inner = Vec::new();
                    validate(doc, option, value, at, &mut inner);
                    inner.is_empty()
                })
                .count();
            let ok = if key == "oneOf" { matching == 1 } else { matching >= 1 };
            if !ok {
                problems.push(format!("{at}: {matching} of the {key} schemas match {value}"));
            }
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for part in all {
            validate(doc, part, value, at, problems);
        }
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            other => panic!("{at}: odd type {other}"),
        };
        let fits = types.iter().any(|t| match *t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "string" => value.is_string(),
            "integer" => value.is_u64() || value.is_i64(),
            "number" => value.is_number(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            other => panic!("{at}: unknown type {other}"),
        });
        if !fits {
            problems.push(format!("{at}: {value} is not {types:?}"));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            problems.push(format!("{at}: {value} is not one of {options:?}"));
        }
    }
    if let (Some(items), Some(elements)) = (schema.get("items"), value.as_array()) {
        for (i, element) in elements.iter().enumerate() {
            validate(doc, items, element, &format!("{at}[{i}]"), problems);
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            let name = required.as_str().unwrap();
            if !object.contains_key(name) {
                problems.push(format!("{at}: required {name} is missing"));
            }
        }
        if let Some(properties) = properties {
            for (key, field) in object {
                match properties.get(key) {
                    Some(property) => validate(doc, property, field, &format!("{at}.{key}"), problems),
                    None => problems.push(format!("{at}: {key} is not documented")),
                }
            }
        }
    }
}

/// The JSON schema a route declares for `status`.
fn response_schema<'a>(doc: &'a Value, method: &str, path: &str, status: u16) -> &'a Value {
    let response = &doc["paths"][path][method]["responses"][status.to_string()];
    assert!(!response.is_null(), "{method} {path} does not document {status}");
    let schema = &response["content"]["application/json"]["schema"];
    assert!(!schema.is_null(), "{method} {path} {status} has no JSON schema");
    schema
}

fn assert_valid(doc: &Value, method: &str, path: &str, status: u16, body: &Value) {
    let mut problems = Vec::new();
    validate(doc, response_schema(doc, method, path, status), body, "$", &mut problems);
    assert!(problems.is_empty(), "{method} {path} {status}: {problems:#?}\nbody: {body}");
}

#[test]
fn the_document_lists_every_route_and_its_refs_resolve() {
    let server = TestServer::start(Limits::default());
    let answer = server.get("/openapi.json");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type").as_deref(), Some("application/json"));
    let doc = answer.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    assert_eq!(doc["info"]["title"], "lurescan");
    for (path, method) in [
        ("/v1/score", "post"),
        ("/v1/health", "get"),
        ("/v1/model", "get"),
        ("/metrics", "get"),
        ("/openapi.json", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} is not documented");
    }
    // Every $ref anywhere points at a schema that exists.
    fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r);
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.len() > 10, "{found:?}");
    for reference in found {
        let name = reference.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{reference}"));
        assert!(doc["components"]["schemas"][name].is_object(), "{reference} does not resolve");
    }
    // The prediction schema is the library's scored row.
    let row = &doc["components"]["schemas"]["ScoredRow"];
    for field in ["id", "score", "label", "error", "flags", "top_terms"] {
        assert!(row["properties"][field].is_object(), "ScoredRow has no {field}: {row}");
    }
}

#[test]
fn real_answers_validate_against_the_document() {
    let server = TestServer::start(Limits { max_client_batch: 2, ..Limits::default() });
    let doc = server.get("/openapi.json").json();

    let scored = server.score(&json!({"id": "a", "text": "Pay the visa fee first, flight to Dubai free"}));
    assert_valid(&doc, "post", "/v1/score", 200, &scored.json());
    // A text that trips indicators and names contacts, so that every part of an explanation is checked.
    let text = "Free visa and flight to Dubai, pay the registration fee, keep your passport with the agent. \
                WhatsApp +855 12 345 678 or hr.dubai@gmail.com";
    let explained = server.score(&json!({
        "records": [{"id": 5, "text": text}, {"title": 3}],
        "explain": true, "top_terms_for": "all"
    }));
    let body = explained.json();
    for part in ["flags", "top_terms", "contacts"] {
        assert!(!body["predictions"][0][part].as_array().unwrap().is_empty(), "no {part}: {body}");
    }
    assert_valid(&doc, "post", "/v1/score", 200, &body);
    let broken = server.request("POST", "/v1/score", b"{not json");
    assert_valid(&doc, "post", "/v1/score", 400, &broken.json());
    let too_many = server.score(&json!({"records": [{"text": "a"}, {"text": "b"}, {"text": "c"}]}));
    assert_valid(&doc, "post", "/v1/score", too_many.status, &too_many.json());
    assert_valid(&doc, "get", "/v1/health", 200, &server.get("/v1/health").json());
    assert_valid(&doc, "get", "/v1/model", 200, &server.get("/v1/model").json());

    let loading = TestServer::held(Limits::default());
    let health = loading.get("/v1/health");
    assert_valid(&doc, "get", "/v1/health", health.status, &health.json());
    let model = loading.get("/v1/model");
    assert_valid(&doc, "get", "/v1/model", model.status, &model.json());
}
