//! Resident memory of the built-in indicator catalogue: after compiling it, and after scanning texts on one and on
//! two threads (each thread keeps its own match caches).
//!
//! `cargo run --release -p lurescan --example catalogue_memory [-- RECORDS]` (Linux: reads /proc/self/status).

use lurescan::explain::Catalogue;
use lurescan::Record;
use std::time::Instant;

/// VmRSS and VmHWM of this process in MB (0 where /proc is missing).
fn rss() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| {
        status.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
    };
    (kb("VmRSS:").unwrap_or(0.0) / 1000.0, kb("VmHWM:").unwrap_or(0.0) / 1000.0)
}

fn report(step: &str) {
    let (now, peak) = rss();
    println!("{step:<40} RSS {now:7.1} MB   peak {peak:7.1} MB");
}

fn texts(n: usize) -> Vec<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../datasets/examples/");
    let mut base = Vec::new();
    for name in ["messages.jsonl", "postings.jsonl"] {
        for line in std::fs::read_to_string(format!("{root}{name}")).expect("examples").lines() {
            let row: serde_json::Value = serde_json::from_str(line).expect("json");
            let text: Vec<&str> = ["title", "company_profile", "description", "requirements", "benefits", "text"]
                .iter()
                .filter_map(|k| row.get(*k).and_then(|v| v.as_str()))
                .collect();
            base.push(text.join("\n"));
        }
    }
    (0..n).map(|k| format!("{} Ref {k}.", base[k % base.len()])).collect()
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let texts = texts(n);
    report("texts made");
    let catalogue = Catalogue::builtin();
    report("catalogue compiled");
    let start = Instant::now();
    let flags: usize = texts.iter().map(|t| catalogue.scan(&Record::from_text(t)).len()).sum();
    report(&format!("scanned on one thread ({:.2} s)", start.elapsed().as_secs_f64()));
    let start = Instant::now();
    let again: usize = std::thread::scope(|s| {
        let halves: Vec<_> = texts
            .chunks(texts.len().div_ceil(2))
            .map(|half| {
                s.spawn(move || half.iter().map(|t| catalogue.scan(&Record::from_text(t)).len()).sum::<usize>())
            })
            .collect();
        halves.into_iter().map(|h| h.join().unwrap()).sum()
    });
    report(&format!("scanned on two more threads ({:.2} s)", start.elapsed().as_secs_f64()));
    assert_eq!(flags, again);
    println!("{n} texts, {flags} flags");
}
