//! The one error type of the `lurescan` crate.

use std::path::PathBuf;

/// What can go wrong when loading a model folder or running the model. Per-record problems (broken JSON, no text)
/// are [`crate::RecordError`]s instead: they are reported for that record and never stop a batch.
///
/// Each message is whole: the io, JSON or candle error it wraps is part of it and is not also its `source()`, so
/// `{}` and `{:#}` (which prints the chain of sources) both say it once. A candle error is shown without the
/// backtrace candle attaches when `RUST_BACKTRACE` is set ([`candle_message`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {error}")]
    Io { path: PathBuf, error: std::io::Error },
    #[error("{path} is not a model folder: {what} is missing (a model folder holds config.json, model.safetensors, tokenizer.json and lurescan.json)")]
    MissingFile { path: PathBuf, what: &'static str },
    /// The path given as a model folder does not exist, or is a file.
    #[error("{path}: {what}")]
    NotAFolder { path: PathBuf, what: &'static str },
    /// Writing a file or folder failed. Unlike [`Error::Io`] the io error is the `source()` (printed after the
    /// message by `{:#}`), so that a caller can tell a full disk from a refused permission by its kind.
    #[error("cannot write {path}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{path}: invalid JSON: {error}")]
    Json { path: PathBuf, error: serde_json::Error },
    #[error("{path}: {message}")]
    InvalidModel { path: PathBuf, message: String },
    /// A line of an exemplars file that cannot be used ([`crate::exemplars`]).
    #[error("{path}, line {line}: {message}")]
    Exemplars { path: PathBuf, line: usize, message: String },
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    #[error("{}", candle_message(.0))]
    Candle(candle_core::Error),
    #[error("{0}")]
    Other(String),
}

impl From<candle_core::Error> for Error {
    fn from(error: candle_core::Error) -> Self {
        Error::Candle(error)
    }
}

/// A candle error's message without the backtrace candle captures into it when `RUST_BACKTRACE` is set (a user
/// sees the message; a developer can still get the backtrace from the error itself), context and path kept.
pub fn candle_message(error: &candle_core::Error) -> String {
    use candle_core::Error as E;
    match error {
        E::WithBacktrace { inner, .. } => candle_message(inner),
        E::Context { inner, context } => format!("{context}: {}", candle_message(inner)),
        E::WithPath { inner, path } => format!("{}: {}", path.display(), candle_message(inner)),
        other => other.to_string(),
    }
}

impl Error {
    /// Wraps the tokenizers crate's boxed error once, at the edge.
    pub(crate) fn tokenizer(error: tokenizers::Error) -> Self {
        Error::Tokenizer(error.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
