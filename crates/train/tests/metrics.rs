//! Metrics stored in a model folder: a `lurescan.json` written before precision, recall and F1 became optional
//! (the shipped default model) still loads, and its model card still renders.

use lurescan::{BertConfig, Settings};
use lurescan_train::folder::model_card;
use lurescan_train::Report;
use std::path::PathBuf;

fn shipped(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/lurescan-base").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_shipped_models_stored_metrics_still_load() {
    let settings: Settings = serde_json::from_slice(&shipped("lurescan.json")).unwrap();
    let report: Report = serde_json::from_value(settings.extra["metrics"]["valid"].clone()).unwrap();
    assert!(report.overall.n > 0 && report.overall.precision.is_some() && report.overall.f1.is_some());
    // Written before: a source without lures stored 0 for recall, which loads as a number.
    assert!(report.by_source.values().any(|m| m.positives == 0 && m.recall == Some(0.0)));
    let bert: BertConfig = serde_json::from_slice(&shipped("config.json")).unwrap();
    let card = model_card(&bert, &settings);
    assert!(card.contains("| all |") && card.contains("fitted on validation data"), "{card}");
}
