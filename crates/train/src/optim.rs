//! AdamW with decoupled weight decay, global-norm gradient clipping, and a state that can be saved and restored
//! exactly (so a resumed run continues bit for bit).
//!
//! Written here rather than taken from `candle_nn::AdamW` because checkpoints need the moment estimates, and
//! biases and LayerNorm parameters are left out of weight decay (as in BERT's recipe).

use candle_core::backprop::GradStore;
use candle_core::{CpuStorage, InplaceOp1, Layout, Result, Storage, Tensor, Var};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdamWConfig {
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
}

impl Default for AdamWConfig {
    fn default() -> Self {
        AdamWConfig { beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.01 }
    }
}

struct Param {
    name: String,
    var: Var,
    decay: bool,
    /// This parameter's learning rate is `lr · lr_scale` (layer-wise decay).
    lr_scale: f64,
    m: Vec<f32>,
    v: Vec<f32>,
}

/// The optimiser over a fixed list of named variables (kept in name order).
///
/// The update runs as one pass over plain slices per parameter (parameters in parallel on the rayon pool) rather
/// than a dozen tensor ops that each allocate; every parameter is updated independently and the gradient norm is
/// summed in name order, so the result does not depend on the thread count.
pub struct AdamW {
    params: Vec<Param>,
    step: u64,
    config: AdamWConfig,
}

/// Whether a parameter gets weight decay: not biases, not LayerNorm gains and shifts.
fn decays(name: &str) -> bool {
    !(name.ends_with("bias") || name.contains("LayerNorm") || name.contains("layer_norm"))
}

/// Calls `f` with the f32 elements of `t` in row-major order (without a copy when `t` is contiguous).
fn with_slice<R>(t: &Tensor, f: impl FnOnce(&[f32]) -> R) -> Result<R> {
    if !t.is_contiguous() {
        return with_slice(&t.contiguous()?, f);
    }
    let (storage, layout) = t.storage_and_layout();
    let Storage::Cpu(cpu) = &*storage else { candle_core::bail!("the optimiser runs on the CPU only") };
    let data = cpu.as_slice::<f32>()?;
    let (start, end) = layout.contiguous_offsets().expect("contiguous tensor");
    Ok(f(&data[start..end]))
}

/// The gradient of `var` summed over `grads` (the shards of one batch) in order; `None` if none has one.
pub fn summed_gradient(grads: &[GradStore], var: &Var) -> Result<Option<Vec<f32>>> {
    let mut total: Option<Vec<f32>> = None;
    for g in grads.iter().filter_map(|s| s.get(var.as_tensor())) {
        with_slice(g, |g| match &mut total {
            None => total = Some(g.to_vec()),
            Some(t) => t.iter_mut().zip(g).for_each(|(t, g)| *t += g),
        })?;
    }
    Ok(total)
}

/// An update of a variable's elements where they are (what `Var::set` writes into, without a new tensor to copy
/// from: the word embedding table of lurescan-base is 98 MB).
struct InPlace<F>(std::cell::RefCell<Option<F>>);

impl<F: FnOnce(&mut [f32])> InPlace<F> {
    fn new(f: F) -> Self {
        InPlace(std::cell::RefCell::new(Some(f)))
    }
}

impl<F: FnOnce(&mut [f32])> InplaceOp1 for InPlace<F> {
    fn name(&self) -> &'static str {
        "adamw-update"
    }

    fn cpu_fwd(&self, storage: &mut CpuStorage, layout: &Layout) -> Result<()> {
        let (CpuStorage::F32(data), Some((start, end))) = (storage, layout.contiguous_offsets()) else {
            candle_core::bail!("the optimiser updates contiguous f32 variables only");
        };
        let f = self.0.borrow_mut().take().expect("an in-place update runs once");
        f(&mut data[start..end]);
        Ok(())
    }
}

/// The sum of squares of a gradient.
fn squares(g: &[f32]) -> f64 {
    g.iter().map(|&x| (x as f64) * (x as f64)).sum::<f64>()
}

