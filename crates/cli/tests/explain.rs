//! Explanations on the command line: `lurescan score --explain` adds flags and top terms to each row without
//! changing a score, and `lurescan explain` shows one record with its evidence highlighted.

mod common;

use common::*;
use serde_json::Value;
use std::collections::HashMap;
use std::fs;

/// The fixture's field texts by record id, as the rows' offsets index them.
fn fixture_fields() -> HashMap<String, HashMap<String, String>> {
    fs::read_to_string(fixture("explain.jsonl"))
        .unwrap()
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .map(|row| {
            let id = row["id"].as_str().unwrap().to_string();
            let fields = row.as_object().unwrap().iter().filter(|(k, _)| *k != "id");
            (id, fields.map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect())
        })
        .collect()
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect()
}

/// Asserts `item[key]` equals its field's text sliced at `start..end` (byte offsets).
fn assert_points_into(item: &Value, key: &str, fields: &HashMap<String, String>) {
    let text = &fields[item["field"].as_str().unwrap()];
    let (start, end) = (item["start"].as_u64().unwrap() as usize, item["end"].as_u64().unwrap() as usize);
    assert_eq!(text.get(start..end), item[key].as_str(), "offsets of {item} do not point at its {key}");
}

#[test]
fn score_explain_adds_flags_with_evidence_at_their_offsets() {
    let rows = rows(&score(
        &["--explain", "--top-terms-for", "all", "--top-terms", "3", fixture("explain.jsonl").to_str().unwrap()],
        None,
    ));
    let fields = fixture_fields();
    assert_eq!(rows.len(), 4);

    let lure = &rows[0];
    assert_scored(lure);
    assert_eq!(
        ids(&lure["flags"]),
        ["money_in_title", "compound_location", "travel_paid_abroad", "upfront_fee", "messaging_app_contact"]
    );
    let fee = &lure["flags"][3];
    assert_eq!(
        (fee["category"].as_str(), fee["field"].as_str(), fee["evidence"].as_str()),
        (Some("fees"), Some("description"), Some("registration fee"))
    );
    for flag in lure["flags"].as_array().unwrap() {
        assert_points_into(flag, "evidence", &fields["lure"]);
    }
    // Non-ASCII text: offsets are bytes, on character boundaries.
    let vi = &rows[3];
    assert!(ids(&vi["flags"]).contains(&"messaging_app_contact"), "{vi}");
    for flag in vi["flags"].as_array().unwrap() {
        assert_points_into(flag, "evidence", &fields["vi"]);
    }

    assert_scored(&rows[1]);
    assert_eq!(rows[1]["flags"], Value::Array(vec![]), "the benign record trips no indicator");

    assert_error(&rows[2], "broken JSON");
    assert_eq!((&rows[2]["flags"], &rows[2]["top_terms"]), (&Value::Array(vec![]), &Value::Array(vec![])));

    for (row, id) in [(&rows[0], "lure"), (&rows[1], "benign"), (&rows[3], "vi")] {
        let terms = row["top_terms"].as_array().unwrap();
        assert!((1..=3).contains(&terms.len()), "1 to 3 top terms in {row}");
        for term in terms {
            assert_points_into(term, "term", &fields[id]);
            // Effects are log-odds now; a tiny random model moves them by little.
            assert!(term["effect"].as_f64().unwrap().abs() < 20.0, "{term}");
        }
        let effects: Vec<f64> = terms.iter().map(|t| t["effect"].as_f64().unwrap().abs()).collect();
        assert!(effects.windows(2).all(|w| w[0] >= w[1]), "largest effect first: {effects:?}");
    }
}

