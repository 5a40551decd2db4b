//! Loading a model folder with one of its files replaced by the fuzzer's bytes: the first byte chooses which
//! (config.json, model.safetensors, tokenizer.json, lurescan.json), the rest is its content; the other files are
//! the test model's. Loading must fail with an error or give a model that scores every record in [0, 1] or as an
//! error row: never a panic, never a NaN score.
#![no_main]

use lurescan::{Classifier, ModelFiles, Record, ScoreOptions};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&which, content)) = data.split_first() else { return };
    let mut files = ModelFiles {
        config_json: include_bytes!("../../crates/infer/tests/fixtures/tiny-bert/config.json"),
        safetensors: include_bytes!("../../crates/infer/tests/fixtures/tiny-bert/model.safetensors"),
        tokenizer_json: include_bytes!("../../crates/infer/tests/fixtures/tiny-bert/tokenizer.json"),
        lurescan_json: include_bytes!("../../crates/infer/tests/fixtures/tiny-bert/lurescan.json"),
        lexical_safetensors: None,
        exemplars_jsonl: None,
        exemplars_safetensors: None,
    };
    match which % 4 {
        0 => files.config_json = content,
        1 => files.safetensors = content,
        2 => files.tokenizer_json = content,
        _ => files.lurescan_json = content,
    }
    let Ok(classifier) = Classifier::from_files(files) else { return };
    // A config that loads may still describe a huge model: score only small ones, to keep the runs fast.
    if classifier.config().hidden_size * classifier.config().num_hidden_layers > 4096 {
        return;
    }
    let records = [Record::from_text("Earn 500 USD a day, free visa, contact Telegram"), Record::default()];
    if let Ok(predictions) = classifier.predict(&records, &ScoreOptions::default()) {
        assert_eq!(predictions.len(), records.len());
        for prediction in predictions.into_iter().flatten() {
            assert!((0.0..=1.0).contains(&prediction.score), "score {}", prediction.score);
        }
    }
});
