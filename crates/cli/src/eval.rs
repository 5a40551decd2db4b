//! `lurescan eval`: the metrics report of a model on a labelled file, overall and per `source`.

use crate::args::EXIT_CODES;
use crate::model::ModelArgs;
use crate::output::count;
use anyhow::Result;
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  lurescan eval --model my-model --data test.jsonl
  lurescan eval --model my-model --data test.csv --json | jq .pr_auc

The thresholds are the model's own (from lurescan.json: messages may have their
own lower one, shown as \"(messages T)\") unless --threshold is given.
--json prints one object: n, positives, pr_auc, roc_auc, threshold,
message_threshold, precision, recall, f1, accuracy, flagged_share, confusion,
ece, by_source.";

#[derive(Debug, clap::Args)]
#[command(after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
pub struct EvalArgs {
    /// Labelled data (.jsonl or .csv) with a `label` per record.
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,

    /// Print the report as one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,

    /// Skip rows that cannot be read or have no valid label, and count them, instead of stopping.
    #[arg(long)]
    pub skip_bad: bool,

    #[command(flatten)]
    pub model: ModelArgs,
}

pub fn run(args: EvalArgs) -> Result<()> {
    let classifier = args.model.load()?;
    let data = lurescan_train::data::load(&args.data, args.skip_bad)?;
    if data.skipped > 0 {
        logln!("{}: {} skipped", args.data.display(), count(data.skipped, "bad row"));
    }
    let report = lurescan_train::evaluate(&classifier, &data, &args.model.score_options())?;
    if args.json {
        outln!("{}", serde_json::to_string(&report)?)?;
    } else {
        out!("{}", report.to_table())?;
    }
    Ok(())
}
