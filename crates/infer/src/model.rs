//! The model: a BERT encoder with a sequence-classification head, with the tensor names of Hugging Face
//! `transformers`' `BertForSequenceClassification`, so a checkpoint of any BERT size loads as it is.
//!
//! One definition serves inference and training. [`BertForSequenceClassification::forward`] with `dropout: None`
//! runs the fused, gradient-free layer norm and softmax; with `Some(rng)` it runs the differentiable forms and
//! draws dropout masks from the seeded generator, so a training run is reproducible.
//!
//! Only the `[CLS]` vector reaches the classifier, so the last layer computes its queries, attention output and
//! feed-forward for the `[CLS]` position alone: the logits are exactly those of the full computation.
//! [`BertEncoder::forward`] gives the hidden states of every position (for masked-language-model pre-training).
//! [`BertForSequenceClassification::forward_with_embeddings`] gives the same logits together with each
//! sequence's mean-pooled, unit-length embedding (what [`crate::exemplars`] compares), in the same pass.

use crate::config::{BertConfig, Precision};
use crate::int8::{Activation, QuantLinear};
use crate::rng::SeededRng;
use candle_core::{DType, Device, Module, ModuleT, Result, Storage, Tensor, D};
use candle_nn::{Embedding, Linear, VarBuilder};
use std::sync::Arc;

/// Added to attention scores at padding positions, as `transformers` does (`torch.finfo(float32).min`).
const MASKED: f32 = f32::MIN;

fn linear(in_dim: usize, out_dim: usize, vb: VarBuilder) -> Result<Linear> {
    let weight = vb.get((out_dim, in_dim), "weight")?;
    let bias = vb.get(out_dim, "bias")?;
    Ok(Linear::new(weight, Some(bias)))
}

/// A linear map of an encoder layer: f32 (`candle_nn::Linear`, what training updates), and at int8 precision also
/// its quantised copy ([`crate::int8`]), which inference then uses. The f32 weights stay, so that switching back
/// to fp32 gives exactly the fp32 scores.
#[derive(Debug, Clone)]
struct Dense {
    linear: Linear,
    int8: Option<Arc<QuantLinear>>,
}

impl Dense {
    fn load(in_dim: usize, out_dim: usize, vb: VarBuilder) -> Result<Self> {
        Ok(Dense { linear: linear(in_dim, out_dim, vb)?, int8: None })
    }

    fn set_precision(&mut self, precision: Precision) -> Result<()> {
        self.int8 = match precision {
            Precision::Fp32 => None,
            Precision::Int8 => {
                let (out_dim, in_dim) = self.linear.weight().dims2()?;
                let weight = self.linear.weight().flatten_all()?.to_vec1::<f32>()?;
                let bias = self.linear.bias().map(|b| b.to_vec1::<f32>()).transpose()?;
                Some(Arc::new(QuantLinear::new(&weight, bias.as_deref(), out_dim, in_dim)))
            }
        };
        Ok(())
    }
}

impl Dense {
    /// `gelu_erf(self.forward(xs))`; at int8 the GELU runs in the matrix product's last pass ([`Activation::Gelu`]).
    fn forward_gelu(&self, xs: &Tensor) -> Result<Tensor> {
        match &self.int8 {
            None => self.linear.forward(xs)?.gelu_erf(),
            Some(int8) => int8_forward(int8, xs, Activation::Gelu),
        }
    }
}

impl Module for Dense {
    fn forward(&self, xs: &Tensor) -> Result<Tensor> {
        match &self.int8 {
            None => self.linear.forward(xs),
            Some(int8) => int8_forward(int8, xs, Activation::Identity),
        }
    }
}

