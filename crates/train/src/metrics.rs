//! Binary classification metrics: precision, recall, F1, ROC-AUC, PR-AUC (average precision), the confusion
//! matrix, a per-`source` breakdown, and the two things chosen on validation data only: the decision threshold
//! and the calibration temperature (with its expected calibration error).
//!
//! Scores are lure probabilities (or any score where higher means "more likely a lure"); labels are 0/1.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Counts at one threshold: a record is predicted a lure when `score >= threshold`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confusion {
    pub tp: u64,
    pub fp: u64,
    pub tn: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
}

impl Confusion {
    pub fn at(scores: &[f32], labels: &[u8], threshold: f32) -> Self {
        Self::at_each(scores, labels, &vec![threshold; scores.len()])
    }

    /// The confusion matrix when each record has its own threshold.
    pub fn at_each(scores: &[f32], labels: &[u8], thresholds: &[f32]) -> Self {
        let mut c = Confusion::default();
        for ((&s, &y), &threshold) in scores.iter().zip(labels).zip(thresholds) {
            match (s >= threshold, y == 1) {
                (true, true) => c.tp += 1,
                (true, false) => c.fp += 1,
                (false, false) => c.tn += 1,
                (false, true) => c.fn_ += 1,
            }
        }
        c
    }

    /// Precision; 0 when nothing is predicted positive (the scikit-learn convention).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }

    pub fn accuracy(&self) -> f64 {
        ratio(self.tp + self.tn, self.tp + self.tn + self.fp + self.fn_)
    }

    /// Share of records predicted positive.
    pub fn flagged_share(&self) -> f64 {
        ratio(self.tp + self.fp, self.tp + self.tn + self.fp + self.fn_)
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Indices sorted by score, highest first, and the boundaries of runs of equal scores (ties are one threshold).
fn descending(scores: &[f32]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    order
}

/// The distinct scores from highest to lowest, each with how many positives and negatives have exactly that score:
/// every ranking metric here walks these groups, so tied scores always count together.
fn tied_groups(scores: &[f32], labels: &[u8]) -> Vec<(f32, u64, u64)> {
    let mut groups: Vec<(f32, u64, u64)> = Vec::new();
    for i in descending(scores) {
        let (pos, neg) = if labels[i] == 1 { (1, 0) } else { (0, 1) };
        match groups.last_mut() {
            Some((s, p, n)) if *s == scores[i] => {
                *p += pos;
                *n += neg;
            }
            _ => groups.push((scores[i], pos, neg)),
        }
    }
    groups
}

/// Average precision, the step-wise area under the precision–recall curve:
/// `AP = Σ_k (R_k − R_{k−1}) · P_k` over the distinct score thresholds, highest first (as scikit-learn's
/// `average_precision_score`, no interpolation). `None` when there is no positive.
pub fn average_precision(scores: &[f32], labels: &[u8]) -> Option<f64> {
    let positives = labels.iter().filter(|&&y| y == 1).count() as u64;
    if positives == 0 {
        return None;
    }
    let (mut tp, mut fp, mut ap, mut last_recall) = (0u64, 0u64, 0.0, 0.0);
    for (_, pos, neg) in tied_groups(scores, labels) {
        tp += pos;
        fp += neg;
        let recall = tp as f64 / positives as f64;
        let precision = tp as f64 / (tp + fp) as f64;
        ap += (recall - last_recall) * precision;
        last_recall = recall;
    }
    Some(ap)
}

/// Area under the ROC curve: the probability that a random positive scores above a random negative, ties counting
/// one half (Mann–Whitney U). `None` unless both classes are present.
pub fn roc_auc(scores: &[f32], labels: &[u8]) -> Option<f64> {
    let positives = labels.iter().filter(|&&y| y == 1).count() as f64;
    let negatives = labels.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return None;
    }
    // Walk from the lowest score up, counting negatives seen below each positive.
    let (mut below, mut u) = (0.0, 0.0);
    for (_, pos, neg) in tied_groups(scores, labels).into_iter().rev() {
        u += pos as f64 * (below + 0.5 * neg as f64);
        below += neg as f64;
    }
    Some(u / (positives * negatives))
}

/// How the decision threshold is chosen on validation data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdRule {
    /// The threshold with the best F1.
    BestF1,
    /// Half the best F1 reached on the data, as a probability threshold: for calibrated probabilities, the
    /// threshold that maximises the expected F1 is half that maximum (Lipton, Elkan and Naryanaswamy, 2014). It
    /// depends on the labels only through the best F1, not on where the one or two records at the boundary fall,
    /// so on a few hundred validation records it moves far less than [`ThresholdRule::BestF1`].
    HalfBestF1,
    /// The lowest threshold (highest recall) whose precision is at least this; best F1 when none reaches it.
    TargetPrecision(f64),
}

