//! Checkpoints between epochs in `OUT.partial/checkpoint/`: weights, the best weights so far, AdamW moments, the
//! model's config, tokenizer and rendering, and `state.json` (epochs done, step, early-stopping state, history).
//!
//! Random streams are derived from `(seed, epoch)`, so no generator state needs saving: an epoch started from a
//! checkpoint draws exactly what it would have drawn in the uninterrupted run.

use crate::config::TrainConfig;
use crate::data::TrainData;
use crate::error::{Result, TrainError};
use crate::observe::EpochLog;
use crate::optim::AdamW;
use crate::session::Session;
use candle_core::{Device, Tensor};
use lurescan::ModelFolder;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where training stands after an epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckpointState {
    /// Hash of the flags and data: a checkpoint only resumes the same run.
    pub key: String,
    pub epochs_done: usize,
    /// Optimiser steps taken.
    pub step: usize,
    pub best_score: f64,
    /// 0 before the first epoch.
    pub best_epoch: usize,
    pub bad_epochs: usize,
    pub stopped_early: bool,
    pub history: Vec<EpochLog>,
}

impl CheckpointState {
    pub fn new(key: String) -> Self {
        CheckpointState {
            key,
            epochs_done: 0,
            step: 0,
            best_score: f64::NEG_INFINITY,
            best_epoch: 0,
            bad_epochs: 0,
            stopped_early: false,
            history: Vec::new(),
        }
    }

    /// The run's identity: flags, input files' hashes, and the number of train/valid records.
    pub fn key(config: &TrainConfig, data: &TrainData) -> Result<String> {
        let mut hasher = Sha256::new();
        hasher.update(serde_json::to_vec(config)?);
        for source in &data.sources {
            hasher.update(source.role.as_bytes());
            hasher.update(source.sha256.as_bytes());
        }
        hasher.update(format!("{}/{}", data.train.len(), data.valid.len()).as_bytes());
        Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// The checkpoint folder of one output folder.
pub struct Checkpoint {
    partial: PathBuf,
    dir: PathBuf,
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|source| TrainError::Write { path: path.to_path_buf(), source })
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| TrainError::Read { path: path.to_path_buf(), source })
}

impl Checkpoint {
    pub fn new(partial: &Path) -> Self {
        Checkpoint { partial: partial.to_path_buf(), dir: partial.join("checkpoint") }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The saved state, or `None` when there is no checkpoint.
    pub fn load_state(&self) -> Result<Option<CheckpointState>> {
        // A save killed between its two renames (where they cannot be one exchange) left the previous checkpoint
        // whole in checkpoint.old.
        let old = self.partial.join("checkpoint.old");
        if !self.dir.exists() && old.join("state.json").is_file() {
            std::fs::rename(&old, &self.dir).map_err(|source| TrainError::Write { path: self.dir.clone(), source })?;
        }
        let path = self.dir.join("state.json");
        if !path.exists() {
            return Ok(None);
        }
        let state = serde_json::from_str(&read(&path)?).map_err(|error| TrainError::CheckpointUnreadable {
            path: path.clone(),
            partial: self.partial.clone(),
            error,
        })?;
        Ok(Some(state))
    }

    pub(crate) fn load_session(&self, freeze: crate::freeze::FreezeConfig) -> Result<Session> {
        let bert = serde_json::from_str(&read(&self.dir.join(ModelFolder::CONFIG))?)?;
        let render = serde_json::from_str(&read(&self.dir.join("render.json"))?)?;
        let session = Session::build(bert, &read(&self.dir.join(ModelFolder::TOKENIZER))?, render, freeze)?;
        session.load_weights(&self.dir.join("weights.safetensors"))?;
        Ok(session)
    }

    fn load_tensors(&self, name: &str) -> Result<HashMap<String, Tensor>> {
        let path = self.dir.join(name);
        candle_core::safetensors::load(&path, &Device::Cpu).map_err(|error| TrainError::Weights { path, error })
    }

    pub fn load_optimizer(&self) -> Result<HashMap<String, Tensor>> {
        self.load_tensors("optimizer.safetensors")
    }

    pub fn load_best(&self) -> Result<HashMap<String, Tensor>> {
        self.load_tensors("best.safetensors")
    }

    /// Removes `OUT.partial` (a fresh start).
    pub fn clear(&self) -> Result<()> {
        self.remove_partial()
    }

    pub fn remove_partial(&self) -> Result<()> {
        if self.partial.exists() {
            std::fs::remove_dir_all(&self.partial)
                .map_err(|source| TrainError::Write { path: self.partial.clone(), source })?;
        }
        Ok(())
    }

    /// Writes a complete checkpoint next to the old one, then swaps it in, so a crash while saving leaves the
    /// previous checkpoint.
    pub(crate) fn save(
        &self,
        session: &Session,
        optimizer: &AdamW,
        best: &HashMap<String, Tensor>,
        state: &CheckpointState,
    ) -> Result<()> {
        let tmp = self.partial.join("checkpoint.tmp");
        let old = self.partial.join("checkpoint.old");
        for dir in [&tmp, &old] {
            if dir.exists() {
                std::fs::remove_dir_all(dir).map_err(|source| TrainError::Write { path: dir.clone(), source })?;
            }
        }
        std::fs::create_dir_all(&tmp).map_err(|source| TrainError::Write { path: tmp.clone(), source })?;
        let candle_err = |path: PathBuf| move |error: candle_core::Error| TrainError::Weights { path, error };
        let p = tmp.join("weights.safetensors");
        session.varmap.save(&p).map_err(candle_err(p.clone()))?;
        let p = tmp.join("best.safetensors");
        candle_core::safetensors::save(best, &p).map_err(candle_err(p.clone()))?;
        let p = tmp.join("optimizer.safetensors");
        candle_core::safetensors::save(&optimizer.state()?, &p).map_err(candle_err(p.clone()))?;
        write(&tmp.join(ModelFolder::CONFIG), &serde_json::to_vec_pretty(&session.bert)?)?;
        write(&tmp.join("render.json"), &serde_json::to_vec_pretty(&session.render)?)?;
        write(&tmp.join(ModelFolder::TOKENIZER), session.tokenizer_json.as_bytes())?;
        write(&tmp.join("state.json"), &serde_json::to_vec_pretty(state)?)?;
        crate::fault_point("checkpoint-filled");
        lurescan::folder::publish(&tmp, &self.dir, &old)?;
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|source| TrainError::Write { path: old.clone(), source })?;
        }
        Ok(())
    }
}
