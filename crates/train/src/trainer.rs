//! The training loop: seeded initialisation, length-bucketed batches, class-weighted cross-entropy, AdamW with
//! warm-up and decay, validation each epoch with early stopping on PR-AUC, checkpoints and `--resume`, and at the
//! end calibration, the threshold, and the model folder.
//!
//! Reproducibility: every random draw comes from a [`SeededRng`] derived from `(seed, epoch, purpose)`, so an epoch
//! is a pure function of the weights and optimiser state at its start; checkpoints are taken between epochs, and a
//! resumed run is bit for bit the uninterrupted one. Each batch draws one dropout seed from its epoch's stream and
//! is split into `TrainConfig::shards` shards that run in parallel (see [`crate::shard`]), so the weights depend on
//! the shard count but not on the number of threads.

use crate::augment::augment;
use crate::checkpoint::{Checkpoint, CheckpointState};
use crate::config::{ClassWeights, Refit, TrainConfig};
use crate::data::{shuffle, Example};
use crate::error::{Result, TrainError};
use crate::folder::{self, FolderContents};
use crate::freeze::{FeatureCache, FreezeConfig};
use crate::lexical::train_lexical;
use crate::metrics::{
    calibrated, choose_threshold, fit_temperature, threshold_for_false_positives, Report, ThresholdRule,
};
use crate::optim::AdamW;
use crate::schedule::Schedule;
use crate::shard::{ops_single_threaded, ShardedStep};
use crate::tokenizer::train_tokenizer;
use candle_core::{Device, Tensor, D};
use candle_nn::VarMap;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lurescan::exemplars::{ExemplarSet, ExemplarSettings};
use lurescan::model::BertForSequenceClassification;
use lurescan::rng::SeededRng;
use lurescan::tokenizer::LureTokenizer;
use lurescan::{render, BertConfig, EnsembleConfig, RenderConfig, Settings};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The data of one training run.
#[derive(Debug, Clone)]
pub struct TrainData {
    pub train: Vec<Example>,
    pub valid: Vec<Example>,
    /// Where the data came from (recorded in `lurescan.json`).
    pub sources: Vec<DataSource>,
}

/// One input file: path, sha256, rows read and skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataSource {
    pub role: String,
    pub path: PathBuf,
    pub sha256: String,
    pub records: usize,
    pub skipped_bad_rows: u64,
}

impl TrainData {
    /// Reads the training file and the validation file; without one, holds out `config.valid_fraction` of the
    /// training file (stratified by label, groups kept whole, seeded by `config.seed`).
    pub fn load(train: &Path, valid: Option<&Path>, config: &TrainConfig, skip_bad: bool) -> Result<Self> {
        let source = |role: &str, d: &crate::data::Dataset| -> Result<DataSource> {
            Ok(DataSource {
                role: role.into(),
                path: d.path.clone(),
                sha256: crate::data::fingerprint(&d.path)?,
                records: d.examples.len(),
                skipped_bad_rows: d.skipped,
            })
        };
        let train_set = crate::data::load(train, skip_bad)?;
        let mut sources = vec![source("train", &train_set)?];
        let (train, valid) = match valid {
            Some(path) => {
                let valid_set = crate::data::load(path, skip_bad)?;
                sources.push(source("valid", &valid_set)?);
                (train_set.examples, valid_set.examples)
            }
            None => crate::data::holdout(train_set.examples, config.valid_fraction, config.seed),
        };
        Ok(TrainData { train, valid, sources })
    }

    /// The file a role's records came from (`"train"` or `"valid"`), or a description when the data was built in
    /// code; a held-out validation share names the training file.
    fn path_of(&self, role: &str) -> PathBuf {
        let find = |r: &str| self.sources.iter().find(|s| s.role == r).map(|s| s.path.clone());
        find(role).or_else(|| find("train")).unwrap_or_else(|| PathBuf::from(format!("({role} data)")))
    }

    /// Refuses training records that lack a class: a classifier needs lures (label 1) and legitimate records
    /// (label 0) to learn from.
    pub fn check_classes(&self) -> Result<()> {
        let lures = self.train.iter().filter(|e| e.label == 1).count();
        let (missing, label) = match (lures, self.train.len() - lures) {
            (0, _) => ("no lures (label 1)", 1),
            (_, 0) => ("no legitimate records (label 0)", 0),
            _ => return Ok(()),
        };
        let path = self.path_of("train");
        // Held out from the training file, the class may be there but all in validation: the hold-out keeps each
        // `group` whole, so a class in one group (or a file in one group) goes to validation whole.
        let held = self.valid.iter().filter(|e| e.label == label).count();
        let held_out = !self.sources.iter().any(|s| s.role == "valid");
        if held_out && held > 0 {
            let groups: std::collections::BTreeSet<&str> =
                self.valid.iter().filter(|e| e.label == label).filter_map(|e| e.group.as_deref()).collect();
            let names: Vec<String> = groups.iter().take(3).map(|g| format!("{g:?}")).collect();
            let what = if label == 1 { "lures" } else { "legitimate records" };
            if groups.is_empty() {
                return Err(TrainError::Data {
                    path,
                    message: format!(
                        "the training records have {missing} left: the validation hold-out took the file's {held} \
                         {what}; lower --valid-fraction, add records, or pass --valid FILE"
                    ),
                });
            }
            return Err(TrainError::Data {
                path,
                message: format!(
                    "the training records have {missing} left: the file's {held} {what} are in {} `group`{} ({}{}), \
                     and the validation hold-out keeps each group whole, so it took them all; a group is meant for \
                     near-duplicates: give the records distinct groups (or none), or pass --valid FILE",
                    groups.len(),
                    if groups.len() == 1 { "" } else { "s" },
                    names.join(", "),
                    if groups.len() > 3 { ", …" } else { "" }
                ),
            });
        }
        Err(TrainError::Data {
            path,
            message: format!(
                "the training records have {missing}: training needs both lures (label 1) and legitimate records \
                 (label 0); add labelled records of the missing class"
            ),
        })
    }

