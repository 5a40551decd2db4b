//! Loading a model folder (and refusing broken ones with a useful error) and scoring records with `predict`.

mod common;

use common::tiny_bert_dir;
use lurescan::{Classifier, Error, Field, Label, Record, RecordError, ScoreOptions};
use std::path::Path;

fn copy_fixture(to: &Path) {
    for entry in std::fs::read_dir(tiny_bert_dir()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn edit_json(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut value: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    edit(&mut value);
    std::fs::write(path, serde_json::to_vec(&value).unwrap()).unwrap();
}

#[test]
fn a_missing_file_is_named() {
    for name in ["config.json", "model.safetensors", "tokenizer.json", "lurescan.json"] {
        let dir = tempfile::tempdir().unwrap();
        copy_fixture(dir.path());
        std::fs::remove_file(dir.path().join(name)).unwrap();
        match Classifier::load(dir.path()) {
            Err(err @ Error::MissingFile { what, .. }) => {
                assert_eq!(what, name);
                assert!(err.to_string().contains(name), "{err}");
            }
            other => panic!("{name}: expected MissingFile, got {:?}", other.err()),
        }
    }
    let missing = Classifier::load("/nonexistent/model").unwrap_err();
    assert!(matches!(missing, Error::NotAFolder { .. }) && missing.to_string().contains("no such folder"), "{missing}");
}

#[test]
fn weights_that_do_not_match_the_config_are_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture(dir.path());
    edit_json(&dir.path().join("config.json"), |c| c["intermediate_size"] = 48.into());
    let err = Classifier::load(dir.path()).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::InvalidModel { .. }), "{message}");
    assert!(message.contains("model.safetensors") && message.contains("config.json"), "{message}");
    assert!(message.contains("intermediate.dense"), "names the tensor: {message}");

    edit_json(&dir.path().join("config.json"), |c| {
        c["intermediate_size"] = 64.into();
        c["num_hidden_layers"] = 3.into();
    });
    let message = Classifier::load(dir.path()).unwrap_err().to_string();
    assert!(message.contains("layer.2"), "names the missing tensor: {message}");
}

#[test]
fn broken_json_and_bad_settings_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture(dir.path());
    std::fs::write(dir.path().join("config.json"), "{ not json").unwrap();
    let err = Classifier::load(dir.path()).unwrap_err();
    assert!(matches!(&err, Error::Json { path, .. } if path.ends_with("config.json")), "{err}");

    copy_fixture(dir.path());
    edit_json(&dir.path().join("lurescan.json"), |s| s["temperature"] = 0.into());
    let err = Classifier::load(dir.path()).unwrap_err();
    assert!(matches!(&err, Error::InvalidModel { path, .. } if path.ends_with("lurescan.json")), "{err}");

    copy_fixture(dir.path());
    edit_json(&dir.path().join("config.json"), |c| c["vocab_size"] = 100.into());
    let err = Classifier::load(dir.path()).unwrap_err();
    assert!(err.to_string().contains("tokenizer"), "{err}");
}

fn records() -> Vec<Record> {
    let texts = [
        "Data entry clerk wanted",
        "",
        "Earn 3000 USD per month abroad! No experience needed, free visa and flight, send your passport today.",
        "高薪招聘 海外工作 包吃包住 无需经验 立即联系",
        "x",
        "   ",
        "Nurse position at the city hospital, full time, permanent contract, shifts, pension and training budget.",
        "Apply now 💰💰 easy money ✈️ travel paid 🙂",
    ];
    texts.iter().enumerate().map(|(i, t)| Record::from_text(*t).with_id(i.to_string())).collect()
}

#[test]
fn predict_keeps_input_order_and_reports_records_without_text() {
    let classifier = Classifier::load(tiny_bert_dir()).unwrap();
    let records = records();
    let options = ScoreOptions { batch_size: 3, threshold: None };
    let predictions = classifier.predict(&records, &options).unwrap();
    assert_eq!(predictions.len(), records.len());
    for (record, prediction) in records.iter().zip(&predictions) {
        if record.is_empty() {
            assert_eq!(prediction, &Err(RecordError::NoText));
            continue;
        }
        // Each record scored alone must give the same score in the same slot: the output is in input order.
        let alone = classifier.predict(std::slice::from_ref(record), &options).unwrap().remove(0).unwrap();
        let got = prediction.as_ref().unwrap();
        assert!((alone.score - got.score).abs() < 1e-5, "record {:?}: {} vs {}", record.id, alone.score, got.score);
    }
    assert!(classifier.predict(&[], &options).unwrap().is_empty());
}

#[test]
fn batch_size_does_not_change_scores() {
    let classifier = Classifier::load(tiny_bert_dir()).unwrap();
    let records = records();
    let reference = classifier.predict(&records, &ScoreOptions { batch_size: 1, threshold: None }).unwrap();
    for batch_size in [2, 3, 64] {
        let scores = classifier.predict(&records, &ScoreOptions { batch_size, threshold: None }).unwrap();
        for (a, b) in reference.iter().zip(&scores) {
            match (a, b) {
                // Padding is masked, so only float32 summation order differs between batch sizes.
                (Ok(a), Ok(b)) => assert!((a.score - b.score).abs() < 1e-5, "batch {batch_size}: {a:?} vs {b:?}"),
                (a, b) => assert_eq!(a, b),
            }
        }
    }
}

