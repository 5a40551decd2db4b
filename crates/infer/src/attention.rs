//! Fused multi-head attention for inference: `softmax(q kᵀ · scale + mask) v` for every sequence and head in one
//! pass over the projections as the linear maps give them (`[batch, positions, hidden]`, heads side by side), so
//! no heads are split into copies, no scores or probabilities are held for more than one query row group, the
//! scale is folded into the query rows, the mask is added as the scores are made, and keys after a sequence's last
//! unmasked one are skipped (their probability is exactly 0 either way).
//!
//! One body (`sequence`) runs on three sets of inner loops, chosen at run time ([`attention`]): AVX-512, AVX2
//! (both with FMA) and plain loops on 16-lane arrays. Their products are fused multiply-adds (`f32::mul_add`,
//! exactly rounded everywhere: an x86 CPU without FMA calls the library's `fmaf`, slowly) in a fixed order, so
//! every CPU gives the same floats (tested). The plain loops are slower than candle's composition, which a model
//! keeps where neither vector set runs ([`fast`]); `LURESCAN_ATTENTION=avx2|scalar` caps the choice for tests and
//! benches. [`attention_reference`] is the
//! definition (candle's composition written out in plain loops); the two differ by the `exp` (a polynomial here,
//! within 2 ulps) and by the order of the sums: a few ulps of the context values.

use rayon::prelude::*;

/// Lanes of the vectorised loops (one AVX-512 register of f32).
const LANES: usize = 16;
/// Query rows computed together: each key and value row read from cache serves this many.
const GROUP: usize = 4;

/// The shapes of one call of [`attention`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Sequences.
    pub batch: usize,
    /// Query rows per sequence.
    pub queries: usize,
    /// Key and value rows per sequence.
    pub keys: usize,
    pub heads: usize,
    pub head_dim: usize,
}

impl Shape {
    fn hidden(&self) -> usize {
        self.heads * self.head_dim
    }

    fn check(&self, q: &[f32], k: &[f32], v: &[f32], mask: Option<&[f32]>) {
        let h = self.hidden();
        assert_eq!(q.len(), self.batch * self.queries * h, "q is [batch, queries, heads × head_dim]");
        assert_eq!(k.len(), self.batch * self.keys * h, "k is [batch, keys, heads × head_dim]");
        assert_eq!(v.len(), k.len(), "v is [batch, keys, heads × head_dim]");
        if let Some(mask) = mask {
            assert_eq!(mask.len(), self.batch * self.keys, "mask is [batch, keys]");
        }
    }
}

/// The attention context `[batch, queries, heads × head_dim]` of query rows `q` (`[batch, queries, hidden]`, not
/// yet scaled), keys `k` and values `v` (`[batch, keys, hidden]`) and an additive `mask` (`[batch, keys]`: 0 for a
/// key to attend to, a large negative number for padding), head `h` in columns `h × head_dim ..`. Each query row is
/// multiplied by `scale` (rounded) before its dot products, as `(x Wq + b) · scale` is in the unfused model.
///
/// Runs the sequences in parallel on the current rayon pool, unless it is called from a rayon worker (the caller
/// already runs batches in parallel).
pub fn attention(q: &[f32], k: &[f32], v: &[f32], mask: Option<&[f32]>, shape: Shape, scale: f32) -> Vec<f32> {
    shape.check(q, k, v, mask);
    let h = shape.hidden();
    let mut out = vec![0f32; shape.batch * shape.queries * h];
    if out.is_empty() || shape.keys == 0 {
        return out;
    }
    let kernel = kernel(shape.head_dim);
    let per_sequence = |(b, out): (usize, &mut [f32])| {
        let (qs, ks) = (shape.queries * h, shape.keys * h);
        let mask = mask.map(|m| &m[b * shape.keys..(b + 1) * shape.keys]);
        let sequence = Sequence {
            q: &q[b * qs..(b + 1) * qs],
            k: &k[b * ks..(b + 1) * ks],
            v: &v[b * ks..(b + 1) * ks],
            mask,
            keys: used_keys(mask, shape.keys),
        };
        kernel(&sequence, &shape, scale, out);
    };
    let chunk = shape.queries * h;
    if rayon::current_thread_index().is_some() {
        out.chunks_mut(chunk).enumerate().for_each(per_sequence);
    } else {
        out.par_chunks_mut(chunk).enumerate().for_each(per_sequence);
    }
    out
}

/// The definition of [`attention`]: per sequence, head and query row, the scaled scores plus the mask, a softmax
/// (max subtracted, `f32::exp`, divided by the sum), and the probabilities times the values, in plain loops.
pub fn attention_reference(
    q: &[f32],
    k: &[f32],
    v: &[f32],
    mask: Option<&[f32]>,
    shape: Shape,
    scale: f32,
) -> Vec<f32> {
    shape.check(q, k, v, mask);
    let Shape { batch, queries, keys, heads, head_dim } = shape;
    let h = shape.hidden();
    let mut out = vec![0f32; batch * queries * h];
    let mut scores = vec![0f32; keys];
    for b in 0..batch {
        for head in 0..heads {
            let col = head * head_dim;
            for i in 0..queries {
                let q_row = &q[(b * queries + i) * h + col..][..head_dim];
                for (j, score) in scores.iter_mut().enumerate() {
                    let k_row = &k[(b * keys + j) * h + col..][..head_dim];
                    let dot = q_row.iter().zip(k_row).fold(0.0, |acc, (&x, &y)| acc + (x * scale) * y);
                    *score = dot + mask.map_or(0.0, |m| m[b * keys + j]);
                }
                let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                scores.iter_mut().for_each(|s| *s = (*s - max).exp());
                let sum: f32 = scores.iter().sum();
                let out_row = &mut out[(b * queries + i) * h + col..][..head_dim];
                for (j, &p) in scores.iter().enumerate() {
                    let v_row = &v[(b * keys + j) * h + col..][..head_dim];
                    for (o, &x) in out_row.iter_mut().zip(v_row) {
                        *o += (p / sum) * x;
                    }
                }
            }
        }
    }
    out
}

