//! Seeded initialisation: random streams derived from `(seed, epoch, purpose)`, and the seeded initial weights
//! (candle's CPU generator cannot be seeded).

use crate::error::Result;
use candle_core::Tensor;
use candle_nn::VarMap;
use lurescan::rng::SeededRng;
use lurescan::BertConfig;

/// A random stream for one purpose in one epoch.
pub(crate) fn stream(seed: u64, epoch: usize, purpose: u64) -> SeededRng {
    let mut z = seed ^ (epoch as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ purpose.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    SeededRng::new(z ^ (z >> 31))
}

/// The purpose of the initial weights' stream.
const INIT: u64 = 1;

/// Overwrites every variable, in sorted name order, from a seeded generator (candle's CPU generator cannot be
/// seeded): normal(0, initializer_range) for weights and embeddings, zeros for biases, ones/zeros for LayerNorm,
/// a zero row for the padding embedding (as Hugging Face initialises BERT).
pub fn seeded_init(varmap: &VarMap, config: &BertConfig, seed: u64) -> Result<()> {
    seeded_init_where(varmap, config, seed, |_| true)
}

/// [`seeded_init`] of the variables whose names `select` accepts (the others are left as they are); the draws
/// depend only on the seed and the selected names.
pub fn seeded_init_where(varmap: &VarMap, config: &BertConfig, seed: u64, select: impl Fn(&str) -> bool) -> Result<()> {
    let mut rng = stream(seed, 0, INIT);
    let vars = varmap.data().lock().expect("var map lock");
    let mut names: Vec<&String> = vars.keys().filter(|n| select(n)).collect();
    names.sort();
    for name in names {
        let var = &vars[name];
        let shape = var.shape().clone();
        let n = shape.elem_count();
        let is_norm = name.contains("LayerNorm") || name.contains("layer_norm");
        let values: Vec<f32> = if is_norm && (name.ends_with("weight") || name.ends_with("gamma")) {
            vec![1.0; n]
        } else if name.ends_with("bias") || name.ends_with("beta") {
            vec![0.0; n]
        } else {
            let std = config.initializer_range as f32;
            let mut v: Vec<f32> = (0..n).map(|_| rng.normal() * std).collect();
            if name.ends_with("word_embeddings.weight") {
                let width = shape.dims().last().copied().unwrap_or(0);
                let pad = config.pad_token_id as usize;
                v[pad * width..(pad + 1) * width].fill(0.0);
            }
            v
        };
        var.set(&Tensor::from_vec(values, shape, var.device())?)?;
    }
    Ok(())
}
