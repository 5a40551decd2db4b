//! [`TrainConfig`]: every training flag in one serde struct, recorded as-is in the model folder's
//! `lurescan.json`, and the [`BertConfig`] it implies for a model trained from scratch. [`OptimConfig`] and
//! [`ModelShape`] are the parts it shares with [`crate::pretrain::PretrainConfig`], flattened into both so that
//! their JSON stays one flat object with the fields in the order they always had.

use crate::augment::AugmentConfig;
use crate::error::{Result, TrainError};
use crate::freeze::FreezeConfig;
use crate::metrics::ThresholdRule;
use crate::optim::AdamWConfig;
use crate::schedule::{Decay, Schedule};
use lurescan::{BertConfig, Precision, RenderConfig};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// How the loss weighs the two classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClassWeights {
    /// Every example counts the same.
    None,
    /// Each class weighs `n / (2 · n_class)`: both classes count as much in total.
    Balanced,
    /// The square root of the balanced weights: a middle way for very skewed data.
    Sqrt,
}

/// What is trained again, once validation has chosen the epoch count, calibration, ensemble weights and
/// thresholds, on the training and validation data together (more data, at the price of validation figures that
/// describe the model before the refit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Refit {
    /// Nothing: the model is the one validation measured.
    #[default]
    None,
    /// The lexical member only (seconds).
    Lexical,
    /// The lexical member and the BERT, for the best epoch count, from the same initial weights.
    All,
}

/// How a run optimises: how long, in what batches, on what learning-rate schedule, with what AdamW. `Default` is
/// training's; pre-training starts from [`crate::pretrain::PretrainConfig::shaped_like`]'s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OptimConfig {
    pub epochs: usize,
    pub batch_size: usize,
    /// Peak learning rate.
    pub lr: f64,
    /// Share of all steps spent warming up linearly from 0 to `lr`.
    pub warmup_ratio: f64,
    pub decay: Decay,
    /// Gradients are scaled down to this global L2 norm (0 = no clipping).
    pub max_grad_norm: f64,
    pub optimizer: AdamWConfig,
}

impl Default for OptimConfig {
    fn default() -> Self {
        OptimConfig {
            epochs: 5,
            batch_size: 32,
            lr: 5e-4,
            warmup_ratio: 0.06,
            decay: Decay::Linear,
            max_grad_norm: 1.0,
            optimizer: AdamWConfig::default(),
        }
    }
}

impl OptimConfig {
    /// The learning-rate schedule of `epochs` epochs over `examples` examples a step of `batch_size` at a time.
    pub fn schedule(&self, examples: usize) -> Schedule {
        let total_steps = examples.div_ceil(self.batch_size) * self.epochs;
        Schedule::with_warmup_ratio(self.lr, self.warmup_ratio, total_steps, self.decay)
    }

    /// Refuses a run of no epochs or empty batches, or of `shards` 0 shards per batch (checked together: one
    /// message names the three).
    pub(crate) fn validate_counts(&self, shards: usize) -> Result<()> {
        if self.epochs == 0 || self.batch_size == 0 || shards == 0 {
            return Err(TrainError::Config("--epochs, --batch-size and --shards must be at least 1".into()));
        }
        Ok(())
    }

    /// Refuses a learning rate that is not a positive number.
    pub(crate) fn validate_lr(&self) -> Result<()> {
        if !(self.lr > 0.0 && self.lr.is_finite()) {
            return Err(TrainError::Config(format!("--lr {} must be positive", self.lr)));
        }
        Ok(())
    }
}

/// The size of a BERT trained from scratch, and the length of its inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModelShape {
    /// Inputs are cut to this many tokens, the special tokens included (`[CLS]` and `[SEP]`, or `<s>` and `</s>`).
    pub max_len: usize,
    pub hidden_size: usize,
    pub layers: usize,
    pub heads: usize,
    /// Feed-forward width; 4 × `hidden_size` when absent.
    pub intermediate_size: Option<usize>,
    pub vocab_size: usize,
    /// Hidden, attention and classifier dropout.
    pub dropout: f64,
}

impl Default for ModelShape {
    fn default() -> Self {
        ModelShape {
            max_len: 128,
            hidden_size: 128,
            layers: 2,
            heads: 4,
            intermediate_size: None,
            vocab_size: 8000,
            dropout: 0.1,
        }
    }
}

impl ModelShape {
    /// The model config of this shape with a tokenizer of `vocab_size` tokens.
    pub fn bert_config(&self, vocab_size: usize) -> BertConfig {
        BertConfig {
            vocab_size,
            hidden_size: self.hidden_size,
            num_hidden_layers: self.layers,
            num_attention_heads: self.heads,
            intermediate_size: self.intermediate_size.unwrap_or(4 * self.hidden_size),
            hidden_dropout_prob: self.dropout,
            attention_probs_dropout_prob: self.dropout,
            max_position_embeddings: self.max_len.max(128).next_power_of_two().min(512),
            ..BertConfig::default()
        }
    }

