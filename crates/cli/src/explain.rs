//! `lurescan explain`: one record, for an analyst: its score and label, the indicators it trips with their
//! descriptions, the text of each field with the evidence highlighted, and the words that moved the score.
//! `--json` prints the same as one JSON object. The report itself and its terminal layout live in `report.rs`.

use crate::common::UsageError;
use crate::inputs::{read_in_chunks, Input, Item, ReadOptions};
use crate::model::ModelArgs;
use crate::output::count;
use crate::report::{self, describe, DescribedFlag, Fields, Origin, Report, Style};
use anyhow::{bail, Context, Result};
use clap::builder::RangedU64ValueParser;
use clap::ValueEnum;
use indicatif::ProgressBar;
use lurescan::contacts::{self, ContactOptions, Region};
use lurescan::exemplars::ExemplarEvidence;
use lurescan::explain::{top_terms_with, Catalogue, OcclusionOptions};
use lurescan::input::Format;
use lurescan::wire::RowId;
use lurescan::Record;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

const HELP: &str = "\
Examples:
  Explain a message:
    lurescan explain --text \"Free visa and flight, pay the registration fee, Telegram @hr\"

  Explain the 12th record of a CSV, or the record with id p7 of a JSONL file:
    lurescan explain ads.csv --record 12
    lurescan explain ads.jsonl --id p7

  The same as one JSON object:
    lurescan explain ads.jsonl --id p7 --json

  Which lure script a message is nearest to, among the model's exemplars and
  your own (a model folder without exemplars gets the project's this way):
    lurescan explain --text \"Kumita ng 2,000 kada araw sa pag-like ng videos\" \\
      --exemplars my-scripts.jsonl

  With another model folder than the built-in one:
    lurescan explain -m path/to/model ads.jsonl --id p7

What it shows:
  score       probability that the record is a lure, 0-1, and its label
  indicators  each indicator of deceptive recruitment found, with its
              category, what it means, and the text that tripped it.
              With a model trained to count them (lurescan.json's ensemble
              has an `indicators` weight, as the built-in default does),
              each distinct category adds that weight to the log-odds, at
              most three; the output says which categories are not counted.
              A decisive indicator (a step of a scam no ordinary offer
              takes, marked `decisive`) adds the `decisive` weight as well
              and lifts the score to 0.9 at least (to the threshold in use
              when that is higher: the model's or --threshold), unless
              the record reads as a warning.
  contacts    phone numbers, messenger accounts, e-mail addresses and links,
              normalised as `score --explain` gives them (--region for
              national numbers)
  nearest typology
              with exemplars (the model's exemplars.jsonl, or --exemplars
              FILE): the lure exemplar most similar to the record (cosine of
              their embeddings), the most similar benign look-alike, and the
              margin: mean similarity to the 3 nearest lure exemplars minus
              to the 3 nearest benign ones. It moves the score only for a
              model trained with exemplars (the report says which).
  text        each field, the evidence [[in brackets]] (bold red in a
              terminal)
  top terms   the words whose removal changes the score most; the effect is
              in log-odds of lure, ln(score / (1 - score)), with the word
              minus without it (+ pushes towards lure; +1 multiplies the
              odds by 2.7). Log-odds still separate words when the score
              is 1.000.

Exit codes:
  0  the record was explained.
  1  could not: the model could not be loaded, the input could not be read,
     there is no such record, or the record cannot be scored (broken row,
     no text). The message says which.
  2  usage: unknown flag, bad value, no input.";

#[derive(Debug, clap::Args)]
#[command(after_help = HELP)]
pub struct ExplainArgs {
    /// File holding the record (JSONL, CSV or text, by extension), or a folder of them (its files in name order,
    /// --record counting across them); `-`, or none when stdin is piped, reads stdin (as JSONL unless --format says
    /// otherwise). Not with --text.
    #[arg(value_name = "INPUT", conflicts_with = "text")]
    pub input: Option<PathBuf>,

    /// Explain this text (a message) instead of a record from INPUT.
    #[arg(long, short = 't', value_name = "TEXT")]
    pub text: Option<String>,

    /// Explain the N-th record of INPUT, counted from 1 (broken rows count) [default: 1].
    #[arg(long, short = 'n', value_name = "N", conflicts_with_all = ["text", "id"],
          value_parser = RangedU64ValueParser::<u64>::new().range(1..))]
    pub record: Option<u64>,

    /// Explain the record of INPUT whose own `id` is ID (the first, when several have it). A record without an id
    /// (an empty id cell, an id that is not a string or a number) is found by --record, not by its number here.
    #[arg(long, value_name = "ID", conflicts_with = "text")]
    pub id: Option<String>,

    /// Read INPUT in this format, whatever its extension.
    #[arg(long, short = 'f', value_name = "FORMAT",
          value_parser = crate::common::format_parser())]
    pub format: Option<Format>,

    /// How many top terms to show; 0 for none. Finding them costs one model pass per word (per run of words in a
    /// long record: at most 65 passes), whatever K is.
    #[arg(long, value_name = "K", default_value_t = 8)]
    pub top_terms: usize,

    /// Highlight with colours and bold: `auto` when stdout is a terminal and NO_COLOR is unset.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Read national phone numbers (`081…`, no `+66`) among the contacts as numbers of this country (ISO code such
    /// as TH, VN, KH, PH, ID, CN, MM, or a calling code such as +855), so that they are E.164; without it, and for
    /// a number with more or fewer digits than that country's numbers have, they stay as their digits.
    #[arg(long, value_name = "REGION")]
    pub region: Option<Region>,

    /// Print one JSON object instead of the terminal report.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    fn style(self) -> Style {
        let colour = match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        if colour {
            Style::Ansi
        } else {
            Style::Plain
        }
    }
}