/// The lowest threshold that flags at most `budget` (a share) of `negatives`, the scores of records that are not
/// lures: midway between the highest negative score it lets through unflagged and the next one up, so the choice
/// does not sit on one record. With a budget below one record's share, just above the highest negative score.
/// `None` when there are no negative scores.
pub fn threshold_for_false_positives(negatives: &[f32], budget: f64) -> Option<f32> {
    let mut sorted = negatives.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let top = *sorted.first()?;
    let allowed = (budget.max(0.0) * sorted.len() as f64).floor() as usize;
    // Flag the `allowed` highest; ties with the first unflagged score must stay unflagged too.
    let mut k = allowed.min(sorted.len());
    while k > 0 && k < sorted.len() && sorted[k - 1] == sorted[k] {
        k -= 1;
    }
    Some(match k {
        0 => next_up(top),
        k if k == sorted.len() => sorted[k - 1],
        k => (sorted[k - 1] + sorted[k]) / 2.0,
    })
}

/// The smallest f32 above `x` (for finite non-negative scores).
fn next_up(x: f32) -> f32 {
    if x.is_nan() || x == f32::INFINITY {
        return x;
    }
    if x == 0.0 {
        return f32::from_bits(1);
    }
    let bits = x.to_bits();
    f32::from_bits(if x > 0.0 { bits + 1 } else { bits - 1 })
}

/// Chooses a threshold on `scores`: candidate thresholds are midway between consecutive distinct scores, so the
/// choice does not sit exactly on one validation record. Returns 0.5 when there are no scores (or, for
/// [`ThresholdRule::HalfBestF1`], no lures).
pub fn choose_threshold(scores: &[f32], labels: &[u8], rule: ThresholdRule) -> f32 {
    let positives = labels.iter().filter(|&&y| y == 1).count() as u64;
    let mut distinct: Vec<(f32, Confusion)> = Vec::new();
    let (mut tp, mut fp) = (0u64, 0u64);
    for (s, pos, neg) in tied_groups(scores, labels) {
        tp += pos;
        fp += neg;
        let tn = (labels.len() as u64 - positives) - fp;
        distinct.push((s, Confusion { tp, fp, tn, fn_: positives - tp }));
    }
    if distinct.is_empty() {
        return 0.5;
    }
    // The threshold that predicts exactly the records scoring >= distinct[k].0.
    let threshold_at = |k: usize| -> f32 {
        match distinct.get(k + 1) {
            Some(&(below, _)) => (distinct[k].0 + below) / 2.0,
            None => distinct[k].0,
        }
    };
    let best_f1 = || {
        let mut best = 0;
        for k in 1..distinct.len() {
            if distinct[k].1.f1() > distinct[best].1.f1() {
                best = k;
            }
        }
        best
    };
    let k = match rule {
        ThresholdRule::BestF1 => best_f1(),
        ThresholdRule::HalfBestF1 => {
            let f1 = distinct[best_f1()].1.f1();
            return if f1 > 0.0 { (f1 / 2.0) as f32 } else { 0.5 };
        }
        ThresholdRule::TargetPrecision(p) => (0..distinct.len())
            .rev()
            .find(|&k| distinct[k].1.tp > 0 && distinct[k].1.precision() >= p)
            .unwrap_or_else(best_f1),
    };
    threshold_at(k)
}

