//! What validation fits once the epoch is chosen: the temperature, the lexical member and the exemplars' margins,
//! the ensemble weights, the main threshold and the messages' own threshold, and the validation report.

use crate::config::{TrainConfig, MIN_MESSAGE_NEGATIVES, UNFITTED_THRESHOLD};
use crate::data::{Example, TrainData};
use crate::error::Result;
use crate::lexical::train_lexical;
use crate::metrics::{
    calibrated, choose_threshold, fit_temperature, threshold_for_false_positives, Report, ThresholdRule,
};
use crate::observe::{Event, ExemplarFit, TrainObserver};
use crate::session::Session;
use lurescan::exemplars::{ExemplarSet, ExemplarSettings};
use lurescan::explain::{Catalogue, Counted};
use lurescan::{EnsembleConfig, LexicalModel, RenderConfig, Settings, INDICATOR_CATEGORY_CAP};
use rayon::prelude::*;

/// The messages' own threshold (see [`TrainConfig::message_fp_budget`]): the lowest that flags at most `budget` of
/// the non-lure messages among `valid` (scored `scores`), never above `threshold`; `None` with fewer than
/// [`MIN_MESSAGE_NEGATIVES`] of them.
pub fn message_threshold(valid: &[Example], scores: &[f32], threshold: f32, budget: f64) -> Option<f32> {
    let negatives: Vec<f32> =
        valid.iter().zip(scores).filter(|(e, _)| e.label == 0 && e.record.is_message()).map(|(_, &s)| s).collect();
    match negatives.len() >= MIN_MESSAGE_NEGATIVES {
        true => threshold_for_false_positives(&negatives, budget).map(|t| t.min(threshold)),
        false => None,
    }
}

/// The main threshold, chosen by `rule` on `valid` (scored `scores`). When messages get their own threshold
/// (`messages_apart`, and enough of them: see [`message_threshold`]), it is chosen on the other records alone, if
/// they include a lure.
pub fn main_threshold(valid: &[Example], scores: &[f32], rule: ThresholdRule, messages_apart: bool) -> f32 {
    let labels: Vec<u8> = valid.iter().map(|e| e.label).collect();
    let message_negatives = valid.iter().filter(|e| e.record.is_message() && e.label == 0).count();
    if messages_apart && message_negatives >= MIN_MESSAGE_NEGATIVES {
        let (rest_scores, rest_labels): (Vec<f32>, Vec<u8>) =
            valid.iter().zip(scores).filter(|(e, _)| !e.record.is_message()).map(|(e, &s)| (s, e.label)).unzip();
        if rest_labels.contains(&1) {
            return choose_threshold(&rest_scores, &rest_labels, rule);
        }
    }
    choose_threshold(scores, &labels, rule)
}

/// What [`fit`] chose on validation.
pub(crate) struct Fitted {
    /// Threshold, message threshold, temperature, length, rendering, ensemble and exemplar settings (no `extra`).
    pub settings: Settings,
    pub lexical: Option<LexicalModel>,
    pub exemplars: Option<ExemplarSet>,
    /// Calibrated validation probabilities (of the ensemble, when there is one), in `data.valid` order.
    pub scores: Vec<f32>,
    pub report: Report,
}

/// The lexical member's margins of `data.valid` as sources it never saw would get them: each validation message
/// whose source the training data also holds is scored by a lexical member trained without that source; postings,
/// messages without a source and sources only validation holds are scored by `full`.
fn held_out_source_margins(
    config: &TrainConfig,
    data: &TrainData,
    full: &LexicalModel,
    render: &RenderConfig,
) -> Result<Vec<f32>> {
    let mut margins: Vec<f32> = data.valid.par_iter().map(|e| full.margin(&e.record, render)).collect();
    let sources: std::collections::BTreeSet<&str> =
        data.valid.iter().filter(|e| e.record.is_message()).filter_map(|e| e.source.as_deref()).collect();
    for source in sources {
        let without: Vec<Example> =
            data.train.iter().filter(|e| e.source.as_deref() != Some(source)).cloned().collect();
        if without.len() == data.train.len() {
            continue;
        }
        let lex = train_lexical(&without, render, config.lexical_l2, config.seed)?;
        let rows: Vec<usize> = (0..data.valid.len())
            .filter(|&i| data.valid[i].record.is_message() && data.valid[i].source.as_deref() == Some(source))
            .collect();
        let held: Vec<f32> = rows.par_iter().map(|&i| lex.margin(&data.valid[i].record, render)).collect();
        rows.iter().zip(held).for_each(|(&i, m)| margins[i] = m);
    }
    Ok(margins)
}

