//! `lurescan train` and `lurescan eval` end to end, and a trained folder scoring through `lurescan score` with the
//! probabilities training ended with.

mod common;

use common::{lurescan, rows, tiny_model};
use lurescan_train::data::load;
use lurescan_train::{train, ModelShape, OptimConfig, RunOptions, TrainConfig, TrainData};
use std::fs;
use std::path::Path;

const LURES: [&str; 6] = [
    "earn 500 a day from home contact telegram now",
    "part time job easy money contact whatsapp today",
    "work abroad high salary passport free contact telegram",
    "daily pay task job like videos earn fast telegram",
    "easy online job earn 800 a day whatsapp",
    "urgent hiring abroad free visa contact telegram agent",
];
const LEGIT: [&str; 6] = [
    "senior accountant in boston reporting to the finance director",
    "software engineer to build our payments platform in berlin",
    "registered nurse for the night shift at the city hospital",
    "warehouse associate forklift licence required monday to friday",
    "data analyst with sql experience to join our research team",
    "teacher of mathematics for a secondary school in leeds",
];

/// A labelled JSONL file with two sources.
fn write_data(path: &Path) {
    let mut out = String::new();
    for (label, texts) in [("lure", LURES), ("legitimate", LEGIT)] {
        for (i, t) in texts.iter().enumerate() {
            let source = if i % 2 == 0 { "sms" } else { "ads" };
            out.push_str(&serde_json::json!({"text": t, "label": label, "source": source}).to_string());
            out.push('\n');
        }
    }
    fs::write(path, out).unwrap();
}

const TINY: [&str; 22] = [
    "--epochs",
    "25",
    "--batch-size",
    "4",
    "--lr",
    "5e-3",
    "--max-len",
    "24",
    "--hidden-size",
    "32",
    "--layers",
    "1",
    "--heads",
    "2",
    "--vocab-size",
    "320",
    "--patience",
    "0",
    "--seed",
    "3",
    "--threads",
    "1",
];

