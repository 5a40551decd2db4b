//! int8 linear layers for inference: weights quantised once per output channel (symmetric, `i8`), activations
//! per row at each call (asymmetric, `u8` with a zero point), products accumulated in `i32`, then scaled back to
//! f32 with the bias added. The kernel is chosen at run time ([`Kernel`]): AMX tiles (`tdpbusd`: 16,384 `u8 × i8`
//! products per instruction), else AVX-512 VNNI (`vpdpbusd`: 64 products per instruction, four times the
//! multiply-adds of an f32 FMA of the same width), else AVX2; any other CPU runs
//! [`QuantLinear::forward_reference`], the plain loops that define the result.
//!
//! Accuracy: a weight is off by at most half a step of its row's scale (`max|w| / 127`), an activation by at most
//! half a step of its row's scale (`(max − min) / 255`); the `i32` sums are exact. On a BERT classifier that moves
//! logits by about 1e-2 (tested in `tests/int8.rs`).

#[cfg(target_arch = "x86_64")]
mod amx;
#[cfg(target_arch = "x86_64")]
mod avx2;

use rayon::prelude::*;
use std::mem::MaybeUninit;
use std::sync::OnceLock;

/// Output columns per kernel tile: four 16-lane `i32` vectors.
const TILE_COLS: usize = 64;
/// Rows per kernel tile.
const TILE_ROWS: usize = 4;
/// Rows per parallel task.
const TASK_ROWS: usize = 32;
/// Rows per parallel task of the AMX kernel: a multiple of 32, its two row tiles.
const AMX_TASK_ROWS: usize = 64;

/// The int8 kernels, fastest first. [`Kernel::detect`] picks the fastest this CPU runs;
/// `LURESCAN_INT8_KERNEL=amx|avx512|avx2|reference` in the environment caps it (for tests and benches: the
/// fastest one the CPU runs that is not above the one named).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kernel {
    /// AMX tiles (`tdpbusd`), with the AVX-512 kernel's scaling pass: its floats, bit for bit.
    Amx,
    /// AVX-512 F and VNNI (`vpdpbusd`).
    Avx512,
    /// AVX2 and FMA, both operands widened to `i16`: the AVX-512 kernel's floats, bit for bit.
    Avx2,
    /// [`QuantLinear::forward_reference`], the plain loops.
    Reference,
}

impl Kernel {
    /// Whether this CPU (and, for AMX, the OS) runs `self`.
    pub fn available(self) -> bool {
        #[cfg(target_arch = "x86_64")]
        match self {
            Kernel::Amx => return amx::available(),
            Kernel::Avx512 => return avx512::available(),
            Kernel::Avx2 => return avx2::available(),
            Kernel::Reference => {}
        }
        self == Kernel::Reference
    }

    /// The kernel [`QuantLinear::forward`] runs, decided once: the fastest available one, capped by
    /// `LURESCAN_INT8_KERNEL`. A value that names no kernel caps nothing; [`crate::env_warnings`] reports it.
    pub fn detect() -> Kernel {
        static KERNEL: OnceLock<Kernel> = OnceLock::new();
        *KERNEL.get_or_init(|| {
            let cap = std::env::var(Self::ENV).ok().and_then(|name| Kernel::from_name(&name)).unwrap_or(Kernel::Amx);
            Kernel::ALL.into_iter().find(|&k| k >= cap && k.available()).unwrap_or(Kernel::Reference)
        })
    }

    /// The environment variable that caps the kernel.
    pub const ENV: &'static str = "LURESCAN_INT8_KERNEL";

    /// Every kernel, fastest first.
    pub const ALL: [Kernel; 4] = [Kernel::Amx, Kernel::Avx512, Kernel::Avx2, Kernel::Reference];

    /// The name `LURESCAN_INT8_KERNEL` takes.
    pub fn name(self) -> &'static str {
        match self {
            Kernel::Amx => "amx",
            Kernel::Avx512 => "avx512",
            Kernel::Avx2 => "avx2",
            Kernel::Reference => "reference",
        }
    }

    /// The kernel called `name` (as [`Kernel::name`] spells it).
    pub fn from_name(name: &str) -> Option<Kernel> {
        Kernel::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// What is applied to each output of [`QuantLinear::forward`], in the same pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    Identity,
    /// The exact (erf) GELU, `x/2 · (1 + erf(x/√2))`, with erf to within 2e-7 ([`gelu`]).
    Gelu,
}

/// The GELU of [`Activation::Gelu`]: erf by Abramowitz & Stegun 7.1.26 (absolute error ≤ 1.5e-7) with `exp` by a
/// degree-6 polynomial, the same formula as the AVX-512 kernel's, so both paths agree to a few ulps.
pub fn gelu(x: f32) -> f32 {
    let z = x.abs() * std::f32::consts::FRAC_1_SQRT_2;
    let t = 1.0 / (1.0 + ERF_P * z);
    let poly = ((((ERF_A[4] * t + ERF_A[3]) * t + ERF_A[2]) * t + ERF_A[1]) * t + ERF_A[0]) * t;
    let erf = 1.0 - poly * exp_neg(z * z);
    0.5 * x * (1.0 + erf.copysign(x))
}

const ERF_P: f32 = 0.327_591_1;
const ERF_A: [f32; 5] = [0.254_829_6, -0.284_496_72, 1.421_413_8, -1.453_152_1, 1.061_405_4];
/// Taylor coefficients of `e^r` for |r| ≤ ln2/2 (error below 2e-8 relative).
const EXP_C: [f32; 7] = [1.0, 1.0, 0.5, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0];

