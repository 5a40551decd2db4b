//! `lurescan score`: reads records, scores them with the classifier chunk by chunk, writes one result row per
//! record in input order, and ends with one summary line on stderr.

use crate::common::EXIT_CODES;
use crate::inputs::{progress_bar, read_in_chunks, Input, ReadOptions, Shard};
use crate::model::ModelArgs;
use crate::output::{count, OutputFormat, RowWriter};
use crate::output_file::OutputFile;
use anyhow::{Context, Result};
use clap::ValueEnum;
use lurescan::contacts::{ContactOptions, Region};
use lurescan::explain::{ExplainOptions, Explanation, OcclusionOptions};
use lurescan::input::Format;
use lurescan::wire::ScoredRow;
use lurescan::{Label, Prediction, RecordError};
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const EXAMPLES: &str = "\
Examples:
  Score a CSV of scraped postings with the built-in model:
    lurescan score ads.csv > scores.jsonl

  Score messages, one a line, from stdin; keep only the flagged ones:
    cat messages.txt | lurescan score -f text | grep '\"lure\"'

  Score several files into one CSV (each row then names its input):
    lurescan score --model my-model -o scores.csv a.jsonl b.csv

  Explain, naming each message's nearest lure typology among the model's
  exemplars plus your own examples of a new scam script (no retraining):
    lurescan score --explain --exemplars my-scripts.jsonl messages.jsonl";

