//! Distillation: a student encoder of fewer layers, initialised from some of the teacher's layers, trained so that
//! its sentence embeddings match the teacher's, so that it keeps what the teacher knows about language at a
//! fraction of the cost.
//!
//! The target of each text is the teacher's mean-pooled last hidden state (the embedding multilingual-e5 was
//! trained to produce). The student learns to give the same direction twice: its own mean-pooled state (what
//! nearest-exemplar similarity reads) and its first-position state (`<s>`/`[CLS]`, what the Hugging Face
//! classification head reads). The loss is `(1 − cos(mean, t)) + cls_weight · (1 − cos(cls, t))`. By default the
//! embeddings stay frozen: pieces the distillation texts never show keep the teacher's vectors, which the student's
//! layers (initialised from the teacher's) still read.
//!
//! Matching each embedding's direction is not enough for similarity search: a student can agree with its teacher to
//! a mean cosine of 0.95 and still rank a text's nearest neighbours differently, because the differences between
//! related texts are small next to what all embeddings share. The neighbourhood term (`neighbour_weight`) makes the
//! student keep the teacher's neighbours: for each text, the teacher's similarities to every other training text
//! (its teacher embedding against the teacher's bank, a softmax at `neighbour_temperature`) are the target
//! distribution, and the student's similarities to the same bank the prediction (their Kullback–Leibler divergence).
//! The bank is made of constants, so the term costs one matrix product per shard and needs no cross-shard step.
//!
//! Reproducible as training is: seeded shuffles and dropout, a fixed shard count. The teacher's embeddings can be
//! cached in a file, keyed by the teacher's weights and the token ids, so a second run skips the teacher.

use crate::batch::{bucketed_batches, pad_batch};
use crate::error::{Result, TrainError};
use crate::folder::{replace_atomically, save_varmap, write};
use crate::freeze::FreezeConfig;
use crate::init::stream;
pub use crate::observe::DistillEpoch;
use crate::observe::{BatchDone, EpochStart, Event, Stage, TrainObserver};
use crate::optim::{AdamW, AdamWConfig};
use crate::schedule::{Decay, Schedule};
use crate::shard::{ops_single_threaded, shard_ranges, shard_rng};
use candle_core::backprop::GradStore;
use candle_core::{DType, Device, Tensor, D};
use candle_nn::{VarBuilder, VarMap};
use lurescan::model::BertEncoder;
use lurescan::tokenizer::LureTokenizer;
use lurescan::ModelFolder;
use lurescan::{BertConfig, Settings};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

const SHUFFLE: u64 = 21;
const DROPOUT: u64 = 22;

/// Distillation flags, recorded in the student's `lurescan.json` under `distillation.flags`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DistillConfig {
    /// The teacher layers the student starts from, in order (student layer i = teacher layer `layers[i]`).
    pub layers: Vec<usize>,
    pub epochs: usize,
    pub batch_size: usize,
    pub lr: f64,
    pub warmup_ratio: f64,
    pub max_grad_norm: f64,
    pub optimizer: AdamWConfig,
    pub seed: u64,
    /// Texts are cut to this many tokens (opening and closing tokens included).
    pub max_len: usize,
    /// Parallel shards per batch (part of the result, as in training).
    pub shards: usize,
    /// Keep the embeddings as the teacher has them.
    pub freeze_embeddings: bool,
    /// Weight of the first-position (`<s>`/`[CLS]`) term of the loss.
    pub cls_weight: f64,
    /// Dropout in the student while distilling.
    pub dropout: f64,
    /// Every this-many-th text is held out to measure agreement with the teacher (0: none).
    pub holdout_every: usize,
    /// Also match the directions relative to the mean teacher embedding, `cos(s − μ, t − μ)`, with this weight.
    /// Sentence embeddings share a common direction (cosines of unrelated texts run at 0.7–0.8 in e5), so the plain
    /// cosine can be high while the differences between texts, what similarity search reads, are lost.
    pub centered_weight: f64,
    /// Start from this student folder instead of the teacher's layers (to continue a distillation).
    pub student: Option<PathBuf>,
    /// Weight of the neighbourhood term: the student's mean-pooled embedding is to rank the other training texts'
    /// teacher embeddings as the teacher's own does (0: off).
    pub neighbour_weight: f64,
    /// Softmax temperature of the neighbourhood term, in cosine units (e5 was trained at 0.01).
    pub neighbour_temperature: f64,
}