#[test]
fn train_then_eval_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("train.jsonl");
    write_data(&data);
    let out = dir.path().join("model");
    let (d, o) = (data.to_str().unwrap(), out.to_str().unwrap());
    let mut args = vec!["train", "--data", d, "--valid", d, "--out", o, "--no-augment", "-q", "--fold-traditional"];
    args.extend(TINY);
    let run = lurescan(&args, None);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("validation:") && stdout.contains("sms"), "{stdout}");
    // The same file as training and validation data: said, even with -q.
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("warning: 12 of the 12 validation records are also training records"), "{stderr}");
    for name in ["config.json", "model.safetensors", "tokenizer.json", "lurescan.json", "README.md"] {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    let settings: serde_json::Value = serde_json::from_slice(&fs::read(out.join("lurescan.json")).unwrap()).unwrap();
    assert_eq!(settings["training"]["data"][0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(settings["render"]["fold_traditional"], true, "--fold-traditional is kept for scoring: {settings}");
    assert_eq!(settings["render"]["deobfuscate"], false, "{settings}");

    let eval = lurescan(&["eval", "--model", o, "--data", d, "--json"], None);
    assert!(eval.status.success(), "{}", String::from_utf8_lossy(&eval.stderr));
    let report = &rows(&eval)[0];
    for key in ["n", "pr_auc", "roc_auc", "precision", "recall", "f1", "threshold"] {
        assert!(report.get(key).is_some(), "{key} missing from {report}");
    }
    assert_eq!(report["n"], 12);
    assert_eq!(report["pr_auc"], 1.0, "{report}");
    assert_eq!(report["by_source"]["sms"]["n"], 6);
    assert_eq!(report["skipped"], 0, "{report}");
    let table = lurescan(&["eval", "--model", o, "--data", d], None);
    assert!(String::from_utf8_lossy(&table.stdout).contains("PR-AUC"));
    // Evaluating on the training file is said; so is evaluating on its records by another way in.
    let stderr = String::from_utf8_lossy(&table.stderr);
    assert!(stderr.contains("warning: ") && stderr.contains("is the model's training data"), "{stderr}");
    let copy = dir.path().join("copy.jsonl");
    let mut text = fs::read_to_string(d).unwrap();
    text.push_str(&serde_json::json!({"text": "a florist for our shop in york", "label": 0}).to_string());
    fs::write(&copy, text).unwrap();
    let table = lurescan(&["eval", "--model", o, "--data", copy.to_str().unwrap()], None);
    let stderr = String::from_utf8_lossy(&table.stderr);
    assert!(stderr.contains("12 of the 13 evaluation records have the text of a record the model"), "{stderr}");
    let fresh = dir.path().join("fresh.jsonl");
    fs::write(&fresh, "{\"text\": \"a florist for our shop in york\", \"label\": 0}\n").unwrap();
    let table = lurescan(&["eval", "--model", o, "--data", fresh.to_str().unwrap()], None);
    assert!(table.status.success(), "{}", String::from_utf8_lossy(&table.stderr));
    assert!(!String::from_utf8_lossy(&table.stderr).contains("warning"), "{}", String::from_utf8_lossy(&table.stderr));

    // `--data -` reads stdin: JSONL, or CSV with -f csv; the same records give the same report as the file.
    let piped = lurescan(&["eval", "--model", o, "--data", "-", "--json"], Some(&fs::read(d).unwrap()));
    assert!(piped.status.success(), "{}", String::from_utf8_lossy(&piped.stderr));
    assert_eq!(&rows(&piped)[0], report);
    let mut csv = String::from("text,label,source\n");
    for line in fs::read_to_string(d).unwrap().lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        csv.push_str(&format!(
            "{},{},{}\n",
            row["text"].as_str().unwrap(),
            row["label"].as_str().unwrap(),
            row["source"].as_str().unwrap()
        ));
    }
    let piped = lurescan(&["eval", "--model", o, "--data", "-", "-f", "csv", "--json"], Some(csv.as_bytes()));
    assert!(piped.status.success(), "{}", String::from_utf8_lossy(&piped.stderr));
    assert_eq!(&rows(&piped)[0], report);
    // A CSV file without the extension is read as one with -f csv; without it, its type is asked for.
    let unnamed = dir.path().join("labelled.dat");
    fs::write(&unnamed, &csv).unwrap();
    let named = lurescan(&["eval", "--model", o, "--data", unnamed.to_str().unwrap(), "-f", "csv", "--json"], None);
    assert_eq!(&rows(&named)[0], report);
    let unknown = lurescan(&["eval", "--model", o, "--data", unnamed.to_str().unwrap()], None);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown file type"));

    // With --skip-bad the answer says how many rows it left out.
    let bad = dir.path().join("with-bad.jsonl");
    let mut text = fs::read_to_string(d).unwrap();
    text.push_str("{\"text\": \"no label here\"}\nnot json\n");
    fs::write(&bad, text).unwrap();
    let eval = lurescan(&["eval", "--model", o, "--data", bad.to_str().unwrap(), "--json", "--skip-bad"], None);
    let report = &rows(&eval)[0];
    assert_eq!((report["n"].as_u64(), report["skipped"].as_u64()), (Some(12), Some(2)), "{report}");
    // and which rows, with why.
    let stderr = String::from_utf8_lossy(&eval.stderr);
    assert!(stderr.contains("2 bad rows skipped: line 13: no `label`") && stderr.contains("; line 14: "), "{stderr}");
}

#[test]
fn interrupted_training_resumes_and_bad_rows_name_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("train.jsonl");
    write_data(&data);
    let (d, whole, resumed) = (data.to_str().unwrap(), dir.path().join("whole"), dir.path().join("resumed"));
    let train_to = |out: &Path, extra: &[&str]| {
        let mut args = vec!["train", "--data", d, "--valid", d, "--out", out.to_str().unwrap(), "--epochs", "3"];
        args.extend(&TINY[2..]);
        args.extend(extra);
        let run = lurescan(&args, None);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        String::from_utf8_lossy(&run.stderr).into_owned()
    };
    // --resume with nothing to resume says so and starts from the first epoch.
    let fresh = train_to(&whole, &["--resume"]);
    assert!(fresh.contains("--resume: no checkpoint in") && fresh.contains("epoch 1/3"), "{fresh}");
    train_to(&resumed, &["-q", "--stop-after", "1"]);
    assert!(!resumed.exists());
    let stderr = train_to(&resumed, &["--resume"]);
    assert!(stderr.contains("--resume: continuing after epoch 1") && !stderr.contains("epoch 1/3"), "{stderr}");
    assert!(fs::read(whole.join("model.safetensors")).unwrap() == fs::read(resumed.join("model.safetensors")).unwrap());

    let bad = dir.path().join("bad.csv");
    fs::write(&bad, "text,label\nearn fast,1\nhello,perhaps\n").unwrap();
    let run =
        lurescan(&["train", "--data", bad.to_str().unwrap(), "--out", dir.path().join("x").to_str().unwrap()], None);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("bad.csv:3") && stderr.contains("--skip-bad"), "{stderr}");
}

