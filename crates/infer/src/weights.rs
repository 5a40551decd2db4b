//! The tensors of a weights file before the model uses them: [`check`] refuses what is not a float or not finite,
//! and [`KeepHalf`] hands the model its largest table in the 16-bit dtype it is stored in.
//!
//! candle would convert an integer tensor to f32 without a word, and compute with NaN or infinite weights, so that
//! every record would get a NaN score: a broken model must fail to load instead, naming the tensor.

use crate::error::{Error, Result};
use candle_core::{DType, Device, Shape, Tensor};
use candle_nn::var_builder::SimpleBackend;
use safetensors::tensor::{Dtype, TensorView};
use std::collections::HashMap;
use std::path::Path;

/// A `VarBuilder` backend for inference that gives the tensors named in `names` (the model's
/// [`crate::model::BertForSequenceClassification::KEEP_HALF`]) in their stored dtype when that is f16 or bf16, where
/// the model asks for f32; every other tensor, and these when stored in f32, come as the inner backend gives them.
///
/// The word-embedding table is most of a model's weights (64,000 × 384 in lurescan-base: 49 MB in f16, 98 MB in
/// f32) and a batch reads only a few of its rows, which the model widens to f32 as it looks them up: widening a
/// 16-bit float to f32 is exact, so the scores are those of the table widened whole. Training builds its
/// `VarBuilder` on a `VarMap` without this, and gets f32.
pub struct KeepHalf<B> {
    inner: B,
    /// The names kept, with their stored dtype (only f16 and bf16 ones).
    kept: HashMap<String, DType>,
}

impl<B: SimpleBackend> KeepHalf<B> {
    /// `stored` names the file's tensors with their dtypes (see [`stored_dtypes`]).
    pub fn new(inner: B, stored: impl IntoIterator<Item = (String, Dtype)>, names: &[&str]) -> Self {
        let kept = stored
            .into_iter()
            .filter(|(name, _)| names.contains(&name.as_str()))
            .filter_map(|(name, dtype)| match dtype {
                Dtype::F16 => Some((name, DType::F16)),
                Dtype::BF16 => Some((name, DType::BF16)),
                _ => None,
            })
            .collect();
        KeepHalf { inner, kept }
    }

    /// The dtype to fetch `name` in when `dtype` is asked for.
    fn dtype(&self, name: &str, dtype: DType) -> DType {
        match self.kept.get(name) {
            Some(&stored) if dtype == DType::F32 => stored,
            _ => dtype,
        }
    }
}

/// The name and stored dtype of each of a file's tensors.
pub fn stored_dtypes<'a>(tensors: impl IntoIterator<Item = (String, TensorView<'a>)>) -> Vec<(String, Dtype)> {
    tensors.into_iter().map(|(name, view)| (name, view.dtype())).collect()
}

impl<B: SimpleBackend> SimpleBackend for KeepHalf<B> {
    fn get(&self, s: Shape, name: &str, h: candle_nn::Init, dtype: DType, dev: &Device) -> candle_core::Result<Tensor> {
        self.inner.get(s, name, h, self.dtype(name, dtype), dev)
    }

    fn get_unchecked(&self, name: &str, dtype: DType, dev: &Device) -> candle_core::Result<Tensor> {
        self.inner.get_unchecked(name, self.dtype(name, dtype), dev)
    }

    fn contains_tensor(&self, name: &str) -> bool {
        self.inner.contains_tensor(name)
    }
}

/// The float dtypes a model's weights may have.
const FLOATS: &str = "F32, F16, BF16 or F64";

/// Refuses a tensor that is not a float, or holds NaN or an infinity; `path` names the file in the error. Tensors
/// are checked in name order, so the error names the same tensor every time.
pub fn check<'a>(tensors: impl IntoIterator<Item = (String, TensorView<'a>)>, path: &Path) -> Result<()> {
    let mut tensors: Vec<_> = tensors.into_iter().collect();
    tensors.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, view) in &tensors {
        check_tensor(name, view.dtype(), view.data(), path)?;
    }
    Ok(())
}

/// Checks one tensor's raw little-endian data.
pub fn check_tensor(name: &str, dtype: Dtype, data: &[u8], path: &Path) -> Result<()> {
    let invalid = |message: String| Error::InvalidModel { path: path.to_path_buf(), message };
    // A value is not finite when all its exponent bits are set.
    let first_non_finite = match dtype {
        Dtype::F32 => first_with_exponent_set::<4>(data, 0x7f80_0000),
        Dtype::F16 => first_with_exponent_set::<2>(data, 0x7c00),
        Dtype::BF16 => first_with_exponent_set::<2>(data, 0x7f80),
        Dtype::F64 => first_with_exponent_set::<8>(data, 0x7ff0_0000_0000_0000),
        other => {
            return Err(invalid(format!(
                "tensor `{name}` has dtype {other:?}, but model weights must be floats ({FLOATS}): convert the \
                 weights to float32 (e.g. in Python, `{{k: v.float() for k, v in state_dict.items()}}`)"
            )))
        }
    };
    match first_non_finite {
        Some(index) => Err(invalid(format!(
            "tensor `{name}` holds a non-finite value (NaN or infinity) at element {index}: the weights are broken \
             (training diverged, or the file was damaged); retrain the model, e.g. with a lower --lr"
        ))),
        None => Ok(()),
    }
}

/// The index of the first `N`-byte little-endian value whose bits under `exponent` are all set.
fn first_with_exponent_set<const N: usize>(data: &[u8], exponent: u64) -> Option<usize> {
    let bits = |chunk: &[u8]| {
        let mut bytes = [0u8; 8];
        bytes[..N].copy_from_slice(chunk);
        u64::from_le_bytes(bytes)
    };
    data.chunks_exact(N).position(|chunk| bits(chunk) & exponent == exponent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f32s(values: &[f32]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    #[test]
    fn finite_floats_pass_and_the_first_non_finite_is_named() {
        let path = Path::new("model.safetensors");
        assert!(check_tensor("w", Dtype::F32, &f32s(&[0.0, -1.5, f32::MAX, f32::MIN_POSITIVE / 2.0]), path).is_ok());
        for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            let error = check_tensor("enc.w", Dtype::F32, &f32s(&[1.0, 2.0, bad, f32::NAN]), path).unwrap_err();
            let message = error.to_string();
            assert!(
                message.contains("tensor `enc.w` holds a non-finite value") && message.contains("element 2"),
                "{message}"
            );
        }
        // f16 1.0 = 0x3c00, +inf = 0x7c00; bf16 NaN = 0x7fc0; f64 NaN.
        assert!(check_tensor("h", Dtype::F16, &[0x00, 0x3c, 0x00, 0x7c], path).is_err());
        assert!(check_tensor("h", Dtype::F16, &[0x00, 0x3c, 0xff, 0x7b], path).is_ok(), "65504, the largest f16");
        assert!(check_tensor("b", Dtype::BF16, &[0xc0, 0x7f], path).is_err());
        assert!(check_tensor("d", Dtype::F64, &f64::NAN.to_le_bytes(), path).is_err());
        assert!(check_tensor("d", Dtype::F64, &1e300f64.to_le_bytes(), path).is_ok());
    }

    #[test]
    fn integer_weights_are_refused_by_name() {
        let error =
            check_tensor("classifier.weight", Dtype::I32, &[0; 8], Path::new("m/model.safetensors")).unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("m/model.safetensors: tensor `classifier.weight` has dtype I32"), "{message}");
        assert!(message.contains("must be floats"), "{message}");
    }
}
