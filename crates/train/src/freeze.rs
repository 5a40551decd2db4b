//! Which weights a run trains: frozen lower layers, layer-wise learning-rate decay, and the feature cache that a
//! wholly frozen encoder allows.
//!
//! A frozen weight stays a `Var` of the run's `VarMap` (so checkpoints and the written folder hold every tensor),
//! but the model is built from a view of the map that hands out *detached* tensors for frozen names: they share the
//! variable's storage, record no backward op, so backpropagation stops below the lowest trainable layer and never
//! builds a gradient for the 64k-row word embedding table of a multilingual encoder.

use candle_core::{DType, Device, Result, Shape, Tensor};
use candle_nn::var_builder::SimpleBackend;
use candle_nn::{Init, VarBuilder, VarMap};
use serde::{Deserialize, Serialize};

/// What is frozen and how the learning rate falls with depth; part of [`crate::TrainConfig`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FreezeConfig {
    /// Keep the embeddings (word, position, token type and their LayerNorm) as they are.
    pub embeddings: bool,
    /// Keep the lowest this many encoder layers as they are (the embeddings too, when at least 1). At least the
    /// model's layer count freezes the whole encoder: only the pooler and classifier train, on features computed
    /// once (see [`FeatureCache`]).
    pub layers: usize,
    /// Layer-wise learning-rate decay: encoder layer `i` of `L` trains at `lr · decay^(L − i)`, the embeddings at
    /// `lr · decay^(L + 1)`, the pooler and classifier at `lr`. 1 = one rate for all.
    pub layer_lr_decay: f64,
}

impl Default for FreezeConfig {
    fn default() -> Self {
        FreezeConfig { embeddings: false, layers: 0, layer_lr_decay: 1.0 }
    }
}

/// The encoder layer a weight belongs to: `Some(i)` for `bert.encoder.layer.i.*`, `None` otherwise.
fn layer_of(name: &str) -> Option<usize> {
    name.strip_prefix("bert.encoder.layer.")?.split('.').next()?.parse().ok()
}

impl FreezeConfig {
    /// Whether the weight `name` is frozen.
    pub fn frozen(&self, name: &str) -> bool {
        if name.starts_with("bert.embeddings.") {
            return self.embeddings || self.layers > 0;
        }
        layer_of(name).is_some_and(|i| i < self.layers)
    }

    /// Whether nothing below the pooler trains in a model of `layers` encoder layers.
    pub fn whole_encoder(&self, layers: usize) -> bool {
        self.layers >= layers
    }

    /// The learning-rate multiplier of the weight `name` in a model of `layers` encoder layers.
    pub fn lr_scale(&self, name: &str, layers: usize) -> f64 {
        let depth = if name.starts_with("bert.embeddings.") {
            layers + 1
        } else {
            match layer_of(name) {
                Some(i) => layers.saturating_sub(i),
                None => 0,
            }
        };
        self.layer_lr_decay.powi(depth as i32)
    }

    /// Checks the values.
    pub fn validate(&self) -> std::result::Result<(), String> {
        if !(self.layer_lr_decay > 0.0 && self.layer_lr_decay <= 1.0) {
            return Err(format!("--layer-lr-decay {} must be in (0, 1]", self.layer_lr_decay));
        }
        Ok(())
    }
}

/// A `VarMap` seen through a freeze rule: frozen names come out detached.
struct Freezing {
    varmap: VarMap,
    config: FreezeConfig,
}

impl SimpleBackend for Freezing {
    fn get(&self, s: Shape, name: &str, h: Init, dtype: DType, dev: &Device) -> Result<Tensor> {
        let t = self.varmap.get(s, name, h, dtype, dev)?;
        Ok(if self.config.frozen(name) { t.detach() } else { t })
    }

    fn get_unchecked(&self, name: &str, dtype: DType, dev: &Device) -> Result<Tensor> {
        let t = <VarMap as SimpleBackend>::get_unchecked(&self.varmap, name, dtype, dev)?;
        Ok(if self.config.frozen(name) { t.detach() } else { t })
    }

    fn contains_tensor(&self, name: &str) -> bool {
        self.varmap.data().lock().expect("var map lock").contains_key(name)
    }
}

/// A `VarBuilder` over `varmap` (f32, CPU) whose frozen weights record no gradient.
pub fn var_builder(varmap: &VarMap, config: FreezeConfig) -> VarBuilder<'static> {
    let backend: Box<dyn SimpleBackend> = Box::new(Freezing { varmap: varmap.clone(), config });
    VarBuilder::from_backend(backend, DType::F32, Device::Cpu)
}

