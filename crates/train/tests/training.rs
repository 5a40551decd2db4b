//! End-to-end training on a tiny separable set: it learns, it is reproducible, a resumed run equals an
//! uninterrupted one, and the folder it writes scores the same through `Classifier::load`.

mod common;

use lurescan::{Classifier, Precision, ScoreOptions};
use lurescan_train::{train, RunOptions};
use std::fs;

#[test]
fn overfits_a_tiny_separable_set() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("model");
    let data = common::separable_data();
    let config = common::tiny_config();
    let outcome = train(&config, &data, &out, &RunOptions::default())?;
    assert!(outcome.finished);
    let first = outcome.history.first().unwrap().train_loss;
    let last = outcome.history.last().unwrap().train_loss;
    assert!(last < first * 0.5, "training loss fell only from {first} to {last}");
    assert_eq!(outcome.report.overall.accuracy, 1.0, "{}", outcome.report.to_table());
    assert_eq!(outcome.report.overall.pr_auc, Some(1.0));
    for name in
        ["config.json", "model.safetensors", "tokenizer.json", "lurescan.json", "lexical.safetensors", "README.md"]
    {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    // Nothing left beside the folder: no OUT.partial, no OUT.tmp-*.
    let names: Vec<String> =
        fs::read_dir(dir.path())?.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["model"]);
    let settings: serde_json::Value = serde_json::from_slice(&fs::read(out.join("lurescan.json"))?)?;
    assert_eq!(settings["training"]["flags"]["hidden_size"], 32);
    assert_eq!(settings["training"]["flags"]["lexical"], true);
    assert!(settings["ensemble"]["lexical"].is_number(), "{settings}");
    assert!(settings["metrics"]["valid"]["pr_auc"].is_number());
    let card = fs::read_to_string(out.join("README.md"))?;
    assert!(card.contains("human review") && card.contains("| all |"), "{card}");
    assert!(card.contains("Decision threshold") && card.contains("(half the best validation F1)"), "{card}");
    Ok(())
}

#[test]
fn same_seed_gives_byte_identical_weights() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let data = common::separable_data();
    let config = common::tiny_epochs(3);
    let run = |name: &str, seed: u64| -> anyhow::Result<(Vec<u8>, Vec<u8>, serde_json::Value)> {
        let out = dir.path().join(name);
        train(&lurescan_train::TrainConfig { seed, ..config.clone() }, &data, &out, &RunOptions::default())?;
        let settings: serde_json::Value = serde_json::from_slice(&fs::read(out.join("lurescan.json"))?)?;
        Ok((
            fs::read(out.join("model.safetensors"))?,
            fs::read(out.join("lexical.safetensors"))?,
            settings["ensemble"].clone(),
        ))
    };
    let a = run("a", 7)?;
    let b = run("b", 7)?;
    let c = run("c", 8)?;
    assert!(a.0 == b.0, "same seed, different weights");
    assert!(a.1 == b.1, "same seed, different lexical weights");
    assert_eq!(a.2, b.2, "same seed, different ensemble weights");
    assert!(a.0 != c.0, "different seeds, same weights");
    Ok(())
}

#[test]
fn resumed_run_equals_uninterrupted_run() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let data = common::separable_data();
    let config = common::tiny_epochs(4);
    let whole = dir.path().join("whole");
    train(&config, &data, &whole, &RunOptions::default())?;

    let resumed = dir.path().join("resumed");
    let stopped = train(&config, &data, &resumed, &RunOptions { stop_after_epochs: Some(2), ..Default::default() })?;
    assert!(!stopped.finished);
    assert!(!resumed.exists(), "an interrupted run must not write the model folder");
    assert!(dir.path().join("resumed.partial/checkpoint/state.json").is_file());
    let outcome = train(&config, &data, &resumed, &RunOptions { resume: true, ..Default::default() })?;
    assert!(outcome.finished);
    assert_eq!(outcome.history.len(), 4);
    assert!(fs::read(whole.join("model.safetensors"))? == fs::read(resumed.join("model.safetensors"))?);
    let settings = |dir: &std::path::Path| -> anyhow::Result<serde_json::Value> {
        Ok(serde_json::from_slice(&fs::read(dir.join("lurescan.json"))?)?)
    };
    assert_eq!(settings(&whole)?["threshold"], settings(&resumed)?["threshold"]);

    // A checkpoint of other flags is refused.
    train(&config, &data, &resumed, &RunOptions { stop_after_epochs: Some(1), ..Default::default() })?;
    let mut other = config.clone();
    other.optim.lr = 1e-3;
    let err = train(&other, &data, &resumed, &RunOptions { resume: true, ..Default::default() }).unwrap_err();
    assert!(err.to_string().contains("other flags or data"), "{err}");
    Ok(())
}

