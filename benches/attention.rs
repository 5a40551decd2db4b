//! Attention at inference at the shipped base model's sizes (12 heads of 32, sequences of 128 and 24 positions,
//! every row and the `[CLS]` row alone): the fused kernel ([`lurescan::attention::attention`]) against candle's
//! composition as the model ran it before (heads split into copies, batched matmul, mask added, softmax, matmul,
//! heads merged). Throughput is in multiply-adds (the two products).

use candle_core::{Device, Tensor};
use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};
use lurescan::attention::{attention, Shape};
use lurescan::SeededRng;
use std::hint::black_box;

fn composed(q: &Tensor, k: &Tensor, v: &Tensor, mask: &Tensor, shape: Shape, scale: f64) -> Tensor {
    let split = |x: &Tensor, n: usize| {
        x.reshape((shape.batch, n, shape.heads, shape.head_dim)).unwrap().transpose(1, 2).unwrap().contiguous().unwrap()
    };
    let q = split(&(q * scale).unwrap(), shape.queries);
    let (k, v) = (split(k, shape.keys), split(v, shape.keys));
    let scores = q.matmul(&k.t().unwrap()).unwrap().broadcast_add(mask).unwrap();
    let probs = candle_nn::ops::softmax_last_dim(&scores).unwrap();
    probs
        .matmul(&v)
        .unwrap()
        .transpose(1, 2)
        .unwrap()
        .reshape((shape.batch, shape.queries, shape.heads * shape.head_dim))
        .unwrap()
}

fn attention_bench(c: &mut Criterion) {
    let mut rng = SeededRng::new(7);
    let mut group = c.benchmark_group("attention");
    group.sample_size(10);
    for (keys, queries) in [(128, 128), (128, 1), (24, 24)] {
        let shape = Shape { batch: 32, queries, keys, heads: 12, head_dim: 32 };
        let h = shape.heads * shape.head_dim;
        let mut random = |n: usize| (0..n).map(|_| rng.normal()).collect::<Vec<f32>>();
        let (q, k, v) = (random(32 * queries * h), random(32 * keys * h), random(32 * keys * h));
        // The last eight sequences end 10 positions early, as in a batch sorted by length.
        let mask: Vec<f32> =
            (0..32 * keys).map(|i| if i / keys >= 24 && i % keys >= keys - 10 { f32::MIN } else { 0.0 }).collect();
        let scale = 1.0 / (shape.head_dim as f32).sqrt();
        group.throughput(Throughput::Elements((2 * 32 * 12 * queries * keys * 32) as u64));
        let name = format!("32x{queries}x{keys}");
        group.bench_function(BenchmarkId::new("fused", &name), |b| {
            b.iter(|| attention(black_box(&q), &k, &v, Some(&mask), shape, scale))
        });
        let tensor = |x: &[f32], n: usize| Tensor::from_vec(x.to_vec(), (32, n, h), &Device::Cpu).unwrap();
        let (qt, kt, vt) = (tensor(&q, queries), tensor(&k, keys), tensor(&v, keys));
        let mt = Tensor::from_vec(mask.clone(), (32, 1, 1, keys), &Device::Cpu).unwrap();
        group.bench_function(BenchmarkId::new("candle", &name), |b| {
            b.iter(|| composed(black_box(&qt), &kt, &vt, &mt, shape, scale as f64))
        });
    }
    group.finish();
}

criterion_group!(benches, attention_bench);
