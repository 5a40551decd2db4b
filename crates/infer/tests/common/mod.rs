//! Helpers shared by the integration tests: the tiny fixture model and its reference numbers.
#![allow(dead_code)]

use serde::Deserialize;
use std::path::PathBuf;

/// `tests/fixtures/tiny-bert`: a complete model folder with random weights (made by `make_tiny_bert.py`).
pub fn tiny_bert_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-bert")
}

#[derive(Debug, Deserialize)]
pub struct Expected {
    pub tolerance: f32,
    pub temperature: f32,
    pub max_length: usize,
    pub cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
pub struct Case {
    pub text: String,
    pub record: Option<serde_json::Map<String, serde_json::Value>>,
    pub ids: Vec<u32>,
    pub logits: Vec<f32>,
}

/// Token ids and logits computed by the independent numpy BERT in `make_tiny_bert.py`.
pub fn expected() -> Expected {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/expected.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

pub fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
}
