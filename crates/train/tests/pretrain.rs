//! Masked-LM pre-training: the loss falls on a small repetitive corpus, every parameter of the encoder and the
//! MLM head gets a gradient, the same seed gives the same folder, and `train` with `init` starts from the
//! pre-trained encoder with a fresh, seeded classification head.

mod common;

use candle_core::{DType, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};
use lurescan::rng::SeededRng;
use lurescan::tokenizer::LureTokenizer;
use lurescan::{BertConfig, Classifier};
use lurescan_train::init::seeded_init;
use lurescan_train::pretrain::{
    mlm_gradients, pretrain, windows, BertForMaskedLm, Corpus, Masked, Masker, PretrainConfig,
};
use lurescan_train::tokenizer::train_tokenizer;
use lurescan_train::{initial_weights, train, ModelShape, OptimConfig, RunOptions, TrainConfig};
use std::collections::HashMap;
use std::fs;
use std::path::Path;

/// A repetitive corpus: a few sentence patterns with interchangeable words, so that masked words are guessable.
fn corpus() -> Corpus {
    let subjects = ["the clerk", "our nurse", "a driver", "the teacher"];
    let verbs = ["works in", "drives to", "lives near", "walks to"];
    let places = ["the city hospital", "the old school", "a big warehouse", "the main office"];
    let mut texts = Vec::new();
    for (i, s) in subjects.iter().enumerate() {
        for (j, v) in verbs.iter().enumerate() {
            let p = places[(i + j) % places.len()];
            texts.push(format!("[TITLE] {s} [DESCRIPTION] {s} {v} {p} every day and {s} {v} {p} at night"));
        }
    }
    Corpus::from_texts(texts)
}

fn tiny() -> PretrainConfig {
    PretrainConfig {
        optim: OptimConfig { epochs: 12, batch_size: 4, lr: 3e-3, ..PretrainConfig::default().optim },
        shape: ModelShape {
            max_len: 16,
            hidden_size: 32,
            layers: 1,
            heads: 2,
            intermediate_size: Some(64),
            vocab_size: 500,
            dropout: 0.0,
        },
        bucket_batches: 2,
        seed: 5,
        ..PretrainConfig::default()
    }
}

fn tensors(path: &Path) -> anyhow::Result<HashMap<String, Tensor>> {
    Ok(candle_core::safetensors::load(path, &Device::Cpu)?)
}

fn values(t: &Tensor) -> anyhow::Result<Vec<f32>> {
    Ok(t.flatten_all()?.to_vec1::<f32>()?)
}

#[test]
fn masked_lm_loss_falls_on_a_repetitive_corpus() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("encoder");
    let outcome = pretrain(&tiny(), &corpus(), &out, &mut ())?;
    assert_eq!(outcome.history.len(), 12);
    // Texts longer than a window are cut into several.
    assert!(outcome.windows > outcome.records, "{outcome:?}");
    let first = outcome.history[0].loss;
    let last = outcome.history.last().unwrap().loss;
    // Guessing uniformly among the vocabulary costs ln(vocabulary) > 5; the corpus has a few dozen distinct words.
    assert!(first > 4.0, "first epoch loss {first}");
    assert!(last < first * 0.6, "masked-token loss fell only from {first} to {last}");
    for name in ["config.json", "model.safetensors", "tokenizer.json", "lurescan.json", "README.md"] {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    let config: BertConfig = serde_json::from_slice(&fs::read(out.join("config.json"))?)?;
    assert_eq!(config.architectures, ["BertForMaskedLM"]);
    let weights = tensors(&out.join("model.safetensors"))?;
    for name in [
        "cls.predictions.bias",
        "cls.predictions.transform.dense.weight",
        "cls.predictions.transform.dense.bias",
        "cls.predictions.transform.LayerNorm.weight",
        "cls.predictions.transform.LayerNorm.bias",
        "bert.embeddings.word_embeddings.weight",
    ] {
        assert!(weights.contains_key(name), "{name} missing");
    }
    assert!(
        !weights.keys().any(|k| k.starts_with("bert.pooler") || k.starts_with("classifier")),
        "{:?}",
        weights.keys()
    );
    let settings: serde_json::Value = serde_json::from_slice(&fs::read(out.join("lurescan.json"))?)?;
    assert_eq!(settings["pretraining"]["flags"]["hidden_size"], 32);
    assert_eq!(settings["pretraining"]["history"].as_array().map(Vec::len), Some(12));
    // Not a classifier: scoring with it is refused with a message that says what to do.
    let error = Classifier::load(&out).unwrap_err().to_string();
    assert!(error.contains("train --init"), "{error}");
    Ok(())
}

