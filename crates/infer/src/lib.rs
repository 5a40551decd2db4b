//! `lurescan` scores job postings and recruitment messages for how likely each is a fraudulent job offer, the
//! kind of lure trafficking rings use. It owns the model (a BERT encoder with a classification head), its config,
//! the tokenizer, loading a Hugging Face style model folder, scoring, explanations and lure-typology exemplars
//! ([`exemplars`]): other services embed this crate and nothing else.

pub mod attention;
pub mod batch;
mod builtin;
pub mod campaigns;
pub mod classifier;
pub mod config;
pub mod contacts;
pub mod error;
pub mod exemplars;
pub mod explain;
pub mod folder;
pub mod input;
pub mod int8;
pub mod lexical;
pub mod model;
pub mod record;
pub mod rng;
pub mod tokenizer;
pub mod train_ops;
pub mod weights;
pub mod wire;

pub use classifier::{ops_run_on_calling_thread, Classifier, Label, Parallelism, Prediction, ScoreOptions};
pub use config::{BertConfig, EnsembleConfig, Precision, Settings, INDICATOR_CATEGORY_CAP, LABELS};
pub use error::{Error, Result};
pub use exemplars::{Exemplar, ExemplarEvidence, ExemplarLabel, ExemplarSet};
pub use folder::{ModelFiles, ModelFolder};
pub use lexical::LexicalModel;
pub use model::BertForSequenceClassification;
pub use record::{render, Field, Record, RecordError, RenderConfig};
pub use rng::SeededRng;
pub use tokenizer::LureTokenizer;
