//! [`train`]: a whole training run. It checks the flags, data and output folder, starts or resumes the model,
//! runs the epochs with validation after each (early stopping on PR-AUC, a checkpoint in `OUT.partial/checkpoint/`
//! between epochs, so that a resumed run is bit for bit the uninterrupted one), fits calibration, ensemble and
//! thresholds on validation ([`crate::fit`]), refits if asked ([`crate::refit`]), and writes the model folder.

use crate::checkpoint::{Checkpoint, CheckpointState};
use crate::config::TrainConfig;
use crate::data::TrainData;
use crate::epoch::EpochRun;
use crate::error::{Result, TrainError};
use crate::fit::{fit, Fitted};
use crate::folder::{self, FolderContents};
use crate::freeze::FeatureCache;
use crate::loss::{class_weights, mean_nll};
use crate::metrics::{calibrated, Report};
use crate::observe::{EpochLog, Event, Stage, TrainObserver};
use crate::refit::refit;
use crate::session::Session;
use lurescan::exemplars::ExemplarSet;
use lurescan::{render, Precision};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

/// How this process runs the training (not part of the result, so not recorded).
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Continue from `OUT.partial/checkpoint/` if it exists.
    pub resume: bool,
    /// Stop after this many epochs of this run, leaving the checkpoint (as an interruption would).
    pub stop_after_epochs: Option<usize>,
    /// When only the head trains (a frozen encoder), keep the encoder's features in this file between runs
    /// (reused only by a run whose encoder has the same weights; the result is the same with or without it).
    pub feature_cache: Option<PathBuf>,
}

/// What a finished (or stopped) run produced.
#[derive(Debug, Clone)]
pub struct TrainOutcome {
    /// False when `stop_after_epochs` stopped the run before the end: no model folder was written.
    pub finished: bool,
    pub history: Vec<EpochLog>,
    pub best_epoch: usize,
    pub temperature: f32,
    pub threshold: f32,
    /// The messages' own threshold, when they got one (see [`TrainConfig::message_fp_budget`]).
    pub message_threshold: Option<f32>,
    /// Validation report at the chosen threshold, on calibrated probabilities (of the model before any refit).
    pub report: Report,
    /// Calibrated validation probabilities, in `data.valid` order (of the model before any refit).
    pub valid_scores: Vec<f32>,
}

/// Trains a model on `data` and writes the model folder `out` (atomically, at the end). Checkpoints go to
/// `OUT.partial/checkpoint/` after each epoch.
pub fn train(config: &TrainConfig, data: &TrainData, out: &Path, run: &RunOptions) -> Result<TrainOutcome> {
    train_observed(config, data, out, run, &mut ())
}

