//! Hostile inputs and faults, end to end: nothing lost, no panic, no hang, no silent wrong answer. Each test names
//! the promise of RELIABILITY.md it checks.

mod common;

use common::*;
use serde_json::json;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

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

/// A labelled JSONL file; `group` gives every record that group.
fn write_data(path: &Path, group: Option<&str>) {
    let mut out = String::new();
    for (label, texts) in [("lure", LURES), ("legitimate", LEGIT)] {
        for t in texts {
            let mut row = json!({"text": t, "label": label});
            if let Some(group) = group {
                row["group"] = json!(group);
            }
            out.push_str(&row.to_string());
            out.push('\n');
        }
    }
    fs::write(path, out).unwrap();
}

/// Flags of a tiny, fast training run.
const TINY: [&str; 20] = [
    "--batch-size",
    "4",
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
    "--no-augment",
    "--no-lexical",
];

/// `lurescan ARGS` with stdout and stderr sent where `stdout`/`stderr` say.
fn run_with(args: &[&str], stdout: Stdio, stderr: Stdio) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lurescan"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .output()
        .expect("lurescan runs")
}

fn dev_full() -> Stdio {
    Stdio::from(fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full exists"))
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn inputs_are_never_written_even_when_the_output_is_inside_an_input_folder() {
    let dir = tempfile::tempdir().unwrap();
    let ads = dir.path().join("ads.jsonl");
    fs::copy(fixture("messages.jsonl"), &ads).unwrap();
    let before = fs::read(&ads).unwrap();
    let model = tiny_model();
    let model = model.to_str().unwrap();
    let folder = dir.path().to_str().unwrap();

    // score DIR -o DIR/ads.jsonl
    let run = lurescan(&["score", "-m", model, folder, "-o", ads.to_str().unwrap()], None);
    assert_eq!(run.status.code(), Some(2), "{}", stderr_of(&run));
    assert!(stderr_of(&run).contains("one of the files of the input folder"), "{}", stderr_of(&run));
    assert_eq!(fs::read(&ads).unwrap(), before, "the input is untouched");

    // cd DIR; score . -o ads.jsonl
    let run = Command::new(env!("CARGO_BIN_EXE_lurescan"))
        .args(["score", "-m", model, ".", "-o", "ads.jsonl"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2), "{}", stderr_of(&run));
    assert_eq!(fs::read(&ads).unwrap(), before, "the input is untouched");

    // An earlier output in the folder is recognised and replaced, not read as an input.
    let out = dir.path().join("scores.jsonl");
    for _ in 0..2 {
        score(&[folder, "-o", out.to_str().unwrap()], None);
        assert_eq!(fs::read_to_string(&out).unwrap().lines().count(), 7);
    }
    let csv_out = dir.path().join("scores.csv");
    for _ in 0..2 {
        score(&[folder, "-o", csv_out.to_str().unwrap()], None);
        assert_eq!(fs::read_to_string(&csv_out).unwrap().lines().count(), 8, "header and 7 rows");
    }
    assert_eq!(fs::read(&ads).unwrap(), before);
}

#[test]
fn a_folder_file_that_opens_with_blank_lines_is_an_input() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.jsonl"), "\n\n{\"id\": \"x\", \"text\": \"hello\"}\n").unwrap();
    fs::write(dir.path().join("b.csv"), "\r\nid,text\ny,hi there\n").unwrap();
    fs::write(dir.path().join("empty.jsonl"), "\n \n").unwrap();
    let rows = rows(&score(&[dir.path().to_str().unwrap()], None));
    let ids: Vec<&str> = rows.iter().map(|row| row["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["x", "y"], "not taken for the results of an earlier run");
}

#[test]
fn a_closed_or_full_stdout_or_stderr_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.jsonl");
    write_data(&data, None);
    let d = data.to_str().unwrap();
    let model = tiny_model();
    let m = model.to_str().unwrap();
    let messages = fixture("messages.jsonl");
    let messages = messages.to_str().unwrap();

    // Results to a full disk: an error naming stdout, exit 75 (temporary: the same command may succeed once there is
    // room).
    for args in [
        &["eval", "-m", m, "--data", d][..],
        &["eval", "-m", m, "--data", d, "--json"],
        &["score", "-m", m, messages],
        &["explain", "-m", m, "--text", "free visa"],
    ] {
        let run = run_with(args, dev_full(), Stdio::piped());
        assert_eq!(run.status.code(), Some(75), "{args:?}: {}", stderr_of(&run));
        assert!(stderr_of(&run).contains("No space left on device"), "{args:?}: {}", stderr_of(&run));
        assert!(!stderr_of(&run).contains("panicked"), "{args:?}: {}", stderr_of(&run));
    }
    // Logs to a full disk: the results are written, the log is dropped, the run succeeds.
    let run = run_with(&["score", "-m", m, messages], Stdio::piped(), dev_full());
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(rows(&run).len(), 7);
    let run = run_with(&["eval", "-m", m, "--data", d], Stdio::piped(), dev_full());
    assert_eq!(run.status.code(), Some(0));

    // Training and pre-training write their model, then print: a reader that went away (`| head -1`) or a full
    // disk changes nothing about the model, and nothing panics.
    let out = dir.path().join("model");
    let o = out.to_str().unwrap();
    let mut train = vec!["train", "--data", d, "--valid", d, "--out", o, "--epochs", "1"];
    train.extend(TINY);
    let mut child = Command::new(env!("CARGO_BIN_EXE_lurescan"))
        .args(&train)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader is gone before anything is printed
    let run = child.wait_with_output().unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", stderr_of(&run));
    assert!(out.join("lurescan.json").is_file());
    let run = run_with(&train, dev_full(), dev_full());
    assert_eq!(run.status.code(), Some(75), "the summary could not be written");
    let encoder = dir.path().join("encoder");
    let mut pretrain = vec!["pretrain", "--data", d, "--out", encoder.to_str().unwrap(), "--epochs", "1"];
    pretrain.extend(&TINY[..12]);
    let run = run_with(&pretrain, dev_full(), Stdio::piped());
    assert_eq!(run.status.code(), Some(75), "{}", stderr_of(&run));
    assert!(stderr_of(&run).contains("cannot write to stdout"), "{}", stderr_of(&run));
    let run = run_with(&pretrain, Stdio::piped(), dev_full());
    assert_eq!(run.status.code(), Some(0));
}

#[test]
fn score_to_a_full_disk_ends_with_a_clear_error() {
    let messages = fixture("messages.jsonl");
    let model = tiny_model();
    let run = run_with(
        &["score", "-m", model.to_str().unwrap(), messages.to_str().unwrap(), "-o", "/dev/full"],
        Stdio::piped(),
        Stdio::piped(),
    );
    assert_eq!(run.status.code(), Some(75));
    let stderr = stderr_of(&run);
    assert!(
        stderr.contains("cannot write results to /dev/full") && stderr.contains("No space left on device"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn output_files_appear_only_complete() {
    // A run that fails half-way leaves FILE.partial (named in the error) and no FILE; an earlier FILE is kept. A
    // UTF-16 file is refused before anything is scored; from a pipe it is found only when read, half-way.
    let dir = tempfile::tempdir().unwrap();
    let good = fixture("messages.jsonl");
    let utf16 = dir.path().join("utf16.jsonl");
    let made = Command::new("mkfifo").arg(&utf16).status().expect("mkfifo runs");
    assert!(made.success());
    let fifo = utf16.clone();
    let writer = std::thread::spawn(move || {
        // Fails with a broken pipe once lurescan stops reading, which is all right.
        let _ = fs::write(&fifo, b"\xFF\xFE{\0}\0\n\0");
    });
    let out = dir.path().join("scores.jsonl");
    fs::write(&out, "earlier results\n").unwrap();
    let model = tiny_model();
    let run = lurescan(
        &[
            "score",
            "-m",
            model.to_str().unwrap(),
            good.to_str().unwrap(),
            utf16.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.status.code(), Some(1));
    let partial = dir.path().join("scores.jsonl.partial");
    assert!(stderr_of(&run).contains("the rows written so far are in"), "{}", stderr_of(&run));
    assert_eq!(fs::read_to_string(&out).unwrap(), "earlier results\n");
    assert_eq!(fs::read_to_string(&partial).unwrap().lines().count(), 7, "the first input's rows");
    writer.join().unwrap();

    // A run that finishes renames its FILE.partial to FILE.
    score(&[good.to_str().unwrap(), "-o", out.to_str().unwrap()], None);
    assert_eq!(fs::read_to_string(&out).unwrap().lines().count(), 7);
    assert!(!partial.exists());
}

#[cfg(unix)]
#[test]
fn an_output_naming_a_file_descriptor_is_written_through_it() {
    // `{ echo header; lurescan ... -o /dev/stdout; echo after; } > log.txt`: the rows land between the two lines
    // (never a log.txt.partial renamed over log.txt, nor log.txt opened anew and truncated), for every command.
    let dir = tempfile::tempdir().unwrap();
    let messages = fixture("messages.jsonl");
    let model = tiny_model();
    let (lurescan_bin, model, messages) =
        (env!("CARGO_BIN_EXE_lurescan"), model.to_str().unwrap(), messages.to_str().unwrap());
    let link = dir.path().join("to-stdout");
    std::os::unix::fs::symlink("/dev/stdout", &link).unwrap();
    let link = link.to_str().unwrap();
    for (command, output, redirect) in [
        ("score", "/dev/stdout", ">"),
        ("score", "/dev/fd/1", ">>"),
        ("score", "/proc/self/fd/1", ">"),
        ("score", link, ">"),
        ("campaigns --no-score", "/dev/stdout", ">"),
        ("report", "/dev/stdout", ">"),
    ] {
        let log = dir.path().join("log.txt");
        let script = format!(
            "{{ echo header; \"$0\" {command} -q -m \"$1\" \"$2\" -o {output}; echo after; }} {redirect} \"$3\""
        );
        let run = Command::new("sh")
            .args(["-c", &script, lurescan_bin, model, messages, log.to_str().unwrap()])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(run.status.success(), "{command} -o {output}: {}", stderr_of(&run));
        let written = fs::read_to_string(&log).unwrap();
        assert!(written.starts_with("header\n") && written.ends_with("\nafter\n"), "{command} -o {output}: {written}");
        assert!(written.lines().count() > 3, "{command} -o {output}: no results in {written}");
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 2, "{command} -o {output}: only log.txt and the link, found {left:?}");
        fs::remove_file(&log).unwrap();
    }
}

#[test]
fn a_missing_input_says_so_whatever_its_name() {
    // A folder that does not exist has no extension: its name is not what is wrong with it.
    let dir = tempfile::tempdir().unwrap();
    let model = tiny_model();
    for missing in ["scraped/", "scraped", "nope.jsonl"] {
        let path = dir.path().join(missing);
        let path = path.to_str().unwrap();
        for command in ["score", "campaigns"] {
            let run = lurescan(&[command, "-m", model.to_str().unwrap(), path], None);
            let stderr = stderr_of(&run);
            assert_eq!(run.status.code(), Some(1), "{command} {missing}: {stderr}");
            assert!(stderr.contains(&format!("cannot open input {path}: no such file or folder")), "{stderr}");
        }
    }
}

#[test]
fn earlier_results_joined_back_to_their_records_are_read_from_a_folder() {
    // Rows of an earlier run that also hold the record's text are records to score, not results to skip.
    let dir = tempfile::tempdir().unwrap();
    let enriched =
        "{\"id\":\"x\",\"line\":3,\"score\":0.5,\"label\":\"lure\",\"error\":null,\"text\":\"Earn 500 a day\"}\n";
    fs::write(dir.path().join("enriched.jsonl"), enriched).unwrap();
    let model = tiny_model();
    let run = lurescan(&["score", "-q", "-m", model.to_str().unwrap(), dir.path().to_str().unwrap()], None);
    let rows = rows(&run);
    assert_eq!(rows.len(), 1, "{}", stderr_of(&run));
    assert_eq!(rows[0]["id"], "x");
    assert_scored(&rows[0]);
}

#[test]
fn quiet_runs_say_nothing_on_stderr() {
    // A folder holding an earlier run's results (noted without -q), and warnings from the environment.
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("messages.jsonl"), dir.path().join("ads.jsonl")).unwrap();
    let earlier = "{\"id\":1,\"line\":1,\"score\":0.5,\"label\":\"lure\",\"error\":null}\n";
    fs::write(dir.path().join("earlier.jsonl"), earlier).unwrap();
    let folder = dir.path().to_str().unwrap();
    let model = tiny_model();
    let model = model.to_str().unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    let report = out.join("report.html");
    let commands: [&[&str]; 3] = [
        &["score", "-m", model, folder],
        &["campaigns", "-m", model, folder],
        &["report", "-m", model, folder, "-o", report.to_str().unwrap()],
    ];
    for args in commands {
        let run = |quiet: bool| {
            let mut command = Command::new(env!("CARGO_BIN_EXE_lurescan"));
            command.args(args).args(quiet.then_some("-q")).stdin(Stdio::null());
            command.env("RAYON_NUM_THREADS", "abc").env("LURESCAN_INT8_KERNEL", "foo").output().unwrap()
        };
        let loud = run(false);
        assert!(loud.status.success(), "{args:?}: {}", stderr_of(&loud));
        for expected in
            ["earlier.jsonl holds the results of an earlier run", "RAYON_NUM_THREADS", "LURESCAN_INT8_KERNEL"]
        {
            assert!(stderr_of(&loud).contains(expected), "{args:?} without -q: {}", stderr_of(&loud));
        }
        let quiet = run(true);
        assert!(quiet.status.success(), "{args:?} -q: {}", stderr_of(&quiet));
        assert_eq!(stderr_of(&quiet), "", "{args:?} -q");
    }
}

#[test]
fn a_utf16_file_is_read_as_its_text() {
    // Excel's "Unicode Text" export: UTF-16, little-endian, with a byte order mark, tab-separated; and the same rows
    // big-endian without a mark (the order found from the NUL bytes of the header row).
    let dir = tempfile::tempdir().unwrap();
    let text: String = "id\ttext\tlocation\tsalary_range\r\n".to_string()
        + &(1..=50).map(|i| format!("m{i}\tmessage {i}: ยินดีต้อนรับ\t\t\r\n")).collect::<String>();
    let little: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let big: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let model = tiny_model();
    let plain = dir.path().join("plain.tsv");
    fs::write(&plain, &text).unwrap();
    let expected = rows(&lurescan(&["score", "-q", "-m", model.to_str().unwrap(), plain.to_str().unwrap()], None));
    assert_eq!(expected.len(), 50);
    for (name, bytes) in [("little.tsv", little), ("big.tsv", big)] {
        let path = dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        let run = lurescan(&["score", "-m", model.to_str().unwrap(), path.to_str().unwrap()], None);
        assert!(run.status.success(), "{name}: {}", stderr_of(&run));
        assert_eq!(rows(&run), expected, "{name}: the same rows as the UTF-8 file");
        assert!(stderr_of(&run).contains(&format!("note: {} is UTF-16 text: read as such", path.display())));
    }
}

#[test]
fn a_bad_file_in_a_folder_stops_the_run_before_any_file_is_scored() {
    // A good file first in name order, then a compressed one, then a good one: nothing is scored, the error names
    // the bad file, and no results (not even FILE.partial) are left.
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("mixed");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("a.jsonl"), "{\"text\": \"hello\"}\n").unwrap();
    fs::write(folder.join("b.jsonl"), b"PK\x03\x04rest").unwrap();
    fs::write(folder.join("c.jsonl"), "{\"text\": \"bye\"}\n").unwrap();
    let out = dir.path().join("out.jsonl");
    let model = tiny_model();
    let run = lurescan(
        &["score", "-q", "-m", model.to_str().unwrap(), folder.to_str().unwrap(), "-o", out.to_str().unwrap()],
        None,
    );
    assert_eq!(run.status.code(), Some(1));
    let stderr = stderr_of(&run);
    assert!(stderr.contains("b.jsonl") && stderr.contains("unzip -p"), "{stderr}");
    assert!(!out.exists() && !dir.path().join("out.jsonl.partial").exists(), "nothing scored, nothing written");
    // A compressed file in the folder: the same, with its command.
    fs::write(folder.join("b.jsonl"), b"\x1F\x8B\x08\x00rest").unwrap();
    let run = lurescan(&["score", "-q", "-m", model.to_str().unwrap(), folder.to_str().unwrap()], None);
    assert_eq!(run.status.code(), Some(1));
    assert!(run.stdout.is_empty(), "no row of a.jsonl before the error");
    assert!(stderr_of(&run).contains("gunzip -c"), "{}", stderr_of(&run));
}

#[test]
fn a_compressed_input_is_refused_with_its_own_decompress_command() {
    let dir = tempfile::tempdir().unwrap();
    let model = tiny_model();
    for (name, command) in [
        ("ads.jsonl.xz", "xz -dc ADS | lurescan score -f jsonl -"),
        ("ads.csv.zst", "zstd -dc ADS | lurescan score -f csv -"),
        ("ads.jsonl.bz2", "bunzip2 -c ADS | lurescan score -f jsonl -"),
        ("ads.zip", "unzip -p ADS | lurescan score -f jsonl -"),
        ("ads.txt.gz", "gunzip -c ADS | lurescan score -f text -"),
    ] {
        let path = dir.path().join(name);
        fs::write(&path, "not read").unwrap();
        let path = path.to_str().unwrap();
        let run = lurescan(&["score", "-m", model.to_str().unwrap(), path], None);
        assert_eq!(run.status.code(), Some(2), "{name}");
        let stderr = stderr_of(&run);
        assert!(stderr.contains(&command.replace("ADS", path)), "{stderr}");
        assert_eq!(stderr.contains("gunzip"), name.ends_with(".gz"), "{stderr}");
    }
    // Found by its first bytes, whatever its name: the same command, on the file given.
    let path = dir.path().join("ads.jsonl");
    fs::write(&path, b"\xFD7zXZ\x00\x00\x04").unwrap();
    let path = path.to_str().unwrap();
    let stderr = stderr_of(&lurescan(&["score", "-m", model.to_str().unwrap(), path], None));
    assert!(stderr.contains("xz-compressed"), "{stderr}");
    assert!(stderr.contains(&format!("xz -dc {path} | lurescan score -f jsonl -")), "{stderr}");
    let path = dir.path().join("export.dat");
    fs::write(&path, b"\x1F\x8B\x08\x00rest").unwrap();
    let path = path.to_str().unwrap();
    let stderr = stderr_of(&lurescan(&["score", "-m", model.to_str().unwrap(), "-f", "csv", path], None));
    assert!(stderr.contains(&format!("gunzip -c {path} | lurescan score -f csv -")), "{stderr}");
}

#[test]
fn csv_files_joined_with_cat_give_one_row_per_record() {
    // `cat a.csv b.csv` of two exports that start with a BOM: the second BOM and header are not a record, and
    // no row is an error.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("joined.csv");
    let export =
        |ids: [&str; 2]| format!("\u{FEFF}id,text\r\n{},free visa\r\n{},\"earn daily,\r\nno fee\"\r\n", ids[0], ids[1]);
    fs::write(&path, export(["a1", "a2"]) + &export(["b1", "b2"])).unwrap();
    let found = rows(&score(&["-q", path.to_str().unwrap()], None));
    assert_eq!(ids_and_lines(&found), [(json!("a1"), 2), (json!("a2"), 3), (json!("b1"), 6), (json!("b2"), 7)]);
    found.iter().for_each(assert_scored);
}

#[test]
fn ids_come_back_exactly_as_written_and_bad_ids_are_error_rows() {
    let input = concat!(
        "{\"id\": 18446744073709551616, \"text\": \"a\"}\n",
        "{\"id\": 18446744073709551617, \"text\": \"b\"}\n",
        "{\"id\": 1e2, \"text\": \"c\"}\n",
        "{\"id\": {\"x\": 1}, \"text\": \"d\"}\n",
        "{\"id\": [1], \"text\": \"e\"}\n",
        "{\"id\": true, \"text\": \"f\"}\n",
        "{\"text\": \"g\"}\n",
        "{\"id\": \"\", \"text\": \"h\"}\n",
    );
    let rows = rows(&score(&[], Some(input.as_bytes())));
    let ids: Vec<_> = rows.iter().map(|r| r["id"].clone()).collect();
    assert_eq!(
        ids,
        [
            json!("18446744073709551616"),
            json!("18446744073709551617"),
            json!("1e2"),
            json!(4),
            json!(5),
            json!(6),
            json!(7),
            json!("")
        ]
    );
    for row in &rows[3..6] {
        assert_error(row, "`id` must be a string or a number");
    }
    assert_scored(&rows[6]);
    assert_scored(&rows[7]);
    // An empty CSV id cell is no id (CSV cannot write none otherwise): the row gets its number.
    let csv_rows = common::rows(&score(&["-f", "csv"], Some(b"id,text\n,free visa\nb2,earn daily\n")));
    assert_eq!(ids_and_lines(&csv_rows), [(json!(1), 2), (json!("b2"), 3)]);
}

#[test]
fn cr_only_line_ends_give_one_row_per_line() {
    // Old Mac files: a lure must not merge into the record before it, and JSON Lines must not turn into one
    // broken-JSON row.
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("cr.txt");
    fs::write(&text, "Earn 500 a day liking videos\rYour parcel arrives tomorrow\r").unwrap();
    let texts = rows(&score(&["-q", text.to_str().unwrap()], None));
    assert_eq!(ids_and_lines(&texts), [(json!(1), 1), (json!(2), 2)]);
    texts.iter().for_each(assert_scored);
    let jsonl = dir.path().join("cr.jsonl");
    fs::write(
        &jsonl,
        "{\"id\":\"a\",\"text\":\"x\"}\r{\"id\":\"b\",\"text\":\"y\"}\r\r\n{\"id\":\"c\",\"text\":\"z\"}",
    )
    .unwrap();
    let objects = rows(&score(&["-q", jsonl.to_str().unwrap()], None));
    assert_eq!(ids_and_lines(&objects), [(json!("a"), 1), (json!("b"), 2), (json!("c"), 4)]);
    objects.iter().for_each(assert_scored);
}

#[test]
fn invalid_utf8_error_rows_keep_the_input_id_and_say_how_to_convert() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("latin1.csv");
    fs::write(&csv, b"id,title,description\nAD-77,Caf\xe9 manager,Run it\n").unwrap();
    let jsonl = dir.path().join("latin1.jsonl");
    fs::write(&jsonl, b"{\"id\":\"AD-78\",\"text\":\"caf\xe9\"}\n").unwrap();
    let found = rows(&score(&["-q", csv.to_str().unwrap(), jsonl.to_str().unwrap()], None));
    assert_eq!(ids_and_lines(&found), [(json!("AD-77"), 2), (json!("AD-78"), 1)]);
    for row in &found {
        assert_error(row, "invalid UTF-8: ");
        let error = row["error"].as_str().unwrap();
        assert_eq!(error.matches("iconv -f WINDOWS-1252 -t UTF-8 ").count(), 1, "{error}");
    }
    let named =
        |row: &serde_json::Value| row["error"].as_str().unwrap().split("convert it: ").nth(1).unwrap().to_string();
    let (csv, jsonl) = (csv.to_str().unwrap(), jsonl.to_str().unwrap());
    assert_eq!(
        named(&found[0]),
        format!("iconv -f WINDOWS-1252 -t UTF-8 {csv} > {})", csv.replace(".csv", ".utf8.csv"))
    );
    assert_eq!(
        named(&found[1]),
        format!("iconv -f WINDOWS-1252 -t UTF-8 {jsonl} > {})", jsonl.replace(".jsonl", ".utf8.jsonl"))
    );
}

#[test]
fn a_huge_thread_count_in_the_environment_is_capped_with_a_warning() {
    let messages = fixture("messages.txt");
    let model = tiny_model();
    for var in ["RAYON_NUM_THREADS", "CANDLE_NUM_THREADS"] {
        let run = Command::new(env!("CARGO_BIN_EXE_lurescan"))
            .args(["score", "-m", model.to_str().unwrap(), messages.to_str().unwrap()])
            .env(var, "10000")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", stderr_of(&run));
        assert!(
            stderr_of(&run).contains(&format!("warning: {var}=10000 is more than 4 threads per core")),
            "{}",
            stderr_of(&run)
        );
        assert_eq!(rows(&run).len(), 3);
    }
    let run = Command::new(env!("CARGO_BIN_EXE_lurescan"))
        .args(["score", "-m", model.to_str().unwrap(), messages.to_str().unwrap()])
        .env("RAYON_NUM_THREADS", "lots")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(run.status.success());
    assert!(stderr_of(&run).contains("RAYON_NUM_THREADS=\"lots\" is not a positive number"), "{}", stderr_of(&run));
}

#[test]
fn an_unknown_kernel_name_in_the_environment_is_ignored_with_a_warning_and_scores_as_unset() {
    let messages = fixture("messages.txt");
    let model = tiny_model();
    let run = |env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lurescan"));
        command.args(["score", "-m", model.to_str().unwrap(), "--precision", "int8", messages.to_str().unwrap()]);
        command.env_remove("LURESCAN_INT8_KERNEL").env_remove("LURESCAN_ATTENTION").stdin(Stdio::null());
        command.envs(env.iter().copied()).output().unwrap()
    };
    let unset = run(&[]);
    assert!(unset.status.success(), "{}", stderr_of(&unset));
    let typo = run(&[("LURESCAN_INT8_KERNEL", "avx9"), ("LURESCAN_ATTENTION", "sse")]);
    assert!(typo.status.success(), "{}", stderr_of(&typo));
    let stderr = stderr_of(&typo);
    assert!(
        stderr.contains("warning: LURESCAN_INT8_KERNEL=\"avx9\" names no int8 kernel (amx, avx512, avx2, reference)"),
        "{stderr}"
    );
    assert!(stderr.contains("warning: LURESCAN_ATTENTION=\"sse\" is not one of avx2, scalar"), "{stderr}");
    assert_eq!(rows(&typo), rows(&unset));
    assert_eq!(rows(&typo).len(), 3);
    // A name it knows says nothing.
    let known = run(&[("LURESCAN_INT8_KERNEL", "reference")]);
    assert!(!stderr_of(&known).contains("warning"), "{}", stderr_of(&known));
}

#[test]
fn errors_show_no_backtrace_and_say_a_json_error_once() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken");
    fs::create_dir(&broken).unwrap();
    for name in ["config.json", "model.safetensors", "tokenizer.json", "lurescan.json"] {
        fs::copy(tiny_model().join(name), broken.join(name)).unwrap();
    }
    // Weights of another shape than config.json says: a candle error inside.
    let mut config: serde_json::Value = serde_json::from_slice(&fs::read(broken.join("config.json")).unwrap()).unwrap();
    config["hidden_size"] = json!(config["hidden_size"].as_u64().unwrap() * 2);
    fs::write(broken.join("config.json"), config.to_string()).unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_lurescan"))
        .args(["score", "-m", broken.to_str().unwrap(), "-f", "text"])
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = stderr_of(&run);
    assert!(stderr.contains("does not match config.json"), "{stderr}");
    assert!(!stderr.contains("backtrace") && !stderr.contains("0: ") && stderr.lines().count() == 1, "{stderr}");

    fs::write(broken.join("config.json"), "{\"hidden_size\": ").unwrap();
    let run = lurescan(&["score", "-m", broken.to_str().unwrap(), "-f", "text"], None);
    let stderr = stderr_of(&run);
    assert_eq!(stderr.matches("EOF while parsing").count(), 1, "{stderr}");
}