/// The global L2 norm of per-parameter gradients, summed in parameter order.
fn norm(grads: &[Option<Vec<f32>>]) -> f64 {
    grads.iter().flatten().map(|g| squares(g)).sum::<f64>().sqrt()
}

/// A parameter's gradient for one step: the one shard's tensor that has it, read in place, or the shards' sum.
enum Gradient<'a> {
    One(&'a Tensor),
    Sum(Vec<f32>),
}

impl<'a> Gradient<'a> {
    fn of(grads: &'a [GradStore], var: &Var) -> Result<Option<Self>> {
        let mut found = grads.iter().filter_map(|s| s.get(var.as_tensor()));
        Ok(match (found.next(), found.next()) {
            (None, _) => None,
            (Some(g), None) if g.is_contiguous() => Some(Gradient::One(g)),
            _ => summed_gradient(grads, var)?.map(Gradient::Sum),
        })
    }

    fn with<R>(&self, f: impl FnOnce(&[f32]) -> R) -> Result<R> {
        match self {
            Gradient::One(t) => with_slice(t, f),
            Gradient::Sum(v) => Ok(f(v)),
        }
    }
}

impl AdamW {
    pub fn new(vars: Vec<(String, Var)>, config: AdamWConfig) -> Result<Self> {
        Self::with_lr_scales(vars, config, |_| 1.0)
    }

    /// Like [`AdamW::new`], each parameter's learning rate multiplied by `lr_scale(name)`.
    pub fn with_lr_scales(
        mut vars: Vec<(String, Var)>,
        config: AdamWConfig,
        lr_scale: impl Fn(&str) -> f64,
    ) -> Result<Self> {
        vars.sort_by(|a, b| a.0.cmp(&b.0));
        let params = vars
            .into_iter()
            .map(|(name, var)| {
                let n = var.elem_count();
                Param { decay: decays(&name), lr_scale: lr_scale(&name), name, var, m: vec![0.0; n], v: vec![0.0; n] }
            })
            .collect();
        Ok(AdamW { params, step: 0, config })
    }

    /// Number of steps taken.
    pub fn steps(&self) -> u64 {
        self.step
    }

    /// The L2 norm of all gradients together (the shards of `grads` added).
    pub fn grad_norm(&self, grads: &[GradStore]) -> Result<f64> {
        let sums = self.params.par_iter().map(|p| summed_gradient(grads, &p.var)).collect::<Result<Vec<_>>>()?;
        Ok(norm(&sums))
    }

