//! `lurescan report`: one self-contained HTML page for a batch run — counts, the score histogram, the flagged
//! records ranked with their evidence highlighted, the largest campaigns with their contacts and, for labelled
//! input, the precision–recall curve and the calibration plot. Inline CSS and SVG only: no script, font, image or
//! link is fetched, and a Content-Security-Policy forbids the page from fetching anything.

use crate::batch::{self, Batch, BatchOptions, Kept};
use crate::campaigns::{largest, Summary};
use crate::common::EXIT_CODES;
use crate::inputs::progress_bar;
use crate::inputs::Input;
use crate::model::ModelArgs;
use crate::output::count;
use crate::output_file::OutputFile;
use crate::plots::{self, escape};
use anyhow::{Context, Result};
use lurescan::campaigns::CampaignOptions;
use lurescan::contacts::{self, ContactOptions, Region};
use lurescan::explain::{top_terms_with, Catalogue, OcclusionOptions, TermEffect, WARNING_CATEGORY};
use lurescan::input::Format;
use lurescan::wire::RowId;
use lurescan::{Field, Label};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::io::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

const HELP: &str = "\
Examples:
  A report on a day of scraped ads, opened in any browser:
    lurescan report ads.jsonl -o report.html

  Labelled data (a `label` per record) adds the PR curve and calibration:
    lurescan report test.jsonl -o report.html --title \"Test split\"

What the page shows:
  counts        records, flagged as lure, with indicators, with contacts,
                campaigns of reposts
  scores        histogram (stacked by the input's label when it has one);
                with labels: precision-recall curve and calibration plot
  flagged       the --top highest-scoring records labelled lure, ranked:
                indicators highlighted in yellow, contacts in blue, the
                words that moved the score (--top-terms), their campaign
  campaigns     the --campaigns largest campaigns (see `lurescan campaigns
                --help` for how records are joined) with shared contacts
  errors        the records that could not be read or scored (the first 50),
                with their line and why: every input record is counted

The file is self-contained (inline CSS and SVG, no script): it makes no
network request and can be mailed or archived as it is.";

#[derive(Debug, clap::Args)]
#[command(after_help = format!("{HELP}\n\n{EXIT_CODES}"))]
pub struct ReportArgs {
    /// Files or folders to report on; `-` or none reads stdin (JSONL unless --format says otherwise).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// The HTML file to write.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,

    /// Read every input in this format, whatever its extension.
    #[arg(long, short = 'f', value_name = "FORMAT",
          value_parser = crate::common::format_parser())]
    pub format: Option<Format>,

    /// The page's title.
    #[arg(long, value_name = "TEXT", default_value = "lurescan report")]
    pub title: String,

    /// Flagged records shown, highest score first.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub top: usize,

    /// Top terms shown per flagged record (each record costs one model pass per word, at most 65); 0 for none.
    #[arg(long, value_name = "K", default_value_t = 5)]
    pub top_terms: usize,

    /// Largest campaigns shown.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub campaigns: usize,

    /// Read national phone numbers as numbers of this country (TH, VN, KH, PH, ID, CN, MM, ... or +855); a number
    /// with more or fewer digits than that country's numbers have stays as its digits.
    #[arg(long, value_name = "REGION")]
    pub region: Option<Region>,

    /// Nothing on stderr unless the run fails: no progress bar, no summary line, no warnings.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    #[command(flatten)]
    pub model: ModelArgs,
}

/// A flagged record with what the page shows about it.
struct Shown<'a> {
    kept: &'a Kept,
    top_terms: Vec<TermEffect>,
    contacts: Vec<contacts::Contact>,
}

