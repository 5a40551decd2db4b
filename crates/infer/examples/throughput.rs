//! Records per second of `Classifier::predict` on this machine, for short messages and full postings, with a
//! random model of the reference size (hidden 128, 2 layers, 4 heads, intermediate 512).
//!
//! `cargo run --release -p lurescan --example throughput [-- RECORDS]`. Timings vary with machine load: compare
//! variants side by side in one run, not across runs.

#[path = "../../../benches/random_model.rs"]
mod random_model;

use lurescan::{Record, ScoreOptions};
use std::time::Instant;

/// CPU seconds used by this process so far (all threads), from /proc/self/stat (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks: f64 = fields.get(11..13).map_or(0.0, |f| f.iter().filter_map(|t| t.parse::<f64>().ok()).sum());
    ticks / 100.0
}

/// Runs `f` and returns (records per wall second, records per CPU second).
fn rate(n: usize, f: impl FnOnce()) -> (f64, f64) {
    let (start, cpu) = (Instant::now(), cpu_seconds());
    f();
    (n as f64 / start.elapsed().as_secs_f64(), n as f64 / (cpu_seconds() - cpu).max(0.01))
}

fn main() {
    // BATCH_PARALLEL=1 runs as the CLI does: candle single-threaded per op, batches in parallel.
    if std::env::var_os("BATCH_PARALLEL").is_some() {
        // Before any other thread starts (this example's own `main`).
        if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
            std::env::set_var("CANDLE_NUM_THREADS", "1");
        }
        println!("batch parallelism: {}", lurescan::ops_run_on_calling_thread());
    }
    // POOL=k runs the rayon variants and predict in a pool of k threads (independent of RAYON_NUM_THREADS, which
    // also sets candle's own threading).
    let pool = std::env::var("POOL")
        .ok()
        .and_then(|k| k.parse().ok())
        .map(|k| rayon::ThreadPoolBuilder::new().num_threads(k).build().unwrap());
    match pool {
        Some(pool) => pool.install(run),
        None => run(),
    }
}

fn run() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2048);
    let classifier = random_model::random_classifier(128, 2, 4, 512, 128);
    let options = ScoreOptions { batch_size: 32, threshold: None };
    for (name, words) in [("short (~20 tokens)", 4), ("posting (128 tokens)", 200)] {
        let records: Vec<Record> =
            (0..n).map(|i| Record::from_text(random_model::posting_text(words, i as u64))).collect();
        let ids: Vec<Vec<u32>> = records.iter().map(|r| classifier.encode(r).unwrap().unwrap()).collect();
        let mean_len = ids.iter().map(Vec::len).sum::<usize>() as f64 / n as f64;
        classifier.predict(&records[..64.min(n)], &options).unwrap();
        println!("{name}: {n} records, {mean_len:.1} tokens on average; records/s (wall, per CPU second):");

        let texts: Vec<String> = records.iter().map(|r| lurescan::render(r, &classifier.settings().render)).collect();
        let (wall, cpu) = rate(n, || drop(classifier.tokenizer().encode_batch(&texts, 128).unwrap()));
        println!("  tokenize                         {wall:8.0} {cpu:8.0}");
        let (wall, cpu) = rate(n, || {
            for chunk in ids.chunks(options.batch_size) {
                classifier.logits_for_ids(chunk).unwrap();
            }
        });
        println!("  forward, batches in sequence     {wall:8.0} {cpu:8.0}");
        let (wall, cpu) = rate(n, || {
            use rayon::prelude::*;
            ids.par_chunks(options.batch_size).for_each(|chunk| drop(classifier.logits_for_ids(chunk).unwrap()));
        });
        println!("  forward, batches on rayon        {wall:8.0} {cpu:8.0}");
        let (wall, cpu) =
            rate(n, || assert!(classifier.predict(&records, &options).unwrap().iter().all(|p| p.is_ok())));
        println!("  predict                          {wall:8.0} {cpu:8.0}");
    }
}
