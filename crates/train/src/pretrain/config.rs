//! [`PretrainConfig`]: the flags of a pre-training run, recorded in the folder's `lurescan.json`.

use crate::config::{ModelShape, OptimConfig, TrainConfig};
use crate::error::{Result, TrainError};
use crate::optim::AdamWConfig;
use crate::schedule::Decay;
use lurescan::{BertConfig, RenderConfig};
use serde::{Deserialize, Serialize};

/// Pre-training flags. The model's shape, vocabulary, length and rendering should match the fine-tuning run's
/// ([`PretrainConfig::shaped_like`] copies them from a [`TrainConfig`]). Deserialised from a partial JSON object, the
/// missing optimisation fields take [`OptimConfig`]'s (training's) defaults, as the flattened parts cannot know
/// pre-training's; `lurescan pretrain` builds its config with `shaped_like`, and the folders record every field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PretrainConfig {
    /// Epochs, batch size, peak learning rate and schedule, gradient clipping and AdamW (flattened).
    #[serde(flatten)]
    pub optim: OptimConfig,
    pub seed: u64,
    /// Window length and model size (flattened).
    #[serde(flatten)]
    pub shape: ModelShape,
    /// Share of the non-special tokens of each window that the model must restore.
    pub mask_prob: f64,
    pub render: RenderConfig,
    /// Batches per shuffled chunk sorted by length before batching.
    pub bucket_batches: usize,
    /// Shards per batch (see [`crate::shard`]); part of the result.
    pub shards: usize,
}

impl Default for PretrainConfig {
    fn default() -> Self {
        PretrainConfig::shaped_like(&TrainConfig::default())
    }
}

impl PretrainConfig {
    /// Pre-training defaults with the model shape, vocabulary size, maximum length, dropout, rendering, seed,
    /// batch size and shards of `train`, so that `train` with `init` set to the result fine-tunes the same model.
    pub fn shaped_like(train: &TrainConfig) -> Self {
        PretrainConfig {
            optim: OptimConfig {
                epochs: 2,
                batch_size: train.optim.batch_size,
                lr: 1e-3,
                warmup_ratio: 0.06,
                decay: Decay::Linear,
                max_grad_norm: 1.0,
                optimizer: AdamWConfig::default(),
            },
            seed: train.seed,
            shape: train.shape.clone(),
            mask_prob: 0.15,
            render: train.render.clone(),
            bucket_batches: train.bucket_batches,
            shards: train.shards,
        }
    }

    /// Checks the flags that would otherwise fail deep inside pre-training.
    pub fn validate(&self) -> Result<()> {
        self.optim.validate_counts(self.shards)?;
        self.shape.validate_heads()?;
        self.shape.validate_len()?;
        self.optim.validate_lr()?;
        if !(self.mask_prob > 0.0 && self.mask_prob < 1.0) {
            return Err(TrainError::Config(format!("--mask-prob {} must be between 0 and 1", self.mask_prob)));
        }
        Ok(())
    }

    /// The model config for a tokenizer of `vocab_size` tokens (`architectures: ["BertForMaskedLM"]`).
    pub fn bert_config(&self, vocab_size: usize) -> BertConfig {
        BertConfig { architectures: vec!["BertForMaskedLM".into()], ..self.shape.bert_config(vocab_size) }
    }
}
