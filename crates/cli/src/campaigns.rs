//! `lurescan campaigns`: groups a batch of records into campaigns (one script reposted: near-duplicate texts and
//! records sharing a contact; the rules are `lurescan::campaigns`'), writes one row per record in input order and,
//! with `--summary`, one row per campaign.

use crate::batch::{self, Batch, BatchOptions};
use crate::common::{UsageError, EXIT_CODES};
use crate::inputs::{progress_bar, Input};
use crate::model::ModelArgs;
use crate::output::{count, label_name, spreadsheet_safe, OutputFormat};
use crate::output_file::OutputFile;
use anyhow::Result;
use lurescan::campaigns::{Campaign, CampaignOptions, ContactEntry, SharedContact};
use lurescan::contacts::{ContactOptions, Region};
use lurescan::input::Format;
use lurescan::wire::RowId;
use lurescan::Label;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

const HELP: &str = "\
Examples:
  Group scraped ads into campaigns; rows to stdout, the campaigns to a file:
    lurescan campaigns ads.jsonl --summary campaigns.jsonl > rows.jsonl

  The largest campaigns first:
    jq -c '{campaign, size, shared_contacts}' campaigns.jsonl | head

  Group a million records without scoring them (contacts and texts only):
    lurescan campaigns --no-score big/*.jsonl -o rows.jsonl --summary c.jsonl

How records are joined (transitively):
  near-duplicates  texts whose 5-character shingles, with links, handles,
                   addresses and numbers masked, have an estimated Jaccard
                   similarity of --similarity (0.5) or more: salted and
                   edited reposts of one script meet
  shared contact   the same phone number (whatever messenger it is given
                   for; 0812 345 6789 is +62 812 345 6789 when the input
                   holds that number in no other country's form),
                   Telegram/LINE/WeChat/... account or e-mail address;
                   the same link or registered domain only between records
                   labelled lure (a domain is a legitimate employer's own
                   careers site in its ads). A contact carried by more than
                   --max-contact-records (50) records joins nothing: a
                   platform hotline or a big agency's switchboard is a weak
                   link, not a campaign.

Output rows (one per input record, in input order; CSV with -o FILE.csv):
  id, input (several inputs only), line   as for `lurescan score`
  campaign       campaign number, from 1 in order of first record
  campaign_size  records in that campaign (1: no repost found)
  contacts       [{kind, value}] normalised contacts of the record
  score, label   as for `lurescan score` (null with --no-score)
  error          why the record could not be read or scored, else null

Summary rows (--summary; campaigns of --min-size or more records, largest
first): campaign, size, members (ids), places (each member's {input,
line}, in the same order), shared_contacts [{kind, value, records, total,
linked}], first and last {input, line}, categories
{indicator category: records}, labels {lure, legitimate}, score {min, median,
max}, text (the first record's first 240 characters).";

#[derive(Debug, clap::Args)]
#[command(after_help = format!("{HELP}\n\n{EXIT_CODES}"))]
pub struct CampaignsArgs {
    /// Files or folders to group; `-` or none reads stdin (JSONL unless --format says otherwise).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Read every input in this format, whatever its extension.
    #[arg(long, short = 'f', value_name = "FORMAT",
          value_parser = crate::common::format_parser())]
    pub format: Option<Format>,

    /// Write the record rows to FILE instead of stdout: CSV when FILE ends in .csv (the contacts in one cell,
    /// `kind:value; ...`), else JSON Lines.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write one JSON line per campaign to FILE, largest first.
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,

    /// With --summary: only campaigns of at least N records.
    #[arg(long, value_name = "N", default_value_t = 2,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub min_size: usize,

    /// Near-duplicate threshold: the estimated Jaccard similarity (0.1-1) of two texts' shingles at or above which
    /// they join. Below 0.3 only part of the pairs at it are found (texts are compared when they share a band of
    /// their signatures), and unrelated texts in one language start to meet.
    #[arg(long, value_name = "J", default_value_t = CampaignOptions::default().similarity, value_parser = similarity)]
    pub similarity: f32,

    /// A contact carried by more records than this joins none of them.
    #[arg(long, value_name = "K", default_value_t = CampaignOptions::default().max_contact_records)]
    pub max_contact_records: u32,

    /// Read national phone numbers as numbers of this country (TH, VN, KH, PH, ID, CN, MM, ... or +855), so
    /// that `081…` and `+66 81…` are one contact and are written so. Without it they are one when the input holds
    /// no other country's form of that number: in an input that mixes countries, a Thai `081 234 5678` links to an
    /// Indonesian `+62 812 345 678` when that is the only form of those digits. With it, a number with more or fewer
    /// digits than that country's numbers have stays as its digits.
    #[arg(long, value_name = "REGION")]
    pub region: Option<Region>,

    /// Do not score: group by texts and contacts only (much faster; score and label are null, and links and
    /// domains then join nothing).
    #[arg(long)]
    pub no_score: bool,

    /// Nothing on stderr unless the run fails: no progress bar, no summary line, no warnings.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Serialize)]
struct ContactOut<'a> {
    kind: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct Row<'a> {
    id: &'a RowId,
    #[serde(skip_serializing_if = "Option::is_none")]
    input: Option<&'a str>,
    line: u64,
    campaign: u32,
    campaign_size: usize,
    contacts: Vec<ContactOut<'a>>,
    score: Option<f32>,
    label: Option<&'static str>,
    error: Option<&'a str>,
}

impl Row<'_> {
    /// The row as CSV cells, in the header's order: the contacts in one cell, `kind:value; ...`, and empty cells
    /// for what JSON writes as null.
    fn csv_cells(&self) -> Vec<String> {
        let mut cells = vec![spreadsheet_safe(self.id.to_string())];
        cells.extend(self.input.map(str::to_string));
        cells.extend([self.line.to_string(), self.campaign.to_string(), self.campaign_size.to_string()]);
        cells.push(self.contacts.iter().map(|c| format!("{}:{}", c.kind, c.value)).collect::<Vec<_>>().join("; "));
        cells.push(self.score.map(|s| s.to_string()).unwrap_or_default());
        cells.push(self.label.unwrap_or_default().to_string());
        cells.push(spreadsheet_safe(self.error.unwrap_or_default().to_string()));
        cells
    }
}

/// `--similarity`: a share from 0.1 to 1. Lower would join texts that share little more than their language's
/// common words, and is not what near-duplicate search can find (pairs are compared only when they share a band).
fn similarity(s: &str) -> Result<f32, String> {
    let value = crate::common::probability(s)?;
    if value < 0.1 {
        return Err(format!("{value} is below 0.1: texts that similar share little more than common words"));
    }
    Ok(value)
}

#[derive(Serialize)]
pub struct Place<'a> {
    pub input: &'a str,
    pub line: u64,
}

#[derive(Serialize)]
pub struct ScoreRange {
    pub min: f32,
    pub median: f32,
    pub max: f32,
}

/// One campaign as `--summary` writes it (and `report` shows it).
#[derive(Serialize)]
pub struct Summary<'a> {
    pub campaign: u32,
    pub size: usize,
    pub members: Vec<&'a RowId>,
    /// Where each member is, in the order of `members`: an id need not be unique, nor given.
    pub places: Vec<Place<'a>>,
    pub shared_contacts: &'a [SharedContact],
    pub first: Place<'a>,
    pub last: Place<'a>,
    pub categories: BTreeMap<&'a str, usize>,
    pub labels: BTreeMap<&'static str, usize>,
    pub score: Option<ScoreRange>,
    pub text: &'a str,
}

impl<'a> Summary<'a> {
    pub fn of(batch: &'a Batch, campaign: &'a Campaign) -> Summary<'a> {
        let facts = |i: &u32| &batch.facts[*i as usize];
        let place = |i: u32| Place { input: &batch.names[facts(&i).input as usize], line: facts(&i).line };
        let mut categories = BTreeMap::new();
        let mut labels = BTreeMap::new();
        let mut scores = Vec::new();
        for member in &campaign.members {
            let fact = facts(member);
            for category in batch.category_names(fact.categories) {
                *categories.entry(category).or_insert(0) += 1;
            }
            if let Some(label) = fact.label {
                *labels.entry(label_name(label)).or_insert(0) += 1;
            }
            scores.extend(fact.score);
        }
        scores.sort_by(f32::total_cmp);
        let score = (!scores.is_empty()).then(|| ScoreRange {
            min: scores[0],
            median: if scores.len() % 2 == 1 {
                scores[scores.len() / 2]
            } else {
                (scores[scores.len() / 2 - 1] + scores[scores.len() / 2]) / 2.0
            },
            max: scores[scores.len() - 1],
        });
        let first = campaign.members[0];
        Summary {
            campaign: campaign.id,
            size: campaign.members.len(),
            members: campaign.members.iter().map(|m| &facts(m).id).collect(),
            places: campaign.members.iter().map(|&m| place(m)).collect(),
            shared_contacts: &campaign.shared_contacts,
            first: place(first),
            last: place(*campaign.members.last().expect("a campaign has a member")),
            categories,
            labels,
            score,
            text: &facts(&first).snippet,
        }
    }
}

/// Campaigns of `min_size` or more records, largest first (then in order of their first record).
pub fn largest(batch: &Batch, min_size: usize) -> Vec<&Campaign> {
    let mut campaigns: Vec<&Campaign> = batch.campaigns.iter().filter(|c| c.members.len() >= min_size).collect();
    campaigns.sort_by_key(|c| (std::cmp::Reverse(c.members.len()), c.id));
    campaigns
}

pub fn run(mut args: CampaignsArgs) -> Result<()> {
    if args.output.as_deref().is_some_and(|o| o.as_os_str() == "-") {
        args.output = None;
    }
    if let (Some(out), Some(summary)) = (&args.output, &args.summary) {
        if out == summary {
            return Err(UsageError(format!("-o and --summary are both {}: name two files", out.display())).into());
        }
    }
    // Complete or absent, as `score -o`: a run that fails leaves earlier files as they were.
    let output = args.output.as_deref().map(OutputFile::new);
    let summary = args.summary.as_deref().map(OutputFile::new);
    campaigns(&args, output.as_ref(), summary.as_ref()).map_err(|e| {
        let e = match &summary {
            Some(summary) => summary.failed(e),
            None => e,
        };
        match &output {
            Some(output) => output.failed(e),
            None => e,
        }
    })
}

fn campaigns(args: &CampaignsArgs, output: Option<&OutputFile>, summary: Option<&OutputFile>) -> Result<()> {
    let inputs = Input::open_all(&args.inputs, args.format, args.output.as_deref().map(|o| ("-o", o)), args.quiet)?;
    if let Some(summary) = &args.summary {
        // Only to refuse a summary that is an input: the notes were printed above.
        Input::open_all(&args.inputs, args.format, Some(("--summary", summary)), true)?;
    }
    let classifier = if args.no_score { None } else { Some(args.model.load()?) };
    let score_options = args.model.score_options();
    let options = BatchOptions {
        contacts: ContactOptions { region: args.region.clone() },
        campaigns: CampaignOptions { similarity: args.similarity, max_contact_records: args.max_contact_records },
        keep_top: 0,
        quiet: args.quiet,
        labels: false,
    };
    if let Some(summary) = args.summary.as_deref().filter(|s| OutputFormat::from_path(Some(s)) == OutputFormat::Csv) {
        return Err(UsageError(format!(
            "--summary {}: the summary is JSON Lines (each campaign holds lists); name the file .jsonl",
            summary.display()
        ))
        .into());
    }
    let csv = OutputFormat::from_path(args.output.as_deref()) == OutputFormat::Csv;
    // Created before the work, so that a bad path fails at once; written at the end.
    let out = create(output)?;
    let mut summary_out = match summary {
        Some(summary) => Some((create(Some(summary))?, summary.writing().display().to_string())),
        None => None,
    };

    let started = Instant::now();
    let progress = progress_bar(Input::total_size(&inputs), args.quiet);
    let batch = batch::run(inputs, classifier.as_ref().map(|c| (c, &score_options)), &options, progress.clone())?;
    progress.finish_and_clear();

    let destination = output.map_or("stdout".to_string(), |o| o.writing().display().to_string());
    let written = |e: io::Error| anyhow::Error::new(e).context(format!("cannot write rows to {destination}"));
    let several = batch.names.len() > 1;
    // JSON Lines go to `out` itself, CSV through a writer that owns it.
    let (mut out, mut csv_out) = if csv { (None, Some(csv::Writer::from_writer(out))) } else { (Some(out), None) };
    if let Some(writer) = &mut csv_out {
        let mut header = vec!["id"];
        if several {
            header.push("input");
        }
        header.extend(["line", "campaign", "campaign_size", "contacts", "score", "label", "error"]);
        writer.write_record(header).map_err(io::Error::from).map_err(written)?;
    }
    for (index, fact) in batch.facts.iter().enumerate() {
        let campaign = batch.campaigns.campaign_of(index as u32);
        let contacts = batch
            .campaigns
            .contacts_of(index as u32)
            .map(|c: &ContactEntry| ContactOut { kind: c.kind.name(), value: &c.value })
            .collect();
        let row = Row {
            id: &fact.id,
            input: several.then(|| batch.names[fact.input as usize].as_str()),
            line: fact.line,
            campaign,
            campaign_size: batch.campaigns.campaign(campaign).members.len(),
            contacts,
            score: fact.score,
            label: fact.label.map(label_name),
            error: fact.error.as_deref(),
        };
        if let Some(writer) = &mut csv_out {
            writer.write_record(row.csv_cells()).map_err(io::Error::from).map_err(written)?;
        }
        if let Some(out) = &mut out {
            serde_json::to_writer(&mut *out, &row).map_err(io::Error::from).map_err(written)?;
            out.write_all(b"\n").map_err(written)?;
        }
    }
    if let Some(writer) = csv_out {
        out = Some(writer.into_inner().map_err(|e| e.into_error()).map_err(written)?);
    }
    out.expect("one of the two writers holds it").flush().map_err(written)?;

    let grouped = largest(&batch, 2);
    if let Some((mut file, name)) = summary_out.take() {
        let written = |e: io::Error| anyhow::Error::new(e).context(format!("cannot write campaigns to {name}"));
        for campaign in largest(&batch, args.min_size) {
            serde_json::to_writer(&mut file, &Summary::of(&batch, campaign))
                .map_err(io::Error::from)
                .map_err(written)?;
            file.write_all(b"\n").map_err(written)?;
        }
        file.flush().map_err(written)?;
    }
    // Both files are whole before either is put in place.
    for file in output.into_iter().chain(summary) {
        file.finish()?;
    }
    if !args.quiet {
        let in_campaigns: usize = grouped.iter().map(|c| c.members.len()).sum();
        let flagged = batch.facts.iter().filter(|f| f.label == Some(Label::Lure)).count();
        let scored = if batch.scored { format!(", {flagged} flagged as lure") } else { String::new() };
        let elapsed = started.elapsed();
        logln!(
            "lurescan: {}{scored}; {} of 2 or more records holding {in_campaigns}, the largest {}; in {:.1} s",
            count(batch.facts.len(), "record"),
            count(grouped.len(), "campaign"),
            grouped.first().map_or(0, |c| c.members.len()),
            elapsed.as_secs_f64()
        );
    }
    Ok(())
}

/// A buffered writer to `output` (its `.partial` while the run lasts), or to stdout.
fn create(output: Option<&OutputFile>) -> Result<Box<dyn Write>> {
    Ok(match output {
        Some(output) => Box::new(BufWriter::with_capacity(1 << 16, output.create()?)),
        None => Box::new(BufWriter::with_capacity(1 << 16, io::stdout().lock())),
    })
}
