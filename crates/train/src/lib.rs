//! `lurescan-train` trains, evaluates and fine-tunes lurescan models on labelled data. It builds on the `lurescan`
//! crate's model definition and record rendering and adds only data, loss, optimiser, schedule, metrics and
//! checkpoints.

pub mod error;
pub mod metrics;
pub mod tokenizer;

pub use error::{Result, TrainError};