#[test]
fn a_record_built_with_only_a_place_or_a_salary_is_not_scored_and_a_batch_size_of_0_is_refused() {
    let classifier = Classifier::load(tiny_bert_dir()).unwrap();
    let records = [
        Record::default().with(Field::Location, "Bangkok"),
        Record::default().with(Field::Location, "Phnom Penh").with(Field::SalaryRange, "USD 2,000"),
        Record::default().with(Field::Location, "Bangkok").with(Field::Title, "Cook"),
    ];
    let options = ScoreOptions::default();
    let predictions = classifier.predict(&records, &options).unwrap();
    let error = predictions[0].as_ref().unwrap_err();
    assert!(matches!(error, RecordError::OnlyContext { .. }), "{error:?}");
    assert!(error.to_string().starts_with("only `location` read"), "{error}");
    assert!(error.to_string().contains("give the record a `title`, `description` or `text`"), "{error}");
    assert!(matches!(predictions[1], Err(RecordError::OnlyContext { .. })), "{:?}", predictions[1]);
    assert!(predictions[2].is_ok(), "a title beside the place is scored: {:?}", predictions[2]);
    // The same from every entry point that scores.
    assert!(matches!(classifier.encode(&records[0]).unwrap(), Err(RecordError::OnlyContext { .. })));
    let evidence = classifier.predict_with_evidence(&records[..1], &options).unwrap();
    assert!(matches!(evidence[0], Err(RecordError::OnlyContext { .. })));

    let none = ScoreOptions { batch_size: 0, threshold: None };
    let error = classifier.predict(&records, &none).unwrap_err().to_string();
    assert!(error.contains("batch_size is 0"), "{error}");
    assert!(classifier.predict_with_evidence(&records, &none).is_err());
}

#[test]
fn threshold_option_overrides_the_folder() {
    let classifier = Classifier::load(tiny_bert_dir()).unwrap();
    let records = records();
    for threshold in [0.0, 1.0, 0.5] {
        let predictions =
            classifier.predict(&records, &ScoreOptions { batch_size: 4, threshold: Some(threshold) }).unwrap();
        for p in predictions.iter().flatten() {
            assert_eq!(p.label, if p.score >= threshold { Label::Lure } else { Label::Legitimate });
        }
    }
    let all = classifier.predict(&records, &ScoreOptions { batch_size: 4, threshold: Some(0.0) }).unwrap();
    assert!(all.iter().flatten().all(|p| p.label == Label::Lure));
    // A threshold that is no probability is refused, as the CLI, the service and Python refuse it.
    for wrong in [80.0, -1.0, f32::NAN] {
        let error = classifier.predict(&records, &ScoreOptions { batch_size: 4, threshold: Some(wrong) }).unwrap_err();
        assert!(error.to_string().contains("is not between 0 and 1"), "{wrong}: {error}");
    }
}

#[test]
fn messages_get_their_own_threshold_when_the_folder_has_one() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture(dir.path());
    let message = Record::from_text("Earn 500 USD a day from home, no experience needed.");
    let posting = Record::default()
        .with(lurescan::Field::Title, "Earn 500 USD a day")
        .with(lurescan::Field::Description, "from home");
    let plain = Classifier::load(dir.path()).unwrap();
    let scores: Vec<f32> = plain
        .predict(&[message.clone(), posting.clone()], &ScoreOptions::default())
        .unwrap()
        .into_iter()
        .map(|p| p.unwrap().score)
        .collect();
    // Thresholds that put each record on the other side: the message just under its own, the posting just over.
    let (message_threshold, threshold) = (scores[0] - 1e-4, scores[1] + 1e-4);
    edit_json(&dir.path().join("lurescan.json"), |v| {
        v["threshold"] = threshold.into();
        v["message_threshold"] = message_threshold.into();
    });
    let classifier = Classifier::load(dir.path()).unwrap();
    assert_eq!(classifier.settings().message_threshold, Some(message_threshold));
    let labels: Vec<Label> = classifier
        .predict(&[message.clone(), posting.clone()], &ScoreOptions::default())
        .unwrap()
        .into_iter()
        .map(|p| p.unwrap().label)
        .collect();
    assert_eq!(labels, [Label::Lure, Label::Legitimate], "scores {scores:?}");
    // --threshold overrides both.
    let labels: Vec<Label> = classifier
        .predict(&[message, posting], &ScoreOptions { threshold: Some(1.0), ..ScoreOptions::default() })
        .unwrap()
        .into_iter()
        .map(|p| p.unwrap().label)
        .collect();
    assert_eq!(labels, [Label::Legitimate, Label::Legitimate]);
    // Out of range is refused, naming the key.
    edit_json(&dir.path().join("lurescan.json"), |v| v["message_threshold"] = 1.5.into());
    let err = Classifier::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("message_threshold") && err.contains("lurescan.json"), "{err}");
}

#[test]
fn one_classifier_serves_many_threads() {
    let classifier = Classifier::load(tiny_bert_dir()).unwrap();
    let records = records();
    let reference = classifier.predict(&records, &ScoreOptions::default()).unwrap();
    std::thread::scope(|s| {
        let handles: Vec<_> =
            (0..3).map(|_| s.spawn(|| classifier.predict(&records, &ScoreOptions::default()).unwrap())).collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), reference);
        }
    });
}
