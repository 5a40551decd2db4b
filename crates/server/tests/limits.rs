//! What protects the service from its clients, one regression test per failure of the tiny_http server it
//! replaced: oversized and malformed bodies, stalled and idle sockets, too many connections, long paths, and a
//! shutdown that finishes the requests in progress. Timeouts are set short so the tests run quickly; nothing here
//! asserts how fast anything is, only that the server ends each situation by itself.

mod common;

use common::{closed_by_server, read_answer, wait_until_ready, TestServer};
use lurescan_server::Limits;
use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

fn short_timeouts() -> Limits {
    Limits {
        header_timeout: Duration::from_millis(500),
        body_timeout: Duration::from_millis(500),
        idle_timeout: Duration::from_millis(500),
        ..Limits::default()
    }
}

fn send(stream: &mut TcpStream, bytes: &[u8]) {
    stream.write_all(bytes).expect("the request is sent");
}

#[test]
fn a_declared_body_over_max_body_gets_413_unread_and_the_connection_closes() {
    let server = TestServer::start(Limits { max_body: 4096, ..Limits::default() });
    // Up to u64::MAX - 2, the largest length hyper lets through.
    for length in ["5000", "4611686018427387904", "18446744073709551613"] {
        let mut stream = server.connect();
        send(
            &mut stream,
            format!("POST /v1/score HTTP/1.1\r\nHost: t\r\nContent-Length: {length}\r\n\r\n{{}}").as_bytes(),
        );
        let answer = read_answer(&mut stream);
        assert_eq!(answer.status, 413, "{length}: {}", answer.text());
        assert_eq!(answer.header("connection").as_deref(), Some("close"));
        assert!(answer.json()["error"].as_str().unwrap().contains("--max-body"));
        assert!(closed_by_server(&mut stream), "{length}: the connection stays open");
    }
    // hyper reserves the two largest values for its own use and refuses them itself, before any handler, with its
    // 431 and no body: unread and closed all the same.
    for length in ["18446744073709551614", "18446744073709551615"] {
        let mut stream = server.connect();
        send(
            &mut stream,
            format!("POST /v1/score HTTP/1.1\r\nHost: t\r\nContent-Length: {length}\r\n\r\n{{}}").as_bytes(),
        );
        let answer = read_answer(&mut stream);
        assert_eq!(answer.status, 431, "{length}: {}", answer.text());
        assert!(closed_by_server(&mut stream), "{length}: the connection stays open");
    }
    // Chunked: cut off once past the limit.
    let mut stream = server.connect();
    send(&mut stream, b"POST /v1/score HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
    let chunk = format!("1000\r\n{}\r\n", "a".repeat(0x1000));
    send(&mut stream, chunk.as_bytes());
    send(&mut stream, chunk.as_bytes());
    let answer = read_answer(&mut stream);
    assert_eq!(answer.status, 413);
    assert!(closed_by_server(&mut stream));
    // The server goes on.
    assert_eq!(server.get("/v1/health").status, 200);
}

#[test]
fn conflicting_and_negative_content_lengths_are_refused() {
    let server = TestServer::start(Limits::default());
    for lengths in [
        "Content-Length: 2\r\nContent-Length: 3",
        "Content-Length: -2",
        "Content-Length: 2, 2",
        "Content-Length: 2\r\nContent-Length: 2\r\nContent-Length: 3",
    ] {
        let mut stream = server.connect();
        send(&mut stream, format!("POST /v1/score HTTP/1.1\r\nHost: t\r\n{lengths}\r\n\r\n{{}}").as_bytes());
        let answer = read_answer(&mut stream);
        assert_eq!(answer.status, 400, "{lengths:?} was accepted: {}", answer.text());
        assert!(closed_by_server(&mut stream), "{lengths:?}: the connection stays open");
    }
    // Lines that agree are one length to hyper, which keeps one line (RFC 9110 section 8.6 allows that): the body is
    // framed by it, so a request sent right behind it is read as the next request, not as body.
    let mut stream = server.connect();
    send(&mut stream, b"POST /v1/score HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}");
    send(&mut stream, b"GET /v1/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    let scored = read_answer(&mut stream);
    assert_eq!(scored.status, 200, "{}", scored.text());
    assert_eq!(scored.json()["predictions"].as_array().map(Vec::len), Some(1), "{}", scored.text());
    let health = read_answer(&mut stream);
    assert_eq!((health.status, &health.json()["status"]), (200, &json!("ok")));
}

#[test]
fn a_request_head_that_never_ends_is_cut_off() {
    let server = TestServer::start(short_timeouts());
    let mut stream = server.connect();
    send(&mut stream, b"POST /v1/score HTTP/1.1\r\nHost: t\r\n");
    // Trickle header lines faster than the idle timeout, for up to 20 head timeouts: only the head timeout can
    // close this connection.
    stream.set_read_timeout(Some(Duration::from_millis(10))).unwrap();
    let mut closed = false;
    for _ in 0..50 {
        thread::sleep(Duration::from_millis(200));
        let mut byte = [0u8; 1];
        match stream.read(&mut byte) {
            Ok(0) => closed = true,
            Ok(_) => {} // hyper may answer 408 before closing
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(_) => closed = true,
        }
        if closed || stream.write_all(b"X-Slow: 1\r\n").is_err() {
            closed = true;
            break;
        }
    }
    assert!(closed, "a head trickling in for 10 s keeps its connection");
}

#[test]
fn a_body_that_stops_arriving_gets_408_and_the_connection_closes() {
    let server = TestServer::start(short_timeouts());
    let mut stream = server.connect();
    send(&mut stream, b"POST /v1/score HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n{\"text\":");
    let answer = read_answer(&mut stream);
    assert_eq!(answer.status, 408, "{}", answer.text());
    assert!(answer.json()["error"].as_str().unwrap().contains("--body-timeout"));
    assert!(closed_by_server(&mut stream));
}

#[test]
fn silent_connections_are_closed_before_and_between_requests() {
    let server = TestServer::start(short_timeouts());
    // Never sends a byte.
    let mut silent = server.connect();
    assert!(closed_by_server(&mut silent), "a silent connection is kept");
    // Keep-alive after one answer.
    let mut kept = server.connect();
    send(&mut kept, b"GET /v1/health HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(read_answer(&mut kept).status, 200);
    assert!(closed_by_server(&mut kept), "an idle keep-alive connection is kept");
}

#[test]
fn a_request_waiting_for_its_batch_is_not_idle() {
    let server = TestServer::held(short_timeouts());
    let mut stream = server.connect();
    let body = json!({"text": "hello"}).to_string();
    send(
        &mut stream,
        format!("POST /v1/score HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes(),
    );
    // Several idle timeouts pass while the model loads; the request stays.
    thread::sleep(Duration::from_millis(1500));
    server.release_model();
    assert_eq!(read_answer(&mut stream).status, 200);
}

#[test]
fn connections_over_the_limit_get_503_and_are_closed() {
    // Not `start`: its readiness check would leave a connection the server may still count.
    let server = TestServer::held(Limits { max_connections: 3, ..Limits::default() });
    server.release_model();
    // Three idle connections fill the limit (each has been answered, so it is surely accepted; the first waits there
    // for the model).
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut stream = server.connect();
        wait_until_ready(&mut stream);
        held.push(stream);
    }
    let mut extra = server.connect();
    let answer = read_answer(&mut extra);
    assert_eq!(answer.status, 503, "{}", answer.text());
    assert_eq!(answer.header("retry-after").as_deref(), Some("1"));
    assert!(closed_by_server(&mut extra));
    drop(held);
    // Room again once they close (the server notices the close asynchronously).
    for _ in 0..200 {
        if server.get("/v1/health").status == 200 {
            return;
        }
        thread::sleep(Duration::from_millis(25));
    }
    panic!("closed connections never freed their places");
}

#[test]
fn long_and_strange_paths_are_not_echoed() {
    let server = TestServer::start(Limits::default());
    let long = format!("/{}", "a".repeat(10_000));
    let answer = server.get(&long);
    assert!(matches!(answer.status, 404 | 414 | 431), "{}", answer.status);
    assert!(answer.body.len() < 1000, "the path came back: {} bytes", answer.body.len());
    // Percent-escapes of control bytes: a client that decodes the message would print an escape sequence.
    let answer = server.get("/%1b%5b31mred");
    assert_eq!(answer.status, 404);
    assert!(!answer.text().contains("%1b") && !answer.text().contains("31mred"), "{}", answer.text());
    // Raw control bytes in the request line never reach a handler.
    let mut stream = server.connect();
    send(&mut stream, b"GET /\x1b[31mred HTTP/1.1\r\nHost: t\r\n\r\n");
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).expect("an answer");
    assert_eq!(&head, b"HTTP/1.1 400");
    // A head over max_header_bytes gets 431.
    let mut stream = server.connect();
    let big = format!("GET /v1/health HTTP/1.1\r\nHost: t\r\nX-Big: {}\r\n\r\n", "b".repeat(64 << 10));
    let _ = stream.write_all(big.as_bytes());
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).expect("an answer");
    assert_eq!(&head, b"HTTP/1.1 431");
}

#[test]
fn shutdown_finishes_requests_in_progress_and_refuses_new_connections() {
    let mut server = TestServer::held(Limits::default());
    let mut stream = server.connect();
    let body = json!({"records": [{"text": "in progress"}]}).to_string();
    send(
        &mut stream,
        format!("POST /v1/score HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes(),
    );
    for _ in 0..600 {
        if server.metric("lurescan_queue_requests") == 1.0 {
            break;
        }
        thread::sleep(Duration::from_millis(50));
    }
    let addr = server.addr;
    server.signal_stop();
    // The listener closes: new connections are refused.
    let mut refused = false;
    for _ in 0..200 {
        if TcpStream::connect(addr).is_err() {
            refused = true;
            break;
        }
        thread::sleep(Duration::from_millis(25));
    }
    assert!(refused, "new connections are still accepted after the stop");
    // The request in progress is still answered, then the connection closes.
    server.release_model();
    let answer = read_answer(&mut stream);
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.json()["predictions"].as_array().map(Vec::len), Some(1));
    assert!(closed_by_server(&mut stream));
    assert_eq!(server.stop(), Ok(()));
}

#[test]
fn during_the_shutdown_delay_health_says_stopping_and_requests_are_still_scored() {
    // Long enough that the checks below land inside it on a loaded machine; the test waits it out at the end.
    let limits = Limits { shutdown_delay: Duration::from_secs(8), ..Limits::default() };
    let mut server = TestServer::start(limits);
    assert_eq!(server.get("/v1/health").status, 200);
    server.signal_stop();
    let mut health = server.get("/v1/health");
    for _ in 0..200 {
        if health.status != 200 {
            break;
        }
        thread::sleep(Duration::from_millis(10));
        health = server.get("/v1/health");
    }
    assert_eq!(health.status, 503, "{}", health.text());
    assert_eq!(health.json()["status"], "stopping");
    // A load balancer that has not polled yet still sends requests: they are served, on new connections too.
    let answer = server.score(&json!({"text": "still served"}));
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert!(answer.json()["predictions"][0]["score"].is_number());
    assert_eq!(server.stop(), Ok(()));
}

#[test]
fn a_model_that_fails_to_load_stops_the_server_with_its_error() {
    use lurescan::ScoreOptions;
    use lurescan_server::{Config, LogFormat, Model, Server};
    let config = Config {
        addr: "127.0.0.1:0".into(),
        limits: Limits::default(),
        threads: 1,
        score: ScoreOptions::default(),
        log_format: LogFormat::Text,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let result = runtime.block_on(async {
        let server = Server::bind(config).await.unwrap();
        let load = || -> Result<Model, String> { Err("no model.safetensors in /nowhere".into()) };
        server.serve(load, std::future::pending()).await
    });
    let error = result.expect_err("the server stops").to_string();
    assert!(error.contains("no model.safetensors in /nowhere"), "{error}");
}

#[test]
fn a_compressed_body_gets_415_saying_so() {
    let server = TestServer::start(Limits::default());
    let mut stream = server.connect();
    let body = b"\x1f\x8b\x08\x00";
    let head = format!(
        "POST /v1/score HTTP/1.1\r\nHost: test\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let answer = read_answer(&mut stream);
    assert_eq!(answer.status, 415);
    assert!(answer.json()["error"].as_str().unwrap().contains("Content-Encoding: gzip"), "{}", answer.text());
}
