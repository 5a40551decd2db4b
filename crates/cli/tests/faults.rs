//! Fault injection: a process killed at the worst moments (`LURESCAN_FAULT` ends it there as `kill -9` would, see
//! `lurescan_train::fault_point`; `score` is killed for real) never leaves a half-written model folder that loads,
//! `--resume` finishes the run with the same model an uninterrupted run writes, and a killed `score -o FILE`
//! leaves `FILE.partial`, never a `FILE` that looks complete.

mod common;

use common::*;
use lurescan::Classifier;
use serde_json::json;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const LURES: [&str; 4] = [
    "earn 500 a day from home contact telegram now",
    "part time job easy money contact whatsapp today",
    "work abroad high salary passport free contact telegram",
    "urgent hiring abroad free visa contact telegram agent",
];
const LEGIT: [&str; 4] = [
    "senior accountant in boston reporting to the finance director",
    "software engineer to build our payments platform in berlin",
    "registered nurse for the night shift at the city hospital",
    "teacher of mathematics for a secondary school in leeds",
];

/// `lurescan train` of a tiny model on a tiny labelled file in `dir`, into `out`, for 3 epochs; `fault` kills it at
/// that point.
fn train(dir: &Path, out: &Path, seed: &str, fault: Option<&str>, resume: bool) -> Output {
    let data = dir.join("data.jsonl");
    if !data.exists() {
        let rows: String = [(1, LURES), (0, LEGIT)]
            .iter()
            .flat_map(|(label, texts)| texts.iter().map(move |t| json!({"text": t, "label": label}).to_string() + "\n"))
            .collect();
        fs::write(&data, rows).unwrap();
    }
    let d = data.to_str().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_lurescan"));
    command.args(["train", "--data", d, "--valid", d, "--out", out.to_str().unwrap(), "-q", "--epochs", "3"]);
    command.args(["--batch-size", "4", "--max-len", "16", "--hidden-size", "16", "--layers", "1", "--heads", "2"]);
    command.args(["--vocab-size", "300", "--patience", "0", "--threads", "1", "--no-augment", "--seed", seed]);
    if resume {
        command.arg("--resume");
    }
    match fault {
        Some(fault) => command.env("LURESCAN_FAULT", fault),
        None => command.env_remove("LURESCAN_FAULT"),
    };
    command.stdin(Stdio::null()).output().unwrap()
}

fn killed(output: &Output) -> bool {
    !output.status.success() && output.status.code().is_none()
}

/// Every folder beside `out` whose name starts with `out`'s: the model, its checkpoints and temporary folders.
fn siblings(out: &Path) -> Vec<PathBuf> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    let mut found: Vec<PathBuf> = fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && p.file_name().unwrap().to_string_lossy().starts_with(&name))
        .collect();
    found.sort();
    found
}

/// Asserts that no folder beside `out` other than `out` itself loads as a model.
fn only_out_loads(out: &Path) {
    for folder in siblings(out) {
        if folder != out {
            assert!(Classifier::load(&folder).is_err(), "{} loads as a model", folder.display());
        }
    }
}

#[test]
fn training_killed_while_checkpointing_resumes_to_the_same_model() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    assert!(train(dir.path(), &whole, "5", None, false).status.success());
    let expected = fs::read(whole.join("model.safetensors")).unwrap();

    // Killed while writing the second epoch's checkpoint: the first epoch's is whole.
    let out = dir.path().join("model");
    let run = train(dir.path(), &out, "5", Some("checkpoint-filled#2"), false);
    assert!(killed(&run), "{:?} {}", run.status, String::from_utf8_lossy(&run.stderr));
    assert!(!out.exists(), "no model folder before the end");
    let state: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("model.partial/checkpoint/state.json")).unwrap()).unwrap();
    assert_eq!(state["epochs_done"], 1);
    only_out_loads(&out);

    let run = train(dir.path(), &out, "5", None, true);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(fs::read(out.join("model.safetensors")).unwrap(), expected, "resumed = uninterrupted");
    assert!(!dir.path().join("model.partial").exists());
}

#[test]
fn training_killed_while_writing_the_model_folder_leaves_nothing_that_loads_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    assert!(train(dir.path(), &whole, "6", None, false).status.success());
    let expected = fs::read(whole.join("model.safetensors")).unwrap();

    // A first model in `out`, then a second run killed once its new folder is written but for lurescan.json.
    let out = dir.path().join("model");
    assert!(train(dir.path(), &out, "5", None, false).status.success());
    let first = fs::read(out.join("model.safetensors")).unwrap();
    let run = train(dir.path(), &out, "6", Some("folder-filled"), false);
    assert!(killed(&run));
    assert_eq!(fs::read(out.join("model.safetensors")).unwrap(), first, "the old model is whole");
    Classifier::load(&out).unwrap();
    assert!(siblings(&out).iter().any(|p| p.to_string_lossy().contains(".tmp-")), "{:?}", siblings(&out));
    only_out_loads(&out);

    // --resume writes the folder from the last checkpoint: the model of the uninterrupted run.
    let run = train(dir.path(), &out, "6", None, true);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(fs::read(out.join("model.safetensors")).unwrap(), expected);

    // Killed right after the new folder replaced the old one: the new one is whole and loads.
    let run = train(dir.path(), &out, "5", Some("folder-swapped"), false);
    assert!(killed(&run));
    assert_eq!(fs::read(out.join("model.safetensors")).unwrap(), first);
    Classifier::load(&out).unwrap();
}