    /// Refuses a width that the heads do not divide.
    pub(crate) fn validate_heads(&self) -> Result<()> {
        if self.heads == 0 || !self.hidden_size.is_multiple_of(self.heads) {
            return Err(TrainError::Config(format!(
                "--hidden-size {} must be a multiple of --heads {}",
                self.hidden_size, self.heads
            )));
        }
        Ok(())
    }

    /// Refuses an input length outside 3..=512.
    pub(crate) fn validate_len(&self) -> Result<()> {
        if self.max_len < 3 || self.max_len > 512 {
            return Err(TrainError::Config(format!("--max-len {} must be between 3 and 512", self.max_len)));
        }
        Ok(())
    }
}

/// Training flags. `Default` is a small model that trains in minutes on two CPU cores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainConfig {
    /// Epochs, batch size, learning rate and schedule, gradient clipping and AdamW (flattened: `epochs`, `lr`, …).
    #[serde(flatten)]
    pub optim: OptimConfig,
    pub seed: u64,
    /// Input length and the size of a model trained from scratch (flattened: `max_len`, `hidden_size`, …).
    #[serde(flatten)]
    pub shape: ModelShape,
    pub class_weights: ClassWeights,
    /// Stop after this many epochs without a better validation PR-AUC (0 = never stop early).
    pub patience: usize,
    /// Share of the training file held out for validation when there is no validation file. Validation is needed
    /// (threshold, calibration, early stopping), so even 0 holds out one record or group of each class that has
    /// two or more (see [`crate::data::holdout`]).
    pub valid_fraction: f64,
    /// How the threshold is chosen on the validation data (the postings, when messages get their own).
    pub threshold_rule: ThresholdRule,
    /// Choose the threshold as the lowest reaching this validation precision, instead of by `threshold_rule`.
    pub target_precision: Option<f64>,
    pub augment: AugmentConfig,
    pub render: RenderConfig,
    /// Batches per shuffled chunk that is sorted by length before batching (less padding; 1 = no bucketing).
    pub bucket_batches: usize,
    /// Each batch is split into this many shards whose forward and backward passes run in parallel, one per
    /// thread. Part of the result (dropout masks and float rounding depend on it), so fixed here rather than taken
    /// from the thread count; more shards than threads cost little.
    pub shards: usize,
    /// Fine-tune this model folder (its tokenizer, config and rendering are kept; size flags are ignored).
    pub init: Option<PathBuf>,
    /// With `init`: leave out the folder's pooler and classifier and start them from `seed`, as for an encoder
    /// without a head. A head that was refitted on train + valid (the default `refit`) has seen the validation
    /// records, so fine-tuning it again would validate on them optimistically; a fresh head does not.
    pub fresh_head: bool,
    /// Also train the lexical ensemble member (`lexical.safetensors`, a hashed n-gram logistic regression that reads
    /// the whole text) and combine it with the BERT (weights fitted on validation data).
    pub lexical: bool,
    /// L2 penalty of the lexical model (`0.5 · l2 · ‖w‖²` added to the mean class-weighted log-loss).
    pub lexical_l2: f64,
    /// Give messages (records whose only field is `text`) their own threshold: the lowest that flags at most this
    /// share of the validation's non-lure messages, never above the main threshold. Lure messages are rare in
    /// training data and score low, so a threshold chosen mostly on postings misses them. `None`, or fewer than
    /// [`MIN_MESSAGE_NEGATIVES`] non-lure validation messages: one threshold for every record.
    pub message_fp_budget: Option<f64>,
    /// See [`Refit`].
    pub refit: Refit,
    /// Frozen embeddings and lower layers, layer-wise learning-rate decay (see [`FreezeConfig`]).
    pub freeze: FreezeConfig,
    /// Write the BERT's weights as float16 (half the size; scores move in the fourth decimal).
    pub half: bool,
    /// Exemplars of lure typologies and benign look-alikes (JSON Lines, see [`lurescan::exemplars`]): copied into the
    /// model folder as `exemplars.jsonl`, and their margin joins the ensemble with a weight fitted on validation
    /// data. Needs the lexical member (`lexical`). Not written when absent, so the recorded flags of a model trained
    /// without exemplars are what they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exemplars: Option<PathBuf>,
    /// With exemplars: remove the embeddings' mean and this many of their strongest shared directions before the
    /// exemplar cosines ([`lurescan::exemplars::CommonDirections`], stored in the folder's `lurescan.json`); unset
    /// (the default) compares the embeddings as they are. Measured on the shipped 3-layer student (exemplar margin
    /// alone over the pool's train and valid messages): with the first 263 exemplars, PR-AUC 0.17 raw and 0.23–0.35
    /// with 1 to 4 directions removed; with the current 280, 0.297 raw and 0.311 with 4, and leaving one message
    /// source out found fewer Thai lures (11 of 53 against 19), so it is not the default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exemplar_common_directions: Option<usize>,
    /// Give messages their own ensemble weights (`message_ensemble` in `lurescan.json`) and threshold, fitted on
    /// validation scored as by a model that never saw the messages' sources: each validation message's lexical
    /// margin comes from a lexical member trained without its source (one more lexical fit per message source).
    /// Left false, the lexical member has seen every validation source in training and the weights trust it more
    /// than a new source warrants. Postings keep the weights fitted on their ordinary margins. Measured with
    /// lurescan-base's recipe, leaving each of seven message sources out, when one set of cross-fitted weights
    /// scored everything: 50 of 105 lures found and 0.24% of ordinary messages flagged, against 37 and 0.42%, but
    /// validation EMSCAD PR-AUC fell from 0.991 to 0.983; hence the two sets.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cross_fit_message_sources: bool,
    /// Count the built-in indicator catalogue in the score: each ensemble (and the messages' own) gets a weight for
    /// the number of distinct indicator categories a record shows (up to 3), fitted on validation with the other
    /// weights. The catalogue was written from public warnings, not learned from the pool, so like the exemplars
    /// it speaks for sources the lexical member never saw.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub indicator_member: bool,
    /// Indicator categories that explain a record but are left out of the indicator member's count (written to
    /// `lurescan.json` as `uncounted_indicator_categories`). lurescan-base's recipe leaves out `contact`: a chat-app
    /// contact is how ordinary employers in the region ask to be reached too, and counted it made one ordinary
    /// advertisement score 0.97 with a Telegram handle against 0.48 with an e-mail address
    /// (`benches/contact_swap.py`), while the pool's validation has no ordinary job advertisement with one to say so.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uncounted_indicator_categories: Vec<String>,
    /// Log-odds added to the score of a record that reads as a warning about these scams (a police, embassy, bank
    /// or NGO notice that quotes their wording: the catalogue's `warning` category), written to both ensembles as
    /// `warning`. A prior, not fitted: the pool's validation split holds two such notices, too few to fit a weight
    /// (lurescan-base's recipe sets -3: see its card). Such a record counts no indicator category either, with or
    /// without this weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning_log_odds: Option<f32>,
    /// Log-odds added to the score of a record with a flag of a decisive indicator (the catalogue's
    /// `decisive = true`: a step of a scam that no ordinary offer takes, such as renting out a bank account, handing
    /// over the one-time code one is about to receive, or paying a "tax" to withdraw task earnings), written to both
    /// ensembles as `decisive`. A prior, not fitted: such records are rare in validation data, and the indicators
    /// are written to fire on no ordinary text (lurescan-base's recipe sets +4: see its card). Not added in a
    /// record that reads as a warning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decisive_log_odds: Option<f32>,
    /// The arithmetic the written folder asks for at inference (`"precision"` in its `lurescan.json`; training
    /// itself is always fp32). At int8 the temperature, ensemble weights and thresholds are fitted on validation
    /// scored at int8 (and the exemplars embedded at int8), as the folder will score. Not written at fp32, so the
    /// recorded flags of a model trained without it are what they were.
    #[serde(skip_serializing_if = "is_fp32")]
    pub precision: Precision,
}

