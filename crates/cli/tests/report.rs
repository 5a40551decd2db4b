//! `lurescan report` and `eval --plots`: the page's content, that it requests nothing from the network, and that
//! headless Chromium renders it (Debian's `chromium`, installed by `.ci/run`; on a machine without it the browser
//! tests say so and pass, except under CI, where a missing browser fails).

mod common;

use common::*;
use std::fs;
use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Writes the report of the labelled fixture into `dir` with the tiny model; returns its path and text.
fn report(dir: &Path, extra: &[&str]) -> (PathBuf, String) {
    let out = dir.join("report.html");
    let model = tiny_model();
    let input = fixture("campaigns.jsonl");
    // Threshold 0.5 on the tiny model's scores: some records are flagged, some not, whatever the tiny weights.
    let mut args = vec![
        "report",
        "-m",
        model.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--top-terms",
        "2",
        "--title",
        "Fixture <report>",
    ];
    args.extend_from_slice(extra);
    args.push(input.to_str().unwrap());
    let output = lurescan(&args, None);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let html = fs::read_to_string(&out).unwrap();
    (out, html)
}

#[test]
fn the_page_has_every_section() {
    let dir = tempfile::tempdir().unwrap();
    let (_, html) = report(dir.path(), &["--threshold", "0"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<title>Fixture &lt;report&gt;</title>"), "the title is escaped");
    // Histogram, PR curve and calibration: the fixture is labelled.
    assert_eq!(html.matches("<svg").count(), 3);
    assert!(html.contains("Precision–recall (average precision"));
    assert!(html.contains("Calibration (expected calibration error"));
    // With threshold 0 every readable record is flagged and shown, with evidence and contacts highlighted.
    assert_eq!(html.matches(r#"<article class="record">"#).count(), 11);
    assert!(html.contains(r#"<mark class="flag""#));
    assert!(html.contains(r#"<mark class="contact""#) && html.contains("zalo 0912111001"), "contacts highlighted");
    assert!(html.contains("campaign 1 · 4 records"));
    // The campaigns table: the reposts and the two lures sharing a Telegram account.
    assert!(html.contains("telegram golden_hr_desk"));
    assert!(html.contains(">11</b><span>flagged as lure (91.7%)"), "counts");
    // Every record is flagged: the labelled legitimate ones are marked as false alarms, and the page says how many.
    let false_alarms = html.matches("labelled legitimate in the input: a false alarm").count();
    assert!(false_alarms > 0, "{html}");
    assert!(html.contains(&format!("; {false_alarms} flagged records are labelled legitimate")), "{html}");
    assert!(html.contains("recall 1.000"), "with threshold 0 every lure is flagged");
}

#[test]
fn a_record_that_reads_as_a_warning_says_so_beside_its_flags() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("warning.jsonl");
    let warning = "Scam alert from the police: do not believe offers of customer service jobs in Cambodia with free \
                   flights and high salary. Victims are held in compounds and their passports are confiscated.";
    fs::write(&input, serde_json::json!({"id": "w1", "text": warning}).to_string() + "\n").unwrap();
    let out = dir.path().join("report.html");
    let model = tiny_model();
    let args = ["report", "-m", model.to_str().unwrap(), "--threshold", "0", "-o", out.to_str().unwrap()];
    let output = lurescan(&[&args[..], &[input.to_str().unwrap()]].concat(), None);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let html = fs::read_to_string(&out).unwrap();
    assert!(html.contains(r#"<span class="chip flag""#), "its flags are shown");
    assert!(html.contains("reads as a warning about these scams: no category counts"), "and what they count for");
}

#[test]
fn a_failed_report_leaves_the_earlier_page() {
    let dir = tempfile::tempdir().unwrap();
    let (out, html) = report(dir.path(), &[]);
    let gzipped = dir.path().join("gzipped.jsonl");
    fs::write(&gzipped, b"\x1F\x8B\x08\x00rest").unwrap();
    let model = tiny_model();
    let input = fixture("campaigns.jsonl");
    let args = ["report", "-m", model.to_str().unwrap(), "-o", out.to_str().unwrap()];
    let failed = lurescan(&[&args[..], &[input.to_str().unwrap(), gzipped.to_str().unwrap()]].concat(), None);
    assert_eq!(failed.status.code(), Some(1), "{}", String::from_utf8_lossy(&failed.stderr));
    assert_eq!(fs::read_to_string(&out).unwrap(), html, "the earlier page is kept whole");
    assert!(!dir.path().join("report.html.partial").exists());
}

#[test]
fn records_that_cannot_be_read_are_listed_and_label_values_that_are_not_labels_noted() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("scraped.jsonl");
    fs::write(
        &input,
        r#"{"id": "a", "text": "Free flight and visa, work in Cambodia", "label": "scam"}
{"id": "b", "text": "Bakery assistant, mornings", "label": "ham"}
{"id": "c", "msg": "Earn 500 a day liking videos", "label": "spam"}
{"id": "d", "text": "broken
{"id": "e", "text": "Night shift at the <b>hotel</b>", "label": "legit"}
"#,
    )
    .unwrap();
    let out = dir.path().join("r.html");
    let model = tiny_model();
    let args = ["report", "-m", model.to_str().unwrap(), "--top-terms", "0", "-o", out.to_str().unwrap()];
    let output = lurescan(&[&args[..], &[input.to_str().unwrap()]].concat(), None);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "scraped.jsonl: 2 records with a `label` that is not a label count as unlabelled: `ham` (1), `spam` (1)"
        ),
        "{stderr}"
    );
    let html = fs::read_to_string(out).unwrap();
    assert!(html.contains("Records that could not be read or scored<small>2 of 2"), "{html}");
    assert!(html.contains(r#"<td class="num">line 3</td><td class="id">c</td><td>no text: none of the record"#));
    assert!(html.contains(r#"<td class="num">line 4</td><td class="id">d</td><td>broken JSON"#), "{html}");
    // `scam` and `legit` are labels: the two records that carry a label the report reads. The others are said.
    assert!(html.contains("2 of 3 scored records carry a label"), "{html}");
    assert!(
        html.contains("2 records with a <code>label</code> that is not a label count as unlabelled: “ham” 1, “spam” 1"),
        "{html}"
    );
}

#[test]
fn unlabelled_input_has_no_pr_curve() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("plain.txt");
    fs::write(&input, "Free flight and visa, work in Cambodia, Telegram @hr_kh_desk\nBakery assistant, mornings\n")
        .unwrap();
    let out = dir.path().join("r.html");
    let model = tiny_model();
    let output = lurescan(
        &[
            "report",
            "-m",
            model.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--top-terms",
            "0",
            input.to_str().unwrap(),
        ],
        None,
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let html = fs::read_to_string(out).unwrap();
    assert_eq!(html.matches("<svg").count(), 1);
    assert!(html.contains("no `label` in the input"));
}

#[test]
fn the_header_gives_the_messages_own_threshold_unless_one_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let model = tiny_model_with(|settings| settings["message_threshold"] = serde_json::json!(0.125));
    let model = model.path();
    let input = dir.path().join("plain.txt");
    fs::write(&input, "Free flight and visa, work in Cambodia, Telegram @hr_kh_desk\n").unwrap();
    let out = dir.path().join("r.html");
    let page = |extra: &[&str]| {
        let mut args = vec!["report", "-m", model.to_str().unwrap(), "-o", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        args.push(input.to_str().unwrap());
        let output = lurescan(&args, None);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        fs::read_to_string(&out).unwrap()
    };
    assert!(page(&[]).contains("(messages 0.12)"), "the messages' threshold is in the header");
    let given = page(&["--threshold", "0.5"]);
    assert!(given.contains("threshold 0.50") && !given.contains("(messages"), "a given threshold applies to all");
}

#[test]
fn the_pr_curve_marks_the_point_of_the_labels_given_messages_at_their_own_threshold() {
    let dir = tempfile::tempdir().unwrap();
    // No posting reaches the threshold, every message its own: the labels given flag all four messages.
    let model = tiny_model_with(|settings| {
        settings["threshold"] = serde_json::json!(1.0);
        settings["message_threshold"] = serde_json::json!(0.0);
    });
    let model = model.path();
    let input = dir.path().join("labelled.jsonl");
    let rows = [
        ("Earn 500 a day liking videos", 1),
        ("Lunch at noon?", 0),
        ("Free flight, work in Cambodia", 1),
        ("Bus is late", 0),
    ];
    let lines: Vec<String> = rows.iter().map(|(t, l)| serde_json::json!({"text": t, "label": l}).to_string()).collect();
    fs::write(&input, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("r.html");
    let args = ["report", "-m", model.to_str().unwrap(), "--top-terms", "0", "-o", out.to_str().unwrap()];
    let output = lurescan(&[&args[..], &[input.to_str().unwrap()]].concat(), None);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let html = fs::read_to_string(&out).unwrap();
    assert!(html.contains("<title>threshold 1.00, messages 0.00: precision 0.500, recall 1.000</title>"), "{html}");
}

/// Attribute or CSS constructs through which a page loads something.
const FETCHING: &[&str] =
    &["src=", "href=", "srcset=", "url(", "@import", "<script", "<link", "<iframe", "<object", "<embed", "action="];

#[test]
fn the_page_loads_nothing_from_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let (_, html) = report(dir.path(), &["--threshold", "0"]);
    let lower = html.to_lowercase();
    for construct in FETCHING {
        assert!(!lower.contains(construct), "the report has {construct}");
    }
    // Links in the records are shown as escaped text only, and a policy forbids any fetch.
    assert!(html.contains("https://careers.megacorp-global.com/job/4100"));
    assert!(html.contains("default-src 'none'"));
}

/// Debian's Chromium, if installed.
fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .map(|name| Path::new("/usr/bin").join(name))
        .find(|path| path.exists());
    if found.is_none() {
        assert!(std::env::var_os("CI").is_none(), "CI must install chromium (.ci/run: apt-get install -y chromium)");
        eprintln!("chromium is not installed: browser test skipped (apt-get install chromium to run it)");
    }
    found
}

/// Hosts Chromium itself calls at start (its clock, sign-in and connectivity checks), even with background
/// networking off: seen through the proxy below on a page of plain text. Font and CDN hosts are not here, so a
/// page that loads one is caught.
const CHROMIUM_OWN_HOSTS: &[&str] = &[
    "clients2.google.com",
    "accounts.google.com",
    "www.google.com",
    "update.googleapis.com",
    "optimizationguide-pa.googleapis.com",
    "safebrowsingohttpgateway.googleapis.com",
    "redirector.gvt1.com",
];

/// The host a proxy request names: `CONNECT host:443 HTTP/1.1` or `GET http://host/path HTTP/1.1`.
fn requested_host(request_line: &str) -> String {
    let target = request_line.split_whitespace().nth(1).unwrap_or("");
    let target = target.split_once("://").map_or(target, |(_, rest)| rest);
    let authority = target.split('/').next().unwrap_or("");
    authority.rsplit_once(':').map_or(authority, |(host, _)| host).to_string()
}

/// Runs headless Chromium on `page` with every request sent to a proxy on loopback; returns the hosts requested,
/// other than Chromium's own.
fn chromium_run(browser: &Path, profile: &Path, page: &Path, action: &[String]) -> Vec<String> {
    let proxy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = proxy.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let hosts = seen.clone();
    proxy.set_nonblocking(true).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    let listener = std::thread::spawn(move || {
        // Until Chromium has exited and every connection it opened has been read.
        loop {
            match proxy.accept() {
                Ok((mut stream, _)) => {
                    let _ = stream.set_nonblocking(false);
                    let _ = stream.set_read_timeout(Some(Duration::from_millis(2000)));
                    let mut head = [0u8; 1024];
                    let n = stream.read(&mut head).unwrap_or(0);
                    let text = String::from_utf8_lossy(&head[..n]);
                    let host = requested_host(text.lines().next().unwrap_or(""));
                    // Chromium opens spare sockets to its proxy ahead of need (seen on a busy CI machine): a
                    // connection that sends no request line asks for nothing.
                    if !host.is_empty() {
                        hosts.lock().unwrap().push(host);
                    }
                }
                Err(_) if stopped.load(Ordering::SeqCst) => break,
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    });
    let status = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-domain-reliability",
            "--disable-client-side-phishing-detection",
            "--no-default-browser-check",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--proxy-server=http://127.0.0.1:{port}"))
        .arg("--proxy-bypass-list=<-loopback>")
        .args(action)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("chromium runs");
    assert!(status.success(), "chromium failed on {}", page.display());
    stop.store(true, Ordering::SeqCst);
    listener.join().unwrap();
    let hosts = seen.lock().unwrap().clone();
    hosts.into_iter().filter(|host| !CHROMIUM_OWN_HOSTS.contains(&host.as_str())).collect()
}

#[test]
fn request_lines_name_their_host() {
    assert_eq!(requested_host("CONNECT accounts.google.com:443 HTTP/1.1"), "accounts.google.com");
    assert_eq!(requested_host("GET http://lurescan-test.invalid/x.png HTTP/1.1"), "lurescan-test.invalid");
    assert_eq!(requested_host("GET http://fonts.googleapis.com:80/css HTTP/1.1"), "fonts.googleapis.com");
}

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn headless_chromium_renders_the_page_without_network_requests() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (page, _) = report(dir.path(), &["--threshold", "0"]);

    // The harness sees requests: a page with an external image makes the proxy count one.
    let control = dir.path().join("control.html");
    fs::write(&control, r#"<!DOCTYPE html><html><body><img src="http://lurescan-test.invalid/x.png"></body></html>"#)
        .unwrap();
    let profile = dir.path().join("profile");
    let dump = ["--dump-dom".to_string(), "--virtual-time-budget=3000".to_string()];
    let requested = chromium_run(&browser, &profile, &control, &dump);
    assert!(
        requested.iter().any(|host| host == "lurescan-test.invalid"),
        "the proxy must see the control page's request: {requested:?}"
    );

    // The report makes none, renders its charts, and screenshots to a full-size, non-blank image.
    assert_eq!(
        chromium_run(&browser, &profile, &page, &dump),
        Vec::<String>::new(),
        "the report made a network request"
    );
    let shot = dir.path().join("shot.png");
    let screenshot = [format!("--screenshot={}", shot.display()), "--window-size=1280,1600".to_string()];
    assert_eq!(chromium_run(&browser, &profile, &page, &screenshot), Vec::<String>::new());
    let png = fs::read(&shot).expect("chromium wrote the screenshot");
    assert_eq!(png_size(&png), (1280, 1600));
    // A blank 1280×1600 page compresses to a few KB; text, charts and colour take far more.
    assert!(png.len() > 60_000, "the screenshot looks blank ({} bytes)", png.len());
}

#[test]
fn eval_writes_the_same_charts() {
    let dir = tempfile::tempdir().unwrap();
    let plots = dir.path().join("plots");
    let model = tiny_model();
    let data = dir.path().join("labelled.jsonl");
    // The fixture without its broken line (eval stops on a bad row).
    let text = fs::read_to_string(fixture("campaigns.jsonl")).unwrap();
    fs::write(&data, text.lines().filter(|l| l.ends_with('}')).map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let output = lurescan(
        &["eval", "-m", model.to_str().unwrap(), "--data", data.to_str().unwrap(), "--plots", plots.to_str().unwrap()],
        None,
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let pr = fs::read_to_string(plots.join("pr_curve.svg")).unwrap();
    let calibration = fs::read_to_string(plots.join("calibration.svg")).unwrap();
    assert!(pr.starts_with("<svg") && pr.contains("average precision"));
    assert!(calibration.starts_with("<svg") && calibration.contains("<circle"));
}
