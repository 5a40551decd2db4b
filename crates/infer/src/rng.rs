//! [`SeededRng`]: a small deterministic random generator for reproducible training (initial weights, dropout
//! masks, shuffling). candle's CPU generator cannot be seeded, so everything random in lurescan draws from this.

use candle_core::{Device, Tensor};

/// xoshiro256** seeded through splitmix64: fast, tiny, and the same stream on every platform for a given seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeededRng {
    state: [u64; 4],
}

fn splitmix64(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SeededRng {
    /// A generator whose whole stream is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        let mut x = seed;
        // splitmix64 never yields four zero words in a row, so the xoshiro state is never all zero.
        let state = [splitmix64(&mut x), splitmix64(&mut x), splitmix64(&mut x), splitmix64(&mut x)];
        SeededRng { state }
    }

    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.state;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `[0, 1)`, with 24 random bits (every value is an exact `f32`).
    pub fn uniform(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 * (1.0 / (1u64 << 24) as f32)
    }

    /// Standard normal, by Box–Muller.
    pub fn normal(&mut self) -> f32 {
        // 53-bit uniforms in f64 so that ln(u1) never sees 0 and the tails are not clipped early.
        let u1 = ((self.next_u64() >> 11) as f64 + 1.0) * (1.0 / (1u64 << 53) as f64);
        let u2 = (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        ((-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()) as f32
    }

    /// Index uniform in `0..n` (`n > 0`), by Lemire's multiply-shift; the bias is below 2^-32 for any `n` that fits
    /// in memory.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }

    /// An inverted-dropout mask: each element is `0` with probability `p`, else `1 / (1 - p)`, so that
    /// `x * mask` keeps the expected value of `x`. `p <= 0` gives all ones.
    pub fn dropout_mask(&mut self, shape: &[usize], p: f32, device: &Device) -> candle_core::Result<Tensor> {
        let n: usize = shape.iter().product();
        Tensor::from_vec(self.dropout_values(n, p)?, shape, device)
    }

    /// The `n` values of [`SeededRng::dropout_mask`], as a vector.
    pub fn dropout_values(&mut self, n: usize, p: f32) -> candle_core::Result<Vec<f32>> {
        if !(0.0..1.0).contains(&p) && p > 0.0 {
            candle_core::bail!("dropout probability must be in [0, 1), got {p}");
        }
        let keep = 1.0 / (1.0 - p.max(0.0));
        Ok(if p <= 0.0 { vec![1.0; n] } else { (0..n).map(|_| if self.uniform() < p { 0.0 } else { keep }).collect() })
    }
}