    /// True when the validation records have both classes, so that the temperature, the ensemble weights and the
    /// threshold can be fitted on them.
    pub fn validation_has_both_classes(&self) -> bool {
        self.valid.iter().any(|e| e.label == 1) && self.valid.iter().any(|e| e.label == 0)
    }

    /// What to tell the user when the validation records lack a class (training goes on, but nothing can be fitted
    /// on them); `None` when they have both.
    pub fn validation_warning(&self) -> Option<String> {
        if self.validation_has_both_classes() {
            return None;
        }
        let missing = if self.valid.iter().any(|e| e.label == 1) { "no legitimate records" } else { "no lures" };
        let held_out = if self.sources.iter().any(|s| s.role == "valid") { "" } else { " (held out)" };
        Some(format!(
            "the validation records{held_out} of {} have {missing}: the threshold, temperature and ensemble weights \
             cannot be fitted, so the model uses threshold {UNFITTED_THRESHOLD}, temperature 1 and (with the lexical \
             member) the sum of the two margins; give --valid a file with both lures and legitimate records",
            self.path_of("valid").display()
        ))
    }

    /// How many validation records have the same text fields as some training record (ids aside).
    pub fn validation_overlap(&self) -> usize {
        let key = |e: &Example| e.record.fields().map(|(f, t)| format!("{}\u{1}{t}", f.name())).collect::<Vec<_>>();
        let train: std::collections::HashSet<Vec<String>> = self.train.iter().map(key).collect();
        self.valid.iter().filter(|e| train.contains(&key(e))).count()
    }

    /// What to tell the user when a tenth or more of the validation records are also training records (the same
    /// file given twice, or overlapping files): what is fitted and reported on them is optimistic.
    pub fn overlap_warning(&self) -> Option<String> {
        let overlap = self.validation_overlap();
        (overlap > 0 && overlap * 10 >= self.valid.len()).then(|| {
            format!(
                "{overlap} of the {} validation records are also training records: the threshold, calibration and \
                 validation metrics are fitted on text the model has learned, so they are optimistic; give --valid a \
                 file held out from --data",
                self.valid.len()
            )
        })
    }
}

/// The threshold of a model whose validation data could not fit one.
pub const UNFITTED_THRESHOLD: f32 = 0.5;

/// How this process runs the training (not part of the result, so not recorded).
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Continue from `OUT.partial/checkpoint/` if it exists.
    pub resume: bool,
    /// Draw a progress bar on stderr.
    pub progress: bool,
    /// Stop after this many epochs of this run, leaving the checkpoint (as an interruption would).
    pub stop_after_epochs: Option<usize>,
    /// When only the head trains (a frozen encoder), keep the encoder's features in this file between runs
    /// (reused only by a run whose encoder has the same weights; the result is the same with or without it).
    pub feature_cache: Option<PathBuf>,
}

/// One epoch's numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochLog {
    pub epoch: usize,
    pub train_loss: f64,
    pub valid_loss: f64,
    pub valid_pr_auc: Option<f64>,
    pub sequences_per_second: f64,
}

/// What a finished (or stopped) run produced.
#[derive(Debug, Clone)]
pub struct TrainOutcome {
    /// False when `stop_after_epochs` stopped the run before the end: no model folder was written.
    pub finished: bool,
    pub history: Vec<EpochLog>,
    pub best_epoch: usize,
    pub temperature: f32,
    pub threshold: f32,
    /// The messages' own threshold, when they got one (see [`TrainConfig::message_fp_budget`]).
    pub message_threshold: Option<f32>,
    /// Validation report at the chosen threshold, on calibrated probabilities (of the model before any refit).
    pub report: Report,
    /// Calibrated validation probabilities, in `data.valid` order (of the model before any refit).
    pub valid_scores: Vec<f32>,
}

/// The model being trained and everything that defines it.
pub(crate) struct Session {
    pub bert: BertConfig,
    pub tokenizer: LureTokenizer,
    pub tokenizer_json: String,
    pub render: RenderConfig,
    pub varmap: VarMap,
    pub model: BertForSequenceClassification,
    /// What this run keeps as it is (the model is built so that frozen weights record no gradient).
    pub freeze: FreezeConfig,
}

