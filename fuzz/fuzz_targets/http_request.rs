//! The service's routes on any request: the first byte picks the method and route (or, for the last choice, the
//! path is the input's bytes up to the first newline), the rest is the body. The tiny test model is loaded once.
//! Must hold: no panic, never a 5xx but 503 (busy), and every `/v1/score` answer is JSON: on 200, a prediction
//! per record sent, each with a score or an error.
#![no_main]

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use lurescan::{Classifier, ScoreOptions};
use lurescan_server::{App, Limits, Model};
use std::sync::OnceLock;
use tower::ServiceExt;

struct Service {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
    _app: App,
}

fn service() -> &'static Service {
    static SERVICE: OnceLock<Service> = OnceLock::new();
    SERVICE.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../crates/infer/tests/fixtures/tiny-bert");
        let app = App::new(Limits::default(), ScoreOptions::default());
        let router = app.router();
        app.ready(Model { classifier: Classifier::load(dir).expect("the test model loads"), name: "tiny".into() }, 1)
            .expect("the worker starts");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        Service { runtime, router, _app: app }
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else { return };
    let (method, path, body) = match choice % 6 {
        0..=2 => (Method::POST, "/v1/score".to_string(), rest),
        3 => (Method::GET, "/v1/health".to_string(), rest),
        4 => (Method::GET, "/v1/model".to_string(), rest),
        _ => {
            let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            (Method::POST, format!("/{}", String::from_utf8_lossy(&rest[..end])), &rest[end.min(rest.len())..])
        }
    };
    // A path the URI parser refuses never reaches the service (hyper answers 400 itself).
    let Ok(request) = Request::builder()
        .method(method)
        .uri(&path)
        .header("content-type", "application/json")
        .body(Body::from(body.to_vec()))
    else {
        return;
    };
    let service = service();
    let (status, answer) = service.runtime.block_on(async {
        let response = service.router.clone().oneshot(request).await.expect("the router never fails");
        let status = response.status();
        (status, axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("a whole answer"))
    });
    assert!(!status.is_server_error() || status == StatusCode::SERVICE_UNAVAILABLE, "{status} for {path}");
    if path == "/v1/score" {
        let answer: serde_json::Value = serde_json::from_slice(&answer).expect("answers are JSON");
        if status == StatusCode::OK {
            let sent: serde_json::Value = serde_json::from_slice(body).expect("a 200 was valid JSON");
            let records = sent.get("records").and_then(|r| r.as_array()).map_or(1, |r| r.len());
            let predictions = answer["predictions"].as_array().expect("predictions");
            assert_eq!(predictions.len(), records, "a prediction per record");
            for p in predictions {
                assert!(p["score"].is_number() != p["error"].is_string(), "a score or an error: {p}");
            }
        }
    }
});
