//! `lurescan score` on fixtures: one output row per input record, in order, with the right ids and errors, and the
//! same scores as `Classifier::predict`.

mod common;

use common::*;
use lurescan::input::{Format, RowReader};
use lurescan::{Classifier, ScoreOptions};
use serde_json::{json, Value};
use std::fs;
use std::io::BufReader;

#[test]
fn csv_with_quoted_newlines_keeps_one_row_per_record() {
    let output = score(&[fixture("postings.csv").to_str().unwrap()], None);
    let rows = rows(&output);
    assert_eq!(
        ids_and_lines(&rows),
        // The row of 6 fields keeps its id (the first column's); record 4 has none.
        [(json!("p1"), 2), (json!("p2"), 4), (json!("p3"), 7), (json!(4), 8), (json!("p5"), 9)]
    );
    assert_scored(&rows[0]);
    assert_scored(&rows[1]);
    assert_error(&rows[2], "broken CSV row: 6 fields where the header has 5");
    assert_scored(&rows[3]);
    assert_error(&rows[4], "no text");
    assert!(rows.iter().all(|row| row.get("input").is_none()), "one input: rows name no input");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("5 records") && stderr.contains("2 errors"), "summary line: {stderr}");
}

#[test]
fn a_csv_header_naming_no_known_field_is_warned_about_once() {
    let dir = tempfile::tempdir().unwrap();
    let unknown = dir.path().join("unknown.csv");
    fs::write(&unknown, "ref,role,summary\np1,Nurse,Hospital job\np2,Driver,Trucks\n").unwrap();
    let output = score(&[unknown.to_str().unwrap()], None);
    assert_eq!(rows(&output).len(), 2, "every row is still accounted for");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("no column of its header row (ref, role, summary)").count(), 1, "{stderr}");

    // Semicolons (Excel's CSV where the decimal mark is a comma) are read by the header row: no warning.
    let semicolons = dir.path().join("semicolons.csv");
    fs::write(&semicolons, "id;title;description\np1;Nurse;Hospital job\np2;Driver;Trucks\n").unwrap();
    let output = score(&[semicolons.to_str().unwrap()], None);
    let scored = rows(&output);
    assert_eq!(scored.iter().map(|r| r["id"].as_str().unwrap()).collect::<Vec<_>>(), ["p1", "p2"]);
    scored.iter().for_each(assert_scored);
    assert!(!String::from_utf8_lossy(&output.stderr).contains("warning"));

    // A one-line file without a header: its only line became the header, so there is no row, but a warning.
    let headerless = dir.path().join("headerless.csv");
    fs::write(&headerless, "p1,Nurse,Hospital job\n").unwrap();
    let output = score(&[headerless.to_str().unwrap()], None);
    assert!(rows(&output).is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("(p1, Nurse, Hospital job)"));

    // A header with known columns is not warned about.
    let output = score(&[fixture("postings.csv").to_str().unwrap()], None);
    assert!(!String::from_utf8_lossy(&output.stderr).contains("warning"));
}

#[test]
fn csv_columns_that_are_not_read_are_named_once_with_the_field_they_likely_hold() {
    let dir = tempfile::tempdir().unwrap();
    let scraped = dir.path().join("scraped.csv");
    fs::write(
        &scraped,
        "id,title,body,Job Title,url,scraped_at,label
j1,Hotel job,Front desk agent,x,u,d,0
j2,Cook,y,z,u,d,1
",
    )
    .unwrap();
    let output = score(&[scraped.to_str().unwrap()], None);
    assert_eq!(rows(&output).len(), 2);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("not read, as lurescan reads only").count(), 1, "once per file: {stderr}");
    assert!(stderr
        .contains("`body` (rename it `text` to read it), `Job Title` (rename it `title` to read it), `scraped_at`"));
    assert!(!stderr.contains("`url`") && !stderr.contains("`label`") && !stderr.contains("`id`"), "{stderr}");
    // -q keeps stderr for failures; a header of fields only has nothing to say.
    let quiet = lurescan(&["score", "-q", "-m", tiny_model().to_str().unwrap(), scraped.to_str().unwrap()], None);
    assert!(String::from_utf8_lossy(&quiet.stderr).is_empty());
    let output = score(&[fixture("postings.csv").to_str().unwrap()], None);
    assert!(!String::from_utf8_lossy(&output.stderr).contains("not read"));
}