impl Default for DistillConfig {
    fn default() -> Self {
        DistillConfig {
            layers: vec![0, 4, 8, 11],
            epochs: 2,
            batch_size: 32,
            lr: 1e-4,
            warmup_ratio: 0.06,
            max_grad_norm: 1.0,
            optimizer: AdamWConfig { weight_decay: 0.0, ..AdamWConfig::default() },
            seed: 42,
            max_len: 128,
            shards: 4,
            freeze_embeddings: true,
            cls_weight: 1.0,
            dropout: 0.0,
            holdout_every: 20,
            centered_weight: 1.0,
            student: None,
            neighbour_weight: 0.0,
            neighbour_temperature: 0.02,
        }
    }
}

impl DistillConfig {
    fn validate(&self, teacher_layers: usize) -> Result<()> {
        let bad = |m: String| Err(TrainError::Config(m));
        // A continued student brings its own layers; --layers only picks the teacher's for a new one.
        if self.student.is_none() && self.layers.is_empty() {
            return bad("--layers must name at least one teacher layer".into());
        }
        if let Some(&l) = self.layers.iter().find(|&&l| l >= teacher_layers).filter(|_| self.student.is_none()) {
            return bad(format!("--layers: the teacher has layers 0 to {}, not {l}", teacher_layers - 1));
        }
        if self.epochs == 0 || self.batch_size == 0 || self.shards == 0 {
            return bad("--epochs, --batch-size and --shards must be at least 1".into());
        }
        if self.max_len < 3 || self.max_len > 512 {
            return bad(format!("--max-len {} must be between 3 and 512", self.max_len));
        }
        let valid =
            self.neighbour_weight >= 0.0 && self.neighbour_temperature > 0.0 && self.neighbour_temperature.is_finite();
        if !valid {
            return bad(format!(
                "--neighbour-weight {} must be at least 0 and --neighbour-temperature {} above 0",
                self.neighbour_weight, self.neighbour_temperature
            ));
        }
        Ok(())
    }
}

/// What a run did.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DistillOutcome {
    /// Agreement of the student before any training (its layers as taken from the teacher): mean, first position.
    pub agreement_before: (f64, f64),
    /// Share of the teacher's 10 nearest training texts that the student also ranks among its 10 nearest, mean over
    /// the held-out texts, before training.
    pub neighbours_before: f64,
    /// The student's layers.
    pub layers: usize,
    pub history: Vec<DistillEpoch>,
    pub texts: usize,
    pub held_out: usize,
}

/// A model folder's encoder: config, tokenizer, settings and tensors.
pub struct Teacher {
    pub bert: BertConfig,
    pub tokenizer: LureTokenizer,
    pub tokenizer_json: String,
    pub settings: Settings,
    pub tensors: HashMap<String, Tensor>,
    pub encoder: BertEncoder,
    /// sha256 of `model.safetensors` (keys the embedding cache).
    pub weights_sha256: String,
}

impl Teacher {
    /// Loads the encoder of a model folder (`config.json`, `model.safetensors` with `bert.`-prefixed names,
    /// `tokenizer.json`, `lurescan.json`).
    pub fn load(dir: &Path) -> Result<Self> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|source| TrainError::Read { path, source })
        };
        let bert: BertConfig = serde_json::from_slice(&read(ModelFolder::CONFIG)?)?;
        let tokenizer_json = String::from_utf8_lossy(&read(ModelFolder::TOKENIZER)?).into_owned();
        let settings: Settings = match dir.join(ModelFolder::SETTINGS).exists() {
            true => serde_json::from_slice(&read(ModelFolder::SETTINGS)?)?,
            false => Settings::default(),
        };
        let weights = read(ModelFolder::WEIGHTS)?;
        let weights_sha256 = hex(&Sha256::digest(&weights));
        let path = dir.join(ModelFolder::WEIGHTS);
        let tensors: HashMap<String, Tensor> = candle_core::safetensors::load_buffer(&weights, &Device::Cpu)
            .map_err(|error| TrainError::Weights { path: path.clone(), error })?
            .into_iter()
            .map(|(k, t)| Ok((k, t.to_dtype(DType::F32)?)))
            .collect::<Result<_>>()?;
        let vb = VarBuilder::from_tensors(tensors.clone(), DType::F32, &Device::Cpu);
        let encoder = BertEncoder::load(vb.pp("bert"), &bert)
            .map_err(|e| TrainError::Checkpoint { path, message: format!("not a BERT encoder: {e}") })?;
        let tokenizer = LureTokenizer::from_bytes(tokenizer_json.as_bytes())?;
        Ok(Teacher { bert, tokenizer, tokenizer_json, settings, tensors, encoder, weights_sha256 })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Mean of `hidden` `[b, s, h]` over the positions where `mask` `[b, s]` (f32) is 1: `[b, h]`.
