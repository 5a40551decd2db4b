//! One pass over a batch of inputs for `campaigns` and `report`: each record scored (unless asked not to), its
//! contacts, indicator categories and MinHash signature taken in parallel, a short snippet kept; then the
//! library groups the records into campaigns. Per record only these small facts stay in memory, so a million
//! records fit in well under 2 GB; `report` also keeps the full text of its most suspicious records.

use crate::inputs::{read_in_chunks, Input, ReadOptions};
use anyhow::{Context, Result};
use indicatif::ProgressBar;
use lurescan::campaigns::{CampaignBuilder, CampaignOptions, Campaigns, Signature};
use lurescan::contacts::{self, ContactOptions};
use lurescan::explain::{Catalogue, Flag};
use lurescan::wire::RowId;
use lurescan::{Classifier, Label, Record, RecordError, ScoreOptions};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Characters of a record kept as its snippet (the representative text of a campaign).
const SNIPPET_CHARS: usize = 240;

/// What the pass computes besides campaigns.
pub struct BatchOptions {
    pub contacts: ContactOptions,
    pub campaigns: CampaignOptions,
    /// Keep the full record and flags of this many highest-scoring records labelled lure (0: none).
    pub keep_top: usize,
    /// No warnings on stderr (`--quiet`).
    pub quiet: bool,
    /// Read each record's `label` into [`Facts::truth`] (and note the values that are not labels).
    pub labels: bool,
}

/// The small facts kept for every record.
pub struct Facts {
    pub id: RowId,
    pub input: u32,
    pub line: u64,
    pub score: Option<f32>,
    pub label: Option<Label>,
    /// Why the record could not be read or scored.
    pub error: Option<Box<str>>,
    /// Bit i set: the record trips an indicator of category `Batch::categories[i]`.
    pub categories: u64,
    pub snippet: Box<str>,
    /// The input's own `label`, when it has one.
    pub truth: Option<u8>,
}

/// A record kept whole for the report.
pub struct Kept {
    pub index: u32,
    pub score: f32,
    pub record: Record,
    pub flags: Vec<Flag>,
}

impl PartialEq for Kept {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Kept {}
impl PartialOrd for Kept {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Kept {
    /// Higher score first, then earlier record: the heap keeps the "largest" (worst-ranked) on top to evict.
    fn cmp(&self, other: &Self) -> Ordering {
        other.score.total_cmp(&self.score).then(self.index.cmp(&other.index))
    }
}

pub struct Batch {
    pub names: Vec<String>,
    pub facts: Vec<Facts>,
    pub campaigns: Campaigns,
    /// The indicator categories, in catalogue order (bit i of [`Facts::categories`]).
    pub categories: Vec<String>,
    /// The kept records, highest score first.
    pub top: Vec<Kept>,
    /// Whether records were scored.
    pub scored: bool,
    /// The `label` values that are not labels (up to 5, as written, with their records), and how many records hold
    /// one: they count as unlabelled.
    pub labels_not_read: (Vec<(Box<str>, u64)>, u64),
}

impl Batch {
    /// Names of the categories set in `bits`.
    pub fn category_names(&self, bits: u64) -> impl Iterator<Item = &str> {
        self.categories.iter().enumerate().filter(move |(i, _)| bits >> i & 1 == 1).map(|(_, c)| c.as_str())
    }