#[test]
fn trained_folder_scores_like_the_end_of_training() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("model");
    let data = common::separable_data();
    let outcome = train(&common::tiny_config(), &data, &out, &RunOptions::default())?;
    let classifier = Classifier::load(&out)?;
    let records: Vec<_> = data.valid.iter().map(|e| e.record.clone()).collect();
    let predictions = classifier.predict(&records, &ScoreOptions { batch_size: 3, threshold: None })?;
    for (i, (p, expected)) in predictions.iter().zip(&outcome.valid_scores).enumerate() {
        let p = p.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
        // Different batching changes padding only: the scores agree to float rounding.
        assert!(
            (p.score - expected).abs() < 1e-5,
            "record {i}: scored {} after loading, {expected} in training",
            p.score
        );
    }
    assert_eq!(classifier.settings().threshold, outcome.threshold);
    Ok(())
}

/// A folder trained for int8 is calibrated on validation scored at int8 and, loaded, scores validation as training
/// measured it; its weights are those of the same run at fp32 (training itself is fp32).
#[test]
fn a_folder_trained_for_int8_is_calibrated_at_int8_on_the_same_weights() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let exemplars = dir.path().join("exemplars.jsonl");
    fs::write(
        &exemplars,
        concat!(
            r#"{"typology": "compound_recruitment", "lang": "en", "text": "work abroad, free visa and flight, high salary", "label": "lure"}"#,
            "\n",
            r#"{"typology": "legit_posting", "lang": "en", "text": "teacher for a school, two years of experience", "label": "benign"}"#,
            "\n",
        ),
    )?;
    let data = common::separable_data();
    let fp32_config = lurescan_train::TrainConfig { exemplars: Some(exemplars), ..common::tiny_epochs(3) };
    let int8_config = lurescan_train::TrainConfig { precision: Precision::Int8, ..fp32_config.clone() };
    let (fp32_out, int8_out) = (dir.path().join("fp32"), dir.path().join("int8"));
    train(&fp32_config, &data, &fp32_out, &RunOptions::default())?;
    let outcome = train(&int8_config, &data, &int8_out, &RunOptions::default())?;
    assert!(fs::read(fp32_out.join("model.safetensors"))? == fs::read(int8_out.join("model.safetensors"))?);

    let settings: serde_json::Value = serde_json::from_slice(&fs::read(int8_out.join("lurescan.json"))?)?;
    assert_eq!(settings["precision"], "int8");
    assert_eq!(settings["training"]["flags"]["precision"], "int8");
    assert!(fs::read_to_string(int8_out.join("README.md"))?.contains("fitted on validation scored at int8"));
    let plain: serde_json::Value = serde_json::from_slice(&fs::read(fp32_out.join("lurescan.json"))?)?;
    assert!(plain.get("precision").is_none() && plain["training"]["flags"].get("precision").is_none(), "{plain}");

    let classifier = Classifier::load(&int8_out)?;
    assert_eq!(classifier.settings().precision(), Ok(Precision::Int8));
    let records: Vec<_> = data.valid.iter().map(|e| e.record.clone()).collect();
    let predictions = classifier.predict(&records, &ScoreOptions { batch_size: 3, threshold: None })?;
    for (i, (p, expected)) in predictions.iter().zip(&outcome.valid_scores).enumerate() {
        let p = p.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
        assert!((p.score - expected).abs() < 1e-5, "record {i}: {} after loading, {expected} in training", p.score);
    }
    // Same weights, so only validation scored at int8 can move the fitted temperature (this set's scores sit too
    // close to 0 and 1 for the two precisions' probabilities to tell apart).
    assert_ne!(settings["temperature"], plain["temperature"], "the calibration must have run at int8, not fp32");
    Ok(())
}

#[test]
fn the_lexical_model_alone_separates_the_tiny_set_and_can_be_turned_off() -> anyhow::Result<()> {
    let data = common::separable_data();
    let render = lurescan::RenderConfig::default();
    let model = lurescan_train::lexical::train_lexical(&data.train, &render, 1e-4, 7)?;
    let margins: Vec<f32> = data.valid.iter().map(|e| model.margin(&e.record, &render)).collect();
    let lowest_lure =
        data.valid.iter().zip(&margins).filter(|(e, _)| e.label == 1).map(|(_, &m)| m).fold(f32::INFINITY, f32::min);
    let highest_legit = data
        .valid
        .iter()
        .zip(&margins)
        .filter(|(e, _)| e.label == 0)
        .map(|(_, &m)| m)
        .fold(f32::NEG_INFINITY, f32::max);
    assert!(lowest_lure > highest_legit, "lures from {lowest_lure}, legitimate up to {highest_legit}");

    let dir = tempfile::tempdir()?;
    let out = dir.path().join("model");
    let config = lurescan_train::TrainConfig { lexical: false, ..common::tiny_epochs(2) };
    train(&config, &data, &out, &RunOptions::default())?;
    assert!(!out.join("lexical.safetensors").exists());
    let settings: serde_json::Value = serde_json::from_slice(&fs::read(out.join("lurescan.json"))?)?;
    assert!(settings.get("ensemble").is_none(), "{settings}");
    assert!(Classifier::load(&out)?.lexical().is_none());
    Ok(())
}

