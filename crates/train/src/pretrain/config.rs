//! [`PretrainConfig`]: the flags of a pre-training run, recorded in the folder's `lurescan.json`.

use crate::config::TrainConfig;
use crate::error::{Result, TrainError};
use crate::optim::AdamWConfig;
use crate::schedule::Decay;
use lurescan::{BertConfig, RenderConfig};
use serde::{Deserialize, Serialize};

/// Pre-training flags. The model's shape, vocabulary, length and rendering should match the fine-tuning run's
/// ([`PretrainConfig::shaped_like`] copies them from a [`TrainConfig`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PretrainConfig {
    pub epochs: usize,
    pub batch_size: usize,
    /// Peak learning rate.
    pub lr: f64,
    pub warmup_ratio: f64,
    pub decay: Decay,
    pub max_grad_norm: f64,
    pub optimizer: AdamWConfig,
    pub seed: u64,
    /// Windows are at most this many tokens, [CLS] and [SEP] included.
    pub max_len: usize,
    pub hidden_size: usize,
    pub layers: usize,
    pub heads: usize,
    /// Feed-forward width; 4 × `hidden_size` when absent.
    pub intermediate_size: Option<usize>,
    pub vocab_size: usize,
    pub dropout: f64,
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
            epochs: 2,
            batch_size: train.batch_size,
            lr: 1e-3,
            warmup_ratio: 0.06,
            decay: Decay::Linear,
            max_grad_norm: 1.0,
            optimizer: AdamWConfig::default(),
            seed: train.seed,
            max_len: train.max_len,
            hidden_size: train.hidden_size,
            layers: train.layers,
            heads: train.heads,
            intermediate_size: train.intermediate_size,
            vocab_size: train.vocab_size,
            dropout: train.dropout,
            mask_prob: 0.15,
            render: train.render.clone(),
            bucket_batches: train.bucket_batches,
            shards: train.shards,
        }
    }

    /// Checks the flags that would otherwise fail deep inside pre-training.
    pub fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(TrainError::Config(m));
        if self.epochs == 0 || self.batch_size == 0 || self.shards == 0 {
            return bad("--epochs, --batch-size and --shards must be at least 1".into());
        }
        if self.heads == 0 || self.hidden_size % self.heads != 0 {
            return bad(format!("--hidden-size {} must be a multiple of --heads {}", self.hidden_size, self.heads));
        }
        if self.max_len < 3 || self.max_len > 512 {
            return bad(format!("--max-len {} must be between 3 and 512", self.max_len));
        }
        if !(self.lr > 0.0 && self.lr.is_finite()) {
            return bad(format!("--lr {} must be positive", self.lr));
        }
        if !(self.mask_prob > 0.0 && self.mask_prob < 1.0) {
            return bad(format!("--mask-prob {} must be between 0 and 1", self.mask_prob));
        }
        Ok(())
    }

    /// The model config for a tokenizer of `vocab_size` tokens (`architectures: ["BertForMaskedLM"]`).
    pub fn bert_config(&self, vocab_size: usize) -> BertConfig {
        let shape = TrainConfig {
            max_len: self.max_len,
            hidden_size: self.hidden_size,
            layers: self.layers,
            heads: self.heads,
            intermediate_size: self.intermediate_size,
            dropout: self.dropout,
            ..TrainConfig::default()
        };
        BertConfig { architectures: vec!["BertForMaskedLM".into()], ..shape.bert_config(vocab_size) }
    }
}