/// One sequence's slices and how many of its keys can get a probability above 0.
struct Sequence<'a> {
    q: &'a [f32],
    k: &'a [f32],
    v: &'a [f32],
    mask: Option<&'a [f32]>,
    keys: usize,
}

/// The keys up to the last one the mask keeps: the ones after it add `mask + score − max ≤ −10³⁷` before `exp`,
/// which is 0, so leaving them out changes nothing. All `keys` when every key is masked (then the masked scores
/// compete among themselves) or there is no mask.
fn used_keys(mask: Option<&[f32]>, keys: usize) -> usize {
    const IGNORED: f32 = -1e37;
    match mask.and_then(|m| m.iter().rposition(|&x| x > IGNORED)) {
        Some(last) => last + 1,
        None => keys,
    }
}

type Kernel = fn(&Sequence, &Shape, f32, &mut [f32]);

/// Whether [`attention`] runs a vector kernel for heads of `head_dim`: on a CPU with AVX-512 F and FMA, or AVX2
/// and FMA, for a `head_dim` that is a multiple of 16. Otherwise it runs the same computation in scalar loops,
/// slower than candle's composition, which a model should then keep.
pub fn fast(head_dim: usize) -> bool {
    head_dim.is_multiple_of(LANES) && vector() != Vector::None
}

/// The environment variable that caps the attention kernel's instruction set.
pub const CAP_ENV: &str = "LURESCAN_ATTENTION";
/// The values [`CAP_ENV`] takes; another value caps nothing ([`crate::env_warnings`] reports it).
pub const CAP_VALUES: [&str; 2] = ["avx2", "scalar"];

/// The instruction set of the vector kernel: the widest the CPU has, or the one `LURESCAN_ATTENTION=avx2|scalar`
/// names if narrower (for tests and benches, as `LURESCAN_INT8_KERNEL` for the int8 kernels), decided once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Vector {
    Avx512,
    Avx2,
    None,
}

fn vector() -> Vector {
    #[cfg(target_arch = "x86_64")]
    {
        use std::sync::OnceLock;
        static VECTOR: OnceLock<Vector> = OnceLock::new();
        *VECTOR.get_or_init(|| {
            let cap = match std::env::var(CAP_ENV).as_deref() {
                Ok("avx2") => Vector::Avx2,
                Ok("scalar") => Vector::None,
                _ => Vector::Avx512,
            };
            let fma = is_x86_feature_detected!("fma");
            if cap <= Vector::Avx512 && fma && is_x86_feature_detected!("avx512f") {
                Vector::Avx512
            } else if cap <= Vector::Avx2 && fma && is_x86_feature_detected!("avx2") {
                Vector::Avx2
            } else {
                Vector::None
            }
        })
    }
    #[cfg(not(target_arch = "x86_64"))]
    Vector::None
}

/// The vector kernel where [`fast`], else the scalar one (the same floats).
fn kernel(head_dim: usize) -> Kernel {
    #[cfg(target_arch = "x86_64")]
    if fast(head_dim) {
        return match vector() {
            // SAFETY (of the call inside): the CPU has AVX-512 F and FMA.
            Vector::Avx512 => |s, shape, scale, out| unsafe { x86::sequence_avx512(s, shape, scale, out) },
            // SAFETY (of the call inside): the CPU has AVX2 and FMA.
            _ => |s, shape, scale, out| unsafe { x86::sequence_avx2(s, shape, scale, out) },
        };
    }
    sequence::<Scalar>
}

/// The three inner loops of [`sequence`]: [`Scalar`]'s plain loops, or the AVX-512 ones that compute the same
/// floats.
trait Loops {
    /// `scores[r][j] (+)= Σ_t q_rows[r][t] · kt[t][j]` over `width` dimensions, for [`GROUP`] query rows (those
    /// past the group's last are computed and not read) and every 16-key block, two blocks at a time (`padded` is a
    /// multiple of 32): 2 × 4 independent fused multiply-adds of 16 lanes, each `kt` vector read once for all
    /// rows. `first` starts from 0.
    fn scores(
        q_rows: &[[f32; 64]; GROUP],
        kt: &[f32],
        padded: usize,
        width: usize,
        first: bool,
        scores: &mut [[f32; LANES]],
    );

    /// Adds the mask to one row of scores, then replaces each by `exp(score − max)` ([`exp`]); returns their sum
    /// (added lane by lane, then the lanes in order). The padding columns' mask is −∞, so they count for neither
    /// the max nor the sum.
    fn softmax_numerators(row: &mut [[f32; LANES]], mask: &[f32]) -> f32;

    /// One head's keys transposed: `kt[t][j] = k[j][col + t]` for the first `keys` keys (rows of `h`) and `d`
    /// dimensions (a multiple of 16), `kt`'s rows `padded` long.
    #[allow(clippy::too_many_arguments)] // one inner loop's operands, named
    #[inline(always)]
    fn transpose_keys(k: &[f32], h: usize, col: usize, d: usize, keys: usize, padded: usize, kt: &mut [f32]) {
        for j in 0..keys {
            for (t, &x) in k[j * h + col..][..d].iter().enumerate() {
                kt[t * padded + j] = x;
            }
        }
    }

    /// The context rows `i .. i + rows` of one head (`out` starts at row `i`): `Σ_j p[r][j] · v[j] × (1 / sums[r])`
    /// over the first `keys` keys, `v`'s columns `col .. col + head_dim`. 32 columns (`head_dim` is a multiple of
    /// 16) of 4 rows at a time, so that each value row read serves every row, in 8 independent sums.
    #[allow(clippy::too_many_arguments)] // one inner loop's operands, named
    fn weighted_values(
        p: &[[f32; LANES]],
        blocks: usize,
        rows: usize,
        keys: usize,
        v: &[f32],
        h: usize,
        col: usize,
        d: usize,
        out: &mut [f32],
        sums: &[f32; GROUP],
    );
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{sequence, Loops, Sequence, Shape, EXP_C, GROUP, LANES};
    use std::arch::x86_64::*;

