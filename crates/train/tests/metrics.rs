//! Metrics stored in a model folder: a `lurescan.json` written before precision, recall and F1 became optional
//! (the shipped default model) still loads, and its model card still renders; a messages' threshold is reported.

use lurescan::{BertConfig, Settings};
use lurescan_train::folder::model_card;
use lurescan_train::metrics::Metrics;
use lurescan_train::Report;
use std::path::PathBuf;

fn shipped(name: &str) -> Vec<u8> {
    // The fast model's folder, written before precision, recall and F1 became optional.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/lurescan-fast").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_shipped_models_stored_metrics_still_load() {
    let settings: Settings = serde_json::from_slice(&shipped("lurescan.json")).unwrap();
    let report: Report = serde_json::from_value(settings.extra["metrics"]["valid"].clone()).unwrap();
    assert!(report.overall.n > 0 && report.overall.precision.is_some() && report.overall.f1.is_some());
    assert_eq!(report.overall.message_threshold, None, "written before message_threshold was reported");
    // Written before: a source without lures stored 0 for recall, which loads as a number.
    assert!(report.by_source.values().any(|m| m.positives == 0 && m.recall == Some(0.0)));
    let bert: BertConfig = serde_json::from_slice(&shipped("config.json")).unwrap();
    let tokenizer = String::from_utf8(shipped("tokenizer.json")).unwrap();
    let card = model_card(&bert, &settings, &tokenizer);
    assert!(card.contains("| all |") && card.contains("fitted on validation data"), "{card}");
    assert!(card.contains("vocabulary 8000 (byte-level BPE)"), "{card}");
    // The multilingual encoder's vocabulary is SentencePiece's, whatever the card of the folder beside it says.
    let unigram = r#"{"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0]]}}"#;
    assert!(model_card(&bert, &settings, unigram).contains("vocabulary 8000 (SentencePiece Unigram)"));
}

#[test]
fn a_second_lower_threshold_is_reported_as_the_messages_one() {
    let (scores, labels) = ([0.9, 0.3, 0.05, 0.001], [1, 0, 1, 0]);
    let mixed = Metrics::compute_each(&scores, &labels, &[0.5, 0.5, 0.01, 0.01]);
    assert_eq!((mixed.threshold, mixed.message_threshold), (0.5, Some(0.01)));
    assert_eq!((mixed.confusion.tp, mixed.confusion.fp), (2, 0), "each record at its own threshold");
    let one = Metrics::compute(&scores, &labels, 0.5);
    assert_eq!((one.threshold, one.message_threshold), (0.5, None));
    let sources: Vec<Option<String>> = vec![None; 4];
    let table = Report::compute_each(&scores, &labels, &sources, &[0.5, 0.5, 0.01, 0.01]).to_table();
    assert!(table.contains("threshold 0.5000 (messages 0.0100)"), "{table}");
}

#[test]
fn the_card_says_whether_exemplars_move_the_score() {
    let mut settings: Settings = serde_json::from_slice(&shipped("lurescan.json")).unwrap();
    let bert: BertConfig = serde_json::from_slice(&shipped("config.json")).unwrap();
    let tokenizer = String::from_utf8(shipped("tokenizer.json")).unwrap();
    let with_weight =
        |w: f32| lurescan::EnsembleConfig { exemplar: Some(w), ..lurescan::EnsembleConfig::new(1.0, 1.0, 0.0) };
    settings.ensemble = Some(with_weight(4.5));
    let card = model_card(&bert, &settings, &tokenizer);
    assert!(card.contains("adds 4.5000 · margin") && card.contains("adds exemplars without retraining"), "{card}");
    // A weight the fit held at 0 (it came out negative) is said to leave scores alone.
    settings.ensemble = Some(with_weight(0.0));
    let card = model_card(&bert, &settings, &tokenizer);
    assert!(card.contains("has weight 0 in the score") && !card.contains("· margin to the log-odds"), "{card}");
    // A negative weight (a folder trained before such weights were held at 0) is named as one.
    settings.ensemble = Some(with_weight(-3.9));
    let card = model_card(&bert, &settings, &tokenizer);
    assert!(card.contains("adds -3.9000 · margin") && card.contains("scores lower"), "{card}");
    // Indicators held at 0 are said to be evidence only.
    settings.ensemble = Some(lurescan::EnsembleConfig { indicators: Some(0.0), ..with_weight(4.5) });
    let card = model_card(&bert, &settings, &tokenizer);
    assert!(card.contains("flags are evidence only"), "{card}");
    settings.ensemble = Some(lurescan::EnsembleConfig { indicators: Some(1.3), ..with_weight(4.5) });
    assert!(!model_card(&bert, &settings, &tokenizer).contains("flags are evidence only"));
}
