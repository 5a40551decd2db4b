//! Training-only ops with a hand-written backward: layer norm, bias + GELU, attention softmax with its additive
//! mask, and dropout. Each is one candle op that reads its input once forward and once backward, where candle's
//! differentiable compositions take five to fifteen ops, each with its own gradient tensor (candle's backward
//! allocates a zero gradient per node and adds into it, and also computes the gradient of constant operands such as
//! dropout masks and attention masks).
//!
//! The kernels run on the calling thread, one row after another, so the results do not depend on the thread count
//! (training runs the shards of a batch on the rayon pool instead). Each op's reference is candle's composition; the
//! tests compare both, forward and backward, on small random shapes.

use candle_core::{CpuStorage, CustomOp1, CustomOp2, CustomOp3, Layout, Result, Shape, Storage, Tensor};

/// The contiguous f32 elements of a CPU storage under `layout`.
fn slice<'a>(storage: &'a CpuStorage, layout: &Layout) -> Result<&'a [f32]> {
    let data = storage.as_slice::<f32>()?;
    match layout.contiguous_offsets() {
        Some((start, end)) => Ok(&data[start..end]),
        None => candle_core::bail!("training op: expected a contiguous f32 tensor"),
    }
}

/// Calls `f` with the contiguous f32 elements of each of `tensors` (copied first only if not contiguous).
fn with_slices<R>(tensors: &[&Tensor], f: impl FnOnce(&[&[f32]]) -> Result<R>) -> Result<R> {
    let tensors: Vec<Tensor> = tensors.iter().map(|t| t.contiguous()).collect::<Result<_>>()?;
    let guards: Vec<_> = tensors.iter().map(|t| t.storage_and_layout()).collect();
    let slices = guards
        .iter()
        .map(|(storage, layout)| match &**storage {
            Storage::Cpu(cpu) => slice(cpu, layout),
            _ => candle_core::bail!("training ops run on the CPU only"),
        })
        .collect::<Result<Vec<_>>>()?;
    f(&slices)
}

fn last_dim(layout: &Layout) -> Result<usize> {
    layout.dims().last().copied().filter(|&n| n > 0).ok_or_else(|| candle_core::Error::Msg("empty last dim".into()))
}

/// `(x − mean) / sqrt(var + eps) · weight + bias` over the last dimension of `x`, as
/// `candle_nn::ops::layer_norm_slow` computes it, with a backward.
pub fn layer_norm(x: &Tensor, weight: &Tensor, bias: &Tensor, eps: f32) -> Result<Tensor> {
    x.contiguous()?.apply_op3(&weight.contiguous()?, &bias.contiguous()?, LayerNorm { eps })
}

struct LayerNorm {
    eps: f32,
}

/// The mean and 1/standard deviation of `row`.
fn moments(row: &[f32], eps: f32) -> (f32, f32) {
    let n = row.len() as f32;
    let mean = row.iter().sum::<f32>() / n;
    let var = row.iter().map(|&x| (x - mean) * (x - mean)).sum::<f32>() / n;
    (mean, 1.0 / (var + eps).sqrt())
}

impl CustomOp3 for LayerNorm {
    fn name(&self) -> &'static str {
        "train-layer-norm"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
        s3: &CpuStorage,
        l3: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let (x, weight, bias) = (slice(s1, l1)?, slice(s2, l2)?, slice(s3, l3)?);
        let n = last_dim(l1)?;
        if weight.len() != n || bias.len() != n {
            candle_core::bail!("layer norm: weight and bias must have {n} elements");
        }
        // Outputs are built by extending rather than zeroed and overwritten: the zeroing was a pass of its own.
        let mut out = Vec::with_capacity(x.len());
        for row in x.chunks_exact(n) {
            let (mean, rstd) = moments(row, self.eps);
            out.extend(row.iter().zip(weight).zip(bias).map(|((&x, &w), &b)| (x - mean) * rstd * w + b));
        }
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }

    fn bwd(
        &self,
        x: &Tensor,
        weight: &Tensor,
        _bias: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let n = x.dim(candle_core::D::Minus1)?;
        let (dx, dw, db) = with_slices(&[x, weight, grad], |s| {
            let (x, weight, grad) = (s[0], s[1], s[2]);
            let (mut dx, mut dw, mut db) = (Vec::with_capacity(x.len()), vec![0f32; n], vec![0f32; n]);
            let mut gw = vec![0f32; n];
            for (row, g) in x.chunks_exact(n).zip(grad.chunks_exact(n)) {
                let (mean, rstd) = moments(row, self.eps);
                let (mut sum_gw, mut sum_gw_xhat) = (0f32, 0f32);
                for i in 0..n {
                    let xhat = (row[i] - mean) * rstd;
                    gw[i] = g[i] * weight[i];
                    sum_gw += gw[i];
                    sum_gw_xhat += gw[i] * xhat;
                    dw[i] += g[i] * xhat;
                    db[i] += g[i];
                }
                let (a, c) = (sum_gw / n as f32, sum_gw_xhat / n as f32);
                dx.extend(row.iter().zip(&gw).map(|(&x, &gw)| rstd * (gw - a - (x - mean) * rstd * c)));
            }
            Ok((dx, dw, db))
        })?;
        let device = x.device();
        Ok((
            Some(Tensor::from_vec(dx, x.shape(), device)?),
            Some(Tensor::from_vec(dw, n, device)?),
            Some(Tensor::from_vec(db, n, device)?),
        ))
    }
}