/// The lure probability from a logit margin `logit(lure) − logit(legitimate)` at a temperature.
pub fn calibrated(margin: f32, temperature: f32) -> f32 {
    1.0 / (1.0 + (-margin / temperature).exp())
}

/// Mean negative log-likelihood of the labels under `calibrated(margin, t)`.
pub fn nll(margins: &[f32], labels: &[u8], temperature: f32) -> f64 {
    if margins.is_empty() {
        return 0.0;
    }
    let sum: f64 = margins
        .iter()
        .zip(labels)
        .map(|(&m, &y)| {
            let z = (m / temperature) as f64 * if y == 1 { 1.0 } else { -1.0 };
            // -log(sigmoid(z)) = softplus(-z), computed stably.
            (-z).max(0.0) + (-z.abs()).exp().ln_1p()
        })
        .sum();
    sum / margins.len() as f64
}

/// Fits the temperature that minimises the NLL on validation margins: golden-section search on `ln T` over
/// [0.05, 20]. Returns 1 when there is nothing to fit (no data or a single class).
pub fn fit_temperature(margins: &[f32], labels: &[u8]) -> f32 {
    let positives = labels.iter().filter(|&&y| y == 1).count();
    if positives == 0 || positives == labels.len() {
        return 1.0;
    }
    let f = |log_t: f64| nll(margins, labels, log_t.exp() as f32);
    let (mut a, mut b) = (0.05f64.ln(), 20f64.ln());
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - g * (b - a);
    let mut d = a + g * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..60 {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = f(d);
        }
    }
    ((a + b) / 2.0).exp() as f32
}

/// Expected calibration error of the lure probability: records in `bins` equal-width bins of their score, the
/// record-weighted mean of |share of lures − mean score| per bin.
pub fn expected_calibration_error(scores: &[f32], labels: &[u8], bins: usize) -> f64 {
    if scores.is_empty() || bins == 0 {
        return 0.0;
    }
    let mut sum_score = vec![0.0f64; bins];
    let mut sum_label = vec![0.0f64; bins];
    let mut count = vec![0u64; bins];
    for (&s, &y) in scores.iter().zip(labels) {
        let b = ((s.clamp(0.0, 1.0) as f64 * bins as f64) as usize).min(bins - 1);
        sum_score[b] += s as f64;
        sum_label[b] += y as f64;
        count[b] += 1;
    }
    let n = scores.len() as f64;
    (0..bins).filter(|&b| count[b] > 0).map(|b| (sum_label[b] - sum_score[b]).abs() / n).sum()
}

/// The metrics of one set of scored, labelled records at one threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub n: u64,
    pub positives: u64,
    /// Average precision; `null` when there is no positive.
    pub pr_auc: Option<f64>,
    /// `null` unless both classes are present.
    pub roc_auc: Option<f64>,
    /// The threshold; where records have their own (messages), the highest of them.
    pub threshold: f32,
    /// The lowest threshold when records had different ones (the messages' own): `null` when all had `threshold`.
    #[serde(default)]
    pub message_threshold: Option<f32>,
    /// `null` when no record is flagged (nothing to be precise about).
    #[serde(default)]
    pub precision: Option<f64>,
    /// `null` when there is no positive (as `pr_auc`).
    #[serde(default)]
    pub recall: Option<f64>,
    /// `null` when there is no positive.
    #[serde(default)]
    pub f1: Option<f64>,
    pub accuracy: f64,
    /// Share of records at or above the threshold.
    pub flagged_share: f64,
    pub confusion: Confusion,
}

impl Metrics {
    pub fn compute(scores: &[f32], labels: &[u8], threshold: f32) -> Self {
        Self::compute_each(scores, labels, &vec![threshold; scores.len()])
    }

