//! int8 inference ([`lurescan::int8`]): the kernel against its reference loops, the quantisation error against
//! f32, and a whole classifier at int8 against fp32, each with its tolerance; `"precision"` in lurescan.json.

mod common;

use candle_core::{Device, Tensor};
use lurescan::int8::{gelu, Activation, Kernel, QuantLinear};
use lurescan::{Classifier, Precision, SeededRng};

fn random(rng: &mut SeededRng, n: usize, scale: f32) -> Vec<f32> {
    (0..n).map(|_| scale * rng.normal()).collect()
}

/// f32 `x Wᵀ + b`, in f64 to be the exact side of the comparison.
fn exact(x: &[f32], w: &[f32], b: &[f32], rows: usize, out: usize, k: usize) -> Vec<f32> {
    let mut y = vec![0f32; rows * out];
    for r in 0..rows {
        for c in 0..out {
            let dot: f64 = (0..k).map(|i| x[r * k + i] as f64 * w[c * k + i] as f64).sum();
            y[r * out + c] = (dot + b[c] as f64) as f32;
        }
    }
    y
}

/// The shapes the kernel tiles (64 columns, 4 rows, 4 inputs a lane) and every kind of remainder.
const SHAPES: [(usize, usize, usize); 7] =
    [(1, 4, 1), (3, 5, 3), (4, 384, 64), (5, 387, 100), (9, 64, 130), (33, 1536, 384), (70, 384, 1536)];

#[test]
fn the_kernel_computes_what_the_reference_loops_do() {
    let mut rng = SeededRng::new(1);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    for (rows, k, out) in SHAPES {
        let (w, b, x) = (random(&mut rng, out * k, 0.05), random(&mut rng, out, 0.1), random(&mut rng, rows * k, 1.0));
        let layer = QuantLinear::new(&w, Some(&b), out, k);
        for activation in [Activation::Identity, Activation::Gelu] {
            let fast = layer.forward(&x, rows, activation);
            // On a rayon worker the layer runs on that thread alone (the caller parallelises): the same floats.
            assert_eq!(pool.install(|| layer.forward(&x, rows, activation)), fast, "{rows}x{k}x{out} on a worker");
            let reference = layer.forward_reference(&x, rows, activation);
            // The same i32 sums; only the last scaling (and the GELU) is rounded differently (fused multiply-adds
            // against separate roundings), a few ulps of |y|.
            for (f, r) in fast.iter().zip(&reference) {
                assert!((f - r).abs() <= 1e-5 * (1.0 + r.abs()), "{rows}x{k}x{out} {activation:?}: {f} vs {r}");
            }
        }
    }
}

