//! What a model folder says about itself: `config.json` (the Hugging Face BERT config) and `lurescan.json`
//! (what Hugging Face has no place for: threshold, temperature, maximum length, rendering, training record).

use crate::record::{Record, RenderConfig};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The label names, as `id2label` in `config.json`.
pub const LABELS: [&str; 2] = ["legitimate", "lure"];

/// `config.json`: a Hugging Face `BertConfig` for `BertForSequenceClassification`. Fields that `transformers`
/// needs are always written; any BERT size loads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BertConfig {
    pub architectures: Vec<String>,
    pub model_type: String,
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub hidden_act: String,
    pub hidden_dropout_prob: f64,
    pub attention_probs_dropout_prob: f64,
    pub max_position_embeddings: usize,
    pub type_vocab_size: usize,
    pub initializer_range: f64,
    pub layer_norm_eps: f64,
    pub pad_token_id: u32,
    pub position_embedding_type: String,
    pub classifier_dropout: Option<f64>,
    pub id2label: BTreeMap<String, String>,
    pub label2id: BTreeMap<String, u32>,
    pub problem_type: String,
}

impl Default for BertConfig {
    fn default() -> Self {
        BertConfig {
            architectures: vec!["BertForSequenceClassification".into()],
            model_type: "bert".into(),
            vocab_size: 8000,
            hidden_size: 128,
            num_hidden_layers: 2,
            num_attention_heads: 4,
            intermediate_size: 512,
            hidden_act: "gelu".into(),
            hidden_dropout_prob: 0.1,
            attention_probs_dropout_prob: 0.1,
            max_position_embeddings: 512,
            type_vocab_size: 2,
            initializer_range: 0.02,
            layer_norm_eps: 1e-12,
            pad_token_id: 0,
            position_embedding_type: "absolute".into(),
            classifier_dropout: None,
            id2label: LABELS.iter().enumerate().map(|(i, l)| (i.to_string(), l.to_string())).collect(),
            label2id: LABELS.iter().enumerate().map(|(i, l)| (l.to_string(), i as u32)).collect(),
            problem_type: "single_label_classification".into(),
        }
    }
}

impl BertConfig {
    /// Number of output classes, from `id2label`.
    pub fn num_labels(&self) -> usize {
        self.id2label.len().max(1)
    }

    /// The class index whose probability is the lure score: the id of `lure` (or `1` when labels are unnamed).
    pub fn lure_index(&self) -> usize {
        self.label2id.get("lure").map(|&i| i as usize).unwrap_or(1)
    }
}

