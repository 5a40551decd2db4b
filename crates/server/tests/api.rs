//! The HTTP API of `lurescan-server` in process: scoring shapes, dynamic batching across requests, back-pressure,
//! readiness, explanations, request ids and metrics.

mod common;

use common::{tiny_classifier, TestServer};
use lurescan::exemplars::{ExemplarSet, Nearest};
use lurescan::explain::Catalogue;
use lurescan::wire::{RowId, ScoredRow};
use lurescan::{Classifier, Record, ScoreOptions};
use lurescan_server::Limits;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{json, Value};
use std::thread;
use std::time::Duration;

/// Waits until `/metrics` shows `series` at `value` (requests queue asynchronously); a bounded wait, not a timing
/// assertion: it fails only if the state is never reached.
fn wait_for(server: &TestServer, series: &str, value: f64) {
    for _ in 0..600 {
        if server.metric(series) == value {
            return;
        }
        thread::sleep(Duration::from_millis(50));
    }
    panic!("{series} never reached {value} (now {})", server.metric(series));
}

/// The keys of a JSON object in the order they were written.
struct KeyOrder(Vec<String>);

impl<'de> Deserialize<'de> for KeyOrder {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = KeyOrder;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyOrder, A::Error> {
                let mut keys = Vec::new();
                while let Some((key, IgnoredAny)) = map.next_entry::<String, IgnoredAny>()? {
                    keys.push(key);
                }
                Ok(KeyOrder(keys))
            }
        }
        deserializer.deserialize_map(Keys)
    }
}

#[derive(Deserialize)]
struct Predictions {
    predictions: Vec<KeyOrder>,
}

#[test]
fn one_record_and_a_batch_keep_the_old_shapes() {
    let server = TestServer::start(Limits::default());
    let answer = server.score(&json!({"id": "a1", "text": "Job in Dubai, salary 3000 USD, send passport copy"}));
    assert_eq!(answer.status, 200, "{}", answer.text());
    let body = answer.json();
    let prediction = &body["predictions"][0];
    // The order as sent: serde_json's `Value` sorts its keys.
    let Predictions { predictions } = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(predictions[0].0, ["id", "score", "label", "error"], "no explanation fields unless asked: {body}");
    assert_eq!(prediction["id"], "a1");

    let answer = server.score(&json!({"records": [{"text": "Team meeting at 3pm"}, [1], {"id": 7, "title": "Nurse"}]}));
    let body = answer.json();
    let ids: Vec<&Value> = body["predictions"].as_array().unwrap().iter().map(|p| &p["id"]).collect();
    assert_eq!(ids, [&json!(1), &json!(2), &json!("7")]);
    assert!(body["predictions"][1]["error"].as_str().unwrap().starts_with("expected a JSON object"));
    assert!(body["predictions"][0]["score"].is_f64());
}

#[test]
fn a_utf16_body_is_named_as_such() {
    let server = TestServer::start(Limits::default());
    let utf16: Vec<u8> = "\u{FEFF}{\"text\": \"job\"}".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let answer = server.request("POST", "/v1/score", &utf16);
    assert_eq!(answer.status, 400);
    assert!(answer.text().contains("UTF-16") && answer.text().contains("iconv"), "{}", answer.text());
}

