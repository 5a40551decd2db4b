//! `--exemplars FILE` on the command line: the nearest typology in `score --explain` rows (JSONL and CSV) and in
//! `lurescan explain`, scores unchanged for a model without an exemplar weight, and bad files named with their line.

mod common;

use common::*;
use std::fs;

const EXEMPLARS: &str = r#"{"typology": "task_scam", "lang": "en", "text": "Like videos on your phone and earn 300 a day, contact the mentor on Telegram", "label": "lure"}
{"typology": "compound_recruitment", "lang": "en", "text": "Customer service job in Cambodia, free flight and dormitory, no experience needed", "label": "lure"}
{"typology": "delivery_sms", "lang": "en", "text": "Your parcel arrives tomorrow morning, track it in the app", "label": "benign"}
{"typology": "shift_reminder", "lang": "en", "text": "Reminder: your shift starts at 7 tomorrow at the Central store", "label": "benign"}
"#;

const MESSAGES: &str = r#"{"id": "a", "text": "Earn money liking videos, message the mentor"}
{"id": "b", "text": "Your shift tomorrow starts at 9"}
{"id": "c"}
"#;

#[test]
fn score_explain_names_the_nearest_typology_and_leaves_scores_alone() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("mine.jsonl");
    fs::write(&file, EXEMPLARS)?;
    let plain = rows(&score(&["--explain"], Some(MESSAGES.as_bytes())));
    let with = rows(&score(&["--explain", "--exemplars", file.to_str().unwrap()], Some(MESSAGES.as_bytes())));
    for (p, w) in plain.iter().zip(&with) {
        // The tiny model has no exemplar weight: the exemplars are evidence only.
        assert_eq!(p["score"], w["score"]);
        assert!(p.get("nearest_typology").is_none());
    }
    let nearest = &with[0]["nearest_typology"];
    assert!(EXEMPLARS.contains(nearest["exemplar"].as_str().unwrap()), "{nearest}");
    assert!(matches!(nearest["typology"].as_str(), Some("task_scam" | "compound_recruitment")), "{nearest}");
    assert_eq!(nearest["lang"], "en");
    assert!((-1.0..=1.0).contains(&nearest["similarity"].as_f64().unwrap()));
    assert!(with[0]["exemplar_margin"].is_f64());
    // A typology is named only for a record flagged or nearer the lure exemplars than the benign ones.
    for row in &with[..2] {
        let resembles = row["label"] == "lure" || row["exemplar_margin"].as_f64().unwrap() > 0.0;
        assert_eq!(row.get("nearest_typology").is_some(), resembles, "{row}");
    }
    // The record without text is an error row without evidence.
    assert!(with[2]["error"].is_string() && with[2].get("nearest_typology").is_none());

    // Without --explain rows stay as they were.
    let quiet = rows(&score(&["--exemplars", file.to_str().unwrap()], Some(MESSAGES.as_bytes())));
    assert!(quiet[0].get("nearest_typology").is_none());

    // CSV: two more columns, empty for the error row.
    let csv = score(
        &["--explain", "--exemplars", file.to_str().unwrap(), "--output-format", "csv"],
        Some(MESSAGES.as_bytes()),
    );
    let text = String::from_utf8(csv.stdout)?;
    let mut lines = text.lines();
    assert!(lines
        .next()
        .unwrap()
        .ends_with(",flags,top_terms,contacts,score_without_decisive,nearest_typology,exemplar_margin"));
    assert!(lines.next().unwrap().contains(" [en],"), "{text}");
    assert!(lines.nth(1).unwrap().ends_with(",,"), "{text}");
    Ok(())
}