/// `e^-v` for `v ≥ 0` (0 past 87): `2^n · e^r` with `r = -v − n ln2`.
fn exp_neg(v: f32) -> f32 {
    let arg = (-v).max(-87.0);
    let n = (arg * std::f32::consts::LOG2_E).round();
    let r = arg - n * std::f32::consts::LN_2;
    let p = EXP_C.iter().rev().fold(0.0, |acc, &c| acc * r + c);
    p * 2f32.powi(n as i32)
}

/// A linear layer `y = x Wᵀ + b` with int8 weights. `W` is `[out, in]` as in `candle_nn::Linear`.
#[derive(Debug, Clone)]
pub struct QuantLinear {
    in_dim: usize,
    out_dim: usize,
    /// `in_dim` rounded up to a multiple of 4 (one `vpdpbusd` lane takes 4 bytes).
    k_padded: usize,
    /// Quantised weights `[out, in]`, row major (the reference path reads these).
    weight: Vec<i8>,
    /// The same weights tiled for the kernel: per block of [`TILE_COLS`] columns, per group of 4 inputs, 4 vectors
    /// of 16 columns × 4 bytes. Columns past `out_dim` and inputs past `in_dim` are zero.
    packed: Vec<i8>,
    /// Per output column (padded to whole tiles): the weight scale, the sum of the quantised weights, the bias.
    scale: Vec<f32>,
    col_sum: Vec<i32>,
    bias: Vec<f32>,
    /// The weights widened to `i16` for the AVX2 kernel (`avx2::pack`), made when that kernel first runs.
    packed_avx2: OnceLock<Vec<i16>>,
    /// The weights as AMX tiles (`amx::pack`), made when that kernel first runs.
    packed_amx: OnceLock<Vec<i8>>,
}

/// Activation rows quantised to `u8`: `x ≈ (q − zero) × scale`, per row.
struct QuantRows {
    /// `[rows, k_padded]`; padding holds the row's zero point (the padded weights are 0 anyway).
    q: Vec<u8>,
    scale: Vec<f32>,
    zero: Vec<i32>,
}

impl QuantLinear {
    /// Quantises `weight` (`[out_dim, in_dim]`, row major) and keeps `bias` (`[out_dim]`, or zeros).
    pub fn new(weight: &[f32], bias: Option<&[f32]>, out_dim: usize, in_dim: usize) -> Self {
        assert_eq!(weight.len(), out_dim * in_dim, "weight is [out_dim, in_dim]");
        let k_padded = in_dim.div_ceil(4) * 4;
        let n_padded = out_dim.div_ceil(TILE_COLS) * TILE_COLS;
        let mut q = vec![0i8; out_dim * in_dim];
        let mut scale = vec![0f32; n_padded];
        let mut col_sum = vec![0i32; n_padded];
        for c in 0..out_dim {
            let row = &weight[c * in_dim..(c + 1) * in_dim];
            let max = row.iter().fold(0f32, |m, &w| m.max(w.abs()));
            let s = if max > 0.0 { max / 127.0 } else { 1.0 };
            scale[c] = s;
            for (dst, &w) in q[c * in_dim..(c + 1) * in_dim].iter_mut().zip(row) {
                *dst = (w / s).round().clamp(-127.0, 127.0) as i8;
            }
            col_sum[c] = q[c * in_dim..(c + 1) * in_dim].iter().map(|&v| v as i32).sum();
        }
        let mut bias_padded = vec![0f32; n_padded];
        if let Some(bias) = bias {
            assert_eq!(bias.len(), out_dim, "bias is [out_dim]");
            bias_padded[..out_dim].copy_from_slice(bias);
        }
        let groups = k_padded / 4;
        let mut packed = vec![0i8; n_padded * k_padded];
        for block in 0..n_padded / TILE_COLS {
            for g in 0..groups {
                for j in 0..TILE_COLS {
                    let c = block * TILE_COLS + j;
                    for b in 0..4 {
                        let k = 4 * g + b;
                        if c < out_dim && k < in_dim {
                            // vector j / 16, lane j % 16, byte b
                            packed[((block * groups + g) * TILE_COLS + j) * 4 + b] = q[c * in_dim + k];
                        }
                    }
                }
            }
        }
        QuantLinear {
            in_dim,
            out_dim,
            k_padded,
            weight: q,
            packed,
            scale,
            col_sum,
            bias: bias_padded,
            packed_avx2: OnceLock::new(),
            packed_amx: OnceLock::new(),
        }
    }

    pub fn in_dim(&self) -> usize {
        self.in_dim
    }

    pub fn out_dim(&self) -> usize {
        self.out_dim
    }

    /// `x` is `[rows, in_dim]` row major; returns `[rows, out_dim]`, on the kernel [`Kernel::detect`] picks. All
    /// kernels give the same `i32` sums, so they differ only in the rounding of the final scaling: the AMX, AVX-512
    /// and AVX2 kernels not at all, the reference loops by a few ulps.
    pub fn forward(&self, x: &[f32], rows: usize, activation: Activation) -> Vec<f32> {
        self.forward_on(Kernel::detect(), x, rows, activation).expect("Kernel::detect picks an available kernel")
    }

    /// [`Self::forward`] on `kernel`, whatever faster one the CPU has; `None` when this CPU does not run it. For
    /// tests and benches.
    pub fn forward_on(&self, kernel: Kernel, x: &[f32], rows: usize, activation: Activation) -> Option<Vec<f32>> {
        if !kernel.available() {
            return None;
        }
        #[cfg(target_arch = "x86_64")]
        match kernel {
            Kernel::Amx => return Some(self.forward_amx(x, rows, activation)),
            Kernel::Avx512 => return Some(self.forward_avx512(x, rows, activation)),
            Kernel::Avx2 => {
                let packed =
                    self.packed_avx2.get_or_init(|| avx2::pack(&self.weight, self.out_dim, self.in_dim, self.k_padded));
                let a = self.quantize_rows(x, rows, RowLoops::widest());
                return Some(self.gemm_avx2(&a, rows, activation, packed));
            }
            Kernel::Reference => {}
        }
        Some(self.forward_reference(x, rows, activation))
    }