    /// # Safety
    /// The CPU has AVX-512 F and FMA.
    #[target_feature(enable = "avx512f,fma")]
    pub unsafe fn sequence_avx512(s: &Sequence, shape: &Shape, scale: f32, out: &mut [f32]) {
        sequence::<Avx512>(s, shape, scale, out)
    }

    /// # Safety
    /// The CPU has AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn sequence_avx2(s: &Sequence, shape: &Shape, scale: f32, out: &mut [f32]) {
        sequence::<Avx2>(s, shape, scale, out)
    }

    /// [`Loops`] on pairs of AVX2 registers (8 lanes each), the same operations in the same order as
    /// [`super::Scalar`]'s, lane for lane, on half the columns at a time where the AVX-512 loops' 32 would not fit
    /// in 16 registers; the keys are transposed 8 × 8 in registers. Only called from
    /// [`sequence_avx2`], whose caller checked the CPU.
    pub struct Avx2;

    impl Loops for Avx2 {
        #[inline(always)]
        fn scores(
            q_rows: &[[f32; 64]; GROUP],
            kt: &[f32],
            padded: usize,
            width: usize,
            first: bool,
            scores: &mut [[f32; LANES]],
        ) {
            let blocks = padded / LANES;
            assert!(kt.len() >= (width.max(1) - 1) * padded + padded && scores.len() >= GROUP * blocks);
            assert!(padded.is_multiple_of(2 * LANES) && width <= 64);
            // SAFETY: the CPU has AVX2 and FMA (see the type); every load and store is inside `kt` and `scores`
            // (asserted above: row t of `kt` holds `padded` floats, `scores` GROUP rows of `blocks`).
            unsafe {
                let (kt, out) = (kt.as_ptr(), scores.as_mut_ptr() as *mut f32);
                // One 16-key block at a time: 4 rows × 2 accumulators, 2 key vectors and the query broadcast fit
                // AVX2's 16 registers (two blocks at a time, as the AVX-512 loops take, spill). Each sum still
                // takes its products in the order of `t`: the same floats.
                for jb in 0..blocks {
                    let mut acc = [[_mm256_setzero_ps(); 2]; GROUP];
                    if !first {
                        for (r, acc) in acc.iter_mut().enumerate() {
                            let at = out.add((r * blocks + jb) * LANES);
                            *acc = std::array::from_fn(|i| _mm256_loadu_ps(at.add(8 * i)));
                        }
                    }
                    for t in 0..width {
                        let at = kt.add(t * padded + jb * LANES);
                        let k: [__m256; 2] = std::array::from_fn(|i| _mm256_loadu_ps(at.add(8 * i)));
                        for (acc, q_row) in acc.iter_mut().zip(q_rows) {
                            let q = _mm256_set1_ps(q_row[t]);
                            for i in 0..2 {
                                acc[i] = _mm256_fmadd_ps(q, k[i], acc[i]);
                            }
                        }
                    }
                    for (r, acc) in acc.iter().enumerate() {
                        let at = out.add((r * blocks + jb) * LANES);
                        for (i, a) in acc.iter().enumerate() {
                            _mm256_storeu_ps(at.add(8 * i), *a);
                        }
                    }
                }
            }
        }

        #[inline(always)]
        fn softmax_numerators(row: &mut [[f32; LANES]], mask: &[f32]) -> f32 {
            assert!(mask.len() >= row.len() * LANES);
            // SAFETY: as in `scores`; `row` and `mask` hold `row.len()` blocks of 16.
            unsafe {
                let (p, m) = (row.as_mut_ptr() as *mut f32, mask.as_ptr());
                let mut max = [_mm256_set1_ps(f32::NEG_INFINITY); 2];
                // Both halves of a 16-lane block in one step, so that the maxima stay in registers.
                for at in (0..row.len() * LANES).step_by(LANES) {
                    for (i, half) in max.iter_mut().enumerate() {
                        let at = at + 8 * i;
                        let x = _mm256_add_ps(_mm256_loadu_ps(p.add(at)), _mm256_loadu_ps(m.add(at)));
                        _mm256_storeu_ps(p.add(at), x);
                        // `x > max ? x : max`, the scalar loop's comparison.
                        *half = _mm256_blendv_ps(*half, x, _mm256_cmp_ps::<_CMP_GT_OQ>(x, *half));
                    }
                }
                let mut lanes = [0f32; LANES];
                _mm256_storeu_ps(lanes.as_mut_ptr(), max[0]);
                _mm256_storeu_ps(lanes.as_mut_ptr().add(8), max[1]);
                let max = _mm256_set1_ps(lanes.iter().copied().fold(f32::NEG_INFINITY, f32::max));
                let mut sum = [_mm256_setzero_ps(); 2];
                for at in (0..row.len() * LANES).step_by(LANES) {
                    for (i, half) in sum.iter_mut().enumerate() {
                        let at = at + 8 * i;
                        let e = exp8(_mm256_sub_ps(_mm256_loadu_ps(p.add(at)), max));
                        _mm256_storeu_ps(p.add(at), e);
                        *half = _mm256_add_ps(*half, e);
                    }
                }
                _mm256_storeu_ps(lanes.as_mut_ptr(), sum[0]);
                _mm256_storeu_ps(lanes.as_mut_ptr().add(8), sum[1]);
                lanes.iter().sum()
            }
        }

        #[inline(always)]
        fn weighted_values(
            p: &[[f32; LANES]],
            blocks: usize,
            rows: usize,
            keys: usize,
            v: &[f32],
            h: usize,
            col: usize,
            d: usize,
            out: &mut [f32],
            sums: &[f32; GROUP],
        ) {
            assert!(d.is_multiple_of(LANES) && col + d <= h && keys <= blocks * LANES && p.len() >= GROUP * blocks);
            assert!(v.len() >= keys * h && out.len() >= (rows - 1) * h + col + d && rows <= GROUP);
            // SAFETY: as in `scores`; value row j's columns `col .. col + d` lie in `v` (asserted), output row r's
            // in `out`, and probability `p[r][j]` at `(r × blocks) × 16 + j`, j < keys ≤ blocks × 16.
            unsafe {
                let (p, v, o) = (p.as_ptr() as *const f32, v.as_ptr(), out.as_mut_ptr());
                // 16 columns (2 vectors) at a time: 4 rows × 2 accumulators stay in registers (32 columns, as the
                // AVX-512 loops take, spill). Each sum still takes its products in the order of `j`.
                for dd in (0..d).step_by(LANES) {
                    let mut acc = [[_mm256_setzero_ps(); 2]; GROUP];
                    for j in 0..keys {
                        let at = v.add(j * h + col + dd);
                        let vs: [__m256; 2] = std::array::from_fn(|i| _mm256_loadu_ps(at.add(8 * i)));
                        for (r, acc) in acc.iter_mut().enumerate() {
                            let pj = _mm256_set1_ps(*p.add(r * blocks * LANES + j));
                            for i in 0..2 {
                                acc[i] = _mm256_fmadd_ps(pj, vs[i], acc[i]);
                            }
                        }
                    }
                    for (r, acc) in acc.iter().enumerate().take(rows) {
                        let inv = _mm256_set1_ps(1.0 / sums[r]);
                        let at = o.add(r * h + col + dd);
                        for (i, a) in acc.iter().enumerate() {
                            _mm256_storeu_ps(at.add(8 * i), _mm256_mul_ps(*a, inv));
                        }
                    }
                }
            }
        }

        /// 8 × 8 blocks of keys × dimensions transposed in registers; the keys past the last whole 8 by the plain
        /// loop.
        #[inline(always)]
        fn transpose_keys(k: &[f32], h: usize, col: usize, d: usize, keys: usize, padded: usize, kt: &mut [f32]) {
            assert!(d.is_multiple_of(8) && col + d <= h && k.len() >= keys * h && keys <= padded);
            assert!(kt.len() >= d * padded);
            let whole = keys - keys % 8;
            // SAFETY: the CPU has AVX2 (see the type); key rows j .. j + 8 ≤ keys hold columns col + t .. col + t + 8
            // ≤ h, and kt's rows t .. t + 8 ≤ d hold columns j .. j + 8 ≤ padded (asserted above).
            unsafe {
                let (k, kt) = (k.as_ptr(), kt.as_mut_ptr());
                for j in (0..whole).step_by(8) {
                    for t in (0..d).step_by(8) {
                        let rows: [__m256; 8] = std::array::from_fn(|i| _mm256_loadu_ps(k.add((j + i) * h + col + t)));
                        for (i, column) in transpose8(rows).into_iter().enumerate() {
                            _mm256_storeu_ps(kt.add((t + i) * padded + j), column);
                        }
                    }
                }
            }
            for j in whole..keys {
                for (t, &x) in k[j * h + col..][..d].iter().enumerate() {
                    kt[t * padded + j] = x;
                }
            }
        }
    }

    /// Eight rows of 8 as eight columns: element `i` of row `j` becomes element `j` of row `i`.
    #[inline(always)]
    unsafe fn transpose8(r: [__m256; 8]) -> [__m256; 8] {
        // pairs of rows interleaved, then pairs of pairs, then the 128-bit halves swapped across
        let t: [__m256; 8] = std::array::from_fn(|i| {
            let (a, b) = (r[i / 2 * 2], r[i / 2 * 2 + 1]);
            if i % 2 == 0 {
                _mm256_unpacklo_ps(a, b)
            } else {
                _mm256_unpackhi_ps(a, b)
            }
        });
        // s[4g + c]: columns c and c + 4 of rows 4g .. 4g + 4
        let s: [__m256; 8] = std::array::from_fn(|i| {
            let (g, c) = (i / 4, i % 4);
            let (a, b) = (t[4 * g + c / 2], t[4 * g + 2 + c / 2]);
            if c % 2 == 0 {
                _mm256_shuffle_ps::<0x44>(a, b)
            } else {
                _mm256_shuffle_ps::<0xEE>(a, b)
            }
        });
        std::array::from_fn(|c| {
            if c < 4 {
                _mm256_permute2f128_ps::<0x20>(s[c], s[4 + c])
            } else {
                _mm256_permute2f128_ps::<0x31>(s[c - 4], s[c])
            }
        })
    }

    /// [`super::exp`] on 8 lanes, operation for operation.
    #[inline(always)]
    unsafe fn exp8(x: __m256) -> __m256 {
        const ROUND: f32 = 12_582_912.0;
        // clamp(−87, 0) as `f32::clamp` does it: NaN stays NaN (`x < lo ? lo : x`, then `x > hi ? hi : x`).
        let (lo, zero) = (_mm256_set1_ps(-87.0), _mm256_setzero_ps());
        let c = _mm256_blendv_ps(x, lo, _mm256_cmp_ps::<_CMP_LT_OQ>(x, lo));
        let c = _mm256_blendv_ps(c, zero, _mm256_cmp_ps::<_CMP_GT_OQ>(c, zero));
        let shifted = _mm256_add_ps(_mm256_mul_ps(c, _mm256_set1_ps(std::f32::consts::LOG2_E)), _mm256_set1_ps(ROUND));
        let n = _mm256_sub_ps(shifted, _mm256_set1_ps(ROUND));
        let r = _mm256_sub_ps(
            _mm256_sub_ps(c, _mm256_mul_ps(n, _mm256_set1_ps(super::LN2_HI))),
            _mm256_mul_ps(n, _mm256_set1_ps(super::LN2_LO)),
        );
        let mut p = _mm256_set1_ps(EXP_C[7]);
        for &coefficient in EXP_C[..7].iter().rev() {
            p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(coefficient));
        }
        let n_bits = _mm256_sub_epi32(_mm256_castps_si256(shifted), _mm256_set1_epi32(ROUND.to_bits() as i32));
        let two_n = _mm256_castsi256_ps(_mm256_slli_epi32::<23>(_mm256_add_epi32(n_bits, _mm256_set1_epi32(127))));
        let e = _mm256_mul_ps(p, two_n);
        // x < −87.3 gives 0 (NaN compares false and stays).
        _mm256_blendv_ps(e, zero, _mm256_cmp_ps::<_CMP_LT_OQ>(x, _mm256_set1_ps(-87.3)))
    }

    /// The 16 × 16 transpose of `r` (row `i` in `r[i]`): `out[j]` lane `i` is `r[i]` lane `j`.
    #[inline(always)]
    unsafe fn transpose16(r: [__m512; 16]) -> [__m512; 16] {
        // Lane L (128 bits) of t[2i] holds r[2i][4L], r[2i+1][4L], r[2i][4L+1], r[2i+1][4L+1]; t[2i+1] the same
        // for 4L + 2 and 4L + 3.
        let t: [__m512; 16] = std::array::from_fn(|i| {
            let (a, b) = (r[i & !1], r[i | 1]);
            if i % 2 == 0 {
                _mm512_unpacklo_ps(a, b)
            } else {
                _mm512_unpackhi_ps(a, b)
            }
        });
        // Lane L of u[4g + m] holds column 4L + m of rows 4g .. 4g + 4.
        let u: [__m512; 16] = std::array::from_fn(|i| {
            let (g, m) = (i / 4, i % 4);
            let (a, b) = (_mm512_castps_pd(t[4 * g + m / 2]), _mm512_castps_pd(t[4 * g + 2 + m / 2]));
            _mm512_castpd_ps(if m % 2 == 0 { _mm512_unpacklo_pd(a, b) } else { _mm512_unpackhi_pd(a, b) })
        });
        // Column 4L + m: lane L of u[m], u[4 + m], u[8 + m], u[12 + m].
        std::array::from_fn(|j| {
            let (l, m) = (j / 4, j % 4);
            let (low, high) = if l < 2 {
                (_mm512_shuffle_f32x4::<0x44>(u[m], u[4 + m]), _mm512_shuffle_f32x4::<0x44>(u[8 + m], u[12 + m]))
            } else {
                (_mm512_shuffle_f32x4::<0xEE>(u[m], u[4 + m]), _mm512_shuffle_f32x4::<0xEE>(u[8 + m], u[12 + m]))
            };
            if l % 2 == 0 {
                _mm512_shuffle_f32x4::<0x88>(low, high)
            } else {
                _mm512_shuffle_f32x4::<0xDD>(low, high)
            }
        })
    }

    /// [`Loops`] on AVX-512 registers, the same operations in the same order as [`super::Scalar`]'s, lane for lane.
    /// Only called from [`sequence_avx512`], whose caller checked the CPU.
    pub struct Avx512;

    impl Loops for Avx512 {
        /// 16 keys × 16 dimensions at a time, transposed in registers (32-bit, then 64-bit interleaves, then two
        /// rounds of 128-bit lane shuffles); the last `keys % 16` keys as the plain loops do.
        #[inline(always)]
        fn transpose_keys(k: &[f32], h: usize, col: usize, d: usize, keys: usize, padded: usize, kt: &mut [f32]) {
            let whole = keys - keys % LANES;
            assert!(d.is_multiple_of(LANES) && col + d <= h && keys <= padded);
            assert!(k.len() >= keys * h && kt.len() >= d * padded);
            // SAFETY: the CPU has AVX-512 F (see the type); the loads read keys `j0 .. j0 + 16 ≤ keys` at columns
            // `col + t0 .. col + t0 + 16 ≤ h`, the stores write rows `t0 .. t0 + 16 ≤ d` of `kt` at columns
            // `j0 .. j0 + 16 ≤ padded` (asserted above).
            unsafe {
                for j0 in (0..whole).step_by(LANES) {
                    for t0 in (0..d).step_by(LANES) {
                        let r: [__m512; 16] =
                            std::array::from_fn(|i| _mm512_loadu_ps(k.as_ptr().add((j0 + i) * h + col + t0)));
                        let out = transpose16(r);
                        for (t, row) in out.iter().enumerate() {
                            _mm512_storeu_ps(kt.as_mut_ptr().add((t0 + t) * padded + j0), *row);
                        }
                    }
                }
            }
            for j in whole..keys {
                for (t, &x) in k[j * h + col..][..d].iter().enumerate() {
                    kt[t * padded + j] = x;
                }
            }
        }

        #[inline(always)]
        fn scores(
            q_rows: &[[f32; 64]; GROUP],
            kt: &[f32],
            padded: usize,
            width: usize,
            first: bool,
            scores: &mut [[f32; LANES]],
        ) {
            let blocks = padded / LANES;
            assert!(kt.len() >= (width.max(1) - 1) * padded + padded && scores.len() >= GROUP * blocks);
            assert!(padded.is_multiple_of(2 * LANES) && width <= 64);
            // SAFETY: the CPU has AVX-512 F and FMA (see the type); every load and store is inside `kt` and
            // `scores` (asserted above: row t of `kt` holds `padded` floats, `scores` GROUP rows of `blocks`).
            unsafe {
                let (kt, out) = (kt.as_ptr(), scores.as_mut_ptr() as *mut f32);
                for jb in (0..blocks).step_by(2) {
                    let mut acc = [[_mm512_setzero_ps(); 2]; GROUP];
                    if !first {
                        for (r, acc) in acc.iter_mut().enumerate() {
                            let at = out.add((r * blocks + jb) * LANES);
                            *acc = [_mm512_loadu_ps(at), _mm512_loadu_ps(at.add(LANES))];
                        }
                    }
                    for t in 0..width {
                        let at = kt.add(t * padded + jb * LANES);
                        let (k0, k1) = (_mm512_loadu_ps(at), _mm512_loadu_ps(at.add(LANES)));
                        for (acc, q_row) in acc.iter_mut().zip(q_rows) {
                            let q = _mm512_set1_ps(q_row[t]);
                            acc[0] = _mm512_fmadd_ps(q, k0, acc[0]);
                            acc[1] = _mm512_fmadd_ps(q, k1, acc[1]);
                        }
                    }
                    for (r, acc) in acc.iter().enumerate() {
                        let at = out.add((r * blocks + jb) * LANES);
                        _mm512_storeu_ps(at, acc[0]);
                        _mm512_storeu_ps(at.add(LANES), acc[1]);
                    }
                }
            }
        }

        #[inline(always)]
        fn softmax_numerators(row: &mut [[f32; LANES]], mask: &[f32]) -> f32 {
            assert!(mask.len() >= row.len() * LANES);
            // SAFETY: as in `scores`; `row` and `mask` hold `row.len()` blocks of 16.
            unsafe {
                let (p, m) = (row.as_mut_ptr() as *mut f32, mask.as_ptr());
                let mut max = _mm512_set1_ps(f32::NEG_INFINITY);
                for jb in 0..row.len() {
                    let x = _mm512_add_ps(_mm512_loadu_ps(p.add(jb * LANES)), _mm512_loadu_ps(m.add(jb * LANES)));
                    _mm512_storeu_ps(p.add(jb * LANES), x);
                    // `x > max ? x : max`, the scalar loop's comparison.
                    max = _mm512_mask_blend_ps(_mm512_cmp_ps_mask::<_CMP_GT_OQ>(x, max), max, x);
                }
                let mut lanes = [0f32; LANES];
                _mm512_storeu_ps(lanes.as_mut_ptr(), max);
                let max = _mm512_set1_ps(lanes.iter().copied().fold(f32::NEG_INFINITY, f32::max));
                let mut sum = _mm512_setzero_ps();
                for jb in 0..row.len() {
                    let e = exp(_mm512_sub_ps(_mm512_loadu_ps(p.add(jb * LANES)), max));
                    _mm512_storeu_ps(p.add(jb * LANES), e);
                    sum = _mm512_add_ps(sum, e);
                }
                _mm512_storeu_ps(lanes.as_mut_ptr(), sum);
                lanes.iter().sum()
            }
        }

        #[inline(always)]
        fn weighted_values(
            p: &[[f32; LANES]],
            blocks: usize,
            rows: usize,
            keys: usize,
            v: &[f32],
            h: usize,
            col: usize,
            d: usize,
            out: &mut [f32],
            sums: &[f32; GROUP],
        ) {
            assert!(d.is_multiple_of(LANES) && col + d <= h && keys <= blocks * LANES && p.len() >= GROUP * blocks);
            assert!(v.len() >= keys * h && out.len() >= (rows - 1) * h + col + d && rows <= GROUP);
            // SAFETY: as in `scores`; value row j's columns `col .. col + d` lie in `v` (asserted), output row r's
            // in `out`, and probability `p[r][j]` at `(r × blocks) × 16 + j`, j < keys ≤ blocks × 16.
            unsafe {
                let (p, v, o) = (p.as_ptr() as *const f32, v.as_ptr(), out.as_mut_ptr());
                let mut dd = 0;
                while dd < d {
                    let two = d - dd >= 2 * LANES;
                    let mut acc = [[_mm512_setzero_ps(); 2]; GROUP];
                    for j in 0..keys {
                        let at = v.add(j * h + col + dd);
                        let v0 = _mm512_loadu_ps(at);
                        let v1 = if two { _mm512_loadu_ps(at.add(LANES)) } else { _mm512_setzero_ps() };
                        for (r, acc) in acc.iter_mut().enumerate() {
                            let pj = _mm512_set1_ps(*p.add(r * blocks * LANES + j));
                            acc[0] = _mm512_fmadd_ps(pj, v0, acc[0]);
                            acc[1] = _mm512_fmadd_ps(pj, v1, acc[1]);
                        }
                    }
                    for (r, acc) in acc.iter().enumerate().take(rows) {
                        let inv = _mm512_set1_ps(1.0 / sums[r]);
                        let at = o.add(r * h + col + dd);
                        _mm512_storeu_ps(at, _mm512_mul_ps(acc[0], inv));
                        if two {
                            _mm512_storeu_ps(at.add(LANES), _mm512_mul_ps(acc[1], inv));
                        }
                    }
                    dd += if two { 2 * LANES } else { LANES };
                }
            }
        }
    }

    /// [`super::exp`] on 16 lanes, operation for operation.
    #[inline(always)]
    unsafe fn exp(x: __m512) -> __m512 {
        const ROUND: f32 = 12_582_912.0;
        // clamp(−87, 0) as `f32::clamp` does it: NaN stays NaN (`x < lo ? lo : x`, then `x > hi ? hi : x`).
        let lo = _mm512_set1_ps(-87.0);
        let c = _mm512_mask_blend_ps(_mm512_cmp_ps_mask::<_CMP_LT_OQ>(x, lo), x, lo);
        let c = _mm512_mask_blend_ps(_mm512_cmp_ps_mask::<_CMP_GT_OQ>(c, _mm512_setzero_ps()), c, _mm512_setzero_ps());
        let shifted = _mm512_add_ps(_mm512_mul_ps(c, _mm512_set1_ps(std::f32::consts::LOG2_E)), _mm512_set1_ps(ROUND));
        let n = _mm512_sub_ps(shifted, _mm512_set1_ps(ROUND));
        let r = _mm512_sub_ps(
            _mm512_sub_ps(c, _mm512_mul_ps(n, _mm512_set1_ps(super::LN2_HI))),
            _mm512_mul_ps(n, _mm512_set1_ps(super::LN2_LO)),
        );
        let mut p = _mm512_set1_ps(EXP_C[7]);
        for &coefficient in EXP_C[..7].iter().rev() {
            p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(coefficient));
        }
        let n_bits = _mm512_sub_epi32(_mm512_castps_si512(shifted), _mm512_set1_epi32(ROUND.to_bits() as i32));
        let two_n = _mm512_castsi512_ps(_mm512_slli_epi32::<23>(_mm512_add_epi32(n_bits, _mm512_set1_epi32(127))));
        let e = _mm512_mul_ps(p, two_n);
        // x < −87.3 gives 0 (NaN compares false and stays).
        _mm512_mask_blend_ps(_mm512_cmp_ps_mask::<_CMP_LT_OQ>(x, _mm512_set1_ps(-87.3)), e, _mm512_setzero_ps())
    }
}

