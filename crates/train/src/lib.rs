//! `lurescan-train` trains, evaluates and fine-tunes lurescan models on labelled data, and pre-trains their encoder
//! as a masked language model on unlabelled text ([`pretrain`]). It builds on the `lurescan` crate's model
//! definition and record rendering and adds only data, loss, optimiser, schedule, metrics and checkpoints. It never
//! prints: progress, each epoch and what is fitted go to a [`TrainObserver`] that the caller implements.
//!
//! ```no_run
//! use lurescan_train::{data, train, OptimConfig, RunOptions, TrainConfig, TrainData};
//! use std::path::Path;
//!
//! let config = TrainConfig { optim: OptimConfig { epochs: 3, ..OptimConfig::default() }, ..TrainConfig::default() };
//! let data = TrainData::load(Path::new("train.jsonl"), None, &config, false)?;
//! let outcome = train(&config, &data, Path::new("my-model"), &RunOptions::default())?;
//! println!("{}", outcome.report.to_table());
//! # Ok::<(), lurescan_train::TrainError>(())
//! ```

pub mod augment;
pub mod batch;
pub(crate) mod checkpoint;
pub mod config;
pub mod data;
pub mod distill;
pub(crate) mod epoch;
pub mod error;
pub mod eval;
pub(crate) mod exemplars;
pub mod fit;
pub mod folder;
pub mod freeze;
pub mod init;
pub mod lexical;
pub mod loss;
pub mod metrics;
pub mod observe;
pub mod optim;
pub mod pretrain;
pub(crate) mod refit;
pub mod schedule;
pub(crate) mod session;
pub mod shard;
pub mod tokenizer;
pub(crate) mod trainer;

/// A point where the fault-injection tests end the process at once, as `kill -9` would there: no unwinding, no
/// clean-up. `LURESCAN_FAULT=NAME` aborts at the first time the point `NAME` is passed, `NAME#N` at the Nth. Unset
/// (always, outside those tests) it costs one environment look-up. The points: `checkpoint-filled` (a checkpoint
/// written beside the last one, not yet swapped in), `folder-filled` (a model folder's files written except
/// `lurescan.json`), `folder-swapped` (the new folder in place, the old one not yet removed).
pub fn fault_point(name: &str) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static HITS: AtomicUsize = AtomicUsize::new(0);
    let Some(fault) = std::env::var_os("LURESCAN_FAULT") else { return };
    let fault = fault.to_string_lossy();
    let (point, nth) = match fault.split_once('#') {
        Some((point, n)) => (point, n.parse().unwrap_or(1)),
        None => (&*fault, 1),
    };
    if point == name && HITS.fetch_add(1, Ordering::SeqCst) + 1 == nth {
        std::process::abort();
    }
}

pub use config::{ClassWeights, ModelShape, OptimConfig, Refit, TrainConfig, UNFITTED_THRESHOLD};
pub use data::{DataSource, TrainData};
pub use error::{Result, TrainError};
pub use eval::evaluate;
pub use metrics::{Metrics, Report};
pub use observe::EpochLog;
pub use observe::TrainObserver;
pub use session::initial_weights;
pub use trainer::{train, train_observed, RunOptions, TrainOutcome};