/// [`train`], reporting its progress, each epoch and what it fits to `observer`.
pub fn train_observed(
    config: &TrainConfig,
    data: &TrainData,
    out: &Path,
    run: &RunOptions,
    observer: &mut dyn TrainObserver,
) -> Result<TrainOutcome> {
    config.validate()?;
    // A bad exemplars file stops the run before any work, with the file and line named.
    if let Some(path) = &config.exemplars {
        ExemplarSet::load(path)?;
    }
    if let Some(role) = [("train", &data.train), ("valid", &data.valid)].iter().find(|(_, v)| v.is_empty()).map(|r| r.0)
    {
        let message = format!(
            "no {} records to {} on: a model needs labelled lures and legitimate records for both training and \
             validation; give more labelled records{}",
            if role == "train" { "training" } else { "validation" },
            if role == "train" { "train" } else { "validate" },
            if data.sources.iter().any(|s| s.role == "valid") { "" } else { ", or a validation file with --valid" }
        );
        return Err(TrainError::Data { path: data.path_of(role), message });
    }
    data.check_classes()?;
    let inputs: Vec<&Path> = data.sources.iter().map(|s| s.path.as_path()).collect();
    folder::check_out(out, &inputs)?;
    let partial = folder::partial_dir(out);
    let checkpoint = Checkpoint::new(&partial);
    let state_key = CheckpointState::key(config, data)?;
    let resumed = if run.resume { checkpoint.load_state()? } else { None };

    let (mut session, mut state) = match resumed {
        Some(state) => {
            if state.key != state_key {
                return Err(TrainError::CheckpointMismatch { path: checkpoint.dir().to_path_buf() });
            }
            let session = checkpoint.load_session(config.freeze)?;
            observer.event(&Event::Resumed { dir: checkpoint.dir(), epochs_done: state.epochs_done });
            (session, state)
        }
        None => {
            if run.resume {
                observer.event(&Event::Resumed { dir: checkpoint.dir(), epochs_done: 0 });
            }
            checkpoint.clear()?;
            (Session::initial(config, data, observer)?, CheckpointState::new(state_key))
        }
    };
    let max_len = config.shape.max_len.min(session.bert.max_position_embeddings);
    let mut optimizer = session.optimizer(&config.optim.optimizer)?;
    let cache_key = match (&run.feature_cache, session.head_only()) {
        (Some(_), true) => Some(session.encoder_key()?),
        _ => None,
    };
    let mut cache = match (&run.feature_cache, &cache_key) {
        (Some(path), Some(key)) => FeatureCache::load(path, key)?,
        _ => FeatureCache::new(),
    };
    if !cache.is_empty() {
        observer.event(&Event::FeaturesRead { count: cache.len() });
    }
    let mut best = match state.epochs_done {
        0 => session.weights()?,
        _ => {
            optimizer.load_state(&checkpoint.load_optimizer()?)?;
            checkpoint.load_best()?
        }
    };

    let weights = class_weights(config.class_weights, data.train.iter().map(|e| e.label));
    let schedule = config.optim.schedule(data.train.len());
    let valid_ids = session.encode(data.valid.iter().map(|e| render(&e.record, &session.render)), max_len)?;
    let valid_labels: Vec<u8> = data.valid.iter().map(|e| e.label).collect();

    let mut epochs_this_run = 0;
    while state.epochs_done < config.optim.epochs && !state.stopped_early {
        if run.stop_after_epochs.is_some_and(|n| epochs_this_run >= n) {
            return Ok(TrainOutcome {
                finished: false,
                history: state.history,
                best_epoch: state.best_epoch,
                temperature: 1.0,
                threshold: 0.5,
                message_threshold: None,
                report: Report::compute(&[], &[], &[], 0.5),
                valid_scores: Vec::new(),
            });
        }
        let epoch = state.epochs_done + 1;
        let run_epoch = EpochRun {
            config,
            session: &session,
            train: &data.train,
            class_weights: weights,
            schedule,
            epochs: config.optim.epochs,
        };
        let (train_loss, rate) =
            run_epoch.run(&mut optimizer, epoch, &mut state.step, Stage::Train, &mut cache, observer)?;

        let margins = session.margins_cached(&valid_ids, config.optim.batch_size.max(32), &mut cache)?;
        let probs: Vec<f32> = margins.iter().map(|&m| calibrated(m, 1.0)).collect();
        let pr_auc = crate::metrics::average_precision(&probs, &valid_labels);
        let valid_loss = mean_nll(&margins, &valid_labels);
        // The last step of the epoch may have broken the weights: they must not reach a checkpoint or a folder.
        if !valid_loss.is_finite() || margins.iter().any(|m| !m.is_finite()) {
            return Err(TrainError::Diverged {
                epoch,
                step: state.step,
                loss: if valid_loss.is_finite() { f64::NAN } else { valid_loss },
                lr: schedule.lr(state.step.saturating_sub(1)),
            });
        }
        let log = EpochLog { epoch, train_loss, valid_loss, valid_pr_auc: pr_auc, sequences_per_second: rate };
        observer.event(&Event::Epoch { log: &log, epochs: config.optim.epochs });
        state.history.push(log);
        // Without positives in validation, PR-AUC is undefined: fall back to the validation loss.
        let score = pr_auc.unwrap_or(-valid_loss);
        if state.best_epoch == 0 || score > state.best_score {
            state.best_score = score;
            state.best_epoch = epoch;
            state.bad_epochs = 0;
            best = session.weights()?;
        } else {
            state.bad_epochs += 1;
            // Not after the last epoch: the run ends there anyway, and did not stop early.
            if config.patience > 0 && state.bad_epochs >= config.patience && epoch < config.optim.epochs {
                state.stopped_early = true;
                observer.event(&Event::StoppedEarly {
                    epoch,
                    patience: config.patience,
                    best_epoch: state.best_epoch,
                    by_pr_auc: pr_auc.is_some(),
                });
            }
        }
        state.epochs_done = epoch;
        checkpoint.save(&session, &optimizer, &best, &state)?;
        epochs_this_run += 1;
    }

    // The best epoch's weights, calibrated and thresholded on validation scored at the folder's precision (the
    // cached features are fp32's); then back to fp32, which the refit below trains with (int8 has no backward).
    session.set_weights(&best, checkpoint.dir())?;
    session.model.set_precision(config.precision)?;
    let margins = match config.precision {
        Precision::Fp32 => session.margins_cached(&valid_ids, config.optim.batch_size.max(32), &mut cache)?,
        Precision::Int8 => session.margins(&valid_ids, config.optim.batch_size.max(32))?,
    };
    let fitted = fit(config, data, &session, &margins, max_len, observer);
    session.model.set_precision(Precision::Fp32)?;
    let Fitted { mut settings, lexical, exemplars, scores, report } = fitted?;
    settings.extra = training_record(config, data, &state, &report)?;
    settings.set_precision(config.precision);
    let (refit_session, lexical) = refit(config, data, &session, lexical, state.best_epoch, &mut cache, observer)?;
    if let (Some(path), Some(key)) = (&run.feature_cache, &cache_key) {
        cache.save(path, key)?;
    }
    let final_session = refit_session.as_ref().unwrap_or(&session);
    folder::write_atomically(
        out,
        &FolderContents {
            bert: &final_session.bert,
            varmap: &final_session.varmap,
            tokenizer_json: &final_session.tokenizer_json,
            settings: &settings,
            lexical: lexical.as_ref(),
            half: config.half,
            exemplars: exemplars.as_ref(),
        },
    )?;
    checkpoint.remove_partial()?;
    Ok(TrainOutcome {
        finished: true,
        history: state.history,
        best_epoch: state.best_epoch,
        temperature: settings.temperature,
        threshold: settings.threshold,
        message_threshold: settings.message_threshold,
        report,
        valid_scores: scores,
    })
}

/// What `lurescan.json` records besides threshold, temperature, length and rendering: `training` (flags, data
/// files with sha256, record counts, epochs, history) and `metrics.valid`.
pub(crate) fn training_record(
    config: &TrainConfig,
    data: &TrainData,
    state: &CheckpointState,
    report: &Report,
) -> Result<Map<String, Value>> {
    let training = json!({
        "tool": format!("lurescan-train {}", env!("CARGO_PKG_VERSION")),
        "flags": config,
        "data": data.sources,
        "train_records": data.train.len(),
        "train_lures": data.train.iter().filter(|e| e.label == 1).count(),
        "valid_records": data.valid.len(),
        "valid_lures": data.valid.iter().filter(|e| e.label == 1).count(),
        // False when validation lacked a class: threshold, temperature and ensemble weights are fixed defaults.
        "fitted_on_validation": data.validation_has_both_classes(),
        "epochs_run": state.epochs_done,
        "best_epoch": state.best_epoch,
        "stopped_early": state.stopped_early,
        "steps": state.step,
        "history": state.history,
    });
    let mut extra = Map::new();
    extra.insert("training".into(), training);
    extra.insert("metrics".into(), json!({ "valid": report }));
    Ok(extra)
}