#[test]
fn every_parameter_gets_a_gradient_from_the_masked_lm_loss() -> anyhow::Result<()> {
    let texts: Vec<String> = corpus().texts;
    let tokenizer = LureTokenizer::from_tokenizer(train_tokenizer(&texts, 500)?);
    let config = BertConfig {
        vocab_size: tokenizer.vocab_size(),
        hidden_size: 16,
        num_hidden_layers: 2,
        num_attention_heads: 2,
        intermediate_size: 32,
        max_position_embeddings: 32,
        // Without dropout the shards compute exactly the whole batch's terms.
        hidden_dropout_prob: 0.0,
        attention_probs_dropout_prob: 0.0,
        ..BertConfig::default()
    };
    let varmap = VarMap::new();
    let model = BertForMaskedLm::load(VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu), &config)?;
    seeded_init(&varmap, &config, 3)?;
    let masker = Masker::new(&tokenizer, config.vocab_size, 0.15)?;
    let mut rng = SeededRng::new(4);
    let masked: Vec<Masked> = windows(&tokenizer, &texts[..6], 20)?.iter().map(|w| masker.mask(w, &mut rng)).collect();
    let batch: Vec<&Masked> = masked.iter().collect();
    let grads = mlm_gradients(&model, &batch, 0, 1, 9)?;
    assert!(grads.loss.is_finite() && grads.loss > 0.0);
    let vars = varmap.data().lock().unwrap();
    let mut names: Vec<&String> = vars.keys().collect();
    names.sort();
    // Embeddings (5), 16 per layer, MLM head (5); no pooler or classifier.
    assert_eq!(names.len(), 5 + 2 * 16 + 5, "{names:?}");
    for name in names {
        let grad = grads.shards[0].get(vars[name].as_tensor()).ok_or_else(|| anyhow::anyhow!("{name}: no gradient"))?;
        let size = grad.abs()?.sum_all()?.to_scalar::<f32>()?;
        // Position embeddings past the longest window and the token-type table's row 1 are never used, so the
        // sum over the whole table is what must be non-zero.
        assert!(size > 0.0 && size.is_finite(), "{name}: gradient sum |g| = {size}");
    }
    // Shards add up to the whole batch's gradient.
    let sharded = mlm_gradients(&model, &batch, 0, 3, 9)?;
    assert!((sharded.loss - grads.loss).abs() < 1e-5 * grads.loss.max(1.0), "{} vs {}", sharded.loss, grads.loss);
    Ok(())
}

#[test]
fn same_seed_gives_the_same_encoder() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut config = tiny();
    (config.optim.epochs, config.shape.dropout) = (2, 0.1);
    let run = |name: &str, seed: u64| -> anyhow::Result<Vec<u8>> {
        let out = dir.path().join(name);
        pretrain(&PretrainConfig { seed, ..config.clone() }, &corpus(), &out, &mut ())?;
        Ok(fs::read(out.join("model.safetensors"))?)
    };
    let (a, b, c) = (run("a", 1)?, run("b", 1)?, run("c", 2)?);
    assert!(a == b, "same seed, different weights");
    assert!(a != c, "different seeds, same weights");
    Ok(())
}

#[test]
fn fine_tuning_starts_from_the_pretrained_encoder() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let encoder = dir.path().join("encoder");
    let shape = TrainConfig {
        shape: ModelShape {
            max_len: 16,
            hidden_size: 32,
            layers: 1,
            heads: 2,
            intermediate_size: Some(64),
            vocab_size: 300,
            ..ModelShape::default()
        },
        ..TrainConfig::default()
    };
    let mut pre = PretrainConfig::shaped_like(&shape);
    pre.optim.epochs = 2;
    let corpus =
        Corpus::from_texts(common::separable().iter().map(|e| lurescan::render(&e.record, &pre.render)).collect());
    pretrain(&pre, &corpus, &encoder, &mut ())?;
    let pretrained = tensors(&encoder.join("model.safetensors"))?;

    let data = common::separable_data();
    let config = TrainConfig { init: Some(encoder.clone()), lexical: false, ..common::tiny_epochs(2) };
    let start = initial_weights(&config, &data)?;
    for (name, t) in &start {
        match pretrained.get(name) {
            Some(p) => assert_eq!(values(t)?, values(p)?, "{name} is not the pre-trained one"),
            None => assert!(
                name.starts_with("bert.pooler.") || name.starts_with("classifier."),
                "{name} not from the folder"
            ),
        }
    }
    assert!(!start.keys().any(|k| k.starts_with("cls.")), "the MLM head must not be part of the classifier");
    let classifier = values(&start["classifier.weight"])?;
    assert!(classifier.iter().any(|&v| v != 0.0), "the classifier starts at zero");
    assert_eq!(
        classifier,
        values(&initial_weights(&config, &data)?["classifier.weight"])?,
        "the new head is not seeded"
    );

    let out = dir.path().join("model");
    let outcome = train(&config, &data, &out, &RunOptions::default())?;
    assert!(outcome.finished);
    let written: BertConfig = serde_json::from_slice(&fs::read(out.join("config.json"))?)?;
    assert_eq!(written.architectures, ["BertForSequenceClassification"]);
    assert!(!tensors(&out.join("model.safetensors"))?.keys().any(|k| k.starts_with("cls.")));
    assert_eq!(fs::read(out.join("tokenizer.json"))?, fs::read(encoder.join("tokenizer.json"))?);
    Classifier::load(&out)?;
    Ok(())
}
