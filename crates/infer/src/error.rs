//! The one error type of the `lurescan` crate.

use std::path::PathBuf;

/// What can go wrong when loading a model folder or running the model. Per-record problems (broken JSON, no text)
/// are [`crate::RecordError`]s instead: they are reported for that record and never stop a batch.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a model folder: {what} is missing (a model folder holds config.json, model.safetensors, tokenizer.json and lurescan.json)")]
    MissingFile { path: PathBuf, what: &'static str },
    #[error("{path}: invalid JSON: {source}")]
    Json { path: PathBuf, source: serde_json::Error },
    #[error("{path}: {message}")]
    InvalidModel { path: PathBuf, message: String },
    /// A line of an exemplars file that cannot be used ([`crate::exemplars`]).
    #[error("{path}, line {line}: {message}")]
    Exemplars { path: PathBuf, line: usize, message: String },
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    #[error(transparent)]
    Candle(#[from] candle_core::Error),
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// Wraps the tokenizers crate's boxed error once, at the edge.
    pub(crate) fn tokenizer(error: tokenizers::Error) -> Self {
        Error::Tokenizer(error.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
