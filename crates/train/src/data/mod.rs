//! Labelled data: records with a 0/1 label read from JSONL or CSV, the validation hold-out, and [`TrainData`], the
//! records of one run with the checks and warnings about them.

mod records;
mod train_data;

pub use records::{fingerprint, holdout, label_of, load, parse_label, read, shuffle, Dataset, Example, LABEL_HELP};
pub use train_data::{evaluation_warning, recorded_sources, DataSource, DataWarning, TrainData};