#[test]
fn messages_get_the_lowest_threshold_within_the_false_positive_budget() {
    use lurescan::{Field, Record};
    use lurescan_train::data::Example;
    let example =
        |record: Record, label: u8| Example { record, label, source: None, group: None, subset: None, line: 0 };
    // 400 non-lure messages scored 0.000..0.399, 4 lure messages, 50 postings that must not count.
    let mut valid = Vec::new();
    let mut scores = Vec::new();
    for i in 0..400 {
        valid.push(example(Record::from_text(format!("message {i}")), 0));
        scores.push(i as f32 / 1000.0);
    }
    for (i, s) in [0.5f32, 0.398, 0.3, 0.01].iter().enumerate() {
        valid.push(example(Record::from_text(format!("lure {i}")), 1));
        scores.push(*s);
    }
    for i in 0..50 {
        valid.push(example(Record::default().with(Field::Title, format!("posting {i}")), 0));
        scores.push(0.9);
    }
    // 0.5% of 400 = 2 false positives allowed: the threshold falls between the 2nd and 3rd highest (0.398, 0.397).
    let t = lurescan_train::fit::message_threshold(&valid, &scores, 0.6, 0.005).unwrap();
    assert!(t > 0.397 && t <= 0.398, "{t}");
    // Never above the main threshold.
    assert_eq!(lurescan_train::fit::message_threshold(&valid, &scores, 0.2, 0.005), Some(0.2));
    // Fewer than 200 non-lure messages (199): no message threshold.
    assert_eq!(lurescan_train::fit::message_threshold(&valid[201..], &scores[201..], 0.6, 0.005), None);
}

/// Validation-only records in other words than the training ones, so that a refit has something to learn.
fn split_with_new_validation_words() -> lurescan_train::TrainData {
    let mut valid = common::separable();
    for (i, (text, label)) in [
        ("crypto wallet recharge commission vip tasks", 1u8),
        ("deposit usdt unlock commission order tasks", 1),
        ("botanist cataloguing alpine herbarium specimens", 0),
        ("archivist digitising parish registers", 0),
    ]
    .into_iter()
    .enumerate()
    {
        let mut e = valid[i].clone();
        e.record = lurescan::Record::from_text(text);
        e.label = label;
        valid.push(e);
    }
    lurescan_train::TrainData { train: common::separable(), valid, sources: Vec::new() }
}

fn tensors(path: &std::path::Path) -> anyhow::Result<std::collections::BTreeMap<String, Vec<f32>>> {
    let map = candle_core::safetensors::load(path, &candle_core::Device::Cpu)?;
    map.into_iter().map(|(k, t)| Ok((k, t.flatten_all()?.to_vec1::<f32>()?))).collect()
}

