//! One call for both views of a record: indicator flags and the terms that moved the model's score.

use super::{top_terms, Catalogue, Flag, TermEffect};
use crate::classifier::Classifier;
use crate::error::Result;
use crate::record::Record;
use serde::Serialize;

/// What `--explain` adds to a scored row: `flags` from the built-in catalogue and `top_terms` from occlusion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub flags: Vec<Flag>,
    pub top_terms: Vec<TermEffect>,
}

/// Flags from [`Catalogue::builtin`] and the `k` strongest [`top_terms`] of `record`. Neither changes the score.
pub fn explain(classifier: &Classifier, record: &Record, k: usize) -> Result<Explanation> {
    Ok(Explanation { flags: Catalogue::builtin().scan(record), top_terms: top_terms(classifier, record, k)? })
}