/// One sequence, every head: `out` is its `[queries, hidden]` context.
#[inline(always)]
fn sequence<L: Loops>(s: &Sequence, shape: &Shape, scale: f32, out: &mut [f32]) {
    let (h, d) = (shape.hidden(), shape.head_dim);
    let keys = s.keys;
    let padded = keys.div_ceil(2 * LANES) * 2 * LANES;
    // This head's keys transposed, `[head_dim, padded]`, so that a query row's scores come 16 keys at a time; the
    // padding columns are 0 and their scores are never read.
    let mut kt = vec![0f32; d * padded];
    // The mask of the used keys, then −∞ on the padding columns, whose `exp` is then 0.
    let mut mask = vec![f32::NEG_INFINITY; padded];
    match s.mask {
        Some(m) => mask[..keys].copy_from_slice(&m[..keys]),
        None => mask[..keys].fill(0.0),
    }
    let mut scores = vec![[0f32; LANES]; GROUP * padded / LANES];
    let mut q_rows = [[0f32; 64]; GROUP];
    for head in 0..shape.heads {
        let col = head * d;
        L::transpose_keys(s.k, h, col, d, keys, padded, &mut kt);
        let mut i = 0;
        while i < shape.queries {
            let rows = (shape.queries - i).min(GROUP);
            for dd in (0..d).step_by(64) {
                let width = (d - dd).min(64);
                for (r, q_row) in q_rows.iter_mut().enumerate().take(rows) {
                    for (x, &y) in q_row[..width].iter_mut().zip(&s.q[(i + r) * h + col + dd..][..width]) {
                        *x = y * scale;
                    }
                }
                L::scores(&q_rows, &kt[dd * padded..], padded, width, dd == 0, &mut scores);
            }
            let mut sums = [0f32; GROUP];
            for (r, sum) in sums.iter_mut().enumerate().take(rows) {
                *sum = L::softmax_numerators(&mut scores[r * padded / LANES..(r + 1) * padded / LANES], &mask);
            }
            L::weighted_values(&scores, padded / LANES, rows, keys, s.v, h, col, d, &mut out[i * h..], &sums);
            i += rows;
        }
    }
}

