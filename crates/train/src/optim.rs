//! AdamW with decoupled weight decay, global-norm gradient clipping, and a state that can be saved and restored
//! exactly (so a resumed run continues bit for bit).
//!
//! Written here rather than taken from `candle_nn::AdamW` because checkpoints need the moment estimates, and
//! biases and LayerNorm parameters are left out of weight decay (as in BERT's recipe).

use candle_core::backprop::GradStore;
use candle_core::{Result, Tensor, Var};
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
    m: Tensor,
    v: Tensor,
}

/// The optimiser over a fixed list of named variables (kept in name order).
pub struct AdamW {
    params: Vec<Param>,
    step: u64,
    config: AdamWConfig,
}

/// Whether a parameter gets weight decay: not biases, not LayerNorm gains and shifts.
fn decays(name: &str) -> bool {
    !(name.ends_with("bias") || name.contains("LayerNorm") || name.contains("layer_norm"))
}

impl AdamW {
    pub fn new(mut vars: Vec<(String, Var)>, config: AdamWConfig) -> Result<Self> {
        vars.sort_by(|a, b| a.0.cmp(&b.0));
        let params = vars
            .into_iter()
            .map(|(name, var)| {
                let m = var.zeros_like()?;
                let v = var.zeros_like()?;
                Ok(Param { decay: decays(&name), name, var, m, v })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(AdamW { params, step: 0, config })
    }

    /// Number of steps taken.
    pub fn steps(&self) -> u64 {
        self.step
    }

    /// The L2 norm of all gradients together.
    pub fn grad_norm(&self, grads: &GradStore) -> Result<f64> {
        let mut sum = 0f64;
        for p in &self.params {
            if let Some(g) = grads.get(p.var.as_tensor()) {
                sum += g.sqr()?.sum_all()?.to_scalar::<f32>()? as f64;
            }
        }
        Ok(sum.sqrt())
    }

    /// One update at learning rate `lr`; gradients are scaled so that their global norm is at most `max_norm`
    /// (no clipping when `max_norm <= 0`). Returns the norm before clipping.
    pub fn step(&mut self, grads: &GradStore, lr: f64, max_norm: f64) -> Result<f64> {
        let norm = self.grad_norm(grads)?;
        let scale = if max_norm > 0.0 && norm > max_norm { max_norm / (norm + 1e-6) } else { 1.0 };
        self.step += 1;
        let AdamWConfig { beta1, beta2, eps, weight_decay } = self.config;
        let correction1 = 1.0 - beta1.powi(self.step as i32);
        let correction2 = 1.0 - beta2.powi(self.step as i32);
        for p in &mut self.params {
            let Some(g) = grads.get(p.var.as_tensor()) else { continue };
            let g = if scale != 1.0 { g.affine(scale, 0.0)? } else { g.clone() };
            p.m = ((&p.m * beta1)? + (&g * (1.0 - beta1))?)?;
            p.v = ((&p.v * beta2)? + (g.sqr()? * (1.0 - beta2))?)?;
            let m_hat = (&p.m / correction1)?;
            let v_hat = (&p.v / correction2)?;
            let update = (m_hat / (v_hat.sqrt()? + eps)?)?;
            let theta = p.var.as_tensor();
            let theta = if p.decay && weight_decay > 0.0 { (theta * (1.0 - lr * weight_decay))? } else { theta.clone() };
            p.var.set(&(theta - (update * lr)?)?)?;
        }
        Ok(norm)
    }

    /// The moments (`m.NAME`, `v.NAME`) and the step count (`step`, as two u32 halves), for a checkpoint.
    pub fn state(&self) -> Result<HashMap<String, Tensor>> {
        let mut out = HashMap::new();
        for p in &self.params {
            out.insert(format!("m.{}", p.name), p.m.clone());
            out.insert(format!("v.{}", p.name), p.v.clone());
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
            p.m = get(format!("m.{}", p.name))?;
            p.v = get(format!("v.{}", p.name))?;
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
        let mut opt = AdamW::new(vec![("w".into(), w.clone())], AdamWConfig { weight_decay: 0.0, ..Default::default() })?;
        for _ in 0..500 {
            let loss = (w.as_tensor() - 3.0)?.sqr()?.sum_all()?;
            let grads = loss.backward()?;
            opt.step(&grads, 0.05, 1.0)?;
        }
        for x in w.as_tensor().to_vec1::<f32>()? {
            assert!((x - 3.0).abs() < 0.05, "{x}");
        }
        // The first step of Adam moves each coordinate by about lr, whatever the gradient's size.
        let w = Var::new(&[0f32], &Device::Cpu)?;
        let mut opt = AdamW::new(vec![("w".into(), w.clone())], AdamWConfig::default())?;
        let grads = (w.as_tensor() * 1000.0)?.sum_all()?.backward()?;
        let norm = opt.step(&grads, 0.1, 1.0)?;
        assert!((norm - 1000.0).abs() < 1e-3);
        assert!((w.as_tensor().to_vec1::<f32>()?[0] + 0.1).abs() < 1e-4);
        assert_eq!(opt.steps(), 1);
        Ok(())
    }
}