/// `x + bias`, `bias` repeated over `x`'s elements (a linear map's bias `[out]` over `[.., out]`, or position
/// embeddings `[s, h]` over `[b, s, h]`), with a backward whose bias gradient is one pass over the rows.
pub fn add_bias(x: &Tensor, bias: &Tensor) -> Result<Tensor> {
    let k = bias.elem_count();
    if k == 0 || !x.elem_count().is_multiple_of(k) {
        candle_core::bail!("add bias: {:?} does not repeat over {:?}", bias.shape(), x.shape());
    }
    x.contiguous()?.apply_op2(&bias.contiguous()?, AddBias)
}

struct AddBias;

impl CustomOp2 for AddBias {
    fn name(&self) -> &'static str {
        "train-add-bias"
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout) -> Result<(CpuStorage, Shape)> {
        let (x, bias) = (slice(s1, l1)?, slice(s2, l2)?);
        let mut out = Vec::with_capacity(x.len());
        for row in x.chunks_exact(bias.len()) {
            out.extend(row.iter().zip(bias).map(|(x, b)| x + b));
        }
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }

    fn bwd(
        &self,
        _x: &Tensor,
        bias: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> Result<(Option<Tensor>, Option<Tensor>)> {
        let k = bias.elem_count();
        let db = with_slices(&[grad], |g| {
            let mut db = vec![0f32; k];
            for row in g[0].chunks_exact(k) {
                db.iter_mut().zip(row).for_each(|(d, g)| *d += g);
            }
            Ok(db)
        })?;
        Ok((Some(grad.clone()), Some(Tensor::from_vec(db, bias.shape(), bias.device())?)))
    }
}

/// `gelu_erf(x + bias)`, `bias` added along the last dimension of `x`, with a backward.
pub fn bias_gelu(x: &Tensor, bias: &Tensor) -> Result<Tensor> {
    x.contiguous()?.apply_op2(&bias.contiguous()?, BiasGelu)
}

struct BiasGelu;

/// candle's `gelu_erf` of one f32 (the same formula, so the forward matches it bit for bit).
fn gelu(z: f32) -> f32 {
    (candle_core::cpu::erf::erf_f32(z * std::f32::consts::FRAC_1_SQRT_2) + 1.) * 0.5 * z
}

/// d gelu_erf(z) / dz = Φ(z) + z φ(z).
fn gelu_slope(z: f32) -> f32 {
    const INV_SQRT_2PI: f32 = 0.398_942_3;
    0.5 * (1.0 + candle_core::cpu::erf::erf_f32(z * std::f32::consts::FRAC_1_SQRT_2))
        + z * INV_SQRT_2PI * (-0.5 * z * z).exp()
}

