//! The int8 kernel for CPUs with AMX (Intel Sapphire Rapids and later): `tdpbusd` multiplies a tile of 16 rows ×
//! 64 `u8` activations by a tile of 64 × 16 `i8` weights into 16 × 16 `i32` sums, 16,384 multiply-adds per
//! instruction, where one AVX-512 `vpdpbusd` does 64.
//!
//! Rust has no stable AMX intrinsics, so the tile instructions are written in `asm!`; the tile registers are never
//! touched by compiled code, so they keep their contents from one `asm!` block to the next. The `i32` sums are exact
//! as in the other kernels, and the scaling, bias and GELU are the AVX-512 kernel's ([`super::avx512::finish`]), so
//! this kernel's floats are the AVX-512 VNNI kernel's, bit for bit.
//!
//! Linux hands out the tile registers only to a process that asks (`arch_prctl(ARCH_REQ_XCOMP_PERM)`, Linux 5.16
//! and later); [`available`] asks once and says no if the CPU, the OS or that request says no.

use std::arch::asm;
use std::arch::x86_64::*;
use std::mem::MaybeUninit;

/// Rows of an activation tile (and of a result tile).
pub const ROWS: usize = 16;
/// Columns of a weight tile: 16 `i32` sums per result row.
pub const COLS: usize = 16;
/// Inputs per tile: 64 bytes a row.
pub const DEPTH: usize = 64;
/// Bytes of one packed weight tile: `DEPTH / 4` rows of `COLS` columns × 4 bytes.
const TILE_BYTES: usize = DEPTH * COLS;

/// Whether this process may run the kernel, decided once: the CPU has AMX-TILE and AMX-INT8 (CPUID leaf 7, EDX
/// bits 24 and 25) and AVX-512 VNNI (the scaling pass), the OS saves the tile state (XCR0 bits 17 and 18), and
/// Linux granted this process the tile data (`arch_prctl`).
pub fn available() -> bool {
    use std::sync::OnceLock;
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        // SAFETY: CPUID leaf 7 exists on every x86-64 CPU that has AVX-512 (checked first). (`__cpuid_count` is
        // safe from Rust 1.94 on, unsafe in the 1.89 the workspace supports.)
        let cpu = super::avx512::available() && {
            #[allow(unused_unsafe)]
            let leaf7 = unsafe { __cpuid_count(7, 0) };
            leaf7.edx & (1 << 24) != 0 && leaf7.edx & (1 << 25) != 0
        };
        cpu && os_saves_tiles() && request_tile_data()
    })
}

/// XCR0 bits 17 (XTILECFG) and 18 (XTILEDATA). `xgetbv` exists when CPUID says OSXSAVE (leaf 1, ECX bit 27).
fn os_saves_tiles() -> bool {
    // SAFETY: CPUID leaf 1 always exists; `xgetbv` is only run when OSXSAVE says it may be.
    unsafe {
        if __cpuid(1).ecx & (1 << 27) == 0 {
            return false;
        }
        let (lo, _hi): (u32, u32);
        asm!("xgetbv", in("ecx") 0, out("eax") lo, out("edx") _hi, options(nomem, nostack, preserves_flags));
        lo & (3 << 17) == 3 << 17
    }
}

/// Asks Linux for the tile data state (`ARCH_REQ_XCOMP_PERM`, `XFEATURE_XTILEDATA`); without it the first tile
/// instruction would kill the process. The permission holds for the whole process, every thread.
#[cfg(target_os = "linux")]
fn request_tile_data() -> bool {
    const ARCH_REQ_XCOMP_PERM: libc::c_long = 0x1023;
    const XFEATURE_XTILEDATA: libc::c_long = 18;
    // SAFETY: arch_prctl with these arguments only changes which register states the process may use.
    unsafe { libc::syscall(libc::SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA) == 0 }
}

#[cfg(not(target_os = "linux"))]
fn request_tile_data() -> bool {
    false
}