    /// The AVX2 (+FMA) kernel, whatever wider one the CPU has; `None` on a CPU without AVX2 and FMA.
    pub fn forward_avx2(&self, x: &[f32], rows: usize, activation: Activation) -> Option<Vec<f32>> {
        self.forward_on(Kernel::Avx2, x, rows, activation)
    }

    #[cfg(target_arch = "x86_64")]
    fn gemm_avx2(&self, a: &QuantRows, rows: usize, activation: Activation, packed: &[i16]) -> Vec<f32> {
        let (kp, n) = (self.k_padded, self.out_dim);
        let pairs = kp / 2;
        let blocks = n.div_ceil(avx2::COLS);
        let block_len = pairs * avx2::COLS * 2;
        let mut out: Vec<f32> = Vec::with_capacity(rows * n);
        let task = |(task, out_rows): (usize, &mut [MaybeUninit<f32>])| {
            let r0 = task * TASK_ROWS;
            let task_rows = out_rows.len() / n;
            // This task's activations widened to i16 (exact), the kernel's other operand.
            let wide: Vec<i16> = a.q[r0 * kp..(r0 + task_rows) * kp].iter().map(|&q| q as i16).collect();
            for block in 0..blocks {
                let c0 = block * avx2::COLS;
                let tile = avx2::Tile {
                    weights: &packed[block * block_len..(block + 1) * block_len],
                    pairs,
                    scale: &self.scale[c0..c0 + avx2::COLS],
                    col_sum: &self.col_sum[c0..c0 + avx2::COLS],
                    bias: &self.bias[c0..c0 + avx2::COLS],
                    cols: (n - c0).min(avx2::COLS),
                };
                let mut r = 0;
                while r < task_rows {
                    let take = (task_rows - r).min(TILE_ROWS);
                    let a_rows = &wide[r * kp..(r + take) * kp];
                    let out_at = &mut out_rows[r * n + c0..];
                    let at = r0 + r;
                    let (s, z) = (&a.scale[at..at + take], &a.zero[at..at + take]);
                    // SAFETY: `avx2::available()` checked the CPU features; the slices hold `take` rows of `kp`
                    // values, the tile's weights `pairs` pairs, its constants 16 columns (the per-column vectors are
                    // padded to whole 64-column blocks), and `out_at` reaches row `take - 1`, column `cols - 1`.
                    unsafe {
                        match (take, activation == Activation::Gelu) {
                            (4, false) => avx2::tile::<4, false>(a_rows, kp, s, z, &tile, out_at, n),
                            (3, false) => avx2::tile::<3, false>(a_rows, kp, s, z, &tile, out_at, n),
                            (2, false) => avx2::tile::<2, false>(a_rows, kp, s, z, &tile, out_at, n),
                            (_, false) => avx2::tile::<1, false>(a_rows, kp, s, z, &tile, out_at, n),
                            (4, true) => avx2::tile::<4, true>(a_rows, kp, s, z, &tile, out_at, n),
                            (3, true) => avx2::tile::<3, true>(a_rows, kp, s, z, &tile, out_at, n),
                            (2, true) => avx2::tile::<2, true>(a_rows, kp, s, z, &tile, out_at, n),
                            (_, true) => avx2::tile::<1, true>(a_rows, kp, s, z, &tile, out_at, n),
                        }
                    }
                    r += take;
                }
            }
        };
        let spare = &mut out.spare_capacity_mut()[..rows * n];
        if in_parallel_caller() {
            spare.chunks_mut(TASK_ROWS * n).enumerate().for_each(task);
        } else {
            spare.par_chunks_mut(TASK_ROWS * n).enumerate().for_each(task);
        }
        // SAFETY: the tiles cover every row and, block by block, every column of the `rows × n` elements.
        unsafe { out.set_len(rows * n) };
        out
    }

    /// The definition: quantise the rows, sum `u8 × i8` products in `i32` with plain loops, scale back.
    pub fn forward_reference(&self, x: &[f32], rows: usize, activation: Activation) -> Vec<f32> {
        let a = self.quantize_rows(x, rows, RowLoops::Plain);
        let (k, kp, n) = (self.in_dim, self.k_padded, self.out_dim);
        let mut out = vec![0f32; rows * n];
        out.par_chunks_mut(n).enumerate().for_each(|(r, out_row)| {
            let a_row = &a.q[r * kp..r * kp + k];
            for (c, y) in out_row.iter_mut().enumerate() {
                let w_row = &self.weight[c * k..(c + 1) * k];
                let acc: i32 = a_row.iter().zip(w_row).map(|(&a, &w)| a as i32 * w as i32).sum();
                let acc = acc - a.zero[r] * self.col_sum[c];
                *y = acc as f32 * (a.scale[r] * self.scale[c]) + self.bias[c];
                if activation == Activation::Gelu {
                    *y = gelu(*y);
                }
            }
        });
        out
    }

    fn quantize_rows(&self, x: &[f32], rows: usize, loops: RowLoops) -> QuantRows {
        let mut a = QuantRows { q: Vec::new(), scale: Vec::new(), zero: Vec::new() };
        self.quantize_rows_into(x, rows, &mut a, loops);
        a
    }