#[test]
fn a_csv_whose_only_columns_read_are_a_place_and_a_salary_gives_error_rows_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let ads = dir.path().join("ads.csv");
    fs::write(
        &ads,
        "Job Title,Job Description,Location,Salary,Post ID
Receptionist,Front desk of our hotel,Bangkok,\"15,000\",P1
,,Phnom Penh,,P2
",
    )
    .unwrap();
    let output = score(&[ads.to_str().unwrap()], None);
    let rows = rows(&output);
    assert_eq!(rows.len(), 2, "every row accounted for");
    assert!(rows.iter().all(|row| row["score"].is_null()), "{rows:?}");
    let first = rows[0]["error"].as_str().unwrap();
    assert!(first.starts_with("only `location` read") && first.contains("`Job Title` (rename it `title`"), "{first}");
    assert!(rows[1]["error"].as_str().unwrap().ends_with("give the record a `title`, `description` or `text`"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("warning: ").count(), 1, "{stderr}");
    assert!(stderr.contains("the only columns read are `location`") && stderr.contains("every row is an error row"));
}

#[test]
fn json_keys_that_are_not_read_are_named_once_and_in_the_error_of_a_record_with_no_other() {
    let dir = tempfile::tempdir().unwrap();
    let scraped = dir.path().join("scraped.jsonl");
    fs::write(
        &scraped,
        r#"{"id": "m1", "msg": "Earn 500 a day liking videos", "label": 1}
{"id": "m2", "text": "Lunch at noon?", "views": 3}
"#,
    )
    .unwrap();
    let output = score(&[scraped.to_str().unwrap()], None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("not read, as lurescan reads only").count(), 1, "once per file: {stderr}");
    assert!(stderr.contains("scraped.jsonl: not read, as lurescan reads only `text` and posting fields: `msg` (rename it `text` to read it), `views`"), "{stderr}");
    let rows = rows(&output);
    assert_eq!(rows.len(), 2, "every record is accounted for");
    let error = rows[0]["error"].as_str().unwrap();
    assert!(error.contains("none of the record's keys is `text`") && error.contains("`msg` (rename it"), "{error}");
    assert!(rows[1]["score"].is_number(), "{:?}", rows[1]);
    let quiet = lurescan(&["score", "-q", "-m", tiny_model().to_str().unwrap(), scraped.to_str().unwrap()], None);
    assert!(String::from_utf8_lossy(&quiet.stderr).is_empty());
}

#[test]
fn a_text_file_that_is_a_table_is_warned_about_and_reads_as_csv_with_f_csv() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("exceltab.txt");
    fs::write(&table, "id\ttitle\tdescription\r\nr1\tCook\tKitchen job\r\n").unwrap();
    let output = score(&[table.to_str().unwrap()], None);
    assert_eq!(rows(&output).len(), 2, "as text, the header is a message too");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("looks like the header row of a table (id, title, description)"), "{stderr}");
    assert!(stderr.contains("`-f csv`"), "{stderr}");
    let output = score(&["-f", "csv", table.to_str().unwrap()], None);
    assert_eq!(ids_and_lines(&rows(&output)), [(json!("r1"), 2)]);
    // Messages with commas are not a table.
    let output = score(&[fixture("messages.txt").to_str().unwrap()], None);
    assert!(!String::from_utf8_lossy(&output.stderr).contains("warning"));
}

#[test]
fn jsonl_broken_lines_get_their_own_error_rows() {
    let rows = rows(&score(&[fixture("messages.jsonl").to_str().unwrap()], None));
    assert_eq!(
        ids_and_lines(&rows),
        [
            (json!("m1"), 1),
            (json!(2), 3),
            // Broken after its id: the error row keeps it.
            (json!("m3"), 4),
            (json!(4), 5),
            (json!("m5"), 6),
            (json!(6), 7),
            (json!("7"), 8)
        ]
    );
    assert_scored(&rows[0]);
    assert_scored(&rows[1]);
    assert_error(&rows[2], "broken JSON");
    assert_error(&rows[3], "invalid UTF-8");
    assert_error(&rows[4], "no text");
    assert_error(&rows[5], "expected a JSON object");
    assert_scored(&rows[6]);
}

