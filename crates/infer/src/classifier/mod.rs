//! [`Classifier`]: a loaded model folder that turns records into lure probabilities.
//!
//! A model folder ([`crate::ModelFolder`]) holds `config.json` (Hugging Face `BertConfig`), `model.safetensors` (Hugging Face
//! `BertForSequenceClassification` tensor names), `tokenizer.json` and `lurescan.json` ([`Settings`]).
//!
//! It may also hold `lexical.safetensors`, a hashed n-gram linear model ([`crate::lexical`]) that reads the whole
//! text; then the score combines both as `lurescan.json`'s `"ensemble"` ([`EnsembleConfig`]) says, or for messages its
//! `"message_ensemble"` when it has one. Hugging Face
//! `transformers` loading the folder sees only the BERT part and its scores are the BERT's alone.
//!
//! It may also hold `exemplars.jsonl`, texts of known lure scripts and of benign look-alikes ([`crate::exemplars`]);
//! [`Classifier::with_exemplars`] adds more. Each record's similarity to its nearest exemplars is evidence
//! ([`Classifier::predict_with_evidence`]) and, when `"ensemble"` has an `"exemplar"` weight, part of the score.

mod load;

use crate::config::{BertConfig, EnsembleConfig, Settings};
use crate::error::{Error, Result};
use crate::exemplars::{ExemplarEvidence, ExemplarIndex};
use crate::explain::{Catalogue, Counted};
use crate::lexical::LexicalModel;
use crate::model::BertForSequenceClassification;
use crate::record::{render, Record, RecordError};
use crate::tokenizer::LureTokenizer;
use candle_core::Tensor;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The decision for one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Legitimate,
    Lure,
}

/// The model's verdict on one record.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// Calibrated probability that the record is a lure, 0–1.
    pub score: f32,
    /// `Lure` when `score >= threshold` (the folder's `message_threshold` for a message, when it has one).
    pub label: Label,
    /// When a flag of a decisive indicator counts in the score: the score with that flag's decisive weight and the
    /// floor it sets left out, what the members and the other flags say of the record (`None` otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_without_decisive: Option<f32>,
}

/// Scoring options that do not change the model.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreOptions {
    /// Sequences per forward pass ([`ScoreOptions::DEFAULT_BATCH_SIZE`] by default).
    pub batch_size: usize,
    /// Overrides the model folder's thresholds (`threshold` and `message_threshold`) for every record: from 0 to 1
    /// ([`Classifier::predict`] refuses any other value).
    pub threshold: Option<f32>,
}

impl ScoreOptions {
    /// Sequences per forward pass unless the caller says otherwise. Batches run whole on each core, so with two
    /// cores two batches' activations are alive at once; 8 sequences of 128 tokens keep a layer's activations
    /// within a few MB per core. Measured on 2 cores with lurescan-base (issue 15): against 32, the peak RSS of
    /// `lurescan score` fell by about 100 MB (6,828 pool postings: 375–382 → 278–283 MB with int8 weights, 365–396
    /// → 279–284 MB with fp32) at the same speed for int8 (CPU time within ±2%, messages 3–8% less) and 2–4% more
    /// CPU time for fp32 postings: the matrices of 8 × 128 rows already keep the kernels busy.
    pub const DEFAULT_BATCH_SIZE: usize = 8;
}

impl Default for ScoreOptions {
    fn default() -> Self {
        ScoreOptions { batch_size: Self::DEFAULT_BATCH_SIZE, threshold: None }
    }
}

/// How [`Classifier::predict`] spreads its batches over threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Parallelism {
    /// Whole batches in parallel when candle runs each tensor op on the calling thread
    /// ([`ops_run_on_calling_thread`]), else one batch at a time: what suits the process as it was started.
    #[default]
    Auto,
    /// Whole batches in parallel on the current rayon pool, one per thread. With candle running each op on the
    /// calling thread (a process started with `CANDLE_NUM_THREADS=1`) this scores 4–5× more records per second on
    /// a busy 2-core machine than candle splitting every op across its own spinning threads.
    Batches,
    /// One batch at a time; candle splits each op across its own threads.
    Ops,
}

