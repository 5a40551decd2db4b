//! Evaluating a model folder on any labelled file: the metrics report at the folder's own thresholds, overall and
//! per `source`.

use crate::data::Dataset;
use crate::error::{Result, TrainError};
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
    let failed: Vec<(u64, lurescan::RecordError)> = data
        .examples
        .iter()
        .zip(&predictions)
        .filter_map(|(example, prediction)| prediction.as_ref().err().map(|e| (example.line, e.clone())))
        .collect();
    // Loading already rejected records without text; what fails here is the model (a non-finite score), and
    // metrics without those records would describe a model that does not exist.
    if let Some((line, error)) = failed.first() {
        return Err(TrainError::Data {
            path: data.path.clone(),
            message: format!(
                "{} record{} could not be scored, so no metrics are reported; the first, on line {line}: {error}",
                failed.len(),
                if failed.len() == 1 { "" } else { "s" }
            ),
        });
    }
    for (example, prediction) in data.examples.iter().zip(predictions) {
        let Ok(prediction) = prediction else { continue };
        scores.push(prediction.score);
        labels.push(example.label);
        sources.push(example.source.clone());
        thresholds.push(options.threshold.unwrap_or_else(|| classifier.settings().threshold_for(&example.record)));
    }
    let mut report = Report::compute_each(&scores, &labels, &sources, &thresholds);
    // The report names the model's thresholds whatever records the file holds: a file of messages only is judged
    // at the messages' threshold, and still shows the main one first and "(messages T)" after it.
    let settings = classifier.settings();
    let (main, messages) = match options.threshold {
        Some(t) => (t, None),
        None => (settings.threshold, settings.message_threshold.filter(|&t| t != settings.threshold)),
    };
    for metrics in std::iter::once(&mut report.overall).chain(report.by_source.values_mut()) {
        metrics.threshold = main;
        metrics.message_threshold = messages;
    }
    Ok(report)
}