    /// Quantises `rows` rows of `x` into `a`, reusing its buffers, with `loops` (which the CPU runs): the same
    /// bytes, scales and zero points whichever they are.
    fn quantize_rows_into(&self, x: &[f32], rows: usize, a: &mut QuantRows, loops: RowLoops) {
        let (k, kp) = (self.in_dim, self.k_padded);
        assert_eq!(x.len(), rows * k, "x is [rows, in_dim]");
        a.q.resize(rows * kp, 0);
        a.scale.resize(rows, 0.0);
        a.zero.resize(rows, 0);
        let quantize = |(r, ((q_row, s), z)): (usize, ((&mut [u8], &mut f32), &mut i32))| {
            let row = &x[r * k..(r + 1) * k];
            (*s, *z) = quantize_row(row, &mut q_row[..k], loops);
            q_row[k..].fill(*z as u8);
        };
        if in_parallel_caller() {
            a.q.chunks_mut(kp).zip(a.scale.iter_mut()).zip(a.zero.iter_mut()).enumerate().for_each(quantize);
        } else {
            a.q.par_chunks_mut(kp)
                .zip(a.scale.par_iter_mut())
                .zip(a.zero.par_iter_mut())
                .enumerate()
                .for_each(quantize);
        }
    }

    #[cfg(target_arch = "x86_64")]
    fn forward_avx512(&self, x: &[f32], rows: usize, activation: Activation) -> Vec<f32> {
        thread_local! {
            static SCRATCH: std::cell::RefCell<QuantRows> =
                const { std::cell::RefCell::new(QuantRows { q: Vec::new(), scale: Vec::new(), zero: Vec::new() }) };
        }
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut a) => {
                self.quantize_rows_into(x, rows, &mut a, RowLoops::Avx512);
                self.gemm_avx512(&a, rows, activation)
            }
            // Re-entered on this thread (a work-stealing wait ran another call): a buffer of its own.
            Err(_) => self.gemm_avx512(&self.quantize_rows(x, rows, RowLoops::Avx512), rows, activation),
        })
    }

    /// The AMX kernel: activations quantised straight into activation tiles ([`Self::quantize_tiles`]), then per
    /// task of [`AMX_TASK_ROWS`] rows, per 32 rows, per pair of 16-column weight blocks, the sums of 32 rows × 32
    /// columns in four tiles. The 32 rows' activations stay in the L1 cache while the weights stream past, both
    /// read as contiguous 1 kB tiles.
    #[cfg(target_arch = "x86_64")]
    fn forward_amx(&self, x: &[f32], rows: usize, activation: Activation) -> Vec<f32> {
        thread_local! {
            static SCRATCH: std::cell::RefCell<QuantRows> =
                const { std::cell::RefCell::new(QuantRows { q: Vec::new(), scale: Vec::new(), zero: Vec::new() }) };
        }
        let packed = self.packed_amx.get_or_init(|| amx::pack(&self.weight, self.out_dim, self.in_dim));
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut a) => {
                self.quantize_tiles(x, rows, &mut a);
                self.gemm_amx(&a, rows, activation, packed)
            }
            // Re-entered on this thread (a work-stealing wait ran another call): a buffer of its own.
            Err(_) => {
                let mut a = QuantRows { q: Vec::new(), scale: Vec::new(), zero: Vec::new() };
                self.quantize_tiles(x, rows, &mut a);
                self.gemm_amx(&a, rows, activation, packed)
            }
        })
    }

    /// The rows of `x` quantised as [`quantize_row`] does (with AVX-512), laid out as AMX activation tiles: per
    /// block of 16 rows, per 64 inputs, 16 rows of 64 bytes. Inputs past `in_dim` hold the row's zero point (their
    /// weights are 0); the rows are padded to a multiple of 32 with whatever `a` held (their sums are not stored).
    #[cfg(target_arch = "x86_64")]
    fn quantize_tiles(&self, x: &[f32], rows: usize, a: &mut QuantRows) {
        let k = self.in_dim;
        assert_eq!(x.len(), rows * k, "x is [rows, in_dim]");
        let depth = self.in_dim.div_ceil(amx::DEPTH) * amx::DEPTH;
        let block_bytes = amx::ROWS * depth;
        a.q.resize(rows.next_multiple_of(2 * amx::ROWS) * depth, 0);
        a.scale.resize(rows, 0.0);
        a.zero.resize(rows, 0);
        let quantize = |block: usize, tiles: &mut [u8], scale: &mut [f32], zero: &mut [i32]| {
            let mut row = vec![0u8; depth];
            for (i, (s, z)) in scale.iter_mut().zip(zero.iter_mut()).enumerate() {
                let r = block * amx::ROWS + i;
                (*s, *z) = quantize_row(&x[r * k..(r + 1) * k], &mut row[..k], RowLoops::Avx512);
                row[k..].fill(*z as u8);
                for (d, bytes) in row.chunks_exact(amx::DEPTH).enumerate() {
                    tiles[(d * amx::ROWS + i) * amx::DEPTH..][..amx::DEPTH].copy_from_slice(bytes);
                }
            }
        };
        let (q, scale, zero) = (&mut a.q, &mut a.scale, &mut a.zero);
        if in_parallel_caller() {
            q.chunks_mut(block_bytes)
                .zip(scale.chunks_mut(amx::ROWS))
                .zip(zero.chunks_mut(amx::ROWS))
                .enumerate()
                .for_each(|(block, ((tiles, scale), zero))| quantize(block, tiles, scale, zero));
        } else {
            q.par_chunks_mut(block_bytes)
                .zip(scale.par_chunks_mut(amx::ROWS))
                .zip(zero.par_chunks_mut(amx::ROWS))
                .enumerate()
                .for_each(|(block, ((tiles, scale), zero))| quantize(block, tiles, scale, zero));
        }
    }

    #[cfg(target_arch = "x86_64")]
    fn gemm_amx(&self, a: &QuantRows, rows: usize, activation: Activation, packed: &[i8]) -> Vec<f32> {
        let n = self.out_dim;
        let depths = self.in_dim.div_ceil(amx::DEPTH);
        let (pair_rows, pair_cols) = (2 * amx::ROWS, 2 * amx::COLS);
        let pair_bytes = pair_rows * depths * amx::DEPTH;
        let mut out: Vec<f32> = Vec::with_capacity(rows * n);
        let task = |(task, out_rows): (usize, &mut [MaybeUninit<f32>])| {
            let r0 = task * AMX_TASK_ROWS;
            let task_rows = out_rows.len() / n;
            let mut sums = [0i32; 2 * amx::ROWS * 2 * amx::COLS];
            // SAFETY: `Kernel::Amx.available()` was checked by the caller (`forward_on`).
            unsafe { amx::configure() };
            for r in (0..task_rows).step_by(pair_rows) {
                let (at, take) = (r0 + r, (task_rows - r).min(pair_rows));
                let tiles = &a.q[at / pair_rows * pair_bytes..][..pair_bytes];
                let (s, z) = (&a.scale[at..at + take], &a.zero[at..at + take]);
                for pair in 0..n.div_ceil(pair_cols) {
                    let weights = amx::block_pair(packed, pair, depths);
                    let c0 = pair * pair_cols;
                    let cols = (n - c0).min(pair_cols);
                    let constants = (
                        &self.scale[c0..c0 + pair_cols],
                        &self.col_sum[c0..c0 + pair_cols],
                        &self.bias[c0..c0 + pair_cols],
                    );
                    let out_at = &mut out_rows[r * n + c0..];
                    // SAFETY: the tiles are configured on this thread; `tiles` holds two 16-row blocks of `depths`
                    // activation tiles (`quantize_tiles` pads the rows to a multiple of 32), `weights` one block
                    // pair of `depths` tiles each, the constants 32 columns (padded to whole 64-column blocks), and
                    // `out_at` reaches row `take − 1`, column `cols − 1`.
                    unsafe {
                        if take > amx::ROWS {
                            amx::sums::<2>(tiles, weights, depths, &mut sums);
                        } else {
                            amx::sums::<1>(tiles, weights, depths, &mut sums);
                        }
                        match activation {
                            Activation::Identity => amx::finish::<false>(&sums, take, cols, s, z, constants, out_at, n),
                            Activation::Gelu => amx::finish::<true>(&sums, take, cols, s, z, constants, out_at, n),
                        }
                    }
                }
            }
            // SAFETY: configured above, on this thread.
            unsafe { amx::release() };
        };
        let spare = &mut out.spare_capacity_mut()[..rows * n];
        if in_parallel_caller() {
            spare.chunks_mut(AMX_TASK_ROWS * n).enumerate().for_each(task);
        } else {
            spare.par_chunks_mut(AMX_TASK_ROWS * n).enumerate().for_each(task);
        }
        // SAFETY: the tiles cover every row and, pair by pair, every column of the `rows × n` elements.
        unsafe { out.set_len(rows * n) };
        out
    }

    #[cfg(target_arch = "x86_64")]
    fn gemm_avx512(&self, a: &QuantRows, rows: usize, activation: Activation) -> Vec<f32> {
        let (kp, n) = (self.k_padded, self.out_dim);
        let groups = kp / 4;
        let blocks = self.scale.len() / TILE_COLS;
        // Not zeroed first (that memset was 5.6% of int8 scoring): every element is written by exactly one tile.
        let mut out: Vec<f32> = Vec::with_capacity(rows * n);
        let task = |(task, out_rows): (usize, &mut [MaybeUninit<f32>])| {
            let r0 = task * TASK_ROWS;
            let task_rows = out_rows.len() / n;
            for block in 0..blocks {
                let c0 = block * TILE_COLS;
                let cols = n.saturating_sub(c0).min(TILE_COLS);
                let tile = avx512::Tile {
                    weights: &self.packed[block * groups * TILE_COLS * 4..(block + 1) * groups * TILE_COLS * 4],
                    groups,
                    scale: &self.scale[c0..c0 + TILE_COLS],
                    col_sum: &self.col_sum[c0..c0 + TILE_COLS],
                    bias: &self.bias[c0..c0 + TILE_COLS],
                    cols,
                };
                let mut r = 0;
                while r < task_rows {
                    let take = (task_rows - r).min(TILE_ROWS);
                    let rows_at = r0 + r;
                    let a_rows = &a.q[rows_at * kp..(rows_at + take) * kp];
                    let out_at = &mut out_rows[r * n + c0..];
                    let (s, z) = (&a.scale[rows_at..rows_at + take], &a.zero[rows_at..rows_at + take]);
                    // SAFETY: `available()` checked the CPU features; the slices hold `take` rows of `kp` bytes,
                    // the tile's weights `groups` groups, and `out_at` reaches row `take - 1`, column `cols - 1`.
                    unsafe {
                        match (take, activation == Activation::Gelu) {
                            (4, false) => avx512::tile::<4, false>(a_rows, kp, s, z, &tile, out_at, n),
                            (3, false) => avx512::tile::<3, false>(a_rows, kp, s, z, &tile, out_at, n),
                            (2, false) => avx512::tile::<2, false>(a_rows, kp, s, z, &tile, out_at, n),
                            (_, false) => avx512::tile::<1, false>(a_rows, kp, s, z, &tile, out_at, n),
                            (4, true) => avx512::tile::<4, true>(a_rows, kp, s, z, &tile, out_at, n),
                            (3, true) => avx512::tile::<3, true>(a_rows, kp, s, z, &tile, out_at, n),
                            (2, true) => avx512::tile::<2, true>(a_rows, kp, s, z, &tile, out_at, n),
                            (_, true) => avx512::tile::<1, true>(a_rows, kp, s, z, &tile, out_at, n),
                        }
                    }
                    r += take;
                }
            }
        };
        let spare = &mut out.spare_capacity_mut()[..rows * n];
        if in_parallel_caller() {
            spare.chunks_mut(TASK_ROWS * n).enumerate().for_each(task);
        } else {
            spare.par_chunks_mut(TASK_ROWS * n).enumerate().for_each(task);
        }
        // SAFETY: the tiles cover every row and, block by block, every column of the `rows × n` elements.
        unsafe { out.set_len(rows * n) };
        out
    }
}

