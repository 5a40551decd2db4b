//! Batches of token-id sequences for the model: grouped by length, so that little of each forward pass is spent on
//! padding, and padded to the longest of the batch with an attention mask over the padding. Scoring uses it, and
//! training can (its batches are shuffled, not sorted, but padded the same way).

use crate::error::Result;
use candle_core::{Device, Tensor};

/// The indices of `encoded`'s sequences (`None`: no sequence, left out) in batches of at most `size`, shortest
/// first: sorted by length (stable, so sequences of one length keep their order), then cut into batches.
///
/// ```
/// let lengths = [Some(5), None, Some(2), Some(9), Some(2)];
/// assert_eq!(lurescan::batch::by_length(lengths, 2), [vec![2, 4], vec![0, 3]]);
/// ```
pub fn by_length(lengths: impl IntoIterator<Item = Option<usize>>, size: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<(usize, usize)> =
        lengths.into_iter().enumerate().filter_map(|(i, len)| Some((i, len?))).collect();
    order.sort_by_key(|&(_, len)| len);
    order.chunks(size.max(1)).map(|chunk| chunk.iter().map(|&(i, _)| i).collect()).collect()
}

/// Token ids `[batch.len(), longest]` padded with `pad_id`, and the attention mask of the same shape (f32: 1 for a
/// token, 0 for padding). A batch of empty sequences is one column wide.
pub fn pad(batch: &[&[u32]], pad_id: u32, device: &Device) -> Result<(Tensor, Tensor)> {
    let len = batch.iter().map(|s| s.len()).max().unwrap_or(0).max(1);
    let mut ids = Vec::with_capacity(batch.len() * len);
    let mut mask = Vec::with_capacity(batch.len() * len);
    for seq in batch {
        ids.extend_from_slice(seq);
        ids.resize(ids.len() + len - seq.len(), pad_id);
        mask.extend(std::iter::repeat_n(1f32, seq.len()).chain(std::iter::repeat_n(0f32, len - seq.len())));
    }
    let ids = Tensor::from_vec(ids, (batch.len(), len), device)?;
    let mask = Tensor::from_vec(mask, (batch.len(), len), device)?;
    Ok((ids, mask))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_is_masked_and_batches_are_sorted() -> Result<()> {
        let (ids, mask) = pad(&[&[5, 6, 7], &[8]], 0, &Device::Cpu)?;
        assert_eq!(ids.to_vec2::<u32>()?, [[5, 6, 7], [8, 0, 0]]);
        assert_eq!(mask.to_vec2::<f32>()?, [[1.0, 1.0, 1.0], [1.0, 0.0, 0.0]]);
        assert_eq!(pad(&[&[]], 0, &Device::Cpu)?.0.dims(), [1, 1]);
        assert_eq!(by_length([Some(3), Some(1), Some(3), Some(0)], 3), [vec![3, 1, 0], vec![2]]);
        assert!(by_length([None, None], 4).is_empty());
        Ok(())
    }
}
