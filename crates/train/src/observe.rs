//! [`TrainObserver`]: how training, pre-training and distillation report what happens while they run — progress
//! through an epoch, each epoch's numbers, and notes — without printing. The library decides what happened; the
//! caller (the command line draws bars and prints lines) decides how it looks. Every method has an empty default,
//! and `()` is the observer that ignores everything.

use lurescan::EnsembleConfig;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One training epoch's numbers (recorded in `lurescan.json` under `training.history`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochLog {
    pub epoch: usize,
    pub train_loss: f64,
    pub valid_loss: f64,
    pub valid_pr_auc: Option<f64>,
    pub sequences_per_second: f64,
}

/// One pre-training epoch's numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PretrainEpoch {
    pub epoch: usize,
    /// Mean negative log-likelihood per masked token.
    pub loss: f64,
    /// Share of masked tokens the model ranked first.
    pub masked_accuracy: f64,
    pub sequences_per_second: f64,
}

/// One distillation epoch's numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistillEpoch {
    pub epoch: usize,
    pub loss: f64,
    /// Mean cosine between the student's and the teacher's mean-pooled embeddings on the held-out texts.
    pub agreement_mean: f64,
    /// The same for the student's first-position state.
    pub agreement_cls: f64,
    /// Share of the teacher's 10 nearest training texts that the student also ranks among its 10 nearest (mean over
    /// the held-out texts, mean-pooled embeddings).
    pub neighbours: f64,
    pub sequences_per_second: f64,
}

/// Which loop an epoch belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// An epoch of [`crate::train`].
    Train,
    /// An epoch of the refit on train + valid ([`crate::Refit::All`]).
    Refit,
    /// An epoch of [`crate::pretrain::pretrain`].
    Pretrain,
    /// An epoch of [`crate::distill::distill`].
    Distill,
}

/// An epoch that starts: `batches` optimiser steps follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpochStart {
    pub stage: Stage,
    /// 1-based.
    pub epoch: usize,
    pub epochs: usize,
    pub batches: usize,
}

/// Where an epoch stands after a batch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchDone {
    /// Mean loss of the epoch so far.
    pub loss: f64,
    pub sequences_per_second: f64,
}

/// Something worth telling the user while a run goes on.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event<'a> {
    /// `init` was a model folder: its tokenizer, size and encoder are kept; with `fresh_head_seed` it had no
    /// classification head (or `head_dropped`: `--fresh-head` left its head out), which starts from that seed;
    /// `unused` tensors (all of the masked-LM head when `unused_are_mlm_head`) are left out.
    InitFrom {
        dir: &'a Path,
        fresh_head_seed: Option<u64>,
        head_dropped: bool,
        unused: usize,
        unused_are_mlm_head: bool,
    },
    /// `--resume`: the run continues after epoch `epochs_done` of the checkpoint in `dir`; or (`epochs_done` 0)
    /// there was no checkpoint to resume, and it starts from the first epoch.
    Resumed { dir: &'a Path, epochs_done: usize },
    /// A frozen encoder's features read from the feature cache.
    FeaturesRead { count: usize },
    /// A frozen encoder's features of `count` new inputs computed at the start of an epoch.
    FeaturesComputed { stage: Stage, epoch: usize, count: usize, seconds: f64 },
    /// A training epoch ended (after validation).
    Epoch { log: &'a EpochLog, epochs: usize },
    /// No better validation score for `patience` epochs: training stops, keeping `best_epoch`. `by_pr_auc` is false
    /// when validation had no lures to rank and the loss was the measure.
    StoppedEarly { epoch: usize, patience: usize, best_epoch: usize, by_pr_auc: bool },
    /// The lexical member and the ensemble fitted on validation: the lexical member's validation PR-AUC alone and
    /// the weights (and the messages' own, with `cross_fit_message_sources`); with exemplars that have a weight, the
    /// validation PR-AUC of their margin alone and that weight.
    Ensemble {
        lexical_pr_auc: Option<f64>,
        ensemble: EnsembleConfig,
        message_ensemble: Option<EnsembleConfig>,
        exemplars: Option<ExemplarFit>,
    },
    /// A refit epoch ended.
    RefitEpoch { epoch: usize, epochs: usize, records: usize, loss: f64, sequences_per_second: f64 },
    /// Pre-training starts.
    PretrainStart { records: usize, windows: usize, max_len: usize, tokens: usize, vocab_size: usize },
    /// A pre-training epoch ended.
    PretrainEpoch { log: &'a PretrainEpoch, epochs: usize },
    /// The teacher's embeddings of `texts` texts read from the cache file `path`.
    TeacherCached { texts: usize, path: &'a Path },
    /// The teacher starts embedding `texts` texts with its `layers` layers.
    TeacherStart { texts: usize, layers: usize },
    /// The teacher is done.
    TeacherDone { seconds: f64, texts_per_second: f64 },
    /// The student as taken from the teacher (`layers`; empty when it continues a given student), before
    /// distillation: its agreement with the teacher on the held-out texts (mean-pooled, first position, shared
    /// nearest neighbours).
    StudentStart { layers: &'a [usize], held_out: usize, agreement_mean: f64, agreement_cls: f64, neighbours: f64 },
    /// A distillation epoch ended.
    DistillEpoch { log: &'a DistillEpoch, epochs: usize },
}

/// The exemplars' part of the ensemble (see [`Event::Ensemble`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExemplarFit {
    /// Validation PR-AUC of the exemplar margin alone.
    pub pr_auc: Option<f64>,
    pub weight: f32,
}

/// Receives what a run reports. Every method does nothing unless implemented.
pub trait TrainObserver {
    /// An epoch starts.
    fn epoch_start(&mut self, _start: &EpochStart) {}
    /// A batch of the current epoch is done.
    fn batch_done(&mut self, _progress: &BatchDone) {}
    /// The current epoch's batches are done (or it stopped on an error).
    fn epoch_end(&mut self) {}
    /// Something happened that is worth telling.
    fn event(&mut self, _event: &Event) {}
}

/// Ignores everything.
impl TrainObserver for () {}