    /// The metrics when each record has its own threshold (`thresholds[i]` for `scores[i]`).
    pub fn compute_each(scores: &[f32], labels: &[u8], thresholds: &[f32]) -> Self {
        let confusion = Confusion::at_each(scores, labels, thresholds);
        let threshold = thresholds.iter().copied().fold(f32::NAN, f32::max);
        let threshold = if threshold.is_nan() { 0.5 } else { threshold };
        let lowest = thresholds.iter().copied().fold(threshold, f32::min);
        Metrics {
            n: scores.len() as u64,
            positives: labels.iter().filter(|&&y| y == 1).count() as u64,
            pr_auc: average_precision(scores, labels),
            roc_auc: roc_auc(scores, labels),
            threshold,
            message_threshold: (lowest < threshold).then_some(lowest),
            precision: (confusion.tp + confusion.fp > 0).then(|| confusion.precision()),
            recall: (confusion.tp + confusion.fn_ > 0).then(|| confusion.recall()),
            f1: (confusion.tp + confusion.fn_ > 0).then(|| confusion.f1()),
            accuracy: confusion.accuracy(),
            flagged_share: confusion.flagged_share(),
            confusion,
        }
    }
}

/// Metrics over all records, the calibration error, and the same metrics per `source`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    #[serde(flatten)]
    pub overall: Metrics,
    /// Expected calibration error (10 bins) of the scores as given.
    pub ece: f64,
    /// Per `source` value; records without a source are under `"(none)"`. Empty when no record has a source.
    pub by_source: BTreeMap<String, Metrics>,
}

impl Report {
    /// `sources[i]` is record i's source, if any.
    pub fn compute(scores: &[f32], labels: &[u8], sources: &[Option<String>], threshold: f32) -> Self {
        Self::compute_each(scores, labels, sources, &vec![threshold; scores.len()])
    }

    /// The report when each record has its own threshold (`thresholds[i]` for `scores[i]`).
    pub fn compute_each(scores: &[f32], labels: &[u8], sources: &[Option<String>], thresholds: &[f32]) -> Self {
        let mut by_source = BTreeMap::new();
        if sources.iter().any(Option::is_some) {
            /// One source's records.
            #[derive(Default)]
            struct Group {
                scores: Vec<f32>,
                labels: Vec<u8>,
                thresholds: Vec<f32>,
            }
            let mut groups: BTreeMap<String, Group> = BTreeMap::new();
            for (((&s, &y), source), &t) in scores.iter().zip(labels).zip(sources).zip(thresholds) {
                let group = groups.entry(source.clone().unwrap_or_else(|| "(none)".into())).or_default();
                group.scores.push(s);
                group.labels.push(y);
                group.thresholds.push(t);
            }
            for (source, g) in groups {
                by_source.insert(source, Metrics::compute_each(&g.scores, &g.labels, &g.thresholds));
            }
        }
        Report {
            overall: Metrics::compute_each(scores, labels, thresholds),
            ece: expected_calibration_error(scores, labels, 10),
            by_source,
        }
    }