/// A random stream for one purpose in one epoch.
pub(crate) fn stream(seed: u64, epoch: usize, purpose: u64) -> SeededRng {
    let mut z = seed ^ (epoch as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ purpose.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    SeededRng::new(z ^ (z >> 31))
}

/// Augmented views of each record when only the head trains (see `EpochRun::run`).
const HEAD_ONLY_VIEWS: usize = 2;

/// A hash of a record's fields (FNV-1a), seeding its own augmentation stream.
fn record_key(record: &lurescan::Record) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (field, text) in record.fields() {
        for b in field.name().bytes().chain([0]).chain(text.bytes()).chain([1]) {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

const INIT: u64 = 1;
const SHUFFLE: u64 = 2;
const AUGMENT: u64 = 3;
const DROPOUT: u64 = 4;

/// Overwrites every variable, in sorted name order, from a seeded generator (candle's CPU generator cannot be
/// seeded): normal(0, initializer_range) for weights and embeddings, zeros for biases, ones/zeros for LayerNorm,
/// a zero row for the padding embedding (as Hugging Face initialises BERT).
pub fn seeded_init(varmap: &VarMap, config: &BertConfig, seed: u64) -> Result<()> {
    seeded_init_where(varmap, config, seed, |_| true)
}

/// [`seeded_init`] of the variables whose names `select` accepts (the others are left as they are); the draws
/// depend only on the seed and the selected names.
pub fn seeded_init_where(varmap: &VarMap, config: &BertConfig, seed: u64, select: impl Fn(&str) -> bool) -> Result<()> {
    let mut rng = stream(seed, 0, INIT);
    let vars = varmap.data().lock().expect("var map lock");
    let mut names: Vec<&String> = vars.keys().filter(|n| select(n)).collect();
    names.sort();
    for name in names {
        let var = &vars[name];
        let shape = var.shape().clone();
        let n = shape.elem_count();
        let is_norm = name.contains("LayerNorm") || name.contains("layer_norm");
        let values: Vec<f32> = if is_norm && (name.ends_with("weight") || name.ends_with("gamma")) {
            vec![1.0; n]
        } else if name.ends_with("bias") || name.ends_with("beta") {
            vec![0.0; n]
        } else {
            let std = config.initializer_range as f32;
            let mut v: Vec<f32> = (0..n).map(|_| rng.normal() * std).collect();
            if name.ends_with("word_embeddings.weight") {
                let width = shape.dims().last().copied().unwrap_or(0);
                let pad = config.pad_token_id as usize;
                v[pad * width..(pad + 1) * width].fill(0.0);
            }
            v
        };
        var.set(&Tensor::from_vec(values, shape, var.device())?)?;
    }
    Ok(())
}

/// Pads token id sequences into `input_ids` and `attention_mask` u32 tensors `[batch, longest]`.
pub fn pad_batch(batch: &[&[u32]], pad_id: u32) -> Result<(Tensor, Tensor)> {
    let longest = batch.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut ids = Vec::with_capacity(batch.len() * longest);
    let mut mask = Vec::with_capacity(batch.len() * longest);
    for s in batch {
        ids.extend_from_slice(s);
        ids.extend(std::iter::repeat_n(pad_id, longest - s.len()));
        mask.extend(std::iter::repeat_n(1u32, s.len()));
        mask.extend(std::iter::repeat_n(0u32, longest - s.len()));
    }
    let shape = (batch.len(), longest);
    Ok((Tensor::from_vec(ids, shape, &Device::Cpu)?, Tensor::from_vec(mask, shape, &Device::Cpu)?))
}

/// Class-weighted cross-entropy: `−Σ w_y log p_y / Σ w_y` over the batch.
pub fn weighted_cross_entropy(logits: &Tensor, labels: &[u8], class_weights: [f32; 2]) -> Result<Tensor> {
    let total: f32 = labels.iter().map(|&y| class_weights[y as usize]).sum();
    Ok((weighted_nll_sum(logits, labels, class_weights)? * (1.0 / total as f64))?)
}

/// The unnormalised class-weighted negative log-likelihood `−Σ w_y log p_y` (a shard of a batch divides it by
/// the weight of the whole batch).
pub fn weighted_nll_sum(logits: &Tensor, labels: &[u8], class_weights: [f32; 2]) -> Result<Tensor> {
    let classes = logits.dim(D::Minus1)?;
    let mut target = vec![0f32; labels.len() * classes];
    for (i, &y) in labels.iter().enumerate() {
        target[i * classes + y as usize] = class_weights[y as usize];
    }
    let target = Tensor::from_vec(target, (labels.len(), classes), logits.device())?;
    let log_p = candle_nn::ops::log_softmax(logits, D::Minus1)?;
    Ok((log_p * target)?.sum_all()?.neg()?)
}

fn class_weights(rule: ClassWeights, labels: impl Iterator<Item = u8>) -> [f32; 2] {
    let mut counts = [0f64; 2];
    for y in labels {
        counts[y as usize] += 1.0;
    }
    let n = counts[0] + counts[1];
    let balanced = |c: f64| if c > 0.0 { n / (2.0 * c) } else { 1.0 };
    match rule {
        ClassWeights::None => [1.0, 1.0],
        ClassWeights::Balanced => [balanced(counts[0]) as f32, balanced(counts[1]) as f32],
        ClassWeights::Sqrt => [balanced(counts[0]).sqrt() as f32, balanced(counts[1]).sqrt() as f32],
    }
}

/// Batches of example indices: shuffled, cut into chunks of `bucket` batches, each chunk sorted by length and
/// batched, and the batches shuffled again (so lengths do not trend through the epoch).
pub fn bucketed_batches(lengths: &[usize], batch_size: usize, bucket: usize, rng: &mut SeededRng) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    shuffle(&mut order, rng);
    let mut batches = Vec::new();
    for chunk in order.chunks(batch_size * bucket.max(1)) {
        let mut chunk = chunk.to_vec();
        chunk.sort_by_key(|&i| lengths[i]);
        batches.extend(chunk.chunks(batch_size).map(<[usize]>::to_vec));
    }
    shuffle(&mut batches, rng);
    batches
}

/// The weights [`train`] starts from with these flags and data (before the first step): seeded ones, or those of
/// `config.init` with a fresh classification head where the folder has none.
pub fn initial_weights(config: &TrainConfig, data: &TrainData) -> Result<HashMap<String, Tensor>> {
    Session::initial(config, data, false)?.weights()
}

impl Session {
    /// The model a new run starts from: `config.init`, or a new model whose tokenizer is trained on `data.train`.
    fn initial(config: &TrainConfig, data: &TrainData, progress: bool) -> Result<Self> {
        match &config.init {
            Some(dir) => Session::from_folder(dir, config.seed, config.freeze, progress),
            None => {
                let texts: Vec<String> = data.train.iter().map(|e| render(&e.record, &config.render)).collect();
                Session::from_scratch(config, &texts)
            }
        }
    }

    /// A new model: tokenizer trained on `texts`, config from the flags, seeded weights.
    fn from_scratch(config: &TrainConfig, texts: &[String]) -> Result<Self> {
        let tokenizer = train_tokenizer(texts, config.vocab_size)?;
        let tokenizer_json = tokenizer.to_string(false).map_err(TrainError::tokenizer)?;
        let bert = config.bert_config(tokenizer.get_vocab_size(true));
        let session = Session::build(bert, &tokenizer_json, config.render.clone(), config.freeze)?;
        seeded_init(&session.varmap, &session.bert, config.seed)?;
        Ok(session)
    }

    /// An existing model folder, to fine-tune: a classifier, or an encoder from [`crate::pretrain`], whose pooler
    /// and classifier are then initialised from `seed` and whose masked-LM head (`cls.predictions.*`) is left out.
    fn from_folder(dir: &Path, seed: u64, freeze: FreezeConfig, progress: bool) -> Result<Self> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|source| TrainError::Read { path, source })
        };
        let mut bert: BertConfig = serde_json::from_str(&read("config.json")?)?;
        bert.architectures = vec!["BertForSequenceClassification".into()];
        let settings: Settings = serde_json::from_str(&read("lurescan.json")?)?;
        let session = Session::build(bert, &read("tokenizer.json")?, settings.render, freeze)?;
        let path = dir.join("model.safetensors");
        crate::folder::check_weights(&path)?;
        let mut tensors = candle_core::safetensors::load(&path, &Device::Cpu)
            .map_err(|e| TrainError::Checkpoint { path: path.clone(), message: lurescan::error::candle_message(&e) })?;
        // A folder stored in float16 trains in float32.
        for t in tensors.values_mut() {
            *t = t.to_dtype(candle_core::DType::F32)?;
        }
        let names: Vec<String> = session.varmap.data().lock().expect("var map lock").keys().cloned().collect();
        let is_head = |name: &str| name.starts_with("bert.pooler.") || name.starts_with("classifier.");
        let missing: Vec<&String> = names.iter().filter(|n| !tensors.contains_key(*n)).collect();
        if !missing.is_empty() && missing.iter().all(|n| is_head(n)) {
            // An encoder without a classification head: start the head as a new model would.
            seeded_init_where(&session.varmap, &session.bert, seed, |n| !tensors.contains_key(n))?;
            for (name, var) in session.varmap.data().lock().expect("var map lock").iter() {
                if !tensors.contains_key(name) {
                    tensors.insert(name.clone(), var.as_tensor().copy()?);
                }
            }
        }
        let unused: Vec<&String> = tensors.keys().filter(|k| !names.contains(k)).collect();
        if progress && (!missing.is_empty() || !unused.is_empty()) {
            let mut message = format!("init {}: kept the tokenizer, size and encoder weights", dir.display());
            if !missing.is_empty() {
                message.push_str(&format!(
                    "; no classification head in the folder, so the pooler and classifier start fresh (seed {seed})"
                ));
            }
            if !unused.is_empty() {
                let mlm = unused.iter().all(|k| k.starts_with("cls.predictions."));
                let what = if mlm { "the masked-LM head (cls.predictions.*)" } else { "other tensors" };
                message.push_str(&format!("; {} tensors of {what} are not used", unused.len()));
            }
            note!("{message}");
        }
        session.set_weights(&tensors, &path)?;
        Ok(session)
    }

    /// The model on a fresh `VarMap` (weights as candle initialises them: overwrite or load them next).
    pub(crate) fn build(
        bert: BertConfig,
        tokenizer_json: &str,
        render: RenderConfig,
        freeze: FreezeConfig,
    ) -> Result<Self> {
        let tokenizer = LureTokenizer::from_bytes(tokenizer_json.as_bytes())?;
        let varmap = VarMap::new();
        let vb = crate::freeze::var_builder(&varmap, freeze);
        let model = BertForSequenceClassification::load(vb, &bert)?;
        Ok(Session { bert, tokenizer, tokenizer_json: tokenizer_json.to_string(), render, varmap, model, freeze })
    }

    /// The optimiser over the weights this run trains, with the layer-wise learning-rate scales.
    fn optimizer(&self, config: &crate::optim::AdamWConfig) -> Result<AdamW> {
        let layers = self.bert.num_hidden_layers;
        Ok(AdamW::with_lr_scales(self.named_vars(), config.clone(), |name| self.freeze.lr_scale(name, layers))?)
    }

    /// A digest of the encoder's weights (everything below the pooler): keys cached features.
    fn encoder_key(&self) -> Result<String> {
        use sha2::{Digest, Sha256};
        let vars = self.varmap.data().lock().expect("var map lock");
        let mut names: Vec<&String> = vars.keys().filter(|n| n.starts_with("bert.") && !n.starts_with("bert.pooler.")).collect();
        names.sort();
        let mut h = Sha256::new();
        // Versions the way features are computed (one sequence at a time), so older caches are not read.
        h.update(b"lurescan features: one sequence at a time, [CLS] of the last layer\n");
        for name in names {
            h.update(name.as_bytes());
            let values = vars[name].as_tensor().flatten_all()?.to_vec1::<f32>()?;
            values.iter().for_each(|v| h.update(v.to_le_bytes()));
        }
        Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Whether only the pooler and classifier train (their input features can then be computed once).
    fn head_only(&self) -> bool {
        self.freeze.whole_encoder(self.bert.num_hidden_layers)
    }

    /// `[CLS]` features of `seqs`, in inference mode, one sequence at a time (in parallel): a sequence's features
    /// never depend on which others were computed with it, so cached features from another run are bit for bit
    /// those this run would compute, and the trained weights do not depend on the cache.
    fn features(&self, seqs: &[&[u32]], _batch_size: usize) -> Result<Vec<Vec<f32>>> {
        let run = |batch: &[&[u32]]| -> Result<Vec<Vec<f32>>> {
            let (input, mask) = pad_batch(batch, self.bert.pad_token_id)?;
            Ok(self.model.cls_features(&input, &mask)?.to_vec2::<f32>()?)
        };
        let chunks: Vec<&[&[u32]]> = seqs.chunks(1).collect();
        let results: Vec<Vec<Vec<f32>>> = if ops_single_threaded() {
            chunks.par_iter().map(|b| run(b)).collect::<Result<_>>()?
        } else {
            chunks.iter().map(|b| run(b)).collect::<Result<_>>()?
        };
        Ok(results.into_iter().flatten().collect())
    }

    pub(crate) fn load_weights(&self, path: &Path) -> Result<()> {
        let tensors = candle_core::safetensors::load(path, &Device::Cpu)
            .map_err(|e| TrainError::Checkpoint { path: path.to_path_buf(), message: lurescan::error::candle_message(&e) })?;
        self.set_weights(&tensors, path)
    }

    pub(crate) fn set_weights(&self, tensors: &HashMap<String, Tensor>, path: &Path) -> Result<()> {
        let vars = self.varmap.data().lock().expect("var map lock");
        for (name, var) in vars.iter() {
            let t = tensors.get(name).ok_or_else(|| TrainError::Checkpoint {
                path: path.to_path_buf(),
                message: format!("tensor {name} is missing: the file is not of this model"),
            })?;
            var.set(t)?;
        }
        Ok(())
    }

    /// A deep copy of every weight.
    pub(crate) fn weights(&self) -> Result<HashMap<String, Tensor>> {
        let vars = self.varmap.data().lock().expect("var map lock");
        vars.iter().map(|(k, v)| Ok((k.clone(), v.as_tensor().copy()?))).collect()
    }

    /// The weights this run trains (the frozen ones left out).
    fn named_vars(&self) -> Vec<(String, candle_core::Var)> {
        let vars = self.varmap.data().lock().expect("var map lock");
        vars.iter().filter(|(k, _)| !self.freeze.frozen(k)).map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    fn encode(&self, records: impl Iterator<Item = String>, max_len: usize) -> Result<Vec<Vec<u32>>> {
        let texts: Vec<String> = records.collect();
        Ok(self.tokenizer.encode_batch(&texts, max_len)?)
    }

    /// [`Self::margins`], through `cache` when only the head trains (the encoder's features do not change).
    fn margins_cached(&self, ids: &[Vec<u32>], batch_size: usize, cache: &mut FeatureCache) -> Result<Vec<f32>> {
        if !self.head_only() {
            return self.margins(ids, batch_size);
        }
        cache.fill(ids, |missing| self.features(missing, batch_size))?;
        let lure = self.bert.lure_index();
        let legit = 1 - lure.min(1);
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(256) {
            let seqs: Vec<&[u32]> = chunk.iter().map(Vec::as_slice).collect();
            let logits = self.model.head(&cache.batch(&seqs)?, None)?.to_vec2::<f32>()?;
            out.extend(logits.iter().map(|row| row[lure] - row[legit]));
        }
        Ok(out)
    }

    /// Logit margins `lure − legitimate` in inference mode, in input order.
    pub(crate) fn margins(&self, ids: &[Vec<u32>], batch_size: usize) -> Result<Vec<f32>> {
        let lure = self.bert.lure_index();
        let legit = 1 - lure.min(1);
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&i| ids[i].len());
        let mut out = vec![0f32; ids.len()];
        let run = |batch: &[usize]| -> Result<Vec<f32>> {
            let seqs: Vec<&[u32]> = batch.iter().map(|&i| ids[i].as_slice()).collect();
            let (input, mask) = pad_batch(&seqs, self.bert.pad_token_id)?;
            let logits = self.model.forward(&input, &mask, None)?.to_vec2::<f32>()?;
            Ok(logits.iter().map(|row| row[lure] - row[legit]).collect())
        };
        // As in `Classifier::predict`: whole batches in parallel when candle runs ops on the calling thread.
        let chunks: Vec<&[usize]> = order.chunks(batch_size.max(1)).collect();
        let results: Vec<Vec<f32>> = if ops_single_threaded() {
            chunks.par_iter().map(|b| run(b)).collect::<Result<_>>()?
        } else {
            chunks.iter().map(|b| run(b)).collect::<Result<_>>()?
        };
        for (&i, m) in order.iter().zip(results.into_iter().flatten()) {
            out[i] = m;
        }
        Ok(out)
    }
}