pub fn run(args: ExplainArgs) -> Result<()> {
    let (origin, record) = match &args.text {
        Some(text) => (Origin { id: None, input: None, line: None }, Record::from_text(text.as_str())),
        None => find_record(&args)?,
    };
    if record.is_empty() {
        match &args.text {
            Some(_) => {
                return Err(UsageError(
                    "--text is empty (or only blanks): nothing to explain; pass the message to explain, e.g. \
                     --text \"Free visa and flight, pay the registration fee\""
                        .into(),
                )
                .into())
            }
            None => bail!("{} has no text: nothing to explain", describe(&origin)),
        }
    }
    let classifier = args.model.load()?;
    let options = args.model.score_options();
    let (prediction, evidence) = classifier
        .predict_with_evidence(std::slice::from_ref(&record), &options)
        .with_context(|| format!("the model failed on {}", describe(&origin)))?
        .remove(0)
        .with_context(|| format!("cannot score {}", describe(&origin)))?;
    let evidence = evidence.unwrap_or(ExemplarEvidence { nearest_typology: None, nearest_benign: None, margin: None });
    let occlusion = OcclusionOptions { batch_size: options.batch_size, ..OcclusionOptions::default() };
    let top_terms = top_terms_with(&classifier, &record, args.top_terms, &occlusion)
        .with_context(|| format!("the model failed on {}", describe(&origin)))?;
    let catalogue = Catalogue::builtin();
    let flags = catalogue.scan_as_read(&record, &classifier.settings().render);
    let report = Report {
        origin,
        score: prediction.score,
        label: prediction.label,
        threshold: options.threshold.unwrap_or_else(|| classifier.settings().threshold_for(&record)),
        score_without_decisive: prediction.score_without_decisive,
        flags: flags
            .iter()
            .map(|flag| DescribedFlag {
                flag,
                description: catalogue.get(&flag.id).map_or("", |indicator| indicator.description.as_str()),
            })
            .collect(),
        top_terms,
        nearest_typology: evidence.nearest_typology,
        nearest_benign: evidence.nearest_benign,
        exemplar_margin: evidence.margin,
        exemplar_weight: classifier.settings().ensemble_for(&record).and_then(|e| e.exemplar),
        indicator_weight: classifier.settings().ensemble_for(&record).and_then(|e| e.indicators),
        warning_weight: classifier.settings().ensemble_for(&record).and_then(|e| e.warning),
        decisive_weight: classifier.settings().ensemble_for(&record).and_then(|e| e.decisive),
        uncounted_categories: match classifier.settings().ensemble_for(&record).and_then(|e| e.indicators) {
            Some(_) => &classifier.settings().uncounted_indicator_categories,
            None => &[],
        },
        contacts: contacts::extract(&record, &ContactOptions { region: args.region.clone() }),
        fields: Fields(&record),
    };

    let mut out = io::stdout().lock();
    let written = |e: io::Error| anyhow::Error::new(e).context("cannot write to stdout");
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report).map_err(io::Error::from).map_err(written)?;
        writeln!(out).map_err(written)?;
    } else {
        out.write_all(report::render(&report, &record, args.color.style()).as_bytes()).map_err(written)?;
    }
    out.flush().map_err(written)
}

/// Reads INPUT up to the record asked for (by `--id`, else by `--record`, else the first).
fn find_record(args: &ExplainArgs) -> Result<(Origin, Record)> {
    if args.input.is_none() && io::stdin().is_terminal() {
        return Err(UsageError("nothing to explain: pass INPUT (a file, or `-` for stdin) or --text".into()).into());
    }
    let paths: Vec<PathBuf> = args.input.iter().cloned().collect();
    let inputs = Input::open_all(&paths, args.format, None, false)?;
    let names: Vec<String> = inputs.iter().map(|input| input.name.clone()).collect();
    // A folder is its files in name order: the record's origin is the file it is in.
    let name = match (&args.input, names.as_slice()) {
        (Some(path), [_, _, ..]) => format!("{} ({} files)", path.display(), names.len()),
        _ => names[0].clone(),
    };
    let number = args.record.unwrap_or(1);
    let wanted = |index: u64, item: &Item| match &args.id {
        // Only a written id: a record without one is numbered in the output, and `--id 1` must not find it.
        Some(id) => matches!(&item.id, RowId::Given(given) if given == id),
        None => index == number,
    };
    let mut seen = 0u64;
    for chunk in read_in_chunks(inputs, ProgressBar::hidden(), ReadOptions::default()) {
        for item in chunk? {
            seen += 1;
            if wanted(seen, &item) {
                let input = names[item.input].clone();
                let origin = Origin { id: Some(item.id), input: Some(input), line: Some(item.line) };
                let record = item.record.with_context(|| format!("cannot explain {}", describe(&origin)))?;
                return Ok((origin, record));
            }
        }
    }
    match &args.id {
        Some(id) => bail!(
            "{name} has no record with id `{id}` ({} read); a record without an id of its own is found by its \
             number with --record",
            count(seen, "record")
        ),
        None => bail!("{name} has {}: there is no record {number}", count(seen, "record")),
    }
}