    /// A plain-text table: one line overall, one per source.
    pub fn to_table(&self) -> String {
        let mut out = format!(
            "{:<20} {:>7} {:>6} {:>7} {:>7} {:>9} {:>7} {:>7} {:>8}\n",
            "source", "n", "lures", "PR-AUC", "ROC-AUC", "precision", "recall", "F1", "flagged"
        );
        let mut line = |name: &str, m: &Metrics| {
            let opt = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.4}"));
            out.push_str(&format!(
                "{:<20} {:>7} {:>6} {:>7} {:>7} {:>9} {:>7} {:>7} {:>7.2}%\n",
                name,
                m.n,
                m.positives,
                opt(m.pr_auc),
                opt(m.roc_auc),
                opt(m.precision),
                opt(m.recall),
                opt(m.f1),
                100.0 * m.flagged_share
            ));
        };
        line("all", &self.overall);
        for (source, m) in &self.by_source {
            line(source, m);
        }
        let c = &self.overall.confusion;
        out.push_str(&format!(
            "threshold {:.4}{}  ECE {:.4}  confusion: tp {} fp {} tn {} fn {}\n",
            self.overall.threshold,
            self.overall.message_threshold.map_or(String::new(), |t| format!(" (messages {t:.4})")),
            self.ece,
            c.tp,
            c.fp,
            c.tn,
            c.fn_
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_false_positive_budget_flags_at_most_its_share_of_negatives() {
        let negatives: Vec<f32> = (0..200).map(|i| i as f32 / 200.0).collect();
        for (budget, flagged) in [(0.0, 0), (0.004, 0), (0.005, 1), (0.01, 2), (0.5, 100), (1.0, 200)] {
            let t = threshold_for_false_positives(&negatives, budget).unwrap();
            assert_eq!(negatives.iter().filter(|&&s| s >= t).count(), flagged, "budget {budget}: threshold {t}");
        }
        // Ties: two records at the top and a budget of one record flags neither.
        let t = threshold_for_false_positives(&[0.9, 0.9, 0.1], 0.34).unwrap();
        assert!(t > 0.9, "{t}");
        assert_eq!(threshold_for_false_positives(&[], 0.01), None);
    }

    const TOL: f64 = 1e-9;

    #[test]
    fn average_precision_matches_hand_computation() {
        // Ranked: 0.9(1) 0.8(0) 0.7(1) 0.6(0) 0.5(1).
        // AP = 1/3·1 + 1/3·(2/3) + 1/3·(3/5) = 0.755555…
        let scores = [0.9, 0.8, 0.7, 0.6, 0.5];
        let labels = [1, 0, 1, 0, 1];
        let ap = average_precision(&scores, &labels).unwrap();
        assert!((ap - (1.0 + 2.0 / 3.0 + 3.0 / 5.0) / 3.0).abs() < TOL, "{ap}");
        // Ties form one threshold: both at 0.5, one positive → AP = 1·0.5.
        assert!((average_precision(&[0.5, 0.5], &[1, 0]).unwrap() - 0.5).abs() < TOL);
        assert_eq!(average_precision(&[0.5], &[0]), None);
    }

    #[test]
    fn roc_auc_matches_hand_computation() {
        // Positive pairs above negatives: 0.9>{0.8,0.6}, 0.7>{0.6}, 0.5>{} → 3 of 6 = 0.5.
        let scores = [0.9, 0.8, 0.7, 0.6, 0.5];
        let labels = [1, 0, 1, 0, 1];
        assert!((roc_auc(&scores, &labels).unwrap() - 0.5).abs() < TOL);
        assert!((roc_auc(&[0.9, 0.1], &[1, 0]).unwrap() - 1.0).abs() < TOL);
        // A tie counts one half.
        assert!((roc_auc(&[0.3, 0.3, 0.1], &[1, 0, 0]).unwrap() - 0.75).abs() < TOL);
        assert_eq!(roc_auc(&[0.3], &[1]), None);
    }

    #[test]
    fn confusion_precision_recall_f1() {
        let scores = [0.9, 0.8, 0.7, 0.6, 0.5];
        let labels = [1, 0, 1, 0, 1];
        let c = Confusion::at(&scores, &labels, 0.7);
        assert_eq!(c, Confusion { tp: 2, fp: 1, tn: 1, fn_: 1 });
        assert!((c.precision() - 2.0 / 3.0).abs() < TOL);
        assert!((c.recall() - 2.0 / 3.0).abs() < TOL);
        assert!((c.f1() - 2.0 / 3.0).abs() < TOL);
        assert!((c.accuracy() - 0.6).abs() < TOL);
        assert_eq!(Confusion::at(&scores, &labels, 0.95).precision(), 0.0);
    }

    #[test]
    fn threshold_rules() {
        let scores = [0.9, 0.8, 0.7, 0.6, 0.5];
        let labels = [1, 0, 1, 0, 1];
        // F1 by cut: ≥0.9: 2/4=.5, ≥0.8: 2/5=.4, ≥0.7: 4/6=.667, ≥0.6: 4/7, ≥0.5: 6/8=.75 (all flagged).
        assert_eq!(choose_threshold(&scores, &labels, ThresholdRule::BestF1), 0.5);
        // Precision 1 is reached only at ≥0.9; the threshold sits midway to the next score.
        let t = choose_threshold(&scores, &labels, ThresholdRule::TargetPrecision(1.0));
        assert!((t - 0.85).abs() < 1e-6, "{t}");
        // Precision ≥ 0.6: ≥0.5 gives 3/5 = 0.6, the lowest such threshold.
        assert_eq!(choose_threshold(&scores, &labels, ThresholdRule::TargetPrecision(0.6)), 0.5);
        // Half the best F1 (0.75): 0.375, wherever the records fall.
        assert!((choose_threshold(&scores, &labels, ThresholdRule::HalfBestF1) - 0.375).abs() < 1e-6);
        let moved = [0.9, 0.8, 0.7, 0.6, 0.45];
        assert!((choose_threshold(&moved, &labels, ThresholdRule::HalfBestF1) - 0.375).abs() < 1e-6);
        assert_eq!(choose_threshold(&scores, &[0, 0, 0, 0, 0], ThresholdRule::HalfBestF1), 0.5, "no lures");
        let separable = choose_threshold(&[0.9, 0.8, 0.2, 0.1], &[1, 1, 0, 0], ThresholdRule::BestF1);
        assert!((separable - 0.5).abs() < 1e-6, "{separable}");
    }

    #[test]
    fn temperature_fit_recovers_a_known_scale() {
        // Labels drawn so that P(y=1) = sigmoid(m / 2) exactly in frequency: for each margin m, n1/n = sigmoid(m/2).
        let mut margins = Vec::new();
        let mut labels = Vec::new();
        for &m in &[-4.0f32, -2.0, 0.0, 2.0, 4.0] {
            let p = calibrated(m, 2.0);
            let ones = (p * 1000.0).round() as usize;
            for i in 0..1000 {
                margins.push(m);
                labels.push(u8::from(i < ones));
            }
        }
        let t = fit_temperature(&margins, &labels);
        assert!((t - 2.0).abs() < 0.02, "{t}");
        assert!(nll(&margins, &labels, t) <= nll(&margins, &labels, 1.0));
        assert_eq!(fit_temperature(&[1.0, 2.0], &[1, 1]), 1.0);
    }

    #[test]
    fn ece_matches_hand_computation() {
        // Bin [0.9,1): scores .95,.95 labels 1,0 → |1 − 1.9| = 0.9; bin [0.1,0.2): .15 label 0 → 0.15.
        // ECE = (0.9 + 0.15) / 3 = 0.35.
        let e = expected_calibration_error(&[0.95, 0.95, 0.15], &[1, 0, 0], 10);
        assert!((e - 0.35).abs() < 1e-6, "{e}");
    }

    #[test]
    fn report_breaks_down_by_source() {
        let scores = [0.9, 0.2, 0.8, 0.1];
        let labels = [1, 0, 0, 0];
        let sources = [Some("a".to_string()), Some("a".to_string()), Some("b".to_string()), None];
        let r = Report::compute(&scores, &labels, &sources, 0.5);
        assert_eq!(r.overall.n, 4);
        assert_eq!(r.by_source.len(), 3);
        assert_eq!(r.by_source["a"].f1, Some(1.0));
        assert_eq!(r.by_source["b"].flagged_share, 1.0);
        assert_eq!(r.by_source["b"].pr_auc, None);
        // No lures: recall and F1 are undefined, like PR-AUC; one false flag still has a precision (0).
        assert_eq!((r.by_source["b"].precision, r.by_source["b"].recall, r.by_source["b"].f1), (Some(0.0), None, None));
        // Nothing flagged: no precision.
        assert_eq!(r.by_source["(none)"].precision, None);
        let table = r.to_table();
        let b = table.lines().find(|l| l.starts_with("b ")).unwrap();
        assert_eq!(b.split_whitespace().collect::<Vec<_>>()[3..8], ["-", "-", "0.0000", "-", "-"], "{table}");
        assert_eq!(r.by_source["(none)"].n, 1);
        let json = serde_json::to_value(&r).unwrap();
        for key in ["n", "pr_auc", "roc_auc", "precision", "recall", "f1", "threshold"] {
            assert!(json.get(key).is_some(), "{key} missing in {json}");
        }
    }
}