/// The messages' own threshold (see [`TrainConfig::message_fp_budget`]): the lowest that flags at most `budget` of
/// the non-lure messages among `valid` (scored `scores`), never above `threshold`; `None` with fewer than
/// [`crate::config::MIN_MESSAGE_NEGATIVES`] of them.
pub fn message_threshold(valid: &[Example], scores: &[f32], threshold: f32, budget: f64) -> Option<f32> {
    let negatives: Vec<f32> =
        valid.iter().zip(scores).filter(|(e, _)| e.label == 0 && e.record.is_message()).map(|(_, &s)| s).collect();
    match negatives.len() >= crate::config::MIN_MESSAGE_NEGATIVES {
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
    if messages_apart && message_negatives >= crate::config::MIN_MESSAGE_NEGATIVES {
        let (rest_scores, rest_labels): (Vec<f32>, Vec<u8>) =
            valid.iter().zip(scores).filter(|(e, _)| !e.record.is_message()).map(|(e, &s)| (s, e.label)).unzip();
        if rest_labels.contains(&1) {
            return choose_threshold(&rest_scores, &rest_labels, rule);
        }
    }
    choose_threshold(scores, &labels, rule)
}

fn mean_nll(margins: &[f32], labels: &[u8]) -> f64 {
    crate::metrics::nll(margins, labels, 1.0)
}

/// The learning-rate schedule of `config.epochs` epochs over `examples` training examples.
fn schedule_for(config: &TrainConfig, examples: usize) -> Schedule {
    let total_steps = examples.div_ceil(config.batch_size) * config.epochs;
    Schedule::with_warmup_ratio(config.lr, config.warmup_ratio, total_steps, config.decay)
}

/// One epoch of training `session` on `train`.
struct EpochRun<'a> {
    config: &'a TrainConfig,
    session: &'a Session,
    train: &'a [Example],
    class_weights: [f32; 2],
    schedule: Schedule,
    /// Epochs in this run (for the progress bar).
    epochs: usize,
}