    /// "line 7 of ads.csv" or "line 7" with one input.
    pub fn place(&self, index: usize) -> String {
        let facts = &self.facts[index];
        if self.names.len() > 1 {
            format!("line {} of {}", facts.line, self.names[facts.input as usize])
        } else {
            format!("line {}", facts.line)
        }
    }
}

/// Reads, scores (with `classifier`, when given) and groups every record of `inputs`.
pub fn run(
    inputs: Vec<Input>,
    classifier: Option<(&Classifier, &ScoreOptions)>,
    options: &BatchOptions,
    progress: ProgressBar,
) -> Result<Batch> {
    let names: Vec<String> = inputs.iter().map(|input| input.name.clone()).collect();
    let catalogue = Catalogue::builtin();
    let mut categories: Vec<String> = Vec::new();
    for indicator in catalogue.indicators() {
        if !categories.contains(&indicator.category) {
            categories.push(indicator.category.clone());
        }
    }
    let bit_of = |category: &str| categories.iter().position(|c| c == category).map_or(0, |i| 1u64 << i.min(63));

    let mut builder = CampaignBuilder::new(options.campaigns.clone());
    let mut facts: Vec<Facts> = Vec::new();
    let mut labels_not_read: (Vec<(Box<str>, u64)>, u64) = (Vec::new(), 0);
    let mut top: BinaryHeap<Kept> = BinaryHeap::new();
    for chunk in read_in_chunks(
        inputs,
        progress.clone(),
        ReadOptions { shard: None, quiet: options.quiet, labels: options.labels },
    ) {
        let mut chunk = chunk?;
        let first = facts.len() + 1;
        let done = chunk.last().map(|last| last.read_bytes);
        // The readable records move out of the chunk (their items keep an empty one).
        let records: Vec<Record> =
            chunk.iter_mut().filter_map(|item| item.record.as_mut().ok().map(std::mem::take)).collect();
        let predictions = match classifier {
            Some((classifier, score_options)) => {
                let predictions = classifier
                    .predict(&records, score_options)
                    .with_context(|| format!("the model failed on records {first}..{}", first + chunk.len() - 1))?;
                predictions.into_iter().map(Some).collect()
            }
            None => vec![None; records.len()],
        };
        // The per-record work that needs no shared state, in parallel.
        let analysed: Vec<_> = records
            .par_iter()
            .map(|record| {
                let flags = match classifier {
                    Some((classifier, _)) => catalogue.scan_as_read(record, &classifier.settings().render),
                    None => catalogue.scan(record),
                };
                let contacts = contacts::extract(record, &options.contacts);
                (Signature::of(record), contacts, flags, snippet(record))
            })
            .collect();
        let mut analysed = analysed.into_iter().zip(predictions).zip(records);
        for item in chunk {
            let index = facts.len() as u32;
            if let Some(value) = item.label_not_read {
                labels_not_read.1 += 1;
                let values = &mut labels_not_read.0;
                if let Some((_, n)) = values.iter_mut().find(|(v, _)| *v == value) {
                    *n += 1;
                } else if values.len() < 5 {
                    values.push((value, 1));
                }
            }
            let mut fact = Facts {
                id: item.id,
                input: item.input as u32,
                line: item.line,
                score: None,
                label: None,
                error: None,
                categories: 0,
                snippet: Box::from(""),
                truth: item.truth,
            };
            match item.record {
                Err(error) => {
                    fact.error = Some(error.to_string().into());
                    builder.add_unreadable();
                }
                Ok(_) => {
                    let (((signature, contacts, flags, snippet), prediction), record) =
                        analysed.next().expect("one analysis per readable record");
                    match prediction {
                        Some(Ok(p)) => (fact.score, fact.label) = (Some(p.score), Some(p.label)),
                        Some(Err(error)) => fact.error = Some(error.to_string().into()),
                        // Not scored (`campaigns --no-score`): a record with no text is still an error, as when
                        // scored, not a campaign of one that looks clean.
                        None if record.is_empty() => fact.error = Some(RecordError::NoText.to_string().into()),
                        None => {}
                    }
                    fact.categories = flags.iter().fold(0, |bits, f| bits | bit_of(&f.category));
                    fact.snippet = snippet.into();
                    let lure = fact.label.map(|l| l == Label::Lure);
                    builder.add_signed(signature, &contacts, lure);
                    if options.keep_top > 0 && fact.label == Some(Label::Lure) {
                        top.push(Kept { index, score: fact.score.unwrap_or(0.0), record, flags });
                        if top.len() > options.keep_top {
                            top.pop();
                        }
                    }
                }
            }
            facts.push(fact);
        }
        if let Some(done) = done {
            progress.set_position(done);
        }
        progress.set_message(crate::output::count(facts.len(), "record"));
    }
    progress.set_message("grouping campaigns");
    let campaigns = builder.finish();
    let top = top.into_sorted_vec();
    Ok(Batch { names, facts, campaigns, categories, top, scored: classifier.is_some(), labels_not_read })
}

/// The first characters of a record's text (title, then the other fields), on one line.
fn snippet(record: &Record) -> String {
    let mut out = String::new();
    for (_, text) in record.fields() {
        if out.chars().count() >= SNIPPET_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push_str(" | ");
        }
        out.extend(text.split_whitespace().flat_map(|w| w.chars().chain([' '])).take(SNIPPET_CHARS * 2));
        out.truncate(out.trim_end().len());
    }
    match out.char_indices().nth(SNIPPET_CHARS) {
        Some((at, _)) => format!("{}…", &out[..at]),
        None => out,
    }
}
