//! The encoder's linear maps at the shipped base model's sizes (hidden 384, intermediate 1536, 32 × 128 rows):
//! f32 (`candle_nn::Linear`, gemm) against int8 ([`lurescan::int8::QuantLinear`]: each kernel the CPU runs, AMX,
//! AVX-512 VNNI and AVX2, and the reference loops). Throughput is in multiply-adds.

use candle_core::{Device, Module, Tensor};
use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};
use lurescan::int8::{Activation, Kernel, QuantLinear};
use lurescan::SeededRng;
use std::hint::black_box;

fn linear(c: &mut Criterion) {
    let mut rng = SeededRng::new(5);
    let mut group = c.benchmark_group("linear");
    group.sample_size(10);
    for (rows, k, n) in [(4096, 384, 384), (4096, 384, 1536), (4096, 1536, 384), (768, 384, 1536)] {
        let w: Vec<f32> = (0..n * k).map(|_| 0.05 * rng.normal()).collect();
        let b: Vec<f32> = (0..n).map(|_| 0.1 * rng.normal()).collect();
        let x: Vec<f32> = (0..rows * k).map(|_| rng.normal()).collect();
        let name = format!("{rows}x{k}x{n}");
        group.throughput(Throughput::Elements((rows * k * n) as u64));
        let f32_layer = candle_nn::Linear::new(
            Tensor::from_vec(w.clone(), (n, k), &Device::Cpu).unwrap(),
            Some(Tensor::from_vec(b.clone(), n, &Device::Cpu).unwrap()),
        );
        let xs = Tensor::from_vec(x.clone(), (rows, k), &Device::Cpu).unwrap();
        group.bench_function(BenchmarkId::new("f32", &name), |bench| {
            bench.iter(|| f32_layer.forward(black_box(&xs)).unwrap())
        });
        let int8 = QuantLinear::new(&w, Some(&b), n, k);
        for kernel in [Kernel::Amx, Kernel::Avx512, Kernel::Avx2].into_iter().filter(|k| k.available()) {
            group.bench_function(BenchmarkId::new(format!("int8_{}", kernel.name()), &name), |bench| {
                bench.iter(|| int8.forward_on(kernel, black_box(&x), rows, Activation::Identity))
            });
        }
        if rows <= 768 {
            group.bench_function(BenchmarkId::new("int8_reference", &name), |bench| {
                bench.iter(|| int8.forward_reference(black_box(&x), rows, Activation::Identity))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, linear);