/// The plain loops.
struct Scalar;

impl Loops for Scalar {
    #[inline(always)]
    fn scores(
        q_rows: &[[f32; 64]; GROUP],
        kt: &[f32],
        padded: usize,
        width: usize,
        first: bool,
        scores: &mut [[f32; LANES]],
    ) {
        let blocks = padded / LANES;
        for jb in (0..blocks).step_by(2) {
            let mut acc = [[[0f32; LANES]; 2]; GROUP];
            if !first {
                for (r, acc) in acc.iter_mut().enumerate() {
                    *acc = [scores[r * blocks + jb], scores[r * blocks + jb + 1]];
                }
            }
            for t in 0..width {
                let at = t * padded + jb * LANES;
                let k: &[f32; 2 * LANES] = kt[at..at + 2 * LANES].try_into().expect("32 lanes");
                for (acc, q_row) in acc.iter_mut().zip(q_rows) {
                    let q = q_row[t];
                    for l in 0..LANES {
                        acc[0][l] = q.mul_add(k[l], acc[0][l]);
                        acc[1][l] = q.mul_add(k[LANES + l], acc[1][l]);
                    }
                }
            }
            for (r, acc) in acc.iter().enumerate() {
                scores[r * blocks + jb] = acc[0];
                scores[r * blocks + jb + 1] = acc[1];
            }
        }
    }

