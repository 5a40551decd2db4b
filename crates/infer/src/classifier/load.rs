//! Making a [`Classifier`]: from a [`ModelFolder`] on disk, from [`ModelFiles`] in memory or from parts, each
//! checked the same way (labels, settings, tokenizer against the embedding table, ensemble against its members).

use super::{Classifier, Parallelism, ScoreOptions};
use crate::config::{BertConfig, EnsembleConfig, Precision, Settings};
use crate::error::{Error, Result};
use crate::exemplars::{self, ExemplarIndex, ExemplarSet};
use crate::explain::{Catalogue, PreparedCatalogue};
use crate::folder::{ModelFiles, ModelFolder};
use crate::lexical::LexicalModel;
use crate::model::BertForSequenceClassification;
use crate::record::Record;
use crate::tokenizer::LureTokenizer;
use crate::weights::KeepHalf;
use candle_core::safetensors::{MmapedSafetensors, SliceSafetensors};
use candle_core::{DType, Device};
use candle_nn::var_builder::SimpleBackend;
use candle_nn::VarBuilder;
use safetensors::tensor::Dtype;
use serde::de::DeserializeOwned;
use std::path::Path;
use std::sync::Arc;

const CONFIG: &str = ModelFolder::CONFIG;
const WEIGHTS: &str = ModelFolder::WEIGHTS;
const TOKENIZER: &str = ModelFolder::TOKENIZER;
const SETTINGS: &str = ModelFolder::SETTINGS;

fn parse_json<T: DeserializeOwned>(bytes: &[u8], path: &Path) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|error| Error::Json { path: path.to_path_buf(), error })
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
    if let Some(common) = settings.exemplars.as_ref().and_then(|e| e.common.as_ref()) {
        common.check(config.hidden_size).map_err(|message| invalid(settings_path, message))?;
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
    let vocab = tokenizer.vocab_size();
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

/// The `VarBuilder` inference loads a model from: f32, except the tensors kept in their 16-bit dtype. `stored`:
/// the file's tensors and their dtypes.
fn var_builder<'a, B: SimpleBackend + 'a>(weights: B, stored: Vec<(String, Dtype)>) -> VarBuilder<'a> {
    let backend = KeepHalf::new(weights, stored, &BertForSequenceClassification::KEEP_HALF);
    VarBuilder::from_backend(Box::new(backend), DType::F32, Device::Cpu)
}

/// A model whose scores read indicator flags scans every record with the built-in catalogue: compile it while the
/// weights load (the load returns once it is compiled: the guard is held to its end). A model that does not read
/// them never compiles it for scoring.
fn prepare_catalogue(settings: &Settings) -> Option<PreparedCatalogue> {
    settings.ensembles().any(EnsembleConfig::reads_flags).then(Catalogue::prepare_builtin)
}