#[test]
fn plain_text_is_one_record_a_line() {
    let rows = rows(&score(&[fixture("messages.txt").to_str().unwrap()], None));
    assert_eq!(ids_and_lines(&rows), [(json!(1), 1), (json!(2), 3), (json!(3), 4)]);
    rows.iter().for_each(assert_scored);
}

#[test]
fn stdin_is_read_as_jsonl_or_as_the_format_given() {
    let jsonl = fs::read(fixture("messages.jsonl")).unwrap();
    let mut from_file = rows(&score(&[fixture("messages.jsonl").to_str().unwrap()], None));
    // The one difference: a file's name in the command that converts it (its own test checks its quoting), stdin's
    // `FILE`.
    let named = from_file[3]["error"].as_str().unwrap().to_string();
    let (before, command) = named.split_once("convert it: ").unwrap();
    assert!(command.contains("messages.utf8.jsonl") && !command.contains("FILE"), "{named}");
    from_file[3]["error"] =
        json!(format!("{before}convert it: iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8.jsonl)"));
    assert_eq!(rows(&score(&[], Some(&jsonl))), from_file);
    assert_eq!(rows(&score(&["-"], Some(&jsonl))), from_file);

    let text = rows(&score(&["--format", "text", "-"], Some(b"free visa, apply now\r\n\nsee you at lunch")));
    assert_eq!(ids_and_lines(&text), [(json!(1), 1), (json!(2), 3)]);
    text.iter().for_each(assert_scored);
}

#[test]
fn several_inputs_number_on_and_name_their_input() {
    let (txt, jsonl) = (fixture("messages.txt"), fixture("messages.jsonl"));
    let rows = rows(&score(&[txt.to_str().unwrap(), jsonl.to_str().unwrap()], None));
    assert_eq!(rows.len(), 3 + 7);
    let inputs: Vec<_> = rows.iter().map(|row| row["input"].as_str().unwrap()).collect();
    assert_eq!(inputs, [[txt.to_str().unwrap(); 3].as_slice(), &[jsonl.to_str().unwrap(); 7]].concat());
    let ids: Vec<_> = rows.iter().map(|row| row["id"].clone()).collect();
    assert_eq!(
        ids,
        [json!(1), json!(2), json!(3), json!("m1"), json!(5), json!("m3"), json!(7), json!("m5"), json!(9), json!("7")]
    );
    assert_eq!(rows[4]["line"], 3, "lines count within each input");
}