    #[inline(always)]
    fn softmax_numerators(row: &mut [[f32; LANES]], mask: &[f32]) -> f32 {
        let mut max = [f32::NEG_INFINITY; LANES];
        for (block, m) in row.iter_mut().zip(mask.chunks_exact(LANES)) {
            for l in 0..LANES {
                block[l] += m[l];
                max[l] = if block[l] > max[l] { block[l] } else { max[l] };
            }
        }
        let max = max.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut sum = [0f32; LANES];
        for block in row.iter_mut() {
            for l in 0..LANES {
                block[l] = exp(block[l] - max);
                sum[l] += block[l];
            }
        }
        sum.iter().sum()
    }

    #[inline(always)]
    fn weighted_values(
        p: &[[f32; LANES]],
        blocks: usize,
        rows: usize,
        keys: usize,
        v: &[f32],
        h: usize,
        col: usize,
        d: usize,
        out: &mut [f32],
        sums: &[f32; GROUP],
    ) {
        const WIDTH: usize = 2 * LANES;
        for dd in (0..d).step_by(WIDTH) {
            let width = (d - dd).min(WIDTH);
            let mut acc = [[0f32; WIDTH]; GROUP];
            for j in 0..keys {
                let v_row = &v[j * h + col + dd..];
                let v_row: [f32; WIDTH] = match v_row.get(..WIDTH).filter(|_| width == WIDTH) {
                    Some(full) => full.try_into().expect("32 lanes"),
                    None => std::array::from_fn(|t| if t < width { v_row[t] } else { 0.0 }),
                };
                let (jb, l) = (j / LANES, j % LANES);
                for (r, acc) in acc.iter_mut().enumerate() {
                    let pj = p[r * blocks + jb][l];
                    for t in 0..WIDTH {
                        acc[t] = pj.mul_add(v_row[t], acc[t]);
                    }
                }
            }
            for (r, acc) in acc.iter().enumerate().take(rows) {
                let inv = 1.0 / sums[r];
                for (o, &a) in out[r * h + col + dd..][..width].iter_mut().zip(acc) {
                    *o = a * inv;
                }
            }
        }
    }
}

