//! `lurescan pretrain` then `lurescan train --init` on the command line: the encoder folder is written, scoring
//! with it is refused with what to do, and fine-tuning says what it kept and what starts fresh.

mod common;

use common::lurescan;
use std::fs;

const TEXTS: [(&str, &str); 6] = [
    ("earn 500 a day from home contact telegram now", "lure"),
    ("part time job easy money contact whatsapp today", "lure"),
    ("work abroad high salary passport free contact telegram", "lure"),
    ("senior accountant in boston reporting to the finance director", "legitimate"),
    ("registered nurse for the night shift at the city hospital", "legitimate"),
    ("teacher of mathematics for a secondary school in leeds", "legitimate"),
];

const SHAPE: [&str; 12] =
    ["--max-len", "16", "--hidden-size", "16", "--layers", "1", "--heads", "2", "--vocab-size", "320", "--seed", "3"];

#[test]
fn pretrain_then_fine_tune() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("labelled.jsonl");
    let lines: Vec<String> =
        TEXTS.iter().map(|(t, l)| serde_json::json!({"text": t, "label": l}).to_string()).collect();
    fs::write(&data, lines.join("\n") + "\n").unwrap();
    let (d, enc) = (data.to_str().unwrap(), dir.path().join("encoder"));
    let e = enc.to_str().unwrap();

    let mut args = vec!["pretrain", "--data", d, "--data", d, "--out", e, "--epochs", "2", "-q"];
    args.extend(SHAPE);
    let run = lurescan(&args, None);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("12 records") && stdout.contains("train --init"), "{stdout}");
    let settings: serde_json::Value = serde_json::from_slice(&fs::read(enc.join("lurescan.json")).unwrap()).unwrap();
    assert_eq!(settings["pretraining"]["flags"]["hidden_size"], 16);
    assert_eq!(settings["pretraining"]["data"].as_array().map(Vec::len), Some(2));

    let score = lurescan(&["score", "--model", e], Some(b"earn money fast\n"));
    assert_eq!(score.status.code(), Some(1));
    let message = String::from_utf8_lossy(&score.stderr);
    assert!(message.contains("pre-trained encoder") && message.contains("train --init"), "{message}");

    let out = dir.path().join("model");
    let o = out.to_str().unwrap();
    let args = ["train", "--init", e, "--data", d, "--valid", d, "--out", o, "--epochs", "1", "--no-lexical"];
    let run = lurescan(&args, None);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let log = String::from_utf8_lossy(&run.stderr);
    assert!(log.contains("classifier start fresh") && log.contains("cls.predictions"), "{log}");
    // The card's flags leave out the new-encoder flags, which a run from a folder does not use (its encoder is 16
    // wide; the default flag says 128).
    let card = fs::read_to_string(out.join("README.md")).unwrap();
    assert!(card.contains("the encoder's size and the rendering are those of `init`"), "{card}");
    assert!(!card.contains("\"hidden_size\"") && card.contains("\"init\""), "{card}");
    let scored = lurescan(&["score", "--model", o], Some(b"earn money fast\n"));
    assert!(scored.status.success(), "{}", String::from_utf8_lossy(&scored.stderr));
}
