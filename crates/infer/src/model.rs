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

use crate::attention;
use crate::config::{BertConfig, Precision};
use crate::int8::{Activation, QuantLinear};
use crate::rng::SeededRng;
use crate::train_ops;
use candle_core::{DType, Device, Layout, Module, ModuleT, Result, Storage, Tensor, Var, D};
use candle_nn::{Embedding, Linear, VarBuilder};
use std::sync::Arc;

/// Added to attention scores at padding positions, as `transformers` does (`torch.finfo(float32).min`).
const MASKED: f32 = f32::MIN;

/// At inference an encoder layer computes at most this many positions at a time ([`Layer::attend`]): the
/// feed-forward's inner activations are then at most 1,024 × `intermediate_size` floats (6 MB for lurescan-base),
/// where 32 sequences of 128 tokens would hold 25 MB per copy, per scoring thread.
const BLOCK_ROWS: usize = 1024;

/// ... and at most this many attention scores (1 M f32, 4 MB): 32 sequences of 128 tokens with 12 heads would
/// hold 25 MB of scores and 25 MB of probabilities at once.
const BLOCK_SCORES: usize = 1 << 20;

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
    /// Training adds the bias and applies the GELU in one op with its own backward ([`train_ops::bias_gelu`]).
    fn forward_gelu(&self, xs: &Tensor, train: bool) -> Result<Tensor> {
        match (&self.int8, self.linear.bias()) {
            (None, Some(bias)) if train => {
                let product = Linear::new(self.linear.weight().clone(), None).forward(&xs.contiguous()?)?;
                train_ops::bias_gelu(&product, bias)
            }
            (None, _) => self.linear.forward(xs)?.gelu_erf(),
            (Some(int8), _) => int8_forward(int8, xs, Activation::Gelu),
        }
    }
}

impl Dense {
    /// [`Module::forward`]; training adds the bias with [`train_ops::add_bias`] (its backward is one pass, where
    /// candle's broadcast addition sums the bias gradient with a strided reduction).
    fn forward_t(&self, xs: &Tensor, train: bool) -> Result<Tensor> {
        match (&self.int8, self.linear.bias()) {
            (None, Some(bias)) if train => {
                let product = Linear::new(self.linear.weight().clone(), None).forward(&xs.contiguous()?)?;
                train_ops::add_bias(&product, bias)
            }
            _ => self.forward(xs),
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
    let out = with_f32(xs, |x| int8.forward(x, rows, activation))?;
    *dims.last_mut().expect("checked above") = int8.out_dim();
    Tensor::from_vec(out, dims, xs.device())
}

/// `f` of `xs`'s elements, an f32 tensor on the CPU, read in place (after a copy only if `xs` is not contiguous).
fn with_f32<R>(xs: &Tensor, f: impl FnOnce(&[f32]) -> R) -> Result<R> {
    let xs = xs.contiguous()?;
    let (storage, layout) = xs.storage_and_layout();
    Ok(f(cpu_f32(&storage, layout, xs.elem_count())?))
}

/// The `len` f32 elements of a contiguous tensor's CPU storage.
fn cpu_f32<'a>(storage: &'a Storage, layout: &Layout, len: usize) -> Result<&'a [f32]> {
    let Storage::Cpu(cpu) = storage else {
        candle_core::bail!("the fused inference kernels run on the CPU only");
    };
    let start = layout.start_offset();
    Ok(&cpu.as_slice::<f32>()?[start..start + len])
}

/// Applies dropout with probability `p` when training; a no-op at inference.
fn dropout(xs: Tensor, p: f64, rng: Option<&mut SeededRng>) -> Result<Tensor> {
    match rng {
        Some(rng) if p > 0.0 => {
            let mask = rng.dropout_values(xs.elem_count(), p as f32)?;
            train_ops::mul_by_constant(&xs, mask)
        }
        _ => Ok(xs),
    }
}

