//! [`TrainData`]: the training and validation records of one run, where they came from, and the checks and
//! warnings about them that come before any training.

use super::records::{fingerprint, holdout, load, Dataset, Example};
use crate::config::{TrainConfig, UNFITTED_THRESHOLD};
use crate::error::{HeldOut, Result, TrainError};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
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
    /// The first few rows skipped, as `line N: reason` (not recorded in `lurescan.json`).
    #[serde(skip)]
    pub skipped_examples: Vec<String>,
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
                skipped_examples: d.skipped_examples.clone(),
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
    pub(crate) fn path_of(&self, role: &str) -> PathBuf {
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
    /// on them); `None` when they have both, or none at all (training stops on that, saying so).
    pub fn validation_warning(&self) -> Option<DataWarning> {
        if self.validation_has_both_classes() || self.valid.is_empty() {
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
        let train: HashSet<TextKey> = self.train.iter().map(text_key).collect();
        self.valid.iter().filter(|e| train.contains(&text_key(e))).count()
    }

    /// What to tell the user when a tenth or more of the validation records are also training records (the same
    /// file given twice, or overlapping files): what is fitted and reported on them is optimistic.
    pub fn overlap_warning(&self) -> Option<DataWarning> {
        let overlap = self.validation_overlap();
        (overlap > 0 && overlap * 10 >= self.valid.len())
            .then_some(DataWarning::ValidationOverlap { overlap, valid: self.valid.len() })
    }
}

/// A record's text fields, each as its field's name and text: two records with the same key are the same text to a
/// model, whatever their ids, labels and sources.
type TextKey = Vec<String>;

fn text_key(example: &Example) -> TextKey {
    example.record.fields().map(|(f, t)| format!("{}\u{1}{t}", f.name())).collect()
}

/// The files a model folder's `lurescan.json` says it was trained and validated on (`training.data`); none for a
/// model without that record.
pub fn recorded_sources(settings: &lurescan::Settings) -> Vec<DataSource> {
    let data = settings.extra.get("training").and_then(|training| training.get("data"));
    data.and_then(|data| serde_json::from_value(data.clone()).ok()).unwrap_or_default()
}

/// What to tell the user who evaluates a model on `data` that the model was trained or validated on (`sources`,
/// as [`recorded_sources`] gives them): the same file (its sha256 is one of theirs), or records with the same text
/// as records of those files that are still where they were, with the bytes recorded. `None` when neither: nothing
/// is known to overlap. A file the model's record names but that is gone or changed is not read.
pub fn evaluation_warning(sources: &[DataSource], data: &Dataset) -> Option<DataWarning> {
    let fitted: Vec<&DataSource> = sources.iter().filter(|s| s.role == "train" || s.role == "valid").collect();
    let is_file = data.path.as_os_str() != "-" && data.path.is_file();
    if let Some(sha256) = is_file.then(|| fingerprint(&data.path).ok()).flatten() {
        if let Some(source) = fitted.iter().find(|s| s.sha256 == sha256) {
            return Some(DataWarning::EvaluationIsFitted { role: source.role.clone(), path: source.path.clone() });
        }
    }
    let mut seen = HashSet::new();
    let mut read = Vec::new();
    for source in fitted {
        if read.contains(&source.path) {
            continue;
        }
        let unchanged = fingerprint(&source.path).is_ok_and(|sha256| sha256 == source.sha256);
        if let Some(dataset) = unchanged.then(|| load(&source.path, true).ok()).flatten() {
            seen.extend(dataset.examples.iter().map(text_key));
            read.push(source.path.clone());
        }
    }
    let overlap = data.examples.iter().filter(|e| seen.contains(&text_key(e))).count();
    (overlap > 0).then_some(DataWarning::EvaluationOverlap { overlap, records: data.examples.len(), paths: read })
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
    /// The evaluation file is the file the model was trained (`role` "train") or validated on, as recorded at `path`.
    EvaluationIsFitted { role: String, path: PathBuf },
    /// `overlap` of the `records` evaluation records have the text of a record of `paths`, which the model was
    /// trained or validated on.
    EvaluationOverlap { overlap: usize, records: usize, paths: Vec<PathBuf> },
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
            DataWarning::EvaluationIsFitted { role, path } => write!(
                f,
                "this file is the model's {} data (the same bytes as {}, recorded in its lurescan.json): these are \
                 metrics of text the model has {}, not of new text; evaluate on records held out from training",
                if role == "train" { "training" } else { "validation" },
                path.display(),
                if role == "train" { "learned" } else { "had its threshold and calibration fitted on" }
            ),
            DataWarning::EvaluationOverlap { overlap, records, paths } => write!(
                f,
                "{overlap} of the {records} evaluation records have the text of a record the model was trained or \
                 validated on (in {}): metrics on them are optimistic; evaluate on records held out from both",
                paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}
