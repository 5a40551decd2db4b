//! Explanations: why a record looks like a lure, in the terms anti-trafficking practice uses, pointing at the text.
//!
//! Two independent views:
//! - [`Catalogue`]: indicators of deceptive recruitment (fees asked of the applicant, passports kept, travel paid
//!   abroad, contact only through a messaging app, scam-compound locations, task scams, …), each resting on a named
//!   public source and returning [`Flag`]s with the field, the matched text and its byte offsets.
//! - [`top_terms`]: the words (in Chinese, Thai and other text without spaces: its words, joined into pieces of
//!   up to 6 Chinese characters or 9 letters, cut at punctuation) whose removal moves the model's log-odds of lure
//!   most (occlusion), as [`TermEffect`]s.
//!
//! [`explain`] returns both as one serializable [`Explanation`] (what `lurescan score --explain` adds to a row).
//!
//! Indicators explain and filter; the built-in catalogue's also count in the score of a model whose ensemble has an
//! `indicators` weight ([`crate::EnsembleConfig::indicators`]), one weight per distinct category, up to three. A
//! model that reads disguised spellings as plain words (`render.deobfuscate`) has its flags found on the text as it
//! reads it and quoting the text as written ([`Catalogue::scan_as_read`]), so they are the ones its score counts.
//!
//! ```
//! use lurescan::explain::Catalogue;
//! use lurescan::Record;
//!
//! let record = Record::from_text("Việc nhẹ lương cao ở Campuchia, bao vé máy bay, liên hệ Zalo 0901234567");
//! for flag in Catalogue::builtin().scan(&record) {
//!     println!("{} ({}) in {}: {:?} at {}..{}", flag.id, flag.category, flag.field, flag.evidence, flag.start, flag.end);
//! }
//! ```
//!
#![doc = include_str!("INDICATORS.md")]

mod attribution;
mod blanks;
mod catalogue;
mod explanation;
mod vietnamese;

pub use attribution::{top_terms, top_terms_with, OcclusionOptions, TermEffect};
pub use catalogue::{Catalogue, Counted, Flag, Indicator, PreparedCatalogue, MAX_EVIDENCE_PER_FIELD, WARNING_CATEGORY};
pub use explanation::{explain, ExplainOptions, Explanation, TermsFor};

/// Why an indicator catalogue could not be read. Each message names the indicator entry and what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("indicator catalogue is not valid TOML (expected `[[indicator]]` tables): {0}")]
    Toml(String),
    #[error("indicator `{id}`: {message}")]
    Invalid { id: String, message: String },
    #[error("indicator `{id}`: bad regex in `{key}`: `{pattern}`: {message}")]
    Pattern { id: String, key: &'static str, pattern: String, message: String },
}
