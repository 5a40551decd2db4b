//! `lurescan train` itself: the flags into a [`TrainConfig`], the labelled data into [`TrainData`], then
//! [`lurescan_train::train_observed`]; prints the validation report.

use super::args::{ClassWeightsArg, DecayArg, RefitArg, ThresholdRuleArg, TrainArgs};
use crate::common::UsageError;
use crate::output::{count, skipped_note};
use crate::progress::observer;
use anyhow::{Context, Result};
use lurescan_train::augment::AugmentConfig;
use lurescan_train::config::MIN_MESSAGE_NEGATIVES;
use lurescan_train::metrics::ThresholdRule;
use lurescan_train::schedule::Decay;
use lurescan_train::{ClassWeights, Refit, RunOptions, TrainConfig, TrainData};
use std::path::Path;

/// The TrainConfig JSON in `path` (as `--config` names it, or as recorded under `training.flags`), or the defaults.
/// A key the configuration has no place for (a typo such as `epochz`) is a usage error naming it.
pub fn read_config(path: Option<&Path>) -> Result<TrainConfig> {
    let Some(path) = path else { return Ok(TrainConfig::default()) };
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let given: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{}: not a JSON object", path.display()))?;
    let config: TrainConfig = serde_json::from_value(given.clone())
        .with_context(|| format!("{}: not a TrainConfig JSON object", path.display()))?;
    let unknown = unknown_keys(&given, &serde_json::to_value(&config)?, "");
    if !unknown.is_empty() {
        return Err(UsageError(format!(
            "{}: unknown key{} {}: check the spelling (the keys are those of `training.flags` in a model's \
             lurescan.json, e.g. models/lurescan-base.recipe.json)",
            path.display(),
            if unknown.len() == 1 { "" } else { "s" },
            unknown.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ))
        .into());
    }
    Ok(config)
}

/// What the --init folder was trained with that this run leaves out or changes (its recorded `training.flags`
/// against `config`, for the parts of a recipe that shape the score), as a note saying how to keep them; `None` when
/// they agree or the folder records no flags.
fn recipe_note(init: &Path, config: &TrainConfig) -> Option<String> {
    const RECIPE: [&str; 9] = [
        "exemplars",
        "lexical",
        "indicator_member",
        "warning_log_odds",
        "decisive_log_odds",
        "freeze",
        "cross_fit_message_sources",
        "message_fp_budget",
        "precision",
    ];
    let text = std::fs::read_to_string(init.join(lurescan::ModelFolder::SETTINGS)).ok()?;
    let settings: serde_json::Value = serde_json::from_str(&text).ok()?;
    let recorded = settings.get("training")?.get("flags")?;
    let this_run = serde_json::to_value(config).ok()?;
    let shown = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => "the default".to_string(),
        Some(v) => v.to_string(),
    };
    let differ: Vec<String> = RECIPE
        .iter()
        .filter_map(|&key| {
            let (was, now) = (shown(recorded.get(key)), shown(this_run.get(key)));
            // Two exemplar files count as kept, wherever each path was taken from.
            let differs = match key {
                "exemplars" => (was == "the default") != (now == "the default"),
                _ => was != now,
            };
            differs.then(|| format!("{key} {was} (this run: {now})"))
        })
        .collect();
    (!differ.is_empty()).then(|| {
        format!(
            "note: {} was trained with a recipe this run does not follow: {}. To fine-tune it as it was trained, \
             pass its recipe with --config (for the default model: --config models/lurescan-base.recipe.json \
             --exemplars datasets/exemplars/exemplars.jsonl); flags given on the command line still win",
            init.display(),
            differ.join("; ")
        )
    })
}

/// The keys of `given` (objects compared key by key, down the tree) that `parsed`, the configuration read from it
/// and written back, does not hold; `null`s aside (an unset option is not written back).
fn unknown_keys(given: &serde_json::Value, parsed: &serde_json::Value, prefix: &str) -> Vec<String> {
    let (Some(given), Some(parsed)) = (given.as_object(), parsed.as_object()) else { return Vec::new() };
    let mut unknown = Vec::new();
    for (key, value) in given {
        match parsed.get(key) {
            Some(inner) => unknown.extend(unknown_keys(value, inner, &format!("{prefix}{key}."))),
            None if !value.is_null() => unknown.push(format!("{prefix}{key}")),
            None => {}
        }
    }
    unknown
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
        if self.markup {
            c.render.markup = true;
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
        if self.fresh_head {
            c.fresh_head = true;
        }
        // A value out of range, from a flag or from the --config file, is a usage error (exit 2).
        c.validate().map_err(|e| UsageError(e.to_string()))?;
        Ok(c)
    }
}

