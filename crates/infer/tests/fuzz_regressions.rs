//! The inputs the fuzz targets in `fuzz/` found crashing (minimised, fixed since), and a few hand-written seeds,
//! replayed through the same checks as the targets, in the normal suite: `tests/fixtures/fuzz/<target>/<input>`.

mod common;

use lurescan::explain::Catalogue;
use lurescan::input::{Format, RowReader};
use lurescan::{render, Classifier, LureTokenizer, Record, RenderConfig, ScoreOptions};
use std::path::PathBuf;

/// The inputs kept for `target`, each with its file name.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz").join(target);
    let mut found: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no inputs kept for {target}");
    found
}

/// The reader targets' check: rows numbered 1, 2, … in order, lines increasing, nothing panics.
fn read_all(data: &[u8], format: Format) -> usize {
    let mut previous_line = 0;
    let mut number = 0;
    for row in RowReader::new(std::io::BufReader::with_capacity(7, data), format) {
        let Ok(row) = row else { break };
        number += 1;
        assert_eq!(row.number, number as u64);
        assert!(row.line > previous_line, "lines increase: {} after {previous_line}", row.line);
        previous_line = row.line;
        let _ = row.id();
        if let Ok(record) = row.record() {
            let _ = render(&record, &RenderConfig::default());
        }
    }
    number
}

#[test]
fn reader_inputs_found_by_fuzzing_read_in_order() {
    for (target, format) in
        [("jsonl_reader", Format::Jsonl), ("csv_reader", Format::Csv), ("text_reader", Format::Text)]
    {
        for (name, data) in inputs(target) {
            let rows = std::panic::catch_unwind(|| read_all(&data, format));
            assert!(rows.is_ok(), "{target}/{name} panics");
        }
    }
}

#[test]
fn records_found_by_fuzzing_render_and_tokenise() {
    let tokenizer = LureTokenizer::from_file(&common::tiny_bert_dir().join("tokenizer.json")).unwrap();
    for (name, data) in inputs("render_tokenize") {
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        let record = match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(object)) => match Record::from_json_object(&object) {
                Ok(record) => record,
                Err(_) => continue,
            },
            _ => Record::from_text(text),
        };
        for (markers, max_chars, read) in [(true, 1000, true), (false, 7, false), (false, 7, true)] {
            let config = RenderConfig {
                field_markers: markers,
                max_chars_per_field: max_chars,
                deobfuscate: read,
                fold_traditional: read,
                markup: read,
            };
            let ids = tokenizer.encode(&render(&record, &config), 64).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(ids.len() <= 64, "{name}");
        }
        let _ = Catalogue::builtin().scan(&record);
    }
}

#[test]
fn model_files_found_by_fuzzing_load_or_fail_cleanly() {
    let dir = common::tiny_bert_dir();
    let bytes = common::FolderBytes::read(&dir);
    for (name, data) in inputs("model_folder") {
        let Some((&which, content)) = data.split_first() else { continue };
        let mut files = bytes.files();
        match which % 4 {
            0 => files.config_json = content,
            1 => files.safetensors = content,
            2 => files.tokenizer_json = content,
            _ => files.lurescan_json = content,
        }
        let Ok(classifier) = Classifier::from_files(files) else { continue };
        if classifier.config().hidden_size * classifier.config().num_hidden_layers > 4096 {
            continue;
        }
        let records = [Record::from_text("Earn 500 USD a day, free visa, contact Telegram"), Record::default()];
        if let Ok(predictions) = classifier.predict(&records, &ScoreOptions::default()) {
            assert_eq!(predictions.len(), 2, "{name}");
            for p in predictions.into_iter().flatten() {
                assert!((0.0..=1.0).contains(&p.score), "{name}: score {}", p.score);
            }
        }
    }
}