impl EpochRun<'_> {
    /// Trains epoch `epoch` (1-based; it seeds the augmentation, the shuffle and the dropout), counting optimiser
    /// steps in `step`; returns the mean training loss and the sequences per second. When the whole encoder is
    /// frozen, only the head trains, on `[CLS]` features taken from (and added to) `cache`.
    fn run(
        &self,
        optimizer: &mut AdamW,
        epoch: usize,
        step: &mut usize,
        progress: bool,
        what: &str,
        cache: &mut FeatureCache,
    ) -> Result<(f64, f64)> {
        let (config, session) = (self.config, self.session);
        let max_len = config.max_len.min(session.bert.max_position_embeddings);
        let head_only = session.head_only();
        let ids = match head_only {
            // A frozen encoder: each record has HEAD_ONLY_VIEWS augmented views, drawn from a stream seeded by the
            // record itself, so that the features of every view are computed once (and can be kept on disk for
            // the next run, whatever other records it has), not once per epoch.
            true => {
                let texts = self.train.iter().map(|e| {
                    let view = (epoch - 1) % HEAD_ONLY_VIEWS;
                    let mut rng = stream(config.seed ^ record_key(&e.record), view, AUGMENT);
                    render(&augment(&e.record, &config.augment, &mut rng), &session.render)
                });
                session.encode(texts, max_len)?
            }
            false => {
                let mut aug_rng = stream(config.seed, epoch, AUGMENT);
                let texts = self
                    .train
                    .iter()
                    .map(|e| render(&augment(&e.record, &config.augment, &mut aug_rng), &session.render));
                session.encode(texts, max_len)?
            }
        };
        let train_labels: Vec<u8> = self.train.iter().map(|e| e.label).collect();
        let lengths: Vec<usize> = ids.iter().map(Vec::len).collect();
        let batches = bucketed_batches(
            &lengths,
            config.batch_size,
            config.bucket_batches,
            &mut stream(config.seed, epoch, SHUFFLE),
        );
        let mut dropout_rng = stream(config.seed, epoch, DROPOUT);
        let sharded = ShardedStep {
            model: &session.model,
            class_weights: self.class_weights,
            pad_id: session.bert.pad_token_id,
            shards: config.shards,
        };

        let started = Instant::now();
        if head_only {
            let before = cache.len();
            cache.fill(&ids, |missing| session.features(missing, config.batch_size.max(32)))?;
            if progress && cache.len() > before {
                note!(
                    "{what} {epoch}: encoder frozen, features of {} new inputs computed in {:.0} s",
                    cache.len() - before,
                    started.elapsed().as_secs_f64()
                );
            }
        }
        let bar = epoch_bar(progress, what, batches.len(), epoch, self.epochs);
        let (mut loss_sum, mut seen) = (0f64, 0usize);
        for batch in &batches {
            let seqs: Vec<&[u32]> = batch.iter().map(|&i| ids[i].as_slice()).collect();
            let labels: Vec<u8> = batch.iter().map(|&i| train_labels[i]).collect();
            let grads = match head_only {
                true => head_gradients(session, cache, &seqs, &labels, self.class_weights, dropout_rng.next_u64())?,
                false => sharded.gradients(&seqs, &labels, dropout_rng.next_u64())?,
            };
            let lr = self.schedule.lr(*step);
            if !grads.loss.is_finite() {
                bar.finish_and_clear();
                return Err(TrainError::Diverged { epoch, step: *step + 1, loss: grads.loss, lr });
            }
            optimizer.step(&grads.shards, lr, config.max_grad_norm)?;
            *step += 1;
            loss_sum += grads.loss * batch.len() as f64;
            seen += batch.len();
            let rate = seen as f64 / started.elapsed().as_secs_f64().max(1e-9);
            bar.set_message(format!("loss {:.4} {rate:.0} seq/s", loss_sum / seen as f64));
            bar.inc(1);
        }
        bar.finish_and_clear();
        Ok((loss_sum / seen.max(1) as f64, seen as f64 / started.elapsed().as_secs_f64().max(1e-9)))
    }
}

