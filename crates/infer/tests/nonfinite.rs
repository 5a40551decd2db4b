//! Non-finite numbers are never silent: a weights file with NaN or infinite values, or of an integer dtype, does not
//! load (the error names the tensor); a record whose score overflows is an error row, never a null score.

mod common;

use candle_core::{DType, Device, Tensor};
use common::{tiny_bert_dir, FolderBytes};
use lurescan::{Classifier, Record, RecordError, ScoreOptions};
use std::collections::HashMap;
use std::path::Path;

/// A copy of the tiny model in `dir`, with `change` applied to its tensors.
fn model_with(dir: &Path, change: impl FnOnce(&mut HashMap<String, Tensor>)) {
    for name in ["config.json", "tokenizer.json", "lurescan.json"] {
        std::fs::copy(tiny_bert_dir().join(name), dir.join(name)).unwrap();
    }
    let mut tensors = candle_core::safetensors::load(tiny_bert_dir().join("model.safetensors"), &Device::Cpu).unwrap();
    change(&mut tensors);
    candle_core::safetensors::save(&tensors, dir.join("model.safetensors")).unwrap();
}

/// `tensor` with the element at flat index 1 set to `value`.
fn with_value(tensor: &Tensor, value: f32) -> Tensor {
    let mut values = tensor.flatten_all().unwrap().to_vec1::<f32>().unwrap();
    values[1] = value;
    Tensor::from_vec(values, tensor.shape(), &Device::Cpu).unwrap()
}

#[test]
fn non_finite_weights_do_not_load_and_the_error_names_the_tensor() {
    for value in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        let dir = tempfile::tempdir().unwrap();
        model_with(dir.path(), |t| {
            let w = with_value(&t["classifier.weight"], value);
            t.insert("classifier.weight".into(), w);
        });
        let error = Classifier::load(dir.path()).unwrap_err().to_string();
        assert!(error.contains("tensor `classifier.weight` holds a non-finite value"), "{value}: {error}");
        assert!(error.contains("model.safetensors"), "{error}");

        // The same bytes in memory.
        let bytes = FolderBytes::read(dir.path());
        assert!(Classifier::from_files(bytes.files()).unwrap_err().to_string().contains("classifier.weight"));
    }
}

#[test]
fn integer_weights_do_not_load() {
    let dir = tempfile::tempdir().unwrap();
    model_with(dir.path(), |t| {
        let bias = t["classifier.bias"].to_dtype(DType::I64).unwrap();
        t.insert("classifier.bias".into(), bias);
    });
    let error = Classifier::load(dir.path()).unwrap_err().to_string();
    assert!(error.contains("tensor `classifier.bias` has dtype I64") && error.contains("must be floats"), "{error}");

    // Half precision is a float: it loads.
    let dir = tempfile::tempdir().unwrap();
    model_with(dir.path(), |t| {
        let bias = t["classifier.bias"].to_dtype(DType::F16).unwrap();
        t.insert("classifier.bias".into(), bias);
    });
    Classifier::load(dir.path()).unwrap();
}

#[test]
fn a_score_that_overflows_is_an_error_row() {
    // Finite but enormous classifier weights: the logits overflow to infinity and the score would be NaN. The
    // pooler is set to give tanh(10) ≈ 1 in every dimension, so the sums overflow whatever the input.
    let dir = tempfile::tempdir().unwrap();
    model_with(dir.path(), |t| {
        let pooler = t["bert.pooler.dense.weight"].zeros_like().unwrap();
        t.insert("bert.pooler.dense.weight".into(), pooler);
        let bias = (t["bert.pooler.dense.bias"].ones_like().unwrap() * 10.0).unwrap();
        t.insert("bert.pooler.dense.bias".into(), bias);
        let w = &t["classifier.weight"];
        let huge = (w.ones_like().unwrap() * 3.0e38).unwrap();
        let signs = Tensor::new(&[[1f32], [-1f32]], &Device::Cpu).unwrap().broadcast_as(w.shape()).unwrap();
        t.insert("classifier.weight".into(), (huge * signs).unwrap());
    });
    let classifier = Classifier::load(dir.path()).unwrap();
    let records = [Record::from_text("free visa and flight, contact telegram"), Record::default()];
    let predictions = classifier.predict(&records, &ScoreOptions::default()).unwrap();
    assert_eq!(predictions, [Err(RecordError::NonFiniteScore), Err(RecordError::NoText)]);
    assert!(RecordError::NonFiniteScore.to_string().contains("no finite score"));
}
