//! Data parallelism inside one training step: the batch is cut into a fixed number of contiguous shards
//! (`TrainConfig::shards`), each shard's forward and backward pass runs as its own rayon task, and the optimiser
//! adds the shards' gradients in shard order.
//!
//! The result depends on the shard count, never on the thread count or on scheduling: each shard draws its
//! dropout masks from its own seeded stream, and each shard's loss is divided by the class weight of the whole
//! batch, so the shard gradients add up to the gradient of the batch loss.
//!
//! The word embedding table is the exception: each shard returns the gradients of the rows it looked up
//! ([`BertForSequenceClassification::forward_sparse_embeddings`]), and they are added into one table-sized gradient
//! per batch, in shard order, rather than each shard building its own (for lurescan-base, 64,000 × 384 floats).
//!
//! Shards only run in parallel when candle runs each op on the calling thread (`CANDLE_NUM_THREADS=1`, see
//! [`lurescan::ops_run_on_calling_thread`]); otherwise candle splits every op across its own threads and the shards
//! run one after the other, with the same result.

use crate::batch::pad_batch;
use crate::loss::weighted_nll_sum;
use crate::Result;
use candle_core::backprop::GradStore;
use candle_core::Tensor;
use lurescan::model::BertForSequenceClassification;
use lurescan::rng::SeededRng;
use rayon::prelude::*;
use std::ops::Range;

/// Whether candle runs each tensor op on the calling thread, so that independent work may go to the rayon pool.
pub fn ops_single_threaded() -> bool {
    lurescan::ops_run_on_calling_thread()
}

/// Contiguous, near-equal, non-empty ranges covering `0..n`: `shards` of them, or `n` when the batch is smaller.
pub fn shard_ranges(n: usize, shards: usize) -> Vec<Range<usize>> {
    let k = shards.max(1).min(n);
    let mut start = 0;
    (0..k)
        .map(|s| {
            let len = n / k + usize::from(s < n % k);
            start += len;
            start - len..start
        })
        .collect()
}

/// The dropout stream of shard `shard` of the batch whose dropout seed is `batch_seed`.
pub fn shard_rng(batch_seed: u64, shard: usize) -> SeededRng {
    SeededRng::new(batch_seed ^ (shard as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407))
}

/// What a sharded step needs besides the batch.
pub struct ShardedStep<'m> {
    pub model: &'m BertForSequenceClassification,
    pub class_weights: [f32; 2],
    pub pad_id: u32,
    pub shards: usize,
}

/// The loss and gradients of one batch, one [`GradStore`] per shard in shard order.
pub struct ShardGradients {
    /// The class-weighted cross-entropy of the whole batch.
    pub loss: f64,
    pub shards: Vec<GradStore>,
}

impl ShardGradients {
    /// The batch gradient of `var`: the shards' gradients added in shard order (`None` if no shard has one).
    pub fn sum(&self, var: &Tensor) -> Result<Option<Tensor>> {
        let mut total: Option<Tensor> = None;
        for g in self.shards.iter().filter_map(|s| s.get(var)) {
            total = Some(match total {
                None => g.clone(),
                Some(t) => (t + g)?,
            });
        }
        Ok(total)
    }
}

impl ShardedStep<'_> {
    /// Forward (training mode) and backward pass of the batch `seqs`/`labels`, shard by shard; every shard is
    /// padded to its own longest sequence.
    pub fn gradients(&self, seqs: &[&[u32]], labels: &[u8], dropout_seed: u64) -> Result<ShardGradients> {
        let total_weight: f32 = labels.iter().map(|&y| self.class_weights[y as usize]).sum();
        let ranges = shard_ranges(seqs.len(), self.shards);
        let run = |(s, range): (usize, &Range<usize>)| -> Result<Shard> {
            let (input, mask) = pad_batch(&seqs[range.clone()], self.pad_id)?;
            let mut rng = shard_rng(dropout_seed, s);
            let (logits, rows) = self.model.forward_sparse_embeddings(&input, &mask, &mut rng)?;
            let loss = (weighted_nll_sum(&logits, &labels[range.clone()], self.class_weights)? / total_weight as f64)?;
            let mut grads = loss.backward()?;
            let rows = match rows.and_then(|rows| grads.remove(rows.as_tensor())) {
                Some(grad) => Some((input.flatten_all()?.to_vec1::<u32>()?, grad.flatten_all()?.to_vec1::<f32>()?)),
                None => None,
            };
            Ok(Shard { loss: loss.to_scalar::<f32>()? as f64, grads, rows })
        };
        let mut results: Vec<Shard> = if ops_single_threaded() {
            ranges.par_iter().enumerate().map(run).collect::<Result<_>>()?
        } else {
            ranges.iter().enumerate().map(run).collect::<Result<_>>()?
        };
        self.add_word_gradient(&mut results)?;
        let loss = results.iter().map(|r| r.loss).sum();
        Ok(ShardGradients { loss, shards: results.into_iter().map(|r| r.grads).collect() })
    }

    /// The word embedding table's gradient from the shards' row gradients, added row by row in shard order into one
    /// table-sized tensor, which goes into the first shard's store (the optimiser adds the stores' gradients).
    fn add_word_gradient(&self, shards: &mut [Shard]) -> Result<()> {
        if shards.iter().all(|s| s.rows.is_none()) {
            return Ok(());
        }
        let table = self.model.encoder().word_embeddings();
        let (vocab, hidden) = table.dims2()?;
        let mut grad = vec![0f32; vocab * hidden];
        for (ids, rows) in shards.iter().filter_map(|s| s.rows.as_ref()) {
            for (&id, row) in ids.iter().zip(rows.chunks_exact(hidden)) {
                let start = id as usize * hidden;
                grad[start..start + hidden].iter_mut().zip(row).for_each(|(g, r)| *g += r);
            }
        }
        let grad = Tensor::from_vec(grad, (vocab, hidden), table.device())?;
        shards[0].grads.insert(table, grad);
        Ok(())
    }
}

/// What one shard's forward and backward pass gives.
struct Shard {
    loss: f64,
    grads: GradStore,
    /// The token ids and the gradients of their word vectors (`[ids, hidden]`), when the table trains.
    rows: Option<(Vec<u32>, Vec<f32>)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_contiguous_near_equal_and_never_empty() {
        assert_eq!(shard_ranges(10, 4), [0..3, 3..6, 6..8, 8..10]);
        assert_eq!(shard_ranges(2, 4), [0..1, 1..2]);
        assert_eq!(shard_ranges(32, 1), vec![0..32]);
        assert_eq!(shard_ranges(0, 4), Vec::<Range<usize>>::new());
    }
}