/// The gradients of the pooler and classifier alone on a batch whose `[CLS]` features are in `cache` (one shard: the
/// head is small).
fn head_gradients(
    session: &Session,
    cache: &FeatureCache,
    seqs: &[&[u32]],
    labels: &[u8],
    class_weights: [f32; 2],
    dropout_seed: u64,
) -> Result<crate::shard::ShardGradients> {
    let features = cache.batch(seqs)?;
    let mut rng = crate::shard::shard_rng(dropout_seed, 0);
    let logits = session.model.head(&features, Some(&mut rng))?;
    let loss = weighted_cross_entropy(&logits, labels, class_weights)?;
    let grads = loss.backward()?;
    Ok(crate::shard::ShardGradients { loss: loss.to_scalar::<f32>()? as f64, shards: vec![grads] })
}

/// The progress bar of one epoch (hidden unless `show`): `WHAT EPOCH/EPOCHS [bar] batches message (time)`.
pub(crate) fn epoch_bar(show: bool, what: &str, len: usize, epoch: usize, epochs: usize) -> ProgressBar {
    let bar = if show {
        ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{what} {{prefix}} [{{bar:30}}] {{pos}}/{{len}} {{msg}} ({{elapsed}} < {{eta}})"
        ))
        .expect("progress template")
        .progress_chars("=> "),
    );
    bar.set_prefix(format!("{epoch}/{epochs}"));
    bar
}

/// The BERT trained again on `examples` for `epochs` epochs: from the weights `first` started from (the same seed,
/// or `config.init`), with its tokenizer, and the schedule of a full `config.epochs` run over `examples`, so that it
/// follows the path validation chose the epoch on.
fn refit_bert(
    config: &TrainConfig,
    first: &Session,
    examples: &[Example],
    epochs: usize,
    progress: bool,
    cache: &mut FeatureCache,
) -> Result<Session> {
    let session = match &config.init {
        Some(dir) => Session::from_folder(dir, config.seed, config.freeze, false)?,
        None => {
            let session =
                Session::build(first.bert.clone(), &first.tokenizer_json, first.render.clone(), config.freeze)?;
            seeded_init(&session.varmap, &session.bert, config.seed)?;
            session
        }
    };
    let mut optimizer = session.optimizer(&config.optimizer)?;
    // A frozen encoder starts from the same weights as the first run's, so its cached features still hold.
    let run = EpochRun {
        config,
        session: &session,
        train: examples,
        class_weights: class_weights(config.class_weights, examples.iter().map(|e| e.label)),
        schedule: schedule_for(config, examples.len()),
        epochs,
    };
    let mut step = 0;
    for epoch in 1..=epochs {
        let (loss, rate) = run.run(&mut optimizer, epoch, &mut step, progress, "refit", cache)?;
        if progress {
            note!(
                "refit {epoch}/{epochs} on train + valid ({} records): train loss {loss:.4}, {rate:.0} seq/s",
                examples.len()
            );
        }
    }
    Ok(session)
}

