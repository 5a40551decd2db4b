//! Helpers shared by the integration tests: the tiny fixture model and its reference numbers.
#![allow(dead_code)]

use lurescan::{ModelFiles, ModelFolder};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// `tests/fixtures/tiny-bert`: a complete model folder with random weights (made by `make_tiny_bert.py`).
pub fn tiny_bert_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-bert")
}

/// The four files a model folder needs, read into memory (to load it with `Classifier::from_files`).
pub struct FolderBytes {
    pub config: Vec<u8>,
    pub weights: Vec<u8>,
    pub tokenizer: Vec<u8>,
    pub settings: Vec<u8>,
}

impl FolderBytes {
    pub fn read(dir: &Path) -> FolderBytes {
        let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
        FolderBytes {
            config: read(ModelFolder::CONFIG),
            weights: read(ModelFolder::WEIGHTS),
            tokenizer: read(ModelFolder::TOKENIZER),
            settings: read(ModelFolder::SETTINGS),
        }
    }

    /// The files, with no lexical member and no exemplars.
    pub fn files(&self) -> ModelFiles<'_> {
        ModelFiles {
            config_json: &self.config,
            safetensors: &self.weights,
            tokenizer_json: &self.tokenizer,
            lurescan_json: &self.settings,
            lexical_safetensors: None,
            exemplars_jsonl: None,
            exemplars_safetensors: None,
        }
    }
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
