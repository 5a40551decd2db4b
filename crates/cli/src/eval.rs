//! `lurescan eval`: the metrics report of a model on a labelled file, overall and per `source`.

use crate::common::EXIT_CODES;
use crate::model::ModelArgs;
use crate::output::skipped_note;
use anyhow::{Context, Result};
use lurescan::input::Format;
use lurescan::{Classifier, ScoreOptions};
use lurescan_train::data::Dataset;
use std::path::{Path, PathBuf};

const EXAMPLES: &str = "\
Examples:
  lurescan eval --model my-model --data test.jsonl
  lurescan eval --model my-model --data test.csv --json | jq .pr_auc
  zcat test.jsonl.gz | lurescan eval --data -

A warning says when --data is the file the model was trained or validated on,
or holds records with their text (when those files are still where its
lurescan.json says): metrics of text the model has learned are optimistic.

The thresholds are the model's own (from lurescan.json: messages may have their
own lower one, shown as \"(messages T)\") unless --threshold is given.
--json prints one object: n, positives, pr_auc, roc_auc, threshold,
message_threshold, precision, recall, f1, accuracy, flagged_share, confusion,
ece, by_source, and skipped (rows --skip-bad left out).

--plots DIR writes pr_curve.svg (precision against recall, the model's
threshold marked) and calibration.svg (share of lures against mean score in
10 bins), the charts `lurescan report` shows for labelled input.";

#[derive(Debug, clap::Args)]
#[command(after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
pub struct EvalArgs {
    /// Labelled data (.jsonl or .csv) with a `label` per record (or EMSCAD's `fraudulent` column): 1, lure,
    /// fraudulent, scam or true for a lure; 0, legitimate, real, legit or false for the rest (any case). `-` reads
    /// stdin (as JSONL unless --format says CSV).
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,

    /// Read --data in this format, whatever its extension: jsonl or csv (text has no labels).
    #[arg(long, short = 'f', value_name = "FORMAT", value_parser = labelled_format_parser())]
    pub format: Option<Format>,

    /// Print the report as one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,

    /// Also write the precision-recall curve and the calibration plot as pr_curve.svg and calibration.svg into
    /// DIR (created if missing).
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,

    /// Skip rows that cannot be read or have no valid label, and count them, instead of stopping.
    #[arg(long)]
    pub skip_bad: bool,

    #[command(flatten)]
    pub model: ModelArgs,
}

pub fn run(args: EvalArgs) -> Result<()> {
    let classifier = args.model.load()?;
    let data = load(&args.data, args.format, args.skip_bad)?;
    if data.skipped > 0 {
        logln!("{}: {}", args.data.display(), skipped_note(data.skipped, &data.skipped_examples));
    }
    let sources = lurescan_train::data::recorded_sources(classifier.settings());
    if let Some(warning) = lurescan_train::data::evaluation_warning(&sources, &data) {
        logln!("warning: {}: {warning}", args.data.display());
    }
    let report = lurescan_train::evaluate(&classifier, &data, &args.model.score_options())?;
    if let Some(dir) = &args.plots {
        write_plots(dir, &classifier, &data, &args.model.score_options())?;
    }
    if args.json {
        // The rows --skip-bad skipped are part of the answer: a metric over fewer rows than the file holds.
        let mut json = serde_json::to_value(&report)?;
        if let Some(object) = json.as_object_mut() {
            object.insert("skipped".into(), data.skipped.into());
        }
        outln!("{json}")?;
    } else {
        out!("{}", report.to_table())?;
    }
    Ok(())
}

/// The labelled records of `path` (stdin for `-`), in `format` or the one its extension names.
fn load(path: &Path, format: Option<Format>, skip_bad: bool) -> Result<Dataset> {
    let data = match (path.as_os_str() == "-", format) {
        (true, format) => {
            lurescan_train::data::read(std::io::stdin().lock(), path, format.unwrap_or(Format::Jsonl), skip_bad)?
        }
        (false, Some(format)) => {
            let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
            lurescan_train::data::read(file, path, format, skip_bad)?
        }
        (false, None) => lurescan_train::data::load(path, skip_bad)?,
    };
    Ok(data)
}

/// The formats that can hold labels, for --format.
fn labelled_format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new([Format::Jsonl.name(), Format::Csv.name()])
        .map(|s| s.parse::<Format>().expect("a listed format"))
}

/// Scores the examples (again: `evaluate` keeps only the metrics) and writes the two charts into `dir`.
fn write_plots(dir: &Path, classifier: &Classifier, data: &Dataset, options: &ScoreOptions) -> Result<()> {
    let records: Vec<_> = data.examples.iter().map(|e| e.record.clone()).collect();
    let predictions = classifier.predict(&records, options)?;
    let scored: Vec<(f32, u8, bool)> = predictions
        .iter()
        .zip(&data.examples)
        .filter_map(|(p, e)| p.as_ref().ok().map(|p| (p.score, e.label, p.label == lurescan::Label::Lure)))
        .collect();
    let scores: Vec<f32> = scored.iter().map(|s| s.0).collect();
    let labels: Vec<u8> = scored.iter().map(|s| s.1).collect();
    // The point the model's own labels give: a message judged at the messages' threshold, when the model has one.
    let flagged: Vec<bool> = scored.iter().map(|s| s.2).collect();
    let threshold = options.threshold.unwrap_or(classifier.settings().threshold);
    let name = match classifier.settings().message_threshold.filter(|_| options.threshold.is_none()) {
        Some(m) => format!("threshold {threshold:.2}, messages {m:.2}"),
        None => format!("threshold {threshold:.2}"),
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create --plots folder {}", dir.display()))?;
    for (name, svg) in [
        (
            "pr_curve.svg",
            crate::plots::pr_curve(&scores, &labels, Some(crate::plots::Operating { flagged: &flagged, name })),
        ),
        ("calibration.svg", crate::plots::calibration(&scores, &labels)),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, svg).with_context(|| format!("cannot write {}", path.display()))?;
    }
    logln!("lurescan: wrote pr_curve.svg and calibration.svg to {}", dir.display());
    Ok(())
}