#[test]
fn bad_values_and_unknown_data_formats_exit_2_like_score() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.jsonl");
    write_data(&data);
    let out = dir.path().join("m");
    let (data, out) = (data.to_str().unwrap(), out.to_str().unwrap());
    for bad in [&["--epochs", "0"][..], &["--hidden-size", "32", "--heads", "3"], &["--lr", "0"]] {
        let run = lurescan(&[&["train", "--data", data, "--out", out][..], bad].concat(), None);
        assert_eq!(run.status.code(), Some(2), "{bad:?}: {}", String::from_utf8_lossy(&run.stderr));
    }
    let run = lurescan(&["pretrain", "--data", data, "--out", out, "--epochs", "0"], None);
    assert_eq!(run.status.code(), Some(2), "{}", String::from_utf8_lossy(&run.stderr));
    // A --config key with a typo, at the top or inside `render`, is named, not ignored.
    let typo = dir.path().join("typo.json");
    fs::write(&typo, r#"{"epochz": 3, "patience": 2, "render": {"deobfuscat": true}, "target_precision": null}"#)
        .unwrap();
    let run = lurescan(&["train", "--data", data, "--out", out, "--config", typo.to_str().unwrap()], None);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("unknown keys `epochz`, `render.deobfuscat`"), "{stderr}");
    let text = dir.path().join("messages.txt");
    fs::write(&text, "hello\n").unwrap();
    let run = lurescan(&["eval", "--data", text.to_str().unwrap(), "--model", tiny_model().to_str().unwrap()], None);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("unknown file type"));
    assert!(!Path::new(out).exists(), "nothing is written on a usage error");
}

#[test]
fn an_out_that_would_delete_something_else_is_refused_before_training() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.jsonl");
    write_data(&data);
    let notes = dir.path().join("notes");
    fs::create_dir(&notes).unwrap();
    fs::write(notes.join("notes.txt"), "precious").unwrap();
    let d = data.to_str().unwrap();
    for (out, why) in [
        (notes.to_str().unwrap(), "is a folder that is not a model folder"),
        (d, "is a file"),
        (dir.path().to_str().unwrap(), "holds the input"),
    ] {
        for command in ["train", "pretrain"] {
            let run = lurescan(&[command, "--data", d, "--out", out, "--epochs", "1", "-q"], None);
            assert_eq!(run.status.code(), Some(2), "{command} --out {out}");
            assert!(String::from_utf8_lossy(&run.stderr).contains(why), "{}", String::from_utf8_lossy(&run.stderr));
        }
    }
    assert_eq!(fs::read_to_string(notes.join("notes.txt")).unwrap(), "precious");
    assert!(fs::read_to_string(&data).unwrap().contains("label"), "the data is untouched");
    let mut left: Vec<String> =
        fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    left.sort();
    assert_eq!(left, ["data.jsonl", "notes"], "no partial or temporary folders are left");

    // A new folder, then the same model folder again, and an empty folder are fine.
    let model = dir.path().join("model");
    for _ in 0..2 {
        let run = lurescan(&["train", "--data", d, "--out", model.to_str().unwrap(), "--epochs", "1", "-q"], None);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    }
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let run = lurescan(&["train", "--data", d, "--out", empty.to_str().unwrap(), "--epochs", "1", "-q"], None);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
}

#[test]
fn a_wrong_init_or_out_is_told_before_the_data_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    fs::write(&file, "precious").unwrap();
    let out = dir.path().join("model");
    let (missing, o) = ("no-such-data.jsonl", out.to_str().unwrap());
    for (init, out, said) in [
        ("base", o, "`base` is the name of a built-in model"),
        ("fast", o, "models/lurescan-fast of a clone"),
        ("no-such-folder", o, "--init no-such-folder: no such folder"),
        (file.to_str().unwrap(), o, "is a file: --init takes a model folder"),
        (dir.path().to_str().unwrap(), o, "has no config.json"),
    ] {
        let run = lurescan(&["train", "--init", init, "--data", missing, "--out", out, "-q"], None);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "--init {init}: {stderr}");
        assert!(stderr.contains(said) && !stderr.contains(missing), "--init {init}: {stderr}");
    }
    let run = lurescan(&["train", "--data", missing, "--out", file.to_str().unwrap(), "-q"], None);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is a file") && !stderr.contains(missing), "{stderr}");
}