/// True on a rayon worker: the caller already runs batches in parallel (as `Classifier::predict` does when candle
/// runs each op on one thread), so splitting one product across the pool would only add synchronisation.
fn in_parallel_caller() -> bool {
    rayon::current_thread_index().is_some()
}

/// The loops that quantise activation rows: each gives the plain loops' bytes, scales and zero points exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))] // the vector loops are x86's
enum RowLoops {
    Plain,
    /// [`avx2::min_max_lanes`] and [`avx2::quantize`]; only where [`avx2::available`].
    Avx2,
    /// [`avx512::min_max_lanes`] and [`avx512::quantize`]; only where [`avx512::available`].
    Avx512,
}

impl RowLoops {
    /// The widest loops this CPU runs.
    fn widest() -> RowLoops {
        #[cfg(target_arch = "x86_64")]
        {
            if avx512::available() {
                return RowLoops::Avx512;
            }
            if avx2::available() {
                return RowLoops::Avx2;
            }
        }
        RowLoops::Plain
    }
}

/// Quantises one row into `q` (as long as `row`) and returns its scale and zero point: `v ≈ (q − zero) × scale`.
/// `loops` says which loops do the work; the caller checked that the CPU runs them.
fn quantize_row(row: &[f32], q: &mut [u8], loops: RowLoops) -> (f32, i32) {
    let split = row.len() - row.len() % 16;
    let (body, tail) = row.split_at(split);
    let (lo, hi) = match loops {
        // SAFETY: the caller checked that the CPU has the loops' features; `body` is a multiple of 16 long.
        #[cfg(target_arch = "x86_64")]
        RowLoops::Avx512 => unsafe { avx512::min_max_lanes(body) },
        #[cfg(target_arch = "x86_64")]
        RowLoops::Avx2 => unsafe { avx2::min_max_lanes(body) },
        _ => min_max_lanes(body),
    };
    let (min, max) = (fold_lanes(lo, tail, f32::min), fold_lanes(hi, tail, f32::max));
    let step = if max > min { (max - min) / 255.0 } else { 1.0 };
    let zp = (-min / step).round().clamp(0.0, 255.0);
    let (inv, offset) = (1.0 / step, zp + 0.5);
    // v / step + zp lies in [0, 255]: + 0.5 and truncation round it, and the saturating cast keeps a value that
    // rounding pushed past either end in range.
    let quantize = |dst: &mut [u8], src: &[f32]| {
        for (dst, &v) in dst.iter_mut().zip(src) {
            *dst = (v * inv + offset) as u8;
        }
    };
    let (q_body, q_tail) = q.split_at_mut(split);
    match loops {
        // SAFETY: as above, and `q_body` is as long as `body`.
        #[cfg(target_arch = "x86_64")]
        RowLoops::Avx512 => unsafe { avx512::quantize(body, inv, offset, q_body) },
        #[cfg(target_arch = "x86_64")]
        RowLoops::Avx2 => unsafe { avx2::quantize(body, inv, offset, q_body) },
        _ => quantize(q_body, body),
    }
    quantize(q_tail, tail);
    (step, zp as i32)
}

