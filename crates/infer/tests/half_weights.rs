//! A model folder stored in 16-bit floats: inference keeps its word-embedding table in the stored dtype (half the
//! memory of f32) and widens only the rows it looks up, and scores exactly as the same weights widened to f32.

mod common;

use candle_core::{DType, Device, Tensor};
use common::{expected, tiny_bert_dir, FolderBytes};
use lurescan::{Classifier, ModelFolder, Record, ScoreOptions};
use std::collections::HashMap;
use std::path::Path;

/// A copy of the tiny fixture model in `dir` whose weights are the fixture's rounded to `dtype`, then stored as
/// `stored`: f16 then f32 is the f16 model widened, the same numbers.
fn fixture_as(dir: &Path, dtype: DType, stored: DType) {
    for name in [ModelFolder::CONFIG, ModelFolder::TOKENIZER, ModelFolder::SETTINGS] {
        std::fs::copy(tiny_bert_dir().join(name), dir.join(name)).unwrap();
    }
    let tensors = candle_core::safetensors::load(tiny_bert_dir().join(ModelFolder::WEIGHTS), &Device::Cpu).unwrap();
    let tensors: HashMap<String, Tensor> =
        tensors.into_iter().map(|(name, t)| (name, t.to_dtype(dtype).unwrap().to_dtype(stored).unwrap())).collect();
    candle_core::safetensors::save(&tensors, dir.join(ModelFolder::WEIGHTS)).unwrap();
}

fn records() -> Vec<Record> {
    expected().cases.iter().map(|case| Record::from_text(case.text.as_str())).collect()
}

/// The logits of each record alone (bit patterns).
fn logits(classifier: &Classifier) -> Vec<Vec<u32>> {
    records()
        .iter()
        .map(|record| {
            let ids = classifier.encode(record).unwrap().unwrap();
            let input = Tensor::new(ids.as_slice(), &Device::Cpu).unwrap().unsqueeze(0).unwrap();
            let mask = input.ones_like().unwrap();
            let logits = classifier.model().forward(&input, &mask, None).unwrap();
            logits.flatten_all().unwrap().to_vec1::<f32>().unwrap().iter().map(|v| v.to_bits()).collect()
        })
        .collect()
}

fn scores(classifier: &Classifier) -> Vec<u32> {
    let predictions = classifier.predict(&records(), &ScoreOptions::default()).unwrap();
    predictions.into_iter().map(|p| p.unwrap().score.to_bits()).collect()
}

fn table_dtype(classifier: &Classifier) -> DType {
    classifier.model().encoder().word_embeddings().dtype()
}

#[test]
fn a_half_model_keeps_its_word_table_in_half_and_scores_as_its_f32_widening() {
    for half in [DType::F16, DType::BF16] {
        let (kept, widened) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        fixture_as(kept.path(), half, half);
        fixture_as(widened.path(), half, DType::F32);
        let kept = Classifier::load(kept.path()).unwrap();
        let widened = Classifier::load(widened.path()).unwrap();
        assert_eq!(table_dtype(&kept), half);
        assert_eq!(table_dtype(&widened), DType::F32, "an f32 table stays f32");
        assert_eq!(logits(&kept), logits(&widened), "{half:?}: the same logits, bit for bit");
        assert_eq!(scores(&kept), scores(&widened), "{half:?}: the same scores, bit for bit");
    }
}

#[test]
fn a_half_model_in_memory_also_keeps_its_word_table_in_half() {
    let dir = tempfile::tempdir().unwrap();
    fixture_as(dir.path(), DType::F16, DType::F16);
    let from_memory = Classifier::from_files(FolderBytes::read(dir.path()).files()).unwrap();
    assert_eq!(table_dtype(&from_memory), DType::F16);
    assert_eq!(scores(&from_memory), scores(&Classifier::load(dir.path()).unwrap()));
}