/// `xs` `[.., in]` through `int8`, read in place from candle's CPU storage: `[.., out]`.
fn int8_forward(int8: &QuantLinear, xs: &Tensor, activation: Activation) -> Result<Tensor> {
    let mut dims = xs.dims().to_vec();
    let in_dim = dims.last().copied().unwrap_or(0);
    if in_dim != int8.in_dim() || xs.dtype() != DType::F32 {
        candle_core::bail!("int8 linear: expected f32 [.., {}], got {:?} {:?}", int8.in_dim(), xs.dtype(), xs.shape());
    }
    let rows = xs.elem_count() / in_dim.max(1);
    let xs = xs.contiguous()?;
    let out = {
        let (storage, layout) = xs.storage_and_layout();
        let Storage::Cpu(cpu) = &*storage else {
            candle_core::bail!("int8 inference runs on the CPU only");
        };
        let start = layout.start_offset();
        int8.forward(&cpu.as_slice::<f32>()?[start..start + rows * in_dim], rows, activation)
    };
    *dims.last_mut().expect("checked above") = int8.out_dim();
    Tensor::from_vec(out, dims, xs.device())
}

/// Applies dropout with probability `p` when training; a no-op at inference.
fn dropout(xs: Tensor, p: f64, rng: Option<&mut SeededRng>) -> Result<Tensor> {
    match rng {
        Some(rng) if p > 0.0 => {
            let mask = rng.dropout_mask(xs.dims(), p as f32, xs.device())?;
            xs * mask
        }
        _ => Ok(xs),
    }
}

/// Layer normalisation over the last dimension. `forward_t(xs, false)` is candle's fused kernel (no backward);
/// `forward_t(xs, true)` is the differentiable composition of elementary ops.
#[derive(Debug, Clone)]
pub struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
    eps: f32,
}

impl LayerNorm {
    pub fn load(vb: VarBuilder, size: usize, eps: f64) -> Result<Self> {
        Ok(LayerNorm { weight: vb.get(size, "weight")?, bias: vb.get(size, "bias")?, eps: eps as f32 })
    }
}

impl ModuleT for LayerNorm {
    fn forward_t(&self, xs: &Tensor, train: bool) -> Result<Tensor> {
        if train {
            candle_nn::ops::layer_norm_slow(xs, &self.weight, &self.bias, self.eps)
        } else {
            candle_nn::ops::layer_norm(xs, &self.weight, &self.bias, self.eps)
        }
    }
}

/// `bert.embeddings`: word + absolute position + token type 0, then layer norm.
#[derive(Debug, Clone)]
struct Embeddings {
    /// f32, or at inference the stored f16 or bf16 ([`crate::weights::KeepHalf`]): the rows looked up are widened to
    /// f32, which is exact.
    word: Embedding,
    /// `[max_position_embeddings, hidden]`
    position: Tensor,
    /// Row 0 of the token-type table: lurescan feeds single sequences, so every token type is 0.
    token_type0: Tensor,
    layer_norm: LayerNorm,
    dropout: f64,
}

impl Embeddings {
    fn load(vb: VarBuilder, cfg: &BertConfig) -> Result<Self> {
        let h = cfg.hidden_size;
        let word = Embedding::new(vb.pp("word_embeddings").get((cfg.vocab_size, h), "weight")?, h);
        let position = vb.pp("position_embeddings").get((cfg.max_position_embeddings, h), "weight")?;
        let token_type = vb.pp("token_type_embeddings").get((cfg.type_vocab_size.max(1), h), "weight")?;
        Ok(Embeddings {
            word,
            position,
            token_type0: token_type.narrow(0, 0, 1)?,
            layer_norm: LayerNorm::load(vb.pp("LayerNorm"), h, cfg.layer_norm_eps)?,
            dropout: cfg.hidden_dropout_prob,
        })
    }

    fn forward(&self, input_ids: &Tensor, rng: Option<&mut SeededRng>) -> Result<Tensor> {
        let (_, seq) = input_ids.dims2()?;
        let max = self.position.dim(0)?;
        if seq > max {
            candle_core::bail!("input of {seq} tokens is longer than max_position_embeddings = {max}");
        }
        let positions = self.position.narrow(0, 0, seq)?.broadcast_add(&self.token_type0)?;
        let xs = self.word.forward(input_ids)?.to_dtype(DType::F32)?.broadcast_add(&positions)?;
        let xs = self.layer_norm.forward_t(&xs, rng.is_some())?;
        dropout(xs, self.dropout, rng)
    }
}

/// One encoder layer, `bert.encoder.layer.N`.
#[derive(Debug, Clone)]
struct Layer {
    query: Dense,
    key: Dense,
    value: Dense,
    attention_out: Dense,
    attention_norm: LayerNorm,
    intermediate: Dense,
    output: Dense,
    output_norm: LayerNorm,
    heads: usize,
    head_dim: usize,
    hidden_dropout: f64,
    attention_dropout: f64,
}