/// `lurescan.json`: decision threshold, calibration temperature, maximum length, rendering, and whatever the
/// trainer recorded (flags, data fingerprint, metrics), kept as it was written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// A record is labelled `lure` when its calibrated probability is at least this.
    pub threshold: f32,
    /// The threshold for messages (records whose only field is `text`), when they have their own: lure messages
    /// are rare in training data, so their scores run low, and a threshold chosen on postings would miss them.
    /// Training sets it to keep the share of validation non-lure messages flagged within a budget. Absent: `threshold`
    /// applies to every record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_threshold: Option<f32>,
    /// Logits are divided by this before the softmax (temperature scaling, fitted on validation data).
    pub temperature: f32,
    /// Inputs are cut to this many tokens, the special tokens included (`[CLS]` and `[SEP]`, or `<s>` and `</s>`).
    pub max_length: usize,
    pub render: RenderConfig,
    /// How the BERT and the lexical model (`lexical.safetensors`) are combined; absent for a BERT-only folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ensemble: Option<EnsembleConfig>,
    /// The weights messages (records whose only field is `text`) are scored with, when they have their own; absent:
    /// `ensemble` scores every record. Training writes it with `cross_fit_message_sources`: fitted on validation
    /// messages whose lexical margins come from a lexical member that never saw their source, so that the weights
    /// trust the lexical member on messages only as far as it carries to a new source, while postings keep weights
    /// fitted on the margins they will get.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_ensemble: Option<EnsembleConfig>,
    /// How the exemplar margin is computed ([`crate::exemplars`]); written when the model was trained with
    /// exemplars. Absent: the defaults (k = 3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exemplars: Option<ExemplarSettings>,
    /// Categories of the built-in indicator catalogue that explain a record but do not count in the ensemble's
    /// indicator term ([`EnsembleConfig::indicators`]; [`crate::explain::Catalogue::counted_categories`]). Training
    /// writes the recipe's `uncounted_indicator_categories`. Absent: every category counts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uncounted_indicator_categories: Vec<String>,
    /// Everything else in the file (training flags, data fingerprint, metrics), preserved on a round trip.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Settings {
    /// The threshold that applies to `record`: `message_threshold` for a message when there is one, else
    /// `threshold`.
    pub fn threshold_for(&self, record: &Record) -> f32 {
        match self.message_threshold {
            Some(t) if record.is_message() => t,
            _ => self.threshold,
        }
    }

    /// The ensemble weights that score `record`: `message_ensemble` for a message when there is one, else
    /// `ensemble` (`None` for a BERT-only folder).
    pub fn ensemble_for(&self, record: &Record) -> Option<&EnsembleConfig> {
        match &self.message_ensemble {
            Some(weights) if record.is_message() => Some(weights),
            _ => self.ensemble.as_ref(),
        }
    }

    /// Every set of ensemble weights the folder has: `ensemble`, then `message_ensemble`.
    pub fn ensembles(&self) -> impl Iterator<Item = &EnsembleConfig> {
        self.ensemble.iter().chain(&self.message_ensemble)
    }

    /// Whether some record's score includes the exemplar margin: one of the ensembles has an exemplar weight.
    pub fn scores_with_exemplars(&self) -> bool {
        self.ensembles().any(|e| e.exemplar.is_some())
    }

    /// Whether some record's score counts its indicator categories: one of the ensembles has an indicator weight.
    pub fn scores_with_indicators(&self) -> bool {
        self.ensembles().any(|e| e.indicators.is_some())
    }
}

impl Settings {
    /// The arithmetic the folder asks for, `lurescan.json`'s `"precision"` (`"fp32"` when absent). It is read from
    /// [`Settings::extra`] rather than being a field of its own so that the writers of `Settings` (the trainers)
    /// need not know about it; an unknown value is an error naming the two that exist.
    pub fn precision(&self) -> Result<Precision, String> {
        match self.extra.get(PRECISION_KEY) {
            None | Some(Value::Null) => Ok(Precision::default()),
            Some(Value::String(s)) => s.parse(),
            Some(other) => Err(format!("\"precision\" must be \"fp32\" or \"int8\", not {other}")),
        }
    }

    /// Sets `"precision"` (absent for the default, so a folder written at fp32 stays byte for byte as it was).
    pub fn set_precision(&mut self, precision: Precision) {
        match precision {
            Precision::Fp32 => self.extra.remove(PRECISION_KEY),
            Precision::Int8 => self.extra.insert(PRECISION_KEY.into(), Value::String(precision.to_string())),
        };
    }
}

const PRECISION_KEY: &str = "precision";

/// The arithmetic of the encoder's matrix products at inference ([`crate::int8`]). Training is always fp32.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// f32 throughout: the scores training measured.
    #[default]
    Fp32,
    /// The encoder layers' linear maps with int8 weights and activations (`i32` sums): faster on CPUs with AMX,
    /// AVX-512 VNNI or AVX2, scores within about 0.02 of fp32's.
    Int8,
}

impl std::str::FromStr for Precision {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fp32" | "f32" => Ok(Precision::Fp32),
            "int8" | "i8" => Ok(Precision::Int8),
            other => Err(format!("unknown precision {other:?}: use \"fp32\" or \"int8\"")),
        }
    }
}

impl std::fmt::Display for Precision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Precision::Fp32 => "fp32",
            Precision::Int8 => "int8",
        })
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threshold: 0.5,
            message_threshold: None,
            temperature: 1.0,
            max_length: 128,
            render: RenderConfig::default(),
            ensemble: None,
            message_ensemble: None,
            exemplars: None,
            uncounted_indicator_categories: Vec::new(),
            extra: Map::new(),
        }
    }
}