#[test]
fn explain_shows_the_nearest_typology_and_look_alike() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("mine.jsonl");
    fs::write(&file, EXEMPLARS)?;
    let model = tiny_model();
    let args = ["explain", "--model", model.to_str().unwrap(), "--exemplars", file.to_str().unwrap()];
    let text = [&args[..], &["--text", "Earn money liking videos, message the mentor", "--color", "never"]].concat();
    let out = lurescan(&text, None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8(out.stdout)?;
    assert!(report.contains("Nearest typology (evidence only: this model does not count exemplars"), "{report}");
    assert!(report.contains("nearest look-alike: "), "{report}");
    assert!(report.contains("margin "), "{report}");

    let json = lurescan(&[&text[..], &["--json"]].concat(), None);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout)?;
    // What the margin says is spelled out: a similarity of 0.9 alone reads as evidence to a reviewer.
    let margin = value["exemplar_margin"].as_f64().unwrap();
    let reading = match margin {
        m if m <= 0.0 => "no lure typology stands out",
        m if m <= 0.01 => "the typology is a weak hint",
        _ => "closer to the lure exemplars than to the look-alikes",
    };
    assert!(report.contains(reading), "margin {margin}: {report}");
    assert!(value["nearest_typology"]["typology"].is_string(), "{value}");
    assert!(value["nearest_benign"]["typology"].is_string(), "{value}");
    assert!(value["exemplar_margin"].is_f64() && value.get("exemplar_weight").is_none(), "{value}");
    Ok(())
}

#[test]
fn a_bad_exemplars_file_is_named_with_its_line() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("mine.jsonl");
    fs::write(
        &file,
        format!("{EXEMPLARS}{{\"typology\": \"x\", \"lang\": \"en\", \"txt\": \"y\", \"label\": \"lure\"}}\n"),
    )?;
    let model = tiny_model();
    let out = lurescan(
        &["score", "--model", model.to_str().unwrap(), "--exemplars", file.to_str().unwrap()],
        Some(MESSAGES.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr)?;
    assert!(stderr.contains("mine.jsonl, line 5: unknown field `txt`"), "{stderr}");
    assert!(stderr.contains("each line is one JSON object"), "{stderr}");

    let missing = lurescan(
        &["score", "--model", model.to_str().unwrap(), "--exemplars", "no-such-file.jsonl"],
        Some(MESSAGES.as_bytes()),
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8(missing.stderr)?.contains("no-such-file.jsonl"));
    Ok(())
}

#[test]
fn explain_says_when_the_margin_is_weighed_0_for_this_kind_of_record() -> anyhow::Result<()> {
    // The tiny model as an ensemble whose lexical member says nothing, with an exemplar weight of 0 for records that
    // are not messages and 5 for messages: a fit that held the postings' weight at 0.
    let ensemble = |exemplar: f64| serde_json::json!({"bert": 1.0, "lexical": 0.0, "bias": 0.0, "exemplar": exemplar});
    let model = tiny_model_with(|settings| {
        settings["ensemble"] = ensemble(0.0);
        settings["message_ensemble"] = ensemble(5.0);
    });
    lurescan::lexical::LexicalModel::new(
        vec![0.0; lurescan::lexical::BUCKETS],
        vec![1.0; lurescan::lexical::BUCKETS],
        0.0,
    )?
    .save(&model.path().join("lexical.safetensors"))?;
    // A folder with an exemplar weight has exemplars of its own.
    fs::write(model.path().join("exemplars.jsonl"), EXEMPLARS)?;
    let explain = |record: &[&str]| -> anyhow::Result<String> {
        let args = ["explain", "--model", model.path().to_str().unwrap()];
        let out = lurescan(&[&args[..], record, &["--color", "never"]].concat(), None);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        Ok(String::from_utf8(out.stdout)?)
    };
    let message = explain(&["--text", "Earn money liking videos, message the mentor"])?;
    assert!(message.contains("Nearest typology (the score counts the margin with weight 5.00)"), "{message}");
    let posting = model.path().join("posting.jsonl");
    fs::write(
        &posting,
        "{\"id\": \"p\", \"title\": \"Video liker\", \"description\": \"Earn money liking videos\"}\n",
    )?;
    let posting = explain(&[posting.to_str().unwrap()])?;
    assert!(
        posting.contains("Nearest typology (evidence only: this model weighs the margin 0 for records of this kind"),
        "{posting}"
    );
    Ok(())
}