#[test]
fn a_refit_keeps_the_validation_choices_and_trains_on_train_plus_valid() -> anyhow::Result<()> {
    use lurescan_train::{Refit, TrainConfig};
    let dir = tempfile::tempdir()?;
    let data = split_with_new_validation_words();
    // Start from a trained folder, so that the refit and a plain run on train + valid share tokenizer and weights.
    let init = dir.path().join("init");
    train(&common::tiny_epochs(2), &common::separable_data(), &init, &RunOptions::default())?;
    let config = TrainConfig { init: Some(init), ..common::tiny_epochs(6) };
    let run = |name: &str, refit: Refit| -> anyhow::Result<(std::path::PathBuf, serde_json::Value, usize)> {
        let out = dir.path().join(name);
        let outcome = train(&TrainConfig { refit, ..config.clone() }, &data, &out, &RunOptions::default())?;
        let settings: serde_json::Value = serde_json::from_slice(&fs::read(out.join("lurescan.json"))?)?;
        Ok((out, settings, outcome.best_epoch))
    };
    let (none, none_settings, best_epoch) = run("none", Refit::None)?;
    // (A best epoch before the last leaves a checkpoint of it in the plain run below.)
    assert!(
        best_epoch < config.optim.epochs,
        "best epoch {best_epoch}: this test needs one before the last; change the seed"
    );
    let (lexical, lexical_settings, _) = run("lexical", Refit::Lexical)?;
    let (all, all_settings, _) = run("all", Refit::All)?;

    // Validation chose the same threshold, temperature and ensemble weights for all three.
    for key in ["threshold", "temperature", "ensemble", "message_threshold"] {
        assert_eq!(none_settings[key], lexical_settings[key], "{key}");
        assert_eq!(none_settings[key], all_settings[key], "{key}");
    }
    assert_eq!(all_settings["training"]["flags"]["refit"], "all");

    // The lexical refit is the lexical model of train + valid, and the BERT is left alone.
    let render = lurescan::RenderConfig::default();
    let merged: Vec<_> = data.train.iter().chain(&data.valid).cloned().collect();
    let expected = lurescan_train::lexical::train_lexical(&merged, &render, config.lexical_l2, config.seed)?;
    let refitted = lurescan::lexical::LexicalModel::load(&lexical.join("lexical.safetensors"))?;
    let before = lurescan::lexical::LexicalModel::load(&none.join("lexical.safetensors"))?;
    for e in &data.valid {
        assert_eq!(refitted.margin(&e.record, &render), expected.margin(&e.record, &render));
    }
    let new_lure = &data.valid[data.valid.len() - 4].record;
    assert!(
        refitted.margin(new_lure, &render) > before.margin(new_lure, &render) + 0.1,
        "the refit did not learn a validation-only lure: {} vs {}",
        refitted.margin(new_lure, &render),
        before.margin(new_lure, &render)
    );
    assert_eq!(tensors(&lexical.join("model.safetensors"))?, tensors(&none.join("model.safetensors"))?);

    // The BERT refit is the best epoch count of a plain run on train + valid (same init, seed and schedule).
    let plain = dir.path().join("plain");
    let merged_data = lurescan_train::TrainData { train: merged, valid: data.valid.clone(), sources: Vec::new() };
    let stop = RunOptions { stop_after_epochs: Some(best_epoch), ..Default::default() };
    let stopped = train(&config, &merged_data, &plain, &stop)?;
    assert!(!stopped.finished);
    let after_best_epoch = tensors(&dir.path().join("plain.partial/checkpoint/weights.safetensors"))?;
    assert_eq!(tensors(&all.join("model.safetensors"))?, after_best_epoch);
    assert_ne!(tensors(&all.join("model.safetensors"))?, tensors(&none.join("model.safetensors"))?);
    Ok(())
}

#[test]
fn the_main_threshold_is_chosen_on_postings_when_messages_have_their_own() {
    use lurescan::{Field, Record};
    use lurescan_train::data::Example;
    use lurescan_train::fit::main_threshold;
    use lurescan_train::metrics::ThresholdRule;
    let example =
        |record: Record, label: u8| Example { record, label, source: None, group: None, subset: None, line: 0 };
    let (mut valid, mut scores) = (Vec::new(), Vec::new());
    for i in 0..300 {
        valid.push(example(Record::from_text(format!("message {i}")), 0));
        scores.push(i as f32 / 1000.0);
    }
    for i in 0..2 {
        valid.push(example(Record::from_text(format!("lure message {i}")), 1));
        scores.push(0.05);
    }
    for (i, label) in (0..20).map(|i| (i, (i % 2) as u8)) {
        valid.push(example(Record::default().with(Field::Title, format!("posting {i}")), label));
        scores.push(if label == 1 { 0.9 } else { 0.1 });
    }
    // Postings alone are separable: best F1 1, threshold 0.5. With the messages, the best F1 is 20/22.
    assert_eq!(main_threshold(&valid, &scores, ThresholdRule::HalfBestF1, true), 0.5);
    let with_messages = main_threshold(&valid, &scores, ThresholdRule::HalfBestF1, false);
    assert!((with_messages - 10.0 / 22.0).abs() < 1e-6, "{with_messages}");
    // Too few non-lure messages (199) for a message threshold: they count for the main one.
    let few = &valid[101..];
    let few_scores = &scores[101..];
    assert!(main_threshold(few, few_scores, ThresholdRule::HalfBestF1, true) < 0.5);
}