/// What `-h` says after the examples: where the rest is.
const MORE: &str = "\
Input: JSONL records with `text` (a message) or posting fields (title,
description, ...), CSV with those columns, or text, one message a line.
Every input field, the fields of each output row (and --explain's), pipelines
and exit codes: lurescan score --help";

/// What `--help` adds after the examples: the input and output formats, pipelines.
const REFERENCE: &str = "\
Input records:
  JSONL  one object a line: `text` (a message) or posting fields (title,
         company_profile, description, requirements, benefits, location,
         salary_range, department, industry, function, employment_type),
         and an optional `id`. Other keys are not read (a note names
         those of the first 100 records). A JSON array of
         such objects written one a line (`[`, `{...},` lines, `]`, as
         Scrapy exports) is read the same way; a pretty-printed one needs
         `jq -c '.[]' FILE.json > FILE.jsonl` first.
  CSV    a header row naming the same columns (any case), then one record a
         row; quoted fields may hold commas, quotes and newlines (RFC 4180).
         Fields are separated by commas, or by semicolons or tabs when the
         header row has those and no comma (.tsv files are CSV too).
         A row identical to the header row is not a record (files joined
         with `cat a.csv b.csv` repeat it); a row of column names only
         (`id,description,title`) is the header of the rows after it.
  text   one record a line, taken as its `text`.
  Blank lines are not records, nor are CSV rows of empty cells (`;;`);
  Excel's `sep=;` first line names the delimiter. A UTF-8 byte order mark at the start of any
  line is skipped. A lone surrogate escape in JSON (\\ud83d, an emoji cut
  in two) is read as the replacement character; NaN, Infinity and
  -Infinity (Python's json.dumps writes them) as null, an absent value; a
  number too large for a float (1E400) as a string of its digits.

Output rows (one per input record, in input order):
  id     the input's id, exactly as written, always a string (`id: 7` comes
         back as `id: \"7\"`; an object, array or boolean id is an error); else
         the record's number (from 1, across all inputs), always a number.
         In CSV an id a spreadsheet would run as a formula (one that starts
         with =, +, - or @ and is not a number) gets a ' in front
  input  the input it came from (only with several inputs)
  line   the line of that input where the record starts
  score  probability that the record is a lure, 0-1
  label  `lure` (score >= threshold) or `legitimate`; messages (records with
         only `text`) use the model's own lower message threshold, when it
         has one, unless --threshold is given
  error  why the record could not be scored (broken JSON, invalid UTF-8,
         no text, ...); score and label are then null
  score_without_decisive  only on a record whose score a decisive flag
         lifted (see below): the score without that flag's weight and
         floor, what the model and the other flags say (in CSV, a column
         with --explain)

With --explain, each row also has:
  flags      every indicator of deceptive recruitment found in the record
             (the catalogue built into lurescan), a list of {id, category,
             field, evidence, start, end}: start..end are byte offsets into
             that field's text. Cheap; every record is scanned.
  top_terms  the K words (runs of words of one sentence in long records;
             pieces of up to 6 characters in Chinese, Thai and other unspaced
             text) whose removal
             changes the score most, a list of {field, term, start, end,
             effect}, effect = log-odds of lure with the term - without.
             Costs up to 65 extra model passes per record (fewer in long
             postings: words past what the encoder reads share one pass),
             so by default only records labelled `lure` get them
             (--top-terms-for); the other rows have an empty list.
  contacts   the contact points in the record, a list of {kind, value,
             field, evidence, start, end}: kind is phone, whatsapp,
             telegram, line, wechat, zalo, viber, signal, handle, email,
             url or domain; value is normalised (E.164 numbers with a
             country code or --region, lowercase handles and addresses,
             registered domains), also when the text hides it (spaced or
             dotted digits, Thai/Khmer/Burmese or full-width digits,
             \"at\"/\"dot\", look-alike letters). Every record is scanned.
  nearest_typology  when the model has exemplars (its own exemplars.jsonl, or
             --exemplars FILE): the nearest lure exemplar, {typology,
             similarity, exemplar, lang}, similarity being the cosine of
             the two texts' embeddings (-1 to 1); only for a record
             flagged or with exemplar_margin above 0, so an ordinary
             record nearer the benign look-alikes has none. A weak
             hint: unrelated texts reach similarities of 0.9, and
             about 2 in 5 ordinary records are a little nearer a lure
             exemplar; read it beside the score and the flags
  exemplar_margin  mean cosine to the 3 nearest lure exemplars minus that to
             the 3 nearest benign look-alikes: above 0, closer to lures.
             It changes the score only when the model was trained with
             exemplars (lurescan train --exemplars)
  Error rows have empty lists. Indicators change the score only with a model
  trained to count them (an `indicators` weight in lurescan.json's ensemble,
  as the built-in default has): each distinct category counted adds it. A
  flag of a decisive indicator (paid_engagement, withdrawal_held,
  money_mule_account, code_harvest, id_selfie_harvest) adds the
  ensemble's `decisive` weight too (+4 in the default) and lifts the score
  to 0.9 at least (to the threshold in use when that is higher: the model's
  or --threshold), unless the record reads as a warning (then the `warning`
  weight, -3 in the default, and no category).
  In CSV each list is one cell: `id:\"evidence\"; ...`, `\"term\" +0.123; ...`
  and `kind:value; ...`; the nearest typology is `typology 0.931 [lang]`.
  `lurescan explain` shows one record with its evidence highlighted.

In pipelines (Spark RDD.pipe, GNU parallel, Kubernetes indexed jobs, Slurm):
  stdin JSONL in, one JSONL row per record out, in input order. Records are
  scored in chunks of up to 4096; a chunk also ends whenever stdin has nothing
  more to read for now, so rows of a slow or interactive writer come back as
  soon as its records are read, not when 4096 have arrived. Rows are flushed
  after every chunk. --quiet keeps stderr empty unless the run fails; a record
  that cannot be scored is an error row, never a failed run. Split one input
  among N workers with --shard I/N:
    rdd.map(json.dumps).pipe(\"lurescan score -q -j 1\").map(json.loads)
    parallel -j 4 'lurescan score -q --shard {}/4 ads.jsonl > part-{}.jsonl' ::: 0 1 2 3
    lurescan score -q --shard $JOB_COMPLETION_INDEX/8 ads.jsonl   # Kubernetes
    lurescan score -q --shard $SLURM_ARRAY_TASK_ID/8 ads.jsonl    # sbatch --array=0-7";

#[derive(Debug, clap::Args)]
#[command(
    after_help = format!("{EXAMPLES}\n\n{MORE}"),
    after_long_help = format!("{EXAMPLES}\n\n{REFERENCE}\n\n{EXIT_CODES}")
)]
pub struct ScoreArgs {
    /// Files or folders to score; `-` or none reads stdin; a folder means its files whose extension names a format,
    /// in name order. The format comes from the extension (.jsonl/.ndjson/.json, .csv/.tsv/.tab, .txt/.text) unless
    /// --format is given (then every file of a folder is read in it); stdin is read as JSONL by default.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Read every input in this format, whatever its extension.
    #[arg(long, short = 'f', value_name = "FORMAT",
          value_parser = crate::common::format_parser())]
    pub format: Option<Format>,

    /// Write results to FILE instead of stdout (`-o -` is stdout). They go to FILE.partial, renamed to FILE once
    /// every row is written: FILE only ever holds complete results.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Results as JSON Lines or CSV. Default: from the -o extension (.csv is CSV; .jsonl, .ndjson, .json and any
    /// other are JSON Lines); JSON Lines on stdout.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub output_format: Option<OutputFormat>,

    /// Add `flags` (indicators with their evidence), `top_terms` (the words that moved the score) and `contacts`
    /// (phone numbers, accounts, addresses, links) to each row; when the model has exemplars (its own or
    /// --exemplars), also `nearest_typology` and `exemplar_margin`.
    #[arg(long)]
    pub explain: bool,

    /// With --explain: top terms per record; 0 for none.
    #[arg(long, value_name = "K", default_value_t = 8, requires = "explain")]
    pub top_terms: usize,

    /// With --explain: which records get top terms (they cost one model pass per word, at most 65 per record).
    #[arg(long, value_enum, value_name = "WHICH", default_value_t = TermsFor::Lure, requires = "explain")]
    pub top_terms_for: TermsFor,

    /// With --explain: read national phone numbers (`081…`, no `+66`) as numbers of this country (ISO code such as
    /// TH, VN, KH, PH, ID, CN, MM, or a calling code such as +855), so that contacts are E.164; without it, and for
    /// a number with more or fewer digits than that country's numbers have, they stay as their digits.
    #[arg(long, value_name = "REGION", requires = "explain")]
    pub region: Option<Region>,

    /// Nothing on stderr unless the run fails: no progress bar, no summary line, no warnings (for pipelines such
    /// as Spark's RDD.pipe, whose task logs would otherwise fill with one summary per partition).
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Score only shard I of N (0 <= I < N): the records whose number n (from 1, counted across all inputs, the
    /// `id` of records without one) has (n - 1) mod N = I. N workers given 0/N .. N-1/N over the same input score
    /// every record exactly once; each reads the whole input. Rows keep their record number and line.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,

    #[command(flatten)]
    pub model: ModelArgs,
}