/// The weights `[out_dim, in_dim]` (row major, `i8`) as weight tiles: per block of [`COLS`] columns, per [`DEPTH`]
/// inputs, one tile of `DEPTH / 4` rows, each row the 16 columns' 4 consecutive weights (the layout `tdpbusd` reads).
/// Columns past `out_dim` (up to a whole number of pairs of blocks) and inputs past `in_dim` are 0.
pub fn pack(weight: &[i8], out_dim: usize, in_dim: usize) -> Vec<i8> {
    let (blocks, depths) = (out_dim.div_ceil(2 * COLS) * 2, in_dim.div_ceil(DEPTH));
    let mut packed = vec![0i8; blocks * depths * TILE_BYTES];
    for c in 0..out_dim {
        let (block, j) = (c / COLS, c % COLS);
        for (k, &w) in weight[c * in_dim..(c + 1) * in_dim].iter().enumerate() {
            let (depth, g, b) = (k / DEPTH, k % DEPTH / 4, k % 4);
            packed[(block * depths + depth) * TILE_BYTES + (g * COLS + j) * 4 + b] = w;
        }
    }
    packed
}

/// The tile configuration (palette 1): tiles 0–7 all 16 rows of 64 bytes. Tiles 0–3 hold sums, 4–5 activations,
/// 6–7 weights.
#[repr(C, align(64))]
struct Config {
    palette: u8,
    start_row: u8,
    reserved: [u8; 14],
    bytes_per_row: [u16; 16],
    rows: [u8; 16],
}

/// Loads the tile configuration on this thread; [`release`] ends it. Tile state is per thread (the OS saves it
/// with the rest on a context switch).
///
/// # Safety
/// [`available`] said yes.
pub unsafe fn configure() {
    let mut config = Config { palette: 1, start_row: 0, reserved: [0; 14], bytes_per_row: [0; 16], rows: [0; 16] };
    for t in 0..8 {
        config.bytes_per_row[t] = DEPTH as u16;
        config.rows[t] = ROWS as u8;
    }
    asm!("ldtilecfg [{}]", in(reg) &config, options(nostack, readonly, preserves_flags));
}

/// Returns the tile registers to their initial state, so the OS need not save them.
///
/// # Safety
/// [`configure`] ran on this thread.
pub unsafe fn release() {
    asm!("tilerelease", options(nostack, nomem, preserves_flags));
}

/// The packed weights of one block pair (2 × [`COLS`] columns) over all inputs, from [`pack`].
pub fn block_pair(packed: &[i8], pair: usize, depths: usize) -> &[i8] {
    let len = 2 * depths * TILE_BYTES;
    &packed[pair * len..(pair + 1) * len]
}