impl Parallelism {
    fn batches_in_parallel(self) -> bool {
        match self {
            Parallelism::Auto => ops_run_on_calling_thread(),
            Parallelism::Batches => true,
            Parallelism::Ops => false,
        }
    }
}

/// Whether candle runs each tensor op on the calling thread: its own pool has no workers, because the process was
/// started with `CANDLE_NUM_THREADS=1` (candle reads it once, when it first needs its pool). A program that scores
/// in bulk sets that variable before it starts any thread (the `lurescan` binary does, in `main`); this crate never
/// changes the process environment.
pub fn ops_run_on_calling_thread() -> bool {
    candle_core::utils::barrier_pool().n_workers() == 0
}

/// A loaded model: `Send + Sync`, so one classifier can serve many threads.
///
/// [`Classifier::predict`] uses the current rayon pool (wrap it in `ThreadPool::install` to choose the threads),
/// spreading batches over it as [`Classifier::with_parallelism`] says.
///
/// ```
/// use lurescan::{Classifier, Label, Record, RecordError, ScoreOptions};
///
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tiny-bert");
/// let classifier = Classifier::load(dir)?;
/// let records = [
///     Record::from_text("Earn 500 USD a day from home, no experience needed. Send your passport copy."),
///     Record::default(),
/// ];
/// let predictions = classifier.predict(&records, &ScoreOptions::default())?;
/// let first = predictions[0].as_ref().unwrap();
/// assert!((0.0..=1.0).contains(&first.score));
/// assert_eq!(first.label == Label::Lure, first.score >= classifier.settings().threshold_for(&records[0]));
/// assert_eq!(predictions[1], Err(RecordError::NoText));
/// # Ok::<(), lurescan::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Classifier {
    config: BertConfig,
    settings: Settings,
    tokenizer: LureTokenizer,
    model: BertForSequenceClassification,
    /// The lexical ensemble member (shared: it is 2 MB, and a `Classifier` clone should stay cheap).
    lexical: Option<Arc<LexicalModel>>,
    /// Exemplars with their embeddings, when the folder has some or the caller added some.
    exemplars: Option<Arc<ExemplarIndex>>,
    parallelism: Parallelism,
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Classifier>();
};

/// One row of logits, `[num_labels]`.
type Logits = Vec<f32>;
/// One sequence's unit-length embedding, `[hidden_size]`.
type Embedding = Vec<f32>;
/// What one forward pass gives a record: its logits and, when asked for, its embedding.
type Pass = (Logits, Option<Embedding>);

impl Classifier {
    /// This classifier spreading its batches over threads as `parallelism` says (scores are the same either way).
    pub fn with_parallelism(mut self, parallelism: Parallelism) -> Self {
        self.parallelism = parallelism;
        self
    }

    pub fn parallelism(&self) -> Parallelism {
        self.parallelism
    }