/// Which records get `top_terms` with `--explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TermsFor {
    /// Records labelled `lure`.
    Lure,
    /// Every record.
    All,
    /// No record (indicators only).
    None,
}

impl From<TermsFor> for lurescan::explain::TermsFor {
    fn from(which: TermsFor) -> Self {
        match which {
            TermsFor::Lure => lurescan::explain::TermsFor::Lure,
            TermsFor::All => lurescan::explain::TermsFor::All,
            TermsFor::None => lurescan::explain::TermsFor::None,
        }
    }
}

pub fn run(mut args: ScoreArgs) -> Result<()> {
    // `-o -` is stdout, as `-` is stdin for an input.
    if args.output.as_deref().is_some_and(|o| o.as_os_str() == "-") {
        args.output = None;
    }
    let output = args.output.as_deref().map(OutputFile::new);
    score(args, output.as_ref()).map_err(|e| match &output {
        Some(output) => output.failed(e),
        None => e,
    })
}

fn score(args: ScoreArgs, output: Option<&OutputFile>) -> Result<()> {
    let inputs = Input::open_all(&args.inputs, args.format, args.output.as_deref().map(|o| ("-o", o)), args.quiet)?;
    let names: Vec<String> = inputs.iter().map(|input| input.name.clone()).collect();
    let classifier = args.model.load()?;
    let options = args.model.score_options();
    let explain = args.explain.then(|| ExplainOptions {
        top_terms: args.top_terms,
        terms_for: args.top_terms_for.into(),
        occlusion: OcclusionOptions { batch_size: options.batch_size, ..OcclusionOptions::default() },
        contacts: ContactOptions { region: args.region.clone() },
    });

    // Opened only once the model loaded, so that a failed start leaves an existing file alone.
    let (out, destination): (Box<dyn Write>, String) = match output {
        Some(output) => {
            (Box::new(BufWriter::with_capacity(1 << 16, output.create()?)), output.writing().display().to_string())
        }
        None => (Box::new(BufWriter::with_capacity(1 << 16, io::stdout().lock())), "stdout".to_string()),
    };
    let written = |e: io::Error| anyhow::Error::new(e).context(format!("cannot write results to {destination}"));
    let format = args.output_format.unwrap_or_else(|| OutputFormat::from_path(args.output.as_deref()));
    // With --explain and exemplars (the model's own or --exemplars), rows also name the nearest lure typology.
    let with_evidence = explain.is_some() && classifier.exemplars().is_some();
    let mut writer = RowWriter::new(out, format, names.len() > 1, explain.is_some(), with_evidence).map_err(written)?;

    let progress = progress_bar(Input::total_size(&inputs), args.quiet);
    let chunks =
        read_in_chunks(inputs, progress.clone(), ReadOptions { shard: args.shard, quiet: args.quiet, labels: false });
    let started = Instant::now();
    let mut summary =
        Summary { thresholds: thresholds_in_use(classifier.settings(), options.threshold), ..Default::default() };
    for chunk in chunks {
        let chunk = chunk?;
        let first = summary.records + 1;
        let done = chunk.last().map(|last| last.read_bytes);

        // Only readable records go to the model; the others keep their place with their error.
        let mut records = Vec::new();
        let mut slots = Vec::with_capacity(chunk.len());
        for item in chunk {
            let slot = match item.record {
                Ok(record) => {
                    records.push(record);
                    None
                }
                Err(error) => Some(error),
            };
            slots.push((item.input, item.line, item.id, slot));
        }
        let failed = || format!("the model failed on records {first}..{}", first + slots.len() as u64 - 1);
        let (predictions, evidence): (Vec<_>, Vec<_>) = if with_evidence {
            let both = classifier.predict_with_evidence(&records, &options).with_context(failed)?;
            both.into_iter()
                .map(|r| match r {
                    Ok((prediction, evidence)) => (Ok(prediction), evidence),
                    Err(e) => (Err(e), None),
                })
                .unzip()
        } else {
            (classifier.predict(&records, &options).with_context(failed)?, Vec::new())
        };
        let explanations = match &explain {
            Some(explain) => explain.explain_all(&classifier, &records, &predictions).with_context(failed)?,
            None => Vec::new(),
        };
        let mut predictions = predictions.into_iter();
        let mut explanations = explanations.into_iter();
        let mut evidence = evidence.into_iter();

        for (input, line, id, read_error) in slots {
            let (result, explanation, evidence): (Result<Prediction, RecordError>, _, _) = match read_error {
                Some(error) => (Err(error), None, None),
                None => (
                    predictions.next().expect("Classifier::predict returns one result per record"),
                    explanations.next(),
                    evidence.next().flatten(),
                ),
            };
            // With --explain every row has both lists, empty for an error row.
            let explanation = explain.as_ref().map(|_| {
                explanation.unwrap_or_else(|| Explanation {
                    flags: Vec::new(),
                    top_terms: Vec::new(),
                    contacts: Vec::new(),
                })
            });
            summary.add(&result, explanation.as_ref());
            let mut row = ScoredRow::new(id, result).with_line(line);
            if names.len() > 1 {
                row = row.with_input(names[input].as_str());
            }
            if let Some(explanation) = explanation {
                row = row.with_explanation(explanation);
            }
            if let Some(evidence) = evidence {
                row = row.with_exemplar_evidence(evidence);
            }
            writer.write(&row).map_err(written)?;
        }
        writer.flush().map_err(written)?;
        if let Some(done) = done {
            progress.set_position(done);
        }
        progress.set_message(count(summary.records, "record"));
    }
    progress.finish_and_clear();
    writer.flush().map_err(written)?;
    drop(writer);
    if let Some(output) = output {
        output.finish()?;
    }
    if !args.quiet {
        logln!("lurescan: {}", summary.line(started.elapsed(), explain.is_some()));
    }
    Ok(())
}