/// The `[CLS]` features of a wholly frozen encoder, by token ids, computed once and reused by every epoch (and
/// the refit): training then costs a forward pass of the encoder per distinct input, not one per epoch. It can be
/// kept in a file between runs ([`FeatureCache::load`], [`FeatureCache::save`]), keyed by the encoder's weights.
#[derive(Debug, Default)]
pub struct FeatureCache {
    features: std::collections::HashMap<Vec<u32>, Vec<f32>>,
    /// Entries added since the cache was created or loaded.
    added: usize,
}

impl FeatureCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The cache in `path` if it was saved for an encoder with this `key`; else an empty one. The key is read from
    /// the file itself (a `key` tensor of UTF-8 bytes); a file from before it had one is matched by the key in the
    /// `.json` beside it.
    pub fn load(path: &std::path::Path, key: &str) -> crate::Result<Self> {
        if !path.exists() {
            return Ok(Self::new());
        }
        let unreadable = |message: String| crate::TrainError::Checkpoint { path: path.to_path_buf(), message };
        let t = candle_core::safetensors::load(path, &Device::Cpu)
            .map_err(|e| unreadable(format!("feature cache unreadable ({e}): delete it")))?;
        let stored = match t.get("key") {
            Some(bytes) => String::from_utf8(bytes.to_vec1::<u8>()?).ok(),
            None => std::fs::read_to_string(path.with_extension("json"))
                .ok()
                .and_then(|meta| serde_json::from_str::<serde_json::Value>(&meta).ok())
                .and_then(|meta| meta["key"].as_str().map(str::to_string)),
        };
        if stored.as_deref() != Some(key) {
            return Ok(Self::new());
        }
        let get = |name: &str| {
            t.get(name).cloned().ok_or_else(|| unreadable(format!("feature cache lacks {name}: delete it")))
        };
        let lengths = get("lengths")?.to_vec1::<u32>()?;
        let ids = get("ids")?.to_vec1::<u32>()?;
        let features = get("features")?.to_vec2::<f32>()?;
        let mut out = Self::new();
        let mut start = 0;
        for (len, row) in lengths.iter().zip(features) {
            let end = start + *len as usize;
            out.features.insert(ids[start..end].to_vec(), row);
            start = end;
        }
        Ok(out)
    }

    /// Writes the cache, with its key, to `path` if anything was added (and the key beside it, `path` with extension
    /// `.json`, for people and for older readers).
    pub fn save(&self, path: &std::path::Path, key: &str) -> crate::Result<()> {
        if self.added == 0 || self.features.is_empty() {
            return Ok(());
        }
        let mut entries: Vec<(&Vec<u32>, &Vec<f32>)> = self.features.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        let lengths: Vec<u32> = entries.iter().map(|(k, _)| k.len() as u32).collect();
        let ids: Vec<u32> = entries.iter().flat_map(|(k, _)| k.iter().copied()).collect();
        let width = entries[0].1.len();
        let rows: Vec<f32> = entries.iter().flat_map(|(_, v)| v.iter().copied()).collect();
        let n = entries.len();
        let key_bytes = key.as_bytes().to_vec();
        let tensors = std::collections::HashMap::from([
            ("key".to_string(), Tensor::from_vec(key_bytes, key.len(), &Device::Cpu)?),
            ("lengths".to_string(), Tensor::from_vec(lengths, n, &Device::Cpu)?),
            ("ids".to_string(), Tensor::new(ids.as_slice(), &Device::Cpu)?),
            ("features".to_string(), Tensor::from_vec(rows, (n, width), &Device::Cpu)?),
        ]);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|source| crate::TrainError::Write { path: parent.to_path_buf(), source })?;
        }
        // Written beside it and renamed over it, key and features in one file: a run killed while saving, or one
        // reading the cache while another saves it, sees the old cache or the new one, never half of one.
        let partial = path.with_extension(format!("partial-{}", std::process::id()));
        let written =
            candle_core::safetensors::save(&tensors, &partial).map_err(crate::TrainError::from).and_then(|()| {
                std::fs::rename(&partial, path)
                    .map_err(|source| crate::TrainError::Write { path: path.to_path_buf(), source })
            });
        if written.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        written?;
        let meta = serde_json::json!({ "key": key, "entries": n }).to_string();
        std::fs::write(path.with_extension("json"), meta)
            .map_err(|source| crate::TrainError::Write { path: path.with_extension("json"), source })
    }

    pub fn len(&self) -> usize {
        self.features.len()
    }

    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// Computes (with `compute`, given the missing sequences sorted by length) the features of every sequence of
    /// `ids` not cached yet.
    pub fn fill(
        &mut self,
        ids: &[Vec<u32>],
        compute: impl Fn(&[&[u32]]) -> crate::Result<Vec<Vec<f32>>>,
    ) -> crate::Result<()> {
        let mut missing: Vec<&[u32]> =
            ids.iter().filter(|s| !self.features.contains_key(*s)).map(Vec::as_slice).collect();
        missing.sort_by_key(|s| (s.len(), s.to_vec()));
        missing.dedup();
        if missing.is_empty() {
            return Ok(());
        }
        let rows = compute(&missing)?;
        self.added += rows.len();
        for (seq, row) in missing.into_iter().zip(rows) {
            self.features.insert(seq.to_vec(), row);
        }
        Ok(())
    }

    /// The features of `seqs` as one `[n, hidden]` tensor (every sequence must have been filled).
    pub fn batch(&self, seqs: &[&[u32]]) -> crate::Result<Tensor> {
        let mut data = Vec::new();
        for s in seqs {
            let row = self.features.get(*s).ok_or_else(|| {
                crate::TrainError::Config("internal: a sequence's features were not computed before training".into())
            })?;
            data.extend_from_slice(row);
        }
        let width = data.len() / seqs.len().max(1);
        Ok(Tensor::from_vec(data, (seqs.len(), width), &Device::Cpu)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_sequences() -> crate::Result<FeatureCache> {
        let mut cache = FeatureCache::new();
        cache.fill(&[vec![0, 5, 2], vec![0, 7, 7, 2]], |seqs| {
            Ok(seqs.iter().map(|s| vec![s.len() as f32; 3]).collect())
        })?;
        Ok(cache)
    }

    #[test]
    fn a_saved_cache_loads_back_under_its_key_only() -> crate::Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("features.safetensors");
        two_sequences()?.save(&path, "encoder-a")?;
        let mut grown = FeatureCache::load(&path, "encoder-a")?;
        assert_eq!(grown.len(), 2);
        assert_eq!(grown.batch(&[&[0, 7, 7, 2]])?.to_vec2::<f32>()?, [[4.0; 3]]);
        grown.fill(&[vec![0, 9, 2]], |seqs| Ok(seqs.iter().map(|_| vec![-1.0; 3]).collect()))?;
        grown.save(&path, "encoder-a")?;
        assert_eq!(FeatureCache::load(&path, "encoder-a")?.len(), 3);
        assert!(FeatureCache::load(&path, "encoder-b")?.is_empty());
        // The key travels in the file: the `.json` beside it is for people, not needed to match it.
        std::fs::remove_file(path.with_extension("json")).unwrap();
        assert_eq!(FeatureCache::load(&path, "encoder-a")?.len(), 3);
        assert!(FeatureCache::load(&path, "encoder-b")?.is_empty());
        Ok(())
    }

    #[test]
    fn a_save_that_cannot_finish_leaves_the_old_cache_whole() -> crate::Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("features.safetensors");
        two_sequences()?.save(&path, "encoder-a")?;
        let before = std::fs::read(&path).unwrap();
        // Where this process writes its new cache first, something it cannot write over.
        let partial = path.with_extension(format!("partial-{}", std::process::id()));
        std::fs::create_dir(&partial).unwrap();
        let mut grown = FeatureCache::load(&path, "encoder-a")?;
        grown.fill(&[vec![0, 9, 2]], |seqs| Ok(seqs.iter().map(|_| vec![-1.0; 3]).collect()))?;
        assert!(grown.save(&path, "encoder-a").is_err());
        assert_eq!(std::fs::read(&path).unwrap(), before, "the cache on disk was touched by a save that failed");
        assert_eq!(FeatureCache::load(&path, "encoder-a")?.len(), 2);
        Ok(())
    }

    #[test]
    fn names_map_to_layers_and_rates() {
        let f = FreezeConfig { embeddings: false, layers: 2, layer_lr_decay: 0.5 };
        assert!(f.frozen("bert.embeddings.word_embeddings.weight"));
        assert!(f.frozen("bert.encoder.layer.1.output.dense.weight"));
        assert!(!f.frozen("bert.encoder.layer.2.output.dense.weight"));
        assert!(!f.frozen("bert.encoder.layer.10.output.dense.weight"));
        assert!(!f.frozen("bert.pooler.dense.weight"));
        assert!(!f.frozen("classifier.weight"));
        assert_eq!(f.lr_scale("classifier.weight", 3), 1.0);
        assert_eq!(f.lr_scale("bert.encoder.layer.2.attention.self.query.weight", 3), 0.5);
        assert_eq!(f.lr_scale("bert.encoder.layer.0.attention.self.query.weight", 3), 0.125);
        assert_eq!(f.lr_scale("bert.embeddings.LayerNorm.weight", 3), 0.0625);
        assert!(!FreezeConfig::default().frozen("bert.embeddings.word_embeddings.weight"));
        assert!(FreezeConfig { embeddings: true, ..Default::default() }.frozen("bert.embeddings.LayerNorm.bias"));
        assert!(FreezeConfig { layers: 4, ..Default::default() }.whole_encoder(4));
    }
}