#[test]
fn training_with_exemplars_fits_their_weight_and_writes_them_with_a_cache_that_loads() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let exemplars = dir.path().join("exemplars.jsonl");
    fs::write(
        &exemplars,
        concat!(
            r#"{"typology": "compound_recruitment", "lang": "en", "text": "work abroad with free visa and flight, high salary, no experience", "label": "lure"}"#,
            "\n",
            r#"{"typology": "upfront_fee", "lang": "en", "text": "send the registration fee today to secure your job overseas", "label": "lure"}"#,
            "\n",
            r#"{"typology": "legit_posting", "lang": "en", "text": "engineer to join our team in the office, apply on our careers page", "label": "benign"}"#,
            "\n",
            r#"{"typology": "legit_posting", "lang": "en", "text": "teacher for a school, two years of experience required", "label": "benign"}"#,
            "\n"
        ),
    )?;
    let out = dir.path().join("model");
    let data = common::separable_data();
    let config = lurescan_train::TrainConfig {
        exemplars: Some(exemplars.clone()),
        exemplar_common_directions: Some(4),
        ..common::tiny_epochs(3)
    };
    let outcome = train(&config, &data, &out, &RunOptions::default())?;

    let settings: serde_json::Value = serde_json::from_slice(&fs::read(out.join("lurescan.json"))?)?;
    let weight = settings["ensemble"]["exemplar"].as_f64().expect("an exemplar weight");
    assert!(weight.is_finite(), "{settings}");
    assert_eq!(settings["exemplars"]["k"], 3);
    // Asked for, what the embeddings share is stored with the folder: the mean and the 4 strongest directions.
    let hidden: serde_json::Value = serde_json::from_slice(&fs::read(out.join("config.json"))?)?;
    let common = &settings["exemplars"]["common"];
    assert_eq!(common["mean"].as_array().map(Vec::len), hidden["hidden_size"].as_u64().map(|h| h as usize));
    assert_eq!(common["directions"].as_array().map(Vec::len), Some(4), "{common}");
    assert_eq!(fs::read_to_string(out.join("exemplars.jsonl"))?.lines().count(), 4);
    assert!(out.join("exemplars.safetensors").is_file());
    assert!(fs::read_to_string(out.join("README.md"))?.contains("Exemplars (`exemplars.jsonl`"));

    // The folder scores as training did, with the exemplar margin, from the cached embeddings.
    let classifier = Classifier::load(&out)?;
    let records: Vec<_> = data.valid.iter().map(|e| e.record.clone()).collect();
    let predictions = classifier.predict(&records, &ScoreOptions { batch_size: 3, threshold: None })?;
    for (i, (p, expected)) in predictions.iter().zip(&outcome.valid_scores).enumerate() {
        let p = p.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
        assert!((p.score - expected).abs() < 1e-5, "record {i}: {} after loading, {expected} in training", p.score);
    }
    // Removing the cache changes nothing but the load time: the embeddings are computed again, the same.
    fs::remove_file(out.join("exemplars.safetensors"))?;
    let uncached = Classifier::load(&out)?;
    for i in 0..4 {
        assert_eq!(uncached.exemplars().unwrap().embedding(i), classifier.exemplars().unwrap().embedding(i));
    }
    let again = uncached.predict(&records, &ScoreOptions { batch_size: 3, threshold: None })?;
    for (i, (p, expected)) in again.iter().zip(&outcome.valid_scores).enumerate() {
        let p = p.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
        assert!((p.score - expected).abs() < 1e-5, "record {i}: {} without the cache, {expected} in training", p.score);
    }

    // Without the lexical member there is no ensemble to join: refused before any work.
    let no_lexical = lurescan_train::TrainConfig { lexical: false, ..config };
    let err = train(&no_lexical, &data, &dir.path().join("other"), &RunOptions::default()).unwrap_err().to_string();
    assert!(err.contains("--exemplars needs the lexical member"), "{err}");
    Ok(())
}

#[test]
fn cross_fitting_message_sources_gives_messages_their_own_weights() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("model");
    // The separable set's messages are one source and its postings another, in training and validation alike.
    let data = common::separable_data();
    let config = lurescan_train::TrainConfig { cross_fit_message_sources: true, ..common::tiny_epochs(3) };
    let outcome = train(&config, &data, &out, &RunOptions::default())?;

    let settings: serde_json::Value = serde_json::from_slice(&fs::read(out.join("lurescan.json"))?)?;
    let (ensemble, messages) = (&settings["ensemble"], &settings["message_ensemble"]);
    assert!(messages["lexical"].is_number(), "{settings}");
    // The messages' lexical margins came from a member trained on the postings alone: other margins, other weights.
    assert_ne!(ensemble, messages, "{settings}");
    assert!(fs::read_to_string(out.join("README.md"))?.contains("Messages have weights of their own"));

    // Postings score as in training; messages by their own weights, with the margins of the full lexical member.
    let classifier = Classifier::load(&out)?;
    let records: Vec<_> = data.valid.iter().map(|e| e.record.clone()).collect();
    let predictions = classifier.predict(&records, &ScoreOptions { batch_size: 3, threshold: None })?;
    let lexical = classifier.lexical().expect("a lexical member");
    let weights: lurescan::EnsembleConfig = serde_json::from_value(messages.clone())?;
    for (i, (p, record)) in predictions.iter().zip(&records).enumerate() {
        let score = p.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?.score;
        if record.is_message() {
            let ids = classifier.encode(record)?.unwrap();
            let logits = classifier.logits_for_ids(&[ids])?.to_vec2::<f32>()?.remove(0);
            let expected = weights.probability(
                logits[1] - logits[0],
                classifier.settings().temperature,
                lexical.margin(record, &classifier.settings().render),
            );
            assert!((score - expected).abs() < 1e-5, "message {i}: {score} vs {expected}");
        } else {
            let expected = outcome.valid_scores[i];
            assert!((score - expected).abs() < 1e-5, "posting {i}: {score} after loading, {expected} in training");
        }
    }
    Ok(())
}

