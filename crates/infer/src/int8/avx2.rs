//! The int8 kernel for CPUs with AVX2 and FMA but without AVX-512 VNNI (most of today's cloud and CI machines).
//!
//! AVX2 has no `u8 × i8` dot product that accumulates in `i32` without saturating: `vpmaddubsw` adds two
//! `u8 × i8` products in an `i16`, and 2 × 255 × 127 = 64,770 does not fit. So both sides are widened to `i16`
//! (the weights once, when first used; each activation row as it is quantised) and multiplied with `vpmaddwd`,
//! which adds two `i16 × i16` products in an `i32`: exact, so the sums are the reference loops' to the last bit,
//! at half the products per instruction of the saturating form. The scaling, bias and GELU are the AVX-512
//! kernel's, operation for operation, so the two kernels give the same floats.

use super::{ERF_A, ERF_P, EXP_C};
use std::arch::x86_64::*;
use std::mem::MaybeUninit;

/// Output columns per tile: two vectors of 8 `i32`.
pub const COLS: usize = 16;

/// Whether this CPU runs the kernel (AVX2 and FMA), checked once.
pub fn available() -> bool {
    use std::sync::OnceLock;
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"))
}

/// [`super::min_max_lanes`] on two AVX2 registers (lanes 0–7 and 8–15): `min_ps(v, lo)` is `v < lo ? v : lo`, the
/// plain loop's comparison, so NaN and signed zeros come out the same too.
///
/// # Safety
/// The CPU has AVX2; `body` is a multiple of 16 long.
#[target_feature(enable = "avx2")]
pub unsafe fn min_max_lanes(body: &[f32]) -> ([f32; 16], [f32; 16]) {
    debug_assert_eq!(body.len() % 16, 0);
    let (mut lo, mut hi) = ([_mm256_setzero_ps(); 2], [_mm256_setzero_ps(); 2]);
    for chunk in body.chunks_exact(16) {
        for half in 0..2 {
            let v = _mm256_loadu_ps(chunk.as_ptr().add(8 * half));
            lo[half] = _mm256_min_ps(v, lo[half]);
            hi[half] = _mm256_max_ps(v, hi[half]);
        }
    }
    let (mut lo_lanes, mut hi_lanes) = ([0f32; 16], [0f32; 16]);
    for half in 0..2 {
        _mm256_storeu_ps(lo_lanes.as_mut_ptr().add(8 * half), lo[half]);
        _mm256_storeu_ps(hi_lanes.as_mut_ptr().add(8 * half), hi[half]);
    }
    (lo_lanes, hi_lanes)
}

/// `q[i] = (body[i] * inv + offset) as u8`, 16 at a time: the multiply and the add rounded separately (no FMA), then
/// clamped to [0, 255] before truncation, which is what the saturating cast does (`max_ps(NaN, 0)` is 0, as
/// `NaN as u8` is).
///
/// # Safety
/// The CPU has AVX2; `body` is a multiple of 16 long and `q` as long as `body`.
#[target_feature(enable = "avx2")]
pub unsafe fn quantize(body: &[f32], inv: f32, offset: f32, q: &mut [u8]) {
    debug_assert_eq!(body.len() % 16, 0);
    debug_assert_eq!(q.len(), body.len());
    let (inv, offset) = (_mm256_set1_ps(inv), _mm256_set1_ps(offset));
    let (zero, top) = (_mm256_setzero_ps(), _mm256_set1_ps(255.0));
    for (src, dst) in body.chunks_exact(16).zip(q.chunks_exact_mut(16)) {
        let [a, b] = std::array::from_fn(|half| {
            let y = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(src.as_ptr().add(8 * half)), inv), offset);
            _mm256_cvttps_epi32(_mm256_min_ps(_mm256_max_ps(y, zero), top))
        });
        // 16 × i16 in the order a0–3, b0–3, a4–7, b4–7 (packs works within 128-bit halves), put back in order,
        // then narrowed to bytes; every value is in [0, 255], so neither pack saturates.
        let words = _mm256_permute4x64_epi64::<0b11_01_10_00>(_mm256_packs_epi32(a, b));
        let bytes = _mm_packus_epi16(_mm256_castsi256_si128(words), _mm256_extracti128_si256::<1>(words));
        _mm_storeu_si128(dst.as_mut_ptr() as *mut __m128i, bytes);
    }
}