pub fn mean_pool(hidden: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
    let mask = mask.to_dtype(DType::F32)?;
    let summed = hidden.broadcast_mul(&mask.unsqueeze(2)?)?.sum(1)?;
    summed.broadcast_div(&mask.sum_keepdim(1)?)
}

/// Rows of `x` `[b, h]` scaled to unit length.
fn unit(x: &Tensor) -> candle_core::Result<Tensor> {
    x.broadcast_div(&(x.sqr()?.sum_keepdim(D::Minus1)? + 1e-12)?.sqrt()?)
}

/// Mean-pooled, unit-length embeddings of `ids` by `encoder` in inference mode, batches sorted by length and run in
/// parallel; in input order.
pub fn embed(encoder: &BertEncoder, ids: &[Vec<u32>], pad_id: u32, batch_size: usize) -> Result<Vec<Vec<f32>>> {
    pooled(encoder, ids, pad_id, batch_size, false)
}

fn pooled(encoder: &BertEncoder, ids: &[Vec<u32>], pad_id: u32, batch: usize, cls: bool) -> Result<Vec<Vec<f32>>> {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by_key(|&i| ids[i].len());
    let run = |chunk: &[usize]| -> Result<Vec<Vec<f32>>> {
        let seqs: Vec<&[u32]> = chunk.iter().map(|&i| ids[i].as_slice()).collect();
        let (input, mask) = pad_batch(&seqs, pad_id)?;
        let hidden = encoder.forward(&input, &mask, None)?;
        let v = if cls { hidden.narrow(1, 0, 1)?.squeeze(1)? } else { mean_pool(&hidden, &mask)? };
        Ok(unit(&v)?.to_vec2::<f32>()?)
    };
    let chunks: Vec<&[usize]> = order.chunks(batch.max(1)).collect();
    let results: Vec<Vec<Vec<f32>>> = if ops_single_threaded() {
        chunks.par_iter().map(|c| run(c)).collect::<Result<_>>()?
    } else {
        chunks.iter().map(|c| run(c)).collect::<Result<_>>()?
    };
    let mut out = vec![Vec::new(); ids.len()];
    for (&i, row) in order.iter().zip(results.into_iter().flatten()) {
        out[i] = row;
    }
    Ok(out)
}

/// The teacher's embeddings of `ids`, read from `cache` when it holds them for this teacher and these ids, else
/// computed (and written to `cache`).
fn teacher_embeddings(
    teacher: &Teacher,
    ids: &[Vec<u32>],
    cache: Option<&Path>,
    observer: &mut dyn TrainObserver,
) -> Result<Vec<Vec<f32>>> {
    let mut h = Sha256::new();
    h.update(teacher.weights_sha256.as_bytes());
    for seq in ids {
        h.update((seq.len() as u32).to_le_bytes());
        seq.iter().for_each(|t| h.update(t.to_le_bytes()));
    }
    let key = hex(&h.finalize());
    if let Some(path) = cache {
        let meta = path.with_extension("json");
        if let (Ok(stored), true) = (std::fs::read_to_string(&meta), path.exists()) {
            if serde_json::from_str::<serde_json::Value>(&stored).ok().and_then(|v| v["key"].as_str().map(String::from))
                == Some(key.clone())
            {
                let t = candle_core::safetensors::load(path, &Device::Cpu)?;
                if let Some(e) = t.get("embeddings") {
                    observer.event(&Event::TeacherCached { texts: ids.len(), path });
                    return Ok(e.to_vec2::<f32>()?);
                }
            }
        }
    }
    let started = Instant::now();
    observer.event(&Event::TeacherStart { texts: ids.len(), layers: teacher.bert.num_hidden_layers });
    let rows = embed(&teacher.encoder, ids, teacher.bert.pad_token_id, 32)?;
    let seconds = started.elapsed().as_secs_f64();
    observer.event(&Event::TeacherDone { seconds, texts_per_second: ids.len() as f64 / seconds });
    if let Some(path) = cache {
        let width = rows.first().map_or(0, Vec::len);
        let flat: Vec<f32> = rows.iter().flatten().copied().collect();
        let t = Tensor::from_vec(flat, (rows.len(), width), &Device::Cpu)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| TrainError::Write { path: parent.into(), source })?;
        }
        candle_core::safetensors::save(&HashMap::from([("embeddings".to_string(), t)]), path)?;
        write(&path.with_extension("json"), json!({ "key": key, "texts": ids.len() }).to_string().as_bytes())?;
    }
    Ok(rows)
}

