//! One call for every view of a record: indicator flags, the terms that moved the model's score, and the
//! contacts it carries.

use super::{top_terms, top_terms_with, Catalogue, Flag, OcclusionOptions, TermEffect};
use crate::classifier::{Classifier, Label, Prediction};
use crate::contacts::{self, Contact, ContactOptions};
use crate::error::Result;
use crate::record::{Record, RecordError};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// What `--explain` adds to a scored row: `flags` from the built-in catalogue ([`Catalogue::scan_as_read`] with the
/// model's render config), `top_terms` from occlusion and `contacts` ([`crate::contacts`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    pub flags: Vec<Flag>,
    pub top_terms: Vec<TermEffect>,
    pub contacts: Vec<Contact>,
}

/// Flags from [`Catalogue::builtin`] (found on the record as the classifier reads it, quoting it as written:
/// [`Catalogue::scan_as_read`]), the `k` strongest [`top_terms`] of `record` and its contacts (national numbers kept
/// as digits). None of them changes the score. A record with no text gets empty lists, as a record with nothing to
/// flag does: [`Classifier::predict`] is what says that it cannot be scored (`RecordError::NoText`).
pub fn explain(classifier: &Classifier, record: &Record, k: usize) -> Result<Explanation> {
    Ok(Explanation {
        flags: Catalogue::builtin().scan_as_read(record, &classifier.settings().render),
        top_terms: top_terms(classifier, record, k)?,
        contacts: contacts::extract(record, &ContactOptions::default()),
    })
}

/// Which records of a batch get top terms (they cost up to `max_units + 1` model passes each; flags are cheap and
/// every record gets them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum TermsFor {
    /// Records labelled `lure`.
    #[default]
    Lure,
    /// Every scored record.
    All,
    /// No record (indicators only).
    None,
}

impl FromStr for TermsFor {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "lure" => Ok(TermsFor::Lure),
            "all" => Ok(TermsFor::All),
            "none" => Ok(TermsFor::None),
            _ => Err(format!("`{s}`: expected lure, all or none")),
        }
    }
}

/// What explaining a batch asks for: what `lurescan score --explain` and `"explain": true` over HTTP add to rows.
#[derive(Debug, Clone, PartialEq)]
pub struct ExplainOptions {
    /// Top terms per record; 0 for none.
    pub top_terms: usize,
    pub terms_for: TermsFor,
    pub occlusion: OcclusionOptions,
    /// How contacts are normalised (the region for national phone numbers).
    pub contacts: ContactOptions,
}

impl Default for ExplainOptions {
    fn default() -> Self {
        ExplainOptions {
            top_terms: 8,
            terms_for: TermsFor::Lure,
            occlusion: OcclusionOptions::default(),
            contacts: ContactOptions::default(),
        }
    }
}

impl ExplainOptions {
    /// Flags, top terms and contacts of each record given its prediction, in order, in parallel across records on the
    /// current rayon pool (each record's occluded variants are scored one batch after another on its thread, as
    /// [`Classifier::predict`] scores whole batches per thread). A record that could not be scored gets no top terms.
    pub fn explain_all(
        &self,
        classifier: &Classifier,
        records: &[Record],
        predictions: &[std::result::Result<Prediction, RecordError>],
    ) -> Result<Vec<Explanation>> {
        records
            .par_iter()
            .zip(predictions)
            .map(|(record, prediction)| {
                let wanted = match (self.terms_for, prediction) {
                    (TermsFor::All, Ok(_)) => true,
                    (TermsFor::Lure, Ok(p)) => p.label == Label::Lure,
                    _ => false,
                };
                let top_terms = if wanted && self.top_terms > 0 {
                    top_terms_with(classifier, record, self.top_terms, &self.occlusion)?
                } else {
                    Vec::new()
                };
                let contacts = contacts::extract(record, &self.contacts);
                let flags = Catalogue::builtin().scan_as_read(record, &classifier.settings().render);
                Ok(Explanation { flags, top_terms, contacts })
            })
            .collect()
    }
}