/// Every kernel this CPU runs, called directly (the slower ones on a faster machine too): against the reference
/// loops within the tolerance above, against the AVX-512 kernel bit for bit where the CPU has it (the same exact
/// `i32` sums, the same scaling and GELU operations), and alike on a rayon worker. The shapes leave every remainder
/// of every kernel's tiles: rows not a multiple of 4, 16 or 32 (and past one AMX task of 128), inputs not a
/// multiple of 4 or 64, columns not a multiple of 16, 32 or 64. A kernel the CPU lacks is skipped, saying so.
#[test]
fn every_kernel_computes_what_the_reference_loops_do() {
    let mut rng = SeededRng::new(11);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let shapes = SHAPES.into_iter().chain([
        (6, 384, 1),
        (7, 1536, 17),
        (5, 38, 31),
        (4, 384, 48),
        (15, 63, 15),
        (17, 65, 33),
        (31, 100, 47),
        (33, 130, 64),
        (129, 384, 96),
        (200, 1536, 384),
    ]);
    let shapes: Vec<_> = shapes.collect();
    for kernel in [Kernel::Amx, Kernel::Avx512, Kernel::Avx2] {
        if !kernel.available() {
            eprintln!("this CPU does not run the {} kernel: not tested here", kernel.name());
            continue;
        }
        for &(rows, k, out) in &shapes {
            // Large activations and weights: u8 × i8 products near 255 × 127, whose pair sums would saturate an i16.
            let (w, b, mut x) =
                (random(&mut rng, out * k, 0.05), random(&mut rng, out, 0.1), random(&mut rng, rows * k, 1.0));
            x.iter_mut().step_by(3).for_each(|v| *v = v.signum() * 40.0);
            let layer = QuantLinear::new(&w, Some(&b), out, k);
            for activation in [Activation::Identity, Activation::Gelu] {
                let case = format!("{} {rows}x{k}x{out} {activation:?}", kernel.name());
                let fast = layer.forward_on(kernel, &x, rows, activation).unwrap();
                assert_eq!(pool.install(|| layer.forward_on(kernel, &x, rows, activation)).unwrap(), fast, "{case}");
                let reference = layer.forward_reference(&x, rows, activation);
                for (f, r) in fast.iter().zip(&reference) {
                    assert!((f - r).abs() <= 1e-5 * (1.0 + r.abs()), "{case}: {f} vs {r}");
                }
                if let Some(avx512) = layer.forward_on(Kernel::Avx512, &x, rows, activation) {
                    assert_eq!(fast, avx512, "{case}: the AVX-512 kernel's floats");
                }
            }
        }
    }
}

/// The AVX2 kernel on sums that would saturate the 16-bit form of its instruction set. Skipped, saying so, on a
/// CPU without AVX2 and FMA.
#[test]
fn the_avx2_kernel_sums_exactly_where_16_bits_would_saturate() {
    if !Kernel::Avx2.available() {
        eprintln!("no AVX2 and FMA on this CPU: the AVX2 kernel is not tested here");
        return;
    }
    // Every weight 127 and every activation 255 but one: each pair of products is 2 × 255 × 127 = 64,770, past
    // what `vpmaddubsw`'s i16 holds; the sums must still be exact.
    let (rows, k, out) = (4, 64, 16);
    let x: Vec<f32> = (0..rows * k).map(|i| if i % k == 5 { -1.0 } else { 1.0 }).collect();
    let layer = QuantLinear::new(&vec![0.05; out * k], None, out, k);
    let fast = layer.forward_on(Kernel::Avx2, &x, rows, Activation::Identity).unwrap();
    assert_eq!(fast, layer.forward_reference(&x, rows, Activation::Identity), "saturating pairs");
    let want = exact(&x, &vec![0.05; out * k], &vec![0.0; out], rows, out, k);
    assert!(common::max_abs_diff(&fast, &want) <= 0.01 * 3.1, "{fast:?} against {want:?}");
}

#[test]
fn int8_products_stay_within_two_percent_of_f32() {
    let mut rng = SeededRng::new(2);
    for (rows, k, out) in SHAPES {
        let (w, b, x) = (random(&mut rng, out * k, 0.05), random(&mut rng, out, 0.1), random(&mut rng, rows * k, 1.0));
        let y = QuantLinear::new(&w, Some(&b), out, k).forward(&x, rows, Activation::Identity);
        let want = exact(&x, &w, &b, rows, out, k);
        let scale = want.iter().fold(0f32, |m, v| m.max(v.abs()));
        let error = common::max_abs_diff(&y, &want);
        // Two 8-bit roundings of Gaussian data: the error of a sum of k products grows like √k, the sum itself
        // too, so it stays a fixed share of the largest output (measured up to 1.2%, at k = 1536).
        assert!(error <= 0.02 * scale, "{rows}x{k}x{out}: max |Δ| {error} against max |y| {scale}");
    }
}

