//! The command line's shape: [`Args`] and one [`Command`] variant per subcommand. Each subcommand's flags and code
//! live in its own module (`score.rs`, …); adding one is a variant here and an arm in `main`.

use crate::campaigns::CampaignsArgs;
use crate::distill::DistillArgs;
use crate::eval::EvalArgs;
use crate::explain::ExplainArgs;
use crate::html_report::ReportArgs;
use crate::pretrain::PretrainArgs;
use crate::score::ScoreArgs;
use crate::serve::ServeArgs;
use crate::train::TrainArgs;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};
use lurescan::input::Format;
use std::fmt;

/// Exit codes, shared by every subcommand's `--help`.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  finished. Records that could not be scored (broken JSON, invalid UTF-8,
     no text, ...) get their own output row with `error` set; they do not
     change the exit code.
  1  could not run: a model, an input or labelled data could not be loaded
     or read (for train and eval: a bad row without --skip-bad; for train:
     training records without both lures and legitimate ones), or an
     output could not be written. The message names the file, the line
     where there is one, and what to do.
  2  usage: unknown flag, bad value, an input whose format cannot be told
     from its extension, or (train, pretrain) an --out that is not a new,
     empty or model folder.
  75 temporary: an input, the model or the output failed midway on an I/O
     error that may not happen again (disk or quota full, an interrupted or
     reset read or write, a network file system timing out, EIO). Retrying
     the same command may succeed; after 1 or 2 it would fail the same way.
     (A run killed by a signal, e.g. the out-of-memory killer, shows as
     128 + the signal: 137.)";

/// Scores job postings and recruitment messages for how likely each is a fraudulent job offer or trafficking lure.
#[derive(Debug, Parser)]
#[command(name = "lurescan", version, propagate_version = true, after_help = EXIT_CODES)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score records from JSONL, CSV or text files (or stdin) and print one result row per record.
    Score(ScoreArgs),
    /// Train a model folder on labelled JSONL or CSV (from scratch, or fine-tune one with --init).
    Train(Box<TrainArgs>),
    /// Pre-train a BERT encoder as a masked language model on unlabelled text, to fine-tune with `train --init`.
    Pretrain(Box<PretrainArgs>),
    /// Distil a smaller encoder from a bigger one (e.g. the imported multilingual e5), to train with `train --init`.
    Distill(Box<DistillArgs>),
    /// Report precision, recall, F1, PR-AUC, ROC-AUC (overall and per source) of a model on a labelled file.
    Eval(EvalArgs),
    /// Serve the model over HTTP: POST records as JSON to /v1/score, get one prediction per record.
    Serve(ServeArgs),
    /// Show one record in the terminal: score, indicators with their evidence highlighted, top terms.
    Explain(Box<ExplainArgs>),
    /// Group records into campaigns: reposts of one script (near-duplicate texts) and records sharing a contact.
    Campaigns(Box<CampaignsArgs>),
    /// Write one self-contained HTML page for a batch: counts, score histogram, flagged records with evidence,
    /// largest campaigns, and for labelled input the PR curve and calibration plot.
    Report(Box<ReportArgs>),
}

/// A mistake in how the command was called (exit code 2), found after clap parsed the flags.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// True when the error comes from writing to a pipe whose reader has gone.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .any(|cause| cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe))
}

/// Parses a probability in [0, 1] (for `--threshold`).
pub fn probability(s: &str) -> Result<f32, String> {
    let value: f32 = s.trim().parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not between 0 and 1"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Args::command().debug_assert();
    }

    #[test]
    fn thresholds_are_probabilities() {
        assert_eq!(probability("0.25"), Ok(0.25));
        assert!(probability("1.5").is_err());
        assert!(probability("x").is_err());
    }
}

/// The parser of every command's `--format`: a [`Format`] by name, the names listed in `--help`.
pub fn format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::ALL.map(Format::name)).map(|s| s.parse::<Format>().expect("a listed format"))
}