#[test]
fn explaining_never_changes_the_score() {
    let input = fixture("explain.jsonl");
    let plain = rows(&score(&[input.to_str().unwrap()], None));
    let explained = rows(&score(&["--explain", input.to_str().unwrap()], None));
    assert_eq!(plain.len(), explained.len());
    assert!(!explained[0]["flags"].as_array().unwrap().is_empty(), "the lure is flagged");
    for (a, b) in plain.iter().zip(&explained) {
        // Bit for bit: the same records go through the same predict call.
        for key in ["id", "line", "score", "label", "error"] {
            assert_eq!(a[key], b[key], "`{key}` changed with --explain");
        }
        assert!(a.get("flags").is_none() && a.get("top_terms").is_none(), "no explanation without --explain: {a}");
    }
}

#[test]
fn top_terms_go_to_records_labelled_lure_by_default() {
    let rows = rows(&score(&["--explain", fixture("explain.jsonl").to_str().unwrap()], None));
    for row in rows.iter().filter(|row| row["error"].is_null()) {
        let terms = row["top_terms"].as_array().unwrap();
        assert_eq!(!terms.is_empty(), row["label"] == "lure", "{row}");
        assert!(terms.len() <= 8);
    }
    let none = rows_of(&["--explain", "--top-terms-for", "none"]);
    assert!(none.iter().all(|row| row["top_terms"] == Value::Array(vec![])));
}

fn rows_of(args: &[&str]) -> Vec<Value> {
    let input = fixture("explain.jsonl");
    let mut all = args.to_vec();
    all.push(input.to_str().unwrap());
    rows(&score(&all, None))
}