/// Below this many training records a fine-tune (`--init` a classifier) is told what it refits on them alone.
const FEW_RECORDS_TO_FINE_TUNE: usize = 5_000;

/// Refuses an `--init` that is not a model folder before any data is read, saying what to give instead: a built-in
/// model's name (`base`, as `score --model` takes it) gets the folder it was built from.
fn check_init(init: &Path) -> Result<()> {
    if init.join(lurescan::ModelFolder::CONFIG).is_file() {
        return Ok(());
    }
    let name = init.to_string_lossy();
    let why = if !init.exists() && lurescan::ModelFiles::BUILTIN.contains(&name.as_ref()) {
        format!(
            "`{name}` is the name of a built-in model, which --init cannot start from: give its folder, \
             models/lurescan-{name} of a clone of the repository (for the default model with its recipe: --init \
             models/lurescan-base --config models/lurescan-base.recipe.json --exemplars \
             datasets/exemplars/exemplars.jsonl)"
        )
    } else if !init.exists() {
        "no such folder".to_string()
    } else if init.is_file() {
        "is a file: --init takes a model folder (config.json, model.safetensors, tokenizer.json)".to_string()
    } else {
        "has no config.json: --init takes a folder written by lurescan train, pretrain or distill, or a Hugging \
         Face BERT folder"
            .to_string()
    };
    Err(UsageError(format!("--init {}: {why}", init.display())).into())
}

pub fn run(args: TrainArgs) -> Result<()> {
    if let Some(threads) = args.threads {
        crate::model::set_threads(threads)?;
    }
    let config = args.to_config()?;
    if let Some(init) = &config.init {
        check_init(init)?;
        if let Some(note) = recipe_note(init, &config) {
            logln!("{note}");
        }
    }
    // Checked again before training; checking first keeps a mistake from costing the reading of the data.
    let inputs: Vec<&Path> = [Some(args.data.as_path()), args.valid.as_deref()].into_iter().flatten().collect();
    lurescan_train::folder::check_out(&args.out, &inputs)?;
    let data = TrainData::load(&args.data, args.valid.as_deref(), &config, args.skip_bad)?;
    // `train` checks this too; checking first keeps a refused run from announcing what it would train on.
    data.check_classes()?;
    for source in &data.sources {
        // Rows skipped by --skip-bad are a warning, which --quiet keeps.
        if !args.quiet || source.skipped_bad_rows > 0 {
            let skipped = skipped_note(source.skipped_bad_rows, &source.skipped_examples);
            let comma = if skipped.is_empty() { "" } else { ", " };
            logln!("{} {}: {}{comma}{skipped}", source.role, source.path.display(), count(source.records, "record"));
        }
    }
    if !args.quiet {
        let lures = |v: &[lurescan_train::data::Example]| v.iter().filter(|e| e.label == 1).count();
        logln!(
            "training on {} ({}), validating on {} ({})",
            count(data.train.len(), "record"),
            count(lures(&data.train), "lure"),
            data.valid.len(),
            count(lures(&data.valid), "lure")
        );
    }
    if let Some(init) = config.init.as_ref().filter(|_| data.train.len() < FEW_RECORDS_TO_FINE_TUNE && !args.quiet) {
        logln!(
            "note: fine-tuning {} on {}: {}, but the \
             lexical member, the ensemble weights, the temperature and the thresholds are fitted on these records \
             alone (in the default model the lexical member carries much of the score). On a few thousand records \
             or fewer the result can score new text worse than {} while its validation figures look better: \
             compare both with `lurescan eval` on records of a source neither has seen. To catch a new scam script \
             without retraining, give its lures as exemplars instead (`lurescan score --exemplars FILE`)",
            init.display(),
            count(data.train.len(), "training record"),
            match config.fresh_head {
                true => "its encoder goes on from where it was and its classifier head starts anew (--fresh-head)",
                false => "its encoder and classifier head go on from where they were",
            },
            init.display()
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
    if let Some(budget) = config.message_fp_budget.filter(|_| outcome.message_threshold.is_none() && !args.quiet) {
        let ordinary_messages = data.valid.iter().filter(|e| e.label == 0 && e.record.is_message()).count();
        logln!(
            "note: messages get no threshold of their own (message_fp_budget {budget}): validation has {}, and a \
             threshold aimed at a share of false positives needs {MIN_MESSAGE_NEGATIVES} or more; messages are judged \
             at the one threshold",
            count(ordinary_messages, "ordinary message")
        );
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
