//! The command line's shape: [`Args`] and one [`Command`] variant per subcommand. Each subcommand's flags and code
//! live in its own module (`score.rs`, …); adding one is a variant here and an arm in `main`.

use crate::campaigns::CampaignsArgs;
use crate::common::EXIT_CODES;
use crate::distill::DistillArgs;
use crate::eval::EvalArgs;
use crate::explain::ExplainArgs;
use crate::html_report::ReportArgs;
use crate::pretrain::PretrainArgs;
use crate::score::ScoreArgs;
use crate::serve::ServeArgs;
use crate::train::TrainArgs;
use clap::{Parser, Subcommand};

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

impl Command {
    /// Whether the command was given a `-q/--quiet` that promises nothing on stderr unless the run fails (score,
    /// campaigns, report): then the warnings about the environment that `main` prints before the command runs are
    /// silenced too. Training's `--quiet` drops progress lines only; its warnings stay.
    pub fn quiet(&self) -> bool {
        match self {
            Command::Score(args) => args.quiet,
            Command::Campaigns(args) => args.quiet,
            Command::Report(args) => args.quiet,
            Command::Train(_)
            | Command::Pretrain(_)
            | Command::Distill(_)
            | Command::Eval(_)
            | Command::Serve(_)
            | Command::Explain(_) => false,
        }
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
}
