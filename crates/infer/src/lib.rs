//! `lurescan` scores job postings and recruitment messages for how likely each is a fraudulent job offer, the
//! kind of lure trafficking rings use. It owns the model (a BERT encoder with a classification head), its config,
//! the tokenizer, loading a Hugging Face style model folder, scoring, explanations and lure-typology exemplars
//! ([`exemplars`]): other services embed this crate and nothing else.
//!
//! # Quick start
//!
//! ```
//! use lurescan::{Classifier, Field, Label, ModelFiles, Record, ScoreOptions};
//!
//! // The default model, from the executable itself with the `builtin-model` feature; without it, load a model
//! // folder (a copy of the repository's `models/lurescan-base`): `Classifier::load("path/to/lurescan-base")?`.
//! let Some(files) = ModelFiles::builtin("base") else { return Ok(()) };
//! let classifier = Classifier::from_files(files)?; // load once, share it across threads (Send + Sync)
//! let records = [
//!     Record::from_text("Customer service job in Cambodia, 1500 USD, free flight and housing. Telegram @hr_team"),
//!     Record::default().with(Field::Title, "Accountant").with(Field::Description, "Month-end close and VAT returns."),
//! ];
//! let predictions = classifier.predict(&records, &ScoreOptions::default())?;
//! // One result per record, in order; a record that cannot be scored (no text) is an error of its own.
//! let lure = predictions[0].as_ref().expect("it has text");
//! assert_eq!(lure.label, Label::Lure);
//! assert!(lure.score >= classifier.settings().threshold_for(&records[0]));
//!
//! // Why: the indicators it shows (quoting the text), the words that move its score most, its contacts.
//! let why = lurescan::explain::explain(&classifier, &records[0], 3)?;
//! assert!(why.flags.iter().any(|flag| flag.category == "compound_roles"), "{:?}", why.flags);
//! assert!(why.contacts.iter().any(|contact| contact.value == "hr_team"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! For bulk scoring, start the process with `CANDLE_NUM_THREADS=1` in its environment: [`Parallelism::Auto`] then
//! scores whole batches in parallel, one per core (see [`ops_run_on_calling_thread`]).

pub mod attention;
pub mod batch;
mod builtin;
pub mod campaigns;
pub mod classifier;
pub mod config;
pub mod contacts;
pub mod deobfuscate;
pub mod error;
pub mod exemplars;
pub mod explain;
pub mod folder;
mod han;
pub mod input;
pub mod int8;
pub mod lexical;
pub mod markup;
pub mod model;
pub mod record;
pub mod rng;
pub mod tokenizer;
pub mod train_ops;
pub mod weights;
pub mod wire;

pub use classifier::{ops_run_on_calling_thread, Classifier, Label, Parallelism, Prediction, ScoreOptions};
pub use config::{BertConfig, EnsembleConfig, Precision, Settings, DECISIVE_SCORE, INDICATOR_CATEGORY_CAP, LABELS};
pub use deobfuscate::deobfuscate;
pub use error::{Error, Result};
pub use exemplars::{Exemplar, ExemplarEvidence, ExemplarLabel, ExemplarSet};
pub use folder::{ModelFiles, ModelFolder};
pub use lexical::LexicalModel;
pub use model::BertForSequenceClassification;
pub use record::{render, Field, Record, RecordError, RenderConfig};
pub use rng::SeededRng;
pub use tokenizer::LureTokenizer;

/// A warning for each of lurescan's own environment variables whose value it ignores because it names nothing it
/// knows (`LURESCAN_INT8_KERNEL`, `LURESCAN_ATTENTION`): the kernels then run as if it were unset. Programs built on
/// the crate print these at start, so that a typo in a benchmark's setting does not go unnoticed.
///
/// ```
/// std::env::set_var("LURESCAN_INT8_KERNEL", "avx9"); // a doctest is a process of its own
/// let warnings = lurescan::env_warnings();
/// assert!(warnings[0].contains("LURESCAN_INT8_KERNEL=\"avx9\""), "{warnings:?}");
/// ```
pub fn env_warnings() -> Vec<String> {
    let mut warnings = Vec::new();
    let known_kernels: Vec<&str> = int8::Kernel::ALL.iter().map(|k| k.name()).collect();
    if let Ok(value) = std::env::var(int8::Kernel::ENV) {
        if int8::Kernel::from_name(&value).is_none() {
            warnings.push(format!(
                "{}={value:?} names no int8 kernel ({}): ignored, the fastest kernel this CPU runs is used",
                int8::Kernel::ENV,
                known_kernels.join(", ")
            ));
        }
    }
    if let Ok(value) = std::env::var(attention::CAP_ENV) {
        if !attention::CAP_VALUES.contains(&value.as_str()) {
            warnings.push(format!(
                "{}={value:?} is not one of {}: ignored, the widest attention kernel this CPU runs is used",
                attention::CAP_ENV,
                attention::CAP_VALUES.join(", ")
            ));
        }
    }
    warnings
}
