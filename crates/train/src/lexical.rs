//! Training the lexical ensemble member ([`lurescan::lexical`]) and the ensemble weights.
//!
//! The lexical model is a class-weighted (balanced), L2-regularised logistic regression over the hashed n-gram
//! features, fitted by full-batch Adam: every step sums the gradient over all examples in a fixed order on one
//! thread, so the result is the same bit for bit on every run and thread count. The training set is the whole
//! records plus, for each record with two or more fields, one copy keeping a single seeded-random field (weighted
//! half), so that a lone field scores sensibly. The idf vector comes from the whole records only.
//!
//! The ensemble weights `(bert, lexical, bias)` are a small unweighted logistic regression on the validation
//! set's `(bert_margin / temperature, lexical_margin)` pairs, fitted by Newton's method.

use crate::data::Example;
use lurescan::lexical::{features, term_counts, LexicalModel, BUCKETS};
use lurescan::rng::SeededRng;
use lurescan::{EnsembleConfig, Field, Record, RenderConfig};
use rayon::prelude::*;

/// Full-batch Adam steps for the lexical model.
const STEPS: usize = 300;
/// Peak Adam learning rate (decays linearly to 0).
const LR: f64 = 0.2;
/// Weight of a single-field copy relative to its whole record.
const SINGLE_FIELD_WEIGHT: f64 = 0.5;
/// N-grams in fewer whole training records than this are dropped (idf 0): too rare to weigh.
const MIN_DF: u32 = 2;
/// N-grams in more than this share of the whole training records are dropped (idf 0): no evidence either way.
const MAX_DF_SHARE: f32 = 0.9;

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Fits the lexical model on `train` (rendered with `render`); `l2` is the L2 penalty on the weights added to the
/// mean weighted log-loss (`0.5 · l2 · ‖w‖²`); `seed` picks the single-field copies.
pub fn train_lexical(train: &[Example], render: &RenderConfig, l2: f64, seed: u64) -> lurescan::Result<LexicalModel> {
    // Examples: (record, label, weight before class balancing).
    let mut rng = SeededRng::new(seed ^ 0x1e81_ca1d);
    let mut docs: Vec<(Record, u8, f64)> = Vec::with_capacity(train.len() * 2);
    for e in train {
        docs.push((e.record.clone(), e.label, 1.0));
    }
    for e in train {
        let fields: Vec<(Field, &str)> = e.record.fields().collect();
        let pick = (rng.next_u64() % fields.len().max(1) as u64) as usize;
        if fields.len() >= 2 {
            let (f, v) = fields[pick];
            docs.push((Record::default().with(f, v), e.label, SINGLE_FIELD_WEIGHT));
        }
    }
    let counts: Vec<Vec<(u32, u32)>> = docs.par_iter().map(|(r, _, _)| term_counts(r, render)).collect();

    // Smooth idf from the whole records, ln((1 + n) / (1 + df)) + 1, and 0 for the rare and the near-universal.
    let mut df = vec![0u32; BUCKETS];
    for c in &counts[..train.len()] {
        for &(i, _) in c {
            df[i as usize] += 1;
        }
    }
    let n = train.len() as f32;
    let idf: Vec<f32> = df
        .iter()
        .map(|&d| match d < MIN_DF || d as f32 > MAX_DF_SHARE * n {
            true => 0.0,
            false => ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0,
        })
        .collect();
    let xs: Vec<Vec<(u32, f32)>> = docs.par_iter().map(|(r, _, _)| features(r, render, &idf)).collect();

    // Balanced class weights over the whole records.
    let pos = train.iter().filter(|e| e.label == 1).count() as f64;
    let neg = train.len() as f64 - pos;
    let class = |y: u8| {
        let c = if y == 1 { pos } else { neg };
        if c > 0.0 {
            train.len() as f64 / (2.0 * c)
        } else {
            1.0
        }
    };
    let sample: Vec<f64> = docs.iter().map(|(_, y, w)| w * class(*y)).collect();
    let total: f64 = sample.iter().sum();

    let mut w = vec![0f64; BUCKETS];
    let mut b = 0f64;
    let (beta1, beta2, eps) = (0.9f64, 0.999f64, 1e-8f64);
    let (mut m, mut v) = (vec![0f64; BUCKETS + 1], vec![0f64; BUCKETS + 1]);
    let mut grad = vec![0f64; BUCKETS + 1];
    for step in 0..STEPS {
        grad.iter_mut().for_each(|g| *g = 0.0);
        for ((x, (_, y, _)), s) in xs.iter().zip(&docs).zip(&sample) {
            let z = b + x.iter().map(|&(i, v)| w[i as usize] * v as f64).sum::<f64>();
            let r = s * (sigmoid(z) - *y as f64) / total;
            for &(i, v) in x {
                grad[i as usize] += r * v as f64;
            }
            grad[BUCKETS] += r;
        }
        for (g, wi) in grad.iter_mut().zip(&w) {
            *g += l2 * wi;
        }
        let lr = LR * (1.0 - step as f64 / STEPS as f64);
        let t = (step + 1) as i32;
        let (c1, c2) = (1.0 - beta1.powi(t), 1.0 - beta2.powi(t));
        for k in 0..=BUCKETS {
            m[k] = beta1 * m[k] + (1.0 - beta1) * grad[k];
            v[k] = beta2 * v[k] + (1.0 - beta2) * grad[k] * grad[k];
            let delta = lr * (m[k] / c1) / ((v[k] / c2).sqrt() + eps);
            if k < BUCKETS {
                w[k] -= delta;
            } else {
                b -= delta;
            }
        }
    }
    LexicalModel::new(w.into_iter().map(|x| x as f32).collect(), idf, b as f32)
}