/// ln 2 in two parts, so that n · LN2_HI is exact.
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;

/// Taylor coefficients of `e^r` to degree 7: for |r| ≤ ln2/2 the truncation error is below 6e-9 relative.
const EXP_C: [f32; 8] = [1.0, 1.0, 0.5, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0, 1.0 / 5040.0];

/// `e^x` for `x ≤ 0` (what softmax feeds it), 0 below −87.3: `2^n · e^r`, `r = x − n ln2`, `e^r` by its Taylor
/// polynomial (`EXP_C`); within 2 ulps of `f32::exp`, written without calls or branches so that it vectorises.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    // 1.5 × 2^23: adding it rounds to the nearest integer n (|v| < 2^22), which then sits in the low bits.
    const ROUND: f32 = 12_582_912.0;
    // NaN stays NaN (and comes out as NaN); x > 0 does not occur (the maximum is subtracted).
    let clamped = x.clamp(-87.0, 0.0);
    let shifted = clamped * std::f32::consts::LOG2_E + ROUND;
    let n = shifted - ROUND;
    let r = (clamped - n * LN2_HI) - n * LN2_LO;
    let mut p = EXP_C[7];
    for &c in EXP_C[..7].iter().rev() {
        p = p * r + c;
    }
    // n is in [−126, 0]: 2^n is a normal float, its exponent field n + 127 (integer arithmetic, which vectorises).
    let n_bits = shifted.to_bits().wrapping_sub(ROUND.to_bits());
    let two_n = f32::from_bits(n_bits.wrapping_add(127) << 23);
    if x < -87.3 {
        0.0
    } else {
        p * two_n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_is_within_two_ulps_of_the_library_exp() {
        let mut x = 0.0f32;
        while x > -87.0 {
            let (got, want) = (exp(x), x.exp());
            assert!((got - want).abs() <= 2.5e-7 * want, "exp({x}) = {got}, want {want}");
            x -= 0.001 + x.abs() * 1e-4;
        }
        assert_eq!(exp(-88.0), 0.0);
        assert_eq!(exp(f32::MIN), 0.0);
        assert_eq!(exp(0.0), 1.0);
    }

    #[test]
    fn keys_after_the_last_unmasked_one_are_left_out() {
        let m = f32::MIN;
        assert_eq!(used_keys(Some(&[0.0, 0.0, m, m]), 4), 2);
        assert_eq!(used_keys(Some(&[0.0, m, 0.0, m]), 4), 3);
        assert_eq!(used_keys(Some(&[m, m]), 2), 2);
        assert_eq!(used_keys(None, 5), 5);
    }
    fn random(rng: &mut crate::SeededRng, n: usize) -> Vec<f32> {
        (0..n).map(|_| rng.normal()).collect()
    }

    /// Every compiled body against the reference loops, on head sizes that fill the 16 lanes, leave a remainder or
    /// pass 64 (two groups of query columns), query counts that leave a partial group of 4, key counts that leave a
    /// partial block of 16, with and without padding, one query row (the `[CLS]`-only last layer), a sequence whose
    /// keys are all masked, and a mask with a hole in the middle.
    #[test]
    fn the_fused_attention_computes_what_the_reference_loops_do() {
        let mut rng = crate::SeededRng::new(3);
        let m = f32::MIN;
        for (batch, queries, keys, heads, head_dim) in [
            (1, 1, 1, 1, 1),
            (2, 5, 5, 3, 16),
            (3, 17, 17, 2, 32),
            (2, 1, 40, 12, 32),
            (3, 3, 70, 12, 32),
            (2, 9, 9, 2, 7),
            (1, 6, 6, 1, 80),
        ] {
            let shape = Shape { batch, queries, keys, heads, head_dim };
            let h = heads * head_dim;
            let q = random(&mut rng, batch * queries * h);
            let k = random(&mut rng, batch * keys * h);
            let v = random(&mut rng, batch * keys * h);
            let mut masks = vec![None, Some(vec![0f32; batch * keys])];
            let mut padded = vec![0f32; batch * keys];
            for (b, row) in padded.chunks_mut(keys).enumerate() {
                // the first sequence keeps all, the second only its first key, the third loses one in the middle
                match b {
                    0 => {}
                    1 => row[1..].fill(m),
                    _ => row[keys / 2] = m,
                }
            }
            masks.push(Some(padded));
            masks.push(Some(vec![m; batch * keys]));
            let scale = 1.0 / (head_dim as f32).sqrt();
            for mask in &masks {
                let want = attention_reference(&q, &k, &v, mask.as_deref(), shape, scale);
                let mut bodies: Vec<(&str, Kernel)> =
                    vec![("scalar", sequence::<Scalar>), ("chosen", kernel(head_dim))];
                #[cfg(target_arch = "x86_64")]
                if head_dim.is_multiple_of(LANES) && is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
                {
                    // SAFETY (of the call inside): the CPU has AVX2 and FMA.
                    bodies.push(("avx2", |s, shape, scale, out| unsafe { x86::sequence_avx2(s, shape, scale, out) }));
                }
                let fused = attention(&q, &k, &v, mask.as_deref(), shape, scale);
                for (name, body) in bodies {
                    let mut got = vec![0f32; want.len()];
                    for (b, out) in got.chunks_mut(queries * h).enumerate() {
                        let mask = mask.as_deref().map(|m| &m[b * keys..(b + 1) * keys]);
                        let s = Sequence {
                            q: &q[b * queries * h..(b + 1) * queries * h],
                            k: &k[b * keys * h..(b + 1) * keys * h],
                            v: &v[b * keys * h..(b + 1) * keys * h],
                            mask,
                            keys: used_keys(mask, keys),
                        };
                        body(&s, &shape, scale, out);
                    }
                    // Every body gives the same floats (the same roundings in one order) ...
                    assert_eq!(got, fused, "{name} {shape:?}");
                    // ... within a few ulps of the reference's (another exp, another order of the sums).
                    for (g, w) in got.iter().zip(&want) {
                        assert!((g - w).abs() <= 2e-6 * (1.0 + w.abs()), "{name} {shape:?} {mask:?}: {g} vs {w}");
                    }
                }
            }
        }
    }
}
