//! [`TrainData`]: the training and validation records of one run, where they came from, and the checks and
//! warnings about them that come before any training.

use super::records::{fingerprint, holdout, load, Dataset, Example};
use crate::config::{TrainConfig, UNFITTED_THRESHOLD};
use crate::error::{HeldOut, Result, TrainError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

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
        let source = |role: &str, d: &Dataset| -> Result<DataSource> {
            Ok(DataSource {
                role: role.into(),
                path: d.path.clone(),
                sha256: fingerprint(&d.path)?,
                records: d.examples.len(),
                skipped_bad_rows: d.skipped,
            })
        };
        let train_set = load(train, skip_bad)?;
        let mut sources = vec![source("train", &train_set)?];
        let (train, valid) = match valid {
            Some(path) => {
                let valid_set = load(path, skip_bad)?;
                sources.push(source("valid", &valid_set)?);
                (train_set.examples, valid_set.examples)
            }
            None => holdout(train_set.examples, config.valid_fraction, config.seed),
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
        let label = match (lures, self.train.len() - lures) {
            (0, _) => 1,
            (_, 0) => 0,
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
            let held_out = match groups.is_empty() {
                true => HeldOut::All { held },
                false => HeldOut::Groups { held, groups: groups.len(), names },
            };
            return Err(TrainError::MissingClass { path, label, held_out });
        }
        Err(TrainError::MissingClass { path, label, held_out: HeldOut::None })
    }

    /// True when the validation records have both classes, so that the temperature, the ensemble weights and the
    /// threshold can be fitted on them.
    pub fn validation_has_both_classes(&self) -> bool {
        self.valid.iter().any(|e| e.label == 1) && self.valid.iter().any(|e| e.label == 0)
    }

    /// What to tell the user when the validation records lack a class (training goes on, but nothing can be fitted
    /// on them); `None` when they have both.
    pub fn validation_warning(&self) -> Option<DataWarning> {
        if self.validation_has_both_classes() {
            return None;
        }
        Some(DataWarning::ValidationLacksClass {
            path: self.path_of("valid"),
            held_out: !self.sources.iter().any(|s| s.role == "valid"),
            missing_label: if self.valid.iter().any(|e| e.label == 1) { 0 } else { 1 },
        })
    }

    /// How many validation records have the same text fields as some training record (ids aside).
    pub fn validation_overlap(&self) -> usize {
        let key = |e: &Example| e.record.fields().map(|(f, t)| format!("{}\u{1}{t}", f.name())).collect::<Vec<_>>();
        let train: std::collections::HashSet<Vec<String>> = self.train.iter().map(key).collect();
        self.valid.iter().filter(|e| train.contains(&key(e))).count()
    }

    /// What to tell the user when a tenth or more of the validation records are also training records (the same
    /// file given twice, or overlapping files): what is fitted and reported on them is optimistic.
    pub fn overlap_warning(&self) -> Option<DataWarning> {
        let overlap = self.validation_overlap();
        (overlap > 0 && overlap * 10 >= self.valid.len())
            .then_some(DataWarning::ValidationOverlap { overlap, valid: self.valid.len() })
    }
}

/// Something about the data that training goes on with, but that the user should hear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataWarning {
    /// The validation records (of `path`; `held_out` of the training file) have no records of `missing_label`:
    /// threshold, temperature and ensemble weights cannot be fitted on them.
    ValidationLacksClass { path: PathBuf, held_out: bool, missing_label: u8 },
    /// `overlap` of the `valid` validation records are also training records: what is fitted and reported on them
    /// is optimistic.
    ValidationOverlap { overlap: usize, valid: usize },
}

impl std::fmt::Display for DataWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DataWarning::ValidationLacksClass { path, held_out, missing_label } => write!(
                f,
                "the validation records{} of {} have {}: the threshold, temperature and ensemble weights cannot be \
                 fitted, so the model uses threshold {UNFITTED_THRESHOLD}, temperature 1 and (with the lexical member) \
                 the sum of the two margins; give --valid a file with both lures and legitimate records",
                if *held_out { " (held out)" } else { "" },
                path.display(),
                if *missing_label == 1 { "no lures" } else { "no legitimate records" }
            ),
            DataWarning::ValidationOverlap { overlap, valid } => write!(
                f,
                "{overlap} of the {valid} validation records are also training records: the threshold, calibration \
                 and validation metrics are fitted on text the model has learned, so they are optimistic; give \
                 --valid a file held out from --data"
            ),
        }
    }
}