/// `lurescan.json`'s `"ensemble"`: the lure probability of a folder with `lexical.safetensors` is
/// `sigmoid(bert · bert_margin / temperature + lexical · lexical_margin + bias)`, where `bert_margin` is
/// `logit[lure] − logit[legitimate]` of the BERT and `lexical_margin` the lexical model's logit (fitted on
/// validation data by logistic regression). A model trained with exemplars also has `exemplar`, the weight of the
/// exemplar margin ([`crate::exemplars`]), added to the log-odds; a model trained with `indicator_member` has
/// `indicators`, the weight of each distinct category of the built-in indicator catalogue the record shows (counted
/// up to [`INDICATOR_CATEGORY_CAP`]; [`crate::explain::Catalogue::category_count`]), and may have `warning`, added
/// to the log-odds of a record that reads as a warning about these scams. Without them the formula is the one above.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EnsembleConfig {
    pub bert: f32,
    pub lexical: f32,
    pub bias: f32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemplar: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicators: Option<f32>,
    /// Added to the log-odds of a record that reads as a warning about these scams (a flag of
    /// [`crate::explain::WARNING_CATEGORY`]; such a record counts no indicator category either). A prior set by the
    /// training recipe (`warning_log_odds`), not fitted: validation data hold too few warnings to fit it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<f32>,
    /// Added to the log-odds of a record with a flag of a decisive indicator
    /// ([`crate::explain::Indicator::decisive`]: a step of a scam that no ordinary offer takes, such as renting out
    /// a bank account or paying a "tax" to withdraw task earnings). A prior set by the training recipe
    /// (`decisive_log_odds`), not fitted: validation data hold too few such records to fit it. Such a record also
    /// scores at least [`DECISIVE_SCORE`] (0.9), and a hair above the threshold its label is decided by (the
    /// folder's or the caller's) when that is higher ([`EnsembleConfig::with_flags`]): one decisive sign is evidence
    /// enough on its own, however ordinary the members find the rest of the wording (a "payroll registration" that
    /// asks for the code the applicant is about to receive reads to them like a bank's notice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decisive: Option<f32>,
}

/// The most indicator categories of one record that count in the score (see [`EnsembleConfig::indicators`]): a
/// record that shows pay, contact, urgency and fee wording at once is no more a lure than one that shows three of
/// them, as far as validation data can tell.
pub const INDICATOR_CATEGORY_CAP: usize = 3;

/// The score a record with a decisive flag gets at least (see [`EnsembleConfig::decisive`]), when the threshold
/// in use is below it: such records rank among the surest lures of a sorted list, not at the foot of the flagged
/// ones. On the development probes, a floor at the threshold instead ranks them below ordinary records the members
/// score between the threshold and 0.9 (average precision 0.921 against 0.930 on probe H, 0.955 against 0.964 on
/// probe I).
pub const DECISIVE_SCORE: f32 = 0.9;

/// The log-odds a record with a decisive flag scores at least (see [`EnsembleConfig::with_flags`]):
/// [`DECISIVE_SCORE`]'s, or a hair above the threshold's when the threshold is higher, so that the score, rounded
/// to `f32`, still reaches it.
fn decisive_floor(threshold: f32) -> f32 {
    // Above 1 − 1e-6 no f32 score but 1 reaches the threshold (`--threshold 1`): a floor whose sigmoid rounds to 1.
    if threshold > 1.0 - 1e-6 {
        return 30.0;
    }
    let log_odds = |p: f32| (p / (1.0 - p)).ln();
    let t = threshold.clamp(1e-6, 1.0 - 1e-6);
    (log_odds(t) + 1e-3).max(log_odds(DECISIVE_SCORE))
}

impl EnsembleConfig {
    /// The weights of the BERT and the lexical member, without an exemplar or indicator weight.
    pub fn new(bert: f32, lexical: f32, bias: f32) -> Self {
        EnsembleConfig { bert, lexical, bias, exemplar: None, indicators: None, warning: None, decisive: None }
    }