/// `f` (min or max) over the 16 lanes, `tail` and 0: the lanes pairwise, so that the four levels vectorise where one
/// chain of 16 dependent steps was most of [`quantize_row`]'s own time. Min and max give the same value in any order
/// (no NaN reaches the lanes, and `f32::min` and `max` skip one in `tail`); only the sign of a zero may differ, which
/// the scale and the zero point do not see.
fn fold_lanes(mut lanes: [f32; 16], tail: &[f32], f: fn(f32, f32) -> f32) -> f32 {
    let mut width = lanes.len();
    while width > 1 {
        width /= 2;
        for i in 0..width {
            lanes[i] = f(lanes[i], lanes[i + width]);
        }
    }
    tail.iter().fold(f(lanes[0], 0.0), |m, &v| f(m, v))
}

/// The smallest and largest value in each of 16 lanes of `body` (a multiple of 16 long), starting from 0 (so that 0,
/// padding and exact zeros, is exactly representable). Sixteen independent lanes, so that the loop vectorises.
fn min_max_lanes(body: &[f32]) -> ([f32; 16], [f32; 16]) {
    let (mut lo, mut hi) = ([0f32; 16], [0f32; 16]);
    for chunk in body.chunks_exact(16) {
        for i in 0..16 {
            lo[i] = if chunk[i] < lo[i] { chunk[i] } else { lo[i] };
            hi[i] = if chunk[i] > hi[i] { chunk[i] } else { hi[i] };
        }
    }
    (lo, hi)
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::TILE_COLS;
    use std::arch::x86_64::*;
    use std::mem::MaybeUninit;

    /// Whether this CPU runs the kernel (AVX-512 F and VNNI), checked once.
    pub fn available() -> bool {
        use std::sync::OnceLock;
        static AVAILABLE: OnceLock<bool> = OnceLock::new();
        *AVAILABLE.get_or_init(|| is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512vnni"))
    }

    /// [`super::gelu`] on 16 lanes.
    #[target_feature(enable = "avx512f")]
    unsafe fn gelu(x: __m512) -> __m512 {
        use super::{ERF_A, ERF_P, EXP_C};
        let abs = _mm512_abs_ps(x);
        let z = _mm512_mul_ps(abs, _mm512_set1_ps(std::f32::consts::FRAC_1_SQRT_2));
        let one = _mm512_set1_ps(1.0);
        let t = _mm512_div_ps(one, _mm512_fmadd_ps(_mm512_set1_ps(ERF_P), z, one));
        let mut poly = _mm512_set1_ps(ERF_A[4]);
        for &a in ERF_A[..4].iter().rev() {
            poly = _mm512_fmadd_ps(poly, t, _mm512_set1_ps(a));
        }
        poly = _mm512_mul_ps(poly, t);
        // e^(−z²): 2^n · e^r
        let arg = _mm512_max_ps(_mm512_sub_ps(_mm512_setzero_ps(), _mm512_mul_ps(z, z)), _mm512_set1_ps(-87.0));
        let n = _mm512_roundscale_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(_mm512_mul_ps(
            arg,
            _mm512_set1_ps(std::f32::consts::LOG2_E),
        ));
        let r = _mm512_fnmadd_ps(n, _mm512_set1_ps(std::f32::consts::LN_2), arg);
        let mut e = _mm512_set1_ps(EXP_C[6]);
        for &c in EXP_C[..6].iter().rev() {
            e = _mm512_fmadd_ps(e, r, _mm512_set1_ps(c));
        }
        let e = _mm512_scalef_ps(e, n);
        let erf_abs = _mm512_fnmadd_ps(poly, e, one);
        // copysign: the sign bit of x onto erf(|x|)
        let sign = _mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32(i32::MIN));
        let erf = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(erf_abs), sign));
        _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5), x), _mm512_add_ps(one, erf))
    }

    /// [`super::min_max_lanes`] on one AVX-512 register: `min_ps(v, lo)` is `v < lo ? v : lo`, the plain loop's
    /// comparison, so NaN and signed zeros come out the same too.
    ///
    /// # Safety
    /// The CPU has AVX-512 F; `body` is a multiple of 16 long.
    #[target_feature(enable = "avx512f")]
    pub unsafe fn min_max_lanes(body: &[f32]) -> ([f32; 16], [f32; 16]) {
        debug_assert_eq!(body.len() % 16, 0);
        let (mut lo, mut hi) = (_mm512_setzero_ps(), _mm512_setzero_ps());
        for chunk in body.chunks_exact(16) {
            let v = _mm512_loadu_ps(chunk.as_ptr());
            lo = _mm512_min_ps(v, lo);
            hi = _mm512_max_ps(v, hi);
        }
        let (mut lo_lanes, mut hi_lanes) = ([0f32; 16], [0f32; 16]);
        _mm512_storeu_ps(lo_lanes.as_mut_ptr(), lo);
        _mm512_storeu_ps(hi_lanes.as_mut_ptr(), hi);
        (lo_lanes, hi_lanes)
    }

    /// `q[i] = (body[i] * inv + offset) as u8` on 16 lanes: the multiply and the add rounded separately (no FMA),
    /// then clamped to [0, 255] before truncation, which is what the saturating cast does (NaN becomes 0).
    ///
    /// # Safety
    /// The CPU has AVX-512 F; `body` is a multiple of 16 long and `q` as long as `body`.
    #[target_feature(enable = "avx512f")]
    pub unsafe fn quantize(body: &[f32], inv: f32, offset: f32, q: &mut [u8]) {
        debug_assert_eq!(body.len() % 16, 0);
        debug_assert_eq!(q.len(), body.len());
        let (inv, offset) = (_mm512_set1_ps(inv), _mm512_set1_ps(offset));
        let (zero, top) = (_mm512_setzero_ps(), _mm512_set1_ps(255.0));
        for (src, dst) in body.chunks_exact(16).zip(q.chunks_exact_mut(16)) {
            let y = _mm512_add_ps(_mm512_mul_ps(_mm512_loadu_ps(src.as_ptr()), inv), offset);
            // max_ps(NaN, 0) is 0 (the second operand), as `NaN as u8` is.
            let y = _mm512_min_ps(_mm512_max_ps(y, zero), top);
            let bytes = _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(y));
            _mm_storeu_si128(dst.as_mut_ptr() as *mut __m128i, bytes);
        }
    }

    /// One block of [`TILE_COLS`] output columns: its packed weights and per-column constants.
    pub struct Tile<'a> {
        pub weights: &'a [i8],
        pub groups: usize,
        pub scale: &'a [f32],
        pub col_sum: &'a [i32],
        pub bias: &'a [f32],
        /// Columns of the block that exist (the last block may be partial).
        pub cols: usize,
    }

    /// `R` rows × one column block: `R × 4` accumulators of 16 lanes stay in registers over the whole `k`.
    ///
    /// # Safety
    /// The CPU has AVX-512 F and VNNI; `a` holds `R` rows of `a_stride ≥ 4 × groups` bytes; `out` holds row
    /// `R − 1` at `(R − 1) × out_stride` up to column `tile.cols`.
    #[target_feature(enable = "avx512f,avx512vnni")]
    pub unsafe fn tile<const R: usize, const GELU: bool>(
        a: &[u8],
        a_stride: usize,
        a_scale: &[f32],
        a_zero: &[i32],
        tile: &Tile,
        out: &mut [MaybeUninit<f32>],
        out_stride: usize,
    ) {
        debug_assert!(a.len() >= (R - 1) * a_stride + 4 * tile.groups);
        debug_assert!(out.len() >= (R - 1) * out_stride + tile.cols);
        debug_assert_eq!(tile.weights.len(), tile.groups * TILE_COLS * 4);
        let mut acc = [[_mm512_setzero_si512(); 4]; R];
        let w = tile.weights.as_ptr();
        let a = a.as_ptr();
        for g in 0..tile.groups {
            let wg = w.add(g * TILE_COLS * 4);
            let w0 = _mm512_loadu_si512(wg as *const _);
            let w1 = _mm512_loadu_si512(wg.add(64) as *const _);
            let w2 = _mm512_loadu_si512(wg.add(128) as *const _);
            let w3 = _mm512_loadu_si512(wg.add(192) as *const _);
            for (r, acc) in acc.iter_mut().enumerate() {
                let x = _mm512_set1_epi32((a.add(r * a_stride + 4 * g) as *const i32).read_unaligned());
                acc[0] = _mm512_dpbusd_epi32(acc[0], x, w0);
                acc[1] = _mm512_dpbusd_epi32(acc[1], x, w1);
                acc[2] = _mm512_dpbusd_epi32(acc[2], x, w2);
                acc[3] = _mm512_dpbusd_epi32(acc[3], x, w3);
            }
        }
        for v in 0..4 {
            let c0 = v * 16;
            if c0 >= tile.cols {
                break;
            }
            let left = tile.cols - c0;
            let mask: __mmask16 = if left >= 16 { 0xffff } else { (1u16 << left) - 1 };
            let col_sum = _mm512_loadu_si512(tile.col_sum.as_ptr().add(c0) as *const _);
            let scale = _mm512_loadu_ps(tile.scale.as_ptr().add(c0));
            let bias = _mm512_loadu_ps(tile.bias.as_ptr().add(c0));
            for (r, acc) in acc.iter().enumerate() {
                let y = finish::<GELU>(acc[v], a_zero[r], a_scale[r], col_sum, scale, bias);
                _mm512_mask_storeu_ps(out.as_mut_ptr().add(r * out_stride + c0) as *mut f32, mask, y);
            }
        }
    }

    /// 16 outputs of one row from their `i32` sums: the zero point's share taken off, scaled, the bias added (one
    /// fused multiply-add), then the GELU if asked. The AMX kernel calls it too, so both give the same floats.
    #[target_feature(enable = "avx512f")]
    #[inline]
    pub(super) unsafe fn finish<const GELU: bool>(
        acc: __m512i,
        a_zero: i32,
        a_scale: f32,
        col_sum: __m512i,
        scale: __m512,
        bias: __m512,
    ) -> __m512 {
        let corrected = _mm512_sub_epi32(acc, _mm512_mullo_epi32(_mm512_set1_epi32(a_zero), col_sum));
        let y = _mm512_fmadd_ps(_mm512_cvtepi32_ps(corrected), _mm512_mul_ps(_mm512_set1_ps(a_scale), scale), bias);
        if GELU {
            gelu(y)
        } else {
            y
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The AVX2 and AVX-512 quantisations give the plain loops' bytes, scales and zero points exactly, on every
    /// length remainder and on rows that are all zero, constant, one-signed, or hold ±0, NaN or infinity.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_vector_quantisations_are_the_plain_one() {
        let vectors: Vec<RowLoops> = [(RowLoops::Avx2, avx2::available()), (RowLoops::Avx512, avx512::available())]
            .into_iter()
            .filter_map(|(loops, available)| available.then_some(loops))
            .collect();
        if vectors.is_empty() {
            eprintln!("neither AVX2 nor AVX-512 VNNI on this CPU: the vector quantisations are not used here");
            return;
        }
        let mut rng = crate::SeededRng::new(9);
        let mut rows: Vec<Vec<f32>> = Vec::new();
        for len in (1..=70).chain([383, 384, 1536]) {
            rows.push((0..len).map(|_| 3.0 * rng.normal()).collect());
            rows.push((0..len).map(|_| rng.normal().abs() + 0.5).collect());
            rows.push((0..len).map(|_| -rng.normal().abs() - 0.5).collect());
            rows.push(vec![0.0; len]);
            rows.push(vec![1.25; len]);
        }
        let mut special: Vec<f32> = (0..48).map(|_| rng.normal()).collect();
        special[3] = -0.0;
        special[17] = f32::NAN;
        rows.push(special.clone());
        special[20] = f32::INFINITY;
        rows.push(special);
        for (row, &loops) in rows.iter().flat_map(|row| vectors.iter().map(move |loops| (row, loops))) {
            let (mut plain, mut simd) = (vec![0u8; row.len()], vec![0u8; row.len()]);
            let want = quantize_row(row, &mut plain, RowLoops::Plain);
            let got = quantize_row(row, &mut simd, loops);
            assert_eq!((got.0.to_bits(), got.1), (want.0.to_bits(), want.1), "{loops:?}: scale and zero of {row:?}");
            assert_eq!(simd, plain, "{loops:?}: bytes of {row:?}");
            // The scale and zero point from the row's minimum and maximum with 0, folded in order.
            let (min, max) = (row.iter().fold(0f32, |m, &v| m.min(v)), row.iter().fold(0f32, |m, &v| m.max(v)));
            let step = if max > min { (max - min) / 255.0 } else { 1.0 };
            let zero = (-min / step).round().clamp(0.0, 255.0) as i32;
            assert_eq!((want.0.to_bits(), want.1), (step.to_bits(), zero), "scale and zero of {row:?}");
        }
    }

    #[test]
    fn a_row_of_zeros_gives_the_bias() {
        let layer = QuantLinear::new(&[0.5, -0.25, 1.0, 0.0], Some(&[0.1, -0.2]), 2, 2);
        assert_eq!(layer.forward(&[0.0, 0.0], 1, Activation::Identity), vec![0.1, -0.2]);
        assert_eq!(layer.forward_reference(&[0.0, 0.0], 1, Activation::Identity), vec![0.1, -0.2]);
    }
}
