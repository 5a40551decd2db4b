//! How often each built-in indicator fires on the shared labelled pool, by group: fraudulent postings, legitimate
//! postings (all, EMSCAD random-sample only, other job-ad sources), lure messages, non-lure messages (ham, and
//! spam/phishing that is not a job lure). Prints a markdown table (the one in `src/explain/INDICATORS.md`).
//!
//! ```text
//! cargo run --release -p lurescan --example indicator_rates -- ../shared/datasets/lurescan-pool-v1/pool.jsonl
//! SHOW=upfront_fee:legit cargo run -p lurescan --example indicator_rates -- POOL   # evidence behind one cell
//! FLAGS_OUT=flags.jsonl cargo run --release -p lurescan --example indicator_rates -- POOL  # every flag, to diff
//! ```
//! The pool is not part of the repository; this example only reads it.

use anyhow::{Context, Result};
use lurescan::explain::Catalogue;
use lurescan::Record;
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::{BufRead, Write};

const GROUPS: [(&str, &str); 7] = [
    ("fraud", "fraudulent postings"),
    ("legit", "legitimate postings"),
    ("emscad_rs", "EMSCAD random-sample legit"),
    ("other_ads", "Indeed/Glassdoor/Google ads"),
    ("lure_msg", "lure messages"),
    ("ham_msg", "non-lure messages: ham"),
    ("spam_msg", "non-lure messages: spam/phishing"),
];

fn groups_of(row: &Value) -> Vec<&'static str> {
    let s = |k: &str| row.get(k).and_then(Value::as_str).unwrap_or("");
    let label = row.get("label").and_then(Value::as_i64).unwrap_or(0);
    let mut out = Vec::new();
    match (s("kind"), label) {
        ("posting", 1) => out.push("fraud"),
        ("posting", _) => {
            out.push("legit");
            if s("source") == "emscad" && s("subset") == "random-sample" {
                out.push("emscad_rs");
            }
            if s("source") != "emscad" {
                out.push("other_ads");
            }
        }
        (_, 1) => out.push("lure_msg"),
        _ => out.push(if matches!(s("orig_label"), "ham" | "") { "ham_msg" } else { "spam_msg" }),
    }
    out
}

fn main() -> Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "../shared/datasets/lurescan-pool-v1/pool.jsonl".into());
    let show = std::env::var("SHOW").ok();
    let built = std::time::Instant::now();
    let catalogue = Catalogue::builtin();
    eprintln!("catalogue compiled in {:.3} s", built.elapsed().as_secs_f64());
    let ids: Vec<&str> = catalogue.indicators().iter().map(|i| i.id.as_str()).collect();
    let mut totals = [0usize; GROUPS.len()];
    // hits[indicator][group]; then "any indicator" and "two or more categories".
    let mut hits = vec![[0usize; GROUPS.len()]; ids.len() + 2];
    let file = std::fs::File::open(&path).with_context(|| format!("cannot open the pool at {path}"))?;
    let mut shown = 0;
    // One line of flags per record: comparing two runs shows whether a change to the scanner changed any result.
    let mut flags_out = match std::env::var_os("FLAGS_OUT") {
        Some(path) => Some(std::io::BufWriter::new(std::fs::File::create(&path).context("cannot create FLAGS_OUT")?)),
        None => None,
    };
    let (mut scanned, mut scan_time) = (0usize, std::time::Duration::ZERO);
    let (mut postings, mut posting_time) = (0usize, std::time::Duration::ZERO);
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line?;
        let row: Value = serde_json::from_str(&line).with_context(|| format!("{path}:{}", n + 1))?;
        let Value::Object(object) = &row else { continue };
        let record = Record::from_json_object(object).map_err(|e| anyhow::anyhow!("{path}:{}: {e}", n + 1))?;
        let started = std::time::Instant::now();
        let flags = catalogue.scan(&record);
        let took = started.elapsed();
        scan_time += took;
        scanned += 1;
        if row.get("kind").and_then(Value::as_str) == Some("posting") {
            postings += 1;
            posting_time += took;
        }
        if let Some(out) = flags_out.as_mut() {
            serde_json::to_writer(&mut *out, &flags)?;
            out.write_all(b"\n")?;
        }
        let fired: BTreeSet<usize> = flags.iter().filter_map(|f| ids.iter().position(|id| *id == f.id)).collect();
        let categories: BTreeSet<&str> = flags.iter().map(|f| f.category.as_str()).collect();
        for group in groups_of(&row) {
            let g = GROUPS.iter().position(|(k, _)| *k == group).unwrap();
            totals[g] += 1;
            for &i in &fired {
                hits[i][g] += 1;
            }
            hits[ids.len()][g] += usize::from(!fired.is_empty());
            hits[ids.len() + 1][g] += usize::from(categories.len() >= 2);
            if let Some((id, want)) = show.as_deref().and_then(|s| s.split_once(':')) {
                if want == group && shown < 25 {
                    for flag in flags.iter().filter(|f| f.id == id).take(1) {
                        let text = record.get(flag.field).unwrap_or_default();
                        let mut from = flag.start.saturating_sub(60);
                        while !text.is_char_boundary(from) {
                            from -= 1;
                        }
                        let mut to = (flag.end + 60).min(text.len());
                        while !text.is_char_boundary(to) {
                            to += 1;
                        }
                        eprintln!("{} [{}] …{}…", row["id"], flag.field, text[from..to].replace('\n', " "));
                        shown += 1;
                    }
                }
            }
        }
    }
    eprintln!(
        "scanned {scanned} records in {:.2} s: {:.0} records/s on one thread; postings alone {postings} in {:.2} s: {:.0} records/s",
        scan_time.as_secs_f64(),
        scanned as f64 / scan_time.as_secs_f64(),
        posting_time.as_secs_f64(),
        postings as f64 / posting_time.as_secs_f64()
    );
    let header: Vec<String> = GROUPS.iter().zip(totals).map(|((_, name), n)| format!("{name} (n={n})")).collect();
    println!("| indicator | {} |", header.join(" | "));
    println!("|---|{}", "---:|".repeat(GROUPS.len()));
    let names: Vec<String> =
        ids.iter().map(|id| format!("`{id}`")).chain(["any indicator".into(), "≥2 categories".into()]).collect();
    for (name, row) in names.iter().zip(&hits) {
        let cells: Vec<String> = row
            .iter()
            .zip(totals)
            .map(|(&h, n)| if n == 0 { "–".into() } else { format!("{:.1}% ({h})", 100.0 * h as f64 / n as f64) })
            .collect();
        println!("| {name} | {} |", cells.join(" | "));
    }
    Ok(())
}