/// Fits `(bert, lexical, bias)` so that `sigmoid(bert · a + lexical · l + bias)` predicts the labels: Newton's
/// method on the mean log-loss with a small ridge (`1e-3`) on the two slopes, which keeps them finite when the
/// validation set is separable.
pub fn fit_ensemble(bert_scaled: &[f32], lexical: &[f32], labels: &[u8]) -> EnsembleConfig {
    let rows: Vec<[f64; 3]> = bert_scaled.iter().zip(lexical).map(|(&a, &l)| [a as f64, l as f64, 1.0]).collect();
    let theta = fit_logistic(&rows, labels, [1e-3, 1e-3, 1e-6], [1.0, 0.0, 0.0]);
    EnsembleConfig::new(theta[0] as f32, theta[1] as f32, theta[2] as f32)
}

/// Newton's method on the mean log-loss of `sigmoid(θ · row)` against `labels`, plus `ridge[j] · θ[j]² / 2`, from
/// `theta`: at most 100 steps, stopping once no coordinate moves by 1e-10. The ensemble fits
/// ([`fit_ensemble`], [`crate::exemplars::fit_ensemble_with_exemplars`]) put a constant 1 last in each row for the
/// bias.
pub(crate) fn fit_logistic<const N: usize>(
    rows: &[[f64; N]],
    labels: &[u8],
    ridge: [f64; N],
    mut theta: [f64; N],
) -> [f64; N] {
    let n = labels.len().max(1) as f64;
    for _ in 0..100 {
        let mut g = [0f64; N];
        let mut h = [[0f64; N]; N];
        for (x, &y) in rows.iter().zip(labels) {
            let p = sigmoid((0..N).map(|j| theta[j] * x[j]).sum());
            for j in 0..N {
                g[j] += (p - y as f64) * x[j] / n;
                for k in 0..N {
                    h[j][k] += p * (1.0 - p) * x[j] * x[k] / n;
                }
            }
        }
        for j in 0..N {
            g[j] += ridge[j] * theta[j];
            h[j][j] += ridge[j];
        }
        let step = solve(h, g);
        for j in 0..N {
            theta[j] -= step[j];
        }
        if step.iter().map(|s| s.abs()).fold(0.0, f64::max) < 1e-10 {
            break;
        }
    }
    theta
}

