//! The classification loss: class-weighted cross-entropy, the class weights a rule gives, and the validation
//! loss of margins.

use crate::config::ClassWeights;
use crate::error::Result;
use candle_core::{Tensor, D};

/// Class-weighted cross-entropy: `−Σ w_y log p_y / Σ w_y` over the batch.
pub fn weighted_cross_entropy(logits: &Tensor, labels: &[u8], class_weights: [f32; 2]) -> Result<Tensor> {
    let total: f32 = labels.iter().map(|&y| class_weights[y as usize]).sum();
    Ok((weighted_nll_sum(logits, labels, class_weights)? * (1.0 / total as f64))?)
}

/// The unnormalised class-weighted negative log-likelihood `−Σ w_y log p_y` (a shard of a batch divides it by
/// the weight of the whole batch).
pub fn weighted_nll_sum(logits: &Tensor, labels: &[u8], class_weights: [f32; 2]) -> Result<Tensor> {
    let classes = logits.dim(D::Minus1)?;
    let mut target = vec![0f32; labels.len() * classes];
    for (i, &y) in labels.iter().enumerate() {
        target[i * classes + y as usize] = class_weights[y as usize];
    }
    let target = Tensor::from_vec(target, (labels.len(), classes), logits.device())?;
    let log_p = candle_nn::ops::log_softmax(logits, D::Minus1)?;
    Ok((log_p * target)?.sum_all()?.neg()?)
}

/// The weights of the two classes under `rule` for these labels.
pub(crate) fn class_weights(rule: ClassWeights, labels: impl Iterator<Item = u8>) -> [f32; 2] {
    let mut counts = [0f64; 2];
    for y in labels {
        counts[y as usize] += 1.0;
    }
    let n = counts[0] + counts[1];
    let balanced = |c: f64| if c > 0.0 { n / (2.0 * c) } else { 1.0 };
    match rule {
        ClassWeights::None => [1.0, 1.0],
        ClassWeights::Balanced => [balanced(counts[0]) as f32, balanced(counts[1]) as f32],
        ClassWeights::Sqrt => [balanced(counts[0]).sqrt() as f32, balanced(counts[1]).sqrt() as f32],
    }
}

/// The mean negative log-likelihood of margins at temperature 1.
pub(crate) fn mean_nll(margins: &[f32], labels: &[u8]) -> f64 {
    crate::metrics::nll(margins, labels, 1.0)
}