#[test]
fn a_key_beside_records_that_is_no_option_is_an_error_that_names_it() {
    let server = TestServer::start(Limits::default());
    for (body, key) in [
        (json!({"records": [{"text": "x"}], "explian": true}), "explian"),
        (json!({"records": [{"text": "x"}], "text": "outside"}), "text"),
    ] {
        let answer = server.score(&body);
        assert_eq!(answer.status, 400, "{}", answer.text());
        let error = answer.json()["error"].as_str().unwrap().to_string();
        assert!(error.contains(&format!("unknown key `{key}` beside `records`")), "{error}");
    }
    let options = json!({"records": [{"text": "x"}], "explain": false, "top_terms": 3, "top_terms_for": "all"});
    assert_eq!(server.score(&options).status, 200);
    // Options of explanations that were not asked for are a mistake, not ignored.
    let answer = server.score(&json!({"records": [{"text": "x"}], "top_terms": 3}));
    assert_eq!(answer.status, 400, "{}", answer.text());
    assert!(answer.text().contains(r#"`top_terms` is read only with `\"explain\": true`"#), "{}", answer.text());
}

#[test]
fn a_record_whose_keys_are_no_field_names_them() {
    let server = TestServer::start(Limits::default());
    for body in
        [json!({"id": "m1", "txt": "Earn 500 a day"}), json!({"records": [{"id": "m1", "txt": "Earn 500 a day"}]})]
    {
        let answer = server.score(&body);
        assert_eq!(answer.status, 200, "{}", answer.text());
        let prediction = &answer.json()["predictions"][0];
        assert_eq!(prediction["id"], "m1");
        let error = prediction["error"].as_str().unwrap();
        assert!(error.ends_with("not read: `txt` (rename it `text` to read it)"), "{error}");
    }
    // A single record's options are not among its keys.
    let answer = server.score(&json!({"msg": "x", "explain": true, "top_terms": 2}));
    let error = answer.json()["predictions"][0]["error"].as_str().unwrap().to_string();
    assert!(error.ends_with("not read: `msg` (rename it `text` to read it)"), "{error}");
}

#[test]
fn a_lone_surrogate_escape_is_read_as_the_replacement_character_and_the_batch_is_scored() {
    // An emoji cut in two by a scraper: JavaScript and Python write `\ud83d` alone, and read it back.
    let server = TestServer::start(Limits::default());
    let body = br#"{"records":[{"id":"ok1","text":"fine job"},{"id":"sur","text":"Great job in Dubai \ud83d"},{"id":"low","text":"\udc00 x"}]}"#;
    let answer = server.request("POST", "/v1/score", body);
    assert_eq!(answer.status, 200, "{}", answer.text());
    let body = answer.json();
    let predictions = body["predictions"].as_array().unwrap();
    let ids: Vec<&Value> = predictions.iter().map(|p| &p["id"]).collect();
    assert_eq!(ids, [&json!("ok1"), &json!("sur"), &json!("low")]);
    assert!(predictions.iter().all(|p| p["score"].is_f64() && p["error"].is_null()), "{body}");
}

#[test]
fn single_record_requests_waiting_together_are_scored_in_one_batch() {
    let server = TestServer::held(Limits::default());
    let clients: Vec<_> = (0..12)
        .map(|i| {
            let addr = server.addr;
            thread::spawn(move || {
                let body =
                    json!({"id": format!("r{i}"), "text": format!("Earn {i}00 USD a week from home, pay the fee")});
                let mut stream = std::net::TcpStream::connect(addr).unwrap();
                let body = body.to_string();
                let head =
                    format!("POST /v1/score HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n{body}", body.len());
                std::io::Write::write_all(&mut stream, head.as_bytes()).unwrap();
                common::read_answer(&mut stream)
            })
        })
        .collect();
    // All twelve wait in the queue while the model loads; then the worker takes them in one batch.
    wait_for(&server, "lurescan_queue_requests", 12.0);
    server.release_model();
    for (i, client) in clients.into_iter().enumerate() {
        let answer = client.join().unwrap();
        assert_eq!(answer.status, 200, "{}", answer.text());
        assert_eq!(answer.json()["predictions"][0]["id"], format!("r{i}"));
    }
    assert_eq!(server.metric("lurescan_batch_records_count"), 1.0, "one batch for twelve requests");
    assert_eq!(server.metric("lurescan_batch_records_sum"), 12.0);
    assert_eq!(server.metric("lurescan_records_scored_total"), 12.0);
}

#[test]
fn batches_stop_at_the_token_budget() {
    let text = "Earn 500 USD a week from home, pay the registration fee first";
    let tokens = tiny_classifier().encode(&Record::from_text(text)).unwrap().unwrap().len();
    // Room for three records per batch.
    let server = TestServer::held(Limits { max_batch_tokens: 3 * tokens + 1, ..Limits::default() });
    let clients: Vec<_> = (0..9)
        .map(|_| {
            let addr = server.addr;
            thread::spawn(move || {
                let body = json!({"text": text}).to_string();
                let mut stream = std::net::TcpStream::connect(addr).unwrap();
                let head =
                    format!("POST /v1/score HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n{body}", body.len());
                std::io::Write::write_all(&mut stream, head.as_bytes()).unwrap();
                common::read_answer(&mut stream).status
            })
        })
        .collect();
    wait_for(&server, "lurescan_queue_requests", 9.0);
    server.release_model();
    for client in clients {
        assert_eq!(client.join().unwrap(), 200);
    }
    assert_eq!(server.metric("lurescan_batch_records_count"), 3.0, "nine records in batches of three");
    assert_eq!(server.metric("lurescan_batch_tokens_sum"), 9.0 * tokens as f64);
    // A request bigger than the budget is scored a budget at a time rather than refused: three records, then two,
    // every record's prediction in its place.
    let records: Vec<Value> = (0..5).map(|i| json!({"id": format!("b{i}"), "text": text})).collect();
    let answer = server.score(&json!({ "records": records }));
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(server.metric("lurescan_batch_records_count"), 5.0);
    assert_eq!(server.metric("lurescan_batch_records_sum"), 14.0);
    let alone = tiny_classifier().predict(&[Record::from_text(text)], &ScoreOptions::default()).unwrap();
    let expected = f64::from(alone[0].as_ref().unwrap().score);
    let predictions = answer.json()["predictions"].as_array().unwrap().clone();
    assert_eq!(predictions.len(), 5);
    for (i, prediction) in predictions.iter().enumerate() {
        assert_eq!(prediction["id"], format!("b{i}"));
        assert!((prediction["score"].as_f64().unwrap() - expected).abs() < 1e-5, "{prediction}");
    }
}

#[test]
fn beyond_max_concurrent_requests_comes_429_while_health_and_metrics_answer() {
    let server = TestServer::held(Limits { max_concurrent_requests: 2, ..Limits::default() });
    let waiting: Vec<_> = (0..2)
        .map(|_| {
            let addr = server.addr;
            thread::spawn(move || {
                let body = json!({"text": "hello"}).to_string();
                let mut stream = std::net::TcpStream::connect(addr).unwrap();
                let head =
                    format!("POST /v1/score HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n{body}", body.len());
                std::io::Write::write_all(&mut stream, head.as_bytes()).unwrap();
                common::read_answer(&mut stream).status
            })
        })
        .collect();
    wait_for(&server, "lurescan_queue_requests", 2.0);
    let refused = server.score(&json!({"text": "one too many"}));
    assert_eq!(refused.status, 429, "{}", refused.text());
    assert_eq!(refused.header("retry-after").as_deref(), Some("1"));
    assert!(refused.json()["error"].as_str().unwrap().contains("--max-concurrent-requests"));
    // Not counted against the queue, and not waiting for it.
    let health = server.get("/v1/health");
    assert_eq!((health.status, &health.json()["status"]), (503, &json!("loading")));
    assert_eq!(server.get("/metrics").status, 200);
    assert_eq!(server.metric("lurescan_requests_rejected_total"), 1.0);

    server.release_model();
    for client in waiting {
        assert_eq!(client.join().unwrap(), 200);
    }
    let health = server.get("/v1/health");
    assert_eq!((health.status, &health.json()["status"]), (200, &json!("ok")));
    assert_eq!(server.score(&json!({"text": "room again"})).status, 200);
    assert_eq!(server.metric("lurescan_queue_requests"), 0.0);
}

#[test]
fn too_many_records_in_one_request_get_413() {
    let server = TestServer::start(Limits { max_client_batch: 3, ..Limits::default() });
    let batch = |n: usize| json!({"records": vec![json!({"text": "x"}); n]});
    assert_eq!(server.score(&batch(3)).status, 200);
    let answer = server.score(&batch(4));
    assert_eq!(answer.status, 413);
    assert!(answer.json()["error"].as_str().unwrap().contains("--max-client-batch"));
}

#[test]
fn explain_adds_the_flags_and_top_terms_the_cli_gives() {
    let server = TestServer::start(Limits::default());
    let text = "Free visa and flight to Dubai, pay the registration fee, keep your passport with the agent";
    let answer = server.score(&json!({"records": [{"id": "x", "text": text}, {"id": "empty"}], "explain": true, "top_terms_for": "all", "top_terms": 3}));
    assert_eq!(answer.status, 200, "{}", answer.text());
    let body = answer.json();
    let explained = &body["predictions"][0];
    let expected_flags = serde_json::to_value(Catalogue::builtin().scan(&Record::from_text(text))).unwrap();
    assert!(!expected_flags.as_array().unwrap().is_empty(), "the text trips indicators");
    assert_eq!(explained["flags"], expected_flags);
    let terms = explained["top_terms"].as_array().unwrap();
    assert_eq!(terms.len(), 3, "{explained}");
    for term in terms {
        let (start, end) = (term["start"].as_u64().unwrap() as usize, term["end"].as_u64().unwrap() as usize);
        assert_eq!(term["term"], text[start..end], "{term}");
    }
    // An error row has empty lists, as in `lurescan score --explain`.
    assert_eq!((&body["predictions"][1]["flags"], &body["predictions"][1]["top_terms"]), (&json!([]), &json!([])));

    // One record with "explain": true, default top terms only for lures.
    let one = server.score(&json!({"text": text, "explain": true})).json();
    assert!(one["predictions"][0]["flags"].is_array() && one["predictions"][0]["top_terms"].is_array(), "{one}");
}

/// The tiny model with one lure exemplar and one benign one.
fn tiny_classifier_with_exemplars() -> Classifier {
    let jsonl = r#"{"typology": "task_scam", "lang": "en", "text": "Earn 500 a day liking videos, top up to unlock tasks, ask your mentor", "label": "lure"}
{"typology": "shift_reminder", "lang": "en", "text": "Reminder: your shift at the warehouse starts at 7 am tomorrow", "label": "benign"}"#;
    let set = ExemplarSet::from_jsonl(jsonl, "test exemplars").unwrap();
    tiny_classifier().with_exemplars(set).unwrap()
}

#[test]
fn explain_adds_the_nearest_typology_and_exemplar_margin_the_cli_gives() {
    let server = TestServer::start_with(Limits::default(), tiny_classifier_with_exemplars);
    let texts = [
        "Earn 500 a day liking videos, top up to unlock tasks, ask your mentor",
        "Reminder: your shift at the warehouse starts at 7 am tomorrow",
    ];
    let records: Vec<Value> = texts.iter().map(|t| json!({"text": t})).collect();
    let answer = server.score(&json!({"records": records, "explain": true, "top_terms": 0}));
    assert_eq!(answer.status, 200, "{}", answer.text());
    let body = answer.json();

    // What `lurescan score --explain` writes: the library's row with the same evidence.
    let classifier = tiny_classifier_with_exemplars();
    let records: Vec<Record> = texts.iter().map(|t| Record::from_text(*t)).collect();
    let expected = classifier.predict_with_evidence(&records, &ScoreOptions::default()).unwrap();
    for (i, expected) in expected.into_iter().enumerate() {
        let (prediction, evidence) = expected.unwrap();
        let row = ScoredRow::new(RowId::Number(i as u64 + 1), Ok(prediction)).with_exemplar_evidence(evidence.unwrap());
        let served = &body["predictions"][i];
        // Read back as the library's types: JSON numbers are f64, the row's f32.
        assert_eq!(served["exemplar_margin"].as_f64().map(|m| m as f32), row.exemplar_margin, "{served}");
        let nearest: Option<Nearest> = serde_json::from_value(served["nearest_typology"].clone()).unwrap();
        assert_eq!(nearest, row.nearest_typology, "{served}");
    }
    // The lure exemplar's own text is nearest it, and nearer it than the benign one.
    let lure = &body["predictions"][0];
    assert!(lure["exemplar_margin"].as_f64().unwrap() > 0.0, "{lure}");
    assert_eq!(lure["nearest_typology"]["typology"], "task_scam", "{lure}");
    // The benign exemplar's text is nearer the benign one: no typology unless the tiny model flags it.
    let benign = &body["predictions"][1];
    assert!(benign["exemplar_margin"].as_f64().unwrap() < 0.0, "{benign}");
    assert_eq!(benign["nearest_typology"].is_null(), benign["label"] == "legitimate", "{benign}");

    // Without explain, neither.
    let plain = server.score(&json!({"records": [{"text": texts[0]}]})).json();
    assert!(plain["predictions"][0].get("nearest_typology").is_none(), "{plain}");
    assert!(plain["predictions"][0].get("exemplar_margin").is_none(), "{plain}");
}

/// Sends `body` to `/v1/score` on a connection of its own, on a thread of its own.
fn score_on_a_thread(server: &TestServer, body: Value) -> thread::JoinHandle<common::Answer> {
    let addr = server.addr;
    thread::spawn(move || {
        let body = body.to_string();
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        let head = format!("POST /v1/score HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n{body}", body.len());
        std::io::Write::write_all(&mut stream, head.as_bytes()).unwrap();
        common::read_answer(&mut stream)
    })
}

#[test]
fn explanations_never_hold_up_the_scoring_of_other_requests() {
    let server = TestServer::start(Limits::default());
    let text = "Earn 500 USD a day from home liking videos, no experience, pay the activation fee to your mentor on \
                Telegram, free flight and housing in Cambodia, salary paid weekly after the training deposit";
    let n = 200;
    let records = vec![json!({"text": text}); n];
    let heavy = score_on_a_thread(
        &server,
        json!({"records": records, "explain": true, "top_terms_for": "all", "top_terms": 64}),
    );
    // Its records are scored; their top terms (a model pass per word) are still being found when a plain request comes.
    wait_for(&server, "lurescan_records_scored_total", n as f64);
    let plain = server.score(&json!({"text": "Team meeting at 3pm"}));
    assert_eq!(plain.status, 200, "{}", plain.text());
    let answered = server.metric("lurescan_requests_total{route=\"/v1/score\",status=\"200\"}");
    assert_eq!(answered, 1.0, "the plain request waited for the other request's explanations");
    let heavy = heavy.join().unwrap();
    assert_eq!(heavy.status, 200, "{}", heavy.text());
    let body = heavy.json();
    let predictions = body["predictions"].as_array().unwrap();
    assert_eq!(predictions.len(), n);
    assert!(predictions.iter().all(|p| !p["top_terms"].as_array().unwrap().is_empty()), "every record explained");
}

#[test]
fn the_work_of_a_client_that_hung_up_is_dropped() {
    // A client that gives up on a request whose explanations take long (its own timeout): the request is no longer
    // in progress as soon as the server sees the connection end, instead of once its explanations are computed for
    // nobody. 5,000 records of 64 top terms each keep the tiny model busy for far longer than the wait below allows.
    let server = TestServer::start(Limits { max_client_batch: 5000, ..Limits::default() });
    let n = 5000;
    let text = "Earn 500 USD a day from home liking videos, no experience, pay the activation fee to your mentor on \
                Telegram, free flight and housing in Cambodia, salary paid weekly after the training deposit";
    let body =
        json!({"records": vec![json!({"text": text}); n], "explain": true, "top_terms_for": "all", "top_terms": 64})
            .to_string();
    let mut stream = server.connect();
    let head = format!("POST /v1/score HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n", body.len());
    std::io::Write::write_all(&mut stream, head.as_bytes()).unwrap();
    std::io::Write::write_all(&mut stream, body.as_bytes()).unwrap();
    wait_for(&server, "lurescan_records_scored_total", n as f64);
    assert_eq!(server.metric("lurescan_queue_requests"), 1.0, "its explanations are being computed");
    drop(stream);
    wait_for(&server, "lurescan_queue_requests", 0.0);
    // The server goes on answering.
    let plain = server.score(&json!({"text": "Team meeting at 3pm", "explain": true}));
    assert_eq!(plain.status, 200, "{}", plain.text());
}

#[test]
fn request_ids_are_echoed_when_sane_and_made_otherwise() {
    let server = TestServer::start(Limits::default());
    let mut stream = server.connect();
    std::io::Write::write_all(
        &mut stream,
        b"GET /v1/health HTTP/1.1\r\nHost: t\r\nx-request-id: trace-42.a\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    assert_eq!(common::read_answer(&mut stream).header("x-request-id").as_deref(), Some("trace-42.a"));

    let mut stream = server.connect();
    let long = "x".repeat(200);
    let head = format!("GET /v1/health HTTP/1.1\r\nHost: t\r\nx-request-id: {long}\r\nConnection: close\r\n\r\n");
    std::io::Write::write_all(&mut stream, head.as_bytes()).unwrap();
    let made = common::read_answer(&mut stream).header("x-request-id").unwrap();
    assert!(made != long && !made.is_empty() && made.len() <= 64, "{made}");
    let other = server.get("/v1/health").header("x-request-id").unwrap();
    assert_ne!(made, other, "each request gets its own id");
}

#[test]
fn metrics_count_requests_by_route_and_status() {
    let server = TestServer::start(Limits::default());
    // `start` asked for health until it answered 200.
    let health_ok = "lurescan_requests_total{route=\"/v1/health\",status=\"200\"}";
    assert_eq!(server.metric(health_ok), 1.0);
    server.score(&json!({"records": [{"text": "a"}, {"text": "b"}]}));
    server.request("POST", "/v1/score", b"{broken");
    server.get("/nowhere/at/all");
    server.get("/v1/health");
    let text = server.get("/metrics").text();
    for line in [
        "lurescan_requests_total{route=\"/v1/score\",status=\"200\"} 1",
        "lurescan_requests_total{route=\"/v1/score\",status=\"400\"} 1",
        "lurescan_requests_total{route=\"other\",status=\"404\"} 1",
        "lurescan_requests_total{route=\"/v1/health\",status=\"200\"} 2",
        "lurescan_records_scored_total 2",
        "lurescan_batch_records_count 1",
        "lurescan_queue_requests 0",
    ] {
        assert!(text.lines().any(|l| l == line), "no {line:?} in\n{text}");
    }
    for series in ["lurescan_queue_seconds_bucket", "lurescan_inference_seconds_bucket", "lurescan_connections "] {
        assert!(text.contains(series), "no {series} in\n{text}");
    }
}

#[test]
fn methods_and_paths_get_json_errors() {
    let server = TestServer::start(Limits::default());
    let answer = server.get("/v1/score");
    assert_eq!((answer.status, answer.header("allow").as_deref()), (405, Some("POST")));
    assert!(answer.json()["error"].as_str().unwrap().contains("use POST"));
    let answer = server.request("DELETE", "/v1/health", b"");
    assert_eq!((answer.status, answer.header("allow").as_deref()), (405, Some("GET, HEAD")));
    let answer = server.get("/v2/score");
    assert_eq!(answer.status, 404);
    assert!(answer.json()["error"].as_str().unwrap().contains("no endpoint /v2/score"));
    let head = server.request("HEAD", "/v1/health", b"");
    assert_eq!(head.status, 200);
}

#[test]
fn model_describes_the_model_and_the_serving_limits() {
    let server = TestServer::start(Limits { max_client_batch: 7, ..Limits::default() });
    let model = server.get("/v1/model").json();
    assert_eq!(model["name"], "tiny");
    assert_eq!(model["config"]["hidden_size"], 32);
    assert_eq!(model["settings"]["threshold"], 0.5);
    assert_eq!((&model["serving"]["max_client_batch"], &model["serving"]["max_records"]), (&json!(7), &json!(7)));
}

#[test]
fn the_content_type_is_named_when_the_body_is_not_json_and_ignored_when_it_is() {
    let server = TestServer::start(Limits::default());
    let post = |content_type: &str, body: &str| {
        let mut stream = server.connect();
        let head = format!(
            "POST /v1/score HTTP/1.1\r\nHost: t\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        std::io::Write::write_all(&mut stream, head.as_bytes()).unwrap();
        common::read_answer(&mut stream)
    };
    let csv = post("text/csv", "id,text\n1,Front desk clerk wanted\n");
    assert_eq!(csv.status, 400);
    let message = csv.json()["error"].as_str().unwrap().to_string();
    assert!(message.contains("not valid JSON") && message.contains("sent as text/csv"), "{message}");
    assert!(message.contains("lurescan score FILE.csv"), "{message}");
    // JSON is read whatever the type says: curl -d sends a form's type.
    let form = post("application/x-www-form-urlencoded", r#"{"id": "f1", "text": "Front desk clerk wanted"}"#);
    assert_eq!(form.status, 200, "{}", form.text());
    assert_eq!(form.json()["predictions"][0]["id"], "f1");
}

#[test]
fn a_region_makes_national_numbers_international_as_score_region_does() {
    let server = TestServer::start(Limits::default());
    let text = "Call center job abroad, write to Telegram @hr_asia_jobs or call 081 234 5678";
    let contacts = |region: Option<&str>| {
        let mut body = json!({"records": [{"text": text}], "explain": true, "top_terms": 0});
        if let Some(region) = region {
            body["region"] = json!(region);
        }
        let answer = server.score(&body);
        assert_eq!(answer.status, 200, "{}", answer.text());
        answer.json()["predictions"][0]["contacts"].clone()
    };
    let phone = |contacts: &Value| {
        let all = contacts.as_array().unwrap();
        all.iter().find(|c| c["kind"] == "phone").map(|c| c["value"].as_str().unwrap().to_string())
    };
    assert_eq!(phone(&contacts(Some("TH"))).as_deref(), Some("+66812345678"));
    assert_eq!(phone(&contacts(None)).as_deref(), Some("0812345678"));
    let answer = server.score(&json!({"records": [{"text": text}], "explain": true, "region": "Narnia"}));
    assert_eq!(answer.status, 400);
    assert!(answer.json()["error"].as_str().unwrap().contains("unknown region `Narnia`"), "{}", answer.text());
}
