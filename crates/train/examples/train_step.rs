//! Times training steps the way `lurescan train` runs them, for `benches/compare_train.py` (which puts them side by
//! side with PyTorch's): a batch of random token ids cut into shards whose forward (training mode, seeded dropout)
//! and backward passes run on the rayon pool with candle on the calling thread, class-weighted cross-entropy, then
//! AdamW with gradient clipping.
//!
//! `cargo run --release -p lurescan-train --example train_step -- [--config config.json] [--hidden 128 --layers 2
//! --heads 4 --intermediate 512 --vocab 8000] [--batch 32 --len 128 --shards 4 --warmup 1 --steps 3]`
//!
//! Prints one line of JSON: the sequences per second of the timed steps, and a digest of the weights after the last
//! step (the same flags give the same digest on every run: training is reproducible).

use anyhow::{bail, Context, Result};
use candle_core::{DType, Device};
use candle_nn::{VarBuilder, VarMap};
use lurescan::model::BertForSequenceClassification;
use lurescan::rng::SeededRng;
use lurescan::BertConfig;
use lurescan_train::init::seeded_init;
use lurescan_train::optim::{AdamW, AdamWConfig};
use lurescan_train::shard::ShardedStep;
use sha2::{Digest, Sha256};
use std::time::Instant;

// The allocator and purge setting of `lurescan` (crates/cli/src/main.rs): freed memory is kept and reused, so the
// large gradient buffers of one step do not come back as fresh, zeroed pages in the next.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

struct Args {
    config: BertConfig,
    batch: usize,
    len: usize,
    shards: usize,
    warmup: usize,
    steps: usize,
}

fn parse() -> Result<Args> {
    let mut config = BertConfig {
        vocab_size: 8000,
        hidden_size: 128,
        num_hidden_layers: 2,
        num_attention_heads: 4,
        intermediate_size: 512,
        ..BertConfig::default()
    };
    let (mut batch, mut len, mut shards, mut warmup, mut steps) = (32, 128, 4, 1, 3);
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().with_context(|| format!("{flag} needs a value"))?;
        let number = || value.parse::<usize>().with_context(|| format!("{flag} {value}: not a number"));
        match flag.as_str() {
            "--config" => {
                let text = std::fs::read_to_string(&value).with_context(|| format!("reading {value}"))?;
                config = serde_json::from_str(&text).with_context(|| format!("parsing {value}"))?;
            }
            "--hidden" => config.hidden_size = number()?,
            "--layers" => config.num_hidden_layers = number()?,
            "--heads" => config.num_attention_heads = number()?,
            "--intermediate" => config.intermediate_size = number()?,
            "--vocab" => config.vocab_size = number()?,
            "--batch" => batch = number()?,
            "--len" => len = number()?,
            "--shards" => shards = number()?,
            "--warmup" => warmup = number()?,
            "--steps" => steps = number()?,
            _ => bail!("unknown flag {flag}"),
        }
    }
    Ok(Args { config, batch, len, shards, warmup, steps })
}

fn main() -> Result<()> {
    // SAFETY: stores mimalloc's purge delay option (index 15) as "never purge" (-1), as `lurescan` does.
    unsafe { mi_option_set(15, -1) };
    // As `lurescan train` does (crates/cli/src/model.rs): candle runs each op on the calling thread and the shards
    // of a batch go to the rayon pool. Set before any thread starts and before candle reads it.
    if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
        std::env::set_var("CANDLE_NUM_THREADS", "1");
    }
    let Args { config, batch, len, shards, warmup, steps } = parse()?;
    let varmap = VarMap::new();
    let model =
        BertForSequenceClassification::load(VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu), &config)?;
    seeded_init(&varmap, &config, 1)?;
    let vars = varmap.data().lock().expect("var map lock").iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut optimizer = AdamW::new(vars, AdamWConfig::default())?;

    let mut rng = SeededRng::new(3);
    let vocab = config.vocab_size as u64 - 5;
    let seqs: Vec<Vec<u32>> =
        (0..batch).map(|_| (0..len).map(|_| 5 + (rng.next_u64() % vocab) as u32).collect()).collect();
    let seqs: Vec<&[u32]> = seqs.iter().map(Vec::as_slice).collect();
    // One lure in four, weighted as `--class-weights balanced` would weigh them.
    let labels: Vec<u8> = (0..batch).map(|i| u8::from(i % 4 == 0)).collect();
    let step = ShardedStep { model: &model, class_weights: [0.67, 2.0], pad_id: config.pad_token_id, shards };

    let mut timed = 0.0;
    for i in 0..warmup + steps {
        let started = Instant::now();
        let grads = step.gradients(&seqs, &labels, rng.next_u64())?;
        optimizer.step(&grads.shards, 5e-5, 1.0)?;
        if i >= warmup {
            timed += started.elapsed().as_secs_f64();
        }
    }
    let per_second = (steps * batch) as f64 / timed;
    println!(
        "{{\"sequences_per_second\": {per_second:.3}, \"steps\": {steps}, \"weights_sha256\": \"{}\"}}",
        weights_digest(&varmap)?
    );
    Ok(())
}

/// The first 16 hex digits of the SHA-256 of every weight's bytes, in name order.
fn weights_digest(varmap: &VarMap) -> Result<String> {
    let vars = varmap.data().lock().expect("var map lock");
    let mut names: Vec<&String> = vars.keys().collect();
    names.sort();
    let mut hash = Sha256::new();
    for name in names {
        hash.update(name.as_bytes());
        for x in vars[name].as_tensor().flatten_all()?.to_vec1::<f32>()? {
            hash.update(x.to_le_bytes());
        }
    }
    Ok(hash.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect())
}
