//! The scored row as other programs see it: one definition shared by `lurescan score`'s JSON Lines and CSV rows and
//! by the predictions of `lurescan-server`'s `POST /v1/score`, so that a client parses both the same way.
//!
//! ```
//! use lurescan::wire::{RowId, ScoredRow};
//! use lurescan::{Label, Prediction, RecordError};
//!
//! let legitimate = Prediction { score: 0.25, label: Label::Legitimate, score_without_decisive: None };
//! let scored = ScoredRow::new(RowId::Given("a1".into()), Ok(legitimate));
//! assert_eq!(
//!     serde_json::to_string(&scored.with_line(2))?,
//!     r#"{"id":"a1","line":2,"score":0.25,"label":"legitimate","error":null}"#
//! );
//! // A decisive flag lifted this one from 0.2: the row says so.
//! let lifted = Prediction { score: 0.9, label: Label::Lure, score_without_decisive: Some(0.2) };
//! let json = serde_json::to_value(ScoredRow::new(RowId::Number(4), Ok(lifted)))?;
//! assert_eq!(json["score_without_decisive"].as_f64(), Some(0.2f32 as f64));
//! let broken = ScoredRow::new(RowId::Number(3), Err(RecordError::NoText));
//! let json = serde_json::to_value(&broken)?;
//! assert_eq!((json["id"].as_u64(), json["score"].is_null()), (Some(3), true));
//! assert_eq!(serde_json::from_value::<ScoredRow>(json)?, broken);
//! # Ok::<(), serde_json::Error>(())
//! ```

use crate::classifier::{Label, Prediction};
use crate::contacts::Contact;
use crate::exemplars::{ExemplarEvidence, Nearest};
use crate::explain::{Explanation, Flag, TermEffect};
use crate::record::RecordError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A record's id in its result: the input's own `id`, always echoed as a string (`"id": 7` comes back as `"7"`), else
/// the record's number (from 1), always a number, so the two never collide.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum RowId {
    /// The id the input gave the record.
    Given(String),
    /// The record's position (from 1), for a record without an id.
    Number(u64),
}

impl RowId {
    /// The record's own id when it has one, else `number`.
    pub fn or_number(given: Option<String>, number: u64) -> RowId {
        given.map_or(RowId::Number(number), RowId::Given)
    }
}

/// As a CSV cell: the id's text, or the number in decimal.
impl fmt::Display for RowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowId::Given(id) => f.write_str(id),
            RowId::Number(n) => write!(f, "{n}"),
        }
    }
}

/// The result for one record. Fields are written in this order; the optional ones only when set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoredRow {
    pub id: RowId,
    /// The input the record came from; only when `lurescan score` reads several inputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// The line of that input where the record starts; rows of `lurescan score` always have it, HTTP answers not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Probability that the record is a lure, 0–1; `null` when it could not be scored. Always present.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub score: Option<f32>,
    /// `lure` when the score is at or above the threshold, else `legitimate`; `null` when it could not be scored.
    /// Always present.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub label: Option<Label>,
    /// Why the record could not be scored, else `null`. Always present.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub error: Option<String>,
    /// When a flag of a decisive indicator lifted the score: the score without that flag's decisive weight and floor
    /// ([`Prediction::score_without_decisive`]), what the rest of the record says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_without_decisive: Option<f32>,
    /// When explanations are asked for: the indicators found, with their evidence (empty for an error row).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<Vec<Flag>>,
    /// When explanations are asked for: the words that moved the score most (empty when not computed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_terms: Option<Vec<TermEffect>>,
    /// When explanations are asked for: the contact points in the record ([`crate::contacts`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacts: Option<Vec<Contact>>,
    /// When explanations are asked for and the model has exemplars ([`crate::exemplars`]): the nearest lure
    /// exemplar, `{typology, similarity, exemplar, lang}`, for a record flagged or nearer the lure exemplars than the
    /// benign ones (`exemplar_margin` above 0). An ordinary record nearer the benign look-alikes has none: every text
    /// has a nearest lure exemplar, and naming it would read as a typology.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nearest_typology: Option<Nearest>,
    /// With `nearest_typology`: mean cosine to the nearest lure exemplars minus that to the nearest benign ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemplar_margin: Option<f32>,
}

impl ScoredRow {
    /// The row of a scored record (`score` and `label` set) or of one that could not be scored (`error` set).
    pub fn new(id: RowId, result: Result<Prediction, RecordError>) -> ScoredRow {
        let (score, label, score_without_decisive, error) = match result {
            Ok(prediction) => (Some(prediction.score), Some(prediction.label), prediction.score_without_decisive, None),
            Err(error) => (None, None, None, Some(error.to_string())),
        };
        ScoredRow {
            id,
            input: None,
            line: None,
            score,
            label,
            error,
            score_without_decisive,
            flags: None,
            top_terms: None,
            contacts: None,
            nearest_typology: None,
            exemplar_margin: None,
        }
    }