    /// What the record's indicator flags add to the log-odds: [`EnsembleConfig::indicator_term`] of its counted
    /// categories, the warning weight when it reads as a warning, and the decisive weight when a counted flag is
    /// decisive.
    pub fn flags_term(&self, counted: crate::explain::Counted) -> f32 {
        let prior = |applies: bool, weight: Option<f32>| if applies { weight.unwrap_or(0.0) } else { 0.0 };
        self.indicator_term(counted.categories)
            + prior(counted.warning, self.warning)
            + prior(counted.decisive, self.decisive)
    }

    /// The log-odds `z` of the members with [`EnsembleConfig::flags_term`] added, and, when a counted flag is
    /// decisive and the ensemble has a decisive weight, at least the log-odds of [`DECISIVE_SCORE`], or a hair above
    /// those of `threshold` when that is higher (the threshold the record's label is decided by; 0 when none is known
    /// yet, as when training scores validation data): a decisive sign is evidence enough on its own, however ordinary
    /// the rest of the record reads to the members.
    pub fn with_flags(&self, z: f32, counted: crate::explain::Counted, threshold: f32) -> f32 {
        let z = z + self.flags_term(counted);
        match counted.decisive && self.decisive.is_some() {
            true => z.max(decisive_floor(threshold)),
            false => z,
        }
    }

    /// Whether the score reads the record's indicator flags at all (an indicator, warning or decisive weight).
    pub fn reads_flags(&self) -> bool {
        self.indicators.is_some() || self.warning.is_some() || self.decisive.is_some()
    }

    /// What `categories` distinct indicator categories add to the log-odds: `indicators · min(categories,
    /// INDICATOR_CATEGORY_CAP)`, 0 without an indicator weight.
    pub fn indicator_term(&self, categories: usize) -> f32 {
        self.indicators.map_or(0.0, |w| w * categories.min(INDICATOR_CATEGORY_CAP) as f32)
    }

    /// The ensemble's lure probability, leaving out the exemplar term (see [`EnsembleConfig::log_odds_with`]).
    pub fn probability(&self, bert_margin: f32, temperature: f32, lexical_margin: f32) -> f32 {
        let z = self.log_odds(bert_margin, temperature, lexical_margin);
        1.0 / (1.0 + (-z).exp())
    }

    /// The ensemble's log-odds of lure (its margin before the sigmoid), leaving out the exemplar term.
    pub fn log_odds(&self, bert_margin: f32, temperature: f32, lexical_margin: f32) -> f32 {
        self.bert * (bert_margin / temperature) + self.lexical * lexical_margin + self.bias
    }

    /// The log-odds with the exemplar term `exemplar · exemplar_margin` when the ensemble has an exemplar weight
    /// and the record a margin; otherwise exactly [`EnsembleConfig::log_odds`].
    pub fn log_odds_with(
        &self,
        bert_margin: f32,
        temperature: f32,
        lexical_margin: f32,
        exemplar_margin: Option<f32>,
    ) -> f32 {
        let z = self.log_odds(bert_margin, temperature, lexical_margin);
        match (self.exemplar, exemplar_margin) {
            (Some(w), Some(m)) => z + w * m,
            _ => z,
        }
    }

    /// The probability of [`EnsembleConfig::log_odds_with`]; exactly [`EnsembleConfig::probability`] without an
    /// exemplar term.
    pub fn probability_with(
        &self,
        bert_margin: f32,
        temperature: f32,
        lexical_margin: f32,
        exemplar_margin: Option<f32>,
    ) -> f32 {
        let z = self.log_odds_with(bert_margin, temperature, lexical_margin, exemplar_margin);
        1.0 / (1.0 + (-z).exp())
    }
}

/// Nearest exemplars of each label averaged in the margin, unless `lurescan.json`'s `"exemplars": {"k": …}` says
/// otherwise.
pub const DEFAULT_K: usize = 3;

/// `lurescan.json`'s `"exemplars"`: how the margin is computed. Written by training with exemplars.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExemplarSettings {
    /// Nearest exemplars of each label averaged in the margin.
    pub k: usize,
    /// Directions every embedding shares, removed before the cosines (see [`CommonDirections`]); absent in folders
    /// trained before them, whose cosines are of the embeddings as they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub common: Option<CommonDirections>,
}