#[test]
fn the_indicator_member_gets_a_fitted_weight_and_scores_as_in_training() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("model");
    let data = common::separable_data();
    let counts: Vec<usize> =
        data.valid.iter().map(|e| lurescan::explain::Catalogue::builtin().category_count(&e.record)).collect();
    assert!(counts.iter().any(|&c| c > 0) && counts.contains(&0), "the set has records with and without flags");
    let config = lurescan_train::TrainConfig { indicator_member: true, ..common::tiny_epochs(3) };
    let outcome = train(&config, &data, &out, &RunOptions::default())?;

    let settings: serde_json::Value = serde_json::from_slice(&fs::read(out.join("lurescan.json"))?)?;
    let weight = settings["ensemble"]["indicators"].as_f64().expect("an indicator weight");
    // The lures' flags (messaging apps, easy pay) and none on the legitimate records: the fit gives them weight.
    assert!(weight > 0.0, "{settings}");
    let card = fs::read_to_string(out.join("README.md"))?;
    assert!(card.contains("- Indicators: each distinct category"), "{card}");

    // The folder scores every record as training's fit did, the indicator term included.
    let classifier = Classifier::load(&out)?;
    let records: Vec<_> = data.valid.iter().map(|e| e.record.clone()).collect();
    let predictions = classifier.predict(&records, &ScoreOptions { batch_size: 3, threshold: None })?;
    for (i, p) in predictions.iter().enumerate() {
        let score = p.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?.score;
        let expected = outcome.valid_scores[i];
        assert!((score - expected).abs() < 1e-5, "record {i}: {score} after loading, {expected} in training");
    }
    Ok(())
}

#[test]
fn an_uncounted_indicator_category_is_left_out_alike_in_training_and_in_the_folder() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("model");
    let data = common::separable_data();
    let catalogue = lurescan::explain::Catalogue::builtin();
    // A category whose leaving out changes the capped count of some validation records.
    let cap = lurescan::INDICATOR_CATEGORY_CAP;
    let changes = |category: &String| {
        let uncounted = [category.clone()];
        data.valid.iter().any(|e| {
            catalogue.counted_categories(&e.record, &uncounted).min(cap) < catalogue.category_count(&e.record).min(cap)
        })
    };
    let shown = data.valid.iter().flat_map(|e| catalogue.scan(&e.record)).map(|f| f.category).find(changes);
    let uncounted = vec![shown.expect("a category that changes some record's count")];
    let config = lurescan_train::TrainConfig {
        indicator_member: true,
        uncounted_indicator_categories: uncounted.clone(),
        ..common::tiny_epochs(3)
    };
    let outcome = train(&config, &data, &out, &RunOptions::default())?;
    let settings: lurescan::Settings = serde_json::from_slice(&fs::read(out.join("lurescan.json"))?)?;
    assert_eq!(settings.uncounted_indicator_categories, uncounted);
    let card = fs::read_to_string(out.join("README.md"))?;
    assert!(card.contains(&format!("Not counted, though still shown among the flags: `{}`.", uncounted[0])), "{card}");

    // The folder scores as training fitted it ...
    let records: Vec<_> = data.valid.iter().map(|e| e.record.clone()).collect();
    let options = ScoreOptions { batch_size: 3, threshold: None };
    let scores = |dir: &std::path::Path| -> anyhow::Result<Vec<f32>> {
        let predictions = Classifier::load(dir)?.predict(&records, &options)?;
        predictions.into_iter().map(|p| Ok(p.map_err(|e| anyhow::anyhow!("{e}"))?.score)).collect()
    };
    let written = scores(&out)?;
    for (i, (score, expected)) in written.iter().zip(&outcome.valid_scores).enumerate() {
        assert!((score - expected).abs() < 1e-5, "record {i}: {score} after loading, {expected} in training");
    }
    // ... and leaves the category out. The fitted weight is small on a separable set, so both copies below get a
    // weight of -2 (away from 1, where float32 probabilities are coarse): the copy that counts every category differs
    // on each record by -2 times the categories it no longer leaves out.
    let copy = |name: &str, uncounted: Vec<String>| -> anyhow::Result<std::path::PathBuf> {
        let to = dir.path().join(name);
        fs::create_dir(&to)?;
        for entry in fs::read_dir(&out)? {
            let entry = entry?;
            fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
        let weighted = |e: lurescan::EnsembleConfig| lurescan::EnsembleConfig { indicators: Some(-2.0), ..e };
        let changed = lurescan::Settings {
            ensemble: settings.ensemble.map(weighted),
            message_ensemble: settings.message_ensemble.map(weighted),
            uncounted_indicator_categories: uncounted,
            ..settings.clone()
        };
        fs::write(to.join("lurescan.json"), serde_json::to_vec(&changed)?)?;
        Ok(to)
    };
    let leaving_out = scores(&copy("leaving-out", uncounted.clone())?)?;
    let counting = scores(&copy("counting", Vec::new())?)?;
    let logit = |p: f32| (p as f64 / (1.0 - p as f64)).ln();
    let mut differed = 0;
    for (i, (with, without)) in leaving_out.iter().zip(&counting).enumerate() {
        let record = &records[i];
        let left_out =
            catalogue.category_count(record).min(cap) - catalogue.counted_categories(record, &uncounted).min(cap);
        let expected = -2.0 * left_out as f64;
        assert!((logit(*without) - logit(*with) - expected).abs() < 0.05, "record {i}: {with} and {without}");
        differed += usize::from(left_out > 0);
    }
    assert!(differed > 0, "no record's score depended on the category");

    let unknown =
        lurescan_train::TrainConfig { uncounted_indicator_categories: vec!["contacts".into()], ..config.clone() };
    let message = unknown.validate().unwrap_err().to_string();
    assert!(message.contains("\"contacts\"") && message.contains("contact, "), "{message}");
    Ok(())
}