pub fn run(args: ReportArgs) -> Result<()> {
    let inputs = Input::open_all(&args.inputs, args.format, Some(("-o", &args.output)), args.quiet)?;
    let classifier = args.model.load()?;
    let score_options = args.model.score_options();
    let contact_options = ContactOptions { region: args.region.clone() };
    let options = BatchOptions {
        contacts: contact_options.clone(),
        campaigns: CampaignOptions::default(),
        keep_top: args.top,
        quiet: args.quiet,
        labels: true,
    };
    let started = Instant::now();
    let progress = progress_bar(Input::total_size(&inputs), args.quiet);
    let batch = batch::run(inputs, Some((&classifier, &score_options)), &options, progress.clone())?;
    progress.set_message("explaining the flagged records");
    let occlusion = OcclusionOptions { batch_size: score_options.batch_size, ..OcclusionOptions::default() };
    let shown: Vec<Shown> = batch
        .top
        .par_iter()
        .map(|kept| -> lurescan::Result<Shown> {
            let top_terms = if args.top_terms > 0 {
                top_terms_with(&classifier, &kept.record, args.top_terms, &occlusion)?
            } else {
                Vec::new()
            };
            Ok(Shown { kept, top_terms, contacts: contacts::extract(&kept.record, &contact_options) })
        })
        .collect::<lurescan::Result<_>>()
        .context("the model failed while finding top terms")?;
    progress.finish_and_clear();

    let threshold = score_options.threshold.unwrap_or(classifier.settings().threshold);
    // A --threshold given applies to every record, as in `score`; otherwise messages may have their own.
    let message_threshold = classifier.settings().message_threshold.filter(|_| score_options.threshold.is_none());
    let page =
        Page { args: &args, batch: &batch, shown: &shown, threshold, message_threshold, model: model_name(&args) };
    let html = page.render();
    write_page(&args.output, &html)?;
    if !args.quiet {
        let flagged = batch.facts.iter().filter(|f| f.label == Some(Label::Lure)).count();
        logln!(
            "lurescan: wrote {} ({}, {flagged} flagged as lure, {} of 2 or more records) in {:.1} s",
            args.output.display(),
            count(batch.facts.len(), "record"),
            count(largest(&batch, 2).len(), "campaign"),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Writes the page complete or not at all, as `score -o` writes rows: an earlier report stays until the new one is
/// whole (a full disk or a kill leaves `FILE.partial`).
fn write_page(path: &Path, html: &str) -> Result<()> {
    let output = OutputFile::new(path);
    let written = || format!("cannot write the report to {}", output.writing().display());
    let write = || -> Result<()> {
        let mut file = output.create()?;
        file.write_all(html.as_bytes()).with_context(written)?;
        drop(file);
        output.finish()
    };
    write().map_err(|e| output.failed(e))
}

fn model_name(args: &ReportArgs) -> String {
    match &args.model.model {
        Some(dir) => dir.display().to_string(),
        None => "built-in model".to_string(),
    }
}

const CSS: &str = r#"
:root { --ink:#1f2937; --muted:#6b7280; --line:#e5e7eb; --bg:#f8fafc; --lure:#c2410c; --legit:#0f766e;
        --flag:#fde68a; --contact:#bfdbfe; --accent:#1d4ed8; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
       font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Thai", "Noto Sans CJK SC", sans-serif; }
header { background:#111827; color:#f9fafb; padding:20px 32px; }
header h1 { margin:0 0 4px; font-size:22px; font-weight:650; letter-spacing:.2px; }
header p { margin:0; color:#d1d5db; font-size:13px; }
main { max-width:1180px; margin:0 auto; padding:20px 32px 40px; }
section { margin-top:28px; }
h2 { font-size:17px; margin:0 0 10px; }
h2 small { color:var(--muted); font-weight:400; font-size:13px; margin-left:6px; }
.cards { display:grid; grid-template-columns:repeat(auto-fit,minmax(150px,1fr)); gap:12px; }
.card { background:#fff; border:1px solid var(--line); border-radius:10px; padding:12px 14px; }
.card b { display:block; font-size:24px; font-weight:650; }
.card span { color:var(--muted); font-size:12.5px; }
.card.lure b { color:var(--lure); }
.charts { display:flex; flex-wrap:wrap; gap:14px; }
.charts svg { background:#fff; border:1px solid var(--line); border-radius:10px; max-width:100%; height:auto; }
.record { background:#fff; border:1px solid var(--line); border-left:4px solid var(--lure); border-radius:10px;
          padding:12px 16px; margin-bottom:12px; }
.record .top { display:flex; flex-wrap:wrap; align-items:baseline; gap:8px 12px; }
.rank { color:var(--muted); font-variant-numeric:tabular-nums; }
.score { background:var(--lure); color:#fff; border-radius:999px; padding:1px 9px; font-weight:650;
         font-variant-numeric:tabular-nums; }
.id { font-weight:600; overflow-wrap:anywhere; }
.where { color:var(--muted); font-size:12.5px; }
.chips { display:flex; flex-wrap:wrap; gap:5px; margin:7px 0 4px; }
.chip { border:1px solid var(--line); background:#f9fafb; border-radius:6px; padding:0 7px; font-size:12px; }
.chip.flag { background:#fef3c7; border-color:#fcd34d; }
.chip.contact { background:#dbeafe; border-color:#93c5fd; font-family:ui-monospace, "SFMono-Regular", Menlo, monospace; }
.chip.weak { opacity:.55; }
.chip.term { background:#f3f4f6; }
.chip.term.up { border-color:#fdba74; }
.chip.term.down { border-color:#5eead4; }
.chip.typology { background:#ede9fe; border-color:#c4b5fd; }
.chip.campaign { background:#ffedd5; border-color:#fdba74; }
.chip.warning { background:#dcfce7; border-color:#86efac; }
.chip.given { background:#e0e7ff; border-color:#a5b4fc; }
.field { margin-top:6px; }
.field .name { color:var(--muted); font-size:11.5px; text-transform:uppercase; letter-spacing:.4px; }
.field .text { white-space:pre-wrap; overflow-wrap:anywhere; max-height:9.5em; overflow:auto; }
mark { border-radius:3px; padding:0 1px; color:inherit; }
mark.flag { background:var(--flag); }
mark.contact { background:var(--contact); }
table { width:100%; border-collapse:collapse; background:#fff; border:1px solid var(--line); border-radius:10px; overflow:hidden; }
th, td { text-align:left; vertical-align:top; padding:8px 10px; border-bottom:1px solid var(--line); font-size:13px; }
th { background:#f3f4f6; font-weight:600; font-size:12px; color:#374151; }
td.num { font-variant-numeric:tabular-nums; white-space:nowrap; }
td .text { color:#374151; overflow-wrap:anywhere; }
.lab-lure { color:var(--lure); font-weight:600; }
.lab-legit { color:var(--legit); font-weight:600; }
.note { color:var(--muted); font-size:12.5px; }
footer { color:var(--muted); font-size:12px; margin-top:36px; border-top:1px solid var(--line); padding-top:10px; }
"#;

struct Page<'a> {
    args: &'a ReportArgs,
    batch: &'a Batch,
    shown: &'a [Shown<'a>],
    threshold: f32,
    /// The messages' own threshold, when they have one.
    message_threshold: Option<f32>,
    model: String,
}

impl Page<'_> {
    fn render(&self) -> String {
        let mut html = String::with_capacity(1 << 16);
        let title = escape(&self.args.title);
        let _ = write!(
            html,
            r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title><style>{CSS}</style></head><body>
<header><h1>{title}</h1><p>{}</p></header><main>"#,
            escape(&self.subtitle())
        );
        self.counts(&mut html);
        self.charts(&mut html);
        self.flagged(&mut html);
        self.campaigns(&mut html);
        self.errors(&mut html);
        let _ = writeln!(
            html,
            "<footer>Made by lurescan {} with the {}. Scores are a triage signal for human review, not a verdict; \
             indicators explain a score, and count in it only with a model trained to count them.</footer></main></body></html>",
            env!("CARGO_PKG_VERSION"),
            escape(&self.model)
        );
        html
    }

    fn subtitle(&self) -> String {
        let names = &self.batch.names;
        let inputs = match names.len() {
            0 => String::new(),
            1 => names[0].clone(),
            n => format!("{} and {} more inputs", names[0], n - 1),
        };
        match self.message_threshold {
            Some(m) => format!("{inputs} · {} · threshold {:.2} (messages {m:.2})", self.model, self.threshold),
            None => format!("{inputs} · {} · threshold {:.2}", self.model, self.threshold),
        }
    }

    fn counts(&self, html: &mut String) {
        let facts = &self.batch.facts;
        let n = facts.len();
        let flagged = facts.iter().filter(|f| f.label == Some(Label::Lure)).count();
        let errors = facts.iter().filter(|f| f.error.is_some()).count();
        let with_flags = facts.iter().filter(|f| f.categories != 0).count();
        let with_contacts = (0..n as u32).filter(|&i| self.batch.campaigns.contacts_of(i).next().is_some()).count();
        let grouped = largest(self.batch, 2);
        let in_campaigns: usize = grouped.iter().map(|c| c.members.len()).sum();
        let share = |k: usize| if n == 0 { "0%".to_string() } else { format!("{:.1}%", 100.0 * k as f64 / n as f64) };
        let _ = write!(html, r#"<section class="cards">"#);
        let mut card = |class: &str, value: String, what: String| {
            let _ = write!(html, r#"<div class="card {class}"><b>{value}</b><span>{}</span></div>"#, escape(&what));
        };
        card("", n.to_string(), "records".into());
        card("lure", flagged.to_string(), format!("flagged as lure ({})", share(flagged)));
        card("", with_flags.to_string(), format!("with indicators ({})", share(with_flags)));
        card("", with_contacts.to_string(), format!("with contacts ({})", share(with_contacts)));
        card("", grouped.len().to_string(), format!("campaigns of reposts, {in_campaigns} records"));
        if errors > 0 {
            card("", errors.to_string(), "could not be read or scored".into());
        }
        html.push_str("</section>");
    }

    fn charts(&self, html: &mut String) {
        let facts = &self.batch.facts;
        let scored: Vec<(f32, Option<u8>)> = facts.iter().filter_map(|f| f.score.map(|s| (s, f.truth))).collect();
        let scores: Vec<f32> = scored.iter().map(|(s, _)| *s).collect();
        let labelled: Vec<(f32, u8)> = scored.iter().filter_map(|(s, t)| t.map(|t| (*s, t))).collect();
        // Each labelled record as the model labelled it, a message at the messages' own threshold.
        let flagged: Vec<bool> = facts
            .iter()
            .filter(|f| f.score.is_some() && f.truth.is_some())
            .map(|f| f.label == Some(Label::Lure))
            .collect();
        let all_labelled = !scored.is_empty() && labelled.len() == scored.len();
        let _ = write!(
            html,
            r#"<section><h2>Scores<small>{}</small></h2>"#,
            escape(&if labelled.is_empty() {
                format!(
                    "{} scored; no `label` in the input, so no precision-recall curve",
                    count(scores.len(), "record")
                )
            } else {
                format!("{} of {} scored records carry a label", labelled.len(), scores.len())
            })
        );
        let (values, records) = &self.batch.labels_not_read;
        if *records > 0 {
            let values: Vec<String> = values.iter().map(|(v, n)| format!("“{v}” {n}")).collect();
            let _ = write!(
                html,
                r#"<p class="note">{} with a <code>label</code> that is not a label count as unlabelled: {} (read: 0/1, lure/legitimate, fraudulent/real, scam/legit, true/false).</p>"#,
                count(*records as usize, "record"),
                escape(&values.join(", "))
            );
        }
        if !labelled.is_empty() {
            html.push_str(&operating_point(&flagged, &labelled));
        }
        html.push_str(r#"<div class="charts">"#);
        let truth: Option<Vec<u8>> = all_labelled.then(|| labelled.iter().map(|(_, t)| *t).collect());
        html.push_str(&plots::histogram(&scores, truth.as_deref(), Some(self.threshold)));
        if !labelled.is_empty() {
            let (s, y): (Vec<f32>, Vec<u8>) = labelled.into_iter().unzip();
            let name = match self.message_threshold {
                Some(m) => format!("threshold {:.2}, messages {m:.2}", self.threshold),
                None => format!("threshold {:.2}", self.threshold),
            };
            html.push_str(&plots::pr_curve(&s, &y, Some(plots::Operating { flagged: &flagged, name })));
            html.push_str(&plots::calibration(&s, &y));
        }
        html.push_str("</div></section>");
    }

    fn flagged(&self, html: &mut String) {
        let flagged = self.batch.facts.iter().filter(|f| f.label == Some(Label::Lure)).count();
        let _ = write!(
            html,
            "<section><h2>Flagged records<small>{} of {flagged}, highest score first</small></h2>",
            self.shown.len()
        );
        if self.shown.is_empty() {
            html.push_str(r#"<p class="note">No record was labelled lure.</p>"#);
        }
        let catalogue = Catalogue::builtin();
        for (rank, shown) in self.shown.iter().enumerate() {
            let kept = shown.kept;
            let facts = &self.batch.facts[kept.index as usize];
            let campaign = self.batch.campaigns.campaign_of(kept.index);
            let size = self.batch.campaigns.campaign(campaign).members.len();
            let _ = write!(
                html,
                r#"<article class="record"><div class="top"><span class="rank">#{}</span><span class="score">{:.3}</span><span class="id">{}</span><span class="where">{}</span></div><div class="chips">"#,
                rank + 1,
                kept.score,
                escape(&id_text(&facts.id)),
                escape(&self.batch.place(kept.index as usize)),
            );
            if size > 1 {
                let _ = write!(html, r#"<span class="chip campaign">campaign {campaign} · {size} records</span>"#);
            }
            // The input's own label, when it has one: a flagged record it calls legitimate is a false alarm.
            match facts.truth {
                Some(0) => html.push_str(
                    r#"<span class="chip given" title="The input's label column says so">labelled legitimate in the input: a false alarm</span>"#,
                ),
                Some(_) => html.push_str(r#"<span class="chip given" title="The input's label column says so">labelled lure in the input</span>"#),
                None => {}
            }
            // A notice or plea that quotes a lure: its flags are shown, but they are not why it scores as it does.
            if kept.flags.iter().any(|f| f.category == WARNING_CATEGORY) {
                html.push_str(
                    r#"<span class="chip warning" title="A warning, plea or report about these scams: its indicators count for nothing in the score">reads as a warning about these scams: no category counts</span>"#,
                );
            }
            let mut seen: Vec<&str> = Vec::new();
            for flag in &kept.flags {
                if !seen.contains(&flag.id.as_str()) {
                    seen.push(&flag.id);
                    let description = catalogue.get(&flag.id).map_or("", |i| i.description.as_str());
                    let _ = write!(
                        html,
                        r#"<span class="chip flag" title="{}">{} · {}</span>"#,
                        escape(description),
                        escape(&flag.id),
                        escape(&flag.category)
                    );
                }
            }
            for contact in &shown.contacts {
                let _ =
                    write!(html, r#"<span class="chip contact">{} {}</span>"#, contact.kind, escape(&contact.value));
            }
            html.push_str("</div>");
            self.fields(html, shown);
            if !shown.top_terms.is_empty() {
                html.push_str(r#"<div class="chips"><span class="note">moved the score:</span>"#);
                for term in &shown.top_terms {
                    let _ = write!(
                        html,
                        r#"<span class="chip term {}" title="effect on the log-odds of lure">{} {:+.2}</span>"#,
                        if term.effect > 0.0 { "up" } else { "down" },
                        escape(&term.term.replace('\n', " ")),
                        term.effect
                    );
                }
                html.push_str("</div>");
            }
            html.push_str("</article>");
        }
        html.push_str("</section>");
    }

    /// Each field's text with indicator evidence and contacts highlighted.
    fn fields(&self, html: &mut String, shown: &Shown) {
        for (field, text) in shown.kept.record.fields() {
            let mut spans: Vec<(Range<usize>, bool, String)> = Vec::new();
            spans.extend(
                shown.kept.flags.iter().filter(|f| f.field == field).map(|f| (f.start..f.end, true, f.id.clone())),
            );
            spans.extend(
                shown
                    .contacts
                    .iter()
                    .filter(|c| c.field == field)
                    .map(|c| (c.start..c.end, false, format!("{} {}", c.kind, c.value))),
            );
            let _ = write!(html, r#"<div class="field">"#);
            if field != Field::Text {
                let _ = write!(html, r#"<div class="name">{}</div>"#, field.name());
            }
            html.push_str(r#"<div class="text">"#);
            html.push_str(&highlight(text, spans));
            html.push_str("</div></div>");
        }
    }

    fn campaigns(&self, html: &mut String) {
        let grouped = largest(self.batch, 2);
        let _ = write!(
            html,
            "<section><h2>Largest campaigns<small>{} of {}: reposts of one script and records sharing a contact</small></h2>",
            grouped.len().min(self.args.campaigns),
            grouped.len()
        );
        if grouped.is_empty() {
            html.push_str(r#"<p class="note">No two records are near-duplicates or share a contact.</p></section>"#);
            return;
        }
        html.push_str("<table><tr><th>#</th><th>records</th><th>labels</th><th>score min · median · max</th><th>shared contacts</th><th>indicator categories</th><th>first record</th></tr>");
        for campaign in grouped.iter().take(self.args.campaigns) {
            let summary = Summary::of(self.batch, campaign);
            let lure = summary.labels.get("lure").copied().unwrap_or(0);
            let legit = summary.labels.get("legitimate").copied().unwrap_or(0);
            let scores = match &summary.score {
                Some(s) => format!("{:.2} · {:.2} · {:.2}", s.min, s.median, s.max),
                None => "–".into(),
            };
            let mut contacts = String::new();
            for shared in summary.shared_contacts.iter().take(8) {
                let _ = write!(
                    contacts,
                    r#"<span class="chip contact{}" title="{} of these records, {} in the input{}">{} {}</span> "#,
                    if shared.linked { "" } else { " weak" },
                    shared.records,
                    shared.total,
                    if shared.linked { "" } else { "; too common (or a domain of legitimate ads) to link" },
                    shared.kind,
                    escape(&shared.value)
                );
            }
            if contacts.is_empty() {
                contacts.push_str(r#"<span class="note">none: joined by their text</span>"#);
            }
            let categories: Vec<String> =
                summary.categories.iter().map(|(c, n)| format!("{} {n}", escape(c))).collect();
            let _ = write!(
                html,
                r#"<tr><td class="num">{}</td><td class="num">{}</td><td class="num"><span class="lab-lure">{lure}</span> · <span class="lab-legit">{legit}</span></td><td class="num">{scores}</td><td>{contacts}</td><td>{}</td><td><div class="text">{}</div><div class="where">{}</div></td></tr>"#,
                campaign.id,
                campaign.members.len(),
                categories.join(", "),
                escape(summary.text),
                escape(&self.batch.place(campaign.members[0] as usize)),
            );
        }
        html.push_str(r#"</table><p class="note">Lure · legitimate counts are the model's labels. Greyed contacts are shared but did not join records.</p></section>"#);
    }

    /// The records that could not be read or scored, the first [`MAX_ERRORS_SHOWN`] of them: where each is and why.
    fn errors(&self, html: &mut String) {
        let failed: Vec<usize> = (0..self.batch.facts.len()).filter(|&i| self.batch.facts[i].error.is_some()).collect();
        if failed.is_empty() {
            return;
        }
        let _ = write!(
            html,
            "<section><h2>Records that could not be read or scored<small>{} of {}, in input order</small></h2>\
             <table><tr><th>where</th><th>id</th><th>why</th></tr>",
            failed.len().min(MAX_ERRORS_SHOWN),
            failed.len()
        );
        for &index in failed.iter().take(MAX_ERRORS_SHOWN) {
            let facts = &self.batch.facts[index];
            let _ = write!(
                html,
                r#"<tr><td class="num">{}</td><td class="id">{}</td><td>{}</td></tr>"#,
                escape(&self.batch.place(index)),
                escape(&id_text(&facts.id)),
                escape(facts.error.as_deref().unwrap_or_default())
            );
        }
        html.push_str("</table>");
        if failed.len() > MAX_ERRORS_SHOWN {
            html.push_str(
                r#"<p class="note">`lurescan score` writes a row for every record, these with their error.</p>"#,
            );
        }
        html.push_str("</section>");
    }
}

/// How many unreadable records the page lists.
const MAX_ERRORS_SHOWN: usize = 50;

fn id_text(id: &RowId) -> String {
    match id {
        RowId::Given(s) => s.clone(),
        RowId::Number(n) => format!("record {n}"),
    }
}

/// `text` escaped, with `spans` (byte ranges; `true` for indicator evidence, else a contact; a tooltip) wrapped in
/// `<mark>`. Overlapping spans merge; evidence wins over contact for the colour.
fn highlight(text: &str, mut spans: Vec<(Range<usize>, bool, String)>) -> String {
    spans.retain(|(r, _, _)| {
        r.start < r.end && r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
    });
    spans.sort_by_key(|(r, _, _)| (r.start, r.end));
    let mut merged: Vec<(Range<usize>, bool, Vec<String>)> = Vec::new();
    for (range, is_flag, tip) in spans {
        match merged.last_mut() {
            Some((last, flag, tips)) if range.start < last.end => {
                last.end = last.end.max(range.end);
                *flag |= is_flag;
                if !tips.contains(&tip) {
                    tips.push(tip);
                }
            }
            _ => merged.push((range, is_flag, vec![tip])),
        }
    }
    let mut out = String::with_capacity(text.len() + 64 * merged.len());
    let mut at = 0;
    for (range, is_flag, tips) in merged {
        out.push_str(&escape(&text[at..range.start]));
        let _ = write!(
            out,
            r#"<mark class="{}" title="{}">{}</mark>"#,
            if is_flag { "flag" } else { "contact" },
            escape(&tips.join(", ")),
            escape(&text[range.clone()])
        );
        at = range.end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

/// The model's own labels against the input's, over the labelled records (`flagged[i]` for `labelled[i]`): a line
/// with precision, recall and F1 at the model's thresholds, and the counts behind them.
fn operating_point(flagged: &[bool], labelled: &[(f32, u8)]) -> String {
    let count =
        |flag: bool, truth: u8| flagged.iter().zip(labelled).filter(|(f, (_, t))| **f == flag && *t == truth).count();
    let (tp, fp, fn_) = (count(true, 1), count(true, 0), count(false, 1));
    let ratio = |n: usize, d: usize| if d == 0 { "–".to_string() } else { format!("{:.3}", n as f64 / d as f64) };
    let f1 = if 2 * tp + fp + fn_ == 0 {
        "–".to_string()
    } else {
        format!("{:.3}", 2.0 * tp as f64 / (2 * tp + fp + fn_) as f64)
    };
    format!(
        r#"<p class="note">At the model's thresholds, on the labelled records: precision {} ({tp} of {} flagged are labelled lure), recall {} ({tp} of {} lures flagged), F1 {f1}; {fp} flagged records are labelled legitimate (false alarms, marked below).</p>"#,
        ratio(tp, tp + fp),
        tp + fp,
        ratio(tp, tp + fn_),
        tp + fn_,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_operating_point_counts_the_models_labels_against_the_inputs() {
        let labelled = [(0.9, 1), (0.8, 0), (0.7, 1), (0.2, 1), (0.1, 0)];
        let line = operating_point(&[true, true, true, false, false], &labelled);
        assert!(
            line.contains("precision 0.667 (2 of 3 flagged are labelled lure), recall 0.667 (2 of 3 lures"),
            "{line}"
        );
        assert!(line.contains("F1 0.667; 1 flagged records are labelled legitimate"), "{line}");
        let none = operating_point(&[false, false], &[(0.1, 0), (0.2, 0)]);
        assert!(none.contains("precision – (0 of 0 flagged") && none.contains("recall – (0 of 0 lures"), "{none}");
    }

    #[test]
    fn highlights_merge_and_escape() {
        let text = "Pay <fee> now, WhatsApp +855 12";
        let spans = vec![
            (4..9, true, "upfront_fee".into()),
            (6..8, false, "x".into()),
            (15..31, false, "whatsapp +85512".into()),
        ];
        assert_eq!(
            highlight(text, spans),
            r#"Pay <mark class="flag" title="upfront_fee, x">&lt;fee&gt;</mark> now, <mark class="contact" title="whatsapp +85512">WhatsApp +855 12</mark>"#
        );
    }
}