#[test]
fn a_folder_is_its_scorable_files_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("messages.txt"), dir.path().join("b.txt")).unwrap();
    fs::copy(fixture("messages.jsonl"), dir.path().join("a.jsonl")).unwrap();
    fs::write(dir.path().join("notes.md"), "not an input").unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    fs::write(dir.path().join(".DS_Store"), "").unwrap();
    let output = score(&[dir.path().to_str().unwrap()], None);
    let rows = rows(&output);
    let inputs: Vec<_> = rows.iter().map(|row| row["input"].as_str().unwrap().rsplit('/').next().unwrap()).collect();
    assert_eq!(inputs, [["a.jsonl"; 7].as_slice(), &["b.txt"; 3]].concat());
    // What is left out is said, hidden files aside.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not read in input folder") && stderr.contains("notes.md, sub/"), "{stderr}");
    assert!(!stderr.contains("DS_Store"), "{stderr}");

    // A compressed file of records stops the run with the command that decompresses it: its rows would be lost.
    fs::write(dir.path().join("c.jsonl.gz"), b"\x1F\x8B\x08\x00rest").unwrap();
    let model = tiny_model();
    let output = lurescan(&["score", "-m", model.to_str().unwrap(), dir.path().to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "no row before the error");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("c.jsonl.gz") && stderr.contains("gunzip -c"), "{stderr}");

    let empty = tempfile::tempdir().unwrap();
    let output = lurescan(&["score", "-m", model.to_str().unwrap(), empty.path().to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no .jsonl, .csv or .txt file"));
}

#[test]
fn csv_output_has_a_header_and_one_row_per_record() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scores.csv");
    let output = score(
        &["--output-format", "csv", "--output", out.to_str().unwrap(), fixture("postings.csv").to_str().unwrap()],
        None,
    );
    assert!(output.stdout.is_empty(), "results go to --output, not stdout");
    let mut reader = csv::Reader::from_path(&out).unwrap();
    assert_eq!(reader.headers().unwrap(), vec!["id", "line", "score", "label", "error"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let ids: Vec<_> = rows.iter().map(|row| &row[0]).collect();
    assert_eq!(ids, ["p1", "p2", "p3", "4", "p5"]);
    for row in &rows {
        if row[4].is_empty() {
            let score: f64 = row[2].parse().unwrap();
            assert!((0.0..=1.0).contains(&score));
            assert!(["lure", "legitimate"].contains(&&row[3]));
        } else {
            assert!(row[2].is_empty() && row[3].is_empty());
        }
    }
    assert!(rows[2][4].starts_with("broken CSV row"));
}

#[test]
fn scores_equal_classifier_predict() {
    // Same records, same batch size, one call each way: the CLI must add nothing to the scores. Batches may be
    // composed alike but the tolerance allows for a different order of float sums (1e-6, far below any decision).
    let classifier = Classifier::load(tiny_model()).unwrap();
    let options = ScoreOptions { batch_size: 4, ..ScoreOptions::default() };
    for name in ["postings.csv", "messages.jsonl", "messages.txt"] {
        let path = fixture(name);
        let reader = BufReader::new(fs::File::open(&path).unwrap());
        let records: Vec<_> =
            RowReader::new(reader, Format::from_path(&path).unwrap()).map(|row| row.unwrap().record()).collect();
        let readable: Vec<_> = records.iter().filter_map(|r| r.as_ref().ok().cloned()).collect();
        let mut expected = classifier.predict(&readable, &options).unwrap().into_iter();

        let rows = rows(&score(&["--batch-size", "4", path.to_str().unwrap()], None));
        assert_eq!(rows.len(), records.len());
        for (row, record) in rows.iter().zip(&records) {
            if record.is_err() {
                assert!(row["score"].is_null());
                continue;
            }
            match expected.next().unwrap() {
                Ok(prediction) => {
                    let score = row["score"].as_f64().unwrap();
                    assert!((score - prediction.score as f64).abs() <= 1e-6, "{name}: {row} vs {prediction:?}");
                    assert_eq!(row["label"], serde_json::to_value(prediction.label).unwrap());
                }
                Err(error) => assert_eq!(row["error"], Value::from(error.to_string())),
            }
        }
    }
}

#[test]
fn threshold_decides_the_labels() {
    let path = fixture("messages.txt");
    let all = rows(&score(&["--threshold", "0", path.to_str().unwrap()], None));
    assert!(all.iter().all(|row| row["label"] == "lure"));
    let output = score(&["--threshold", "1", "--threads", "1", path.to_str().unwrap()], None);
    assert!(rows(&output).iter().all(|row| row["label"] == "legitimate" || row["score"] == 1.0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("; lure at 1.000 or above (--threshold)"), "the summary says the threshold: {stderr}");
    let model: lurescan::Settings =
        serde_json::from_slice(&fs::read(tiny_model().join("lurescan.json")).unwrap()).unwrap();
    let stderr = String::from_utf8_lossy(&score(&[path.to_str().unwrap()], None).stderr).into_owned();
    assert!(stderr.contains(&format!("; lure at {:.3} or above", model.threshold)), "the model's own: {stderr}");
}

#[test]
fn failures_to_run_exit_1_and_usage_errors_exit_2() {
    let csv = fixture("postings.csv");
    let model = tiny_model();
    let model = model.to_str().unwrap();
    let missing = lurescan(&["score", "-m", model, "no/such/file.jsonl"], None);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such/file.jsonl"));
    assert!(missing.stdout.is_empty());

    let bad_model = lurescan(&["score", "-m", "no/such/model", csv.to_str().unwrap()], None);
    assert_eq!(bad_model.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_model.stderr).contains("no/such/model"));
    // A file of the folder (its model card, say) is told apart from a missing folder, with the folder to give.
    let card = tiny_model().join("lurescan.json");
    let file_model = lurescan(&["score", "-m", card.to_str().unwrap(), csv.to_str().unwrap()], None);
    assert_eq!(file_model.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&file_model.stderr);
    assert!(stderr.contains("a file, not a model folder: give the folder that holds it"), "{stderr}");

    let unwritable = lurescan(&["score", "-m", model, "-o", "no/such/dir/out.jsonl", csv.to_str().unwrap()], None);
    assert_eq!(unwritable.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unwritable.stderr).contains("no/such/dir/out.jsonl"));

    let unknown_format = lurescan(&["score", "-m", model, "Cargo.toml"], None);
    assert_eq!(unknown_format.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown_format.stderr).contains("--format"));
    assert_eq!(lurescan(&["score", "--threshold", "1.5"], None).status.code(), Some(2));
    assert_eq!(lurescan(&["score", "--no-such-flag"], None).status.code(), Some(2));
}