fn is_fp32(precision: &Precision) -> bool {
    *precision == Precision::Fp32
}

/// Validation non-lure messages needed before messages get their own threshold (fewer make its false-positive
/// share too coarse to aim at).
pub const MIN_MESSAGE_NEGATIVES: usize = 200;

/// The threshold of a model whose validation data could not fit one.
pub const UNFITTED_THRESHOLD: f32 = 0.5;

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            optim: OptimConfig::default(),
            seed: 42,
            shape: ModelShape::default(),
            class_weights: ClassWeights::Balanced,
            patience: 2,
            valid_fraction: 0.1,
            threshold_rule: ThresholdRule::HalfBestF1,
            target_precision: None,
            augment: AugmentConfig::default(),
            render: RenderConfig::default(),
            bucket_batches: 32,
            shards: 4,
            init: None,
            fresh_head: false,
            lexical: true,
            lexical_l2: 3e-6,
            message_fp_budget: Some(0.005),
            refit: Refit::None,
            freeze: FreezeConfig::default(),
            half: false,
            exemplars: None,
            exemplar_common_directions: None,
            cross_fit_message_sources: false,
            indicator_member: false,
            uncounted_indicator_categories: Vec::new(),
            warning_log_odds: None,
            decisive_log_odds: None,
            precision: Precision::Fp32,
        }
    }
}