#[test]
fn the_gelu_is_candles_exact_gelu_to_within_3e_7() {
    let xs: Vec<f32> = (-1200..=1200).map(|i| i as f32 / 100.0).chain([-80.0, -1e-6, 0.0, 1e-6, 80.0]).collect();
    let want = Tensor::new(xs.as_slice(), &Device::Cpu).unwrap().gelu_erf().unwrap().to_vec1::<f32>().unwrap();
    let got: Vec<f32> = xs.iter().map(|&x| gelu(x)).collect();
    // erf to 1.5e-7 (Abramowitz & Stegun 7.1.26), times x/2, plus rounding.
    for ((x, g), w) in xs.iter().zip(&got).zip(&want) {
        assert!((g - w).abs() <= 3e-7 * (1.0 + x.abs()), "gelu({x}) = {g}, candle {w}");
    }
    // The kernel's vector GELU, through a layer whose output is its input: identity weights, zero bias.
    let identity: Vec<f32> = (0..16 * 16).map(|i| if i % 17 == 0 { 1.0 } else { 0.0 }).collect();
    let layer = QuantLinear::new(&identity, None, 16, 16);
    let rows: Vec<f32> = (0..16 * 16).map(|i| (i as f32 - 128.0) / 20.0).collect();
    let plain = layer.forward(&rows, 16, Activation::Identity);
    let fused = layer.forward(&rows, 16, Activation::Gelu);
    for (p, f) in plain.iter().zip(&fused) {
        assert!((gelu(*p) - f).abs() <= 1e-6 * (1.0 + p.abs()), "gelu({p}): scalar {} kernel {f}", gelu(*p));
    }
}

#[test]
fn a_classifier_at_int8_scores_within_its_tolerance_and_switches_back_exactly() {
    let fp32 = Classifier::load(common::tiny_bert_dir()).unwrap();
    let ids: Vec<Vec<u32>> = vec![vec![2, 17, 45, 99, 120, 3], vec![2, 250, 301, 7, 3], vec![2, 5, 3]];
    let want = fp32.logits_for_ids(&ids).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();

    let int8 = fp32.clone().with_precision(Precision::Int8).unwrap();
    assert_eq!(int8.settings().precision(), Ok(Precision::Int8));
    let got = int8.logits_for_ids(&ids).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
    let error = common::max_abs_diff(&got, &want);
    // The fixture's logits are of order 0.1–1; 8 bits on both sides of each of its 12 products keep them within
    // 0.05 (measured about 0.005).
    assert!(error <= 0.05, "int8 logits {got:?} against fp32 {want:?}");
    assert!(error > 0.0, "int8 must actually run: the logits are bit-identical to fp32's");

    let back = int8.with_precision(Precision::Fp32).unwrap();
    let again = back.logits_for_ids(&ids).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
    assert_eq!(again, want, "back at fp32 the logits are fp32's, bit for bit");
    assert_eq!(back.settings().precision(), Ok(Precision::Fp32));
}

#[test]
fn lurescan_json_chooses_the_precision_and_rejects_an_unknown_one() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["config.json", "model.safetensors", "tokenizer.json"] {
        std::fs::copy(common::tiny_bert_dir().join(name), dir.path().join(name)).unwrap();
    }
    let mut settings: serde_json::Value =
        serde_json::from_slice(&std::fs::read(common::tiny_bert_dir().join("lurescan.json")).unwrap()).unwrap();
    settings["precision"] = "int8".into();
    std::fs::write(dir.path().join("lurescan.json"), settings.to_string()).unwrap();
    let ids = vec![vec![2u32, 17, 45, 99, 3]];
    let folder = Classifier::load(dir.path()).unwrap();
    let by_flag = Classifier::load(common::tiny_bert_dir()).unwrap().with_precision(Precision::Int8).unwrap();
    let logits = |c: &Classifier| c.logits_for_ids(&ids).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
    assert_eq!(logits(&folder), logits(&by_flag));

    settings["precision"] = "fp16".into();
    std::fs::write(dir.path().join("lurescan.json"), settings.to_string()).unwrap();
    let error = Classifier::load(dir.path()).unwrap_err().to_string();
    assert!(error.contains("lurescan.json") && error.contains("\"fp32\" or \"int8\""), "{error}");
}
