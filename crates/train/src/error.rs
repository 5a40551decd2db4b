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
    /// No row of a labelled file has a label column (`label`, or `fraudulent`); `columns` are its first row's.
    #[error(
        "{path}: no `label` column (its columns: {}); name the column that holds 1/0, lure/legitimate or \
         fraudulent/real `label`",
        if columns.is_empty() { "none".to_string() } else { columns.join(", ") }
    )]
    NoLabelColumn { path: PathBuf, columns: Vec<String> },
    /// The training records lack lures (`label` 1) or legitimate records (`label` 0); `held_out` says whether the
    /// validation hold-out took them.
    #[error("{path}: the training records have {}{}", missing_class(*label), held_out.explain(*label))]
    MissingClass { path: PathBuf, label: u8, held_out: HeldOut },
    /// A data file without a usable record: none labelled (`labelled`) or none with text, `skipped` bad rows skipped.
    #[error("{path}: no {} records ({skipped} bad rows skipped)", if *labelled { "labelled" } else { "with text" })]
    NoRecords { path: PathBuf, labelled: bool, skipped: u64 },
    #[error("{path}: {message}")]
    Checkpoint { path: PathBuf, message: String },
    /// `--resume` found a checkpoint of other flags or data.
    #[error(
        "{path}: this checkpoint was made with other flags or data: run with the same flags and data, or without \
         --resume to start over"
    )]
    CheckpointMismatch { path: PathBuf },
    /// A checkpoint's `state.json` that does not parse; removing `partial` starts over.
    #[error("{path}: unreadable ({error}): remove {} to start over", partial.display())]
    CheckpointUnreadable { path: PathBuf, partial: PathBuf, error: serde_json::Error },
    /// Weights that candle cannot read or write at `path`.
    #[error("{path}: {}", lurescan::error::candle_message(.error))]
    Weights { path: PathBuf, error: candle_core::Error },
    #[error("invalid training configuration: {0}")]
    Config(String),
    /// An output folder that training must not replace.
    #[error("--out {path}: {reason}")]
    Out { path: PathBuf, reason: OutRefusal },
    #[error("training diverged: the loss became {loss} at epoch {epoch}, step {step} (learning rate {lr:.3e}), so training stopped and wrote no model; train again with a lower --lr, and keep --max-grad-norm on")]
    Diverged { epoch: usize, step: usize, loss: f64, lr: f64 },
    /// The tokenizers crate's error, wrapped once at the edge.
    #[error("tokenizer: {0}")]
    Tokenizer(tokenizers::Error),
    /// A tokenizer that cannot serve (no mask token to pre-train with, only special tokens, a special token at the
    /// wrong id): what is wrong, in words.
    #[error("tokenizer: {0}")]
    TokenizerUnfit(String),
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
        TrainError::Tokenizer(error)
    }
}

/// Why [`TrainError::Out`] refuses an output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutRefusal {
    /// It is a file.
    IsAFile,
    /// It holds (or is) this input file, which replacing it would delete.
    HoldsInput(PathBuf),
    /// It is a folder with other things in it than a model.
    NotAModelFolder,
}

impl std::fmt::Display for OutRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutRefusal::IsAFile => write!(f, "is a file, and the model is a folder: name a new folder"),
            OutRefusal::HoldsInput(input) => {
                write!(f, "holds the input {}, which writing the model there would delete", input.display())
            }
            OutRefusal::NotAModelFolder => write!(
                f,
                "is a folder that is not a model folder (no lurescan.json or config.json), and writing the model \
                 there would delete what it holds: name a new folder, or a model folder to replace"
            ),
        }
    }
}

/// Where the records of a class missing from training went (see [`TrainError::MissingClass`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeldOut {
    /// Nowhere: the data has none.
    None,
    /// The validation hold-out took all `held` of them.
    All { held: usize },
    /// They are all in `groups` groups (the first three `names`, quoted), which the hold-out keeps whole.
    Groups { held: usize, groups: usize, names: Vec<String> },
}

/// "no lures (label 1)" or "no legitimate records (label 0)".
fn missing_class(label: u8) -> &'static str {
    if label == 1 {
        "no lures (label 1)"
    } else {
        "no legitimate records (label 0)"
    }
}

impl HeldOut {
    /// The rest of [`TrainError::MissingClass`]'s message.
    fn explain(&self, label: u8) -> String {
        let what = if label == 1 { "lures" } else { "legitimate records" };
        match self {
            HeldOut::None => ": training needs both lures (label 1) and legitimate records (label 0); add labelled \
                              records of the missing class"
                .into(),
            HeldOut::All { held } => format!(
                " left: the validation hold-out took the file's {held} {what}; lower --valid-fraction, add records, or \
                 pass --valid FILE"
            ),
            HeldOut::Groups { held, groups, names } => format!(
                " left: the file's {held} {what} are in {groups} `group`{} ({}{}), and the validation hold-out keeps \
                 each group whole, so it took them all; a group is meant for near-duplicates: give the records \
                 distinct groups (or none), or pass --valid FILE",
                if *groups == 1 { "" } else { "s" },
                names.join(", "),
                if *groups > 3 { ", …" } else { "" }
            ),
        }
    }
}

impl From<candle_core::Error> for TrainError {
    fn from(error: candle_core::Error) -> Self {
        TrainError::Candle(error)
    }
}

pub type Result<T, E = TrainError> = std::result::Result<T, E>;