impl Default for ExemplarSettings {
    fn default() -> Self {
        ExemplarSettings { k: DEFAULT_K, common: None }
    }
}

/// What the sentence embeddings of a model have in common, so that similarity can be read without it: the mean
/// embedding of the training texts and their few strongest principal directions. Sentence encoders put every text
/// in a narrow cone (unrelated messages sit at cosine 0.7–0.9), and a distilled student's cone is narrower still, so
/// the raw cosine mostly says "both are text"; removing the mean and the top directions ("all-but-the-top", Mu and
/// Viswanath 2018) leaves the differences between texts that the exemplars are about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommonDirections {
    /// The mean of the training texts' unit-length embeddings.
    pub mean: Vec<f32>,
    /// Orthonormal directions, strongest first.
    pub directions: Vec<Vec<f32>>,
}

impl CommonDirections {
    /// `embedding` (unit length) minus the mean, with its components along the directions removed, scaled to unit
    /// length (all zeros stays all zeros).
    pub fn project(&self, embedding: &[f32]) -> Vec<f32> {
        let mut x: Vec<f32> = embedding.iter().zip(&self.mean).map(|(v, m)| v - m).collect();
        for d in &self.directions {
            let along: f32 = x.iter().zip(d).map(|(a, b)| a * b).sum();
            x.iter_mut().zip(d).for_each(|(a, b)| *a -= along * b);
        }
        let norm = x.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            x.iter_mut().for_each(|v| *v /= norm);
        }
        x
    }

    /// The width every vector must have, checked against the model's.
    pub fn check(&self, dim: usize) -> Result<(), String> {
        if let Some(v) = std::iter::once(&self.mean).chain(&self.directions).find(|v| v.len() != dim) {
            return Err(format!(
                "\"exemplars\".\"common\" has a vector of {} values, but the model's embeddings have {dim}: \
                 the folder's lurescan.json belongs to another model",
                v.len()
            ));
        }
        if !self.mean.iter().chain(self.directions.iter().flatten()).all(|v| v.is_finite()) {
            return Err("\"exemplars\".\"common\" holds a value that is not a finite number".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::Counted;

    #[test]
    fn a_decisive_flag_adds_its_weight_and_floors_the_log_odds_at_0_9_or_above_the_threshold() {
        let ensemble =
            EnsembleConfig { indicators: Some(0.5), decisive: Some(4.0), ..EnsembleConfig::new(1.0, 1.0, 0.0) };
        let decisive = Counted { categories: 2, warning: false, decisive: true };
        let ordinary = Counted { decisive: false, ..decisive };
        let logit = |p: f32| (p / (1.0 - p)).ln();
        // Far below: lifted to 0.9 when the threshold is lower, a hair above the threshold when it is higher.
        assert!((ensemble.with_flags(-20.0, decisive, 0.3) - logit(DECISIVE_SCORE)).abs() < 1e-5);
        assert!((ensemble.with_flags(-20.0, decisive, 0.0) - logit(DECISIVE_SCORE)).abs() < 1e-5);
        let strict = ensemble.with_flags(-20.0, decisive, 0.99);
        assert!(strict > logit(0.99) && strict - logit(0.99) < 2e-3, "{strict}");
        // Even a threshold of 1 (or one that rounds to it) is reached: the score, as an f32, is 1.
        let sigmoid = |z: f32| 1.0 / (1.0 + (-z).exp());
        for threshold in [0.999_999_5, 0.999_999_99, 1.0] {
            assert!(sigmoid(ensemble.with_flags(-20.0, decisive, threshold)) >= threshold, "{threshold}");
        }
        // Above the floor, the weights alone: two categories at 0.5 and the decisive 4.
        assert!((ensemble.with_flags(3.0, decisive, 0.3) - 8.0).abs() < 1e-5);
        // No floor without a decisive flag, or without a decisive weight.
        assert!((ensemble.with_flags(-20.0, ordinary, 0.3) - -19.0).abs() < 1e-5);
        let unweighted = EnsembleConfig { decisive: None, ..ensemble };
        assert!((unweighted.with_flags(-20.0, decisive, 0.3) - -19.0).abs() < 1e-5);
    }
}