#[test]
fn the_thread_count_does_not_change_the_model() {
    // Batches are cut into --shards shards that run in parallel: the weights depend on the shard count only.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("train.jsonl");
    write_data(&data);
    let d = data.to_str().unwrap();
    let train_with = |name: &str, threads: &str, shards: &str| -> Vec<u8> {
        let out = dir.path().join(name);
        let mut args = vec!["train", "--data", d, "--valid", d, "--out", out.to_str().unwrap(), "-q", "--epochs", "3"];
        args.extend(&TINY[2..TINY.len() - 2]);
        args.extend(["--threads", threads, "--shards", shards]);
        let run = lurescan(&args, None);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        fs::read(out.join("model.safetensors")).unwrap()
    };
    let one = train_with("one", "1", "3");
    assert!(one == train_with("two", "2", "3"), "--threads 2 trained other weights than --threads 1");
    assert!(one == train_with("three", "3", "3"), "--threads 3 trained other weights than --threads 1");
    assert!(one != train_with("shards", "1", "2"), "another shard count must change the dropout masks");
}

#[test]
fn a_trained_folder_scores_through_the_binary_as_at_the_end_of_training() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("valid.jsonl");
    write_data(&data);
    let examples = load(&data, false).unwrap().examples;
    let train_data = TrainData { train: examples.clone(), valid: examples, sources: Vec::new() };
    let config = TrainConfig {
        optim: OptimConfig { epochs: 4, batch_size: 4, ..OptimConfig::default() },
        shape: ModelShape {
            max_len: 24,
            hidden_size: 32,
            layers: 1,
            heads: 2,
            vocab_size: 320,
            ..ModelShape::default()
        },
        ..TrainConfig::default()
    };
    let out = dir.path().join("model");
    let outcome = train(&config, &train_data, &out, &RunOptions::default()).unwrap();
    let scored = lurescan(&["score", "--model", out.to_str().unwrap(), "-q", data.to_str().unwrap()], None);
    assert!(scored.status.success(), "{}", String::from_utf8_lossy(&scored.stderr));
    let rows = rows(&scored);
    assert_eq!(rows.len(), outcome.valid_scores.len());
    for (row, expected) in rows.iter().zip(&outcome.valid_scores) {
        let score = row["score"].as_f64().unwrap() as f32;
        // Batching differs (padding only): equal to float rounding.
        assert!((score - expected).abs() < 1e-5, "{row}: training ended with {expected}");
    }
}

#[test]
fn one_class_training_data_is_refused_and_one_class_validation_warns() {
    let dir = tempfile::tempdir().unwrap();
    let legit: String = LEGIT.iter().map(|t| format!("{}\n", serde_json::json!({"text": t, "label": 0}))).collect();
    let oneclass = dir.path().join("oneclass.jsonl");
    fs::write(&oneclass, &legit).unwrap();
    let out = dir.path().join("m3");
    let o = out.to_str().unwrap();
    let run = lurescan(&["train", "--data", oneclass.to_str().unwrap(), "--out", o, "--epochs", "1"], None);
    assert_eq!(run.status.code(), Some(1), "a data problem");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("oneclass.jsonl") && stderr.contains("no lures"), "{stderr}");
    assert!(!out.exists());

    // Validation without lures: training goes on, with a warning (even with -q) and an unfitted threshold.
    let data = dir.path().join("train.jsonl");
    write_data(&data);
    let mut args = vec!["train", "--data", data.to_str().unwrap(), "--valid", oneclass.to_str().unwrap()];
    args.extend(["--out", o, "-q", "--epochs", "2"]);
    args.extend(&TINY[2..]);
    let run = lurescan(&args, None);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("warning:") && stderr.contains("cannot be fitted"), "{stderr}");
    let settings: serde_json::Value = serde_json::from_slice(&fs::read(out.join("lurescan.json")).unwrap()).unwrap();
    assert_eq!(settings["threshold"], 0.5);
    assert!(fs::read_to_string(out.join("README.md")).unwrap().contains("NOT fitted"));

    // A source without lures: recall and F1 are null, as PR-AUC is; shown as "-" in the table.
    let eval = lurescan(&["eval", "--model", o, "--data", oneclass.to_str().unwrap(), "--json"], None);
    assert!(eval.status.success(), "{}", String::from_utf8_lossy(&eval.stderr));
    let report = &rows(&eval)[0];
    for key in ["pr_auc", "recall", "f1"] {
        assert!(report[key].is_null(), "{key} in {report}");
    }
    let table = lurescan(&["eval", "--model", o, "--data", oneclass.to_str().unwrap()], None);
    let table = String::from_utf8_lossy(&table.stdout);
    let all: Vec<&str> = table.lines().find(|l| l.starts_with("all")).unwrap().split_whitespace().collect();
    assert_eq!([all[3], all[6], all[7]], ["-", "-", "-"], "{table}");
}