#[test]
fn explain_with_an_empty_text_says_what_to_pass() {
    let model = tiny_model();
    for text in ["", "   "] {
        let run = lurescan(&["explain", "-m", model.to_str().unwrap(), "--text", text], None);
        assert_eq!(run.status.code(), Some(2));
        let stderr = stderr_of(&run);
        assert!(stderr.contains("--text is empty") && !stderr.contains("the text has no text"), "{stderr}");
    }
}

#[test]
fn training_data_in_one_group_says_the_hold_out_took_the_group() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.jsonl");
    write_data(&data, Some("all"));
    let out = dir.path().join("model");
    let mut args = vec!["train", "--data", data.to_str().unwrap(), "--out", out.to_str().unwrap(), "--epochs", "1"];
    args.extend(TINY);
    let run = lurescan(&args, None);
    assert_eq!(run.status.code(), Some(1));
    let stderr = stderr_of(&run);
    assert!(stderr.contains("in 1 `group` (\"all\")") && stderr.contains("keeps each group whole"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn a_csv_field_over_the_limit_is_one_error_row_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.csv");
    let mut data = b"id,text\na,free visa and flight\nb,\"".to_vec();
    data.extend(b"0123456789".repeat(1 << 20));
    data.extend(b"\"\nc,earn 500 a day\n");
    fs::write(&path, data).unwrap();
    let rows = rows(&score(&[path.to_str().unwrap()], None));
    // The error row keeps the id written before the long cell.
    assert_eq!(ids_and_lines(&rows), [(json!("a"), 2), (json!("b"), 3), (json!("c"), 4)]);
    assert_error(&rows[1], "the CSV record that starts here is longer than 8388608 bytes");
    assert!(!rows[1]["error"].as_str().unwrap().contains("quote"));
    assert_scored(&rows[2]);
}