/// The student's config and starting tensors: the teacher's embeddings and its layers `layers` renumbered.
pub fn student_init(teacher: &Teacher, layers: &[usize]) -> (BertConfig, HashMap<String, Tensor>) {
    let mut bert = teacher.bert.clone();
    bert.num_hidden_layers = layers.len();
    let mut tensors = HashMap::new();
    for (name, t) in &teacher.tensors {
        if name.starts_with("bert.embeddings.") {
            tensors.insert(name.clone(), t.clone());
        } else if let Some(rest) = name.strip_prefix("bert.encoder.layer.") {
            let (layer, tail) = rest.split_once('.').unwrap_or((rest, ""));
            if let Some(i) = layer.parse::<usize>().ok().and_then(|l| layers.iter().position(|&x| x == l)) {
                tensors.insert(format!("bert.encoder.layer.{i}.{tail}"), t.clone());
            }
        }
    }
    (bert, tensors)
}

/// What one shard's loss needs besides its texts.
struct LossSpec<'a> {
    pad_id: u32,
    cls_weight: f64,
    centered_weight: f64,
    /// The mean teacher embedding `[1, hidden]`.
    centre: &'a Tensor,
    batch_len: usize,
    /// The neighbourhood term's weight and temperature, and its bank: the training texts' teacher embeddings,
    /// transposed `[hidden, texts]`.
    neighbour_weight: f64,
    neighbour_temperature: f64,
    bank: &'a Tensor,
}

/// A shard's rows and where each sits in the neighbourhood bank (its own entry is left out of its neighbours).
struct ShardRows<'a> {
    seqs: &'a [&'a [u32]],
    targets: &'a [&'a [f32]],
    bank_positions: &'a [usize],
}

/// `[rows, bank]` additive mask: a large negative number at each row's own bank entry, 0 elsewhere.
fn self_mask(bank_positions: &[usize], bank_len: usize) -> candle_core::Result<Tensor> {
    let mut mask = vec![0f32; bank_positions.len() * bank_len];
    for (row, &p) in bank_positions.iter().enumerate() {
        mask[row * bank_len + p] = -1e9;
    }
    Tensor::from_vec(mask, (bank_positions.len(), bank_len), &Device::Cpu)
}

/// Σ over rows of KL(teacher ‖ student) between the softmaxes of the rows' similarities to `bank` `[hidden, n]`:
/// `teacher` and `student` are unit rows `[rows, hidden]`; `mask` leaves each row's own entry out.
fn neighbourhood_kl(
    student: &Tensor,
    teacher: &Tensor,
    bank: &Tensor,
    mask: &Tensor,
    temperature: f64,
) -> candle_core::Result<Tensor> {
    let logits = |x: &Tensor| (x.matmul(bank)? / temperature)?.broadcast_add(mask);
    let log_p = candle_nn::ops::log_softmax(&logits(teacher)?, D::Minus1)?.detach();
    let log_q = candle_nn::ops::log_softmax(&logits(student)?, D::Minus1)?;
    (log_p.exp()? * (log_p - log_q)?)?.sum_all()
}

