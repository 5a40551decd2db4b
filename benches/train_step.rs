//! Training throughput: one optimiser step (forward in training mode with dropout, class-weighted cross-entropy,
//! backward, AdamW) on a batch of 32 sequences of 128 tokens, hidden 128, 2 layers, 4 heads.
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

fn train_step(c: &mut Criterion) {
    let (batch, seq) = (32usize, 128usize);
    let config = BertConfig {
        vocab_size: 8000,
        hidden_size: 128,
        num_hidden_layers: 2,
        num_attention_heads: 4,
        intermediate_size: 512,
        ..BertConfig::default()
    };
    let varmap = VarMap::new();
    let model =
        BertForSequenceClassification::load(VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu), &config)
            .unwrap();
    seeded_init(&varmap, &config, 1).unwrap();
    let vars = varmap.data().lock().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut optimizer = AdamW::new(vars, AdamWConfig::default()).unwrap();
    let mut rng = SeededRng::new(3);
    let seqs: Vec<Vec<u32>> =
        (0..batch).map(|_| (0..seq).map(|_| 5 + (rng.next_u64() % 7990) as u32).collect()).collect();
    let refs: Vec<&[u32]> = seqs.iter().map(Vec::as_slice).collect();
    let (ids, mask) = pad_batch(&refs, 0).unwrap();
    let labels: Vec<u8> = (0..batch).map(|i| (i % 2) as u8).collect();

    let mut group = c.benchmark_group("train_step");
    group.throughput(Throughput::Elements(batch as u64));
    group.sample_size(10);
    group.bench_function("b32_len128_h128_l2/unsharded", |b| {
        b.iter(|| {
            let logits = model.forward(&ids, &mask, Some(&mut rng)).unwrap();
            let loss = weighted_cross_entropy(&logits, &labels, [1.0, 1.0]).unwrap();
            let grads = loss.backward().unwrap();
            optimizer.step(&[grads], 1e-4, 1.0).unwrap();
        })
    });
    for shards in [2, 4] {
        let step = ShardedStep { model: &model, class_weights: [1.0, 1.0], pad_id: 0, shards };
        group.bench_function(format!("b32_len128_h128_l2/shards{shards}"), |b| {
            b.iter(|| {
                let grads = step.gradients(&refs, &labels, rng.next_u64()).unwrap();
                optimizer.step(&grads.shards, 1e-4, 1.0).unwrap();
            })
        });
    }
    group.finish();
}

criterion_group!(benches, train_step);
criterion_main!(benches);
