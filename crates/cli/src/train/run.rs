//! `lurescan train` itself: the flags into a [`TrainConfig`], the labelled data into [`TrainData`], then
//! [`lurescan_train::train_observed`]; prints the validation report.

use super::args::{ClassWeightsArg, DecayArg, RefitArg, ThresholdRuleArg, TrainArgs};
use crate::common::UsageError;
use crate::output::count;
use crate::progress::observer;
use anyhow::{Context, Result};
use lurescan_train::augment::AugmentConfig;
use lurescan_train::metrics::ThresholdRule;
use lurescan_train::schedule::Decay;
use lurescan_train::{ClassWeights, Refit, RunOptions, TrainConfig, TrainData};
use std::path::Path;

/// The TrainConfig JSON in `path` (as `--config` names it, or as recorded under `training.flags`), or the defaults.
pub fn read_config(path: Option<&Path>) -> Result<TrainConfig> {
    let Some(path) = path else { return Ok(TrainConfig::default()) };
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}: not a TrainConfig JSON object", path.display()))
}

impl TrainArgs {
    /// The training configuration: `--config` (or the defaults), then each flag given.
    pub fn to_config(&self) -> Result<TrainConfig> {
        let mut c = read_config(self.config.as_deref())?;
        macro_rules! set {
            ($($field:ident => $target:expr),* $(,)?) => { $( if let Some(v) = self.$field { $target = v; } )* };
        }
        set!(epochs => c.optim.epochs, batch_size => c.optim.batch_size, lr => c.optim.lr, seed => c.seed,
             max_len => c.shape.max_len, hidden_size => c.shape.hidden_size, layers => c.shape.layers,
             heads => c.shape.heads, vocab_size => c.shape.vocab_size, dropout => c.shape.dropout,
             weight_decay => c.optim.optimizer.weight_decay, warmup => c.optim.warmup_ratio,
             max_grad_norm => c.optim.max_grad_norm, patience => c.patience, valid_fraction => c.valid_fraction,
             shards => c.shards, freeze_layers => c.freeze.layers, layer_lr_decay => c.freeze.layer_lr_decay);
        if self.freeze_embeddings {
            c.freeze.embeddings = true;
        }
        if self.half {
            c.half = true;
        }
        if self.deobfuscate {
            c.render.deobfuscate = true;
        }
        if self.fold_traditional {
            c.render.fold_traditional = true;
        }
        if let Some(precision) = self.precision {
            c.precision = precision;
        }
        if let Some(d) = self.decay {
            c.optim.decay = match d {
                DecayArg::Linear => Decay::Linear,
                DecayArg::Cosine => Decay::Cosine,
            };
        }
        if let Some(w) = self.class_weights {
            c.class_weights = match w {
                ClassWeightsArg::Balanced => ClassWeights::Balanced,
                ClassWeightsArg::Sqrt => ClassWeights::Sqrt,
                ClassWeightsArg::None => ClassWeights::None,
            };
        }
        if let Some(r) = self.threshold_rule {
            c.threshold_rule = match r {
                ThresholdRuleArg::HalfBestF1 => ThresholdRule::HalfBestF1,
                ThresholdRuleArg::BestF1 => ThresholdRule::BestF1,
            };
        }
        if let Some(p) = self.target_precision {
            c.target_precision = Some(p as f64);
        }
        if self.no_augment {
            c.augment = AugmentConfig::off();
        }
        if self.lexical {
            c.lexical = true;
        }
        if self.no_lexical {
            c.lexical = false;
        }
        if let Some(b) = self.message_fp_budget {
            c.message_fp_budget = Some(b as f64);
        }
        if self.no_message_threshold {
            c.message_fp_budget = None;
        }
        if let Some(path) = &self.exemplars {
            c.exemplars = Some(path.clone());
        }
        if let Some(r) = self.refit {
            c.refit = match r {
                RefitArg::None => Refit::None,
                RefitArg::Lexical => Refit::Lexical,
                RefitArg::All => Refit::All,
            };
        }
        if self.init.is_some() {
            c.init = self.init.clone();
        }
        // A value out of range, from a flag or from the --config file, is a usage error (exit 2).
        c.validate().map_err(|e| UsageError(e.to_string()))?;
        Ok(c)
    }
}

pub fn run(args: TrainArgs) -> Result<()> {
    if let Some(threads) = args.threads {
        crate::model::set_threads(threads)?;
    }
    let config = args.to_config()?;
    let data = TrainData::load(&args.data, args.valid.as_deref(), &config, args.skip_bad)?;
    // `train` checks this too; checking first keeps a refused run from announcing what it would train on.
    data.check_classes()?;
    if !args.quiet {
        for source in &data.sources {
            logln!(
                "{} {}: {}{}",
                source.role,
                source.path.display(),
                count(source.records, "record"),
                if source.skipped_bad_rows > 0 {
                    format!(", {} skipped", count(source.skipped_bad_rows, "bad row"))
                } else {
                    String::new()
                }
            );
        }
        let lures = |v: &[lurescan_train::data::Example]| v.iter().filter(|e| e.label == 1).count();
        logln!(
            "training on {} ({}), validating on {} ({})",
            count(data.train.len(), "record"),
            count(lures(&data.train), "lure"),
            data.valid.len(),
            count(lures(&data.valid), "lure")
        );
    }
    if args.valid.is_none() && config.valid_fraction == 0.0 && !args.quiet {
        logln!(
            "--valid-fraction 0: still holding out one record (or group) of each class, since the threshold, \
             calibration and early stopping need validation data; pass --valid FILE to choose it"
        );
    }
    // Printed even with --quiet: the model it leads to has an unfitted threshold.
    for warning in [data.validation_warning(), data.overlap_warning()].into_iter().flatten() {
        logln!("warning: {warning}");
    }
    let run = RunOptions {
        resume: args.resume,
        stop_after_epochs: args.stop_after,
        feature_cache: args.feature_cache.clone(),
    };
    let outcome = lurescan_train::train_observed(&config, &data, &args.out, &run, &mut *observer(args.quiet))?;
    if !outcome.finished {
        logln!("stopped after {}; continue with --resume", count(outcome.history.len(), "epoch"));
        return Ok(());
    }
    let messages = outcome.message_threshold.map_or(String::new(), |t| format!(", messages {t:.4}"));
    let validation = match config.refit {
        Refit::None => "validation",
        Refit::Lexical | Refit::All => "validation (of the model before the refit on train + valid)",
    };
    outln!(
        "wrote {} (best epoch {}, temperature {:.3}, threshold {:.4}{messages})\n{validation}:\n{}",
        args.out.display(),
        outcome.best_epoch,
        outcome.temperature,
        outcome.threshold,
        outcome.report.to_table()
    )?;
    Ok(())
}