/// [`fit_logistic`] with the slopes of `nonnegative` columns kept at 0 or above. When the plain fit has none of them
/// negative it is the answer, bit for bit. Otherwise each way of pinning some of those columns at 0 (left out, the rest
/// refitted) is tried, and the fit of least penalised loss among those whose free constrained slopes are not negative
/// is kept: the loss is convex, so the constrained optimum is the plain optimum of the problem with its own active
/// columns pinned, and any other such fit is a feasible point no better than it. `nonnegative` is short (the ensemble
/// fits constrain one or two columns: at most four fits).
pub(crate) fn fit_logistic_nonnegative<const N: usize>(
    rows: &[[f64; N]],
    labels: &[u8],
    ridge: [f64; N],
    theta: [f64; N],
    nonnegative: &[usize],
) -> [f64; N] {
    let plain = fit_logistic(rows, labels, ridge, theta);
    if nonnegative.iter().all(|&j| plain[j] >= 0.0) {
        return plain;
    }
    let mut best: Option<(f64, [f64; N])> = None;
    for subset in 1..1usize << nonnegative.len() {
        let mut pinned = [false; N];
        for (bit, &j) in nonnegative.iter().enumerate() {
            pinned[j] = subset >> bit & 1 == 1;
        }
        // A column of zeros has no gradient but its ridge's, which holds its slope at 0 from a start of 0.
        let kept: Vec<[f64; N]> =
            rows.iter().map(|row| std::array::from_fn(|k| if pinned[k] { 0.0 } else { row[k] })).collect();
        let start = std::array::from_fn(|k| if pinned[k] { 0.0 } else { theta[k] });
        let fitted = fit_logistic(&kept, labels, ridge, start);
        if nonnegative.iter().any(|&j| fitted[j] < 0.0) {
            continue;
        }
        let loss = penalised_loss(rows, labels, ridge, &fitted);
        if best.as_ref().is_none_or(|(b, _)| loss < *b) {
            best = Some((loss, fitted));
        }
    }
    // Pinning every constrained column is always feasible, so some fit was kept.
    best.map_or(plain, |(_, fitted)| fitted)
}

/// The objective [`fit_logistic`] minimises: mean log-loss of `sigmoid(θ · row)` plus `ridge[j] · θ[j]² / 2`.
fn penalised_loss<const N: usize>(rows: &[[f64; N]], labels: &[u8], ridge: [f64; N], theta: &[f64; N]) -> f64 {
    let n = labels.len().max(1) as f64;
    let log_loss: f64 = rows
        .iter()
        .zip(labels)
        .map(|(x, &y)| {
            let z: f64 = (0..N).map(|j| theta[j] * x[j]).sum();
            // log(1 + e^z) − y·z, computed without overflow.
            z.max(0.0) + (-z.abs()).exp().ln_1p() - y as f64 * z
        })
        .sum();
    log_loss / n + (0..N).map(|j| ridge[j] * theta[j] * theta[j] / 2.0).sum::<f64>()
}