/// Trains a model on `data` and writes the model folder `out` (atomically, at the end). Checkpoints go to
/// `OUT.partial/checkpoint/` after each epoch.
pub fn train(config: &TrainConfig, data: &TrainData, out: &Path, run: &RunOptions) -> Result<TrainOutcome> {
    config.validate()?;
    // A bad exemplars file stops the run before any work, with the file and line named.
    if let Some(path) = &config.exemplars {
        ExemplarSet::load(path)?;
    }
    if data.train.is_empty() || data.valid.is_empty() {
        return Err(TrainError::Config("training and validation data must both be non-empty".into()));
    }
    data.check_classes()?;
    let inputs: Vec<&Path> = data.sources.iter().map(|s| s.path.as_path()).collect();
    folder::check_out(out, &inputs)?;
    // Without both classes in validation, nothing can be fitted on it: fixed temperature, weights and threshold.
    let fit = data.validation_has_both_classes();
    let partial = folder::partial_dir(out);
    let checkpoint = Checkpoint::new(&partial);
    let state_key = CheckpointState::key(config, data)?;
    let resumed = if run.resume { checkpoint.load_state()? } else { None };

    let (session, mut state) = match resumed {
        Some(state) => {
            if state.key != state_key {
                return Err(TrainError::Checkpoint {
                    path: checkpoint.dir().to_path_buf(),
                    message: "this checkpoint was made with other flags or data: run with the same flags and \
                              data, or without --resume to start over"
                        .into(),
                });
            }
            let session = checkpoint.load_session(config.freeze)?;
            (session, state)
        }
        None => {
            checkpoint.clear()?;
            (Session::initial(config, data, run.progress)?, CheckpointState::new(state_key))
        }
    };
    let max_len = config.max_len.min(session.bert.max_position_embeddings);
    let mut optimizer = session.optimizer(&config.optimizer)?;
    let cache_key = match (&run.feature_cache, session.head_only()) {
        (Some(_), true) => Some(session.encoder_key()?),
        _ => None,
    };
    let mut cache = match (&run.feature_cache, &cache_key) {
        (Some(path), Some(key)) => FeatureCache::load(path, key)?,
        _ => FeatureCache::new(),
    };
    if run.progress && !cache.is_empty() {
        note!("encoder frozen: {} cached features read", cache.len());
    }
    let mut best = match state.epochs_done {
        0 => session.weights()?,
        _ => {
            optimizer.load_state(&checkpoint.load_optimizer()?)?;
            checkpoint.load_best()?
        }
    };

    let weights = class_weights(config.class_weights, data.train.iter().map(|e| e.label));
    let schedule = schedule_for(config, data.train.len());
    let valid_ids = session.encode(data.valid.iter().map(|e| render(&e.record, &session.render)), max_len)?;
    let valid_labels: Vec<u8> = data.valid.iter().map(|e| e.label).collect();

    let mut epochs_this_run = 0;
    while state.epochs_done < config.epochs && !state.stopped_early {
        if run.stop_after_epochs.is_some_and(|n| epochs_this_run >= n) {
            return Ok(TrainOutcome {
                finished: false,
                history: state.history,
                best_epoch: state.best_epoch,
                temperature: 1.0,
                threshold: 0.5,
                message_threshold: None,
                report: Report::compute(&[], &[], &[], 0.5),
                valid_scores: Vec::new(),
            });
        }
        let epoch = state.epochs_done + 1;
        let run_epoch = EpochRun {
            config,
            session: &session,
            train: &data.train,
            class_weights: weights,
            schedule,
            epochs: config.epochs,
        };
        let (train_loss, rate) =
            run_epoch.run(&mut optimizer, epoch, &mut state.step, run.progress, "epoch", &mut cache)?;

        let margins = session.margins_cached(&valid_ids, config.batch_size.max(32), &mut cache)?;
        let probs: Vec<f32> = margins.iter().map(|&m| calibrated(m, 1.0)).collect();
        let pr_auc = crate::metrics::average_precision(&probs, &valid_labels);
        let valid_loss = mean_nll(&margins, &valid_labels);
        // The last step of the epoch may have broken the weights: they must not reach a checkpoint or a folder.
        if !valid_loss.is_finite() || margins.iter().any(|m| !m.is_finite()) {
            return Err(TrainError::Diverged {
                epoch,
                step: state.step,
                loss: if valid_loss.is_finite() { f64::NAN } else { valid_loss },
                lr: schedule.lr(state.step.saturating_sub(1)),
            });
        }
        let log = EpochLog { epoch, train_loss, valid_loss, valid_pr_auc: pr_auc, sequences_per_second: rate };
        if run.progress {
            note!(
                "epoch {epoch}/{}: train loss {:.4}, valid loss {:.4}, valid PR-AUC {}, {:.0} seq/s",
                config.epochs,
                log.train_loss,
                log.valid_loss,
                pr_auc.map_or("-".into(), |v| format!("{v:.4}")),
                rate
            );
        }
        state.history.push(log);
        // Without positives in validation, PR-AUC is undefined: fall back to the validation loss.
        let score = pr_auc.unwrap_or(-valid_loss);
        if state.best_epoch == 0 || score > state.best_score {
            state.best_score = score;
            state.best_epoch = epoch;
            state.bad_epochs = 0;
            best = session.weights()?;
        } else {
            state.bad_epochs += 1;
            if config.patience > 0 && state.bad_epochs >= config.patience {
                state.stopped_early = true;
                if run.progress {
                    let measure = if pr_auc.is_some() { "PR-AUC" } else { "loss (no lures to rank)" };
                    note!(
                        "stopped early after epoch {epoch}: no better validation {measure} for {}; keeping epoch {}",
                        if config.patience == 1 {
                            "1 epoch".to_string()
                        } else {
                            format!("{} epochs", config.patience)
                        },
                        state.best_epoch
                    );
                }
            }
        }
        state.epochs_done = epoch;
        checkpoint.save(&session, &optimizer, &best, &state)?;
        epochs_this_run += 1;
    }

    // The best epoch's weights, calibrated and thresholded on validation.
    session.set_weights(&best, checkpoint.dir())?;
    let margins = session.margins_cached(&valid_ids, config.batch_size.max(32), &mut cache)?;
    let temperature = if fit { fit_temperature(&margins, &valid_labels) } else { 1.0 };
    let lexical = match config.lexical {
        true => Some(train_lexical(&data.train, &session.render, config.lexical_l2, config.seed)?),
        false => None,
    };
    // Read again (checked at the start): the file is part of the model folder as it is now.
    let exemplars = config.exemplars.as_deref().map(ExemplarSet::load).transpose()?;
    let exemplar_settings = exemplars.as_ref().map(|_| ExemplarSettings::default());
    let exemplar_margins = match &exemplars {
        Some(set) => {
            let settings = Settings {
                max_length: max_len,
                render: session.render.clone(),
                exemplars: exemplar_settings,
                ..Settings::default()
            };
            let parts = crate::exemplars::Parts {
                bert: &session.bert,
                settings: &settings,
                tokenizer: &session.tokenizer,
                model: &session.model,
            };
            Some(crate::exemplars::exemplar_margins(&parts, set, &data.valid, config.batch_size.max(32))?)
        }
        None => None,
    };
    let (scores, ensemble): (Vec<f32>, _) = match &lexical {
        None => (margins.iter().map(|&m| calibrated(m, temperature)).collect(), None),
        Some(lex) => {
            let lexical_margins: Vec<f32> =
                data.valid.par_iter().map(|e| lex.margin(&e.record, &session.render)).collect();
            let scaled: Vec<f32> = margins.iter().map(|&m| m / temperature).collect();
            let ensemble = match (fit, &exemplar_margins) {
                (true, None) => crate::lexical::fit_ensemble(&scaled, &lexical_margins, &valid_labels),
                (true, Some(x)) => {
                    crate::exemplars::fit_ensemble_with_exemplars(&scaled, &lexical_margins, x, &valid_labels)
                }
                // Unfitted weights leave the exemplars out of the score: they are evidence only.
                (false, _) => EnsembleConfig::new(1.0, 1.0, 0.0),
            };
            if run.progress {
                let lex_probs: Vec<f32> = lexical_margins.iter().map(|&m| calibrated(m, 1.0)).collect();
                note!(
                    "lexical model: valid PR-AUC {}; ensemble weights bert {:.4}, lexical {:.4}, bias {:.4}",
                    crate::metrics::average_precision(&lex_probs, &valid_labels)
                        .map_or("-".into(), |v| format!("{v:.4}")),
                    ensemble.bert,
                    ensemble.lexical,
                    ensemble.bias
                );
                if let (Some(x), Some(w)) = (&exemplar_margins, ensemble.exemplar) {
                    note!(
                        "exemplars: valid PR-AUC of the margin alone {}; ensemble weight {w:.4}",
                        crate::metrics::average_precision(x, &valid_labels).map_or("-".into(), |v| format!("{v:.4}"))
                    );
                }
            }
            let scores = margins
                .iter()
                .zip(&lexical_margins)
                .enumerate()
                .map(|(i, (&m, &l))| {
                    ensemble.probability_with(m, temperature, l, exemplar_margins.as_ref().map(|x| x[i]))
                })
                .collect();
            (scores, Some(ensemble))
        }
    };
    let rule = config.target_precision.map_or(config.threshold_rule, ThresholdRule::TargetPrecision);
    let threshold = match fit {
        true => main_threshold(&data.valid, &scores, rule, config.message_fp_budget.is_some()),
        false => UNFITTED_THRESHOLD,
    };
    let message_threshold =
        config.message_fp_budget.and_then(|budget| message_threshold(&data.valid, &scores, threshold, budget));
    let mut settings = Settings {
        threshold,
        message_threshold,
        temperature,
        max_length: max_len,
        render: session.render.clone(),
        ensemble,
        exemplars: exemplar_settings,
        extra: Default::default(),
    };
    let sources: Vec<Option<String>> = data.valid.iter().map(|e| e.source.clone()).collect();
    let thresholds: Vec<f32> = data.valid.iter().map(|e| settings.threshold_for(&e.record)).collect();
    let report = Report::compute_each(&scores, &valid_labels, &sources, &thresholds);
    settings.extra = folder::training_record(config, data, &state, &report)?;

    // Validation has chosen everything above; a refit trains again on train + valid and keeps those choices.
    let (refit_session, lexical) = match config.refit {
        Refit::None => (None, lexical),
        refit => {
            let all: Vec<Example> = data.train.iter().chain(&data.valid).cloned().collect();
            let lexical = match lexical {
                Some(_) => Some(train_lexical(&all, &session.render, config.lexical_l2, config.seed)?),
                None => None,
            };
            let bert = match refit {
                Refit::All => Some(refit_bert(config, &session, &all, state.best_epoch, run.progress, &mut cache)?),
                _ => None,
            };
            (bert, lexical)
        }
    };
    if let (Some(path), Some(key)) = (&run.feature_cache, &cache_key) {
        cache.save(path, key)?;
    }
    let final_session = refit_session.as_ref().unwrap_or(&session);
    folder::write_atomically(
        out,
        &FolderContents {
            bert: &final_session.bert,
            varmap: &final_session.varmap,
            tokenizer_json: &final_session.tokenizer_json,
            settings: &settings,
            lexical: lexical.as_ref(),
            half: config.half,
            exemplars: exemplars.as_ref(),
        },
    )?;
    checkpoint.remove_partial()?;
    Ok(TrainOutcome {
        finished: true,
        history: state.history,
        best_epoch: state.best_epoch,
        temperature,
        threshold,
        message_threshold,
        report,
        valid_scores: scores,
    })
}