impl Layer {
    fn load(vb: VarBuilder, cfg: &BertConfig) -> Result<Self> {
        let (h, i) = (cfg.hidden_size, cfg.intermediate_size);
        let attention = vb.pp("attention");
        let this = attention.pp("self");
        Ok(Layer {
            query: Dense::load(h, h, this.pp("query"))?,
            key: Dense::load(h, h, this.pp("key"))?,
            value: Dense::load(h, h, this.pp("value"))?,
            attention_out: Dense::load(h, h, attention.pp("output").pp("dense"))?,
            attention_norm: LayerNorm::load(attention.pp("output").pp("LayerNorm"), h, cfg.layer_norm_eps)?,
            intermediate: Dense::load(h, i, vb.pp("intermediate").pp("dense"))?,
            output: Dense::load(i, h, vb.pp("output").pp("dense"))?,
            output_norm: LayerNorm::load(vb.pp("output").pp("LayerNorm"), h, cfg.layer_norm_eps)?,
            heads: cfg.num_attention_heads,
            head_dim: h / cfg.num_attention_heads,
            hidden_dropout: cfg.hidden_dropout_prob,
            attention_dropout: cfg.attention_probs_dropout_prob,
        })
    }

    fn set_precision(&mut self, precision: Precision) -> Result<()> {
        for dense in [
            &mut self.query,
            &mut self.key,
            &mut self.value,
            &mut self.attention_out,
            &mut self.intermediate,
            &mut self.output,
        ] {
            dense.set_precision(precision)?;
        }
        Ok(())
    }

    /// `[b, s, hidden]` -> `[b, heads, s, head_dim]`, contiguous so that all heads go through one batched matmul.
    fn split_heads(&self, xs: &Tensor) -> Result<Tensor> {
        let (b, s, _) = xs.dims3()?;
        xs.reshape((b, s, self.heads, self.head_dim))?.transpose(1, 2)?.contiguous()
    }

    /// `xs`: `[b, s, hidden]`; `mask`: additive `[b, 1, 1, s]`, `None` when nothing is padding. With `cls_only`
    /// the output is `[b, 1, hidden]`, the `[CLS]` row alone.
    fn forward(
        &self,
        xs: &Tensor,
        mask: Option<&Tensor>,
        cls_only: bool,
        rng: Option<&mut SeededRng>,
    ) -> Result<Tensor> {
        let k = self.split_heads(&self.key.forward(xs)?)?;
        let v = self.split_heads(&self.value.forward(xs)?)?;
        let rows = if cls_only { xs.narrow(1, 0, 1)? } else { xs.clone() };
        self.attend(&rows, &k, &v, mask, rng)
    }

    /// Inference only: the `[CLS]` row as `forward(.., cls_only: true, None)` computes it (the same floats, so the
    /// logits do not depend on whether embeddings were asked for) and every row as `forward(.., false, None)`,
    /// sharing the keys and values. Returns `([b, 1, hidden], [b, s, hidden])`.
    fn forward_cls_and_all(&self, xs: &Tensor, mask: Option<&Tensor>) -> Result<(Tensor, Tensor)> {
        let k = self.split_heads(&self.key.forward(xs)?)?;
        let v = self.split_heads(&self.value.forward(xs)?)?;
        let cls = self.attend(&xs.narrow(1, 0, 1)?, &k, &v, mask, None)?;
        let all = self.attend(xs, &k, &v, mask, None)?;
        Ok((cls, all))
    }

