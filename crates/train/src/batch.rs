//! Batches of token ids: length-bucketed shuffled batches for an epoch, and padding a batch into the tensors the
//! model takes.

use crate::data::shuffle;
use crate::error::Result;
use candle_core::{Device, Tensor};
use lurescan::rng::SeededRng;

/// Pads token id sequences into `input_ids` and `attention_mask` u32 tensors `[batch, longest]`.
pub fn pad_batch(batch: &[&[u32]], pad_id: u32) -> Result<(Tensor, Tensor)> {
    let longest = batch.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut ids = Vec::with_capacity(batch.len() * longest);
    let mut mask = Vec::with_capacity(batch.len() * longest);
    for s in batch {
        ids.extend_from_slice(s);
        ids.extend(std::iter::repeat_n(pad_id, longest - s.len()));
        mask.extend(std::iter::repeat_n(1u32, s.len()));
        mask.extend(std::iter::repeat_n(0u32, longest - s.len()));
    }
    let shape = (batch.len(), longest);
    Ok((Tensor::from_vec(ids, shape, &Device::Cpu)?, Tensor::from_vec(mask, shape, &Device::Cpu)?))
}

/// Batches of example indices: shuffled, cut into chunks of `bucket` batches, each chunk sorted by length and
/// batched, and the batches shuffled again (so lengths do not trend through the epoch).
pub fn bucketed_batches(lengths: &[usize], batch_size: usize, bucket: usize, rng: &mut SeededRng) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    shuffle(&mut order, rng);
    let mut batches = Vec::new();
    for chunk in order.chunks(batch_size * bucket.max(1)) {
        let mut chunk = chunk.to_vec();
        chunk.sort_by_key(|&i| lengths[i]);
        batches.extend(chunk.chunks(batch_size).map(<[usize]>::to_vec));
    }
    shuffle(&mut batches, rng);
    batches
}