    pub fn config(&self) -> &BertConfig {
        &self.config
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn tokenizer(&self) -> &LureTokenizer {
        &self.tokenizer
    }

    pub fn model(&self) -> &BertForSequenceClassification {
        &self.model
    }

    /// The lexical ensemble member, if the folder has one.
    pub fn lexical(&self) -> Option<&LexicalModel> {
        self.lexical.as_deref()
    }

    /// The exemplars and their embeddings, if the folder has some or [`Classifier::with_exemplars`] added some.
    pub fn exemplars(&self) -> Option<&ExemplarIndex> {
        self.exemplars.as_deref()
    }

    /// The exemplar index when some score includes the exemplar margin: an ensemble has an exemplar weight.
    fn scoring_exemplars(&self) -> Option<&ExemplarIndex> {
        self.exemplars.as_deref().filter(|_| self.settings.scores_with_exemplars())
    }

    /// The ensemble weights that score `record` ([`Settings::ensemble_for`]) and the lexical model, when this
    /// classifier is an ensemble.
    fn ensemble(&self, record: &Record) -> Option<(&EnsembleConfig, &LexicalModel)> {
        Some((self.settings.ensemble_for(record)?, self.lexical.as_deref()?))
    }

    /// Token ids of a record as the model sees it: rendered with the folder's [`crate::RenderConfig`], cut to
    /// `max_length`. A record that cannot be scored is its [`Record::unscorable`] error: [`RecordError::NoText`], or
    /// [`RecordError::OnlyContext`] for one whose only fields are a place or a salary.
    pub fn encode(&self, record: &Record) -> Result<Result<Vec<u32>, RecordError>> {
        if let Some(error) = record.unscorable() {
            return Ok(Err(error));
        }
        let text = render(record, &self.settings.render);
        Ok(Ok(self.tokenizer.encode(&text, self.settings.max_length)?))
    }

    /// Logits `[batch.len(), num_labels]` for sequences of token ids: pads each to the longest with
    /// `pad_token_id`, masks the padding, runs the model in inference mode.
    pub fn logits_for_ids(&self, batch: &[Vec<u32>]) -> Result<Tensor> {
        self.logits_for(&batch.iter().map(Vec::as_slice).collect::<Vec<_>>())
    }

    fn logits_for(&self, batch: &[&[u32]]) -> Result<Tensor> {
        let (ids, mask) = self.pad(batch)?;
        Ok(self.model.forward(&ids, &mask, None)?)
    }

    /// Each sequence's logits (as [`Classifier::logits_for_ids`]) and, with `embeddings`, its unit-length
    /// embedding, from one forward pass.
    fn pass(&self, batch: &[&[u32]], embeddings: bool) -> Result<Vec<Pass>> {
        if !embeddings {
            return Ok(self.logits_for(batch)?.to_vec2::<f32>()?.into_iter().map(|l| (l, None)).collect());
        }
        let (ids, mask) = self.pad(batch)?;
        let (logits, embedded) = self.model.forward_with_embeddings(&ids, &mask)?;
        Ok(logits.to_vec2::<f32>()?.into_iter().zip(embedded.to_vec2::<f32>()?).map(|(l, e)| (l, Some(e))).collect())
    }

    /// Token ids padded to the longest with `pad_token_id`, and the attention mask ([`crate::batch::pad`]).
    fn pad(&self, batch: &[&[u32]]) -> Result<(Tensor, Tensor)> {
        crate::batch::pad(batch, self.config.pad_token_id, self.model.device())
    }

    /// The calibrated lure probability of the BERT alone for one row of logits: `softmax(logits / temperature)[lure]`
    /// (the ensemble's score also needs the record: see [`Classifier::predict`]).
    pub fn lure_probability(&self, logits: &[f32]) -> f32 {
        let t = self.settings.temperature;
        let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let exps: Vec<f32> = logits.iter().map(|&l| ((l - max) / t).exp()).collect();
        exps[self.config.lure_index()] / exps.iter().sum::<f32>()
    }

    /// The calibrated log-odds of lure, `ln(score / (1 − score))`, of `record` given the BERT's logits for it: the
    /// margin the score puts through the sigmoid. It leaves out the exemplar term of a model with an
    /// exemplar weight (that needs the record's embedding): [`Classifier::log_odds_for_ids`] includes it. The
    /// indicator term, which needs only the record, is in both. Unlike the score it does not saturate, so a word
    /// that moves a 0.99999 score still moves it visibly; nor does it have the score's floor for a decisive flag
    /// ([`EnsembleConfig::with_flags`]), under which no word but the flag's own would move it at all.
    pub fn log_odds_of(&self, logits: &[f32], record: &Record) -> f32 {
        match self.ensemble(record) {
            None => {
                // ln p_lure − ln(1 − p_lure) of softmax(logits / t), computed from the logits without rounding to p.
                let t = self.settings.temperature;
                let lure = self.config.lure_index();
                let others: Vec<f32> =
                    logits.iter().enumerate().filter(|&(i, _)| i != lure).map(|(_, &l)| l / t).collect();
                let max = others.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                let log_rest = max + others.iter().map(|&l| (l - max).exp()).sum::<f32>().ln();
                logits[lure] / t - log_rest
            }
            Some((ensemble, lexical)) => self.ensemble_log_odds(ensemble, lexical, record, logits, None, None).0,
        }
    }

    /// The ensemble's log-odds of `record`: the BERT's margin from `logits`, the lexical member's, the exemplar term
    /// when `exemplar_margin` is given and the ensemble has a weight for it, and the indicator term when it has one.
    /// With `floor_threshold`, a record with a decisive flag gets at least the floor of [`EnsembleConfig::with_flags`]
    /// for that threshold, the one its label is decided by (the folder's, or the caller's override): the score. Without
    /// it, the log-odds the explanations measure words' effects on (the decisive weight counts, the floor does not).
    /// Second, when a counted flag is decisive: the log-odds without its decisive weight and floor.
    fn ensemble_log_odds(
        &self,
        ensemble: &EnsembleConfig,
        lexical: &LexicalModel,
        record: &Record,
        logits: &[f32],
        exemplar_margin: Option<f32>,
        floor_threshold: Option<f32>,
    ) -> (f32, Option<f32>) {
        let lexical_margin = lexical.margin(record, &self.settings.render);
        let z = ensemble.log_odds_with(
            self.bert_margin(logits),
            self.settings.temperature,
            lexical_margin,
            exemplar_margin,
        );
        if !ensemble.reads_flags() {
            return (z, None);
        }
        let counted = Catalogue::builtin().counted_as_read(
            record,
            &self.settings.render,
            &self.settings.uncounted_indicator_categories,
        );
        let with_flags = match floor_threshold {
            Some(threshold) => ensemble.with_flags(z, counted, threshold),
            None => z + ensemble.flags_term(counted),
        };
        let without_decisive =
            counted.decisive.then(|| z + ensemble.flags_term(Counted { decisive: false, ..counted }));
        (with_flags, without_decisive)
    }

    /// The BERT's margin for lure, `logits[lure] − logits[the other label]`, of a two-label model (an ensemble's).
    fn bert_margin(&self, logits: &[f32]) -> f32 {
        let lure = self.config.lure_index();
        logits[lure] - logits[1 - lure.min(1)]
    }

    /// The calibrated log-odds of lure of each sequence of token ids, `records[i]` being what `ids[i]` encodes,
    /// with every member of the ensemble: the BERT, the lexical member and the exemplar margin, as
    /// [`Classifier::predict`] combines them (one forward pass for the batch), and, as [`Classifier::log_odds_of`],
    /// without the floor of a decisive flag.
    pub fn log_odds_for_ids(&self, ids: &[Vec<u32>], records: &[&Record]) -> Result<Vec<f32>> {
        let batch: Vec<&[u32]> = ids.iter().map(Vec::as_slice).collect();
        let passes = self.passes_for_log_odds(&batch)?;
        Ok(passes.iter().zip(records).map(|(pass, record)| self.log_odds_from_pass(pass, record)).collect())
    }

    /// One forward pass over `batch`: what [`Classifier::log_odds_from_pass`] needs of each sequence (its logits,
    /// and its embedding when the score includes the exemplar margin).
    pub(crate) fn passes_for_log_odds(&self, batch: &[&[u32]]) -> Result<Vec<Pass>> {
        self.pass(batch, self.scoring_exemplars().is_some())
    }

    /// [`Classifier::log_odds_for_ids`] of `record` given the forward pass of its token ids, which other records
    /// with the same ids can share (the lexical member and the indicators read the record itself).
    pub(crate) fn log_odds_from_pass(&self, (logits, embedding): &Pass, record: &Record) -> f32 {
        match (self.ensemble(record), self.scoring_exemplars(), embedding) {
            (Some((ensemble, lexical)), Some(index), Some(embedding)) => {
                self.ensemble_log_odds(ensemble, lexical, record, logits, index.margin(embedding), None).0
            }
            _ => self.log_odds_of(logits, record),
        }
    }

    /// Each record's embedding: the encoder's last hidden states averaged over its tokens and scaled to unit length
    /// (the dot product of two is their cosine similarity), computed as for scoring (same rendering and maximum
    /// length). A record with no text gets `Err(RecordError::NoText)`.
    pub fn embed(&self, records: &[Record], batch_size: usize) -> Result<Vec<Result<Vec<f32>, RecordError>>> {
        let options = ScoreOptions { batch_size, threshold: None };
        let passes = self.run(&self.encode_all(records)?, &options, true)?;
        Ok(passes.into_iter().map(|r| r.map(|(_, embedding)| embedding.unwrap_or_default())).collect())
    }

    /// Scores records; the output has one entry per input record, in input order. A record with no text gets
    /// `Err(RecordError::NoText)`, one whose only fields say where the job is or what it pays
    /// `Err(RecordError::OnlyContext)` ([`Record::unscorable`]), one whose score would be NaN or infinite
    /// `Err(RecordError::NonFiniteScore)`; an error of the model itself (or a threshold outside 0 to 1, a batch size of
    /// 0) fails the whole call.
    pub fn predict(&self, records: &[Record], options: &ScoreOptions) -> Result<Vec<Result<Prediction, RecordError>>> {
        self.predict_encoded(records, &self.encode_all(records)?, options)
    }

    /// [`Classifier::predict`] for records already encoded with [`Classifier::encode`] (`encoded[i]` is
    /// `records[i]`'s), for a caller that needs the token counts before scoring, such as a server forming batches
    /// by a token budget.
    pub fn predict_encoded(
        &self,
        records: &[Record],
        encoded: &[Result<Vec<u32>, RecordError>],
        options: &ScoreOptions,
    ) -> Result<Vec<Result<Prediction, RecordError>>> {
        assert_eq!(records.len(), encoded.len(), "one encoding per record");
        check_options(options)?;
        let passes = self.run(encoded, options, self.scoring_exemplars().is_some())?;
        // In parallel: the lexical member's margin is computed here, per record.
        Ok(passes
            .into_par_iter()
            .enumerate()
            .map(|(i, pass)| {
                pass.and_then(|(logits, embedding)| {
                    self.decide(&records[i], &logits, embedding.as_deref(), options).map(|(prediction, _)| prediction)
                })
            })
            .collect())
    }

    /// [`Classifier::predict`], and for each record what the exemplars say about it (`None` when the classifier
    /// has no exemplars). The scores are the same as `predict`'s; the exemplars are compared in the same forward
    /// pass.
    #[allow(clippy::type_complexity)] // spelled out, the pair each record gets reads better in the docs
    pub fn predict_with_evidence(
        &self,
        records: &[Record],
        options: &ScoreOptions,
    ) -> Result<Vec<Result<(Prediction, Option<ExemplarEvidence>), RecordError>>> {
        self.predict_encoded_with_evidence(records, &self.encode_all(records)?, options)
    }

    /// [`Classifier::predict_with_evidence`] for records already encoded with [`Classifier::encode`], as
    /// [`Classifier::predict_encoded`] is for [`Classifier::predict`].
    #[allow(clippy::type_complexity)]
    pub fn predict_encoded_with_evidence(
        &self,
        records: &[Record],
        encoded: &[Result<Vec<u32>, RecordError>],
        options: &ScoreOptions,
    ) -> Result<Vec<Result<(Prediction, Option<ExemplarEvidence>), RecordError>>> {
        assert_eq!(records.len(), encoded.len(), "one encoding per record");
        check_options(options)?;
        let passes = self.run(encoded, options, self.exemplars.is_some())?;
        Ok(passes
            .into_par_iter()
            .enumerate()
            .map(|(i, pass)| {
                pass.and_then(|(logits, embedding)| self.decide(&records[i], &logits, embedding.as_deref(), options))
            })
            .collect())
    }

    /// The score, label and exemplar evidence of one record from its logits and (when computed) its embedding; a
    /// score that is NaN or infinite is `Err(RecordError::NonFiniteScore)`.
    fn decide(
        &self,
        record: &Record,
        logits: &[f32],
        embedding: Option<&[f32]>,
        options: &ScoreOptions,
    ) -> Result<(Prediction, Option<ExemplarEvidence>), RecordError> {
        let evidence = self.exemplars.as_deref().zip(embedding).map(|(index, e)| index.evidence(e));
        let threshold = options.threshold.unwrap_or_else(|| self.settings.threshold_for(record));
        let sigmoid = |z: f32| 1.0 / (1.0 + (-z).exp());
        let (score, score_without_decisive) = match self.ensemble(record) {
            None => (self.lure_probability(logits), None),
            Some((ensemble, lexical)) => {
                let exemplar_margin =
                    evidence.as_ref().and_then(|e| e.margin).filter(|_| self.scoring_exemplars().is_some());
                let (z, without_decisive) =
                    self.ensemble_log_odds(ensemble, lexical, record, logits, exemplar_margin, Some(threshold));
                (sigmoid(z), without_decisive.map(sigmoid))
            }
        };
        if !score.is_finite() {
            return Err(RecordError::NonFiniteScore);
        }
        let label = if score >= threshold { Label::Lure } else { Label::Legitimate };
        Ok((Prediction { score, label, score_without_decisive }, evidence))
    }

    /// Each record's token ids ([`Classifier::encode`]), in parallel.
    fn encode_all(&self, records: &[Record]) -> Result<Vec<Result<Vec<u32>, RecordError>>> {
        records.par_iter().map(|r| self.encode(r)).collect()
    }

    /// One forward pass per batch of encoded records sorted by length: each record's logits and, with `embeddings`,
    /// its embedding, in input order.
    fn run(
        &self,
        encoded: &[Result<Vec<u32>, RecordError>],
        options: &ScoreOptions,
        embeddings: bool,
    ) -> Result<Vec<Result<Pass, RecordError>>> {
        // Sorting by length keeps padding (wasted work) small inside each batch.
        let batches =
            crate::batch::by_length(encoded.iter().map(|e| e.as_ref().ok().map(Vec::len)), options.batch_size);
        let run_batch = |chunk: &Vec<usize>| -> Result<Vec<Pass>> {
            let batch: Vec<&[u32]> = chunk.iter().map(|&i| encoded[i].as_deref().unwrap_or_default()).collect();
            self.pass(&batch, embeddings)
        };
        // When candle runs each op on one thread (CANDLE_NUM_THREADS=1) whole batches go to the rayon pool, one per
        // thread: no per-op synchronisation, and the element-wise ops run in parallel too. Otherwise candle splits
        // every op across its own threads, and batches must not compete for them.
        let results: Vec<Vec<Pass>> = if self.parallelism.batches_in_parallel() {
            batches.par_iter().map(run_batch).collect::<Result<_>>()?
        } else {
            batches.iter().map(run_batch).collect::<Result<_>>()?
        };

        let mut out: Vec<Result<Pass, RecordError>> =
            encoded.iter().map(|e| e.as_ref().map(|_| (Vec::new(), None)).map_err(Clone::clone)).collect();
        for (&i, result) in batches.iter().flatten().zip(results.into_iter().flatten()) {
            out[i] = Ok(result);
        }
        Ok(out)
    }
}

/// An error unless the options' threshold, when given, is a probability and their batch size is at least 1.
fn check_options(options: &ScoreOptions) -> Result<()> {
    if options.batch_size == 0 {
        let default = ScoreOptions::DEFAULT_BATCH_SIZE;
        return Err(Error::Other(format!(
            "batch_size is 0: records are scored in batches of at least 1 (default {default})"
        )));
    }
    match options.threshold.filter(|t| !(0.0..=1.0).contains(t)) {
        Some(threshold) => Err(Error::Other(format!(
            "threshold {threshold} is not between 0 and 1 (a score is a probability: 0.8, not 80)"
        ))),
        None => Ok(()),
    }
}