    /// Attention of `rows` (`[b, q, hidden]`, the residual input of the positions computed) over the keys and
    /// values of the whole sequence, then the feed-forward block: `[b, q, hidden]`.
    fn attend(
        &self,
        rows: &Tensor,
        k: &Tensor,
        v: &Tensor,
        mask: Option<&Tensor>,
        mut rng: Option<&mut SeededRng>,
    ) -> Result<Tensor> {
        let train = rng.is_some();
        let (b, q_len, h) = rows.dims3()?;
        let scale = 1.0 / (self.head_dim as f64).sqrt();
        let q = self.split_heads(&(self.query.forward(rows)? * scale)?)?;
        let mut scores = q.matmul(&k.t()?)?;
        if let Some(mask) = mask {
            scores = scores.broadcast_add(mask)?;
        }
        let probs = if train {
            candle_nn::ops::softmax(&scores, D::Minus1)?
        } else {
            candle_nn::ops::softmax_last_dim(&scores)?
        };
        let probs = dropout(probs, self.attention_dropout, rng.as_deref_mut())?;
        let context = probs.matmul(v)?.transpose(1, 2)?.reshape((b, q_len, h))?;

        let attended = dropout(self.attention_out.forward(&context)?, self.hidden_dropout, rng.as_deref_mut())?;
        let attended = self.attention_norm.forward_t(&(attended + rows)?, train)?;
        let inner = self.intermediate.forward_gelu(&attended)?;
        let out = dropout(self.output.forward(&inner)?, self.hidden_dropout, rng)?;
        self.output_norm.forward_t(&(out + attended)?, train)
    }
}

/// `bert.embeddings` and `bert.encoder`: Hugging Face's `BertModel` without its pooler, the part that
/// `BertForSequenceClassification` and `BertForMaskedLM` share.
#[derive(Debug, Clone)]
pub struct BertEncoder {
    embeddings: Embeddings,
    layers: Vec<Layer>,
}

impl BertEncoder {
    /// Builds the encoder from `vb` at the `bert` prefix. Fails when a tensor is missing or its shape differs from
    /// what `cfg` implies, or when `cfg` asks for something this implementation does not do (an activation other
    /// than exact GELU, relative position embeddings).
    pub fn load(vb: VarBuilder, cfg: &BertConfig) -> Result<Self> {
        if cfg.num_attention_heads == 0 || cfg.hidden_size % cfg.num_attention_heads != 0 {
            candle_core::bail!(
                "hidden_size {} is not a multiple of num_attention_heads {}",
                cfg.hidden_size,
                cfg.num_attention_heads
            );
        }
        if cfg.hidden_act != "gelu" {
            candle_core::bail!("hidden_act {:?} is not supported (only \"gelu\", the exact erf GELU)", cfg.hidden_act);
        }
        if cfg.position_embedding_type != "absolute" {
            candle_core::bail!(
                "position_embedding_type {:?} is not supported (only \"absolute\")",
                cfg.position_embedding_type
            );
        }
        let encoder = vb.pp("encoder").pp("layer");
        let layers = (0..cfg.num_hidden_layers).map(|i| Layer::load(encoder.pp(i), cfg)).collect::<Result<_>>()?;
        Ok(BertEncoder { embeddings: Embeddings::load(vb.pp("embeddings"), cfg)?, layers })
    }

    /// Inference at `precision`: at [`Precision::Int8`] the encoder layers' linear maps (not the embeddings, not
    /// the head) get int8 copies of their weights ([`crate::int8`]); [`Precision::Fp32`] drops them. Training must
    /// run at fp32 (the int8 path records no gradient).
    pub fn set_precision(&mut self, precision: Precision) -> Result<()> {
        self.layers.iter_mut().try_for_each(|layer| layer.set_precision(precision))
    }

    /// The word embedding table `[vocab_size, hidden]` (a masked-LM decoder is tied to it): f32, or f16 or bf16 in a
    /// model loaded for inference from 16-bit weights ([`BertForSequenceClassification::KEEP_HALF`]).
    pub fn word_embeddings(&self) -> &Tensor {
        self.embeddings.word.embeddings()
    }

    /// The last layer's hidden states of every position, f32 `[batch, seq, hidden]`. Inputs as for
    /// [`BertForSequenceClassification::forward`]; `dropout: None` is inference, `Some(rng)` training (the
    /// differentiable layer norm and softmax, seeded dropout masks).
    pub fn forward(
        &self,
        input_ids: &Tensor,
        attention_mask: &Tensor,
        dropout: Option<&mut SeededRng>,
    ) -> Result<Tensor> {
        self.run(input_ids, attention_mask, false, dropout)
    }

