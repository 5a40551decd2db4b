//! `lurescan score` as a pipeline stage (Spark's RDD.pipe, GNU parallel, Kubernetes indexed jobs): shards that
//! together hold every record once, a quiet stderr, rows that come back while stdin stays open, and exit codes
//! that tell a retryable failure from a permanent one.

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// JSON lines of `n` records, with a broken line and a record without text among them.
fn numbered_records(n: usize) -> String {
    (1..=n)
        .map(|i| match i {
            5 => "{broken\n".to_string(),
            9 => "{\"note\": \"no text\"}\n".to_string(),
            _ => format!("{{\"text\": \"Message {i}: data entry job, {i}0 USD a day, apply by email.\"}}\n"),
        })
        .collect()
}

#[test]
fn the_shards_of_an_input_hold_every_record_exactly_once() {
    let input = numbered_records(23);
    let whole = rows(&score(&["-q"], Some(input.as_bytes())));
    assert_eq!(whole.len(), 23);
    let by_id: BTreeMap<String, Value> = whole.iter().map(|row| (row["id"].to_string(), row.clone())).collect();

    let mut seen = BTreeMap::new();
    for index in 0..4 {
        let shard = format!("{index}/4");
        let part = rows(&score(&["-q", "--shard", &shard], Some(input.as_bytes())));
        for row in &part {
            let id = row["id"].as_u64().expect("generated ids are numbers");
            assert_eq!((id - 1) % 4, index, "record {id} in shard {shard}");
            // The same row as without --shard: number, line, label and error; the score to float rounding (a
            // shard pads its batches to other lengths, so sums run in another order).
            let alone = &by_id[&row["id"].to_string()];
            let without_score = |row: &Value| {
                let mut row = row.clone();
                row.as_object_mut().unwrap().remove("score");
                row
            };
            assert_eq!(without_score(alone), without_score(row));
            match (alone["score"].as_f64(), row["score"].as_f64()) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-5, "record {id}: {a} alone, {b} in shard {shard}"),
                (a, b) => assert_eq!(a, b),
            }
            assert!(seen.insert(id, shard.clone()).is_none(), "record {id} in two shards");
        }
        let ids: Vec<u64> = part.iter().map(|row| row["id"].as_u64().unwrap()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "shard {shard} out of order: {ids:?}");
    }
    assert_eq!(seen.len(), 23);
    // One shard of one is everything.
    assert_eq!(rows(&score(&["-q", "--shard", "0/1"], Some(input.as_bytes()))), whole);
}

#[test]
fn shards_count_records_across_inputs_and_bad_shards_are_usage_errors() {
    let jsonl = fixture("messages.jsonl");
    let csv = fixture("postings.csv");
    let inputs = [jsonl.to_str().unwrap(), csv.to_str().unwrap()];
    let whole = rows(&score(&inputs, None));
    let mut sharded: Vec<Value> = Vec::new();
    for shard in ["0/3", "1/3", "2/3"] {
        let mut args = vec!["--shard", shard];
        args.extend(inputs);
        sharded.extend(rows(&score(&args, None)));
    }
    let key = |row: &Value| (row["input"].as_str().unwrap().to_string(), row["line"].as_u64().unwrap());
    let mut expected: Vec<_> = whole.iter().map(key).collect();
    let mut found: Vec<_> = sharded.iter().map(key).collect();
    expected.sort();
    found.sort();
    assert_eq!(found, expected);

    for bad in ["3/3", "1/0", "1", "a/b"] {
        let out = lurescan(&["score", "--shard", bad], None);
        assert_eq!(out.status.code(), Some(2), "--shard {bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("I/N"), "--shard {bad} does not say how to write it");
    }
}

#[test]
fn quiet_writes_nothing_to_stderr_on_success() {
    let noisy = score(&[], Some(numbered_records(12).as_bytes()));
    assert!(String::from_utf8_lossy(&noisy.stderr).contains("12 records"), "no summary line without --quiet");
    let quiet = score(&["--quiet"], Some(numbered_records(12).as_bytes()));
    assert_eq!(rows(&quiet).len(), 12);
    assert!(quiet.stderr.is_empty(), "--quiet wrote {:?}", String::from_utf8_lossy(&quiet.stderr));
    // Not even the warning about a CSV header that names no field.
    let headless = score(&["-q", "-f", "csv"], Some(b"a;b\n1;2\n"));
    assert!(headless.stderr.is_empty());
    assert_eq!(rows(&headless).len(), 1);
    // A failure still says why.
    let model = tiny_model();
    let failed = lurescan(&["score", "-q", "-m", model.to_str().unwrap(), "no/such/file.jsonl"], None);
    assert_eq!(failed.status.code(), Some(1));
    assert!(!failed.stderr.is_empty());
}

#[test]
fn rows_come_back_while_stdin_stays_open() {
    let model = tiny_model();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lurescan"))
        .args(["score", "-q", "-m", model.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the lurescan binary runs");
    let mut stdin = child.stdin.take().unwrap();
    let (sender, lines) = mpsc::channel();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    thread::spawn(move || {
        for line in stdout.lines() {
            let _ = sender.send(line.expect("stdout is UTF-8"));
        }
    });
    // Only a guard against hanging forever if rows waited for a full chunk or the end of stdin; no timing is
    // asserted.
    let guard = Duration::from_secs(120);
    for i in 1..=3 {
        writeln!(stdin, "{{\"id\": \"q{i}\", \"text\": \"Record {i}: warehouse job, apply in person.\"}}").unwrap();
        stdin.flush().unwrap();
        let line = lines.recv_timeout(guard).unwrap_or_else(|_| panic!("no row for record {i} while stdin is open"));
        let row: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(row["id"], format!("q{i}"));
        assert_scored(&row);
    }
    drop(stdin);
    let status = child.wait().unwrap();
    assert!(status.success());
    assert!(lines.recv_timeout(guard).is_err(), "a row after the last record");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_exits_75_so_that_schedulers_retry() {
    let model = tiny_model();
    let out = lurescan(
        &["score", "-q", "-m", model.to_str().unwrap(), "-o", "/dev/full"],
        Some(numbered_records(3).as_bytes()),
    );
    assert_eq!(out.status.code(), Some(75), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("/dev/full") && stderr.contains("temporary"), "{stderr}");
}

#[test]
fn help_documents_pipelines_shards_and_the_retryable_exit_code() {
    let help = lurescan(&["score", "--help"], None);
    let help = String::from_utf8_lossy(&help.stdout);
    for needle in ["--shard <I/N>", "--quiet", "In pipelines", "RDD.pipe", "75 temporary"] {
        assert!(help.contains(needle), "`score --help` lacks {needle}");
    }
}