/// Cosine (and neighbourhood) loss of one shard and its gradients.
fn shard_step(
    student: &BertEncoder,
    rows: &ShardRows,
    spec: &LossSpec,
    rng_seed: (u64, usize),
) -> Result<(f64, GradStore)> {
    let (seqs, targets) = (rows.seqs, rows.targets);
    let (input, mask) = pad_batch(seqs, spec.pad_id)?;
    let mut rng = shard_rng(rng_seed.0, rng_seed.1);
    let hidden = student.forward(&input, &mask, Some(&mut rng))?;
    let width = targets[0].len();
    let t = Tensor::from_vec(targets.concat(), (targets.len(), width), &Device::Cpu)?;
    let t_centred = unit(&t.broadcast_sub(spec.centre)?)?;
    // Σ (1 − cos(v, t)) + centered_weight · Σ (1 − cos(unit(v) − μ, t − μ)) over the shard's rows.
    let term = |v: &Tensor| -> candle_core::Result<Tensor> {
        let v = unit(v)?;
        let n = v.dim(0)? as f64;
        let plain = (n - (&v * &t)?.sum_all()?)?;
        let centred = (n - (unit(&v.broadcast_sub(spec.centre)?)? * &t_centred)?.sum_all()?)?;
        plain + (centred * spec.centered_weight)?
    };
    let mean = mean_pool(&hidden, &mask)?;
    let mean_term = term(&mean)?;
    let cls_term = term(&hidden.narrow(1, 0, 1)?.squeeze(1)?)?;
    let mut loss = (mean_term + (cls_term * spec.cls_weight)?)?;
    if spec.neighbour_weight > 0.0 {
        let mask = self_mask(rows.bank_positions, spec.bank.dim(1)?)?;
        let kl = neighbourhood_kl(&unit(&mean)?, &unit(&t)?, spec.bank, &mask, spec.neighbour_temperature)?;
        loss = (loss + (kl * spec.neighbour_weight)?)?;
    }
    let loss = (loss / spec.batch_len as f64)?;
    let grads = loss.backward()?;
    Ok((loss.to_scalar::<f32>()? as f64, grads))
}

/// How far the student agrees with its teacher on held-out texts.
struct Agreement {
    /// Mean cosine of the student's mean-pooled and first-position embeddings with the teacher's.
    mean: f64,
    cls: f64,
    /// Share of the teacher's 10 nearest bank texts that the student also puts among its 10 nearest (mean).
    neighbours: f64,
}

/// The `k` largest entries' column indices of each row of `sims` `[rows, n]`.
fn top_k(sims: &Tensor, k: usize) -> Result<Vec<Vec<u32>>> {
    let order = sims.arg_sort_last_dim(false)?;
    let k = k.min(sims.dim(1)?);
    Ok(order.narrow(1, 0, k)?.to_vec2::<u32>()?)
}

/// The student's agreement with `targets` on `ids`; `bank` `[hidden, n]` is what neighbours are looked up in.
fn agreement(
    student: &BertEncoder,
    ids: &[Vec<u32>],
    targets: &[Vec<f32>],
    bank: &Tensor,
    pad_id: u32,
) -> Result<Agreement> {
    if ids.is_empty() {
        return Ok(Agreement { mean: f64::NAN, cls: f64::NAN, neighbours: f64::NAN });
    }
    let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| (x * y) as f64).sum::<f64>();
    let mean = pooled(student, ids, pad_id, 32, false)?;
    let cls = pooled(student, ids, pad_id, 32, true)?;
    let n = ids.len() as f64;
    let matrix = |rows: &[Vec<f32>]| Tensor::from_vec(rows.concat(), (rows.len(), rows[0].len()), &Device::Cpu);
    const K: usize = 10;
    let theirs = top_k(&matrix(targets)?.matmul(bank)?, K)?;
    let ours = top_k(&matrix(&mean)?.matmul(bank)?, K)?;
    let shared: usize = theirs.iter().zip(&ours).map(|(t, o)| t.iter().filter(|i| o.contains(i)).count()).sum();
    Ok(Agreement {
        mean: mean.iter().zip(targets).map(|(a, b)| dot(a, b)).sum::<f64>() / n,
        cls: cls.iter().zip(targets).map(|(a, b)| dot(a, b)).sum::<f64>() / n,
        neighbours: shared as f64 / (ids.len() * K.min(bank.dim(1)?)) as f64,
    })
}