/// Solves `h · x = g` for a small positive definite `h` (Gaussian elimination with partial pivoting).
fn solve<const N: usize>(mut h: [[f64; N]; N], mut g: [f64; N]) -> [f64; N] {
    for c in 0..N {
        let p = (c..N).max_by(|&i, &j| h[i][c].abs().total_cmp(&h[j][c].abs())).unwrap_or(c);
        h.swap(c, p);
        g.swap(c, p);
        for r in c + 1..N {
            let f = h[r][c] / h[c][c];
            let pivot = h[c];
            for (hk, pk) in h[r].iter_mut().zip(pivot).skip(c) {
                *hk -= f * pk;
            }
            g[r] -= f * g[c];
        }
    }
    let mut x = [0f64; N];
    for c in (0..N).rev() {
        x[c] = (g[c] - (c + 1..N).map(|k| h[c][k] * x[k]).sum::<f64>()) / h[c][c];
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonnegative_fit_is_the_plain_fit_when_no_slope_is_negative_and_pins_the_one_that_is() {
        // Labels drawn from sigmoid(2a + 0.5b − 1).
        let mut rng = SeededRng::new(11);
        let rows: Vec<[f64; 3]> = (0..5000).map(|_| [rng.normal() as f64, rng.normal() as f64, 1.0]).collect();
        let labels: Vec<u8> =
            rows.iter().map(|r| u8::from((rng.uniform() as f64) < sigmoid(2.0 * r[0] + 0.5 * r[1] - 1.0))).collect();
        let ridge = [1e-3, 1e-3, 1e-6];
        let plain = fit_logistic(&rows, &labels, ridge, [0.0; 3]);
        assert_eq!(fit_logistic_nonnegative(&rows, &labels, ridge, [0.0; 3], &[0, 1]), plain);
        // Asked to keep the intercept non-negative, the fit drops it and explains the labels with the slopes alone:
        // exactly the fit of the rows without that column.
        assert!(plain[2] < -0.5, "{plain:?}");
        let pinned = fit_logistic_nonnegative(&rows, &labels, ridge, [0.0; 3], &[2]);
        let without: Vec<[f64; 3]> = rows.iter().map(|r| [r[0], r[1], 0.0]).collect();
        assert_eq!(pinned, fit_logistic(&without, &labels, ridge, [0.0; 3]));
        assert!(pinned[0] > 1.0 && pinned[1] > 0.0, "{pinned:?}");
    }

    #[test]
    fn with_two_constrained_columns_the_fit_of_least_loss_among_the_feasible_ones_is_kept() {
        // Labels from sigmoid(2a − 1.5b + 0.5c) with c = b + noise: the plain fit gives b a negative slope. The fit
        // kept must have both slopes non-negative and a loss no higher than any other feasible pinning's.
        let mut rng = SeededRng::new(19);
        let rows: Vec<[f64; 4]> = (0..5000)
            .map(|_| {
                let (a, b) = (rng.normal() as f64, rng.normal() as f64);
                [a, b, b + 0.5 * rng.normal() as f64, 1.0]
            })
            .collect();
        let labels: Vec<u8> = rows
            .iter()
            .map(|r| u8::from((rng.uniform() as f64) < sigmoid(2.0 * r[0] - 1.5 * r[1] + 0.5 * r[2])))
            .collect();
        let ridge = [1e-3, 1e-3, 1e-3, 1e-6];
        let plain = fit_logistic(&rows, &labels, ridge, [0.0; 4]);
        assert!(plain[1] < 0.0, "{plain:?}");
        let kept = fit_logistic_nonnegative(&rows, &labels, ridge, [0.0; 4], &[1, 2]);
        assert!(kept[1] >= 0.0 && kept[2] >= 0.0, "{kept:?}");
        let loss = penalised_loss(&rows, &labels, ridge, &kept);
        for pin in [[1usize].as_slice(), &[2], &[1, 2]] {
            let without: Vec<[f64; 4]> =
                rows.iter().map(|r| std::array::from_fn(|k| if pin.contains(&k) { 0.0 } else { r[k] })).collect();
            let other = fit_logistic(&without, &labels, ridge, [0.0; 4]);
            if other[1] >= 0.0 && other[2] >= 0.0 {
                assert!(loss <= penalised_loss(&rows, &labels, ridge, &other), "{kept:?} against {other:?}");
            }
        }
        assert!(loss > penalised_loss(&rows, &labels, ridge, &plain), "the constraint costs something here");
    }

    #[test]
    fn ensemble_fit_recovers_a_known_logistic_model() {
        // Labels drawn from sigmoid(2a - 1l + 0.5) with a seeded generator.
        let mut rng = SeededRng::new(7);
        let (mut a, mut l, mut y) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..20000 {
            let (x1, x2) = (rng.normal(), rng.normal());
            a.push(x1);
            l.push(x2);
            y.push(u8::from(rng.uniform() < sigmoid(2.0 * x1 as f64 - x2 as f64 + 0.5) as f32));
        }
        let e = fit_ensemble(&a, &l, &y);
        // Sampling error of 20 000 draws: within 0.15 of the truth.
        assert!((e.bert - 2.0).abs() < 0.15 && (e.lexical + 1.0).abs() < 0.15 && (e.bias - 0.5).abs() < 0.15, "{e:?}");
    }
}
