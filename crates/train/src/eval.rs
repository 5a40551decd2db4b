//! Evaluating a model folder on any labelled file: the metrics report at the folder's own threshold, overall and
//! per `source`.

use crate::data::Dataset;
use crate::error::Result;
use crate::metrics::Report;
use lurescan::{Classifier, ScoreOptions};

/// Scores every example of `data` with `classifier` and reports the metrics at the model's threshold (or
/// `options.threshold`).
pub fn evaluate(classifier: &Classifier, data: &Dataset, options: &ScoreOptions) -> Result<Report> {
    let records: Vec<_> = data.examples.iter().map(|e| e.record.clone()).collect();
    let predictions = classifier.predict(&records, options)?;
    let mut scores = Vec::with_capacity(records.len());
    let mut labels = Vec::with_capacity(records.len());
    let mut sources = Vec::with_capacity(records.len());
    for (example, prediction) in data.examples.iter().zip(predictions) {
        // Loading already rejected records without text, the only per-record failure of scoring.
        let Ok(prediction) = prediction else { continue };
        scores.push(prediction.score);
        labels.push(example.label);
        sources.push(example.source.clone());
    }
    let threshold = options.threshold.unwrap_or(classifier.settings().threshold);
    Ok(Report::compute(&scores, &labels, &sources, threshold))
}