/// The help paragraph of each `--flag` of `lurescan train --help`, by flag name.
fn help_paragraphs(command: &str) -> std::collections::BTreeMap<String, String> {
    let help = lurescan(&[command, "--help"], None);
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    let options = &help[help.find("Options:").unwrap()..help.find("Examples:").unwrap()];
    let mut out = std::collections::BTreeMap::new();
    let mut current: Option<String> = None;
    for line in options.lines().skip(1) {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if indent <= 6 && (trimmed.starts_with("--") || trimmed.starts_with('-')) && !trimmed.is_empty() {
            let flag = trimmed.split("--").nth(1).unwrap().split([' ', '<']).next().unwrap().to_string();
            // A short help keeps the description on the flag's line, after two or more spaces.
            let same_line = trimmed.split_once("  ").map_or("", |(_, text)| text.trim());
            out.insert(flag.clone(), same_line.to_string());
            current = Some(flag);
        } else if let Some(flag) = &current {
            let text = out.get_mut(flag).unwrap();
            text.push(' ');
            text.push_str(trimmed);
        }
    }
    out
}

#[test]
fn every_train_flag_is_described_and_shows_the_real_default() {
    let paragraphs = help_paragraphs("train");
    assert!(paragraphs.len() > 30, "{paragraphs:?}");
    for (flag, text) in &paragraphs {
        assert!(text.split_whitespace().count() >= 2, "--{flag} has no description: {text:?}");
    }
    // The defaults shown are TrainConfig's own (clap cannot hold them: --config values would lose to them).
    let config = serde_json::to_value(TrainConfig::default()).unwrap();
    let shown = |value: &serde_json::Value| match value {
        serde_json::Value::Number(n) if n.is_f64() => n.as_f64().unwrap().to_string(),
        serde_json::Value::String(s) => s.replace('_', "-"),
        other => other.to_string(),
    };
    let fields = [
        ("epochs", "/epochs"),
        ("batch-size", "/batch_size"),
        ("lr", "/lr"),
        ("seed", "/seed"),
        ("max-len", "/max_len"),
        ("hidden-size", "/hidden_size"),
        ("layers", "/layers"),
        ("heads", "/heads"),
        ("vocab-size", "/vocab_size"),
        ("dropout", "/dropout"),
        ("weight-decay", "/optimizer/weight_decay"),
        ("warmup", "/warmup_ratio"),
        ("decay", "/decay"),
        ("max-grad-norm", "/max_grad_norm"),
        ("class-weights", "/class_weights"),
        ("patience", "/patience"),
        ("valid-fraction", "/valid_fraction"),
        ("threshold-rule", "/threshold_rule"),
        ("shards", "/shards"),
        ("message-fp-budget", "/message_fp_budget"),
        ("refit", "/refit"),
    ];
    for (flag, pointer) in fields {
        let expected = format!("[default: {}]", shown(config.pointer(pointer).unwrap()));
        assert!(paragraphs[flag].contains(&expected), "--{flag}: {:?} lacks {expected}", paragraphs[flag]);
    }
}

