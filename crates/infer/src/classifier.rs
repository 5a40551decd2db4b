//! [`Classifier`]: a loaded model folder that turns records into lure probabilities.
//!
//! A model folder holds `config.json` (Hugging Face `BertConfig`), `model.safetensors` (Hugging Face
//! `BertForSequenceClassification` tensor names), `tokenizer.json` and `lurescan.json` ([`Settings`]).
//!
//! It may also hold `lexical.safetensors`, a hashed n-gram linear model ([`crate::lexical`]) that reads the whole
//! text; then the score combines both as `lurescan.json`'s `"ensemble"` ([`EnsembleConfig`]) says. Hugging Face
//! `transformers` loading the folder sees only the BERT part and its scores are the BERT's alone.

use crate::config::{BertConfig, EnsembleConfig, Settings};
use crate::error::{Error, Result};
use crate::lexical::{self, LexicalModel};
use crate::model::BertForSequenceClassification;
use crate::record::{render, Record, RecordError};
use crate::tokenizer::LureTokenizer;
use candle_core::safetensors::{MmapedSafetensors, SliceSafetensors};
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
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
}

/// The files of a model folder, in memory (for a model embedded in a binary).
#[derive(Debug, Clone, Copy)]
pub struct ModelFiles<'a> {
    pub config_json: &'a [u8],
    pub safetensors: &'a [u8],
    pub tokenizer_json: &'a [u8],
    pub lurescan_json: &'a [u8],
    /// `lexical.safetensors`, for a folder with a lexical ensemble member.
    pub lexical_safetensors: Option<&'a [u8]>,
}

/// Scoring options that do not change the model.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreOptions {
    /// Sequences per forward pass.
    pub batch_size: usize,
    /// Overrides the model folder's thresholds (`threshold` and `message_threshold`) for every record.
    pub threshold: Option<f32>,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        ScoreOptions { batch_size: 32, threshold: None }
    }
}

const CONFIG: &str = "config.json";
const WEIGHTS: &str = "model.safetensors";
const TOKENIZER: &str = "tokenizer.json";
const SETTINGS: &str = "lurescan.json";

/// Makes candle run each tensor op on the calling thread, so that [`Classifier::predict`] gives whole batches to
/// the rayon pool instead, one per thread. Measured on a busy 2-core machine this scores 4–5× more records per
/// second than candle splitting every op across its own spinning threads.
///
/// Call it first thing in `main`, before any other thread starts and before any candle op: candle reads
/// `CANDLE_NUM_THREADS` once, when it first needs its pool. An explicit `CANDLE_NUM_THREADS` is left alone.
/// Returns whether `predict` will run batches in parallel.
pub fn use_batch_parallelism() -> bool {
    if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
        std::env::set_var("CANDLE_NUM_THREADS", "1");
    }
    candle_core::utils::barrier_pool().n_workers() == 0
}

/// A loaded model: `Send + Sync`, so one classifier can serve many threads.
///
/// [`Classifier::predict`] uses the current rayon pool (wrap it in `ThreadPool::install` to choose the threads);
/// a program that scores in bulk should call [`use_batch_parallelism`] at the start of `main`.
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
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Classifier>();
};

fn parse_json<T: DeserializeOwned>(bytes: &[u8], path: &Path) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|error| Error::Json { path: path.to_path_buf(), error })
}

fn read(dir: &Path, name: &'static str) -> Result<(PathBuf, Vec<u8>)> {
    let path = dir.join(name);
    if !path.is_file() {
        return Err(Error::MissingFile { path: dir.to_path_buf(), what: name });
    }
    let bytes = std::fs::read(&path).map_err(|error| Error::Io { path: path.clone(), error })?;
    Ok((path, bytes))
}

fn invalid(path: &Path, message: impl Into<String>) -> Error {
    Error::InvalidModel { path: path.to_path_buf(), message: message.into() }
}