/// `lurescan ARGS` reading a stdin the test writes to, its output and errors discarded.
fn spawn_reading_stdin(args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_lurescan"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Polls `done` every 20 ms. Not a timing assertion: a bound of five minutes, so that a broken build fails with
/// `failure` instead of hanging CI.
fn wait_until(done: impl Fn() -> bool, failure: &str) {
    for waited in 0.. {
        if done() {
            return;
        }
        assert!(waited < 15_000, "{failure}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn a_killed_score_leaves_a_partial_file_and_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scores.jsonl");
    fs::write(&out, "earlier results\n").unwrap();
    let model = tiny_model();
    let mut child =
        spawn_reading_stdin(&["score", "-m", model.to_str().unwrap(), "-f", "text", "-o", out.to_str().unwrap()]);
    // More than one chunk of records, then wait (stdin left open) until their rows are written.
    let mut stdin = child.stdin.take().unwrap();
    for i in 0..5000 {
        writeln!(stdin, "message number {i}: earn 500 a day, contact telegram").unwrap();
    }
    stdin.flush().unwrap();
    let partial = dir.path().join("scores.jsonl.partial");
    // A chunk ends at 4096 records or when stdin pauses: every row is written while stdin stays open.
    wait_until(
        || fs::read(&partial).is_ok_and(|bytes| bytes.iter().filter(|&&b| b == b'\n').count() == 5000),
        &format!("no rows were written to {}", partial.display()),
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    drop(stdin);
    assert_eq!(fs::read_to_string(&out).unwrap(), "earlier results\n", "FILE is the earlier, complete one");
    let written = fs::read_to_string(&partial).unwrap();
    let rows: Vec<serde_json::Value> = written.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 5000, "every record read so far, whole");
    assert_eq!(rows[4999]["line"], 5000);
    // The partial file a killed run left stops nobody: the next run writes FILE.
    let model = model.to_str().unwrap();
    let again = lurescan(&["score", "-m", model, "-f", "text", "-o", out.to_str().unwrap()], Some(b"one message\n"));
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(fs::read_to_string(&out).unwrap().lines().count(), 1);
}

#[test]
fn a_second_run_given_the_same_output_file_stops_and_leaves_the_first_one_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scores.jsonl");
    let model = tiny_model();
    let model = model.to_str().unwrap();
    let mut first = spawn_reading_stdin(&["score", "-m", model, "-f", "text", "-o", out.to_str().unwrap()]);
    let mut stdin = first.stdin.take().unwrap();
    for i in 0..50 {
        writeln!(stdin, "first run message {i}").unwrap();
    }
    stdin.flush().unwrap();
    let partial = dir.path().join("scores.jsonl.partial");
    wait_until(
        || fs::read(&partial).is_ok_and(|bytes| bytes.iter().filter(|&&b| b == b'\n').count() == 50),
        "the first run wrote no rows",
    );
    let second = lurescan(&["score", "-m", model, "-f", "text", "-o", out.to_str().unwrap()], Some(b"second run\n"));
    assert_eq!(second.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("another run is writing") && stderr.contains("its own -o FILE"), "{stderr}");
    drop(stdin);
    assert!(first.wait().unwrap().success());
    let written = fs::read_to_string(&out).unwrap();
    assert_eq!(written.lines().count(), 50, "the first run's rows, all of them and only them");
    let lines: Vec<u64> = written
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, (1..=50).collect::<Vec<u64>>());
    assert!(!partial.exists());
}

#[test]
fn a_killed_campaigns_leaves_no_file_that_looks_finished() {
    // campaigns writes its files at the end: killed while reading stdin, it leaves only FILE.partial, never a FILE
    // (which a pipeline would take for finished) nor an earlier FILE emptied.
    let dir = tempfile::tempdir().unwrap();
    let (rows, summary) = (dir.path().join("rows.jsonl"), dir.path().join("campaigns.jsonl"));
    fs::write(&summary, "earlier campaigns\n").unwrap();
    let mut child = spawn_reading_stdin(&[
        "campaigns",
        "--no-score",
        "-o",
        rows.to_str().unwrap(),
        "--summary",
        summary.to_str().unwrap(),
    ]);
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{{\"text\": \"earn 500 a day, contact telegram\"}}").unwrap();
    stdin.flush().unwrap();
    let partials = [dir.path().join("rows.jsonl.partial"), dir.path().join("campaigns.jsonl.partial")];
    wait_until(
        || partials.iter().all(|p| p.exists()),
        &format!("no .partial files were created in {}", dir.path().display()),
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    drop(stdin);
    assert!(!rows.exists(), "a killed run left {}", rows.display());
    assert_eq!(fs::read_to_string(&summary).unwrap(), "earlier campaigns\n");
}
