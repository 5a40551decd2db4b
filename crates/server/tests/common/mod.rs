//! An in-process server on a free loopback port with the tiny fixture model, whose model load the test can hold
//! back, and a minimal HTTP/1.1 client over `TcpStream` that shows exactly what the server sends.

#![allow(dead_code)] // each test file uses its own subset

use lurescan::{Classifier, ScoreOptions};
use lurescan_server::{Config, Limits, LogFormat, Model, Server};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

pub fn tiny_model() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../infer/tests/fixtures/tiny-bert")
}

pub fn tiny_classifier() -> Classifier {
    Classifier::load(tiny_model()).expect("the tiny fixture model loads")
}

/// A running server; stopped (as by SIGTERM) when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    /// Sending on it lets the model load (when started with [`TestServer::held`]).
    release: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<Result<(), String>>>,
}

impl TestServer {
    /// A server whose model is loaded: returns once `/v1/health` answers 200 (the model loads on a thread of its
    /// own; a request sent before then would get 503 `loading`). The connection that asked is closed by then, but
    /// the server may count it for a moment longer: a test of `max_connections` starts with [`TestServer::held`].
    pub fn start(limits: Limits) -> TestServer {
        TestServer::start_with(limits, tiny_classifier)
    }

    /// [`TestServer::start`] with the model `load` gives.
    pub fn start_with(limits: Limits, load: fn() -> Classifier) -> TestServer {
        let server = TestServer::held_with(limits, load);
        server.release_model();
        wait_until_ready(&mut server.connect());
        server
    }

    /// A server whose model loads only once [`TestServer::release_model`] is called.
    pub fn held(limits: Limits) -> TestServer {
        TestServer::held_with(limits, tiny_classifier)
    }

    /// [`TestServer::held`] with the model `make` gives.
    fn held_with(limits: Limits, make: fn() -> Classifier) -> TestServer {
        let config = Config {
            addr: "127.0.0.1:0".into(),
            limits,
            threads: 2,
            score: ScoreOptions::default(),
            log_format: LogFormat::Text,
        };
        let (addr_tx, addr_rx) = mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (release, released) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async move {
                let server = Server::bind(config).await.map_err(|e| e.to_string())?;
                addr_tx.send(server.local_addr()).expect("the test waits for the address");
                let load = move || -> Result<Model, String> {
                    released.recv().map_err(|_| "the test dropped the release".to_string())?;
                    Ok(Model { classifier: make(), name: "tiny".into() })
                };
                server
                    .serve(load, async {
                        let _ = stopped.await;
                    })
                    .await
                    .map_err(|e| e.to_string())
            })
        });
        let addr = addr_rx.recv_timeout(Duration::from_secs(60)).expect("the server binds");
        TestServer { addr, stop: Some(stop), release: Some(release), thread: Some(thread) }
    }

    pub fn release_model(&self) {
        if let Some(release) = &self.release {
            let _ = release.send(());
        }
    }

    /// Stops accepting (as SIGTERM does) without waiting.
    pub fn signal_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Stops and waits for `serve` to return.
    pub fn stop(mut self) -> Result<(), String> {
        self.signal_stop();
        self.release.take();
        self.thread.take().expect("running").join().expect("the server thread does not panic")
    }

    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).expect("the server accepts connections");
        // A safety net so that a broken server fails the test instead of hanging it; never a timing assertion.
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        stream
    }

    /// One request on its own connection: (status, head, body as JSON or Null).
    pub fn request(&self, method: &str, path: &str, body: &[u8]) -> Answer {
        let mut stream = self.connect();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        if method == "HEAD" {
            return read_head(&mut stream);
        }
        read_answer(&mut stream)
    }

    pub fn get(&self, path: &str) -> Answer {
        self.request("GET", path, b"")
    }

    pub fn score(&self, body: &Value) -> Answer {
        self.request("POST", "/v1/score", body.to_string().as_bytes())
    }

    /// The value of one sample line of `/metrics`, e.g. `lurescan_batch_records_count`.
    pub fn metric(&self, series: &str) -> f64 {
        let answer = self.get("/metrics");
        answer
            .text()
            .lines()
            .find_map(|line| line.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')))
            .map_or(0.0, |value| value.trim().parse().expect("a number"))
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.signal_stop();
        self.release.take();
    }
}

/// An HTTP answer as received.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.head, String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value (name in any case).
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_string())
        })
    }
}

/// Reads the head of an answer only.
pub fn read_head(stream: &mut TcpStream) -> Answer {
    let mut bytes = Vec::new();
    let mut byte = [0u8];
    while !bytes.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => bytes.push(byte[0]),
            other => panic!("the answer ended early ({other:?}): {:?}", String::from_utf8_lossy(&bytes)),
        }
    }
    let head = String::from_utf8(bytes).expect("an ASCII head");
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("a status code");
    Answer { status, head, body: Vec::new() }
}

/// Reads one answer: the head, then a body of its Content-Length (or to the end of the stream).
pub fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut answer = read_head(stream);
    match answer.header("content-length").map(|len| len.parse::<usize>().expect("a numeric length")) {
        Some(len) => {
            answer.body.resize(len, 0);
            stream.read_exact(&mut answer.body).expect("the whole body");
        }
        None => {
            stream.read_to_end(&mut answer.body).expect("the body");
        }
    }
    answer
}

/// Asks `GET /v1/health` on `stream` (kept alive) until it answers 200 rather than 503 `loading`; a bounded wait, not
/// a timing assertion.
pub fn wait_until_ready(stream: &mut TcpStream) {
    for _ in 0..6000 {
        stream.write_all(b"GET /v1/health HTTP/1.1\r\nHost: test\r\n\r\n").expect("the server keeps the connection");
        let answer = read_answer(stream);
        match answer.status {
            200 => return,
            503 if answer.json()["status"] == "loading" => std::thread::sleep(Duration::from_millis(10)),
            _ => panic!("health answered {} {}", answer.head, answer.text()),
        }
    }
    panic!("the model never loaded");
}

/// True when the server closed the connection: a read returns end of stream (or a reset), not data or a timeout.
pub fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => true,
        Err(e) => matches!(e.kind(), std::io::ErrorKind::ConnectionReset),
    }
}