/// Checks what the model code cannot check itself: labels, settings, and that the tokenizer's ids fit the
/// embedding table.
fn check(config: &BertConfig, settings: &Settings, tokenizer: &LureTokenizer, paths: [&Path; 3]) -> Result<()> {
    let [config_path, settings_path, tokenizer_path] = paths;
    if config.architectures.iter().any(|a| a == "BertForMaskedLM") {
        return Err(invalid(
            config_path,
            "this is a pre-trained encoder (BertForMaskedLM, from `lurescan pretrain`) without a classifier: \
             fine-tune it first with `lurescan train --init DIR --data labelled.jsonl --out my-model`",
        ));
    }
    if config.num_labels() < 2 || config.lure_index() >= config.num_labels() {
        return Err(invalid(
            config_path,
            format!(
                "id2label must name at least two classes including \"lure\" (found {:?}); write \
                 id2label {{\"0\": \"legitimate\", \"1\": \"lure\"}} and the matching label2id",
                config.id2label
            ),
        ));
    }
    if !(settings.temperature.is_finite() && settings.temperature > 0.0) {
        return Err(invalid(
            settings_path,
            format!("temperature must be a positive number, found {}", settings.temperature),
        ));
    }
    if !(0.0..=1.0).contains(&settings.threshold) {
        return Err(invalid(settings_path, format!("threshold must be between 0 and 1, found {}", settings.threshold)));
    }
    if let Some(t) = settings.message_threshold.filter(|t| !(0.0..=1.0).contains(t)) {
        return Err(invalid(settings_path, format!("message_threshold must be between 0 and 1, found {t}")));
    }
    if settings.max_length < 3 || settings.max_length > config.max_position_embeddings {
        return Err(invalid(
            settings_path,
            format!(
                "max_length must be between 3 and config.json's max_position_embeddings ({}), found {}",
                config.max_position_embeddings, settings.max_length
            ),
        ));
    }
    let vocab = tokenizer.inner().get_vocab_size(true);
    if vocab > config.vocab_size {
        return Err(invalid(
            tokenizer_path,
            format!(
                "the tokenizer has {vocab} tokens but config.json's vocab_size is {}: the tokenizer does not belong \
                 to this model",
                config.vocab_size
            ),
        ));
    }
    Ok(())
}

impl Classifier {
    /// Loads a model folder (`config.json`, `model.safetensors`, `tokenizer.json`, `lurescan.json`); the weights
    /// are memory-mapped.
    pub fn load(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref();
        let (config_path, config) = read(dir, CONFIG)?;
        let (settings_path, settings) = read(dir, SETTINGS)?;
        let (tokenizer_path, tokenizer) = read(dir, TOKENIZER)?;
        let weights = dir.join(WEIGHTS);
        if !weights.is_file() {
            return Err(Error::MissingFile { path: dir.to_path_buf(), what: WEIGHTS });
        }
        let config: BertConfig = parse_json(&config, &config_path)?;
        let settings: Settings = parse_json(&settings, &settings_path)?;
        let tokenizer = LureTokenizer::from_bytes(&tokenizer).map_err(|e| invalid(&tokenizer_path, e.to_string()))?;
        check(&config, &settings, &tokenizer, [&config_path, &settings_path, &tokenizer_path])?;
        // SAFETY: the file is mapped read-only and only read while its tensors are checked and `VarBuilder` copies
        // each tensor out of it during `load`; the mapping is dropped before this function returns. Another process truncating or rewriting
        // model.safetensors during those milliseconds is outside what we can guard against (as with any mmap).
        let mapped = unsafe { MmapedSafetensors::new(&weights) }.map_err(|e| {
            invalid(&weights, format!("not a readable safetensors file: {}", crate::error::candle_message(&e)))
        })?;
        crate::weights::check(mapped.tensors(), &weights)?;
        let vb = VarBuilder::from_backend(Box::new(mapped), DType::F32, Device::Cpu);
        let lexical_path = dir.join(lexical::FILE);
        let lexical = if lexical_path.is_file() { Some(LexicalModel::load(&lexical_path)?) } else { None };
        Self::assemble(config, settings, tokenizer, vb, &weights)?.with_lexical(lexical)
    }

    /// Loads a model from the bytes of its four files.
    pub fn from_files(files: ModelFiles<'_>) -> Result<Self> {
        let config: BertConfig = parse_json(files.config_json, Path::new(CONFIG))?;
        let settings: Settings = parse_json(files.lurescan_json, Path::new(SETTINGS))?;
        let tokenizer = LureTokenizer::from_bytes(files.tokenizer_json)
            .map_err(|e| invalid(Path::new(TOKENIZER), e.to_string()))?;
        check(&config, &settings, &tokenizer, [Path::new(CONFIG), Path::new(SETTINGS), Path::new(TOKENIZER)])?;
        let slice = SliceSafetensors::new(files.safetensors).map_err(|e| {
            invalid(Path::new(WEIGHTS), format!("not a readable safetensors file: {}", crate::error::candle_message(&e)))
        })?;
        crate::weights::check(slice.tensors(), Path::new(WEIGHTS))?;
        let vb = VarBuilder::from_backend(Box::new(slice), DType::F32, Device::Cpu);
        let lexical = match files.lexical_safetensors {
            Some(bytes) => Some(LexicalModel::from_bytes(bytes, Path::new(lexical::FILE))?),
            None => None,
        };
        Self::assemble(config, settings, tokenizer, vb, Path::new(WEIGHTS))?.with_lexical(lexical)
    }