    /// The same row, naming the input it came from.
    pub fn with_input(self, input: impl Into<String>) -> ScoredRow {
        ScoredRow { input: Some(input.into()), ..self }
    }

    /// The same row, with the line where the record starts.
    pub fn with_line(self, line: u64) -> ScoredRow {
        ScoredRow { line: Some(line), ..self }
    }

    /// The same row with `flags`, `top_terms` and `contacts`.
    pub fn with_explanation(self, explanation: Explanation) -> ScoredRow {
        ScoredRow {
            flags: Some(explanation.flags),
            top_terms: Some(explanation.top_terms),
            contacts: Some(explanation.contacts),
            ..self
        }
    }

    /// The same row with `exemplar_margin` and `nearest_typology` from what the exemplars say about the record; the
    /// typology only when the row is labelled a lure or the margin is above 0 (or unknown: no benign exemplars).
    pub fn with_exemplar_evidence(self, evidence: ExemplarEvidence) -> ScoredRow {
        let margin = evidence.margin;
        ScoredRow { nearest_typology: evidence.typology_for(self.label), exemplar_margin: margin, ..self }
    }
}

impl Label {
    /// `lure` or `legitimate`, as serialized.
    pub fn name(self) -> &'static str {
        match self {
            Label::Legitimate => "legitimate",
            Label::Lure => "lure",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Field;

    #[test]
    fn ids_given_are_strings_and_numbers_are_numbers() {
        assert_eq!(serde_json::to_string(&RowId::Given("7".into())).unwrap(), r#""7""#);
        assert_eq!(serde_json::to_string(&RowId::Number(7)).unwrap(), "7");
        assert_eq!(serde_json::from_str::<RowId>(r#""7""#).unwrap(), RowId::Given("7".into()));
        assert_eq!(serde_json::from_str::<RowId>("7").unwrap(), RowId::Number(7));
        assert_eq!(RowId::or_number(None, 4), RowId::Number(4));
        assert_eq!(RowId::Given("a,1".into()).to_string(), "a,1");
    }

    #[test]
    fn an_explained_row_round_trips() {
        let explanation = Explanation {
            flags: vec![Flag {
                id: "upfront_fee".into(),
                category: "fees".into(),
                field: Field::Text,
                evidence: "fee".into(),
                start: 0,
                end: 3,
            }],
            top_terms: vec![TermEffect { field: Field::Text, term: "fee".into(), start: 0, end: 3, effect: 1.5 }],
            contacts: vec![Contact {
                kind: crate::contacts::ContactKind::Telegram,
                value: "hr_team".into(),
                field: Field::Text,
                evidence: "@hr_team".into(),
                start: 4,
                end: 12,
            }],
        };
        let row = ScoredRow::new(
            RowId::Number(1),
            Ok(Prediction { score: 0.75, label: Label::Lure, score_without_decisive: None }),
        )
        .with_input("a.jsonl")
        .with_line(9)
        .with_explanation(explanation);
        let json = serde_json::to_string(&row).unwrap();
        assert!(json
            .starts_with(r#"{"id":1,"input":"a.jsonl","line":9,"score":0.75,"label":"lure","error":null,"flags":[{"#));
        assert_eq!(serde_json::from_str::<ScoredRow>(&json).unwrap(), row);
        assert_eq!(Label::Lure.name(), "lure");
    }

    #[test]
    fn a_typology_is_named_for_a_flagged_record_or_one_nearer_the_lure_exemplars() {
        let nearest = Nearest {
            typology: "task_scam".into(),
            similarity: 0.6,
            exemplar: "Earn 300 a day liking videos".into(),
            lang: "en".into(),
        };
        let evidence =
            |margin| ExemplarEvidence { nearest_typology: Some(nearest.clone()), nearest_benign: None, margin };
        let row = |label| {
            ScoredRow::new(RowId::Number(1), Ok(Prediction { score: 0.5, label, score_without_decisive: None }))
        };
        let typology = |row: ScoredRow| row.nearest_typology.map(|n| n.typology);
        let task_scam = Some("task_scam".to_string());
        // Ordinary and nearer the benign exemplars: the margin is kept, the typology is not.
        let ordinary = row(Label::Legitimate).with_exemplar_evidence(evidence(Some(-0.05)));
        assert_eq!((ordinary.exemplar_margin, typology(ordinary)), (Some(-0.05), None));
        assert_eq!(typology(row(Label::Legitimate).with_exemplar_evidence(evidence(Some(0.02)))), task_scam);
        assert_eq!(typology(row(Label::Lure).with_exemplar_evidence(evidence(Some(-0.05)))), task_scam);
        // No benign exemplars, so no margin to compare with: the nearest lure exemplar is all there is.
        assert_eq!(typology(row(Label::Legitimate).with_exemplar_evidence(evidence(None))), task_scam);
        // An error row has no label; it gets the typology only by its margin.
        let error = ScoredRow::new(RowId::Number(2), Err(RecordError::NoText));
        assert_eq!(typology(error.with_exemplar_evidence(evidence(Some(-0.05)))), None);
    }
}
