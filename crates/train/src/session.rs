//! [`Session`]: the model being trained with its tokenizer, rendering and frozen parts; how a run starts it (from
//! scratch or from a model folder), and its weights and validation margins.

use crate::batch::pad_batch;
use crate::config::TrainConfig;
use crate::data::TrainData;
use crate::error::{Result, TrainError};
use crate::freeze::{FeatureCache, FreezeConfig};
use crate::init::{seeded_init, seeded_init_where};
use crate::observe::{Event, TrainObserver};
use crate::optim::{AdamW, AdamWConfig};
use crate::shard::ops_single_threaded;
use crate::tokenizer::train_tokenizer;
use candle_core::{Device, Tensor};
use candle_nn::VarMap;
use lurescan::model::BertForSequenceClassification;
use lurescan::tokenizer::LureTokenizer;
use lurescan::ModelFolder;
use lurescan::{render, BertConfig, RenderConfig, Settings};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

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

/// The weights [`crate::train`] starts from with these flags and data (before the first step): seeded ones, or those of
/// `config.init` with a fresh classification head where the folder has none.
pub fn initial_weights(config: &TrainConfig, data: &TrainData) -> Result<HashMap<String, Tensor>> {
    Session::initial(config, data, &mut ())?.weights()
}

impl Session {
    /// The model as the scoring code sees it, with `settings` (rendering, maximum length, exemplar settings).
    pub(crate) fn parts<'a>(&'a self, settings: &'a lurescan::Settings) -> crate::exemplars::Parts<'a> {
        crate::exemplars::Parts { bert: &self.bert, settings, tokenizer: &self.tokenizer, model: &self.model }
    }

    /// The model a new run starts from: `config.init`, or a new model whose tokenizer is trained on `data.train`.
    pub(crate) fn initial(config: &TrainConfig, data: &TrainData, observer: &mut dyn TrainObserver) -> Result<Self> {
        match &config.init {
            Some(dir) => Session::from_folder(dir, config, observer),
            None => {
                let texts: Vec<String> = data.train.iter().map(|e| render(&e.record, &config.render)).collect();
                Session::from_scratch(config, &texts)
            }
        }
    }

    /// A new model: tokenizer trained on `texts`, config from the flags, seeded weights.
    pub(crate) fn from_scratch(config: &TrainConfig, texts: &[String]) -> Result<Self> {
        let tokenizer = train_tokenizer(texts, config.shape.vocab_size)?;
        let tokenizer_json = tokenizer.to_string(false).map_err(TrainError::tokenizer)?;
        let bert = config.bert_config(tokenizer.get_vocab_size(true));
        let session = Session::build(bert, &tokenizer_json, config.render.clone(), config.freeze)?;
        seeded_init(&session.varmap, &session.bert, config.seed)?;
        Ok(session)
    }

    /// An existing model folder, to fine-tune: a classifier, or an encoder from [`crate::pretrain`], whose pooler
    /// and classifier are then initialised from `config.seed` (as a classifier's are with `config.fresh_head`) and
    /// whose masked-LM head (`cls.predictions.*`) is left out.
    /// It keeps the folder's rendering (its tokenizer was made for it), with deobfuscation and Traditional Chinese read
    /// as Simplified turned on when the folder or `asked` (the training config's rendering) turns them on: those read
    /// words and characters, not the tokenizer's pieces.
    pub(crate) fn from_folder(dir: &Path, config: &TrainConfig, observer: &mut dyn TrainObserver) -> Result<Self> {
        let (seed, asked) = (config.seed, &config.render);
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|source| TrainError::Read { path, source })
        };
        let mut bert: BertConfig = serde_json::from_str(&read(ModelFolder::CONFIG)?)?;
        bert.architectures = vec!["BertForSequenceClassification".into()];
        let settings: Settings = serde_json::from_str(&read(ModelFolder::SETTINGS)?)?;
        let render = RenderConfig {
            deobfuscate: settings.render.deobfuscate || asked.deobfuscate,
            fold_traditional: settings.render.fold_traditional || asked.fold_traditional,
            markup: settings.render.markup || asked.markup,
            ..settings.render
        };
        let session = Session::build(bert, &read(ModelFolder::TOKENIZER)?, render, config.freeze)?;
        let path = dir.join(ModelFolder::WEIGHTS);
        crate::folder::check_weights(&path)?;
        let mut tensors = candle_core::safetensors::load(&path, &Device::Cpu)
            .map_err(|error| TrainError::Weights { path: path.clone(), error })?;
        // A folder stored in float16 trains in float32.
        for t in tensors.values_mut() {
            *t = t.to_dtype(candle_core::DType::F32)?;
        }
        let names: Vec<String> = session.varmap.data().lock().expect("var map lock").keys().cloned().collect();
        let is_head = |name: &str| name.starts_with("bert.pooler.") || name.starts_with("classifier.");
        if config.fresh_head {
            tensors.retain(|name, _| !is_head(name));
        }
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
        if !missing.is_empty() || !unused.is_empty() {
            observer.event(&Event::InitFrom {
                dir,
                fresh_head_seed: (!missing.is_empty()).then_some(seed),
                head_dropped: config.fresh_head,
                unused: unused.len(),
                unused_are_mlm_head: unused.iter().all(|k| k.starts_with("cls.predictions.")),
            });
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
    pub(crate) fn optimizer(&self, config: &AdamWConfig) -> Result<AdamW> {
        let layers = self.bert.num_hidden_layers;
        Ok(AdamW::with_lr_scales(self.named_vars(), config.clone(), |name| self.freeze.lr_scale(name, layers))?)
    }

    /// A digest of the encoder's weights (everything below the pooler): keys cached features.
    pub(crate) fn encoder_key(&self) -> Result<String> {
        use sha2::{Digest, Sha256};
        let vars = self.varmap.data().lock().expect("var map lock");
        let mut names: Vec<&String> =
            vars.keys().filter(|n| n.starts_with("bert.") && !n.starts_with("bert.pooler.")).collect();
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
    pub(crate) fn head_only(&self) -> bool {
        self.freeze.whole_encoder(self.bert.num_hidden_layers)
    }

    /// `[CLS]` features of `seqs`, in inference mode, one sequence at a time (in parallel): a sequence's features
    /// never depend on which others were computed with it, so cached features from another run are bit for bit
    /// those this run would compute, and the trained weights do not depend on the cache.
    pub(crate) fn features(&self, seqs: &[&[u32]], _batch_size: usize) -> Result<Vec<Vec<f32>>> {
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
            .map_err(|error| TrainError::Weights { path: path.to_path_buf(), error })?;
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
    pub(crate) fn named_vars(&self) -> Vec<(String, candle_core::Var)> {
        let vars = self.varmap.data().lock().expect("var map lock");
        vars.iter().filter(|(k, _)| !self.freeze.frozen(k)).map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    pub(crate) fn encode(&self, records: impl Iterator<Item = String>, max_len: usize) -> Result<Vec<Vec<u32>>> {
        let texts: Vec<String> = records.collect();
        Ok(self.tokenizer.encode_batch(&texts, max_len)?)
    }

    /// [`Self::margins`], through `cache` when only the head trains (the encoder's features do not change).
    pub(crate) fn margins_cached(
        &self,
        ids: &[Vec<u32>],
        batch_size: usize,
        cache: &mut FeatureCache,
    ) -> Result<Vec<f32>> {
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