impl Classifier {
    /// Loads a model folder (`config.json`, `model.safetensors`, `tokenizer.json`, `lurescan.json`); the weights
    /// are memory-mapped.
    pub fn load(dir: impl AsRef<Path>) -> Result<Self> {
        let folder = ModelFolder::new(dir.as_ref());
        let (config_path, config_json) = folder.read(CONFIG)?;
        let (settings_path, settings) = folder.read(SETTINGS)?;
        let (tokenizer_path, tokenizer_json) = folder.read(TOKENIZER)?;
        let weights = folder.file(WEIGHTS);
        if !weights.is_file() {
            return Err(Error::MissingFile { path: folder.dir().to_path_buf(), what: WEIGHTS });
        }
        let config: BertConfig = parse_json(&config_json, &config_path)?;
        let settings: Settings = parse_json(&settings, &settings_path)?;
        let _catalogue = prepare_catalogue(&settings);
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
        let stored = crate::weights::stored_dtypes(mapped.tensors());
        let vb = var_builder(mapped, stored);
        let lexical_path = folder.file(ModelFolder::LEXICAL);
        let lexical = if lexical_path.is_file() { Some(LexicalModel::load(&lexical_path)?) } else { None };
        let exemplars_path = folder.file(ModelFolder::EXEMPLARS);
        let exemplars = if exemplars_path.is_file() { Some(ExemplarSet::load(&exemplars_path)?) } else { None };
        // The cached embeddings, keyed by what they depend on; hashing the weights costs a read of the file (a piece
        // at a time: a copy of the whole file would raise the peak memory by its size), and only happens when there
        // is a cache to check.
        let cache_path = folder.file(ModelFolder::EXEMPLAR_CACHE);
        let cache = match &exemplars {
            Some(set) if cache_path.is_file() => {
                let io = |path: &Path| {
                    let path = path.to_path_buf();
                    move |error| Error::Io { path, error }
                };
                let cache = std::fs::read(&cache_path).map_err(io(&cache_path))?;
                let key = exemplars::cache_key_of_file(&weights, &config_json, &tokenizer_json, &settings, set)
                    .map_err(io(&weights))?;
                Some((cache, key))
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
        let _catalogue = prepare_catalogue(&settings);
        let tokenizer = LureTokenizer::from_bytes(files.tokenizer_json)
            .map_err(|e| invalid(Path::new(TOKENIZER), e.to_string()))?;
        check(&config, &settings, &tokenizer, [Path::new(CONFIG), Path::new(SETTINGS), Path::new(TOKENIZER)])?;
        let slice = SliceSafetensors::new(files.safetensors).map_err(|e| {
            invalid(
                Path::new(WEIGHTS),
                format!("not a readable safetensors file: {}", crate::error::candle_message(&e)),
            )
        })?;
        crate::weights::check(slice.tensors(), Path::new(WEIGHTS))?;
        let stored = crate::weights::stored_dtypes(slice.tensors());
        let vb = var_builder(slice, stored);
        let lexical = match files.lexical_safetensors {
            Some(bytes) => Some(LexicalModel::from_bytes(bytes, Path::new(ModelFolder::LEXICAL))?),
            None => None,
        };
        let exemplars = match files.exemplars_jsonl {
            Some(bytes) => {
                let text = std::str::from_utf8(bytes).map_err(|_| Error::Exemplars {
                    path: ModelFolder::EXEMPLARS.into(),
                    line: 1,
                    message: "not valid UTF-8".into(),
                })?;
                Some(ExemplarSet::from_jsonl(text, ModelFolder::EXEMPLARS)?)
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
        let mut model = BertForSequenceClassification::load(vb, &config).map_err(|e| {
            invalid(
                weights,
                format!(
                    "does not match config.json: {}; the weights and config.json must come from the same model",
                    crate::error::candle_message(&e)
                ),
            )
        })?;
        let precision = settings.precision().map_err(|message| invalid(Path::new(SETTINGS), message))?;
        model.set_precision(precision)?;
        Ok(Classifier::bare(config, settings, tokenizer, model))
    }

    /// This classifier computing at `precision` ([`crate::int8`]) instead of the one `lurescan.json` names. Exemplar
    /// embeddings already computed are kept as they are.
    pub fn with_precision(mut self, precision: Precision) -> Result<Self> {
        self.model.set_precision(precision)?;
        self.settings.set_precision(precision);
        Ok(self)
    }

    /// A classifier of these parts alone: no lexical member, no exemplars, [`Parallelism::Auto`].
    fn bare(
        config: BertConfig,
        settings: Settings,
        tokenizer: LureTokenizer,
        model: BertForSequenceClassification,
    ) -> Self {
        let (lexical, exemplars, parallelism) = (None, None, Parallelism::Auto);
        Classifier { config, settings, tokenizer, model, lexical, exemplars, parallelism }
    }

    /// This classifier with (or without) a lexical ensemble member. `lurescan.json` must have `"ensemble"` exactly
    /// when there is one, and the BERT must have two labels.
    pub fn with_lexical(mut self, lexical: Option<LexicalModel>) -> Result<Self> {
        if self.settings.message_ensemble.is_some() && self.settings.ensemble.is_none() {
            return Err(invalid(
                Path::new(SETTINGS),
                "lurescan.json has \"message_ensemble\" weights but no \"ensemble\" for the other records: add \"ensemble\" or remove \"message_ensemble\"",
            ));
        }
        match (&lexical, &self.settings.ensemble) {
            (Some(_), None) => {
                return Err(invalid(
                    Path::new(SETTINGS),
                    "the folder has lexical.safetensors but lurescan.json has no \"ensemble\" weights: add \"ensemble\": {\"bert\": a, \"lexical\": b, \"bias\": c} or remove lexical.safetensors",
                ))
            }
            (None, Some(_)) => {
                return Err(invalid(
                    Path::new(SETTINGS),
                    "lurescan.json has \"ensemble\" weights but the folder has no lexical.safetensors: copy the whole model folder, or remove \"ensemble\" (and \"message_ensemble\", if there) to score with the BERT alone",
                ))
            }
            (Some(_), Some(_)) => {
                if self.config.num_labels() != 2 {
                    return Err(invalid(Path::new(CONFIG), "an ensemble with lexical.safetensors needs exactly two labels"));
                }
                let finite = |e: &&EnsembleConfig| {
                    [e.bert, e.lexical, e.bias].iter().chain(&e.indicators).chain(&e.warning).chain(&e.decisive).all(|v| v.is_finite())
                };
                if let Some(e) = self.settings.ensembles().find(|e| !finite(e)) {
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
        mut model: BertForSequenceClassification,
    ) -> Result<Self> {
        check(&config, &settings, &tokenizer, [Path::new(CONFIG), Path::new(SETTINGS), Path::new(TOKENIZER)])?;
        let precision = settings.precision().map_err(|message| invalid(Path::new(SETTINGS), message))?;
        model.set_precision(precision)?;
        Ok(Classifier::bare(config, settings, tokenizer, model))
    }

    /// The folder's own exemplars (none: `None`), checked against `lurescan.json`: a model whose ensemble has an
    /// `"exemplar"` weight needs exemplars of both labels, since its score includes their margin. `cache` is the
    /// folder's [`ModelFolder::EXEMPLAR_CACHE`] and the key it must have to be used.
    fn with_folder_exemplars(mut self, set: Option<ExemplarSet>, cache: Option<(&[u8], [u8; 16])>) -> Result<Self> {
        let weights: Vec<f32> = self.settings.ensembles().filter_map(|e| e.exemplar).collect();
        if let Some(w) = weights.iter().find(|w| !w.is_finite()) {
            return Err(invalid(
                Path::new(SETTINGS),
                format!("the ensemble's exemplar weight must be a finite number, found {w}"),
            ));
        }
        if !weights.is_empty() {
            let both = set.as_ref().is_some_and(|s| {
                s.count(exemplars::ExemplarLabel::Lure) > 0 && s.count(exemplars::ExemplarLabel::Benign) > 0
            });
            if !both {
                return Err(invalid(
                    Path::new(ModelFolder::EXEMPLARS),
                    "lurescan.json's ensemble has an \"exemplar\" weight, so the folder needs exemplars.jsonl with \
                     both lure and benign exemplars: copy the whole model folder, or remove \"exemplar\" from \
                     \"ensemble\" (and from \"message_ensemble\", if there) to score without them",
                ));
            }
        }
        let Some(set) = set else { return Ok(self) };
        if let Some((bytes, key)) = cache {
            let k = self.settings.exemplars.as_ref().map_or(exemplars::DEFAULT_K, |s| s.k);
            if let Some(index) = ExemplarIndex::from_cache(bytes, key, set.clone(), self.config.hidden_size, k) {
                self.exemplars = Some(Arc::new(index.with_common(self.common_directions())?));
                return Ok(self);
            }
        }
        self.with_exemplars(set)
    }

    /// This classifier with `set` added to its exemplars (after the model folder's own, if it has any): each
    /// exemplar is embedded now, once. Records then get exemplar evidence ([`Classifier::predict_with_evidence`]),
    /// and, when `lurescan.json`'s ensemble has an `"exemplar"` weight, the added exemplars count in the score
    /// at once, with no retraining. Without that weight the scores do not change. An exemplar with the text and
    /// label of one the classifier already has is skipped: passing the model's own file again, or one file twice,
    /// would otherwise count its texts twice in the nearest-exemplar means and move the scores.
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
        let mut seen: std::collections::HashSet<(String, exemplars::ExemplarLabel)> =
            self.exemplars.iter().flat_map(|index| index.set().iter()).map(|e| (e.text.clone(), e.label)).collect();
        let fresh: Vec<exemplars::Exemplar> =
            set.iter().filter(|e| seen.insert((e.text.clone(), e.label))).cloned().collect();
        if fresh.is_empty() {
            return Ok(self);
        }
        let set = ExemplarSet::from_exemplars(fresh);
        let k = self.settings.exemplars.as_ref().map_or(exemplars::DEFAULT_K, |s| s.k);
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
            None => added.with_common(self.common_directions())?,
        };
        self.exemplars = Some(Arc::new(index));
        Ok(self)
    }

    /// `lurescan.json`'s common directions of the embeddings, if it has them.
    fn common_directions(&self) -> Option<exemplars::CommonDirections> {
        self.settings.exemplars.as_ref().and_then(|s| s.common.clone())
    }
}