impl CustomOp2 for BiasGelu {
    fn name(&self) -> &'static str {
        "train-bias-gelu"
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout) -> Result<(CpuStorage, Shape)> {
        let (x, bias) = (slice(s1, l1)?, slice(s2, l2)?);
        let n = last_dim(l1)?;
        if bias.len() != n {
            candle_core::bail!("bias + gelu: bias must have {n} elements");
        }
        let mut out = Vec::with_capacity(x.len());
        for row in x.chunks_exact(n) {
            out.extend(row.iter().zip(bias).map(|(&x, &b)| gelu(x + b)));
        }
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }

    fn bwd(&self, x: &Tensor, bias: &Tensor, _res: &Tensor, grad: &Tensor) -> Result<(Option<Tensor>, Option<Tensor>)> {
        let n = bias.elem_count();
        let (dx, db) = with_slices(&[x, bias, grad], |s| {
            let (x, bias, grad) = (s[0], s[1], s[2]);
            let (mut dx, mut db) = (Vec::with_capacity(x.len()), vec![0f32; n]);
            for (row, g) in x.chunks_exact(n).zip(grad.chunks_exact(n)) {
                for i in 0..n {
                    let d = g[i] * gelu_slope(row[i] + bias[i]);
                    dx.push(d);
                    db[i] += d;
                }
            }
            Ok((dx, db))
        })?;
        Ok((Some(Tensor::from_vec(dx, x.shape(), x.device())?), Some(Tensor::from_vec(db, n, x.device())?)))
    }
}

/// Softmax over the last dimension of `scores + mask`: `scores` `[b, .., s]`, `mask` additive with `b · s` elements
/// (`[b, 1, 1, s]` as the model makes it), broadcast over the dimensions between; `None` adds nothing. The mask
/// is a constant: it gets no gradient.
pub fn masked_softmax(scores: &Tensor, mask: Option<&Tensor>) -> Result<Tensor> {
    let mask = match mask {
        Some(m) => Some(m.flatten_all()?.to_vec1::<f32>()?),
        None => None,
    };
    let batch = scores.dim(0)?;
    if let Some(m) = &mask {
        if m.len() % batch.max(1) != 0 || m.len() / batch.max(1) != scores.dim(candle_core::D::Minus1)? {
            candle_core::bail!("masked softmax: a mask of {} elements for scores {:?}", m.len(), scores.shape());
        }
    }
    scores.contiguous()?.apply_op1(MaskedSoftmax { mask })
}

struct MaskedSoftmax {
    mask: Option<Vec<f32>>,
}

impl CustomOp1 for MaskedSoftmax {
    fn name(&self) -> &'static str {
        "train-masked-softmax"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        let x = slice(storage, layout)?;
        let s = last_dim(layout)?;
        let rows_per_batch = x.len() / s / layout.dims()[0].max(1);
        let mut all = Vec::with_capacity(x.len());
        for (r, row) in x.chunks_exact(s).enumerate() {
            let start = all.len();
            match &self.mask {
                Some(mask) => {
                    let b = r / rows_per_batch;
                    all.extend(row.iter().zip(&mask[b * s..(b + 1) * s]).map(|(&x, &m)| x + m));
                }
                None => all.extend_from_slice(row),
            }
            let out = &mut all[start..];
            let max = out.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let mut sum = 0f32;
            for o in out.iter_mut() {
                *o = (*o - max).exp();
                sum += *o;
            }
            let inv = 1.0 / sum;
            out.iter_mut().for_each(|o| *o *= inv);
        }
        Ok((CpuStorage::F32(all), layout.shape().clone()))
    }

    fn bwd(&self, _scores: &Tensor, res: &Tensor, grad: &Tensor) -> Result<Option<Tensor>> {
        let s = res.dim(candle_core::D::Minus1)?;
        let dx = with_slices(&[res, grad], |t| {
            let (y, g) = (t[0], t[1]);
            let mut dx = Vec::with_capacity(y.len());
            for (y, g) in y.chunks_exact(s).zip(g.chunks_exact(s)) {
                let dot: f32 = y.iter().zip(g).map(|(y, g)| y * g).sum();
                dx.extend(y.iter().zip(g).map(|(y, g)| y * (g - dot)));
            }
            Ok(dx)
        })?;
        Ok(Some(Tensor::from_vec(dx, res.shape(), res.device())?))
    }
}

/// `x · mask` elementwise (`mask` the dropout mask, a constant of `x`'s shape): its backward is `grad · mask` alone.
pub fn mul_by_constant(x: &Tensor, mask: Vec<f32>) -> Result<Tensor> {
    if mask.len() != x.elem_count() {
        candle_core::bail!("dropout: a mask of {} elements for {:?}", mask.len(), x.shape());
    }
    x.contiguous()?.apply_op1(MulConstant { mask })
}

struct MulConstant {
    mask: Vec<f32>,
}

