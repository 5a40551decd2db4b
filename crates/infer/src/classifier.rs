//! [`Classifier`]: a loaded model folder that turns records into lure probabilities.
//!
//! A model folder holds `config.json` (Hugging Face `BertConfig`), `model.safetensors` (Hugging Face
//! `BertForSequenceClassification` tensor names), `tokenizer.json` and `lurescan.json` ([`Settings`]).
//!
//! It may also hold `lexical.safetensors`, a hashed n-gram linear model ([`crate::lexical`]) that reads the whole
//! text; then the score combines both as `lurescan.json`'s `"ensemble"` ([`EnsembleConfig`]) says. Hugging Face
//! `transformers` loading the folder sees only the BERT part and its scores are the BERT's alone.
//!
//! It may also hold `exemplars.jsonl`, texts of known lure scripts and of benign look-alikes ([`crate::exemplars`]);
//! [`Classifier::with_exemplars`] adds more. Each record's similarity to its nearest exemplars is evidence
//! ([`Classifier::predict_with_evidence`]) and, when `"ensemble"` has an `"exemplar"` weight, part of the score.

use crate::config::{BertConfig, EnsembleConfig, Settings};
use crate::error::{Error, Result};
use crate::exemplars::{self, ExemplarEvidence, ExemplarIndex, ExemplarSet};
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
    /// `exemplars.jsonl`, for a folder with exemplars.
    pub exemplars_jsonl: Option<&'a [u8]>,
    /// `exemplars.safetensors`, the cached embeddings of the exemplars (used only when its key matches).
    pub exemplars_safetensors: Option<&'a [u8]>,
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
    /// Exemplars with their embeddings, when the folder has some or the caller added some.
    exemplars: Option<Arc<ExemplarIndex>>,
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
        let (config_path, config_json) = read(dir, CONFIG)?;
        let (settings_path, settings) = read(dir, SETTINGS)?;
        let (tokenizer_path, tokenizer_json) = read(dir, TOKENIZER)?;
        let weights = dir.join(WEIGHTS);
        if !weights.is_file() {
            return Err(Error::MissingFile { path: dir.to_path_buf(), what: WEIGHTS });
        }
        let config: BertConfig = parse_json(&config_json, &config_path)?;
        let settings: Settings = parse_json(&settings, &settings_path)?;
        let tokenizer =
            LureTokenizer::from_bytes(&tokenizer_json).map_err(|e| invalid(&tokenizer_path, e.to_string()))?;
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
        let exemplars_path = dir.join(exemplars::FILE);
        let exemplars = if exemplars_path.is_file() { Some(ExemplarSet::load(&exemplars_path)?) } else { None };
        // The cached embeddings, keyed by what they depend on; hashing the weights costs a read of the file, and
        // only happens when there is a cache to check.
        let cache_path = dir.join(exemplars::CACHE_FILE);
        let cache = match &exemplars {
            Some(set) if cache_path.is_file() => {
                let io = |path: &Path| {
                    let path = path.to_path_buf();
                    move |error| Error::Io { path, error }
                };
                let cache = std::fs::read(&cache_path).map_err(io(&cache_path))?;
                let weights_bytes = std::fs::read(&weights).map_err(io(&weights))?;
                Some((cache, exemplars::cache_key(&weights_bytes, &config_json, &tokenizer_json, &settings, set)))
            }
            _ => None,
        };
        Self::assemble(config, settings, tokenizer, vb, &weights)?
            .with_lexical(lexical)?
            .with_folder_exemplars(exemplars, cache.as_ref().map(|(bytes, key)| (bytes.as_slice(), *key)))
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
        let exemplars = match files.exemplars_jsonl {
            Some(bytes) => {
                let text = std::str::from_utf8(bytes).map_err(|_| Error::Exemplars {
                    path: exemplars::FILE.into(),
                    line: 1,
                    message: "not valid UTF-8".into(),
                })?;
                Some(ExemplarSet::from_jsonl(text, exemplars::FILE)?)
            }
            None => None,
        };
        let cache = match (&exemplars, files.exemplars_safetensors) {
            (Some(set), Some(bytes)) => Some((
                bytes,
                exemplars::cache_key(files.safetensors, files.config_json, files.tokenizer_json, &settings, set),
            )),
            _ => None,
        };
        Self::assemble(config, settings, tokenizer, vb, Path::new(WEIGHTS))?
            .with_lexical(lexical)?
            .with_folder_exemplars(exemplars, cache)
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
        Ok(Classifier { config, settings, tokenizer, model, lexical: None, exemplars: None })
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
        Ok(Classifier { config, settings, tokenizer, model, lexical: None, exemplars: None })
    }

    /// The folder's own exemplars (none: `None`), checked against `lurescan.json`: a model whose ensemble has an
    /// `"exemplar"` weight needs exemplars of both labels, since its score includes their margin. `cache` is the
    /// folder's [`exemplars::CACHE_FILE`] and the key it must have to be used.
    fn with_folder_exemplars(mut self, set: Option<ExemplarSet>, cache: Option<(&[u8], [u8; 16])>) -> Result<Self> {
        let weight = self.settings.ensemble.and_then(|e| e.exemplar);
        if let Some(w) = weight {
            if !w.is_finite() {
                return Err(invalid(
                    Path::new(SETTINGS),
                    format!("the ensemble's exemplar weight must be a finite number, found {w}"),
                ));
            }
            let both = set.as_ref().is_some_and(|s| {
                s.count(exemplars::ExemplarLabel::Lure) > 0 && s.count(exemplars::ExemplarLabel::Benign) > 0
            });
            if !both {
                return Err(invalid(
                    Path::new(exemplars::FILE),
                    "lurescan.json's ensemble has an \"exemplar\" weight, so the folder needs exemplars.jsonl with \
                     both lure and benign exemplars: copy the whole model folder, or remove \"exemplar\" from \
                     \"ensemble\" to score without them",
                ));
            }
        }
        let Some(set) = set else { return Ok(self) };
        if let Some((bytes, key)) = cache {
            let k = self.settings.exemplars.map_or(exemplars::DEFAULT_K, |s| s.k);
            if let Some(index) = ExemplarIndex::from_cache(bytes, key, set.clone(), self.config.hidden_size, k) {
                self.exemplars = Some(Arc::new(index));
                return Ok(self);
            }
        }
        self.with_exemplars(set)
    }

    /// This classifier with `set` added to its exemplars (after the model folder's own, if it has any): each
    /// exemplar is embedded now, once. Records then get exemplar evidence ([`Classifier::predict_with_evidence`]),
    /// and, when `lurescan.json`'s ensemble has an `"exemplar"` weight, the added exemplars count in the score
    /// at once, with no retraining. Without that weight the scores do not change.
    ///
    /// ```
    /// use lurescan::{Classifier, ExemplarSet, Record, ScoreOptions};
    ///
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tiny-bert");
    /// let set = ExemplarSet::from_jsonl(
    ///     r#"{"typology": "task_scam", "lang": "en", "text": "Like videos for 5 USD each, top up 100 to unlock the VIP tasks", "label": "lure"}"#,
    ///     "new-script.jsonl",
    /// )?;
    /// let classifier = Classifier::load(dir)?.with_exemplars(set)?;
    /// let records = [Record::from_text("Earn money liking videos, recharge to get VIP tasks")];
    /// let (prediction, evidence) = classifier.predict_with_evidence(&records, &ScoreOptions::default())?.remove(0).unwrap();
    /// let nearest = evidence.unwrap().nearest_typology.unwrap();
    /// assert_eq!(nearest.typology, "task_scam");
    /// assert!((-1.0..=1.0).contains(&nearest.similarity) && (0.0..=1.0).contains(&prediction.score));
    /// # Ok::<(), lurescan::Error>(())
    /// ```
    pub fn with_exemplars(mut self, set: ExemplarSet) -> Result<Self> {
        let k = self.settings.exemplars.map_or(exemplars::DEFAULT_K, |s| s.k);
        let records: Vec<Record> = set.iter().map(|e| Record::from_text(e.text.as_str())).collect();
        let embedded = self.embed(&records, ScoreOptions::default().batch_size)?;
        let dim = self.config.hidden_size;
        let mut embeddings = Vec::with_capacity(records.len() * dim);
        for (i, embedding) in embedded.into_iter().enumerate() {
            // `ExemplarSet` refuses empty texts, so every exemplar has something to embed.
            let embedding =
                embedding.map_err(|why| Error::Other(format!("exemplar {} cannot be embedded: {why}", i + 1)))?;
            embeddings.extend(embedding);
        }
        let added = ExemplarIndex::new(set, embeddings, dim, k)?;
        let index = match self.exemplars.take() {
            Some(existing) => {
                let mut index = Arc::unwrap_or_clone(existing);
                index.extend(added)?;
                index
            }
            None => added,
        };
        self.exemplars = Some(Arc::new(index));
        Ok(self)
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

    /// The exemplar index when the score includes the exemplar margin: the ensemble has an exemplar weight.
    fn scoring_exemplars(&self) -> Option<&ExemplarIndex> {
        self.settings.ensemble.and_then(|e| e.exemplar).and(self.exemplars.as_deref())
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
        let (ids, mask) = self.pad(batch)?;
        Ok(self.model.forward(&ids, &mask, None)?)
    }

    /// Logits (as [`Classifier::logits_for_ids`]) and, with `embeddings`, each sequence's unit-length embedding,
    /// from one forward pass.
    fn pass(&self, batch: &[&[u32]], embeddings: bool) -> Result<(Vec<Logits>, Option<Vec<Embedding>>)> {
        if !embeddings {
            return Ok((self.logits_for(batch)?.to_vec2::<f32>()?, None));
        }
        let (ids, mask) = self.pad(batch)?;
        let (logits, embedded) = self.model.forward_with_embeddings(&ids, &mask)?;
        Ok((logits.to_vec2::<f32>()?, Some(embedded.to_vec2::<f32>()?)))
    }

    /// Token ids padded to the longest with `pad_token_id`, and the attention mask.
    fn pad(&self, batch: &[&[u32]]) -> Result<(Tensor, Tensor)> {
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
        Ok((ids, mask))
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
    /// margin [`Classifier::score_of`] puts through the sigmoid. It leaves out the exemplar term of a model with an
    /// exemplar weight (that needs the record's embedding): [`Classifier::log_odds_for_ids`] includes it. Unlike the score it does not saturate, so a word
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
    /// the BERT alone, or combined with the lexical member when the folder is an ensemble. Like
    /// [`Classifier::log_odds_of`] it leaves out the exemplar term.
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

    /// The calibrated log-odds of lure of each sequence of token ids, `records[i]` being what `ids[i]` encodes,
    /// with every member of the ensemble: the BERT, the lexical member and the exemplar margin, as
    /// [`Classifier::predict`] combines them (one forward pass for the batch).
    pub fn log_odds_for_ids(&self, ids: &[Vec<u32>], records: &[&Record]) -> Result<Vec<f32>> {
        let batch: Vec<&[u32]> = ids.iter().map(Vec::as_slice).collect();
        let exemplars = self.scoring_exemplars();
        let (logits, embedded) = self.pass(&batch, exemplars.is_some())?;
        Ok(logits
            .iter()
            .enumerate()
            .map(|(i, row)| match (self.ensemble(), exemplars, &embedded) {
                (Some((ensemble, lexical)), Some(index), Some(embedded)) => {
                    let (lure, legit) = (self.config.lure_index(), 1 - self.config.lure_index().min(1));
                    let margin = lexical.margin(records[i], &self.settings.render);
                    ensemble.log_odds_with(
                        row[lure] - row[legit],
                        self.settings.temperature,
                        margin,
                        index.margin(&embedded[i]),
                    )
                }
                _ => self.log_odds_of(row, records[i]),
            })
            .collect())
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
    /// `Err(RecordError::NoText)`, one whose score would be NaN or infinite `Err(RecordError::NonFiniteScore)`; an
    /// error of the model itself fails the whole call.
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
        let passes = self.run(&self.encode_all(records)?, options, self.exemplars.is_some())?;
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
        let score = match self.ensemble() {
            None => self.lure_probability(logits),
            Some((ensemble, lexical)) => {
                let (lure, legit) = (self.config.lure_index(), 1 - self.config.lure_index().min(1));
                let lexical_margin = lexical.margin(record, &self.settings.render);
                let exemplar_margin = evidence.as_ref().and_then(|e| e.margin);
                ensemble.probability_with(
                    logits[lure] - logits[legit],
                    self.settings.temperature,
                    lexical_margin,
                    exemplar_margin.filter(|_| self.scoring_exemplars().is_some()),
                )
            }
        };
        if !score.is_finite() {
            return Err(RecordError::NonFiniteScore);
        }
        let threshold = options.threshold.unwrap_or_else(|| self.settings.threshold_for(record));
        let label = if score >= threshold { Label::Lure } else { Label::Legitimate };
        Ok((Prediction { score, label }, evidence))
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
        let mut order: Vec<usize> = (0..encoded.len()).filter(|&i| encoded[i].is_ok()).collect();
        order.sort_by_key(|&i| encoded[i].as_ref().map_or(0, Vec::len));
        let run_batch = |chunk: &[usize]| -> Result<Vec<Pass>> {
            let batch: Vec<&[u32]> = chunk.iter().map(|&i| encoded[i].as_deref().unwrap_or_default()).collect();
            let (logits, embedded) = self.pass(&batch, embeddings)?;
            Ok(match embedded {
                Some(embedded) => logits.into_iter().zip(embedded).map(|(l, e)| (l, Some(e))).collect(),
                None => logits.into_iter().map(|l| (l, None)).collect(),
            })
        };
        let chunks: Vec<&[usize]> = order.chunks(options.batch_size.max(1)).collect();
        // When candle runs each op on one thread (CANDLE_NUM_THREADS=1) whole batches go to the rayon pool, one per
        // thread: no per-op synchronisation, and the element-wise ops run in parallel too. Otherwise candle splits
        // every op across its own threads, and batches must not compete for them.
        let results: Vec<Vec<Pass>> = if candle_core::utils::barrier_pool().n_workers() == 0 {
            chunks.par_iter().map(|chunk| run_batch(chunk)).collect::<Result<_>>()?
        } else {
            chunks.iter().map(|chunk| run_batch(chunk)).collect::<Result<_>>()?
        };

        let mut out: Vec<Result<Pass, RecordError>> =
            encoded.iter().map(|e| e.as_ref().map(|_| (Vec::new(), None)).map_err(Clone::clone)).collect();
        for (&i, result) in order.iter().zip(results.into_iter().flatten()) {
            out[i] = Ok(result);
        }
        Ok(out)
    }
}