/// `R` × 16 rows (`R` is 1 or 2) of activations times one block pair of weights: the `i32` sums of the `R × 16`
/// rows × 32 columns, stored row by row in `sums` (32 a row). `tiles` holds the activations as tiles: per 16 rows,
/// `depths` tiles of 16 rows × 64 bytes.
///
/// # Safety
/// [`configure`] ran on this thread; `tiles` holds `R × depths` tiles; `weights` is a [`block_pair`] of `depths`
/// depths.
pub unsafe fn sums<const R: usize>(tiles: &[u8], weights: &[i8], depths: usize, sums: &mut [i32; 2 * ROWS * 2 * COLS]) {
    debug_assert!(R == 1 || R == 2);
    debug_assert!(tiles.len() >= R * depths * TILE_BYTES);
    debug_assert_eq!(weights.len(), 2 * depths * TILE_BYTES);
    asm!("tilezero tmm0", "tilezero tmm1", "tilezero tmm2", "tilezero tmm3", options(nostack, nomem));
    let (a0, w0) = (tiles.as_ptr(), weights.as_ptr());
    let (a1, w1) = (a0.add(depths * TILE_BYTES), w0.add(depths * TILE_BYTES));
    for d in 0..depths {
        let at = d * TILE_BYTES;
        if R == 2 {
            asm!(
                "tileloadd tmm4, [{a0} + {stride}]",
                "tileloadd tmm5, [{a1} + {stride}]",
                "tileloadd tmm6, [{b0} + {stride}]",
                "tileloadd tmm7, [{b1} + {stride}]",
                "tdpbusd tmm0, tmm4, tmm6",
                "tdpbusd tmm1, tmm4, tmm7",
                "tdpbusd tmm2, tmm5, tmm6",
                "tdpbusd tmm3, tmm5, tmm7",
                a0 = in(reg) a0.add(at),
                a1 = in(reg) a1.add(at),
                b0 = in(reg) w0.add(at),
                b1 = in(reg) w1.add(at),
                stride = in(reg) DEPTH,
                options(nostack, readonly, preserves_flags),
            );
        } else {
            asm!(
                "tileloadd tmm4, [{a0} + {stride}]",
                "tileloadd tmm6, [{b0} + {stride}]",
                "tileloadd tmm7, [{b1} + {stride}]",
                "tdpbusd tmm0, tmm4, tmm6",
                "tdpbusd tmm1, tmm4, tmm7",
                a0 = in(reg) a0.add(at),
                b0 = in(reg) w0.add(at),
                b1 = in(reg) w1.add(at),
                stride = in(reg) DEPTH,
                options(nostack, readonly, preserves_flags),
            );
        }
    }
    let row_bytes = 2 * COLS * 4;
    let s = sums.as_mut_ptr();
    asm!(
        "tilestored [{s0} + {rb}], tmm0",
        "tilestored [{s1} + {rb}], tmm1",
        s0 = in(reg) s,
        s1 = in(reg) s.add(COLS),
        rb = in(reg) row_bytes,
        options(nostack, preserves_flags),
    );
    if R == 2 {
        asm!(
            "tilestored [{s0} + {rb}], tmm2",
            "tilestored [{s1} + {rb}], tmm3",
            s0 = in(reg) s.add(ROWS * 2 * COLS),
            s1 = in(reg) s.add(ROWS * 2 * COLS + COLS),
            rb = in(reg) row_bytes,
            options(nostack, preserves_flags),
        );
    }
}

/// Scales `rows` rows × `cols` columns (≤ 32) of [`sums`]' output into `out` (row stride `out_stride`), with the
/// AVX-512 kernel's operations.
///
/// # Safety
/// The CPU has AVX-512 F; `a_scale` and `a_zero` hold `rows` entries, `scale`, `col_sum` and `bias` 32; `out` holds
/// row `rows − 1` at `(rows − 1) × out_stride` up to column `cols`.
#[target_feature(enable = "avx512f")]
#[allow(clippy::too_many_arguments)] // the kernel's operands, as the AVX-512 kernel's
pub unsafe fn finish<const GELU: bool>(
    sums: &[i32; 2 * ROWS * 2 * COLS],
    rows: usize,
    cols: usize,
    a_scale: &[f32],
    a_zero: &[i32],
    constants: (&[f32], &[i32], &[f32]),
    out: &mut [MaybeUninit<f32>],
    out_stride: usize,
) {
    let (scale, col_sum, bias) = constants;
    debug_assert!(rows <= 2 * ROWS && cols <= 2 * COLS && cols > 0);
    debug_assert!(scale.len() >= 2 * COLS && col_sum.len() >= 2 * COLS && bias.len() >= 2 * COLS);
    debug_assert!(out.len() >= (rows - 1) * out_stride + cols);
    for v in 0..2 {
        let c0 = v * COLS;
        if c0 >= cols {
            break;
        }
        let left = cols - c0;
        let mask: __mmask16 = if left >= 16 { 0xffff } else { (1u16 << left) - 1 };
        let col_sum = _mm512_loadu_si512(col_sum.as_ptr().add(c0) as *const _);
        let scale = _mm512_loadu_ps(scale.as_ptr().add(c0));
        let bias = _mm512_loadu_ps(bias.as_ptr().add(c0));
        for r in 0..rows {
            let acc = _mm512_loadu_si512(sums.as_ptr().add(r * 2 * COLS + c0) as *const _);
            let y = super::avx512::finish::<GELU>(acc, a_zero[r], a_scale[r], col_sum, scale, bias);
            _mm512_mask_storeu_ps(out.as_mut_ptr().add(r * out_stride + c0) as *mut f32, mask, y);
        }
    }
}