    /// One update at learning rate `lr` with the gradient summed over `grads` (the shards of one batch, or one
    /// `GradStore`); the gradient is scaled so that its global norm is at most `max_norm` (no clipping when
    /// `max_norm <= 0`). Returns the norm before clipping.
    pub fn step(&mut self, grads: &[GradStore], lr: f64, max_norm: f64) -> Result<f64> {
        let sums = self.params.par_iter().map(|p| Gradient::of(grads, &p.var)).collect::<Result<Vec<_>>>()?;
        let squares =
            sums.par_iter().map(|g| g.as_ref().map_or(Ok(0.0), |g| g.with(squares))).collect::<Result<Vec<f64>>>()?;
        let norm = squares.iter().sum::<f64>().sqrt();
        let scale = if max_norm > 0.0 && norm > max_norm { max_norm / (norm + 1e-6) } else { 1.0 };
        self.step += 1;
        let AdamWConfig { beta1, beta2, eps, weight_decay } = self.config;
        let correction1 = 1.0 - beta1.powi(self.step as i32);
        let correction2 = 1.0 - beta2.powi(self.step as i32);
        let (scale, b1, b2, eps) = (scale as f32, beta1 as f32, beta2 as f32, eps as f32);
        let (inv_c1, inv_c2) = ((1.0 / correction1) as f32, (1.0 / correction2) as f32);
        self.params.par_iter_mut().zip(sums).try_for_each(|(p, g)| -> Result<()> {
            let Some(g) = g else { return Ok(()) };
            let lr = lr * p.lr_scale;
            let lr32 = lr as f32;
            let keep = if p.decay && weight_decay > 0.0 { (1.0 - lr * weight_decay) as f32 } else { 1.0 };
            let Param { var, m, v, .. } = p;
            g.with(|g| {
                var.as_tensor().inplace_op1(&InPlace::new(|theta: &mut [f32]| {
                    for (((t, &g), m), v) in theta.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
                        let g = g * scale;
                        *m = b1 * *m + (1.0 - b1) * g;
                        *v = b2 * *v + (1.0 - b2) * g * g;
                        let update = (*m * inv_c1) / ((*v * inv_c2).sqrt() + eps);
                        *t = *t * keep - lr32 * update;
                    }
                }))
            })?
        })?;
        Ok(norm)
    }

    /// The moments (`m.NAME`, `v.NAME`) and the step count (`step`, as two u32 halves), for a checkpoint.
    pub fn state(&self) -> Result<HashMap<String, Tensor>> {
        let mut out = HashMap::new();
        for p in &self.params {
            let (shape, device) = (p.var.shape(), p.var.device());
            out.insert(format!("m.{}", p.name), Tensor::from_slice(&p.m, shape, device)?);
            out.insert(format!("v.{}", p.name), Tensor::from_slice(&p.v, shape, device)?);
        }
        let step = [(self.step >> 32) as u32, self.step as u32];
        out.insert("step".into(), Tensor::new(&step, &candle_core::Device::Cpu)?);
        Ok(out)
    }

    /// Restores what [`AdamW::state`] saved.
    pub fn load_state(&mut self, state: &HashMap<String, Tensor>) -> Result<()> {
        let get = |key: String| {
            state.get(&key).cloned().ok_or_else(|| candle_core::Error::Msg(format!("optimizer state lacks {key}")))
        };
        for p in &mut self.params {
            p.m = get(format!("m.{}", p.name))?.flatten_all()?.to_vec1::<f32>()?;
            p.v = get(format!("v.{}", p.name))?.flatten_all()?.to_vec1::<f32>()?;
            if p.m.len() != p.var.elem_count() || p.v.len() != p.var.elem_count() {
                candle_core::bail!("optimizer state of {} has the wrong size", p.name);
            }
        }
        let step = get("step".into())?.to_vec1::<u32>()?;
        self.step = ((step[0] as u64) << 32) | step[1] as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    #[test]
    fn minimises_a_quadratic_and_clips() -> Result<()> {
        // f(w) = sum((w - 3)^2): AdamW (no decay) walks w towards 3.
        let w = Var::new(&[0f32, 10.0], &Device::Cpu)?;
        let mut opt =
            AdamW::new(vec![("w".into(), w.clone())], AdamWConfig { weight_decay: 0.0, ..Default::default() })?;
        for _ in 0..500 {
            let loss = (w.as_tensor() - 3.0)?.sqr()?.sum_all()?;
            let grads = loss.backward()?;
            opt.step(&[grads], 0.05, 1.0)?;
        }
        for x in w.as_tensor().to_vec1::<f32>()? {
            assert!((x - 3.0).abs() < 0.05, "{x}");
        }
        // The first step of Adam moves each coordinate by about lr, whatever the gradient's size.
        let w = Var::new(&[0f32], &Device::Cpu)?;
        let mut opt = AdamW::new(vec![("w".into(), w.clone())], AdamWConfig::default())?;
        let grads = (w.as_tensor() * 1000.0)?.sum_all()?.backward()?;
        let norm = opt.step(&[grads], 0.1, 1.0)?;
        assert!((norm - 1000.0).abs() < 1e-3);
        assert!((w.as_tensor().to_vec1::<f32>()?[0] + 0.1).abs() < 1e-4);
        assert_eq!(opt.steps(), 1);
        Ok(())
    }
}
