//! Non-finite numbers in training and evaluation are never silent: training stops at the first non-finite loss and
//! writes nothing; evaluation reports no metrics for a model whose scores are not finite.

mod common;

use candle_core::{Device, Tensor};
use common::{separable_data, tiny_config};
use lurescan::Classifier;
use lurescan_train::data::Dataset;
use lurescan_train::{evaluate, train, RunOptions, TrainError};
use std::path::{Path, PathBuf};

#[test]
fn training_that_diverges_stops_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("model");
    // warmup 0: the first step already takes the whole (absurd) learning rate.
    let mut config = tiny_config();
    (config.optim.lr, config.optim.warmup_ratio, config.optim.epochs) = (1e30, 0.0, 3);
    let error = train(&config, &separable_data(), &out, &RunOptions::default()).unwrap_err();
    assert!(matches!(error, TrainError::Diverged { epoch: 1, .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("training diverged") && message.contains("lower --lr") && message.contains("wrote no model"),
        "{message}"
    );
    assert!(!out.exists(), "no model folder");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.iter().all(|name| !name.to_string_lossy().contains(".tmp-")), "{left:?}");
}

fn tiny_bert() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../infer/tests/fixtures/tiny-bert")
}

/// The tiny model with classifier weights so large that every logit overflows to infinity.
fn overflowing_model(dir: &Path) -> Classifier {
    for name in ["config.json", "tokenizer.json", "lurescan.json"] {
        std::fs::copy(tiny_bert().join(name), dir.join(name)).unwrap();
    }
    let mut t = candle_core::safetensors::load(tiny_bert().join("model.safetensors"), &Device::Cpu).unwrap();
    let pooler = t["bert.pooler.dense.weight"].zeros_like().unwrap();
    t.insert("bert.pooler.dense.weight".into(), pooler);
    let bias = (t["bert.pooler.dense.bias"].ones_like().unwrap() * 10.0).unwrap();
    t.insert("bert.pooler.dense.bias".into(), bias);
    let w = &t["classifier.weight"];
    let signs = Tensor::new(&[[1f32], [-1f32]], &Device::Cpu).unwrap().broadcast_as(w.shape()).unwrap();
    let huge = ((w.ones_like().unwrap() * 3.0e38).unwrap() * signs).unwrap();
    t.insert("classifier.weight".into(), huge);
    candle_core::safetensors::save(&t, dir.join("model.safetensors")).unwrap();
    Classifier::load(dir).unwrap()
}

#[test]
fn eval_refuses_a_model_that_gives_non_finite_scores() {
    let dir = tempfile::tempdir().unwrap();
    let classifier = overflowing_model(dir.path());
    let data = Dataset {
        path: dir.path().join("test.jsonl"),
        examples: separable_data().valid,
        skipped: 0,
        skipped_examples: Vec::new(),
    };
    let error = evaluate(&classifier, &data, &Default::default()).unwrap_err().to_string();
    assert!(error.contains("16 records could not be scored, so no metrics are reported"), "{error}");
    assert!(error.contains("no finite score"), "{error}");
}