#[test]
fn csv_explanations_are_compact_cells() {
    let output = score(
        &["--explain", "--top-terms-for", "none", "--output-format", "csv", fixture("explain.jsonl").to_str().unwrap()],
        None,
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["id", "line", "score", "label", "error", "flags", "top_terms", "contacts", "score_without_decisive"]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(
        records[0][5].contains(r#"upfront_fee:"registration fee"; messaging_app_contact:"Contact us on Telegram""#),
        "{:?}",
        &records[0][5]
    );
    assert_eq!((&records[1][5], &records[2][5], &records[2][6]), ("", "", ""));
}

#[test]
fn explained_rows_carry_normalised_contacts() {
    let input =
        "{\"text\": \"งานแอดมินที่กัมพูชา รายได้ดี ไลน์: @jobs_th88 โทร ๐๘๑-๒๓๔-๕๖๗๘\"}\n{\"text\": \"Accountant, hybrid.\"}\n";
    let rows = rows(&score(&["--explain", "--top-terms", "0", "--region", "TH", "-"], Some(input.as_bytes())));
    let contacts: Vec<(&str, &str)> = rows[0]["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["kind"].as_str().unwrap(), c["value"].as_str().unwrap()))
        .collect();
    assert_eq!(contacts, [("line", "jobs_th88"), ("phone", "+66812345678")]);
    assert_eq!(rows[0]["contacts"][1]["evidence"], "๐๘๑-๒๓๔-๕๖๗๘");
    assert_eq!(rows[1]["contacts"], Value::Array(vec![]));
    // --region needs --explain, and an unknown one is a usage error.
    let model = tiny_model();
    for args in [&["--region", "TH"][..], &["--explain", "--region", "Narnia"][..]] {
        let mut all = vec!["score", "-m", model.to_str().unwrap()];
        all.extend_from_slice(args);
        all.push("-");
        assert_eq!(lurescan(&all, Some(b"")).status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn top_terms_needs_explain() {
    let model = tiny_model();
    let output = lurescan(&["score", "-m", model.to_str().unwrap(), "--top-terms", "3", "-"], Some(b""));
    assert_eq!(output.status.code(), Some(2));
}

/// `lurescan explain --model <tiny> ARGS` with its exit code.
fn explain(args: &[&str]) -> (Option<i32>, String, String) {
    let model = tiny_model();
    let mut all = vec!["explain", "--model", model.to_str().unwrap()];
    all.extend_from_slice(args);
    let output = lurescan(&all, None);
    (output.status.code(), String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
}

#[test]
fn explain_text_highlights_the_evidence() {
    let text = "Free visa and flight! Pay the registration fee first, then write to Telegram @hr";
    let (code, out, err) = explain(&["--text", text]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!out.contains('\x1b'), "no colours when stdout is not a terminal:\n{out}");
    assert!(out.contains("[[Pay the registration fee]] first"), "{out}");
    assert!(out.contains("upfront_fee [fees]"), "{out}");
    assert!(out.contains("asked to pay a fee or deposit"), "the indicator's description is shown:\n{out}");
    assert!(out.contains("Top terms"), "{out}");

    let (code, coloured, _) = explain(&["--text", text, "--color", "always"]);
    assert_eq!(code, Some(0));
    assert!(coloured.contains("\x1b[") && !coloured.contains("[[registration fee]]"), "{coloured}");
}

#[test]
fn explain_json_has_the_report_shape() {
    let input = fixture("explain.jsonl");
    let (code, out, err) = explain(&[input.to_str().unwrap(), "--id", "lure", "--json", "--top-terms", "4"]);
    assert_eq!(code, Some(0), "{err}");
    let report: Value = serde_json::from_str(&out).expect("one JSON object");
    let keys: Vec<&str> = report.as_object().unwrap().keys().map(String::as_str).collect();
    for key in ["id", "input", "line", "score", "label", "threshold", "flags", "top_terms", "fields"] {
        assert!(keys.contains(&key), "`{key}` missing from {keys:?}");
    }
    assert_eq!((report["id"].as_str(), report["line"].as_u64()), (Some("lure"), Some(1)));
    let fields: HashMap<String, String> = serde_json::from_value(report["fields"].clone()).unwrap();
    assert_eq!(fields, fixture_fields()["lure"]);
    let flags = report["flags"].as_array().unwrap();
    assert_eq!(flags.len(), 5);
    for flag in flags {
        assert!(flag["description"].as_str().is_some_and(|d| !d.is_empty()), "{flag}");
        assert!(flag["category"].is_string(), "{flag}");
        assert_points_into(flag, "evidence", &fields);
    }
    assert!((1..=4).contains(&report["top_terms"].as_array().unwrap().len()));

    // The same score as `lurescan score`.
    let scored = rows(&score(&[input.to_str().unwrap()], None));
    assert_eq!(report["score"], scored[0]["score"]);
    assert_eq!(report["label"], scored[0]["label"]);
}

#[test]
fn explain_picks_a_record_by_number_or_id_and_says_what_is_wrong() {
    let input = fixture("explain.jsonl");
    let input = input.to_str().unwrap();
    let (code, out, _) = explain(&[input, "--record", "2", "--json"]);
    assert_eq!(code, Some(0));
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!((report["id"].as_str(), report["flags"].as_array().map(Vec::len)), (Some("benign"), Some(0)));

    let (code, _, err) = explain(&[input, "--record", "3"]);
    assert_eq!(code, Some(1));
    // Broken after its id: the message names the record by it.
    assert!(err.contains("cannot explain record `broken` (line 3") && err.contains("broken JSON"), "{err}");
    let (code, _, err) = explain(&[input, "--id", "nope"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("no record with id `nope`"), "{err}");
    let (code, _, err) = explain(&[input, "--record", "9"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("has 4 records"), "{err}");
    let (code, _, _) = explain(&[input, "--text", "x"]);
    assert_eq!(code, Some(2), "INPUT and --text conflict");
}

#[test]
fn explain_id_finds_the_written_id_not_the_number_of_a_record_without_one() {
    // `score` numbers the first record 1 (its id cell is empty) and gives the second its own id "1".
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("ids.csv");
    std::fs::write(&input, "id,text\n,Team meeting at 3pm\n1,\"Customer service job in Cambodia, free flight\"\n")
        .unwrap();
    let input = input.to_str().unwrap();
    let (code, out, err) = explain(&[input, "--id", "1", "--json", "--top-terms", "0"]);
    assert_eq!(code, Some(0), "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!((report["id"].as_str(), report["line"].as_u64()), (Some("1"), Some(3)));
    let (code, _, err) = explain(&[input, "--id", "2"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("no record with id `2`") && err.contains("--record"), "{err}");
}

#[test]
fn explain_lists_the_contacts_as_score_explain_gives_them() {
    let text = "Call center job abroad, write to Telegram @hr_asia_jobs or call 081 234 5678";
    let (code, out, err) = explain(&["--text", text, "--region", "TH", "--json", "--top-terms", "0"]);
    assert_eq!(code, Some(0), "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let scored = rows(&score(
        &["--explain", "--region", "TH", "--top-terms", "0", "--format", "text", "-"],
        Some(text.as_bytes()),
    ));
    assert_eq!(report["contacts"], scored[0]["contacts"]);
    let values: Vec<&str> =
        report["contacts"].as_array().unwrap().iter().map(|c| c["value"].as_str().unwrap()).collect();
    assert!(values.contains(&"+66812345678"), "{values:?}");
    let (_, plain, _) = explain(&["--text", text, "--top-terms", "0"]);
    assert!(plain.contains("Contacts") && plain.contains("@hr_asia_jobs"), "{plain}");
}

#[test]
fn explain_on_a_folder_names_the_file_the_record_is_in() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.jsonl"), "{\"id\": \"first\", \"text\": \"hello\"}\n").unwrap();
    fs::write(
        dir.path().join("b.jsonl"),
        "\n{\"id\": \"p1\", \"text\": \"x\"}\n{\"id\": \"p2\", \"text\": \"Pay the fee\"}\n",
    )
    .unwrap();
    let folder = dir.path().to_str().unwrap();
    for args in [["--id", "p2"], ["--record", "3"]] {
        let (code, out, err) = explain(&[folder, args[0], args[1], "--json"]);
        assert_eq!(code, Some(0), "{err}");
        let report: Value = serde_json::from_str(&out).unwrap();
        assert!(report["input"].as_str().unwrap().ends_with("b.jsonl"), "{args:?}: {report}");
        assert_eq!((report["id"].as_str(), report["line"].as_u64()), (Some("p2"), Some(3)), "{args:?}");
    }
    let (code, _, err) = explain(&[folder, "--id", "nope"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("(2 files) has no record with id `nope`"), "{err}");
}

/// A copy of the tiny model whose `lurescan.json` reads disguised spellings as plain words, or not.
fn tiny_model_deobfuscating(deobfuscate: bool) -> tempfile::TempDir {
    tiny_model_with(|settings| settings["render"]["deobfuscate"] = Value::Bool(deobfuscate))
}

/// The `messaging_app_contact` flag among `flags`, checked to quote the disguised word as written.
fn disguised_contact(flags: &Value) -> Option<&Value> {
    let flag = flags.as_array().unwrap().iter().find(|f| f["id"] == "messaging_app_contact")?;
    assert_eq!((flag["field"].as_str(), flag["evidence"].as_str()), (Some("text"), Some("Contact our HR on Te1egram")));
    assert_eq!((flag["start"].as_u64(), flag["end"].as_u64()), (Some(0), Some(26)));
    Some(flag)
}

#[test]
fn explain_flags_a_disguised_indicator_when_the_model_reads_disguises() {
    let text = "Contact our HR on Te1egram @hr_team";
    for deobfuscate in [true, false] {
        let model = tiny_model_deobfuscating(deobfuscate);
        let model = model.path().to_str().unwrap();
        let output = lurescan(&["explain", "--model", model, "--text", text, "--json", "--top-terms", "0"], None);
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
        assert_eq!(disguised_contact(&report["flags"]).is_some(), deobfuscate, "{report}");

        // `score --explain` finds the same.
        let input = serde_json::json!({ "text": text }).to_string();
        let output =
            lurescan(&["score", "--model", model, "--explain", "--top-terms", "0", "-"], Some(input.as_bytes()));
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        let row = &rows(&output)[0];
        assert_eq!(disguised_contact(&row["flags"]).is_some(), deobfuscate, "{row}");
    }
}