impl TrainConfig {
    /// Checks the flags that would otherwise fail deep inside training.
    pub fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(TrainError::Config(m));
        self.optim.validate_counts(self.shards)?;
        if self.init.is_none() {
            self.shape.validate_heads()?;
            if self.fresh_head {
                return bad("--fresh-head starts a model folder's head anew: it needs --init DIR".into());
            }
        }
        self.shape.validate_len()?;
        self.optim.validate_lr()?;
        if !(0.0..1.0).contains(&self.valid_fraction) {
            return bad(format!("valid fraction {} must be in [0, 1)", self.valid_fraction));
        }
        if !(self.lexical_l2 >= 0.0 && self.lexical_l2.is_finite()) {
            return bad(format!("lexical_l2 {} must be a non-negative number", self.lexical_l2));
        }
        if self.exemplars.is_some() && !self.lexical {
            return bad(
                "--exemplars needs the lexical member (the exemplar weight joins its ensemble): drop --no-lexical"
                    .into(),
            );
        }
        if let Some(p) = self.target_precision {
            if !(0.0..=1.0).contains(&p) {
                return bad(format!("--target-precision {p} must be in [0, 1]"));
            }
        }
        self.freeze.validate().map_err(TrainError::Config)?;
        let categories = lurescan::explain::Catalogue::builtin().categories();
        if let Some(unknown) = self.uncounted_indicator_categories.iter().find(|c| !categories.contains(&c.as_str())) {
            return bad(format!(
                "uncounted_indicator_categories: no indicator category {unknown:?}; the built-in catalogue's are {}",
                categories.join(", ")
            ));
        }
        if let Some(b) = self.message_fp_budget {
            if !(0.0..=1.0).contains(&b) {
                return bad(format!("--message-fp-budget {b} must be in [0, 1]"));
            }
        }
        for (key, prior) in [("warning_log_odds", self.warning_log_odds), ("decisive_log_odds", self.decisive_log_odds)]
        {
            if let Some(w) = prior.filter(|w| !w.is_finite() || !self.lexical) {
                return bad(format!(
                    "{key} {w}: give a finite number, with the lexical member (it joins its ensemble)"
                ));
            }
        }
        Ok(())
    }

    /// Whether the score reads the built-in catalogue's flags: an indicator member, or a warning or decisive prior.
    pub fn reads_flags(&self) -> bool {
        self.indicator_member || self.warning_log_odds.is_some() || self.decisive_log_odds.is_some()
    }

    /// The model config of a model trained from scratch with these flags and a tokenizer of `vocab_size` tokens.
    pub fn bert_config(&self, vocab_size: usize) -> BertConfig {
        self.shape.bert_config(vocab_size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `training.flags` in `lurescan.json`, `--config` files and recipes are one flat object: the flattened parts
    /// keep it so, with the fields in their old order (the checkpoint key hashes this JSON, so a run started before
    /// the parts existed still resumes).
    #[test]
    fn the_flags_stay_one_flat_object_in_the_old_order() {
        let value = serde_json::to_value(TrainConfig::default()).unwrap();
        let text = serde_json::to_string(&TrainConfig::default()).unwrap();
        let order = [
            "epochs",
            "batch_size",
            "lr",
            "warmup_ratio",
            "decay",
            "max_grad_norm",
            "optimizer",
            "seed",
            "max_len",
            "hidden_size",
            "layers",
            "heads",
            "intermediate_size",
            "vocab_size",
            "dropout",
            "class_weights",
        ];
        let at: Vec<usize> = order.iter().map(|k| text.find(&format!("\"{k}\":")).expect(k)).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
        assert!(value.get("optim").is_none() && value.get("shape").is_none(), "{value}");
        assert_eq!(value["lr"], 5e-4);
        assert_eq!(value["hidden_size"], 128);
    }

    #[test]
    fn a_partial_object_changes_only_its_fields() {
        let config: TrainConfig =
            serde_json::from_str(r#"{"epochs": 8, "hidden_size": 64, "patience": 3, "render": {"max_chars_per_field": 300, "field_markers": true}}"#)
                .unwrap();
        let mut expected = TrainConfig::default();
        (expected.optim.epochs, expected.shape.hidden_size, expected.patience) = (8, 64, 3);
        expected.render = config.render.clone();
        assert_eq!(config, expected);
        let round_trip: TrainConfig = serde_json::from_value(serde_json::to_value(&config).unwrap()).unwrap();
        assert_eq!(round_trip, config);
    }
}
