//! `lurescan serve` end to end: the built binary on a free loopback port with the tiny fixture model, spoken to by a
//! minimal HTTP/1.1 client over `TcpStream`. What needs a whole process lives here (threads per connection, a stderr
//! that is gone, signals, the log); the API and its limits are tested in process in `crates/server/tests`.

mod common;

use common::{fixture, lurescan, tiny_model};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;

/// A running `lurescan serve`, killed when dropped (also when a test panics).
struct Served {
    child: Child,
    addr: String,
    /// Collects the rest of stderr (the request log) until the server ends.
    log: Option<JoinHandle<String>>,
}

impl Served {
    /// Starts the server on port 0, reads the address it took from `listening on http://ADDR` on stderr, and waits
    /// until it is ready.
    fn start(extra: &[&str]) -> Served {
        let model = tiny_model();
        let mut child = Command::new(env!("CARGO_BIN_EXE_lurescan"))
            .args(["serve", "--model", model.to_str().unwrap(), "--addr", "127.0.0.1:0", "--threads", "2"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the lurescan binary runs");
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr is piped"));
        let mut served = Served { child, addr: String::new(), log: None };
        let mut seen = String::new();
        loop {
            let mut line = String::new();
            if stderr.read_line(&mut line).expect("stderr is readable") == 0 {
                panic!("lurescan serve ended before listening:\n{seen}");
            }
            seen.push_str(&line);
            if let Some((_, rest)) = line.split_once("listening on http://") {
                served.addr = rest.split_whitespace().next().expect("an address").to_string();
                break;
            }
        }
        served.log = Some(std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = stderr.read_to_string(&mut rest);
            rest
        }));
        // The port opens before the model is loaded; /v1/health says 200 once it is (a bounded wait, not a timing
        // assertion).
        for _ in 0..600 {
            if http(&served.addr, "GET", "/v1/health", &[], b"").0 == 200 {
                return served;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("lurescan serve never became ready");
    }

    /// One request on its own connection; returns the status and the body parsed as JSON.
    fn request(&self, method: &str, path: &str, body: &[u8]) -> (u16, Value) {
        let (status, _, body) = http(&self.addr, method, path, &[], body);
        let body = serde_json::from_slice(&body).unwrap_or_else(|e| {
            panic!("{method} {path}: the answer is not JSON ({e}): {}", String::from_utf8_lossy(&body))
        });
        (status, body)
    }

    fn score(&self, body: &Value) -> Value {
        let (status, answer) = self.request("POST", "/v1/score", body.to_string().as_bytes());
        assert_eq!(status, 200, "{answer}");
        answer
    }

    /// Stops the server and returns what it logged after `listening on`.
    fn stop(mut self) -> String {
        // SIGTERM: the server shuts down and flushes its non-blocking log. SIGKILL lost the request lines still
        // buffered when the machine was busy (seen in CI). Killed anyway if it has not ended after 30 s.
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        for _ in 0..300 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.log.take().expect("a log reader").join().expect("the log reader ends")
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.1 exchange with `Connection: close`: (status, head, body). The body is checked against the
/// answer's Content-Length.
fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).expect("the server accepts connections");
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-length")) {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("the request head is sent");
    stream.write_all(body).expect("the request body is sent");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("the answer is read");

    let split = answer.windows(4).position(|w| w == b"\r\n\r\n").expect("an answer head");
    let head = String::from_utf8(answer[..split].to_vec()).expect("an ASCII head");
    let body = answer[split + 4..].to_vec();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("a status code");
    let length: Option<usize> = head
        .lines()
        .find_map(|line| line.split_once(':').filter(|(name, _)| name.eq_ignore_ascii_case("content-length")))
        .map(|(_, value)| value.trim().parse().expect("a numeric Content-Length"));
    if let Some(length) = length {
        assert_eq!(length, body.len(), "Content-Length does not match the body of {method} {path}");
    }
    (status, head, body)
}

#[test]
fn one_record_gets_one_prediction() {
    let served = Served::start(&[]);
    let answer = served.score(&json!({"id": "a1", "text": "Job in Dubai, salary 3000 USD, send passport copy"}));
    let predictions = answer["predictions"].as_array().expect("predictions");
    assert_eq!(predictions.len(), 1, "{answer}");
    common::assert_scored(&predictions[0]);
    assert_eq!(predictions[0]["id"], "a1");
}

#[test]
fn a_broken_record_in_a_batch_fails_alone() {
    let served = Served::start(&[]);
    let answer = served.score(&json!({"records": [
        {"text": "Team meeting moved to 3pm"},
        [1, 2],
        {"id": "m3", "title": ["not", "a", "string"]},
        {"id": "m4"},
        {"id": 7, "title": "Nurse", "description": "Hospital in Berlin, contract"},
    ]}));
    let predictions = answer["predictions"].as_array().expect("predictions");
    assert_eq!(predictions.len(), 5, "{answer}");
    common::assert_scored(&predictions[0]);
    common::assert_error(&predictions[1], "expected a JSON object");
    common::assert_error(&predictions[2], "field `title` must be a string");
    common::assert_error(&predictions[3], "no text");
    common::assert_scored(&predictions[4]);
    // The record's id, else its position from 1, as `lurescan score` does.
    let ids: Vec<&Value> = predictions.iter().map(|p| &p["id"]).collect();
    assert_eq!(ids, [&json!(1), &json!(2), &json!("m3"), &json!("m4"), &json!("7")]);
}

#[test]
fn broken_requests_get_json_errors_and_the_server_goes_on() {
    let served = Served::start(&["--max-body", "4096"]);
    let (status, answer) = served.request("POST", "/v1/score", br#"{"text": "unterminated"#);
    assert_eq!(status, 400, "{answer}");
    let error = answer["error"].as_str().expect("an error message");
    assert!(error.contains("not valid JSON") && error.contains(r#"{"records": ["#), "{error}");

    let (status, answer) = served.request("POST", "/v1/score", b"[1, 2]");
    assert_eq!(status, 400, "{answer}");
    let (status, answer) = served.request("GET", "/v1/score", b"");
    assert_eq!(status, 405, "{answer}");
    let (status, answer) = served.request("GET", "/score", b"");
    assert_eq!(status, 404, "{answer}");
    let big = json!({"text": "a".repeat(5000)}).to_string();
    let (status, answer) = served.request("POST", "/v1/score", big.as_bytes());
    assert_eq!(status, 413, "{answer}");

    // A declared body far too large to read gets its 413 unread, and the connection is closed.
    let (status, head, answer) =
        http(&served.addr, "POST", "/v1/score", &[("Content-Length", "4611686018427387904")], b"{}");
    assert_eq!(status, 413, "{}", String::from_utf8_lossy(&answer));
    assert!(head.to_ascii_lowercase().contains("connection: close"), "{head}");

    let (status, answer) = served.request("GET", "/v1/health", b"");
    assert_eq!((status, &answer["status"]), (200, &json!("ok")));

    let mut served = served;
    assert!(served.child.try_wait().expect("the server's state").is_none(), "the server ended");
    let log = served.stop();
    assert!(log.contains(r#"method=POST path="/v1/score" status=400 records=0"#), "{log}");
    assert!(log.contains(r#"method=POST path="/v1/score" status=413"#), "{log}");
    assert!(log.contains(r#"method=GET path="/v1/health" status=200 records=0"#), "{log}");
}

#[test]
fn health_and_model_describe_the_model() {
    let served = Served::start(&["--threshold", "0.25"]);
    let (status, health) = served.request("GET", "/v1/health", b"");
    assert_eq!(status, 200, "{health}");
    assert_eq!(
        health,
        json!({"status": "ok", "model": {"name": "tiny-bert", "threshold": 0.25, "message_threshold": null, "max_length": 32}})
    );

    let (status, model) = served.request("GET", "/v1/model", b"");
    assert_eq!(status, 200, "{model}");
    assert_eq!(model["config"]["hidden_size"], 32);
    assert_eq!(model["settings"]["temperature"], 1.5);
    assert_eq!(model["settings"]["threshold"], 0.5, "lurescan.json as written");
    assert_eq!(model["serving"]["threshold"], 0.25, "the --threshold in use");
}

/// The same records through `lurescan score` and through the service: the same model and code path, so the scores
/// agree to within 1e-6 (batches are padded differently, which may move the last bits).
#[test]
fn scores_equal_lurescan_score() {
    let path = fixture("messages.jsonl");
    let scored = common::rows(&common::score(&[path.to_str().unwrap()], None));
    // The fixture's lines that are JSON at all (a JSON body cannot carry a broken line) become one batch.
    let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
    let (lines, records): (Vec<u64>, Vec<Value>) = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .filter_map(|(i, line)| serde_json::from_str::<Value>(line).ok().map(|value| (i as u64 + 1, value)))
        .unzip();
    assert!(records.len() >= 4, "the fixture has scorable records");

    let served = Served::start(&[]);
    let answer = served.score(&json!({ "records": records }));
    let predictions = answer["predictions"].as_array().expect("predictions");
    assert_eq!(predictions.len(), records.len());
    let mut compared = 0;
    for (line, served) in lines.iter().zip(predictions) {
        let row = scored.iter().find(|row| row["line"] == *line).expect("lurescan score has a row per line");
        assert_eq!(row["error"].is_null(), served["error"].is_null(), "line {line}: {row} vs {served}");
        if let (Some(a), Some(b)) = (row["score"].as_f64(), served["score"].as_f64()) {
            assert!((a - b).abs() <= 1e-6, "line {line}: lurescan score {a}, serve {b}");
            if (a - 0.5).abs() > 1e-6 {
                assert_eq!(row["label"], served["label"], "line {line} (threshold 0.5)");
            }
            compared += 1;
        }
        if row["id"].is_string() {
            assert_eq!(row["id"], served["id"], "line {line}");
        }
    }
    assert!(compared >= 3, "only {compared} scored records compared");
}

#[test]
fn an_addr_that_is_not_host_port_is_a_usage_error() {
    let model = tiny_model();
    let run = lurescan(&["serve", "--model", model.to_str().unwrap(), "--addr", "nonsense"], None);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("give HOST:PORT"));
}

#[test]
fn a_model_folder_that_is_not_there_fails_before_listening() {
    let run = lurescan(&["serve", "--model", "no/such/model", "--addr", "127.0.0.1:0"], None);
    assert_eq!(run.status.code(), Some(1));
    assert!(run.stdout.is_empty(), "nothing said it was listening: {}", String::from_utf8_lossy(&run.stdout));
    assert!(String::from_utf8_lossy(&run.stderr).contains("no/such/model: no such folder"));
}

/// The number of threads of a process, from /proc.
#[cfg(target_os = "linux")]
fn threads_of(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task")).expect("/proc is readable").count()
}

#[cfg(target_os = "linux")]
#[test]
fn held_connections_do_not_spawn_threads() {
    let served = Served::start(&[]);
    served.score(&json!({"text": "warm up"}));
    let before = threads_of(served.child.id());
    let held: Vec<TcpStream> = (0..300)
        .map(|_| {
            let mut stream = TcpStream::connect(&served.addr).expect("the server accepts connections");
            stream.write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n").expect("sent");
            let mut head = [0u8; 12];
            stream.read_exact(&mut head).expect("answered");
            stream
        })
        .collect();
    let during = threads_of(served.child.id());
    assert!(during <= before + 2, "{} held connections took the server from {before} to {during} threads", held.len());
    // Still answering, on a fresh connection.
    assert_eq!(served.request("GET", "/v1/health", b"").0, 200);
}

/// Starts `lurescan serve` with `stderr`, reading its address from stdout.
fn start_with_stderr(stderr: Stdio, shell_prefix: Option<&str>) -> (Child, String) {
    let model = tiny_model();
    let exe = env!("CARGO_BIN_EXE_lurescan");
    let args = ["serve", "--model", model.to_str().unwrap(), "--addr", "127.0.0.1:0", "--threads", "2"];
    let mut command = match shell_prefix {
        // `exec … 2>&-` runs it with file descriptor 2 closed, as a supervisor that lost its log might.
        Some(redirect) => {
            let mut c = Command::new("sh");
            c.arg("-c").arg(format!("exec \"$0\" \"$@\" {redirect}")).arg(exe).args(args);
            c
        }
        None => {
            let mut c = Command::new(exe);
            c.args(args);
            c
        }
    };
    let mut child = command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(stderr).spawn().expect("it runs");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("stdout is readable");
    let addr = line.trim().strip_prefix("listening on http://").unwrap_or_else(|| panic!("{line:?}")).to_string();
    (child, addr)
}

/// `n` GETs of `path` on one keep-alive connection; returns the statuses.
fn keep_alive_gets(addr: &str, path: &str, n: usize) -> Vec<u16> {
    let mut stream = BufReader::new(TcpStream::connect(addr).expect("the server accepts connections"));
    let mut statuses = Vec::with_capacity(n);
    for _ in 0..n {
        stream.get_mut().write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes()).expect("sent");
        let mut status_line = String::new();
        stream.read_line(&mut status_line).expect("a status line");
        statuses.push(status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("a status"));
        let mut length = 0;
        loop {
            let mut line = String::new();
            stream.read_line(&mut line).expect("a header line");
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().expect("a length");
                }
            }
        }
        let mut body = vec![0u8; length];
        stream.read_exact(&mut body).expect("the body");
    }
    statuses
}

#[test]
fn a_full_closed_or_stuck_stderr_never_stops_the_service() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full exists");
    for (name, stderr, prefix) in [
        ("/dev/full", Stdio::from(full), None),
        ("closed", Stdio::null(), Some("2>&-")),
        ("a pipe nobody reads", Stdio::piped(), None),
        ("a pipe whose reader is gone", Stdio::piped(), None),
    ] {
        let (mut child, addr) = start_with_stderr(stderr, prefix);
        let unread = child.stderr.take();
        if name == "a pipe whose reader is gone" {
            drop(unread);
        } else {
            std::mem::forget(unread); // kept open, never read (the pipe fills, then the log thread blocks)
        }
        // Each answer is logged: the log fails, blocks or drops lines; the answers do not.
        for i in 0..20 {
            let body = json!({"id": i, "text": "Earn 300 USD a day, pay the fee"}).to_string();
            let (status, _, answer) = http(&addr, "POST", "/v1/score", &[], body.as_bytes());
            assert_eq!(status, 200, "{name}: request {i}: {}", String::from_utf8_lossy(&answer));
        }
        // More lines than a pipe and the log's backlog hold.
        let statuses = keep_alive_gets(&addr, "/v1/health", 6000);
        assert!(statuses.iter().all(|&s| s == 200), "{name}: {:?}", statuses.iter().find(|&&s| s != 200));
        let (status, _, metrics) = http(&addr, "GET", "/metrics", &[], b"");
        assert_eq!(status, 200);
        let metrics = String::from_utf8_lossy(&metrics).into_owned();
        if name == "a pipe nobody reads" {
            let dropped = metrics
                .lines()
                .find_map(|l| l.strip_prefix("lurescan_log_lines_dropped_total "))
                .and_then(|v| v.parse::<u64>().ok())
                .expect("the dropped-lines counter");
            assert!(dropped > 0, "{name}: no log line was dropped though nothing reads stderr");
        }
        assert!(child.try_wait().unwrap().is_none(), "{name}: the server ended");
        let _ = child.kill();
        let _ = child.wait();
    }
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_cleanly() {
    let mut served = Served::start(&[]);
    served.score(&json!({"text": "hello"}));
    let status = Command::new("kill").args(["-TERM", &served.child.id().to_string()]).status().expect("kill runs");
    assert!(status.success());
    let exit = served.child.wait().expect("the server ends");
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    let log = served.log.take().unwrap().join().unwrap();
    assert!(log.contains("signal=\"SIGTERM\"") && log.contains("stopped"), "{log}");
    assert!(TcpStream::connect(&served.addr).is_err(), "still accepting after SIGTERM");
}

#[test]
fn request_paths_reach_the_log_escaped_and_cut() {
    let served = Served::start(&[]);
    for raw in [
        &b"GET /\x1b[2J\x1b[31mfake HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"[..],
        b"GET /caf\xc3\xa9\r HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ] {
        let mut stream = TcpStream::connect(&served.addr).expect("connects");
        stream.write_all(raw).expect("sent");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        assert!(answer.starts_with(b"HTTP/1.1 4"), "{}", String::from_utf8_lossy(&answer));
    }
    let long = format!("/{}", "a".repeat(20_000));
    let (status, _, answer) = http(&served.addr, "GET", &long, &[], b"");
    assert!(status >= 400 && answer.len() < 1000, "{status}: {} bytes", answer.len());
    let log = served.stop();
    assert!(!log.contains('\x1b') && !log.contains('\r'), "raw control bytes in the log: {log:?}");
    assert!(log.lines().all(|line| line.len() < 1000), "a long line in the log");
}

#[test]
fn a_model_that_does_not_load_is_logged_as_the_reason_the_server_stops() {
    let empty = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_lurescan"))
        .args(["serve", "--model", empty.path().to_str().unwrap(), "--addr", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .output()
        .expect("the lurescan binary runs");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reason =
        stderr.find("the model did not load; stopping").unwrap_or_else(|| panic!("no reason logged: {stderr}"));
    let stopped = stderr.find("stopped accepting connections").unwrap_or_else(|| panic!("{stderr}"));
    assert!(reason < stopped, "the log says it stopped before it says why: {stderr}");
    assert!(stderr.contains("config.json is missing"), "{stderr}");
}
