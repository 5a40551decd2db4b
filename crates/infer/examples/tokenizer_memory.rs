//! The memory a `tokenizer.json` takes once loaded, and the time to tokenize 20,000 texts with it: lurescan's own
//! loading (`LureTokenizer::from_bytes`) beside the `tokenizers` crate's (`Tokenizer::from_bytes`, wrapped).
//!
//! `cargo run --release -p lurescan --example tokenizer_memory -- [lurescan|crate] [DIR]` (DIR defaults to
//! models/lurescan-base). Run each loader in its own process: the resident memory of one would hide the other's.
//! The texts are datasets/examples' messages and postings, varied by a running number and a rotation of their words.

use lurescan::LureTokenizer;
use std::path::PathBuf;
use std::time::Instant;

/// `field` of /proc/self/status in MB (VmRSS: resident now, VmHWM: the peak so far); 0 where there is no /proc.
fn status_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap_or("");
    let kb: f64 = line.split_whitespace().nth(1).and_then(|k| k.parse().ok()).unwrap_or(0.0);
    kb / 1024.0
}

/// CPU seconds used by this process so far, from /proc/self/stat (0 where there is no /proc).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks: f64 = fields.get(11..13).map_or(0.0, |f| f.iter().filter_map(|t| t.parse::<f64>().ok()).sum());
    ticks / 100.0
}

/// The `text` of each line of datasets/examples/*.jsonl, varied to `n` texts.
fn texts(n: usize) -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../datasets/examples");
    let mut base = Vec::new();
    for name in ["messages.jsonl", "postings.jsonl"] {
        let data = std::fs::read_to_string(root.join(name)).expect("datasets/examples is readable");
        for line in data.lines().filter(|l| !l.trim().is_empty()) {
            let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            if let Some(text) = value.get("text").and_then(|t| t.as_str()) {
                base.push(text.to_string());
            }
        }
    }
    (0..n)
        .map(|i| {
            let words: Vec<&str> = base[i % base.len()].split_whitespace().collect();
            let k = (i / base.len()) % words.len().max(1);
            format!("{} {} ref {i}", words[k..].join(" "), words[..k].join(" "))
        })
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let loader = args.next().unwrap_or_else(|| "lurescan".into());
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/lurescan-base"));
    let json = std::fs::read(dir.join("tokenizer.json")).expect("DIR/tokenizer.json is readable");
    let texts = texts(20_000);

    let before = status_mb("VmRSS");
    let start = Instant::now();
    let tokenizer = match loader.as_str() {
        "crate" => LureTokenizer::from_tokenizer(tokenizers::Tokenizer::from_bytes(&json).expect("a tokenizer")),
        "lurescan" => LureTokenizer::from_bytes(&json).expect("a tokenizer"),
        other => panic!("unknown loader {other:?}: lurescan or crate"),
    };
    let load = start.elapsed().as_secs_f64();
    let loaded = status_mb("VmRSS");
    println!("{loader}: load {load:.3} s, RSS {before:.1} MB -> {loaded:.1} MB (+{:.1} MB)", loaded - before);

    // The second set makes nearly every word new (a number glued to it), so that remembering words seen before
    // (both models keep the first 10,000) hardly helps: the search itself is timed.
    let unseen: Vec<String> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            t.split(' ').enumerate().map(|(j, w)| format!("{w}{}", i * 1000 + j)).collect::<Vec<_>>().join(" ")
        })
        .collect();
    for (name, texts) in [("texts", &texts), ("texts of unseen words", &unseen)] {
        let (start, cpu) = (Instant::now(), cpu_seconds());
        let mut tokens = 0;
        for text in texts {
            tokens += tokenizer.encode(text, 512).expect("encodes").len();
        }
        let (wall, cpu) = (start.elapsed().as_secs_f64(), cpu_seconds() - cpu);
        println!(
            "{loader}: {} {name}, {tokens} tokens in {wall:.3} s ({:.0} texts/s; {cpu:.2} CPU s), one thread",
            texts.len(),
            texts.len() as f64 / wall
        );
    }
    println!("{loader}: RSS after tokenizing {:.1} MB, peak (VmHWM) {:.1} MB", status_mb("VmRSS"), status_mb("VmHWM"));
}
