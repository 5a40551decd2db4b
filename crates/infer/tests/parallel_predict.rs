//! `predict` with candle on one thread per op (`CANDLE_NUM_THREADS=1`, as the CLI runs it): batches then go to
//! the rayon pool in parallel, and the results must be those of scoring each record alone, in input order.
//! This file holds a single test because the variable must be set before candle starts its threads.

mod common;

use lurescan::{Classifier, Record, ScoreOptions};

#[test]
fn parallel_batches_keep_order_and_scores() {
    // Before any candle op in this process (one test in this binary, so no other thread is running).
    assert!(lurescan::use_batch_parallelism());
    let classifier = Classifier::load(common::tiny_bert_dir()).unwrap();
    let records: Vec<Record> = (0..40)
        .map(|i| Record::from_text(format!("{} passport visa flight {i}", "work from home ".repeat(i % 7))))
        .collect();
    let options = ScoreOptions { batch_size: 3, threshold: None };
    let predictions = classifier.predict(&records, &options).unwrap();
    for (record, prediction) in records.iter().zip(&predictions) {
        let alone = classifier.predict(std::slice::from_ref(record), &options).unwrap().remove(0).unwrap();
        // Same records, other batch neighbours: padding is masked, so only float32 rounding differs.
        assert!((prediction.as_ref().unwrap().score - alone.score).abs() < 1e-5);
    }
}
