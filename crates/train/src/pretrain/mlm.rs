//! The masked-LM model: the shared [`BertEncoder`] under Hugging Face `BertForMaskedLM`'s head, its loss at the
//! masked positions, and one sharded training step.

use super::corpus::Masked;
use crate::error::Result;
use crate::shard::{ops_single_threaded, shard_ranges, shard_rng};
use candle_core::backprop::GradStore;
use candle_core::{Device, Module, ModuleT, Tensor, D};
use candle_nn::{Linear, VarBuilder};
use lurescan::model::{BertEncoder, LayerNorm};
use lurescan::rng::SeededRng;
use lurescan::BertConfig;
use rayon::prelude::*;
use std::ops::Range;

/// `cls.predictions`: dense + GELU + LayerNorm, then the decoder, whose weight is the word embedding table
/// (tied, as in BERT) and whose bias is `cls.predictions.bias`.
#[derive(Debug, Clone)]
pub struct MlmHead {
    dense: Linear,
    norm: LayerNorm,
    bias: Tensor,
}

impl MlmHead {
    /// `vb` at the `cls.predictions` prefix.
    pub fn load(vb: VarBuilder, cfg: &BertConfig) -> candle_core::Result<Self> {
        let h = cfg.hidden_size;
        let transform = vb.pp("transform");
        let dense = transform.pp("dense");
        Ok(MlmHead {
            dense: Linear::new(dense.get((h, h), "weight")?, Some(dense.get(h, "bias")?)),
            norm: LayerNorm::load(transform.pp("LayerNorm"), h, cfg.layer_norm_eps)?,
            bias: vb.get(cfg.vocab_size, "bias")?,
        })
    }

    /// Vocabulary logits `[n, vocab]` of hidden states `[n, hidden]`; `train` picks the differentiable layer norm.
    pub fn forward_t(&self, hidden: &Tensor, word_embeddings: &Tensor, train: bool) -> candle_core::Result<Tensor> {
        let x = self.dense.forward(hidden)?.gelu_erf()?;
        let x = self.norm.forward_t(&x, train)?;
        x.matmul(&word_embeddings.t()?)?.broadcast_add(&self.bias)
    }
}

/// `BertForMaskedLM`: `bert.embeddings.*`, `bert.encoder.*` and `cls.predictions.*` (no pooler).
#[derive(Debug, Clone)]
pub struct BertForMaskedLm {
    pub bert: BertEncoder,
    pub head: MlmHead,
}

impl BertForMaskedLm {
    pub fn load(vb: VarBuilder, cfg: &BertConfig) -> candle_core::Result<Self> {
        Ok(BertForMaskedLm {
            bert: BertEncoder::load(vb.pp("bert"), cfg)?,
            head: MlmHead::load(vb.pp("cls").pp("predictions"), cfg)?,
        })
    }

    /// The summed negative log-likelihood of the original tokens at the masked positions of `windows` (padded
    /// with `pad_id` to the longest), and how many of them the model ranks first. Vocabulary logits are computed
    /// only at the masked positions. `dropout: Some` is training mode.
    pub fn nll_sum(
        &self,
        windows: &[&Masked],
        pad_id: u32,
        dropout: Option<&mut SeededRng>,
    ) -> Result<(Tensor, usize)> {
        let longest = windows.iter().map(|w| w.input.len()).max().unwrap_or(0);
        let (mut ids, mut mask, mut rows, mut targets) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (b, w) in windows.iter().enumerate() {
            ids.extend_from_slice(&w.input);
            ids.extend(std::iter::repeat_n(pad_id, longest - w.input.len()));
            mask.extend(std::iter::repeat_n(1u32, w.input.len()));
            mask.extend(std::iter::repeat_n(0u32, longest - w.input.len()));
            rows.extend(w.positions.iter().map(|&p| (b * longest) as u32 + p));
            targets.extend_from_slice(&w.targets);
        }
        let cpu = Device::Cpu;
        let shape = (windows.len(), longest);
        let (ids, mask) = (Tensor::from_vec(ids, shape, &cpu)?, Tensor::from_vec(mask, shape, &cpu)?);
        let train = dropout.is_some();
        let hidden = self.bert.forward(&ids, &mask, dropout)?;
        let (b, s, h) = hidden.dims3()?;
        let n = rows.len();
        let picked = hidden.reshape((b * s, h))?.index_select(&Tensor::from_vec(rows, n, &cpu)?, 0)?;
        let logits = self.head.forward_t(&picked, self.bert.word_embeddings(), train)?;
        let best = logits.argmax(D::Minus1)?.to_vec1::<u32>()?;
        let correct = best.iter().zip(&targets).filter(|(a, b)| a == b).count();
        let log_p = candle_nn::ops::log_softmax(&logits, D::Minus1)?;
        let targets = Tensor::from_vec(targets, (n, 1), &cpu)?;
        Ok((log_p.gather(&targets, 1)?.sum_all()?.neg()?, correct))
    }
}

/// The loss and gradients of one batch, one [`GradStore`] per shard in shard order.
pub struct MlmGradients {
    /// Mean negative log-likelihood per masked token of the whole batch.
    pub loss: f64,
    pub masked: usize,
    /// Masked tokens the model ranked first.
    pub correct: usize,
    pub shards: Vec<GradStore>,
}

/// Forward and backward pass of `batch`, cut into `shards` shards that run in parallel when candle runs ops on the
/// calling thread (as [`crate::shard::ShardedStep`]). Each shard's loss is divided by the masked-token count of
/// the whole batch, so the shard gradients add up to the gradient of the batch's mean loss.
pub fn mlm_gradients(
    model: &BertForMaskedLm,
    batch: &[&Masked],
    pad_id: u32,
    shards: usize,
    dropout_seed: u64,
) -> Result<MlmGradients> {
    let masked: usize = batch.iter().map(|w| w.positions.len()).sum();
    let ranges = shard_ranges(batch.len(), shards);
    let run = |(s, range): (usize, &Range<usize>)| -> Result<(f64, usize, GradStore)> {
        let mut rng = shard_rng(dropout_seed, s);
        let (nll, correct) = model.nll_sum(&batch[range.clone()], pad_id, Some(&mut rng))?;
        let loss = (nll / masked.max(1) as f64)?;
        let grads = loss.backward()?;
        Ok((loss.to_scalar::<f32>()? as f64, correct, grads))
    };
    let results: Vec<(f64, usize, GradStore)> = if ops_single_threaded() {
        ranges.par_iter().enumerate().map(run).collect::<Result<_>>()?
    } else {
        ranges.iter().enumerate().map(run).collect::<Result<_>>()?
    };
    let loss = results.iter().map(|r| r.0).sum();
    let correct = results.iter().map(|r| r.1).sum();
    Ok(MlmGradients { loss, masked, correct, shards: results.into_iter().map(|r| r.2).collect() })
}