#[derive(Debug, Default)]
struct Summary {
    records: u64,
    flagged: u64,
    errors: u64,
    with_flags: u64,
    /// Which scores were labelled `lure`: "lure at 0.466 or above, messages at 0.352".
    thresholds: String,
}

/// The thresholds behind the labels, for the summary line: `--threshold` for every record when given, else the
/// model's, with the messages' own when the model has one.
fn thresholds_in_use(settings: &lurescan::Settings, flag: Option<f32>) -> String {
    match (flag, settings.message_threshold) {
        (Some(t), _) => format!("lure at {t:.3} or above (--threshold)"),
        (None, Some(m)) => format!("lure at {:.3} or above, messages at {m:.3}", settings.threshold),
        (None, None) => format!("lure at {:.3} or above", settings.threshold),
    }
}

impl Summary {
    fn add(&mut self, result: &Result<Prediction, RecordError>, explanation: Option<&Explanation>) {
        self.records += 1;
        self.with_flags += u64::from(explanation.is_some_and(|e| !e.flags.is_empty()));
        match result {
            Ok(prediction) if prediction.label == Label::Lure => self.flagged += 1,
            Ok(_) => {}
            Err(_) => self.errors += 1,
        }
    }

    fn line(&self, elapsed: Duration, explained: bool) -> String {
        let seconds = elapsed.as_secs_f64();
        let indicators = if explained { format!(", {} with indicators", self.with_flags) } else { String::new() };
        format!(
            "{}, {} flagged as lure{indicators}, {} in {:.1} s ({:.0} records/s); {}",
            count(self.records, "record"),
            self.flagged,
            count(self.errors, "error"),
            seconds,
            self.records as f64 / seconds.max(1e-9),
            self.thresholds
        )
    }
}
