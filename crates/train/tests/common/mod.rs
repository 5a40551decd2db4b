//! Shared helpers: a tiny separable labelled set and a tiny, fast training configuration.
#![allow(dead_code)]

use lurescan::{Field, Record};
use lurescan_train::augment::AugmentConfig;
use lurescan_train::data::Example;
use lurescan_train::{ModelShape, OptimConfig, TrainConfig, TrainData};

const LURES: [&str; 8] = [
    "earn 500 a day from home contact telegram now",
    "part time job easy money contact whatsapp today",
    "work abroad high salary passport free contact telegram",
    "daily pay task job like videos earn fast telegram",
    "easy online job earn 800 a day whatsapp",
    "urgent hiring abroad free visa contact telegram agent",
    "make money fast no experience telegram contact",
    "typing job earn daily pay contact whatsapp",
];

const LEGIT: [&str; 8] = [
    "senior accountant in boston reporting to the finance director",
    "software engineer to build our payments platform in berlin",
    "registered nurse for the night shift at the city hospital",
    "warehouse associate forklift licence required monday to friday",
    "data analyst with sql experience to join our research team",
    "teacher of mathematics for a secondary school in leeds",
    "customer service representative in our dublin office",
    "mechanical engineer to design pumps at our plant",
];

/// 16 records, 8 lures then 8 legitimate ones, each a posting with a title and a description or a message.
pub fn separable() -> Vec<Example> {
    let mut out = Vec::new();
    for (label, texts) in [(1u8, LURES), (0u8, LEGIT)] {
        for (i, text) in texts.iter().enumerate() {
            let record = if i % 2 == 0 {
                Record::from_text(*text)
            } else {
                Record::default()
                    .with(Field::Title, text.split(' ').take(3).collect::<Vec<_>>().join(" "))
                    .with(Field::Description, *text)
            };
            out.push(Example {
                record,
                label,
                source: Some(if i % 2 == 0 { "messages".into() } else { "postings".into() }),
                group: None,
                subset: None,
                line: out.len() as u64 + 1,
            });
        }
    }
    out
}

/// The separable set as both training and validation data.
pub fn separable_data() -> TrainData {
    let examples = separable();
    TrainData { train: examples.clone(), valid: examples, sources: Vec::new() }
}

/// A model small enough to train in a second or two.
pub fn tiny_config() -> TrainConfig {
    TrainConfig {
        optim: OptimConfig { epochs: 30, batch_size: 4, lr: 5e-3, warmup_ratio: 0.1, ..OptimConfig::default() },
        shape: ModelShape {
            max_len: 24,
            hidden_size: 32,
            layers: 1,
            heads: 2,
            intermediate_size: Some(64),
            vocab_size: 320,
            dropout: 0.1,
        },
        patience: 0,
        augment: AugmentConfig::off(),
        bucket_batches: 2,
        seed: 7,
        ..TrainConfig::default()
    }
}

/// [`tiny_config`] for `epochs` epochs.
pub fn tiny_epochs(epochs: usize) -> TrainConfig {
    let mut config = tiny_config();
    config.optim.epochs = epochs;
    config
}
