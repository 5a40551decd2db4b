//! Masked-language-model pre-training of the BERT encoder on unlabelled text, before fine-tuning it as a classifier
//! with `TrainConfig::init`.
//!
//! Every record of the given files is rendered exactly as for classification and cut into `max_len` windows
//! (`[CLS] … [SEP]`), so that all of its text is used; labels are ignored. Each epoch masks 15% of the non-special
//! tokens of every window afresh (80% become `[MASK]`, 10% a random token, 10% stay), all from seeded streams, and
//! the model learns to restore them: the Hugging Face `BertForMaskedLM` head (`cls.predictions.*`, decoder tied to
//! the word embeddings), with vocabulary logits computed only at the masked positions.
//!
//! The result is a model folder (`config.json` with `architectures: ["BertForMaskedLM"]`, `model.safetensors` with
//! the encoder and the MLM head, `tokenizer.json`, `lurescan.json` with the flags and loss history, `README.md`).
//! `lurescan train --init` keeps its tokenizer, size and encoder, and starts the pooler and classifier fresh.
//!
//! ```no_run
//! use lurescan_train::pretrain::{pretrain, Corpus, PretrainConfig};
//! use std::path::{Path, PathBuf};
//!
//! let mut config = PretrainConfig::default();
//! config.optim.epochs = 2;
//! let corpus = Corpus::load(&[PathBuf::from("unlabelled.jsonl")], &config.render, false)?;
//! let outcome = pretrain(&config, &corpus, Path::new("encoder"), &mut ())?;
//! println!("final masked-token loss {:.3}", outcome.history.last().unwrap().loss);
//! # Ok::<(), lurescan_train::TrainError>(())
//! ```

mod config;
mod corpus;
mod mlm;
mod run;

pub use crate::observe::PretrainEpoch;
pub use config::PretrainConfig;
pub use corpus::{windows, Corpus, Masked, Masker};
pub use mlm::{mlm_gradients, BertForMaskedLm, MlmGradients, MlmHead};
pub use run::{pretrain, PretrainOutcome};
