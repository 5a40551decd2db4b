//! One call for every view of a record: indicator flags, the terms that moved the model's score, and the
//! contacts it carries.

use super::{top_terms, Catalogue, Flag, TermEffect};
use crate::classifier::Classifier;
use crate::contacts::{self, Contact, ContactOptions};
use crate::error::Result;
use crate::record::Record;
use serde::Serialize;

/// What `--explain` adds to a scored row: `flags` from the built-in catalogue, `top_terms` from occlusion and
/// `contacts` ([`crate::contacts`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub flags: Vec<Flag>,
    pub top_terms: Vec<TermEffect>,
    pub contacts: Vec<Contact>,
}

/// Flags from [`Catalogue::builtin`], the `k` strongest [`top_terms`] of `record` and its contacts (national
/// numbers kept as digits). None of them changes the score.
pub fn explain(classifier: &Classifier, record: &Record, k: usize) -> Result<Explanation> {
    Ok(Explanation {
        flags: Catalogue::builtin().scan(record),
        top_terms: top_terms(classifier, record, k)?,
        contacts: contacts::extract(record, &ContactOptions::default()),
    })
}
