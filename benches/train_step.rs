//! Training throughput: one optimiser step (forward in training mode with dropout, class-weighted cross-entropy,
//! backward, AdamW) on a batch of 32 sequences of 128 tokens, for the shapes of lurescan-fast (hidden 128, 2 layers,
//! 4 heads, vocabulary 8,000) and of the shipped default lurescan-base (hidden 384, 3 layers, 12 heads, vocabulary
//! 64,000). `benches/compare_train.py` puts the same step side by side with PyTorch's.
//!
//! `unsharded` is the whole batch in one forward/backward pass (candle splits each op across its own threads);
//! `shardsN` cuts the batch into N shards run on the rayon pool, which pays off when candle runs each op on the
//! calling thread, as `lurescan train` arranges:
//!
//! `CANDLE_NUM_THREADS=1 cargo bench -p lurescan-train --bench train_step`; the throughput is in sequences per second.

use candle_core::{DType, Device};
use candle_nn::{VarBuilder, VarMap};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lurescan::model::BertForSequenceClassification;
use lurescan::rng::SeededRng;
use lurescan::BertConfig;
use lurescan_train::optim::{AdamW, AdamWConfig};
use lurescan_train::shard::ShardedStep;
use lurescan_train::{batch::pad_batch, init::seeded_init, loss::weighted_cross_entropy};

/// The shapes timed: lurescan-fast's and lurescan-base's (`models/*/config.json`).
fn shapes() -> [(&'static str, BertConfig); 2] {
    let fast = BertConfig {
        vocab_size: 8000,
        hidden_size: 128,
        num_hidden_layers: 2,
        num_attention_heads: 4,
        intermediate_size: 512,
        ..BertConfig::default()
    };
    let base = BertConfig {
        vocab_size: 64000,
        hidden_size: 384,
        num_hidden_layers: 3,
        num_attention_heads: 12,
        intermediate_size: 1536,
        ..BertConfig::default()
    };
    [("b32_len128_h128_l2", fast), ("b32_len128_h384_l3_v64k", base)]
}

fn train_step(c: &mut Criterion) {
    let (batch, seq) = (32usize, 128usize);
    let mut group = c.benchmark_group("train_step");
    group.throughput(Throughput::Elements(batch as u64));
    group.sample_size(10);
    for (name, config) in shapes() {
        let varmap = VarMap::new();
        let model =
            BertForSequenceClassification::load(VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu), &config)
                .unwrap();
        seeded_init(&varmap, &config, 1).unwrap();
        let vars = varmap.data().lock().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let mut optimizer = AdamW::new(vars, AdamWConfig::default()).unwrap();
        let mut rng = SeededRng::new(3);
        let vocab = config.vocab_size as u64 - 10;
        let seqs: Vec<Vec<u32>> =
            (0..batch).map(|_| (0..seq).map(|_| 5 + (rng.next_u64() % vocab) as u32).collect()).collect();
        let refs: Vec<&[u32]> = seqs.iter().map(Vec::as_slice).collect();
        let (ids, mask) = pad_batch(&refs, 0).unwrap();
        let labels: Vec<u8> = (0..batch).map(|i| (i % 2) as u8).collect();

        group.bench_function(format!("{name}/unsharded"), |b| {
            b.iter(|| {
                let logits = model.forward(&ids, &mask, Some(&mut rng)).unwrap();
                let loss = weighted_cross_entropy(&logits, &labels, [1.0, 1.0]).unwrap();
                let grads = loss.backward().unwrap();
                optimizer.step(&[grads], 1e-4, 1.0).unwrap();
            })
        });
        // 4 shards is `lurescan train`'s default.
        for shards in [2, 4] {
            let step = ShardedStep { model: &model, class_weights: [1.0, 1.0], pad_id: 0, shards };
            group.bench_function(format!("{name}/shards{shards}"), |b| {
                b.iter(|| {
                    let grads = step.gradients(&refs, &labels, rng.next_u64()).unwrap();
                    optimizer.step(&grads.shards, 1e-4, 1.0).unwrap();
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, train_step);
criterion_main!(benches);