#[test]
fn the_warning_and_decisive_priors_are_written_to_the_folder_and_move_only_the_records_they_are_for(
) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("model");
    let data = common::separable_data();
    let config = lurescan_train::TrainConfig {
        indicator_member: true,
        warning_log_odds: Some(-2.5),
        decisive_log_odds: Some(3.5),
        ..common::tiny_epochs(3)
    };
    let outcome = train(&config, &data, &out, &RunOptions::default())?;
    let settings: lurescan::Settings = serde_json::from_slice(&fs::read(out.join("lurescan.json"))?)?;
    assert!(settings.ensembles().count() > 0, "{settings:?}");
    for ensemble in settings.ensembles() {
        assert_eq!((ensemble.warning, ensemble.decisive), (Some(-2.5), Some(3.5)), "{settings:?}");
    }
    let card = fs::read_to_string(out.join("README.md"))?;
    assert!(card.contains("counts no indicator category and adds -2.50 to the log-odds"), "{card}");
    assert!(card.contains("`money_mule_account`") && card.contains("adds +3.50 to the log-odds"), "{card}");

    // The folder scores validation as training did.
    let records: Vec<_> = data.valid.iter().map(|e| e.record.clone()).collect();
    let options = ScoreOptions { batch_size: 3, threshold: None };
    let classifier = Classifier::load(&out)?;
    for (i, p) in classifier.predict(&records, &options)?.iter().enumerate() {
        let score = p.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?.score;
        assert!((score - outcome.valid_scores[i]).abs() < 1e-5, "record {i}: {score} vs {}", outcome.valid_scores[i]);
    }

    // A police notice quoting a lure gets the warning prior and no category; a money-mule offer gets the decisive
    // prior; a lure with no decisive sign gets neither; a notice quoting a decisive sign gets only the warning's.
    let lure =
        lurescan::Record::from_text("Customer service job in Cambodia, free flight and housing, contact the recruiter");
    let notice = lurescan::Record::from_text(
        "Police advisory: beware of scams that say 'customer service job in Cambodia, free flight and housing'.",
    );
    let mule = lurescan::Record::from_text("Part-time job: rent your bank account to our company, 2000 a month.");
    let quoted = lurescan::Record::from_text(
        "Police advisory: scammers offer a part-time job to rent your bank account to their company. Report them.",
    );
    let without = dir.path().join("without");
    fs::create_dir(&without)?;
    for entry in fs::read_dir(&out)? {
        let entry = entry?;
        fs::copy(entry.path(), without.join(entry.file_name()))?;
    }
    let unset = |e: lurescan::EnsembleConfig| lurescan::EnsembleConfig { warning: None, decisive: None, ..e };
    let changed = lurescan::Settings {
        ensemble: settings.ensemble.map(unset),
        message_ensemble: settings.message_ensemble.map(unset),
        ..settings.clone()
    };
    fs::write(without.join("lurescan.json"), serde_json::to_vec(&changed)?)?;
    let records = [lure, notice, mule, quoted];
    let with_prior = classifier.predict(&records, &options)?;
    let without_prior = Classifier::load(&without)?.predict(&records, &options)?;
    let logit = |p: &Result<lurescan::Prediction, lurescan::RecordError>| {
        let p = p.as_ref().unwrap().score as f64;
        (p / (1.0 - p)).ln()
    };
    let moved = |i: usize| logit(&with_prior[i]) - logit(&without_prior[i]);
    assert!(moved(0).abs() < 1e-3, "the lure does not move: {}", moved(0));
    assert!((moved(1) + 2.5).abs() < 0.05, "the notice moves by the warning prior: {}", moved(1));
    // At least by the decisive prior: more when that leaves it under 0.9 (or the threshold, when higher), which it
    // then scores.
    let mule = with_prior[2].as_ref().unwrap();
    let floor = lurescan::DECISIVE_SCORE.max(classifier.settings().threshold_for(&records[2]));
    assert!(moved(2) > 3.45, "the money-mule offer moves by the decisive prior: {}", moved(2));
    assert!(
        (moved(2) - 3.5).abs() < 0.05 || (mule.score - floor).abs() < 1e-3,
        "the money-mule offer moves by the decisive prior, or to its floor {floor}: {} ({mule:?})",
        moved(2)
    );
    assert_eq!(mule.label, lurescan::Label::Lure, "a decisive sign is evidence enough: {mule:?}");
    assert!((moved(3) + 2.5).abs() < 0.05, "the notice quoting it, by the warning prior alone: {}", moved(3));

    let bad = lurescan_train::TrainConfig { warning_log_odds: Some(f32::NAN), ..config.clone() };
    assert!(bad.validate().unwrap_err().to_string().contains("warning_log_odds"));
    let bad = lurescan_train::TrainConfig { decisive_log_odds: Some(f32::INFINITY), ..config };
    assert!(bad.validate().unwrap_err().to_string().contains("decisive_log_odds"));
    Ok(())
}

