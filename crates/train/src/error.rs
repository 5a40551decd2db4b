//! The one error type of the `lurescan-train` crate.

use std::path::PathBuf;

/// What can stop training or evaluation. Messages name the file, the line, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    // The io error is the `source` (printed after the message by `{:#}` and error reporters), not repeated here.
    #[error("cannot read {path}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write {path}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{path}: unknown file type: use .jsonl (one JSON object a line) or .csv with a header row")]
    UnknownFormat { path: PathBuf },
    #[error("{path}:{line}: {message}; fix the row, or pass --skip-bad to skip bad rows and count them")]
    BadRow { path: PathBuf, line: u64, message: String },
    #[error("{path}: {message}")]
    Data { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Checkpoint { path: PathBuf, message: String },
    #[error("invalid training configuration: {0}")]
    Config(String),
    #[error("--out {path}: {message}")]
    Out { path: PathBuf, message: String },
    #[error("training diverged: the loss became {loss} at epoch {epoch}, step {step} (learning rate {lr:.3e}), so training stopped and wrote no model; train again with a lower --lr, and keep --max-grad-norm on")]
    Diverged { epoch: usize, step: usize, loss: f64, lr: f64 },
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    #[error(transparent)]
    Model(#[from] lurescan::Error),
    #[error("{}", lurescan::error::candle_message(.0))]
    Candle(candle_core::Error),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl TrainError {
    /// Wraps the tokenizers crate's boxed error once, at the edge.
    pub(crate) fn tokenizer(error: tokenizers::Error) -> Self {
        TrainError::Tokenizer(error.to_string())
    }
}

impl From<candle_core::Error> for TrainError {
    fn from(error: candle_core::Error) -> Self {
        TrainError::Candle(error)
    }
}

pub type Result<T, E = TrainError> = std::result::Result<T, E>;