    fn assemble(
        config: BertConfig,
        settings: Settings,
        tokenizer: LureTokenizer,
        vb: VarBuilder,
        weights: &Path,
    ) -> Result<Self> {
        let model = BertForSequenceClassification::load(vb, &config).map_err(|e| {
            invalid(
                weights,
                format!(
                    "does not match config.json: {}; the weights and config.json must come from the same model",
                    crate::error::candle_message(&e)
                ),
            )
        })?;
        Ok(Classifier { config, settings, tokenizer, model, lexical: None })
    }

    /// This classifier with (or without) a lexical ensemble member. `lurescan.json` must have `"ensemble"` exactly
    /// when there is one, and the BERT must have two labels.
    pub fn with_lexical(mut self, lexical: Option<LexicalModel>) -> Result<Self> {
        match (&lexical, &self.settings.ensemble) {
            (Some(_), None) => {
                return Err(invalid(
                    Path::new(SETTINGS),
                    "the folder has lexical.safetensors but lurescan.json has no \"ensemble\" weights: add                      \"ensemble\": {\"bert\": a, \"lexical\": b, \"bias\": c} or remove lexical.safetensors",
                ))
            }
            (None, Some(_)) => {
                return Err(invalid(
                    Path::new(SETTINGS),
                    "lurescan.json has \"ensemble\" weights but the folder has no lexical.safetensors: copy the                      whole model folder, or remove \"ensemble\" to score with the BERT alone",
                ))
            }
            (Some(_), Some(e)) => {
                if self.config.num_labels() != 2 {
                    return Err(invalid(Path::new(CONFIG), "an ensemble with lexical.safetensors needs exactly two labels"));
                }
                if ![e.bert, e.lexical, e.bias].iter().all(|v| v.is_finite()) {
                    return Err(invalid(Path::new(SETTINGS), format!("ensemble weights must be finite numbers, found {e:?}")));
                }
            }
            (None, None) => {}
        }
        self.lexical = lexical.map(Arc::new);
        Ok(self)
    }