impl CustomOp1 for MulConstant {
    fn name(&self) -> &'static str {
        "train-dropout"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        let x = slice(storage, layout)?;
        let out = x.iter().zip(&self.mask).map(|(x, m)| x * m).collect();
        Ok((CpuStorage::F32(out), layout.shape().clone()))
    }

    fn bwd(&self, _x: &Tensor, res: &Tensor, grad: &Tensor) -> Result<Option<Tensor>> {
        let dx = with_slices(&[grad], |g| Ok(g[0].iter().zip(&self.mask).map(|(g, m)| g * m).collect::<Vec<f32>>()))?;
        Ok(Some(Tensor::from_vec(dx, res.shape(), res.device())?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SeededRng;
    use candle_core::{Device, Var, D};

    fn random(rng: &mut SeededRng, shape: &[usize], scale: f32) -> Var {
        let n: usize = shape.iter().product();
        let values: Vec<f32> = (0..n).map(|_| rng.normal() * scale).collect();
        Var::from_tensor(&Tensor::from_vec(values, shape, &Device::Cpu).unwrap()).unwrap()
    }

    fn max_diff(a: &Tensor, b: &Tensor) -> f32 {
        assert_eq!(a.shape(), b.shape());
        let (a, b) =
            (a.flatten_all().unwrap().to_vec1::<f32>().unwrap(), b.flatten_all().unwrap().to_vec1::<f32>().unwrap());
        a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
    }

    /// The value and the gradients of `vars` of `sum(f(vars) · weights)`, with random `weights` so that every output
    /// element's gradient matters differently.
    fn value_and_grads(vars: &[&Var], f: impl Fn() -> Tensor, weights: &Tensor) -> (Tensor, Vec<Tensor>) {
        let y = f();
        let loss = (&y * weights).unwrap().sum_all().unwrap();
        let grads = loss.backward().unwrap();
        (y, vars.iter().map(|v| grads.get(v.as_tensor()).expect("a gradient").clone()).collect())
    }

    /// Checks that `ours` and `reference` (both functions of `vars`) agree forward and backward within `tolerance`.
    fn check(vars: &[&Var], ours: impl Fn() -> Tensor, reference: impl Fn() -> Tensor, tolerance: f32, seed: u64) {
        let shape = reference().shape().clone();
        let weights = random(&mut SeededRng::new(seed), shape.dims(), 1.0).as_tensor().clone();
        let (y1, g1) = value_and_grads(vars, ours, &weights);
        let (y2, g2) = value_and_grads(vars, reference, &weights);
        assert!(max_diff(&y1, &y2) <= tolerance, "forward: {}", max_diff(&y1, &y2));
        for (i, (a, b)) in g1.iter().zip(&g2).enumerate() {
            let scale = b.abs().unwrap().max_all().unwrap().to_scalar::<f32>().unwrap().max(1.0);
            assert!(max_diff(a, b) <= tolerance * scale, "gradient {i}: {} (scale {scale})", max_diff(a, b));
        }
    }

    #[test]
    fn layer_norm_matches_candles_composition_forward_and_backward() {
        let mut rng = SeededRng::new(1);
        for (rows, n) in [(1, 3), (7, 5), (12, 33)] {
            let x = random(&mut rng, &[2, rows, n], 2.0);
            let (w, b) = (random(&mut rng, &[n], 1.0), random(&mut rng, &[n], 1.0));
            check(
                &[&x, &w, &b],
                || layer_norm(x.as_tensor(), w.as_tensor(), b.as_tensor(), 1e-5).unwrap(),
                || candle_nn::ops::layer_norm_slow(x.as_tensor(), w.as_tensor(), b.as_tensor(), 1e-5).unwrap(),
                2e-5,
                n as u64,
            );
        }
    }

    #[test]
    fn bias_gelu_matches_candles_composition_forward_and_backward() {
        let mut rng = SeededRng::new(2);
        for (rows, n) in [(1, 1), (5, 7), (9, 40)] {
            let x = random(&mut rng, &[rows, 2, n], 2.0);
            let b = random(&mut rng, &[n], 1.0);
            check(
                &[&x, &b],
                || bias_gelu(x.as_tensor(), b.as_tensor()).unwrap(),
                || x.as_tensor().broadcast_add(b.as_tensor()).unwrap().gelu_erf().unwrap(),
                2e-5,
                n as u64,
            );
        }
    }

    #[test]
    fn add_bias_matches_a_broadcast_add_forward_and_backward() {
        let mut rng = SeededRng::new(6);
        for (b, s, h) in [(1, 1, 1), (3, 5, 7)] {
            let x = random(&mut rng, &[b, s, h], 1.0);
            let (bias, rows) = (random(&mut rng, &[h], 1.0), random(&mut rng, &[s, h], 1.0));
            for bias in [&bias, &rows] {
                check(
                    &[&x, bias],
                    || add_bias(x.as_tensor(), bias.as_tensor()).unwrap(),
                    || x.as_tensor().broadcast_add(bias.as_tensor()).unwrap(),
                    1e-6,
                    h as u64,
                );
            }
        }
    }

    #[test]
    fn masked_softmax_matches_candles_composition_forward_and_backward() {
        let mut rng = SeededRng::new(3);
        for (b, heads, q, s) in [(1, 1, 1, 1), (2, 3, 4, 5), (3, 2, 1, 17)] {
            let x = random(&mut rng, &[b, heads, q, s], 3.0);
            // The model's additive mask: the last position of every sequence but the first is padding.
            let mask: Vec<f32> =
                (0..b * s).map(|i| if i / s > 0 && i % s == s - 1 && s > 1 { f32::MIN } else { 0.0 }).collect();
            let mask = Tensor::from_vec(mask, (b, 1, 1, s), &Device::Cpu).unwrap();
            for mask in [None, Some(&mask)] {
                let reference = || {
                    let scores = match mask {
                        Some(m) => x.as_tensor().broadcast_add(m).unwrap(),
                        None => x.as_tensor().clone(),
                    };
                    candle_nn::ops::softmax(&scores, D::Minus1).unwrap()
                };
                check(&[&x], || masked_softmax(x.as_tensor(), mask).unwrap(), reference, 1e-6, s as u64);
            }
        }
    }

    #[test]
    fn dropout_by_a_constant_mask_matches_a_product() {
        let mut rng = SeededRng::new(4);
        let x = random(&mut rng, &[3, 7], 1.0);
        let mask = rng.dropout_mask(&[3, 7], 0.3, &Device::Cpu).unwrap();
        let values = mask.flatten_all().unwrap().to_vec1::<f32>().unwrap();
        check(
            &[&x],
            || mul_by_constant(x.as_tensor(), values.clone()).unwrap(),
            || (x.as_tensor() * &mask).unwrap(),
            0.0,
            5,
        );
    }

    /// Finite differences of the layer norm: a check of the formula independent of candle's composition.
    #[test]
    fn layer_norm_gradient_matches_finite_differences() {
        let mut rng = SeededRng::new(5);
        let n = 6;
        let x: Vec<f32> = (0..2 * n).map(|_| rng.normal()).collect();
        let (w, b): (Vec<f32>, Vec<f32>) =
            ((0..n).map(|_| rng.normal()).collect(), (0..n).map(|_| rng.normal()).collect());
        let weights: Vec<f32> = (0..2 * n).map(|_| rng.normal()).collect();
        // The same layer norm in f64, dotted with `weights`.
        let f = |x: &[f64]| -> f64 {
            let mut total = 0.0;
            for (r, row) in x.chunks(n).enumerate() {
                let mean = row.iter().sum::<f64>() / n as f64;
                let var = row.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64;
                let rstd = 1.0 / (var + 1e-5).sqrt();
                for (i, v) in row.iter().enumerate() {
                    total += ((v - mean) * rstd * w[i] as f64 + b[i] as f64) * weights[r * n + i] as f64;
                }
            }
            total
        };
        let xv = Var::from_tensor(&Tensor::from_vec(x.clone(), (2, n), &Device::Cpu).unwrap()).unwrap();
        let (wt, bt) =
            (Tensor::new(w.as_slice(), &Device::Cpu).unwrap(), Tensor::new(b.as_slice(), &Device::Cpu).unwrap());
        let y = layer_norm(xv.as_tensor(), &wt, &bt, 1e-5).unwrap();
        let loss = (y * Tensor::from_vec(weights.clone(), (2, n), &Device::Cpu).unwrap()).unwrap().sum_all().unwrap();
        let grad =
            loss.backward().unwrap().get(xv.as_tensor()).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
        let x64: Vec<f64> = x.iter().map(|&v| v as f64).collect();
        for i in 0..2 * n {
            let h = 1e-5;
            let (mut up, mut down) = (x64.clone(), x64.clone());
            (up[i], down[i]) = (up[i] + h, down[i] - h);
            let numeric = (f(&up) - f(&down)) / (2.0 * h);
            assert!((grad[i] as f64 - numeric).abs() < 1e-3, "x[{i}]: {} against {numeric}", grad[i]);
        }
    }
}