/// The weights `[out_dim, in_dim]` (row major, `i8`) laid out for [`tile`]: per block of [`COLS`] columns, per
/// pair of inputs, the 16 columns' two weights as `i16` (one 256-bit vector per 8 columns). Columns past `out_dim`
/// and inputs past `in_dim` (up to `k_padded`, even) are 0.
pub fn pack(weight: &[i8], out_dim: usize, in_dim: usize, k_padded: usize) -> Vec<i16> {
    let (blocks, pairs) = (out_dim.div_ceil(COLS), k_padded / 2);
    let mut packed = vec![0i16; blocks * pairs * COLS * 2];
    for block in 0..blocks {
        for p in 0..pairs {
            for j in 0..COLS {
                let c = block * COLS + j;
                for b in 0..2 {
                    let k = 2 * p + b;
                    if c < out_dim && k < in_dim {
                        packed[((block * pairs + p) * COLS + j) * 2 + b] = weight[c * in_dim + k] as i16;
                    }
                }
            }
        }
    }
    packed
}

/// One block of [`COLS`] output columns: its packed weights and per-column constants.
pub struct Tile<'a> {
    pub weights: &'a [i16],
    pub pairs: usize,
    pub scale: &'a [f32],
    pub col_sum: &'a [i32],
    pub bias: &'a [f32],
    /// Columns of the block that exist (the last block may be partial).
    pub cols: usize,
}

/// `R` rows × one column block: `R × 2` accumulators of 8 lanes stay in registers over the whole `k`. `a` holds the
/// quantised activations widened to `i16`, `R` rows of `a_stride` (even, ≥ 2 × `tile.pairs`).
///
/// # Safety
/// The CPU has AVX2 and FMA; `tile.pairs` is even (asserted); `a` holds `R` rows of `a_stride`; `out` holds row `R − 1` at `(R − 1) × out_stride`
/// up to column `tile.cols`; `tile.scale`, `col_sum` and `bias` hold [`COLS`] entries.
#[target_feature(enable = "avx2,fma")]
#[allow(clippy::too_many_arguments)] // the kernel's operands, as the AVX-512 kernel's
pub unsafe fn tile<const R: usize, const GELU: bool>(
    a: &[i16],
    a_stride: usize,
    a_scale: &[f32],
    a_zero: &[i32],
    tile: &Tile,
    out: &mut [MaybeUninit<f32>],
    out_stride: usize,
) {
    debug_assert!(a.len() >= (R - 1) * a_stride + 2 * tile.pairs);
    debug_assert!(out.len() >= (R - 1) * out_stride + tile.cols);
    debug_assert_eq!(tile.weights.len(), tile.pairs * COLS * 2);
    debug_assert!(tile.scale.len() >= COLS && tile.col_sum.len() >= COLS && tile.bias.len() >= COLS);
    let mut acc = [[_mm256_setzero_si256(); 2]; R];
    let w = tile.weights.as_ptr();
    let a = a.as_ptr();
    // Two pairs a step (`pairs` is even: `k_padded` is a multiple of 4), so that the loop's own instructions are
    // spread over twice the products.
    assert!(tile.pairs.is_multiple_of(2), "a tile takes an even number of input pairs");
    for p in (0..tile.pairs).step_by(2) {
        for p in [p, p + 1] {
            let wp = w.add(p * COLS * 2);
            let w0 = _mm256_loadu_si256(wp as *const __m256i);
            let w1 = _mm256_loadu_si256(wp.add(16) as *const __m256i);
            for (r, acc) in acc.iter_mut().enumerate() {
                // Two i16 activations, inputs 2p and 2p + 1, in every 32-bit lane.
                let x = _mm256_set1_epi32((a.add(r * a_stride + 2 * p) as *const i32).read_unaligned());
                acc[0] = _mm256_add_epi32(acc[0], _mm256_madd_epi16(x, w0));
                acc[1] = _mm256_add_epi32(acc[1], _mm256_madd_epi16(x, w1));
            }
        }
    }
    for v in 0..2 {
        let c0 = v * 8;
        if c0 >= tile.cols {
            break;
        }
        let left = (tile.cols - c0).min(8) as i32;
        let mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(left), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        let col_sum = _mm256_loadu_si256(tile.col_sum.as_ptr().add(c0) as *const __m256i);
        let scale = _mm256_loadu_ps(tile.scale.as_ptr().add(c0));
        let bias = _mm256_loadu_ps(tile.bias.as_ptr().add(c0));
        for (r, acc) in acc.iter().enumerate() {
            let corrected = _mm256_sub_epi32(acc[v], _mm256_mullo_epi32(_mm256_set1_epi32(a_zero[r]), col_sum));
            let y =
                _mm256_fmadd_ps(_mm256_cvtepi32_ps(corrected), _mm256_mul_ps(_mm256_set1_ps(a_scale[r]), scale), bias);
            let y = if GELU { gelu(y) } else { y };
            _mm256_maskstore_ps(out.as_mut_ptr().add(r * out_stride + c0) as *mut f32, mask, y);
        }
    }
}