    /// A classifier from parts already in memory, e.g. a model just trained from a `VarMap`. Checks the same things
    /// as [`Classifier::load`], naming the file each part would come from.
    pub fn from_parts(
        config: BertConfig,
        settings: Settings,
        tokenizer: LureTokenizer,
        model: BertForSequenceClassification,
    ) -> Result<Self> {
        check(&config, &settings, &tokenizer, [Path::new(CONFIG), Path::new(SETTINGS), Path::new(TOKENIZER)])?;
        Ok(Classifier { config, settings, tokenizer, model, lexical: None })
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

    /// The ensemble weights and lexical model, when this classifier is an ensemble.
    fn ensemble(&self) -> Option<(&EnsembleConfig, &LexicalModel)> {
        Some((self.settings.ensemble.as_ref()?, self.lexical.as_deref()?))
    }

    /// Token ids of a record as the model sees it: rendered with the folder's [`crate::RenderConfig`], cut to
    /// `max_length`. A record with no text is [`RecordError::NoText`].
    pub fn encode(&self, record: &Record) -> Result<Result<Vec<u32>, RecordError>> {
        if record.is_empty() {
            return Ok(Err(RecordError::NoText));
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
        let len = batch.iter().map(|s| s.len()).max().unwrap_or(0).max(1);
        let mut ids = Vec::with_capacity(batch.len() * len);
        let mut mask = Vec::with_capacity(batch.len() * len);
        for seq in batch {
            ids.extend_from_slice(seq);
            ids.resize(ids.len() + len - seq.len(), self.config.pad_token_id);
            mask.extend(std::iter::repeat_n(1f32, seq.len()).chain(std::iter::repeat_n(0f32, len - seq.len())));
        }
        let device = self.model.device();
        let ids = Tensor::from_vec(ids, (batch.len(), len), device)?;
        let mask = Tensor::from_vec(mask, (batch.len(), len), device)?;
        Ok(self.model.forward(&ids, &mask, None)?)
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
    /// margin [`Classifier::score_of`] puts through the sigmoid. Unlike the score it does not saturate, so a word
    /// that moves a 0.99999 score still moves it visibly.
    pub fn log_odds_of(&self, logits: &[f32], record: &Record) -> f32 {
        match self.ensemble() {
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
            Some((ensemble, lexical)) => {
                let (lure, legit) = (self.config.lure_index(), 1 - self.config.lure_index().min(1));
                let margin = lexical.margin(record, &self.settings.render);
                ensemble.log_odds(logits[lure] - logits[legit], self.settings.temperature, margin)
            }
        }
    }

    /// The calibrated lure score of `record` given the BERT's logits for it, as [`Classifier::predict`] computes it:
    /// the BERT alone, or combined with the lexical member when the folder is an ensemble.
    pub fn score_of(&self, logits: &[f32], record: &Record) -> f32 {
        match self.ensemble() {
            None => self.lure_probability(logits),
            Some((ensemble, lexical)) => {
                let (lure, legit) = (self.config.lure_index(), 1 - self.config.lure_index().min(1));
                let margin = lexical.margin(record, &self.settings.render);
                ensemble.probability(logits[lure] - logits[legit], self.settings.temperature, margin)
            }
        }
    }

    /// Scores records; the output has one entry per input record, in input order. A record with no text gets
    /// `Err(RecordError::NoText)`, one whose score would be NaN or infinite `Err(RecordError::NonFiniteScore)`; an
    /// error of the model itself fails the whole call.
    pub fn predict(&self, records: &[Record], options: &ScoreOptions) -> Result<Vec<Result<Prediction, RecordError>>> {
        let encoded: Vec<Result<Vec<u32>, RecordError>> =
            records.par_iter().map(|r| self.encode(r)).collect::<Result<_>>()?;
        self.predict_encoded(records, &encoded, options)
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
        let lexical_margins: Vec<f32> = match self.ensemble() {
            Some((_, lexical)) => records.par_iter().map(|r| lexical.margin(r, &self.settings.render)).collect(),
            None => Vec::new(),
        };

        // Sorting by length keeps padding (wasted work) small inside each batch.
        let mut order: Vec<usize> = (0..records.len()).filter(|&i| encoded[i].is_ok()).collect();
        order.sort_by_key(|&i| encoded[i].as_ref().map_or(0, Vec::len));
        let score_batch = |chunk: &[usize]| -> Result<Vec<f32>> {
            let batch: Vec<&[u32]> = chunk.iter().map(|&i| encoded[i].as_deref().unwrap_or_default()).collect();
            let logits = self.logits_for(&batch)?.to_vec2::<f32>()?;
            Ok(match self.ensemble() {
                None => logits.iter().map(|row| self.lure_probability(row)).collect(),
                Some((ensemble, _)) => {
                    let (lure, legit) = (self.config.lure_index(), 1 - self.config.lure_index().min(1));
                    chunk
                        .iter()
                        .zip(&logits)
                        .map(|(&i, row)| {
                            ensemble.probability(row[lure] - row[legit], self.settings.temperature, lexical_margins[i])
                        })
                        .collect()
                }
            })
        };
        let chunks: Vec<&[usize]> = order.chunks(options.batch_size.max(1)).collect();
        // When candle runs each op on one thread (CANDLE_NUM_THREADS=1) whole batches go to the rayon pool, one per
        // thread: no per-op synchronisation, and the element-wise ops run in parallel too. Otherwise candle splits
        // every op across its own threads, and batches must not compete for them.
        let scores: Vec<Vec<f32>> = if candle_core::utils::barrier_pool().n_workers() == 0 {
            chunks.par_iter().map(|chunk| score_batch(chunk)).collect::<Result<_>>()?
        } else {
            chunks.iter().map(|chunk| score_batch(chunk)).collect::<Result<_>>()?
        };

        let mut out: Vec<Result<Prediction, RecordError>> = encoded
            .iter()
            .map(|e| e.as_ref().map(|_| Prediction { score: f32::NAN, label: Label::Legitimate }).map_err(Clone::clone))
            .collect();
        for (&i, score) in order.iter().zip(scores.into_iter().flatten()) {
            if !score.is_finite() {
                out[i] = Err(RecordError::NonFiniteScore);
                continue;
            }
            let threshold = options.threshold.unwrap_or_else(|| self.settings.threshold_for(&records[i]));
            let label = if score >= threshold { Label::Lure } else { Label::Legitimate };
            out[i] = Ok(Prediction { score, label });
        }
        Ok(out)
    }
}
