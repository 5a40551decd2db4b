//! `lurescan train`: flags into a [`lurescan_train::TrainConfig`], the labelled data into
//! [`lurescan_train::TrainData`], then [`lurescan_train::train_observed`]; prints the validation report.

mod args;
mod run;

pub use args::TrainArgs;
pub use run::{read_config, run};
