//! [`Classifier`]: a loaded model folder that turns records into lure probabilities.
//!
//! INTERFACE STUB — the model helper replaces the bodies; signatures are what the CLI codes against.

use crate::config::{BertConfig, Settings};
use crate::error::Result;
use crate::record::{Record, RecordError};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The decision for one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Legitimate,
    Lure,
}

/// The model's verdict on one record.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// Calibrated probability that the record is a lure, 0–1.
    pub score: f32,
    /// `Lure` when `score >= threshold`.
    pub label: Label,
}

/// The four files of a model folder, in memory (for a model embedded in a binary).
#[derive(Debug, Clone, Copy)]
pub struct ModelFiles<'a> {
    pub config_json: &'a [u8],
    pub safetensors: &'a [u8],
    pub tokenizer_json: &'a [u8],
    pub lurescan_json: &'a [u8],
}

/// Scoring options that do not change the model.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreOptions {
    /// Sequences per forward pass.
    pub batch_size: usize,
    /// Overrides the model folder's threshold.
    pub threshold: Option<f32>,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        ScoreOptions { batch_size: 32, threshold: None }
    }
}

/// A loaded model: `Send + Sync`, so one classifier can serve many threads.
pub struct Classifier {
    _private: (),
}

impl Classifier {
    /// Loads a model folder (`config.json`, `model.safetensors`, `tokenizer.json`, `lurescan.json`); the weights
    /// are memory-mapped.
    pub fn load(dir: impl AsRef<Path>) -> Result<Self> {
        let _ = dir;
        todo!()
    }

    /// Loads a model from the bytes of its four files.
    pub fn from_files(files: ModelFiles<'static>) -> Result<Self> {
        let _ = files;
        todo!()
    }

    pub fn config(&self) -> &BertConfig {
        todo!()
    }

    pub fn settings(&self) -> &Settings {
        todo!()
    }

    /// Scores records; the output has one entry per input record, in input order. A record with no text gets
    /// `Err(RecordError::NoText)`; an error of the model itself fails the whole call.
    pub fn predict(&self, records: &[Record], options: &ScoreOptions) -> Result<Vec<Result<Prediction, RecordError>>> {
        let _ = (records, options);
        todo!()
    }
}
