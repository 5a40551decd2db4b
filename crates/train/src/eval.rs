//! Evaluating a model folder on any labelled file: the metrics report at the folder's own thresholds, overall and
//! per `source`.

use crate::data::Dataset;
use crate::error::Result;
use crate::metrics::Report;
use lurescan::{Classifier, ScoreOptions};

/// Scores every example of `data` with `classifier` and reports the metrics at the model's thresholds (the
/// messages' own, if the folder has one), or at `options.threshold` for every record.
pub fn evaluate(classifier: &Classifier, data: &Dataset, options: &ScoreOptions) -> Result<Report> {
    let records: Vec<_> = data.examples.iter().map(|e| e.record.clone()).collect();
    let predictions = classifier.predict(&records, options)?;
    let mut scores = Vec::with_capacity(records.len());
    let mut labels = Vec::with_capacity(records.len());
    let mut sources = Vec::with_capacity(records.len());
    let mut thresholds = Vec::with_capacity(records.len());
    for (example, prediction) in data.examples.iter().zip(predictions) {
        // Loading already rejected records without text, the only per-record failure of scoring.
        let Ok(prediction) = prediction else { continue };
        scores.push(prediction.score);
        labels.push(example.label);
        sources.push(example.source.clone());
        thresholds.push(options.threshold.unwrap_or_else(|| classifier.settings().threshold_for(&example.record)));
    }
    Ok(Report::compute_each(&scores, &labels, &sources, &thresholds))
}