#[test]
fn help_teaches_with_examples_and_exit_codes() {
    let help = lurescan(&["score", "--help"], None);
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    for needle in ["Examples:", "Exit codes:", "--model", "--threshold", "--batch-size", "--threads", "--output-format"]
    {
        assert!(help.contains(needle), "`score --help` lacks {needle}");
    }
}

#[test]
fn short_help_shows_the_examples_and_points_to_the_reference() {
    let short = String::from_utf8_lossy(&lurescan(&["score", "-h"], None).stdout).into_owned();
    let long = String::from_utf8_lossy(&lurescan(&["score", "--help"], None).stdout).into_owned();
    for needle in ["Examples:", "Input: JSONL records with `text`", "lurescan score --help"] {
        assert!(short.contains(needle), "`score -h` lacks {needle}: {short}");
    }
    for reference in ["Output rows", "In pipelines", "Exit codes:"] {
        assert!(!short.contains(reference), "`score -h` should leave {reference} to --help");
        assert!(long.contains(reference), "`score --help` lacks {reference}");
    }
    assert!(
        short.lines().count() < long.lines().count() / 2,
        "{} against {}",
        short.lines().count(),
        long.lines().count()
    );
}

#[test]
fn explain_help_names_every_field_it_adds() {
    let help = lurescan(&["score", "-h"], None);
    let help = String::from_utf8_lossy(&help.stdout);
    let explain = &help[help.find("--explain").unwrap()..help.find("--top-terms").unwrap()];
    for field in ["flags", "top_terms", "contacts", "nearest_typology", "exemplar_margin"] {
        assert!(explain.contains(field), "`score -h` on --explain lacks {field}: {explain}");
    }
}

#[test]
fn an_output_that_is_also_an_input_is_refused_before_it_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("self.jsonl");
    fs::copy(fixture("messages.jsonl"), &input).unwrap();
    let before = fs::read(&input).unwrap();
    let model = tiny_model();
    let model = model.to_str().unwrap();
    let same = input.to_str().unwrap();
    let mut outputs = vec![input.clone(), dir.path().join(".").join("self.jsonl")];
    #[cfg(unix)]
    {
        let link = dir.path().join("link.jsonl");
        std::os::unix::fs::symlink(&input, &link).unwrap();
        outputs.push(link);
    }
    let other = fixture("messages.txt");
    for output in &outputs {
        let output = output.to_str().unwrap();
        let refused = lurescan(&["score", "-m", model, other.to_str().unwrap(), same, "-o", output], None);
        assert_eq!(refused.status.code(), Some(2), "-o {output}");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains(&format!("-o {output} is also an input: write the results elsewhere")), "{stderr}");
        assert_eq!(fs::read(&input).unwrap(), before, "-o {output}: the input is untouched");
    }

    // A folder's files skip the output, also when it exists from an earlier run.
    let folder = tempfile::tempdir().unwrap();
    fs::copy(fixture("messages.jsonl"), folder.path().join("a.jsonl")).unwrap();
    let out = folder.path().join("scores.jsonl");
    for run in 1..=2 {
        score(&[folder.path().to_str().unwrap(), "-o", out.to_str().unwrap()], None);
        let written = fs::read_to_string(&out).unwrap();
        assert_eq!(written.lines().count(), 7, "run {run}: only a.jsonl is scored");
    }
}