/// Distils a student from the teacher folder `teacher_dir` on `texts` (already rendered) and writes it to `out`
/// (atomically): an encoder folder that `lurescan train --init` fine-tunes. `cache` keeps the teacher's embeddings.
pub fn distill(
    config: &DistillConfig,
    teacher_dir: &Path,
    texts: &[String],
    sources: &[PathBuf],
    out: &Path,
    cache: Option<&Path>,
    observer: &mut dyn TrainObserver,
) -> Result<DistillOutcome> {
    let teacher = Teacher::load(teacher_dir)?;
    config.validate(teacher.bert.num_hidden_layers)?;
    if texts.is_empty() {
        return Err(TrainError::Config("no texts to distil on".into()));
    }
    let inputs: Vec<&Path> = sources.iter().map(PathBuf::as_path).chain([teacher_dir]).collect();
    crate::folder::check_out(out, &inputs)?;
    let max_len = config.max_len.min(teacher.bert.max_position_embeddings);
    let ids = teacher.tokenizer.encode_batch(texts, max_len)?;
    let targets = teacher_embeddings(&teacher, &ids, cache, observer)?;
    let pad_id = teacher.bert.pad_token_id;

    let held: Vec<bool> = (0..ids.len()).map(|i| config.holdout_every > 0 && i % config.holdout_every == 0).collect();
    let (train_idx, held_idx): (Vec<usize>, Vec<usize>) = (0..ids.len()).partition(|&i| !held[i]);
    let held_ids: Vec<Vec<u32>> = held_idx.iter().map(|&i| ids[i].clone()).collect();
    let held_targets: Vec<Vec<f32>> = held_idx.iter().map(|&i| targets[i].clone()).collect();

    let (mut bert, tensors) = match &config.student {
        None => student_init(&teacher, &config.layers),
        Some(dir) => {
            let s = Teacher::load(dir)?;
            if s.tokenizer_json != teacher.tokenizer_json {
                return Err(TrainError::Config(format!(
                    "--student {}: its tokenizer is not the teacher's",
                    dir.display()
                )));
            }
            (s.bert, s.tensors)
        }
    };
    let width = targets.first().map_or(0, Vec::len);
    let mut centre = vec![0f32; width];
    for &i in &train_idx {
        centre.iter_mut().zip(&targets[i]).for_each(|(c, t)| *c += t / train_idx.len() as f32);
    }
    let centre = Tensor::from_vec(centre, (1, width), &Device::Cpu)?;
    // The training texts' teacher embeddings, transposed: the neighbourhood term's bank (position k = train_idx[k]).
    let bank_rows: Vec<f32> = train_idx.iter().flat_map(|&i| targets[i].iter().copied()).collect();
    let bank = Tensor::from_vec(bank_rows, (train_idx.len(), width), &Device::Cpu)?.t()?.contiguous()?;
    // The student folder is an encoder (`BertModel`), whatever folder the teacher or the continued student is: a
    // classifier's config would name a pooler and head that the student's weights do not hold.
    let written = BertConfig {
        architectures: vec!["BertModel".into()],
        num_hidden_layers: bert.num_hidden_layers,
        ..teacher.bert.clone()
    };
    bert.hidden_dropout_prob = config.dropout;
    bert.attention_probs_dropout_prob = config.dropout;
    let varmap = VarMap::new();
    let freeze = FreezeConfig { embeddings: config.freeze_embeddings, ..FreezeConfig::default() };
    let student = BertEncoder::load(crate::freeze::var_builder(&varmap, freeze).pp("bert"), &bert)?;
    for (name, var) in varmap.data().lock().expect("var map lock").iter() {
        let t = tensors.get(name).ok_or_else(|| TrainError::Checkpoint {
            path: teacher_dir.join(ModelFolder::WEIGHTS),
            message: format!("tensor {name} is missing"),
        })?;
        var.set(t)?;
    }
    let trainable: Vec<(String, candle_core::Var)> = varmap
        .data()
        .lock()
        .expect("var map lock")
        .iter()
        .filter(|(k, _)| !freeze.frozen(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut optimizer = AdamW::new(trainable, config.optimizer.clone())?;
    let steps = train_idx.len().div_ceil(config.batch_size) * config.epochs;
    let schedule = Schedule::with_warmup_ratio(config.lr, config.warmup_ratio, steps, Decay::Linear);

    let before = agreement(&student, &held_ids, &held_targets, &bank, pad_id)?;
    observer.event(&Event::StudentStart {
        layers: if config.student.is_some() { &[] } else { &config.layers },
        held_out: held_ids.len(),
        agreement_mean: before.mean,
        agreement_cls: before.cls,
        neighbours: before.neighbours,
    });
    let lengths: Vec<usize> = train_idx.iter().map(|&i| ids[i].len()).collect();
    let mut history = Vec::new();
    let mut step = 0;
    for epoch in 1..=config.epochs {
        let batches = bucketed_batches(&lengths, config.batch_size, 32, &mut stream(config.seed, epoch, SHUFFLE));
        let mut dropout_rng = stream(config.seed, epoch, DROPOUT);
        observer.epoch_start(&EpochStart {
            stage: Stage::Distill,
            epoch,
            epochs: config.epochs,
            batches: batches.len(),
        });
        let started = Instant::now();
        let (mut loss_sum, mut seen) = (0f64, 0usize);
        for batch in &batches {
            let seqs: Vec<&[u32]> = batch.iter().map(|&b| ids[train_idx[b]].as_slice()).collect();
            let tgts: Vec<&[f32]> = batch.iter().map(|&b| targets[train_idx[b]].as_slice()).collect();
            let seed = dropout_rng.next_u64();
            let ranges = shard_ranges(seqs.len(), config.shards);
            let spec = LossSpec {
                pad_id,
                cls_weight: config.cls_weight,
                centered_weight: config.centered_weight,
                centre: &centre,
                batch_len: seqs.len(),
                neighbour_weight: config.neighbour_weight,
                neighbour_temperature: config.neighbour_temperature,
                bank: &bank,
            };
            let run = |(s, r): (usize, &std::ops::Range<usize>)| {
                let rows =
                    ShardRows { seqs: &seqs[r.clone()], targets: &tgts[r.clone()], bank_positions: &batch[r.clone()] };
                shard_step(&student, &rows, &spec, (seed, s))
            };
            let results: Vec<(f64, GradStore)> = if ops_single_threaded() {
                ranges.par_iter().enumerate().map(run).collect::<Result<_>>()?
            } else {
                ranges.iter().enumerate().map(run).collect::<Result<_>>()?
            };
            let loss: f64 = results.iter().map(|(l, _)| l).sum();
            let grads: Vec<GradStore> = results.into_iter().map(|(_, g)| g).collect();
            optimizer.step(&grads, schedule.lr(step), config.max_grad_norm)?;
            step += 1;
            loss_sum += loss * batch.len() as f64;
            seen += batch.len();
            let rate = seen as f64 / started.elapsed().as_secs_f64().max(1e-9);
            observer.batch_done(&BatchDone { loss: loss_sum / seen as f64, sequences_per_second: rate });
        }
        observer.epoch_end();
        let rate = seen as f64 / started.elapsed().as_secs_f64().max(1e-9);
        let after = agreement(&student, &held_ids, &held_targets, &bank, pad_id)?;
        let log = DistillEpoch {
            epoch,
            loss: loss_sum / seen.max(1) as f64,
            agreement_mean: after.mean,
            agreement_cls: after.cls,
            neighbours: after.neighbours,
            sequences_per_second: rate,
        };
        observer.event(&Event::DistillEpoch { log: &log, epochs: config.epochs });
        history.push(log);
    }

    let outcome = DistillOutcome {
        agreement_before: (before.mean, before.cls),
        neighbours_before: before.neighbours,
        layers: written.num_hidden_layers,
        history,
        texts: ids.len(),
        held_out: held_ids.len(),
    };
    let mut extra = Map::new();
    extra.insert(
        "distillation".into(),
        json!({
            "tool": format!("lurescan-train {}", env!("CARGO_PKG_VERSION")),
            "teacher": { "path": teacher_dir, "model_sha256": teacher.weights_sha256, "layers": teacher.bert.num_hidden_layers },
            "flags": config,
            "data": sources,
            "outcome": outcome,
        }),
    );
    let settings =
        Settings { max_length: max_len, render: teacher.settings.render.clone(), extra, ..Settings::default() };
    replace_atomically(out, |tmp| {
        write(&tmp.join(ModelFolder::CONFIG), &serde_json::to_vec_pretty(&written)?)?;
        save_varmap(&varmap, &tmp.join(ModelFolder::WEIGHTS))?;
        write(&tmp.join(ModelFolder::TOKENIZER), teacher.tokenizer_json.as_bytes())?;
        write(&tmp.join(ModelFolder::SETTINGS), &serde_json::to_vec_pretty(&settings)?)
    })?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(v: &[[f32; 3]]) -> Tensor {
        let t = Tensor::from_vec(v.concat(), (v.len(), 3), &Device::Cpu).unwrap();
        unit(&t).unwrap()
    }

    fn kl(student: &Tensor, teacher: &Tensor, bank: &Tensor, own: &[usize]) -> f32 {
        let mask = self_mask(own, bank.dim(1).unwrap()).unwrap();
        neighbourhood_kl(student, teacher, bank, &mask, 0.1).unwrap().to_scalar::<f32>().unwrap()
    }

    #[test]
    fn the_neighbourhood_term_is_zero_only_when_the_rankings_agree() {
        let bank = rows(&[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.7, 0.7, 0.0], [0.0, 0.0, 1.0]]).t().unwrap();
        let teacher = rows(&[[1.0, 0.2, 0.0]]);
        assert!(kl(&teacher, &teacher, &bank, &[3]).abs() < 1e-6);
        // Same first neighbour, other order behind it: a positive divergence.
        let student = rows(&[[1.0, 0.0, 0.3]]);
        assert!(kl(&student, &teacher, &bank, &[3]) > 0.01);
    }

    #[test]
    fn a_text_is_not_its_own_neighbour() {
        // With the row's own bank entry masked, the divergence is the one over the other entries alone.
        let bank = rows(&[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.6, 0.8, 0.0]]);
        let (teacher, student) = (rows(&[[0.0, 1.0, 0.1]]), rows(&[[0.5, 0.5, 0.2]]));
        let masked = kl(&student, &teacher, &bank.t().unwrap(), &[1]);
        let others = Tensor::cat(&[bank.narrow(0, 0, 1).unwrap(), bank.narrow(0, 2, 1).unwrap()], 0).unwrap();
        let mask_nothing = Tensor::zeros((1, 2), DType::F32, &Device::Cpu).unwrap();
        let direct = neighbourhood_kl(&student, &teacher, &others.t().unwrap(), &mask_nothing, 0.1)
            .unwrap()
            .to_scalar::<f32>()
            .unwrap();
        assert!((masked - direct).abs() < 1e-5, "{masked} vs {direct}");
        assert!(masked > 0.0);
    }

    #[test]
    fn descending_the_neighbourhood_term_recovers_the_teachers_ranking() {
        // A free student vector learns, from the divergence alone, to rank a bank of five as the teacher does.
        let bank =
            rows(&[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.6, 0.6, 0.0], [0.0, 0.6, 0.6]]).t().unwrap();
        let teacher = rows(&[[0.2, 0.9, 0.4]]);
        let student = candle_core::Var::from_tensor(&rows(&[[0.9, 0.1, 0.1]])).unwrap();
        let mask = Tensor::zeros((1, 5), DType::F32, &Device::Cpu).unwrap();
        let rank = |v: &Tensor| top_k(&v.matmul(&bank).unwrap(), 5).unwrap();
        assert_ne!(rank(&student), rank(&teacher));
        let first = neighbourhood_kl(&unit(&student).unwrap(), &teacher, &bank, &mask, 0.1).unwrap();
        for _ in 0..300 {
            let loss = neighbourhood_kl(&unit(&student).unwrap(), &teacher, &bank, &mask, 0.1).unwrap();
            let grad = loss.backward().unwrap().get(&student).unwrap().clone();
            student.set(&(student.as_tensor() - (grad * 0.5).unwrap()).unwrap()).unwrap();
        }
        let last = neighbourhood_kl(&unit(&student).unwrap(), &teacher, &bank, &mask, 0.1).unwrap();
        let (first, last) = (first.to_scalar::<f32>().unwrap(), last.to_scalar::<f32>().unwrap());
        assert!(last < first * 0.05, "{first} -> {last}");
        assert_eq!(rank(&unit(&student).unwrap()), rank(&teacher));
    }
}
