//! Helpers for running the built `lurescan` binary on fixtures with the tiny fixture model.

#![allow(dead_code)] // each test file uses its own subset

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// The tiny model folder the model's own tests are checked against.
pub fn tiny_model() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../infer/tests/fixtures/tiny-bert")
}

/// A copy of the tiny model whose `lurescan.json` settings `change` edits.
pub fn tiny_model_with(change: impl FnOnce(&mut Value)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(tiny_model()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    let settings = dir.path().join("lurescan.json");
    let mut json: Value = serde_json::from_str(&std::fs::read_to_string(&settings).unwrap()).unwrap();
    change(&mut json);
    std::fs::write(&settings, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    dir
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// `lurescan ARGS`, fed `stdin` (or nothing), run to the end.
pub fn lurescan(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lurescan"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the lurescan binary runs");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    // A command that fails before reading its input (a bad flag, a bad file) closes the pipe: not the test's failure.
    match pipe.write_all(stdin.unwrap_or_default()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("stdin takes the input: {e}"),
        _ => {}
    }
    drop(pipe);
    child.wait_with_output().expect("lurescan finishes")
}

/// `lurescan score --model <tiny> ARGS`; asserts that it exits 0.
pub fn score(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let model = tiny_model();
    let mut all = vec!["score", "--model", model.to_str().unwrap()];
    all.extend_from_slice(args);
    let output = lurescan(&all, stdin);
    assert!(output.status.success(), "lurescan {all:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    output
}

/// The JSON objects of a JSONL stdout.
pub fn rows(output: &Output) -> Vec<Value> {
    String::from_utf8(output.stdout.clone())
        .expect("output is UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("output line {line:?} is not JSON: {e}")))
        .collect()
}

/// Asserts a row was scored: a score in [0, 1], a label, no error.
pub fn assert_scored(row: &Value) {
    let score = row["score"].as_f64().unwrap_or_else(|| panic!("no score in {row}"));
    assert!((0.0..=1.0).contains(&score), "score out of [0, 1] in {row}");
    assert!(matches!(row["label"].as_str(), Some("lure" | "legitimate")), "no label in {row}");
    assert!(row["error"].is_null(), "unexpected error in {row}");
}

/// Asserts a row was not scored, with an error starting with `error`.
pub fn assert_error(row: &Value, error: &str) {
    assert!(row["score"].is_null() && row["label"].is_null(), "a broken record was scored: {row}");
    let found = row["error"].as_str().unwrap_or_else(|| panic!("no error in {row}"));
    assert!(found.starts_with(error), "expected an error starting with {error:?} in {row}");
}

/// The (id, line) of each row.
pub fn ids_and_lines(rows: &[Value]) -> Vec<(Value, u64)> {
    rows.iter().map(|row| (row["id"].clone(), row["line"].as_u64().expect("a line number"))).collect()
}