/// Calibrates `session` (the best epoch's weights, whose validation margins are `margins`), trains the lexical member
/// and reads the exemplars when the flags ask for them, fits the ensemble weights and chooses the thresholds on
/// `data.valid`; without both classes in validation (`fit` false) nothing is fitted: fixed temperature, weights and
/// threshold.
pub(crate) fn fit(
    config: &TrainConfig,
    data: &TrainData,
    session: &Session,
    margins: &[f32],
    max_len: usize,
    observer: &mut dyn TrainObserver,
) -> Result<Fitted> {
    let fit = data.validation_has_both_classes();
    let valid_labels: Vec<u8> = data.valid.iter().map(|e| e.label).collect();
    let temperature = if fit { fit_temperature(margins, &valid_labels) } else { 1.0 };
    let lexical = match config.lexical {
        true => Some(train_lexical(&data.train, &session.render, config.lexical_l2, config.seed)?),
        false => None,
    };
    // Read again (checked at the start): the file is part of the model folder as it is now.
    let exemplars = config.exemplars.as_deref().map(ExemplarSet::load).transpose()?;
    let (exemplar_settings, exemplar_margins) = match &exemplars {
        None => (None, None),
        Some(set) => {
            let mut settings = Settings {
                max_length: max_len,
                render: session.render.clone(),
                exemplars: Some(ExemplarSettings::default()),
                ..Settings::default()
            };
            let batch_size = config.optim.batch_size.max(32);
            let common = match config.exemplar_common_directions {
                Some(count) => {
                    crate::exemplars::common_directions(&session.parts(&settings), &data.train, count, batch_size)?
                }
                None => None,
            };
            settings.exemplars = Some(ExemplarSettings { common, ..ExemplarSettings::default() });
            let margins = crate::exemplars::exemplar_margins(&session.parts(&settings), set, &data.valid, batch_size)?;
            (settings.exemplars, Some(margins))
        }
    };
    let (scores, ensemble, message_ensemble): (Vec<f32>, _, _) = match &lexical {
        None => (margins.iter().map(|&m| calibrated(m, temperature)).collect(), None, None),
        Some(lex) => {
            let lexical_margins: Vec<f32> =
                data.valid.par_iter().map(|e| lex.margin(&e.record, &session.render)).collect();
            let scaled: Vec<f32> = margins.iter().map(|&m| m / temperature).collect();
            // What the score counts of each validation record's indicator flags (no category in a warning).
            let counted: Option<Vec<Counted>> = config.reads_flags().then(|| {
                data.valid
                    .par_iter()
                    .map(|e| {
                        Catalogue::builtin().counted_as_read(
                            &e.record,
                            &session.render,
                            &config.uncounted_indicator_categories,
                        )
                    })
                    .collect()
            });
            // Each one's count of distinct categories, capped as the score caps it. The warning and decisive terms
            // are priors (`warning_log_odds`, `decisive_log_odds`), left out of the fit.
            let categories: Option<Vec<f32>> = config
                .indicator_member
                .then(|| counted.iter().flatten().map(|c| c.categories.min(INDICATOR_CATEGORY_CAP) as f32).collect());
            let with_priors = |weights: EnsembleConfig| EnsembleConfig {
                warning: config.warning_log_odds,
                decisive: config.decisive_log_odds,
                ..weights
            };
            let fitted = |lexical_margins: &[f32]| match (fit, &exemplar_margins, &categories) {
                (true, x, Some(c)) => crate::exemplars::fit_ensemble_with_indicators(
                    &scaled,
                    lexical_margins,
                    x.as_deref(),
                    c,
                    &valid_labels,
                ),
                (true, None, None) => crate::lexical::fit_ensemble(&scaled, lexical_margins, &valid_labels),
                (true, Some(x), None) => {
                    crate::exemplars::fit_ensemble_with_exemplars(&scaled, lexical_margins, x, &valid_labels)
                }
                // Unfitted weights leave the exemplars out of the score: they are evidence only.
                (false, _, _) => EnsembleConfig::new(1.0, 1.0, 0.0),
            };
            let weights = |lexical_margins: &[f32]| with_priors(fitted(lexical_margins));
            let ensemble = weights(&lexical_margins);
            // Messages get their own weights, fitted on the same records with the messages' lexical margins as
            // sources never seen get them; their validation scores (and so their threshold) use those margins too.
            let message_fit = match config.cross_fit_message_sources {
                true => {
                    let held_out = held_out_source_margins(config, data, lex, &session.render)?;
                    Some((weights(&held_out), held_out))
                }
                false => None,
            };
            let lex_probs: Vec<f32> = lexical_margins.iter().map(|&m| calibrated(m, 1.0)).collect();
            let exemplars = match (&exemplar_margins, ensemble.exemplar) {
                (Some(x), Some(weight)) => {
                    Some(ExemplarFit { pr_auc: crate::metrics::average_precision(x, &valid_labels), weight })
                }
                _ => None,
            };
            observer.event(&Event::Ensemble {
                lexical_pr_auc: crate::metrics::average_precision(&lex_probs, &valid_labels),
                ensemble,
                message_ensemble: message_fit.as_ref().map(|(weights, _)| *weights),
                exemplars,
            });
            let scores = (0..data.valid.len())
                .map(|i| {
                    let (weights, lexical) = match &message_fit {
                        Some((weights, held_out)) if data.valid[i].record.is_message() => (weights, held_out[i]),
                        _ => (&ensemble, lexical_margins[i]),
                    };
                    let z = weights.log_odds_with(
                        margins[i],
                        temperature,
                        lexical,
                        exemplar_margins.as_ref().map(|x| x[i]),
                    );
                    // As `Classifier` scores: the flags' term, and a decisive flag's floor (the thresholds are
                    // picked from these scores, so the floor is `DECISIVE_SCORE`'s alone).
                    let z = counted.as_ref().map_or(z, |c| weights.with_flags(z, c[i], 0.0));
                    1.0 / (1.0 + (-z).exp())
                })
                .collect();
            (scores, Some(ensemble), message_fit.map(|(weights, _)| weights))
        }
    };
    let rule = config.target_precision.map_or(config.threshold_rule, ThresholdRule::TargetPrecision);
    let threshold = match fit {
        true => main_threshold(&data.valid, &scores, rule, config.message_fp_budget.is_some()),
        false => UNFITTED_THRESHOLD,
    };
    let message_threshold =
        config.message_fp_budget.and_then(|budget| message_threshold(&data.valid, &scores, threshold, budget));
    let settings = Settings {
        threshold,
        message_threshold,
        temperature,
        max_length: max_len,
        render: session.render.clone(),
        ensemble,
        message_ensemble,
        exemplars: exemplar_settings,
        uncounted_indicator_categories: match config.indicator_member {
            true => config.uncounted_indicator_categories.clone(),
            false => Vec::new(),
        },
        extra: Default::default(),
    };
    let sources: Vec<Option<String>> = data.valid.iter().map(|e| e.source.clone()).collect();
    let thresholds: Vec<f32> = data.valid.iter().map(|e| settings.threshold_for(&e.record)).collect();
    let report = Report::compute_each(&scores, &valid_labels, &sources, &thresholds);
    Ok(Fitted { settings, lexical, exemplars, scores, report })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lurescan::{Field, Record};

    fn example(text: &str, label: u8, source: &str) -> Example {
        Example {
            record: Record::default().with(Field::Text, text),
            label,
            source: Some(source.into()),
            group: None,
            subset: None,
            line: 0,
        }
    }

    #[test]
    fn cross_fitted_margins_come_from_a_lexical_member_that_never_saw_the_source() -> Result<()> {
        // Source a's lures carry a word only source a has; source b's lures another. A member trained on both
        // knows a's word; the one for a's validation messages must not.
        let mut train = Vec::new();
        for i in 0..30 {
            train.push(example(&format!("zorblax bonus claim now {i}"), 1, "a"));
            train.push(example(&format!("see you at the meeting {i}"), 0, "a"));
            train.push(example(&format!("earn money with daily tasks {i}"), 1, "b"));
            train.push(example(&format!("lunch is at noon tomorrow {i}"), 0, "b"));
        }
        let mut posting = example("zorblax bonus", 1, "a");
        posting.record = Record::default().with(Field::Title, "zorblax bonus").with(Field::Description, "claim now");
        let valid = vec![example("zorblax bonus claim today", 1, "a"), example("the meeting moved", 0, "a"), posting];
        let data = TrainData { train, valid, sources: vec![] };
        let config = TrainConfig { cross_fit_message_sources: true, ..TrainConfig::default() };
        let render = RenderConfig::default();
        let full = train_lexical(&data.train, &render, config.lexical_l2, config.seed)?;
        let crossed = held_out_source_margins(&config, &data, &full, &render)?;
        let seen: Vec<f32> = data.valid.iter().map(|e| full.margin(&e.record, &render)).collect();
        let without_a: Vec<Example> = data.train.iter().filter(|e| e.source.as_deref() == Some("b")).cloned().collect();
        let unseen = train_lexical(&without_a, &render, config.lexical_l2, config.seed)?;
        assert!(
            seen[0] > crossed[0] + 1.0,
            "the lure's word counts only when its source was seen: {seen:?} {crossed:?}"
        );
        assert_eq!(
            crossed[..2],
            [unseen.margin(&data.valid[0].record, &render), unseen.margin(&data.valid[1].record, &render)]
        );
        // Postings are scored by the member that saw everything.
        assert_eq!(crossed[2], seen[2]);
        Ok(())
    }
}