/// Layer normalisation over the last dimension. `forward_t(xs, false)` is candle's fused kernel (no backward);
/// `forward_t(xs, true)` is [`train_ops::layer_norm`], which has one (the same formula as candle's differentiable
/// composition `candle_nn::ops::layer_norm_slow`).
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
            train_ops::layer_norm(xs, &self.weight, &self.bias, self.eps)
        } else {
            candle_nn::ops::layer_norm(xs, &self.weight, &self.bias, self.eps)
        }
    }
}

impl LayerNorm {
    /// `forward_t(xs + residual, train)`. At inference on the CPU, one pass per row that adds, sums in 16 lanes
    /// (candle's fused kernel sums one float after another, which no compiler vectorises) and normalises, with
    /// candle's formula (`var = E[x²] − mean²`); only the order of the sums differs, a few ulps.
    fn add_forward_t(&self, xs: &Tensor, residual: &Tensor, train: bool) -> Result<Tensor> {
        if train || !xs.device().is_cpu() || xs.dtype() != DType::F32 || xs.shape() != residual.shape() {
            return self.forward_t(&(xs + residual)?, train);
        }
        let h = xs.dim(D::Minus1)?;
        let (weight, bias) = (self.weight.to_vec1::<f32>()?, self.bias.to_vec1::<f32>()?);
        let mut out = vec![0f32; xs.elem_count()];
        with_f32(xs, |x| {
            with_f32(residual, |r| {
                let rows = out.chunks_mut(h.max(1)).zip(x.chunks(h.max(1)).zip(r.chunks(h.max(1))));
                rows.for_each(|(out, (x, r))| add_norm_row(x, r, &weight, &bias, self.eps, out));
            })
        })??;
        Tensor::from_vec(out, xs.shape(), xs.device())
    }
}

