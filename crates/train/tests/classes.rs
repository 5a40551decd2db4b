//! Training data must hold both classes: training records without lures (or without legitimate ones) are refused
//! with an error naming the file; validation records lacking a class let training go on with an unfitted
//! threshold, and the folder says so. Every file of a written folder gets the mode a newly created file gets.

mod common;

use lurescan_train::data::{DataWarning, Example};
use lurescan_train::error::HeldOut;
use lurescan_train::UNFITTED_THRESHOLD;
use lurescan_train::{train, DataSource, RunOptions, TrainData, TrainError};
use std::fs;
use std::path::PathBuf;

fn source(role: &str, path: &str) -> DataSource {
    DataSource {
        role: role.into(),
        path: PathBuf::from(path),
        sha256: String::new(),
        records: 0,
        skipped_bad_rows: 0,
        skipped_examples: Vec::new(),
    }
}

fn with_label(examples: &[Example], label: u8) -> Vec<Example> {
    examples.iter().filter(|e| e.label == label).cloned().collect()
}

#[test]
fn training_records_without_a_class_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let all = common::separable();
    for (label, missing) in [(0u8, "no lures"), (1u8, "no legitimate records")] {
        let data = TrainData {
            train: with_label(&all, label),
            valid: all.clone(),
            // A validation file of its own: nothing was held out of the training file.
            sources: vec![source("train", "oneclass.jsonl"), source("valid", "valid.jsonl")],
        };
        let out = dir.path().join("model");
        let error = train(&common::tiny_config(), &data, &out, &RunOptions::default()).unwrap_err();
        let held_out = HeldOut::None;
        assert!(
            matches!(&error, TrainError::MissingClass { label: l, held_out: h, .. } if *l == 1 - label && *h == held_out),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(message.contains("oneclass.jsonl") && message.contains(missing), "{message}");
        assert!(message.contains("both lures (label 1) and legitimate records (label 0)"), "{message}");
        assert!(!out.exists() && !dir.path().join("model.partial").exists(), "nothing is written");
    }
}

#[test]
fn validation_without_lures_trains_with_an_unfitted_threshold_and_says_so() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let all = common::separable();
    let data = TrainData {
        train: all.clone(),
        valid: with_label(&all, 0),
        sources: vec![source("train", "train.jsonl"), source("valid", "legit-only.jsonl")],
    };
    let warning = data.validation_warning().expect("a warning");
    assert!(
        matches!(&warning, DataWarning::ValidationLacksClass { held_out: false, missing_label: 1, .. }),
        "{warning:?}"
    );
    let warning = warning.to_string();
    assert!(warning.contains("legit-only.jsonl") && warning.contains("no lures"), "{warning}");
    assert!(warning.contains("cannot be fitted") && warning.contains("threshold 0.5"), "{warning}");
    assert_eq!(common::separable_data().validation_warning(), None);
    // No validation records at all is not "no lures": training stops, naming the file and what to do.
    let none = TrainData { train: all.clone(), valid: Vec::new(), sources: vec![source("train", "two.jsonl")] };
    assert_eq!(none.validation_warning(), None);
    let error = train(&common::tiny_config(), &none, &dir.path().join("none"), &RunOptions::default()).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("two.jsonl: no validation records") && message.contains("--valid"), "{message}");

    let mut config = common::tiny_config();
    config.optim.epochs = 2;
    let out = dir.path().join("model");
    let outcome = train(&config, &data, &out, &RunOptions::default())?;
    assert_eq!((outcome.threshold, outcome.temperature), (UNFITTED_THRESHOLD, 1.0));
    let settings: serde_json::Value = serde_json::from_slice(&fs::read(out.join("lurescan.json"))?)?;
    assert_eq!(settings["training"]["fitted_on_validation"], false);
    assert_eq!(settings["ensemble"], serde_json::json!({"bert": 1.0, "lexical": 1.0, "bias": 0.0}));
    let card = fs::read_to_string(out.join("README.md"))?;
    assert!(!card.contains("fitted on validation data") && !card.contains("weights fitted"), "{card}");
    assert!(card.contains("NOT fitted"), "{card}");
    // No lures in validation: recall and F1 are undefined, as PR-AUC is.
    assert_eq!(settings["metrics"]["valid"]["recall"], serde_json::Value::Null);
    assert_eq!(settings["metrics"]["valid"]["f1"], serde_json::Value::Null);
    assert!(card.contains("| all | 8 | 0 | – | – |"), "{card}");
    Ok(())
}

/// The names of the files in `dir`, after checking each has mode `expected`.
#[cfg(unix)]
fn assert_modes(dir: &std::path::Path, expected: u32) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let mut seen = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, expected, "{:?} has mode {mode:o}, a new file {expected:o}", entry.path());
        seen.push(entry.file_name().to_string_lossy().into_owned());
    }
    seen
}

#[cfg(unix)]
#[test]
fn every_file_of_a_model_folder_and_checkpoint_has_the_mode_of_a_new_file() -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir()?;
    let expected = fs::File::create(dir.path().join("probe"))?.metadata()?.permissions().mode() & 0o7777;
    let mut config = common::tiny_config();
    config.optim.epochs = 2;
    let out = dir.path().join("model");
    // Stopped after one epoch of two: the checkpoint is left to look at, then the run is resumed to the end.
    let stop = RunOptions { stop_after_epochs: Some(1), ..RunOptions::default() };
    train(&config, &common::separable_data(), &out, &stop)?;
    let seen = assert_modes(&dir.path().join("model.partial/checkpoint"), expected);
    assert!(seen.contains(&"weights.safetensors".into()), "{seen:?}");
    train(&config, &common::separable_data(), &out, &RunOptions { resume: true, ..RunOptions::default() })?;
    let seen = assert_modes(&out, expected);
    assert!(seen.contains(&"model.safetensors".into()) && seen.contains(&"lexical.safetensors".into()), "{seen:?}");
    Ok(())
}