#[test]
fn dash_as_the_output_is_stdout() {
    let run = score(&[fixture("messages.txt").to_str().unwrap(), "-o", "-"], None);
    assert_eq!(rows(&run).len(), 3);
    assert!(!std::path::Path::new("-").exists(), "no file named - in the working folder");
}

#[test]
fn the_output_format_comes_from_the_output_extension_unless_given() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("messages.txt");
    let input = input.to_str().unwrap();
    let written = |name: &str, format: Option<&str>| {
        let out = dir.path().join(name);
        let mut args = vec![input, "-o", out.to_str().unwrap()];
        if let Some(format) = format {
            args.extend(["--output-format", format]);
        }
        score(&args, None);
        fs::read_to_string(&out).unwrap()
    };
    let csv_header = "id,line,score,label,error\n";
    assert!(written("scores.csv", None).starts_with(csv_header));
    assert!(written("SCORES.CSV", None).starts_with(csv_header));
    for (name, format) in [("scores.jsonl", None), ("scores.ndjson", None), ("scores.json", None), ("scores.out", None)]
        .into_iter()
        .chain([("forced.csv", Some("jsonl"))])
    {
        let text = written(name, format);
        assert_eq!(text.lines().count(), 3, "{name}");
        assert!(text.lines().all(|line| line.starts_with('{')), "{name} {format:?} is JSONL: {text}");
    }
    assert!(written("forced.jsonl", Some("csv")).starts_with(csv_header));

    let help = String::from_utf8_lossy(&lurescan(&["score", "--help"], None).stdout).into_owned();
    assert!(help.contains("from the -o extension"), "{help}");
}

#[test]
fn a_csv_quote_never_closed_is_an_error_row_not_lost_rows() {
    let dir = tempfile::tempdir().unwrap();
    let unclosed = dir.path().join("unclosed.csv");
    fs::write(&unclosed, "id,Title,DESCRIPTION\np1,Nurse,\"Hospital job\np2,Driver,Truck\np3,Clerk,Office\n").unwrap();
    let output = score(&[unclosed.to_str().unwrap()], None);
    let broken = rows(&output);
    assert_eq!(ids_and_lines(&broken), [(json!("p1"), 2)], "the error row keeps the id written before the quote");
    assert_error(&broken[0], "broken CSV row: the quote opened on line 2 is never closed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("lurescan: 1 record, 0 flagged as lure, 1 error in "), "summary line: {stderr}");

    let closed = dir.path().join("closed.csv");
    fs::write(&closed, "id,Title,DESCRIPTION\np1,Nurse,Hospital job\np2,Driver,\"Truck,\nnights\"").unwrap();
    let read = rows(&score(&[closed.to_str().unwrap()], None));
    assert_eq!(ids_and_lines(&read), [(json!("p1"), 2), (json!("p2"), 3)]);
    read.iter().for_each(assert_scored);
}

#[test]
fn broken_json_rows_hint_at_plain_text_and_json_arrays_are_read_by_element() {
    let text = rows(&score(&[], Some(b"hello there\n")));
    assert_error(&text[0], "broken JSON: expected value at column 1 (plain text? pass `-f text`");

    let dir = tempfile::tempdir().unwrap();
    let array = dir.path().join("ads.json");
    fs::write(&array, "[\n  {\"id\": \"a\", \"text\": \"hi\"},\n  {\"id\": \"b\", \"text\": \"there\"}\n]\n").unwrap();
    // Written one element a line (as Scrapy exports): each element is a record, on its own line.
    let read = rows(&score(&[array.to_str().unwrap()], None));
    assert_eq!(ids_and_lines(&read), [(json!("a"), 2), (json!("b"), 3)]);
    read.iter().for_each(assert_scored);
    // Pretty-printed: each line of an element spread over lines has its row, saying how to convert the file.
    fs::write(&array, "[\n  {\n    \"id\": \"a\",\n    \"text\": \"hi\"\n  }\n]\n").unwrap();
    let read = rows(&score(&[array.to_str().unwrap()], None));
    assert_eq!(read.len(), 4, "every line of the element has its row: {read:?}");
    for row in &read {
        let error = row["error"].as_str().unwrap();
        assert!(error.contains("of the JSON array that starts on line 1") && error.contains("jq -c '.[]'"), "{row}");
    }
}
