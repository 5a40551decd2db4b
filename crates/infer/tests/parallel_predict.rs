//! `predict` with whole batches in parallel on the rayon pool ([`Parallelism::Batches`], what the CLI gets with
//! candle on one thread per op): the results must be those of scoring each record alone, in input order.

mod common;

use lurescan::{Classifier, Parallelism, Record, ScoreOptions};

#[test]
fn parallel_batches_keep_order_and_scores() {
    let classifier = Classifier::load(common::tiny_bert_dir()).unwrap().with_parallelism(Parallelism::Batches);
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
