//! Training with exemplars (`lurescan train --exemplars FILE`, see [`lurescan::exemplars`]): the exemplar margin of
//! each validation record under the trained model, and the ensemble weights fitted with it.
//!
//! The weights `(bert, lexical, exemplar, bias)` are an unweighted logistic regression on the validation set's
//! `(bert_margin / temperature, lexical_margin, exemplar_margin)`, fitted by Newton's method with a small ridge on the
//! slopes, as [`crate::lexical::fit_ensemble`] fits the first two. Exemplar margins are differences of cosines, a
//! few hundredths wide, so that column is fitted standardised (then mapped back): the ridge then shrinks all three
//! slopes alike instead of mostly the exemplar one.

use crate::data::Example;
use crate::error::Result;
use crate::lexical::fit_logistic;
use lurescan::exemplars::ExemplarSet;
use lurescan::{BertConfig, BertForSequenceClassification, Classifier, EnsembleConfig, LureTokenizer, Settings};

/// The model being trained, as the scoring code sees it.
pub struct Parts<'a> {
    pub bert: &'a BertConfig,
    /// Rendering, maximum length and `exemplars` (k) as the model folder will have them.
    pub settings: &'a Settings,
    pub tokenizer: &'a LureTokenizer,
    pub model: &'a BertForSequenceClassification,
}

impl Parts<'_> {
    /// A classifier of these parts with `exemplars` (and no ensemble: only embeddings are wanted from it).
    fn classifier(&self, exemplars: &ExemplarSet) -> Result<Classifier> {
        let settings = Settings { ensemble: None, ..self.settings.clone() };
        Ok(Classifier::from_parts(self.bert.clone(), settings, self.tokenizer.clone(), self.model.clone())?
            .with_exemplars(exemplars.clone())?)
    }
}

/// The exemplar margin of each of `examples` under the model (rendered and cut as its settings say), in order.
/// Uses the same code as scoring ([`Classifier::with_exemplars`], [`Classifier::embed`]), so the margins are the
/// ones a loaded model folder will compute.
pub fn exemplar_margins(
    parts: &Parts,
    exemplars: &ExemplarSet,
    examples: &[Example],
    batch_size: usize,
) -> Result<Vec<f32>> {
    let classifier = parts.classifier(exemplars)?;
    let index = classifier.exemplars().expect("exemplars were just added");
    let records: Vec<_> = examples.iter().map(|e| e.record.clone()).collect();
    let embedded = classifier.embed(&records, batch_size)?;
    // Training records always have text; a record without any has no margin and counts as 0 (no evidence).
    Ok(embedded.iter().map(|e| e.as_ref().ok().and_then(|e| index.margin(e)).unwrap_or(0.0)).collect())
}

/// Fits `(bert, lexical, exemplar, bias)` so that `sigmoid(bert · a + lexical · l + exemplar · x + bias)` predicts the
/// labels (see the module docs).
pub fn fit_ensemble_with_exemplars(
    bert_scaled: &[f32],
    lexical: &[f32],
    exemplar: &[f32],
    labels: &[u8],
) -> EnsembleConfig {
    let n = labels.len().max(1) as f64;
    let mean = exemplar.iter().map(|&x| x as f64).sum::<f64>() / n;
    let sd = (exemplar.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / n).sqrt().max(1e-6);
    let rows: Vec<[f64; 4]> = bert_scaled
        .iter()
        .zip(lexical)
        .zip(exemplar)
        .map(|((&a, &l), &x)| [a as f64, l as f64, (x as f64 - mean) / sd, 1.0])
        .collect();
    let theta = fit_logistic(&rows, labels, [1e-3, 1e-3, 1e-3, 1e-6], [1.0, 0.0, 0.0, 0.0]);
    // Back from the standardised column: w · (x − mean) / sd = (w / sd) · x − w · mean / sd.
    let exemplar_weight = theta[2] / sd;
    EnsembleConfig {
        bert: theta[0] as f32,
        lexical: theta[1] as f32,
        bias: (theta[3] - exemplar_weight * mean) as f32,
        exemplar: Some(exemplar_weight as f32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lurescan::SeededRng;

    fn sigmoid(z: f64) -> f64 {
        1.0 / (1.0 + (-z).exp())
    }

    #[test]
    fn recovers_a_known_logistic_model_with_a_narrow_exemplar_column() {
        // Labels drawn from sigmoid(1.5a − 0.5l + 40x + 0.3) where x is a few hundredths wide, as cosine margins are.
        let mut rng = SeededRng::new(11);
        let (mut a, mut l, mut x, mut y) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..20000 {
            let (x1, x2, x3) = (rng.normal(), rng.normal(), 0.02 + 0.03 * rng.normal());
            a.push(x1);
            l.push(x2);
            x.push(x3);
            let z = 1.5 * x1 as f64 - 0.5 * x2 as f64 + 40.0 * x3 as f64 + 0.3;
            y.push(u8::from((rng.uniform() as f64) < sigmoid(z)));
        }
        let e = fit_ensemble_with_exemplars(&a, &l, &x, &y);
        let w = e.exemplar.unwrap();
        // Sampling error of 20 000 draws: slopes within 0.15 (the exemplar one within 10%), bias within 0.15.
        assert!((e.bert - 1.5).abs() < 0.15 && (e.lexical + 0.5).abs() < 0.15, "{e:?}");
        assert!((w - 40.0).abs() < 4.0 && (e.bias - 0.3).abs() < 0.15, "{e:?}");
    }
}