#[test]
fn a_config_turns_deobfuscation_and_the_traditional_fold_on_for_a_fine_tuned_folder_which_keeps_the_rest_of_its_rendering(
) -> anyhow::Result<()> {
    use lurescan_train::TrainConfig;
    let dir = tempfile::tempdir()?;
    let init = dir.path().join("init");
    let render = lurescan::RenderConfig { max_chars_per_field: 77, ..lurescan::RenderConfig::default() };
    train(&TrainConfig { render, ..common::tiny_epochs(1) }, &common::separable_data(), &init, &RunOptions::default())?;
    let settings = |dir: &std::path::Path| -> anyhow::Result<lurescan::Settings> {
        Ok(serde_json::from_slice(&fs::read(dir.join("lurescan.json"))?)?)
    };
    assert!(!settings(&init)?.render.deobfuscate && !settings(&init)?.render.fold_traditional);

    let out = dir.path().join("tuned");
    // The config's other render values are not the folder's, and are ignored: its tokenizer was made for its own.
    let mut config = TrainConfig { init: Some(init.clone()), ..common::tiny_epochs(1) };
    config.render.deobfuscate = true;
    config.render.fold_traditional = true;
    train(&config, &common::separable_data(), &out, &RunOptions::default())?;
    let tuned = settings(&out)?.render;
    assert_eq!(tuned, lurescan::RenderConfig { deobfuscate: true, fold_traditional: true, ..settings(&init)?.render });
    let card = fs::read_to_string(out.join("README.md"))?;
    assert!(card.contains("disguised spellings read as plain words"), "{card}");
    assert!(card.contains("Traditional Chinese read as Simplified"), "{card}");
    Ok(())
}

#[test]
fn a_fresh_head_is_the_head_a_folder_without_one_gets_and_leaves_the_encoder_as_it_was() -> anyhow::Result<()> {
    use lurescan_train::TrainConfig;
    let dir = tempfile::tempdir()?;
    let init = dir.path().join("init");
    train(&common::tiny_epochs(2), &common::separable_data(), &init, &RunOptions::default())?;
    // The same folder with its pooler and classifier taken out, as an encoder from `pretrain` would come.
    let headless = dir.path().join("headless");
    fs::create_dir(&headless)?;
    for entry in fs::read_dir(&init)? {
        let entry = entry?;
        fs::copy(entry.path(), headless.join(entry.file_name()))?;
    }
    let mut weights = candle_core::safetensors::load(init.join("model.safetensors"), &candle_core::Device::Cpu)?;
    let before = weights.len();
    weights.retain(|name, _| !name.starts_with("bert.pooler.") && !name.starts_with("classifier."));
    assert_eq!(before - weights.len(), 4, "pooler and classifier weights and biases");
    candle_core::safetensors::save(&weights, headless.join("model.safetensors"))?;

    let run = |name: &str, from: &std::path::Path, fresh_head: bool| -> anyhow::Result<_> {
        let out = dir.path().join(name);
        let config = TrainConfig { init: Some(from.to_path_buf()), fresh_head, seed: 7, ..common::tiny_epochs(1) };
        train(&config, &common::separable_data(), &out, &RunOptions::default())?;
        tensors(&out.join("model.safetensors"))
    };
    let fresh = run("fresh", &init, true)?;
    assert_eq!(fresh, run("from-headless", &headless, false)?, "--fresh-head is the head a headless folder gets");
    let kept = run("kept", &init, false)?;
    assert_ne!(fresh["classifier.weight"], kept["classifier.weight"], "without it the folder's head is fine-tuned");

    let no_init = TrainConfig { fresh_head: true, ..common::tiny_epochs(1) };
    assert!(no_init.validate().unwrap_err().to_string().contains("--init"));
    Ok(())
}