/// `out = layer_norm(x + r)` of one row, see [`LayerNorm::add_forward_t`].
fn add_norm_row(x: &[f32], r: &[f32], weight: &[f32], bias: &[f32], eps: f32, out: &mut [f32]) {
    const LANES: usize = 16;
    let (mut sum, mut sum2) = ([0f32; LANES], [0f32; LANES]);
    let split = x.len() - x.len() % LANES;
    for ((o, x), r) in out[..split].chunks_exact_mut(LANES).zip(x.chunks_exact(LANES)).zip(r.chunks_exact(LANES)) {
        for i in 0..LANES {
            let v = x[i] + r[i];
            o[i] = v;
            sum[i] += v;
            sum2[i] += v * v;
        }
    }
    let (mut total, mut total2) = (sum.iter().sum::<f32>(), sum2.iter().sum::<f32>());
    for ((o, &x), &r) in out[split..].iter_mut().zip(&x[split..]).zip(&r[split..]) {
        *o = x + r;
        total += *o;
        total2 += *o * *o;
    }
    let n = x.len() as f32;
    let mean = total / n;
    let inv_std = (total2 / n - mean * mean + eps).sqrt().recip();
    for ((o, &w), &b) in out.iter_mut().zip(weight).zip(bias) {
        *o = (*o - mean) * inv_std * w + b;
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
        self.check_len(input_ids)?;
        self.forward_words(&self.word.forward(input_ids)?.to_dtype(DType::F32)?, rng)
    }

    fn check_len(&self, input_ids: &Tensor) -> Result<()> {
        let (_, seq) = input_ids.dims2()?;
        let max = self.position.dim(0)?;
        if seq > max {
            candle_core::bail!("input of {seq} tokens is longer than max_position_embeddings = {max}");
        }
        Ok(())
    }

    /// The embeddings of the looked-up word vectors `words` (f32 `[b, s, hidden]`).
    fn forward_words(&self, words: &Tensor, rng: Option<&mut SeededRng>) -> Result<Tensor> {
        let (_, seq, _) = words.dims3()?;
        let positions = self.position.narrow(0, 0, seq)?.broadcast_add(&self.token_type0)?;
        let xs = match rng.is_some() {
            true => train_ops::add_bias(words, &positions)?,
            false => words.broadcast_add(&positions)?,
        };
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
    /// [`BLOCK_ROWS`] and [`BLOCK_SCORES`] (a test varies them).
    block_rows: usize,
    block_scores: usize,
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
            block_rows: BLOCK_ROWS,
            block_scores: BLOCK_SCORES,
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
        let train = rng.is_some();
        let (k, v) = (self.key.forward_t(xs, train)?, self.value.forward_t(xs, train)?);
        let rows = if cls_only { xs.narrow(1, 0, 1)? } else { xs.clone() };
        self.attend(&rows, &k, &v, mask, rng)
    }

    /// Inference only: the `[CLS]` row as `forward(.., cls_only: true, None)` computes it (the same floats, so the
    /// logits do not depend on whether embeddings were asked for) and every row as `forward(.., false, None)`,
    /// sharing the keys and values. Returns `([b, 1, hidden], [b, s, hidden])`.
    fn forward_cls_and_all(&self, xs: &Tensor, mask: Option<&Tensor>) -> Result<(Tensor, Tensor)> {
        let (k, v) = (self.key.forward(xs)?, self.value.forward(xs)?);
        let cls = self.attend(&xs.narrow(1, 0, 1)?, &k, &v, mask, None)?;
        let all = self.attend(xs, &k, &v, mask, None)?;
        Ok((cls, all))
    }

    /// Attention of `rows` (`[b, q, hidden]`, the residual input of the positions computed) over the keys and
    /// values of the whole sequence (`[b, s, hidden]`, heads side by side), then the feed-forward block:
    /// `[b, q, hidden]`.
    ///
    /// At inference this runs on a few sequences at a time ([`Layer::block`]), so that what it holds per position
    /// (attention scores over the whole sequence, the feed-forward's inner activations) is never there for the
    /// whole batch at once. Attention multiplies each sequence and head on its own either way. The other matrix
    /// products then have fewer rows: gemm computes each row alike whatever their number (its sums over the inner
    /// dimension run in blocks sized by that dimension alone) as long as it takes its general path, which it does
    /// for every product here when the hidden size is above 128 (lurescan-base: 384) and a block has at least two
    /// rows; so the floats are those of the whole batch. Smaller matrices may differ in the last bits (the test
    /// states by how much).
    fn attend(
        &self,
        rows: &Tensor,
        k: &Tensor,
        v: &Tensor,
        mask: Option<&Tensor>,
        rng: Option<&mut SeededRng>,
    ) -> Result<Tensor> {
        let (b, q_len, _) = rows.dims3()?;
        let count = b.div_ceil(self.block(q_len, k.dim(1)?));
        if rng.is_some() || count <= 1 {
            return self.attend_block(rows, k, v, mask, rng);
        }
        // Blocks of equal size (give or take one sequence): no small remainder, whose matrix products gemm would
        // compute on its paths for small matrices.
        let blocks = (0..count)
            .map(|i| {
                let (start, n) = (i * b / count, (i + 1) * b / count - i * b / count);
                let mask = mask.map(|m| m.narrow(0, start, n)).transpose()?;
                let (rows, k, v) = (rows.narrow(0, start, n)?, k.narrow(0, start, n)?, v.narrow(0, start, n)?);
                self.attend_block(&rows, &k, &v, mask.as_ref(), None)
            })
            .collect::<Result<Vec<_>>>()?;
        Tensor::cat(&blocks, 0)
    }

    /// Inference: the attention context of the unscaled query rows `q` (`[b, q, hidden]`) by [`attention`], read
    /// in place from candle's CPU storage: `[b, q, hidden]`.
    fn fused_attention(&self, q: &Tensor, k: &Tensor, v: &Tensor, mask: Option<&Tensor>, scale: f32) -> Result<Tensor> {
        let (batch, queries, h) = q.dims3()?;
        let keys = k.dim(1)?;
        let shape = attention::Shape { batch, queries, keys, heads: self.heads, head_dim: self.head_dim };
        let mask = mask.map(|m| m.reshape((batch, keys))?.contiguous()).transpose()?;
        let (q, k, v) = (q.contiguous()?, k.contiguous()?, v.contiguous()?);
        let (q_storage, k_storage, v_storage) =
            (q.storage_and_layout(), k.storage_and_layout(), v.storage_and_layout());
        let mask_storage = mask.as_ref().map(|m| m.storage_and_layout());
        let mask = mask_storage.as_ref().map(|(s, l)| cpu_f32(s, l, batch * keys)).transpose()?;
        let out = attention::attention(
            cpu_f32(&q_storage.0, q_storage.1, q.elem_count())?,
            cpu_f32(&k_storage.0, k_storage.1, k.elem_count())?,
            cpu_f32(&v_storage.0, v_storage.1, v.elem_count())?,
            mask,
            shape,
            scale,
        );
        Tensor::from_vec(out, (batch, queries, h), q.device())
    }

    /// How many sequences of `q_len` rows attending over `s` positions [`Layer::attend`] computes at a time at
    /// inference: as many as keep the rows within [`BLOCK_ROWS`] and the attention scores within
    /// [`BLOCK_SCORES`], and at least one.
    fn block(&self, q_len: usize, s: usize) -> usize {
        let by_rows = self.block_rows / q_len.max(1);
        let by_scores = self.block_scores / (self.heads * q_len * s).max(1);
        by_rows.min(by_scores).max(1)
    }

    /// [`Layer::attend`] on the whole of `rows`.
    fn attend_block(
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
        // The fused kernel where it is fast (AVX-512 or AVX2); training, and other CPUs, keep candle's composition.
        let context = if train || !rows.device().is_cpu() || !attention::fast(self.head_dim) {
            let q = self.split_heads(&(self.query.forward_t(rows, train)? * scale)?)?;
            let (k, v) = (self.split_heads(k)?, self.split_heads(v)?);
            let mut scores = q.matmul(&k.t()?)?;
            let probs = if train {
                train_ops::masked_softmax(&scores, mask)?
            } else {
                if let Some(mask) = mask {
                    scores = scores.broadcast_add(mask)?;
                }
                candle_nn::ops::softmax_last_dim(&scores)?
            };
            drop(scores);
            let probs = dropout(probs, self.attention_dropout, rng.as_deref_mut())?;
            probs.matmul(&v)?.transpose(1, 2)?.reshape((b, q_len, h))?
        } else {
            self.fused_attention(&self.query.forward(rows)?, k, v, mask, scale as f32)?
        };

        let attended =
            dropout(self.attention_out.forward_t(&context, train)?, self.hidden_dropout, rng.as_deref_mut())?;
        let attended = self.attention_norm.add_forward_t(&attended, rows, train)?;
        let inner = self.intermediate.forward_gelu(&attended, train)?;
        let out = dropout(self.output.forward_t(&inner, train)?, self.hidden_dropout, rng)?;
        self.output_norm.add_forward_t(&out, &attended, train)
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
        if cfg.num_attention_heads == 0 || !cfg.hidden_size.is_multiple_of(cfg.num_attention_heads) {
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
        let xs = self.embeddings.forward(input_ids, dropout.as_deref_mut())?;
        self.run_layers(xs, mask.as_ref(), cls_only, dropout)
    }

    /// The encoder layers on the embeddings `xs`, `mask` additive.
    fn run_layers(
        &self,
        mut xs: Tensor,
        mask: Option<&Tensor>,
        cls_only: bool,
        mut dropout: Option<&mut SeededRng>,
    ) -> Result<Tensor> {
        let last = self.layers.len().saturating_sub(1);
        for (i, layer) in self.layers.iter().enumerate() {
            xs = layer.forward(&xs, mask, cls_only && i == last, dropout.as_deref_mut())?;
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
    if hidden.device().is_cpu() && hidden.dtype() == DType::F32 {
        return mean_pool_normalized_cpu(hidden, attention_mask);
    }
    mean_pool_normalized_composed(hidden, attention_mask)
}

/// [`mean_pool_normalized`] as candle ops (any device; no backward is needed of it).
fn mean_pool_normalized_composed(hidden: &Tensor, attention_mask: &Tensor) -> Result<Tensor> {
    let mask = attention_mask.to_dtype(DType::F32)?.unsqueeze(2)?;
    let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
    let counts = mask.sum(1)?.clamp(1.0, f64::MAX)?;
    let mean = summed.broadcast_div(&counts)?;
    let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
    mean.broadcast_div(&norm)
}

/// [`mean_pool_normalized`] in place on CPU f32 hidden states: the kept positions' rows added one after another,
/// as candle's sum over the positions does, then divided by their count and by the L2 norm. candle reduces over a
/// middle dimension with a strided walk per output element, which was 2% of scoring a posting.
fn mean_pool_normalized_cpu(hidden: &Tensor, attention_mask: &Tensor) -> Result<Tensor> {
    let (b, s, h) = hidden.dims3()?;
    let mask = attention_mask.to_dtype(DType::F32)?.to_vec2::<f32>()?;
    if mask.len() != b || mask.iter().any(|m| m.len() != s) {
        candle_core::bail!(
            "mean pooling: mask {:?} does not match hidden states {:?}",
            attention_mask.shape(),
            hidden.shape()
        );
    }
    let out = with_f32(hidden, |x| {
        let mut out = vec![0f32; b * h];
        for ((row, seq), weights) in out.chunks_mut(h.max(1)).zip(x.chunks(s * h.max(1))).zip(&mask) {
            for (position, &w) in seq.chunks(h.max(1)).zip(weights) {
                for (o, &v) in row.iter_mut().zip(position) {
                    *o += v * w;
                }
            }
            let count = weights.iter().sum::<f32>().max(1.0);
            row.iter_mut().for_each(|o| *o /= count);
            let norm = row.iter().map(|o| o * o).sum::<f32>().sqrt().max(1e-12);
            row.iter_mut().for_each(|o| *o /= norm);
        }
        out
    })?;
    Tensor::from_vec(out, (b, h), hidden.device())
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

    /// Training, as `forward(input_ids, attention_mask, Some(dropout))` computes it, except that the word embedding
    /// table gets no gradient: the looked-up rows do. Returns the logits and those rows, `[batch, seq, hidden]`, as a
    /// variable whose gradient is the loss's gradient by each position's word vector (`None` when the table is not
    /// a variable, as when it is frozen: then nothing below it needs a gradient either).
    ///
    /// candle's gradient of a lookup is the whole table, 64,000 × 384 floats for lurescan-base, built from zeros and
    /// copied twice in every backward pass; the trainer instead adds the rows' gradients into one table-sized
    /// gradient per batch (`lurescan_train::shard`).
    pub fn forward_sparse_embeddings(
        &self,
        input_ids: &Tensor,
        attention_mask: &Tensor,
        dropout: &mut SeededRng,
    ) -> Result<(Tensor, Option<Var>)> {
        let table = self.bert.word_embeddings();
        if !table.is_variable() || table.dtype() != DType::F32 {
            return Ok((self.forward(input_ids, attention_mask, Some(dropout))?, None));
        }
        let embeddings = &self.bert.embeddings;
        embeddings.check_len(input_ids)?;
        let mask = mask_for(input_ids, attention_mask)?;
        let (b, s) = input_ids.dims2()?;
        let rows = table.detach().index_select(&input_ids.flatten_all()?, 0)?.reshape((b, s, table.dim(1)?))?;
        let rows = Var::from_tensor(&rows)?;
        let xs = embeddings.forward_words(rows.as_tensor(), Some(dropout))?;
        let xs = self.bert.run_layers(xs, mask.as_ref(), true, Some(dropout))?;
        let logits = self.head(&xs.narrow(1, 0, 1)?.squeeze(1)?, Some(dropout))?;
        Ok((logits, Some(rows)))
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
    use candle_nn::VarMap;

    /// The fused residual add and layer norm of inference against candle's fused layer norm of the sum, on rows
    /// whose length leaves every remainder of its 16 lanes, with an offset mean (where `E[x²] − mean²` loses the
    /// most): within 2e-5 (measured about 1e-6).
    #[test]
    fn the_fused_add_and_layer_norm_is_candles_layer_norm_of_the_sum() {
        let mut rng = crate::SeededRng::new(4);
        for (rows, h) in [(3, 384), (2, 37), (5, 16), (1, 1), (4, 1536)] {
            let mut random = |n: usize, offset: f32| -> Vec<f32> { (0..n).map(|_| offset + rng.normal()).collect() };
            let (x, r) = (random(rows * h, 3.0), random(rows * h, -1.0));
            let norm = LayerNorm {
                weight: Tensor::new(random(h, 1.0), &Device::Cpu).unwrap(),
                bias: Tensor::new(random(h, 0.0), &Device::Cpu).unwrap(),
                eps: 1e-12,
            };
            let x = Tensor::from_vec(x, (rows, h), &Device::Cpu).unwrap();
            let r = Tensor::from_vec(r, (rows, h), &Device::Cpu).unwrap();
            let fused = norm.add_forward_t(&x, &r, false).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
            let want = norm.forward_t(&(&x + &r).unwrap(), false).unwrap().flatten_all().unwrap();
            for (f, w) in fused.iter().zip(want.to_vec1::<f32>().unwrap()) {
                assert!((f - w).abs() <= 2e-5 * (1.0 + w.abs()), "{rows}x{h}: {f} against {w}");
            }
        }
    }

    /// The in-place mean pooling against the same formula in candle ops, with padding in all but one sequence and
    /// a sequence wholly masked (its count is clamped to 1, giving a zero vector): within 1e-6.
    #[test]
    fn mean_pooling_in_place_is_the_composed_one() {
        let mut rng = crate::SeededRng::new(9);
        let (b, s, h) = (4, 7, 37);
        let hidden = (0..b * s * h).map(|_| 0.5 + rng.normal()).collect::<Vec<f32>>();
        let hidden = Tensor::from_vec(hidden, (b, s, h), &Device::Cpu).unwrap();
        let keep = [7u32, 3, 1, 0];
        let mask: Vec<u32> = keep.iter().flat_map(|&k| (0..s as u32).map(move |t| u32::from(t < k))).collect();
        let mask = Tensor::from_vec(mask, (b, s), &Device::Cpu).unwrap();
        let fast = mean_pool_normalized(&hidden, &mask).unwrap().to_vec2::<f32>().unwrap();
        let want = mean_pool_normalized_composed(&hidden, &mask).unwrap().to_vec2::<f32>().unwrap();
        for (i, (f, w)) in fast.iter().zip(&want).enumerate() {
            let off = f.iter().zip(w).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
            assert!(off <= 1e-6, "sequence {i}: off by {off}");
        }
        assert!(fast[3].iter().all(|&v| v == 0.0), "a wholly masked sequence pools to zeros");
        let norm: f32 = fast[0].iter().map(|v| v * v).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "unit length, got {norm}");
    }

    /// A small model with random weights (candle's generator: the tests compare two paths of the same model).
    fn random_model(hidden: usize, heads: usize) -> BertForSequenceClassification {
        let cfg = BertConfig {
            vocab_size: 40,
            hidden_size: hidden,
            num_hidden_layers: 2,
            num_attention_heads: heads,
            intermediate_size: 2 * hidden,
            max_position_embeddings: 48,
            ..BertConfig::default()
        };
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
        let model = BertForSequenceClassification::load(vb, &cfg).unwrap();
        for var in varmap.all_vars() {
            // Biases and layer norms start at 0 and 1: give them random values too.
            let values = Tensor::randn(0f32, 0.5, var.shape(), &Device::Cpu).unwrap();
            var.set(&(var.as_tensor() + values).unwrap()).unwrap();
        }
        model
    }

    fn with_blocks(model: &BertForSequenceClassification, rows: usize, scores: usize) -> BertForSequenceClassification {
        let mut model = model.clone();
        for layer in &mut model.bert.layers {
            (layer.block_rows, layer.block_scores) = (rows, scores);
        }
        model
    }

    /// Five sequences of 40 positions, some padded, in blocks of 1 to 4 sequences (by rows: 40 each, by scores:
    /// 3 heads × 40 × 40 = 4,800 each), of unequal sizes, with the mask sliced with them; a budget of 3 rows also
    /// splits the last layer's `[CLS]`-only rows. At fp32 and int8, the logits, embeddings and hidden states must
    /// be those of the whole batch: bit for bit in a model 132 wide, where every matrix product takes gemm's
    /// general path, as lurescan-base's (384 wide) do; within 1e-5 in one 12 wide, where gemm takes its paths for
    /// small matrices, whose sums depend on the number of rows.
    #[test]
    fn layers_computed_a_few_sequences_at_a_time_give_the_whole_batchs_floats() {
        for (hidden, tolerance) in [(132, 0.0), (12, 1e-5)] {
            let fp32 = random_model(hidden, 3);
            let mut int8 = fp32.clone();
            int8.set_precision(Precision::Int8).unwrap();
            for model in [fp32, int8] {
                blocks_give_the_whole_batchs_floats(&model, hidden, tolerance);
            }
        }
    }

    fn assert_close(a: &Tensor, b: &Tensor, tolerance: f32, case: &str) {
        let (a, b) =
            (a.flatten_all().unwrap().to_vec1::<f32>().unwrap(), b.flatten_all().unwrap().to_vec1::<f32>().unwrap());
        assert_eq!(a.len(), b.len());
        if tolerance == 0.0 {
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&a), bits(&b), "{case}: bit for bit");
        } else {
            let diff = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max);
            assert!(diff <= tolerance, "{case}: max |diff| {diff} > {tolerance}");
        }
    }

    fn blocks_give_the_whole_batchs_floats(model: &BertForSequenceClassification, hidden: usize, tolerance: f32) {
        let lengths = [40usize, 17, 40, 1, 29];
        let ids: Vec<u32> = (0..5 * 40).map(|i| (i as u32 * 7 + 3) % 40).collect();
        let mask: Vec<u32> = lengths.iter().flat_map(|&n| (0..40).map(move |j| u32::from(j < n))).collect();
        let ids = Tensor::from_vec(ids, (5, 40), &Device::Cpu).unwrap();
        let mask = Tensor::from_vec(mask, (5, 40), &Device::Cpu).unwrap();
        let whole = with_blocks(model, usize::MAX, usize::MAX);
        let logits = whole.forward(&ids, &mask, None).unwrap();
        let (with_embeddings, embeddings) = whole.forward_with_embeddings(&ids, &mask).unwrap();
        let states = whole.encoder().forward(&ids, &mask, None).unwrap();
        assert_close(&logits, &with_embeddings, 0.0, "forward and forward_with_embeddings");
        let max = usize::MAX;
        for (rows, scores) in
            [(40, max), (80, max), (81, max), (160, max), (max, 4_800), (max, 9_601), (80, 4_800), (3, max)]
        {
            let blocked = with_blocks(model, rows, scores);
            let case = format!("rows {rows}, scores {scores}");
            assert_close(&blocked.forward(&ids, &mask, None).unwrap(), &logits, tolerance, &case);
            let (l, e) = blocked.forward_with_embeddings(&ids, &mask).unwrap();
            assert_close(&l, &logits, tolerance, &case);
            assert_close(&e, &embeddings, tolerance, &case);
            assert_close(&blocked.encoder().forward(&ids, &mask, None).unwrap(), &states, tolerance, &case);
        }
        // Not vacuous: another model's logits differ.
        assert_ne!(
            random_model(hidden, 3).forward(&ids, &mask, None).unwrap().to_vec2::<f32>().unwrap(),
            logits.to_vec2::<f32>().unwrap()
        );
    }

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