/// [`super::gelu`] on 8 lanes, as the AVX-512 kernel computes it: the same operations, with `2^n` built from its
/// exponent bits where AVX-512 has `scalef` (both multiply `e` by `2^n` exactly once, with one rounding).
#[target_feature(enable = "avx2,fma")]
unsafe fn gelu(x: __m256) -> __m256 {
    let sign_bit = _mm256_set1_ps(-0.0);
    let abs = _mm256_andnot_ps(sign_bit, x);
    let z = _mm256_mul_ps(abs, _mm256_set1_ps(std::f32::consts::FRAC_1_SQRT_2));
    let one = _mm256_set1_ps(1.0);
    let t = _mm256_div_ps(one, _mm256_fmadd_ps(_mm256_set1_ps(ERF_P), z, one));
    let mut poly = _mm256_set1_ps(ERF_A[4]);
    for &a in ERF_A[..4].iter().rev() {
        poly = _mm256_fmadd_ps(poly, t, _mm256_set1_ps(a));
    }
    poly = _mm256_mul_ps(poly, t);
    // e^(−z²): 2^n · e^r, n in [−126, 0] (the argument is clamped to −87)
    let arg = _mm256_max_ps(_mm256_sub_ps(_mm256_setzero_ps(), _mm256_mul_ps(z, z)), _mm256_set1_ps(-87.0));
    let n = _mm256_round_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(_mm256_mul_ps(
        arg,
        _mm256_set1_ps(std::f32::consts::LOG2_E),
    ));
    let r = _mm256_fnmadd_ps(n, _mm256_set1_ps(std::f32::consts::LN_2), arg);
    let mut e = _mm256_set1_ps(EXP_C[6]);
    for &c in EXP_C[..6].iter().rev() {
        e = _mm256_fmadd_ps(e, r, _mm256_set1_ps(c));
    }
    let two_n =
        _mm256_castsi256_ps(_mm256_slli_epi32::<23>(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127))));
    let e = _mm256_mul_ps(e, two_n);
    let erf_abs = _mm256_fnmadd_ps(poly, e, one);
    // copysign: the sign bit of x onto erf(|x|)
    let erf = _mm256_or_ps(erf_abs, _mm256_and_ps(x, sign_bit));
    _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.5), x), _mm256_add_ps(one, erf))
}
