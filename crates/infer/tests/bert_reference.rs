//! The tokenizer and the forward pass against numbers computed independently: `fixtures/make_tiny_bert.py` runs
//! the Python `tokenizers` library and a float64 numpy BERT on the fixture model.

mod common;

use common::{expected, max_abs_diff, tiny_bert_dir};
use lurescan::{Classifier, ModelFiles, Record, ScoreOptions};

fn from_files() -> Classifier {
    Classifier::from_files(ModelFiles {
        config_json: include_bytes!("fixtures/tiny-bert/config.json"),
        safetensors: include_bytes!("fixtures/tiny-bert/model.safetensors"),
        tokenizer_json: include_bytes!("fixtures/tiny-bert/tokenizer.json"),
        lurescan_json: include_bytes!("fixtures/tiny-bert/lurescan.json"),
        lexical_safetensors: None,
        exemplars_jsonl: None,
        exemplars_safetensors: None,
    })
    .unwrap()
}

#[test]
fn tokenizer_gives_the_python_ids_including_truncation() {
    let expected = expected();
    let classifier = Classifier::load(tiny_bert_dir()).unwrap();
    assert_eq!(classifier.settings().max_length, expected.max_length);
    let mut truncated = 0;
    for case in &expected.cases {
        let ids = classifier.tokenizer().encode(&case.text, expected.max_length).unwrap();
        assert_eq!(ids, case.ids, "{:?}", case.text);
        assert_eq!((ids[0], *ids.last().unwrap()), (2, 3), "[CLS] first, [SEP] last");
        truncated += usize::from(ids.len() == expected.max_length);
    }
    assert!(truncated >= 1, "the fixture must exercise truncation");
    let texts: Vec<String> = expected.cases.iter().map(|c| c.text.clone()).collect();
    let batch = classifier.tokenizer().encode_batch(&texts, expected.max_length).unwrap();
    assert_eq!(batch, expected.cases.iter().map(|c| c.ids.clone()).collect::<Vec<_>>());
}

/// Each case alone and all cases in one padded batch (so the padding mask is exercised), for both loaders.
#[test]
fn logits_match_the_numpy_reference() {
    let expected = expected();
    // The reference runs in float64; 1e-4 absolute on logits of order 1 leaves room for float32 rounding only.
    let tol = expected.tolerance;
    for classifier in [Classifier::load(tiny_bert_dir()).unwrap(), from_files()] {
        for case in &expected.cases {
            let logits = classifier.logits_for_ids(std::slice::from_ref(&case.ids)).unwrap().to_vec2::<f32>().unwrap();
            let diff = max_abs_diff(&logits[0], &case.logits);
            assert!(diff < tol, "{:?}: {:?} vs {:?}", case.text, logits[0], case.logits);
        }
        let ids: Vec<Vec<u32>> = expected.cases.iter().map(|c| c.ids.clone()).collect();
        let logits = classifier.logits_for_ids(&ids).unwrap().to_vec2::<f32>().unwrap();
        for (row, case) in logits.iter().zip(&expected.cases) {
            assert!(
                max_abs_diff(row, &case.logits) < tol,
                "padded batch, {:?}: {row:?} vs {:?}",
                case.text,
                case.logits
            );
        }
    }
}

#[test]
fn predict_renders_records_and_calibrates_with_the_temperature() {
    let expected = expected();
    let classifier = Classifier::load(tiny_bert_dir()).unwrap();
    assert_eq!(classifier.settings().temperature, expected.temperature);
    let cases: Vec<_> = expected.cases.iter().filter(|c| c.record.is_some()).collect();
    assert!(!cases.is_empty());
    let records: Vec<Record> =
        cases.iter().map(|c| Record::from_json_object(c.record.as_ref().unwrap()).unwrap()).collect();
    let predictions = classifier.predict(&records, &ScoreOptions::default()).unwrap();
    for (prediction, case) in predictions.iter().zip(&cases) {
        let t = expected.temperature;
        let (a, b) = (case.logits[0] / t, case.logits[1] / t);
        let want = 1.0 / (1.0 + (a - b).exp());
        let got = prediction.as_ref().unwrap().score;
        assert!((got - want).abs() < 1e-5, "{:?}: score {got} vs {want}", case.text);
    }
}