    /// With `cls_only` the last layer computes the `[CLS]` row alone: `[batch, 1, hidden]`.
    fn run(
        &self,
        input_ids: &Tensor,
        attention_mask: &Tensor,
        cls_only: bool,
        mut dropout: Option<&mut SeededRng>,
    ) -> Result<Tensor> {
        let mask = mask_for(input_ids, attention_mask)?;
        let mut xs = self.embeddings.forward(input_ids, dropout.as_deref_mut())?;
        let last = self.layers.len().saturating_sub(1);
        for (i, layer) in self.layers.iter().enumerate() {
            xs = layer.forward(&xs, mask.as_ref(), cls_only && i == last, dropout.as_deref_mut())?;
        }
        Ok(xs)
    }

    /// Inference: the last layer's `[CLS]` row exactly as the `cls_only` run computes it, `[batch, 1, hidden]`,
    /// and the last layer's hidden states of every position, `[batch, seq, hidden]`, from one pass through the
    /// lower layers.
    fn run_cls_and_all(&self, input_ids: &Tensor, attention_mask: &Tensor) -> Result<(Tensor, Tensor)> {
        let mask = mask_for(input_ids, attention_mask)?;
        let mut xs = self.embeddings.forward(input_ids, None)?;
        let Some((last, lower)) = self.layers.split_last() else {
            return Ok((xs.narrow(1, 0, 1)?, xs));
        };
        for layer in lower {
            xs = layer.forward(&xs, mask.as_ref(), false, None)?;
        }
        last.forward_cls_and_all(&xs, mask.as_ref())
    }
}

/// The additive attention mask `[b, 1, 1, s]` of a 0/1 mask `[b, s]`; `None` when nothing is padding (batches
/// sorted by length often are free of it, and then there is nothing to mask).
/// The additive mask of `attention_mask`, which must have the shape of `input_ids`.
fn mask_for(input_ids: &Tensor, attention_mask: &Tensor) -> Result<Option<Tensor>> {
    if attention_mask.dims2()? != input_ids.dims2()? {
        candle_core::bail!(
            "attention_mask {:?} does not match input_ids {:?}",
            attention_mask.shape(),
            input_ids.shape()
        );
    }
    additive_mask(attention_mask)
}

fn additive_mask(attention_mask: &Tensor) -> Result<Option<Tensor>> {
    let (b, s) = attention_mask.dims2()?;
    let mask = attention_mask.to_dtype(DType::F32)?;
    let padded = mask.flatten_all()?.min(0)?.to_scalar::<f32>()? < 1.0;
    Ok(if padded { Some(((1.0 - mask)? * MASKED as f64)?.reshape((b, 1, 1, s))?) } else { None })
}

/// The mean of the hidden states over the positions `attention_mask` keeps, scaled to unit L2 norm:
/// `[batch, seq, hidden]` and `[batch, seq]` to `[batch, hidden]`. This is the sentence embedding of E5 and
/// sentence-transformers' `mean` pooling, so an imported encoder's embeddings mean what they meant in training.
pub fn mean_pool_normalized(hidden: &Tensor, attention_mask: &Tensor) -> Result<Tensor> {
    let mask = attention_mask.to_dtype(DType::F32)?.unsqueeze(2)?;
    let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
    let counts = mask.sum(1)?.clamp(1.0, f64::MAX)?;
    let mean = summed.broadcast_div(&counts)?;
    let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
    mean.broadcast_div(&norm)
}

/// `BertForSequenceClassification`: `bert.embeddings.*`, `bert.encoder.layer.N.*`, `bert.pooler.dense.*`,
/// `classifier.*`.
#[derive(Debug, Clone)]
pub struct BertForSequenceClassification {
    bert: BertEncoder,
    pooler: Linear,
    classifier: Linear,
    classifier_dropout: f64,
    device: Device,
}

