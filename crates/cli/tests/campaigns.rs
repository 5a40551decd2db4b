//! `lurescan campaigns` on a fixture written for it: reposts of one lure, two lures sharing a Telegram account,
//! a big employer's legitimate ads naming one careers site, a lone message and a broken line.

mod common;

use common::*;
use serde_json::Value;
use std::collections::HashMap;
use std::fs;

fn campaigns(args: &[&str]) -> (Vec<Value>, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("campaigns.jsonl");
    let model = tiny_model();
    let input = fixture("campaigns.jsonl");
    let mut all = vec!["campaigns", "-m", model.to_str().unwrap(), "--summary", summary.to_str().unwrap()];
    all.extend_from_slice(args);
    all.push(input.to_str().unwrap());
    let output = lurescan(&all, None);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let summary: Vec<Value> =
        fs::read_to_string(summary).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    (rows(&output), summary)
}

/// A row's id as text (a generated id is a number).
fn id(row: &Value) -> String {
    match &row["id"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Campaign number of each record id.
fn by_id(rows: &[Value]) -> HashMap<String, u64> {
    rows.iter().map(|r| (id(r), r["campaign"].as_u64().unwrap())).collect()
}

#[test]
fn reposts_and_shared_accounts_join_and_a_careers_site_does_not() {
    let (rows, summary) = campaigns(&["--no-score", "--region", "VN"]);
    assert_eq!(rows.len(), 12, "one row per record, the broken one included");
    let ids: Vec<String> = rows.iter().map(id).collect();
    assert_eq!(&ids[..2], ["vi-repost-1", "vi-repost-2"], "input order");
    assert_eq!(ids[11], "broken", "the broken row keeps the id written before the break");
    let campaign = by_id(&rows);

    // Salted reposts of one lure, with other numbers and a changed first word: one campaign.
    let reposts = campaign["vi-repost-1"];
    assert!((2..=4).all(|i| campaign[&format!("vi-repost-{i}")] == reposts));
    assert_eq!(rows[0]["campaign_size"], 4);
    // Two different lures sharing a Telegram account.
    assert_eq!(campaign["en-casino"], campaign["id-admin"]);
    assert_ne!(campaign["en-casino"], reposts);
    // The employer's ads share only its careers domain: no campaign.
    let employer: Vec<u64> = (1..=4).map(|i| campaign[&format!("megacorp-{i}")]).collect();
    assert!(employer.iter().all(|c| employer.iter().filter(|d| *d == c).count() == 1), "{employer:?}");
    assert_eq!(rows[6]["campaign_size"], 1);

    // Contacts are normalised; unscored rows have null score and label; the broken row says why.
    assert_eq!(rows[0]["contacts"], serde_json::json!([{"kind": "zalo", "value": "+84912111001"}]));
    assert_eq!(rows[2]["contacts"][0]["value"], "+84912111003");
    // --region VN reads national numbers as Vietnamese, but not the Thai landline: no Vietnamese number has 8 digits.
    assert_eq!(rows[10]["contacts"], serde_json::json!([{"kind": "phone", "value": "053123456"}]));
    assert!(rows[0]["score"].is_null() && rows[0]["label"].is_null() && rows[0]["error"].is_null());
    assert!(rows[11]["error"].as_str().unwrap().contains("JSON"), "{}", rows[11]);

    // The summary: campaigns of two or more, largest first.
    assert_eq!(summary.len(), 2);
    assert_eq!(summary[0]["size"], 4);
    assert_eq!(summary[0]["members"], serde_json::json!(["vi-repost-1", "vi-repost-2", "vi-repost-3", "vi-repost-4"]));
    assert_eq!((summary[0]["first"]["line"].as_u64(), summary[0]["last"]["line"].as_u64()), (Some(1), Some(4)));
    let lines: Vec<u64> =
        summary[0]["places"].as_array().unwrap().iter().map(|p| p["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [1, 2, 3, 4], "{}", summary[0]);
    assert!(summary[0]["places"][0]["input"].as_str().unwrap().ends_with("campaigns.jsonl"), "{}", summary[0]);
    assert!(summary[0]["text"].as_str().unwrap().starts_with("Tuyển gấp"));
    assert!(summary[0]["categories"].as_object().unwrap().contains_key("travel_abroad"), "{}", summary[0]);
    assert!(summary[0]["score"].is_null());
    assert_eq!(
        summary[1]["shared_contacts"],
        serde_json::json!([{"kind": "telegram", "value": "golden_hr_desk", "records": 2, "total": 2, "linked": true}])
    );
}

#[test]
fn scored_rows_and_summary_statistics() {
    let (rows, summary) = campaigns(&["--min-size", "1"]);
    assert_eq!(rows[10]["contacts"], serde_json::json!([{"kind": "phone", "value": "053123456"}]));
    for row in rows.iter().filter(|r| r["error"].is_null()) {
        assert_scored(row);
    }
    // Every campaign, singletons included, and each record in exactly one.
    let total: u64 = summary.iter().map(|c| c["size"].as_u64().unwrap()).sum();
    assert_eq!(total, 12);
    let largest = &summary[0];
    let (min, median, max) = (
        largest["score"]["min"].as_f64().unwrap(),
        largest["score"]["median"].as_f64().unwrap(),
        largest["score"]["max"].as_f64().unwrap(),
    );
    assert!(min <= median && median <= max, "{largest}");
    let labelled: u64 = largest["labels"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(labelled, 4);
}

#[test]
fn a_low_contact_limit_unlinks_shared_accounts() {
    let (rows, summary) = campaigns(&["--no-score", "--max-contact-records", "1"]);
    let campaign = by_id(&rows);
    assert_ne!(campaign["en-casino"], campaign["id-admin"]);
    assert_eq!(summary.len(), 1, "only the reposts, joined by their text");
}

#[test]
fn a_record_with_no_text_is_an_error_row_scored_or_not() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("posts.jsonl");
    fs::write(&input, "{\"id\":\"a\",\"text\":\"Hiring drivers, call 0812 345 678\"}\n{\"id\":\"b\",\"text\":\"\"}\n{\"id\":\"c\",\"post_text\":\"x\"}\n").unwrap();
    let model = tiny_model();
    for extra in [vec!["--no-score"], vec!["-m", model.to_str().unwrap()]] {
        let mut args = vec!["campaigns", "-q"];
        args.extend(extra.iter().copied());
        args.push(input.to_str().unwrap());
        let output = lurescan(&args, None);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let errors: Vec<(String, bool)> = rows(&output)
            .iter()
            .map(|r| (id(r), r["error"].as_str().is_some_and(|e| e.starts_with("no text"))))
            .collect();
        let expected = [("a".to_string(), false), ("b".to_string(), true), ("c".to_string(), true)];
        assert_eq!(errors, expected, "{extra:?}");
    }
}

#[test]
fn grouping_is_deterministic() {
    assert_eq!(campaigns(&["--no-score"]), campaigns(&["--no-score"]));
}

#[test]
fn bad_flags_are_usage_errors() {
    let input = fixture("campaigns.jsonl");
    let input = input.to_str().unwrap();
    for args in [
        vec!["campaigns", "--similarity", "1.5", input],
        vec!["campaigns", "--similarity", "0.05", input],
        vec!["campaigns", "--region", "Atlantis", input],
        vec!["campaigns", "-o", "same.jsonl", "--summary", "same.jsonl", input],
    ] {
        let output = lurescan(&args, None);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
}

#[test]
fn a_summary_that_is_an_input_is_refused_by_its_own_flag() {
    let input = fixture("campaigns.jsonl");
    let input = input.to_str().unwrap();
    let output = lurescan(&["campaigns", "--no-score", "--summary", input, input], None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("--summary {input} is also an input")), "{stderr}");
}

#[test]
fn rows_go_to_csv_when_the_output_is_named_so() {
    let dir = tempfile::tempdir().unwrap();
    let (csv_out, jsonl_out) = (dir.path().join("rows.csv"), dir.path().join("rows.jsonl"));
    let input = fixture("campaigns.jsonl");
    for out in [&csv_out, &jsonl_out] {
        let output = lurescan(&["campaigns", "--no-score", "-o", out.to_str().unwrap(), input.to_str().unwrap()], None);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    let rows: Vec<Value> =
        fs::read_to_string(&jsonl_out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let mut reader = csv::Reader::from_path(&csv_out).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, ["id", "line", "campaign", "campaign_size", "contacts", "score", "label", "error"]);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows.len(), "one CSV row per JSON row");
    for (record, row) in records.iter().zip(&rows) {
        assert_eq!(record[0], id(row));
        assert_eq!(record[2], row["campaign"].to_string());
        let contacts: Vec<String> = row["contacts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| format!("{}:{}", c["kind"].as_str().unwrap(), c["value"].as_str().unwrap()))
            .collect();
        assert_eq!(record[4], contacts.join("; "));
        assert_eq!(&record[7], row["error"].as_str().unwrap_or(""));
    }
    let output = lurescan(&["campaigns", "--no-score", "--summary", "c.csv", input.to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(2), "a CSV summary is refused: {}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn a_failed_run_leaves_earlier_files_as_they_were() {
    // The second input is gzip-compressed: the run fails after reading the first, and neither file is touched.
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    fs::create_dir(&inputs).unwrap();
    fs::copy(fixture("campaigns.jsonl"), inputs.join("a.jsonl")).unwrap();
    fs::write(inputs.join("b.jsonl"), b"\x1F\x8B\x08\x00rest").unwrap();
    let (rows, summary) = (dir.path().join("rows.jsonl"), dir.path().join("campaigns.jsonl"));
    fs::write(&rows, "earlier rows\n").unwrap();
    fs::write(&summary, "earlier campaigns\n").unwrap();
    let run = |input: &std::path::Path| {
        let args = ["campaigns", "--no-score", "-o", rows.to_str().unwrap(), "--summary", summary.to_str().unwrap()];
        lurescan(&[&args[..], &[input.to_str().unwrap()]].concat(), None)
    };
    let failed = run(&inputs);
    assert_eq!(failed.status.code(), Some(1), "{}", String::from_utf8_lossy(&failed.stderr));
    assert_eq!(fs::read_to_string(&rows).unwrap(), "earlier rows\n");
    assert_eq!(fs::read_to_string(&summary).unwrap(), "earlier campaigns\n");
    let mut left: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    left.sort();
    assert_eq!(left, ["campaigns.jsonl", "in", "rows.jsonl"], "no empty .partial files are left");

    // A run that finishes replaces both.
    let done = run(&inputs.join("a.jsonl"));
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert!(fs::read_to_string(&rows).unwrap().lines().all(|l| serde_json::from_str::<Value>(l).is_ok()));
    assert!(fs::read_to_string(&summary).unwrap().lines().all(|l| serde_json::from_str::<Value>(l).is_ok()));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 3, "the .partial files were renamed");
}