#[test]
fn every_pretrain_flag_is_described_and_shows_the_real_default() {
    let paragraphs = help_paragraphs("pretrain");
    assert!(paragraphs.len() > 15, "{paragraphs:?}");
    for (flag, text) in &paragraphs {
        assert!(text.split_whitespace().count() >= 2, "--{flag} has no description: {text:?}");
    }
    let config = serde_json::to_value(lurescan_train::pretrain::PretrainConfig::default()).unwrap();
    for (flag, key) in [
        ("epochs", "epochs"),
        ("batch-size", "batch_size"),
        ("lr", "lr"),
        ("seed", "seed"),
        ("max-len", "max_len"),
        ("hidden-size", "hidden_size"),
        ("layers", "layers"),
        ("heads", "heads"),
        ("vocab-size", "vocab_size"),
        ("dropout", "dropout"),
        ("mask-prob", "mask_prob"),
        ("shards", "shards"),
    ] {
        let value = config[key].to_string();
        let text = &paragraphs[flag];
        assert!(
            text.contains(&format!("[default: {value}]")) || text.contains(&format!("else {value}]")),
            "--{flag}: {text:?} does not show {value}"
        );
    }
}

#[test]
fn an_early_stop_and_a_zero_valid_fraction_are_announced() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("train.jsonl");
    write_data(&data);
    let out = dir.path().join("model");
    let mut args = vec!["train", "--data", data.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend(["--valid-fraction", "0", "--epochs", "30"]);
    args.extend(&TINY[2..TINY.len() - 6]);
    args.extend(["--patience", "1", "--threads", "1"]);
    let run = lurescan(&args, None);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("--valid-fraction 0: still holding out one record"), "{stderr}");
    assert!(!stderr.contains("also training records"), "a held-out share is not training data: {stderr}");
    // Two validation records: PR-AUC can improve once at most, so patience 1 stops well before epoch 30.
    assert!(stderr.contains("stopped early after epoch") && stderr.contains("keeping epoch"), "{stderr}");
    // The default budget asks for the messages' own threshold, which one ordinary validation message cannot fit.
    assert!(stderr.contains("messages get no threshold of their own") && stderr.contains("has 1 ordinary message,"));
    let settings: serde_json::Value = serde_json::from_slice(&fs::read(out.join("lurescan.json")).unwrap()).unwrap();
    assert_eq!(settings["training"]["stopped_early"], true);
    assert_eq!(settings["training"]["valid_records"], 2);
}

#[test]
fn fine_tuning_the_default_model_without_its_recipe_says_what_it_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.jsonl");
    write_data(&data);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let base = repo.join("models/lurescan-base");
    let recipe = repo.join("models/lurescan-base.recipe.json");
    let exemplars = repo.join("datasets/exemplars/exemplars.jsonl");
    let out = dir.path().join("tuned");
    let (d, o, b) = (data.to_str().unwrap(), out.to_str().unwrap(), base.to_str().unwrap());
    // Stopped before the first epoch: what is said before training is what this test reads.
    let bare =
        lurescan(&["train", "--init", b, "--data", d, "--valid", d, "--out", o, "--stop-after", "0", "-q"], None);
    assert!(bare.status.success(), "{}", String::from_utf8_lossy(&bare.stderr));
    let stderr = String::from_utf8_lossy(&bare.stderr);
    assert!(stderr.contains("was trained with a recipe this run does not follow"), "{stderr}");
    for part in ["exemplars", "indicator_member", "freeze", "message_fp_budget"] {
        assert!(stderr.contains(part), "{part}: {stderr}");
    }
    let (r, x) = (recipe.to_str().unwrap(), exemplars.to_str().unwrap());
    let args = ["train", "--init", b, "--config", r, "--exemplars", x, "--data", d, "--valid", d, "--out", o];
    let with_recipe = lurescan(&[&args[..], &["--stop-after", "0", "-q"]].concat(), None);
    assert!(with_recipe.status.success(), "{}", String::from_utf8_lossy(&with_recipe.stderr));
    assert!(!String::from_utf8_lossy(&with_recipe.stderr).contains("recipe"), "the recipe given again: no note");
    // On few records, what a fine-tune refits on them alone is said (unless -q).
    let told = lurescan(&[&args[..], &["--stop-after", "0"]].concat(), None);
    let stderr = String::from_utf8_lossy(&told.stderr);
    assert!(stderr.contains("note: fine-tuning") && stderr.contains("on 12 training records"), "{stderr}");
    assert!(stderr.contains("--exemplars FILE"), "{stderr}");
    assert!(stderr.contains("its encoder and classifier head go on from where they were"), "{stderr}");
    let fresh = lurescan(&[&args[..], &["--fresh-head", "--stop-after", "0"]].concat(), None);
    let stderr = String::from_utf8_lossy(&fresh.stderr);
    assert!(stderr.contains("its classifier head starts anew (--fresh-head)"), "{stderr}");
}