impl BertForSequenceClassification {
    /// The tensors that inference keeps in their stored 16-bit dtype ([`crate::weights::KeepHalf`]): the word
    /// embedding table, the largest by far, of which a batch reads only its tokens' rows.
    pub const KEEP_HALF: [&'static str; 1] = ["bert.embeddings.word_embeddings.weight"];

    /// Builds the model from `vb` (memory-mapped safetensors for inference, a `VarMap` for training). Fails as
    /// [`BertEncoder::load`] does, or when the pooler or classifier is missing.
    pub fn load(vb: VarBuilder, cfg: &BertConfig) -> Result<Self> {
        let bert = vb.pp("bert");
        Ok(BertForSequenceClassification {
            bert: BertEncoder::load(bert.clone(), cfg)?,
            pooler: linear(cfg.hidden_size, cfg.hidden_size, bert.pp("pooler").pp("dense"))?,
            classifier: linear(cfg.hidden_size, cfg.num_labels(), vb.pp("classifier"))?,
            classifier_dropout: cfg.classifier_dropout.unwrap_or(cfg.hidden_dropout_prob),
            device: vb.device().clone(),
        })
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    /// See [`BertEncoder::set_precision`].
    pub fn set_precision(&mut self, precision: Precision) -> Result<()> {
        self.bert.set_precision(precision)
    }

    /// The encoder under the classification head.
    pub fn encoder(&self) -> &BertEncoder {
        &self.bert
    }

    /// `input_ids`: u32 `[batch, seq]`; `attention_mask`: u32 or f32 `[batch, seq]` (1 = token, 0 = padding).
    /// Returns f32 logits `[batch, num_labels]`. `dropout: None` is inference; `Some(rng)` is training (see the
    /// module docs).
    pub fn forward(
        &self,
        input_ids: &Tensor,
        attention_mask: &Tensor,
        mut dropout: Option<&mut SeededRng>,
    ) -> Result<Tensor> {
        let xs = self.bert.run(input_ids, attention_mask, true, dropout.as_deref_mut())?;
        let cls = xs.narrow(1, 0, 1)?.squeeze(1)?;
        self.head(&cls, dropout)
    }

    /// The encoder's last hidden state at the first position (`[CLS]`, `<s>`), f32 `[batch, hidden]`, in inference
    /// mode: what [`Self::head`] reads. A run that keeps the whole encoder frozen computes it once per input.
    pub fn cls_features(&self, input_ids: &Tensor, attention_mask: &Tensor) -> Result<Tensor> {
        let xs = self.bert.run(input_ids, attention_mask, true, None)?;
        xs.narrow(1, 0, 1)?.squeeze(1)
    }

    /// Pooler (dense + tanh), dropout when training, classifier: `[batch, hidden]` features to logits.
    pub fn head(&self, cls: &Tensor, dropout: Option<&mut SeededRng>) -> Result<Tensor> {
        let pooled = self.pooler.forward(cls)?.tanh()?;
        let pooled = self::dropout(pooled, self.classifier_dropout, dropout)?;
        self.classifier.forward(&pooled)
    }

    /// Inference in one pass: the logits exactly as [`BertForSequenceClassification::forward`] with `dropout:
    /// None` computes them (the same floats), and each sequence's embedding, f32 `[batch, hidden]`: the last
    /// layer's hidden states averaged over the tokens (padding excluded) and scaled to unit length, so that the
    /// dot product of two embeddings is their cosine similarity. Costs the last layer's other positions on top of
    /// `forward` (which computes only the `[CLS]` row there).
    pub fn forward_with_embeddings(&self, input_ids: &Tensor, attention_mask: &Tensor) -> Result<(Tensor, Tensor)> {
        let (cls, all) = self.bert.run_cls_and_all(input_ids, attention_mask)?;
        let pooled = self.pooler.forward(&cls.squeeze(1)?)?.tanh()?;
        let logits = self.classifier.forward(&pooled)?;
        Ok((logits, mean_pool_normalized(&all, attention_mask)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mask_of_another_shape_than_the_ids_is_an_error() {
        let ids = Tensor::zeros((2, 5), DType::U32, &Device::Cpu).unwrap();
        let mask = Tensor::ones((2, 4), DType::U32, &Device::Cpu).unwrap();
        let error = mask_for(&ids, &mask).unwrap_err().to_string();
        assert!(error.contains("attention_mask [2, 4] does not match input_ids [2, 5]"), "{error}");
        let full = Tensor::ones((2, 5), DType::U32, &Device::Cpu).unwrap();
        assert!(mask_for(&ids, &full).unwrap().is_none(), "no padding, no mask");
    }
}
