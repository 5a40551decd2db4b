//! `lurescan-train` trains, evaluates and fine-tunes lurescan models on labelled data, and pre-trains their encoder
//! as a masked language model on unlabelled text ([`pretrain`]). It builds on the `lurescan` crate's model
//! definition and record rendering and adds only data, loss, optimiser, schedule, metrics and checkpoints.
//!
//! ```no_run
//! use lurescan_train::{data, train, RunOptions, TrainConfig, TrainData};
//! use std::path::Path;
//!
//! let config = TrainConfig { epochs: 3, ..TrainConfig::default() };
//! let data = TrainData::load(Path::new("train.jsonl"), None, &config, false)?;
//! let outcome = train(&config, &data, Path::new("my-model"), &RunOptions { progress: true, ..Default::default() })?;
//! println!("{}", outcome.report.to_table());
//! # Ok::<(), lurescan_train::TrainError>(())
//! ```

pub mod augment;
pub mod checkpoint;
pub mod config;
pub mod data;
pub mod distill;
pub mod error;
pub mod eval;
pub mod exemplars;
pub mod folder;
pub mod freeze;
pub mod lexical;
pub mod metrics;
pub mod optim;
pub mod pretrain;
pub mod schedule;
pub mod shard;
pub mod tokenizer;
pub mod trainer;

pub use config::{ClassWeights, Refit, TrainConfig};
pub use error::{Result, TrainError};
pub use eval::evaluate;
pub use metrics::{Metrics, Report};
pub use trainer::{initial_weights, train, DataSource, EpochLog, RunOptions, TrainData, TrainOutcome};
