//! Tokenization, the forward pass (batch 1/16/64 × 128/256 tokens) and `predict`, on a random model of the
//! reference size: hidden 128, 2 layers, 4 heads, intermediate 512. Throughput is in records.

use crate::random_model::{posting_text, random_classifier};
use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};
use lurescan::{render, Record, ScoreOptions, SeededRng};
use std::hint::black_box;

fn tokenize(c: &mut Criterion) {
    let classifier = random_classifier(128, 2, 4, 512, 128);
    let mut group = c.benchmark_group("tokenize");
    for (name, words) in [("short", 4), ("posting", 200)] {
        let texts: Vec<String> = (0..64)
            .map(|i| render(&Record::from_text(posting_text(words, i)), &classifier.settings().render))
            .collect();
        group.throughput(Throughput::Elements(texts.len() as u64));
        group.bench_function(BenchmarkId::new("encode_batch", name), |b| {
            b.iter(|| classifier.tokenizer().encode_batch(black_box(&texts), 128).unwrap())
        });
    }
    group.finish();
}

fn forward(c: &mut Criterion) {
    let classifier = random_classifier(128, 2, 4, 512, 256);
    let mut rng = SeededRng::new(3);
    let mut group = c.benchmark_group("forward");
    group.sample_size(10);
    for tokens in [128, 256] {
        for batch in [1, 16, 64] {
            let ids: Vec<Vec<u32>> = (0..batch)
                .map(|_| {
                    let mut seq: Vec<u32> = (0..tokens).map(|_| 5 + rng.below(400) as u32).collect();
                    (seq[0], seq[tokens - 1]) = (2, 3);
                    seq
                })
                .collect();
            group.throughput(Throughput::Elements(batch as u64));
            group.bench_function(BenchmarkId::new(format!("{tokens}_tokens"), batch), |b| {
                b.iter(|| classifier.logits_for_ids(black_box(&ids)).unwrap())
            });
        }
    }
    group.finish();
}

fn predict(c: &mut Criterion) {
    let classifier = random_classifier(128, 2, 4, 512, 128);
    let options = ScoreOptions { batch_size: 32, threshold: None };
    let mut group = c.benchmark_group("predict");
    group.sample_size(10);
    for (name, words, n) in [("short", 4, 512), ("posting_128_tokens", 200, 128)] {
        let records: Vec<Record> = (0..n).map(|i| Record::from_text(posting_text(words, i))).collect();
        group.throughput(Throughput::Elements(n));
        group.bench_function(name, |b| b.iter(|| classifier.predict(black_box(&records), &options).unwrap()));
    }
    group.finish();
}

criterion_group!(benches, tokenize, forward, predict);
